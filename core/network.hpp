// A fully connected feed-forward network, trained by backpropagation and SGD, in the notation of
// Nielsen, "Neural Networks and Deep Learning", chapter 2.
//
//   z^l = W^l a^(l−1) + b^l,   a^l = σ(z^l)                  l = 1..L,  a^0 = x
//   BP1  δ^L = ∇_a C ⊙ σ'(z^L)
//   BP2  δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)
//   BP3  ∂C/∂b^l_j  = δ^l_j
//   BP4  ∂C/∂w^l_jk = a^(l−1)_k δ^l_j
//   SGD  W^l ← W^l − η ∂C/∂W^l,  b^l ← b^l − η ∂C/∂b^l
//
// Mini-batches are processed "fully matrix-based" (the book's chapter 2 exercise): the m examples of a
// batch are the columns of A^(l−1), so Z^l = W^l A^(l−1) + b^l 1ᵀ, and every equation below is one Eigen
// matrix expression over the whole batch. z^l, a^l and δ^l are kept as n_l × m column-major matrices
// (column i is example i), so one example's vector is contiguous.
//
// Conventions (they define `backprop-lab trace`; the README repeats them):
//   C = (1/n) Σ_x C_x + λ/(2n) Σ_l ‖W^l‖²   (L2)   or  + (λ/n) Σ_l Σ|w|  (L1, sign(0) = 0)
//   δ^l of one example is ∂C_x/∂z^l (no 1/n).
//   grad_W/grad_b after a pass over m examples: the mean of ∂C_x/∂W over them, plus (λ/n)W (or (λ/n)sign W);
//   biases are not regularised. With m = n that is the gradient of the full C.
//   One SGD step therefore is W ← (1 − ηλ/n)W − (η/m) Σ_x ∂C_x/∂W  and  b ← b − (η/m) Σ_x ∂C_x/∂b.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/activation.hpp"
#include "core/broken.hpp"
#include "core/cost.hpp"

namespace bp {

class Rng;

enum class Regularization { none, l1, l2 };
enum class Init { nielsen, xavier, he, uniform, zeros };

const char* to_string(Regularization r);
Regularization parse_regularization(const std::string& name);
const char* to_string(Init i);
Init parse_init(const std::string& name);

// Limits that keep a browser tab's memory safe: 4 M parameters are 32 MB in float64 (plus the same again
// for the update buffer), and a batch of activations stays a few MB.
constexpr int kMaxLayers = 34;          // input + up to 32 hidden layers + output
constexpr int kMaxLayerSize = 4096;
constexpr std::size_t kMaxParameters = std::size_t(1) << 22;

struct NetworkConfig {
  std::vector<int> layers;                          // n_0 (inputs), n_1, …, n_L (outputs)
  Activation activation = Activation::sigmoid;      // hidden layers
  Activation output_activation = Activation::sigmoid;
  Cost cost = Cost::quadratic;
};

// Throws bp::Error naming the bad field: fewer than two layers, sizes outside [1, kMaxLayerSize], too many
// layers or parameters, softmax as a hidden activation, cross-entropy without a sigmoid/softmax output.
void validate(const NetworkConfig& config);

// A neuron counts as saturated on an example when σ'(z) is below this fraction of σ's largest slope
// (¼ for sigmoid, 1 for tanh): its gradient is then all but gone (the "learning slowdown" of Nielsen ch. 3).
constexpr double kSaturationFraction = 0.05;

// The full-data diagnostics of Model::inspect. Network::accumulate adds sums into it; Model::inspect turns
// them into the means the comments name.
template <class S>
struct Inspection {
  struct Layer {
    Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> grad_W;  // ∂C/∂W^l (while summing: Σ_x ∂C_x/∂W^l)
    Eigen::Matrix<S, Eigen::Dynamic, 1> grad_b;                                // ∂C/∂b^l (while summing: Σ_x δ_x^l)
    Eigen::Matrix<S, Eigen::Dynamic, 1> saturation;  // per neuron: fraction of examples saturated (while summing: count)
    Eigen::Matrix<S, Eigen::Dynamic, 1> dead;        // per neuron, ReLU only: fraction with z ≤ 0 (while summing: count)
    bool sigma_prime_cancels = false;  // the output layer under cross-entropy with a sigmoid/softmax output
    double delta_sq = 0;     // Σ_x ‖δ_x^l‖²
    double delta_norm = 0;   // sqrt((1/n) Σ_x ‖δ_x^l‖²)
    double grad_W_norm = 0;  // ‖∂C/∂W^l‖ (Frobenius)
    double grad_b_norm = 0;  // ‖∂C/∂b^l‖
  };
  double cost = 0;      // C over the n examples, with the regularisation term (while summing: Σ_x C_x)
  double accuracy = 0;  // as Model::evaluate
  std::vector<Layer> layers;  // l = 1..L at index l − 1
};

template <class S>
class Network {
 public:
  using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;  // W, ∂C/∂W
  using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
  using Batch = bp::Batch<S>;  // n_l × m, column i is example i

  // The values of one forward pass over m examples; a[0] is the input.
  struct Pass {
    std::size_t m = 0;
    std::vector<Batch> z, a;
    // false: only a^L is needed afterwards (predictions, the grid), so σ is applied to z in place and
    // z^l is not kept — one pass over memory less per layer.
    bool keep_z = true;
    Batch w;  // scratch: (W^l)ᵀ, for forward()
  };

  explicit Network(NetworkConfig config);  // weights and biases start at zero: call initialize()

  const NetworkConfig& config() const { return config_; }
  int L() const { return int(config_.layers.size()) - 1; }  // number of weight layers
  int size(int l) const { return config_.layers[std::size_t(l)]; }  // n_l, l = 0..L
  Activation activation(int l) const { return l == L() ? config_.output_activation : config_.activation; }
  std::size_t parameter_count() const;

  // W^l (n_l × n_(l−1)) and b^l (n_l), l = 1..L as in the book.
  Matrix& W(int l) { return layers_[std::size_t(l - 1)].W; }
  const Matrix& W(int l) const { return layers_[std::size_t(l - 1)].W; }
  Vector& b(int l) { return layers_[std::size_t(l - 1)].b; }
  const Vector& b(int l) const { return layers_[std::size_t(l - 1)].b; }

  void initialize(Init scheme, std::uint64_t seed);

  // ---- one mini-batch: input → forward → cost → backward → apply ----------------------------------
  // Sizes the pass for m examples and returns a^0 (n_0 × m) for the caller to fill.
  Batch& input(std::size_t m);
  void forward() { forward(pass_); }
  // The same pass from layer l up, when only W^l, b^l or above changed since the last forward(): a^(l−1)
  // below is still what it was (the gradient check perturbs one parameter at a time).
  void forward_from(int l) { forward(pass_, l); }
  double cost_sum(const Batch& Y) const;  // Σ_x C_x over the pass (no regularisation), Y: n_L × m
  // BP1–BP4 over the current pass; n is the training-set size that scales the regularisation term.
  void backward(const Batch& Y, Regularization reg, double lambda, std::size_t n);
  // W ← W − η ∂C/∂W, b ← b − η ∂C/∂b. If any new value is NaN or ±∞ nothing changes and it returns false.
  bool apply_gradients(double eta);
  // The same update, always applied; returns whether every new value is finite (revert_last_step() undoes it).
  bool step(double eta);
  // Takes back the last apply_gradients (whose weights gave a non-finite cost on the next batch); false if
  // there is none to take back (the weights were set or re-initialised since).
  bool revert_last_step();
  // Call after changing W or b from outside (set weights, initialise): the last step can't be taken back.
  void forget_last_step() { can_revert_ = false; }

  // ---- "break an equation" (broken.hpp), a teaching switch, off by default ------------------------------
  // While an equation is broken, every backward pass of this network — SGD, accumulate (Model::inspect),
  // the step-through (explain.hpp) and the gradient check's backprop side — computes the broken gradient.
  // backward() and accumulate() stay the correct equations; the broken variants are in broken.cpp.
  Broken broken() const { return broken_; }
  void set_broken(Broken b) { broken_ = b; }  // Model::set_broken checks that it applies to this network
  // BP1–BP4 as this network is set to compute them: one branch per mini-batch, none in the equations.
  void backprop(const Batch& Y, Regularization reg, double lambda, std::size_t n) {
    if (broken_ == Broken::none) backward(Y, reg, lambda, n);
    else backward_broken(Y, reg, lambda, n);
  }
  // backward() and accumulate() with the equation broken() broken (broken.cpp).
  void backward_broken(const Batch& Y, Regularization reg, double lambda, std::size_t n);

  // `steps` SGD steps over the examples (columns) of X and Y, n = X.cols(): mini-batches of `batch` taken
  // in the order `order` (nullptr: 0, 1, …, n−1), the last one of an epoch shorter, wrapping around into
  // further epochs; with `shuffle`, `order` is reshuffled before each epoch. Stops at the first step that
  // diverges — it makes a weight NaN/±∞, or its weights make the next batch's cost NaN/±∞ — and takes
  // that step back.
  struct SgdResult {
    double cost_sum = 0;      // Σ C_x over the examples of the applied steps, measured before each step
    std::size_t examples = 0;
    std::int64_t steps = 0;
    bool diverged = false;
  };
  // `cursor` is the position in the epoch: where the first batch starts, and where the next call goes on.
  SgdResult sgd(const Batch& X, const Batch& Y, std::size_t* order, std::size_t batch, std::int64_t steps, double eta,
                Regularization reg, double lambda, Rng* shuffle, std::size_t& cursor);

  // λ/(2n) Σ‖W‖² (L2) or (λ/n) Σ|w| (L1); 0 for none.
  double regularization_cost(Regularization reg, double lambda, std::size_t n) const;

  // Forward pass into a caller-owned Pass (for predictions and the grid: the training pass, which the UI
  // shows, is left alone). Fill pass.a[0] (n_0 × m) after calling prepare(pass, m).
  void prepare(Pass& pass, std::size_t m) const;
  void forward(Pass& pass, int from = 1) const;  // layers from..L (from > 1: a^(from−1) is already there)

  // One forward and backward pass over the examples of `pass` (a[0] filled after prepare(pass, m)) that
  // changes nothing in the network: δ^l goes to the caller's `delta` (l = 1..L, sized n_l × m), and the
  // pass's Σ_x C_x, Σ_x ∂C_x/∂W^l, Σ_x ∂C_x/∂b^l, Σ_x ‖δ_x^l‖² and saturation counts are added to `sums`
  // (sized and zeroed by the caller). Model::inspect runs it over the training data tile by tile.
  void accumulate(Pass& pass, std::vector<Batch>& delta, const Batch& Y, Inspection<S>& sums) const;
  void accumulate_broken(Pass& pass, std::vector<Batch>& delta, const Batch& Y, Inspection<S>& sums) const;

  // The last training pass, l = 0..L for a, 1..L for the rest.
  std::size_t batch_size() const { return pass_.m; }
  const Batch& z(int l) const { return pass_.z[std::size_t(l)]; }
  const Batch& a(int l) const { return pass_.a[std::size_t(l)]; }
  const Batch& delta(int l) const { return delta_[std::size_t(l)]; }
  const Matrix& grad_W(int l) const { return layers_[std::size_t(l - 1)].grad_W; }
  const Vector& grad_b(int l) const { return layers_[std::size_t(l - 1)].grad_b; }

 private:
  struct Layer {
    Matrix W, W_next, grad_W;  // W_next: the update is written here and swapped in only if finite
    Vector b, b_next, grad_b;
  };
  NetworkConfig config_;
  std::vector<Layer> layers_;
  Pass pass_;
  std::vector<Batch> delta_;  // δ^l, n_l × m; index 0 unused
  Batch y_;                   // the targets of the current mini-batch
  bool can_revert_ = false;   // W_next/b_next hold the weights from before the last applied step
  double last_cost_ = 0;      // Σ C_x and m of the last applied step, to take them out of the stats on revert
  std::size_t last_m_ = 0;
  Broken broken_ = Broken::none;
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace bp
