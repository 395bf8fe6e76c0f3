// npm run bench: the wasm engine through the JS API against a plain-JavaScript per-neuron engine
// (bench/baseline.js, TensorFlow Playground's style) measured in the same run, on the same data and the
// same initial weights. Prints a table of throughputs and ratios; asserts nothing (timings on a shared
// machine are noisy — read the ratios, which are stable).
//
//   node bench/bench.js [--quick] [--json] [--data-path]   (--data-path: only the JS data path figures)
import { readFileSync, existsSync } from 'node:fs';
import { loadBackprop } from 'backprop-lab';
import * as baseline from './baseline.js';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const DATA_PATH_ONLY = args.has('--data-path');
const BUDGET_MS = QUICK ? 100 : 250;  // per measurement round
const ROUNDS = QUICK ? 3 : 7;         // median of rounds

// TensorFlow Playground's engine (nn.ts) measured on a machine like ours (issue 2) and the targets.
const PLAYGROUND = {
  '2-8-8-1': { train: 0.75e6, grid: 1.3e6, trainTarget: 10, gridTarget: 20 },
  '2-16-16-16-1': { train: 0.15e6, grid: 0.31e6, trainTarget: 20, gridTarget: 30 },
  '2-64-64-64-1': { train: 11e3, grid: 29e3, trainTarget: 40, gridTarget: 50 },
};
const SHAPES = [[2, 8, 8, 1], [2, 16, 16, 16, 1], [2, 64, 64, 64, 1]];
const BATCHES = [1, 10, 500];

// Work units per second for each of fns. The machine is shared and its speed drifts, so the engines are
// measured in interleaved rounds (JS, f64, f32, JS, …) and each reports its median round: a ratio then
// compares figures taken under the same conditions.
function rates(work, fns) {
  for (const fn of fns) fn();  // warm-up (JIT, wasm tier-up, buffers)
  const all = fns.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    fns.forEach((fn, i) => {
      let done = 0;
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < BUDGET_MS) { done += fn(); t = performance.now(); }
      all[i].push((done * work) / ((t - t0) / 1000));
    });
  }
  return all.map((xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
}

// The wasm SIMD peak: the best rate of single-precision matrix products that stay in cache, by Eigen's GEMM
// and by the engine's kernel (bench/gemm_peak.cpp, built by `npm run bench`), measured at the start and the
// end of the run; the wide network's training is reported as a fraction of it.
const PEAK_SHAPES = [[64, 64, 512], [128, 128, 128], [128, 128, 512], [256, 256, 256]];
async function gemmPeak() {
  const dir = new URL('../build-wasm/', import.meta.url);
  if (!existsSync(new URL('gemm-peak.mjs', dir))) return null;
  const { default: create } = await import(new URL('gemm-peak.mjs', dir).href);
  const M = await create({ wasmBinary: readFileSync(new URL('gemm-peak.wasm', dir)) });
  return () => {
    let best = { rate: 0 };
    for (const [n, k, m] of PEAK_SHAPES) {
      M._gemm_setup(n, k, m);
      const flops = 2 * n * k * m, reps = Math.max(1, Math.round(2e7 / flops));
      for (const impl of [0, 1]) {
        const t1 = performance.now();
        while (performance.now() - t1 < 150) M._gemm_run(impl, reps);  // warm-up: wasm tier-up
        for (let r = 0; r < ROUNDS; r++) {
          const t0 = performance.now();
          M._gemm_run(impl, reps);
          const rate = (flops * reps) / ((performance.now() - t0) / 1000);
          if (rate > best.rate) best = { rate, impl: impl ? 'engine kernel' : "Eigen's GEMM", shape: `${n}×${k}×${m}` };
        }
      }
    }
    return best;
  };
}
const peakRun = DATA_PATH_ONLY ? null : await gemmPeak();
const peaks = [];
if (peakRun) peaks.push(peakRun());

// Multiply-adds of the matrix products, ×2 for flops: the forward pass Σ n_l n_(l−1) per example; training
// adds BP4 (the same again) and BP2 (Σ over l ≥ 2).
const productFlops = (layers, training) => {
  let f = 0;
  for (let l = 1; l < layers.length; l++) {
    const mac = layers[l] * layers[l - 1];
    f += 2 * mac * (training ? (l >= 2 ? 3 : 2) : 1);
  }
  return f;
};

const fmt = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;

const bp = await loadBackprop();
const data = bp.dataset('spiral', { n: 500, noise: 0.1, seed: 1 });
const n = data.inputs.length / 2;
const rows = [];

for (const layers of DATA_PATH_ONLY ? [] : SHAPES) {
  const name = layers.join('-');
  const mk = (precision) => bp.createNetwork({ layers, activation: 'tanh', outputActivation: 'tanh', cost: 'quadratic', init: 'uniform', seed: 1, precision });
  const f64 = mk('float64'), f32 = mk('float32');
  const start = f64.toJSON();
  const flat = (m) => m.flat();
  const makeBase = () => baseline.buildNetwork(layers, { activation: 'tanh', outputActivation: 'tanh', weights: start.weights.map(flat), biases: start.biases });
  for (const net of [f64, f32]) net.setData(data.inputs, data.targets);

  for (const batchSize of BATCHES) {
    // epochs per call: enough work per call that a call costs ≥ ~50 µs, as the page's frame loop does
    const base = makeBase();
    const opts = { learningRate: 0.03, batchSize, epochs: 1 };
    const [jsRate, r64, r32] = rates(n, [
      () => { baseline.trainEpoch(base, data.inputs, data.targets, n, { learningRate: 0.03, batchSize }); return 1; },
      () => { f64.train(opts); return 1; },
      () => { f32.train(opts); return 1; },
    ]);
    rows.push({ net: name, what: `train, batch ${batchSize}`, js: jsRate, f64: r64, f32: r32, unit: 'examples/s', batchSize, flops: r32 * productFlops(layers, true) });
  }
  const base = makeBase();
  const [jsGrid, g64, g32] = rates(1e4, [
    () => { baseline.gridForward(base, 100, 6); return 1; },
    () => { f64.grid({ resolution: 100, extent: 6 }); return 1; },
    () => { f32.grid({ resolution: 100, extent: 6 }); return 1; },
  ]);
  rows.push({ net: name, what: 'grid 100×100 forward', js: jsGrid, f64: g64, f32: g32, unit: 'points/s', grid: true, flops: g32 * productFlops(layers, false) });
  f64.dispose();
  f32.dispose();
}

// The JS data path (issue 12 §1), float32 2-8-8-1. Calls of the two sides alternate one by one and each
// side reports its median call, so that a burst of load on the shared machine hits both alike:
//  - checking a typed array: predict() on 1e6 points whose last value is NaN scans every value and throws
//    before anything is copied, so its time per value is the check's;
//  - train(X, Y) with the data already loaded against setData once + train(options), one epoch per call;
//  - predict() of n points against grid() of n = 100² cells (predict is exact, grid a picture).
function medians(calls, fns) {
  for (const fn of fns) for (let i = 0; i < 10; i++) fn();  // warm-up
  const times = fns.map(() => []);
  for (let c = 0; c < calls; c++) {
    fns.forEach((fn, i) => {
      const t0 = performance.now();
      fn();
      times[i].push(performance.now() - t0);
    });
  }
  return times.map((xs) => xs.sort((a, b) => a - b)[xs.length >> 1]);
}
const dataPath = (() => {
  const mk = () => bp.createNetwork({ layers: [2, 8, 8, 1], activation: 'tanh', outputActivation: 'tanh', init: 'uniform', seed: 1, precision: 'float32' });
  const net = mk(), other = mk();
  other.setData(data.inputs, data.targets);
  const big = 1e6;
  const bad64 = new Float64Array(big).map((_, i) => Math.sin(i) * 6), bad32 = Float32Array.from(bad64);
  bad64[big - 1] = NaN;
  bad32[big - 1] = NaN;
  const tryPredict = (v) => { try { net.predict(v); } catch { return; } throw new Error('bench: expected a rejection'); };
  const pts = Float64Array.from({ length: 2e4 }, (_, i) => Math.sin(i * 0.37) * 6);
  // a rate so small that the weights stay where they are: both networks then do the same work on every
  // call (training moves float32 weights into ranges that run at other speeds, e.g. denormals)
  const opts = { learningRate: 1e-9, batchSize: 10, epochs: 1 };
  const n = QUICK ? 100 : 400;
  const [check64, check32] = medians(n / 2, [() => tryPredict(bad64), () => tryPredict(bad32)]);
  const [xy, set] = medians(n * 2, [() => net.train(data.inputs, data.targets, opts), () => other.train(opts)]);
  const [pred, grid] = medians(n * 2, [() => net.predict(pts), () => net.grid({ resolution: 100, extent: 6 })]);
  net.dispose();
  other.dispose();
  return {
    checkNsPerValueF64: (check64 * 1e6) / big, checkNsPerValueF32: (check32 * 1e6) / big,
    trainXYOverSetDataTrain: xy / set, predictOverGrid: pred / grid,
  };
})();

if (peakRun) peaks.push(peakRun());
const peak = peaks.reduce((a, b) => (b.rate > a.rate ? b : a), { rate: 0 });

if (args.has('--json')) {
  console.log(JSON.stringify({ rows, peak, peaks, dataPath }, null, 2));
} else {
  console.log('backprop-lab bench — node', process.version, QUICK ? '(quick)' : '', '\n');
  console.log('Ratios are against the plain-JS per-neuron engine (bench/baseline.js) measured in this run;');
  console.log('"vs Playground" divides float32 by TensorFlow Playground\'s figure on this kind of machine (issue 2);');
  console.log('the machine is shared and drifts by ±30 %, so that column moves with it: the JS ratio is the stable one.\n');
  const head = ['net', 'measure', 'plain JS', 'wasm f64', 'f64/JS', 'wasm f32', 'f32/JS', 'f32 vs Playground (target)', 'f32 GFLOP/s (of peak)'];
  const table = [head];
  for (const r of rows) {
    const pg = PLAYGROUND[r.net];
    let vs = '';
    if (r.grid) vs = `${ratio(r.f32, pg.grid)} (≥ ${pg.gridTarget}×)`;
    else if (r.batchSize === 10) vs = `${ratio(r.f32, pg.train)} (≥ ${pg.trainTarget}×)`;
    const gf = peak.rate ? `${(r.flops / 1e9).toFixed(1)} (${Math.round((100 * r.flops) / peak.rate)} %)` : (r.flops / 1e9).toFixed(1);
    table.push([r.net, `${r.what} (${r.unit})`, fmt(r.js), fmt(r.f64), ratio(r.f64, r.js), fmt(r.f32), ratio(r.f32, r.js), vs, gf]);
  }
  const widths = head.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '));
  if (peakRun) {
    const at = peaks.map((p) => `${(p.rate / 1e9).toFixed(1)}`).join(' and ');
    console.log(`\nwasm SIMD peak (f32 matrix products in cache, bench/gemm_peak.cpp): ${(peak.rate / 1e9).toFixed(1)} GFLOP/s, ` +
      `${peak.impl} on ${peak.shape} (start and end of the run: ${at}). GFLOP/s count the products' multiply-adds only.`);
  } else if (!DATA_PATH_ONLY) {
    console.log('\n(no wasm SIMD peak: build-wasm/gemm-peak.mjs is missing — `npm run bench` builds it)');
  }
  const d = dataPath;
  console.log('\nJS data path (float32 2-8-8-1; targets of issue 12 §1 in parentheses):');
  console.log(`  checking a typed array: ${d.checkNsPerValueF64.toFixed(2)} ns/value (Float64Array), ${d.checkNsPerValueF32.toFixed(2)} ns/value (Float32Array)  (≤ 2 ns)`);
  console.log(`  train(X, Y) with the data loaded / setData + train(options), one epoch per call: ${d.trainXYOverSetDataTrain.toFixed(2)}×  (≤ 1.2×)`);
  console.log(`  predict(10,000 points) / grid(100 × 100): ${d.predictOverGrid.toFixed(2)}×  (≤ 2×)`);
}
