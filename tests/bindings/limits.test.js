// Issue 13, the API side: values outside the precision's range, oversized inputs (checked before anything is
// copied into wasm memory), and hostile values (deep nesting, revoked Proxies, throwing getters) — each an
// Error naming the field, nothing changed, the module usable, wasm memory not grown.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadBackprop, LIMITS } from 'backprop-lab';

let bp;
beforeAll(async () => { bp = await loadBackprop(); });

const F32_MAX = 3.4028234663852886e38;

/** fn(net) on a float32 (or float64) network with data must throw an Error matching every pattern; the network unchanged. */
function rejects(precision, fn, ...patterns) {
  const net = bp.createNetwork({ layers: [2, 3, 1], activation: 'tanh', precision, seed: 4 });
  net.setData([0.5, -1, 1.5, 0.25], [1, 0]);
  const before = JSON.stringify(net.toJSON());
  let error;
  try { fn(net); } catch (e) { error = e; }
  expect(error, 'expected an Error').toBeInstanceOf(Error);
  for (const p of patterns) expect(error.message).toMatch(p);
  expect(error.message).not.toMatch(/Maximum call stack|undefined is not|Cannot read prop/);
  expect(JSON.stringify(net.toJSON())).toBe(before);
  expect(net.train({ learningRate: 0.1 }).diverged).toBe(false);  // still trains on its data
  net.dispose();
  return error;
}

describe('ranges: values a float32 network cannot hold', () => {
  const outside = /is outside the float32 range \(±3\.4028234663852886e\+38\)/;
  const cases = [
    ['setData inputs', (n) => n.setData([0, 1, 2, 1e39], [1, 0]), /^inputs\[3\]: 1e\+39 /],
    ['setData targets (typed)', (n) => n.setData([0, 1, 2, 3], new Float64Array([1, -4e38])), /^targets\[1\]: -4e\+38 /],
    ['train with data', (n) => n.train([1e39, 1, 2, 3], [1, 0]), /^inputs\[0\]: 1e\+39 /],
    ['evaluate', (n) => n.evaluate([0, 1, 2, 3], [1, 1e300]), /^targets\[1\]: 1e\+300 /],
    ['predict', (n) => n.predict(new Float64Array([1, 2, 3, -1e39])), /^points\[3\]: -1e\+39 /],
    ['setWeights', (n) => n.setWeights(1, [0, 0, 0, 0, 1e39, 0]), /^weights\[0\]\[4\]: 1e\+39 /],
    ['setBiases', (n) => n.setBiases(2, [F32_MAX * 2]), /^biases\[1\]\[0\]: 6\.805646932770577e\+38 /],
    ['setWeight', (n) => n.setWeight(1, 0, 1, 1e39), /^value: 1e\+39 /],
    ['setBias', (n) => n.setBias(1, 2, -1e39), /^value: -1e\+39 /],
  ];
  for (const [what, fn, where] of cases) it(what, () => { rejects('float32', fn, where, outside); });

  it('a model file with a weight of 1e39 for a float32 network', () => {
    const net = bp.createNetwork({ layers: [2, 2, 1], precision: 'float32' });
    const j = net.toJSON();
    j.weights[0][1][0] = 1e39;
    expect(() => bp.networkFromJSON(j)).toThrow(/^model JSON: weights\[0\]\[1\]\[0\]: 1e\+39 is outside the float32 range/);
    j.precision = 'float64';  // the same file as a float64 network is fine
    const n64 = bp.networkFromJSON(j);
    expect(n64.toJSON().weights[0][1][0]).toBe(1e39);
    n64.dispose();
  });

  it('float32 accepts its largest values; float64 accepts 1e39', () => {
    const net = bp.createNetwork({ layers: [2, 2, 1], precision: 'float32' });
    net.setWeights(1, [F32_MAX, -F32_MAX, 0, 0]);
    expect(Array.from(net.layer(1).W.slice(0, 2))).toEqual([F32_MAX, -F32_MAX]);
    const net64 = bp.createNetwork({ layers: [2, 2, 1], precision: 'float64' });
    net64.setData([1e39, 0], [1]);
    net64.setWeights(1, [1e300, 0, 0, 0]);
  });

  it('inputs whose features overflow are named with their point and feature', () => {
    const f32 = bp.createNetwork({ layers: [3, 2, 1], features: ['x1', 'x2', 'x2sq'], precision: 'float32' });
    expect(() => f32.setData([0, 1, 2, 1e20], [1, 0])).toThrow(/^inputs\[2\]: the point \(2, 1e\+20\) has feature x2sq = 1e\+40, outside the float32 range/);
    expect(() => f32.predict([3e19, 0])).not.toThrow();  // x2sq = 0; x1 itself is within range
    expect(() => f32.predict([0, 3e19])).toThrow(/^points\[0\]: the point \(0, 3e\+19\) has feature x2sq/);
    const f64 = bp.createNetwork({ layers: [1, 2, 1], features: ['x1x2'], precision: 'float64' });
    expect(() => f64.evaluate([1e200, 1e200], [1])).toThrow(/^inputs\[0\]: .*x1x2 = Infinity, outside the float64 range/);
    // sin features are bounded for any finite input
    const s = bp.createNetwork({ layers: [2, 2, 1], features: ['sinx1', 'sinx2'], precision: 'float32' });
    for (const v of s.predict([1e18, -3e38, 1e6, 5])) expect(Number.isFinite(v)).toBe(true);
  });

  it('toJSON of any network loads back with networkFromJSON (trained, edited to the extremes, diverged)', () => {
    for (const precision of ['float32', 'float64']) {
      const net = bp.createNetwork({ layers: [2, 4, 3], outputActivation: 'softmax', cost: 'cross_entropy', features: ['x1', 'x2'], precision, init: 'nielsen', seed: 9 });
      const d = bp.dataset('blobs', { n: 60, seed: 2 });
      net.train(d.inputs, d.targets, { learningRate: 1e6, epochs: 5 });  // diverges
      const max = precision === 'float32' ? F32_MAX : Number.MAX_VALUE;
      net.setWeight(1, 0, 0, max);
      net.setBias(2, 1, -max);
      net.setWeight(2, 2, 3, Number.MIN_VALUE);
      const text = JSON.stringify(net.toJSON());
      expect(text).not.toMatch(/null/);
      const copy = bp.networkFromJSON(text);
      expect(JSON.stringify(copy.toJSON())).toBe(text);
      copy.dispose();
      net.dispose();
    }
  });
});

describe('sizes: checked before anything is copied into wasm memory', () => {
  function noGrowth(fn, ...patterns) {
    const net = bp.createNetwork({ layers: [2, 3, 1], precision: 'float32' });
    const mem = bp.memoryBytes(), heap = bp.heapInUse();
    let error;
    try { fn(net); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(Error);
    for (const p of patterns) expect(error.message).toMatch(p);
    expect(bp.memoryBytes()).toBe(mem);
    expect(bp.heapInUse()).toBeLessThanOrEqual(heap + 1024);
    expect(net.predict([1, 2]).length).toBe(1);  // the module is usable
    net.dispose();
  }
  const maxPoints = Math.min(LIMITS.maxValues, LIMITS.maxExamples * 2);
  it('a 3e8-element array to predict', () => {
    noGrowth((n) => n.predict(new Array(3e8)), new RegExp(`^points: at most ${maxPoints} values \\(1000000 examples of 2\\), got 300000000$`));
  });
  it('a ~1 GB typed array to predict', () => {
    noGrowth((n) => n.predict(new Float32Array(2.6e8)), /^points: at most 2000000 values .*got 260000000$/);
  });
  it('a 4e7-value input to setData, train, evaluate', () => {
    const big = new Float64Array(4e7);
    noGrowth((n) => n.setData(big, [1]), /^inputs: at most 2000000 values/);
    noGrowth((n) => n.train(big, [1], {}), /^inputs: at most 2000000 values/);
    noGrowth((n) => n.evaluate([1, 2], big), /^targets: at most 1000000 values/);
  });
  it('a huge array for a layer\'s weights', () => {
    noGrowth((n) => n.setWeights(1, new Float64Array(1.2e8)), /^weights\[0\]: expected 3 × 2 = 6 values, got 120000000$/);
    noGrowth((n) => n.setBiases(1, new Array(3e8)), /^biases\[0\]: expected 3 values, got 300000000$/);
  });
  it('a model file with a weight row of 3e8 entries; a trace with 3e8 examples', () => {
    noGrowth(() => bp.networkFromJSON({ layers: [2, 1], weights: [[new Array(3e8)]], biases: [[0]] }), /^model JSON: weights\[0\]\[0\]: expected 2 values, got 300000000$/);
    noGrowth(() => bp.trace({ layers: [2, 1], weights: [[[1, 1]]], biases: [[0]], inputs: new Array(3e8), targets: [[1]] }), /^inputs: at most \d+ examples in a trace, got 300000000$/);
  });
  it('the largest allowed input is accepted', () => {
    const net = bp.createNetwork({ layers: [2, 1], precision: 'float32' });
    expect(net.predict(new Float32Array(maxPoints)).length).toBe(maxPoints / 2);
    net.dispose();
  });
});

describe('hostile values', () => {
  const deep = (n) => { let v = [1]; for (let i = 0; i < n; i++) v = [v]; return v; };
  it('deeply nested JSON: a named field, not a stack overflow', () => {
    const net = bp.createNetwork({ layers: [2, 1] });
    const j = net.toJSON();
    j.weights[0][0][1] = 'DEEP';
    const text = JSON.stringify(j).replace('"DEEP"', `${'['.repeat(200000)}1${']'.repeat(200000)}`);
    const e = rejects('float64', () => bp.networkFromJSON(text), /^model JSON: weights\[0\]\[0\]\[1\]: must be a number, got \[+…\]+$/);
    expect(e.message.length).toBeLessThan(200);
    rejects('float64', () => bp.createNetwork({ layers: [2, deep(200000)] }), /^layers\[1\]: size must be an integer .*got \[+…\]+$/);
    rejects('float64', (n) => n.train({ learningRate: deep(100000) }), /^learningRate: must be a finite number > 0, got \[+…\]+$/);
    rejects('float64', (n) => n.setData([deep(100000), 1], [1]), /^inputs\[0\]: must be a number, got \[+…\]+$/);
    const obj = JSON.parse(`${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}`);
    rejects('float64', (n) => n.grid(obj), /^grid options: unknown option 'a'/);
    rejects('float64', () => bp.networkFromJSON({ ...j, weights: [[[1, 2]]], seed: obj }), /^model JSON: seed: .*got \{"a":\{"a":\{…\}\}\}$/);
  });

  it('a revoked Proxy: an Error naming the field', () => {
    const revoked = () => { const { proxy, revoke } = Proxy.revocable([], {}); revoke(); return proxy; };
    rejects('float64', () => bp.createNetwork(revoked()), /^createNetwork options: cannot be read \(.*revoked/);
    rejects('float64', () => bp.createNetwork({ layers: revoked() }), /^layers: cannot be read/);
    rejects('float64', (n) => n.setData(revoked(), [1]), /^inputs: cannot be read/);
    rejects('float64', (n) => n.train(revoked()), /^inputs: cannot be read/);
    rejects('float64', (n) => n.predict(revoked()), /^points: cannot be read/);
    rejects('float64', (n) => n.setWeights(1, revoked()), /^weights\[0\]: cannot be read/);
    rejects('float64', () => bp.networkFromJSON(revoked()), /^model JSON: cannot be read/);
    rejects('float64', () => bp.networkFromJSON({ layers: [2, 1], weights: [revoked()], biases: [[0]] }), /^model JSON: weights\[0\]: cannot be read/);
    rejects('float64', () => bp.trace(revoked()), /^spec: cannot be read/);
    rejects('float64', () => bp.dataset('circle', revoked()), /^dataset options: cannot be read/);
  });

  it('getters and Proxy traps that throw: an Error naming the field and the index', () => {
    const boom = { get learningRate() { throw new Error('boom'); } };
    rejects('float64', (n) => n.train(boom), /^train options: learningRate: cannot be read \(boom\)/);
    const arr = new Proxy([1, 2, 3, 4], { get(t, k) { if (k === '2') throw new TypeError('no'); return Reflect.get(t, k); } });
    rejects('float64', (n) => n.setData(arr, [1, 0]), /^inputs\[2\]: cannot be read \(no\)/);
    const len = new Proxy([], { get(t, k) { if (k === 'length') throw new Error('len'); return Reflect.get(t, k); } });
    rejects('float64', (n) => n.predict(len), /^points: cannot be read \(len\)/);
    rejects('float64', (n) => n.setData([1, 2, 3, 4], [1, { valueOf() { throw new Error('x'); } }]), /^targets\[1\]: must be a number, got \{"valueOf":a function\}$/);
  });

  it('sparse arrays: a hole is a missing value, named', () => {
    // eslint-disable-next-line no-sparse-arrays
    rejects('float64', () => bp.createNetwork({ layers: [2, , 1] }), /^layers\[1\]: size must be an integer .*got undefined$/);
    // eslint-disable-next-line no-sparse-arrays
    rejects('float64', () => bp.createNetwork({ layers: [2, 2], features: ['x1', , 'x2'] }), /^features\[1\]: unknown value undefined/);
    // eslint-disable-next-line no-sparse-arrays
    rejects('float64', (n) => n.setData([1, 2, , 4], [1, 0]), /^inputs\[2\]: must be a number, got undefined$/);
  });

  it('the model version is checked', () => {
    const net = bp.createNetwork({ layers: [2, 2, 1] });
    const j = net.toJSON();
    expect(j.version).toBe(1);
    for (const version of [2, 0, '1', null, 1.5]) {
      rejects('float64', () => bp.networkFromJSON({ ...j, version }), new RegExp(`^model JSON: version must be 1 .*got ${version === '1' ? "'1'" : version}$`));
    }
    const { version, ...noVersion } = j;
    expect(bp.networkFromJSON(noVersion).toJSON()).toEqual(j);  // hand-written models may leave it out
  });

  it('a batch_size beyond 32 bits in a trace means one batch of all (not −2147483648)', () => {
    const spec = { layers: [2, 1], weights: [[[0.5, -0.5]]], biases: [[0]], inputs: [[1, 2], [3, 4], [5, 6]], targets: [[1], [0], [1]], learning_rate: 0.1, steps: 2 };
    const all = bp.trace({ ...spec, batch_size: 3 });
    for (const batch_size of [2 ** 31, 1e10, Number.MAX_SAFE_INTEGER]) expect(bp.trace({ ...spec, batch_size })).toEqual(all);
    rejects('float64', () => bp.trace({ ...spec, batch_size: 0 }), /^batch_size: must be an integer in \[1, /);
  });

  it('a huge grid extent: an Error naming it; the largest allowed one gives the values at the cell centres', () => {
    rejects('float32', (n) => n.grid({ extent: 1e300 }), /^extent: at most 1000000000000000000 /);
    rejects('float32', (n) => n.neuronGrid({ extent: 2e18 }), /^extent: at most/);
    const net = bp.createNetwork({ layers: [3, 3, 1], features: ['x1', 'x2', 'x1x2'], activation: 'tanh', precision: 'float32', seed: 3 });
    const res = 4, extent = LIMITS.maxGridExtent, step = (2 * extent) / res;
    const g = net.grid({ resolution: res, extent });
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        const p = net.predict([-extent + (c + 0.5) * step, extent - (r + 0.5) * step])[0];
        expect(Number.isFinite(g[r * res + c])).toBe(true);
        expect(Math.abs(g[r * res + c] - p)).toBeLessThanOrEqual(1e-4);
      }
    }
  });
});
