// The trace: every intermediate of backprop on a network given in full, in float64, for people checking
// hand calculations (`backprop-lab trace SPEC.json`). Conventions: see network.hpp and the README.
#pragma once

#include <string>
#include <vector>

#include "core/network.hpp"

namespace bp {

using Rows = std::vector<std::vector<double>>;  // a row-major nested list, as in the JSON

struct TraceSpec {
  NetworkConfig config;
  std::vector<Rows> weights;                // W^1..W^L, each n_l rows of n_(l−1)
  std::vector<std::vector<double>> biases;  // b^1..b^L
  Rows inputs, targets;                     // one row per example
  double learning_rate = 0;                 // required only when steps > 0
  int batch_size = 1;
  std::int64_t steps = 0;
  Regularization regularization = Regularization::none;
  double lambda = 0;
};

struct TraceExample {  // one example x = inputs[0], for its own C_x (no 1/n, no regularisation)
  std::vector<std::vector<double>> z, a, delta, grad_b;  // l = 1..L
  std::vector<Rows> grad_W;
  double cost = 0;
};

struct TraceResult {
  double cost_initial = 0;
  TraceExample first_example;
  std::vector<Rows> grad_W;                 // of the full C at the start
  std::vector<std::vector<double>> grad_b;
  std::vector<Rows> weights_final;
  std::vector<std::vector<double>> biases_final;
  double cost_final = 0;
  std::int64_t steps = 0;
  bool diverged = false;
};

// Validates the spec's shapes and values (throws bp::Error naming the field) and runs it.
TraceResult run_trace(const TraceSpec& spec);

}  // namespace bp
