// The step-through pass (explain.hpp), one SGD step on chosen examples, the "break an equation" switch
// (broken.hpp), the per-layer gradient check, a layer's activations and its principal directions — each
// against an oracle that shares no code with it: finite differences of the cost (through evaluate(), a
// forward pass only), the SGD update written out, covariances summed by hand, known spectra.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/rng.hpp"
#include "tests/core/test_config.hpp"

using namespace bp;
using testing::HasSubstr;

namespace {

using bp::testing_util::config;
using bp::testing_util::error_of;

// n examples of n0 inputs in ±spread; targets one-hot (softmax), in (0.05, 0.95) otherwise.
void make_data(int n, int n0, int nL, Activation out, std::uint64_t seed, double spread, std::vector<double>& X,
               std::vector<double>& Y) {
  Rng rng(seed);
  X.resize(std::size_t(n * n0));
  Y.resize(std::size_t(n * nL));
  for (double& x : X) x = rng.uniform(-spread, spread);
  for (int i = 0; i < n; ++i) {
    const int c = int(rng.below(std::uint32_t(nL)));
    for (int j = 0; j < nL; ++j)
      Y[std::size_t(i * nL + j)] = out == Activation::softmax ? double(j == c) : rng.uniform(0.05, 0.95);
  }
}

// The rows `idx` of a row-major table of `width` columns.
std::vector<double> rows_of(const std::vector<double>& table, int width, const std::vector<int>& idx) {
  std::vector<double> out;
  for (int i : idx) out.insert(out.end(), table.begin() + i * width, table.begin() + (i + 1) * width);
  return out;
}

std::vector<double> as_doubles(const std::vector<int>& v) { return {v.begin(), v.end()}; }

// 4th-order central difference of f at *p, restoring *p.
double finite_difference(double* p, const std::function<double()>& f, double h = 1e-4) {
  const double saved = *p;
  const auto at = [&](double t) { *p = t; return f(); };
  const double fd = (-at(saved + 2 * h) + 8 * at(saved + h) - 8 * at(saved - h) + at(saved - 2 * h)) / (12 * h);
  *p = saved;
  return fd;
}

// |a − b| / max(|a|, |b|, floor)
double rel(double a, double b, double floor = 1e-4) {
  return std::abs(a - b) / std::max({std::abs(a), std::abs(b), floor});
}

template <class M>
double max_rel(const M& a, const M& b, double floor = 1e-12) {
  double worst = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i) worst = std::max(worst, rel(a.data()[i], b.data()[i], floor));
  return worst;
}

// C_x as a function of the output a^L (for ∂C_x/∂a^L by finite differences)
double cost_of_output(Cost cost, Activation out, const std::vector<double>& a, const double* y) {
  double c = 0;
  for (std::size_t j = 0; j < a.size(); ++j) {
    if (cost == Cost::quadratic) c += 0.5 * (a[j] - y[j]) * (a[j] - y[j]);
    else if (out == Activation::softmax) c -= y[j] * std::log(a[j]);
    else c -= y[j] * std::log(a[j]) + (1 - y[j]) * std::log(1 - a[j]);
  }
  return c;
}

double sigma(Activation f, double z) {
  switch (f) {
    case Activation::sigmoid: return 1 / (1 + std::exp(-z));
    case Activation::tanh: return std::tanh(z);
    case Activation::relu: return z > 0 ? z : 0;
    default: return z;
  }
}

struct Combo {
  Activation hidden, out;
  Cost cost;
};
std::string name_of(const Combo& c) {
  return std::string(to_string(c.hidden)) + "/" + to_string(c.out) + "/" + to_string(c.cost);
}
std::vector<Combo> all_combos() {
  std::vector<Combo> out;
  for (Activation h : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::linear})
    for (Activation o : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::linear, Activation::softmax})
      for (Cost c : {Cost::quadratic, Cost::cross_entropy})
        if (c == Cost::quadratic || o == Activation::sigmoid || o == Activation::softmax) out.push_back({h, o, c});
  return out;
}

}  // namespace

// ---- explain: one example ----------------------------------------------------------------------------------

TEST(Explain, OneExampleGradientsAreFiniteDifferencesOfItsCost) {
  for (const Combo& c : all_combos()) {
    const std::string name = name_of(c);
    const int nL = c.out == Activation::softmax ? 3 : 2;
    const std::vector<int> layers = {3, 5, 4, nL};
    Model<double> model(config(layers, c.hidden, c.out, c.cost), 0, Init::nielsen, 17);
    std::vector<double> X, Y;
    make_data(12, 3, nL, c.out, 5, 1.5, X, Y);
    model.set_data(X, Y);
    const int i = 5;
    const std::vector<double> x = rows_of(X, 3, {i}), y = rows_of(Y, nL, {i});
    const Explanation<double> e = model.explain({double(i)});  // a copy: the differences below move weights
    const auto C = [&] { return model.evaluate(x, y).cost; };  // C_x: one example, no regularisation
    ASSERT_EQ(e.m, 1u);
    EXPECT_NEAR(e.cost, C(), 1e-14 * std::max(1.0, std::abs(e.cost))) << name;
    EXPECT_EQ(e.sigma_prime_cancels, c.cost == Cost::cross_entropy) << name;
    EXPECT_EQ(e.broken, Broken::none);
    // a^0 is the example's features, y its target
    for (int k = 0; k < 3; ++k) EXPECT_EQ(e.pass.a[0](k, 0), x[std::size_t(k)]);
    for (int j = 0; j < nL; ++j) EXPECT_EQ(e.y(j, 0), y[std::size_t(j)]);

    // BP3, BP4: ∂C_x/∂W^l, ∂C_x/∂b^l against finite differences of C_x
    auto& net = model.network();
    double worst = 0;
    for (int l = 1; l <= 3; ++l) {
      for (Eigen::Index k = 0; k < net.W(l).size(); ++k)
        worst = std::max(worst, rel(finite_difference(net.W(l).data() + k, C), e.grad_W(std::size_t(l)).data()[k]));
      for (Eigen::Index j = 0; j < net.b(l).size(); ++j)
        worst = std::max(worst, rel(finite_difference(net.b(l).data() + j, C), e.grad_b(std::size_t(l))[j]));
      // BP4 for one example: ∂C_x/∂w_jk = a^(l−1)_k δ^l_j, and BP3: ∂C_x/∂b_j = δ^l_j
      const Eigen::MatrixXd outer = e.delta[std::size_t(l)] * e.pass.a[std::size_t(l - 1)].transpose();
      EXPECT_LE(max_rel(Eigen::MatrixXd(e.grad_W(std::size_t(l))), outer), 1e-15) << name;
      EXPECT_EQ(Eigen::VectorXd(e.grad_b(std::size_t(l))), Eigen::VectorXd(e.delta[std::size_t(l)].col(0))) << name;
    }
    EXPECT_LE(worst, 1e-7) << name;

    // σ'(z^l) against a difference quotient of σ (softmax: the diagonal of its Jacobian)
    for (int l = 1; l <= 3; ++l) {
      const Activation f = net.activation(l);
      for (int j = 0; j < layers[std::size_t(l)]; ++j) {
        const double z = e.pass.z[std::size_t(l)](j, 0), h = 1e-6;
        double num;
        if (f == Activation::softmax) {
          const auto aj = [&](double dz) {
            Eigen::VectorXd zz = e.pass.z[std::size_t(l)].col(0);
            zz[j] += dz;
            return std::exp(zz[j]) / zz.array().exp().sum();
          };
          num = (aj(h) - aj(-h)) / (2 * h);
        } else if (f == Activation::relu) {
          if (std::abs(z) < 1e-3) continue;
          num = z > 0 ? 1 : 0;
        } else {
          num = (sigma(f, z + h) - sigma(f, z - h)) / (2 * h);
        }
        EXPECT_NEAR(e.sigma_prime[std::size_t(l)](j, 0), num, 1e-8) << name << " layer " << l << " neuron " << j;
      }
    }

    // ∂C_x/∂a^L = ∇_a C against a difference quotient of C_x as a function of a^L
    {
      std::vector<double> a(e.pass.a[3].data(), e.pass.a[3].data() + nL);
      for (int j = 0; j < nL; ++j) {
        const auto f = [&] { return cost_of_output(c.cost, c.out, a, y.data()); };
        EXPECT_LE(rel(finite_difference(&a[std::size_t(j)], f, 1e-4), e.grad_a[3](j, 0)), 1e-8) << name;
      }
    }
    // ∂C_x/∂a^l for hidden l, against finite differences of C_x in the input of the network's upper part:
    // layers l+1 … L as a network of their own, fed a^l
    for (int l = 1; l <= 2; ++l) {
      const std::vector<int> upper(layers.begin() + l, layers.end());
      Model<double> top(config(upper, c.hidden, c.out, c.cost), 0, Init::zeros, 0);
      for (int k = 1; k <= 3 - l; ++k) {
        top.network().W(k) = net.W(l + k);
        top.network().b(k) = net.b(l + k);
      }
      std::vector<double> al(e.pass.a[std::size_t(l)].data(), e.pass.a[std::size_t(l)].data() + layers[std::size_t(l)]);
      for (int j = 0; j < layers[std::size_t(l)]; ++j) {
        const auto f = [&] { return top.evaluate(al, y).cost; };
        EXPECT_LE(rel(finite_difference(&al[std::size_t(j)], f, 1e-4), e.grad_a[std::size_t(l)](j, 0)), 1e-7)
            << name << " layer " << l;
      }
      // BP2: δ^l = ∂C_x/∂a^l ⊙ σ'(z^l), exactly the product of the two factors shown
      EXPECT_EQ(Eigen::MatrixXd(e.delta[std::size_t(l)]),
                Eigen::MatrixXd(e.grad_a[std::size_t(l)].cwiseProduct(e.sigma_prime[std::size_t(l)])))
          << name;
    }
    // BP1 at the output: δ^L = ∇_a C ⊙ σ'(z^L) (a − y where σ' cancels; for a softmax under the quadratic
    // cost the product with the Jacobian's diagonal is not δ^L: the Jacobian couples the outputs)
    if (c.out != Activation::softmax) {
      const Eigen::MatrixXd product = e.grad_a[3].cwiseProduct(e.sigma_prime[3]);
      EXPECT_LE(max_rel(Eigen::MatrixXd(e.delta[3]), product, 1e-12), 1e-9) << name;
    }
    if (c.cost == Cost::cross_entropy) {
      for (int j = 0; j < nL; ++j) EXPECT_EQ(e.delta[3](j, 0), e.pass.a[3](j, 0) - y[std::size_t(j)]) << name;
    }
  }
}

// ---- explain: a mini-batch ----------------------------------------------------------------------------------

TEST(Explain, MiniBatchGradientsAreTheMeansOverItsExamples) {
  for (const Combo& c : {Combo{Activation::tanh, Activation::sigmoid, Cost::quadratic},
                         Combo{Activation::relu, Activation::softmax, Cost::cross_entropy}}) {
    const std::string name = name_of(c);
    const int nL = c.out == Activation::softmax ? 3 : 1;
    Model<double> model(config({2, 6, 5, nL}, c.hidden, c.out, c.cost), 0, Init::nielsen, 8);
    std::vector<double> X, Y;
    make_data(15, 2, nL, c.out, 6, 2, X, Y);
    model.set_data(X, Y);
    const std::vector<int> idx = {7, 2, 7, 11};  // a repeated example counts twice
    const Explanation<double> e = model.explain(as_doubles(idx));
    ASSERT_EQ(e.m, 4u);
    // column i is example idx[i], as explained alone
    double cost = 0;
    std::vector<Eigen::MatrixXd> gW(4);
    std::vector<Eigen::VectorXd> gb(4);
    for (std::size_t i = 0; i < idx.size(); ++i) {
      const Explanation<double>& one = model.explain({double(idx[i])});
      cost += one.cost / 4;
      for (int l = 1; l <= 3; ++l) {
        const std::size_t lu = std::size_t(l);
        const Eigen::Index col = Eigen::Index(i);
        EXPECT_LE(max_rel(Eigen::VectorXd(e.pass.z[lu].col(col)), Eigen::VectorXd(one.pass.z[lu].col(0))), 1e-13) << name;
        EXPECT_LE(max_rel(Eigen::VectorXd(e.delta[lu].col(col)), Eigen::VectorXd(one.delta[lu].col(0))), 1e-12) << name;
        EXPECT_LE(max_rel(Eigen::VectorXd(e.sigma_prime[lu].col(col)), Eigen::VectorXd(one.sigma_prime[lu].col(0))), 1e-12);
        gW[lu] = i == 0 ? Eigen::MatrixXd(one.grad_W(lu) / 4) : Eigen::MatrixXd(gW[lu] + one.grad_W(lu) / 4);
        gb[lu] = i == 0 ? Eigen::VectorXd(one.grad_b(lu) / 4) : Eigen::VectorXd(gb[lu] + one.grad_b(lu) / 4);
      }
    }
    EXPECT_NEAR(e.cost, cost, 1e-14) << name;
    for (int l = 1; l <= 3; ++l) {
      EXPECT_LE(max_rel(Eigen::MatrixXd(e.grad_W(std::size_t(l))), gW[std::size_t(l)]), 1e-12) << name;
      EXPECT_LE(max_rel(Eigen::VectorXd(e.grad_b(std::size_t(l))), gb[std::size_t(l)]), 1e-12) << name;
    }
    // and they are the gradient of the batch's mean cost (1/m) Σ_x C_x, by finite differences
    const std::vector<double> xb = rows_of(X, 2, idx), yb = rows_of(Y, nL, idx);
    const auto C = [&] { return model.evaluate(xb, yb).cost; };
    EXPECT_NEAR(e.cost, C(), 1e-14) << name;
    double worst = 0;
    auto& net = model.network();
    for (int l = 1; l <= 3; ++l) {
      for (Eigen::Index k = 0; k < net.W(l).size(); ++k)
        worst = std::max(worst, rel(finite_difference(net.W(l).data() + k, C), e.grad_W(std::size_t(l)).data()[k]));
      for (Eigen::Index j = 0; j < net.b(l).size(); ++j)
        worst = std::max(worst, rel(finite_difference(net.b(l).data() + j, C), e.grad_b(std::size_t(l))[j]));
    }
    EXPECT_LE(worst, 1e-7) << name;
  }
}

TEST(Explain, LeavesTrainingAloneAndChecksItsIndices) {
  const auto cfg = config({2, 5, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic);
  Model<float> a(cfg, 0, Init::xavier, 4), b(cfg, 0, Init::xavier, 4);
  std::vector<double> X, Y;
  make_data(23, 2, 1, Activation::sigmoid, 2, 2, X, Y);
  a.set_data(X, Y);
  b.set_data(X, Y);
  TrainOptions o;
  o.steps = 2;
  o.batch_size = 4;
  o.shuffle = true;
  for (int round = 0; round < 5; ++round) {
    a.train(o);
    b.train(o);
    const auto z = a.network().z(1);
    const auto gW = a.network().grad_W(2);
    const std::size_t m = a.network().batch_size();
    a.explain({double(round), 22, 3});
    a.explain({double(round)});
    EXPECT_EQ(a.network().z(1), z);
    EXPECT_EQ(a.network().grad_W(2), gW);
    EXPECT_EQ(a.network().batch_size(), m);
  }
  EXPECT_EQ(a.network().W(1), b.network().W(1));
  EXPECT_TRUE(a.revert_step());  // the last training step can still be taken back

  EXPECT_THAT(error_of([&] { a.explain({23}); }), HasSubstr("indices[0]: must be an integer in [0, 22] (a training example), got 23"));
  EXPECT_THAT(error_of([&] { a.explain({-1}); }), HasSubstr("indices[0]: must be an integer in [0, 22]"));
  EXPECT_THAT(error_of([&] { a.explain({1.5}); }), HasSubstr("got 1.5"));
  EXPECT_THAT(error_of([&] { a.explain({1, 2, 40}); }), HasSubstr("indices[2]: must be an integer in [0, 22] (a training example), got 40"));
  EXPECT_THAT(error_of([&] { a.explain({}); }), HasSubstr("indices: must list 1 to 1000000 examples, got 0"));
  Model<double> empty(cfg, 0, Init::xavier, 1);
  EXPECT_THAT(error_of([&] { empty.explain({0}); }), HasSubstr("no training data"));
}

// ---- step_examples: one SGD step on chosen examples ------------------------------------------------------------

TEST(StepExamples, IsOneSgdStepOnExactlyThoseExamplesAndCanBeTakenBack) {
  const auto cfg = config({3, 4, 2}, Activation::sigmoid, Activation::sigmoid, Cost::quadratic);
  Model<double> model(cfg, 0, Init::nielsen, 3), twin(cfg, 0, Init::nielsen, 3);
  std::vector<double> X, Y;
  const int n = 12;
  make_data(n, 3, 2, Activation::sigmoid, 9, 2, X, Y);
  model.set_data(X, Y);
  twin.set_data(X, Y);
  TrainOptions o;
  o.steps = 2;
  o.batch_size = 5;
  o.learning_rate = 0.5;
  model.train(o);  // the cursor now stands at example 10
  twin.train(o);
  auto& net = model.network();
  const std::vector<Eigen::MatrixXd> W0 = {Eigen::MatrixXd(), net.W(1), net.W(2)};
  const std::vector<Eigen::VectorXd> b0 = {Eigen::VectorXd(), net.b(1), net.b(2)};
  const double eta = 0.7, lambda = 0.3;
  const std::vector<int> idx = {3, 8};
  const Explanation<double> e = model.explain(as_doubles(idx));
  const ExampleStep s = model.step_examples(as_doubles(idx), eta, Regularization::l2, lambda);
  EXPECT_FALSE(s.diverged);
  // W ← W − η ((1/m) Σ_x ∂C_x/∂W + (λ/n) W), b ← b − η (1/m) Σ_x ∂C_x/∂b: n is the training set's size
  for (int l = 1; l <= 2; ++l) {
    const std::size_t lu = std::size_t(l);
    const Eigen::MatrixXd W = W0[lu] - eta * (e.grad_W(lu) + (lambda / n) * W0[lu]);
    const Eigen::VectorXd b = b0[lu] - eta * e.grad_b(lu);
    EXPECT_LE(max_rel(Eigen::MatrixXd(net.W(l)), W), 1e-14);
    EXPECT_LE(max_rel(Eigen::VectorXd(net.b(l)), b), 1e-14);
  }
  // the costs are the batch's mean C_x (no regularisation term) before and after
  const std::vector<double> xb = rows_of(X, 3, idx), yb = rows_of(Y, 2, idx);
  EXPECT_NEAR(s.cost_before, e.cost, 1e-15);
  EXPECT_NEAR(s.cost_after, model.evaluate(xb, yb).cost, 1e-15);
  EXPECT_LT(s.cost_after, s.cost_before);
  // layer(l) shows this step, as after train()
  EXPECT_EQ(net.batch_size(), 2u);
  EXPECT_LE(max_rel(Eigen::MatrixXd(net.delta(2)), Eigen::MatrixXd(e.delta[2])), 1e-15);
  // taken back exactly, once
  EXPECT_TRUE(model.revert_step());
  EXPECT_FALSE(model.revert_step());
  for (int l = 1; l <= 2; ++l) {
    EXPECT_EQ(Eigen::MatrixXd(net.W(l)), W0[std::size_t(l)]);
    EXPECT_EQ(Eigen::VectorXd(net.b(l)), b0[std::size_t(l)]);
  }
  // the position in the epoch did not move: training goes on exactly as the twin's
  model.train(o);
  twin.train(o);
  EXPECT_EQ(net.W(1), twin.network().W(1));
  EXPECT_EQ(net.W(2), twin.network().W(2));
}

// Batch size 1 is the notes' per-example fit_partial: W^l ← W^l − η δ^l (a^(l−1))ᵀ, written out here.
TEST(StepExamples, OneExampleIsFitPartial) {
  Model<double> model(config({2, 2, 1}, Activation::sigmoid, Activation::sigmoid, Cost::quadratic), 0, Init::zeros, 0);
  auto& net = model.network();
  net.W(1) << 0.15, 0.2, 0.25, 0.3;  // Mazur's "step by step" numbers
  net.b(1) << 0.35, 0.35;
  net.W(2) << 0.4, 0.45;
  net.b(2) << 0.6;
  model.set_data({0.05, 0.1}, {0.01});
  const double x[2] = {0.05, 0.1}, y = 0.01, eta = 0.5;
  // by hand, neuron by neuron
  double a1[2], z1[2];
  for (int j = 0; j < 2; ++j) {
    z1[j] = net.W(1)(j, 0) * x[0] + net.W(1)(j, 1) * x[1] + net.b(1)[j];
    a1[j] = 1 / (1 + std::exp(-z1[j]));
  }
  const double z2 = net.W(2)(0, 0) * a1[0] + net.W(2)(0, 1) * a1[1] + net.b(2)[0];
  const double a2 = 1 / (1 + std::exp(-z2));
  const double d2 = (a2 - y) * a2 * (1 - a2);  // BP1
  double d1[2];
  for (int j = 0; j < 2; ++j) d1[j] = net.W(2)(0, j) * d2 * a1[j] * (1 - a1[j]);  // BP2
  Eigen::MatrixXd W1 = net.W(1), W2 = net.W(2);
  for (int j = 0; j < 2; ++j) {
    W2(0, j) -= eta * d2 * a1[j];                                      // BP4 + SGD
    for (int k = 0; k < 2; ++k) W1(j, k) -= eta * d1[j] * x[k];
  }
  const ExampleStep s = model.step_examples({0}, eta, Regularization::none, 0);
  EXPECT_NEAR(s.cost_before, 0.5 * (a2 - y) * (a2 - y), 1e-16);
  EXPECT_LE(max_rel(Eigen::MatrixXd(net.W(1)), W1), 1e-15);
  EXPECT_LE(max_rel(Eigen::MatrixXd(net.W(2)), W2), 1e-15);
  EXPECT_NEAR(net.b(2)[0], 0.6 - eta * d2, 1e-15);
}

TEST(StepExamples, RestartsTrainsCheckpointSoADivergenceNeverGoesBackPastTheStep) {
  // train()'s divergence checkpoint (model.hpp) must restart from the weights a step on chosen examples (or
  // its revert) leaves: a later divergence restores those, not weights from before the step.
  Model<double> model(config({1, 1}, Activation::linear, Activation::linear, Cost::quadratic), 0, Init::zeros, 0);
  model.set_weights(1, {0.5});
  model.set_data({1, 2}, {1, 2});
  TrainOptions o;
  o.learning_rate = 0.01;
  o.batch_size = 1;
  o.epochs = 1;
  ASSERT_FALSE(model.train(o).diverged);
  ASSERT_FALSE(model.step_examples({0}, 0.1, Regularization::none, 0).diverged);
  const double w = model.network().W(1)(0, 0), b = model.network().b(1)[0];
  o.learning_rate = 1e300;  // step 1 sends w to ~1e300: the next batch's cost is ∞
  const TrainResult r = model.train(o);
  EXPECT_TRUE(r.diverged);
  EXPECT_EQ(model.network().W(1)(0, 0), w);
  EXPECT_EQ(model.network().b(1)[0], b);
  EXPECT_FALSE(model.revert_step());  // the restore is not a step to take back
  // the same after a revert: the weights it brings back are the checkpoint
  o.learning_rate = 0.01;
  ASSERT_FALSE(model.train(o).diverged);
  ASSERT_FALSE(model.step_examples({1}, 0.1, Regularization::none, 0).diverged);
  ASSERT_TRUE(model.revert_step());
  const double w2 = model.network().W(1)(0, 0), b2 = model.network().b(1)[0];
  o.learning_rate = 1e300;
  EXPECT_TRUE(model.train(o).diverged);
  EXPECT_EQ(model.network().W(1)(0, 0), w2);
  EXPECT_EQ(model.network().b(1)[0], b2);
}

TEST(StepExamples, ADivergingStepIsRejectedAndBadInputNamed) {
  Model<double> model(config({2, 3, 1}, Activation::relu, Activation::linear, Cost::quadratic), 0, Init::he, 3);
  std::vector<double> X, Y;
  make_data(6, 2, 1, Activation::linear, 1, 2, X, Y);
  model.set_data(X, Y);
  const auto W = model.network().W(1);
  const ExampleStep s = model.step_examples({0, 1}, 1e308, Regularization::none, 0);
  EXPECT_TRUE(s.diverged);
  EXPECT_EQ(s.cost_after, s.cost_before);
  EXPECT_EQ(model.network().W(1), W);
  EXPECT_FALSE(model.revert_step());
  EXPECT_THAT(error_of([&] { model.step_examples({6}, 0.1, Regularization::none, 0); }),
              HasSubstr("indices[0]: must be an integer in [0, 5]"));
  EXPECT_THAT(error_of([&] { model.step_examples({0}, 0, Regularization::none, 0); }),
              HasSubstr("learningRate: must be a finite number > 0, got 0"));
  EXPECT_THAT(error_of([&] { model.step_examples({0}, 0.1, Regularization::l2, -2); }),
              HasSubstr("lambda: must be a finite number ≥ 0, got -2"));
  EXPECT_EQ(model.network().W(1), W);
}

// ---- break an equation -----------------------------------------------------------------------------------------

namespace {
// 2-4-4-4-1: W^2 and W^3 are square (4 × 4), W^4 (1 × 4) and W^1 (4 × 2) are not.
const std::vector<int> kBrokenLayers = {2, 4, 4, 4, 1};
// the layer each broken equation makes wrong first (the highest one whose gradient is wrong)
int first_wrong_layer(Broken b) {
  switch (b) {
    case Broken::bp1_no_sigma_prime: return 4;  // δ^L, then everything below it
    case Broken::bp2_no_sigma_prime: return 3;  // δ^(L−1) and below; δ^L is right
    case Broken::bp2_no_transpose: return 2;    // δ^2 = W^3 δ^3 (square); δ^3 = (W^4)ᵀ δ^4 keeps its transpose
    case Broken::no_batch_mean: return 4;       // every layer, by the factor m
    case Broken::none: return 0;
  }
  return 0;
}
const Broken kBroken[] = {Broken::bp1_no_sigma_prime, Broken::bp2_no_sigma_prime, Broken::bp2_no_transpose,
                          Broken::no_batch_mean};
}  // namespace

TEST(Broken, EachEquationChangesExactlyTheLayersItShould) {
  Model<double> model(config(kBrokenLayers, Activation::sigmoid, Activation::sigmoid, Cost::quadratic), 0, Init::nielsen, 12);
  std::vector<double> X, Y;
  const int n = 10;
  make_data(n, 2, 1, Activation::sigmoid, 4, 2, X, Y);
  model.set_data(X, Y);
  std::vector<double> all;
  for (int i = 0; i < n; ++i) all.push_back(i);
  const Explanation<double> right = model.explain(all);
  for (Broken b : kBroken) {
    const std::string name = to_string(b);
    model.set_broken(b);
    EXPECT_EQ(model.broken(), b);
    const Explanation<double> e = model.explain(all);
    EXPECT_EQ(e.broken, b);
    for (int l = 1; l <= 4; ++l) {
      const std::size_t lu = std::size_t(l);
      const double diff = max_rel(Eigen::MatrixXd(e.grad_W(lu)), Eigen::MatrixXd(right.grad_W(lu)));
      if (b == Broken::no_batch_mean) {  // the sum: exactly m = n times the mean
        EXPECT_LE(max_rel(Eigen::MatrixXd(e.grad_W(lu)), Eigen::MatrixXd(n * right.grad_W(lu))), 1e-14) << name;
        EXPECT_LE(max_rel(Eigen::VectorXd(e.grad_b(lu)), Eigen::VectorXd(n * right.grad_b(lu))), 1e-14) << name;
      } else if (l > first_wrong_layer(b)) {
        EXPECT_EQ(diff, 0.0) << name << " layer " << l;  // above the broken equation: untouched
      } else {
        EXPECT_GT(diff, 1e-2) << name << " layer " << l;
      }
    }
    // what the broken equation computes, written out for the layer it breaks
    if (b == Broken::bp1_no_sigma_prime) {  // δ^L = ∇_a C = a^L − y: σ'(z^L) forgotten
      EXPECT_EQ(Eigen::MatrixXd(e.delta[4]), Eigen::MatrixXd(e.pass.a[4] - e.y));
    } else if (b == Broken::bp2_no_sigma_prime) {  // δ^3 = (W^4)ᵀ δ^4
      EXPECT_LE(max_rel(Eigen::MatrixXd(e.delta[3]), Eigen::MatrixXd(model.network().W(4).transpose() * e.delta[4])), 1e-15);
    } else if (b == Broken::bp2_no_transpose) {  // δ^2 = (W^3 δ^3) ⊙ σ'(z^2)
      const Eigen::MatrixXd s2 = e.pass.a[2].array() * (1 - e.pass.a[2].array());
      const Eigen::MatrixXd d2 = (model.network().W(3) * e.delta[3]).cwiseProduct(s2);
      EXPECT_LE(max_rel(Eigen::MatrixXd(e.delta[2]), d2), 1e-14);
    }

    // training (backward_broken) and inspect (accumulate_broken) compute the same broken gradient
    const auto& ins = model.inspect(Regularization::none, 0);
    for (int l = 1; l <= 4; ++l)
      EXPECT_LE(max_rel(Eigen::MatrixXd(ins.layers[std::size_t(l - 1)].grad_W), Eigen::MatrixXd(e.grad_W(std::size_t(l)))), 1e-13)
          << name << " inspect layer " << l;
    const Eigen::MatrixXd W1 = model.network().W(1);
    const ExampleStep s = model.step_examples(all, 0.1, Regularization::none, 0);
    ASSERT_FALSE(s.diverged);
    EXPECT_LE(max_rel(Eigen::MatrixXd(model.network().W(1)), Eigen::MatrixXd(W1 - 0.1 * e.grad_W(1))), 1e-14) << name;
    EXPECT_LE(max_rel(Eigen::MatrixXd(model.network().grad_W(1)), Eigen::MatrixXd(e.grad_W(1))), 1e-13) << name;
    ASSERT_TRUE(model.revert_step());
    TrainOptions o;
    o.batch_size = n;  // one batch of all n: the same gradient as the explanation of all examples
    o.learning_rate = 0.1;
    model.train(o);
    EXPECT_LE(max_rel(Eigen::MatrixXd(model.network().W(1)), Eigen::MatrixXd(W1 - 0.1 * e.grad_W(1))), 1e-14) << name;
    ASSERT_TRUE(model.revert_step());
  }
  // switched off: the correct numbers again, bit for bit
  model.set_broken(Broken::none);
  const Explanation<double>& again = model.explain(all);
  for (int l = 1; l <= 4; ++l) EXPECT_EQ(again.grad_W(std::size_t(l)), right.grad_W(std::size_t(l)));
}

TEST(Broken, GradientCheckFlagsTheLayerWhereTheBackwardPassGoesWrong) {
  Model<float> model(config(kBrokenLayers, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::nielsen, 2);
  std::vector<double> X, Y;
  make_data(20, 2, 1, Activation::sigmoid, 3, 2, X, Y);
  model.set_data(X, Y);
  const auto healthy = model.gradient_check(X, Y, Regularization::l2, 0.1);
  ASSERT_EQ(healthy.layers.size(), 4u);
  for (const auto& layer : healthy.layers) EXPECT_LE(layer.max_relative_error, 1e-6);
  for (Broken b : kBroken) {
    model.set_broken(b);
    const auto r = model.gradient_check(X, Y, Regularization::l2, 0.1);
    int flagged = 0;  // the highest layer whose error is large
    for (int l = 4; l >= 1 && !flagged; --l)
      if (r.layers[std::size_t(l - 1)].max_relative_error > 1e-3) flagged = l;
    EXPECT_EQ(flagged, first_wrong_layer(b)) << to_string(b);
    for (int l = flagged + 1; l <= 4; ++l) EXPECT_LE(r.layers[std::size_t(l - 1)].max_relative_error, 1e-6) << to_string(b);
    // the top-level worst is the worst of the layers, and names its parameter
    ASSERT_TRUE(r.has_worst);
    EXPECT_EQ(r.worst.relative_error, r.max_relative_error);
    EXPECT_EQ(r.layers[std::size_t(r.worst.layer - 1)].worst.relative_error, r.worst.relative_error);
    EXPECT_LE(r.worst.layer, flagged);
  }
  // the check's copy takes the switch along; the model itself is back to correct when it is switched off
  model.set_broken(Broken::none);
  EXPECT_LE(model.gradient_check(X, Y, Regularization::none, 0).max_relative_error, 1e-6);
}

TEST(Broken, TransposeNeedsASquareWeightMatrixAndNamesAreChecked) {
  Model<double> narrow(config({2, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 1);
  EXPECT_THAT(error_of([&] { narrow.set_broken(Broken::bp2_no_transpose); }),
              HasSubstr("broken: 'bp2_no_transpose' needs a square weight matrix W^l (n_l = n_(l−1)) for some layer l in [2, 2]"));
  EXPECT_THAT(error_of([&] { narrow.set_broken(Broken::bp2_no_transpose); }), HasSubstr("this network has none"));
  EXPECT_EQ(narrow.broken(), Broken::none);
  // W^1 square does not count: BP2 never uses W^1
  Model<double> first(config({3, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 1);
  EXPECT_THAT(error_of([&] { first.set_broken(Broken::bp2_no_transpose); }), HasSubstr("this network has none"));
  Model<double> ok(config({2, 3, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 1);
  EXPECT_EQ(error_of([&] { ok.set_broken(Broken::bp2_no_transpose); }), "(no error)");
  EXPECT_THAT(error_of([&] { ok.set_broken(Broken(7)); }), HasSubstr("broken: unknown equation number 7"));
  EXPECT_THAT(error_of([] { parse_broken("bp5"); }),
              HasSubstr("broken: unknown equation 'bp5' (expected bp1_no_sigma_prime, bp2_no_sigma_prime, bp2_no_transpose or no_batch_mean)"));
  for (Broken b : kBroken) EXPECT_EQ(parse_broken(to_string(b)), b);
}

// ---- the gradient check, per layer and per parameter ---------------------------------------------------------

TEST(GradientCheck, PerLayerHealthyForEveryActivationAndCostAndOneParameterAtATime) {
  for (const Combo& c : all_combos()) {
    const std::string name = name_of(c);
    const int nL = c.out == Activation::softmax ? 3 : 2;
    Model<double> model(config({2, 5, 4, nL}, c.hidden, c.out, c.cost), 0, Init::xavier, 31);
    std::vector<double> X, Y;
    make_data(16, 2, nL, c.out, 7, 2, X, Y);
    model.set_data(X, Y);
    const auto r = model.gradient_check(X, Y, Regularization::l2, 0.2);
    ASSERT_EQ(r.layers.size(), 3u) << name;
    std::size_t checked = 0, skipped = 0;
    double worst = 0;
    for (std::size_t l = 0; l < 3; ++l) {
      const auto& layer = r.layers[l];
      EXPECT_LE(layer.max_relative_error, 1e-6) << name << " layer " << l + 1;
      checked += layer.checked;
      skipped += layer.skipped;
      worst = std::max(worst, layer.max_relative_error);
      ASSERT_TRUE(layer.has_worst) << name;
      EXPECT_EQ(layer.worst.layer, int(l + 1));
      EXPECT_EQ(layer.worst.relative_error, layer.max_relative_error);
    }
    EXPECT_EQ(checked, r.checked);
    EXPECT_EQ(skipped, r.skipped);
    EXPECT_EQ(checked + skipped, r.parameters);
    EXPECT_GT(checked, r.parameters / 2) << name;
    EXPECT_EQ(worst, r.max_relative_error);
    // one parameter at a time: the worst of layer 2 again, and a bias; backprop is ∂C/∂θ of the full C
    const auto& w = r.layers[1].worst;
    const ParameterCheck p = model.gradient_check_parameter(2, w.j, w.k, Regularization::l2, 0.2);
    EXPECT_EQ(p.backprop, w.backprop) << name;
    EXPECT_EQ(p.finite_difference, w.finite_difference) << name;
    EXPECT_EQ(p.relative_error, w.relative_error) << name;
    const auto& ins = model.inspect(Regularization::l2, 0.2);
    const ParameterCheck bias = model.gradient_check_parameter(3, 1, -1, Regularization::l2, 0.2);
    EXPECT_NEAR(bias.backprop, ins.layers[2].grad_b(1), 1e-15) << name;
    EXPECT_TRUE(bias.skipped || bias.relative_error <= 1e-6) << name << ": " << bias.relative_error;
    const ParameterCheck weight = model.gradient_check_parameter(1, 4, 1, Regularization::l2, 0.2);
    EXPECT_NEAR(weight.backprop, ins.layers[0].grad_W(4, 1), 1e-15) << name;
  }
}

TEST(GradientCheck, OneParameterBadInput) {
  Model<double> model(config({2, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 1);
  EXPECT_THAT(error_of([&] { model.gradient_check_parameter(1, 0, 0, Regularization::none, 0); }), HasSubstr("no training data"));
  model.set_data({0, 1, 1, 0}, {1, 0});
  EXPECT_THAT(error_of([&] { model.gradient_check_parameter(0, 0, 0, Regularization::none, 0); }), HasSubstr("layer: must be an integer in [1, 2], got 0"));
  EXPECT_THAT(error_of([&] { model.gradient_check_parameter(2, 1, 0, Regularization::none, 0); }), HasSubstr("j: must be an integer in [0, 0]"));
  EXPECT_THAT(error_of([&] { model.gradient_check_parameter(1, 0, 2, Regularization::none, 0); }), HasSubstr("k: must be an integer in [-1, 1]"));
  EXPECT_THAT(error_of([&] { model.gradient_check_parameter(1, 0, -2, Regularization::none, 0); }), HasSubstr("got -2"));
}

// ---- a layer's activations and principal directions ---------------------------------------------------------

TEST(Activations, LayerZeroIsTheFeaturesTheLastIsPredictAndHiddenOnesByHand) {
  Model<double> model(config({3, 4, 2}, Activation::tanh, Activation::sigmoid, Cost::quadratic), kX1 | kX2 | kX1X2,
                      Init::nielsen, 5);
  const std::vector<double> points = {0.5, -1, 2, 0.25, -3, 1.5};
  const auto a0 = model.activations(points, 0);
  ASSERT_EQ(a0.size(), 9u);
  for (int i = 0; i < 3; ++i) {
    const double x1 = points[std::size_t(2 * i)], x2 = points[std::size_t(2 * i + 1)];
    EXPECT_EQ(a0[std::size_t(3 * i)], x1);
    EXPECT_EQ(a0[std::size_t(3 * i + 1)], x2);
    EXPECT_EQ(a0[std::size_t(3 * i + 2)], x1 * x2);
  }
  const auto a1 = model.activations(points, 1);
  const auto& net = model.network();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) {
      double z = net.b(1)[j];
      for (int k = 0; k < 3; ++k) z += net.W(1)(j, k) * a0[std::size_t(3 * i + k)];
      EXPECT_NEAR(a1[std::size_t(4 * i + j)], std::tanh(z), 1e-15);
    }
  EXPECT_EQ(model.activations(points, 2), model.predict(points));
  EXPECT_THAT(error_of([&] { model.activations(points, 3); }), HasSubstr("layer: must be an integer in [0, 2] (0 = the inputs), got 3"));
  EXPECT_THAT(error_of([&] { model.activations(points, -1); }), HasSubstr("got -1"));
  EXPECT_THAT(error_of([&] { model.activations({1, 2, 3}, 1); }), HasSubstr("inputs: length must be a positive multiple of 2"));
}

namespace {
// an Eigen matrix as principal.hpp's column-major std::vector
std::vector<double> as_vector(const Eigen::MatrixXd& m) { return {m.data(), m.data() + m.size()}; }
}  // namespace

TEST(PrincipalDirections, TheTopTwoEigenpairsOfAKnownSpectrum) {
  for (int n : {1, 2, 3, 6, 40, 256}) {
    // C = Q diag(λ) Qᵀ with a random orthogonal Q and a known, decreasing λ
    Rng rng{std::uint64_t(n)};
    Eigen::MatrixXd R(n, n);
    for (Eigen::Index i = 0; i < R.size(); ++i) R.data()[i] = rng.normal();
    const Eigen::MatrixXd Q = Eigen::HouseholderQR<Eigen::MatrixXd>(R).householderQ();
    Eigen::VectorXd lambda(n);
    for (int i = 0; i < n; ++i) lambda[i] = 10.0 / (1 + i) + (i == 0 ? 3 : 0);
    const Eigen::MatrixXd C = Q * lambda.asDiagonal() * Q.transpose();
    double values[2];
    std::vector<double> vectors[2];
    top_two_eigenpairs(as_vector(C), n, values, vectors);
    ASSERT_EQ(vectors[0].size(), std::size_t(n));
    ASSERT_EQ(vectors[1].size(), std::size_t(n));
    const Eigen::Map<const Eigen::VectorXd> v0(vectors[0].data(), n), v1(vectors[1].data(), n);
    EXPECT_NEAR(values[0], lambda[0], 1e-12 * lambda[0]) << n;
    EXPECT_NEAR(std::abs(v0.dot(Q.col(0))), 1, 1e-12) << n;
    if (n == 1) {
      EXPECT_EQ(values[1], 0);
      EXPECT_EQ(v1.norm(), 0);
      EXPECT_EQ(v0[0], 1);
      continue;
    }
    EXPECT_NEAR(values[1], lambda[1], 1e-12 * lambda[0]) << n;
    EXPECT_NEAR(std::abs(v1.dot(Q.col(1))), 1, 1e-12) << n;
    EXPECT_NEAR(v0.dot(v1), 0, 1e-14) << n;
    for (const auto* v : {&v0, &v1}) {  // unit vectors, and the sign convention: the largest component is positive
      EXPECT_NEAR(v->norm(), 1, 1e-14) << n;
      Eigen::Index at;
      v->cwiseAbs().maxCoeff(&at);
      EXPECT_GT((*v)[at], 0) << n;
    }
  }
  // degenerate cases: all zero (a layer that never changes), and a rank-one covariance
  for (int n : {2, 5}) {
    double values[2];
    std::vector<double> vectors[2];
    top_two_eigenpairs(std::vector<double>(std::size_t(n * n), 0.0), n, values, vectors);
    EXPECT_EQ(values[0], 0);
    EXPECT_EQ(values[1], 0);
    const Eigen::Map<const Eigen::VectorXd> v0(vectors[0].data(), n), v1(vectors[1].data(), n);
    EXPECT_NEAR(v0.norm(), 1, 1e-14);
    EXPECT_NEAR(v0.dot(v1), 0, 1e-14);
    Eigen::VectorXd u = Eigen::VectorXd::LinSpaced(n, 1, double(n));
    top_two_eigenpairs(as_vector(u * u.transpose()), n, values, vectors);
    EXPECT_NEAR(values[0], u.squaredNorm(), 1e-12 * u.squaredNorm());
    EXPECT_NEAR(values[1], 0, 1e-12);
    EXPECT_NEAR(std::abs(v0.dot(u.normalized())), 1, 1e-12);
    EXPECT_NEAR(v1.norm(), 1, 1e-14);
  }
}

TEST(PrincipalDirections, OfALayerOverTheTrainingData) {
  Model<float> model(config({2, 5, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::nielsen, 6);
  std::vector<double> X, Y;
  const int n = 300;
  make_data(n, 2, 1, Activation::sigmoid, 12, 3, X, Y);
  model.set_data(X, Y);
  for (int l = 0; l <= 3; ++l) {
    const int nl = model.network().size(l);
    const PrincipalDirections p = model.principal_directions(l);
    // mean and covariance summed by hand from the layer's activations (as float: what the model holds)
    const auto a = model.activations(X, l);
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(nl);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < nl; ++j) mean[j] += a[std::size_t(i * nl + j)] / n;
    Eigen::MatrixXd C = Eigen::MatrixXd::Zero(nl, nl);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < nl; ++j)
        for (int k = 0; k < nl; ++k) C(j, k) += (a[std::size_t(i * nl + j)] - mean[j]) * (a[std::size_t(i * nl + k)] - mean[k]) / n;
    ASSERT_EQ(p.mean.size(), std::size_t(nl));
    for (int j = 0; j < nl; ++j) EXPECT_NEAR(p.mean[std::size_t(j)], mean[j], 1e-12) << l;
    EXPECT_NEAR(p.total_variance, C.trace(), 1e-12) << l;
    // the oracle: Eigen's own solver (native only; the engine does not use it)
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C);
    const Eigen::VectorXd w = eig.eigenvalues().reverse();  // descending
    EXPECT_NEAR(p.variances[0], w[0], 1e-12) << l;
    const Eigen::Map<const Eigen::VectorXd> d1(p.directions[0].data(), nl), d2(p.directions[1].data(), nl);
    EXPECT_NEAR(d1.norm(), 1, 1e-14);
    EXPECT_NEAR((C * d1 - w[0] * d1).norm(), 0, 1e-11) << l;  // an eigenvector of the largest eigenvalue
    if (nl == 1) {
      EXPECT_EQ(p.variances[1], 0);
      EXPECT_EQ(d2.norm(), 0);
      EXPECT_EQ(d1[0], 1);
    } else {
      EXPECT_NEAR(p.variances[1], w[1], 1e-12) << l;
      EXPECT_NEAR(d2.norm(), 1, 1e-14);
      EXPECT_NEAR((C * d2 - w[1] * d2).norm(), 0, 1e-11) << l;
      EXPECT_NEAR(d1.dot(d2), 0, 1e-14);
    }
  }
  EXPECT_THAT(error_of([&] { model.principal_directions(4); }), HasSubstr("layer: must be an integer in [0, 3]"));
  Model<double> wide(config({2, kMaxPrincipalWidth + 1, 1}, Activation::relu, Activation::linear, Cost::quadratic), 0, Init::he, 1);
  wide.set_data({0, 1}, {1});
  EXPECT_THAT(error_of([&] { wide.principal_directions(1); }),
              HasSubstr("layer: principal directions are computed for layers of at most 512 neurons; layer 1 has 513"));
  Model<double> empty(config({2, 3, 1}, Activation::relu, Activation::linear, Cost::quadratic), 0, Init::he, 1);
  EXPECT_THAT(error_of([&] { empty.principal_directions(1); }), HasSubstr("no training data"));
}
