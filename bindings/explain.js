// The step-through's numbers and a layer's principal directions, unpacked from the float64 views the engine
// hands over (bindings.cpp: explain_view, principal_view) into the plain objects of the JS API (index.d.ts:
// Explanation, PrincipalDirections). Layout only — no math: every number comes from core/.

// Example-major (the engine's column-major n × m batch: example i at [i·n, (i+1)·n)) → row-major n × m,
// examples as columns, as the book writes a mini-batch.
function rowMajor(v, n, m) {
  const out = new Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = v[i * n + j];
  return out;
}

/**
 * flat: the engine's view (copied out here, before anything can move wasm memory). layers: n_0 … n_L.
 * rows/width: the training inputs as given to setData (for x). single: one example (vectors) or a batch
 * (row-major n × m matrices, examples as columns). broken: the equation broken while it was computed.
 */
export function unpackExplanation(flat, { layers, indices, single, rows, width, broken }) {
  const m = flat[0];
  let o = 3;
  const take = (n) => flat.subarray(o, (o += n));
  const batch = (n) => (single ? Array.from(take(n)) : rowMajor(take(n * m), n, m));
  const x = [];  // the rows as given to setData: one row, or width × m with examples as columns
  for (const i of indices) x.push(...rows.subarray(i * width, (i + 1) * width));
  const head = single ? { index: indices[0], x } : { indices: [...indices], m, x: rowMajor(x, width, m) };
  const out = {
    ...head, input: batch(layers[0]), y: batch(layers.at(-1)), cost: flat[1],
    sigmaPrimeCancels: flat[2] === 1, broken, layers: [],
  };
  for (let l = 1; l < layers.length; l++) {
    const n = layers[l];
    out.layers.push({
      z: batch(n), a: batch(n), sigmaPrime: batch(n), gradA: batch(n), delta: batch(n),
      gradW: Array.from(take(n * layers[l - 1])), gradB: Array.from(take(n)),
    });
  }
  return out;
}

/** variance 1, variance 2, total variance, mean, direction 1, direction 2 (n_l values each). */
export function unpackPrincipal(flat, n) {
  const part = (i) => Array.from(flat.subarray(3 + i * n, 3 + (i + 1) * n));
  return { mean: part(0), directions: [part(1), part(2)], variances: [flat[0], flat[1]], totalVariance: flat[2] };
}
