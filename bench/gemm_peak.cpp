// The wasm SIMD ceiling that `npm run bench` measures the wide network against: single-precision matrix
// products Z = W A on shapes that stay in cache, by Eigen's GEMM (its SSE2 path on SIMD128, compiled exactly
// as the engine is) and by the engine's own kernel (core/kernels.hpp). bench/bench.js times the calls and
// takes the best rate as the peak. Built only for the bench (CMakeLists.txt, target bp_gemm_peak).
#include <Eigen/Core>

#include <vector>

#include "core/kernels.hpp"

namespace {
using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ColMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
RowMajor W;
ColMajor A, Z;
Eigen::VectorXf b;
std::vector<float> scratch;
}  // namespace

extern "C" {

// Sizes the operands: W n × k, A k × m (values in [−1, 1]), Z n × m.
void gemm_setup(int n, int k, int m) {
  W = RowMajor::Random(n, k);
  A = ColMajor::Random(k, m);
  Z = ColMajor::Zero(n, m);
  b = Eigen::VectorXf::Zero(n);
  scratch.assign(std::size_t(n) * std::size_t(k), 0.f);
}

// reps products Z = W A: impl 0 = Eigen's GEMM, 1 = the engine's kernel. Returns a value of Z, so that the
// work cannot be optimised away.
float gemm_run(int impl, int reps) {
  for (int r = 0; r < reps; ++r) {
    if (impl == 0)
      Z.noalias() = W * A;
    else
      bp::kernel::affine(W.data(), b.data(), A.data(), Z.data(), W.rows(), W.cols(), A.cols(), scratch.data());
  }
  return Z(0, 0);
}
}
