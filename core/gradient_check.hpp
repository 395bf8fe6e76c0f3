// The gradient check: backprop's ∂C/∂W, ∂C/∂b of the full cost C = (1/n) Σ_x C_x + (regularisation term)
// against central finite differences of C, in float64 whatever precision the network trains in (a float64
// copy is checked, so the network's own state is kept). While an equation is broken (broken.hpp) the
// backprop side is the broken gradient and the finite differences still measure the true C, so the check
// shows where the backward pass goes wrong.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/network.hpp"

namespace bp {

// Relative error of a finite-difference estimate: |g − ĝ| / max(|g|, |ĝ|, floor). The floor keeps
// gradients that are zero up to rounding (a dead ReLU, a zero-init symmetry) from dividing by ~0.
constexpr double kGradCheckFloor = 1e-6;

struct ParameterCheck {
  double backprop = 0;           // ∂C/∂θ by BP1–BP4 (broken, if an equation is)
  double finite_difference = 0;  // (−C(θ+2h) + 8C(θ+h) − 8C(θ−h) + C(θ−2h)) / 12h
  double relative_error = 0;
  double absolute_error = 0;
  // At a kink, where the derivative does not exist: the stencil moved a ReLU's z across 0 even at h/10, or
  // (L1) the weight is within h/400 of the kink of |w| at 0. Not counted in a whole-network check.
  bool skipped = false;
};

class GradientChecker {
 public:
  // A float64 copy of `source` (weights, biases and its broken switch), checked on the examples (columns)
  // of X (n_0 × n) and Y (n_L × n), with the given regularisation; h is the finite-difference step.
  template <class S>
  GradientChecker(const Network<S>& source, bp::Batch<double> X, bp::Batch<double> Y, Regularization reg, double lambda,
                  double h = 1e-3)
      : net_(source.config()), X_(std::move(X)), Y_(std::move(Y)), n_(std::size_t(X_.cols())), reg_(reg), lambda_(lambda), h_(h) {
    for (int l = 1; l <= net_.L(); ++l) {
      net_.W(l) = source.W(l).template cast<double>();
      net_.b(l) = source.b(l).template cast<double>();
    }
    net_.set_broken(source.broken());
    // backprop's gradient of the full C: one pass over all n examples
    cost();
    base_kinks_ = kinks();
    net_.backprop(Y_, reg_, lambda_, n_);
    for (int l = 1; l <= net_.L(); ++l) {
      grad_W_.push_back(net_.grad_W(l));
      grad_b_.push_back(net_.grad_b(l));
    }
  }

  const Network<double>& network() const { return net_; }
  double backprop_W(int l, int j, int k) const { return grad_W_[std::size_t(l - 1)](j, k); }
  double backprop_b(int l, int j) const { return grad_b_[std::size_t(l - 1)][j]; }

  // Parameter w^l_jk (k ≥ 0) or b^l_j (k = −1), 1 ≤ l ≤ L, 0-based j and k (the caller checks the ranges).
  ParameterCheck check(int l, int j, int k) {
    double* p = k < 0 ? net_.b(l).data() + j : &net_.W(l)(j, k);
    ParameterCheck r;
    r.backprop = k < 0 ? backprop_b(l, j) : backprop_W(l, j, k);
    const double saved = *p;
    // Under L1 the stencil must not straddle the kink of |w| at 0, so the step shrinks for small weights.
    double hp = reg_ == Regularization::l1 && saved != 0 ? std::min(h_, 0.25 * std::abs(saved)) : h_;
    r.skipped = hp < h_ * 1e-2;  // a weight this close to the L1 kink: the difference is rounding noise
    bool smooth = false;
    for (int attempt = 0; attempt < 2 && !smooth; ++attempt, hp /= 10) {  // try h, then h/10
      smooth = true;
      const auto at = [&](double t) {
        *p = t;
        const double c = cost(l);
        if (!base_kinks_.empty() && kinks() != base_kinks_) smooth = false;
        return c;
      };
      // fourth-order central difference, error O(h⁴)
      r.finite_difference = (-at(saved + 2 * hp) + 8 * at(saved + hp) - 8 * at(saved - hp) + at(saved - 2 * hp)) / (12 * hp);
    }
    *p = saved;
    stale_from_ = l;  // the pass from layer l up still holds the last perturbed value
    r.skipped = r.skipped || !smooth;
    r.absolute_error = std::abs(r.finite_difference - r.backprop);
    r.relative_error =
        r.absolute_error / std::max({std::abs(r.finite_difference), std::abs(r.backprop), kGradCheckFloor});
    return r;
  }

 private:
  // C at the current parameters, when only W^l, b^l and the layers above changed since the last pass:
  // a^(l−1) is the same, so the pass starts at layer l (on average half a pass on a deep net instead of a
  // whole one, 4 to 8 of them per parameter). A parameter checked before was put back after its pass, so
  // its layer and those above are recomputed too (stale_from_).
  double cost(int l = 1) {
    l = std::min(l, stale_from_);
    if (l <= 1) net_.input(n_) = X_;
    net_.forward_from(l);
    stale_from_ = net_.L() + 1;
    return net_.cost_sum(Y_) / double(n_) + net_.regularization_cost(reg_, lambda_, n_);
  }
  // ReLU is not differentiable at z = 0: a stencil that moves some z^l across 0 measures the kink, not the
  // gradient. The sign of every ReLU pre-activation, to detect that.
  std::vector<bool> kinks() const {
    std::vector<bool> sign;
    for (int l = 1; l <= net_.L(); ++l)
      if (net_.activation(l) == Activation::relu)
        for (Eigen::Index i = 0; i < net_.z(l).size(); ++i) sign.push_back(net_.z(l).data()[i] > 0);
    return sign;
  }

  Network<double> net_;
  bp::Batch<double> X_, Y_;
  std::size_t n_;
  Regularization reg_;
  double lambda_, h_;
  std::vector<bool> base_kinks_;
  int stale_from_ = 1;  // the lowest layer whose a^l does not match the parameters (1: no pass yet)
  std::vector<Network<double>::Matrix> grad_W_;
  std::vector<Network<double>::Vector> grad_b_;
};

}  // namespace bp
