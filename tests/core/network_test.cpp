// The engine against oracles: finite differences for every activation × cost, per-neuron scalar code
// written out the way the seed notes compute by hand, and the conventions of network.hpp.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cmath>
#include <algorithm>
#include <functional>
#include <tuple>
#include <string>
#include <vector>

#include "core/dataset.hpp"
#include "core/detmath.hpp"
#include "core/model.hpp"
#include "core/rng.hpp"
#include "tests/core/test_config.hpp"

using namespace bp;
using testing::HasSubstr;

namespace {

using bp::testing_util::config;
using bp::testing_util::error_of;

// Random inputs, and targets that suit the output: one-hot for softmax, in (0,1) for sigmoid,
// in (−1,1) for tanh, anything for relu/linear.
void make_data(int n, int n0, int nL, Activation out, std::uint64_t seed, std::vector<double>& X,
                 std::vector<double>& Y) {
  Rng rng(seed);
  X.resize(std::size_t(n * n0));
  Y.resize(std::size_t(n * nL));
  for (double& x : X) x = rng.uniform(-2, 2);
  for (int i = 0; i < n; ++i) {
    if (out == Activation::softmax) {
      const int c = int(rng.below(std::uint32_t(nL)));
      for (int j = 0; j < nL; ++j) Y[std::size_t(i * nL + j)] = j == c;
    } else {
      for (int j = 0; j < nL; ++j)
        Y[std::size_t(i * nL + j)] = out == Activation::sigmoid ? rng.uniform(0.05, 0.95)
                                     : out == Activation::tanh  ? rng.uniform(-0.9, 0.9)
                                                                : rng.uniform(-1, 1.5);
    }
  }
}

// A Batch (n × m, one column per example) from values listed example by example.
Batch<double> batch(int n, std::vector<double> values) {
  return Eigen::Map<Batch<double>>(values.data(), n, Eigen::Index(values.size()) / n);
}

std::string combo_name(Activation h, Activation o, Cost c, Regularization r) {
  return std::string(to_string(h)) + "/" + to_string(o) + "/" + to_string(c) + "/" + to_string(r);
}

}  // namespace

// ---- finite differences, every valid combination ------------------------------------------------------

TEST(GradientCheck, EveryActivationCostAndRegularizationCombination) {
  const Activation hidden[] = {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::linear};
  const Activation outs[] = {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::linear,
                             Activation::softmax};
  int combos = 0;
  for (Activation h : hidden)
    for (Activation o : outs)
      for (Cost c : {Cost::quadratic, Cost::cross_entropy})
        for (Regularization r : {Regularization::none, Regularization::l2, Regularization::l1}) {
          if (c == Cost::cross_entropy && o != Activation::sigmoid && o != Activation::softmax) continue;
          const int nL = o == Activation::softmax ? 3 : 2;
          Model<double> model(config({3, 5, 4, nL}, h, o, c), 0, Init::nielsen, 11);
          std::vector<double> X, Y;
          make_data(7, 3, nL, o, 5, X, Y);
          const auto res = model.gradient_check(X, Y, r, 0.3);
          EXPECT_EQ(res.checked, res.parameters);
          EXPECT_LE(res.max_relative_error, 1e-6) << combo_name(h, o, c, r);
          ++combos;
        }
  EXPECT_EQ(combos, 4 * (5 * 3 + 2 * 3));  // all 84 valid combinations ran
}

TEST(GradientCheck, CatchesAWrongGradient) {
  // The check must be able to fail: compare backprop against the cost of a *different* network.
  Model<double> model(config({2, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::nielsen, 3);
  std::vector<double> X, Y;
  make_data(5, 2, 1, Activation::sigmoid, 9, X, Y);
  // With a step h = 1 the central difference is off by O(h²·C''') and the check must report it.
  const auto good = model.gradient_check(X, Y, Regularization::none, 0, 4096, 1e-3);
  const auto coarse = model.gradient_check(X, Y, Regularization::none, 0, 4096, 1.0);
  EXPECT_LE(good.max_relative_error, 1e-6);
  EXPECT_GT(coarse.max_relative_error, 1e-3);
}

TEST(GradientCheck, SamplesLargeNetworksWithASeed) {
  Model<double> model(config({2, 64, 64, 1}, Activation::tanh, Activation::sigmoid, Cost::cross_entropy), 0,
                      Init::xavier, 4);
  std::vector<double> X, Y;
  make_data(6, 2, 1, Activation::sigmoid, 2, X, Y);
  const auto a = model.gradient_check(X, Y, Regularization::l2, 0.1, 300);
  const auto b = model.gradient_check(X, Y, Regularization::l2, 0.1, 300);
  EXPECT_EQ(a.checked, 300u);
  EXPECT_EQ(a.parameters, std::size_t(64 * 3 + 64 * 65 + 65));
  EXPECT_EQ(a.max_relative_error, b.max_relative_error);
  EXPECT_LE(a.max_relative_error, 1e-6);
}

TEST(GradientCheck, PassFromThePerturbedLayerEqualsAFreshCheck) {
  // The checker's forward pass starts at the perturbed parameter's layer (the layers below are unchanged).
  // Against a fresh checker per parameter, whose only earlier pass is at the unperturbed weights, every
  // number must be the same bit for bit, in an order that goes down and up the layers (a parameter checked
  // before leaves its layer and those above at its last perturbed value until they are recomputed). With a
  // ReLU net the kink detection reads every layer's z too.
  for (Activation h : {Activation::tanh, Activation::relu}) {
    const auto cfg = config({3, 5, 4, 4, 2}, h, Activation::sigmoid, Cost::cross_entropy);
    Network<double> net(cfg);
    net.initialize(Init::xavier, 21);
    std::vector<double> X, Y;
    make_data(9, 3, 2, Activation::sigmoid, 6, X, Y);
    const Batch<double> Xb = batch(3, X), Yb = batch(2, Y);
    GradientChecker one(net, Xb, Yb, Regularization::l2, 0.2);
    const int order[][3] = {{4, 1, 2}, {1, 0, 0}, {3, 2, -1}, {4, 0, -1}, {2, 3, 1}, {1, 4, 2}, {3, 0, 3}, {2, 1, -1}, {4, 1, 0}};
    for (const auto& p : order) {
      const ParameterCheck a = one.check(p[0], p[1], p[2]);
      GradientChecker fresh(net, Xb, Yb, Regularization::l2, 0.2);
      const ParameterCheck b = fresh.check(p[0], p[1], p[2]);
      EXPECT_EQ(a.finite_difference, b.finite_difference) << to_string(h) << " l=" << p[0] << " j=" << p[1] << " k=" << p[2];
      EXPECT_EQ(a.backprop, b.backprop);
      EXPECT_EQ(a.skipped, b.skipped);
      // a ReLU stencil that crosses a kink is skipped (and not compared with backprop); tanh has none
      if (a.skipped) EXPECT_EQ(h, Activation::relu);
      else EXPECT_LE(a.relative_error, 1e-6) << to_string(h) << " l=" << p[0] << " j=" << p[1] << " k=" << p[2];
    }
  }
}

TEST(GradientCheck, ReportsProgressOncePerParameter) {
  Model<double> model(config({2, 8, 8, 1}, Activation::tanh, Activation::sigmoid, Cost::cross_entropy), 0, Init::xavier, 4);
  std::vector<double> X, Y;
  make_data(6, 2, 1, Activation::sigmoid, 2, X, Y);
  std::vector<std::size_t> done;
  std::size_t total = 0;
  const auto r = model.gradient_check(X, Y, Regularization::none, 0, 50, 1e-3, [&](std::size_t d, std::size_t t) {
    done.push_back(d);
    total = t;
  });
  ASSERT_EQ(done.size(), 50u);  // a sample of 50 of the 105 parameters, each reported once, in order
  for (std::size_t i = 0; i < done.size(); ++i) EXPECT_EQ(done[i], i + 1);
  EXPECT_EQ(total, 50u);
  EXPECT_EQ(r.checked + r.skipped, 50u);
  // the same numbers as a check without the callback
  EXPECT_EQ(r.max_relative_error, model.gradient_check(X, Y, Regularization::none, 0, 50).max_relative_error);
}

TEST(GradientCheck, Float32NetworkIsCheckedInFloat64) {
  Model<float> model(config({2, 6, 3}, Activation::relu, Activation::softmax, Cost::cross_entropy), 0, Init::he, 8);
  std::vector<double> X, Y;
  make_data(9, 2, 3, Activation::softmax, 1, X, Y);
  EXPECT_LE(model.gradient_check(X, Y, Regularization::l2, 0.5).max_relative_error, 1e-6);
}

// ---- the seed notes' networks, by hand ---------------------------------------------------------------

namespace {
double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }
}  // namespace

TEST(HandComputed, TwoTwoOneSigmoidQuadratic) {
  // x = (0.05, 0.10), y = 0.01. W^1 = [[0.15, 0.20], [0.25, 0.30]], b^1 = (0.35, 0.35),
  // W^2 = [[0.40, 0.45]], b^2 = 0.60.
  Model<double> model(config({2, 2, 1}, Activation::sigmoid, Activation::sigmoid, Cost::quadratic), 0, Init::zeros, 0);
  auto& net = model.network();
  net.W(1) << 0.15, 0.20, 0.25, 0.30;
  net.b(1) << 0.35, 0.35;
  net.W(2) << 0.40, 0.45;
  net.b(2) << 0.60;
  // by hand, neuron by neuron
  const double z11 = 0.15 * 0.05 + 0.20 * 0.10 + 0.35;  // 0.3775
  const double z12 = 0.25 * 0.05 + 0.30 * 0.10 + 0.35;  // 0.3925
  const double a11 = sigmoid(z11), a12 = sigmoid(z12);
  const double z2 = 0.40 * a11 + 0.45 * a12 + 0.60;
  const double a2 = sigmoid(z2);
  const double C = 0.5 * (0.01 - a2) * (0.01 - a2);
  const double d2 = (a2 - 0.01) * a2 * (1 - a2);           // BP1
  const double d11 = 0.40 * d2 * a11 * (1 - a11);          // BP2
  const double d12 = 0.45 * d2 * a12 * (1 - a12);
  EXPECT_NEAR(z11, 0.3775, 1e-15);
  EXPECT_NEAR(a11, 0.593269992107187, 1e-14);  // σ(0.3775), a value known from hand-worked examples

  const auto y = batch(1, {0.01});
  net.input(1) = batch(2, {0.05, 0.10});
  net.forward();
  EXPECT_DOUBLE_EQ(net.cost_sum(y), C);
  net.backward(y, Regularization::none, 0, 1);
  EXPECT_DOUBLE_EQ(net.z(1)(0, 0), z11);
  EXPECT_DOUBLE_EQ(net.z(1)(1, 0), z12);
  EXPECT_DOUBLE_EQ(net.a(2)(0, 0), a2);
  EXPECT_DOUBLE_EQ(net.delta(2)(0, 0), d2);
  EXPECT_DOUBLE_EQ(net.delta(1)(0, 0), d11);
  EXPECT_DOUBLE_EQ(net.delta(1)(1, 0), d12);
  // BP3, BP4
  EXPECT_DOUBLE_EQ(net.grad_b(2)[0], d2);
  EXPECT_DOUBLE_EQ(net.grad_W(2)(0, 0), a11 * d2);
  EXPECT_DOUBLE_EQ(net.grad_W(2)(0, 1), a12 * d2);
  EXPECT_DOUBLE_EQ(net.grad_W(1)(1, 0), 0.05 * d12);
  EXPECT_DOUBLE_EQ(net.grad_W(1)(0, 1), 0.10 * d11);
  // one SGD step with η = 0.5
  ASSERT_TRUE(net.apply_gradients(0.5));
  EXPECT_DOUBLE_EQ(net.W(2)(0, 0), 0.40 - 0.5 * a11 * d2);
  EXPECT_DOUBLE_EQ(net.W(1)(1, 1), 0.30 - 0.5 * 0.10 * d12);
  EXPECT_DOUBLE_EQ(net.b(1)[0], 0.35 - 0.5 * d11);
}

// The seed notes' worked fit_partial loop on a 3-3-2-1 sigmoid network: per example,
//   error = a^3 − y;  δ^3 = error ⊙ σ'(z^3);  δ^2 = ((W^3)ᵀ δ^3) ⊙ σ'(z^2);  δ^1 = ((W^2)ᵀ δ^2) ⊙ σ'(z^1)
//   W^l ← W^l − α δ^l (a^(l−1))ᵀ,   b^l ← b^l − α δ^l
// written here with plain scalar loops, neuron by neuron, as the notes do.
namespace {
struct ScalarNet {
  std::vector<std::vector<std::vector<double>>> W;  // W[l][j][k]
  std::vector<std::vector<double>> b;
  void fit_partial(const std::vector<double>& x, double y, double alpha) {
    std::vector<std::vector<double>> a = {x};
    for (std::size_t l = 0; l < W.size(); ++l) {
      std::vector<double> next;
      for (std::size_t j = 0; j < W[l].size(); ++j) {
        double z = b[l][j];
        for (std::size_t k = 0; k < a[l].size(); ++k) z += W[l][j][k] * a[l][k];
        next.push_back(sigmoid(z));
      }
      a.push_back(next);
    }
    const std::size_t L = W.size();
    std::vector<std::vector<double>> delta(L + 1);
    const double error = a[L][0] - y;
    delta[L] = {error * a[L][0] * (1 - a[L][0])};
    for (std::size_t l = L - 1; l >= 1; --l) {
      for (std::size_t k = 0; k < a[l].size(); ++k) {
        double s = 0;
        for (std::size_t j = 0; j < delta[l + 1].size(); ++j) s += W[l][j][k] * delta[l + 1][j];
        delta[l].push_back(s * a[l][k] * (1 - a[l][k]));
      }
    }
    for (std::size_t l = 0; l < L; ++l)
      for (std::size_t j = 0; j < W[l].size(); ++j) {
        for (std::size_t k = 0; k < a[l].size(); ++k) W[l][j][k] -= alpha * delta[l + 1][j] * a[l][k];
        b[l][j] -= alpha * delta[l + 1][j];
      }
  }
};
}  // namespace

TEST(HandComputed, SeedNotesFitPartial3321) {
  Model<double> model(config({3, 3, 2, 1}, Activation::sigmoid, Activation::sigmoid, Cost::quadratic), 0,
                      Init::nielsen, 2024);
  ScalarNet oracle;
  auto& net = model.network();
  for (int l = 1; l <= 3; ++l) {
    oracle.W.emplace_back();
    oracle.b.emplace_back();
    for (int j = 0; j < net.size(l); ++j) {
      oracle.W.back().emplace_back();
      for (int k = 0; k < net.size(l - 1); ++k) oracle.W.back().back().push_back(net.W(l)(j, k));
      oracle.b.back().push_back(net.b(l)[j]);
    }
  }
  // XOR-like data with a third input, as in the notes' 3-input example
  const std::vector<double> X = {0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1};
  const std::vector<double> Y = {0, 1, 1, 0};
  model.set_data(X, Y);
  TrainOptions o;
  o.learning_rate = 0.5;
  o.batch_size = 1;
  o.epochs = 25;
  ASSERT_FALSE(model.train(o).diverged);
  for (int e = 0; e < 25; ++e)
    for (int i = 0; i < 4; ++i) oracle.fit_partial({X[std::size_t(3 * i)], X[std::size_t(3 * i + 1)], X[std::size_t(3 * i + 2)]}, Y[std::size_t(i)], 0.5);
  for (int l = 1; l <= 3; ++l)
    for (int j = 0; j < net.size(l); ++j) {
      EXPECT_NEAR(net.b(l)[j], oracle.b[std::size_t(l - 1)][std::size_t(j)], 1e-13);
      for (int k = 0; k < net.size(l - 1); ++k)
        EXPECT_NEAR(net.W(l)(j, k), oracle.W[std::size_t(l - 1)][std::size_t(j)][std::size_t(k)], 1e-13);
    }
}

TEST(HandComputed, SeedNotes3321OneExampleLiterals) {
  // The notes' 3-3-2-1 sigmoid network, quadratic cost, one example; the literals were computed by hand
  // (in plain Python, neuron by neuron) from these weights: x = (1, 0.5, −1), y = 1.
  Model<double> model(config({3, 3, 2, 1}, Activation::sigmoid, Activation::sigmoid, Cost::quadratic), 0, Init::zeros, 0);
  model.set_weights(1, {0.1, 0.2, 0.3, -0.1, 0.4, 0.2, 0.5, -0.3, 0.1});
  model.set_biases(1, {0.1, 0.0, -0.1});
  model.set_weights(2, {0.3, -0.2, 0.4, 0.1, 0.5, -0.6});
  model.set_biases(2, {0.05, -0.05});
  model.set_weights(3, {0.7, -0.4});
  model.set_biases(3, {0.2});
  auto& net = model.network();
  net.input(1) = batch(3, {1.0, 0.5, -1.0});
  net.forward();
  const auto y = batch(1, {1.0});
  net.backward(y, Regularization::none, 0, 1);
  EXPECT_NEAR(net.z(1)(0, 0), 0.0, 1e-16);  // 0.1 + 0.1 − 0.3 + 0.1
  EXPECT_NEAR(net.z(1)(1, 0), -0.1, 1e-16);
  EXPECT_NEAR(net.z(1)(2, 0), 0.15, 1e-16);
  EXPECT_NEAR(net.a(3)(0, 0), 0.6020492801936252, 1e-15);
  EXPECT_NEAR(net.delta(3)(0, 0), -0.09534339903423075, 1e-15);   // BP1: (a − y) σ'(z)
  EXPECT_NEAR(net.delta(2)(0, 0), -0.016265225023335553, 1e-15);  // BP2
  EXPECT_NEAR(net.delta(2)(1, 0), 0.009517160433640736, 1e-15);
  EXPECT_NEAR(net.delta(1)(0, 0), -0.000981962865909148, 1e-15);
  EXPECT_NEAR(net.delta(1)(1, 0), 0.0019979073732440487, 1e-15);
  EXPECT_NEAR(net.delta(1)(2, 0), -0.003036981491791515, 1e-15);
  // fit_partial: W^3 ← W^3 − α δ^3 (a^2)ᵀ with α = 0.5
  const double a20 = net.a(2)(0, 0);
  ASSERT_TRUE(net.apply_gradients(0.5));
  EXPECT_NEAR(net.W(3)(0, 0), 0.7 - 0.5 * -0.09534339903423075 * a20, 1e-15);
  EXPECT_NEAR(net.W(1)(2, 2), 0.1 - 0.5 * -0.003036981491791515 * -1.0, 1e-15);
}

// ---- conventions -------------------------------------------------------------------------------------

TEST(Conventions, BatchGradientIsTheMeanOfPerExampleGradientsPlusDecay) {
  const auto cfg = config({2, 4, 2}, Activation::tanh, Activation::sigmoid, Cost::cross_entropy);
  Network<double> net(cfg);
  net.initialize(Init::nielsen, 5);
  std::vector<double> X, Y;
  make_data(5, 2, 2, Activation::sigmoid, 3, X, Y);
  const double lambda = 0.7;
  const std::size_t n = 20;  // the training-set size scales the decay, not the batch size
  Network<double>::Matrix sum = Network<double>::Matrix::Zero(4, 2);
  const auto Xb = batch(2, X), Yb = batch(2, Y);
  for (int i = 0; i < 5; ++i) {
    net.input(1) = Xb.col(i);
    net.forward();
    net.backward(Yb.col(i), Regularization::none, 0, n);
    sum += net.grad_W(1);
  }
  net.input(5) = Xb;
  net.forward();
  net.backward(Yb, Regularization::l2, lambda, n);
  const Network<double>::Matrix expected = sum / 5.0 + (lambda / double(n)) * net.W(1);
  EXPECT_LE((net.grad_W(1) - expected).cwiseAbs().maxCoeff(), 1e-15);
}

TEST(Conventions, BatchSizeOneEqualsPerExampleUpdates) {
  const auto cfg = config({2, 5, 1}, Activation::relu, Activation::sigmoid, Cost::quadratic);
  Model<double> model(cfg, 0, Init::he, 77);
  Network<double> manual = model.network();
  std::vector<double> X, Y;
  make_data(6, 2, 1, Activation::sigmoid, 4, X, Y);
  model.set_data(X, Y);
  TrainOptions o;
  o.learning_rate = 0.3;
  o.batch_size = 1;
  o.steps = 9;  // wraps into a second epoch
  o.regularization = Regularization::l2;
  o.lambda = 0.1;
  EXPECT_EQ(model.train(o).steps, 9);
  const auto Xb = batch(2, X), Yb = batch(1, Y);
  for (int s = 0; s < 9; ++s) {
    const int i = s % 6;
    manual.input(1) = Xb.col(i);
    manual.forward();
    manual.backward(Yb.col(i), Regularization::l2, 0.1, 6);
    ASSERT_TRUE(manual.apply_gradients(0.3));
  }
  for (int l = 1; l <= 2; ++l) {
    EXPECT_EQ(model.network().W(l), manual.W(l));
    EXPECT_EQ(model.network().b(l), manual.b(l));
  }
}

TEST(Conventions, ShortLastBatchAndWrapAround) {
  // n = 3, batch 2: batches {0,1}, {2}, {0,1}, {2}: the short batch uses its own m_b = 1.
  const auto cfg = config({1, 1}, Activation::linear, Activation::linear, Cost::quadratic);
  Model<double> model(cfg, 0, Init::zeros, 0);
  model.set_data({1, 2, 3}, {2, 4, 6});
  TrainOptions o;
  o.learning_rate = 0.1;
  o.batch_size = 2;
  o.steps = 4;
  model.train(o);
  double w = 0, b = 0;
  const double xs[3] = {1, 2, 3}, ys[3] = {2, 4, 6};
  const std::vector<std::vector<int>> batches = {{0, 1}, {2}, {0, 1}, {2}};
  for (const auto& batch : batches) {
    double gw = 0, gb = 0;
    for (int i : batch) {
      const double d = w * xs[i] + b - ys[i];
      gw += d * xs[i];
      gb += d;
    }
    w -= 0.1 * gw / double(batch.size());
    b -= 0.1 * gb / double(batch.size());
  }
  EXPECT_DOUBLE_EQ(model.network().W(1)(0, 0), w);
  EXPECT_DOUBLE_EQ(model.network().b(1)[0], b);
}

TEST(Conventions, ReluDerivativeAtZeroIsZero) {
  Network<double> net(config({1, 1, 1}, Activation::relu, Activation::linear, Cost::quadratic));
  net.W(1)(0, 0) = 1;
  net.W(2)(0, 0) = 1;
  net.input(1) = batch(1, {0});  // z^1 = 0 exactly
  net.forward();
  net.backward(batch(1, {1}), Regularization::none, 0, 1);
  EXPECT_EQ(net.delta(1)(0, 0), 0.0);
  EXPECT_EQ(net.grad_W(1)(0, 0), 0.0);
}

TEST(Conventions, L1UsesSignWithSignOfZeroZero) {
  Network<double> net(config({2, 1}, Activation::linear, Activation::linear, Cost::quadratic));
  net.W(1) << 0.0, -2.0;
  net.input(1) = batch(2, {0, 0});
  net.forward();
  net.backward(batch(1, {0}), Regularization::l1, 4, 2);  // zero data gradient: only the L1 term remains
  EXPECT_EQ(net.grad_W(1)(0, 0), 0.0);
  EXPECT_EQ(net.grad_W(1)(0, 1), -2.0);  // (λ/n) sign(w) = (4/2)(−1)
  EXPECT_DOUBLE_EQ(net.regularization_cost(Regularization::l1, 4, 2), 4.0);      // (λ/n) Σ|w| = 2·2
  EXPECT_DOUBLE_EQ(net.regularization_cost(Regularization::l2, 4, 2), 4.0);      // λ/(2n) Σw² = 1·4
}

TEST(Conventions, CrossEntropyIsStableForSaturatedOutputs) {
  Network<double> net(config({1, 1}, Activation::linear, Activation::sigmoid, Cost::cross_entropy));
  net.W(1)(0, 0) = 1;
  net.input(1) = batch(1, {800});  // a = σ(800) rounds to 1; ln(1 − a) would be −∞
  net.forward();
  EXPECT_NEAR(net.cost_sum(batch(1, {0})), 800.0, 1e-9);  // softplus(800)
}

TEST(Determinism, SameSeedSameNumbers) {
  for (Init init : {Init::nielsen, Init::xavier, Init::he, Init::uniform}) {
    const auto cfg = config({2, 8, 8, 1}, Activation::tanh, Activation::sigmoid, Cost::cross_entropy);
    Model<double> a(cfg, 0, init, 99), b(cfg, 0, init, 99), c(cfg, 0, init, 100);
    EXPECT_EQ(a.network().W(2), b.network().W(2));
    EXPECT_NE(a.network().W(2), c.network().W(2)) << to_string(init);
    std::vector<double> X, Y;
    make_data(40, 2, 1, Activation::sigmoid, 1, X, Y);
    a.set_data(X, Y);
    b.set_data(X, Y);
    TrainOptions o;
    o.shuffle = true;
    o.epochs = 3;
    EXPECT_EQ(a.train(o).cost, b.train(o).cost);
    EXPECT_EQ(a.network().W(1), b.network().W(1));
  }
}

TEST(Init, ZerosShowTheSymmetryProblem) {
  Model<double> model(config({2, 4, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::zeros, 1);
  std::vector<double> X, Y;
  make_data(20, 2, 1, Activation::sigmoid, 1, X, Y);
  model.set_data(X, Y);
  TrainOptions o;
  o.epochs = 5;
  model.train(o);
  const auto& W1 = model.network().W(1);
  for (int j = 1; j < 4; ++j) EXPECT_EQ(W1.row(j), W1.row(0));  // every hidden neuron stays identical
}

TEST(Init, SchemesHaveTheirScale) {
  Network<double> net(config({400, 300, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic));
  auto stddev = [&]() {
    const auto& w = net.W(1);
    const double mean = w.mean();
    return std::sqrt((w.array() - mean).square().mean());
  };
  net.initialize(Init::nielsen, 1);
  EXPECT_NEAR(stddev(), 1 / std::sqrt(400.0), 0.002);
  net.initialize(Init::he, 1);
  EXPECT_NEAR(stddev(), std::sqrt(2 / 400.0), 0.002);
  net.initialize(Init::xavier, 1);
  EXPECT_NEAR(stddev(), std::sqrt(2 / 700.0), 0.002);  // uniform(±√(6/(n_in+n_out))) has variance 2/(n_in+n_out)
  net.initialize(Init::uniform, 1);
  EXPECT_NEAR(stddev(), std::sqrt(1 / 12.0), 0.005);
  EXPECT_EQ(net.b(1)[0], 0.1);
}

// ---- divergence ----------------------------------------------------------------------------------------

TEST(Divergence, RejectsTheStepAndKeepsTheWeights) {
  Model<double> model(config({1, 1}, Activation::linear, Activation::linear, Cost::quadratic), 0, Init::zeros, 0);
  model.set_data({1, 2}, {1, 2});
  TrainOptions o;
  o.learning_rate = 0.1;
  o.batch_size = 1;
  o.epochs = 1;
  ASSERT_FALSE(model.train(o).diverged);
  const double w = model.network().W(1)(0, 0), b = model.network().b(1)[0];
  // a step of η = 1e300 on x = 1e20 would send w to ±∞: it is rejected and training stops there
  model.set_data({1e20}, {1});
  o.learning_rate = 1e300;
  const auto r = model.train(o);
  EXPECT_TRUE(r.diverged);
  EXPECT_EQ(r.steps, 0);
  EXPECT_EQ(model.network().W(1)(0, 0), w);
  EXPECT_EQ(model.network().b(1)[0], b);
  // and it still trains afterwards
  model.set_data({1, 2}, {1, 2});
  o.learning_rate = 0.01;
  EXPECT_FALSE(model.train(o).diverged);
}

TEST(Divergence, AStepWhoseWeightsGiveAnInfiniteCostIsTakenBack) {
  // w = 1, x = 1e100: step 1 is finite (w ← 1 − 1e200), but with it the next batch's cost overflows to ∞.
  Model<double> model(config({1, 1}, Activation::linear, Activation::linear, Cost::quadratic), 0, Init::zeros, 0);
  model.set_weights(1, {1.0});
  model.set_data({1e100, -1e100}, {0, 0});
  TrainOptions o;
  o.learning_rate = 1;
  o.batch_size = 1;
  o.epochs = 3;
  const auto r = model.train(o);
  EXPECT_TRUE(r.diverged);
  EXPECT_EQ(r.steps, 0);                              // step 1 was taken back
  EXPECT_EQ(model.network().W(1)(0, 0), 1.0);         // the weights from before it
  EXPECT_TRUE(std::isfinite(model.evaluate({1e100, -1e100}, {0, 0}).cost));
  EXPECT_TRUE(std::isfinite(r.cost) || r.steps == 0);
}

// The issue's diverging configurations with the lab page's settings (500 points, half for training, noise
// 0, features x1 and x2, hidden sizes 4 and 2, batch 10, shuffled, ten epochs per train call): training
// diverges, the weights go back to a checkpoint whose cost is finite (and is the cost reported), and a
// rate 100 times lower trains from there with a falling cost. tests/bindings/divergence.test.js runs the
// same through the JS API.
namespace {
template <class S>
struct PageLab {
  Dataset data;
  Model<S> model;
  std::int64_t steps_per_epoch;
  PageLab(const std::string& dataset, Activation hidden)
      : data(make_dataset(dataset, [] {
          DatasetOptions o;
          o.n = 500;
          o.noise = 0;
          o.seed = 1;
          o.test_ratio = 0.5;
          return o;
        }())),
        model(config({2, 4, 2, 1}, hidden, data.kind == ProblemKind::regression ? Activation::linear : Activation::sigmoid,
                     data.kind == ProblemKind::regression ? Cost::quadratic : Cost::cross_entropy),
              kX1 | kX2, Init::xavier, 1),
        steps_per_epoch(std::int64_t(data.n_train() + 9) / 10) {
    model.set_data(data.train_inputs, data.train_targets);
  }
  TrainResult frame(double eta, std::int64_t epochs = 10) {
    TrainOptions o;
    o.learning_rate = eta;
    o.batch_size = 10;
    o.steps = epochs * steps_per_epoch;
    o.shuffle = true;
    return model.train(o);
  }
  double cost() const { return model.evaluate(data.train_inputs, data.train_targets).cost; }
  bool finite_weights() const {
    for (int l = 1; l <= model.network().L(); ++l)
      if (!model.network().W(l).allFinite() || !model.network().b(l).allFinite()) return false;
    return true;
  }
  // the statement a diverged result makes about the weights kept
  void expect_true_statement(const TrainResult& r) const {
    EXPECT_TRUE(r.diverged);
    EXPECT_EQ(r.restored_epoch, model.epochs());
    EXPECT_TRUE(std::isfinite(r.cost));
    EXPECT_EQ(r.cost, cost());
    EXPECT_TRUE(finite_weights());
  }
  // `frames` calls at eta: none diverges and the cost falls
  void expect_trains(double eta, int frames = 4) {
    double last = cost();
    const double first = last;
    for (int f = 0; f < frames; ++f) {
      ASSERT_FALSE(frame(eta).diverged) << "eta " << eta;
      const double c = cost();
      EXPECT_LT(c, std::max(f == 0 ? last : last * 1.05, first * 1e-3)) << "frame " << f;
      last = c;
    }
    EXPECT_LT(last, 0.9 * first);
  }
};

template <class S>
void recovers(const std::string& dataset, Activation hidden, double eta) {
  SCOPED_TRACE(dataset + "/" + to_string(hidden) + " eta " + std::to_string(eta) + (sizeof(S) == 4 ? " float32" : " float64"));
  PageLab<S> lab(dataset, hidden);
  TrainResult r;
  for (int f = 0; f < 50 && !r.diverged; ++f) r = lab.frame(eta);
  lab.expect_true_statement(r);
  if (eta == 100) {  // η/100 = 1 diverges on the plane from any weights of a linear network: η/1000 trains
    const auto again = lab.frame(eta / 100);
    lab.expect_true_statement(again);
    EXPECT_EQ(again.restored_epoch, r.restored_epoch);
    EXPECT_EQ(again.cost, r.cost);
    lab.expect_trains(eta / 1000);
  } else {
    lab.expect_trains(eta / 100);
  }
}
}  // namespace

TEST(Divergence, TheIssuesConfigurationsRecoverFromTheCheckpoint) {
  for (const auto& [dataset, hidden, eta] : {std::tuple<std::string, Activation, double>{"plane", Activation::linear, 3},
                                             {"plane", Activation::linear, 100}, {"spiral", Activation::linear, 10},
                                             {"plane", Activation::tanh, 3}}) {
    recovers<float>(dataset, hidden, eta);
    recovers<double>(dataset, hidden, eta);
  }
}

TEST(Divergence, CheckpointIsTheLastEpochConfirmedByAGoodNextEpoch) {
  PageLab<float> lab("plane", Activation::tanh);
  std::vector<std::vector<float>> snapshots;
  const auto weights = [&] {
    std::vector<float> w;
    for (int l = 1; l <= 3; ++l) {
      const auto& W = lab.model.network().W(l);
      const auto& b = lab.model.network().b(l);
      w.insert(w.end(), W.data(), W.data() + W.size());
      w.insert(w.end(), b.data(), b.data() + b.size());
    }
    return w;
  };
  snapshots.push_back(weights());
  for (int e = 1; e <= 20; ++e) {
    ASSERT_FALSE(lab.frame(0.03, 1).diverged);
    ASSERT_EQ(lab.model.epochs(), e);
    snapshots.push_back(weights());
  }
  const auto r = lab.frame(3);
  lab.expect_true_statement(r);
  EXPECT_EQ(r.restored_epoch, 19);  // epoch 20's end would need a good epoch 21 to confirm it
  EXPECT_EQ(weights(), snapshots[19]);
  EXPECT_EQ(r.steps, 0);
  lab.expect_trains(0.03);
}

TEST(Divergence, SlowDivergenceInOneCallKeepsTheStepsBeforeTheCostExploded) {
  // 1-1 linear network, one example x = 1: each step multiplies the error by 1 − 2η = −1.02, the cost by 1.0404
  for (int precision = 0; precision < 2; ++precision) {
    const auto run = [&](auto tag) {
      using S = decltype(tag);
      Model<S> model(config({1, 1}, Activation::linear, Activation::linear, Cost::quadratic), 0, Init::zeros, 0);
      Model<S> twin(config({1, 1}, Activation::linear, Activation::linear, Cost::quadratic), 0, Init::zeros, 0);
      model.set_data({1}, {1});
      twin.set_data({1}, {1});
      const double c0 = model.evaluate({1}, {1}).cost;
      TrainOptions o;
      o.learning_rate = 1.01;
      o.batch_size = 1;
      o.epochs = 100000;
      const auto r = model.train(o);
      EXPECT_TRUE(r.diverged);
      EXPECT_EQ(r.restored_epoch, model.epochs());
      EXPECT_GT(r.restored_epoch, 50);
      EXPECT_LT(r.restored_epoch, 60);
      EXPECT_EQ(r.steps, r.restored_epoch);
      EXPECT_LE(r.cost, 10 * c0);
      EXPECT_EQ(r.cost, model.evaluate({1}, {1}).cost);
      o.epochs = r.restored_epoch;
      twin.train(o);
      EXPECT_EQ(model.network().W(1), twin.network().W(1));
      EXPECT_EQ(model.network().b(1), twin.network().b(1));
    };
    if (precision == 0) run(float{});
    else run(double{});
  }
}

TEST(Divergence, NotDivergedMeansTheWeightsKeptHaveAFiniteCost) {
  int diverged = 0;
  for (const double eta : {0.5, 3.0, 30.0, 300.0, 1e4})
    for (const int batch : {1, 10, 250})
      for (const auto& [dataset, hidden] : {std::pair<std::string, Activation>{"plane", Activation::linear},
                                            {"plane", Activation::relu}, {"spiral", Activation::linear}}) {
        PageLab<float> lab(dataset, hidden);
        for (int c = 0; c < 8; ++c) {
          TrainOptions o;
          o.learning_rate = eta;
          o.batch_size = batch;
          o.steps = 7 + 13 * c;
          o.shuffle = true;
          const auto r = lab.model.train(o);
          ASSERT_TRUE(std::isfinite(lab.cost())) << dataset << " eta " << eta << " batch " << batch;
          if (r.diverged) {
            ++diverged;
            lab.expect_true_statement(r);
          }
        }
      }
  EXPECT_GT(diverged, 20);  // the property was exercised
}

TEST(Divergence, WeightsWhoseCostIsAlreadyInfiniteDivergeAtOnceAndStay) {
  Model<float> model(config({1, 1, 1}, Activation::linear, Activation::linear, Cost::quadratic), 0, Init::zeros, 0);
  model.set_weights(1, {3e38});
  model.set_weights(2, {3e38});
  model.set_data({1, 2}, {0, 1});
  TrainOptions o;
  const auto r = model.train(o);
  EXPECT_TRUE(r.diverged);
  EXPECT_EQ(r.steps, 0);
  EXPECT_FALSE(std::isfinite(r.cost));
  EXPECT_EQ(model.network().W(1)(0, 0), 3e38f);
}

TEST(Divergence, EpochsCountWholeEpochsSinceSetData) {
  Model<double> model(config({2, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 2);
  std::vector<double> X, Y;
  make_data(50, 2, 1, Activation::sigmoid, 3, X, Y);
  EXPECT_EQ(model.epochs(), 0);
  model.set_data(X, Y);
  TrainOptions o;
  o.learning_rate = 0.1;
  o.epochs = 3;
  model.train(o);
  EXPECT_EQ(model.epochs(), 3);
  o.steps = 4;
  model.train(o);
  EXPECT_EQ(model.epochs(), 3);
  o.steps = 1;
  model.train(o);
  EXPECT_EQ(model.epochs(), 4);
  o.batch_size = 25;
  o.steps = 12;
  model.train(o);
  EXPECT_EQ(model.epochs(), 10);
  model.set_data(X, Y);
  EXPECT_EQ(model.epochs(), 0);
}

// ---- ranges -------------------------------------------------------------------------------------------

TEST(Ranges, Float32RefusesValuesBeyondItsRangeAndNamesThem) {
  Model<float> f(config({2, 2, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 1);
  EXPECT_THAT(error_of([&] { f.set_weights(1, {0, 1e39, 0, 0}); }),
              HasSubstr("weights[0][1]: 1e+39 is outside the float32 range (±3.4028234663852886e+38)"));
  EXPECT_THAT(error_of([&] { f.set_biases(2, {-4e38}); }), HasSubstr("biases[1][0]: -4e+38 is outside the float32 range"));
  EXPECT_THAT(error_of([&] { f.set_data({0, 1, 2, 1e39}, {1, 0}); }), HasSubstr("inputs[3]: 1e+39 is outside the float32 range"));
  EXPECT_THAT(error_of([&] { f.set_data({0, 1, 2, 3}, {1, 1e300}); }), HasSubstr("targets[1]: 1e+300 is outside the float32 range"));
  EXPECT_THAT(error_of([&] { f.predict({1e39, 0}, "points"); }), HasSubstr("points[0]: 1e+39 is outside the float32 range"));
  EXPECT_EQ(f.examples(), 0u);  // nothing was loaded
  EXPECT_NO_THROW(f.set_weights(1, {0, 3.4e38, 0, 0}));  // the largest float32 values are fine
  Model<double> d(config({2, 2, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 1);
  EXPECT_NO_THROW(d.set_weights(1, {0, 1e39, 0, 0}));
}

TEST(Ranges, FeaturesThatOverflowAreNamedWithTheirPoint) {
  Model<float> f(config({3, 2, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), kX1 | kX2 | kX1Sq,
                 Init::xavier, 1);
  EXPECT_THAT(error_of([&] { f.set_data({0, 1, 1e20, 2}, {1, 0}); }),
              HasSubstr("inputs[2]: the point (1e+20, 2) has feature x1sq = 1e+40, outside the float32 range"));
  Model<double> d(config({1, 2, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), kX1X2, Init::xavier, 1);
  EXPECT_THAT(error_of([&] { d.predict({1e200, -1e200}, "points"); }),
              HasSubstr("points[0]: the point (1e+200, -1e+200) has feature x1x2 = -Infinity, outside the float64 range"));
  // sin of any finite x is in [−1, 1] (it used to leave that range beyond |x| ≈ 8e5)
  for (double x : {1e6, -3e7, 1e18, 1.7e308}) {
    EXPECT_LE(std::abs(det_sin(x)), 1.0) << x;
  }
  Model<float> s(config({2, 2, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), kSinX1 | kSinX2, Init::xavier, 1);
  for (double v : s.predict({1e18, -3e38})) EXPECT_TRUE(std::isfinite(v));
}

TEST(Ranges, GridExtentHasALimitWhereFeaturesStayFinite) {
  Model<float> f(config({3, 4, 1}, Activation::tanh, Activation::tanh, Cost::quadratic), kX1 | kX2 | kX1X2, Init::xavier, 1);
  EXPECT_THAT(error_of([&] { f.grid(4, 1e300); }), HasSubstr("extent: at most 1e+18"));
  const auto g = f.grid(4, 1e18);
  const auto p = f.predict({-0.75e18, 0.75e18});  // cell (row 0, col 0)
  for (float v : g) EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(g[0], p[0], 1e-4);
}

TEST(GradientCheck, SkipsParametersWhoseStencilCrossesAReluKink) {
  // A ReLU network on data that puts some z^l close to 0: the finite difference of a kink is meaningless.
  Model<double> model(config({2, 16, 16, 1}, Activation::relu, Activation::sigmoid, Cost::cross_entropy), 0,
                      Init::he, 5);
  std::vector<double> X, Y;
  make_data(100, 2, 1, Activation::sigmoid, 8, X, Y);
  const auto r = model.gradient_check(X, Y, Regularization::l2, 0.01, 4096, 3e-3);  // a large h hits kinks
  EXPECT_LE(r.max_relative_error, 1e-6);
  EXPECT_GT(r.skipped, 0u);
  EXPECT_EQ(r.checked + r.skipped, r.parameters);
  EXPECT_LT(r.skipped, r.parameters / 4);  // most parameters are still compared
}

// ---- float32 matches float64 --------------------------------------------------------------------------

TEST(Precision, Float32TracksFloat64) {
  for (Activation h : {Activation::sigmoid, Activation::tanh, Activation::relu}) {
    const auto cfg = config({2, 8, 8, 3}, h, Activation::softmax, Cost::cross_entropy);
    Model<double> d(cfg, 0, Init::xavier, 5);
    Model<float> f(cfg, 0, Init::xavier, 5);
    std::vector<double> X, Y;
    make_data(50, 2, 3, Activation::softmax, 6, X, Y);
    d.set_data(X, Y);
    f.set_data(X, Y);
    TrainOptions o;
    o.epochs = 3;
    o.learning_rate = 0.1;
    EXPECT_NEAR(d.train(o).cost, f.train(o).cost, 1e-4) << to_string(h);
    const auto pd = d.predict(X), pf = f.predict(X);
    for (std::size_t i = 0; i < pd.size(); ++i) EXPECT_NEAR(pd[i], pf[i], 1e-4);
  }
}

TEST(Grid, MatchesPredictAtCellCentres) {
  Model<float> model(config({3, 6, 2}, Activation::tanh, Activation::softmax, Cost::cross_entropy),
                     kX1 | kX2 | kX1X2, Init::xavier, 3);
  const auto& g = model.grid(4, 6.0);
  ASSERT_EQ(g.size(), 32u);
  // cell (row 0, col 3) is the top-right: x1 = 4.5, x2 = 4.5; (row 3, col 0) the bottom-left
  const auto p = model.predict({4.5, 4.5, -4.5, -4.5});
  // the grid uses the picture tanh (absolute error < 1e-4), predict the accurate one
  EXPECT_NEAR(g[3], p[0], 1e-4);
  EXPECT_NEAR(g[16 + 3], p[1], 1e-4);
  EXPECT_NEAR(g[12], p[2], 1e-4);
  EXPECT_GT(std::abs(p[0] - p[2]), 3e-4);  // the two corners differ by more than the tolerance
}

// The features of the grid's cells are kept between calls (Model::grid_features: one entry for grid(), one
// for neuron_grid()). Each call must give the numbers a model that never met another grid gives: checked
// across training steps, the two alternating, another resolution or extent that replaces grid()'s entry, and
// a grid too large to keep.
template <class S>
void grid_cache_matches_fresh_models() {
  const auto cfg = config({4, 5, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic);
  const unsigned feats = kX1 | kX2 | kSinX1 | kSinX2;
  std::vector<double> P, Y;
  for (int i = 0; i < 40; ++i) {
    const double x1 = -5 + 0.25 * i, x2 = 4 - 0.2 * i;
    P.insert(P.end(), {x1, x2});
    Y.push_back(std::sin(x1) * x2 > 0 ? 1.0 : 0.0);
  }
  TrainOptions o;
  o.epochs = 1;
  o.learning_rate = 0.3;
  o.batch_size = 10;
  // after `steps` calls of train(), from the same seed: the same weights as `used`
  const auto fresh = [&](int steps) {
    Model<S> m(cfg, feats, Init::xavier, 11);
    m.set_data(P, Y);
    for (int k = 0; k < steps; ++k) m.train(o);
    return m;
  };
  Model<S> used(cfg, feats, Init::xavier, 11);
  used.set_data(P, Y);
  struct Call { bool neurons; int res; double extent; };
  const std::vector<Call> calls = {{false, 100, 6}, {true, 24, 6}, {false, 100, 6}, {false, 7, 3},
                                   {true, 24, 6},   {false, 100, 6}, {false, 100, 5}, {false, 520, 6}, {true, 24, 6}};
  int steps = 0;
  for (const Call& c : calls) {
    used.train(o);
    ++steps;
    Model<S> m = fresh(steps);
    const std::vector<float> got = c.neurons ? used.neuron_grid(c.res, c.extent) : used.grid(c.res, c.extent);
    const std::vector<float> want = c.neurons ? m.neuron_grid(c.res, c.extent) : m.grid(c.res, c.extent);
    ASSERT_EQ(got.size(), want.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < got.size(); ++i) differ += got[i] != want[i];
    EXPECT_EQ(differ, 0u) << (c.neurons ? "neuron_grid(" : "grid(") << c.res << ", " << c.extent << ") after " << steps << " steps";
  }
}

TEST(Grid, KeptFeaturesGiveTheNumbersOfAFreshModelFloat) { grid_cache_matches_fresh_models<float>(); }
TEST(Grid, KeptFeaturesGiveTheNumbersOfAFreshModelDouble) { grid_cache_matches_fresh_models<double>(); }

// ---- the layer products never read weights other than W(l), b(l) as they are now -------------------
// The kernels work from W^l itself (forward() transposes it into the pass's scratch on every call): no
// copy of the weights outlives a change of them. These tests would catch a kernel that kept a transposed or
// packed copy and missed one of the ways the weights change: set from outside, restored from the checkpoint
// after a divergence, a step taken back.

namespace {
// a^L by Eigen's own products in double, from the network's W^l and b^l as they are now: the oracle
std::vector<double> oracle_predict(const Network<float>& net, const std::vector<double>& X) {
  const Eigen::Index n0 = net.size(0), m = Eigen::Index(X.size()) / n0;
  Eigen::MatrixXd a = Eigen::Map<const Eigen::MatrixXd>(X.data(), n0, m);
  for (int l = 1; l <= net.L(); ++l) {
    const Eigen::MatrixXd z = (net.W(l).cast<double>() * a).colwise() + net.b(l).cast<double>();
    a = net.activation(l) == Activation::tanh ? Eigen::MatrixXd(z.array().tanh()) : z;  // tanh or linear here
  }
  return std::vector<double>(a.data(), a.data() + a.size());
}

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want, double tol, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < want.size(); ++i) ASSERT_NEAR(got[i], want[i], tol) << what << " at " << i;
}

template <class S>
std::vector<double> flat_W(const Network<S>& net, int l) {
  return std::vector<double>(net.W(l).data(), net.W(l).data() + net.W(l).size());
}
template <class S>
std::vector<double> flat_b(const Network<S>& net, int l) {
  return std::vector<double>(net.b(l).data(), net.b(l).data() + net.b(l).size());
}
}  // namespace

TEST(Products, FollowWeightsSetFromOutside) {
  // layers of 9 and 8: wider than a packet, so the transposed form of the forward product is used
  const auto cfg = config({2, 9, 8, 1}, Activation::tanh, Activation::tanh, Cost::quadratic);
  Model<float> model(cfg, 0, Init::xavier, 3), other(cfg, 0, Init::xavier, 9);
  std::vector<double> X, Y;
  make_data(40, 2, 1, Activation::tanh, 4, X, Y);
  model.set_data(X, Y);
  other.set_data(X, Y);
  TrainOptions o;
  o.learning_rate = 0.1;
  o.epochs = 2;
  model.train(o);  // the training pass and a predict pass have run on the old weights
  const auto before = model.predict(X);
  for (int l = 1; l <= 3; ++l) {
    model.set_weights(l, flat_W(other.network(), l));
    model.set_biases(l, flat_b(other.network(), l));
  }
  const auto after = model.predict(X);
  EXPECT_EQ(after, other.predict(X));  // exactly: the same weights, the same products
  expect_near_all(after, oracle_predict(model.network(), X), 1e-5, "after set_weights");
  EXPECT_NE(after, before);
  // the training pass too: one epoch from the set weights is the other model's epoch, bit for bit
  o.epochs = 1;
  EXPECT_EQ(model.train(o).cost, other.train(o).cost);
  for (int l = 1; l <= 3; ++l) EXPECT_EQ(model.network().W(l), other.network().W(l)) << "layer " << l;
}

TEST(Products, FollowWeightsRestoredAfterADivergence) {
  // linear layers and a huge η: the weights blow up, the call diverges and restores the checkpoint
  const auto cfg = config({2, 9, 8, 1}, Activation::linear, Activation::linear, Cost::quadratic);
  Model<float> model(cfg, 0, Init::xavier, 5), twin(cfg, 0, Init::xavier, 5);
  std::vector<double> X, Y;
  make_data(40, 2, 1, Activation::linear, 6, X, Y);
  model.set_data(X, Y);
  twin.set_data(X, Y);
  const auto at_checkpoint = model.predict(X);
  TrainOptions o;
  o.learning_rate = 1e3;
  o.epochs = 5;
  const auto r = model.train(o);
  ASSERT_TRUE(r.diverged);
  EXPECT_EQ(r.restored_epoch, 0);
  const auto after = model.predict(X);
  EXPECT_EQ(after, at_checkpoint);
  expect_near_all(after, oracle_predict(model.network(), X), 1e-4, "after the restore");
  // and training goes on from the restored weights exactly as from weights never diverged
  o.learning_rate = 0.01;
  o.epochs = 1;
  EXPECT_EQ(model.train(o).cost, twin.train(o).cost);
  for (int l = 1; l <= 3; ++l) EXPECT_EQ(model.network().W(l), twin.network().W(l)) << "layer " << l;
}

TEST(Products, FollowAStepTakenBack) {
  Network<float> net(config({2, 9, 8, 1}, Activation::tanh, Activation::tanh, Cost::quadratic));
  net.initialize(Init::xavier, 7);
  std::vector<double> X, Y;
  make_data(12, 2, 1, Activation::tanh, 8, X, Y);
  const Batch<double> Xb = batch(2, X), Yb = batch(1, Y);
  Network<float>::Pass pass;
  const auto outputs = [&] {
    net.prepare(pass, 12);
    pass.a[0] = Xb.cast<float>();
    net.forward(pass);
    return Batch<float>(pass.a[3]);
  };
  const Batch<float> before = outputs();
  net.input(12) = Xb.cast<float>();
  net.forward();
  net.backward(Yb.cast<float>(), Regularization::none, 0, 12);
  ASSERT_TRUE(net.step(0.5));
  const Batch<float> stepped = outputs();
  EXPECT_GT((stepped - before).cwiseAbs().maxCoeff(), 1e-3f);  // the step moved the outputs
  ASSERT_TRUE(net.revert_last_step());
  EXPECT_EQ(outputs(), before);
  // the training pass as well: its forward after the revert is the forward before the step
  net.input(12) = Xb.cast<float>();
  net.forward();
  EXPECT_EQ(Batch<float>(net.a(3)), before);
}

TEST(Products, FollowAStepOnChosenExamplesTakenBack) {
  // Model::step_examples / revert_step (the step-through): predictions after the revert are those before
  // the step, bit for bit, in the normal and in a broken-equation network (whose step trains through the
  // broken backward pass: it moves the weights elsewhere than the correct one)
  const auto cfg = config({2, 9, 9, 1}, Activation::tanh, Activation::tanh, Cost::quadratic);
  std::vector<double> X, Y;
  make_data(30, 2, 1, Activation::tanh, 12, X, Y);
  Model<float> right(cfg, 0, Init::xavier, 2), broken(cfg, 0, Init::xavier, 2);
  right.set_data(X, Y);
  broken.set_data(X, Y);
  broken.set_broken(Broken::bp2_no_transpose);
  const auto before = right.predict(X);
  ASSERT_EQ(broken.predict(X), before);
  ASSERT_FALSE(right.step_examples({0, 3, 7}, 0.5, Regularization::none, 0).diverged);
  ASSERT_FALSE(broken.step_examples({0, 3, 7}, 0.5, Regularization::none, 0).diverged);
  EXPECT_NE(right.predict(X), before);
  EXPECT_NE(broken.predict(X), right.predict(X));  // the broken BP2 took the step elsewhere
  ASSERT_TRUE(right.revert_step());
  ASSERT_TRUE(broken.revert_step());
  EXPECT_EQ(right.predict(X), before);
  EXPECT_EQ(broken.predict(X), before);
  expect_near_all(right.predict(X), oracle_predict(right.network(), X), 1e-5, "after revert_step");
}

TEST(Activation, PictureTanhIsWithin2e5OfTanh) {
  // the grid's cheaper tanh against the accurate one over the whole line, in both precisions: within 2e-5
  // (the fit's 1.6e-5 plus rounding; errors add up over a few layers, and the grid promises 1e-4), odd,
  // and never beyond ±1 (it has no clamp on the way out)
  for (double x = -14; x <= 14; x += 1.0 / 1024) {
    Batch<double> zd(1, 1), md(1, 1);
    zd(0, 0) = x;
    md(0, 0) = -x;
    activate_picture(Activation::tanh, zd);
    activate_picture(Activation::tanh, md);
    EXPECT_NEAR(zd(0, 0), std::tanh(x), 2e-5) << x;
    EXPECT_EQ(md(0, 0), -zd(0, 0)) << x;
    EXPECT_LT(std::abs(zd(0, 0)), 1.0) << x;
    Batch<float> zf(1, 1);
    zf(0, 0) = float(x);
    activate_picture(Activation::tanh, zf);
    EXPECT_NEAR(zf(0, 0), std::tanh(x), 2e-5) << x;
    EXPECT_LE(std::abs(zf(0, 0)), 1.0f) << x;
  }
  Batch<double> s(1, 1);
  s(0, 0) = 1.3;
  activate_picture(Activation::sigmoid, s);
  EXPECT_NEAR(s(0, 0), 1 / (1 + std::exp(-1.3)), 2e-5);
}

// ---- bad input -----------------------------------------------------------------------------------------


TEST(BadInput, NetworkConfig) {
  auto make = [](std::vector<int> layers, Activation h = Activation::tanh, Activation o = Activation::sigmoid,
                 Cost c = Cost::quadratic) { return [=] { Network<double> n(config(layers, h, o, c)); }; };
  EXPECT_THAT(error_of(make({2})), HasSubstr("layers: need at least two layers"));
  EXPECT_THAT(error_of(make({2, 0, 1})), HasSubstr("layers[1]"));
  EXPECT_THAT(error_of(make({2, -3, 1})), HasSubstr("got -3"));
  EXPECT_THAT(error_of(make({2, 5000, 1})), HasSubstr("layers[1]: size must be an integer in [1, 4096], got 5000"));
  EXPECT_THAT(error_of(make({4096, 4096, 1})), HasSubstr("parameters exceed"));
  EXPECT_THAT(error_of(make(std::vector<int>(40, 2))), HasSubstr("at most 34 layers"));
  EXPECT_THAT(error_of(make({2, 2}, Activation::softmax)), HasSubstr("activation: softmax"));
  EXPECT_THAT(error_of(make({2, 2}, Activation::tanh, Activation::tanh, Cost::cross_entropy)),
              HasSubstr("output_activation: cross_entropy needs a sigmoid or softmax output, got 'tanh'"));
  EXPECT_THAT(error_of([] { parse_activation("sigmod", "activation"); }), HasSubstr("unknown activation 'sigmod'"));
  EXPECT_THAT(error_of([] { parse_cost("mse"); }), HasSubstr("cost: unknown cost 'mse'"));
  EXPECT_THAT(error_of([] { parse_init("glorot"); }), HasSubstr("init: unknown init 'glorot'"));
}

TEST(BadInput, DataAndOptionsLeaveTheModelUntouched) {
  Model<double> model(config({2, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 1);
  model.set_data({0, 1, 1, 0}, {1, 0});
  const auto W = model.network().W(1);
  EXPECT_THAT(error_of([&] { model.set_data({0, 1, 1}, {1, 0}); }), HasSubstr("inputs: length must be a positive multiple of 2"));
  EXPECT_THAT(error_of([&] { model.set_data({0, 1, 1, 0}, {1}); }), HasSubstr("targets: length must be 2"));
  EXPECT_THAT(error_of([&] { model.set_data({0, NAN, 1, 0}, {1, 0}); }), HasSubstr("inputs[1]: must be a finite number, got NaN"));
  EXPECT_THAT(error_of([&] { model.set_data({0, 1, 1, 0}, {INFINITY, 0}); }), HasSubstr("targets[0]: must be a finite number, got Infinity"));
  TrainOptions o;
  o.learning_rate = 0;
  EXPECT_THAT(error_of([&] { model.train(o); }), HasSubstr("learningRate: must be a finite number > 0, got 0"));
  o.learning_rate = NAN;
  EXPECT_THAT(error_of([&] { model.train(o); }), HasSubstr("got NaN"));
  o.learning_rate = 0.1;
  o.batch_size = 0;
  EXPECT_THAT(error_of([&] { model.train(o); }), HasSubstr("batchSize: must be an integer ≥ 1, got 0"));
  EXPECT_EQ(model.network().W(1), W);
  EXPECT_EQ(model.examples(), 2u);  // the earlier data are still there
  o.batch_size = 1;
  EXPECT_FALSE(model.train(o).diverged);
  EXPECT_NE(model.network().W(1), W);
}
