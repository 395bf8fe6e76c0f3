// Google Benchmark suite of the native core: the same shapes as `npm run bench`, for comparing the wasm
// engine with its native ceiling. Run: build-native/bp_bench
#include <benchmark/benchmark.h>

#include "core/dataset.hpp"
#include "core/model.hpp"

using namespace bp;

namespace {

template <class S>
Model<S> make(const std::vector<int>& hidden) {
  NetworkConfig c;
  c.layers = {2};
  c.layers.insert(c.layers.end(), hidden.begin(), hidden.end());
  c.layers.push_back(1);
  c.activation = Activation::tanh;
  c.output_activation = Activation::tanh;
  return Model<S>(c, kX1 | kX2, Init::uniform, 1);
}

const std::vector<std::vector<int>> kShapes = {{8, 8}, {16, 16, 16}, {64, 64, 64}};

template <class S>
void BM_TrainEpoch(benchmark::State& state) {
  auto model = make<S>(kShapes[std::size_t(state.range(0))]);
  DatasetOptions o;
  o.n = 500;
  o.seed = 1;
  const Dataset d = make_dataset("spiral", o);
  model.set_data(d.train_inputs, d.train_targets);
  TrainOptions t;
  t.batch_size = int(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(model.train(t).cost);
  state.SetItemsProcessed(state.iterations() * 500);
}

template <class S>
void BM_Grid(benchmark::State& state) {
  auto model = make<S>(kShapes[std::size_t(state.range(0))]);
  for (auto _ : state) benchmark::DoNotOptimize(model.grid(100, 6.0).data());
  state.SetItemsProcessed(state.iterations() * 10000);
}

}  // namespace

BENCHMARK_TEMPLATE(BM_TrainEpoch, float)->ArgsProduct({{0, 1, 2}, {1, 10, 500}});
BENCHMARK_TEMPLATE(BM_TrainEpoch, double)->ArgsProduct({{0, 1, 2}, {10}});
BENCHMARK_TEMPLATE(BM_Grid, float)->DenseRange(0, 2);
BENCHMARK_TEMPLATE(BM_Grid, double)->DenseRange(0, 2);
BENCHMARK_MAIN();
