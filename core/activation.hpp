// Activation functions σ and their derivatives σ', applied to a whole layer at once.
//
// A layer's values are stored neuron-major: n neurons × m examples, row-major, so neuron j's values over
// the mini-batch are contiguous (the book's "examples as columns"; see network.hpp). Every loop here runs
// over contiguous memory, which is what lets the compiler turn it into wasm SIMD.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/errors.hpp"

namespace bp {

enum class Activation { sigmoid, tanh, relu, linear, softmax };

inline const char* to_string(Activation f) {
  switch (f) {
    case Activation::sigmoid: return "sigmoid";
    case Activation::tanh: return "tanh";
    case Activation::relu: return "relu";
    case Activation::linear: return "linear";
    case Activation::softmax: return "softmax";
  }
  return "?";
}

// field names the option in the error, e.g. "activation" or "output_activation".
inline Activation parse_activation(const std::string& name, const char* field) {
  for (Activation f : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::linear,
                       Activation::softmax})
    if (name == to_string(f)) return f;
  fail(field, ": unknown activation '", name, "' (expected sigmoid, tanh, relu, linear or softmax)");
}

// ---- exp ------------------------------------------------------------------------------------------
// float64 uses the C library (the trace must match a float64 reference to 1e-9). float32 is the page's
// hot path: a branch-free exp the compiler vectorises to f32x4 — Cody–Waite reduction x = n ln2 + r and
// Cephes' degree-6 minimax polynomial for e^r, then 2^n built in the exponent bits. Max rel. error ~2 ulp.
inline double vexp(double x) { return std::exp(x); }
inline float vexp(float x) {
  x = std::min(88.3762626647949f, std::max(-87.3365447504019f, x));
  const float n = std::floor(x * 1.44269504088896341f + 0.5f);
  const float r = x - n * 0.693359375f - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

inline double vtanh(double x) { return std::tanh(x); }
// tanh(x) = 1 − 2/(e^{2x} + 1): saturates to ±1 correctly at both ends (e^{2x} → ∞ or 0).
inline float vtanh(float x) { return 1.0f - 2.0f / (vexp(2.0f * x) + 1.0f); }

// ---- a = σ(z) --------------------------------------------------------------------------------------
// z and a hold n neurons × m examples (row-major). Softmax normalises each example (column) over neurons.
template <class S>
void activate(Activation f, const S* z, S* a, std::size_t n, std::size_t m) {
  const std::size_t count = n * m;
  switch (f) {
    case Activation::sigmoid:  // σ(z) = 1 / (1 + e^{−z})
      for (std::size_t i = 0; i < count; ++i) a[i] = S(1) / (S(1) + vexp(-z[i]));
      break;
    case Activation::tanh:
      for (std::size_t i = 0; i < count; ++i) a[i] = vtanh(z[i]);
      break;
    case Activation::relu:  // max(0, z)
      for (std::size_t i = 0; i < count; ++i) a[i] = z[i] > S(0) ? z[i] : S(0);
      break;
    case Activation::linear:
      std::copy(z, z + count, a);
      break;
    case Activation::softmax: {
      // a_j = e^{z_j − max_k z_k} / Σ_k e^{z_k − max_k z_k}: shifting by the max avoids overflow.
      // Rows of a serve as scratch; the loops run over examples (contiguous) for every neuron j.
      S* mx = a;  // reuse row 0 of a for the column max and later the sum — written back last
      std::copy(z, z + m, mx);
      for (std::size_t j = 1; j < n; ++j)
        for (std::size_t i = 0; i < m; ++i) mx[i] = std::max(mx[i], z[j * m + i]);
      for (std::size_t j = n; j-- > 1;)  // rows 1..n−1 first, so row 0 (the max) is still intact
        for (std::size_t i = 0; i < m; ++i) a[j * m + i] = vexp(z[j * m + i] - mx[i]);
      for (std::size_t i = 0; i < m; ++i) a[i] = vexp(z[i] - mx[i]);
      // normalise: sum per example, then divide
      for (std::size_t i = 0; i < m; ++i) {
        S sum = 0;
        for (std::size_t j = 0; j < n; ++j) sum += a[j * m + i];
        const S inv = S(1) / sum;
        for (std::size_t j = 0; j < n; ++j) a[j * m + i] *= inv;
      }
      break;
    }
  }
}

// ---- d ← d ⊙ σ'(z) ---------------------------------------------------------------------------------
// The derivative is written in terms of a = σ(z) where that is how the book (and every float64
// reference) computes it: σ' = σ(1 − σ), tanh' = 1 − tanh². relu'(z) = [z > 0], so relu'(0) = 0.
// Softmax has no elementwise derivative (its Jacobian couples neurons): see cost.hpp.
template <class S>
void times_derivative(Activation f, const S* z, const S* a, S* d, std::size_t count) {
  switch (f) {
    case Activation::sigmoid:
      for (std::size_t i = 0; i < count; ++i) d[i] *= a[i] * (S(1) - a[i]);
      break;
    case Activation::tanh:
      for (std::size_t i = 0; i < count; ++i) d[i] *= S(1) - a[i] * a[i];
      break;
    case Activation::relu:
      for (std::size_t i = 0; i < count; ++i) d[i] = z[i] > S(0) ? d[i] : S(0);
      break;
    case Activation::linear:
      break;
    case Activation::softmax:
      fail("internal: softmax has no elementwise derivative");
  }
}

}  // namespace bp
