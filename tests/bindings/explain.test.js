// The engine behind the step-through (issue 8): net.explain(), stepExamples()/revertStep(), the per-layer
// gradient check, the "break an equation" switch, activations() and principalDirections() — in both builds
// (bindings/index.js, float64 and float32; bindings/page.js, the page's float32 engine), against the float64
// trace and the independent float64 reference (reference.js).
import { describe, it, expect, beforeAll } from 'vitest';
import * as full from '../../bindings/index.js';
import * as page from '../../bindings/page.js';
import { ACT, configOf, backprop, feedforward, exampleCost } from './reference.js';
import { expectNear, mismatches, lcg } from './helpers.js';

let bpFull, bpPage;
beforeAll(async () => {
  bpFull = await full.loadBackprop();
  bpPage = await page.loadBackprop();
});

// ---- the networks of the issue: 2-2-1 and 3-3-2-1 sigmoid quadratic (the notes'), softmax cross-entropy, 6-layer ReLU

function randomNet(layers, seed, scale = 1) {
  const r = lcg(seed);
  const weights = [], biases = [];
  for (let l = 1; l < layers.length; l++) {
    weights.push(Array.from({ length: layers[l] }, () => Array.from({ length: layers[l - 1] }, () => r(-scale, scale))));
    biases.push(Array.from({ length: layers[l] }, () => r(-0.5, 0.5)));
  }
  return { weights, biases };
}
const rows = (n, width, seed, lo = -1, hi = 1) => {
  const r = lcg(seed);
  return Array.from({ length: n }, () => Array.from({ length: width }, () => r(lo, hi)));
};
const oneHot = (k, j) => Array.from({ length: k }, (_, i) => (i === j ? 1 : 0));

const SPECS = {
  '2-2-1 sigmoid quadratic (Mazur\'s numbers)': {
    layers: [2, 2, 1], activation: 'sigmoid', cost: 'quadratic',
    weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], biases: [[0.35, 0.35], [0.6]],
    inputs: [[0.05, 0.1], [0.6, -0.3], [-0.8, 0.9]], targets: [[0.01], [0.99], [0.3]], learning_rate: 0.5,
  },
  '3-3-2-1 sigmoid quadratic (the notes\' network)': {
    layers: [3, 3, 2, 1], activation: 'sigmoid', cost: 'quadratic', ...randomNet([3, 3, 2, 1], 11, 1.5),
    inputs: rows(4, 3, 12), targets: rows(4, 1, 13, 0, 1), learning_rate: 0.7,
  },
  'softmax cross-entropy 2-4-3 (tanh hidden)': {
    layers: [2, 4, 3], activation: 'tanh', output_activation: 'softmax', cost: 'cross_entropy', ...randomNet([2, 4, 3], 31, 1.5),
    inputs: rows(5, 2, 32, -1.5, 1.5), targets: [oneHot(3, 0), oneHot(3, 2), oneHot(3, 1), oneHot(3, 1), oneHot(3, 0)], learning_rate: 0.4,
  },
  '6-layer ReLU 3-6-6-6-6-6-2 (linear output)': {
    layers: [3, 6, 6, 6, 6, 6, 2], activation: 'relu', output_activation: 'linear', cost: 'quadratic',
    ...randomNet([3, 6, 6, 6, 6, 6, 2], 41, 0.9), inputs: rows(5, 3, 42, -2, 2), targets: rows(5, 2, 43), learning_rate: 0.05,
  },
};

const BUILDS = [
  { name: 'full build, float64', bp: () => bpFull, precision: 'float64', tol: 1e-9 },
  { name: 'full build, float32', bp: () => bpFull, precision: 'float32', tol: 1e-4 },
  { name: 'page build (float32)', bp: () => bpPage, precision: 'float32', tol: 1e-4 },
];

function fromSpec(bp, spec, precision) {
  const net = bp.createNetwork({
    layers: spec.layers, activation: spec.activation, outputActivation: spec.output_activation ?? spec.activation,
    cost: spec.cost, precision,
  });
  spec.weights.forEach((w, l) => net.setWeights(l + 1, w.flat()));
  spec.biases.forEach((b, l) => net.setBiases(l + 1, b));
  net.setData(spec.inputs.flat(), spec.targets.flat());
  return net;
}

// What the step-through shows for example i, from the reference: every vector of explain(i).
function expected(spec, i, W = spec.weights, b = spec.biases) {
  const cfg = configOf(spec);
  const x = spec.inputs[i], y = spec.targets[i];
  const r = backprop(cfg, W, b, x, y);
  const L = W.length;
  const layers = r.z.map((z, l) => {
    const f = l === L - 1 ? cfg.output : cfg.activation;
    const a = r.a[l];
    const sigmaPrime = f === 'softmax' ? a.map((v) => v * (1 - v)) : z.map(ACT[f].df);
    let gradA;
    if (l === L - 1) {
      gradA = a.map((v, j) => (cfg.cost === 'quadratic' ? v - y[j] : cfg.output === 'softmax' ? -y[j] / v : -y[j] / v + (1 - y[j]) / (1 - v)));
    } else {
      gradA = a.map((_, j) => W[l + 1].reduce((s, row, k) => s + row[j] * r.delta[l + 1][k], 0));  // (W^(l+1))ᵀ δ^(l+1)
    }
    return { z, a, sigmaPrime, gradA, delta: r.delta[l], gradW: r.grad_W[l].flat(), gradB: r.grad_b[l] };
  });
  return { index: i, x, input: x, y, cost: r.cost, sigmaPrimeCancels: cfg.cost === 'cross_entropy', broken: null, layers };
}

// row-major n × m, examples as columns, from m vectors of n
const columns = (vectors) => {
  const n = vectors[0].length, m = vectors.length;
  const out = new Array(n * m);
  vectors.forEach((v, i) => v.forEach((x, j) => { out[j * m + i] = x; }));
  return out;
};

describe('explain(index): one example, every factor of BP1–BP4', () => {
  for (const build of BUILDS) {
    for (const [name, spec] of Object.entries(SPECS)) {
      it(`${name} — ${build.name}: equals the float64 trace's first_example and the reference for every example`, () => {
        const net = fromSpec(build.bp(), spec, build.precision);
        const trace = bpFull.trace(spec);
        const e = net.explain(0);
        // the trace's first example: z, a, δ, ∂C_x/∂W, ∂C_x/∂b, C_x
        const fe = trace.first_example;
        expectNear({
          z: e.layers.map((s) => s.z), a: e.layers.map((s) => s.a), delta: e.layers.map((s) => s.delta),
          grad_W: e.layers.map((s) => s.gradW), grad_b: e.layers.map((s) => s.gradB), cost: e.cost,
        }, { ...fe, grad_W: fe.grad_W.map((m) => m.flat()) }, build.tol);
        // every example, every key (σ'(z) and ∂C_x/∂a too) against the reference
        for (let i = 0; i < spec.inputs.length; i++) expectNear(net.explain(i), expected(spec, i), build.tol);
        // plain arrays, as the contract says
        expect(Array.isArray(e.layers[0].z) && Array.isArray(e.layers[0].gradW) && Array.isArray(e.x)).toBe(true);
        net.dispose();
      });
    }
  }

  it('the float32 page engine really is float32, the float64 one is exact to 1e-12', () => {
    const spec = SPECS['3-3-2-1 sigmoid quadratic (the notes\' network)'];
    const ref = expected(spec, 2);
    const f64 = fromSpec(bpFull, spec, 'float64'), f32 = fromSpec(bpPage, spec, 'float32');
    expect(mismatches(f64.explain(2), ref, 1e-12)).toEqual([]);
    expect(mismatches(f32.explain(2), ref, 1e-12).length).toBeGreaterThan(0);  // rounded to float32 …
    expect(mismatches(f32.explain(2), ref, 1e-5)).toEqual([]);                 // … and close
    f64.dispose();
    f32.dispose();
  });

  it('σ\' cancels under cross-entropy with a sigmoid/softmax output: δ^L = a^L − y, while ∇_a C ⊙ σ\' is the same number for a sigmoid', () => {
    const layers = [2, 3, 2];
    const net = bpFull.createNetwork({ layers, activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', init: 'nielsen', seed: 4 });
    net.setData([0.3, -1, 2, 0.5], [1, 0, 0, 1]);
    const e = net.explain(1);
    expect(e.sigmaPrimeCancels).toBe(true);
    const out = e.layers[1];
    out.delta.forEach((d, j) => {
      expect(d).toBe(out.a[j] - e.y[j]);
      expect(out.gradA[j] * out.sigmaPrime[j]).toBeCloseTo(d, 12);
    });
    net.dispose();
    const q = fromSpec(bpFull, SPECS['2-2-1 sigmoid quadratic (Mazur\'s numbers)'], 'float64');
    expect(q.explain(0).sigmaPrimeCancels).toBe(false);
    q.dispose();
  });

  it('features: x is the row as given, input the features a^0', () => {
    for (const bp of [bpFull, bpPage]) {
      const net = bp.createNetwork({ layers: [3, 4, 1], features: ['x1', 'x2', 'x1x2'], activation: 'tanh', precision: 'float32', seed: 2 });
      net.setData([1.5, -2, 0.5, 3], [1, 0]);
      const e = net.explain(1);
      expect(e.x).toEqual([0.5, 3]);
      expect(e.input).toEqual([0.5, 3, 1.5]);
      expect(e.y).toEqual([0]);
      net.dispose();
    }
  });
});

describe('explain(indices): a mini-batch, examples as columns', () => {
  for (const build of BUILDS) {
    it(`matrices are row-major n × m and the gradients the batch means — ${build.name}`, () => {
      const spec = SPECS['softmax cross-entropy 2-4-3 (tanh hidden)'];
      const net = fromSpec(build.bp(), spec, build.precision);
      const idx = [4, 1, 3, 1];  // a repeated example counts twice
      const e = net.explain(idx);
      const per = idx.map((i) => expected(spec, i));
      const mean = (vs) => vs[0].map((_, k) => vs.reduce((s, v) => s + v[k], 0) / vs.length);
      expectNear(e, {
        indices: idx, m: 4, x: columns(per.map((p) => p.x)), input: columns(per.map((p) => p.input)),
        y: columns(per.map((p) => p.y)), cost: per.reduce((s, p) => s + p.cost, 0) / 4, sigmaPrimeCancels: true, broken: null,
        layers: per[0].layers.map((_, l) => ({
          z: columns(per.map((p) => p.layers[l].z)), a: columns(per.map((p) => p.layers[l].a)),
          sigmaPrime: columns(per.map((p) => p.layers[l].sigmaPrime)), gradA: columns(per.map((p) => p.layers[l].gradA)),
          delta: columns(per.map((p) => p.layers[l].delta)),
          gradW: mean(per.map((p) => p.layers[l].gradW)), gradB: mean(per.map((p) => p.layers[l].gradB)),
        })),
      }, build.tol);
      // a batch of one is not the single form: it has indices and m
      expect(Object.keys(net.explain([2]))).toContain('indices');
      expect(Object.keys(net.explain(2))).toContain('index');
      net.dispose();
    });
  }
});

describe('explain leaves training alone', () => {
  it('the weights, the epoch position, layer(l) and the step revertStep() takes back are as they were', () => {
    const d = bpPage.dataset('xor', { n: 60, noise: 0.1, seed: 3 });
    const make = () => {
      const n = bpPage.createNetwork({ layers: [2, 5, 1], activation: 'tanh', seed: 7 });
      n.setData(d.inputs, d.targets);
      return n;
    };
    const a = make(), b = make();
    for (let round = 0; round < 5; round++) {
      const opts = { steps: 2, batchSize: 7, learningRate: 0.3, shuffle: true };
      a.train(opts);
      b.train(opts);
      const before = a.layer(2);
      a.explain(round);
      a.explain([round, 59, 0]);
      expect(a.layer(2)).toEqual(before);
    }
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.revertStep()).toBe(true);
    expect(b.revertStep()).toBe(true);
    expect(a.toJSON()).toEqual(b.toJSON());
    a.dispose();
    b.dispose();
  });
});

// ---- one step on chosen examples ---------------------------------------------------------------------------------

describe('stepExamples and revertStep', () => {
  for (const [name, spec0] of Object.entries(SPECS)) {
    for (const reg of [{}, { l2: 0.3 }]) {
      it(`a 1-step, batch-1 trace spec: the weights after stepExamples([0]) are the trace's weights_final — ${name} ${JSON.stringify(reg)}`, () => {
        const spec = { ...spec0, steps: 1, batch_size: 1, ...reg };
        const trace = bpFull.trace(spec);
        for (const build of BUILDS) {
          const net = fromSpec(build.bp(), spec, build.precision);
          const tol = build.precision === 'float64' ? 1e-12 : 1e-5;
          const r = net.stepExamples(0, { learningRate: spec.learning_rate, ...reg });
          const json = net.toJSON();
          expectNear({ weights: json.weights, biases: json.biases }, { weights: trace.weights_final, biases: trace.biases_final }, tol);
          expect(r.diverged).toBe(false);
          expect(Math.abs(r.costBefore - trace.first_example.cost)).toBeLessThanOrEqual(tol * Math.max(1, trace.first_example.cost));
          const after = exampleCost(configOf(spec), feedforward(configOf(spec), trace.weights_final, trace.biases_final, spec.inputs[0]).a.at(-1), spec.targets[0]);
          expect(Math.abs(r.costAfter - after)).toBeLessThanOrEqual(tol * Math.max(1, after));
          // taken back exactly, once
          expect(net.revertStep()).toBe(true);
          const back = net.toJSON();
          if (build.precision === 'float64') expect(back.weights).toEqual(spec.weights);
          const fresh = fromSpec(build.bp(), spec, build.precision);
          expect(back).toEqual(fresh.toJSON());
          fresh.dispose();
          expect(net.revertStep()).toBe(false);
          net.dispose();
        }
      });
    }
  }

  it('a mini-batch: the mean gradient over exactly those examples, regularization scaled by the training set\'s n', () => {
    const spec = SPECS['3-3-2-1 sigmoid quadratic (the notes\' network)'];
    const net = fromSpec(bpFull, spec, 'float64');
    const e = net.explain([3, 1]);
    const n = spec.inputs.length, eta = 0.4, l2 = 0.2;
    const r = net.stepExamples([3, 1], { learningRate: eta, l2 });
    const W = net.toJSON().weights;
    spec.weights.forEach((Wl, l) => Wl.forEach((row, j) => row.forEach((w, k) => {
      const want = w - eta * (e.layers[l].gradW[j * row.length + k] + (l2 / n) * w);
      expect(Math.abs(W[l][j][k] - want)).toBeLessThan(1e-14);
    })));
    expect(r.costBefore).toBeCloseTo(e.cost, 14);
    expect(r.costAfter).toBeLessThan(r.costBefore);
    expect(r.costAfter).toBeCloseTo(net.explain([3, 1]).cost, 14);
    net.dispose();
  });

  it('does not move the epoch position: train() goes on as if the step had not been taken and taken back', () => {
    const d = bpPage.dataset('circle', { n: 50, noise: 0.1, seed: 2 });
    const make = () => {
      const n = bpPage.createNetwork({ layers: [2, 4, 1], activation: 'tanh', seed: 3 });
      n.setData(d.inputs, d.targets);
      n.train({ steps: 3, batchSize: 4, learningRate: 0.2 });
      return n;
    };
    const a = make(), b = make();
    a.stepExamples([5, 6, 7], { learningRate: 0.5 });
    expect(a.toJSON()).not.toEqual(b.toJSON());
    expect(a.revertStep()).toBe(true);
    expect(a.toJSON()).toEqual(b.toJSON());
    a.train({ steps: 5, batchSize: 4, learningRate: 0.2 });
    b.train({ steps: 5, batchSize: 4, learningRate: 0.2 });
    expect(a.toJSON()).toEqual(b.toJSON());
    a.dispose();
    b.dispose();
  });

  it('a step that would diverge is refused and says so', () => {
    const net = fromSpec(bpFull, SPECS['6-layer ReLU 3-6-6-6-6-6-2 (linear output)'], 'float64');
    const before = net.toJSON();
    const r = net.stepExamples([0, 1], { learningRate: 1e300 });
    expect(r.diverged).toBe(true);
    expect(r.message).toMatch(/^diverged: .*not applied/);
    expect(r.costAfter).toBe(r.costBefore);
    expect(net.toJSON()).toEqual(before);
    net.dispose();
  });
});

// ---- the gradient check, per layer and per parameter -----------------------------------------------------------

function data(n, n0, nL, seed, softmax) {
  const r = lcg(seed);
  const X = Array.from({ length: n * n0 }, () => r(-2, 2));
  const Y = [];
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r(0, nL));
    for (let j = 0; j < nL; j++) Y.push(softmax ? (j === c ? 1 : 0) : r(0.05, 0.95));
  }
  return { X, Y };
}

describe('gradientCheck per layer (full build, float64)', () => {
  const combos = [];
  for (const activation of full.ACTIVATIONS) {
    for (const outputActivation of full.OUTPUT_ACTIVATIONS) {
      for (const cost of full.COSTS) {
        if (cost === 'cross_entropy' && outputActivation !== 'sigmoid' && outputActivation !== 'softmax') continue;
        combos.push({ activation, outputActivation, cost });
      }
    }
  }
  it(`≤ 1e-6 in every layer of healthy nets, every activation × output × cost (${combos.length} combinations), with the worst parameter named`, () => {
    for (const c of combos) {
      const nL = c.outputActivation === 'softmax' ? 3 : 2;
      const net = bpFull.createNetwork({ layers: [2, 5, 4, nL], ...c, seed: 5 });
      const { X, Y } = data(16, 2, nL, 9, c.outputActivation === 'softmax');
      net.setData(X, Y);
      const r = net.gradientCheck({ l2: 0.1 });
      const label = JSON.stringify(c);
      expect(r.layers, label).toHaveLength(3);
      r.layers.forEach((layer, l) => {
        expect(layer.maxRelativeError, `${label} layer ${l + 1}`).toBeLessThanOrEqual(1e-6);
        expect(layer.worst.relativeError).toBe(layer.maxRelativeError);
        expect(['W', 'b']).toContain(layer.worst.kind);
        expect(layer.worst.k === -1).toBe(layer.worst.kind === 'b');
      });
      expect(r.layers.reduce((s, l) => s + l.checked + l.skipped, 0)).toBe(r.parameters);
      expect(r.worst.relativeError).toBe(r.maxRelativeError);
      const { layer, ...worst } = r.worst;
      expect(r.layers[layer - 1].worst).toEqual(worst);
      // one parameter: the same numbers as in the whole check
      const w = r.layers[1].worst;
      const p = net.gradientCheckParameter(2, w.j, w.k, { l2: 0.1 });
      expect(p.backprop).toBe(w.backprop);
      expect(p.finiteDifference).toBe(w.finiteDifference);
      expect(p.relativeError).toBe(w.relativeError);
      net.dispose();
    }
  });

  it('gradientCheckParameter: backprop is ∂C/∂θ of the full C (as inspect shows it), for a weight and a bias', () => {
    const net = bpFull.createNetwork({ layers: [2, 3, 2], activation: 'tanh', outputActivation: 'sigmoid', seed: 8 });
    const { X, Y } = data(12, 2, 2, 4, false);
    net.setData(X, Y);
    const ins = net.inspect({ l1: 0.05 });
    const w = net.gradientCheckParameter(1, 2, 1, { l1: 0.05 });
    expect(w.backprop).toBeCloseTo(ins.layers[0].gradW[2 * 2 + 1], 6);
    expect(w.relativeError).toBeLessThan(1e-6);
    expect(w.skipped).toBe(false);
    const b = net.gradientCheckParameter(2, 1, -1, { l1: 0.05 });
    expect(b.backprop).toBeCloseTo(ins.layers[1].gradB[1], 6);
    expect(Object.keys(b).sort()).toEqual(['absoluteError', 'backprop', 'finiteDifference', 'relativeError', 'skipped']);
    net.dispose();
  });
});

// ---- break an equation ----------------------------------------------------------------------------------------

// 2-4-4-4-1: W^2, W^3 square; W^4 (1 × 4) not. Where each broken equation shows first (the highest l whose
// gradient is wrong).
const FIRST_WRONG = { bp1_no_sigma_prime: 4, bp2_no_sigma_prime: 3, bp2_no_transpose: 2, no_batch_mean: 4 };

describe('break an equation', () => {
  it('BROKEN_EQUATIONS lists the four, in both builds', () => {
    expect(full.BROKEN_EQUATIONS).toEqual(Object.keys(FIRST_WRONG));
    expect(page.BROKEN_EQUATIONS).toEqual(full.BROKEN_EQUATIONS);
  });

  for (const precision of ['float64', 'float32']) {
    it(`the per-layer check flags the layer where the backward pass goes wrong, and is clean above it (${precision} network)`, () => {
      const net = bpFull.createNetwork({ layers: [2, 4, 4, 4, 1], activation: 'tanh', outputActivation: 'sigmoid', init: 'nielsen', seed: 2, precision });
      const { X, Y } = data(20, 2, 1, 3, false);
      net.setData(X, Y);
      expect(net.broken).toBe(null);
      for (const name of full.BROKEN_EQUATIONS) {
        net.setBroken(name);
        expect(net.broken).toBe(name);
        const r = net.gradientCheck();
        const flagged = [4, 3, 2, 1].find((l) => r.layers[l - 1].maxRelativeError > 1e-3);
        expect(flagged, name).toBe(FIRST_WRONG[name]);
        for (let l = flagged + 1; l <= 4; l++) expect(r.layers[l - 1].maxRelativeError, `${name} layer ${l}`).toBeLessThanOrEqual(1e-6);
        expect(r.worst.layer).toBeLessThanOrEqual(flagged);
      }
      net.setBroken(null);
      expect(net.broken).toBe(null);
      expect(net.gradientCheck().maxRelativeError).toBeLessThanOrEqual(1e-6);
      net.dispose();
    });
  }

  it('every backward pass uses it: explain, inspect, stepExamples and train — the page build the same as the full one', () => {
    const d = bpFull.dataset('gauss', { n: 40, noise: 0.1, seed: 5 });
    const opts = { layers: [2, 4, 4, 1], activation: 'sigmoid', seed: 6, precision: 'float32' };
    const n = d.inputs.length / 2;
    for (const name of full.BROKEN_EQUATIONS) {
      const right = bpPage.createNetwork(opts), wrong = bpPage.createNetwork(opts), fullWrong = bpFull.createNetwork(opts);
      for (const net of [right, wrong, fullWrong]) net.setData(d.inputs, d.targets);
      wrong.setBroken(name);
      fullWrong.setBroken(name);
      const all = Array.from({ length: n }, (_, i) => i);
      const ok = right.explain(all), bad = wrong.explain(all);
      expect(bad.broken).toBe(name);
      expect(ok.broken).toBe(null);
      expect(bad.layers[0].gradW).not.toEqual(ok.layers[0].gradW);  // the lowest layer is wrong under every one
      // inspect: the same broken gradient over all the data (no_batch_mean: the sum, n times the mean)
      const ins = wrong.inspect();
      ins.layers.forEach((s, l) => expectNear(Array.from(s.gradW), bad.layers[l].gradW, 1e-5));
      if (name === 'no_batch_mean') {
        bad.layers.forEach((s, l) => expectNear(s.gradW, ok.layers[l].gradW.map((g) => g * n), 1e-4));
      }
      // training with it: another network than the correct one, and the page build computes what the full build does
      for (const net of [right, wrong, fullWrong]) {
        net.stepExamples([0, 1, 2], { learningRate: 0.1 });
        net.train({ epochs: 3, batchSize: 5, learningRate: 0.1 });
      }
      expect(wrong.toJSON()).not.toEqual(right.toJSON());
      expect(wrong.toJSON()).toEqual(fullWrong.toJSON());
      for (const net of [right, wrong, fullWrong]) net.dispose();
    }
  });

  it('with batch size 1, forgetting the 1/m changes nothing', () => {
    const d = bpPage.dataset('moons', { n: 30, noise: 0.1, seed: 1 });
    const a = bpPage.createNetwork({ layers: [2, 5, 1], activation: 'tanh', seed: 2 });
    const b = bpPage.createNetwork({ layers: [2, 5, 1], activation: 'tanh', seed: 2 });
    for (const net of [a, b]) net.setData(d.inputs, d.targets);
    b.setBroken('no_batch_mean');
    a.train({ epochs: 2, batchSize: 1, learningRate: 0.1 });
    b.train({ epochs: 2, batchSize: 1, learningRate: 0.1 });
    expect(b.toJSON()).toEqual(a.toJSON());
    a.dispose();
    b.dispose();
  });

  it('bad names and networks without a square W^l are Errors naming the field; the switch stays as it was', () => {
    for (const bp of [bpFull, bpPage]) {
      const net = bp.createNetwork({ layers: [2, 3, 1], precision: 'float32' });
      expect(() => net.setBroken('bp5')).toThrow(/broken: unknown value 'bp5' \(expected one of bp1_no_sigma_prime, bp2_no_sigma_prime, bp2_no_transpose, no_batch_mean\)/);
      expect(() => net.setBroken(undefined)).toThrow(/broken: unknown value undefined/);
      expect(() => net.setBroken('none')).toThrow(/broken: unknown value 'none'/);
      net.setBroken('bp1_no_sigma_prime');
      expect(() => net.setBroken('bp2_no_transpose')).toThrow(/broken: 'bp2_no_transpose' needs a square weight matrix W\^l \(n_l = n_\(l−1\)\) for some layer l in \[2, 2\], .* this network has none/);
      expect(net.broken).toBe('bp1_no_sigma_prime');
      net.dispose();
      expect(() => net.broken).toThrow(/dispose/);
    }
  });

  it('is not part of the saved network', () => {
    const net = bpFull.createNetwork({ layers: [2, 3, 3, 1] });
    net.setBroken('bp2_no_transpose');
    const copy = bpFull.networkFromJSON(net.toJSON());
    expect(copy.broken).toBe(null);
    expect(JSON.stringify(net.toJSON())).not.toMatch(/broken|transpose/);
    net.dispose();
    copy.dispose();
  });
});

// ---- inspect: dead ReLUs, and no saturation where σ' cancels -----------------------------------------------------

describe('inspect: saturation as the lessons need it', () => {
  it('a saturated sigmoid output counts under the quadratic cost, not under cross-entropy (σ\' cancels there)', () => {
    for (const bp of [bpFull, bpPage]) {
      for (const cost of ['quadratic', 'cross_entropy']) {
        const net = bp.createNetwork({ layers: [2, 3, 1], activation: 'tanh', outputActivation: 'sigmoid', cost, init: 'nielsen', seed: 2, precision: 'float32' });
        net.setWeights(2, Array.from(net.layer(2).W, (w) => 40 * w));  // outputs pinned near 0 or 1
        const { X, Y } = data(60, 2, 1, 3, false);
        net.setData(X, Y);
        const out = net.inspect().layers[1];
        expect(out.sigmaPrimeCancels).toBe(cost === 'cross_entropy');
        if (cost === 'quadratic') expect(out.saturation[0]).toBeGreaterThan(0.5);
        else expect(out.saturation[0]).toBe(0);
        expect(net.inspect().layers[0].sigmaPrimeCancels).toBe(false);
        net.dispose();
      }
    }
  });

  it('a ReLU with z ≤ 0 is dead, not saturated: dead = the fraction of examples with z ≤ 0', () => {
    const layers = [2, 6, 1];
    const net = bpFull.createNetwork({ layers, activation: 'relu', outputActivation: 'sigmoid', init: 'nielsen', seed: 3 });
    const { X, Y } = data(80, 2, 1, 6, false);
    net.setData(X, Y);
    const ins = net.inspect();
    const { weights: W, biases: b } = net.toJSON();
    const cfg = configOf({ layers, activation: 'relu', output_activation: 'sigmoid' });
    const dead = new Array(6).fill(0);
    for (let i = 0; i < 80; i++) feedforward(cfg, W, b, X.slice(2 * i, 2 * i + 2)).z[0].forEach((z, j) => { dead[j] += z <= 0 ? 1 : 0; });
    expect(Array.from(ins.layers[0].dead)).toEqual(dead.map((k) => Math.fround(k / 80)));
    expect(dead.some((k) => k > 0 && k < 80)).toBe(true);
    expect(Array.from(ins.layers[0].saturation)).toEqual(new Array(6).fill(0));
    expect(ins.layers[1].dead).toEqual(new Float32Array(1));  // not a ReLU
    net.dispose();
  });
});

// ---- a layer's space ---------------------------------------------------------------------------------------------

describe('activations and principalDirections', () => {
  for (const [bpName, getBp] of [['full', () => bpFull], ['page', () => bpPage]]) {
    it(`activations: layer 0 the features, L the outputs, hidden layers as the reference computes them (${bpName})`, () => {
      const bp = getBp();
      const layers = [3, 4, 2, 1];
      const net = bp.createNetwork({ layers, features: ['x1', 'x2', 'x1x2'], activation: 'tanh', seed: 4, precision: 'float32' });
      const pts = [0.5, -1, 2, 0.25, -3, 1.5];
      const a0 = net.activations(pts, { layer: 0 });
      expect(a0).toBeInstanceOf(Float64Array);
      expect(Array.from(a0)).toEqual([0.5, -1, -0.5, 2, 0.25, 0.5, -3, 1.5, -4.5]);
      expect(net.activations(pts, { layer: 3 })).toEqual(net.predict(pts));
      const { weights: W, biases: b } = net.toJSON();
      const cfg = configOf({ layers, activation: 'tanh' });
      const a2 = net.activations(pts, { layer: 2 });
      for (let i = 0; i < 3; i++) {
        const ref = feedforward(cfg, W, b, Array.from(a0.slice(3 * i, 3 * i + 3))).a[2];
        ref.forEach((v, j) => expect(Math.abs(a2[2 * i + j] - v)).toBeLessThan(1e-6));
      }
      expect(() => net.activations(pts, { layer: 4 })).toThrow(/layer: must be an integer in \[0, 3\], got 4/);
      expect(() => net.activations(pts, { layer: 1.5 })).toThrow(/layer: must be an integer in \[0, 3\], got 1\.5/);
      expect(() => net.activations(pts)).toThrow(/activations: options are required/);
      expect(() => net.activations(pts, { layer: 1, l: 2 })).toThrow(/activations options: unknown option 'l'/);
      expect(() => net.activations([1, 2, 3], { layer: 1 })).toThrow(/points: length must be a positive multiple of 2/);
      net.dispose();
    });

    it(`principalDirections: the mean, and eigenvectors of the covariance of a^l over the training data (${bpName})`, () => {
      const bp = getBp();
      const net = bp.createNetwork({ layers: [2, 5, 3, 1], activation: 'tanh', init: 'nielsen', seed: 9, precision: 'float32' });
      const d = bp.dataset('spiral', { n: 200, noise: 0.1, seed: 1 });
      net.setData(d.inputs, d.targets);
      const n = d.inputs.length / 2;
      for (const layer of [0, 1, 2, 3]) {
        const p = net.principalDirections({ layer });
        const a = net.activations(d.inputs, { layer });
        const k = a.length / n;
        const mean = Array.from({ length: k }, (_, j) => { let s = 0; for (let i = 0; i < n; i++) s += a[i * k + j]; return s / n; });
        const C = Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => {
          let s = 0;
          for (let i = 0; i < n; i++) s += (a[i * k + r] - mean[r]) * (a[i * k + c] - mean[c]);
          return s / n;
        }));
        expectNear(p.mean, mean, 1e-9);
        expect(p.totalVariance).toBeCloseTo(C.reduce((s, row, r) => s + row[r], 0), 9);
        const Cv = (v) => C.map((row) => row.reduce((s, c, j) => s + c * v[j], 0));
        const dot = (u, v) => u.reduce((s, x, j) => s + x * v[j], 0);
        p.directions.forEach((dir, i) => {
          if (k === 1 && i === 1) {
            expect(dir).toEqual([0]);
            expect(p.variances[1]).toBe(0);
            return;
          }
          expect(dot(dir, dir)).toBeCloseTo(1, 12);
          expectNear(Cv(dir), dir.map((x) => p.variances[i] * x), 1e-9);  // an eigenvector, its variance the eigenvalue
          expect(dot(dir, Cv(dir))).toBeCloseTo(p.variances[i], 9);
          const big = dir.reduce((m, x, j) => (Math.abs(x) > Math.abs(dir[m]) ? j : m), 0);
          expect(dir[big]).toBeGreaterThan(0);  // the sign convention
        });
        if (k > 1) {
          expect(Math.abs(dot(p.directions[0], p.directions[1]))).toBeLessThan(1e-12);
          expect(p.variances[0]).toBeGreaterThanOrEqual(p.variances[1]);
          // the largest variance of any direction: no unit vector tried beats the first
          const r = lcg(layer + 1);
          for (let t = 0; t < 20; t++) {
            const v = Array.from({ length: k }, () => r(-1, 1));
            const len = Math.sqrt(dot(v, v));
            expect(dot(v, Cv(v)) / (len * len)).toBeLessThanOrEqual(p.variances[0] + 1e-12);
          }
        }
      }
      expect(() => net.principalDirections({ layer: -1 })).toThrow(/layer: must be an integer in \[0, 3\], got -1/);
      expect(() => net.principalDirections({})).toThrow(/layer: must be an integer in \[0, 3\], got undefined/);
      net.dispose();
      const empty = bp.createNetwork({ layers: [2, 3, 1], precision: 'float32' });
      expect(() => empty.principalDirections({ layer: 1 })).toThrow(/principalDirections: no training data/);
      empty.dispose();
    });
  }
});

// ---- bad input ------------------------------------------------------------------------------------------------------

describe('bad input names the field, and changes nothing', () => {
  for (const [bpName, getBp] of [['full', () => bpFull], ['page', () => bpPage]]) {
    it(`explain and stepExamples (${bpName})`, () => {
      const net = getBp().createNetwork({ layers: [2, 3, 1], precision: 'float32' });
      expect(() => net.explain(0)).toThrow(/explain: no training data/);
      expect(() => net.stepExamples(0)).toThrow(/stepExamples: no training data/);
      net.setData([0, 1, 1, 0, 1, 1, 0, 0], [1, 1, 0, 0]);
      const before = net.toJSON();
      expect(() => net.explain(4)).toThrow(/^index: must be an integer in \[0, 3\], got 4$/);
      expect(() => net.explain(-1)).toThrow(/index: must be an integer in \[0, 3\], got -1/);
      expect(() => net.explain(0.5)).toThrow(/index: must be an integer in \[0, 3\], got 0\.5/);
      expect(() => net.explain('1')).toThrow(/index: must be an integer in \[0, 3\] or a list of them, got '1'/);
      expect(() => net.explain()).toThrow(/index: .* got undefined/);
      expect(() => net.explain([])).toThrow(/indices: must be a non-empty list/);
      expect(() => net.explain([0, 7])).toThrow(/indices\[1\]: must be an integer in \[0, 3\], got 7/);
      expect(() => net.explain([0, NaN])).toThrow(/indices\[1\]: .* got NaN/);
      expect(() => net.stepExamples(9, { learningRate: 0.1 })).toThrow(/index: must be an integer in \[0, 3\], got 9/);
      expect(() => net.stepExamples([0], { learningRate: 0 })).toThrow(/learningRate: must be a finite number > 0, got 0/);
      expect(() => net.stepExamples([0], { learningRate: 0.1, l2: -1 })).toThrow(/l2: must be a finite number ≥ 0, got -1/);
      expect(() => net.stepExamples([0], { eta: 0.1 })).toThrow(/stepExamples options: unknown option 'eta'/);
      expect(net.toJSON()).toEqual(before);
      expect(net.revertStep()).toBe(false);  // nothing was stepped
      net.dispose();
      expect(() => net.explain(0)).toThrow(/dispose/);
    });
  }

  it('gradientCheckParameter (full build) and its absence in the page build', () => {
    const net = bpFull.createNetwork({ layers: [2, 3, 2] });
    expect(() => net.gradientCheckParameter(1, 0, 0)).toThrow(/gradientCheckParameter: no training data/);
    net.setData([0, 1, 1, 0], [1, 0, 0, 1]);
    expect(() => net.gradientCheckParameter(0, 0, 0)).toThrow(/layer: must be an integer in \[1, 2\], got 0/);
    expect(() => net.gradientCheckParameter(2, 2, 0)).toThrow(/j: must be an integer in \[0, 1\], got 2/);
    expect(() => net.gradientCheckParameter(1, 0, 2)).toThrow(/k: must be an integer in \[-1, 1\], got 2/);
    expect(() => net.gradientCheckParameter(1, 0, -2)).toThrow(/k: must be an integer in \[-1, 1\], got -2/);
    expect(() => net.gradientCheckParameter(1, 0, 0, { lambda: 1 })).toThrow(/gradientCheckParameter options: unknown option 'lambda'/);
    net.dispose();
    const p = bpPage.createNetwork({ layers: [2, 3, 2] });
    p.setData([0, 1, 1, 0], [1, 0, 0, 1]);
    expect(() => p.gradientCheckParameter(1, 0, 0)).toThrow(/gradientCheckParameter: not in this build: bindings\/page\.js is the page's float32-only engine/);
    expect(() => p.gradientCheck()).toThrow(/gradientCheck: not in this build/);
    p.dispose();
  });

  it('the new calls leak nothing: heap and handles stay put over many calls', () => {
    const net = bpPage.createNetwork({ layers: [2, 8, 8, 1], activation: 'relu', seed: 1 });
    const d = bpPage.dataset('spiral', { n: 300, noise: 0.1, seed: 2 });
    net.setData(d.inputs, d.targets);
    const cycle = () => {
      net.explain(3);
      net.explain([1, 2, 3]);
      net.stepExamples([4], { learningRate: 0.01 });
      net.revertStep();
      net.activations([0, 0, 1, 1], { layer: 1 });
      net.principalDirections({ layer: 2 });
      net.setBroken('bp1_no_sigma_prime');
      net.setBroken(null);
      try { net.explain(999); } catch { /* the error path too */ }
    };
    for (let i = 0; i < 5; i++) cycle();
    const heap = bpPage.heapInUse(), handles = bpPage.handleCount();
    for (let i = 0; i < 300; i++) cycle();
    // Interleaving allocations of different sizes moves the allocator's count by a few bytes either way
    // (measured: ±30 bytes around a constant); a leak of even one byte per call would add ≥ 2400 here.
    expect(Math.abs(bpPage.heapInUse() - heap)).toBeLessThan(256);
    expect(bpPage.handleCount()).toBe(handles);
    net.dispose();
  });
});
