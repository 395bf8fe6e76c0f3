// Activation functions σ and their derivatives σ', applied to a whole layer at once.
//
// A layer's values over a mini-batch are an n_l × m matrix with one column per example (the book's
// "examples as columns"; see network.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include <Eigen/Core>

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

// ---- a = σ(z) ------------------------------------------------------------------------------------
// Z and A are n_l × m, one column per example. Eigen evaluates these array expressions with its packet
// math (SSE2 natively; in wasm, Emscripten maps the same SSE2 intrinsics onto SIMD128 — see CMakeLists.txt),
// including its vectorised exp/tanh/logistic for float.
template <class S>
using Batch = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;  // column-major: column i is example i

template <class S>
void activate(Activation f, const Batch<S>& Z, Batch<S>& A) {
  switch (f) {
    case Activation::sigmoid: A.array() = Z.array().logistic(); break;  // σ(z) = 1 / (1 + e^{−z})
    case Activation::tanh: A.array() = Z.array().tanh(); break;
    case Activation::relu: A.array() = Z.array().max(S(0)); break;      // max(0, z)
    case Activation::linear: A = Z; break;
    case Activation::softmax:
      // a_j = e^{z_j − max_k z_k} / Σ_k e^{z_k − max_k z_k}, per example; the shift avoids overflow.
    {
      // the column maxima and sums are computed once into vectors (this also makes A = Z in place safe)
      const Eigen::Matrix<S, 1, Eigen::Dynamic> mx = Z.colwise().maxCoeff();
      A.array() = (Z.rowwise() - mx).array().exp();
      const Eigen::Matrix<S, 1, Eigen::Dynamic> sum = A.colwise().sum();
      A.array().rowwise() /= sum.array();
    }
      break;
  }
}

// ---- D ← D ⊙ σ'(z) ---------------------------------------------------------------------------------
// The derivative is written in terms of a = σ(z) where that is how the book (and every float64
// reference) computes it: σ' = σ(1 − σ), tanh' = 1 − tanh². relu'(z) = [z > 0], so relu'(0) = 0.
// Softmax has no elementwise derivative (its Jacobian couples neurons): see cost.hpp.
template <class S>
void times_derivative(Activation f, const Batch<S>& Z, const Batch<S>& A, Batch<S>& D) {
  switch (f) {
    case Activation::sigmoid: D.array() *= A.array() * (S(1) - A.array()); break;
    case Activation::tanh: D.array() *= S(1) - A.array().square(); break;
    case Activation::relu: D = (Z.array() > S(0)).select(D, S(0)); break;
    case Activation::linear: break;
    case Activation::softmax: fail("internal: softmax has no elementwise derivative");
  }
}

}  // namespace bp
