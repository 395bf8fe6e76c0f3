// The three matrix products of backpropagation, for the shapes of this lab: layers of one to a few dozen
// neurons, mini-batches of 1 to 512 examples. Written on Eigen's packet primitives (pload, pmadd, …: SSE2
// natively; in wasm the same SSE2 code on SIMD128 — see CMakeLists.txt), they read the matrices where they
// are: nothing is packed or copied, no destination is zero-filled first, nothing is allocated. At these
// sizes that bookkeeping, not the arithmetic, was most of a general GEMM's time (bench/RESULTS.md);
// network.cpp chooses between these and Eigen's GEMM by the shape.
//
// Layouts are those of network.hpp: W^l is n × k row-major (n = n_l, k = n_(l−1)); a batch (z, a, δ) is
// n_l × m column-major, column i = example i. Each product runs its inner loop along memory that is
// contiguous in the operands it reads:
//
//   affine      z_i = W a_i + b          a dot product of row j of W with column i of A per entry
//   transposed  Wᵀ δ_i = Σ_j δ_ji W_j    column i of the result is a sum of rows of W
//   outer       (δ aᵀ)_j = Σ_i δ_ji a_i  row j of the result is a sum of columns of A
//
// A dimension that is not a multiple of the packet size N ends with one packet that overlaps the one
// before it: the overlapping entries are computed again, in the same order, and come out the same. Every
// entry is a sum taken in an order fixed by the shape alone, so the native build and the wasm build give
// the same numbers (the tests compare them).
#pragma once

#include <algorithm>
#include <cstddef>

#include <Eigen/Core>

// Packet4f is an __m128 with attributes, which g++ warns about dropping whenever a packet type is a template
// argument (PacketBlock<Packet4f, 4>); Eigen silences the same warning in its own headers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

namespace bp::kernel {

using Eigen::Index;
template <class S>
using Packet = typename Eigen::internal::packet_traits<S>::type;
template <class S>
constexpr int kLanes = Eigen::internal::unpacket_traits<Packet<S>>::size;

namespace detail {
using namespace Eigen::internal;

template <class S>
EIGEN_STRONG_INLINE Packet<S> zero() { return pset1<Packet<S>>(S(0)); }

// The start of the packet of a dimension of size `size` (≥ N) that begins at `q`, pulled back so that it
// stays inside: the last packet of a dimension that is not a multiple of N overlaps the one before.
EIGEN_STRONG_INLINE Index inside(Index q, Index size, Index N) { return std::min(q, size - N); }

// ---- affine: Z = W A + b 1ᵀ -----------------------------------------------------------------------------

// N consecutive rows j… of z for C columns: N × C dot products over the k % N-free part of k in registers,
// each N of them summed into one packet (lane r = row j + r), then the k % N trailing columns of W
// (gathered in `tail`) and the bias.
template <int C, class S>
EIGEN_STRONG_INLINE void affine_block(const S* w, const Packet<S>* tail, const Packet<S>& bias, const S* a, S* z,
                                      Index n, Index k, Index kp) {
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  PacketBlock<P, N> s[C];
  for (int c = 0; c < C; ++c)
    for (int r = 0; r < N; ++r) s[c].packet[r] = zero<S>();
  for (Index q = 0; q < kp; q += N) {
    P x[C];
    for (int c = 0; c < C; ++c) x[c] = ploadu<P>(a + c * k + q);
    for (int r = 0; r < N; ++r) {
      const P wr = ploadu<P>(w + r * k + q);
      for (int c = 0; c < C; ++c) s[c].packet[r] = pmadd(wr, x[c], s[c].packet[r]);
    }
  }
  for (int c = 0; c < C; ++c) {
    P v = bias;
    if (kp > 0) {
      ptranspose(s[c]);  // lane r of packet t: lane t of row r's partial sums
      P sum = s[c].packet[0];
      for (int t = 1; t < N; ++t) sum = padd(sum, s[c].packet[t]);
      v = padd(sum, bias);
    }
    for (Index t = kp; t < k; ++t) v = pmadd(tail[t - kp], pset1<P>(a[c * k + t]), v);
    pstoreu(z + c * n, v);
  }
}

// k < N inputs (the input layer, x1 and x2), n ≥ N: z_i = b + Σ_t W_:t a_ti with the K columns of W
// copied out once (to Wc, n·K values), one column of the batch after the other.
template <int K, class S>
void affine_narrow(const S* W, const S* b, const S* A, S* Z, Index n, Index m, S* Wc) {
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  for (Index j = 0; j < n; ++j)
    for (int t = 0; t < K; ++t) Wc[t * n + j] = W[j * K + t];
  for (Index i = 0; i < m; ++i) {
    const S* a = A + i * K;
    P x[K];
    for (int t = 0; t < K; ++t) x[t] = pset1<P>(a[t]);
    S* z = Z + i * n;
    for (Index q = 0; q < n; q += N) {
      const Index j = inside(q, n, N);
      P v = ploadu<P>(b + j);
      for (int t = 0; t < K; ++t) v = pmadd(ploadu<P>(Wc + t * n + j), x[t], v);
      pstoreu(z + j, v);
    }
  }
}
}  // namespace detail

// Z = W A + b 1ᵀ: z_ji = b_j + Σ_k W_jk a_ki. W n × k row-major, A k × m, Z n × m. `scratch` holds n·k
// values (used when k < N).
template <class S>
void affine(const S* W, const S* b, const S* A, S* Z, Index n, Index k, Index m, S* scratch) {
  using namespace Eigen::internal;
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  if (n >= N && k < N) {
    switch (k) {
      case 1: return detail::affine_narrow<1>(W, b, A, Z, n, m, scratch);
      case 2: return detail::affine_narrow<2>(W, b, A, Z, n, m, scratch);
      default: return detail::affine_narrow<std::max(1, N - 1)>(W, b, A, Z, n, m, scratch);  // k = 3 < N = 4
    }
  }
  const Index kp = k - k % N;  // the part of k in whole packets
  if (n >= N) {
    constexpr int C = 2;  // columns per block: 2N accumulators and N + 2 operands fit in 16 registers
    for (Index q = 0; q < n; q += N) {
      const Index j = detail::inside(q, n, N);
      const S* w = W + j * k;
      P tail[N > 1 ? N - 1 : 1];  // the k % N trailing columns of these N rows of W
      for (Index t = kp; t < k; ++t) tail[t - kp] = pgather<S, P>(w + t, k);
      const P bias = ploadu<P>(b + j);
      Index i = 0;
      for (; i + C <= m; i += C) detail::affine_block<C>(w, tail, bias, A + i * k, Z + i * n + j, n, k, kp);
      for (; i < m; ++i) detail::affine_block<1>(w, tail, bias, A + i * k, Z + i * n + j, n, k, kp);
    }
    return;
  }
  // n < N rows (an output layer): one dot product at a time
  for (Index j = 0; j < n; ++j) {
    const S* w = W + j * k;
    for (Index i = 0; i < m; ++i) {
      const S* a = A + i * k;
      P s = detail::zero<S>();
      for (Index q = 0; q < kp; q += N) s = pmadd(ploadu<P>(w + q), ploadu<P>(a + q), s);
      S v = kp > 0 ? predux(s) : S(0);
      for (Index t = kp; t < k; ++t) v += w[t] * a[t];
      Z[i * n + j] = v + b[j];
    }
  }
}

namespace detail {
// ---- transposed: out = Wᵀ D ---------------------------------------------------------------------------

// R packets of out_i (entries q…q + R·N) for C columns: Σ_j δ_ji W_j,q… over the n rows of W.
template <int R, int C, class S>
EIGEN_STRONG_INLINE void transposed_block(const S* W, const S* d, S* o, Index n, Index k) {
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  P acc[R][C];
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) acc[r][c] = zero<S>();
  const S* w = W;
  for (Index j = 0; j < n; ++j, w += k) {
    P wr[R];
    for (int r = 0; r < R; ++r) wr[r] = ploadu<P>(w + r * N);
    for (int c = 0; c < C; ++c) {
      const P x = pset1<P>(d[c * n + j]);
      for (int r = 0; r < R; ++r) acc[r][c] = pmadd(wr[r], x, acc[r][c]);
    }
  }
  for (int c = 0; c < C; ++c)
    for (int r = 0; r < R; ++r) pstoreu(o + c * k + r * N, acc[r][c]);
}

// Entries q…q + R·N of out_i for every column i of D: C columns at a time, then one.
template <int R, int C, class S>
void transposed_rows(const S* W, const S* D, S* out, Index n, Index k, Index m, Index q) {
  Index i = 0;
  for (; i + C <= m; i += C) transposed_block<R, C>(W + q, D + i * n, out + i * k + q, n, k);
  for (; i < m; ++i) transposed_block<R, 1>(W + q, D + i * n, out + i * k + q, n, k);
}
}  // namespace detail

// out = Wᵀ D (BP2's product): out_i = Σ_j δ_ji W_j. W n × k row-major, D n × m, out k × m.
// Entries of out_i in blocks of 4 packets, then 2, then 1 (the last one overlapping); each block for every
// column of D in turn, so that its columns of W are read from memory once.
template <class S>
void transposed(const S* W, const S* D, S* out, Index n, Index k, Index m) {
  constexpr int N = kLanes<S>;
  constexpr int C = 2;
  if (k < N) {  // a layer narrower than a packet: entry by entry
    for (Index i = 0; i < m; ++i)
      for (Index t = 0; t < k; ++t) {
        S v = 0;
        for (Index j = 0; j < n; ++j) v += W[j * k + t] * D[i * n + j];
        out[i * k + t] = v;
      }
    return;
  }
  Index q = 0;
  for (; q + 4 * N <= k; q += 4 * N) detail::transposed_rows<4, C>(W, D, out, n, k, m, q);
  for (; q + 2 * N <= k; q += 2 * N) detail::transposed_rows<2, C>(W, D, out, n, k, m, q);
  for (; q < k; q += N) detail::transposed_rows<1, C>(W, D, out, n, k, m, detail::inside(q, k, N));
}

namespace detail {
// ---- outer: G = s D Aᵀ, gb = s D 1 --------------------------------------------------------------------

// R rows of G, Q packets wide (entries q…q + Q·N): s Σ_i δ_ji a_i,q… over the m columns; with Add, added
// to what G holds.
template <bool Add, int R, int Q, class S>
EIGEN_STRONG_INLINE void outer_block(const S* D, const S* A, const Packet<S>& scale, S* G, Index n, Index k,
                                     Index m) {
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  P acc[R][Q];
  for (int r = 0; r < R; ++r)
    for (int u = 0; u < Q; ++u) acc[r][u] = zero<S>();
  const S* a = A;
  const S* d = D;
  for (Index i = 0; i < m; ++i, a += k, d += n) {
    P x[Q];
    for (int u = 0; u < Q; ++u) x[u] = ploadu<P>(a + u * N);
    for (int r = 0; r < R; ++r) {
      const P dr = pset1<P>(d[r]);
      for (int u = 0; u < Q; ++u) acc[r][u] = pmadd(dr, x[u], acc[r][u]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int u = 0; u < Q; ++u) {
      S* g = G + r * k + u * N;
      const P v = pmul(acc[r][u], scale);
      pstoreu(g, Add ? padd(ploadu<P>(g), v) : v);
    }
}

// R rows of G, all of k: blocks of 2 packets, then single ones, the last one overlapping. (With Add the
// overlap would add twice: there the last k % N entries go one by one.)
template <bool Add, int R, class S>
void outer_rows(const S* D, const S* A, const Packet<S>& scale, S s, S* G, Index n, Index k, Index m) {
  constexpr int N = kLanes<S>;
  const Index kp = Add ? k - k % N : k;
  Index q = 0;
  for (; q + 2 * N <= kp; q += 2 * N) outer_block<Add, R, 2>(D, A + q, scale, G + q, n, k, m);
  for (; q < kp; q += N) {
    const Index at = inside(q, k, N);
    outer_block<Add, R, 1>(D, A + at, scale, G + at, n, k, m);
  }
  for (Index t = kp; t < k; ++t)
    for (int r = 0; r < R; ++r) {
      S v = 0;
      for (Index i = 0; i < m; ++i) v += D[i * n + r] * A[i * k + t];
      G[r * k + t] += v * s;
    }
}

// k < N (the input layer), n ≥ N: the K columns of G, N rows at a time, G_:t = s Σ_i δ_i a_ti, written
// into G with a stride of K.
template <bool Add, int K, class S>
void outer_narrow(const S* D, const S* A, const Packet<S>& scale, S* G, Index n, Index m) {
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  const Index np = Add ? n - n % N : n;  // with Add, no overlapping last block: the rest one by one
  for (Index q = 0; q < np; q += N) {
    const Index j = inside(q, n, N);
    P acc[K];
    for (int t = 0; t < K; ++t) acc[t] = zero<S>();
    const S* a = A;
    const S* d = D + j;
    for (Index i = 0; i < m; ++i, a += K, d += n) {
      const P di = ploadu<P>(d);
      for (int t = 0; t < K; ++t) acc[t] = pmadd(di, pset1<P>(a[t]), acc[t]);
    }
    for (int t = 0; t < K; ++t) {
      P v = pmul(acc[t], scale);
      if (Add) v = padd(pgather<S, P>(G + j * K + t, K), v);
      pscatter<S, P>(G + j * K + t, v, K);
    }
  }
  for (Index j = np; j < n; ++j)
    for (int t = 0; t < K; ++t) {
      S v = 0;
      for (Index i = 0; i < m; ++i) v += D[i * n + j] * A[i * K + t];
      G[j * K + t] += v * pfirst(scale);
    }
}

// n, k and m of any size
template <bool Add, class S>
void outer(const S* D, const S* A, S s, S* G, S* gb, Index n, Index k, Index m) {
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  const P scale = pset1<P>(s);
  // gb = s Σ_i δ_i  (with Add: gb += …)
  const Index np = Add ? n - n % N : n;
  if (n >= N)
    for (Index q = 0; q < np; q += N) {
      const Index j = inside(q, n, N);
      P acc = zero<S>();
      for (Index i = 0; i < m; ++i) acc = padd(acc, ploadu<P>(D + i * n + j));
      acc = pmul(acc, scale);
      pstoreu(gb + j, Add ? padd(ploadu<P>(gb + j), acc) : acc);
    }
  for (Index j = n >= N ? np : 0; j < n; ++j) {
    S v = 0;
    for (Index i = 0; i < m; ++i) v += D[i * n + j];
    gb[j] = (Add ? gb[j] : S(0)) + v * s;
  }
  // G = s Σ_i δ_i a_iᵀ  (with Add: G += …)
  if (k >= N) {
    Index j = 0;
    for (; j + 4 <= n; j += 4) outer_rows<Add, 4>(D + j, A, scale, s, G + j * k, n, k, m);
    for (; j < n; ++j) outer_rows<Add, 1>(D + j, A, scale, s, G + j * k, n, k, m);
  } else if (n >= N) {
    switch (k) {
      case 1: return outer_narrow<Add, 1>(D, A, scale, G, n, m);
      case 2: return outer_narrow<Add, 2>(D, A, scale, G, n, m);
      default: return outer_narrow<Add, std::max(1, N - 1)>(D, A, scale, G, n, m);  // k = 3 < N = 4
    }
  } else {  // both narrower than a packet: entry by entry
    for (Index j = 0; j < n; ++j)
      for (Index t = 0; t < k; ++t) {
        S v = 0;
        for (Index i = 0; i < m; ++i) v += D[i * n + j] * A[i * k + t];
        G[j * k + t] = (Add ? G[j * k + t] : S(0)) + v * s;
      }
  }
}
}  // namespace detail

// BP3's and BP4's sums over a batch: gb = s Σ_i δ_i and G = s Σ_i δ_i a_iᵀ (row j of G is s Σ_i δ_ji a_i).
// D n × m, A k × m, G n × k row-major, gb n.
template <class S>
void outer(const S* D, const S* A, S s, S* G, S* gb, Index n, Index k, Index m) {
  detail::outer<false>(D, A, s, G, gb, n, k, m);
}
// The same sums added to G and gb (Model::inspect sums them over tiles of the data).
template <class S>
void add_outer(const S* D, const S* A, S s, S* G, S* gb, Index n, Index k, Index m) {
  detail::outer<true>(D, A, s, G, gb, n, k, m);
}

}  // namespace bp::kernel

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
