// Backpropagation on one example (or one mini-batch), step by step, the way the seed notes do it by hand:
// every factor of BP1–BP4 kept, with the network's current weights, for the lab's step-through. It runs in
// its own scratch: training (the position in the epoch, the step that can be taken back, the last training
// pass) is not touched.
//
//   a^0 = x (the features);  z^l = W^l a^(l−1) + b^l,  a^l = σ(z^l)             l = 1..L
//   ∂C_x/∂a^L = ∇_a C                                                        (cost.hpp, cost_gradient)
//   BP1  δ^L = ∇_a C ⊙ σ'(z^L)
//   ∂C_x/∂a^l = (W^(l+1))ᵀ δ^(l+1)                                            l = L−1..1
//   BP2  δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)
//   BP3  ∂C/∂b^l = (1/m) Σ_x δ_x^l,   BP4  ∂C/∂W^l = (1/m) Σ_x δ_x^l (a_x^(l−1))ᵀ   (m = 1: one example's)
//
// So for every layer δ^l = (∂C_x/∂a^l) ⊙ σ'(z^l): grad_a and sigma_prime are the two factors the walk shows.
// Two exceptions, both at the output: with cross-entropy and a sigmoid/softmax output σ' cancels and the
// engine computes δ^L = a^L − y directly (sigma_prime_cancels; the product ∇_a C ⊙ σ' is the same number up
// to rounding for a sigmoid); a softmax output has a full Jacobian, not an elementwise σ', so sigma_prime
// there is the Jacobian's diagonal a_j(1 − a_j) and δ^L = Jᵀ ∇_a C. While an equation is broken
// (broken.hpp) the pass computes what the broken backward pass computes, and grad_a/delta show it.
#pragma once

#include <vector>

#include "core/minsize.hpp"
#include "core/network.hpp"

namespace bp {

template <class S>
struct Explanation {
  using Batch = bp::Batch<S>;
  std::size_t m = 0;                     // examples (columns)
  typename Network<S>::Pass pass;        // z^l, a^l (a^0 = the features), n_l × m; the caller fills a^0
  Batch y;                               // targets, n_L × m; the caller fills it
  // l = 1..L at index l (index 0 unused), n_l × m:
  std::vector<Batch> sigma_prime;        // σ'(z^l) (softmax output: the Jacobian's diagonal)
  std::vector<Batch> grad_a;             // ∂C_x/∂a^l: ∇_a C at L, (W^(l+1))ᵀ δ^(l+1) below
  std::vector<Batch> delta;              // δ^l = ∂C_x/∂z^l
  // ∂C/∂W^l and ∂C/∂b^l, the means over the m examples (no regularisation), through grad_W(l), grad_b(l). Kept
  // as Batches too (one matrix type: less code in the page's wasm): W's gradient transposed, n_(l−1) × n_l,
  // whose memory is W's row-major order; b's as n_l × 1.
  std::vector<Batch> grad_Wt, grad_bc;
  using ConstMatrix = Eigen::Map<const typename Network<S>::Matrix>;
  using ConstVector = Eigen::Map<const typename Network<S>::Vector>;
  ConstMatrix grad_W(std::size_t l) const { return {grad_Wt[l].data(), grad_Wt[l].cols(), grad_Wt[l].rows()}; }
  ConstVector grad_b(std::size_t l) const { return {grad_bc[l].data(), grad_bc[l].rows()}; }
  double cost = 0;                       // (1/m) Σ_x C_x, no regularisation
  bool sigma_prime_cancels = false;      // cross-entropy with a sigmoid/softmax output: δ^L = a^L − y
  Broken broken = Broken::none;          // the equation broken while this was computed
};

// Sizes e for m examples (then fill e.pass.a[0] and e.y).
template <class S>
void prepare_explanation(const Network<S>& net, std::size_t m, Explanation<S>& e);

// The forward and backward pass over e.pass.a[0], e.y with net's current weights, every factor kept.
template <class S>
void explain(const Network<S>& net, Explanation<S>& e);

// ---- the backward pass written out ------------------------------------------------------------------------
// BP1–BP4 element by element over a forward pass's z^l, a^l (l = 0..L) — the step-through's pass, and the
// broken equations' (broken.cpp). The training pass (network.cpp) is the fast matrix version of the same
// equations; this one is small, for lab-sized networks, run once per click or while a switch is on.

// δ^l (n_l × m, sized by the caller) for l = L..1 as net is set to compute them (its broken equation broken,
// broken.hpp); with grad_a / sigma_prime (sized likewise), also ∂C_x/∂a^l and σ'(z^l).
template <class S>
void backward_written_out(const Network<S>& net, const std::vector<Batch<S>>& z, const std::vector<Batch<S>>& a,
                          const Batch<S>& Y, std::vector<Batch<S>>& delta, std::vector<Batch<S>>* grad_a = nullptr,
                          std::vector<Batch<S>>* sigma_prime = nullptr);

// BP3, BP4 of layer l summed over the m examples: grad_b += Σ_x δ_x^l, grad_W += Σ_x δ_x^l (a_x^(l−1))ᵀ, with
// grad_W row-major n_l × n_(l−1).
template <class S>
void add_gradients(const Batch<S>& delta, const Batch<S>& a_prev, S* grad_W, S* grad_b);

extern template void prepare_explanation(const Network<float>&, std::size_t, Explanation<float>&);
extern template void prepare_explanation(const Network<double>&, std::size_t, Explanation<double>&);
extern template void explain(const Network<float>&, Explanation<float>&);
extern template void explain(const Network<double>&, Explanation<double>&);

}  // namespace bp
