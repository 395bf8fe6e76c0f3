#include "core/explain.hpp"

namespace bp {
namespace {

// σ'(z) of one neuron on one example, as times_derivative computes it (from a, where the book does), so
// that (∂C_x/∂a) · σ'(z) here is the very number training computes. Softmax: the Jacobian's diagonal.
template <class S>
S sigma_prime_of(Activation f, S z, S a) {
  switch (f) {
    case Activation::sigmoid: return a * (S(1) - a);  // σ' = σ(1 − σ)
    case Activation::tanh: return S(1) - a * a;       // tanh' = 1 − tanh²
    case Activation::relu: return z > S(0) ? S(1) : S(0);  // relu'(0) = 0
    case Activation::linear: return S(1);
    case Activation::softmax: return a * (S(1) - a);  // ∂a_j/∂z_j; the Jacobian couples the outputs
  }
  return S(1);
}

// ∂C_x/∂a_j = (∇_a C)_j: quadratic a − y; cross-entropy −y/a + (1 − y)/(1 − a), or −y/a with softmax.
template <class S>
S cost_gradient_of(Cost cost, Activation output, S a, S y) {
  if (cost == Cost::quadratic) return a - y;
  if (output == Activation::softmax) return -y / a;
  return -y / a + (S(1) - y) / (S(1) - a);
}

}  // namespace

template <class S>
BP_MINSIZE void backward_written_out(const Network<S>& net, const std::vector<Batch<S>>& z,
                                     const std::vector<Batch<S>>& a, const Batch<S>& Y, std::vector<Batch<S>>& delta,
                                     std::vector<Batch<S>>* grad_a, std::vector<Batch<S>>* sigma_prime) {
  const int L = net.L();
  const std::size_t Lu = std::size_t(L);
  const Eigen::Index m = Y.cols();
  const NetworkConfig& c = net.config();
  const Broken broken = net.broken();
  const Activation out = c.output_activation;
  const int nL = net.size(L);
  for (Eigen::Index i = 0; i < m; ++i) {
    // softmax: the sums over the outputs that its Jacobian and the cross-entropy need (cost.hpp, output_delta)
    S ysum = 0, ag = 0;  // Σ_j y_j;  Σ_k a_k (a_k − y_k)
    for (Eigen::Index k = 0; k < nL; ++k) {
      ysum += Y(k, i);
      ag += a[Lu](k, i) * (a[Lu](k, i) - Y(k, i));
    }
    for (Eigen::Index j = 0; j < nL; ++j) {
      const S aj = a[Lu](j, i), yj = Y(j, i);
      const S g = cost_gradient_of(c.cost, out, aj, yj);  // ∂C_x/∂a^L_j
      const S sp = sigma_prime_of(out, z[Lu](j, i), aj);
      if (grad_a) (*grad_a)[Lu](j, i) = g;
      if (sigma_prime) (*sigma_prime)[Lu](j, i) = sp;
      S d;
      if (broken == Broken::bp1_no_sigma_prime) d = g;  // BP1, broken: δ^L = ∇_a C, σ'(z^L) forgotten
      else if (sigma_prime_cancels(c.cost, out)) d = out == Activation::softmax ? aj * ysum - yj : aj - yj;  // σ' cancels (eqs. 66, 84)
      else if (out == Activation::softmax) d = aj * ((aj - yj) - ag);  // quadratic: δ_j = a_j(g_j − Σ_k a_k g_k), the Jacobian
      else d = (aj - yj) * sp;  // BP1: δ^L_j = ∂C_x/∂a^L_j · σ'(z^L_j)
      delta[Lu](j, i) = d;
    }
  }
  for (int l = L - 1; l >= 1; --l) {
    const std::size_t lu = std::size_t(l);
    const auto& W = net.W(l + 1);
    const bool no_transpose = transpose_broken_at(net, broken, l + 1);
    const Activation f = net.activation(l);
    for (Eigen::Index i = 0; i < m; ++i) {
      for (Eigen::Index j = 0; j < net.size(l); ++j) {
        // ∂C_x/∂a^l_j = ((W^(l+1))ᵀ δ^(l+1))_j = Σ_k w^(l+1)_kj δ^(l+1)_k — broken: Σ_k w^(l+1)_jk δ^(l+1)_k
        S g = 0;
        for (Eigen::Index k = 0; k < net.size(l + 1); ++k) g += (no_transpose ? W(j, k) : W(k, j)) * delta[lu + 1](k, i);
        const S sp = sigma_prime_of(f, z[lu](j, i), a[lu](j, i));
        if (grad_a) (*grad_a)[lu](j, i) = g;
        if (sigma_prime) (*sigma_prime)[lu](j, i) = sp;
        // BP2: δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l) — broken: without σ'
        delta[lu](j, i) = broken == Broken::bp2_no_sigma_prime ? g : g * sp;
      }
    }
  }
}

template <class S>
BP_MINSIZE void add_gradients(const Batch<S>& delta, const Batch<S>& a_prev, S* grad_W, S* grad_b) {
  const Eigen::Index n_in = a_prev.rows();
  for (Eigen::Index i = 0; i < delta.cols(); ++i) {
    for (Eigen::Index j = 0; j < delta.rows(); ++j) {
      const S d = delta(j, i);
      grad_b[j] += d;                                                                          // BP3: ∂C_x/∂b_j = δ_j
      for (Eigen::Index k = 0; k < n_in; ++k) grad_W[j * n_in + k] += a_prev(k, i) * d;  // BP4: ∂C_x/∂w_jk = a_k δ_j
    }
  }
}

template <class S>
BP_MINSIZE void prepare_explanation(const Network<S>& net, std::size_t m, Explanation<S>& e) {
  const int L = net.L();
  const Eigen::Index cols = Eigen::Index(m);
  e.m = m;
  net.prepare(e.pass, m);
  e.pass.keep_z = true;  // the walk shows z^l, and BP1/BP2 read it
  e.y.resize(net.size(L), cols);
  std::vector<Batch<S>>* parts[5] = {&e.sigma_prime, &e.grad_a, &e.delta, &e.grad_Wt, &e.grad_bc};
  for (int k = 0; k < 5; ++k) {
    parts[k]->resize(std::size_t(L) + 1);
    for (int l = 1; l <= L; ++l) {
      // n_l × m for σ', ∂C/∂a, δ; n_(l−1) × n_l for ∂C/∂Wᵀ; n_l × 1 for ∂C/∂b
      const Eigen::Index rows = k == 3 ? net.size(l - 1) : net.size(l), c = k < 3 ? cols : k == 3 ? net.size(l) : 1;
      (*parts[k])[std::size_t(l)].resize(rows, c);
    }
  }
}

template <class S>
BP_MINSIZE void explain(const Network<S>& net, Explanation<S>& e) {
  const int L = net.L();
  const std::size_t Lu = std::size_t(L);
  const NetworkConfig& c = net.config();
  e.broken = net.broken();
  e.sigma_prime_cancels = sigma_prime_cancels(c.cost, c.output_activation);
  // z^l = W^l a^(l−1) + b^l,  a^l = σ(z^l): the engine's own forward pass
  e.pass.keep_z = true;
  net.forward(e.pass);
  // C = (1/m) Σ_x C_x
  e.cost = cost_sum(c.cost, c.output_activation, e.pass.z[Lu], e.pass.a[Lu], e.y) / double(e.m);
  // BP1, BP2 with both factors of every δ^l kept
  backward_written_out(net, e.pass.z, e.pass.a, e.y, e.delta, &e.grad_a, &e.sigma_prime);
  // BP3, BP4: the mean over the m examples (the sum, when no_batch_mean forgets the 1/m)
  const S scale = e.broken == Broken::no_batch_mean ? S(1) : S(1) / S(e.m);
  for (int l = 1; l <= L; ++l) {
    const std::size_t lu = std::size_t(l);
    for (Batch<S>* g : {&e.grad_Wt[lu], &e.grad_bc[lu]})
      for (Eigen::Index i = 0; i < g->size(); ++i) g->data()[i] = 0;
    add_gradients(e.delta[lu], e.pass.a[lu - 1], e.grad_Wt[lu].data(), e.grad_bc[lu].data());
    for (Batch<S>* g : {&e.grad_Wt[lu], &e.grad_bc[lu]})
      for (Eigen::Index i = 0; i < g->size(); ++i) g->data()[i] *= scale;
  }
}

template void prepare_explanation(const Network<float>&, std::size_t, Explanation<float>&);
template void prepare_explanation(const Network<double>&, std::size_t, Explanation<double>&);
template void explain(const Network<float>&, Explanation<float>&);
template void explain(const Network<double>&, Explanation<double>&);
template void backward_written_out(const Network<float>&, const std::vector<Batch<float>>&,
                                   const std::vector<Batch<float>>&, const Batch<float>&, std::vector<Batch<float>>&,
                                   std::vector<Batch<float>>*, std::vector<Batch<float>>*);
template void backward_written_out(const Network<double>&, const std::vector<Batch<double>>&,
                                   const std::vector<Batch<double>>&, const Batch<double>&, std::vector<Batch<double>>&,
                                   std::vector<Batch<double>>*, std::vector<Batch<double>>*);
template void add_gradients<float>(const Batch<float>&, const Batch<float>&, float*, float*);
template void add_gradients<double>(const Batch<double>&, const Batch<double>&, double*, double*);

}  // namespace bp
