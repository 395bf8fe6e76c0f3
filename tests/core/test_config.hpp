// Shared by the GoogleTest files: a NetworkConfig from its four choices, and the message of the bp::Error a
// call throws.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/errors.hpp"
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

// "(no error)" when f() returns normally.
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const bp::Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace bp::testing_util
