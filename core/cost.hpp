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

// softplus(t) = ln(1 + e^t), computed without overflow for any t.
inline double softplus(double t) { return std::max(t, 0.0) + std::log1p(std::exp(-std::abs(t))); }

// Σ_x C_x over the m examples of a layer (n outputs × m, row-major), in double whatever S is.
// Cross-entropy is computed from z, not a, so that a saturated output gives a large finite cost instead of
// ln 0 = −∞:  ln a = −softplus(−z), ln(1 − a) = −softplus(z) for a sigmoid; ln a_j = z_j − logsumexp(z).
template <class S>
double cost_sum(Cost cost, Activation output, const S* z, const S* a, const S* y, std::size_t n,
                std::size_t m) {
  double total = 0;
  if (cost == Cost::quadratic) {
    for (std::size_t i = 0; i < n * m; ++i) {
      const double e = double(a[i]) - double(y[i]);
      total += 0.5 * e * e;  // C_x = ½ ‖y − a^L‖²
    }
  } else if (output == Activation::sigmoid) {
    for (std::size_t i = 0; i < n * m; ++i)  // C_x = y softplus(−z) + (1 − y) softplus(z)
      total += double(y[i]) * softplus(-double(z[i])) + (1.0 - double(y[i])) * softplus(double(z[i]));
  } else {  // softmax: C_x = −Σ_j y_j (z_j − logsumexp(z))
    for (std::size_t i = 0; i < m; ++i) {
      double mx = z[i];
      for (std::size_t j = 1; j < n; ++j) mx = std::max(mx, double(z[j * m + i]));
      double s = 0;
      for (std::size_t j = 0; j < n; ++j) s += std::exp(double(z[j * m + i]) - mx);
      const double lse = mx + std::log(s);
      for (std::size_t j = 0; j < n; ++j) total -= double(y[j * m + i]) * (double(z[j * m + i]) - lse);
    }
  }
  return total;
}

// BP1: δ^L = ∇_a C ⊙ σ'(z^L), one column per example.
template <class S>
void output_delta(Cost cost, Activation output, const S* z, const S* a, const S* y, S* delta,
                  std::size_t n, std::size_t m) {
  const std::size_t count = n * m;
  // ∇_a C_x = a^L − y for the quadratic cost; with cross-entropy and a sigmoid or softmax output the
  // σ'(z) factor cancels and δ^L = a^L − y exactly (eqs. 66, 84), so both start from a − y.
  for (std::size_t i = 0; i < count; ++i) delta[i] = a[i] - y[i];
  if (cost == Cost::cross_entropy) return;
  if (output != Activation::softmax) {
    times_derivative(output, z, a, delta, count);  // ⊙ σ'(z^L)
    return;
  }
  // Quadratic cost with softmax: σ' is the Jacobian ∂a_j/∂z_k = a_j([j = k] − a_k), so
  // δ_j = a_j (g_j − Σ_k a_k g_k) with g = a − y.
  for (std::size_t i = 0; i < m; ++i) {
    S dot = 0;
    for (std::size_t k = 0; k < n; ++k) dot += a[k * m + i] * delta[k * m + i];
    for (std::size_t j = 0; j < n; ++j) delta[j * m + i] = a[j * m + i] * (delta[j * m + i] - dot);
  }
}

}  // namespace bp
