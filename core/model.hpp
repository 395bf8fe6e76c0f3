// Model: a Network plus what training needs around it — the input features, the training data in the
// engine's own memory, the mini-batch schedule, divergence handling, evaluation, the decision-boundary
// grid and the gradient check. This is the object the JS API and the CLIs talk to; one call trains whole
// epochs so the JS↔wasm boundary is crossed once per epoch (or per frame), not once per example.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <vector>

#include "core/explain.hpp"
#include "core/features.hpp"
#include "core/gradient_check.hpp"
#include "core/network.hpp"
#include "core/principal.hpp"
#include "core/rng.hpp"

namespace bp {

constexpr std::size_t kMaxExamples = 1000000;
constexpr int kMaxGridResolution = 1024;
constexpr std::uint64_t kMaxGridValues = std::uint64_t(1) << 26;  // 256 MB of float: (neurons or outputs) × resolution²
constexpr std::size_t kInspectScratch = std::size_t(1) << 22;        // values of z, a, δ per inspect() tile
constexpr std::int64_t kMaxEpochs = 1000000000;     // per train() call
constexpr std::int64_t kMaxSteps = 1000000000000;   // per train() call
// Values in one array handed to the engine (data, points, a layer's weights): 2^24 is a 4096 × 4096 layer,
// and 128 MB as doubles. The JS API checks this before it copies anything into wasm memory.
constexpr std::size_t kMaxValues = std::size_t(1) << 24;
// A grid's half-width: its cells' features (x1², x1·x2) then stay finite in float32 (√FLT_MAX ≈ 1.8e19).
constexpr double kMaxGridExtent = 1e18;
// An epoch whose mean cost C_x is more than this many times the lowest known cost (since the data or the
// weights were last set) is "exploding": training goes on, but it does not become the checkpoint that a
// divergence goes back to (see Model::train).
constexpr double kExplodingFactor = 10;

struct TrainOptions {
  double learning_rate = 0.03;          // η > 0
  int batch_size = 10;                  // m ≥ 1; larger than n means one batch of n
  std::int64_t epochs = 1;              // whole passes over the data (ignored when steps > 0)
  std::int64_t steps = 0;               // if > 0: this many SGD steps, wrapping around into further epochs
  Regularization regularization = Regularization::none;
  double lambda = 0;                    // λ ≥ 0
  bool shuffle = false;                 // reshuffle before each epoch with the model's seeded RNG
};

struct TrainResult {
  // Not diverged: mean C_x over this call's examples, each measured before its step, + reg. term.
  // Diverged: C over the whole training data at the weights kept (the checkpoint's), + reg. term.
  double cost = 0;
  std::int64_t steps = 0;  // SGD steps of this call in the weights kept
  // A step made the cost or a weight NaN/±∞ (or left weights whose cost on the data is): training stopped
  // and the weights went back to the checkpoint, the end of epoch `restored_epoch`.
  bool diverged = false;
  std::int64_t restored_epoch = 0;  // when diverged: = epochs() after the rollback
};

struct Evaluation {
  double cost = 0;                                          // C over the given examples (with reg. term)
  double accuracy = 0;  // fraction classified right (meaningful for classification data)
};

// The parameter with the largest relative error: w^layer_jk, or b^layer_j when k = −1.
struct WorstParameter {
  int layer = 0, j = 0, k = -1;
  double backprop = 0, finite_difference = 0, relative_error = 0;
};

struct GradientCheckLayer {  // one layer's parameters W^l, b^l
  double max_relative_error = 0;
  double max_absolute_error = 0;
  std::size_t checked = 0, skipped = 0;
  bool has_worst = false;  // false when nothing of this layer was compared
  WorstParameter worst;
};

struct GradientCheckResult {
  double max_relative_error = 0;
  double max_absolute_error = 0;
  std::size_t checked = 0;     // parameters compared
  std::size_t skipped = 0;     // not compared: at a kink (a ReLU's z crossed 0 even at h/10, or |w| ≈ 0 under L1)
  std::size_t parameters = 0;  // in the network
  std::vector<GradientCheckLayer> layers;  // l = 1..L at index l − 1
  bool has_worst = false;
  WorstParameter worst;        // over all layers
};

// One SGD step on chosen examples (Model::step_examples).
struct ExampleStep {
  double cost_before = 0;  // (1/m) Σ_x C_x over the step's examples, before it (no regularisation term)
  double cost_after = 0;   // the same after it
  bool diverged = false;   // the step would have made a weight or the cost NaN/±∞: it was not applied
};

template <class S>
class Model {
 public:
  using Batch = bp::Batch<S>;

  // features = 0: inputs are rows of n_0 raw values. Otherwise inputs are 2D points (x1, x2) expanded to
  // the selected features (features.hpp), and layers[0] must equal their count.
  Model(const NetworkConfig& config, unsigned features, Init init, std::uint64_t seed)
      : net_(validated(config)), features_(features), init_(init), seed_(seed), shuffle_rng_(seed ^ 0x5eedf00dULL) {
    if (features != 0) {
      if (features > kAllFeatures) fail("features: unknown feature bits in mask ", features);
      if (feature_count(features) != config.layers[0])
        fail("layers[0]: must equal the number of selected features (", feature_count(features), "), got ",
             config.layers[0]);
    }
    net_.initialize(init, seed);
  }

  static const NetworkConfig& validated(const NetworkConfig& c) {
    bp::validate(c);  // here, before the Network is built: its constructor runs where exceptions are off (wasm)
    return c;
  }

  Network<S>& network() { return net_; }
  const Network<S>& network() const { return net_; }
  unsigned features() const { return features_; }
  Init init() const { return init_; }
  std::uint64_t seed() const { return seed_; }
  // Values per input row: 2 for a point when features are used, n_0 otherwise.
  int input_width() const { return features_ ? 2 : net_.size(0); }
  int outputs() const { return net_.size(net_.L()); }
  std::size_t examples() const { return n_; }

  // The mini-batch schedule: the order the examples are visited in (reshuffled before each epoch when
  // training shuffles), where in it the next step starts, whether it was ever shuffled, and the shuffle
  // generator's state. Together with the weights it decides every later SGD step, so a network that is saved
  // with it and gets it back (set_schedule, after the same set_data) trains on exactly as the original would:
  // a saved lab gives the same next epoch.
  struct Schedule {
    std::array<std::uint64_t, 4> rng{};
    bool shuffled = false;
    std::size_t cursor = 0;
    std::vector<std::size_t> order;
  };
  Schedule schedule() const { return {shuffle_rng_.state(), shuffled_, cursor_, order_}; }
  // Checked against the data now loaded: order a permutation of 0 … n−1, cursor < n. On error nothing changes.
  void set_schedule(const Schedule& s) {
    if (s.order.size() != n_)
      fail("schedule.order: has ", s.order.size(), " entries, the training data have ", n_, " examples");
    std::vector<bool> seen(n_, false);
    for (std::size_t i = 0; i < n_; ++i) {
      const std::size_t k = s.order[i];
      if (k >= n_ || seen[k]) fail("schedule.order: must list each example 0 … ", n_ - 1, " once; entry ", i, " is ", k);
      seen[k] = true;
    }
    if (n_ > 0 && s.cursor >= n_) fail("schedule.cursor: must be below the ", n_, " examples, got ", s.cursor);
    Rng probe(0);
    probe.set_state(s.rng);  // throws on the all-zero state before anything is changed
    shuffle_rng_.set_state(s.rng);
    order_ = s.order;
    shuffled_ = s.shuffled;
    cursor_ = s.cursor;
  }

  // Replaces W^l (row-major n_l × n_(l−1)) or b^l; for loading a saved model and for editing one weight
  // live. Validated first: on error the network is untouched.
  void set_weights(int l, const std::vector<double>& values) {
    check_layer(l);
    const auto& W = net_.W(l);
    if (values.size() != std::size_t(W.size()))
      fail("weights[", l - 1, "]: expected ", W.rows(), " × ", W.cols(), " = ", W.size(), " values, got ", values.size());
    check_values(values, ("weights[" + std::to_string(l - 1) + "]").c_str());
    std::copy(values.begin(), values.end(), net_.W(l).data());
    weights_set();
  }
  void set_biases(int l, const std::vector<double>& values) {
    check_layer(l);
    if (values.size() != std::size_t(net_.size(l)))
      fail("biases[", l - 1, "]: expected ", net_.size(l), " values, got ", values.size());
    check_values(values, ("biases[" + std::to_string(l - 1) + "]").c_str());
    std::copy(values.begin(), values.end(), net_.b(l).data());
    weights_set();
  }
  void check_layer(int l) const {
    if (l < 1 || l > net_.L()) fail("layer: must be an integer in [1, ", net_.L(), "], got ", l);
  }

  // Validates and stores the training data (row-major: n × input_width, n × n_L). On error the previous
  // data stay untouched.
  void set_data(const std::vector<double>& inputs, const std::vector<double>& targets) {
    Batch X, Y;
    const std::size_t n = to_columns(inputs, targets, X, Y);
    X_.swap(X);
    Y_.swap(Y);
    n_ = n;
    order_.resize(n_);
    std::iota(order_.begin(), order_.end(), std::size_t(0));
    shuffled_ = false;
    cursor_ = 0;
    // max |a^0| and max |y| over the data, for cost_surely_finite()
    x_max_ = double(X_.cwiseAbs().maxCoeff());
    y_max_ = double(Y_.cwiseAbs().maxCoeff());
    epochs_ = 0;
    restart_checkpoint();
  }

  // Whole epochs completed since set_data, counting only the steps kept: a divergence goes back to the
  // checkpoint's epoch.
  std::int64_t epochs() const { return epochs_; }

  // SGD over the stored data (Network::sgd), epoch by epoch, with a checkpoint to go back to.
  //
  // Divergence. Network::sgd stops at the first step that makes a weight NaN/±∞ or whose weights give the
  // next mini-batch a NaN/±∞ cost. Going back one step is not enough: weights can grow for many steps
  // (to |w| ~ 1e200) while every batch's cost stays finite, and no lower learning rate trains from there.
  // So the model keeps a checkpoint, and a diverged call restores it (its epoch, its place in the epoch)
  // and reports C over the whole data there. What becomes the checkpoint:
  //   - the weights when the data or the weights were last set (set_data, set_weights, set_biases);
  //   - then the weights at the end of an epoch e when both epoch e and epoch e + 1 were good: their mean
  //     cost C_x (measured during the epoch, each before its step — no extra forward pass) finite and not
  //     exploding (at most kExplodingFactor × the lowest cost known), and C on the whole data at the end
  //     of e finite. Epoch e + 1 is what measures the weights at the end of e (they are where it starts;
  //     with one batch per epoch its cost is exactly theirs): e's own mean describes the weights it
  //     passed through, and a blow-up in its last steps would not show in it.
  // A call also diverges when it would return weights whose C on the data is not finite, so
  // `diverged: false` always means the weights kept have a finite cost. "C is finite" is decided by
  // cost_surely_finite(), an O(P) bound, and only when that cannot tell by a forward pass over the data.
  // Full-data forward passes are thus: one on the first call after the data or the weights were set (the
  // checkpoint's cost: the reference for "exploding"), one per divergence, and one at an epoch's or a
  // call's end only for weights too large for the bound. Per epoch the rest costs a bound and a copy of the
  // weights, O(P), against the epoch's O(nP).
  TrainResult train(const TrainOptions& o) {
    validate(o);
    if (n_ == 0) fail("train: no training data (pass inputs and targets)");
    const std::size_t B = std::min<std::size_t>(std::size_t(o.batch_size), n_);
    const std::size_t per_epoch = (n_ + B - 1) / B;
    const std::int64_t total = o.steps > 0 ? o.steps : std::int64_t(per_epoch) * o.epochs;  // ≤ 1e6 · 1e9
    TrainResult r;
    r.cost = std::numeric_limits<double>::quiet_NaN();
    if (total == 0) return r;
    const auto reg = [&] { return net_.regularization_cost(o.regularization, o.lambda, n_); };
    if (checkpoint_pending_) start_checkpoint();
    if (at_checkpoint_ && !std::isfinite(checkpoint_cost_)) {
      // The weights as set already give a NaN/±∞ cost on these data: there is nothing to train from.
      r.diverged = true;
      r.cost = checkpoint_cost_ + reg();
      r.restored_epoch = epochs_;
      return r;
    }
    if (o.shuffle) shuffled_ = true;
    double cost = 0;
    std::size_t seen = 0;
    candidate_.steps = 0;  // a candidate from an earlier call holds none of this call's steps
    std::int64_t kept = 0;  // this call's steps in the checkpoint
    bool diverged = false, checked = false;
    for (std::int64_t left = total; left > 0 && !diverged;) {
      // to the end of the epoch at most: that is where the checkpoint can move
      const std::int64_t to_end = std::int64_t((n_ - cursor_ + B - 1) / B);
      const auto s = net_.sgd(X_, Y_, shuffled_ ? order_.data() : nullptr, B, std::min(left, to_end),
                              o.learning_rate, o.regularization, o.lambda, o.shuffle ? &shuffle_rng_ : nullptr,
                              cursor_);
      left -= s.steps;
      r.steps += s.steps;
      cost += s.cost_sum;
      seen += s.examples;
      epoch_cost_ += s.cost_sum;
      epoch_examples_ += s.examples;
      if (s.steps > 0) at_checkpoint_ = false;
      checked = false;
      if (s.diverged) {
        diverged = true;
      } else if (cursor_ == 0) {  // the epoch is complete
        ++epochs_;
        checked = true;
        if (!end_epoch(r.steps, kept, o)) diverged = true;
      }
    }
    if (!diverged && !checked && !at_checkpoint_ && !cost_finite(o)) diverged = true;
    if (!diverged) {
      r.cost = seen ? cost / double(seen) + reg() : std::numeric_limits<double>::quiet_NaN();
      return r;
    }
    restore_checkpoint();
    r.diverged = true;
    r.steps = kept;
    r.cost = checkpoint_cost_ + reg();
    r.restored_epoch = epochs_;
    return r;
  }

  // Cost C and accuracy over any examples (the stored training data are left alone).
  Evaluation evaluate(const std::vector<double>& inputs, const std::vector<double>& targets,
                      Regularization reg = Regularization::none, double lambda = 0) const {
    Batch X, Y;
    const std::size_t n = to_columns(inputs, targets, X, Y);
    double cost = 0;
    std::size_t correct = 0;
    const int L = net_.L();
    for_tiles(X, [&](std::size_t start, std::size_t m) {
      const auto y = Y.middleCols(Eigen::Index(start), Eigen::Index(m));
      cost += bp::cost_sum<S>(net_.config().cost, net_.config().output_activation, pass_.z[std::size_t(L)],
                              pass_.a[std::size_t(L)], y);
      correct += count_correct(pass_.a[std::size_t(L)], y);
    });
    Evaluation e;
    e.cost = cost / double(n) + net_.regularization_cost(reg, lambda, n);
    e.accuracy = double(correct) / double(n);
    return e;
  }

  // Outputs for n input rows, row-major n × n_L, in double.
  // (activations() of layer L: one instantiation of the tiled forward pass for both)
  std::vector<double> predict(const std::vector<double>& inputs, const char* field = "inputs") const {
    return activations(inputs, net_.L(), field);
  }

  // The decision boundary: the outputs over a resolution × resolution grid of cell centres covering
  // [−extent, extent]², row 0 at the top (x2 = +extent), column 0 at the left (x1 = −extent).
  // Layout: output-major, out[j · res² + row · res + col]. Computed in tiles that stay in cache.
  const std::vector<float>& grid(int resolution, double extent) {
    const std::size_t count = grid_cells(resolution, extent);
    const int nL = outputs();
    check_grid_size(std::size_t(nL), "outputs", resolution);
    grid_.resize(count * std::size_t(nL));
    for_grid_tiles(boundary_features_, resolution, extent, [&](std::size_t start, std::size_t m) {
      copy_layer(net_.L(), count, start, m, grid_.data());
    });
    return grid_;
  }

  // What every neuron computes over the same grid (same cells, same tiles, the same cheap picture tanh):
  // a^l_j for l = 1..L (hidden and output). Layout: neuron (l, j) at offset (Σ_{k=1}^{l−1} n_k + j) · res²,
  // cells in grid() order, so the output layer's block equals grid().
  const std::vector<float>& neuron_grid(int resolution, double extent) {
    const std::size_t count = grid_cells(resolution, extent);
    std::size_t neurons = 0;
    for (int l = 1; l <= net_.L(); ++l) neurons += std::size_t(net_.size(l));
    check_grid_size(neurons, "neurons", resolution);
    neuron_grid_.resize(neurons * count);
    for_grid_tiles(neuron_features_, resolution, extent, [&](std::size_t start, std::size_t m) {
      float* out = neuron_grid_.data();
      for (int l = 1; l <= net_.L(); ++l) {
        copy_layer(l, count, start, m, out);
        out += std::size_t(net_.size(l)) * count;
      }
    });
    return neuron_grid_;
  }

  // The state of the whole training set (set_data), for a page that draws it every frame: one forward and
  // backward pass (BP1–BP4) over all n examples at the current weights, without an SGD step. ∂C/∂W^l and
  // ∂C/∂b^l are those of the full C (mean over the n examples plus the regularisation term, as in
  // training); per layer also sqrt((1/n) Σ_x ‖δ_x^l‖²), the norms of the gradients, and per neuron the
  // fraction of examples on which it is saturated (σ'(z) < 5 % of max σ'; a ReLU with z ≤ 0; never for
  // linear; 0 for a softmax output). Training is not disturbed: the pass runs in this model's own scratch,
  // so the cursor in the epoch, the step that could be taken back, and the last training pass (what
  // layer(l) shows) all stay as they were. The data go through in tiles (`tile` examples each; 0 = the
  // default, inspect_tile(); the tests pass other sizes); after the first call with given data nothing is
  // resized, so a page calling it every frame allocates nothing.
  const Inspection<S>& inspect(Regularization reg, double lambda, std::size_t tile = 0) {
    if (!(lambda >= 0) || !std::isfinite(lambda)) fail("lambda: must be a finite number ≥ 0, got ", lambda);
    if (n_ == 0) fail("inspect: no training data (call setData first)");
    const int L = net_.L();
    Inspection<S>& in = inspection_;
    in.cost = 0;
    in.layers.resize(std::size_t(L));
    for (int l = 1; l <= L; ++l) {
      auto& layer = in.layers[std::size_t(l - 1)];
      layer.grad_W.setZero(net_.size(l), net_.size(l - 1));  // same size as last time: no allocation
      layer.grad_b.setZero(net_.size(l));
      layer.saturation.setZero(net_.size(l));
      layer.dead.setZero(net_.size(l));
      layer.delta_sq = 0;
    }
    if (tile == 0 || tile > n_) tile = inspect_tile();
    std::size_t correct = 0;
    for (std::size_t start = 0; start < n_; start += tile) {
      const std::size_t m = std::min(tile, n_ - start);
      // full tiles and the one shorter last tile each keep their own buffers, so nothing is resized
      InspectScratch& s = m == tile ? inspect_full_ : inspect_last_;
      net_.prepare(s.pass, m);
      s.delta.resize(std::size_t(L) + 1);
      for (int l = 1; l <= L; ++l) s.delta[std::size_t(l)].resize(net_.size(l), Eigen::Index(m));
      s.pass.a[0] = X_.middleCols(Eigen::Index(start), Eigen::Index(m));
      s.y = Y_.middleCols(Eigen::Index(start), Eigen::Index(m));
      if (net_.broken() == Broken::none) net_.accumulate(s.pass, s.delta, s.y, in);
      else net_.accumulate_broken(s.pass, s.delta, s.y, in);  // the teaching switch (broken.hpp)
      correct += count_correct(s.pass.a[std::size_t(L)], s.y);
    }
    // sums → means: C = (1/n) Σ_x C_x + reg. term; ∂C/∂W^l = (1/n) Σ_x ∂C_x/∂W^l + (λ/n) W^l (L2) or
    // (λ/n) sign(W^l) (L1); biases are not regularised (network.hpp, "Conventions").
    const double n = double(n_);
    in.cost = in.cost / n + net_.regularization_cost(reg, lambda, n_);
    in.accuracy = double(correct) / n;
    // (no_batch_mean, the teaching switch, forgets this 1/n: the sums are the broken "means")
    const S inv_n = net_.broken() == Broken::no_batch_mean ? S(1) : S(1 / n), decay = S(lambda / n);
    const bool cancels = sigma_prime_cancels(net_.config().cost, net_.config().output_activation);
    for (int l = 1; l <= L; ++l) {
      auto& layer = in.layers[std::size_t(l - 1)];
      layer.grad_W *= inv_n;
      if (reg == Regularization::l2) layer.grad_W += decay * net_.W(l);
      else if (reg == Regularization::l1) layer.grad_W += decay * net_.W(l).cwiseSign();  // sign(0) = 0
      layer.grad_b *= inv_n;
      layer.saturation /= S(n);  // counts → fractions
      // Cross-entropy with a sigmoid/softmax output: σ'(z^L) cancels out of BP1 (δ^L = a^L − y), so a
      // saturated output neuron learns as fast as any: not reported as saturated (Nielsen ch. 3).
      layer.sigma_prime_cancels = l == L && cancels;
      finish_dead(layer, S(n));
      layer.delta_norm = std::sqrt(layer.delta_sq / n);  // RMS over the examples of ‖δ_x^l‖
      layer.grad_W_norm = layer.grad_W.template cast<double>().norm();
      layer.grad_b_norm = layer.grad_b.template cast<double>().norm();
    }
    return in;
  }

  // Central finite differences (fourth order) of the full cost C against backprop's ∂C/∂W, ∂C/∂b on the given data,
  // in float64 whatever S is (a float64 copy of the network is checked, so this model's state is kept).
  // At most max_params parameters are compared: all of them if the net is small, else a seeded sample.
  // Per layer too, with the worst parameter of each: a broken equation (broken.hpp) shows up first in the
  // highest layer whose gradient it makes wrong.
  // `progress(done, total)`, when given, is called after each parameter (a big network's check takes seconds).
  GradientCheckResult gradient_check(const std::vector<double>& inputs, const std::vector<double>& targets,
                                     Regularization reg, double lambda, std::size_t max_params = 4096,
                                     double h = 1e-3,
                                     const std::function<void(std::size_t, std::size_t)>& progress = nullptr) const {
    Batch Xs, Ys;
    to_columns(inputs, targets, Xs, Ys);
    GradientChecker checker(net_, Xs.template cast<double>(), Ys.template cast<double>(), reg, lambda, h);
    struct Id { int l, j, k; };  // k = −1: b^l_j
    std::vector<Id> params;      // W^1 (row-major), b^1, W^2, b^2, …
    for (int l = 1; l <= net_.L(); ++l) {
      for (int j = 0; j < net_.size(l); ++j)
        for (int k = 0; k < net_.size(l - 1); ++k) params.push_back({l, j, k});
      for (int j = 0; j < net_.size(l); ++j) params.push_back({l, j, -1});
    }
    std::vector<std::size_t> pick(params.size());
    std::iota(pick.begin(), pick.end(), std::size_t(0));
    if (pick.size() > max_params) {
      Rng rng(seed_ ^ 0x9c4ec4ULL);
      rng.shuffle(pick.begin(), pick.end());
      pick.resize(max_params);
    }
    GradientCheckResult r;
    r.parameters = params.size();
    r.layers.resize(std::size_t(net_.L()));
    std::size_t done = 0;
    for (std::size_t idx : pick) {
      const Id id = params[idx];
      const ParameterCheck c = checker.check(id.l, id.j, id.k);
      if (progress) progress(++done, pick.size());
      GradientCheckLayer& layer = r.layers[std::size_t(id.l - 1)];
      if (c.skipped) {
        ++layer.skipped;
        ++r.skipped;
        continue;
      }
      ++layer.checked;
      ++r.checked;
      const WorstParameter w{id.l, id.j, id.k, c.backprop, c.finite_difference, c.relative_error};
      layer.max_absolute_error = std::max(layer.max_absolute_error, c.absolute_error);
      r.max_absolute_error = std::max(r.max_absolute_error, c.absolute_error);
      if (!layer.has_worst || c.relative_error > layer.worst.relative_error) {
        layer.worst = w;
        layer.has_worst = true;
        layer.max_relative_error = c.relative_error;
      }
      if (!r.has_worst || c.relative_error > r.worst.relative_error) {
        r.worst = w;
        r.has_worst = true;
        r.max_relative_error = c.relative_error;
      }
    }
    return r;
  }

  // The check of one parameter on the training data (set_data): w^l_jk, or b^l_j when k = −1.
  ParameterCheck gradient_check_parameter(int l, int j, int k, Regularization reg, double lambda, double h = 1e-3) const {
    if (n_ == 0) fail("gradientCheckParameter: no training data (call setData first)");
    check_layer(l);
    if (j < 0 || j >= net_.size(l)) fail("j: must be an integer in [0, ", net_.size(l) - 1, "] (neuron of layer ", l, "), got ", j);
    if (k < -1 || k >= net_.size(l - 1))
      fail("k: must be an integer in [-1, ", net_.size(l - 1) - 1, "] (−1 for the bias b^", l, "_j), got ", k);
    if (!(lambda >= 0) || !std::isfinite(lambda)) fail("lambda: must be a finite number ≥ 0, got ", lambda);
    GradientChecker checker(net_, X_.template cast<double>(), Y_.template cast<double>(), reg, lambda, h);
    return checker.check(l, j, k);
  }

  // ---- the step-through (explain.hpp) ------------------------------------------------------------------

  // Backprop on training examples `indices` (set_data's rows; one index = one example) with the current
  // weights, every factor kept (explain.hpp); training is not touched. The result lives until the next call.
  BP_MINSIZE const Explanation<S>& explain(const std::vector<double>& indices) {
    const std::vector<std::size_t> idx = check_indices(indices);
    prepare_explanation(net_, idx.size(), explanation_);
    gather(idx, explanation_.pass.a[0], explanation_.y);
    bp::explain(net_, explanation_);
    return explanation_;
  }

  // One SGD step on exactly the examples `indices` (a mini-batch of their count; one index is the notes'
  // per-example fit_partial): W ← W − η ∂C/∂W with ∂C/∂W the mean over them plus the regularisation term
  // scaled by the training-set size n, as train() does. The position in the epoch is not moved; the step
  // becomes the last step (layer(l) shows it, revert_step() takes it back).
  BP_MINSIZE ExampleStep step_examples(const std::vector<double>& indices, double eta, Regularization reg, double lambda) {
    if (!(eta > 0) || !std::isfinite(eta)) fail("learningRate: must be a finite number > 0, got ", eta);
    if (!(lambda >= 0) || !std::isfinite(lambda)) fail("lambda: must be a finite number ≥ 0, got ", lambda);
    const std::vector<std::size_t> idx = check_indices(indices);
    const std::size_t m = idx.size();
    gather(idx, step_x_, step_y_);
    // One step of the engine's own SGD (network.cpp) over exactly these m examples, as one batch with a
    // cursor of its own: train()'s code path, divergence checks included. It scales the regularisation by
    // the size of the data it is handed (m); this step scales it by the training set's n, so λ goes in as
    // λm/n: the decay term is (λ/n)W either way.
    std::size_t cursor = 0;
    const auto s = net_.sgd(step_x_, step_y_, nullptr, m, 1, eta, reg, lambda * double(m) / double(n_), nullptr, cursor);
    ExampleStep r;
    r.diverged = s.diverged;
    // C after the step (and before it, if it was refused), in a pass of its own: the training pass keeps the
    // values the step used, for layer(l)
    net_.prepare(step_pass_, m);
    step_pass_.keep_z = true;
    std::copy(step_x_.data(), step_x_.data() + step_x_.size(), step_pass_.a[0].data());
    net_.forward(step_pass_);
    const std::size_t L = std::size_t(net_.L());
    r.cost_after = cost_sum(net_.config().cost, net_.config().output_activation, step_pass_.z[L], step_pass_.a[L], step_y_) / double(m);
    r.cost_before = s.steps == 1 ? s.cost_sum / double(m) : r.cost_after;
    if (s.steps == 1 && !std::isfinite(r.cost_after)) {  // weights that make the cost NaN/±∞: as train() sees it
      net_.revert_last_step();
      r.diverged = true;
      r.cost_after = r.cost_before;
    }
    // Weights changed outside train(): its divergence checkpoint restarts from them (taken lazily by the next
    // train() call), so a later divergence never goes back past this step. The step stays revertible.
    if (!r.diverged) restart_checkpoint();
    return r;
  }

  // Takes back the last SGD step (step_examples' or train()'s last), exactly; false if there is none to take
  // back (weights set or initialised since, or already taken back).
  bool revert_step() {
    if (!net_.revert_last_step()) return false;
    restart_checkpoint();  // as after step_examples: the checkpoint restarts from the weights now
    return true;
  }

  // ---- break an equation (broken.hpp) ----------------------------------------------------------------------
  BP_MINSIZE void set_broken(Broken b) {
    if (int(b) < 0 || int(b) > int(Broken::no_batch_mean)) fail("broken: unknown equation number ", int(b));
    if (b == Broken::bp2_no_transpose) {
      bool square = false;  // BP2 uses W^l for l = 2..L
      for (int l = 2; l <= net_.L(); ++l) square |= net_.size(l) == net_.size(l - 1);
      if (!square)
        fail("broken: 'bp2_no_transpose' needs a square weight matrix W^l (n_l = n_(l−1)) for some layer l in [2, ",
             net_.L(), "], where W^l δ^l has the shape of (W^l)ᵀ δ^l; this network has none");
    }
    net_.set_broken(b);
  }
  Broken broken() const { return net_.broken(); }

  // ---- a layer's space (the hidden-space view) ------------------------------------------------------------

  // a^l (l = 0..L; 0 = the features) for n input rows, row-major n × n_l, computed exactly (not the grid's
  // picture activations).
  std::vector<double> activations(const std::vector<double>& inputs, int l, const char* field = "inputs") const {
    check_any_layer(l);
    Batch X;
    inputs_to_columns(inputs, X, field);
    struct Out {
      std::vector<double> values;
      std::size_t width;
    } out{std::vector<double>(std::size_t(X.cols()) * std::size_t(net_.size(l))), std::size_t(net_.size(l))};
    for_layer_tiles(X, l, &out, [](void* ctx, const Batch& a, std::size_t start, std::size_t m) {
      // a's columns (examples) are contiguous: a column-major n_l × m tile is the rows start … start + m − 1
      Out& o = *static_cast<Out*>(ctx);
      for (std::size_t k = 0; k < m * o.width; ++k) o.values[start * o.width + k] = double(a.data()[k]);
    });
    return std::move(out.values);
  }

  // The mean of a^l over the training data and its first two principal directions (principal.hpp).
  BP_MINSIZE PrincipalDirections principal_directions(int l) const {
    check_any_layer(l);
    if (n_ == 0) fail("principalDirections: no training data (call setData first)");
    const int nl = net_.size(l);
    if (nl > kMaxPrincipalWidth)
      fail("layer: principal directions are computed for layers of at most ", kMaxPrincipalWidth, " neurons; layer ", l,
           " has ", nl);
    // s1 = Σ_x (a_x − K), s2 = Σ_x (a_x − K)(a_x − K)ᵀ (its lower triangle, then mirrored), K = a of the first
    // example. Plain loops in double: an Eigen expression in double would bring double kernels into the
    // float-only page build (principal.hpp).
    struct Moments {
      std::size_t d;
      std::vector<double> K, s1, s2, v;
    } mo{std::size_t(nl), std::vector<double>(std::size_t(nl)), std::vector<double>(std::size_t(nl)),
         std::vector<double>(std::size_t(nl) * std::size_t(nl)), std::vector<double>(std::size_t(nl))};
    for_layer_tiles(X_, l, &mo, [](void* ctx, const Batch& a, std::size_t start, std::size_t m) {
      Moments& o = *static_cast<Moments*>(ctx);
      if (start == 0)
        for (std::size_t j = 0; j < o.d; ++j) o.K[j] = double(a.data()[j]);
      add_moments(a.data(), m, o.d, o.K.data(), o.s1.data(), o.s2.data(), o.v.data());
    });
    return bp::principal_directions(mo.K, mo.s1, mo.s2, double(n_));
  }

  const Batch& data_inputs() const { return X_; }    // n_0 × n, features expanded, column i = example i
  const Batch& data_targets() const { return Y_; }   // n_L × n


 private:
  // dead: counts → fractions; and no saturation where σ' cancels. (Apart, and small: the page draws inspect()
  // every frame, but this is a few values per neuron.)
  BP_MINSIZE static void finish_dead(typename Inspection<S>::Layer& layer, S n) {
    for (Eigen::Index j = 0; j < layer.dead.size(); ++j) {
      layer.dead[j] /= n;
      if (layer.sigma_prime_cancels) layer.saturation[j] = 0;
    }
  }

  void check_any_layer(int l) const {
    if (l < 0 || l > net_.L()) fail("layer: must be an integer in [0, ", net_.L(), "] (0 = the inputs), got ", l);
  }

  // Indices of training examples (from JS numbers): each an integer in [0, n).
  BP_MINSIZE std::vector<std::size_t> check_indices(const std::vector<double>& indices) const {
    if (n_ == 0) fail("indices: no training data (call setData first)");
    if (indices.empty() || indices.size() > kMaxExamples)
      fail("indices: must list 1 to ", kMaxExamples, " examples, got ", indices.size());
    std::vector<std::size_t> idx(indices.size());
    for (std::size_t i = 0; i < indices.size(); ++i) {
      const double v = indices[i];
      if (!(v >= 0 && v < double(n_) && v == std::floor(v)))
        fail("indices[", i, "]: must be an integer in [0, ", n_ - 1, "] (a training example), got ", v);
      idx[i] = std::size_t(v);
    }
    return idx;
  }

  // The examples idx of the training data as columns: X (n_0 × m), Y (n_L × m). (Columns are contiguous.)
  BP_MINSIZE void gather(const std::vector<std::size_t>& idx, Batch& X, Batch& Y) const {
    X.resize(X_.rows(), Eigen::Index(idx.size()));
    Y.resize(Y_.rows(), Eigen::Index(idx.size()));
    const std::size_t n0 = std::size_t(X_.rows()), nL = std::size_t(Y_.rows());
    for (std::size_t i = 0; i < idx.size(); ++i) {
      std::copy(X_.data() + idx[i] * n0, X_.data() + (idx[i] + 1) * n0, X.data() + i * n0);
      std::copy(Y_.data() + idx[i] * nL, Y_.data() + (idx[i] + 1) * nL, Y.data() + i * nL);
    }
  }

  // ---- the checkpoint (train()) -------------------------------------------------------------------

  // Weights with their epoch, their place in it and (steps) how many of the current train() call's steps
  // they hold.
  struct Snapshot {
    std::vector<typename Network<S>::Matrix> W;
    std::vector<typename Network<S>::Vector> b;
    std::int64_t epoch = 0;
    std::size_t cursor = 0;
    std::int64_t steps = 0;
    bool valid = false;
  };

  // The weights were set from outside (set_weights, set_biases): they are the new checkpoint.
  void weights_set() {
    net_.forget_last_step();
    restart_checkpoint();
  }
  // The data or the weights were set: the checkpoint becomes the current weights and the current place
  // in the epoch. Taken lazily, by the next train() call (loading a model sets every layer in turn).
  void restart_checkpoint() {
    checkpoint_pending_ = true;
    candidate_.valid = false;
    epoch_cost_ = 0;
    epoch_examples_ = 0;
  }
  // The weights now (with their epoch and place in it) into a snapshot.
  void snapshot(Snapshot& to, std::int64_t steps) const {
    to.W.resize(std::size_t(net_.L()));
    to.b.resize(std::size_t(net_.L()));
    for (int l = 1; l <= net_.L(); ++l) {
      to.W[std::size_t(l - 1)] = net_.W(l);
      to.b[std::size_t(l - 1)] = net_.b(l);
    }
    to.epoch = epochs_;
    to.cursor = cursor_;
    to.steps = steps;
    to.valid = true;
  }
  // After restart_checkpoint(): the weights now are the checkpoint, and their C on the data (one forward
  // pass) is the first reference for "exploding".
  void start_checkpoint() {
    snapshot(checkpoint_, 0);
    checkpoint_pending_ = false;
    at_checkpoint_ = true;
    checkpoint_cost_ = data_cost();
    best_cost_ = checkpoint_cost_;
  }
  void restore_checkpoint() {
    for (int l = 1; l <= net_.L(); ++l) {
      net_.W(l) = checkpoint_.W[std::size_t(l - 1)];
      net_.b(l) = checkpoint_.b[std::size_t(l - 1)];
    }
    net_.forget_last_step();
    epochs_ = checkpoint_.epoch;
    cursor_ = checkpoint_.cursor;
    epoch_cost_ = 0;
    epoch_examples_ = 0;
    candidate_.valid = false;
    at_checkpoint_ = true;
    if (std::isnan(checkpoint_cost_)) checkpoint_cost_ = data_cost();
  }
  // At the end of an epoch: false if training diverged (the epoch's mean cost, or C at the weights now,
  // is not finite). A good epoch confirms the candidate — the weights it started from — as the checkpoint
  // (`kept` becomes the call's steps up to it) and the weights now become the candidate.
  bool end_epoch(std::int64_t steps, std::int64_t& kept, const TrainOptions& o) {
    const double mean = epoch_examples_ ? epoch_cost_ / double(epoch_examples_) : 0;
    epoch_cost_ = 0;
    epoch_examples_ = 0;
    if (!std::isfinite(mean) || !cost_finite(o)) return false;
    if (mean > kExplodingFactor * best_cost_) {  // exploding: neither end of this epoch is trusted
      candidate_.valid = false;
      return true;
    }
    if (candidate_.valid) {
      std::swap(checkpoint_, candidate_);
      checkpoint_cost_ = std::numeric_limits<double>::quiet_NaN();  // measured if it is ever restored
      kept = checkpoint_.steps;
    }
    snapshot(candidate_, steps);
    if (!(mean >= best_cost_)) best_cost_ = mean;
    return true;
  }
  // Whether C on the training data is finite at the current weights, with the call's regularisation term
  // (weight decay alone can blow the weights up while the data's cost stays 0): by cost_surely_finite(),
  // or else by computing it.
  bool cost_finite(const TrainOptions& o) const {
    return std::isfinite(net_.regularization_cost(o.regularization, o.lambda, n_)) &&
           (cost_surely_finite() || std::isfinite(data_cost()));
  }

  // A bound that proves C finite without a forward pass. By the triangle inequality, for every example
  // |z^l_j| ≤ Σ_k |w^l_jk| · max|a^(l−1)| + |b^l_j|, with max|a^0| = max|x| over the data and
  // max|a^l| = 1 for sigmoid, tanh and softmax, = the bound on |z^l| for ReLU and linear. If every |z| and
  // every |y| stays below `limit`, every partial sum of the forward pass and the cost summed over a tile
  // ((2·limit)² × 1024 examples × 4096 outputs) is finite in S. O(P); false (the caller then computes C)
  // for weights too large to tell.
  bool cost_surely_finite() const {
    const double limit = sizeof(S) == 4 ? 1e12 : 1e150;
    if (!(y_max_ <= limit)) return false;
    double a = x_max_;
    for (int l = 1; l <= net_.L(); ++l) {
      const auto rows = net_.W(l).cwiseAbs().rowwise().sum().template cast<double>();
      const double z = (rows.array() * a + net_.b(l).cwiseAbs().template cast<double>().array()).maxCoeff();
      if (!(z <= limit)) return false;
      const Activation f = net_.activation(l);
      a = f == Activation::relu || f == Activation::linear ? z : 1.0;
    }
    return true;
  }
  // (1/n) Σ_x C_x over the training data at the current weights, without the regularisation term.
  double data_cost() const {
    double sum = 0;
    const std::size_t L = std::size_t(net_.L());
    for_tiles(X_, [&](std::size_t start, std::size_t m) {
      sum += bp::cost_sum<S>(net_.config().cost, net_.config().output_activation, pass_.z[L], pass_.a[L],
                             Y_.middleCols(Eigen::Index(start), Eigen::Index(m)));
    });
    return sum / double(n_);
  }

  // ---- checking values -----------------------------------------------------------------------------

  // Every value finite, and for a float32 model within float32's range (beyond it the value would become
  // ±∞: a weight of 1e39 in a model file, an input of 1e39). Same messages as the JS API.
  static void check_values(const std::vector<double>& v, const char* field) {
    constexpr double max = double(std::numeric_limits<S>::max());
    // All in range (NaN compares false, ±∞ is above max): one pass without branches, which the compiler
    // turns into SIMD; only a bad array is walked again to name its first bad value.
    bool ok = true;
    for (const double x : v) ok &= std::abs(x) <= max;
    if (ok) return;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!std::isfinite(v[i])) fail(field, "[", i, "]: must be a finite number, got ", v[i]);
      if (std::abs(v[i]) > max) fail(field, "[", i, "]: ", v[i], " is outside the ", precision_name(), " range (±", max, ")");
    }
  }
  static const char* precision_name() { return sizeof(S) == 4 ? "float32" : "float64"; }
  // After the features of n points were expanded into X: each must be finite in S (x1² overflows for
  // |x1| > 1.8e19 in float32). Names the point, its place in `field` and the feature.
  void check_features(const std::vector<double>& points, const Batch& X, const char* field) const {
    if (X.allFinite()) return;
    for (Eigen::Index i = 0; i < X.cols(); ++i) {
      for (Eigen::Index f = 0; f < X.rows(); ++f) {
        if (std::isfinite(X(f, i))) continue;
        unsigned bit = 0;  // the f-th selected feature, in bit order (expand_features)
        for (int k = 0, seen = -1; k < 7; ++k)
          if ((features_ & (1u << k)) && ++seen == f) {
            bit = 1u << k;
            break;
          }
        const double x1 = points[std::size_t(2 * i)], x2 = points[std::size_t(2 * i + 1)];
        const Feature feature = Feature(bit);
        // only x1², x2² and x1·x2 can leave the range: x1, x2 were checked, |sin| ≤ 1
        const double value = feature == kX1Sq ? x1 * x1 : feature == kX2Sq ? x2 * x2 : x1 * x2;
        fail(field, "[", 2 * i, "]: the point (", x1, ", ", x2, ") has feature ", feature_name(feature), " = ", value,
             ", outside the ", precision_name(), " range (±", double(std::numeric_limits<S>::max()), ")");
      }
    }
  }

  static void validate(const TrainOptions& o) {
    if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate))
      fail("learningRate: must be a finite number > 0, got ", o.learning_rate);
    if (o.batch_size < 1) fail("batchSize: must be an integer ≥ 1, got ", o.batch_size);
    if (o.epochs < 0 || o.epochs > kMaxEpochs) fail("epochs: must be an integer in [0, ", kMaxEpochs, "], got ", o.epochs);
    if (o.steps < 0 || o.steps > kMaxSteps) fail("steps: must be an integer in [0, ", kMaxSteps, "], got ", o.steps);
    if (!(o.lambda >= 0) || !std::isfinite(o.lambda)) fail("lambda: must be a finite number ≥ 0, got ", o.lambda);
  }

  // Feature expansion of n points (x1, x2) into the columns of X (n_0 × n).
  void expand(const double* points, std::size_t n, Batch& X) const {
    expand_scratch_.resize(std::size_t(net_.size(0)) * n);  // expand_features writes feature-major rows
    expand_features(features_, points, n, expand_scratch_.data());
    X = Eigen::Map<const Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        expand_scratch_.data(), net_.size(0), Eigen::Index(n));
  }

  // rows (n × width, one example per row) → X (n_0 × n, one example per column)
  void rows_to_columns(const std::vector<double>& rows, std::size_t n, Batch& X) const {
    if (features_) {
      expand(rows.data(), n, X);
      return;
    }
    // a row-major n × n_0 array is exactly a column-major n_0 × n matrix
    X = Eigen::Map<const bp::Batch<double>>(rows.data(), net_.size(0), Eigen::Index(n)).template cast<S>();
  }

  // The number of examples in `inputs` (n × input_width values); throws if the length is wrong.
  std::size_t count_rows(const std::vector<double>& inputs, const char* field = "inputs") const {
    const std::size_t w = std::size_t(input_width());
    if (inputs.empty() || inputs.size() % w != 0)
      fail(field, ": length must be a positive multiple of ", w, " (values per example), got ", inputs.size());
    const std::size_t n = inputs.size() / w;
    if (n > kMaxExamples) fail(field, ": at most ", kMaxExamples, " examples, got ", n);
    return n;
  }

  // Validates input rows and converts them to X; returns n. `field` names them in errors. On error X may
  // hold a partial result: callers convert into a temporary.
  std::size_t inputs_to_columns(const std::vector<double>& inputs, Batch& X, const char* field = "inputs") const {
    const std::size_t n = count_rows(inputs, field);
    check_values(inputs, field);
    rows_to_columns(inputs, n, X);
    if (features_) check_features(inputs, X, field);
    return n;
  }

  std::size_t to_columns(const std::vector<double>& inputs, const std::vector<double>& targets, Batch& X,
                         Batch& Y) const {
    const std::size_t n = count_rows(inputs), k = std::size_t(outputs());
    if (targets.size() != n * k)
      fail("targets: length must be ", n * k, " (", n, " examples × ", k, " outputs), got ", targets.size());
    check_values(inputs, "inputs");
    check_values(targets, "targets");
    rows_to_columns(inputs, n, X);
    if (features_) check_features(inputs, X, "inputs");
    Y = Eigen::Map<const bp::Batch<double>>(targets.data(), Eigen::Index(k), Eigen::Index(n)).template cast<S>();
    return n;
  }

  // Validates the grid's arguments; returns the number of cells, res².
  static std::size_t grid_cells(int resolution, double extent) {
    if (resolution < 1 || resolution > kMaxGridResolution)
      fail("resolution: must be an integer in [1, ", kMaxGridResolution, "], got ", resolution);
    if (!(extent > 0) || !std::isfinite(extent)) fail("extent: must be a finite number > 0, got ", extent);
    if (extent > kMaxGridExtent)
      fail("extent: at most ", kMaxGridExtent, " (beyond it x1² overflows float32), got ", extent);
    return std::size_t(resolution) * std::size_t(resolution);
  }

  // rows × resolution² values must stay below kMaxGridValues (and the product must not wrap around: size_t
  // is 32 bits in wasm, where 4096 × 1024² does).
  static void check_grid_size(std::size_t rows, const char* what, int resolution) {
    const std::uint64_t values = std::uint64_t(rows) * std::uint64_t(resolution) * std::uint64_t(resolution);
    if (values > kMaxGridValues)
      fail("resolution: ", rows, " ", what, " × ", resolution, "² cells = ", values, " values, more than the limit of ",
           kMaxGridValues, "; lower the resolution");
  }

  struct GridFeatures {  // grid_features()
    int resolution = 0;  // 0: empty
    double extent = 0;
    Batch a0;
  };

  // The forward pass over the grid's cell centres (see grid()) in tiles that stay in cache; after each,
  // grid_pass_.a[l] holds a^l of the tile's m cells and f(start, m) is called.
  template <class F>
  void for_grid_tiles(GridFeatures& kept, int resolution, double extent, F&& f) {
    const std::size_t res = std::size_t(resolution), count = res * res;
    const int n0 = net_.size(0);
    const std::size_t tile = 512;
    const double step = 2 * extent / double(res);
    std::vector<double>& x1 = grid_x1_, &x2 = grid_x2_;  // cell centres: x1 by column, x2 by row
    x1.resize(res);
    x2.resize(res);
    for (std::size_t c = 0; c < res; ++c) {
      x1[c] = -extent + (double(c) + 0.5) * step;
      x2[c] = extent - (double(c) + 0.5) * step;
    }
    for (std::size_t start = 0; start < count; start += tile) {
      const std::size_t m = std::min(tile, count - start);
      net_.prepare(grid_pass_, m);
      grid_pass_.keep_z = false;
      Batch& a0 = grid_pass_.a[0];
      std::size_t row = start / res, col = start % res;  // then counted along, no division per point
      if (const Batch* cached = features_ ? grid_features(kept, resolution, extent) : nullptr) {
        // columns start … start + m − 1 of a column-major n_0 × res² matrix: one contiguous block
        std::copy_n(cached->data() + start * std::size_t(n0), std::size_t(n0) * m, a0.data());
      } else if (features_) {
        grid_points_.resize(2 * m);
        for (std::size_t i = 0; i < m; ++i) {
          grid_points_[2 * i] = x1[col];
          grid_points_[2 * i + 1] = x2[row];
          if (++col == res) col = 0, ++row;
        }
        expand(grid_points_.data(), m, a0);
      } else {  // raw inputs: x1, x2, then zeros for any further input
        if (n0 > 2) a0.setZero();
        for (std::size_t i = 0; i < m; ++i) {
          a0(0, Eigen::Index(i)) = S(x1[col]);
          if (n0 > 1) a0(1, Eigen::Index(i)) = S(x2[row]);
          if (++col == res) col = 0, ++row;
        }
      }
      net_.forward(grid_pass_);
      f(start, m);
    }
  }

  // a^0 of every cell of a grid (the features of its cell centres, n_0 × res², columns in grid() order), kept
  // for the next call with the same resolution and extent: the features of a cell never change, and a page
  // asks for the same two grids every frame (the boundary's: grid(), the neurons': neuron_grid(), each with
  // its own entry), where sin x1, sin x2 of 10,000 cells cost as much as the forward pass itself. null (expand
  // per tile) when a grid's features would take more than kMaxCachedGridValues values.
  // (BP_MINSIZE: it runs once per resolution or extent; the copy out of it, in for_grid_tiles, is the hot part.)
  BP_MINSIZE const Batch* grid_features(GridFeatures& e, int resolution, double extent) {
    const std::size_t res = std::size_t(resolution), count = res * res;
    if (count * std::size_t(net_.size(0)) > kMaxCachedGridValues) return nullptr;
    if (e.resolution == resolution && e.extent == extent) return &e.a0;
    e.resolution = 0;  // not valid until filled (expand allocates, and may throw)
    grid_points_.resize(2 * count);
    for (std::size_t r = 0, i = 0; r < res; ++r)
      for (std::size_t c = 0; c < res; ++c, ++i) {
        grid_points_[2 * i] = grid_x1_[c];
        grid_points_[2 * i + 1] = grid_x2_[r];
      }
    expand(grid_points_.data(), count, e.a0);
    e.resolution = resolution;
    e.extent = extent;
    return &e.a0;
  }

  // a^l of the grid tile [start, start + m) into out: neuron j's cells at out[j · count + start …].
  void copy_layer(int l, std::size_t count, std::size_t start, std::size_t m, float* out) const {
    const Batch& a = grid_pass_.a[std::size_t(l)];
    for (int j = 0; j < net_.size(l); ++j) {
      float* o = out + std::size_t(j) * count + start;
      for (std::size_t i = 0; i < m; ++i) o[i] = float(a(j, Eigen::Index(i)));
    }
  }

  // Examples per tile of inspect(): 512, like the grid's tiles (a lab-sized layer's z, a and δ then stay in
  // cache; in node this was ~5 % faster than one tile of 2000 examples, and needs a quarter of the scratch),
  // fewer for wide networks so that z, a and δ of every layer fit in kInspectScratch values.
  std::size_t inspect_tile() const {
    std::size_t per_example = std::size_t(net_.size(0)) + std::size_t(outputs());  // a^0 and y
    for (int l = 1; l <= net_.L(); ++l) per_example += 3 * std::size_t(net_.size(l));
    return std::max<std::size_t>(1, std::min({n_, std::size_t(512), kInspectScratch / per_example}));
  }

  // The forward pass over X in tiles, calling f(ctx, a^l of the tile, start, m) after each (column i of a^l is
  // example start + i): one instantiation of for_tiles shared by predict, activations, principal_directions.
  using TileFn = void (*)(void* ctx, const Batch& a, std::size_t start, std::size_t m);
  void for_layer_tiles(const Batch& X, int l, void* ctx, TileFn f) const {
    for_tiles(X, [&](std::size_t start, std::size_t m) { f(ctx, pass_.a[std::size_t(l)], start, m); });
  }

  // Runs the forward pass over X in tiles of columns (into pass_), calling f(start, m) after each.
  template <class F>
  void for_tiles(const Batch& X, F&& f) const {
    const std::size_t n = std::size_t(X.cols()), tile = 1024;
    for (std::size_t start = 0; start < n; start += tile) {
      const std::size_t m = std::min(tile, n - start);
      net_.prepare(pass_, m);
      pass_.keep_z = true;  // evaluate() reads z^L (the cross-entropy cost is computed from z)
      pass_.a[0] = X.middleCols(Eigen::Index(start), Eigen::Index(m));
      net_.forward(pass_);
      f(start, m);
    }
  }

  // Accuracy: with 1 output the classes are the targets 0/1 (threshold ½); with k outputs, argmax.
  template <class Y>
  static std::size_t count_correct(const Batch& A, const Y& y) {
    std::size_t correct = 0;
    for (Eigen::Index i = 0; i < A.cols(); ++i) {
      if (A.rows() == 1) {
        correct += (A(0, i) >= S(0.5)) == (y(0, i) >= S(0.5));
      } else {
        Eigen::Index ja, jy;
        A.col(i).maxCoeff(&ja);
        y.col(i).maxCoeff(&jy);
        correct += ja == jy;
      }
    }
    return correct;
  }

  Network<S> net_;
  unsigned features_;
  Init init_;
  std::uint64_t seed_;
  Rng shuffle_rng_;
  Batch X_, Y_;
  std::size_t n_ = 0;
  std::vector<std::size_t> order_;
  bool shuffled_ = false;  // order_ is no longer 0, 1, …, n−1
  std::size_t cursor_ = 0;  // where in the epoch the next train() call goes on (set_data starts over)
  double x_max_ = 0, y_max_ = 0;  // max |a^0| and |y| over the data (cost_surely_finite)
  // train()'s checkpoint (the weights a divergence goes back to) and the candidate the next good epoch
  // confirms
  Snapshot checkpoint_, candidate_;
  bool checkpoint_pending_ = true;  // the current weights are the checkpoint, not yet copied
  bool at_checkpoint_ = false;      // no step since the checkpoint was taken or restored
  double checkpoint_cost_ = 0;      // mean C_x at the checkpoint, when known (NaN: not measured yet)
  double best_cost_ = 0;            // the lowest cost known since the data or weights were set
  double epoch_cost_ = 0;           // Σ C_x and the examples of the epoch so far (train())
  std::size_t epoch_examples_ = 0;
  std::int64_t epochs_ = 0;
  mutable typename Network<S>::Pass pass_;  // scratch for evaluate/predict
  typename Network<S>::Pass grid_pass_;
  mutable std::vector<S> expand_scratch_;  // reused by expand(): the grid calls it once per tile
  std::vector<double> grid_x1_, grid_x2_, grid_points_;
  GridFeatures boundary_features_, neuron_features_;  // grid_features(): grid()'s and neuron_grid()'s
  static constexpr std::size_t kMaxCachedGridValues = std::size_t(1) << 20;  // 4 MB in float32
  std::vector<float> grid_, neuron_grid_;
  struct InspectScratch {
    typename Network<S>::Pass pass;
    std::vector<Batch> delta;
    Batch y;
  };
  InspectScratch inspect_full_, inspect_last_;
  Inspection<S> inspection_;
  Explanation<S> explanation_;
  Batch step_x_, step_y_;  // the examples of step_examples
  typename Network<S>::Pass step_pass_;
};

}  // namespace bp
