// net.inspect() and net.neuronGrid(), the two calls the lab page makes every frame, against the independent
// float64 reference (reference.js: nested arrays, one example at a time) and against hand computations.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadBackprop } from 'backprop-lab';
import { ACT, configOf, backprop, feedforward, totalCost, totalGradient } from './reference.js';
import { lcg } from './helpers.js';

let bp;
beforeAll(async () => { bp = await loadBackprop(); });

// W^l and b^l of a network as the reference's nested arrays
function params(net) {
  const { weights, biases } = net.toJSON();
  return { W: weights, b: biases };
}
const rows = (flat, n) => Array.from({ length: flat.length / n }, (_, i) => Array.from(flat.slice(i * n, (i + 1) * n)));
function maxRelDiff(a, b, floor = 1e-6) {
  let worst = 0;
  a.flat(3).forEach((v, i) => { const w = b.flat(3)[i]; worst = Math.max(worst, Math.abs(v - w) / Math.max(Math.abs(w), floor)); });
  return worst;
}
function data(n, n0, nL, seed, { spread = 2, oneHot = false } = {}) {
  const r = lcg(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: n0 }, () => r(-spread, spread)));
  const Y = Array.from({ length: n }, () => {
    if (!oneHot) return Array.from({ length: nL }, () => r(0.05, 0.95));
    const c = Math.floor(r(0, nL));
    return Array.from({ length: nL }, (_, j) => (j === c ? 1 : 0));
  });
  return { X, Y, Xf: Float64Array.from(X.flat()), Yf: Float64Array.from(Y.flat()) };
}

describe('inspect', () => {
  const combos = [
    { activation: 'sigmoid', outputActivation: 'sigmoid', cost: 'quadratic', reg: {} },
    { activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', reg: { l2: 0.3 } },
    { activation: 'relu', outputActivation: 'softmax', cost: 'cross_entropy', reg: { l1: 0.2 } },
    { activation: 'tanh', outputActivation: 'linear', cost: 'quadratic', reg: { l2: 0.1 } },
  ];
  for (const c of combos) {
    it(`cost, accuracy and ∂C/∂W, ∂C/∂b of the full C match the reference (${c.activation}/${c.outputActivation}/${c.cost}/${Object.keys(c.reg)[0] ?? 'none'})`, () => {
      const nL = c.outputActivation === 'softmax' ? 3 : 2;
      const layers = [3, 5, 4, nL];
      const net = bp.createNetwork({ layers, activation: c.activation, outputActivation: c.outputActivation, cost: c.cost, init: 'nielsen', seed: 4 });
      const { X, Y, Xf, Yf } = data(31, 3, nL, 9, { oneHot: c.outputActivation === 'softmax' });
      net.setData(Xf, Yf);
      const ins = net.inspect(c.reg);
      const cfg = configOf({ layers, activation: c.activation, output_activation: c.outputActivation, cost: c.cost, ...c.reg });
      const { W, b } = params(net);
      expect(ins.cost).toBeCloseTo(totalCost(cfg, W, b, X, Y), 12);
      expect(ins.accuracy).toBe(net.evaluate(Xf, Yf).accuracy);
      const ref = totalGradient(cfg, W, b, X, Y);
      expect(ins.layers).toHaveLength(layers.length - 1);
      ins.layers.forEach((s, i) => {
        // Float32Array by contract (the page draws them): compare at float32 precision
        expect(s.gradW).toBeInstanceOf(Float32Array);
        expect(maxRelDiff(rows(s.gradW, layers[i]), ref.grad_W[i], 1e-3)).toBeLessThan(1e-6);
        expect(maxRelDiff([Array.from(s.gradB)], [ref.grad_b[i]], 1e-3)).toBeLessThan(1e-6);
        const frob = Math.sqrt(ref.grad_W[i].flat().reduce((p, g) => p + g * g, 0));
        expect(s.gradWNorm).toBeCloseTo(frob, 12);
        expect(s.gradBNorm).toBeCloseTo(Math.hypot(...ref.grad_b[i]), 12);
      });
      net.dispose();
    });
  }

  it('deltaNorm is the RMS of the per-example ‖δ^l‖, saturation counts σ\'(z) < 5 % of its maximum, dead a ReLU\'s z ≤ 0', () => {
    for (const activation of ['sigmoid', 'tanh', 'relu', 'linear']) {
      const layers = [2, 6, 5, 1];
      const net = bp.createNetwork({ layers, activation, outputActivation: 'sigmoid', cost: 'quadratic', init: 'nielsen', seed: 2 });
      const W1 = net.layer(1).W.map((w) => 3 * w);  // large weights: some neurons saturate on some examples
      net.setWeights(1, W1);
      const { X, Y, Xf, Yf } = data(150, 2, 1, 5, { spread: 4 });
      net.setData(Xf, Yf);
      const ins = net.inspect();
      const cfg = configOf({ layers, activation, output_activation: 'sigmoid', cost: 'quadratic' });
      const { W, b } = params(net);
      const L = layers.length - 1;
      const sq = new Array(L).fill(0);
      const sat = layers.slice(1).map((n) => new Array(n).fill(0));
      const dead = layers.slice(1).map((n) => new Array(n).fill(0));
      for (let i = 0; i < X.length; i++) {
        const r = backprop(cfg, W, b, X[i], Y[i]);
        for (let l = 0; l < L; l++) {
          sq[l] += r.delta[l].reduce((p, d) => p + d * d, 0);
          const f = l === L - 1 ? 'sigmoid' : activation;
          r.z[l].forEach((z, j) => {
            if (f === 'relu') dead[l][j] += z <= 0 ? 1 : 0;  // dead, not saturated
            else if (f !== 'linear') sat[l][j] += ACT[f].df(z) < 0.05 * (f === 'sigmoid' ? 0.25 : 1) ? 1 : 0;
          });
        }
      }
      let partial = false;
      ins.layers.forEach((s, l) => {
        expect(s.deltaNorm).toBeCloseTo(Math.sqrt(sq[l] / X.length), 12);
        expect(s.saturation).toBeInstanceOf(Float32Array);
        expect(Array.from(s.saturation)).toEqual(sat[l].map((k) => Math.fround(k / X.length)));
        expect(Array.from(s.dead)).toEqual(dead[l].map((k) => Math.fround(k / X.length)));
        expect(s.sigmaPrimeCancels).toBe(false);  // the quadratic cost: σ' does not cancel
        partial ||= sat[l].some((k) => k > 0 && k < X.length) || dead[l].some((k) => k > 0 && k < X.length);
      });
      if (activation !== 'linear') expect(partial, activation).toBe(true);
      net.dispose();
    }
  });

  it('float32 networks agree with float64 ones', () => {
    const opts = { layers: [7, 16, 16, 1], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'], seed: 3 };
    const d = bp.dataset('spiral', { n: 700, noise: 0.1, seed: 2 });
    const f64 = bp.createNetwork({ ...opts, precision: 'float64' });
    const f32 = bp.createNetwork({ ...opts, precision: 'float32' });
    f64.setData(d.inputs, d.targets);
    f32.setData(d.inputs, d.targets);
    const a = f64.inspect({ l2: 0.01 }), b = f32.inspect({ l2: 0.01 });
    expect(b.cost).toBeCloseTo(a.cost, 5);
    expect(b.accuracy).toBe(a.accuracy);
    a.layers.forEach((s, l) => {
      expect(b.layers[l].deltaNorm).toBeCloseTo(s.deltaNorm, 5);
      s.gradW.forEach((g, i) => expect(Math.abs(b.layers[l].gradW[i] - g)).toBeLessThan(1e-5));
    });
    f64.dispose();
    f32.dispose();
  });

  it('leaves training alone: same weights as without it, layer(l) still the last step', () => {
    const d = bp.dataset('moons', { n: 230, noise: 0.1, seed: 8 });
    const make = () => {
      const n = bp.createNetwork({ layers: [2, 8, 8, 1], activation: 'tanh', precision: 'float32', seed: 6 });
      n.setData(d.inputs, d.targets);
      return n;
    };
    const a = make(), b = make();
    for (let i = 0; i < 7; i++) {
      const opts = { steps: 3, batchSize: 10, learningRate: 0.2, shuffle: true, l2: 0.01 };
      a.train(opts);
      b.train(opts);
      const before = a.layer(2);
      const ins = a.inspect({ l2: 0.01 });
      expect(ins.layers[1].gradW).not.toEqual(before.gradW);  // a different pass (all 230 examples, not 10)…
      expect(a.layer(2)).toEqual(before);                     // …that layer(l) does not show
    }
    expect(a.toJSON()).toEqual(b.toJSON());
    a.dispose();
    b.dispose();
  });

  it('returns fresh, separately transferable arrays, and allocates nothing after the first call', () => {
    const d = bp.dataset('spiral', { n: 2000, noise: 0.1, seed: 1 });
    const net = bp.createNetwork({ layers: [7, 16, 16, 16, 16, 16, 16, 16, 16, 1], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', precision: 'float32', features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] });
    net.setData(d.inputs, d.targets);
    const first = net.inspect();
    const buffers = new Set(first.layers.flatMap((s) => [s.gradW.buffer, s.gradB.buffer, s.saturation.buffer]));
    expect(buffers.size).toBe(3 * 9);
    for (const s of first.layers) expect(s.gradW.buffer.byteLength).toBe(s.gradW.length * 4);
    const heap = bp.heapInUse(), memory = bp.memoryBytes(), handles = bp.handleCount();
    for (let i = 0; i < 50; i++) net.inspect(i % 2 ? { l1: 0.001 } : { l2: 0.001 });
    expect(bp.heapInUse()).toBe(heap);
    expect(bp.memoryBytes()).toBe(memory);
    expect(bp.handleCount()).toBe(handles);
    net.dispose();
  });

  it('bad input is an Error naming the field', () => {
    const net = bp.createNetwork({ layers: [2, 3, 1] });
    expect(() => net.inspect()).toThrow(/inspect: no training data/);
    net.setData([0, 1, 1, 0], [1, 0]);
    expect(() => net.inspect({ l2: -1 })).toThrow(/l2: must be a finite number ≥ 0, got -1/);
    expect(() => net.inspect({ l1: 0.1, l2: 0.1 })).toThrow(/l1\/l2: choose one/);
    expect(() => net.inspect({ lambda: 1 })).toThrow(/inspect options: unknown option 'lambda'/);
    expect(net.inspect().layers).toHaveLength(2);
    net.dispose();
    expect(() => net.inspect()).toThrow(/dispose/);
  });
});

describe('neuronGrid', () => {
  it('is every neuron\'s a^l over the grid: the output block is grid(), hidden neurons as computed by hand', () => {
    const layers = [2, 3, 4, 2];
    for (const precision of ['float64', 'float32']) {
      const net = bp.createNetwork({ layers, activation: 'tanh', outputActivation: 'sigmoid', init: 'nielsen', seed: 5, precision });
      const res = 9, extent = 4;
      const all = net.neuronGrid({ resolution: res, extent });
      expect(all).toBeInstanceOf(Float32Array);
      expect(all).toHaveLength((3 + 4 + 2) * res * res);
      expect(all.slice((3 + 4) * res * res)).toEqual(net.grid({ resolution: res, extent }));
      const cfg = configOf({ layers, activation: 'tanh', output_activation: 'sigmoid' });
      const { W, b } = params(net);
      let worst = 0;
      const step = (2 * extent) / res;
      for (let row = 0; row < res; row++) {
        for (let col = 0; col < res; col++) {
          const x = [-extent + (col + 0.5) * step, extent - (row + 0.5) * step];  // row 0 at the top
          const { a } = feedforward(cfg, W, b, x);
          let offset = 0;
          for (let l = 1; l < layers.length; l++) {
            a[l].forEach((v, j) => { worst = Math.max(worst, Math.abs(all[(offset + j) * res * res + row * res + col] - v)); });
            offset += layers[l];
          }
        }
      }
      expect(worst).toBeLessThan(2e-4);  // the grid's picture tanh: within 1e-4 of tanh, plus float rounding
      net.dispose();
    }
  });

  it('defaults to resolution 24 and extent 6, and checks its options like grid()', () => {
    const net = bp.createNetwork({ layers: [2, 5, 1], activation: 'relu', outputActivation: 'linear', seed: 3 });
    const g = net.neuronGrid();
    expect(g).toHaveLength(6 * 24 * 24);
    expect(g.slice(5 * 576)).toEqual(net.grid({ resolution: 24, extent: 6 }));
    expect(net.neuronGrid({ resolution: 24, extent: 6 })).toEqual(g);
    expect(() => net.neuronGrid({ resolution: 0 })).toThrow(/resolution: must be an integer in \[1, 1024\], got 0/);
    expect(() => net.neuronGrid({ resolution: 2.5 })).toThrow(/resolution/);
    expect(() => net.neuronGrid({ extent: -1 })).toThrow(/extent: must be a finite number > 0, got -1/);
    expect(() => net.neuronGrid({ size: 3 })).toThrow(/neuronGrid options: unknown option 'size'/);
    net.dispose();
    const wide = bp.createNetwork({ layers: [2, 4096, 1], precision: 'float32' });
    expect(() => wide.neuronGrid({ resolution: 1024 })).toThrow(/resolution: 4097 neurons × 1024² cells/);
    wide.dispose();
  });
});
