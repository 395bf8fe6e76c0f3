// Model::inspect (the full-data pass the lab page draws every frame) and Model::neuron_grid, against
// oracles that share no code with the engine's backprop: finite differences of the full cost, a scalar
// per-example forward/backward written out neuron by neuron, and a^l computed by hand from W and b.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/rng.hpp"
#include "tests/core/test_config.hpp"

using namespace bp;
using testing::HasSubstr;

namespace {

using bp::testing_util::config;

// n examples: inputs uniform in ±spread, targets that suit the output (one-hot for softmax, (0,1) otherwise).
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

using bp::testing_util::error_of;

// ---- a scalar reference, one example at a time (hidden sigmoid/tanh/relu/linear; quadratic cost, or
// cross-entropy with a sigmoid output) ------------------------------------------------------------------
double f_of(Activation f, double z) {
  switch (f) {
    case Activation::sigmoid: return 1 / (1 + std::exp(-z));
    case Activation::tanh: return std::tanh(z);
    case Activation::relu: return z > 0 ? z : 0;
    default: return z;
  }
}
double df_of(Activation f, double z) {
  switch (f) {
    case Activation::sigmoid: { const double s = f_of(f, z); return s * (1 - s); }
    case Activation::tanh: { const double t = std::tanh(z); return 1 - t * t; }
    case Activation::relu: return z > 0 ? 1 : 0;
    default: return 1;
  }
}

struct ScalarPass {
  std::vector<std::vector<double>> z, a, delta;  // index l = 0..L (z, delta: 1..L)
};

ScalarPass scalar_backprop(const Network<double>& net, const double* x, const double* y) {
  const int L = net.L();
  ScalarPass p;
  p.z.resize(std::size_t(L) + 1);
  p.a.resize(std::size_t(L) + 1);
  p.delta.resize(std::size_t(L) + 1);
  p.a[0].assign(x, x + net.size(0));
  for (int l = 1; l <= L; ++l) {  // z^l_j = Σ_k w^l_jk a^(l−1)_k + b^l_j, a^l_j = σ(z^l_j)
    for (int j = 0; j < net.size(l); ++j) {
      double s = net.b(l)[j];
      for (int k = 0; k < net.size(l - 1); ++k) s += net.W(l)(j, k) * p.a[std::size_t(l - 1)][std::size_t(k)];
      p.z[std::size_t(l)].push_back(s);
      p.a[std::size_t(l)].push_back(f_of(net.activation(l), s));
    }
  }
  const auto& c = net.config();
  for (int j = 0; j < net.size(L); ++j) {  // BP1
    const double a = p.a[std::size_t(L)][std::size_t(j)], z = p.z[std::size_t(L)][std::size_t(j)];
    p.delta[std::size_t(L)].push_back(c.cost == Cost::cross_entropy ? a - y[j] : (a - y[j]) * df_of(c.output_activation, z));
  }
  for (int l = L - 1; l >= 1; --l) {  // BP2, neuron by neuron
    for (int j = 0; j < net.size(l); ++j) {
      double s = 0;
      for (int i = 0; i < net.size(l + 1); ++i) s += net.W(l + 1)(i, j) * p.delta[std::size_t(l + 1)][std::size_t(i)];
      p.delta[std::size_t(l)].push_back(s * df_of(net.activation(l), p.z[std::size_t(l)][std::size_t(j)]));
    }
  }
  return p;
}

}  // namespace

// ---- inspect: gradients of the full C against finite differences ---------------------------------------

TEST(Inspect, GradientsAreThoseOfTheFullCostByFiniteDifferences) {
  struct Combo { Activation hidden, out; Cost cost; Regularization reg; };
  const Combo combos[] = {
      {Activation::sigmoid, Activation::sigmoid, Cost::quadratic, Regularization::none},
      {Activation::tanh, Activation::sigmoid, Cost::cross_entropy, Regularization::l2},
      {Activation::relu, Activation::softmax, Cost::cross_entropy, Regularization::l1},
      {Activation::tanh, Activation::softmax, Cost::quadratic, Regularization::l2},
      {Activation::linear, Activation::linear, Cost::quadratic, Regularization::none},
  };
  for (const Combo& c : combos) {
    const std::string name = std::string(to_string(c.hidden)) + "/" + to_string(c.out) + "/" + to_string(c.cost) +
                             "/" + to_string(c.reg);
    const int nL = c.out == Activation::softmax ? 3 : 2;
    Model<double> model(config({3, 5, 4, nL}, c.hidden, c.out, c.cost), 0, Init::nielsen, 21);
    std::vector<double> X, Y;
    make_data(23, 3, nL, c.out, 4, 2, X, Y);
    model.set_data(X, Y);
    const double lambda = 0.4;
    // the engine's pass, copied: the finite differences below move the weights
    const Inspection<double> in = model.inspect(c.reg, lambda);
    // the oracle: C(θ) from forward passes only (evaluate), 4th-order central differences
    const auto C = [&] { return model.evaluate(X, Y, c.reg, lambda).cost; };
    EXPECT_NEAR(in.cost, C(), 1e-13 * std::max(1.0, std::abs(in.cost))) << name;
    const double h = 1e-4;
    double worst = 0;
    const auto check = [&](double* p, double g) {
      const double saved = *p;
      const auto at = [&](double t) { *p = t; return C(); };
      const double fd = (-at(saved + 2 * h) + 8 * at(saved + h) - 8 * at(saved - h) + at(saved - 2 * h)) / (12 * h);
      *p = saved;
      // relative error, with a floor well above the rounding noise of the difference (~1e-16 · C / h): a
      // gradient that is exactly 0 (a dead ReLU's bias) gives fd ≈ 1e-12, not a relative error of 1
      worst = std::max(worst, std::abs(fd - g) / std::max({std::abs(fd), std::abs(g), 1e-4}));
    };
    auto& net = model.network();
    for (int l = 1; l <= net.L(); ++l) {
      const auto& layer = in.layers[std::size_t(l - 1)];
      for (Eigen::Index i = 0; i < net.W(l).size(); ++i) check(net.W(l).data() + i, layer.grad_W.data()[i]);
      for (Eigen::Index j = 0; j < net.b(l).size(); ++j) check(net.b(l).data() + j, layer.grad_b[j]);
      EXPECT_NEAR(layer.grad_W_norm, std::sqrt(layer.grad_W.squaredNorm()), 1e-15) << name;
      EXPECT_NEAR(layer.grad_b_norm, std::sqrt(layer.grad_b.squaredNorm()), 1e-15) << name;
    }
    EXPECT_LE(worst, 1e-7) << name;
    // accuracy: the same definition as evaluate()
    EXPECT_EQ(in.accuracy, model.evaluate(X, Y).accuracy) << name;
  }
}

TEST(Inspect, Float32AgreesWithFloat64) {
  const auto cfg = config({7, 16, 16, 1}, Activation::tanh, Activation::sigmoid, Cost::cross_entropy);
  const unsigned all = kAllFeatures;
  Model<double> d(cfg, all, Init::xavier, 3);
  Model<float> f(cfg, all, Init::xavier, 3);  // the same seed: the same weights, rounded to float
  std::vector<double> X, Y;
  make_data(300, 2, 1, Activation::sigmoid, 8, 6, X, Y);
  d.set_data(X, Y);
  f.set_data(X, Y);
  const auto& a = d.inspect(Regularization::l2, 0.1);
  const auto& b = f.inspect(Regularization::l2, 0.1);
  EXPECT_NEAR(a.cost, b.cost, 1e-5);
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    EXPECT_NEAR(a.layers[l].delta_norm, b.layers[l].delta_norm, 1e-5 * (1 + a.layers[l].delta_norm));
    EXPECT_LE((a.layers[l].grad_W - b.layers[l].grad_W.cast<double>()).cwiseAbs().maxCoeff(), 1e-5);
  }
}

// ---- inspect: δ norms and saturation against the scalar reference ---------------------------------------

TEST(Inspect, DeltaNormAndSaturationMatchAPerExampleComputation) {
  for (Activation h : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::linear}) {
    for (Cost cost : {Cost::quadratic, Cost::cross_entropy}) {
      const std::string name = std::string(to_string(h)) + "/" + to_string(cost);
      // wide inputs and nielsen's N(0, 1) biases: some neurons saturate on some examples, not on others
      Model<double> model(config({2, 6, 5, 2}, h, Activation::sigmoid, cost), 0, Init::nielsen, 13);
      model.network().W(1) *= 3.0;
      std::vector<double> X, Y;
      const int n = 200;
      make_data(n, 2, 2, Activation::sigmoid, 6, 4, X, Y);
      model.set_data(X, Y);
      const Inspection<double> in = model.inspect(Regularization::none, 0, 0);
      const auto& net = model.network();
      const int L = net.L();
      std::vector<double> delta_sq(std::size_t(L) + 1, 0.0);
      std::vector<std::vector<int>> saturated(std::size_t(L) + 1), dead(std::size_t(L) + 1);
      for (int l = 1; l <= L; ++l) saturated[std::size_t(l)].assign(std::size_t(net.size(l)), 0);
      for (int l = 1; l <= L; ++l) dead[std::size_t(l)].assign(std::size_t(net.size(l)), 0);
      // cross-entropy with the sigmoid output: σ' cancels in BP1, so the output layer is never "saturated"
      const bool cancels = cost == Cost::cross_entropy;
      int borderline = 0;
      for (int i = 0; i < n; ++i) {
        const ScalarPass p = scalar_backprop(net, &X[std::size_t(2 * i)], &Y[std::size_t(2 * i)]);
        for (int l = 1; l <= L; ++l) {
          const Activation f = net.activation(l);
          const double max_slope = f == Activation::sigmoid ? 0.25 : 1.0;
          for (int j = 0; j < net.size(l); ++j) {
            const double d = p.delta[std::size_t(l)][std::size_t(j)], z = p.z[std::size_t(l)][std::size_t(j)];
            delta_sq[std::size_t(l)] += d * d;
            const double slope = df_of(f, z);
            if (f == Activation::relu) dead[std::size_t(l)][std::size_t(j)] += z <= 0;  // dead, not saturated
            else if (f != Activation::linear && !(l == L && cancels))
              saturated[std::size_t(l)][std::size_t(j)] += slope < 0.05 * max_slope;
            if (f != Activation::relu && std::abs(slope - 0.05 * max_slope) < 1e-9) ++borderline;
          }
        }
      }
      ASSERT_EQ(borderline, 0) << name << ": an example sits on the threshold; pick other data";
      bool partial = false;  // some neuron saturated on some examples but not all: the test means something
      for (int l = 1; l <= L; ++l) {
        const auto& layer = in.layers[std::size_t(l - 1)];
        EXPECT_NEAR(layer.delta_norm, std::sqrt(delta_sq[std::size_t(l)] / n), 1e-12 * (1 + layer.delta_norm))
            << name << " layer " << l;
        EXPECT_EQ(layer.sigma_prime_cancels, l == L && cancels) << name << " layer " << l;
        for (int j = 0; j < net.size(l); ++j) {
          const double expected = saturated[std::size_t(l)][std::size_t(j)] / double(n);
          const double expected_dead = dead[std::size_t(l)][std::size_t(j)] / double(n);
          EXPECT_EQ(layer.saturation[j], expected) << name << " layer " << l << " neuron " << j;
          EXPECT_EQ(layer.dead[j], expected_dead) << name << " layer " << l << " neuron " << j;
          partial |= (expected > 0 && expected < 1) || (expected_dead > 0 && expected_dead < 1);
        }
      }
      if (h != Activation::linear) EXPECT_TRUE(partial) << name;
      else EXPECT_EQ(in.layers[0].saturation.sum(), 0.0);
    }
  }
}

// Nielsen ch. 3: the learning slowdown of a saturated sigmoid output exists under the quadratic cost and
// not under cross-entropy, where σ'(z^L) cancels out of BP1 (δ^L = a^L − y).
TEST(Inspect, SaturatedOutputCountsUnderQuadraticCostOnly) {
  for (Cost cost : {Cost::quadratic, Cost::cross_entropy}) {
    Model<double> model(config({2, 3, 1}, Activation::tanh, Activation::sigmoid, cost), 0, Init::nielsen, 2);
    model.network().W(2) *= 40.0;  // the output pinned near 0 or 1 on most examples
    std::vector<double> X, Y;
    make_data(60, 2, 1, Activation::sigmoid, 3, 4, X, Y);
    model.set_data(X, Y);
    const auto& out = model.inspect(Regularization::none, 0).layers[1];
    if (cost == Cost::quadratic) {
      EXPECT_GT(out.saturation[0], 0.5f);
      EXPECT_FALSE(out.sigma_prime_cancels);
    } else {
      EXPECT_EQ(out.saturation[0], 0.0f);
      EXPECT_TRUE(out.sigma_prime_cancels);
    }
    EXPECT_EQ(out.dead[0], 0.0f);  // not a ReLU
  }
}

TEST(Inspect, SoftmaxOutputReportsNoSaturation) {
  Model<double> model(config({2, 4, 3}, Activation::tanh, Activation::softmax, Cost::cross_entropy), 0, Init::nielsen, 2);
  model.network().W(2) *= 50.0;  // outputs pinned at 0 or 1
  std::vector<double> X, Y;
  make_data(40, 2, 3, Activation::softmax, 1, 4, X, Y);
  model.set_data(X, Y);
  EXPECT_EQ(model.inspect(Regularization::none, 0).layers[1].saturation.sum(), 0.0);
}

// ---- inspect: tiles, scratch, and training left alone ------------------------------------------------------

TEST(Inspect, TilesGiveTheSameNumbersAsOnePass) {
  Model<double> model(config({2, 8, 8, 3}, Activation::relu, Activation::softmax, Cost::cross_entropy), 0, Init::he, 5);
  std::vector<double> X, Y;
  make_data(50, 2, 3, Activation::softmax, 2, 3, X, Y);
  model.set_data(X, Y);
  const Inspection<double> whole = model.inspect(Regularization::l2, 0.3);
  for (std::size_t tile : {1u, 7u, 16u, 49u}) {
    const auto& t = model.inspect(Regularization::l2, 0.3, tile);
    EXPECT_NEAR(t.cost, whole.cost, 1e-14) << tile;
    EXPECT_EQ(t.accuracy, whole.accuracy) << tile;
    for (std::size_t l = 0; l < whole.layers.size(); ++l) {
      EXPECT_LE((t.layers[l].grad_W - whole.layers[l].grad_W).cwiseAbs().maxCoeff(), 1e-14) << tile;
      EXPECT_LE((t.layers[l].grad_b - whole.layers[l].grad_b).cwiseAbs().maxCoeff(), 1e-14) << tile;
      EXPECT_EQ(t.layers[l].saturation, whole.layers[l].saturation) << tile;
      EXPECT_NEAR(t.layers[l].delta_norm, whole.layers[l].delta_norm, 1e-14) << tile;
    }
  }
}

TEST(Inspect, ReusesItsBuffers) {
  Model<float> model(config({7, 16, 16, 1}, Activation::tanh, Activation::sigmoid, Cost::cross_entropy), kAllFeatures,
                     Init::xavier, 1);
  std::vector<double> X, Y;
  make_data(1100, 2, 1, Activation::sigmoid, 3, 6, X, Y);  // tiles of 512, 512 and 76 examples
  model.set_data(X, Y);
  const auto& first = model.inspect(Regularization::none, 0);
  const float* gW = first.layers[1].grad_W.data();
  const float* sat = first.layers[2].saturation.data();
  TrainOptions o;
  o.steps = 5;
  model.train(o);
  const auto& second = model.inspect(Regularization::l1, 0.01);
  EXPECT_EQ(&first, &second);
  EXPECT_EQ(second.layers[1].grad_W.data(), gW);
  EXPECT_EQ(second.layers[2].saturation.data(), sat);
}

TEST(Inspect, LeavesTrainingAlone) {
  // Two identical models train the same steps with shuffling; one inspects in between. The weights must stay
  // bit for bit the same (the epoch cursor, the shuffle order and the revert state are untouched), and the
  // last training pass (what layer(l) shows) is still the last step's.
  const auto cfg = config({2, 6, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic);
  Model<float> a(cfg, 0, Init::xavier, 9), b(cfg, 0, Init::xavier, 9);
  std::vector<double> X, Y;
  make_data(37, 2, 1, Activation::sigmoid, 4, 2, X, Y);
  a.set_data(X, Y);
  b.set_data(X, Y);
  TrainOptions o;
  o.steps = 3;
  o.batch_size = 5;
  o.shuffle = true;
  o.learning_rate = 0.5;
  for (int round = 0; round < 6; ++round) {
    a.train(o);
    b.train(o);
    const auto z = a.network().z(1);
    const auto delta = a.network().delta(1);
    const auto gW = a.network().grad_W(1);
    a.inspect(Regularization::l2, 0.1);
    EXPECT_EQ(a.network().batch_size(), 5u);
    EXPECT_EQ(a.network().z(1), z);
    EXPECT_EQ(a.network().delta(1), delta);
    EXPECT_EQ(a.network().grad_W(1), gW);
  }
  for (int l = 1; l <= 2; ++l) {
    EXPECT_EQ(a.network().W(l), b.network().W(l));
    EXPECT_EQ(a.network().b(l), b.network().b(l));
  }
  // the step that can be taken back is still the last training step
  EXPECT_TRUE(a.network().revert_last_step());
  EXPECT_TRUE(b.network().revert_last_step());
  EXPECT_EQ(a.network().W(1), b.network().W(1));
}

TEST(Inspect, BadInput) {
  Model<double> model(config({2, 3, 1}, Activation::tanh, Activation::sigmoid, Cost::quadratic), 0, Init::xavier, 1);
  EXPECT_THAT(error_of([&] { model.inspect(Regularization::none, 0); }), HasSubstr("inspect: no training data"));
  model.set_data({0, 1, 1, 0}, {1, 0});
  EXPECT_THAT(error_of([&] { model.inspect(Regularization::l2, NAN); }), HasSubstr("lambda: must be a finite number ≥ 0, got NaN"));
  EXPECT_THAT(error_of([&] { model.inspect(Regularization::l2, -1); }), HasSubstr("got -1"));
}

// ---- neuron_grid ---------------------------------------------------------------------------------------------

TEST(NeuronGrid, OutputBlockIsTheGridAndHiddenNeuronsAreAOfTheCellCentres) {
  const auto cfg = config({3, 4, 5, 2}, Activation::tanh, Activation::sigmoid, Cost::quadratic);
  Model<float> model(cfg, kX1 | kX2 | kX1X2, Init::nielsen, 6);
  const int res = 7;
  const double extent = 3.5;
  const std::vector<float> g = model.grid(res, extent);
  const std::vector<float>& ng = model.neuron_grid(res, extent);
  const std::size_t cells = std::size_t(res * res);
  ASSERT_EQ(ng.size(), std::size_t(4 + 5 + 2) * cells);
  // the output layer's block is grid(), value for value
  for (std::size_t i = 0; i < g.size(); ++i) ASSERT_EQ(ng[(4 + 5) * cells + i], g[i]) << i;
  // every hidden neuron by hand: features of the cell centre, then z = W a + b, a = tanh(z), layer by layer
  const auto& net = model.network();
  double worst = 0;
  for (int row = 0; row < res; ++row) {
    for (int col = 0; col < res; ++col) {
      const double step = 2 * extent / res;
      const double x1 = -extent + (col + 0.5) * step, x2 = extent - (row + 0.5) * step;  // row 0 at the top
      std::vector<double> a = {x1, x2, x1 * x2};  // the canonical order of the selected features
      std::size_t offset = 0;
      for (int l = 1; l <= 2; ++l) {
        std::vector<double> next(std::size_t(net.size(l)));
        for (int j = 0; j < net.size(l); ++j) {
          double z = net.b(l)[j];
          for (int k = 0; k < net.size(l - 1); ++k) z += double(net.W(l)(j, k)) * a[std::size_t(k)];
          next[std::size_t(j)] = std::tanh(z);
          const float got = ng[(offset + std::size_t(j)) * cells + std::size_t(row * res + col)];
          worst = std::max(worst, std::abs(double(got) - next[std::size_t(j)]));
        }
        offset += std::size_t(net.size(l));
        a = next;
      }
    }
  }
  EXPECT_LE(worst, 2e-4);  // the picture tanh is within 1e-4 of tanh, float rounding on top
  EXPECT_GT(worst, 0.0);   // (and it is the picture tanh, not bit-identical to the accurate one)
}

TEST(NeuronGrid, RawInputsAndValidation) {
  Model<double> model(config({2, 3, 1}, Activation::relu, Activation::linear, Cost::quadratic), 0, Init::he, 2);
  const auto& ng = model.neuron_grid(2, 1.0);
  ASSERT_EQ(ng.size(), 4u * 4u);
  // cell (row 1, col 0) is x = (−0.5, −0.5): neuron 1 of layer 1 is relu(W x + b) by hand
  const auto& net = model.network();
  const double z = net.W(1)(1, 0) * -0.5 + net.W(1)(1, 1) * -0.5 + net.b(1)[1];
  EXPECT_NEAR(ng[1 * 4 + 2], std::max(0.0, z), 1e-6);
  EXPECT_THAT(error_of([&] { model.neuron_grid(0, 6); }), HasSubstr("resolution: must be an integer in [1, 1024], got 0"));
  EXPECT_THAT(error_of([&] { model.neuron_grid(10, -1); }), HasSubstr("extent: must be a finite number > 0, got -1"));
  Model<float> wide(config({2, 4096, 1}, Activation::relu, Activation::linear, Cost::quadratic), 0, Init::he, 2);
  EXPECT_THAT(error_of([&] { wide.neuron_grid(1024, 6); }), HasSubstr("resolution: 4097 neurons × 1024² cells"));
  EXPECT_EQ(wide.neuron_grid(64, 6).size(), 4097u * 64u * 64u);  // below the limit: fine
  // grid() has the same limit (4096 × 1024² would wrap a 32-bit size_t in wasm)
  Model<float> many(config({2, 1, 4096}, Activation::relu, Activation::linear, Cost::quadratic), 0, Init::he, 2);
  EXPECT_THAT(error_of([&] { many.grid(1024, 6); }), HasSubstr("resolution: 4096 outputs × 1024² cells"));
}
