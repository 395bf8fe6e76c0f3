// The three matrix products of backpropagation, for the shapes of this lab: layers of one to a few dozen
// neurons, mini-batches of 1 to 512 examples. Written on Eigen's packet primitives (pload, pmadd, …: SSE2
// natively; in wasm the same SSE2 code on SIMD128 — see CMakeLists.txt), they read the matrices where they
// are: nothing is packed or copied, no destination is zero-filled first, nothing is allocated. At these
// sizes that bookkeeping, not the arithmetic, was most of a general GEMM's time (bench/RESULTS.md), so
// these are every layer product of the engine, whatever the shape.
//
// Each is one function per precision, not inlined into its callers: they are called a few times per layer,
// and one copy of each keeps the page's wasm small. Layouts are those of network.hpp: W^l is n × k
// row-major (n = n_l, k = n_(l−1)); a batch (z, a, δ) is n_l × m column-major, column i = example i. Each
// product runs its inner loop along memory that is contiguous in the operands it reads:
//
//   affine      z_i = b + Σ_t a_ti (Wᵀ)_t  column i of the result is a sum of rows of Wᵀ (W transposed
//                                          once per call; layers narrower than a packet: dot products)
//   transposed  Wᵀ δ_i = Σ_j δ_ji W_j      column i of the result is a sum of rows of W
//   outer       (δ aᵀ)_j = Σ_i δ_ji a_i    row j of the result is a sum of columns of A
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
}  // namespace detail

// What affine() applies to each finished entry of z before storing it: nothing (the default), or an
// activation with a packetOp and a scalar operator() (the grid's picture tanh and sigmoid, activation.hpp),
// so that a = σ(Wa + b) is written while the packet is still in a register, with no second pass over z.
struct Unchanged {
  template <class P>
  EIGEN_STRONG_INLINE P packetOp(const P& x) const { return x; }
  template <class S>
  EIGEN_STRONG_INLINE S operator()(const S& x) const { return x; }
};

namespace detail {
// How the kernels store a finished packet (or entry) of z, given the activation op: Into stores op(z) in
// the destination. (A twin that also stored σ(z) into a^l from the same register, for training, was measured
// at the same speed as the separate pass over z and cost 2.5 KB gzip of the page's wasm: removed.)
template <class Op>
struct Into {
  const Op& op;
  template <class S, class P>
  EIGEN_STRONG_INLINE void put(S* o, const P& x) const { Eigen::internal::pstoreu(o, op.packetOp(x)); }
  template <class S, class P>
  EIGEN_STRONG_INLINE void put_strided(S* o, const P& x, Index stride) const {
    Eigen::internal::pscatter<S, P>(o, op.packetOp(x), stride);
  }
  template <class S>
  EIGEN_STRONG_INLINE void put1(S* o, S v) const { *o = op(v); }
};

// The start of the packet of a dimension of size `size` (≥ N) that begins at `q`, pulled back so that it
// stays inside: the last packet of a dimension that is not a multiple of N overlaps the one before.
EIGEN_STRONG_INLINE Index inside(Index q, Index size, Index N) { return std::min(q, size - N); }

// ---- the broadcast form: out_i = init + Σ_j d_ji V_j ---------------------------------------------------
// V is rows × cols row-major, D rows × m, out cols × m; init (cols values) or nothing (zero). Used for
// BP2's Wᵀ δ (V = W) and for the forward pass (V = Wᵀ, init = b).

// R packets of out_i (entries q…q + R·N) for C columns, accumulated over the rows of V.
template <int R, int C, class S, class E>
EIGEN_STRONG_INLINE void broadcast_block(const S* V, const S* init, const S* d, S* o, Index rows, Index cols, const E& e) {
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  P acc[R][C];
  for (int r = 0; r < R; ++r) {
    const P start = init ? ploadu<P>(init + r * N) : zero<S>();
    for (int c = 0; c < C; ++c) acc[r][c] = start;
  }
  const S* dc[C];  // δ_ji of column c, walked down j
  for (int c = 0; c < C; ++c) dc[c] = d + c * rows;
  const S* v = V;
  for (Index j = 0; j < rows; ++j, v += cols) {
    P vr[R];
    for (int r = 0; r < R; ++r) vr[r] = ploadu<P>(v + r * N);
    for (int c = 0; c < C; ++c) {
      const P x = pset1<P>(*dc[c]++);
      for (int r = 0; r < R; ++r) acc[r][c] = pmadd(vr[r], x, acc[r][c]);
    }
  }
  for (int c = 0; c < C; ++c)
    for (int r = 0; r < R; ++r) e.put(o + c * cols + r * N, acc[r][c]);
}

// Entries q…q + R·N of out_i for every column i of D: C columns at a time, then one.
template <int R, int C, class S, class E>
void broadcast_rows(const S* V, const S* init, const S* D, S* out, Index rows, Index cols, Index m, Index q,
                    const E& e) {
  const S* start = init ? init + q : nullptr;
  Index i = 0;
  for (; i + C <= m; i += C) broadcast_block<R, C>(V + q, start, D + i * rows, out + i * cols + q, rows, cols, e);
  for (; i < m; ++i) broadcast_block<R, 1>(V + q, start, D + i * rows, out + i * cols + q, rows, cols, e);
}

// Entries of out_i in blocks of 4 packets, then 2, then 1 (the last one overlapping); each block for every
// column of D in turn, so that its columns of V are read from memory once.
template <class S, class E>
void broadcast(const S* V, const S* init, const S* D, S* out, Index rows, Index cols, Index m, const E& e) {
  constexpr int N = kLanes<S>;
  constexpr int C = 2;  // 4 × 2 accumulators, 4 operands of V and one of D: 13 of the 16 registers
  if (cols < N) {  // narrower than a packet: entry by entry
    for (Index i = 0; i < m; ++i)
      for (Index t = 0; t < cols; ++t) {
        S v = init ? init[t] : S(0);
        for (Index j = 0; j < rows; ++j) v += V[j * cols + t] * D[i * rows + j];
        e.put1(out + i * cols + t, v);
      }
    return;
  }
  Index q = 0;
  for (; q + 4 * N <= cols; q += 4 * N) broadcast_rows<4, C>(V, init, D, out, rows, cols, m, q, e);
  for (; q + 2 * N <= cols; q += 2 * N) broadcast_rows<2, C>(V, init, D, out, rows, cols, m, q, e);
  for (; q < cols; q += N) broadcast_rows<1, C>(V, init, D, out, rows, cols, m, inside(q, cols, N), e);
}

// Wt = Wᵀ (W n × k row-major, Wt k × n row-major), N × N blocks through registers.
template <class S>
void transpose(const S* W, S* Wt, Index n, Index k) {
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  const Index np = n - n % N, kp = k - k % N;
  for (Index j = 0; j < np; j += N)
    for (Index t = 0; t < kp; t += N) {
      PacketBlock<P, N> block;
      for (int r = 0; r < N; ++r) block.packet[r] = ploadu<P>(W + (j + r) * k + t);
      ptranspose(block);
      for (int r = 0; r < N; ++r) pstoreu(Wt + (t + r) * n + j, block.packet[r]);
    }
  for (Index j = 0; j < n; ++j)  // the edges
    for (Index t = j < np ? kp : 0; t < k; ++t) Wt[t * n + j] = W[j * k + t];
}

// The N sums of N packets, as one packet: lane c = Σ of the lanes of s[c], added in the order predux adds
// them ((s0 + s2) + (s1 + s3) for 4 lanes, s0 + s1 for 2), so that an example's sum is the same whether it
// is reduced here, with N − 1 others, or alone by predux.
template <class P, int N>
EIGEN_STRONG_INLINE P predux_each(Eigen::internal::PacketBlock<P, N>& s) {
  using namespace Eigen::internal;
  static_assert(N == 2 || N == 4, "predux_each: packets of 2 or 4 lanes");
  ptranspose(s);  // s.packet[t] lane c = lane t of the sum of example c
  if constexpr (N == 4) return padd(padd(s.packet[0], s.packet[2]), padd(s.packet[1], s.packet[3]));
  else return padd(s.packet[0], s.packet[1]);
}

// z_ji = b_j + W_j · a_i for the n < N rows of an output layer: one dot product per entry. N examples at a
// time, their N sums reduced into one packet (predux_each), so that the activation is a packet op and a
// one-neuron output layer stores a packet of N examples; the rest of the batch one example at a time. Each
// z_ji is summed in the same order either way: packets over the first k − k % N inputs, their lanes as
// predux adds them, the remaining inputs in turn, then b_j.
template <class S, class E>
void dots(const S* W, const S* b, const S* A, S* Z, Index n, Index k, Index m, const E& e) {
  using namespace Eigen::internal;
  using P = Packet<S>;
  constexpr int N = kLanes<S>;
  const Index kp = k - k % N;
  for (Index j = 0; j < n; ++j) {
    const S* w = W + j * k;
    const P bj = pset1<P>(b[j]);
    Index i = 0;
    for (; i + N <= m; i += N) {
      const S* a = A + i * k;
      PacketBlock<P, N> s;
      for (int c = 0; c < N; ++c) s.packet[c] = zero<S>();
      for (Index q = 0; q < kp; q += N) {
        const P wq = ploadu<P>(w + q);
        for (int c = 0; c < N; ++c) s.packet[c] = pmadd(wq, ploadu<P>(a + c * k + q), s.packet[c]);
      }
      P v = kp > 0 ? predux_each<P, N>(s) : zero<S>();
      for (Index t = kp; t < k; ++t) v = padd(v, pmul(pset1<P>(w[t]), pgather<S, P>(a + t, k)));
      v = padd(v, bj);
      if (n == 1) e.put(Z + i, v);
      else e.put_strided(Z + i * n + j, v, n);
    }
    for (; i < m; ++i) {
      const S* a = A + i * k;
      P s = zero<S>();
      for (Index q = 0; q < kp; q += N) s = pmadd(ploadu<P>(w + q), ploadu<P>(a + q), s);
      S v = kp > 0 ? predux(s) : S(0);
      for (Index t = kp; t < k; ++t) v += w[t] * a[t];
      e.put1(Z + i * n + j, v + b[j]);
    }
  }
}

// Z = W A + b 1ᵀ through the store policy `e` (Into): see affine() below.
template <class S, class E>
void affine(const S* W, const S* b, const S* A, S* Z, Index n, Index k, Index m, S* scratch, const E& e) {
  if (n >= kLanes<S>) {
    transpose(W, scratch, n, k);
    broadcast(scratch, b, A, Z, k, n, m, e);
  } else {
    dots(W, b, A, Z, n, k, m, e);
  }
}
}  // namespace detail

// Z = W A + b 1ᵀ: z_ji = b_j + Σ_k W_jk a_ki. W n × k row-major, A k × m, Z n × m. `scratch` holds n·k
// values. For n ≥ N, W is transposed into scratch and z_i is built as b + Σ_t a_ti (Wᵀ)_t: packets of
// neurons times one input at a time, no reductions across lanes. That holds for every batch size, even
// m = 1 where the transpose costs about as much as the product: each z_ji is then summed in one order
// (b_j, then the inputs t = 0, 1, … in turn) whatever the batch around example i, so an example gives the
// same numbers alone (the step-through, predict) as in a mini-batch or the grid. Narrower layers (n < N,
// an output layer) are dot products, N examples at a time (detail::dots), again in one order per entry.
// `e` is applied to each entry as it is stored (Unchanged: Z holds z; an activation: Z holds σ(z)).
template <class S, class E = Unchanged>
EIGEN_DONT_INLINE void affine(const S* W, const S* b, const S* A, S* Z, Index n, Index k, Index m, S* scratch,
                              const E& e = E()) {
  detail::affine(W, b, A, Z, n, k, m, scratch, detail::Into<E>{e});
}

// out = Wᵀ D (BP2's product): out_i = Σ_j δ_ji W_j. W n × k row-major, D n × m, out k × m.
template <class S>
EIGEN_DONT_INLINE void transposed(const S* W, const S* D, S* out, Index n, Index k, Index m) {
  const Unchanged same;
  detail::broadcast(W, static_cast<const S*>(nullptr), D, out, n, k, m, detail::Into<Unchanged>{same});
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
EIGEN_DONT_INLINE void outer(const S* D, const S* A, S s, S* G, S* gb, Index n, Index k, Index m) {
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
