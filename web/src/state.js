// The lab's state: one plain object, the single source of truth for the URL hash (#key=value&…), the
// attributes of <backprop-lab> (kebab-case) and its `state` property. Everything that turns outside text or
// values into a valid state lives here, so every way in follows the same rules: a bad value never breaks the
// page, it falls back to the default and says so in a notice. Pure ES module without the DOM, so node tests it.

const opt = (value, label = value) => ({ value: String(value), label: String(label) });
const LEARNING_RATES = ['0.00001', '0.0001', '0.001', '0.003', '0.01', '0.03', '0.1', '0.3', '1', '3', '10'];
const REGULARIZATION_RATES = ['0', '0.001', '0.003', '0.01', '0.03', '0.1', '0.3', '1', '3', '10'];

/**
 * Per key, in URL order: type, label, default and what is allowed.
 *   enum     options [{ value, label }]; the state holds the value string (speed too: '1' | '10' | '100' | 'max')
 *   integer  min, max (inclusive); `options` where the UI offers a select
 *   number   min, max (inclusive, any finite number); `options` are the presets the UI offers, as strings
 *   boolean  'true'/'false' or '1'/'0' in text; an empty string (a bare attribute) is true
 *   set      a subset of options, kept in the order of options, at least minItems; comma list in text
 *   sizes    hidden layer sizes, 0 … maxItems integers in [min, max]; comma list in text, '' = no hidden layer
 */
export const SCHEMA = deepFreeze({
  dataset: {
    type: 'enum', label: 'Data', default: 'circle',
    options: [opt('circle', 'Circle'), opt('xor', 'XOR'), opt('gauss', 'Two gaussians'), opt('spiral', 'Spiral'),
      opt('moons', 'Moons'), opt('blobs', '3-class blobs'), opt('spiral3', '3-arm spiral'),
      opt('plane', 'Plane (regression)'), opt('multigauss', 'Multi-gaussian (regression)')],
  },
  classes: { type: 'integer', label: 'Classes', default: 3, min: 3, max: 5, options: [opt(3), opt(4), opt(5)] },
  noise: { type: 'integer', label: 'Noise (%)', default: 0, min: 0, max: 50 },
  trainRatio: { type: 'integer', label: 'Ratio of training data (%)', default: 50, min: 10, max: 90 },
  points: { type: 'integer', label: 'Points', default: 500, min: 50, max: 2000 },
  batchSize: { type: 'integer', label: 'Batch size', default: 10, min: 1, max: 100 },
  // No default: the element draws one with randomSeed() and writes it to the URL, so every link is reproducible.
  seed: { type: 'integer', label: 'Seed', default: undefined, min: 0, max: 2 ** 31 - 1 },
  features: {
    type: 'set', label: 'Features', default: ['x1', 'x2'], minItems: 1,
    options: [opt('x1', 'X₁'), opt('x2', 'X₂'), opt('x1sq', 'X₁²'), opt('x2sq', 'X₂²'), opt('x1x2', 'X₁X₂'),
      opt('sinx1', 'sin(X₁)'), opt('sinx2', 'sin(X₂)')],
  },
  layers: { type: 'sizes', label: 'Hidden layers', default: [4, 2], min: 1, max: 16, maxItems: 8 },
  activation: {
    type: 'enum', label: 'Activation', default: 'tanh',
    options: [opt('relu', 'ReLU'), opt('tanh', 'Tanh'), opt('sigmoid', 'Sigmoid'), opt('linear', 'Linear')],
  },
  output: {
    type: 'enum', label: 'Output activation', default: 'auto',
    options: [opt('auto', 'Auto'), opt('sigmoid', 'Sigmoid'), opt('tanh', 'Tanh'), opt('linear', 'Linear'),
      opt('softmax', 'Softmax')],
  },
  cost: {
    type: 'enum', label: 'Cost', default: 'auto',
    options: [opt('auto', 'Auto'), opt('quadratic', 'Quadratic'), opt('cross_entropy', 'Cross-entropy')],
  },
  init: {
    type: 'enum', label: 'Initialization', default: 'xavier',
    options: [opt('xavier', 'Xavier'), opt('nielsen', 'Nielsen'), opt('he', 'He'), opt('uniform', 'Uniform'),
      opt('zeros', 'Zeros')],
  },
  learningRate: {
    type: 'number', label: 'Learning rate', default: 0.03, min: 1e-6, max: 100, options: LEARNING_RATES.map((v) => opt(v)),
  },
  regularization: {
    type: 'enum', label: 'Regularization', default: 'none',
    options: [opt('none', 'None'), opt('l1', 'L1'), opt('l2', 'L2')],
  },
  regularizationRate: {
    type: 'number', label: 'Regularization rate', default: 0, min: 0, max: 10,
    options: REGULARIZATION_RATES.map((v) => opt(v)),
  },
  showTestData: { type: 'boolean', label: 'Show test data', default: false },
  discretize: { type: 'boolean', label: 'Discretize output', default: false },
  linkColor: {
    type: 'enum', label: 'Link colour', default: 'weight', options: [opt('weight', 'Weight'), opt('gradient', 'Gradient')],
  },
  speed: {
    type: 'enum', label: 'Speed (epochs per frame)', default: '10',
    options: [opt('1', '1'), opt('10', '10'), opt('100', '100'), opt('max', 'Max')],
  },
});

export const KEYS = Object.freeze(Object.keys(SCHEMA));

/** Every key with a default (seed has none, so it is left out). */
export const DEFAULTS = deepFreeze(Object.fromEntries(
  KEYS.filter((k) => SCHEMA[k].default !== undefined).map((k) => [k, SCHEMA[k].default])));

/** learningRate ↔ learning-rate */
export const attributeName = (key) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const KEY_OF_ATTRIBUTE = new Map(KEYS.map((k) => [attributeName(k), k]));
/** learning-rate ↔ learningRate; null for a name that is not a state attribute. */
export const keyOfAttribute = (name) => KEY_OF_ATTRIBUTE.get(name) ?? null;
/** For observedAttributes. */
export const ATTRIBUTES = Object.freeze([...KEY_OF_ATTRIBUTE.keys()]);

/** A seed for when none is given: an integer in [0, 2^31 − 1]. */
export const randomSeed = () => Math.floor(Math.random() * 2 ** 31);

// ---------------------------------------------------------------------------------------------- checking

// Strict decimal syntax: Number() would also take '', ' ', '0x1f', 'Infinity', which no link should carry.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Shows a bad value in a notice: strings quoted, objects as JSON where possible, the rest (NaN too) as is. */
function show(v) {
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'`;
  if (v === null || typeof v !== 'object') return String(v);
  try { return JSON.stringify(v); } catch { return String(v); }
}
const format = (v) => (v === undefined ? 'a random seed' : Array.isArray(v) ? `'${v.join(',')}'` : String(v));

/** Text or a JS value to a number; null if it is neither a finite number nor decimal text. */
function toNumber(v) {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && DECIMAL.test(v.trim())) return Number(v.trim());
  return null;
}

/** Text or JS value → list of strings: arrays as they are, text split at commas ('' is the empty list). */
function toList(v) {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x.trim() : x));
  if (typeof v === 'string') return v.trim() === '' ? [] : v.split(',').map((x) => x.trim());
  return null;
}

/**
 * One key's value (text from a URL or attribute, or any JS value) → { value } if valid, else { problem }:
 * the words after the bad value in the notice.
 */
function check(key, raw) {
  const s = SCHEMA[key];
  switch (s.type) {
    case 'enum': {
      const v = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
      const hit = s.options.find((o) => o.value === v);
      return hit ? { value: hit.value } : { problem: `is not one of ${s.options.map((o) => o.value).join(', ')}` };
    }
    case 'integer':
    case 'number': {
      const n = toNumber(raw);
      if (n === null) return { problem: 'is not a number' };
      if (s.type === 'integer' && !Number.isInteger(n)) return { problem: 'is not an integer' };
      if (n < s.min || n > s.max) return { problem: `is outside ${s.min} … ${s.max}` };
      return { value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const t = typeof raw === 'string' ? raw.trim().toLowerCase() : typeof raw === 'number' ? String(raw) : null;
      if (t === 'true' || t === '1' || t === '') return { value: true };
      if (t === 'false' || t === '0') return { value: false };
      return { problem: 'is not true/false' };
    }
    case 'set': {
      const list = toList(raw);
      if (list === null) return { problem: 'is not a list' };
      const allowed = s.options.map((o) => o.value);
      const bad = list.find((x) => !allowed.includes(x));
      if (bad !== undefined) return { problem: `has ${show(bad)}, not one of ${allowed.join(', ')}` };
      // Canonical order and no repeats, so equal sets give equal states and equal links.
      const value = allowed.filter((x) => list.includes(x));
      if (value.length < s.minItems) return { problem: `needs at least ${s.minItems}` };
      return { value };
    }
    case 'sizes': {
      const list = toList(raw);
      if (list === null) return { problem: 'is not a list' };
      if (list.length > s.maxItems) return { problem: `has more than ${s.maxItems} layers` };
      const value = list.map(toNumber);
      if (value.some((n) => n === null || !Number.isInteger(n) || n < s.min || n > s.max)) {
        return { problem: `needs integers in ${s.min} … ${s.max}` };
      }
      return { value };
    }
  }
  return { problem: 'is not understood' };
}

/**
 * Builds a full state from `lookup(key)` (undefined/null = not given): not given → fallback[key], bad →
 * fallback[key] plus a notice. Never throws.
 */
function build(lookup, fallback) {
  const state = {}, notices = [];
  for (const key of KEYS) {
    const raw = lookup(key);
    let value = fallback[key];
    if (raw !== undefined && raw !== null) {
      const r = check(key, raw);
      if ('value' in r) value = r.value;
      else notices.push(`${key}: ${show(raw)} ${r.problem} — using ${format(value)}`);
    }
    if (value !== undefined) state[key] = Array.isArray(value) ? [...value] : value;
  }
  return { state, notices };
}

// ------------------------------------------------------------------------------------------------ the API

/** '#dataset=xor&noise=10' (with or without '#') → { state, notices }. Never throws. */
export function parseHash(hash) {
  const given = new Map(), notices = [];
  const text = String(hash ?? '').replace(/^#/, '');
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));   // a bare '#discretize' reads as a flag
    // Object.hasOwn, not `in`: '__proto__' or 'toString' in a link must be unknown keys, not SCHEMA's.
    if (Object.hasOwn(SCHEMA, key)) given.set(key, value);
    else notices.push(`unknown setting ${show(key)} ignored`);
  }
  const r = build((k) => given.get(k), DEFAULTS);
  return { state: r.state, notices: [...notices, ...r.notices] };
}

function decode(s) {
  // No '+' → ' ' as in forms: '1e+2' typed into a link is a number. Malformed '%' stays as typed.
  try { return decodeURIComponent(s); } catch { return s; }
}

/** A state → 'dataset=circle&classes=3&…' (no '#'), every key in KEYS order so a link says everything. */
export function toHash(state) {
  // Commas stay readable: layers=4,2 rather than layers=4%2C2.
  const text = (v) => encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v)).replace(/%2C/g, ',');
  return KEYS.filter((k) => state[k] !== undefined).map((k) => `${k}=${text(state[k])}`).join('&');
}

/** getAttr(kebabName) → string or null (element.getAttribute) ⇒ { state, notices }. */
export function fromAttributes(getAttr) {
  return build((k) => getAttr(attributeName(k)), DEFAULTS);
}

/**
 * A state object from JS (the element's `state` setter) → { state, notices }. Values may be numbers,
 * booleans, arrays or text. Keys it lacks, and bad values, come from `base` (the current state; DEFAULTS
 * if not given).
 */
export function validate(partial, base = DEFAULTS) {
  const obj = partial !== null && typeof partial === 'object' ? partial : {};
  const notices = Object.keys(obj).filter((k) => !Object.hasOwn(SCHEMA, k)).map((k) => `unknown setting ${show(k)} ignored`);
  const fallback = { ...DEFAULTS, ...base };
  const r = build((k) => (Object.hasOwn(obj, k) ? obj[k] : undefined), fallback);
  return { state: r.state, notices: [...notices, ...r.notices] };
}

/** What the network has to learn for a dataset. */
export function problemKind(dataset) {
  if (dataset === 'blobs' || dataset === 'spiral3') return 'multiclass';
  if (dataset === 'plane' || dataset === 'multigauss') return 'regression';
  return 'binary';
}

/**
 * The output activation and cost the engine gets, with 'auto' resolved, and notices where a choice could
 * not be honoured: multi-class needs softmax (one-hot targets); softmax over a single output is always 1;
 * cross-entropy needs a sigmoid or softmax output and targets in [0, 1] (regression targets are in [−1, 1]).
 */
export function resolve(state) {
  const kind = problemKind(state.dataset), notices = [];
  const natural = { binary: 'sigmoid', multiclass: 'softmax', regression: 'linear' }[kind];
  let outputActivation = state.output === 'auto' || state.output === undefined ? natural : state.output;
  if (kind === 'multiclass' && outputActivation !== 'softmax') {
    notices.push(`output: '${outputActivation}' can't give class probabilities — using softmax`);
    outputActivation = 'softmax';
  } else if (kind !== 'multiclass' && outputActivation === 'softmax') {
    notices.push(`output: softmax over a single output is always 1 — using ${natural}`);
    outputActivation = natural;
  }
  const autoCost = kind === 'regression' ? 'quadratic' : 'cross_entropy';
  let cost = state.cost === 'auto' || state.cost === undefined ? autoCost : state.cost;
  if (cost === 'cross_entropy' && kind === 'regression') {
    notices.push('cost: cross-entropy needs targets in [0, 1], regression targets are in [−1, 1] — using quadratic');
    cost = 'quadratic';
  } else if (cost === 'cross_entropy' && outputActivation !== 'sigmoid' && outputActivation !== 'softmax') {
    notices.push(`cost: cross-entropy needs a sigmoid or softmax output, not ${outputActivation} — using quadratic`);
    cost = 'quadratic';
  }
  return { outputActivation, cost, notices };
}

/** [n_features, ...hidden layers, n_outputs] for the engine's createNetwork({ layers }). */
export function networkSizes(state) {
  const outputs = state.dataset === 'blobs' ? state.classes : state.dataset === 'spiral3' ? 3 : 1;
  return [state.features.length, ...state.layers, outputs];
}

const same = (a, b, keys) => keys.every((k) => String(a[k]) === String(b[k]));   // String: arrays by content

/** Same data points? (else: new dataset) `classes` only matters for blobs. */
export function sameData(a, b) {
  return same(a, b, ['dataset', 'noise', 'trainRatio', 'points', 'seed']) &&
    (a.dataset !== 'blobs' || a.classes === b.classes);
}

/** Same network shape and functions? (else: a new network). Compares what the engine gets, 'auto' resolved. */
export function sameNetwork(a, b) {
  const ra = resolve(a), rb = resolve(b);
  return same(a, b, ['features', 'activation', 'init']) && String(networkSizes(a)) === String(networkSizes(b)) &&
    ra.outputActivation === rb.outputActivation && ra.cost === rb.cost;
}

/** Same training hyper-parameters? (else: just tell the worker the new ones). */
export function sameHyper(a, b) {
  return same(a, b, ['learningRate', 'regularization', 'regularizationRate', 'batchSize']);
}

function deepFreeze(o) {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}
