// Own data (dataset 'own'): writing and reading the compact text form that the state, a link and an attribute
// carry (described in ./datatext.js, which checks it for state.js), and the train/test split of own points. Loaded
// by the worker and on demand by the page (drawing, CSV), not in the first chunk.
import { OWN_LIMITS, MAX_DATA_TEXT, B64, GRID, dataInfo, dataProblem, decodePoints } from './datatext.js';
import { show } from '../../../bindings/show.js';

export { OWN_LIMITS, MAX_DATA_TEXT, dataInfo };
const HALF = 600, LEVELS = 201, MAX_EXPONENT = 3;

const fmt = (n) => n.toLocaleString('en-US');
// The module's own Errors, so that toOwnData can tell them from what a getter or a Proxy threw.
const ours = new WeakSet();
const fail = (message) => { const e = new Error(message); ours.add(e); throw e; };
const shown = (v) => show(v, 40);

// Steps of 10^(e−2) in v, rounded.
const steps = (v, e) => Math.round(e >= 2 ? v / 10 ** (e - 2) : v * 10 ** (2 - e));

/** The smallest exponent in −3 … 3 at which every |v| rounds to at most `half` steps; null if none. */
function exponent(values, half) {
  for (let e = -MAX_EXPONENT; e <= MAX_EXPONENT; e++) {
    if (values.every((v) => Math.abs(steps(v, e)) <= half)) return e;
  }
  return null;
}

/**
 * Any JS form of own data → the canonical object, or an Error naming the field:
 *   { points: [[x1, x2, label], …], kind?: 'binary' | 'multiclass' | 'regression', classes?: 2 … 5 }
 *   or just the array of points. Labels: class indices 0 … k−1, or any finite number for regression.
 * Without a kind: integer labels in 0 … 4 are classes (k = the largest + 1, at least 2), anything else regression.
 * Returns { kind, classes (0 for regression), points } with fresh arrays.
 */
export function toOwnData(value) {
  try {
    return readOwnData(value);
  } catch (e) {
    if (ours.has(e)) throw e;
    // a revoked Proxy, a throwing getter or trap: named as the data that could not be read, not a raw TypeError
    return fail(`data: cannot be read (${e instanceof Error ? e.message : shown(e)}); expected { points: [[x1, x2, label], …] } or a list of [x1, x2, label]`);
  }
}

function readOwnData(value) {
  const obj = Array.isArray(value) ? { points: value } : value;
  if (obj === null || typeof obj !== 'object') fail(`data: expected { points: [[x1, x2, label], …] }, got ${shown(value)}`);
  const points = obj.points;
  if (!Array.isArray(points)) fail(`data.points: expected a list of [x1, x2, label], got ${shown(points)}`);
  if (points.length < 1 || points.length > OWN_LIMITS.maxPoints) {
    fail(`data.points: ${fmt(points.length)} points, expected 1 … ${fmt(OWN_LIMITS.maxPoints)}`);
  }
  const out = new Array(points.length);
  for (let n = 0; n < points.length; n++) {   // a for loop, not map: holes in a sparse array are errors too
    const p = points[n];
    if (!Array.isArray(p) || p.length !== 3) fail(`data.points[${n}]: expected [x1, x2, label], got ${shown(p)}`);
    for (let c = 0; c < 3; c++) {
      if (typeof p[c] !== 'number' || !Number.isFinite(p[c])) fail(`data.points[${n}][${c}]: expected a finite number, got ${shown(p[c])}`);
    }
    out[n] = [p[0], p[1], p[2]];
  }
  let kind = obj.kind;
  if (kind !== undefined && !['binary', 'multiclass', 'regression'].includes(kind)) {
    fail(`data.kind: expected 'binary', 'multiclass' or 'regression', got ${shown(kind)}`);
  }
  const labels = out.map((p) => p[2]);
  const isClass = (v) => Number.isInteger(v) && v >= 0 && v < OWN_LIMITS.maxClasses;
  const minClasses = 2;
  if (kind === undefined) kind = labels.every(isClass) ? 'classes' : 'regression';
  if (kind === 'regression') return { kind, classes: 0, points: out };
  const bad = labels.findIndex((v) => !isClass(v));
  if (bad >= 0) fail(`data.points[${bad}][2]: expected a class index 0 … ${OWN_LIMITS.maxClasses - 1}, got ${shown(labels[bad])}`);
  let classes = obj.classes ?? Math.max(minClasses, ...labels.map((v) => v + 1));
  if (!Number.isInteger(classes) || classes < minClasses || classes > OWN_LIMITS.maxClasses) {
    fail(`data.classes: expected an integer in ${minClasses} … ${OWN_LIMITS.maxClasses}, got ${shown(classes)}`);
  }
  const over = labels.findIndex((v) => v >= classes);
  if (over >= 0) fail(`data.points[${over}][2]: class ${labels[over]} is not below data.classes = ${classes}`);
  if (kind === 'multiclass' && obj.classes === undefined && classes === 2) classes = 3;
  const want = classes === 2 ? 'binary' : 'multiclass';
  if (obj.kind !== undefined && obj.kind !== want) fail(`data.kind: '${obj.kind}' does not fit ${classes} classes`);
  return { kind: want, classes, points: out };
}

/**
 * Own data (any form toOwnData takes) → the canonical text. Throws an Error naming the field, or saying which
 * coordinate or target is beyond what the text form holds (|x| ≤ 6000, |target| ≤ 1000: rescale first).
 */
export function encodeData(value) {
  const d = toOwnData(value);
  const coords = d.points.flatMap((p) => [p[0], p[1]]);
  const e = exponent(coords, HALF);
  if (e === null) {
    const worst = coords.reduce((a, v) => (Math.abs(v) > Math.abs(a) ? v : a), 0);
    fail(`data: coordinate ${worst} is beyond ±${fmt(6 * 10 ** MAX_EXPONENT)}, which own data can hold — rescale the points (fit to the view)`);
  }
  let t = 0;
  if (d.kind === 'regression') {
    t = exponent(d.points.map((p) => p[2]), 100);
    if (t === null) fail(`data: a regression target is beyond ±${fmt(10 ** MAX_EXPONENT)}, which own data can hold — rescale the targets`);
  }
  const k = d.kind === 'regression' ? 0 : d.classes;
  let text = (k ? `c${k}` : 'r') + (e ? `e${e}` : '') + (t ? `t${t}` : '') + '.';
  const width = k ? 4 : 5;
  for (const [x1, x2, label] of d.points) {
    const cell = (steps(x1, e) + HALF) * GRID + steps(x2, e) + HALF;
    let v = k ? cell * k + label : cell * LEVELS + steps(label, t) + 100;
    let chars = '';
    for (let c = 0; c < width; c++) { chars = B64[v % 64] + chars; v = Math.floor(v / 64); }
    text += chars;
  }
  return text;
}

/**
 * The text form → { kind, classes, points: [[x1, x2, label], …] }. Throws an Error that says what is wrong
 * (too long, header, length, a character or a point outside the grid) — checked on the length first.
 */
export function decodeData(text) {
  const problem = dataProblem(text);
  if (problem) fail(`data ${problem}${typeof text === 'string' ? '' : `: ${shown(text)}`}`);
  const { kind, classes } = dataInfo(text);
  return { kind, classes, points: decodePoints(text) };
}

/** Own data as the text form keeps it: coordinates and targets on its grid (what a link reproduces). */
export const quantize = (value) => decodeData(encodeData(value));

// mulberry32: a small seeded generator, so a split is the same on every machine and in every run.
function rng(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let r = Math.imul(s ^ (s >>> 15), 1 | s);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Which of n own points train and which test, for trainRatio (%) and the data seed: round(n·ratio/100) points
 * (at least 1) picked by the seed, each part in the data's own order (so with shuffle off an epoch visits the
 * points as they were given: the notes' fit_partial loop). 100 % puts every point in training.
 * → { train: number[], test: number[] } (indices into the points).
 */
export function splitData(n, trainRatio, seed = 0) {
  const nTrain = Math.min(n, Math.max(1, Math.round((n * trainRatio) / 100)));
  const order = Array.from({ length: n }, (_, i) => i), r = rng(seed ^ 0x5eed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const isTrain = new Uint8Array(n);
  for (let i = 0; i < nTrain; i++) isTrain[order[i]] = 1;
  const train = [], test = [];
  for (let i = 0; i < n; i++) (isTrain[i] ? train : test).push(i);
  return { train, test };
}
