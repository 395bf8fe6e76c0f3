#include "core/network.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <utility>

#include "core/kernels.hpp"
#include "core/rng.hpp"

namespace bp {

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
  forget_last_step();
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
  if (pass_.m == m && pass_.a.size() == std::size_t(L()) + 1) return pass_.a[0];  // buffers already sized
  prepare(pass_, m);
  for (int l = 1; l <= L(); ++l) delta_[std::size_t(l)].resize(size(l), Eigen::Index(m));
  return pass_.a[0];
}

template <class S>
void Network<S>::forward(Pass& pass, int from) const {
  for (int l = std::max(from, 1); l <= L(); ++l) {
    Batch& z = pass.z[std::size_t(l)];
    const Batch& a_prev = pass.a[std::size_t(l - 1)];
    const Matrix& w = W(l);
    if (pass.w.size() < w.size()) pass.w.resize(w.size(), 1);  // only grows: nothing allocated per step
    const Activation f = activation(l);
    if (!pass.keep_z && (f == Activation::tanh || f == Activation::sigmoid)) {
      // a^l = σ(W^l a^(l−1) + b^l) in one pass, σ with the cheaper tanh (the grid is a picture): z^l is
      // not kept, and each entry is activated in the register it was summed in
      Batch& a = pass.a[std::size_t(l)];
      if (f == Activation::tanh)
        kernel::affine(w.data(), b(l).data(), a_prev.data(), a.data(), w.rows(), w.cols(), a_prev.cols(),
                       pass.w.data(), picture_tanh_op<S>());
      else
        kernel::affine(w.data(), b(l).data(), a_prev.data(), a.data(), w.rows(), w.cols(), a_prev.cols(),
                       pass.w.data(), picture_sigmoid_op<S>());
      continue;
    }
    // z^l = W^l a^(l−1) + b^l
    kernel::affine(w.data(), b(l).data(), a_prev.data(), z.data(), w.rows(), w.cols(), a_prev.cols(), pass.w.data());
    // a^l = σ(z^l)
    if (pass.keep_z) {
      activate(f, z, pass.a[std::size_t(l)]);
    } else {
      activate_picture(f, z);  // relu, linear, softmax: in place
      pass.a[std::size_t(l)].swap(z);
    }
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
    const Batch& a_prev = pass_.a[std::size_t(l - 1)];
    Layer& layer = layers_[std::size_t(l - 1)];
    // BP3: ∂C/∂b^l = δ^l and BP4: ∂C/∂W^l = δ^l (a^(l−1))ᵀ, both averaged over the batch
    kernel::outer(delta.data(), a_prev.data(), inv_m, layer.grad_W.data(), layer.grad_b.data(), delta.rows(),
                  a_prev.rows(), delta.cols());
    // + (λ/n) W (L2) or (λ/n) sign(W) (L1)
    if (reg == Regularization::l2) layer.grad_W += decay * layer.W;
    else if (reg == Regularization::l1) layer.grad_W += decay * layer.W.cwiseSign();  // sign(0) = 0
    if (l == 1) break;
    // BP2: δ^(l−1) = ((W^l)ᵀ δ^l) ⊙ σ'(z^(l−1))
    Batch& prev = delta_[std::size_t(l - 1)];
    kernel::transposed(layer.W.data(), delta.data(), prev.data(), layer.W.rows(), layer.W.cols(), delta.cols());
    times_derivative(activation(l - 1), pass_.z[std::size_t(l - 1)], pass_.a[std::size_t(l - 1)], prev);
  }
}

namespace {
// sat_j += #examples (columns) on which σ'(z_j) < 5 % of max σ' (kSaturationFraction). σ' is read off a as
// in times_derivative; a ReLU with z ≤ 0 passes no gradient at all (relu'(0) = 0): it is dead on that
// example, counted in dead_j, apart from saturation (the lab marks the two differently).
template <class S>
void count_saturated(Activation f, const Batch<S>& Z, const Batch<S>& A, Eigen::Matrix<S, Eigen::Dynamic, 1>& sat,
                     Eigen::Matrix<S, Eigen::Dynamic, 1>& dead) {
  const S frac = S(kSaturationFraction);
  switch (f) {
    case Activation::sigmoid:  // σ' = σ(1 − σ) ≤ ¼
      sat.array() += (A.array() * (S(1) - A.array()) < S(0.25) * frac).template cast<S>().rowwise().sum();
      break;
    case Activation::tanh:     // tanh' = 1 − tanh² ≤ 1
      sat.array() += (S(1) - A.array().square() < frac).template cast<S>().rowwise().sum();
      break;
    case Activation::relu:
      dead.array() += (Z.array() <= S(0)).template cast<S>().rowwise().sum();
      break;
    case Activation::linear:   // σ' = 1: never saturated
    case Activation::softmax:  // no elementwise σ'; reported as 0
      break;
  }
}
}  // namespace

template <class S>
void Network<S>::accumulate(Pass& pass, std::vector<Batch>& delta, const Batch& Y, Inspection<S>& sums) const {
  const int Lw = L();
  pass.keep_z = true;  // BP1/BP2 and the cross-entropy cost read z
  forward(pass);
  const std::size_t Lu = std::size_t(Lw);
  sums.cost += bp::cost_sum(config_.cost, config_.output_activation, pass.z[Lu], pass.a[Lu], Y);
  // BP1: δ^L = ∇_a C ⊙ σ'(z^L)
  output_delta(config_.cost, config_.output_activation, pass.z[Lu], pass.a[Lu], Y, delta[Lu]);
  for (int l = Lw; l >= 1; --l) {
    const std::size_t lu = std::size_t(l);
    const Batch& d = delta[lu];
    auto& out = sums.layers[lu - 1];
    out.delta_sq += double(d.squaredNorm());
    // BP3: ∂C_x/∂b^l = δ_x^l and BP4: ∂C_x/∂W^l = δ_x^l (a_x^(l−1))ᵀ, each summed over the pass
    const Batch& a_prev = pass.a[lu - 1];
    kernel::add_outer(d.data(), a_prev.data(), S(1), out.grad_W.data(), out.grad_b.data(), d.rows(), a_prev.rows(),
                      d.cols());
    count_saturated(activation(l), pass.z[lu], pass.a[lu], out.saturation, out.dead);
    if (l == 1) break;
    // BP2: δ^(l−1) = ((W^l)ᵀ δ^l) ⊙ σ'(z^(l−1))
    Batch& prev = delta[lu - 1];
    kernel::transposed(W(l).data(), d.data(), prev.data(), W(l).rows(), W(l).cols(), d.cols());
    times_derivative(activation(l - 1), pass.z[lu - 1], pass.a[lu - 1], prev);
  }
}

namespace {
// out = p − η g, and whether any result is NaN or ±∞ (all exponent bits set), in one pass. The check is an
// integer OR, which the compiler vectorises (a floating-point sum would not be, and would be a second pass).
template <class S>
bool descend(const S* p, const S* g, S eta, S* out, std::size_t n) {
  using U = std::conditional_t<sizeof(S) == 4, std::uint32_t, std::uint64_t>;
  constexpr U exponent = sizeof(S) == 4 ? U(0x7f800000u) : U(0x7ff0000000000000ull);
  U bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const S v = p[i] - eta * g[i];
    out[i] = v;
    U bits;
    std::memcpy(&bits, &v, sizeof bits);
    bad |= U((bits & exponent) == exponent);
  }
  return bad == 0;
}
}  // namespace

template <class S>
bool Network<S>::step(double eta_d) {
  const S eta = S(eta_d);
  bool finite = true;
  for (Layer& layer : layers_) {
    // W ← W − η ∂C/∂W  (= (1 − ηλ/n) W − (η/m) Σ_x ∂C_x/∂W under L2, since ∂C/∂W holds the (λ/n) W term)
    finite &= descend(layer.W.data(), layer.grad_W.data(), eta, layer.W_next.data(), std::size_t(layer.W.size()));
    // b ← b − η ∂C/∂b
    finite &= descend(layer.b.data(), layer.grad_b.data(), eta, layer.b_next.data(), std::size_t(layer.b.size()));
    layer.W.swap(layer.W_next);  // W_next now holds the weights from before the step
    layer.b.swap(layer.b_next);
  }
  can_revert_ = true;
  return finite;
}

template <class S>
bool Network<S>::apply_gradients(double eta) {
  if (step(eta)) return true;
  revert_last_step();  // diverged: keep the weights from before this step
  return false;
}

template <class S>
bool Network<S>::revert_last_step() {
  if (!can_revert_) return false;
  for (Layer& layer : layers_) {
    layer.W.swap(layer.W_next);
    layer.b.swap(layer.b_next);
  }
  can_revert_ = false;
  return true;
}

template <class S>
typename Network<S>::SgdResult Network<S>::sgd(const Batch& X, const Batch& Y, std::size_t* order,
                                               std::size_t batch, std::int64_t steps, double eta, Regularization reg,
                                               double lambda, Rng* shuffle, std::size_t& cursor) {
  SgdResult r;
  const std::size_t n = std::size_t(X.cols());
  if (cursor >= n) cursor = 0;
  for (std::int64_t s = 0; s < steps; ++s) {
    if (cursor == 0 && shuffle) shuffle->shuffle(order, order + n);
    const std::size_t m = std::min(batch, n - cursor);  // the last batch of an epoch may be shorter
    Batch& a0 = input(m);
    y_.resize(Y.rows(), Eigen::Index(m));
    if (order) {  // gather the batch's examples
      for (std::size_t i = 0; i < m; ++i) {
        a0.col(Eigen::Index(i)) = X.col(Eigen::Index(order[cursor + i]));
        y_.col(Eigen::Index(i)) = Y.col(Eigen::Index(order[cursor + i]));
      }
    } else {
      a0 = X.middleCols(Eigen::Index(cursor), Eigen::Index(m));
      y_ = Y.middleCols(Eigen::Index(cursor), Eigen::Index(m));
    }
    forward();
    const double c = cost_sum(y_);
    if (!std::isfinite(c)) {
      // The weights of the previous step make this batch's cost NaN or infinite: that step diverged.
      // Take it back (its weights are still in W_next) and stop. (It may have been the last step of the
      // previous call: then there is nothing to take out of this call's figures.)
      if (revert_last_step() && r.steps > 0) {
        --r.steps;
        r.cost_sum -= last_cost_;
        r.examples -= last_m_;
      }
      r.diverged = true;
      break;
    }
    backprop(y_, reg, lambda, n);  // backward(), unless an equation is broken (teaching switch)
    // Checked after every step, not only through the next cost: a weight at ±∞ feeding a dead ReLU or a
    // saturated unit can leave the cost finite while the network is already broken.
    if (!step(eta)) {
      revert_last_step();
      r.diverged = true;
      break;
    }
    last_cost_ = c;
    last_m_ = m;
    r.cost_sum += c;
    r.examples += m;
    ++r.steps;
    cursor += m;
    if (cursor == n) cursor = 0;  // wrap around into the next epoch
  }
  return r;
}

template <class S>
double Network<S>::regularization_cost(Regularization reg, double lambda, std::size_t n) const {
  if (reg == Regularization::none || lambda == 0) return 0;
  // summed in double: in float32, w² overflows from |w| ≈ 1.8e19 while the weights themselves are finite
  double sum = 0;
  for (const Layer& layer : layers_) {
    const auto w = layer.W.template cast<double>();
    sum += reg == Regularization::l2 ? w.squaredNorm() : w.cwiseAbs().sum();
  }
  return reg == Regularization::l2 ? lambda / (2.0 * double(n)) * sum   // λ/(2n) Σ w²
                                   : lambda / double(n) * sum;          // (λ/n) Σ |w|
}

template class Network<float>;
template class Network<double>;

}  // namespace bp
