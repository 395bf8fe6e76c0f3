// Own data as CSV: reading pasted or uploaded text (x1,x2,label), writing the current data, and the "fit to the
// view" rescale for points outside [−6, 6]. Loaded on first use (a dynamic import), never from state.js.
//
// What parseCSV reads:
//   - an optional header line (when its first two fields are not both numbers), then one point per line;
//   - comma, semicolon or tab between fields (the first line decides); with ';' or tab a decimal comma is
//     read too (1,5 = 1.5); fields in double quotes ("a, b", "say ""hi""") on one line;
//   - labels: class indices 0 … 4, other integers (−1/1, 1/2/3: read as classes in ascending order), class names
//     (in order of first appearance), or numbers for regression (decimals, or more than 5 distinct integers);
//   - an optional 4th column `set` with train/test (what exportCSV writes);
//   - a UTF-8 BOM, CRLF or CR line ends, blank lines, '#' comment lines, the unicode minus (−) and spaces.
// Every problem is a CSVError naming the line and the column and what was expected, before anything is returned,
// so a caller that only swaps its data on success never ends up with half a file.

import { show } from '../../../bindings/show.js';

export const CSV_LIMITS = Object.freeze({
  maxRows: 2000,          // = own data's limit (points.js OWN_LIMITS.maxPoints) and the points slider's maximum
  maxChars: 1_000_000,    // ~1 MB: checked before anything else is read
  maxLineLength: 1000,
  maxClasses: 5,
});
const FLOAT32_MAX = 3.4028234663852886e38;   // the page's engine trains in float32
const COLUMN_NAMES = ['x1', 'x2', 'label', 'set'];

/** A CSV problem: `line` and `column` are 1-based (column = field number; 1 for a problem with a whole line). */
export class CSVError extends Error {
  constructor(line, column, message) {
    super(`line ${fmt(line)}, column ${column}${COLUMN_NAMES[column - 1] ? ` (${COLUMN_NAMES[column - 1]})` : ''}: ${message}`);
    this.name = 'CSVError';
    this.line = line;
    this.column = column;
  }
}

const fmt = (n) => n.toLocaleString('en-US');
const quote = (s) => `'${s.length > 30 ? s.slice(0, 30) + '…' : s}'`;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Control characters other than tab (C0 and C1), and U+FFFD (what a browser's file.text() makes of bytes that are
// not UTF-8): a binary file, or text in another encoding.
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/;

/** A field's text → { value } or { problem }. */
function number(text, decimalComma) {
  let t = text.trim().replace(/^[\u2212\u2012\u2013\uFE63\uFF0D]/, '-');   // unicode minus and look-alikes
  if (decimalComma && /^[+-]?\d*,\d+$/.test(t)) t = t.replace(',', '.');
  if (!DECIMAL.test(t)) return { problem: `expected a number, got ${quote(text.trim())}` };
  const v = Number(t);
  if (!Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX) return { problem: `${quote(text.trim())} is outside the float32 range (±3.4e38)`, range: true };
  return { value: v + 0 };   // + 0: no −0
}

/** One line → its fields; throws a CSVError for a quote that does not close or text after a closing quote. */
function fields(line, delimiter, lineNo) {
  const out = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new CSVError(lineNo, out.length + 1, 'a quoted field does not close on this line (fields cannot span lines)');
        field += line.slice(i, q);
        if (line[q + 1] === '"') { field += '"'; i = q + 2; } else { i = q + 1; break; }
      }
      while (line[i] === ' ') i++;
      if (i < line.length && line[i] !== delimiter) {
        throw new CSVError(lineNo, out.length + 1, `text after the closing quote: ${quote(line.slice(i, i + 10))}`);
      }
    } else {
      const end = line.indexOf(delimiter, i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
      if (field.includes('"')) throw new CSVError(lineNo, out.length + 1, `a quote inside an unquoted field: ${quote(field.trim())} (write "…""…")`);
    }
    out.push(field);
    if (i >= line.length) return out;
    i++;   // the delimiter
  }
}

// The field number of character `at` of a line, for errors found before the line is split.
const columnAt = (line, at, delimiter) => 1 + [...line.slice(0, at)].filter((c) => (delimiter ? c === delimiter : c === ',' || c === ';' || c === '\t')).length;

/**
 * CSV text → own data. Throws a CSVError (line, column, what was expected) for anything it cannot read.
 * @param {string} text
 * @param {{ labels?: 'auto' | 'classes' | 'regression' }} [options]  'auto' detects (see the file's head)
 * @returns {{ points: number[][], kind: 'binary' | 'multiclass' | 'regression', classes: number,
 *   classNames: string[] | null, labels: 'indices' | 'integers' | 'names' | 'values', sets: ('train' | 'test')[] | null,
 *   header: string[] | null, delimiter: string, lines: number[], outside: boolean, summary: string }}
 *   classNames: each class index's text in the file; lines: each point's line; outside: a coordinate is outside
 *   [−6, 6] (or a regression target outside [−1, 1]) — offer fitToView; summary: one sentence that says what was read.
 */
export function parseCSV(text, { labels: mode = 'auto' } = {}) {
  if (typeof text !== 'string') throw new CSVError(1, 1, `expected text, got ${text === null ? 'null' : typeof text}`);
  if (!['auto', 'classes', 'regression'].includes(mode)) throw new Error(`parseCSV: labels must be 'auto', 'classes' or 'regression', got ${show(mode)}`);
  if (text.length > CSV_LIMITS.maxChars) {
    const line = 1 + (text.slice(0, CSV_LIMITS.maxChars).match(/\r\n|\r|\n/g)?.length ?? 0);
    throw new CSVError(line, 1, `the file has ${fmt(text.length)} characters, more than the limit of ${fmt(CSV_LIMITS.maxChars)} (about 1 MB)`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let delimiter = null, width = 0, header = null, headerLine = 0;
  const rows = [];   // { line, f: fields }
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n], lineNo = n + 1;
    if (line.length > CSV_LIMITS.maxLineLength) {
      throw new CSVError(lineNo, columnAt(line, CSV_LIMITS.maxLineLength, delimiter), `the line has ${fmt(line.length)} characters, more than the limit of ${fmt(CSV_LIMITS.maxLineLength)}`);
    }
    const bad = BINARY.exec(line);
    if (bad) {
      const code = bad[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
      throw new CSVError(lineNo, columnAt(line, bad.index, delimiter), `a control character U+${code}, not text — is this a CSV text file (UTF-8)?`);
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (delimiter === null) delimiter = line.includes('\t') ? '\t' : line.includes(';') ? ';' : ',';
    const f = fields(line, delimiter, lineNo);
    if (width === 0) {
      if (f.length !== 3 && f.length !== 4) {
        const name = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' }[delimiter];
        throw new CSVError(lineNo, Math.min(f.length + 1, 5), `${f.length} ${f.length === 1 ? 'column' : 'columns'}, expected 3 (x1, x2, label) or 4 (x1, x2, label, set), separated by ${name}`);
      }
      width = f.length;
      // A header: its first two fields are names — not numbers, not out-of-range numbers, not empty (a missing
      // number). One name next to a number is a data line with a typo, which is an error below.
      const isName = (x) => { const r = number(x, delimiter !== ','); return x.trim() !== '' && r.problem && !r.range; };
      if (isName(f[0]) && isName(f[1])) {
        header = f.map((x) => x.trim());
        headerLine = lineNo;
        continue;
      }
    }
    if (f.length !== width) {
      throw new CSVError(lineNo, Math.min(f.length, width) + 1, `${f.length} ${f.length === 1 ? 'column' : 'columns'}, expected ${width} like the first line`);
    }
    if (rows.length === CSV_LIMITS.maxRows) throw new CSVError(lineNo, 1, `more than ${fmt(CSV_LIMITS.maxRows)} data rows, the limit`);
    rows.push({ line: lineNo, f });
  }
  if (rows.length === 0) {
    if (header) throw new CSVError(headerLine, 1, 'only a header line, no data rows (expected lines of x1,x2,label after it)');
    throw new CSVError(1, 1, 'no data: expected lines of x1,x2,label');
  }

  const decimalComma = delimiter !== ',';
  const points = [], sets = width === 4 ? [] : null;
  for (const { line, f } of rows) {
    const p = [];
    for (let c = 0; c < 2; c++) {
      const r = number(f[c], decimalComma);
      if (r.problem) throw new CSVError(line, c + 1, r.problem);
      p.push(r.value);
    }
    points.push(p);
    if (sets) {
      const s = f[3].trim().toLowerCase();
      if (s !== 'train' && s !== 'test') {
        const hint = 'value' in number(f[3], false) ? ' (a 4th column is the set; numbers with a decimal comma need ; or tabs between fields)' : '';
        throw new CSVError(line, 4, `expected train or test, got ${quote(f[3].trim())}${hint}`);
      }
      sets.push(s);
    }
  }
  const read = readLabels(rows, mode, decimalComma);
  points.forEach((p, i) => p.push(read.values[i]));
  const kind = read.classes === 0 ? 'regression' : read.classes === 2 ? 'binary' : 'multiclass';
  const outside = points.some(([x1, x2, y]) => Math.abs(x1) > 6 || Math.abs(x2) > 6 || (kind === 'regression' && Math.abs(y) > 1));
  const what = kind === 'regression' ? 'regression targets (numbers)'
    : read.labels === 'names' ? `${read.classes} classes by name (${read.classNames.map((n, i) => `${n} → ${i}`).join(', ')})`
      : read.labels === 'integers' ? `${read.classes} classes: labels ${read.classNames.join(', ')} read as ${read.classNames.map((_, i) => i).join(', ')}`
        : `${read.classes} classes (labels are class indices)`;
  return {
    points, kind, classes: read.classes, classNames: read.classNames, labels: read.labels, sets, header, delimiter,
    lines: rows.map((r) => r.line), outside,
    summary: `${fmt(points.length)} ${points.length === 1 ? 'point' : 'points'}, ${what}${outside ? '; some lie outside the view [−6, 6]' : ''}.`,
  };
}

/** The label column → { values, classes (0: regression), classNames, labels }. */
function readLabels(rows, mode, decimalComma) {
  const texts = rows.map((r) => r.f[2].trim());
  const nums = texts.map((t) => number(t, decimalComma));
  const huge = nums.findIndex((r) => r.range);   // a number, but too large: not a class name either
  if (huge >= 0) throw new CSVError(rows[huge].line, 3, nums[huge].problem);
  const firstIsNumber = 'value' in nums[0];
  // All numbers or all names: the first row decides, the first row that differs is the error.
  for (let i = 1; i < rows.length; i++) {
    if (('value' in nums[i]) !== firstIsNumber) {
      throw new CSVError(rows[i].line, 3, firstIsNumber
        ? `expected a number like the labels before it (line ${fmt(rows[0].line)}: ${quote(texts[0])}), got ${quote(texts[i])} — labels are all numbers or all class names`
        : `expected a class name like the labels before it (line ${fmt(rows[0].line)}: ${quote(texts[0])}), got the number ${quote(texts[i])} — labels are all numbers or all class names`);
    }
  }
  if (!firstIsNumber) {
    if (mode === 'regression') throw new CSVError(rows[0].line, 3, `expected a number (regression target), got ${quote(texts[0])}`);
    const names = [];
    const values = texts.map((t, i) => {
      let k = names.indexOf(t);
      if (k < 0) {
        if (t === '') throw new CSVError(rows[i].line, 3, 'expected a label, got an empty field');
        if (names.length === CSV_LIMITS.maxClasses) {
          throw new CSVError(rows[i].line, 3, `a ${names.length + 1}th class ${quote(t)}: at most ${CSV_LIMITS.maxClasses} classes (${names.map(quote).join(', ')} so far)`);
        }
        k = names.push(t) - 1;
      }
      return k;
    });
    return { values, classes: Math.max(2, names.length), classNames: names, labels: 'names' };
  }
  const v = nums.map((r) => r.value);
  const distinct = [...new Set(v)].sort((a, b) => a - b);
  const integers = v.every(Number.isInteger);
  if (mode === 'regression' || (mode === 'auto' && (!integers || distinct.length > CSV_LIMITS.maxClasses))) {
    return { values: v, classes: 0, classNames: null, labels: 'values' };
  }
  // Classes from numbers.
  const nonInt = v.findIndex((x) => !Number.isInteger(x));
  if (nonInt >= 0) throw new CSVError(rows[nonInt].line, 3, `expected a class (an integer or a name), got ${quote(texts[nonInt])}`);
  if (distinct.length > CSV_LIMITS.maxClasses) {
    const seen = new Set();
    const at = v.findIndex((x) => (seen.add(x), seen.size > CSV_LIMITS.maxClasses));
    throw new CSVError(rows[at].line, 3, `a ${seen.size}th class ${quote(texts[at])}: at most ${CSV_LIMITS.maxClasses} classes`);
  }
  // Class indices when they start at 0 (0/1, 0/1/2 …); other integers (−1/1, 1/2/3) are ranked.
  if (distinct[0] === 0 && distinct.every((x) => x < CSV_LIMITS.maxClasses)) {
    const classes = Math.max(2, distinct[distinct.length - 1] + 1);
    return { values: v, classes, classNames: Array.from({ length: classes }, (_, i) => String(i)), labels: 'indices' };
  }
  return { values: v.map((x) => distinct.indexOf(x)), classes: Math.max(2, distinct.length), classNames: distinct.map(String), labels: 'integers' };
}

// ------------------------------------------------------------------------------------------------ export

const num = (v) => String(Number(v.toPrecision(9)) + 0);   // 9 significant digits: every float32 exactly
function cell(text) {
  return /[",;\t\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Own data → CSV text that parseCSV reads back: a header `x1,x2,label[,set]`, then one point per line.
 * @param {{ points: number[][], kind: string, classNames?: string[] | null, sets?: ('train' | 'test')[] | null }} data
 *   labels are written as class names where classNames is given, else as numbers.
 */
export function exportCSV({ points, kind, classNames = null, sets = null }) {
  if (!Array.isArray(points)) throw new Error('exportCSV: points must be a list of [x1, x2, label]');
  if (sets && sets.length !== points.length) throw new Error(`exportCSV: sets has ${sets.length} entries for ${points.length} points`);
  const names = kind !== 'regression' && classNames ? classNames : null;
  const out = [sets ? 'x1,x2,label,set' : 'x1,x2,label'];
  points.forEach(([x1, x2, y], i) => {
    const label = names ? cell(String(names[y])) : num(y);
    out.push(`${num(x1)},${num(x2)},${label}${sets ? `,${sets[i]}` : ''}`);
  });
  return out.join('\n') + '\n';
}

/**
 * The engine's dataset (bp.dataset(), or the worker's data) → { points, kind, classes, sets } for exportCSV:
 * training points first, marked 'train', then the test points. Multi-class one-hot targets become indices.
 */
export function fromEngineDataset({ inputs, targets, testInputs = [], testTargets = [], kind, outputs = 1 }) {
  const points = [], sets = [];
  const add = (X, Y, set) => {
    for (let i = 0; i < X.length / 2; i++) {
      let label = Y[i * outputs];
      if (outputs > 1) { label = 0; for (let j = 1; j < outputs; j++) if (Y[i * outputs + j] > Y[i * outputs + label]) label = j; }
      points.push([X[2 * i], X[2 * i + 1], label]);
      sets.push(set);
    }
  };
  add(inputs, targets, 'train');
  add(testInputs, testTargets, 'test');
  return { points, kind, classes: kind === 'regression' ? 0 : Math.max(2, outputs), sets };
}

// --------------------------------------------------------------------------------------- fit to the view

/** Does any coordinate lie outside the view's [−6, 6] (or a regression target outside [−1, 1])? */
export function needsFit(points, kind) {
  return points.some(([x1, x2, y]) => Math.abs(x1) > 6 || Math.abs(x2) > 6 || (kind === 'regression' && Math.abs(y) > 1));
}

// Rounded so that the transform reads well when it is shown: the centre to ~3 significant digits of the range,
// the scale down to 3 significant digits (so the points stay inside the margin).
const roundTo = (v, step) => Math.round(v / step) * step;
const stepOf = (extent) => 10 ** (Math.floor(Math.log10(extent)) - 2);
const floor3 = (v) => { const s = stepOf(v); return Number((Math.floor(v / s) * s).toPrecision(3)); };
const tidy = (v) => Number(v.toPrecision(12)) + 0;

/**
 * "Fit to the view": scales the points into [−margin, margin]² (5.5 of the view's 6) with one scale for both axes,
 * so the data keep their shape, centred on their bounding box; regression targets outside [−1, 1] are fitted into
 * [−1, 1] too (unless targets: false). → { points, transform }: transform = { center: [c1, c2], scale,
 * target: { center, scale } | null }, x' = (x − c)·scale; describeTransform shows it, unfitPoints undoes it.
 */
export function fitToView(points, { kind = 'binary', margin = 5.5, targets = true } = {}) {
  if (!Array.isArray(points) || points.length === 0) throw new Error('fitToView: no points');
  const lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (const p of points) for (let c = 0; c < 2; c++) { lo[c] = Math.min(lo[c], p[c]); hi[c] = Math.max(hi[c], p[c]); }
  const extent = Math.max(hi[0] - lo[0], hi[1] - lo[1]);
  const step = extent > 0 ? stepOf(extent) : 1;
  const center = [0, 1].map((c) => tidy(roundTo((lo[c] + hi[c]) / 2, step)));
  // Half the extent, and how far rounding the centre moved it: the scale keeps every point inside the margin.
  const reach = Math.max(...[0, 1].map((c) => Math.max(hi[c] - center[c], center[c] - lo[c])));
  const scale = reach > 0 ? floor3(margin / reach) : 1;
  let target = null;
  if (targets && kind === 'regression') {
    const ys = points.map((p) => p[2]);
    const ylo = Math.min(...ys), yhi = Math.max(...ys);
    if (ylo < -1 || yhi > 1) {
      const yc = tidy(roundTo((ylo + yhi) / 2, stepOf(yhi - ylo || 1)));
      const yreach = Math.max(yhi - yc, yc - ylo);
      target = { center: yc, scale: yreach > 0 ? floor3(1 / yreach) : 1 };
    }
  }
  const out = points.map(([x1, x2, y]) => [tidy((x1 - center[0]) * scale), tidy((x2 - center[1]) * scale),
    target ? tidy((y - target.center) * target.scale) : y]);
  return { points: out, transform: { center, scale, target } };
}

/** The inverse of fitToView's transform: the points as they were (to the rounding of 12 significant digits). */
export function unfitPoints(points, { center, scale, target }) {
  return points.map(([x1, x2, y]) => [tidy(x1 / scale + center[0]), tidy(x2 / scale + center[1]),
    target ? tidy(y / target.scale + target.center) : y]);
}

/** The transform in words, for the dialog: "x₁ → (x₁ − 5.85) × 3.05, x₂ → (x₂ − 3.2) × 3.05". */
export function describeTransform({ center, scale, target }) {
  const term = (name, c, s) => `${name} → ${c === 0 ? name : `(${name} ${c < 0 ? '+' : '−'} ${Math.abs(c)})`} × ${s}`;
  return [term('x₁', center[0], scale), term('x₂', center[1], scale), ...(target ? [term('label', target.center, target.scale)] : [])].join(', ');
}
