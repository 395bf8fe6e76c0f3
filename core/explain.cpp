#include "core/explain.hpp"

namespace bp {

template <class S>
void prepare_explanation(const Network<S>& net, std::size_t m, Explanation<S>& e) {
  const int L = net.L();
  const Eigen::Index cols = Eigen::Index(m);
  e.m = m;
  net.prepare(e.pass, m);
  e.pass.keep_z = true;  // the walk shows z^l, and BP1/BP2 read it
  e.y.resize(net.size(L), cols);
  e.sigma_prime.resize(std::size_t(L) + 1);
  e.grad_a.resize(std::size_t(L) + 1);
  e.delta.resize(std::size_t(L) + 1);
  e.grad_W.resize(std::size_t(L) + 1);
  e.grad_b.resize(std::size_t(L) + 1);
  for (int l = 1; l <= L; ++l) {
    const std::size_t lu = std::size_t(l);
    e.sigma_prime[lu].resize(net.size(l), cols);
    e.grad_a[lu].resize(net.size(l), cols);
    e.delta[lu].resize(net.size(l), cols);
    e.grad_W[lu].resize(net.size(l), net.size(l - 1));
    e.grad_b[lu].resize(net.size(l));
  }
}

template <class S>
void explain(const Network<S>& net, Explanation<S>& e) {
  const int L = net.L();
  const std::size_t Lu = std::size_t(L);
  const NetworkConfig& c = net.config();
  const Broken broken = net.broken();
  e.broken = broken;
  e.sigma_prime_cancels = sigma_prime_cancels(c.cost, c.output_activation);
  // z^l = W^l a^(l−1) + b^l,  a^l = σ(z^l): the engine's own forward pass
  e.pass.keep_z = true;
  net.forward(e.pass);
  const auto& z = e.pass.z;
  const auto& a = e.pass.a;
  // C = (1/m) Σ_x C_x
  e.cost = cost_sum(c.cost, c.output_activation, z[Lu], a[Lu], e.y) / double(e.m);

  // ∂C_x/∂a^L = ∇_a C, and σ'(z^L)
  cost_gradient(c.cost, c.output_activation, a[Lu], e.y, e.grad_a[Lu]);
  derivative(c.output_activation, z[Lu], a[Lu], e.sigma_prime[Lu]);
  if (broken == Broken::bp1_no_sigma_prime) {
    e.delta[Lu] = e.grad_a[Lu];  // BP1, broken: δ^L = ∇_a C, σ'(z^L) forgotten
  } else {
    // BP1: δ^L = ∇_a C ⊙ σ'(z^L) — computed as training computes it (a^L − y where σ' cancels, Jᵀ ∇_a C for
    // a softmax output under the quadratic cost)
    output_delta(c.cost, c.output_activation, z[Lu], a[Lu], e.y, e.delta[Lu]);
  }
  for (int l = L - 1; l >= 1; --l) {
    const std::size_t lu = std::size_t(l);
    // ∂C_x/∂a^l = (W^(l+1))ᵀ δ^(l+1): the error carried back along the links of W^(l+1)
    if (transpose_broken_at(net, broken, l + 1)) e.grad_a[lu].noalias() = net.W(l + 1) * e.delta[lu + 1];  // broken
    else e.grad_a[lu].noalias() = net.W(l + 1).transpose() * e.delta[lu + 1];
    derivative(net.activation(l), z[lu], a[lu], e.sigma_prime[lu]);
    // BP2: δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)
    if (broken == Broken::bp2_no_sigma_prime) e.delta[lu] = e.grad_a[lu];  // broken: σ'(z^l) forgotten
    else e.delta[lu] = e.grad_a[lu].cwiseProduct(e.sigma_prime[lu]);
  }
  // the mean over the m examples (the sum, when no_batch_mean forgets the 1/m)
  const S scale = broken == Broken::no_batch_mean ? S(1) : S(1) / S(e.m);
  for (int l = 1; l <= L; ++l) {
    const std::size_t lu = std::size_t(l);
    // BP3: ∂C/∂b^l = (1/m) Σ_x δ_x^l
    e.grad_b[lu].noalias() = e.delta[lu].rowwise().sum() * scale;
    // BP4: ∂C/∂W^l = (1/m) Σ_x δ_x^l (a_x^(l−1))ᵀ, i.e. ∂C_x/∂w^l_jk = a^(l−1)_k δ^l_j for one example
    e.grad_W[lu].noalias() = scale * e.delta[lu] * a[lu - 1].transpose();
  }
}

template void prepare_explanation(const Network<float>&, std::size_t, Explanation<float>&);
template void prepare_explanation(const Network<double>&, std::size_t, Explanation<double>&);
template void explain(const Network<float>&, Explanation<float>&);
template void explain(const Network<double>&, Explanation<double>&);

}  // namespace bp
