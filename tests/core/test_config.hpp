// Shared by the GoogleTest files: a NetworkConfig from its four choices.
#pragma once

#include <utility>
#include <vector>

#include "core/network.hpp"

namespace bp::testing_util {

inline NetworkConfig config(std::vector<int> layers, Activation hidden, Activation out, Cost cost) {
  NetworkConfig c;
  c.layers = std::move(layers);
  c.activation = hidden;
  c.output_activation = out;
  c.cost = cost;
  return c;
}

}  // namespace bp::testing_util
