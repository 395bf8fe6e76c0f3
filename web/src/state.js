// The lab's state: one plain object, the single source of truth for the URL hash (#key=value&…), the
// attributes of <backprop-lab> (kebab-case) and its `state` property. Everything that turns outside text or
// values into a valid state lives here, so every way in follows the same rules: a bad value never breaks the
// page, it falls back to the default and says so in a notice. Pure ES module without the DOM, so node tests it.
//
// What a link writes (toHash): every setting that defines a run (data, network, training, seeds, and the view
// settings that were always there), so a link says everything; the optional keys — marked `optional` below: the
// step-through, the hidden-layer view, the theme, the lecture mode, keep-weights and own data — only when they
// differ from their default, so they cost nothing in the links that do not use them. A TensorFlow Playground
// link is read too, into the same state (its translation, web/src/playground.js, is loaded on first need).
import { OWN_LIMITS, dataInfo, dataProblem } from './data/datatext.js';
import { show as describe } from '../../bindings/show.js';  // the "got …" of every error and notice
const show = (v) => describe(v, 43);  // a notice names the value briefly (a string: 40 characters in quotes)

const opt = (value, label = value) => ({ value: String(value), label: String(label) });
const LEARNING_RATES = ['0.00001', '0.0001', '0.001', '0.003', '0.01', '0.03', '0.1', '0.3', '1', '3', '10'];
const REGULARIZATION_RATES = ['0', '0.001', '0.003', '0.01', '0.03', '0.1', '0.3', '1', '3', '10'];
const MAX_POINTS = 2000;   // generated data (points) and own data (OWN_LIMITS.maxPoints) alike
const SEED = { min: 0, max: 2 ** 31 - 1 };

/**
 * Per key, in URL order: type, label, default and what is allowed.
 *   enum     options [{ value, label }]; the state holds the value string (speed too: '1' | '10' | '100' | 'max');
 *            extraOptions: values also accepted that a picker does not always offer (dataset 'own': once own
 *            data exist)
 *   integer  min, max (inclusive); `options` where the UI offers a select
 *   number   min, max (inclusive, any finite number); `options` are the presets the UI offers, as strings
 *   boolean  'true'/'false' or '1'/'0' in text; an empty string (a bare attribute) is true
 *   set      a subset of options, kept in the order of options, at least minItems; comma list in text
 *   sizes    hidden layer sizes, 0 … maxItems integers in [min, max]; comma list in text, '' = no hidden layer
 *   view     a hidden layer and two of its neurons, or its first two principal directions: '1:0,1' | '1:pca'
 *   points   own data in its compact text form ('c2.…' | 'r.…', web/src/data/datatext.js), from every source:
 *            encodeData (web/src/data/points.js, loaded on demand) makes it from { points: [[x1, x2, label], …] }
 * `optional` keys are written to a link only when they differ from their default; `absent` says what a key
 * without a default (undefined) means, in notices.
 */
export const SCHEMA = deepFreeze({
  dataset: {
    type: 'enum', label: 'Data', default: 'circle',
    options: [opt('circle', 'Circle'), opt('xor', 'XOR'), opt('gauss', 'Two gaussians'), opt('spiral', 'Spiral'),
      opt('moons', 'Moons'), opt('blobs', 'Blobs (3–5 classes)'), opt('spiral3', '3-arm spiral'),
      opt('plane', 'Plane (regression)'), opt('multigauss', 'Multi-gaussian (regression)')],
    // The points in `data`: the picker shows it once there are some (a thumbnail drawn from them).
    extraOptions: [opt('own', 'Your data')],
  },
  classes: { type: 'integer', label: 'Classes', default: 3, min: 3, max: 5, options: [opt(3), opt(4), opt(5)] },
  noise: { type: 'integer', label: 'Noise (%)', default: 0, min: 0, max: 50 },
  // 100 %: no test data (own data as small as the 4 points of XOR has none to spare)
  trainRatio: { type: 'integer', label: 'Ratio of training data (%)', default: 50, min: 10, max: 100 },
  points: { type: 'integer', label: 'Points', default: 500, min: 50, max: MAX_POINTS },
  batchSize: { type: 'integer', label: 'Batch size', default: 10, min: 1, max: 100 },
  // false: every epoch visits the training points in the same order (the notes' fit_partial loop)
  shuffle: { type: 'boolean', label: 'Shuffle each epoch', default: true },
  // No default: the element draws one with randomSeed() and writes it to the URL, so every link is reproducible.
  seed: { type: 'integer', label: 'Seed', default: undefined, absent: 'a random seed', ...SEED },
  // The initial weights' seed; absent: `seed`'s, as in every link made before the two were apart.
  weightSeed: { type: 'integer', label: 'Weight seed', default: undefined, absent: 'the data seed', ...SEED },
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
  // A change of cost, output or activation keeps the current weights where the shapes allow.
  keepWeights: { type: 'boolean', label: 'Keep weights', default: false, optional: true },
  // The step-through: the training example it walks (absent: none), the step (the panel clamps it), the unit.
  explain: { type: 'integer', label: 'Explained example', default: undefined, absent: 'none', min: 0, max: MAX_POINTS - 1, optional: true },
  explainStep: { type: 'integer', label: 'Step of the walk', default: 0, min: 0, max: 999, optional: true },
  explainUnit: {
    type: 'enum', label: 'Walk through', default: 'example', optional: true,
    options: [opt('example', 'One example'), opt('batch', 'One mini-batch')],
  },
  hiddenSpace: { type: 'view', label: 'Hidden-layer view', default: undefined, absent: 'the view\'s default', optional: true },
  theme: { type: 'enum', label: 'Theme', default: 'auto', optional: true, options: [opt('auto', 'Auto'), opt('light', 'Light'), opt('dark', 'Dark')] },
  lecture: { type: 'boolean', label: 'Lecture mode', default: false, optional: true },
  // Last in a link: the settings stay readable before the long part.
  data: { type: 'points', label: 'Your data', default: undefined, absent: 'no own data', optional: true },
});

export const KEYS = Object.freeze(Object.keys(SCHEMA));

/** Every key with a default (seed, weightSeed, explain, hiddenSpace and data have none, so they are left out). */
export const DEFAULTS = deepFreeze(Object.fromEntries(
  KEYS.filter((k) => SCHEMA[k].default !== undefined).map((k) => [k, SCHEMA[k].default])));

/** learningRate ↔ learning-rate */
export const attributeName = (key) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const KEY_OF_ATTRIBUTE = new Map(KEYS.map((k) => [attributeName(k), k]));
/** learning-rate ↔ learningRate; null for a name that is not a state attribute. */
export const keyOfAttribute = (name) => KEY_OF_ATTRIBUTE.get(name) ?? null;
/** For observedAttributes. */
export const ATTRIBUTES = Object.freeze([...KEY_OF_ATTRIBUTE.keys()]);

/** The datasets the engine generates (the picker's thumbnails): SCHEMA.dataset.options; 'own' is an extra. */
export const GENERATED_DATASETS = Object.freeze(SCHEMA.dataset.options.map((o) => o.value));

/** A seed for when none is given: an integer in [0, 2^31 − 1]. */
export const randomSeed = () => Math.floor(Math.random() * 2 ** 31);

// ---------------------------------------------------------------------------------------------- checking

// Strict decimal syntax: Number() would also take '', ' ', '0x1f', 'Infinity', which no link should carry.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const format = (key, v) => (v === undefined ? SCHEMA[key].absent : Array.isArray(v) ? `'${v.join(',')}'`
  : key === 'data' ? `the current data (${dataInfo(v)?.n} points)` : String(v));
/**
 * An integer with thousands separators, as toLocaleString('en-US') writes it, without Intl: a page's first
 * Intl call loads ICU's data, 30–70 ms on this project's machine, and the epoch counter is on the first
 * frame's path (lab.js).
 */
export const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** One notice for any number of unknown keys: a few named, the rest counted. null for none. */
function unknownNotice(keys) {
  const list = [...new Set(keys)];
  if (list.length === 0) return null;
  if (list.length === 1) return `unknown setting ${show(list[0])} ignored`;
  const named = list.slice(0, 3).map(show).join(', ');
  return `unknown settings ignored: ${named}${list.length > 3 ? ` and ${thousands(list.length - 3)} more` : ''}`;
}

/** Text or a JS value to a number; null if it is neither a finite number nor decimal text. */
function toNumber(v) {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && DECIMAL.test(v.trim())) return Number(v.trim());
  return null;
}

/** Text or JS value → list of strings: arrays as they are, text split at commas ('' is the empty list). */
function toList(v) {
  // Array.from, not map: a hole in a sparse array ([4, , 2]) becomes undefined, which then fails the check.
  if (Array.isArray(v)) return Array.from(v, (x) => (typeof x === 'string' ? x.trim() : x));
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
      const all = [...s.options, ...(s.extraOptions ?? [])];
      const hit = all.find((o) => o.value === v);
      return hit ? { value: hit.value } : { problem: `is not one of ${all.map((o) => o.value).join(', ')}` };
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
      const bad = list.findIndex((x) => !allowed.includes(x));   // an index: the bad item may be undefined
      if (bad >= 0) return { problem: `has ${show(list[bad])}, not one of ${allowed.join(', ')}` };
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
    case 'view': {
      const v = typeof raw === 'string' ? parseHiddenSpace(raw) : null;
      if (!v) return { problem: 'is not a hidden layer and two neurons (1:0,1) or a layer and pca (1:pca)' };
      return { value: `${v.layer}:${v.pca ? 'pca' : v.neurons.join(',')}` };
    }
    case 'points': {
      // The text is checked, not decoded (the length first); points as JS values go through encodeData.
      if (typeof raw !== 'string') return { problem: 'is not own data\'s text (encodeData in data/points.js makes it from points)' };
      const problem = dataProblem(raw.trim());
      return problem ? { problem } : { value: raw.trim() };
    }
  }
  return { problem: 'is not understood' };
}

/**
 * A hidden-space view's text → { layer, neurons: [j, k] } or { layer, pca: true }; null if it is not one.
 * Layers are numbered as the engine does (1 = the first hidden layer), neurons from 0.
 */
export function parseHiddenSpace(text) {
  const m = /^([1-8]):(?:(\d{1,2}),(\d{1,2})|(pca))$/.exec(String(text).trim());
  if (!m) return null;
  const layer = Number(m[1]);
  if (m[4]) return { layer, pca: true };
  const j = Number(m[2]), k = Number(m[3]), max = SCHEMA.layers.max;
  return j !== k && j < max && k < max ? { layer, neurons: [j, k] } : null;
}

/**
 * Builds a full state from `lookup(key)` (undefined/null = not given): not given → fallback[key], bad →
 * fallback[key] plus a notice. Then the rules between keys. Never throws.
 * → { state, notices: [{ key, text }] }; `name(key)` is the key's name in the notices.
 */
function build(lookup, fallback, name = (key) => key) {
  const state = {}, notices = [];
  for (const key of KEYS) {
    const raw = lookup(key);
    let value = fallback[key];
    if (raw !== undefined && raw !== null) {
      const r = check(key, raw);
      if ('value' in r) value = r.value;
      else notices.push({ key, text: `${name(key)}: ${show(raw)} ${r.problem} — using ${format(key, value)}` });
    }
    if (value !== undefined) state[key] = Array.isArray(value) ? [...value] : value;
  }
  // Own data needs its points; a fallback value that came from elsewhere has to pass these rules too.
  if (state.dataset === 'own' && state.data === undefined) {
    const instead = fallback.dataset !== 'own' && fallback.dataset !== undefined ? fallback.dataset : DEFAULTS.dataset;
    notices.push({ key: 'dataset', text: `${name('dataset')}: 'own' needs own data points (the data setting) — using ${instead}` });
    state.dataset = instead;
  }
  // The hidden-space view must name a hidden layer that exists, and neurons it has (two at least, also for pca).
  const view = state.hiddenSpace && parseHiddenSpace(state.hiddenSpace);
  if (view) {
    const width = state.layers[view.layer - 1];
    if (width === undefined || width < 2 || (view.neurons && Math.max(...view.neurons) >= width)) {
      const has = state.layers.length ? `layers ${state.layers.join(',')}` : 'no hidden layer';
      notices.push({ key: 'hiddenSpace', text: `${name('hiddenSpace')}: '${state.hiddenSpace}' is not in this network (${has}) — using ${SCHEMA.hiddenSpace.absent}` });
      delete state.hiddenSpace;
    }
  }
  return { state, notices };
}
const texts = (notices) => notices.map((n) => n.text);

// ------------------------------------------------------------------------------------------------ the API

/** Links longer than this are read up to here (own data at its limit takes about 10,000 characters). */
export const MAX_HASH_LENGTH = 65536;

// TensorFlow Playground links (its src/state.ts writes every key of its state): the keys only it writes, and the
// keys both formats use, which a Playground link means the Playground's way.
const PLAYGROUND_ONLY = new Set(['regDataset', 'networkShape', 'percTrainData', 'x', 'y', 'xTimesY', 'xSquared',
  'ySquared', 'cosX', 'sinX', 'cosY', 'sinY', 'collectStats', 'problem', 'initZero', 'hideText', 'tutorial']);
const SHARED = ['activation', 'batchSize', 'dataset', 'learningRate', 'noise', 'seed', 'showTestData', 'discretize',
  'regularization', 'regularizationRate'];
// A key of this lab's state that a TensorFlow Playground link does not have.
const ownOnly = (key) => Object.hasOwn(SCHEMA, key) && !SHARED.includes(key);

/**
 * Is this (key → value text) map a TensorFlow Playground link? A key only the Playground has counts for it, and
 * so do its value formats on shared keys (a seed like 0.12345 — Math.random().toFixed(5) —, regularization L1/L2);
 * a key only this lab has counts against it. The Playground wins only with more evidence, so one of this lab's
 * links with a stray key stays this lab's.
 */
function isPlaygroundLink(map) {
  let playground = 0, own = 0;
  for (const [key, value] of map) {
    if (PLAYGROUND_ONLY.has(key) || (key.endsWith('_hide') && key.length > 5)) playground++;
    else if (ownOnly(key)) own++;
    else if ((key === 'seed' && /^0?\.\d+$/.test(value)) || (key === 'regularization' && /^L[12]$/.test(value))) playground++;
  }
  return playground > own;
}

let playground = null;   // web/src/playground.js, once loaded
/**
 * Loads the Playground translation (its own small chunk). parseHash of a Playground link needs it: until it is
 * loaded, such a link gives { format: 'playground', pending: true } and the defaults; load, then parse again.
 */
export async function loadPlayground() {
  playground ??= await import('./playground.js');
}

/**
 * '#dataset=xor&noise=10' (with or without '#') → { state, notices, format, hiddenControls, pending? }. Never
 * throws. format: 'backprop-lab', or 'playground' for a TensorFlow Playground link, which is translated
 * (web/src/playground.js); hiddenControls: the lab's control names that link hides (its `*_hide` keys), for the
 * element's `controls`; [] for this lab's own links. A Playground link gets one notice for all that could not
 * carry over; unknown keys (of either format) are one notice too. pending: true for a Playground link read
 * before loadPlayground() has resolved (the state is then the defaults): await loadPlayground(), parse again.
 */
export function parseHash(hash) {
  const map = new Map(), notices = [];
  let text = String(hash ?? '').replace(/^#/, '');
  if (text.length > MAX_HASH_LENGTH) {
    notices.push(`link: ${thousands(text.length)} characters, only the first ${thousands(MAX_HASH_LENGTH)} read`);
    text = text.slice(0, MAX_HASH_LENGTH);
  }
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    // A bare '#discretize' reads as a flag. The last of a repeated key wins, as in a URLSearchParams.get loop.
    map.set(decode(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decode(part.slice(eq + 1)));
  }
  if (isPlaygroundLink(map)) {
    if (playground) return fromPlaygroundLink(map, notices);
    return { state: { ...DEFAULTS, layers: [...DEFAULTS.layers], features: [...DEFAULTS.features] }, notices,
      format: 'playground', hiddenControls: [], pending: true };
  }
  // Object.hasOwn, not `in`: '__proto__' or 'toString' in a link must be unknown keys, not SCHEMA's.
  const unknown = unknownNotice([...map.keys()].filter((k) => !Object.hasOwn(SCHEMA, k)));
  if (unknown) notices.push(unknown);
  const r = build((k) => map.get(k), DEFAULTS);
  return { state: r.state, notices: [...notices, ...texts(r.notices)], format: 'backprop-lab', hiddenControls: [] };
}

function fromPlaygroundLink(map, notices) {
  const t = playground.fromPlayground(map, (k) => PLAYGROUND_ONLY.has(k) || SHARED.includes(k) || ownOnly(k));
  // Keys only this lab has, if a link carries some, are read as ours and win over the translation.
  const r = build((k) => (ownOnly(k) && map.has(k) ? map.get(k) : t.values[k]), DEFAULTS,
    (k) => (ownOnly(k) && map.has(k) ? k : t.source[k] ?? k));
  const ours = r.notices.filter((n) => ownOnly(n.key) && map.has(n.key));
  const carried = r.notices.filter((n) => !ours.includes(n));
  const unknown = unknownNotice(t.unknown);
  const parts = [...t.notes, ...texts(carried), ...(unknown ? [unknown] : [])];
  notices.push(`TensorFlow Playground link: ${parts.join('; ')}.`, ...texts(ours));
  return { state: r.state, notices, format: 'playground', hiddenControls: t.hiddenControls };
}

function decode(s) {
  // No '+' → ' ' as in forms: '1e+2' typed into a link is a number. Malformed '%' stays as typed.
  try { return decodeURIComponent(s); } catch { return s; }
}

/**
 * A state → 'dataset=circle&classes=3&…' (no '#'), in KEYS order: every key that defines a run, so a link says
 * everything, and the optional keys only where they differ from their default. Own data goes in while it has at
 * most OWN_LIMITS.linkPoints points (see linkHoldsData); a larger set needs the lab file.
 */
export function toHash(state) {
  // Commas and colons stay readable: layers=4,2 rather than layers=4%2C2.
  const text = (v) => encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v)).replace(/%2C/g, ',').replace(/%3A/g, ':');
  return KEYS.filter((k) => state[k] !== undefined && !(SCHEMA[k].optional && same(state, DEFAULTS, [k]))
    && (k !== 'data' || linkHoldsData(state)))
    .map((k) => `${k}=${text(state[k])}`).join('&');
}

/** Does toHash put the state's own data into the link? (true when there is none to put) */
export function linkHoldsData(state) {
  return state.data === undefined || (dataInfo(state.data)?.n ?? Infinity) <= OWN_LIMITS.linkPoints;
}

/** getAttr(kebabName) → string or null (element.getAttribute) ⇒ { state, notices }. */
export function fromAttributes(getAttr) {
  const r = build((k) => getAttr(attributeName(k)), DEFAULTS);
  return { state: r.state, notices: texts(r.notices) };
}

/**
 * A state object from JS (the element's `state` setter) → { state, notices }. Values may be numbers,
 * booleans, arrays or text. Keys it lacks, and bad values, come from `base` (the current state; DEFAULTS
 * if not given).
 */
export function validate(partial, base = DEFAULTS) {
  let obj = partial !== null && typeof partial === 'object' ? partial : {}, keys;
  try { keys = Object.keys(obj); } catch { keys = []; obj = {}; }   // e.g. a revoked Proxy
  const unknown = unknownNotice(keys.filter((k) => !Object.hasOwn(SCHEMA, k)));
  const fallback = { ...DEFAULTS, ...base };
  const r = build((k) => { try { return Object.hasOwn(obj, k) ? obj[k] : undefined; } catch { return undefined; } }, fallback);
  return { state: r.state, notices: [...(unknown ? [unknown] : []), ...texts(r.notices)] };
}

/**
 * What the network has to learn: 'binary' | 'multiclass' | 'regression'. Takes a dataset name (the old form),
 * a dataset name and own data's text, or a state; own data's kind comes from its points ('binary' if unknown).
 */
export function problemKind(dataset, data) {
  if (dataset !== null && typeof dataset === 'object') ({ dataset, data } = dataset);
  if (dataset === 'own') return dataInfo(data)?.kind ?? 'binary';
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
  const kind = problemKind(state), notices = [];
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

/** The number of classes the network's output tells apart: 0 for regression, 2 for binary, k for multi-class. */
export function classCount(state) {
  const kind = problemKind(state);
  if (kind === 'regression') return 0;
  if (kind === 'binary') return 2;
  return state.dataset === 'own' ? dataInfo(state.data).classes : state.dataset === 'blobs' ? state.classes : 3;
}

/** [n_features, ...hidden layers, n_outputs] for the engine's createNetwork({ layers }). */
export function networkSizes(state) {
  const k = classCount(state);
  return [state.features.length, ...state.layers, k > 2 ? k : 1];
}

/** The seed of the initial weights: weightSeed, or the data seed when it has none (every older link). */
export const weightSeedOf = (state) => state.weightSeed ?? state.seed;

const same = (a, b, keys) => keys.every((k) => String(a[k]) === String(b[k]));   // String: arrays by content

/**
 * Same data points? (else: new dataset) `classes` only matters for blobs; own data: the same points, split the
 * same way (trainRatio and seed).
 */
export function sameData(a, b) {
  if (a.dataset === 'own' || b.dataset === 'own') return same(a, b, ['dataset', 'data', 'trainRatio', 'seed']);
  return same(a, b, ['dataset', 'noise', 'trainRatio', 'points', 'seed']) &&
    (a.dataset !== 'blobs' || a.classes === b.classes);
}

/**
 * Same network shape and functions? (else: a new network). Compares what the engine gets, 'auto' resolved, and
 * an explicit weight seed (a new one draws new initial weights).
 */
export function sameNetwork(a, b) {
  const ra = resolve(a), rb = resolve(b);
  return same(a, b, ['features', 'activation', 'init', 'weightSeed']) && sameShape(a, b) &&
    ra.outputActivation === rb.outputActivation && ra.cost === rb.cost;
}

/** Same weight and bias shapes? Then the current weights can carry over a change (keepWeights). */
export function sameShape(a, b) {
  return String(networkSizes(a)) === String(networkSizes(b));
}

/** Same training hyper-parameters? (else: just tell the worker the new ones). */
export function sameHyper(a, b) {
  return same(a, b, ['learningRate', 'regularization', 'regularizationRate', 'batchSize', 'shuffle']);
}

function deepFreeze(o) {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v);
  return Object.freeze(o);
}
