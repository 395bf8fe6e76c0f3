// The first two principal directions of a layer's activations: the plane through which the lab's
// hidden-space view looks at a layer wider than two neurons. The eigen-solve is a few lines of our own —
// cyclic Jacobi rotations for small matrices, and subspace iteration with a Rayleigh–Ritz step (Jacobi on
// an 8 × 8 matrix) for wide layers — because Eigen's SelfAdjointEigenSolver costs more wasm than the page's
// transfer budget can spare for it (README, "How it is built").
#pragma once

#include <vector>

#include <Eigen/Core>

namespace bp {

// Covariance is formed explicitly (n_l × n_l doubles, 8 MB at this width); wider layers are refused.
constexpr int kMaxPrincipalWidth = 1024;

// All eigenvalues of a symmetric matrix A, in descending order, and unit eigenvectors as the columns of
// `vectors`, by cyclic Jacobi rotations (accurate to rounding; O(n³) per sweep, meant for n ≤ 64).
void symmetric_eigen(Eigen::MatrixXd A, Eigen::VectorXd& values, Eigen::MatrixXd& vectors);

// The two largest eigenvalues of a symmetric positive semi-definite C (n × n, n ≥ 1) and unit eigenvectors
// for them (columns of `vectors`, n × 2). For n = 1 the second pair is (0, the zero vector). Each vector's
// sign is fixed so that its largest component (in absolute value; the first of equals) is positive.
void top_two_eigenpairs(const Eigen::MatrixXd& C, double values[2], Eigen::MatrixXd& vectors);

struct PrincipalDirections {
  std::vector<double> mean;           // (1/n) Σ_x a_x^l
  std::vector<double> directions[2];  // unit vectors, the directions of the largest and the second variance
  double variances[2] = {0, 0};       // the variance of a^l along each: eigenvalues of the covariance
  double total_variance = 0;          // trace of the covariance: Σ_j Var(a_j^l)
};

// Mean and covariance (1/n) Σ_x (a_x − mean)(a_x − mean)ᵀ from sums over data shifted by a reference point
// K (the first example; the shift keeps the subtraction accurate when the mean is far from 0):
// s1 = Σ (a − K), s2 = Σ (a − K)(a − K)ᵀ. Then the principal directions.
PrincipalDirections principal_directions(const Eigen::VectorXd& K, const Eigen::VectorXd& s1, const Eigen::MatrixXd& s2,
                                         double n);

}  // namespace bp
