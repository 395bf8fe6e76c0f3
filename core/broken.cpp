// The broken backward passes of the "break an equation" teaching switch (broken.hpp): Network::backward and
// Network::accumulate (network.cpp) with one equation written wrong. They use the backward pass written out
// element by element (explain.hpp) — small code, for the lab-sized networks a teacher breaks — and leave the
// correct passes untouched, so training without the switch runs exactly the code it ran before.
#include "core/explain.hpp"

namespace bp {

template <class S>
BP_MINSIZE void Network<S>::backward_broken(const Batch& Y, Regularization reg, double lambda, std::size_t n) {
  backward_written_out(*this, pass_.z, pass_.a, Y, delta_);  // BP1, BP2 (one of them broken)
  // no_batch_mean forgets the 1/m: the batch's gradients are summed, not averaged
  const S inv_m = broken_ == Broken::no_batch_mean ? S(1) : S(1) / S(pass_.m);
  const S decay = S(lambda / double(n));  // λ/n
  for (int l = L(); l >= 1; --l) {
    Layer& layer = layers_[std::size_t(l - 1)];
    S* gW = layer.grad_W.data();
    S* gb = layer.grad_b.data();
    const S* w = layer.W.data();
    for (Eigen::Index i = 0; i < layer.grad_W.size(); ++i) gW[i] = 0;
    for (Eigen::Index j = 0; j < layer.grad_b.size(); ++j) gb[j] = 0;
    add_gradients(delta_[std::size_t(l)], pass_.a[std::size_t(l - 1)], gW, gb);
    // BP3, BP4 averaged over the batch; + (λ/n) W (L2) or (λ/n) sign(W) (L1), biases not regularised
    for (Eigen::Index j = 0; j < layer.grad_b.size(); ++j) gb[j] *= inv_m;
    for (Eigen::Index i = 0; i < layer.grad_W.size(); ++i) {
      const S sign = w[i] > S(0) ? S(1) : w[i] < S(0) ? S(-1) : S(0);
      gW[i] = gW[i] * inv_m + (reg == Regularization::l2 ? decay * w[i] : reg == Regularization::l1 ? decay * sign : S(0));
    }
  }
}

// As accumulate(): Σ_x C_x, Σ_x ∂C_x/∂W^l, Σ_x ∂C_x/∂b^l, Σ_x ‖δ_x^l‖², saturation and dead counts — with the
// broken δ. (no_batch_mean is applied where Model::inspect turns the sums into means.)
template <class S>
BP_MINSIZE void Network<S>::accumulate_broken(Pass& pass, std::vector<Batch>& delta, const Batch& Y,
                                              Inspection<S>& sums) const {
  const std::size_t Lu = std::size_t(L());
  pass.keep_z = true;
  forward(pass);
  sums.cost += bp::cost_sum(config_.cost, config_.output_activation, pass.z[Lu], pass.a[Lu], Y);
  backward_written_out(*this, pass.z, pass.a, Y, delta);
  const S frac = S(kSaturationFraction);
  for (int l = L(); l >= 1; --l) {
    const std::size_t lu = std::size_t(l);
    auto& out = sums.layers[lu - 1];
    add_gradients(delta[lu], pass.a[lu - 1], out.grad_W.data(), out.grad_b.data());
    const Activation f = activation(l);
    const Batch& z = pass.z[lu];
    const Batch& a = pass.a[lu];
    for (Eigen::Index i = 0; i < z.cols(); ++i) {
      for (Eigen::Index j = 0; j < z.rows(); ++j) {
        out.delta_sq += double(delta[lu](j, i)) * double(delta[lu](j, i));
        // the rule of count_saturated (network.cpp), one value at a time
        const S v = a(j, i);
        if (f == Activation::relu) out.dead[j] += z(j, i) <= S(0) ? S(1) : S(0);
        else if (f == Activation::sigmoid) out.saturation[j] += v * (S(1) - v) < S(0.25) * frac ? S(1) : S(0);
        else if (f == Activation::tanh) out.saturation[j] += S(1) - v * v < frac ? S(1) : S(0);
      }
    }
  }
}

template void Network<float>::backward_broken(const Batch&, Regularization, double, std::size_t);
template void Network<double>::backward_broken(const Batch&, Regularization, double, std::size_t);
template void Network<float>::accumulate_broken(Pass&, std::vector<Batch>&, const Batch&, Inspection<float>&) const;
template void Network<double>::accumulate_broken(Pass&, std::vector<Batch>&, const Batch&, Inspection<double>&) const;

}  // namespace bp
