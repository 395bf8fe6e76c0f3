// "Break an equation": a teaching switch that makes a network's backward pass deliberately wrong in one
// of the ways students (and the rest of us) get backprop wrong, so that the gradient check can be seen to
// catch it and training can be seen to suffer. Off by default; the correct backward pass
// (Network::backward, network.cpp) never changes: the broken variants live apart, in broken.cpp.
//
//   bp1_no_sigma_prime   BP1 without σ':  δ^L = ∇_a C               (right: ∇_a C ⊙ σ'(z^L))
//   bp2_no_sigma_prime   BP2 without σ':  δ^l = (W^(l+1))ᵀ δ^(l+1)   (right: ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l))
//   bp2_no_transpose     BP2 with W instead of Wᵀ: δ^l = (W^(l+1) δ^(l+1)) ⊙ σ'(z^l). Only where the shapes
//                        allow it, i.e. where W^(l+1) is square (n_(l+1) = n_l); the other layers keep the
//                        transpose. A network without any square W^l (l ≥ 2) refuses it (Model::set_broken).
//   no_batch_mean        BP3/BP4 summed over the mini-batch instead of averaged: the 1/m forgotten, so
//                        the step is m times too large (with batch size 1 it changes nothing).
//
// Where the check sees it first (the highest layer l whose ∂C/∂W^l is wrong, since errors flow down):
// bp1 → L; bp2_no_sigma_prime → L − 1; bp2_no_transpose → the highest l with W^(l+1) square; no_batch_mean → L
// (every layer is off by the same factor). Dropping σ' changes nothing where σ' = 1 (a linear layer).
#pragma once

#include <string>

#include "core/errors.hpp"
#include "core/minsize.hpp"

namespace bp {

// (In this order: the bindings pass an equation as its number, and bindings/api.js lists them the same way.)
enum class Broken { none, bp1_no_sigma_prime, bp2_no_sigma_prime, bp2_no_transpose, no_batch_mean };

inline const char* to_string(Broken b) {
  switch (b) {
    case Broken::none: return "none";
    case Broken::bp1_no_sigma_prime: return "bp1_no_sigma_prime";
    case Broken::bp2_no_sigma_prime: return "bp2_no_sigma_prime";
    case Broken::bp2_no_transpose: return "bp2_no_transpose";
    case Broken::no_batch_mean: return "no_batch_mean";
  }
  return "?";
}

BP_MINSIZE inline Broken parse_broken(const std::string& name) {
  for (Broken b : {Broken::none, Broken::bp1_no_sigma_prime, Broken::bp2_no_sigma_prime, Broken::bp2_no_transpose,
                   Broken::no_batch_mean})
    if (name == to_string(b)) return b;
  fail("broken: unknown equation '", name,
       "' (expected bp1_no_sigma_prime, bp2_no_sigma_prime, bp2_no_transpose or no_batch_mean)");
}

// Whether BP2 from layer l down to l − 1 uses W^l instead of (W^l)ᵀ: only under bp2_no_transpose, and only
// where W^l (n_l × n_(l−1)) is square, so that W^l δ^l has the shape of (W^l)ᵀ δ^l.
template <class Net>
bool transpose_broken_at(const Net& net, Broken broken, int l) {
  return broken == Broken::bp2_no_transpose && net.size(l) == net.size(l - 1);
}

}  // namespace bp
