// core/kernels.hpp against Eigen's own products, for every shape class the kernels treat differently:
// dimensions below, at and above a packet, multiples of a packet and not (the overlapping last packet),
// blocks of columns and the columns left over, the input layer's narrow path, and a layer large enough
// to take several column blocks. Both precisions. The kernels sum in another order than Eigen, so the
// comparison allows a few units in the last place of the sum's magnitude.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "core/activation.hpp"
#include "core/kernels.hpp"
#include "core/rng.hpp"

using namespace bp;

namespace {

template <class S>
using RowMajor = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class S>
using ColMajor = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S>
using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;

template <class M>
M random(Eigen::Index rows, Eigen::Index cols, Rng& rng) {
  M m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = typename M::Scalar(rng.uniform(-1, 1));
  return m;
}

// |got − want| ≤ tol · (1 + |want|), entry by entry, with the entry named on failure
template <class A, class B>
void expect_close(const A& got, const B& want, double tol, const std::string& what) {
  ASSERT_EQ(got.rows(), want.rows()) << what;
  ASSERT_EQ(got.cols(), want.cols()) << what;
  for (Eigen::Index i = 0; i < want.rows(); ++i)
    for (Eigen::Index j = 0; j < want.cols(); ++j)
      ASSERT_LE(std::abs(double(got(i, j)) - double(want(i, j))), tol * (1 + std::abs(double(want(i, j)))))
          << what << " at (" << i << ", " << j << ")";
}

const std::vector<int> kSizes = {1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 33};
const std::vector<int> kBatches = {1, 2, 3, 10, 17, 40};

template <class S>
void check_all(double tol) {
  Rng rng(7);
  for (int n : kSizes)
    for (int k : kSizes)
      for (int m : kBatches) {
        const std::string shape = std::to_string(n) + "×" + std::to_string(k) + "×" + std::to_string(m);
        const RowMajor<S> W = random<RowMajor<S>>(n, k, rng);
        const Vector<S> b = random<Vector<S>>(n, 1, rng);
        const ColMajor<S> A = random<ColMajor<S>>(k, m, rng), D = random<ColMajor<S>>(n, m, rng);
        const S s = S(0.3);

        // affine: Z = W A + b 1ᵀ, into a destination full of NaN (nothing may be left unwritten)
        ColMajor<S> Z = ColMajor<S>::Constant(n, m, S(NAN));
        std::vector<S> scratch(std::size_t(n * k));
        kernel::affine(W.data(), b.data(), A.data(), Z.data(), n, k, m, scratch.data());
        const ColMajor<S> z_want = (W * A).colwise() + b;
        expect_close(Z, z_want, tol, "affine " + shape);

        // affine with the grid's activations applied as each entry is stored: exactly the activation of
        // the plain product's z (the same sums, the same operations after them)
        for (int f = 0; f < 2; ++f) {
          ColMajor<S> Za = ColMajor<S>::Constant(n, m, S(NAN)), a_want;
          if (f == 0) {
            kernel::affine(W.data(), b.data(), A.data(), Za.data(), n, k, m, scratch.data(), picture_tanh_op<S>());
            a_want = Z.unaryExpr(picture_tanh_op<S>());
          } else {
            kernel::affine(W.data(), b.data(), A.data(), Za.data(), n, k, m, scratch.data(), picture_sigmoid_op<S>());
            a_want = Z.unaryExpr(picture_sigmoid_op<S>());
          }
          ASSERT_TRUE(Za == a_want) << (f ? "sigmoid " : "tanh ") << shape;
        }

        // transposed: Wᵀ D
        ColMajor<S> T = ColMajor<S>::Constant(k, m, S(NAN));
        kernel::transposed(W.data(), D.data(), T.data(), n, k, m);
        const ColMajor<S> t_want = W.transpose() * D;
        expect_close(T, t_want, tol, "transposed " + shape);

        // outer: G = s D Aᵀ, gb = s D 1
        RowMajor<S> G = RowMajor<S>::Constant(n, k, S(NAN));
        Vector<S> gb = Vector<S>::Constant(n, S(NAN));
        kernel::outer(D.data(), A.data(), s, G.data(), gb.data(), n, k, m);
        const RowMajor<S> g_want = s * D * A.transpose();
        const Vector<S> gb_want = s * D.rowwise().sum();
        expect_close(G, g_want, tol, "outer G " + shape);
        expect_close(gb, gb_want, tol, "outer gb " + shape);

        // add_outer: the same sums added to what G and gb hold
        RowMajor<S> G0 = random<RowMajor<S>>(n, k, rng);
        Vector<S> gb0 = random<Vector<S>>(n, 1, rng);
        RowMajor<S> G1 = G0;
        Vector<S> gb1 = gb0;
        kernel::add_outer(D.data(), A.data(), s, G1.data(), gb1.data(), n, k, m);
        expect_close(G1, RowMajor<S>(G0 + g_want), tol, "add_outer G " + shape);
        expect_close(gb1, Vector<S>(gb0 + gb_want), tol, "add_outer gb " + shape);
      }
}

}  // namespace

TEST(Kernels, MatchEigenInFloat64) { check_all<double>(1e-13); }
TEST(Kernels, MatchEigenInFloat32) { check_all<float>(2e-6); }

TEST(Kernels, LargeLayerAcrossColumnBlocks) {
  // wider than the kernels' blocks of 16 columns and 4 packets, with odd sizes everywhere
  Rng rng(11);
  const int n = 131, k = 67, m = 45;
  const RowMajor<double> W = random<RowMajor<double>>(n, k, rng);
  const Vector<double> b = random<Vector<double>>(n, 1, rng);
  const ColMajor<double> A = random<ColMajor<double>>(k, m, rng), D = random<ColMajor<double>>(n, m, rng);
  ColMajor<double> Z(n, m), T(k, m);
  std::vector<double> scratch(std::size_t(n * k));
  kernel::affine(W.data(), b.data(), A.data(), Z.data(), n, k, m, scratch.data());
  expect_close(Z, ColMajor<double>((W * A).colwise() + b), 1e-12, "affine");
  kernel::transposed(W.data(), D.data(), T.data(), n, k, m);
  expect_close(T, ColMajor<double>(W.transpose() * D), 1e-12, "transposed");
  RowMajor<double> G(n, k);
  Vector<double> gb(n);
  kernel::outer(D.data(), A.data(), 1.0, G.data(), gb.data(), n, k, m);
  expect_close(G, RowMajor<double>(D * A.transpose()), 1e-12, "outer");
}

template <class S>
void same_numbers_whatever_the_batch() {
  Rng rng(3);
  // n ≥ N: packets of neurons; n < N (output layers): dot products, N examples reduced at once or one alone
  for (auto [n, k] : {std::pair{9, 7}, std::pair{1, 7}, std::pair{1, 16}, std::pair{3, 9}, std::pair{1, 2}}) {
    const RowMajor<S> W = random<RowMajor<S>>(n, k, rng);
    const Vector<S> b = random<Vector<S>>(n, 1, rng);
    const ColMajor<S> A = random<ColMajor<S>>(k, 10, rng);
    ColMajor<S> Z(n, 10), z1(n, 1);
    std::vector<S> scratch(std::size_t(n * k));
    kernel::affine(W.data(), b.data(), A.data(), Z.data(), n, k, 10, scratch.data());
    for (int i = 0; i < 10; ++i) {
      kernel::affine(W.data(), b.data(), A.col(i).data(), z1.data(), n, k, 1, scratch.data());
      for (int j = 0; j < n; ++j)
        EXPECT_EQ(z1(j, 0), Z(j, i)) << n << "×" << k << ": example " << i << ", neuron " << j;
    }
  }
}

TEST(Kernels, SameNumbersWhateverTheBatchAroundAnExample) {
  // An example's z does not depend on which other examples share its batch or where it sits in it (a
  // column in a pair of columns is summed exactly as a column alone): the same example gives the same
  // numbers in a batch of 10 and alone.
  same_numbers_whatever_the_batch<float>();
  same_numbers_whatever_the_batch<double>();
}
