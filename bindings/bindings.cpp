// The embind surface of the core: conversions between JS values and C++ types, nothing else. The public
// JS API (argument checking, options objects, lifetimes) is bindings/api.js; the math is in core/.
//
// Built twice (CMakeLists.txt): bp.mjs/.wasm binds everything (bindings/index.js, the package export);
// with -DBP_PAGE, bp-page.mjs/.wasm binds only what the lab page uses — ModelF32 (without gradientCheck),
// dataset, heapInUse, takeError — and is smaller, since nothing in float64 (the F64 model, the check's
// float64 copy of the network) and no trace are linked in (bindings/page.js).
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/dataset.hpp"
#include "core/model.hpp"
#ifndef BP_PAGE
#include "core/trace.hpp"
#endif

using namespace emscripten;
using namespace bp;

#ifdef BP_PAGE
// The numbers in the page engine's error messages are formatted by JS's Number → String: the shortest text
// that reads back exactly, as core/format.cpp does with snprintf/strtod, whose libc code (printf, strtod and
// the 128-bit long double arithmetic they use) would be ~12 KB of this module's gzipped wasm. Defining it here
// keeps format.cpp's archive member out of the link (core/errors.hpp).
std::string bp::format_number(double v) { return val::global("String")(v).as<std::string>(); }
#endif

namespace {

// A C++ exception is caught here and its message kept for the JS wrapper, which reads it with takeError()
// after every call that can fail and throws a JS Error (3.1.6 has no getExceptionMessage). Nothing is thrown
// across the embind boundary: a JS exception there would skip the destructors of the call's arguments and
// leak their handles and buffers on every error.
std::string last_error;

template <class F>
auto guard(F&& f) -> decltype(f()) {
  using R = decltype(f());
  try {
    return f();
  } catch (const std::exception& e) {
    last_error = e.what();
  }
  if constexpr (std::is_void_v<R>) return;
  else if constexpr (std::is_same_v<R, val>) return val::undefined();
  else return R{};
}

std::string take_error() { return std::move(last_error); }

// A JS array or typed array → doubles, in one TypedArray.set. The length is checked first, so that an
// oversized array is an error instead of a failed allocation (the JS API checks it before this too).
std::vector<double> numbers(const val& v) {
  const double length = v["length"].as<double>();
  if (!(length <= double(kMaxValues))) fail("values: at most ", kMaxValues, " in one array, got ", length);
  return convertJSArrayToNumberVector<double>(v);
}

template <class T>
val copy_to(const char* type, const T* data, std::size_t n) {  // a fresh typed array that owns its data
  return val::global(type).new_(val(typed_memory_view(n, data)));
}

template <class S>
val view(const std::vector<S>& v) { return val(typed_memory_view(v.size(), v.data())); }
template <class M>
val view(const M& m) { return val(typed_memory_view(std::size_t(m.size()), m.data())); }

// Model::inspect as two zero-copy views the JS wrapper slices into its result (one crossing of the
// boundary instead of one per array): `values` in float32, layer by layer ∂C/∂W^l (row-major), ∂C/∂b^l,
// saturation^l, dead^l; `stats` in float64: cost, accuracy, then per layer deltaNorm, gradWNorm, gradBNorm,
// sigmaPrimeCancels (0/1). The buffers are shared by all models and only grow, so a page calling this every
// frame allocates nothing.
std::vector<float> inspect_values;
std::vector<double> inspect_stats;

template <class S>
val inspect_view(const Inspection<S>& in) {
  std::size_t total = 0;
  for (const auto& l : in.layers) total += std::size_t(l.grad_W.size() + l.grad_b.size() + 2 * l.saturation.size());
  inspect_values.resize(total);
  inspect_stats.resize(2 + 4 * in.layers.size());
  float* v = inspect_values.data();
  double* st = inspect_stats.data();
  *st++ = in.cost;
  *st++ = in.accuracy;
  const auto put = [&](const auto& m) {
    for (Eigen::Index i = 0; i < m.size(); ++i) *v++ = float(m.data()[i]);
  };
  for (const auto& l : in.layers) {
    put(l.grad_W);
    put(l.grad_b);
    put(l.saturation);
    put(l.dead);
    *st++ = l.delta_norm;
    *st++ = l.grad_W_norm;
    *st++ = l.grad_b_norm;
    *st++ = l.sigma_prime_cancels ? 1 : 0;
  }
  val out = val::object();
  out.set("values", view(inspect_values));
  out.set("stats", view(inspect_stats));
  return out;
}

// Model::explain as one zero-copy float64 view the JS wrapper slices (bindings/explain.js, unpackExplanation):
//   m, cost, sigmaPrimeCancels (0/1); a^0 (n_0 × m) and y (n_L × m); then for l = 1..L: z^l, a^l, σ'(z^l),
//   ∂C_x/∂a^l, δ^l (each n_l × m), ∂C/∂W^l (n_l × n_(l−1), row-major), ∂C/∂b^l (n_l).
// The n × m matrices are the engine's column-major batches: example by example (example i at [i·n, (i+1)·n)).
std::vector<double> explain_values;

template <class S>
BP_MINSIZE val explain_view(const Explanation<S>& e) {
  const int L = int(e.pass.z.size()) - 1;
  std::size_t total = 3 + std::size_t(e.pass.a[0].size() + e.y.size());
  for (int l = 1; l <= L; ++l) {
    const std::size_t lu = std::size_t(l);
    total += 5 * std::size_t(e.delta[lu].size()) + std::size_t(e.grad_Wt[lu].size() + e.grad_bc[lu].size());
  }
  explain_values.resize(total);
  double* v = explain_values.data();
  const auto put = [&](const S* p, Eigen::Index n) {  // one loop for every kind of matrix
    for (Eigen::Index i = 0; i < n; ++i) *v++ = double(p[i]);
  };
  *v++ = double(e.m);
  *v++ = e.cost;
  *v++ = e.sigma_prime_cancels ? 1 : 0;
  put(e.pass.a[0].data(), e.pass.a[0].size());
  put(e.y.data(), e.y.size());
  for (int l = 1; l <= L; ++l) {
    const std::size_t lu = std::size_t(l);
    for (const auto* m : {&e.pass.z[lu], &e.pass.a[lu], &e.sigma_prime[lu], &e.grad_a[lu], &e.delta[lu]}) put(m->data(), m->size());
    put(e.grad_Wt[lu].data(), e.grad_Wt[lu].size());  // W's row-major order
    put(e.grad_bc[lu].data(), e.grad_bc[lu].size());
  }
  return view(explain_values);
}

// Model::principal_directions as one float64 view: variance 1, variance 2, total variance, then the mean,
// direction 1 and direction 2 (n_l values each).
std::vector<double> principal_values;

BP_MINSIZE val principal_view(const PrincipalDirections& p) {
  const std::size_t n = p.mean.size();
  principal_values.resize(3 + 3 * n);
  double* v = principal_values.data();
  *v++ = p.variances[0];
  *v++ = p.variances[1];
  *v++ = p.total_variance;
  for (const std::vector<double>* part : {&p.mean, &p.directions[0], &p.directions[1]})
    for (std::size_t i = 0; i < n; ++i) *v++ = (*part)[i];
  return view(principal_values);
}

// The step-through's operations, one entry point ("explore"), op then its arguments:
//   explain      (x = indices)                           → the explanation view (explain_view)
//   step         (x = indices, i = reg 0/1/2 none/l1/l2, a = η, b = λ) → a view of [costBefore, costAfter, diverged]
//   revert                                               → [taken back 0/1]
//   broken       (i = the equation's number, −1 to read)  → [the one in force] (the order of Broken, broken.hpp)
//   activations  (x = input rows, i = layer)             → a^l of the rows, row-major (a copy)
//   principal    (i = layer)                             → the principal-directions view (principal_view)
enum class Explore { explain, step, revert, broken, activations, principal };
std::vector<double> explore_values;  // the small results, as a view

template <class S>
BP_MINSIZE val explore(Model<S>& m, Explore op, const val& x, int i, double a, double b) {
  const auto small = [](double v0, double v1 = 0, double v2 = 0) {
    explore_values.resize(3);  // capacity 3 after the first call: no allocation
    explore_values[0] = v0, explore_values[1] = v1, explore_values[2] = v2;
    return view(explore_values);
  };
  // indices or input rows, for the operations that take them (converted once: the conversion is large code)
  const std::vector<double> xs = x.isNull() ? std::vector<double>() : numbers(x);
  switch (op) {
    case Explore::explain: return explain_view(m.explain(xs));
    case Explore::step: {
      const Regularization reg = i == 1 ? Regularization::l1 : i == 2 ? Regularization::l2 : Regularization::none;
      const ExampleStep r = m.step_examples(xs, a, reg, b);
      return small(r.cost_before, r.cost_after, r.diverged ? 1.0 : 0.0);
    }
    case Explore::revert: return small(m.revert_step() ? 1.0 : 0.0);
    case Explore::broken:
      if (i >= 0) m.set_broken(Broken(i));  // (Model::set_broken checks the number)
      return small(double(int(m.broken())));
    case Explore::activations: {
      const std::vector<double> out = m.activations(xs, i, "points");
      return copy_to("Float64Array", out.data(), out.size());
    }
    case Explore::principal: return principal_view(m.principal_directions(i));
  }
  return val::undefined();  // (bindings/api.js sends only the operations above)
}

#ifndef BP_PAGE
// The worst parameter of the check; `layer` only at the top level (each layer's own worst is in its entry).
BP_MINSIZE val worst_to_val(const WorstParameter& w, bool with_layer) {
  val o = val::object();
  if (with_layer) o.set("layer", w.layer);
  o.set("kind", std::string(w.k < 0 ? "b" : "W"));
  o.set("j", w.j);
  o.set("k", w.k);
  o.set("backprop", w.backprop);
  o.set("finiteDifference", w.finite_difference);
  o.set("relativeError", w.relative_error);
  return o;
}

val rows_to_val(const Rows& rows) {
  val out = val::array();
  for (const auto& r : rows) out.call<void>("push", copy_to("Float64Array", r.data(), r.size()));
  return out;
}
#endif

NetworkConfig make_config(const val& layers, const std::string& activation, const std::string& output,
                          const std::string& cost) {
  NetworkConfig c;
  c.layers = convertJSArrayToNumberVector<int>(layers);
  c.activation = parse_activation(activation, "activation");
  c.output_activation = parse_activation(output, "outputActivation");
  c.cost = parse_cost(cost);
  return c;
}

template <class S>
Model<S>* create(val layers, std::string activation, std::string output, std::string cost, unsigned features,
                 std::string init, double seed) {
  return guard([&] { return new Model<S>(make_config(layers, activation, output, cost), features, parse_init(init), std::uint64_t(seed)); });
}

template <class S>
void bind_model(const char* name) {
  using M = Model<S>;
  class_<M>(name)
      .class_function("create", &create<S>, allow_raw_pointers())
      .function("layerCount", optional_override([](const M& m) { return m.network().L(); }))
      .function("size", optional_override([](const M& m, int l) { return m.network().size(l); }))
      .function("parameterCount", optional_override([](const M& m) { return double(m.network().parameter_count()); }))
      .function("examples", optional_override([](const M& m) { return double(m.examples()); }))
      .function("batchSize", optional_override([](const M& m) { return double(m.network().batch_size()); }))
      .function("setData", optional_override([](M& m, val x, val y) { guard([&] { m.set_data(numbers(x), numbers(y)); }); }))
      .function("train", optional_override([](M& m, double lr, double batch, double epochs, double steps,
                                               std::string reg, double lambda, bool shuffle) {
        return guard([&] {
          TrainOptions o;
          o.learning_rate = lr;
          o.batch_size = int(std::min(batch, double(kMaxExamples)));  // larger than n is one batch of n anyway
          o.epochs = std::int64_t(epochs);
          o.steps = std::int64_t(steps);
          o.regularization = parse_regularization(reg);
          o.lambda = lambda;
          o.shuffle = shuffle;
          const TrainResult r = m.train(o);
          val out = val::object();
          out.set("cost", r.cost);
          out.set("steps", double(r.steps));
          out.set("diverged", r.diverged);
          if (r.diverged) out.set("restoredEpoch", double(r.restored_epoch));
          return out;
        });
      }))
      .function("epochs", optional_override([](const M& m) { return double(m.epochs()); }))
      .function("evaluate", optional_override([](const M& m, val x, val y, std::string reg, double lambda) {
        return guard([&] {
          const Evaluation e = m.evaluate(numbers(x), numbers(y), parse_regularization(reg), lambda);
          val out = val::object();
          out.set("cost", e.cost);
          out.set("accuracy", e.accuracy);
          return out;
        });
      }))
      .function("predict", optional_override([](const M& m, val x) {
        return guard([&] {
          const std::vector<double> out = m.predict(numbers(x), "points");
          return copy_to("Float64Array", out.data(), out.size());
        });
      }))
      .function("gridView", optional_override([](M& m, int res, double extent) {
        return guard([&] { return view(m.grid(res, extent)); });
      }))
      .function("neuronGridView", optional_override([](M& m, int res, double extent) {
        return guard([&] { return view(m.neuron_grid(res, extent)); });
      }))
      .function("inspectView", optional_override([](M& m, std::string reg, double lambda) {
        return guard([&] { return inspect_view(m.inspect(parse_regularization(reg), lambda)); });
      }))
      // The step-through's calls (bindings/api.js: explain, stepExamples, revertStep, setBroken/broken,
      // activations, principalDirections) share one entry point, explore() above: each embind function costs
      // about a kilobyte of wasm, and this build is part of the lab page's first load.
      .function("explore", optional_override([](M& m, int op, val x, int i, double a, double b) {
        return guard([&] { return explore(m, Explore(op), x, i, a, b); });
      }))
#ifndef BP_PAGE  // the check runs a float64 copy of the network: all of Network<double> and its Eigen code
      .function("gradientCheck", optional_override([](const M& m, val x, val y, std::string reg, double lambda,
                                                       double max_params, val progress) {
        return guard([&] {
          // progress: a JS function (done, total) or undefined (api.js checks which)
          std::function<void(std::size_t, std::size_t)> report;
          if (!progress.isUndefined()) report = [&](std::size_t done, std::size_t total) { progress(double(done), double(total)); };
          const auto r = m.gradient_check(numbers(x), numbers(y), parse_regularization(reg), lambda,
                                          std::size_t(max_params), 1e-3, report);
          val out = val::object();
          out.set("maxRelativeError", r.max_relative_error);
          out.set("maxAbsoluteError", r.max_absolute_error);
          out.set("checked", double(r.checked));
          out.set("skipped", double(r.skipped));
          out.set("parameters", double(r.parameters));
          val layers = val::array();
          for (const auto& l : r.layers) {
            val o = val::object();
            o.set("maxRelativeError", l.max_relative_error);
            o.set("maxAbsoluteError", l.max_absolute_error);
            o.set("checked", double(l.checked));
            o.set("skipped", double(l.skipped));
            o.set("worst", l.has_worst ? worst_to_val(l.worst, false) : val::null());
            layers.call<void>("push", o);
          }
          out.set("layers", layers);
          out.set("worst", r.has_worst ? worst_to_val(r.worst, true) : val::null());
          return out;
        });
      }))
      .function("gradientCheckParameter", optional_override([](const M& m, int l, int j, int k, std::string reg, double lambda) {
        return guard([&] {
          const ParameterCheck c = m.gradient_check_parameter(l, j, k, parse_regularization(reg), lambda);
          val out = val::object();
          out.set("backprop", c.backprop);
          out.set("finiteDifference", c.finite_difference);
          out.set("relativeError", c.relative_error);
          out.set("absoluteError", c.absolute_error);
          out.set("skipped", c.skipped);
          return out;
        });
      }))
#endif
      .function("setWeights", optional_override([](M& m, int l, val v) { guard([&] { m.set_weights(l, numbers(v)); }); }))
      .function("setBiases", optional_override([](M& m, int l, val v) { guard([&] { m.set_biases(l, numbers(v)); }); }))
      // Zero-copy views into wasm memory: valid until the next call that may allocate (the wrapper copies).
      .function("W", optional_override([](const M& m, int l) { return view(m.network().W(l)); }))
      .function("b", optional_override([](const M& m, int l) { return view(m.network().b(l)); }))
      .function("z", optional_override([](const M& m, int l) { return view(m.network().z(l)); }))
      .function("a", optional_override([](const M& m, int l) { return view(m.network().a(l)); }))
      .function("delta", optional_override([](const M& m, int l) { return view(m.network().delta(l)); }))
      .function("gradW", optional_override([](const M& m, int l) { return view(m.network().grad_W(l)); }))
      .function("gradB", optional_override([](const M& m, int l) { return view(m.network().grad_b(l)); }))
      // The schedule as one Float64Array: the shuffle generator's 4 words as 8 halves (high, low: exact in a
      // double), shuffled, cursor, then the order. JS numbers cannot hold 64-bit words.
      .function("schedule", optional_override([](const M& m) {
        const auto s = m.schedule();
        std::vector<double> out;
        out.reserve(10 + s.order.size());
        for (const std::uint64_t w : s.rng) { out.push_back(double(w >> 32)); out.push_back(double(w & 0xffffffffu)); }
        out.push_back(s.shuffled ? 1 : 0);
        out.push_back(double(s.cursor));
        for (const std::size_t k : s.order) out.push_back(double(k));
        return copy_to("Float64Array", out.data(), out.size());
      }))
      .function("setSchedule", optional_override([](M& m, val v) {
        guard([&] {
          const std::vector<double> in = numbers(v);  // checked by the JS wrapper: integers in range
          if (in.size() < 10) fail("schedule: too short");
          typename M::Schedule s;
          for (std::size_t i = 0; i < 4; ++i) s.rng[i] = (std::uint64_t(in[2 * i]) << 32) | std::uint64_t(in[2 * i + 1]);
          s.shuffled = in[8] != 0;
          s.cursor = std::size_t(in[9]);
          s.order.assign(in.size() - 10, 0);
          for (std::size_t i = 10; i < in.size(); ++i) s.order[i - 10] = std::size_t(in[i]);
          m.set_schedule(s);
        });
      }));
}

val dataset(std::string name, double n, double noise, double seed, double test_ratio, double classes) {
  return guard([&] {
    DatasetOptions o;
    o.n = int(n);
    if (double(o.n) != n) fail("dataset: n must be an integer in [1, 100000], got ", n);
    o.noise = noise;
    o.seed = std::uint64_t(seed);
    o.test_ratio = test_ratio;
    o.classes = int(classes);
    const Dataset d = make_dataset(name, o);
    val out = val::object();
    out.set("name", d.name);
    out.set("kind", std::string(d.kind == ProblemKind::binary ? "binary" : d.kind == ProblemKind::multiclass ? "multiclass" : "regression"));
    out.set("outputs", d.outputs);
    out.set("classes", d.classes);
    out.set("inputs", copy_to("Float64Array", d.train_inputs.data(), d.train_inputs.size()));
    out.set("targets", copy_to("Float64Array", d.train_targets.data(), d.train_targets.size()));
    out.set("testInputs", copy_to("Float64Array", d.test_inputs.data(), d.test_inputs.size()));
    out.set("testTargets", copy_to("Float64Array", d.test_targets.data(), d.test_targets.size()));
    return out;
  });
}

#ifndef BP_PAGE
// spec arrives flattened by the wrapper: weights/biases concatenated layer by layer, inputs/targets row-major.
val trace(val layers, std::string activation, std::string output, std::string cost, val weights, val biases,
          val inputs, val targets, double lr, double batch, double steps, std::string reg, double lambda) {
  return guard([&] {
    TraceSpec s;
    s.config = make_config(layers, activation, output, cost);
    validate(s.config);
    const auto& n = s.config.layers;
    const std::vector<double> w = numbers(weights), b = numbers(biases), x = numbers(inputs), y = numbers(targets);
    std::size_t wi = 0, bi = 0, nw = 0, nb = 0;
    for (std::size_t l = 1; l < n.size(); ++l) {
      nw += std::size_t(n[l]) * std::size_t(n[l - 1]);
      nb += std::size_t(n[l]);
    }
    if (w.size() != nw) fail("weights: expected ", nw, " values in all, got ", w.size());
    if (b.size() != nb) fail("biases: expected ", nb, " values in all, got ", b.size());
    for (std::size_t l = 1; l < n.size(); ++l) {
      Rows W(std::size_t(n[l]), std::vector<double>(std::size_t(n[l - 1]), 0.0));
      for (auto& row : W)
        for (auto& v : row) v = wi < w.size() ? w[wi++] : 0;
      s.weights.push_back(W);
      std::vector<double> bl(std::size_t(n[l]), 0.0);
      for (auto& v : bl) v = bi < b.size() ? b[bi++] : 0;
      s.biases.push_back(bl);
    }
    const std::size_t n0 = std::size_t(n.front()), nL = std::size_t(n.back());
    if (x.size() % n0 != 0) fail("inputs: length must be a multiple of ", n0, ", got ", x.size());
    if (y.size() % nL != 0) fail("targets: length must be a multiple of ", nL, ", got ", y.size());
    for (std::size_t i = 0; i + n0 <= x.size(); i += n0) s.inputs.emplace_back(x.begin() + std::ptrdiff_t(i), x.begin() + std::ptrdiff_t(i + n0));
    for (std::size_t i = 0; i + nL <= y.size(); i += nL) s.targets.emplace_back(y.begin() + std::ptrdiff_t(i), y.begin() + std::ptrdiff_t(i + nL));
    s.learning_rate = lr;
    s.batch_size = int(std::min(batch, double(kMaxExamples)));  // above n: one batch of n (not a wrapped int)
    s.steps = std::int64_t(steps);
    s.regularization = parse_regularization(reg);
    s.lambda = lambda;
    const TraceResult r = run_trace(s);
    auto vecs = [](const std::vector<std::vector<double>>& vs) {
      val out = val::array();
      for (const auto& v : vs) out.call<void>("push", copy_to("Float64Array", v.data(), v.size()));
      return out;
    };
    auto mats = [](const std::vector<Rows>& ms) {
      val out = val::array();
      for (const auto& m : ms) out.call<void>("push", rows_to_val(m));
      return out;
    };
    val first = val::object();
    first.set("z", vecs(r.first_example.z));
    first.set("a", vecs(r.first_example.a));
    first.set("delta", vecs(r.first_example.delta));
    first.set("grad_W", mats(r.first_example.grad_W));
    first.set("grad_b", vecs(r.first_example.grad_b));
    first.set("cost", r.first_example.cost);
    val out = val::object();
    out.set("cost_initial", r.cost_initial);
    out.set("first_example", first);
    out.set("grad_W", mats(r.grad_W));
    out.set("grad_b", vecs(r.grad_b));
    out.set("weights_final", mats(r.weights_final));
    out.set("biases_final", vecs(r.biases_final));
    out.set("cost_final", r.cost_final);
    out.set("steps", double(r.steps));
    out.set("diverged", r.diverged);
    return out;
  });
}

#endif

// Bytes malloc has handed out and not taken back: the leak test's measure.
double heap_in_use() { return double(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(backprop_lab) {
  bind_model<float>("ModelF32");
  function("dataset", &dataset);
#ifndef BP_PAGE
  bind_model<double>("ModelF64");
  function("trace", &trace);
#endif
  function("heapInUse", &heap_in_use);
  function("takeError", &take_error);
}
