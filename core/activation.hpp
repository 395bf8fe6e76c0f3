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

// ---- a cheaper tanh, for pictures ---------------------------------------------------------------------
// tanh x ≈ x (p0 + p1 x² + p2 x⁴) / (q0 + q1 x² + q2 x⁴ + x⁶) with x clamped to ±6.2: a rational of degree
// 5/6 fitted to tanh on [0, 6.2] for the smallest largest error (scripts/fit-picture-tanh.mjs: Lawson's
// iteration on the linearised problem). Absolute error below 1.6e-5 over the whole line, in float32 and
// float64 (test Activation.PictureTanhIsWithin2e5OfTanh; the grid promises 1e-4, and the errors add up over layers),
// odd, and below 1 in magnitude, so no clamp on the way out: fourteen operations (two of them the input
// clamp, one a division) against about 25 for Eigen's accurate tanh. Invisible in an 8-bit colour map.
// Used only by the decision-boundary grid; training, predict() and evaluate() use the accurate one.
template <class S>
struct picture_tanh_op {
  template <class P>
  EIGEN_STRONG_INLINE P packetOp(const P& x0) const {
    using namespace Eigen::internal;
    const P c = pset1<P>(S(6.2));
    const P x = pmax(pmin(x0, c), pnegate(c));
    const P x2 = pmul(x, x);
    P num = padd(pmul(pset1<P>(S(27.400063193930233)), x2), pset1<P>(S(2122.568762111346)));
    num = pmul(padd(pmul(num, x2), pset1<P>(S(18597.236915300888))), x);
    P den = padd(pmul(padd(x2, pset1<P>(S(322.805245857853))), x2), pset1<P>(S(8319.95804155673)));
    den = padd(pmul(den, x2), pset1<P>(S(18597.82168142327)));
    return pdiv(num, den);
  }
  EIGEN_STRONG_INLINE S operator()(const S& x) const { return packetOp(x); }
};

// σ(z) = ½ + ½ tanh(z/2) through picture_tanh_op, for the grid's sigmoid layers.
template <class S>
struct picture_sigmoid_op {
  template <class P>
  EIGEN_STRONG_INLINE P packetOp(const P& z) const {
    using namespace Eigen::internal;
    const P half = pset1<P>(S(0.5));
    return padd(pmul(picture_tanh_op<S>().packetOp(pmul(z, half)), half), half);
  }
  EIGEN_STRONG_INLINE S operator()(const S& z) const { return packetOp(z); }
};

// a = σ(z) for a picture: tanh and sigmoid (σ(z) = ½ + ½ tanh(z/2)) through picture_tanh_op. (The grid's
// forward pass applies the same two ops inside the layer product: Network::forward.)
template <class S>
void activate_picture(Activation f, Batch<S>& Z) {
  if (f == Activation::tanh) {
    Z = Z.unaryExpr(picture_tanh_op<S>());
  } else if (f == Activation::sigmoid) {
    Z = Z.unaryExpr(picture_sigmoid_op<S>());
  } else {
    activate(f, Z, Z);
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

namespace Eigen::internal {
template <class S>
struct functor_traits<bp::picture_tanh_op<S>> {
  enum { Cost = 7 * NumTraits<S>::MulCost + 7 * NumTraits<S>::AddCost, PacketAccess = packet_traits<S>::HasDiv };
};
template <class S>
struct functor_traits<bp::picture_sigmoid_op<S>> {
  enum { Cost = 9 * NumTraits<S>::MulCost + 8 * NumTraits<S>::AddCost, PacketAccess = packet_traits<S>::HasDiv };
};
}  // namespace Eigen::internal
