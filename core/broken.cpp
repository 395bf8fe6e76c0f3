// The broken backward passes of the "break an equation" teaching switch (broken.hpp). They mirror
// Network::backward and Network::accumulate (network.cpp) line for line, with the one equation that is
// switched off written wrong; the correct passes are not touched, so training without the switch runs
// exactly the code it ran before.
#include "core/network.hpp"

namespace bp {
namespace {

// δ^L … δ^1 of a pass (z^l, a^l kept) into delta, with the network's broken equation broken.
template <class S>
void broken_deltas(const Network<S>& net, const std::vector<Batch<S>>& z, const std::vector<Batch<S>>& a,
                   const Batch<S>& Y, std::vector<Batch<S>>& delta) {
  const int L = net.L();
  const Broken broken = net.broken();
  const NetworkConfig& c = net.config();
  const std::size_t Lu = std::size_t(L);
  if (broken == Broken::bp1_no_sigma_prime) {
    // BP1, broken: δ^L = ∇_a C — the factor σ'(z^L) is forgotten
    cost_gradient(c.cost, c.output_activation, a[Lu], Y, delta[Lu]);
  } else {
    // BP1: δ^L = ∇_a C ⊙ σ'(z^L)
    output_delta(c.cost, c.output_activation, z[Lu], a[Lu], Y, delta[Lu]);
  }
  for (int l = L; l >= 2; --l) {
    const std::size_t lu = std::size_t(l);
    Batch<S>& prev = delta[lu - 1];
    if (transpose_broken_at(net, broken, l)) {
      prev.noalias() = net.W(l) * delta[lu];  // BP2, broken: W^l δ^l instead of (W^l)ᵀ δ^l
    } else {
      prev.noalias() = net.W(l).transpose() * delta[lu];  // BP2: (W^l)ᵀ δ^l …
    }
    // … ⊙ σ'(z^(l−1)), unless that is the factor forgotten
    if (broken != Broken::bp2_no_sigma_prime) times_derivative(net.activation(l - 1), z[lu - 1], a[lu - 1], prev);
  }
}

}  // namespace

template <class S>
void Network<S>::backward_broken(const Batch& Y, Regularization reg, double lambda, std::size_t n) {
  broken_deltas(*this, pass_.z, pass_.a, Y, delta_);
  // no_batch_mean forgets the 1/m: the batch's gradients are summed, not averaged
  const S inv_m = broken_ == Broken::no_batch_mean ? S(1) : S(1) / S(pass_.m);
  const S decay = S(lambda / double(n));  // λ/n
  for (int l = L(); l >= 1; --l) {
    const Batch& delta = delta_[std::size_t(l)];
    Layer& layer = layers_[std::size_t(l - 1)];
    // BP3: ∂C/∂b^l = δ^l, averaged over the batch
    layer.grad_b.noalias() = delta.rowwise().sum() * inv_m;
    // BP4: ∂C/∂W^l = δ^l (a^(l−1))ᵀ, averaged over the batch; + (λ/n) W (L2) or (λ/n) sign(W) (L1)
    layer.grad_W.noalias() = inv_m * delta * pass_.a[std::size_t(l - 1)].transpose();
    if (reg == Regularization::l2) layer.grad_W += decay * layer.W;
    else if (reg == Regularization::l1) layer.grad_W += decay * layer.W.cwiseSign();
  }
}

// As accumulate(); no_batch_mean is applied where the sums become means (Model::inspect).
template <class S>
void Network<S>::accumulate_broken(Pass& pass, std::vector<Batch>& delta, const Batch& Y, Inspection<S>& sums) const {
  const int Lw = L();
  pass.keep_z = true;
  forward(pass);
  const std::size_t Lu = std::size_t(Lw);
  sums.cost += bp::cost_sum(config_.cost, config_.output_activation, pass.z[Lu], pass.a[Lu], Y);
  broken_deltas(*this, pass.z, pass.a, Y, delta);
  for (int l = Lw; l >= 1; --l) {
    const std::size_t lu = std::size_t(l);
    const Batch& d = delta[lu];
    auto& out = sums.layers[lu - 1];
    out.delta_sq += double(d.squaredNorm());
    out.grad_b.noalias() += d.rowwise().sum();                  // BP3, summed over the pass
    out.grad_W.noalias() += d * pass.a[lu - 1].transpose();     // BP4, summed over the pass
    count_saturated(activation(l), pass.z[lu], pass.a[lu], out.saturation, out.dead);
  }
}

template void Network<float>::backward_broken(const Batch&, Regularization, double, std::size_t);
template void Network<double>::backward_broken(const Batch&, Regularization, double, std::size_t);
template void Network<float>::accumulate_broken(Pass&, std::vector<Batch>&, const Batch&, Inspection<float>&) const;
template void Network<double>::accumulate_broken(Pass&, std::vector<Batch>&, const Batch&, Inspection<double>&) const;

}  // namespace bp
