// bp_native: the native build of the core behind a JSON interface, the oracle the node tests compare the
// wasm build against (same seed ⇒ same dataset and weights bit for bit; same trace to rounding).
//
//   echo '{"command":"trace","spec":{…}}'                          | bp_native
//   echo '{"command":"dataset","name":"spiral","n":50,"noise":0.1,"seed":3,"test_ratio":0.2}' | bp_native
//   echo '{"command":"init","layers":[2,4,1],"init":"nielsen","seed":7}' | bp_native
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/dataset.hpp"
#include "core/model.hpp"
#include "core/trace.hpp"

using nlohmann::json;
using namespace bp;

namespace {

NetworkConfig parse_config(const json& j) {
  NetworkConfig c;
  c.layers = j.at("layers").get<std::vector<int>>();
  c.activation = parse_activation(j.value("activation", std::string("sigmoid")), "activation");
  c.output_activation = parse_activation(
      j.value("output_activation", j.value("activation", std::string("sigmoid"))), "output_activation");
  c.cost = parse_cost(j.value("cost", std::string("quadratic")));
  return c;
}

json trace(const json& s) {
  TraceSpec spec;
  spec.config = parse_config(s);
  spec.weights = s.at("weights").get<std::vector<Rows>>();
  spec.biases = s.at("biases").get<std::vector<std::vector<double>>>();
  spec.inputs = s.at("inputs").get<Rows>();
  spec.targets = s.at("targets").get<Rows>();
  spec.learning_rate = s.value("learning_rate", 0.0);
  spec.batch_size = s.value("batch_size", 1);
  spec.steps = s.value("steps", 0L);
  if (s.contains("l1")) {
    spec.regularization = Regularization::l1;
    spec.lambda = s["l1"].get<double>();
  } else if (s.contains("l2")) {
    spec.regularization = Regularization::l2;
    spec.lambda = s["l2"].get<double>();
  }
  const TraceResult r = run_trace(spec);
  return {{"cost_initial", r.cost_initial},
          {"first_example",
           {{"z", r.first_example.z}, {"a", r.first_example.a}, {"delta", r.first_example.delta},
            {"grad_W", r.first_example.grad_W}, {"grad_b", r.first_example.grad_b}, {"cost", r.first_example.cost}}},
          {"grad_W", r.grad_W},
          {"grad_b", r.grad_b},
          {"weights_final", r.weights_final},
          {"biases_final", r.biases_final},
          {"cost_final", r.cost_final}};
}

json dataset(const json& j) {
  DatasetOptions o;
  o.n = j.value("n", 500);
  o.noise = j.value("noise", 0.0);
  o.seed = j.value("seed", std::uint64_t(1));
  o.test_ratio = j.value("test_ratio", 0.0);
  o.classes = j.value("classes", 3);
  const Dataset d = make_dataset(j.at("name").get<std::string>(), o);
  return {{"train_inputs", d.train_inputs}, {"train_targets", d.train_targets},
          {"test_inputs", d.test_inputs}, {"test_targets", d.test_targets}, {"outputs", d.outputs}};
}

json init(const json& j) {
  Model<double> model(parse_config(j), 0, parse_init(j.value("init", std::string("nielsen"))),
                      j.value("seed", std::uint64_t(1)));
  json W = json::array(), b = json::array();
  for (int l = 1; l <= model.network().L(); ++l) {
    const auto& w = model.network().W(l);
    W.push_back(std::vector<double>(w.data(), w.data() + w.size()));
    const auto& bb = model.network().b(l);
    b.push_back(std::vector<double>(bb.data(), bb.data() + bb.size()));
  }
  return {{"weights", W}, {"biases", b}};
}

}  // namespace

int main() {
  try {
    const json req = json::parse(std::cin);
    const std::string cmd = req.at("command").get<std::string>();
    json out;
    if (cmd == "trace") out = trace(req.at("spec"));
    else if (cmd == "dataset") out = dataset(req);
    else if (cmd == "init") out = init(req);
    else throw Error("command: unknown '" + cmd + "'");
    std::cout << out.dump() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bp_native: " << e.what() << "\n";
    return 2;
  }
}
