#include "core/principal.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace bp {

void symmetric_eigen(Eigen::MatrixXd A, Eigen::VectorXd& values, Eigen::MatrixXd& vectors) {
  const Eigen::Index n = A.rows();
  Eigen::MatrixXd V = Eigen::MatrixXd::Identity(n, n);
  const double scale = A.squaredNorm();
  for (int sweep = 0; sweep < 64; ++sweep) {
    double off = 0;  // Σ_{p<q} a_pq²: Jacobi drives it to 0, quadratically near the end
    for (Eigen::Index p = 0; p < n; ++p)
      for (Eigen::Index q = p + 1; q < n; ++q) off += A(p, q) * A(p, q);
    if (off <= 1e-32 * scale || off == 0) break;
    for (Eigen::Index p = 0; p < n; ++p) {
      for (Eigen::Index q = p + 1; q < n; ++q) {
        if (A(p, q) == 0) continue;
        // the rotation J in the (p, q) plane with (Jᵀ A J)_pq = 0 (Numerical Recipes §11.1):
        // θ = (a_qq − a_pp) / 2a_pq, t = tan φ = sgn θ / (|θ| + √(θ² + 1)), c = cos φ, s = sin φ
        const double theta = (A(q, q) - A(p, p)) / (2 * A(p, q));
        const double t = std::abs(theta) > 1e150 ? 0.5 / theta
                                                 : (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (Eigen::Index k = 0; k < n; ++k) {  // A ← A J
          const double akp = A(k, p), akq = A(k, q);
          A(k, p) = c * akp - s * akq;
          A(k, q) = s * akp + c * akq;
        }
        for (Eigen::Index k = 0; k < n; ++k) {  // A ← Jᵀ A
          const double apk = A(p, k), aqk = A(q, k);
          A(p, k) = c * apk - s * aqk;
          A(q, k) = s * apk + c * aqk;
        }
        for (Eigen::Index k = 0; k < n; ++k) {  // V ← V J: the eigenvectors accumulate as columns
          const double vkp = V(k, p), vkq = V(k, q);
          V(k, p) = c * vkp - s * vkq;
          V(k, q) = s * vkp + c * vkq;
        }
      }
    }
  }
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index(0));
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index i, Eigen::Index j) { return A(i, i) > A(j, j); });
  values.resize(n);
  vectors.resize(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    values[i] = A(order[std::size_t(i)], order[std::size_t(i)]);
    vectors.col(i) = V.col(order[std::size_t(i)]);
  }
}

namespace {

// Orthonormal columns spanning (as far as they can) the columns of Q, by modified Gram–Schmidt applied
// twice; a column that vanishes (Q of lower rank) is replaced by a unit vector e_k that is independent.
void orthonormalize(Eigen::MatrixXd& Q) {
  const Eigen::Index n = Q.rows(), p = Q.cols();
  Eigen::Index next_unit = 0;
  for (Eigen::Index i = 0; i < p; ++i) {
    for (int attempt = 0;; ++attempt) {
      const double before = Q.col(i).norm();
      for (int pass = 0; pass < 2; ++pass)
        for (Eigen::Index j = 0; j < i; ++j) Q.col(i) -= Q.col(j).dot(Q.col(i)) * Q.col(j);
      const double after = Q.col(i).norm();
      if (after > 1e-10 * before && after > 0) {
        Q.col(i) /= after;
        break;
      }
      if (attempt > n) break;  // cannot happen for p ≤ n, but never loop forever
      Q.col(i).setZero();
      Q(next_unit++ % n, i) = 1;
    }
  }
}

// The sign that makes the largest component (the first of equals) positive.
void fix_sign(Eigen::Ref<Eigen::VectorXd> v) {
  Eigen::Index at = 0;
  for (Eigen::Index i = 1; i < v.size(); ++i)
    if (std::abs(v[i]) > std::abs(v[at])) at = i;
  if (v[at] < 0) v = -v;
}

}  // namespace

void top_two_eigenpairs(const Eigen::MatrixXd& C, double values[2], Eigen::MatrixXd& vectors) {
  const Eigen::Index n = C.rows();
  vectors = Eigen::MatrixXd::Zero(n, 2);
  values[0] = values[1] = 0;
  Eigen::VectorXd w;
  Eigen::MatrixXd V;
  if (n <= 64) {  // small: every eigenpair, directly
    symmetric_eigen(C, w, V);
    for (Eigen::Index i = 0; i < std::min<Eigen::Index>(2, n); ++i) {
      values[i] = std::max(0.0, w[i]);  // a PSD matrix: rounding may give −1e-17
      vectors.col(i) = V.col(i);
    }
  } else {
    // Subspace iteration: Q ← orth(C Q) converges to the leading eigenvectors; the Rayleigh–Ritz step
    // (eigenpairs of Qᵀ C Q, p × p) extracts the best two from the p-dimensional subspace each time, so the
    // top two converge at the rate (λ_(p+1)/λ_i)^k rather than (λ_2/λ_1)^k.
    const Eigen::Index p = 8;
    Eigen::MatrixXd Q(n, p);
    for (Eigen::Index j = 0; j < p; ++j)  // a fixed, generic start: deterministic, and not orthogonal to
      for (Eigen::Index i = 0; i < n; ++i)  // any eigenvector one meets in practice
        Q(i, j) = std::sin(double(1 + i) * double(1 + j) * 0.7548776662466927 + double(j));
    orthonormalize(Q);
    const double scale = std::max(C.diagonal().sum(), 1e-300);
    for (int it = 0; it < 500; ++it) {
      const Eigen::MatrixXd Z = C * Q;
      symmetric_eigen(Q.transpose() * Z, w, V);  // Ritz values and vectors
      // residuals ‖C v − θ v‖ of the two leading Ritz pairs, v = Q u
      const Eigen::MatrixXd ZV = Z * V.leftCols(2), QV = Q * V.leftCols(2);
      const double r0 = (ZV.col(0) - w[0] * QV.col(0)).norm(), r1 = (ZV.col(1) - w[1] * QV.col(1)).norm();
      values[0] = std::max(0.0, w[0]);
      values[1] = std::max(0.0, w[1]);
      vectors = QV;
      if (std::max(r0, r1) <= 1e-13 * scale) break;
      Q = Z * V;  // C Q in the Ritz basis, largest first
      orthonormalize(Q);
    }
  }
  for (Eigen::Index i = 0; i < std::min<Eigen::Index>(2, n); ++i) fix_sign(vectors.col(i));
}

PrincipalDirections principal_directions(const Eigen::VectorXd& K, const Eigen::VectorXd& s1, const Eigen::MatrixXd& s2,
                                         double n) {
  // mean = K + s1/n;  covariance = s2/n − (s1/n)(s1/n)ᵀ
  const Eigen::VectorXd d = s1 / n;
  Eigen::MatrixXd C = s2 / n - d * d.transpose();
  C = (0.5 * (C + C.transpose())).eval();  // exactly symmetric
  PrincipalDirections r;
  const Eigen::VectorXd mean = K + d;
  r.mean.assign(mean.data(), mean.data() + mean.size());
  r.total_variance = std::max(0.0, C.diagonal().sum());
  Eigen::MatrixXd vectors;
  top_two_eigenpairs(C, r.variances, vectors);
  for (int i = 0; i < 2; ++i) r.directions[i].assign(vectors.col(i).data(), vectors.col(i).data() + vectors.rows());
  return r;
}

}  // namespace bp
