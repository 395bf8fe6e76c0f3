#include "core/principal.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/minsize.hpp"

namespace bp {
namespace {

using Index = std::size_t;

double dot(const double* a, const double* b, Index n) {
  double s = 0;
  for (Index i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

// Scales v to unit length; false if it is (numerically) zero.
BP_MINSIZE bool normalize(double* v, Index n) {
  const double len = std::sqrt(dot(v, v, n));
  if (!(len > 1e-150)) return false;
  for (Index i = 0; i < n; ++i) v[i] /= len;
  return true;
}

// Eigenvalues λ1 ≥ λ2 of the symmetric 2 × 2 matrix [[a, b], [b, d]] and unit eigenvectors as the columns of
// u (column-major: u[0], u[1] is the first), in closed form.
void eigen2(double a, double b, double d, double lambda[2], double u[4]) {
  const double mid = 0.5 * (a + d), r = std::sqrt(0.25 * (a - d) * (a - d) + b * b);
  lambda[0] = mid + r;
  lambda[1] = mid - r;
  // (b, λ1 − a) and (λ1 − d, b) are both eigenvectors of λ1 (or zero): take the longer, for accuracy
  double x = b, y = lambda[0] - a;
  if (std::abs(lambda[0] - d) + std::abs(b) > std::abs(x) + std::abs(y)) x = lambda[0] - d, y = b;
  const double len = std::sqrt(x * x + y * y);
  if (len > 0) x /= len, y /= len;
  else x = 1, y = 0;  // a multiple of I: every vector is an eigenvector
  u[0] = x, u[1] = y, u[2] = -y, u[3] = x;
}

}  // namespace

// Subspace ("block power") iteration with two vectors: Q ← orth(C Q) turns Q towards the two leading
// eigenvectors; each step the Rayleigh–Ritz pairs (eigenpairs of the 2 × 2 matrix Qᵀ C Q, mapped back by Q)
// are the best the plane of Q offers, and they converge at the rate λ3/λ2 per step. It stops when both Ritz
// pairs satisfy ‖C v − λ v‖ ≤ 1e-13 · trace(C), or after a budget of about 2·10⁸ multiply-adds.
BP_MINSIZE void top_two_eigenpairs(const std::vector<double>& C, int n_, double values[2], std::vector<double> vectors[2]) {
  const Index n = Index(n_);
  for (int i = 0; i < 2; ++i) vectors[i].resize(n);  // every entry is set below
  values[0] = values[1] = 0;
  if (n == 1) {
    vectors[0][0] = 1;
    vectors[1][0] = 0;
    values[0] = std::max(0.0, C[0]);
    return;
  }
  // Q: n × 2, column-major; a fixed, generic start (a multiplicative hash of the index, in [−½, ½))
  std::vector<double> Q(2 * n), Z(2 * n), W(2 * n);
  for (Index i = 0; i < 2 * n; ++i) Q[i] = double(std::uint32_t((i + 1) * 2654435761u) >> 8) / 16777216.0 - 0.5;
  double trace = 0;
  for (Index i = 0; i < n; ++i) trace += C[i + i * n];
  const double tolerance = 1e-13 * std::max(trace, 1e-300);
  const long budget = std::max(200L, long(2e8 / double(n * n)));
  for (long it = 0; it < budget; ++it) {
    // orthonormal columns: Gram–Schmidt, the second one twice; a column that vanishes becomes a unit vector
    for (Index k = 0; !normalize(&Q[0], n); ++k) Q[k % n] = 1;
    for (Index k = 0;; ++k) {
      for (int pass = 0; pass < 2; ++pass) {
        const double c = dot(&Q[0], &Q[n], n);
        for (Index i = 0; i < n; ++i) Q[n + i] -= c * Q[i];
      }
      if (normalize(&Q[n], n)) break;
      for (Index i = 0; i < n; ++i) Q[n + i] = 0;
      Q[n + (k + 1) % n] = 1;
    }
    for (Index j = 0; j < 2; ++j)  // Z = C Q
      for (Index i = 0; i < n; ++i) Z[i + j * n] = dot(&C[i * n], &Q[j * n], n);  // C is symmetric: row i = column i
    // Rayleigh–Ritz: eigenpairs of T = Qᵀ C Q; the Ritz vectors V = Q U, and C V = Z U
    const double t12 = 0.5 * (dot(&Q[0], &Z[n], n) + dot(&Q[n], &Z[0], n));
    double lambda[2], U[4];
    eigen2(dot(&Q[0], &Z[0], n), t12, dot(&Q[n], &Z[n], n), lambda, U);
    double residual = 0;
    for (Index j = 0; j < 2; ++j) {
      double r = 0;
      for (Index i = 0; i < n; ++i) {
        const double v = Q[i] * U[2 * j] + Q[n + i] * U[2 * j + 1], cv = Z[i] * U[2 * j] + Z[n + i] * U[2 * j + 1];
        vectors[j][i] = v;
        W[i + j * n] = cv;
        r += (cv - lambda[j] * v) * (cv - lambda[j] * v);
      }
      residual = std::max(residual, std::sqrt(r));
      values[j] = std::max(0.0, lambda[j]);  // a PSD matrix: rounding may give −1e-17
    }
    if (residual <= tolerance) break;
    Q.swap(W);  // the next iterate: C V
  }
  for (int d = 0; d < 2; ++d) {  // the sign that makes the largest component (the first of equals) positive
    std::vector<double>& v = vectors[d];
    Index at = 0;
    for (Index i = 1; i < n; ++i)
      if (std::abs(v[i]) > std::abs(v[at])) at = i;
    if (v[at] < 0)
      for (double& x : v) x = -x;
  }
}

BP_MINSIZE PrincipalDirections principal_directions(const std::vector<double>& K, const std::vector<double>& s1,
                                                    const std::vector<double>& s2, double n) {
  const Index d = K.size();
  PrincipalDirections r;
  // mean = K + s1/n;  covariance = s2/n − (s1/n)(s1/n)ᵀ, made exactly symmetric
  r.mean.resize(d);
  for (Index i = 0; i < d; ++i) r.mean[i] = K[i] + s1[i] / n;
  std::vector<double> C(d * d);
  for (Index j = 0; j < d; ++j)
    for (Index i = 0; i < d; ++i)  // s2 holds the lower triangle (i ≥ j)
      C[i + j * d] = s2[std::max(i, j) + std::min(i, j) * d] / n - (s1[i] / n) * (s1[j] / n);
  for (Index i = 0; i < d; ++i) r.total_variance += C[i + i * d];
  r.total_variance = std::max(0.0, r.total_variance);
  top_two_eigenpairs(C, int(d), r.variances, r.directions);
  return r;
}

template <class S>
BP_MINSIZE void add_moments(const S* a, std::size_t m, std::size_t d, const double* K, double* s1, double* s2, double* v) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < d; ++j) v[j] = double(a[i * d + j]) - K[j];
    for (std::size_t k = 0; k < d; ++k) {
      s1[k] += v[k];
      for (std::size_t j = k; j < d; ++j) s2[j + k * d] += v[j] * v[k];
    }
  }
}
template void add_moments(const float*, std::size_t, std::size_t, const double*, double*, double*, double*);
template void add_moments(const double*, std::size_t, std::size_t, const double*, double*, double*, double*);

}  // namespace bp
