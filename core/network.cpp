#include "core/network.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/rng.hpp"

namespace bp {

const char* to_string(Regularization r) {
  switch (r) {
    case Regularization::none: return "none";
    case Regularization::l1: return "l1";
    case Regularization::l2: return "l2";
  }
  return "?";
}
Regularization parse_regularization(const std::string& name) {
  for (Regularization r : {Regularization::none, Regularization::l1, Regularization::l2})
    if (name == to_string(r)) return r;
  fail("regularization: unknown regularization '", name, "' (expected none, l1 or l2)");
}
const char* to_string(Init i) {
  switch (i) {
    case Init::nielsen: return "nielsen";
    case Init::xavier: return "xavier";
    case Init::he: return "he";
    case Init::uniform: return "uniform";
    case Init::zeros: return "zeros";
  }
  return "?";
}
Init parse_init(const std::string& name) {
  for (Init i : {Init::nielsen, Init::xavier, Init::he, Init::uniform, Init::zeros})
    if (name == to_string(i)) return i;
  fail("init: unknown init '", name, "' (expected nielsen, xavier, he, uniform or zeros)");
}

void validate(const NetworkConfig& c) {
  const auto& n = c.layers;
  if (n.size() < 2) fail("layers: need at least two layers (inputs and outputs), got ", n.size());
  if (int(n.size()) > kMaxLayers)
    fail("layers: at most ", kMaxLayers, " layers (", kMaxLayers - 2, " hidden), got ", n.size());
  std::size_t params = 0;
  for (std::size_t l = 0; l < n.size(); ++l) {
    if (n[l] < 1 || n[l] > kMaxLayerSize)
      fail("layers[", l, "]: size must be an integer in [1, ", kMaxLayerSize, "], got ", n[l]);
    if (l > 0) params += std::size_t(n[l]) * std::size_t(n[l - 1] + 1);
  }
  if (params > kMaxParameters)
    fail("layers: ", params, " parameters exceed the limit of ", kMaxParameters);
  if (c.activation == Activation::softmax)
    fail("activation: softmax is only available as output_activation");
  validate_cost(c.cost, c.output_activation);
}

// ---- Network -----------------------------------------------------------------------------------------

template <class S>
Network<S>::Network(NetworkConfig config) : config_(std::move(config)) {
  validate(config_);
  layers_.resize(std::size_t(L()));
  for (int l = 1; l <= L(); ++l) {
    Layer& layer = layers_[std::size_t(l - 1)];
    layer.W = Matrix::Zero(size(l), size(l - 1));
    layer.W_next = layer.grad_W = layer.W;
    layer.b = Vector::Zero(size(l));
    layer.b_next = layer.grad_b = layer.b;
  }
  delta_.resize(std::size_t(L()) + 1);
  prepare(pass_, 0);
}

template <class S>
std::size_t Network<S>::parameter_count() const {
  std::size_t p = 0;
  for (int l = 1; l <= L(); ++l) p += std::size_t(size(l)) * std::size_t(size(l - 1) + 1);
  return p;
}

// Weights are drawn layer by layer, W^l row by row, then b^l, from one seeded stream of our own RNG, in
// double, then rounded to S: the same seed gives the same network natively and in wasm, in either precision.
template <class S>
void Network<S>::initialize(Init scheme, std::uint64_t seed) {
  Rng rng(seed);
  for (int l = 1; l <= L(); ++l) {
    const double n_in = size(l - 1), n_out = size(l);
    Matrix& w = W(l);
    Vector& bias = b(l);
    for (Eigen::Index i = 0; i < w.size(); ++i) {
      double v = 0;
      switch (scheme) {
        case Init::nielsen: v = rng.normal() / std::sqrt(n_in); break;       // N(0, 1/n_in), network2.py
        case Init::xavier: {                                                   // Glorot uniform
          const double r = std::sqrt(6.0 / (n_in + n_out));
          v = rng.uniform(-r, r);
          break;
        }
        case Init::he: v = rng.normal() * std::sqrt(2.0 / n_in); break;       // N(0, 2/n_in)
        case Init::uniform: v = rng.uniform(-0.5, 0.5); break;                // TensorFlow Playground
        case Init::zeros: v = 0; break;                                        // shows the symmetry problem
      }
      w.data()[i] = S(v);
    }
    for (Eigen::Index j = 0; j < bias.size(); ++j) {
      double v = 0;
      if (scheme == Init::nielsen) v = rng.normal();        // N(0, 1)
      else if (scheme == Init::uniform) v = 0.1;            // Playground's bias
      bias[j] = S(v);
    }
  }
}

template <class S>
void Network<S>::prepare(Pass& pass, std::size_t m) const {
  const Eigen::Index cols = Eigen::Index(m);
  pass.m = m;
  pass.z.resize(std::size_t(L()) + 1);
  pass.a.resize(std::size_t(L()) + 1);
  pass.a[0].resize(size(0), cols);
  for (int l = 1; l <= L(); ++l) {
    pass.z[std::size_t(l)].resize(size(l), cols);
    pass.a[std::size_t(l)].resize(size(l), cols);
  }
}

template <class S>
typename Network<S>::Batch& Network<S>::input(std::size_t m) {
  prepare(pass_, m);
  for (int l = 1; l <= L(); ++l) delta_[std::size_t(l)].resize(size(l), Eigen::Index(m));
  return pass_.a[0];
}

template <class S>
void Network<S>::forward(Pass& pass) const {
  for (int l = 1; l <= L(); ++l) {
    Batch& z = pass.z[std::size_t(l)];
    z.noalias() = W(l) * pass.a[std::size_t(l - 1)];  // z^l = W^l a^(l−1) + b^l
    z.colwise() += b(l);
    activate(activation(l), z, pass.a[std::size_t(l)]);  // a^l = σ(z^l)
  }
}

template <class S>
double Network<S>::cost_sum(const Batch& Y) const {
  const std::size_t l = std::size_t(L());
  return bp::cost_sum(config_.cost, config_.output_activation, pass_.z[l], pass_.a[l], Y);
}

template <class S>
void Network<S>::backward(const Batch& Y, Regularization reg, double lambda, std::size_t n) {
  const int Lw = L();
  // BP1: δ^L = ∇_a C ⊙ σ'(z^L)
  output_delta(config_.cost, config_.output_activation, pass_.z[std::size_t(Lw)], pass_.a[std::size_t(Lw)], Y,
               delta_[std::size_t(Lw)]);
  const S inv_m = S(1) / S(pass_.m);
  const S decay = S(lambda / double(n));  // λ/n
  for (int l = Lw; l >= 1; --l) {
    const Batch& delta = delta_[std::size_t(l)];
    Layer& layer = layers_[std::size_t(l - 1)];
    // BP3: ∂C/∂b^l = δ^l, averaged over the batch
    layer.grad_b.noalias() = delta.rowwise().sum() * inv_m;
    // BP4: ∂C/∂W^l = δ^l (a^(l−1))ᵀ, averaged over the batch; + (λ/n) W (L2) or (λ/n) sign(W) (L1)
    layer.grad_W.noalias() = inv_m * delta * pass_.a[std::size_t(l - 1)].transpose();
    if (reg == Regularization::l2) layer.grad_W += decay * layer.W;
    else if (reg == Regularization::l1) layer.grad_W += decay * layer.W.cwiseSign();  // sign(0) = 0
    if (l == 1) break;
    // BP2: δ^(l−1) = ((W^l)ᵀ δ^l) ⊙ σ'(z^(l−1))
    Batch& prev = delta_[std::size_t(l - 1)];
    prev.noalias() = layer.W.transpose() * delta;
    times_derivative(activation(l - 1), pass_.z[std::size_t(l - 1)], pass_.a[std::size_t(l - 1)], prev);
  }
}

template <class S>
bool Network<S>::apply_gradients(double eta_d) {
  const S eta = S(eta_d);
  double sum = 0;  // NaN or ±∞ if any new value is (a sum of finite values overflowing means divergence too)
  for (Layer& layer : layers_) {
    // W ← W − η ∂C/∂W  (= (1 − ηλ/n) W − (η/m) Σ_x ∂C_x/∂W under L2, since ∂C/∂W holds the (λ/n) W term)
    layer.W_next.noalias() = layer.W - eta * layer.grad_W;
    // b ← b − η ∂C/∂b
    layer.b_next.noalias() = layer.b - eta * layer.grad_b;
    sum += double(layer.W_next.sum()) + double(layer.b_next.sum());
  }
  if (!std::isfinite(sum)) return false;  // diverged: keep the weights from before this step
  for (Layer& layer : layers_) {
    layer.W.swap(layer.W_next);
    layer.b.swap(layer.b_next);
  }
  return true;
}

template <class S>
double Network<S>::regularization_cost(Regularization reg, double lambda, std::size_t n) const {
  if (reg == Regularization::none || lambda == 0) return 0;
  double sum = 0;
  for (const Layer& layer : layers_)
    sum += reg == Regularization::l2 ? double(layer.W.squaredNorm()) : double(layer.W.cwiseAbs().sum());
  return reg == Regularization::l2 ? lambda / (2.0 * double(n)) * sum   // λ/(2n) Σ w²
                                   : lambda / double(n) * sum;          // (λ/n) Σ |w|
}

template class Network<float>;
template class Network<double>;

}  // namespace bp
