// `trace`: the engine (wasm, native, CLI) against an independent float64 reference (reference.js), hand
// calculations, and finite differences.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBackprop, DATASETS, INITS } from 'backprop-lab';
import { referenceTrace, totalCost, configOf, batchSchedule } from './reference.js';
import { expectNear, mismatches, lcg } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'bindings/cli.js');
const NATIVE = join(ROOT, 'build-native/bp_native');

let bp;
beforeAll(async () => { bp = await loadBackprop(); });

// ---- specs ------------------------------------------------------------------------------------------------

function randomNet(layers, seed, scale = 1) {
  const r = lcg(seed);
  const weights = [], biases = [];
  for (let l = 1; l < layers.length; l++) {
    weights.push(Array.from({ length: layers[l] }, () => Array.from({ length: layers[l - 1] }, () => r(-scale, scale))));
    biases.push(Array.from({ length: layers[l] }, () => r(-0.5, 0.5)));
  }
  return { weights, biases };
}
function randomRows(n, width, seed, lo = -1, hi = 1) {
  const r = lcg(seed);
  return Array.from({ length: n }, () => Array.from({ length: width }, () => r(lo, hi)));
}
const oneHot = (k, j) => Array.from({ length: k }, (_, i) => (i === j ? 1 : 0));

// The classic 2-2-1 example (Mazur's "step by step" numbers, with one output).
const CLASSIC = {
  layers: [2, 2, 1], activation: 'sigmoid', cost: 'quadratic',
  weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], biases: [[0.35, 0.35], [0.6]],
  inputs: [[0.05, 0.1]], targets: [[0.01]], learning_rate: 0.5, steps: 1,
};

const SPECS = {
  'classic 2-2-1 sigmoid quadratic': CLASSIC,
  '3-3-2-1 sigmoid quadratic, batch 3 over 4 examples, 3 steps': {
    layers: [3, 3, 2, 1], activation: 'sigmoid', cost: 'quadratic', ...randomNet([3, 3, 2, 1], 11, 1.5),
    inputs: randomRows(4, 3, 12), targets: randomRows(4, 1, 13, 0, 1), learning_rate: 0.7, batch_size: 3, steps: 3,
  },
  '2-4-3-1 tanh/sigmoid cross-entropy, l2, batch 2, 5 steps over 3 examples': {
    layers: [2, 4, 3, 1], activation: 'tanh', output_activation: 'sigmoid', cost: 'cross_entropy',
    ...randomNet([2, 4, 3, 1], 21), inputs: randomRows(3, 2, 22, -2, 2), targets: [[1], [0], [1]],
    learning_rate: 0.3, batch_size: 2, steps: 5, l2: 0.1,
  },
  'softmax 2-3-3 cross-entropy, batch 2, 4 steps': {
    layers: [2, 3, 3], activation: 'sigmoid', output_activation: 'softmax', cost: 'cross_entropy',
    ...randomNet([2, 3, 3], 31, 2), inputs: randomRows(3, 2, 32, -1.5, 1.5), targets: [oneHot(3, 0), oneHot(3, 2), oneHot(3, 1)],
    learning_rate: 0.5, batch_size: 2, steps: 4,
  },
  'softmax 2-3-3 quadratic (softmax Jacobian)': {
    layers: [2, 3, 3], activation: 'tanh', output_activation: 'softmax', cost: 'quadratic',
    ...randomNet([2, 3, 3], 41, 2), inputs: randomRows(2, 2, 42), targets: [[0.2, 0.5, 0.3], oneHot(3, 1)],
    learning_rate: 1.5, steps: 3,
  },
  // Hidden neuron 0 has zero weights and bias: z = 0 exactly for every example, so relu'(0) = 0 matters.
  'relu/linear 2-4-2 quadratic with a hidden z of exactly 0': {
    layers: [2, 4, 2], activation: 'relu', output_activation: 'linear', cost: 'quadratic',
    weights: [[[0, 0], [0.5, -0.3], [-0.7, 0.2], [0.9, 0.4]], [[0.3, -0.2, 0.6, 0.1], [-0.4, 0.8, 0.5, -0.6]]],
    biases: [[0, 0.12, -0.05, 0.2], [0.05, -0.1]],
    inputs: [[1, 2], [-1, 0.5], [0.3, -0.8]], targets: [[0.5, -1], [1, 0], [-0.2, 0.7]],
    learning_rate: 0.05, batch_size: 2, steps: 4,
  },
  // A zero weight: sign(0) = 0 in the L1 gradient.
  'L1 2-3-1 sigmoid quadratic with a zero weight, batch 2, 4 steps': {
    layers: [2, 3, 1], activation: 'sigmoid', cost: 'quadratic',
    weights: [[[0.5, 0], [-0.4, 0.3], [0.2, 0.8]], [[0.7, -0.6, 0.4]]], biases: [[0.1, -0.1, 0], [0.2]],
    inputs: [[0.5, 1], [-1, 0.2], [1.5, -0.5]], targets: [[1], [0], [0.5]], learning_rate: 0.4, batch_size: 2, steps: 4, l1: 0.2,
  },
  'tanh output, quadratic, l2, batch larger than n': {
    layers: [3, 2, 2], activation: 'tanh', cost: 'quadratic', ...randomNet([3, 2, 2], 51),
    inputs: randomRows(3, 3, 52), targets: randomRows(3, 2, 53), learning_rate: 0.2, batch_size: 10, steps: 2, l2: 0.5,
  },
  'defaults: no steps, no batch size, no activation': {
    layers: [2, 2, 1], ...randomNet([2, 2, 1], 61), inputs: randomRows(2, 2, 62), targets: [[0], [1]],
  },
};

// ---- against the reference --------------------------------------------------------------------------------

describe('trace vs the float64 reference (1e-9 relative)', () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    it(name, () => {
      const got = bp.trace(spec);
      const want = referenceTrace(spec);
      expectNear(got, want, 1e-9);
      // and the result is actually about this spec: different from the trace of a perturbed spec
      const other = structuredClone(spec);
      other.weights[0][0][0] += 0.01;
      expect(mismatches(bp.trace(other), want, 1e-9).length).toBeGreaterThan(0);
    });
  }

  it('the classic 2-2-1 example matches hand-computed values', () => {
    const t = bp.trace(CLASSIC);
    const fe = t.first_example;
    expect(fe.z[0][0]).toBeCloseTo(0.3775, 15);                        // 0.15·0.05 + 0.2·0.1 + 0.35
    expect(fe.z[0][1]).toBeCloseTo(0.3925, 15);                        // 0.25·0.05 + 0.3·0.1 + 0.35
    expect(fe.a[0][0]).toBeCloseTo(0.5932699921071872, 15);            // σ(0.3775)
    expect(fe.a[0][1]).toBeCloseTo(0.596884378259767, 15);             // σ(0.3925)
    expect(fe.z[1][0]).toBeCloseTo(0.4 * 0.5932699921071872 + 0.45 * 0.596884378259767 + 0.6, 14);
    expect(fe.a[1][0]).toBeCloseTo(0.75136507, 8);                     // Mazur's out_o1
    expect(fe.cost).toBeCloseTo(0.274811083, 9);                       // ½(0.01 − 0.75136507)²
    expect(t.cost_initial).toBe(fe.cost);                              // n = 1, no regularisation
    expect(fe.delta[1][0]).toBeCloseTo(0.74136507 * 0.186815602, 8);   // (a − y) σ'(z) = 0.138498562
    expect(fe.grad_W[1][0][0]).toBeCloseTo(0.082167041, 9);            // Mazur's ∂E/∂w5
    expect(t.weights_final[1][0][0]).toBeCloseTo(0.35891648, 8);      // w5 − η ∂E/∂w5 with η = 0.5
    expect(t.grad_W).toEqual(fe.grad_W);                               // one example: the same gradient
    expect(t.cost_final).toBeLessThan(t.cost_initial);
  });

  it("relu'(0) = 0: a hidden neuron with z = 0 passes no gradient back", () => {
    const t = bp.trace(SPECS['relu/linear 2-4-2 quadratic with a hidden z of exactly 0']);
    expect(t.first_example.z[0][0]).toBe(0);
    expect(t.first_example.delta[0][0]).toBe(0);
    expect(t.grad_W[0][0]).toEqual([0, 0]);
    expect(t.grad_b[0][0]).toBe(0);
    expect(t.weights_final[0][0]).toEqual([0, 0]);
    expect(t.grad_W[1][0][0]).toBe(0);  // a^1_0 = relu(0) = 0
  });

  it('mini-batches run in order, the last one shorter, wrapping into further epochs', () => {
    expect(batchSchedule(3, 2, 4)).toEqual([[0, 1], [2], [0, 1], [2]]);
    expect(batchSchedule(3, 5, 2)).toEqual([[0, 1, 2], [0, 1, 2]]);
    // The engine follows that schedule: the same spec with examples 1 and 2 swapped gives other weights.
    const spec = SPECS['2-4-3-1 tanh/sigmoid cross-entropy, l2, batch 2, 5 steps over 3 examples'];
    const swapped = { ...spec, inputs: [spec.inputs[0], spec.inputs[2], spec.inputs[1]], targets: [spec.targets[0], spec.targets[2], spec.targets[1]] };
    expectNear(bp.trace(swapped), referenceTrace(swapped), 1e-9);
    expect(mismatches(bp.trace(swapped).weights_final, bp.trace(spec).weights_final, 1e-9).length).toBeGreaterThan(0);
  });

  it('first_example uses only inputs[0] (no 1/n, no regularisation)', () => {
    const spec = SPECS['2-4-3-1 tanh/sigmoid cross-entropy, l2, batch 2, 5 steps over 3 examples'];
    const single = { ...spec, inputs: [spec.inputs[0]], targets: [spec.targets[0]], l2: 0, steps: 0 };
    const a = bp.trace(spec).first_example, b = bp.trace(single);
    expectNear(a, b.first_example, 1e-12);
    expectNear(a.grad_W, b.grad_W, 1e-12);
    expect(a.cost).toBeCloseTo(b.cost_initial, 12);
  });
});

// ---- finite differences -------------------------------------------------------------------------------------

describe('grad_W and grad_b of the full C vs central finite differences of the reference cost', () => {
  const names = Object.keys(SPECS).filter((n) => !n.startsWith('relu'));  // relu: z = 0 sits on the kink
  for (const name of names) {
    it(name, () => {
      const spec = SPECS[name];
      const cfg = configOf(spec);
      const t = bp.trace(spec);
      const h = 1e-5;
      const C = (W, b) => totalCost(cfg, W, b, spec.inputs, spec.targets);
      let checked = 0;
      for (let l = 0; l < spec.weights.length; l++) {
        for (let j = 0; j < spec.weights[l].length; j++) {
          for (let k = 0; k < spec.weights[l][j].length; k++) {
            const w0 = spec.weights[l][j][k];
            if (cfg.l1 > 0 && Math.abs(w0) < 2 * h) continue;  // |w| has no derivative at 0
            const Wp = structuredClone(spec.weights), Wm = structuredClone(spec.weights);
            Wp[l][j][k] = w0 + h;
            Wm[l][j][k] = w0 - h;
            const fd = (C(Wp, spec.biases) - C(Wm, spec.biases)) / (2 * h);
            const g = t.grad_W[l][j][k];
            expect(Math.abs(fd - g), `grad_W[${l}][${j}][${k}]: fd ${fd}, trace ${g}`).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(g), 1e-3));
            checked++;
          }
          const b0 = spec.biases[l][j];
          const bp_ = structuredClone(spec.biases), bm = structuredClone(spec.biases);
          bp_[l][j] = b0 + h;
          bm[l][j] = b0 - h;
          const fd = (C(spec.weights, bp_) - C(spec.weights, bm)) / (2 * h);
          const g = t.grad_b[l][j];
          expect(Math.abs(fd - g), `grad_b[${l}][${j}]: fd ${fd}, trace ${g}`).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(g), 1e-3));
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it('the relu spec moved away from the kinks (no hidden z within 0.04 of 0)', () => {
    const spec = structuredClone(SPECS['relu/linear 2-4-2 quadratic with a hidden z of exactly 0']);
    spec.biases[0][0] = 0.3;   // neuron 0: z = 0 for every example before
    const cfg = configOf(spec);
    const t = bp.trace(spec);
    const h = 1e-6;
    for (let l = 0; l < spec.weights.length; l++) {
      for (let j = 0; j < spec.weights[l].length; j++) {
        for (let k = 0; k < spec.weights[l][j].length; k++) {
          const Wp = structuredClone(spec.weights), Wm = structuredClone(spec.weights);
          Wp[l][j][k] += h;
          Wm[l][j][k] -= h;
          const fd = (totalCost(cfg, Wp, spec.biases, spec.inputs, spec.targets) - totalCost(cfg, Wm, spec.biases, spec.inputs, spec.targets)) / (2 * h);
          expect(Math.abs(fd - t.grad_W[l][j][k])).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(t.grad_W[l][j][k]), 1e-3));
        }
      }
    }
  });
});

// ---- the CLI ------------------------------------------------------------------------------------------------

function runCli(args, input) {
  expect(existsSync(CLI), `${CLI} is missing (the backprop-lab CLI)`).toBe(true);
  return spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: ROOT, timeout: 30000 });
}

describe('CLI: backprop-lab trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-trace-'));
  const write = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };

  for (const name of ['classic 2-2-1 sigmoid quadratic', 'softmax 2-3-3 cross-entropy, batch 2, 4 steps', 'L1 2-3-1 sigmoid quadratic with a zero weight, batch 2, 4 steps']) {
    it(`trace SPEC.json prints bp.trace(spec): ${name}`, () => {
      const spec = SPECS[name];
      const r = runCli(['trace', write('spec.json', JSON.stringify(spec))]);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(bp.trace(spec));
    });
    it(`trace - reads the spec from stdin: ${name}`, () => {
      const spec = SPECS[name];
      const r = runCli(['trace', '-'], JSON.stringify(spec));
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(bp.trace(spec));
    });
  }

  const bad = [
    ['weights of the wrong shape', JSON.stringify({ ...CLASSIC, weights: [[[0.15, 0.2], [0.25]], [[0.4, 0.45]]] }), /weights\[0\]\[1\]/],
    ['a missing weight matrix', JSON.stringify({ ...CLASSIC, weights: [[[0.15, 0.2], [0.25, 0.3]]] }), /weights/],
    ['an unknown activation', JSON.stringify({ ...CLASSIC, activation: 'swish' }), /activation.*swish/],
    ['an unknown output activation', JSON.stringify({ ...CLASSIC, output_activation: 'softplus' }), /output_activation.*softplus/],
    ['targets of the wrong width', JSON.stringify({ ...CLASSIC, targets: [[0.01, 0.5]] }), /targets/],
    ['steps without a learning rate', JSON.stringify({ ...CLASSIC, learning_rate: undefined }), /learning_rate/],
    ['malformed JSON', '{"layers": [2, 2, 1], "weights": ', /JSON/i],
  ];
  for (const [what, text, field] of bad) {
    it(`a bad spec (${what}) from a file: exit code 2, stderr names the field`, () => {
      const r = runCli(['trace', write('bad.json', text)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(field);
      expect(r.stdout.trim()).toBe('');
    });
  }
  it('a bad spec on stdin: exit code 2, stderr names the field', () => {
    const r = runCli(['trace', '-'], JSON.stringify({ ...CLASSIC, cost: 'hinge' }));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cost.*hinge/);
  });

  it('cleans up', () => { rmSync(dir, { recursive: true, force: true }); expect(existsSync(dir)).toBe(false); });
});

// ---- native == wasm -----------------------------------------------------------------------------------------

function native(request) {
  if (!existsSync(NATIVE)) {
    throw new Error(`${NATIVE} is missing: build it with \`npm run build:native\` (the native oracle is required, not optional)`);
  }
  const r = spawnSync(NATIVE, [], { input: JSON.stringify(request), encoding: 'utf8', timeout: 30000, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`bp_native exited with ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('native == wasm', () => {
  it('the native oracle exists', () => {
    expect(existsSync(NATIVE), `${NATIVE} is missing: run \`npm run build:native\``).toBe(true);
  });

  for (const [name, spec] of Object.entries(SPECS)) {
    it(`trace agrees to 1e-12: ${name}`, () => {
      const w = bp.trace(spec);
      const n = native({ command: 'trace', spec });
      expectNear(w, n, 1e-12);
    });
  }

  const datasetOptions = [
    { n: 50, noise: 0, seed: 1, testRatio: 0 },
    { n: 200, noise: 0.3, seed: 7, testRatio: 0.25 },
    { n: 37, noise: 1, seed: 123456789, testRatio: 0.5 },
  ];
  for (const name of DATASETS) {
    it(`dataset '${name}' is bit-identical for several seeds, noise and test ratios`, () => {
      const extra = name === 'blobs' ? [{ n: 120, noise: 0.2, seed: 5, testRatio: 0.1, classes: 5 }, { n: 90, noise: 0.1, seed: 3, testRatio: 0, classes: 4 }] : [];
      for (const o of [...datasetOptions, ...extra]) {
        const w = bp.dataset(name, o);
        const n = native({ command: 'dataset', name, n: o.n, noise: o.noise, seed: o.seed, test_ratio: o.testRatio, classes: o.classes ?? 3 });
        expect(w.inputs.length).toBeGreaterThan(0);
        expect(Array.from(w.inputs)).toEqual(Array.from(n.train_inputs));
        expect(Array.from(w.targets)).toEqual(Array.from(n.train_targets));
        expect(Array.from(w.testInputs)).toEqual(Array.from(n.test_inputs));
        expect(Array.from(w.testTargets)).toEqual(Array.from(n.test_targets));
        expect(w.outputs).toBe(n.outputs);
        expect((w.inputs.length + w.testInputs.length) / 2).toBe(o.n);
      }
    });
  }

  for (const init of INITS) {
    it(`init '${init}': createNetwork weights are bit-identical to the native build's`, () => {
      for (const [layers, seed, activation] of [[[2, 5, 3, 1], 1, 'sigmoid'], [[3, 4, 2], 987654321, 'relu']]) {
        const n = native({ command: 'init', layers, init, seed, activation });
        for (const precision of ['float64', 'float32']) {
          const net = bp.createNetwork({ layers, init, seed, activation, precision });
          const j = net.toJSON();
          net.dispose();
          const round = precision === 'float32' ? (a) => Array.from(Float32Array.from(a)) : (a) => a;
          expect(j.weights.map((W) => W.flat())).toEqual(n.weights.map(round));
          expect(j.biases).toEqual(n.biases.map(round));
        }
      }
    });
  }
});
