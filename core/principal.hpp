// The first two principal directions of a layer's activations: the plane through which the lab's
// hidden-space view looks at a layer wider than two neurons. The eigen-solve is a few lines of our own,
// subspace iteration with two vectors and a closed-form 2 × 2 Rayleigh–Ritz step, written as plain loops over
// std::vector<double>: the page's build is float-only, and any Eigen expression in double brings Eigen's
// double kernels into the page's wasm; SelfAdjointEigenSolver alone would add more than all of this feature
// (README, "How it is built", has the sizes).
#pragma once

#include <vector>

namespace bp {

// The covariance is formed explicitly (n_l × n_l doubles) from n · n_l² / 2 products: at this width that is
// 4 MB and, for a lab's few thousand points, well under a second in wasm. Wider layers are refused.
constexpr int kMaxPrincipalWidth = 512;

// Matrices below are n × n, column-major (element (i, j) at [i + j·n]), as Eigen's default, so tests can map them.

// The two largest eigenvalues of a symmetric positive semi-definite C (n ≥ 1) and unit eigenvectors for them
// (to ‖C v − λ v‖ ≤ 1e-13 · trace C, unless λ3 is within a hair of λ2, where any vector of that plane is as
// good). For n = 1 the second pair is (0, the zero vector). Each vector's sign is fixed so that its largest
// component (in absolute value; the first of equals) is positive.
void top_two_eigenpairs(const std::vector<double>& C, int n, double values[2], std::vector<double> vectors[2]);

struct PrincipalDirections {
  std::vector<double> mean;           // (1/n) Σ_x a_x^l
  std::vector<double> directions[2];  // unit vectors, the directions of the largest and the second variance
  double variances[2] = {0, 0};       // the variance of a^l along each: eigenvalues of the covariance
  double total_variance = 0;          // trace of the covariance: Σ_j Var(a_j^l)
};

// Mean and covariance (1/n) Σ_x (a_x − mean)(a_x − mean)ᵀ from sums over data shifted by a reference point K
// (the first example; the shift keeps the subtraction accurate when the mean is far from 0):
// s1 = Σ (a − K) (d values), s2 = Σ (a − K)(a − K)ᵀ (d × d; only its lower triangle, i ≥ j, is read). Then
// the principal directions.
PrincipalDirections principal_directions(const std::vector<double>& K, const std::vector<double>& s1,
                                         const std::vector<double>& s2, double n);

// Adds m examples (columns of a, d × m, column-major) to those sums: s1 += a − K, s2 += (a − K)(a − K)ᵀ (the
// lower triangle only; principal_directions mirrors it). v: d values of scratch.
template <class S>
void add_moments(const S* a, std::size_t m, std::size_t d, const double* K, double* s1, double* s2, double* v);

}  // namespace bp
