// The JS API end to end, against the real .wasm.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadBackprop, ACTIVATIONS, OUTPUT_ACTIVATIONS, COSTS } from 'backprop-lab';
import { lcg } from './helpers.js';

let bp;
beforeAll(async () => { bp = await loadBackprop(); });

const bits = (net) => JSON.stringify(net.toJSON());
function randomData(n, inWidth, outWidth, seed, { lo = -2, hi = 2, tlo = 0, thi = 1 } = {}) {
  const r = lcg(seed);
  return {
    X: Float64Array.from({ length: n * inWidth }, () => r(lo, hi)),
    Y: Float64Array.from({ length: n * outWidth }, () => r(tlo, thi)),
  };
}

describe('createNetwork', () => {
  it('applies the documented defaults', () => {
    const net = bp.createNetwork({ layers: [2, 3, 1] });
    expect(net.config).toMatchObject({
      layers: [2, 3, 1], activation: 'sigmoid', outputActivation: 'sigmoid', cost: 'quadratic', init: 'xavier',
      seed: 1, precision: 'float64', features: null,
    });
    expect(net.layers).toEqual([2, 3, 1]);
    expect(net.inputWidth).toBe(2);
    expect(net.outputs).toBe(1);
    expect(net.parameterCount).toBe(2 * 3 + 3 + 3 * 1 + 1);
    const j = net.toJSON();
    expect(j.format).toBe('backprop-lab/network');
    expect(j.weights.map((W) => [W.length, W[0].length])).toEqual([[3, 2], [1, 3]]);
    // xavier: uniform in ±sqrt(6 / (n_in + n_out)), biases 0
    const r1 = Math.sqrt(6 / 5);
    for (const w of j.weights[0].flat()) expect(Math.abs(w)).toBeLessThanOrEqual(r1);
    expect(j.weights[0].flat().some((w) => w !== 0)).toBe(true);
    expect(j.biases).toEqual([[0, 0, 0], [0]]);
    // outputActivation defaults to the hidden activation
    expect(bp.createNetwork({ layers: [2, 2], activation: 'tanh' }).config.outputActivation).toBe('tanh');
    net.dispose();
    expect(net.disposed).toBe(true);
    expect(() => net.predict([0, 0])).toThrow(/dispose/);
    net.dispose();  // idempotent
  });
});

describe('training', () => {
  for (const precision of ['float64', 'float32']) {
    for (const name of ['circle', 'xor', 'spiral']) {
      it(`lowers the cost on ${name} (${precision})`, () => {
        const d = bp.dataset(name, { n: 300, seed: 3, noise: 0.05 });
        const net = bp.createNetwork({ layers: [2, 10, 10, 1], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', precision, seed: 5 });
        const before = net.evaluate(d.inputs, d.targets).cost;
        let last;
        for (let i = 0; i < 40; i++) last = net.train(d.inputs, d.targets, { learningRate: 0.1, batchSize: 10, epochs: 5, shuffle: true });
        expect(last.diverged).toBe(false);
        expect(last.steps).toBe(5 * 30);
        const after = net.evaluate(d.inputs, d.targets);
        expect(after.cost).toBeLessThan(0.8 * before);
        if (name !== 'spiral') expect(after.accuracy).toBeGreaterThan(0.9);
        net.dispose();
      });
    }
  }

  it('float32 and float64 networks with the same seed stay close', () => {
    const d = bp.dataset('circle', { n: 200, seed: 2 });
    const opts = { layers: [2, 6, 1], activation: 'tanh', seed: 9 };
    const a = bp.createNetwork({ ...opts, precision: 'float64' });
    const b = bp.createNetwork({ ...opts, precision: 'float32' });
    const pts = bp.dataset('circle', { n: 50, seed: 8 }).inputs;
    expect(Array.from(b.predict(pts))).not.toEqual(Array.from(a.predict(pts)));  // really different precisions
    for (let i = 0; i < 5; i++) {
      a.train(d.inputs, d.targets, { learningRate: 0.05, epochs: 2 });
      b.train(d.inputs, d.targets, { learningRate: 0.05, epochs: 2 });
    }
    const pa = a.predict(pts), pb = b.predict(pts);
    for (let i = 0; i < pa.length; i++) expect(Math.abs(pa[i] - pb[i])).toBeLessThan(1e-4);
    expect(Math.abs(a.evaluate(d.inputs, d.targets).cost - b.evaluate(d.inputs, d.targets).cost)).toBeLessThan(1e-5);
  });

  it('batchSize 1 over n examples equals n one-example train calls of steps: 1, in order', () => {
    const { X, Y } = randomData(7, 3, 2, 77);
    const opts = { layers: [3, 4, 2], activation: 'tanh', outputActivation: 'linear', seed: 4 };
    const a = bp.createNetwork(opts), b = bp.createNetwork(opts);
    const r = a.train(X, Y, { learningRate: 0.1, batchSize: 1, epochs: 1 });
    expect(r.steps).toBe(7);
    for (let i = 0; i < 7; i++) b.train(X.slice(3 * i, 3 * i + 3), Y.slice(2 * i, 2 * i + 2), { learningRate: 0.1, steps: 1 });
    expect(a.toJSON()).toEqual(b.toJSON());
    // and the order matters (a reversed order gives other weights)
    const c = bp.createNetwork(opts);
    for (let i = 6; i >= 0; i--) c.train(X.slice(3 * i, 3 * i + 3), Y.slice(2 * i, 2 * i + 2), { learningRate: 0.1, steps: 1 });
    expect(c.toJSON()).not.toEqual(a.toJSON());
  });

  it('steps wrap around into further epochs: steps = 2 epochs of batches equals epochs: 2', () => {
    const { X, Y } = randomData(5, 2, 1, 5);
    const a = bp.createNetwork({ layers: [2, 3, 1], seed: 2 }), b = bp.createNetwork({ layers: [2, 3, 1], seed: 2 });
    expect(a.train(X, Y, { learningRate: 0.5, batchSize: 2, epochs: 2 }).steps).toBe(6);
    expect(b.train(X, Y, { learningRate: 0.5, batchSize: 2, steps: 6 }).steps).toBe(6);
    expect(a.toJSON()).toEqual(b.toJSON());
  });
});

describe('mini-batch position', () => {
  it('successive train calls go on where the last one stopped in the epoch', () => {
    const X = [0.1, 0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8], Y = [1, 0, 1, 0];
    const a = bp.createNetwork({ layers: [2, 3, 1], seed: 4 }), b = bp.createNetwork({ layers: [2, 3, 1], seed: 4 });
    a.setData(X, Y);
    b.setData(X, Y);
    a.train({ steps: 3, batchSize: 2, learningRate: 1 });
    for (let i = 0; i < 3; i++) b.train({ steps: 1, batchSize: 2, learningRate: 1 });
    expect(b.toJSON()).toEqual(a.toJSON());
    b.setData(X, Y);  // new data start at the first batch again
    a.setData(X, Y);
    a.train({ steps: 1, batchSize: 2, learningRate: 1 });
    b.train({ steps: 1, batchSize: 2, learningRate: 1 });
    expect(b.toJSON()).toEqual(a.toJSON());
    a.dispose();
    b.dispose();
  });

  it('a batch size beyond 32 bits means one batch of everything', () => {
    const net = bp.createNetwork({ layers: [2, 3, 1], seed: 4 }), ref = bp.createNetwork({ layers: [2, 3, 1], seed: 4 });
    const X = [0.1, 0.2, 0.3, 0.4], Y = [1, 0];
    expect(net.train(X, Y, { batchSize: 2 ** 31, epochs: 2 }).steps).toBe(2);
    ref.train(X, Y, { batchSize: 2, epochs: 2 });
    expect(net.toJSON()).toEqual(ref.toJSON());
    net.dispose();
    ref.dispose();
  });
});

describe('predict and grid', () => {
  it('predict returns n × outputs values, row-major', () => {
    const net = bp.createNetwork({ layers: [2, 5, 3], outputActivation: 'softmax', seed: 3 });
    const pts = [0.5, -1, 2, 3, -4, 0.25];
    const out = net.predict(pts);
    expect(out).toBeInstanceOf(Float64Array);
    expect(out.length).toBe(3 * 3);
    for (let i = 0; i < 3; i++) {
      const one = net.predict(pts.slice(2 * i, 2 * i + 2));
      expect(Array.from(out.slice(3 * i, 3 * i + 3))).toEqual(Array.from(one));
      expect(one[0] + one[1] + one[2]).toBeCloseTo(1, 12);  // softmax rows sum to 1
    }
    expect(net.predict(new Float32Array([1, 2])).length).toBe(3);
  });

  for (const [layers, extra] of [[[2, 6, 1], {}], [[2, 5, 3], { outputActivation: 'softmax' }], [[3, 4, 2], {}]]) {
    it(`grid: length res²·outputs, value at (row, col) ≈ predict at the cell centre (${layers.join('-')})`, () => {
      const net = bp.createNetwork({ layers, seed: 11, activation: 'tanh', ...extra });
      const res = 7, extent = 3.5;
      const g = net.grid({ resolution: res, extent });
      const k = layers.at(-1);
      expect(g).toBeInstanceOf(Float32Array);
      expect(g.length).toBe(res * res * k);
      const step = (2 * extent) / res;
      for (let r = 0; r < res; r++) {
        for (let c = 0; c < res; c++) {
          const x1 = -extent + (c + 0.5) * step, x2 = extent - (r + 0.5) * step;
          const p = net.predict(layers[0] === 2 ? [x1, x2] : [x1, x2, ...Array(layers[0] - 2).fill(0)]);
          for (let j = 0; j < k; j++) {
            // the grid is a picture: its tanh is accurate to 1e-4 (README, "grid"), predict's to rounding
            expect(Math.abs(g[j * res * res + r * res + c] - p[j])).toBeLessThanOrEqual(1e-4);
          }
        }
      }
      // the grid is not symmetric: swapping row and column gives other values
      let asym = 0;
      for (let r = 0; r < res; r++) for (let c = 0; c < res; c++) asym += Math.abs(g[r * res + c] - g[c * res + r]);
      expect(asym).toBeGreaterThan(0);
      expect(net.grid().length).toBe(100 * 100 * k);  // default resolution 100
    });
  }
});

describe('layer(l)', () => {
  it('has the right shapes, and z/a/delta/gradW change after a train call', () => {
    const net = bp.createNetwork({ layers: [2, 4, 3, 1], activation: 'tanh', seed: 6 });
    const d = bp.dataset('xor', { n: 40, seed: 1 });
    net.train(d.inputs, d.targets, { learningRate: 0.1, batchSize: 8, steps: 1 });
    const before = [1, 2, 3].map((l) => net.layer(l));
    const sizes = [2, 4, 3, 1];
    before.forEach((L, i) => {
      const l = i + 1;
      expect(L.rows).toBe(sizes[l]);
      expect(L.cols).toBe(sizes[l - 1]);
      expect(L.batchSize).toBe(8);
      expect(L.W.length).toBe(sizes[l] * sizes[l - 1]);
      expect(L.gradW.length).toBe(sizes[l] * sizes[l - 1]);
      expect(L.b.length).toBe(sizes[l]);
      expect(L.gradB.length).toBe(sizes[l]);
      for (const key of ['z', 'a', 'delta']) expect(L[key].length).toBe(sizes[l] * 8);
      // a = tanh(z) everywhere (outputActivation defaults to activation)
      L.z.forEach((z, q) => expect(L.a[q]).toBeCloseTo(Math.tanh(z), 12));
    });
    net.train({ learningRate: 0.1, batchSize: 8, steps: 1 });  // the next mini-batch (data from the last call)
    const after = [1, 2, 3].map((l) => net.layer(l));
    for (let i = 0; i < 3; i++) {
      for (const key of ['W', 'z', 'a', 'delta', 'gradW']) {
        expect(Array.from(after[i][key]), `layer ${i + 1} ${key}`).not.toEqual(Array.from(before[i][key]));
      }
    }
    // the copies are detached: training does not change an earlier result
    const snap = Array.from(before[0].W);
    net.train({ learningRate: 0.1, epochs: 1 });
    expect(Array.from(before[0].W)).toEqual(snap);
    expect(() => net.layer(0)).toThrow(/layer/);
    expect(() => net.layer(4)).toThrow(/layer/);
  });
});

describe('features', () => {
  it('expand 2D points; layers[0] is the feature count; equals a raw network fed the expanded inputs', () => {
    const features = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
    const net = bp.createNetwork({ layers: [7, 5, 1], features, activation: 'tanh', seed: 8 });
    expect(net.inputWidth).toBe(2);
    expect(net.config.features).toEqual(features);
    const raw = bp.networkFromJSON({ ...net.toJSON(), features: undefined });
    expect(raw.inputWidth).toBe(7);
    const pts = [0.5, -1.5, 2, 0.25, -3, 4];
    const expanded = [];
    for (let i = 0; i < pts.length; i += 2) {
      const [x1, x2] = [pts[i], pts[i + 1]];
      expanded.push(x1, x2, x1 * x1, x2 * x2, x1 * x2, Math.sin(x1), Math.sin(x2));
    }
    const a = net.predict(pts), b = raw.predict(expanded);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 12);
    // training takes 2D points too
    const d = bp.dataset('circle', { n: 100, seed: 4 });
    const before = net.evaluate(d.inputs, d.targets).cost;
    net.train(d.inputs, d.targets, { learningRate: 0.3, epochs: 30 });
    expect(net.evaluate(d.inputs, d.targets).cost).toBeLessThan(before);
    expect(() => net.predict([1, 2, 3, 4, 5, 6, 7])).toThrow(/points/);  // 7 values are not 2D points
  });

  it('a subset in any order is put in canonical order; layers[0] must equal the count', () => {
    const net = bp.createNetwork({ layers: [3, 2, 1], features: ['x1sq', 'x1', 'x2'], seed: 1 });
    expect(net.config.features).toEqual(['x1', 'x2', 'x1sq']);
    expect(net.predict([1, 2, 3, 4]).length).toBe(2);
    expect(() => bp.createNetwork({ layers: [2, 2, 1], features: ['x1sq', 'x1', 'x2'] })).toThrow(/layers\[0\].*3.*2/);
  });
});

describe('multiclass', () => {
  for (const [name, layers, epochs] of [['blobs', [2, 8, 3], 40], ['spiral3', [2, 16, 16, 3], 300]]) {
    it(`${name} with softmax + cross_entropy reaches > 80 % train accuracy`, () => {
      const d = bp.dataset(name, { n: 300, seed: 1, noise: 0.05 });
      expect(d.kind).toBe('multiclass');
      expect(d.outputs).toBe(3);
      const net = bp.createNetwork({ layers, activation: 'tanh', outputActivation: 'softmax', cost: 'cross_entropy', seed: 2 });
      const first = net.evaluate(d.inputs, d.targets).accuracy;
      net.setData(d.inputs, d.targets);
      for (let i = 0; i < epochs / 10; i++) expect(net.train({ learningRate: 0.05, batchSize: 10, epochs: 10, shuffle: true }).diverged).toBe(false);
      const acc = net.evaluate(d.inputs, d.targets).accuracy;
      expect(acc).toBeGreaterThan(0.8);
      expect(acc).toBeGreaterThan(first);
    });
  }
});

describe('toJSON / networkFromJSON', () => {
  for (const precision of ['float64', 'float32']) {
    it(`round-trips through a JSON string and predicts identically (${precision})`, () => {
      const net = bp.createNetwork({ layers: [2, 5, 4, 2], activation: 'relu', outputActivation: 'sigmoid', init: 'he', seed: 12, precision, features: null });
      const d = bp.dataset('xor', { n: 60, seed: 2 });
      const Y2 = Float64Array.from(Array.from(d.targets).flatMap((t) => [t, 1 - t]));  // two outputs
      net.train(d.inputs, Y2, { learningRate: 0.1, epochs: 3 });
      const text = JSON.stringify(net.toJSON());
      const copy = bp.networkFromJSON(text);
      expect(copy.config).toEqual(net.config);
      expect(JSON.stringify(copy.toJSON())).toBe(text);
      const pts = bp.dataset('circle', { n: 80, seed: 3 }).inputs;
      expect(Array.from(copy.predict(pts))).toEqual(Array.from(net.predict(pts)));
      expect(Array.from(copy.grid({ resolution: 16 }))).toEqual(Array.from(net.grid({ resolution: 16 })));
      // the object form works too, and the copy is independent of the original
      const copy2 = bp.networkFromJSON(net.toJSON());
      net.train(d.inputs, Y2, { learningRate: 0.1, epochs: 1 });
      expect(JSON.stringify(copy2.toJSON())).toBe(text);
      expect(JSON.stringify(net.toJSON())).not.toBe(text);
    });
  }

  // The engine's layer products read W and b as they are at each call (no transposed or packed copy kept):
  // weights loaded into a network that has already predicted, trained and drawn a grid give exactly the
  // numbers of a network built from them. Layers of 9 and 8 take the kernels' transposed forward path.
  for (const precision of ['float64', 'float32']) {
    it(`weights loaded into a used network are the ones it computes with (${precision})`, () => {
      const opts = { layers: [2, 9, 8, 1], activation: 'tanh', outputActivation: 'tanh', precision };
      const used = bp.createNetwork({ ...opts, seed: 3 }), source = bp.createNetwork({ ...opts, seed: 4 });
      const d = bp.dataset('spiral', { n: 60, seed: 2 });
      used.setData(d.inputs, d.targets);
      used.train({ learningRate: 0.1, epochs: 2 });
      const pts = bp.dataset('circle', { n: 50, seed: 3 }).inputs;
      const before = Array.from(used.predict(pts));
      used.grid({ resolution: 16 });
      const json = source.toJSON();
      json.weights.forEach((W, l) => used.setWeights(l + 1, W.flat()));
      json.biases.forEach((b, l) => used.setBiases(l + 1, b));
      const fresh = bp.networkFromJSON(JSON.stringify(json));
      expect(Array.from(used.predict(pts))).toEqual(Array.from(fresh.predict(pts)));
      expect(Array.from(used.predict(pts))).not.toEqual(before);
      expect(Array.from(used.grid({ resolution: 16 }))).toEqual(Array.from(fresh.grid({ resolution: 16 })));
      // and training from them: the same epoch, bit for bit
      fresh.setData(d.inputs, d.targets);
      used.train({ learningRate: 0.1, epochs: 1 });
      fresh.train({ learningRate: 0.1, epochs: 1 });
      expect(JSON.stringify(used.toJSON().weights)).toBe(JSON.stringify(fresh.toJSON().weights));
      for (const net of [used, source, fresh]) net.dispose();
    });
  }

  it('keeps features', () => {
    const net = bp.createNetwork({ layers: [3, 2, 1], features: ['x1', 'x2', 'x1x2'], seed: 5 });
    const copy = bp.networkFromJSON(JSON.stringify(net.toJSON()));
    expect(copy.config.features).toEqual(['x1', 'x2', 'x1x2']);
    expect(Array.from(copy.predict([1, -2]))).toEqual(Array.from(net.predict([1, -2])));
  });
});

describe('determinism', () => {
  function run(seed, precision) {
    const d = bp.dataset('moons', { n: 120, seed, noise: 0.2, testRatio: 0.25 });
    const net = bp.createNetwork({ layers: [2, 6, 6, 1], activation: 'tanh', init: 'nielsen', seed, precision });
    const costs = [];
    for (let i = 0; i < 5; i++) costs.push(net.train(d.inputs, d.targets, { learningRate: 0.2, batchSize: 7, epochs: 2, shuffle: true }).cost);
    const out = { json: net.toJSON(), costs, grid: Array.from(net.grid({ resolution: 12 })), data: Array.from(d.inputs) };
    net.dispose();
    return out;
  }
  for (const precision of ['float64', 'float32']) {
    it(`same seed → identical results bit for bit; different seed → different (${precision})`, () => {
      const a = run(3, precision), b = run(3, precision), c = run(4, precision);
      expect(a).toEqual(b);
      expect(Object.is(a.costs[4], b.costs[4])).toBe(true);
      expect(c.json.weights).not.toEqual(a.json.weights);
      expect(c.costs).not.toEqual(a.costs);
      expect(c.data).not.toEqual(a.data);
    });
  }

  it('shuffle changes the result (and is seeded)', () => {
    const d = bp.dataset('circle', { n: 50, seed: 1 });
    const mk = () => bp.createNetwork({ layers: [2, 3, 1], seed: 1 });
    const [p, q, s] = [mk(), mk(), mk()];
    p.train(d.inputs, d.targets, { learningRate: 0.5, batchSize: 5, epochs: 3, shuffle: true });
    q.train(d.inputs, d.targets, { learningRate: 0.5, batchSize: 5, epochs: 3, shuffle: true });
    s.train(d.inputs, d.targets, { learningRate: 0.5, batchSize: 5, epochs: 3 });
    expect(p.toJSON()).toEqual(q.toJSON());
    expect(p.toJSON()).not.toEqual(s.toJSON());
  });
});

describe('gradientCheck through the JS API', () => {
  const combos = [];
  for (const hidden of ACTIVATIONS) {
    for (const output of OUTPUT_ACTIVATIONS) {
      for (const cost of COSTS) {
        if (cost === 'cross_entropy' && output !== 'sigmoid' && output !== 'softmax') continue;
        combos.push([hidden, output, cost]);
      }
    }
  }
  it('covers every valid hidden × output × cost combination', () => {
    expect(combos.length).toBe(ACTIVATIONS.length * (3 + 2 * 2));
  });
  for (const [hidden, output, cost] of combos) {
    for (const l2 of [0, 0.3]) {
      it(`${hidden} / ${output} / ${cost}${l2 ? ', l2 0.3' : ''}: max relative error ≤ 1e-6`, () => {
        const k = 3;
        const net = bp.createNetwork({ layers: [2, 5, 4, k], activation: hidden, outputActivation: output, cost, init: 'nielsen', seed: 21 });
        const r = lcg(99);
        const n = 6;
        const X = Array.from({ length: 2 * n }, () => r(-2, 2));
        let Y;
        if (output === 'softmax') Y = Array.from({ length: n }, (_, i) => [0, 1, 2].map((j) => (j === i % 3 ? 1 : 0))).flat();
        else if (output === 'sigmoid') Y = Array.from({ length: k * n }, () => r(0, 1));
        else Y = Array.from({ length: k * n }, () => r(-1, 1));
        const res = net.gradientCheck(X, Y, l2 ? { l2 } : {});
        expect(res.parameters).toBe(net.parameterCount);
        expect(res.checked).toBe(net.parameterCount);
        expect(res.maxRelativeError).toBeLessThanOrEqual(1e-6);
      });
    }
  }

  // C_x = −Σ_j y_j ln a_j has ∂C_x/∂z_k = (Σ_j y_j) a_k − y_k; the engine uses a_k − y_k (Nielsen eq. 84),
  // which is the gradient only when the targets sum to 1. Either such targets are rejected, or the
  // gradient must be the gradient of the cost the engine reports.
  it('softmax + cross_entropy with targets that do not sum to 1: rejected, or the exact gradient', () => {
    const net = bp.createNetwork({ layers: [2, 3, 3], outputActivation: 'softmax', cost: 'cross_entropy', seed: 1 });
    let res;
    try { res = net.gradientCheck([0.5, -1], [1, 1, 0]); } catch (e) { expect(e.message).toMatch(/targets/); return; }
    expect(res.maxRelativeError).toBeLessThanOrEqual(1e-6);
  });

  it('uses the training data when called without data, and maxParameters samples', () => {
    const net = bp.createNetwork({ layers: [2, 8, 1], seed: 2 });
    const d = bp.dataset('gauss', { n: 30, seed: 2 });
    net.train(d.inputs, d.targets, { learningRate: 0.1, epochs: 1 });
    const all = net.gradientCheck();
    expect(all.checked).toBe(net.parameterCount);
    expect(all.maxRelativeError).toBeLessThanOrEqual(1e-6);
    const some = net.gradientCheck({ maxParameters: 5, l2: 0.1 });
    expect(some.checked).toBe(5);
    expect(some.parameters).toBe(net.parameterCount);
    // more than there are (even beyond 32 bits) means all of them
    expect(net.gradientCheck({ maxParameters: 2 ** 32 }).checked).toBe(net.parameterCount);
  });

  it('reports its progress: onProgress(done, total) after each parameter, the same result as without it', () => {
    const net = bp.createNetwork({ layers: [2, 8, 8, 1], activation: 'tanh', seed: 4 });
    const d = bp.dataset('spiral', { n: 40, seed: 1 });
    net.train(d.inputs, d.targets, { learningRate: 0.1, epochs: 2 });
    const calls = [];
    const r = net.gradientCheck({ maxParameters: 30, onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual(Array.from({ length: 30 }, (_, i) => [i + 1, 30]));
    expect(r.checked + r.skipped).toBe(30);
    expect(r).toEqual(net.gradientCheck({ maxParameters: 30 }));
    // every parameter when the net is small enough: total is the parameter count
    const all = [];
    net.gradientCheck({ onProgress: (done, total) => all.push(total) });
    expect(all.length).toBe(net.parameterCount);
    expect(new Set(all)).toEqual(new Set([net.parameterCount]));
    // a callback that throws stops the check with its error; the network is untouched and checks again
    const before = net.toJSON();
    expect(() => net.gradientCheck({ onProgress: (done) => { if (done === 3) throw new Error('stop at 3'); } })).toThrow(/stop at 3/);
    expect(net.toJSON()).toEqual(before);
    expect(net.gradientCheck({ maxParameters: 30 })).toEqual(r);
  });

  it('under L1, weights at the kink of |w| are skipped instead of failing the check', () => {
    const net = bp.createNetwork({ layers: [2, 6, 1], activation: 'tanh', seed: 3 });
    const d = bp.dataset('circle', { n: 40, seed: 1 });
    const W = net.layer(1).W;
    W[0] = 1e-9; W[1] = -1e-9; W[2] = 2e-10; W[3] = 1e-12;
    net.setWeights(1, W);
    const r = net.gradientCheck(d.inputs, d.targets, { l1: 0.5 });
    expect(r.maxRelativeError).toBeLessThanOrEqual(1e-6);
    expect(r.skipped).toBeGreaterThanOrEqual(4);
    expect(r.checked + r.skipped).toBe(r.parameters);
  });
});

describe('divergence', () => {
  it('a huge learning rate on a linear output: diverged, message says so, weights kept, network still works', () => {
    const net = bp.createNetwork({ layers: [2, 3, 1], activation: 'tanh', outputActivation: 'linear', seed: 7 });
    const X = [1, 2, -1, 0.5, 0.3, -2], Y = [100, -50, 80];
    const before = net.toJSON();
    const r = net.train(X, Y, { learningRate: 1e308, batchSize: 3, epochs: 1 });
    expect(r.diverged).toBe(true);
    expect(r.message).toMatch(/diverged/);
    expect(r.steps).toBe(0);
    expect(net.toJSON()).toEqual(before);  // the first step diverged: nothing changed
    // the network still works: predictions are finite and sane training lowers the cost
    for (const v of net.predict([0.1, 0.2])) expect(Number.isFinite(v)).toBe(true);
    const c0 = net.evaluate(X, Y).cost;
    const ok = net.train({ learningRate: 0.001, batchSize: 3, epochs: 20 });
    expect(ok.diverged).toBe(false);
    expect(ok.message).toBeUndefined();
    expect(net.evaluate(X, Y).cost).toBeLessThan(c0);
  });

  it('a step whose (finite) weights make the cost infinite is taken back', () => {
    const net = bp.createNetwork({ layers: [1, 1], activation: 'linear', seed: 1 });
    const before = net.toJSON();
    // with η = 1e200 the first step lands near w = 1e200 (finite), but then the cost overflows to ∞
    const r = net.train([1], [1], { learningRate: 1e200, steps: 5 });
    expect(r.diverged).toBe(true);
    expect(r.steps).toBe(0);
    expect(net.toJSON()).toEqual(before);
    // the cost reported is C at the weights kept (not 0, not null, not a figure from the diverged steps)
    expect(r.cost).toBe(net.evaluate([1], [1]).cost);
    expect(Number.isFinite(r.cost)).toBe(true);
    expect(r.restoredEpoch).toBe(0);
    expect(net.epochs).toBe(0);
  });

  it('a step that sends a weight to ±∞ behind a dead ReLU is taken back even though the cost stays finite', () => {
    // relu hidden unit with b = −0.99 on x = 1: a huge step sends w^2 to −∞, the unit's output is then 0·…
    const spec = { layers: [1, 1, 1], activation: 'relu', output_activation: 'sigmoid', cost: 'quadratic',
      weights: [[[1]], [[100]]], biases: [[-0.99], [0]], inputs: [[1]], targets: [[0]], steps: 3, batch_size: 1, learning_rate: 1e308 };
    const t = bp.trace(spec);
    expect(t.diverged).toBe(true);
    for (const v of [t.weights_final, t.biases_final].flat(3)) expect(Number.isFinite(v)).toBe(true);
    const net = bp.networkFromJSON({ layers: [1, 1, 1], activation: 'relu', outputActivation: 'sigmoid', weights: spec.weights, biases: spec.biases });
    net.setData([1], [0]);
    expect(net.train({ steps: 3, batchSize: 1, learningRate: 1e308 }).diverged).toBe(true);
    for (const w of net.toJSON().weights.flat(2)) expect(Number.isFinite(w)).toBe(true);
    const again = net.train({ steps: 1, learningRate: 0.1 });  // and it trains again
    expect(again.diverged).toBe(false);
    expect(again.steps).toBe(1);
    net.dispose();
  });

  it('after a divergence in the middle of training the cost on the data is finite', () => {
    const net = bp.createNetwork({ layers: [2, 4, 1], activation: 'relu', outputActivation: 'linear', seed: 3, init: 'he' });
    const d = bp.dataset('plane', { n: 200, seed: 2 });
    net.setData(d.inputs, d.targets);
    expect(net.train({ learningRate: 0.01, epochs: 2 }).diverged).toBe(false);
    const r = net.train({ learningRate: 10, epochs: 50 });
    expect(r.diverged).toBe(true);
    expect(Number.isFinite(net.evaluate(d.inputs, d.targets).cost)).toBe(true);
    for (const w of net.toJSON().weights.flat(2)) expect(Number.isFinite(w)).toBe(true);
  });
});
