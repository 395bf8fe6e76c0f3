import { describe, it, expect } from 'vitest';
import {
  buildNetwork,
  trainEpoch,
  predict,
  gridForward,
  getWeights,
} from '../../bench/baseline.js';

// ---------------------------------------------------------------------------
// Independent oracle: plain nested arrays, matrix form, no objects.
// W[l][i][j] (layer l = 0..L-1 maps a^(l) -> a^(l+1)), b[l][i].
// ---------------------------------------------------------------------------
const act = {
  sigmoid: [(z) => 1 / (1 + Math.exp(-z)), (z) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); }],
  tanh: [(z) => Math.tanh(z), (z) => 1 - Math.tanh(z) ** 2],
  relu: [(z) => (z > 0 ? z : 0), (z) => (z > 0 ? 1 : 0)],
  linear: [(z) => z, () => 1],
};

function oracleForward(W, b, x, hidden, out) {
  const zs = [];
  const as = [x.slice()];
  for (let l = 0; l < W.length; l++) {
    const f = l === W.length - 1 ? act[out][0] : act[hidden][0];
    const z = W[l].map((row, i) => row.reduce((s, w, j) => s + w * as[l][j], b[l][i]));
    zs.push(z);
    as.push(z.map(f));
  }
  return { zs, as };
}

function oracleGrad(W, b, x, y, hidden, out) {
  const { zs, as } = oracleForward(W, b, x, hidden, out);
  const L = W.length;
  const aL = as[L];
  const cost = 0.5 * aL.reduce((s, a, i) => s + (y[i] - a) ** 2, 0);
  const gW = W.map((m) => m.map((r) => r.map(() => 0)));
  const gb = b.map((v) => v.map(() => 0));
  let delta = aL.map((a, i) => (a - y[i]) * act[out][1](zs[L - 1][i]));
  for (let l = L - 1; l >= 0; l--) {
    for (let i = 0; i < W[l].length; i++) {
      gb[l][i] = delta[i];
      for (let j = 0; j < W[l][i].length; j++) gW[l][i][j] = delta[i] * as[l][j];
    }
    if (l > 0) {
      const prev = [];
      for (let j = 0; j < W[l][0].length; j++) {
        let s = 0;
        for (let i = 0; i < W[l].length; i++) s += W[l][i][j] * delta[i];
        prev.push(s * act[hidden][1](zs[l - 1][j]));
      }
      delta = prev;
    }
  }
  return { cost, gW, gb };
}

// One epoch of in-order mini-batch SGD; returns mean cost, mutates W, b.
function oracleEpoch(W, b, X, Y, lr, batch, hidden, out) {
  let total = 0;
  for (let start = 0; start < X.length; start += batch) {
    const end = Math.min(start + batch, X.length);
    const m = end - start;
    const sW = W.map((mm) => mm.map((r) => r.map(() => 0)));
    const sb = b.map((v) => v.map(() => 0));
    for (let e = start; e < end; e++) {
      const { cost, gW, gb } = oracleGrad(W, b, X[e], Y[e], hidden, out);
      total += cost;
      for (let l = 0; l < W.length; l++) {
        for (let i = 0; i < W[l].length; i++) {
          sb[l][i] += gb[l][i];
          for (let j = 0; j < W[l][i].length; j++) sW[l][i][j] += gW[l][i][j];
        }
      }
    }
    for (let l = 0; l < W.length; l++) {
      for (let i = 0; i < W[l].length; i++) {
        b[l][i] -= (lr / m) * sb[l][i];
        for (let j = 0; j < W[l][i].length; j++) W[l][i][j] -= (lr / m) * sW[l][i][j];
      }
    }
  }
  return total / X.length;
}

// Helpers to convert between nested oracle form and row-major flat form.
const flatW = (W) => W.map((m) => Float64Array.from(m.flat()));
const flatB = (b) => b.map((v) => Float64Array.from(v));
const nestW = (flat, layers) =>
  flat.map((f, l) =>
    Array.from({ length: layers[l + 1] }, (_, i) => Array.from(f.slice(i * layers[l], (i + 1) * layers[l]))),
  );

function randomParams(layers, seed) {
  let s = seed;
  const r = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const W = [];
  const b = [];
  for (let l = 1; l < layers.length; l++) {
    W.push(Array.from({ length: layers[l] }, () => Array.from({ length: layers[l - 1] }, () => 1.5 * r())));
    b.push(Array.from({ length: layers[l] }, () => r()));
  }
  return { W, b };
}

function randomData(n, d, k, seed) {
  let s = seed;
  const r = () => {
    s = (s * 69069 + 1) % 4294967296;
    return s / 4294967296;
  };
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 4 * r() - 2));
  const Y = Array.from({ length: n }, () => Array.from({ length: k }, () => r()));
  return { X, Y, inputs: Float64Array.from(X.flat()), targets: Float64Array.from(Y.flat()) };
}

function expectClose(actualFlat, expectedNested, tol) {
  const exp = expectedNested.flat(2);
  const act_ = Array.from(actualFlat);
  expect(act_.length).toBe(exp.length);
  for (let i = 0; i < exp.length; i++) {
    expect(Math.abs(act_[i] - exp[i])).toBeLessThanOrEqual(tol);
  }
}

const cases = [
  { name: '2-2-1 sigmoid', layers: [2, 2, 1], hidden: 'sigmoid', out: 'sigmoid' },
  { name: '3-3-2-1 sigmoid', layers: [3, 3, 2, 1], hidden: 'sigmoid', out: 'sigmoid' },
  { name: '2-3-2 tanh/linear', layers: [2, 3, 2], hidden: 'tanh', out: 'linear' },
  { name: '2-4-3-2 relu/tanh', layers: [2, 4, 3, 2], hidden: 'relu', out: 'tanh' },
];

describe('baseline vs plain-array oracle', () => {
  for (const c of cases) {
    for (const batch of [1, 2]) {
      it(`${c.name}, batch ${batch}: weights, biases and costs match over several epochs`, () => {
        const { W, b } = randomParams(c.layers, 7 + c.layers.length);
        const d = c.layers[0];
        const k = c.layers[c.layers.length - 1];
        const n = 5; // odd: with batch 2 the last mini-batch is shorter
        const { X, Y, inputs, targets } = randomData(n, d, k, 42 + d);
        const net = buildNetwork(c.layers, {
          activation: c.hidden,
          outputActivation: c.out,
          weights: flatW(W),
          biases: flatB(b),
        });
        const lr = 0.7;
        for (let epoch = 0; epoch < 3; epoch++) {
          const expCost = oracleEpoch(W, b, X, Y, lr, batch, c.hidden, c.out);
          const gotCost = trainEpoch(net, inputs, targets, n, { learningRate: lr, batchSize: batch });
          expect(Math.abs(gotCost - expCost)).toBeLessThanOrEqual(1e-12);
          const got = getWeights(net);
          got.weights.forEach((w, l) => expectClose(w, W[l], 1e-12));
          got.biases.forEach((bb, l) => expectClose(bb, b[l], 1e-12));
        }
        if (d === 2) {
          const { as } = oracleForward(W, b, [0.3, -1.1], c.hidden, c.out);
          expect(Math.abs(predict(net, 0.3, -1.1) - as[as.length - 1][0])).toBeLessThanOrEqual(1e-12);
        }
      });
    }
  }
});

describe('baseline gradient vs central finite difference', () => {
  for (const c of cases) {
    for (const batch of [1, 2]) {
      it(`${c.name}, one step of batch ${batch}`, () => {
        const { W, b } = randomParams(c.layers, 3 + c.layers.length);
        const d = c.layers[0];
        const k = c.layers[c.layers.length - 1];
        const { inputs, targets } = randomData(batch, d, k, 99);
        const opts = { activation: c.hidden, outputActivation: c.out };
        const W0 = flatW(W);
        const b0 = flatB(b);
        // Mean batch cost J(theta), evaluated by the baseline itself (lr = 0).
        const J = (Wf, bf) =>
          trainEpoch(buildNetwork(c.layers, { ...opts, weights: Wf, biases: bf }), inputs, targets, batch, {
            learningRate: 0,
            batchSize: batch,
          });
        // One step with lr = 1 over exactly one batch: theta1 = theta0 - grad J.
        const net = buildNetwork(c.layers, { ...opts, weights: W0, biases: b0 });
        trainEpoch(net, inputs, targets, batch, { learningRate: 1, batchSize: batch });
        const { weights: W1, biases: b1 } = getWeights(net);
        const h = 1e-5;
        const params = [
          ...W0.map((arr, l) => ({ arr, after: W1[l], isW: true, l })),
          ...b0.map((arr, l) => ({ arr, after: b1[l], isW: false, l })),
        ];
        let checked = 0;
        for (const p of params) {
          for (let i = 0; i < p.arr.length; i++) {
            const plus = p.arr.slice();
            const minus = p.arr.slice();
            plus[i] += h;
            minus[i] -= h;
            const Wp = W0.slice();
            const Wm = W0.slice();
            const bp = b0.slice();
            const bm = b0.slice();
            if (p.isW) {
              Wp[p.l] = plus;
              Wm[p.l] = minus;
            } else {
              bp[p.l] = plus;
              bm[p.l] = minus;
            }
            const fd = (J(Wp, bp) - J(Wm, bm)) / (2 * h);
            const analytic = p.arr[i] - p.after[i];
            expect(Math.abs(fd - analytic)).toBeLessThanOrEqual(1e-9);
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(0);
      });
    }
  }
});

describe('baseline API', () => {
  it('default init is deterministic: uniform(-0.5,0.5) weights, bias 0.1', () => {
    const a = getWeights(buildNetwork([2, 8, 8, 1]));
    const b = getWeights(buildNetwork([2, 8, 8, 1]));
    expect(a.weights.map((w) => w.length)).toEqual([16, 64, 8]);
    for (let l = 0; l < 3; l++) {
      expect(Array.from(a.weights[l])).toEqual(Array.from(b.weights[l]));
      for (const w of a.weights[l]) {
        expect(w).toBeGreaterThanOrEqual(-0.5);
        expect(w).toBeLessThan(0.5);
      }
      for (const v of a.biases[l]) expect(v).toBe(0.1);
    }
  });

  it('getWeights round-trips the weights given to buildNetwork', () => {
    const layers = [3, 3, 2, 1];
    const { W, b } = randomParams(layers, 11);
    const got = getWeights(buildNetwork(layers, { weights: flatW(W), biases: flatB(b) }));
    got.weights.forEach((w, l) => expect(nestW(got.weights, layers)[l]).toEqual(W[l]));
    got.biases.forEach((bb, l) => expect(Array.from(bb)).toEqual(b[l]));
  });

  it('gridForward covers [-extent,extent]^2 row-major (row -> x1, column -> x0)', () => {
    const net = buildNetwork([2, 8, 8, 1]);
    const res = 5;
    const g = gridForward(net, res, 6);
    expect(g).toBeInstanceOf(Float64Array);
    expect(g.length).toBe(25);
    expect(g[0]).toBe(predict(net, -6, -6));
    expect(g[res - 1]).toBe(predict(net, 6, -6));
    expect(g[(res - 1) * res]).toBe(predict(net, -6, 6));
    expect(g[2 * res + 1]).toBe(predict(net, -3, 0));
    expect(gridForward(net).length).toBe(10000);
  });

  it('rejects unknown activations', () => {
    expect(() => buildNetwork([2, 1], { activation: 'foo' })).toThrow();
    expect(() => buildNetwork([2, 1], { outputActivation: 'relu' })).toThrow();
  });
});
