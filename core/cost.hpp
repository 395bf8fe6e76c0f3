// Cost functions C_x for one example x, and the output error δ^L = ∂C_x/∂z^L (BP1).
//
//   quadratic       C_x = ½ ‖y − a^L‖²                                   (Nielsen eq. 6, the seed notes')
//   cross-entropy   C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]       with a sigmoid output (eq. 63)
//                   C_x = −Σ_j y_j ln a_j                                 with a softmax output (eq. 80)
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "core/activation.hpp"
#include "core/errors.hpp"

namespace bp {

enum class Cost { quadratic, cross_entropy };

inline const char* to_string(Cost c) { return c == Cost::quadratic ? "quadratic" : "cross_entropy"; }

inline Cost parse_cost(const std::string& name) {
  if (name == "quadratic") return Cost::quadratic;
  if (name == "cross_entropy") return Cost::cross_entropy;
  fail("cost: unknown cost '", name, "' (expected quadratic or cross_entropy)");
}

// Cross-entropy needs outputs that are probabilities: a sigmoid (binary, one probability per output) or a
// softmax (categorical). With those, BP1 simplifies to δ^L = a^L − y (Nielsen eqs. 66 and 84).
inline void validate_cost(Cost cost, Activation output) {
  if (cost == Cost::cross_entropy && output != Activation::sigmoid && output != Activation::softmax)
    fail("output_activation: cross_entropy needs a sigmoid or softmax output, got '", to_string(output), "'");
}

// Σ_x C_x over the m examples (columns) of Z, A, Y (n_L × m), without regularisation.
// Cross-entropy is computed from z, not a, so that a saturated output gives a large finite cost instead of
// ln 0 = −∞:  ln a = −softplus(−z), ln(1 − a) = −softplus(z) for a sigmoid, where
// softplus(t) = ln(1 + e^t) = max(t, 0) + ln(1 + e^{−|t|});  ln a_j = z_j − logsumexp(z) for a softmax.
template <class S>
double cost_sum(Cost cost, Activation output, const Batch<S>& Z, const Batch<S>& A, const Batch<S>& Y) {
  if (cost == Cost::quadratic) return double(S(0.5) * (A - Y).squaredNorm());  // C_x = ½ ‖y − a^L‖²
  if (output == Activation::sigmoid) {
    const auto z = Z.array();
    const auto softplus_z = z.max(S(0)) + (-z.abs()).exp().log1p();  // softplus(z); softplus(−z) = softplus(z) − z
    return double((Y.array() * (softplus_z - z) + (S(1) - Y.array()) * softplus_z).sum());
  }
  // softmax: C_x = −Σ_j y_j (z_j − logsumexp(z))
  const Eigen::Matrix<S, 1, Eigen::Dynamic> mx = Z.colwise().maxCoeff();
  const Eigen::Matrix<S, 1, Eigen::Dynamic> lse =
      mx.array() + (Z.rowwise() - mx).array().exp().colwise().sum().log();
  return -double((Y.array() * (Z.rowwise() - lse).array()).sum());
}

// Whether σ'(z^L) cancels out of BP1: cross-entropy with a sigmoid or softmax output gives δ^L = a^L − y
// (eqs. 66, 84), so a saturated output neuron does not learn slowly there (Nielsen ch. 3).
inline bool sigma_prime_cancels(Cost cost, Activation output) {
  return cost == Cost::cross_entropy && (output == Activation::sigmoid || output == Activation::softmax);
}

// BP1: δ^L = ∇_a C ⊙ σ'(z^L), one column per example.
template <class S>
void output_delta(Cost cost, Activation output, const Batch<S>& Z, const Batch<S>& A, const Batch<S>& Y,
                  Batch<S>& delta) {
  // ∇_a C_x = a^L − y for the quadratic cost; with cross-entropy and a sigmoid or softmax output the
  // σ'(z) factor cancels and δ^L = a^L − y exactly (eqs. 66, 84), so both start from a − y.
  delta = A - Y;
  if (cost == Cost::cross_entropy) {
    // Eq. 84 assumes Σ_j y_j = 1. For any other targets the softmax gradient is δ_k = (Σ_j y_j) a_k − y_k,
    // which is what makes δ the exact derivative of the C_x we report.
    if (output == Activation::softmax) {
      const Eigen::Matrix<S, 1, Eigen::Dynamic> ysum = Y.colwise().sum();
      delta.array() = A.array().rowwise() * ysum.array() - Y.array();
    }
    return;
  }
  if (output != Activation::softmax) {
    times_derivative(output, Z, A, delta);  // ⊙ σ'(z^L)
    return;
  }
  // Quadratic cost with softmax: σ' is the Jacobian ∂a_j/∂z_k = a_j([j = k] − a_k), so
  // δ_j = a_j (g_j − Σ_k a_k g_k) with g = a − y.
  const Eigen::Matrix<S, 1, Eigen::Dynamic> ag = A.cwiseProduct(delta).colwise().sum();
  delta.array() = A.array() * (delta.rowwise() - ag).array();
}

}  // namespace bp
