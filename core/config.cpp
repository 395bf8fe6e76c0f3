// Names, parsing and validation of a network's configuration: everything that can reject user input,
// kept apart from network.cpp, whose hot loops are compiled without exception support in wasm.
#include <string>

#include "core/network.hpp"

namespace bp {

void throw_error(const std::string& message) { throw Error(message); }

const char* to_string(Regularization r) {
  switch (r) {
    case Regularization::none: return "none";
    case Regularization::l1: return "l1";
    case Regularization::l2: return "l2";
  }
  return "?";
}
Regularization parse_regularization(const std::string& name) {
  for (Regularization r : {Regularization::none, Regularization::l1, Regularization::l2})
    if (name == to_string(r)) return r;
  fail("regularization: unknown regularization '", name, "' (expected none, l1 or l2)");
}
const char* to_string(Init i) {
  switch (i) {
    case Init::nielsen: return "nielsen";
    case Init::xavier: return "xavier";
    case Init::he: return "he";
    case Init::uniform: return "uniform";
    case Init::zeros: return "zeros";
  }
  return "?";
}
Init parse_init(const std::string& name) {
  for (Init i : {Init::nielsen, Init::xavier, Init::he, Init::uniform, Init::zeros})
    if (name == to_string(i)) return i;
  fail("init: unknown init '", name, "' (expected nielsen, xavier, he, uniform or zeros)");
}

void validate(const NetworkConfig& c) {
  const auto& n = c.layers;
  if (n.size() < 2) fail("layers: need at least two layers (inputs and outputs), got ", n.size());
  if (int(n.size()) > kMaxLayers)
    fail("layers: at most ", kMaxLayers, " layers (", kMaxLayers - 2, " hidden), got ", n.size());
  std::size_t params = 0;
  for (std::size_t l = 0; l < n.size(); ++l) {
    if (n[l] < 1 || n[l] > kMaxLayerSize)
      fail("layers[", l, "]: size must be an integer in [1, ", kMaxLayerSize, "], got ", n[l]);
    if (l > 0) params += std::size_t(n[l]) * std::size_t(n[l - 1] + 1);
  }
  if (params > kMaxParameters)
    fail("layers: ", params, " parameters exceed the limit of ", kMaxParameters);
  if (c.activation == Activation::softmax)
    fail("activation: softmax is only available as output_activation");
  validate_cost(c.cost, c.output_activation);
}

}  // namespace bp
