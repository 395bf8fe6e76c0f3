// An independent float64 reference for `backprop-lab trace`, written the plain way with nested JS arrays in
// Nielsen's notation (network.py / network2.py), and sharing no code with the engine.
//
//   W[l-1] is W^l (n_l rows × n_(l−1) columns), b[l-1] is b^l, l = 1..L.
//   z^l = W^l a^(l−1) + b^l,  a^l = σ(z^l),  a^0 = x.
//   δ^L = ∂C_x/∂z^L (chain rule through ∂C_x/∂a^L and the activation's Jacobian),
//   δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l),  ∂C_x/∂b^l = δ^l,  ∂C_x/∂w^l_jk = a^(l−1)_k δ^l_j.
//
// Conventions (the engine's, see core/network.hpp):
//   C = (1/n) Σ_x C_x + λ/(2n) Σ_l ‖W^l‖² (L2)  or  + (λ/n) Σ_l Σ |w| (L1, sign(0) = 0)
//   quadratic C_x = ½‖y − a^L‖²; cross-entropy C_x = −Σ_j [y ln a + (1 − y) ln(1 − a)] (sigmoid output) or
//   −Σ_j y ln a (softmax output). relu'(0) = 0. Softmax output only.
//   grad_W/grad_b = gradient of the full C: mean over all n examples + (λ/n)W (biases not regularised).
//   SGD step on a mini-batch of m_b examples: W ← W − η[(1/m_b) Σ ∂C_x/∂W + (λ/n)W] (L1: (λ/n) sign W),
//   b ← b − η (1/m_b) Σ ∂C_x/∂b; mini-batches in order, the last of an epoch shorter, wrapping around.

export const ACT = {
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), df: (z) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); } },
  tanh: { f: (z) => Math.tanh(z), df: (z) => 1 - Math.tanh(z) ** 2 },
  relu: { f: (z) => (z > 0 ? z : 0), df: (z) => (z > 0 ? 1 : 0) },
  linear: { f: (z) => z, df: () => 1 },
};

const sign = (w) => (w > 0 ? 1 : w < 0 ? -1 : 0);
const zerosLike = (m) => (Array.isArray(m) ? m.map(zerosLike) : 0);
const clone = (m) => (Array.isArray(m) ? m.map(clone) : m);

function softmax(z) {
  const mx = Math.max(...z);
  const e = z.map((v) => Math.exp(v - mx));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
}

/** Normalised config from a trace spec (defaults applied). */
export function configOf(spec) {
  const activation = spec.activation ?? 'sigmoid';
  return {
    layers: spec.layers,
    activation,
    output: spec.output_activation ?? activation,
    cost: spec.cost ?? 'quadratic',
    l2: spec.l2 ?? 0,
    l1: spec.l1 ?? 0,
  };
}

/** Forward pass for one example: { z: [z^1..z^L], a: [a^0..a^L] }. */
export function feedforward(cfg, W, b, x) {
  const L = W.length;
  const zs = [];
  const as = [x.slice()];
  for (let l = 0; l < L; l++) {
    const prev = as[l];
    const z = W[l].map((row, j) => {
      let s = b[l][j];
      for (let k = 0; k < row.length; k++) s += row[k] * prev[k];
      return s;
    });
    zs.push(z);
    const isOut = l === L - 1;
    const name = isOut ? cfg.output : cfg.activation;
    as.push(name === 'softmax' ? softmax(z) : z.map(ACT[name].f));
  }
  return { z: zs, a: as };
}

/** C_x for one example (no 1/n, no regularisation). */
export function exampleCost(cfg, aL, y) {
  if (cfg.cost === 'quadratic') return 0.5 * aL.reduce((s, a, j) => s + (y[j] - a) ** 2, 0);
  if (cfg.output === 'softmax') return -aL.reduce((s, a, j) => s + y[j] * Math.log(a), 0);
  return -aL.reduce((s, a, j) => s + y[j] * Math.log(a) + (1 - y[j]) * Math.log(1 - a), 0);
}

/** Backprop for one example: z, a (l = 1..L), delta, grad_W, grad_b of C_x, and C_x. */
export function backprop(cfg, W, b, x, y) {
  const L = W.length;
  const { z, a } = feedforward(cfg, W, b, x);
  const aL = a[L];
  const zL = z[L - 1];
  // ∂C_x/∂a^L
  let dCda;
  if (cfg.cost === 'quadratic') dCda = aL.map((v, j) => v - y[j]);
  else if (cfg.output === 'softmax') dCda = aL.map((v, j) => -y[j] / v);
  else dCda = aL.map((v, j) => -y[j] / v + (1 - y[j]) / (1 - v));
  // BP1: δ^L = (∂a/∂z)ᵀ ∂C/∂a
  let deltaL;
  if (cfg.output === 'softmax') {
    // ∂a_j/∂z_k = a_j([j = k] − a_k)
    deltaL = aL.map((_, k) => {
      let s = 0;
      for (let j = 0; j < aL.length; j++) s += dCda[j] * aL[j] * ((j === k ? 1 : 0) - aL[k]);
      return s;
    });
  } else if (cfg.cost === 'cross_entropy' && cfg.output === 'sigmoid') {
    deltaL = aL.map((v, j) => v - y[j]);  // σ'(z) cancels exactly (Nielsen eq. 66)
  } else {
    deltaL = dCda.map((d, j) => d * ACT[cfg.output].df(zL[j]));
  }
  const delta = new Array(L);
  delta[L - 1] = deltaL;
  for (let l = L - 2; l >= 0; l--) {  // BP2
    const next = delta[l + 1];
    delta[l] = z[l].map((zj, j) => {
      let s = 0;
      for (let i = 0; i < next.length; i++) s += W[l + 1][i][j] * next[i];
      return s * ACT[cfg.activation].df(zj);
    });
  }
  const gradB = delta.map((d) => d.slice());                                       // BP3
  const gradW = delta.map((d, l) => d.map((dj) => a[l].map((ak) => ak * dj)));   // BP4
  return { z, a: a.slice(1), delta, grad_W: gradW, grad_b: gradB, cost: exampleCost(cfg, aL, y) };
}

function regTerm(cfg, W, n) {
  if (cfg.l2 > 0) {
    let s = 0;
    for (const M of W) for (const row of M) for (const w of row) s += w * w;
    return (cfg.l2 / (2 * n)) * s;
  }
  if (cfg.l1 > 0) {
    let s = 0;
    for (const M of W) for (const row of M) for (const w of row) s += Math.abs(w);
    return (cfg.l1 / n) * s;
  }
  return 0;
}

function regGrad(cfg, w, n) {
  if (cfg.l2 > 0) return (cfg.l2 / n) * w;
  if (cfg.l1 > 0) return (cfg.l1 / n) * sign(w);
  return 0;
}

/** The full cost C over all examples, with the regularisation term. */
export function totalCost(cfg, W, b, X, Y) {
  const n = X.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += exampleCost(cfg, feedforward(cfg, W, b, X[i]).a[W.length], Y[i]);
  return s / n + regTerm(cfg, W, n);
}

/** Mean of ∂C_x/∂W, ∂C_x/∂b over the examples `idx` (no regularisation). */
function meanGrad(cfg, W, b, X, Y, idx) {
  const gW = zerosLike(W);
  const gb = zerosLike(b);
  for (const i of idx) {
    const r = backprop(cfg, W, b, X[i], Y[i]);
    for (let l = 0; l < W.length; l++) {
      for (let j = 0; j < W[l].length; j++) {
        gb[l][j] += r.grad_b[l][j];
        for (let k = 0; k < W[l][j].length; k++) gW[l][j][k] += r.grad_W[l][j][k];
      }
    }
  }
  const m = idx.length;
  return { gW: gW.map((M) => M.map((row) => row.map((v) => v / m))), gb: gb.map((v) => v.map((x) => x / m)) };
}

/** The gradient of the full C: mean over all n examples + the regularisation term's gradient. */
export function totalGradient(cfg, W, b, X, Y) {
  const n = X.length;
  const { gW, gb } = meanGrad(cfg, W, b, X, Y, X.map((_, i) => i));
  return { grad_W: gW.map((M, l) => M.map((row, j) => row.map((g, k) => g + regGrad(cfg, W[l][j][k], n)))), grad_b: gb };
}

/** The mini-batches of `steps` SGD steps: in order, the last of an epoch shorter, wrapping around. */
export function batchSchedule(n, batchSize, steps) {
  const B = Math.min(batchSize, n);
  const out = [];
  let cursor = 0;
  for (let s = 0; s < steps; s++) {
    const m = Math.min(B, n - cursor);
    out.push(Array.from({ length: m }, (_, i) => cursor + i));
    cursor += m;
    if (cursor === n) cursor = 0;
  }
  return out;
}

/** The trace output object for a spec (see the header comment). */
export function referenceTrace(spec) {
  const cfg = configOf(spec);
  const X = spec.inputs;
  const Y = spec.targets;
  const n = X.length;
  let W = clone(spec.weights);
  let b = clone(spec.biases);
  const cost_initial = totalCost(cfg, W, b, X, Y);
  const first_example = backprop(cfg, W, b, X[0], Y[0]);
  const { grad_W, grad_b } = totalGradient(cfg, W, b, X, Y);
  const eta = spec.learning_rate;
  for (const batch of batchSchedule(n, spec.batch_size ?? 1, spec.steps ?? 0)) {
    const { gW, gb } = meanGrad(cfg, W, b, X, Y, batch);
    W = W.map((M, l) => M.map((row, j) => row.map((w, k) => w - eta * (gW[l][j][k] + regGrad(cfg, w, n)))));
    b = b.map((v, l) => v.map((bj, j) => bj - eta * gb[l][j]));
  }
  return {
    cost_initial,
    first_example,
    grad_W,
    grad_b,
    weights_final: W,
    biases_final: b,
    cost_final: totalCost(cfg, W, b, X, Y),
  };
}
