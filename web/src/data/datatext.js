// Own data's text form, checked without decoding it: what state.js needs to validate the `data` key of a link, an
// attribute or el.state. It is in the page's first chunk, so it stays this small; the codec that writes and reads
// the points (encodeData, decodeData, splitData) is web/src/data/points.js, loaded by the worker and on demand.
//
// The text form, e.g. `c2.AHsL…` or `re1.…`:
//   header   `c<k>` (k = 2 … 5 classes) or `r` (regression), then `e<n>` if the coordinate exponent n ≠ 0,
//            then (regression) `t<n>` if the target exponent n ≠ 0 (n = ±1 … ±3), then '.'
//   payload  base64url, 4 characters (24 bits) per point for classes, 5 (30 bits) for regression
// Coordinates lie on a grid of 1201 steps over [−6·10ⁿ, 6·10ⁿ]: a step of 0.01 in the view's [−6, 6] (n = 0).
// A point is the integer
//   classes:    (i·1201 + j)·k + class            < 1201²·5 < 2²⁴
//   regression: (i·1201 + j)·201 + (t + 100)      < 1201²·201 < 2³⁰
// with i, j = 600 + x₁, x₂ in steps, t the target in steps of 1 % of ±10ᵗ (t = 0: 0.01 in [−1, 1], the engine's
// target range). 1,000 points of two classes take 4,003 characters.

/** maxPoints: own data of any origin; linkPoints: at most this many go into a link (state.js toHash). */
export const OWN_LIMITS = Object.freeze({ maxPoints: 2000, linkPoints: 1000, maxClasses: 5 });
export const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const GRID = 1201;
const HEADER = /^(?:c([2-5])(?:e(-?[1-3]))?|r(?:e(-?[1-3]))?(?:t(-?[1-3]))?)\.$/;
/** The longest valid text: every limit is checked on the length before anything is decoded. */
export const MAX_DATA_TEXT = 're-3t-3.'.length + 5 * OWN_LIMITS.maxPoints;
const fmt = (n) => n.toLocaleString('en-US');

/** The header and the length alone → { kind, classes (0: regression), n, e, t, start, width }, or null. */
export function dataInfo(text) {
  if (typeof text !== 'string' || text.length > MAX_DATA_TEXT) return null;
  const dot = text.indexOf('.'), m = dot < 0 ? null : HEADER.exec(text.slice(0, dot + 1));
  if (!m) return null;
  const k = Number(m[1] ?? 0), width = k ? 4 : 5, body = text.length - dot - 1;
  if (body === 0 || body % width || body / width > OWN_LIMITS.maxPoints) return null;
  return { kind: k ? (k === 2 ? 'binary' : 'multiclass') : 'regression', classes: k, n: body / width,
    e: Number(m[2] ?? m[3] ?? 0), t: Number(m[4] ?? 0), start: dot + 1, width };
}

/** The value of point p (0-based) of a text that dataInfo accepted, or −1 for a character that is not base64url. */
export function pointValue(text, info, p) {
  let v = 0;
  for (let c = 0, at = info.start + p * info.width; c < info.width; c++, at++) {
    const d = B64.indexOf(text[at]);
    if (d < 0) return -1;
    v = v * 64 + d;
  }
  return v;
}

// i·10^(e−2) for an integer i, as the nearest double to the decimal (dividing by an exact power of ten),
// so 123 steps at n = 0 is exactly the double of 1.23.
const scaled = (i, e) => (e >= 2 ? i * 10 ** (e - 2) : i / 10 ** (2 - e));

/**
 * The points of a text that dataProblem accepts, [[x1, x2, label], …]; null for any other text. Here, in the first
 * chunk, so that the element's `data` getter answers at once; points.js's decodeData is this with its errors.
 */
export function decodePoints(text) {
  const info = dataInfo(text);
  if (!info) return null;
  const { classes: k, n, e, t } = info, levels = 201, points = new Array(n);
  for (let p = 0; p < n; p++) {
    const v = pointValue(text, info, p);
    if (v < 0 || v >= GRID * GRID * (k || levels)) return null;
    const cell = Math.floor(v / (k || levels));
    const label = k ? v % k : scaled((v % levels) - 100, t) + 0;   // + 0: no −0
    points[p] = [scaled(Math.floor(cell / GRID) - 600, e) + 0, scaled((cell % GRID) - 600, e) + 0, label];
  }
  return points;
}

/** Is this own data's text form? null if it is, else what is wrong (for a notice or an Error). */
export function dataProblem(text) {
  if (typeof text !== 'string') return 'is not text';
  if (text.length > MAX_DATA_TEXT) return `has ${fmt(text.length)} characters, more than the ${fmt(MAX_DATA_TEXT)} that ${fmt(OWN_LIMITS.maxPoints)} points take`;
  const info = dataInfo(text);
  if (!info) {
    const dot = text.indexOf('.'), body = text.length - dot - 1, width = text[0] === 'r' ? 5 : 4;
    if (dot < 0 || !HEADER.test(text.slice(0, dot + 1))) return 'does not start with c2. … c5. (classes) or r. (regression)';
    return body && body % width === 0 ? `has ${fmt(body / width)} points, more than ${fmt(OWN_LIMITS.maxPoints)}`
      : `has ${fmt(body)} characters after '${text.slice(0, dot + 1)}', not whole points of ${width} characters`;
  }
  for (let p = 0; p < info.n; p++) {
    const v = pointValue(text, info, p);
    if (v < 0) return `has a character that is not base64url in point ${p + 1}`;
    if (v >= GRID * GRID * (info.classes || 201)) return `has point ${p + 1} outside the grid`;
  }
  return null;
}
