#include "core/trace.hpp"

#include <cmath>

#include "core/model.hpp"

namespace bp {
namespace {

void check_rows(const Rows& m, std::size_t rows, std::size_t cols, const std::string& field) {
  if (m.size() != rows) fail(field, ": expected ", rows, " rows, got ", m.size());
  for (std::size_t r = 0; r < rows; ++r) {
    if (m[r].size() != cols) fail(field, "[", r, "]: expected ", cols, " values, got ", m[r].size());
    for (std::size_t c = 0; c < cols; ++c)
      if (!std::isfinite(m[r][c])) fail(field, "[", r, "][", c, "]: must be a finite number, got ", m[r][c]);
  }
}

std::vector<double> flatten(const Rows& m) {
  std::vector<double> v;
  for (const auto& row : m) v.insert(v.end(), row.begin(), row.end());
  return v;
}

Rows to_rows(const Network<double>::Matrix& M) {
  Rows r(std::size_t(M.rows()), std::vector<double>(std::size_t(M.cols())));
  for (Eigen::Index i = 0; i < M.rows(); ++i)
    for (Eigen::Index j = 0; j < M.cols(); ++j) r[std::size_t(i)][std::size_t(j)] = M(i, j);
  return r;
}

std::vector<double> to_vector(const Network<double>::Vector& v) { return {v.data(), v.data() + v.size()}; }

}  // namespace

TraceResult run_trace(const TraceSpec& spec) {
  Model<double> model(spec.config, 0, Init::zeros, 0);  // validates the config
  Network<double>& net = model.network();
  const int L = net.L();
  if (spec.weights.size() != std::size_t(L)) fail("weights: expected ", L, " matrices, got ", spec.weights.size());
  if (spec.biases.size() != std::size_t(L)) fail("biases: expected ", L, " vectors, got ", spec.biases.size());
  for (int l = 1; l <= L; ++l) {
    const std::string w = "weights[" + std::to_string(l - 1) + "]";
    check_rows(spec.weights[std::size_t(l - 1)], std::size_t(net.size(l)), std::size_t(net.size(l - 1)), w);
    check_rows({spec.biases[std::size_t(l - 1)]}, 1, std::size_t(net.size(l)), "biases[" + std::to_string(l - 1) + "]");
    for (int j = 0; j < net.size(l); ++j) {
      net.b(l)[j] = spec.biases[std::size_t(l - 1)][std::size_t(j)];
      for (int k = 0; k < net.size(l - 1); ++k) net.W(l)(j, k) = spec.weights[std::size_t(l - 1)][std::size_t(j)][std::size_t(k)];
    }
  }
  net.forget_last_step();
  if (spec.inputs.empty()) fail("inputs: need at least one example");
  const std::size_t n = spec.inputs.size();
  check_rows(spec.inputs, n, std::size_t(net.size(0)), "inputs");
  check_rows(spec.targets, n, std::size_t(net.size(L)), "targets");
  if (spec.steps < 0) fail("steps: must be an integer ≥ 0, got ", spec.steps);
  if (spec.batch_size < 1) fail("batch_size: must be an integer ≥ 1, got ", spec.batch_size);
  if (spec.steps > 0 && (!(spec.learning_rate > 0) || !std::isfinite(spec.learning_rate)))
    fail("learning_rate: must be a finite number > 0, got ", spec.learning_rate);
  if (!(spec.lambda >= 0) || !std::isfinite(spec.lambda))
    fail(spec.regularization == Regularization::l1 ? "l1" : "l2", ": must be a finite number ≥ 0, got ", spec.lambda);

  const std::vector<double> X = flatten(spec.inputs), Y = flatten(spec.targets);
  model.set_data(X, Y);
  TraceResult r;
  r.cost_initial = model.evaluate(X, Y, spec.regularization, spec.lambda).cost;

  // first_example: inputs[0] alone, for its own C_x
  {
    net.input(1) = model.data_inputs().col(0);
    net.forward();
    const Batch<double> y = model.data_targets().col(0);
    r.first_example.cost = net.cost_sum(y);
    net.backward(y, Regularization::none, 0, 1);
    const auto vec = [](const Batch<double>& v) { return std::vector<double>(v.data(), v.data() + v.size()); };
    for (int l = 1; l <= L; ++l) {
      r.first_example.z.push_back(vec(net.z(l)));
      r.first_example.a.push_back(vec(net.a(l)));
      r.first_example.delta.push_back(vec(net.delta(l)));
      r.first_example.grad_W.push_back(to_rows(net.grad_W(l)));
      r.first_example.grad_b.push_back(to_vector(net.grad_b(l)));
    }
  }
  // grad_W, grad_b of the full C: one pass over all n examples
  net.input(n) = model.data_inputs();
  net.forward();
  net.backward(model.data_targets(), spec.regularization, spec.lambda, n);
  for (int l = 1; l <= L; ++l) {
    r.grad_W.push_back(to_rows(net.grad_W(l)));
    r.grad_b.push_back(to_vector(net.grad_b(l)));
  }
  // `steps` SGD steps, mini-batches in order, wrapping around
  if (spec.steps > 0) {
    TrainOptions o;
    o.learning_rate = spec.learning_rate;
    o.batch_size = spec.batch_size;
    o.steps = spec.steps;
    o.regularization = spec.regularization;
    o.lambda = spec.lambda;
    const TrainResult t = model.train(o);
    r.steps = t.steps;
    r.diverged = t.diverged;
  }
  for (int l = 1; l <= L; ++l) {
    r.weights_final.push_back(to_rows(net.W(l)));
    r.biases_final.push_back(to_vector(net.b(l)));
  }
  r.cost_final = model.evaluate(X, Y, spec.regularization, spec.lambda).cost;
  return r;
}

}  // namespace bp
