// Property-based fuzzing of the JS API (fast-check, fixed seed): arguments of every public function, model
// JSON and trace specs, mostly wrong and sometimes right. Every call must either return a valid result or
// throw a clear Error (a message that names what is wrong, no engine internals); on an Error the network,
// its data and its epoch are unchanged; the module stays usable; and running the same calls twice leaves
// the engine's heap, its memory and its JS handles where the first run left them (nothing leaks).
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { loadBackprop, ACTIVATIONS, OUTPUT_ACTIVATIONS, COSTS, INITS, FEATURES, DATASETS } from 'backprop-lab';

let bp;
beforeAll(async () => { bp = await loadBackprop(); });

const SEED = 20261201;
const RUNS = 500;

// ---- values ---------------------------------------------------------------------------------------------

const special = fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 1e39, -1e39, 3.4028234663852886e38, Number.MAX_VALUE,
  5e-324, 2 ** 31, 2 ** 53, -1, 0.5, 1.5, 1e300);
const junk = fc.constantFrom('1', '', 'x', null, undefined, true, [], {}, 1n, Symbol('s'), () => 1, new Date(0), /re/);
// A revoked Proxy cannot go through fast-check itself (it inspects every value it generates): a token
// stands for one, and live() swaps in a fresh revoked Proxy just before the call.
const REVOKED = Object.freeze({ revokedProxy: true });
const revoked = fc.constant(REVOKED);
function live(v) {
  if (v === REVOKED) {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    return proxy;
  }
  if (Array.isArray(v)) return v.map(live);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, live(x)]));
  }
  return v;
}
const num = fc.oneof({ weight: 4, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) }, fc.double(), fc.integer(), special, junk);
// arrays of numbers as users pass them: plain, typed (with NaN/∞), mostly valid, or anything at all; often of
// a length that fits these networks' rows (2, 3 inputs; 1, 2 outputs; their weight matrices)
const value = fc.oneof({ weight: 30, arbitrary: fc.double({ min: -6, max: 6, noNaN: true }) }, num);
const shaped = fc.constantFrom(1, 2, 3, 4, 6, 8, 12, 16).chain((n) => fc.oneof(
  fc.array(value, { minLength: n, maxLength: n }),
  fc.array(value, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a, (x) => (typeof x === 'number' ? x : NaN))),
  fc.array(value, { minLength: n, maxLength: n }).map((a) => Float64Array.from(a, (x) => (typeof x === 'number' ? x : NaN))),
));
const numbers = fc.oneof(
  { weight: 6, arbitrary: shaped },
  { weight: 3, arbitrary: fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { maxLength: 24 }) },
  { weight: 2, arbitrary: fc.array(num, { maxLength: 24 }) },
  fc.float64Array({ maxLength: 24 }),
  fc.float64Array({ maxLength: 24, noNaN: true, noDefaultInfinity: true, min: -6, max: 6 }),
  fc.float32Array({ maxLength: 24 }),
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
  revoked,
);
// mostly the valid value, sometimes anything: so that the calls get past the first check often enough
const mostly = (valid, ...invalid) => fc.oneof({ weight: 12, arbitrary: valid }, ...invalid);
const smallInt = (max) => mostly(fc.integer({ min: 0, max }), special, junk);
// epochs and steps: small or invalid, never a valid count that would train for minutes (2^31 steps is valid)
const count = (max) => mostly(fc.integer({ min: 0, max }), fc.constantFrom(-1, 0.5, 1.5, NaN, Infinity, 1e13, 2 ** 53, -0), junk);
const option = (allowed, extra = fc.anything({ maxDepth: 1 })) => mostly(fc.constantFrom(...allowed), fc.string({ maxLength: 8 }), extra);
const regularization = { l1: mostly(fc.constant(0), num), l2: mostly(fc.constantFrom(0, 0.01, 1), num) };
// training options that cannot run for long: epochs and steps small (or wrong)
const trainOptions = fc.oneof(
  { weight: 5, arbitrary: fc.record({
    learningRate: mostly(fc.constantFrom(0.01, 0.1, 1, 10, 1e3, 1e10), num), batchSize: mostly(fc.integer({ min: 1, max: 40 }), special, junk),
    epochs: count(3), steps: count(20), shuffle: mostly(fc.boolean(), junk), ...regularization,
  }, { requiredKeys: [] }) },
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
  revoked,
);
const gridOptions = fc.oneof(
  fc.record({ resolution: smallInt(12), extent: fc.oneof(num, fc.constantFrom(1e18, 2e18)) }, { requiredKeys: [] }),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
);

// ---- checking results -------------------------------------------------------------------------------------

/** A clear Error: an Error with a short message that is not an engine or runtime internal. */
function expectClearError(e, what) {
  expect(e, `${what}: threw a non-Error ${String(e)}`).toBeInstanceOf(Error);
  expect(typeof e.message).toBe('string');
  expect(e.message.length, what).toBeGreaterThan(10);
  expect(e.message.length, what).toBeLessThan(600);
  expect(e.message, what).not.toMatch(/Maximum call stack|is not a function|Cannot read prop|undefined is not|is not iterable|RuntimeError|unreachable|memory access|BindingError|null function|abort/i);
  // it names something: "field: …", "field[3]: …", "model JSON: field: …", "train: …"
  expect(e.message, what).toMatch(/^[A-Za-z][\w/ ]*(\[\d+\])*(: [A-Za-z][\w ]*(\[\d+\])*)*: /);
}

/** Everything a network is: weights, config, epoch, and its data (through the cost of inspect()). */
function state(net, hasData) {
  return JSON.stringify({ json: net.toJSON(), epochs: net.epochs, data: hasData ? net.inspect().cost : null });
}

function probe() {
  const p = bp.createNetwork({ layers: [2, 2, 1], seed: 1 });
  const out = p.predict([0.5, -0.5]);
  p.dispose();
  expect(out.length).toBe(1);
  expect(Number.isFinite(out[0])).toBe(true);
}

/**
 * Runs the property twice with the same seed: the second run makes the same calls, so the engine's heap,
 * memory and handles must end where the first run left them.
 */
function assertTwiceFlat(property, runs = RUNS) {
  fc.assert(property, { seed: SEED, numRuns: runs });
  const heap = bp.heapInUse(), mem = bp.memoryBytes(), handles = bp.handleCount();
  fc.assert(property, { seed: SEED, numRuns: runs });
  expect(bp.heapInUse()).toBeLessThanOrEqual(heap + 4096);  // the kept error message may grow a little
  expect(bp.memoryBytes()).toBe(mem);
  expect(bp.handleCount()).toBe(handles);
  probe();
}

// ---- the properties -----------------------------------------------------------------------------------

const CONFIGS = [
  { layers: [2, 3, 1], activation: 'tanh', precision: 'float64' },
  { layers: [3, 4, 2], activation: 'relu', outputActivation: 'softmax', cost: 'cross_entropy', features: ['x1', 'x2', 'x1x2'], precision: 'float32' },
  { layers: [2, 2, 2, 1], activation: 'linear', precision: 'float32' },
];
const DATA = { inputs: [0.5, -1, 1.5, 0.25, -0.75, 2, 1, 1], targets: [[1, 0, 1, 0], [1, 0, 0, 1, 1, 0, 0, 1], [0.5, -0.5, 1, 0]] };

// inputs and targets of matching lengths (n points, 1 or 2 outputs), with the odd bad value
const pair = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom(1, 2)).chain(([n, k]) => fc.tuple(
  fc.array(value, { minLength: 2 * n, maxLength: 2 * n }), fc.array(value, { minLength: n * k, maxLength: n * k })));
const data = fc.oneof(pair, fc.tuple(numbers, numbers));
const calls = fc.oneof(
  fc.tuple(fc.constant('setData'), data).map(([m, [x, y]]) => [m, x, y]),
  fc.tuple(fc.constant('train'), trainOptions),
  fc.tuple(fc.constant('train'), data, trainOptions).map(([m, [x, y], o]) => [m, x, y, o]),
  fc.tuple(fc.constant('evaluate'), data, fc.oneof(fc.record(regularization, { requiredKeys: [] }), fc.anything({ maxDepth: 1 }))).map(([m, [x, y], o]) => [m, x, y, o]),
  fc.tuple(fc.constant('predict'), numbers),
  fc.tuple(fc.constant('grid'), gridOptions),
  fc.tuple(fc.constant('neuronGrid'), gridOptions),
  fc.tuple(fc.constant('inspect'), fc.oneof(fc.record(regularization, { requiredKeys: [] }), fc.anything({ maxDepth: 1 }))),
  fc.tuple(fc.constant('layer'), smallInt(4)),
  fc.tuple(fc.constant('setWeights'), smallInt(3), numbers),
  fc.tuple(fc.constant('setBiases'), smallInt(3), numbers),
  fc.tuple(fc.constant('setWeight'), smallInt(3), smallInt(4), smallInt(4), num),
  fc.tuple(fc.constant('setBias'), smallInt(3), smallInt(4), num),
  fc.tuple(fc.constant('gradientCheck'), fc.oneof(fc.record({ maxParameters: smallInt(50), ...regularization }, { requiredKeys: [] }), fc.anything({ maxDepth: 1 }))),
  fc.tuple(fc.constant('toJSON')),
);

/** Checks a result that a call returned on `net` (c = [method, ...args]). */
function expectValid(net, [method, ...args]) {
  return (r) => {
    const outputs = net.outputs;
    switch (method) {
      case 'train': {
        expect(Number.isInteger(r.steps) && r.steps >= 0).toBe(true);
        expect(typeof r.diverged).toBe('boolean');
        const o = args.at(-1), reg = {};  // the call succeeded: its l1/l2, if any, are valid
        if (o?.l1) reg.l1 = o.l1;
        if (o?.l2) reg.l2 = o.l2;
        const full = net.inspect(reg).cost;  // C on the training data with the same regularization term
        if (r.diverged) {
          expect(r.restoredEpoch).toBe(net.epochs);
          if (Number.isFinite(r.cost)) expect(Math.abs(r.cost - full)).toBeLessThanOrEqual(1e-12 * Math.max(1, full));
          expect(r.message).toMatch(/^diverged: /);
        } else {
          expect(Number.isFinite(full)).toBe(true);  // diverged: false means a finite cost at the weights kept
          expect(r.cost === null || typeof r.cost === 'number').toBe(true);
        }
        break;
      }
      case 'predict': expect(r).toBeInstanceOf(Float64Array); expect(r.length % outputs).toBe(0); break;
      case 'grid': expect(r).toBeInstanceOf(Float32Array); expect(r.length % outputs).toBe(0); break;
      case 'neuronGrid': expect(r).toBeInstanceOf(Float32Array); break;
      case 'evaluate': expect(typeof r.cost).toBe('number'); expect(r.accuracy >= 0 && r.accuracy <= 1).toBe(true); break;
      case 'inspect': expect(r.layers.length).toBe(net.layers.length - 1); break;
      case 'layer': expect(r.W.length).toBe(r.rows * r.cols); break;
      case 'gradientCheck': expect(r.checked + r.skipped).toBeLessThanOrEqual(r.parameters); break;
      case 'toJSON': {
        const copy = bp.networkFromJSON(JSON.stringify(r));  // any network's JSON loads back
        expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(r));  // (as JSON: −0 is written 0)
        copy.dispose();
        break;
      }
      default: expect(r).toBeUndefined();
    }
  };
}

describe('fuzz: the JS API (fast-check, fixed seed)', () => {
  it('network methods: a valid result, or a clear Error with the network, its data and its epoch unchanged', () => {
    assertTwiceFlat(fc.property(fc.integer({ min: 0, max: CONFIGS.length - 1 }), fc.array(calls, { minLength: 1, maxLength: 6 }), (ci, list) => {
      const net = bp.createNetwork({ ...CONFIGS[ci], seed: 5 });
      net.setData(DATA.inputs, DATA.targets[ci]);
      try {
        for (const c of list) {
          const before = state(net, true);
          let result, error;
          try { result = net[c[0]](...live(c.slice(1))); } catch (e) { error = e; }
          const what = `${c[0]}(${c.slice(1).map((a) => typeof a).join(', ')})`;
          if (error) {
            expectClearError(error, what);
            expect(state(net, true), `${what} changed the network: ${error.message}`).toBe(before);
          } else {
            expectValid(net, c)(result);
          }
        }
      } finally {
        net.dispose();
      }
    }));
  });

  it('createNetwork: a network with the options asked for, or a clear Error', () => {
    const layers = mostly(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 5 }), fc.array(num, { maxLength: 5 }), fc.anything({ maxDepth: 2 }), revoked);
    const options = fc.oneof(
      { weight: 5, arbitrary: fc.record({
        layers, activation: option(ACTIVATIONS), outputActivation: option(OUTPUT_ACTIVATIONS), cost: option(COSTS),
        init: option(INITS), seed: smallInt(1e6), precision: option(['float32', 'float64']),
        features: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, fc.subarray(FEATURES), fc.array(option(FEATURES), { maxLength: 4 })),
      }, { requiredKeys: ['layers'] }) },
      fc.anything({ maxDepth: 2, maxKeys: 3 }),
      revoked,
    );
    assertTwiceFlat(fc.property(options, (o) => {
      let net;
      try { net = bp.createNetwork(live(o)); } catch (e) { expectClearError(e, 'createNetwork'); return; }
      try {
        expect(net.layers).toEqual(o.layers);
        const out = net.predict(new Float64Array(net.inputWidth));
        expect(out.length).toBe(net.outputs);
        expect(Array.from(out).every(Number.isFinite)).toBe(true);
        const copy = bp.networkFromJSON(JSON.stringify(net.toJSON()));
        expect(copy.config).toEqual(net.config);
        copy.dispose();
      } finally {
        net.dispose();
      }
    }));
  });

  it('networkFromJSON of mutated model files: the same network back, or a clear Error', () => {
    const base = bp.createNetwork({ layers: [2, 3, 2], activation: 'tanh', outputActivation: 'softmax', cost: 'cross_entropy', features: ['x1', 'x2'], precision: 'float32', seed: 2 });
    const good = base.toJSON();
    base.dispose();
    const KEYS = [...Object.keys(good), 'momentum'];
    const mutation = fc.oneof(
      fc.tuple(fc.constant('set'), fc.constantFrom(...KEYS), fc.oneof(fc.jsonValue({ maxDepth: 3 }), num, numbers)),
      fc.tuple(fc.constant('delete'), fc.constantFrom(...KEYS)),
      fc.tuple(fc.constant('weight'), fc.nat(1), fc.nat(2), fc.nat(2), fc.oneof(num, fc.jsonValue({ maxDepth: 2 }))),
      fc.tuple(fc.constant('row'), fc.nat(1), fc.nat(2), numbers),
    );
    assertTwiceFlat(fc.property(fc.array(mutation, { maxLength: 3 }), fc.boolean(), (mutations, asString) => {
      const j = structuredClone(good);
      for (const [kind, a, b, c, d] of mutations) {
        if (kind === 'set') j[a] = b;
        else if (kind === 'delete') delete j[a];
        else if (kind === 'weight' && Array.isArray(j.weights?.[a]?.[b])) j.weights[a][b][c] = d;
        else if (kind === 'row' && Array.isArray(j.weights?.[a])) j.weights[a][b] = b;
      }
      let input = j;
      if (asString) { try { input = JSON.stringify(j); } catch { input = '{'; } }
      let net;
      try { net = bp.networkFromJSON(input); } catch (e) { expectClearError(e, 'networkFromJSON'); return; }
      try {
        const out = net.toJSON();
        const again = bp.networkFromJSON(JSON.stringify(out));
        expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(out));
        again.dispose();
      } finally {
        net.dispose();
      }
    }));
  });

  it('trace specs: a result whose numbers are finite (or a diverged one), or a clear Error', () => {
    const matrix = (r, c) => fc.array(fc.array(value, { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
    const spec = fc.oneof(
      { weight: 5, arbitrary: fc.record({
        layers: fc.constant([2, 2, 1]),
        activation: option(ACTIVATIONS), output_activation: option(OUTPUT_ACTIVATIONS), cost: option(COSTS),
        weights: fc.oneof({ weight: 4, arbitrary: fc.tuple(matrix(2, 2), matrix(1, 2)) }, fc.anything({ maxDepth: 3 })),
        biases: fc.oneof({ weight: 4, arbitrary: fc.tuple(fc.array(value, { minLength: 2, maxLength: 2 }), fc.array(value, { minLength: 1, maxLength: 1 })) }, fc.anything({ maxDepth: 2 })),
        inputs: fc.oneof({ weight: 4, arbitrary: matrix(3, 2) }, numbers),
        targets: fc.oneof({ weight: 4, arbitrary: matrix(3, 1) }, numbers),
        learning_rate: mostly(fc.constantFrom(0.1, 0.5, 3, 1e4, 1e300), num), batch_size: fc.oneof(smallInt(5), fc.constantFrom(2 ** 31, 1e10)), steps: count(6), ...regularization,
      }, { requiredKeys: ['layers', 'weights', 'biases', 'inputs', 'targets'] }) },
      fc.anything({ maxDepth: 3, maxKeys: 4 }),
      revoked,
    );
    const finiteDeep = (v) => (Array.isArray(v) ? v.every(finiteDeep) : typeof v === 'number' ? Number.isFinite(v) : true);
    assertTwiceFlat(fc.property(spec, (s) => {
      let r;
      try { r = bp.trace(live(s)); } catch (e) { expectClearError(e, 'trace'); return; }
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['cost_initial', 'first_example', 'grad_W', 'weights_final', 'cost_final']));
      expect(finiteDeep(r.weights_final) && finiteDeep(r.biases_final)).toBe(true);
      if (!r.diverged && Number.isFinite(r.cost_initial)) expect(Number.isFinite(r.cost_final)).toBe(true);
    }), 300);
  });

  it('bp.dataset: points within the limits, or a clear Error', () => {
    const options = fc.oneof(
      { weight: 4, arbitrary: fc.record({
        n: smallInt(300), noise: mostly(fc.double({ min: 0, max: 1, noNaN: true }), num), seed: smallInt(1e6),
        testRatio: mostly(fc.double({ min: 0, max: 0.9, noNaN: true }), num), classes: mostly(fc.integer({ min: 3, max: 5 }), num),
      }, { requiredKeys: [] }) },
      fc.anything({ maxDepth: 2, maxKeys: 3 }),
      revoked,
    );
    assertTwiceFlat(fc.property(option(DATASETS), options, (name, o) => {
      let d;
      try { d = bp.dataset(name, live(o)); } catch (e) { expectClearError(e, 'dataset'); return; }
      expect(d.inputs.length / 2).toBe(d.targets.length / d.outputs);
      expect(d.inputs.length).toBeGreaterThan(0);
      expect(d.inputs.every((x) => Math.abs(x) <= 12)).toBe(true);
    }), 300);
  });
});
