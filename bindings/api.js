// backprop-lab's JS API, shared by its two builds: it loads a wasm engine (node or browser, main thread or
// worker), checks every argument at the boundary with an Error that names the field and the value, converts
// options objects, and hides embind handles behind dispose(). The math lives in core/ (C++); bindings.cpp
// only converts values; explain.js unpacks the step-through's flat views. Types: index.d.ts.
//
// makeApi() is bound to one build of the engine by the module that imports it: bindings/index.js (the
// package export: both precisions, trace, gradientCheck) and bindings/page.js (the lab page's smaller
// float32-only build). Each of them writes its wasm URL as a literal `new URL('./wasm/….wasm',
// import.meta.url)`, which is what lets a bundler (Vite) find the .wasm and emit it as an asset.

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'linear'];
export const OUTPUT_ACTIVATIONS = [...ACTIVATIONS, 'softmax'];
export const COSTS = ['quadratic', 'cross_entropy'];
export const INITS = ['nielsen', 'xavier', 'he', 'uniform', 'zeros'];
export const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const DATASETS = ['circle', 'xor', 'gauss', 'spiral', 'moons', 'blobs', 'spiral3', 'plane', 'multigauss'];
export const PRECISIONS = ['float64', 'float32'];
/** The "break an equation" teaching switch's equations (net.setBroken; core/broken.hpp). */
export const BROKEN_EQUATIONS = Object.freeze(['bp1_no_sigma_prime', 'bp2_no_sigma_prime', 'bp2_no_transpose', 'no_batch_mean']);
/** Limits that protect a tab's memory; the core enforces the same (core/network.hpp, core/model.hpp). */
export const LIMITS = Object.freeze({
  maxLayers: 34, maxLayerSize: 4096, maxParameters: 4194304, maxExamples: 1000000,
  maxDatasetPoints: 100000, maxGridResolution: 1024,
  // values in one array given to the engine (data, points, weights): checked before anything is copied
  maxValues: 16777216,
  // grid()/neuronGrid() extent: every feature of every cell (x1², x1·x2) then stays finite in float32
  maxGridExtent: 1e18,
});
/** The largest float32 magnitude: beyond it a value would become ±∞ in a float32 network. */
const F32_MAX = 3.4028234663852886e38;

// ---- argument checking --------------------------------------------------------------------------------

// show(v): what a value is, for the "got …" of an error (a string quoted, so '3' is not read as 3)
import { show } from './show.js';

// The API's own Errors, so that a guarded read can tell them from what a getter or a Proxy threw.
const ours = new WeakSet();
const fail = (message) => {
  const e = new Error(message);
  ours.add(e);
  throw e;
};
/** f() reads from a user's value; whatever a getter, a Proxy trap or a revoked Proxy throws becomes an Error naming `name`. */
function read(name, f) {
  try {
    return f();
  } catch (e) {
    if (ours.has(e)) throw e;
    return fail(`${name}: cannot be read (${e instanceof Error ? e.message : show(e)})`);
  }
}
const isArray = (name, v) => read(name, () => Array.isArray(v));

// Every engine call that can reject its input goes through here: the bindings keep the message instead of
// throwing across the wasm boundary (which would leak the call's arguments), and it becomes an Error here.
function checked(M, result) {
  const error = M.takeError();
  if (error !== '') fail(error);
  return result;
}

function integer(name, v, min, max = Number.MAX_SAFE_INTEGER) {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(`${name}: must be an integer in [${min}, ${max}], got ${show(v)}`);
  }
  return v + 0;  // −0 → 0 (a seed of −0 would not survive JSON)
}
function finite(name, v, { min = -Infinity, above } = {}) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (above !== undefined && !(v > above))) {
    const range = above !== undefined ? ` > ${above}` : min > -Infinity ? ` ≥ ${min}` : '';
    fail(`${name}: must be a finite number${range}, got ${show(v)}`);
  }
  return v;
}
function oneOf(name, v, allowed) {
  if (!allowed.includes(v)) fail(`${name}: unknown value ${show(v)} (expected one of ${allowed.join(', ')})`);
  return v;
}
/** A plain copy of an options object, read once (getters and Proxy traps run here, under read()). */
function knownKeys(name, obj, allowed) {
  if (obj === null || typeof obj !== 'object' || isArray(name, obj) || ArrayBuffer.isView(obj)) fail(`${name}: must be an object, got ${show(obj)}`);
  const out = {};
  for (const k of read(name, () => Object.keys(obj))) {
    if (!allowed.includes(k)) fail(`${name}: unknown option '${String(k).slice(0, 40)}' (expected ${allowed.join(', ')})`);
    out[k] = read(`${name}: ${k}`, () => obj[k]);
  }
  return out;
}

// The first index in v (a Float64Array or Float32Array) of a value that is NaN or whose magnitude is above
// `max`, or −1: a plain loop, about 1 ns per value, so that checking costs little next to the engine's work
// (eight values per iteration: about 1.5× faster in V8 than one). Two copies, so that each stays monomorphic
// (V8 optimises a loop for the array type it sees).
function badF64(v, max) {
  const n = v.length;
  let i = 0;
  for (; i + 7 < n; i += 8) {
    if (!(Math.abs(v[i]) <= max && Math.abs(v[i + 1]) <= max && Math.abs(v[i + 2]) <= max && Math.abs(v[i + 3]) <= max
      && Math.abs(v[i + 4]) <= max && Math.abs(v[i + 5]) <= max && Math.abs(v[i + 6]) <= max && Math.abs(v[i + 7]) <= max)) break;
  }
  for (; i < n; i++) if (!(Math.abs(v[i]) <= max)) return i;
  return -1;
}
function badF32(v, max) {
  const n = v.length;
  let i = 0;
  for (; i + 7 < n; i += 8) {
    if (!(Math.abs(v[i]) <= max && Math.abs(v[i + 1]) <= max && Math.abs(v[i + 2]) <= max && Math.abs(v[i + 3]) <= max
      && Math.abs(v[i + 4]) <= max && Math.abs(v[i + 5]) <= max && Math.abs(v[i + 6]) <= max && Math.abs(v[i + 7]) <= max)) break;
  }
  for (; i < n; i++) if (!(Math.abs(v[i]) <= max)) return i;
  return -1;
}
function badValue(name, i, x, f32) {
  if (typeof x !== 'number' && typeof x !== 'bigint') fail(`${name}[${i}]: must be a number, got ${show(x)}`);
  const n = Number(x);
  if (!Number.isFinite(n)) fail(`${name}[${i}]: must be a finite number, got ${show(n)}`);
  if (f32 && Math.abs(n) > F32_MAX) fail(`${name}[${i}]: ${show(n)} is outside the float32 range (±${F32_MAX})`);
}

/**
 * Numbers for the engine, each finite (and, for a float32 network, within float32's range), checked before
 * anything is copied: the length first (at most `max` values, `width` per example), then every value.
 * A Float64Array or Float32Array that passes is returned as it is (the engine copies it in one
 * TypedArray.set); any other array becomes a new Float64Array. Errors name the element: inputs[7].
 */
function numbers(name, v, { width = 0, max = LIMITS.maxValues, f32 = false } = {}) {
  const typed = ArrayBuffer.isView(v) && !(v instanceof DataView);
  if (!typed && !isArray(name, v)) fail(`${name}: must be an array or typed array of numbers, got ${show(v)}`);
  const n = read(name, () => v.length);
  if (n > max) fail(`${name}: at most ${max} values${width ? ` (${Math.floor(max / width)} examples of ${width})` : ''}, got ${n}`);
  if (width && (n === 0 || n % width !== 0)) {
    fail(`${name}: length must be a positive multiple of ${width} (values per example), got ${n}`);
  }
  const hi = f32 ? F32_MAX : Number.MAX_VALUE;
  if (v instanceof Float64Array || v instanceof Float32Array) {
    const i = v instanceof Float64Array ? badF64(v, hi) : badF32(v, hi);
    if (i >= 0) badValue(name, i, v[i], f32);
    return v;
  }
  // plain arrays (element by element: an element may be anything, or a getter), other typed arrays
  const out = new Float64Array(n);
  let i = 0;
  try {
    for (; i < n; i++) {
      const x = v[i];
      if (typeof x === 'number' && x >= -hi && x <= hi) out[i] = x;
      else {
        badValue(name, i, x, f32);
        out[i] = Number(x);
      }
    }
  } catch (e) {
    read(`${name}[${i}]`, () => { throw e; });
  }
  return out;
}
function regularization(opts, where) {
  const l1 = opts.l1 ?? 0, l2 = opts.l2 ?? 0;
  finite(`${where}l1`, l1, { min: 0 });
  finite(`${where}l2`, l2, { min: 0 });
  if (l1 > 0 && l2 > 0) fail(`${where}l1/l2: choose one regularization, got l1 = ${l1} and l2 = ${l2}`);
  return l1 > 0 ? ['l1', l1] : l2 > 0 ? ['l2', l2] : ['none', 0];
}
// A row-major nested list of shape rows × cols (or a vector of `rows` numbers when cols is undefined) →
// flat numbers. Errors name the element: weights[0][1][2], inputs[3][1]. Lengths are checked before
// anything is read (rows × cols ≤ LIMITS.maxValues is the caller's).
function nested(name, v, rows, cols, f32 = false) {
  if (!isArray(name, v)) fail(`${name}: must be a list of ${rows} ${cols === undefined ? 'numbers' : 'rows'}, got ${show(v)}`);
  const length = read(name, () => v.length);
  if (length !== rows) fail(`${name}: expected ${rows} ${cols === undefined ? 'values' : 'rows'}, got ${length}`);
  if (rows * (cols ?? 1) > LIMITS.maxValues) fail(`${name}: at most ${LIMITS.maxValues} values, got ${rows} × ${cols}`);
  if (cols === undefined) return numbers(name, v, { f32 });
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = read(`${name}[${r}]`, () => v[r]);
    if (!isArray(`${name}[${r}]`, row)) fail(`${name}[${r}]: must be a list of ${cols} numbers, got ${show(row)}`);
    const n = read(`${name}[${r}]`, () => row.length);
    if (n !== cols) fail(`${name}[${r}]: expected ${cols} values, got ${n}`);
    out.set(numbers(`${name}[${r}]`, row, { f32 }), r * cols);
  }
  return out;
}

import { unpackExplanation, unpackPrincipal } from './explain.js';

// The operations of the engine's "explore" entry point (bindings.cpp, enum Explore: the same order).
const OP = { explain: 0, step: 1, revert: 2, broken: 3, activations: 4, principal: 5 };

// ---- loading --------------------------------------------------------------------------------------------

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined'
  && typeof importScripts === 'undefined';

/**
 * The API over one build of the engine. `createModule` is the build's Emscripten factory, `defaultWasmUrl`
 * where its .wasm is. `build`: what the build contains — the full one (default) or the page's, which has
 * the float32 model only (no float64 networks, no trace, no gradientCheck, which runs in float64); there
 * they are an Error saying so, and `precision` defaults to 'float32'.
 */
export function makeApi(createModule, defaultWasmUrl, { build = 'full' } = {}) {
  const info = build === 'page'
    ? { name: 'bindings/page.js', float64: false, defaultPrecision: 'float32' }
    : { name: 'bindings/index.js', float64: true, defaultPrecision: 'float64' };
  let loading;

  /**
   * Loads the engine once per realm (later calls share it). In node the .wasm is read from disk; in a
   * browser it is fetched from defaultWasmUrl. `options.wasmBinary` / `options.wasmUrl` override that.
   */
  function loadBackprop(options = {}) {
    const custom = options.wasmBinary || options.wasmUrl || options.wasmModule;
    if (!custom && loading) return loading;
    const p = (async () => {
      const wasmUrl = options.wasmUrl ?? defaultWasmUrl;
      let wasmBinary = options.wasmBinary;
      if (options.wasmModule !== undefined) {
        // An already compiled WebAssembly.Module (e.g. compiled once on a page and posted to each lab's
        // worker): instantiate it instead of downloading and compiling the .wasm again.
        if (!(options.wasmModule instanceof WebAssembly.Module)) fail(`wasmModule: must be a WebAssembly.Module, got ${show(options.wasmModule)}`);
        const module = options.wasmModule;
        const M = await createModule({
          instantiateWasm(imports, done) {
            WebAssembly.instantiate(module, imports).then((instance) => done(instance, module));
            return {};  // Emscripten's convention for an asynchronous instantiateWasm
          },
        });
        return new Backprop(M, info);
      }
      if (!wasmBinary && isNode) {
        const fsName = 'node:fs/promises';  // hidden from bundlers: only node reaches this branch
        const { readFile } = await import(/* @vite-ignore */ fsName);
        wasmBinary = await readFile(wasmUrl);
      }
      const M = await createModule({ wasmBinary, locateFile: () => String(wasmUrl) });
      return new Backprop(M, info);
    })();
    if (!custom) {
      loading = p;
      p.catch(() => { if (loading === p) loading = undefined; });  // a failed load can be retried
    }
    return p;
  }
  return { loadBackprop };
}

// What the full module has and the page module lacks: an Error naming the call and the way out.
function notInPageBuild(what, build) {
  fail(`${what}: not in this build: ${build.name} is the page's float32-only engine; import the full module (bindings/index.js, 'backprop-lab') for it`);
}

// ---- the engine -----------------------------------------------------------------------------------------

const NETWORK_OPTIONS = ['layers', 'activation', 'outputActivation', 'cost', 'init', 'seed', 'precision', 'features'];
const MODEL_FIELDS = ['weights', 'biases', 'format', 'version'];

class Backprop {
  #M; #build;
  constructor(M, build) { this.#M = M; this.#build = build; }

  /** Creates a network; see index.d.ts for the options and their defaults. */
  createNetwork(options) {
    const o = knownKeys('createNetwork options', options ?? fail('createNetwork: options are required (at least layers)'), NETWORK_OPTIONS);
    const config = normalizeConfig(o, '', this.#build);
    return new Network(this.#M, config, this.#build);
  }

  /** Rebuilds a network from net.toJSON() output (the object or its JSON string). */
  networkFromJSON(json) {
    let obj = json;
    if (typeof json === 'string') {
      try { obj = JSON.parse(json); } catch (e) { fail(`model JSON: malformed JSON (${e.message})`); }
    }
    if (obj === null || typeof obj !== 'object' || isArray('model JSON', obj)) fail(`model JSON: must be an object, got ${show(obj)}`);
    const fields = {};
    for (const k of read('model JSON', () => Object.keys(obj))) {
      if (!NETWORK_OPTIONS.includes(k) && !MODEL_FIELDS.includes(k)) fail(`model JSON: unknown field '${String(k).slice(0, 40)}'`);
      fields[k] = read(`model JSON: ${k}`, () => obj[k]);
    }
    const { weights, biases, format, version, ...rest } = fields;
    if (format !== undefined && format !== 'backprop-lab/network') fail(`model JSON: format must be 'backprop-lab/network', got ${show(format)}`);
    // toJSON writes version 1; a later format would be read wrongly, so anything else is refused
    if (version !== undefined && version !== 1) fail(`model JSON: version must be 1 (the format this backprop-lab reads), got ${show(version)}`);
    const config = normalizeConfig(rest, 'model JSON: ', this.#build);
    const L = config.layers.length - 1;
    const f32 = config.precision === 'float32';
    if (!isArray('model JSON: weights', weights)) fail(`model JSON: weights must be a list of ${L} matrices, got ${show(weights)}`);
    if (!isArray('model JSON: biases', biases)) fail(`model JSON: biases must be a list of ${L} vectors, got ${show(biases)}`);
    const nW = read('model JSON: weights', () => weights.length), nb = read('model JSON: biases', () => biases.length);
    if (nW !== L) fail(`model JSON: weights: expected ${L} matrices, got ${nW}`);
    if (nb !== L) fail(`model JSON: biases: expected ${L} vectors, got ${nb}`);
    const at = (list, name, l) => read(`${name}[${l}]`, () => list[l]);
    const W = [], b = [];
    for (let l = 0; l < L; l++) W.push(nested(`model JSON: weights[${l}]`, at(weights, 'model JSON: weights', l), config.layers[l + 1], config.layers[l], f32));
    for (let l = 0; l < L; l++) b.push(nested(`model JSON: biases[${l}]`, at(biases, 'model JSON: biases', l), config.layers[l + 1], undefined, f32));
    const net = new Network(this.#M, config, this.#build);
    try {
      W.forEach((w, l) => net.setWeights(l + 1, w));
      b.forEach((v, l) => net.setBiases(l + 1, v));
    } catch (e) { net.dispose(); throw e; }
    return net;
  }

  /**
   * A seeded 2D dataset: { inputs (n × 2), targets (n × outputs), testInputs, testTargets, kind, outputs,
   * classes, name }, all row-major Float64Arrays.
   */
  dataset(name, options = {}) {
    oneOf('dataset', name, DATASETS);
    const o = knownKeys('dataset options', options, ['n', 'noise', 'seed', 'testRatio', 'classes']);
    const n = integer('n', o.n ?? 500, 1, LIMITS.maxDatasetPoints);
    const noise = finite('noise', o.noise ?? 0, { min: 0 });
    if (noise > 1) fail(`noise: must be in [0, 1], got ${noise}`);
    const seed = integer('seed', o.seed ?? 1, 0);
    const testRatio = finite('testRatio', o.testRatio ?? 0, { min: 0 });
    if (testRatio >= 1) fail(`testRatio: must be in [0, 1), got ${testRatio}`);
    const classes = integer('classes', o.classes ?? 3, 3, 5);
    // the core rounds n · testRatio to the test set's size; at least one point must stay for training
    if (Math.floor(n * testRatio + 0.5) >= n) fail(`n/testRatio: n = ${n} with testRatio ${testRatio} leaves no training point (lower testRatio or raise n)`);
    return checked(this.#M, this.#M.dataset(name, n, noise, seed, testRatio, classes));
  }

  /** The `backprop-lab trace` computation: every intermediate of backprop in float64 (see README). */
  trace(spec) {
    if (!this.#build.float64) notInPageBuild('trace', this.#build);
    const s = knownKeys('spec', spec, ['layers', 'activation', 'output_activation', 'cost', 'weights', 'biases',
      'inputs', 'targets', 'learning_rate', 'batch_size', 'steps', 'l2', 'l1']);
    const layers = checkLayers('layers', s.layers);
    const activation = oneOf('activation', s.activation ?? 'sigmoid', ACTIVATIONS);
    const output = oneOf('output_activation', s.output_activation ?? activation, OUTPUT_ACTIVATIONS);
    const cost = oneOf('cost', s.cost ?? 'quadratic', COSTS);
    const L = layers.length - 1;
    const list = (name, v, what) => {
      if (!isArray(name, v) || read(name, () => v.length) !== L) fail(`${name}: expected a list of ${L} ${what}, got ${show(v)}`);
      return Array.from({ length: L }, (_, l) => read(`${name}[${l}]`, () => v[l]));
    };
    const W = list('weights', s.weights, 'matrices').map((w, l) => nested(`weights[${l}]`, w, layers[l + 1], layers[l]));
    const b = list('biases', s.biases, 'vectors').map((v, l) => nested(`biases[${l}]`, v, layers[l + 1]));
    const n = isArray('inputs', s.inputs) ? read('inputs', () => s.inputs.length) : 0;
    if (n === 0) fail(`inputs: must be a non-empty list of examples, got ${show(s.inputs)}`);
    // every example is an array of its own in the core's trace: a tighter limit than for flat data
    const maxN = Math.min(LIMITS.maxExamples, Math.floor(LIMITS.maxValues / Math.max(layers[0], layers[L])));
    if (n > maxN) fail(`inputs: at most ${maxN} examples in a trace, got ${n}`);
    const X = nested('inputs', s.inputs, n, layers[0]);
    const Y = nested('targets', s.targets, n, layers[L]);
    const steps = integer('steps', s.steps ?? 0, 0, 1e9);
    const batch = Math.min(integer('batch_size', s.batch_size ?? 1, 1), LIMITS.maxExamples);  // above n: one batch of n
    const lr = s.learning_rate ?? (steps > 0 ? undefined : 1);
    finite('learning_rate', lr, { above: 0 });
    const [reg, lambda] = regularization(s, '');
    const r = checked(this.#M, this.#M.trace(layers, activation, output, cost, concat(W), concat(b), X, Y, lr, batch, steps, reg, lambda));
    const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : Array.isArray(v) ? v.map(plain) : v);
    const fe = r.first_example;
    return {
      cost_initial: r.cost_initial,
      first_example: { z: plain(fe.z), a: plain(fe.a), delta: plain(fe.delta), grad_W: plain(fe.grad_W), grad_b: plain(fe.grad_b), cost: fe.cost },
      grad_W: plain(r.grad_W), grad_b: plain(r.grad_b),
      weights_final: plain(r.weights_final), biases_final: plain(r.biases_final), cost_final: r.cost_final,
      ...(r.diverged ? { diverged: true, steps_applied: r.steps } : {}),
    };
  }

  /** Bytes the engine's allocator holds (for leak checks). */
  heapInUse() { return this.#M.heapInUse(); }
  /** Size of the wasm memory in bytes. */
  memoryBytes() { return this.#M.HEAPU8.length; }
  /** JS values the engine holds handles to (embind's emval table): constant unless something leaks. */
  handleCount() { return this.#M.count_emval_handles(); }
}

function checkGrid(resolution, extent) {
  integer('resolution', resolution, 1, LIMITS.maxGridResolution);
  finite('extent', extent, { above: 0 });
  if (extent > LIMITS.maxGridExtent) fail(`extent: at most ${LIMITS.maxGridExtent} (beyond it x1² overflows float32), got ${show(extent)}`);
}

// a (a Float64Array or Float32Array copy of checked data) and b hold the same values. Values only: a user's
// Float32Array equals the copy kept of it.
function sameValues(a, b) {
  if (b === a) return true;
  if (!(ArrayBuffer.isView(b) || Array.isArray(b)) || b.length !== a.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(arrays) {
  const out = new Float64Array(arrays.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of arrays) { out.set(a, o); o += a.length; }
  return out;
}

// A short list (layers, features) read once into a plain array, its length checked first; holes read as undefined.
function shortList(name, v, max, what) {
  if (!isArray(name, v)) fail(`${name}: must be a list of ${what}, got ${show(v)}`);
  const n = read(name, () => v.length);
  if (n > max) fail(`${name}: at most ${max} ${max === LIMITS.maxLayers ? 'layers' : 'entries'}, got ${n}`);
  return read(name, () => Array.from({ length: n }, (_, i) => v[i]));
}

function checkLayers(name, layersIn) {
  const layers = shortList(name, layersIn, LIMITS.maxLayers, 'layer sizes like [2, 8, 8, 1]');
  if (layers.length < 2) fail(`${name}: need at least two layers (inputs and outputs), got ${layers.length}`);
  layers.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > LIMITS.maxLayerSize) {
      fail(`${name}[${i}]: size must be an integer in [1, ${LIMITS.maxLayerSize}], got ${show(v)}`);
    }
  });
  let params = 0;
  for (let l = 1; l < layers.length; l++) params += layers[l] * (layers[l - 1] + 1);
  if (params > LIMITS.maxParameters) fail(`${name}: ${params} parameters exceed the limit of ${LIMITS.maxParameters}`);
  return layers;
}

function normalizeConfig(o, where, build) {
  const layers = checkLayers(`${where}layers`, o.layers);
  const activation = oneOf(`${where}activation`, o.activation ?? 'sigmoid', ACTIVATIONS);
  const outputActivation = oneOf(`${where}outputActivation`, o.outputActivation ?? activation, OUTPUT_ACTIVATIONS);
  const cost = oneOf(`${where}cost`, o.cost ?? 'quadratic', COSTS);
  if (cost === 'cross_entropy' && outputActivation !== 'sigmoid' && outputActivation !== 'softmax') {
    fail(`${where}outputActivation: cross_entropy needs a sigmoid or softmax output, got '${outputActivation}'`);
  }
  const init = oneOf(`${where}init`, o.init ?? 'xavier', INITS);
  const seed = integer(`${where}seed`, o.seed ?? 1, 0);
  const precision = oneOf(`${where}precision`, o.precision ?? build.defaultPrecision, PRECISIONS);
  if (precision === 'float64' && !build.float64) {
    fail(`${where}precision: 'float64' is not in this build: ${build.name} is the page's float32-only engine; use precision: 'float32', or import the full module (bindings/index.js, 'backprop-lab')`);
  }
  let features = null;
  if (o.features !== undefined && o.features !== null) {
    const what = `a non-empty list of ${FEATURES.join(', ')}`;
    const list = shortList(`${where}features`, o.features, FEATURES.length, what);
    if (list.length === 0) fail(`${where}features: must be ${what}, got ${show(o.features)}`);
    list.forEach((f, i) => oneOf(`${where}features[${i}]`, f, FEATURES));
    if (new Set(list).size !== list.length) fail(`${where}features: duplicate feature in ${show(list)}`);
    features = FEATURES.filter((f) => list.includes(f));  // canonical order = the order of the inputs
    if (layers[0] !== features.length) fail(`${where}layers[0]: must equal the number of features (${features.length}), got ${layers[0]}`);
  }
  return { layers, activation, outputActivation, cost, init, seed, precision, features };
}

// ---- a network --------------------------------------------------------------------------------------------

const TRAIN_OPTIONS = ['learningRate', 'batchSize', 'epochs', 'steps', 'l1', 'l2', 'shuffle'];

class Network {
  #M; #h; #config; #build;
  #lastInputs; #lastTargets;  // the training data last loaded (also what gradientCheck() uses by default)

  constructor(M, config, build) {
    this.#M = M;
    this.#build = build;
    this.#config = Object.freeze({ ...config, layers: Object.freeze([...config.layers]), features: config.features && Object.freeze([...config.features]) });
    const mask = config.features ? config.features.reduce((m, f) => m | (1 << FEATURES.indexOf(f)), 0) : 0;
    const Cls = config.precision === 'float32' ? M.ModelF32 : M.ModelF64;
    this.#h = checked(M, Cls.create(config.layers, config.activation, config.outputActivation, config.cost, mask, config.init, config.seed));
  }

  #handle() { return this.#h ?? fail('network: used after dispose()'); }

  /** The options the network was created with (layers, activation, …, precision, features). */
  get config() { return this.#config; }
  get layers() { return [...this.#config.layers]; }
  /** Number of values per example row that train/predict take: 2 with features, else layers[0]. */
  get inputWidth() { return this.#config.features ? 2 : this.#config.layers[0]; }
  get outputs() { return this.#config.layers.at(-1); }
  get parameterCount() { return this.#handle().parameterCount(); }
  get disposed() { return this.#h === null; }

  /** Whole epochs completed since the last setData, counting only the steps kept (see train()). */
  get epochs() { return this.#handle().epochs(); }

  // Inputs/targets/points checked for this network: lengths against LIMITS first, then every value.
  #inputs(name, v) {
    const w = this.inputWidth;
    return numbers(name, v, { width: w, max: Math.min(LIMITS.maxValues, LIMITS.maxExamples * w), f32: this.#f32 });
  }
  #targets(v) {
    const k = this.outputs;
    return numbers('targets', v, { max: Math.min(LIMITS.maxValues, LIMITS.maxExamples * k), f32: this.#f32 });
  }
  get #f32() { return this.#config.precision === 'float32'; }

  /** Loads training data into the engine (copied); later train() calls may omit inputs/targets. */
  setData(inputs, targets) {
    const h = this.#handle();
    const X = this.#inputs('inputs', inputs), Y = this.#targets(targets);
    checked(this.#M, h.setData(X, Y));
    // kept (as a copy: the caller may change theirs) for train(X, Y) to recognise and for gradientCheck()
    this.#lastInputs = X === inputs ? X.slice() : X;
    this.#lastTargets = Y === targets ? Y.slice() : Y;
  }

  // Whether inputs/targets hold exactly the data last loaded (then train(X, Y) goes on with them as
  // train(options) does, instead of loading them again). Any doubt (a getter, another length) is "no".
  #isLoaded(inputs, targets) {
    const X = this.#lastInputs, Y = this.#lastTargets;
    if (!X) return false;
    try {
      return sameValues(X, inputs) && sameValues(Y, targets);
    } catch {
      return false;
    }
  }

  /**
   * SGD over the data: `epochs` whole passes (default 1), or `steps` mini-batch steps that wrap into further
   * epochs. Returns { cost, steps, diverged } and, when diverged, { message, restoredEpoch }: the weights
   * went back to the checkpoint (the end of epoch restoredEpoch = this.epochs) and cost is the full
   * training cost C there. See index.d.ts and core/model.hpp (Model::train).
   */
  train(inputs, targets, options = {}) {
    if (inputs !== undefined && inputs !== null && !ArrayBuffer.isView(inputs) && !isArray('inputs', inputs) && targets === undefined) {
      options = inputs; inputs = undefined;  // train(options) with data from setData()
    }
    const o = knownKeys('train options', options, TRAIN_OPTIONS);
    const lr = finite('learningRate', o.learningRate ?? 0.03, { above: 0 });
    // a batch larger than the data is one batch of all of it: the engine's limit keeps it in 32 bits
    const batch = Math.min(integer('batchSize', o.batchSize ?? 10, 1), LIMITS.maxExamples);
    const epochs = integer('epochs', o.epochs ?? 1, 0, 1e9);
    const steps = integer('steps', o.steps ?? 0, 0, 1e12);
    const [reg, lambda] = regularization(o, '');
    if (o.shuffle !== undefined && typeof o.shuffle !== 'boolean') fail(`shuffle: must be true or false, got ${show(o.shuffle)}`);
    if (inputs !== undefined && inputs !== null) {
      if (!this.#isLoaded(inputs, targets)) this.setData(inputs, targets);
    } else if (!this.#lastInputs) fail('train: no training data (pass inputs and targets, or call setData first)');
    const r = checked(this.#M, this.#handle().train(lr, batch, epochs, steps, reg, lambda, !!o.shuffle));
    if (!r.diverged && r.steps === 0) r.cost = null;  // no step applied: there is no cost to report
    if (r.diverged) {
      const at = r.restoredEpoch === 0 ? 'the start (epoch 0)' : `the end of epoch ${r.restoredEpoch}`;
      r.message = Number.isFinite(r.cost)
        ? `diverged: at learning rate ${lr} a step made the cost or a weight NaN or infinite. The weights went back to the checkpoint at ${at}, where the training cost is ${+r.cost.toPrecision(4)}; train on from there with a lower learning rate (e.g. ${lr / 10})`
        : `diverged: the cost on the training data is already ${r.cost} at the current weights (they or the data overflow ${this.#config.precision}); set other weights or data`;
    }
    return r;
  }

  /** Cost C (with the l1/l2 term if given) and accuracy on any examples. */
  evaluate(inputs, targets, options = {}) {
    const o = knownKeys('evaluate options', options, ['l1', 'l2']);
    const [reg, lambda] = regularization(o, '');
    return checked(this.#M, this.#handle().evaluate(this.#inputs('inputs', inputs), this.#targets(targets), reg, lambda));
  }

  /** Outputs for each row of points (n × inputWidth): Float64Array, n × outputs, row-major. */
  predict(points) {
    return checked(this.#M, this.#handle().predict(this.#inputs('points', points)));
  }

  /**
   * Outputs over a resolution² grid of cell centres on [−extent, extent]²: Float32Array, output-major
   * (out[j·res² + row·res + col]), row 0 at the top (x2 = +extent). A copy, safe to transfer.
   */
  grid(options = {}) {
    const { resolution = 100, extent = 6 } = knownKeys('grid options', options, ['resolution', 'extent']);
    checkGrid(resolution, extent);
    return checked(this.#M, this.#handle().gridView(resolution, extent)).slice();
  }

  /**
   * a^l_j of every neuron of layers 1…L over the grid of grid() (same cells, same picture activations):
   * Float32Array, neuron (l, j) at [(n_1 + … + n_(l−1) + j)·res², …+res²), cells in grid() order, so the last
   * n_L blocks are grid(). A copy, safe to transfer.
   */
  neuronGrid(options = {}) {
    const { resolution = 24, extent = 6 } = knownKeys('neuronGrid options', options, ['resolution', 'extent']);
    checkGrid(resolution, extent);
    return checked(this.#M, this.#handle().neuronGridView(resolution, extent)).slice();
  }

  /**
   * One forward and backward pass over all the training data (setData) at the current weights, with no
   * SGD step and without disturbing training (position in the epoch, layer(l)): { cost, accuracy, layers }
   * with, per layer l = 1…L, deltaNorm = sqrt((1/n) Σ_x ‖δ_x^l‖²), gradWNorm = ‖∂C/∂W^l‖, gradBNorm =
   * ‖∂C/∂b^l‖, and Float32Array copies gradW (row-major), gradB, saturation (per neuron, the fraction of
   * examples with σ'(z) < 5 % of max σ'; 0 for ReLU, and at an output where σ' cancels) and dead (ReLU: the
   * fraction with z ≤ 0). Gradients are of the full C, with the l1/l2 term if given.
   */
  inspect(options = {}) {
    const o = knownKeys('inspect options', options, ['l1', 'l2']);
    const [reg, lambda] = regularization(o, '');
    if (!this.#lastInputs) fail('inspect: no training data (call setData, or train with inputs and targets, first)');
    // two views into wasm memory (bindings.cpp, inspect_view): sliced here before anything can move them
    const { values, stats } = checked(this.#M, this.#handle().inspectView(reg, lambda));
    const { layers } = this.#config;
    const out = { cost: stats[0], accuracy: stats[1], layers: [] };
    let v = 0;
    for (let l = 1; l < layers.length; l++) {
      const nW = layers[l] * layers[l - 1], n = layers[l], s = 2 + 4 * (l - 1);
      out.layers.push({
        deltaNorm: stats[s], gradWNorm: stats[s + 1], gradBNorm: stats[s + 2],
        gradW: values.slice(v, v + nW), gradB: values.slice(v + nW, v + nW + n),
        saturation: values.slice(v + nW + n, v + nW + 2 * n), dead: values.slice(v + nW + 2 * n, v + nW + 3 * n),
        sigmaPrimeCancels: stats[s + 3] === 1,
      });
      v += nW + 3 * n;
    }
    return out;
  }

  /**
   * Layer l (1..L) after the last training step: W, b, z, a, delta, gradW, gradB as typed-array copies.
   * inspect() does not change it.
   */
  layer(l) {
    const h = this.#handle();
    const L = this.#config.layers.length - 1;
    integer('layer', l, 1, L);
    return {
      rows: this.#config.layers[l], cols: this.#config.layers[l - 1], batchSize: h.batchSize(),
      W: h.W(l).slice(), b: h.b(l).slice(), z: h.z(l).slice(), a: h.a(l).slice(),
      delta: h.delta(l).slice(), gradW: h.gradW(l).slice(), gradB: h.gradB(l).slice(),
    };
  }

  /** Replace W^l (row-major, n_l × n_(l−1)) or b^l; checked first, nothing changes on error. */
  setWeights(l, values) {
    const { layers } = this.#config;
    integer('layer', l, 1, layers.length - 1);
    const name = `weights[${l - 1}]`, n = layers[l] * layers[l - 1];
    const length = isArray(name, values) || ArrayBuffer.isView(values) ? read(name, () => values.length) : n;
    if (length !== n) fail(`${name}: expected ${layers[l]} × ${layers[l - 1]} = ${n} values, got ${length}`);
    checked(this.#M, this.#handle().setWeights(l, numbers(name, values, { max: n, f32: this.#f32 })));
  }
  setBiases(l, values) {
    const { layers } = this.#config;
    integer('layer', l, 1, layers.length - 1);
    const name = `biases[${l - 1}]`, n = layers[l];
    const length = isArray(name, values) || ArrayBuffer.isView(values) ? read(name, () => values.length) : n;
    if (length !== n) fail(`${name}: expected ${n} values, got ${length}`);
    checked(this.#M, this.#handle().setBiases(l, numbers(name, values, { max: n, f32: this.#f32 })));
  }
  /** Edit one weight w^l_jk live. */
  setWeight(l, j, k, value) {
    const { layers } = this.#config;
    integer('layer', l, 1, layers.length - 1);
    integer('j', j, 0, layers[l] - 1);
    integer('k', k, 0, layers[l - 1] - 1);
    this.#value(value);
    const W = this.#handle().W(l).slice();
    W[j * layers[l - 1] + k] = value;
    checked(this.#M, this.#handle().setWeights(l, W));
  }
  setBias(l, j, value) {
    const { layers } = this.#config;
    integer('layer', l, 1, layers.length - 1);
    integer('j', j, 0, layers[l] - 1);
    this.#value(value);
    const b = this.#handle().b(l).slice();
    b[j] = value;
    checked(this.#M, this.#handle().setBiases(l, b));
  }
  #value(value) {
    finite('value', value);
    if (this.#f32 && Math.abs(value) > F32_MAX) fail(`value: ${show(value)} is outside the float32 range (±${F32_MAX})`);
  }

  /**
   * Central finite differences of the full cost against backprop, in float64, for every parameter (or a
   * seeded sample of maxParameters on large nets). Uses the given data or the training data.
   */
  gradientCheck(inputs, targets, options = {}) {
    if (!this.#build.float64) notInPageBuild('gradientCheck', this.#build);
    if (inputs !== undefined && !ArrayBuffer.isView(inputs) && !isArray('inputs', inputs) && targets === undefined) { options = inputs; inputs = undefined; }
    const o = knownKeys('gradientCheck options', options, ['l1', 'l2', 'maxParameters', 'onProgress']);
    const [reg, lambda] = regularization(o, '');
    const maxParameters = Math.min(integer('maxParameters', o.maxParameters ?? 4096, 1), this.parameterCount);
    if (o.onProgress !== undefined && typeof o.onProgress !== 'function') fail(`onProgress: expected a function (done, total), got ${show(o.onProgress)}`);
    let X = inputs, Y = targets;
    if (X === undefined) {
      X = this.#lastInputs ?? fail('gradientCheck: no data (pass inputs and targets, or train first)');
      Y = this.#lastTargets;
    }
    return checked(this.#M, this.#handle().gradientCheck(this.#inputs('inputs', X), this.#targets(Y), reg, lambda, maxParameters, o.onProgress));
  }

  /**
   * Where training stands in its schedule of mini-batches: { order, cursor, shuffled, rng } — the order the
   * examples are visited in, where the next step starts, whether it was ever shuffled, and the shuffle
   * generator's state (64 hex digits). With the weights (toJSON) it decides every later step: a network
   * rebuilt from both, on the same data, trains on exactly as this one would (setSchedule).
   */
  schedule() {
    const v = this.#handle().schedule();
    const hex = Array.from(v.subarray(0, 8), (x) => x.toString(16).padStart(8, '0')).join('');
    return { order: Array.from(v.subarray(10)), cursor: v[9], shuffled: v[8] === 1, rng: hex };
  }

  /** Sets a schedule() back, after setData with the same data. Checked first (an Error naming the field); nothing changes on error. */
  setSchedule(schedule) {
    const o = knownKeys('schedule', schedule, ['order', 'cursor', 'shuffled', 'rng']);
    if (!this.#lastInputs) fail('setSchedule: no training data (call setData first)');
    const n = this.#lastInputs.length / this.inputWidth;
    if (!Array.isArray(o.order) || o.order.length !== n) fail(`schedule.order: must be a list of the ${n} example indices, got ${show(o.order)}`);
    o.order.forEach((k, i) => integer(`schedule.order[${i}]`, k, 0, n - 1));
    integer('schedule.cursor', o.cursor, 0, Math.max(0, n - 1));
    if (typeof o.shuffled !== 'boolean') fail(`schedule.shuffled: must be true or false, got ${show(o.shuffled)}`);
    if (typeof o.rng !== 'string' || !/^[0-9a-f]{64}$/i.test(o.rng)) fail(`schedule.rng: must be 64 hex digits (the shuffle generator's state), got ${show(o.rng)}`);
    const words = Array.from({ length: 8 }, (_, i) => parseInt(o.rng.slice(8 * i, 8 * i + 8), 16));
    checked(this.#M, this.#handle().setSchedule([...words, o.shuffled ? 1 : 0, o.cursor, ...o.order]));
  }

  // ---- the step-through, one step on chosen examples, the teaching switch, a layer's space -------------

  /** The engine's one entry point for the calls below (bindings.cpp, "explore"): op, then its arguments. */
  #explore(op, x = null, i = 0, a = 0, b = 0) { return this.#handle().explore(op, x, i, a, b); }

  /** Training examples from setData, for the calls below: their count, or an Error naming `what`. */
  #examples(what) {
    if (!this.#lastInputs) fail(`${what}: no training data (call setData, or train with inputs and targets, first)`);
    return this.#lastInputs.length / this.inputWidth;
  }
  /** A training-example index (a number) or a non-empty list of them → the list, each checked. */
  #indices(v, n) {
    if (typeof v === 'number') return [integer('index', v, 0, n - 1)];
    if (!Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      fail(`index: must be an integer in [0, ${n - 1}] or a list of them, got ${show(v)}`);
    }
    if (v.length === 0) fail('indices: must be a non-empty list of example indices');
    if (v.length > LIMITS.maxExamples) fail(`indices: at most ${LIMITS.maxExamples} examples, got ${v.length}`);
    return Array.from(v, (i, k) => integer(`indices[${k}]`, i, 0, n - 1));
  }

  /**
   * Backprop on training example `index` (or the mini-batch `indices`) with the current weights, every
   * factor of BP1–BP4 kept, without touching training (see index.d.ts, Explanation).
   */
  explain(which) {
    const n = this.#examples('explain');
    const single = typeof which === 'number';
    const indices = this.#indices(which, n);
    const broken = this.broken;  // read first: the view below is valid only until the next engine call
    const flat = checked(this.#M, this.#explore(OP.explain, Float64Array.from(indices)));
    return unpackExplanation(flat, {
      layers: this.#config.layers, indices, single, rows: this.#lastInputs, width: this.inputWidth, broken,
    });
  }

  /**
   * One SGD step on exactly these training examples (a mini-batch of their count; one index: the per-example
   * fit_partial), the regularisation scaled by the training-set size n as train() does; the position in the
   * epoch is not moved. Returns the batch's mean C_x before and after (no regularisation term).
   */
  stepExamples(indices, options = {}) {
    const n = this.#examples('stepExamples');
    const o = knownKeys('stepExamples options', options, ['learningRate', 'l1', 'l2']);
    const lr = finite('learningRate', o.learningRate ?? 0.03, { above: 0 });
    const [reg, lambda] = regularization(o, '');
    const idx = this.#indices(indices, n);
    const [costBefore, costAfter, diverged] = checked(this.#M, this.#explore(OP.step, Float64Array.from(idx), ['none', 'l1', 'l2'].indexOf(reg), lr, lambda));
    const r = { costBefore, costAfter, diverged: diverged === 1 };
    if (r.diverged) {
      r.message = `diverged: the step would have made a weight or the cost NaN or infinite; it was not applied (learning rate ${lr}: try a lower one)`;
    }
    return r;
  }

  /** Takes back the last SGD step (stepExamples', or train()'s last) exactly; false if there is none. */
  revertStep() { return this.#explore(OP.revert)[0] === 1; }

  /** The "break an equation" teaching switch: one of BROKEN_EQUATIONS, or null for the correct equations. */
  setBroken(name) {
    // the engine takes the equation's number: 0 = none, i + 1 = BROKEN_EQUATIONS[i] (bindings.cpp)
    const code = name === null ? 0 : oneOf('broken', name, BROKEN_EQUATIONS) && BROKEN_EQUATIONS.indexOf(name) + 1;
    checked(this.#M, this.#explore(OP.broken, null, code));
  }
  get broken() {
    return BROKEN_EQUATIONS[this.#explore(OP.broken, null, -1)[0] - 1] ?? null;
  }

  /** a^l (layer 0 = the features … L) for each input row: Float64Array, n × n_l, row-major. */
  activations(points, options) {
    const o = knownKeys('activations options', options ?? fail('activations: options are required ({ layer })'), ['layer']);
    integer('layer', o.layer, 0, this.#config.layers.length - 1);
    return checked(this.#M, this.#explore(OP.activations, this.#inputs('points', points), o.layer));
  }

  /** The mean of a^l over the training data and its first two principal directions (index.d.ts). */
  principalDirections(options) {
    const o = knownKeys('principalDirections options', options ?? fail('principalDirections: options are required ({ layer })'), ['layer']);
    integer('layer', o.layer, 0, this.#config.layers.length - 1);
    this.#examples('principalDirections');
    const flat = checked(this.#M, this.#explore(OP.principal, null, o.layer));
    return unpackPrincipal(flat, this.#config.layers[o.layer]);
  }

  /** The gradient check of one parameter w^l_jk (k = −1: the bias b^l_j) on the training data. */
  gradientCheckParameter(l, j, k, options = {}) {
    if (!this.#build.float64) notInPageBuild('gradientCheckParameter', this.#build);
    const { layers } = this.#config;
    integer('layer', l, 1, layers.length - 1);
    integer('j', j, 0, layers[l] - 1);
    integer('k', k, -1, layers[l - 1] - 1);
    const o = knownKeys('gradientCheckParameter options', options, ['l1', 'l2']);
    const [reg, lambda] = regularization(o, '');
    this.#examples('gradientCheckParameter');
    return checked(this.#M, this.#handle().gradientCheckParameter(l, j, k, reg, lambda));
  }

  /** A plain-JSON description: the config plus weights (nested row-major) and biases. */
  toJSON() {
    const h = this.#handle();
    const { layers } = this.#config;
    const weights = [], biases = [];
    for (let l = 1; l < layers.length; l++) {
      const W = Array.from(h.W(l));
      weights.push(Array.from({ length: layers[l] }, (_, j) => W.slice(j * layers[l - 1], (j + 1) * layers[l - 1])));
      biases.push(Array.from(h.b(l)));
    }
    const c = this.#config;
    return {
      format: 'backprop-lab/network', version: 1, layers: [...layers], activation: c.activation,
      outputActivation: c.outputActivation, cost: c.cost, init: c.init, seed: c.seed, precision: c.precision,
      ...(c.features ? { features: [...c.features] } : {}), weights, biases,
    };
  }

  /** Frees the engine's memory for this network. Idempotent. */
  dispose() {
    if (this.#h) { this.#h.delete(); this.#h = null; }
  }
  [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() { this.dispose(); }
}
