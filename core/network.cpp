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

// ---- small kernels ---------------------------------------------------------------------------------
namespace {

// y += w x over m contiguous values. Written plainly so that clang vectorises it to f32x4/f64x2.
template <class S>
inline void axpy(S w, const S* x, S* y, std::size_t m) {
  for (std::size_t i = 0; i < m; ++i) y[i] += w * x[i];
}

// Σ_i x_i y_i with four fixed partial sums: the summation order is part of the source, so the result is
// the same natively and in wasm, and the compiler can still keep the four sums in one SIMD register.
template <class S>
inline S dot(const S* x, const S* y, std::size_t m) {
  S s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < m; ++i) s0 += x[i] * y[i];
  return (s0 + s1) + (s2 + s3);
}

// 0 if every value is finite, NaN otherwise (x − x is NaN exactly for NaN and ±∞).
template <class S>
inline S non_finite(const S* x, std::size_t count) {
  S s = 0;
  for (std::size_t i = 0; i < count; ++i) s += x[i] - x[i];
  return s;
}

}  // namespace

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
  pass.m = m;
  pass.z.resize(std::size_t(L()) + 1);
  pass.a.resize(std::size_t(L()) + 1);
  pass.a[0].resize(std::size_t(size(0)) * m);
  for (int l = 1; l <= L(); ++l) {
    pass.z[std::size_t(l)].resize(std::size_t(size(l)) * m);
    pass.a[std::size_t(l)].resize(std::size_t(size(l)) * m);
  }
}

template <class S>
S* Network<S>::input(std::size_t m) {
  prepare(pass_, m);
  for (int l = 1; l <= L(); ++l) delta_[std::size_t(l)].resize(std::size_t(size(l)) * m);
  return pass_.a[0].data();
}

template <class S>
void Network<S>::forward(Pass& pass) const {
  const std::size_t m = pass.m;
  for (int l = 1; l <= L(); ++l) {
    const std::size_t n_out = std::size_t(size(l)), n_in = std::size_t(size(l - 1));
    const S* a_prev = pass.a[std::size_t(l - 1)].data();
    S* z = pass.z[std::size_t(l)].data();
    const S* w = W(l).data();
    // z^l = W^l a^(l−1) + b^l: row j of Z is b_j + Σ_k w_jk (row k of A^(l−1)).
    for (std::size_t j = 0; j < n_out; ++j) {
      S* zj = z + j * m;
      std::fill(zj, zj + m, b(l)[Eigen::Index(j)]);
      const S* wj = w + j * n_in;
      for (std::size_t k = 0; k < n_in; ++k) axpy(wj[k], a_prev + k * m, zj, m);
    }
    // a^l = σ(z^l)
    activate(activation(l), z, pass.a[std::size_t(l)].data(), n_out, m);
  }
}

template <class S>
double Network<S>::cost_sum(const S* y) const {
  const std::size_t l = std::size_t(L());
  return bp::cost_sum(config_.cost, config_.output_activation, pass_.z[l].data(), pass_.a[l].data(), y,
                      std::size_t(size(L())), pass_.m);
}

template <class S>
void Network<S>::backward(const S* y, Regularization reg, double lambda, std::size_t n) {
  const std::size_t m = pass_.m;
  const int Lw = L();
  // BP1: δ^L = ∇_a C ⊙ σ'(z^L)
  output_delta(config_.cost, config_.output_activation, pass_.z[std::size_t(Lw)].data(),
               pass_.a[std::size_t(Lw)].data(), y, delta_[std::size_t(Lw)].data(), std::size_t(size(Lw)), m);
  const S inv_m = S(1) / S(m);
  const S decay = S(lambda / double(n));  // λ/n
  for (int l = Lw; l >= 1; --l) {
    const std::size_t n_out = std::size_t(size(l)), n_in = std::size_t(size(l - 1));
    const S* d = delta_[std::size_t(l)].data();
    const S* a_prev = pass_.a[std::size_t(l - 1)].data();
    Layer& layer = layers_[std::size_t(l - 1)];
    for (std::size_t j = 0; j < n_out; ++j) {
      const S* dj = d + j * m;
      // BP3: ∂C/∂b^l_j = δ^l_j, averaged over the batch
      S sum = 0;
      for (std::size_t i = 0; i < m; ++i) sum += dj[i];
      layer.grad_b[Eigen::Index(j)] = sum * inv_m;
      // BP4: ∂C/∂w^l_jk = a^(l−1)_k δ^l_j, averaged over the batch, + (λ/n) w (L2) or (λ/n) sign(w) (L1)
      S* gj = layer.grad_W.data() + j * n_in;
      const S* wj = layer.W.data() + j * n_in;
      for (std::size_t k = 0; k < n_in; ++k) {
        S g = dot(dj, a_prev + k * m, m) * inv_m;
        if (reg == Regularization::l2) g += decay * wj[k];
        else if (reg == Regularization::l1) g += decay * S((wj[k] > 0) - (wj[k] < 0));
        gj[k] = g;
      }
    }
    if (l == 1) break;
    // BP2: δ^(l−1) = ((W^l)ᵀ δ^l) ⊙ σ'(z^(l−1)); row k of (W^l)ᵀ δ^l is Σ_j w_jk (row j of δ^l).
    S* d_prev = delta_[std::size_t(l - 1)].data();
    std::fill(d_prev, d_prev + n_in * m, S(0));
    const S* w = layer.W.data();
    for (std::size_t j = 0; j < n_out; ++j)
      for (std::size_t k = 0; k < n_in; ++k) axpy(w[j * n_in + k], d + j * m, d_prev + k * m, m);
    times_derivative(activation(l - 1), pass_.z[std::size_t(l - 1)].data(),
                     pass_.a[std::size_t(l - 1)].data(), d_prev, n_in * m);
  }
}

template <class S>
bool Network<S>::apply_gradients(double eta_d) {
  const S eta = S(eta_d);
  S bad = 0;
  for (Layer& layer : layers_) {
    // W ← W − η ∂C/∂W  (= (1 − ηλ/n) W − (η/m) Σ_x ∂C_x/∂W for L2, since grad_W holds the (λ/n) W term)
    const std::size_t nw = std::size_t(layer.W.size()), nb = std::size_t(layer.b.size());
    const S* w = layer.W.data();
    const S* g = layer.grad_W.data();
    S* out = layer.W_next.data();
    for (std::size_t i = 0; i < nw; ++i) out[i] = w[i] - eta * g[i];
    // b ← b − η ∂C/∂b
    for (std::size_t i = 0; i < nb; ++i) layer.b_next[Eigen::Index(i)] = layer.b[Eigen::Index(i)] - eta * layer.grad_b[Eigen::Index(i)];
    bad += non_finite(out, nw) + non_finite(layer.b_next.data(), nb);
  }
  if (!(bad == S(0))) return false;  // diverged: keep the weights from before this step
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
    for (Eigen::Index i = 0; i < layer.W.size(); ++i) {
      const double w = layer.W.data()[i];
      sum += reg == Regularization::l2 ? w * w : std::abs(w);
    }
  return reg == Regularization::l2 ? lambda / (2.0 * double(n)) * sum   // λ/(2n) Σ w²
                                   : lambda / double(n) * sum;          // (λ/n) Σ |w|
}

template class Network<float>;
template class Network<double>;

}  // namespace bp
