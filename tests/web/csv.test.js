// web/src/data/csv.js: reading own data from CSV (issue 9 §2), writing it back, and "fit to the view".
// Every malformed file must give a CSVError that names the line and the column; a good file must say what it read.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import {
  parseCSV, exportCSV, fromEngineDataset, fitToView, unfitPoints, describeTransform, needsFit, CSVError, CSV_LIMITS,
} from '../../web/src/data/csv.js';
import { encodeData, decodeData } from '../../web/src/data/points.js';

const ROWS = (n, row = (i) => `${i % 10},${-(i % 7)},${i % 2}`) => Array.from({ length: n }, (_, i) => row(i)).join('\n');

/** parseCSV(text) must throw a CSVError at this line and column, with a message that matches. */
function expectError(text, line, column, message, options) {
  let error = null;
  try { parseCSV(text, options); } catch (e) { error = e; }
  expect(error, 'no error thrown').toBeInstanceOf(CSVError);
  expect(error.name).toBe('CSVError');
  expect({ line: error.line, column: error.column }).toEqual({ line, column });
  expect(error.message).toMatch(new RegExp(`^line ${line.toLocaleString('en-US')}, column ${column}`));
  expect(error.message).toMatch(message);
  return error;
}

describe('malformed files: an error that names the line, the column and what was expected', () => {
  const big = '0,0,0\n'.repeat(170_000);
  const cases = [
    // [name, text, line, column, message, options]
    ['empty', '', 1, 1, /no data: expected lines of x1,x2,label/],
    ['only spaces and blank lines', '   \n\n \t \n', 1, 1, /no data/],
    ['only comments', '# my data\n# nothing yet\n', 1, 1, /no data/],
    ['only a BOM', '\uFEFF', 1, 1, /no data/],
    ['header only', 'x1,x2,label\n', 1, 1, /only a header line, no data rows/],
    ['header only, CRLF and trailing blank lines', 'x1,x2,label\r\n\r\n\r\n', 1, 1, /only a header line/],
    ['header only after comments', '# source: me\nx1,x2,label', 2, 1, /only a header line/],
    ['BOM and header only', '\uFEFFx1,x2,label', 1, 1, /only a header line/],
    ['one column', '1\n2\n3\n', 1, 2, /1 column, expected 3 \(x1, x2, label\) or 4 \(x1, x2, label, set\), separated by commas/],
    ['two columns', '1,2\n3,4\n', 1, 3, /2 columns, expected 3/],
    ['five columns', '1,2,0,train,x\n', 1, 5, /5 columns, expected 3/],
    ['a header with five columns', 'a,b,c,d,e\n1,2,3,4,5', 1, 5, /5 columns/],
    ['one column, tab-separated detection', '1\t2\n', 1, 3, /2 columns, .*separated by tabs/],
    ['a short row', '1,2,0\n3,4\n', 2, 3, /2 columns, expected 3 like the first line/],
    ['a long row', '1,2,0\n3,4,1,5\n', 2, 4, /4 columns, expected 3 like the first line/],
    ['a short row after a header', 'x1,x2,label\n1,2\n', 2, 3, /2 columns, expected 3/],
    ['NaN', '0,0,0\n1,NaN,0', 2, 2, /expected a number, got 'NaN'/],
    ['Infinity', '0,0,0\nInfinity,1,0', 2, 1, /expected a number, got 'Infinity'/],
    ['-Infinity', '0,0,0\n1,-Infinity,0', 2, 2, /expected a number, got '-Infinity'/],
    ['1e400', '0,0,0\n1e400,0,0', 2, 1, /'1e400' is outside the float32 range/],
    ['beyond float32 (1e39)', '0,0,0\n0,-1e39,0', 2, 2, /outside the float32 range \(±3\.4e38\)/],
    ['a label of 1e400', '0,0,0.5\n1,1,1e400', 2, 3, /'1e400' is outside the float32 range/],
    ['hexadecimal', '0,0,0\n0x10,1,0', 2, 1, /expected a number, got '0x10'/],
    ['an empty coordinate', '0,0,0\n,1,0', 2, 1, /expected a number, got ''/],
    ['a word for a coordinate, first line', '1,abc,0\n2,3,1', 1, 2, /expected a number, got 'abc'/],
    ['a double minus', '0,0,0\n−−1,1,0', 2, 1, /expected a number, got '−−1'/],
    ['text labels mixed with numbers', '0,0,0\n1,1,1\n2,2,cat\n', 3, 3, /expected a number like the labels before it \(line 1: '0'\), got 'cat'/],
    ['numbers mixed into class names', '0,0,cat\n1,1,dog\n2,2,1\n', 3, 3, /expected a class name like the labels before it \(line 1: 'cat'\), got the number '1'/],
    ['an empty label among numbers', '0,0,0\n1,1,', 2, 3, /expected a number like the labels before it .* got ''/],
    ['an empty label among names', '0,0,\n1,1,a', 1, 3, /expected a label, got an empty field/],
    ['too many classes (names)', ROWS(6, (i) => `${i},${i},${'abcdef'[i]}`), 6, 3, /a 6th class 'f': at most 5 classes \('a', 'b', 'c', 'd', 'e' so far\)/],
    ['too many classes (numbers, as classes)', ROWS(8, (i) => `0,0,${i % 6}`), 6, 3, /a 6th class '5': at most 5 classes/, { labels: 'classes' }],
    ['a decimal class, as classes', '0,0,0\n0,0,0.5', 2, 3, /expected a class \(an integer or a name\), got '0\.5'/, { labels: 'classes' }],
    ['a name, as regression', '0,0,cat', 1, 3, /expected a number \(regression target\), got 'cat'/, { labels: 'regression' }],
    ['too many rows', ROWS(CSV_LIMITS.maxRows + 1), 2001, 1, /more than 2,000 data rows, the limit/],
    ['too many rows, after a header', 'x,y,c\n' + ROWS(CSV_LIMITS.maxRows + 5), 2002, 1, /more than 2,000 data rows/],
    ['too many characters', big, 166_667, 1, /the file has 1,020,000 characters, more than the limit of 1,000,000 \(about 1 MB\)/],
    ['binary garbage: NUL bytes', '0,0,0\n1,\u0000\u0001,0', 2, 2, /a control character U\+0000, not text — is this a CSV text file \(UTF-8\)\?/],
    ['binary garbage: a PNG read as Latin-1', '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR', 1, 1, /control character U\+0089/],
    ['not UTF-8 (replacement characters)', '0,0,0\n1,2,caf\uFFFD', 2, 3, /control character U\+FFFD/],
    ['a quote that does not close', '0,0,0\n"1,2,0', 2, 1, /a quoted field does not close on this line/],
    ['a quoted field across lines', '0,0,"a\nb"', 1, 3, /does not close on this line \(fields cannot span lines\)/],
    ['text after a closing quote', '0,0,0\n"1"x,2,0', 2, 1, /text after the closing quote: 'x,2,0'/],
    ['a quote inside an unquoted field', '0,0,0\n1,2,ca"t', 2, 3, /a quote inside an unquoted field: 'ca"t'/],
    ['a very long line', '0,0,' + 'a'.repeat(2000), 1, 3, /the line has 2,004 characters, more than the limit of 1,000/],
    ['a very long line later, semicolons', '1;2;0\n' + '1;2;' + '9'.repeat(5000), 2, 3, /5,004 characters/],
    ['CRLF, error on line 2', '0,0,0\r\n1,x,0\r\n', 2, 2, /got 'x'/],
    ['CR only (old Mac), error on line 2', '0,0,0\r1,x,0', 2, 2, /got 'x'/],
    ['BOM, error on line 2', '\uFEFF0,0,0\n1,x,0', 2, 2, /got 'x'/],
    ['blank lines and comments count as lines', '\n# c\n0,0,0\n\n1,x,0', 5, 2, /got 'x'/],
    ['a bad set column', '0,0,0,train\n1,1,1,validation', 2, 4, /expected train or test, got 'validation'/],
    ['semicolons, a bad decimal-comma number', '1,5;2,x;0', 1, 2, /expected a number, got '2,x'/],
    ['a decimal comma in a comma file splits the field', '1,5,2,0', 1, 4, /expected train or test, got '0' \(a 4th column is the set; numbers with a decimal comma need ; or tabs/],
  ];

  it('has at least 40 malformed files', () => expect(cases.length).toBeGreaterThanOrEqual(40));
  it.each(cases.map((c) => [c[0], ...c.slice(1)]))('%s', (_, text, line, column, message, options) => {
    expectError(text, line, column, message, options);
  });

  it('a non-string is an error at line 1', () => {
    for (const v of [null, undefined, 42, new Uint8Array(3)]) {
      expect(() => parseCSV(v)).toThrow(CSVError);
      expect(() => parseCSV(v)).toThrow(/^line 1, column 1 \(x1\): expected text/);
    }
  });
});

describe('good files: what was read, and said', () => {
  it('comma, a header, 0/1 labels: binary with class indices', () => {
    const r = parseCSV('x1,x2,label\n-1,-1,0\n-1,1,1\n1,-1,1\n1,1,0\n');
    expect(r).toMatchObject({ kind: 'binary', classes: 2, labels: 'indices', header: ['x1', 'x2', 'label'], delimiter: ',',
      sets: null, outside: false, lines: [2, 3, 4, 5] });
    expect(r.points).toEqual([[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]]);
    expect(r.summary).toBe('4 points, 2 classes (labels are class indices).');
    // and it is own data the state can hold
    expect(decodeData(encodeData(r)).points).toEqual(r.points);
  });

  it('no header, semicolons with decimal commas, tabs', () => {
    expect(parseCSV('1,5;-2,25;1\n0;0;0').points).toEqual([[1.5, -2.25, 1], [0, 0, 0]]);
    expect(parseCSV('1.5\t-2\t2\n0\t0\t0\n').points).toEqual([[1.5, -2, 2], [0, 0, 0]]);
    expect(parseCSV('1.5\t-2\t2\n0\t0\t0\n')).toMatchObject({ delimiter: '\t', kind: 'multiclass', classes: 3, header: null });
  });

  it('BOM, CRLF, trailing blank lines, spaces, comments, the unicode minus and a leading +', () => {
    const r = parseCSV('\uFEFF# exported by hand\r\n x1 , x2 , y \r\n −1.5 , +2 , 1 \r\n\r\n3,−.5,0\r\n\r\n\r\n');
    expect(r.points).toEqual([[-1.5, 2, 1], [3, -0.5, 0]]);
    expect(r.header).toEqual(['x1', 'x2', 'y']);
    expect(r.lines).toEqual([3, 5]);
  });

  it('quoted fields: names with commas and quotes, quoted numbers', () => {
    const r = parseCSV('"x1","x2","species"\n"1.5", 2 ,"Iris, ""setosa"""\n3,4,plain\n');
    expect(r.points).toEqual([[1.5, 2, 0], [3, 4, 1]]);
    expect(r.classNames).toEqual(['Iris, "setosa"', 'plain']);
    expect(r.labels).toBe('names');
  });

  it('labels: names in order of appearance, −1/1 and 1/2/3 ranked, decimals and many integers are regression', () => {
    expect(parseCSV('0,0,b\n1,1,a\n2,2,b')).toMatchObject({ classNames: ['b', 'a'], classes: 2, kind: 'binary' });
    expect(parseCSV('0,0,b\n1,1,a\n2,2,b').points.map((p) => p[2])).toEqual([0, 1, 0]);
    const pm = parseCSV('0,0,-1\n1,1,1');
    expect(pm).toMatchObject({ labels: 'integers', classNames: ['-1', '1'], kind: 'binary' });
    expect(pm.points.map((p) => p[2])).toEqual([0, 1]);
    expect(pm.summary).toBe('2 points, 2 classes: labels -1, 1 read as 0, 1.');
    const one = parseCSV('0,0,1\n1,1,2\n2,2,3');
    expect(one).toMatchObject({ labels: 'integers', classes: 3, kind: 'multiclass' });
    expect(one.points.map((p) => p[2])).toEqual([0, 1, 2]);
    expect(parseCSV('0,0,0\n1,1,2')).toMatchObject({ labels: 'indices', classes: 3 });   // indices kept: class 1 is empty
    const reg = parseCSV('0,0,0.25\n1,1,-0.5');
    expect(reg).toMatchObject({ kind: 'regression', classes: 0, labels: 'values', classNames: null });
    expect(reg.summary).toBe('2 points, regression targets (numbers).');
    expect(parseCSV(ROWS(7, (i) => `0,0,${i}`)).kind).toBe('regression');   // 7 distinct integers
    expect(parseCSV('0,0,0\n1,1,1', { labels: 'regression' }).kind).toBe('regression');
    expect(parseCSV('0,0,0\n1,1,7', { labels: 'classes' })).toMatchObject({ kind: 'binary', labels: 'integers' });
    expect(() => parseCSV('0,0,0', { labels: 'maybe' })).toThrow(/labels must be 'auto', 'classes' or 'regression'/);
  });

  it('points outside the view are flagged (and said), so the lab can offer the rescale', () => {
    const r = parseCSV('10,0,0\n0,0,1');
    expect(r.outside).toBe(true);
    expect(r.summary).toMatch(/some lie outside the view \[−6, 6\]\.$/);
    expect(parseCSV('0,0,2.5\n1,1,0.3').outside).toBe(true);   // a regression target outside [−1, 1]
    expect(parseCSV('6,-6,0').outside).toBe(false);
  });

  it('the limits are the stated ones', () => {
    expect(CSV_LIMITS).toEqual({ maxRows: 2000, maxChars: 1_000_000, maxLineLength: 1000, maxClasses: 5 });
    expect(parseCSV(ROWS(2000)).points).toHaveLength(2000);
    expect(parseCSV('0,0,' + 'a'.repeat(996)).classNames[0]).toHaveLength(996);   // a line of exactly 1000
  });
});

describe('export', () => {
  const own = { points: [[1.5, -2, 0], [0.25, 3, 1], [-6, 6, 1]], kind: 'binary', sets: ['train', 'test', 'train'] };

  it('writes x1,x2,label,set that parseCSV reads back', () => {
    const text = exportCSV(own);
    expect(text).toBe('x1,x2,label,set\n1.5,-2,0,train\n0.25,3,1,test\n-6,6,1,train\n');
    const back = parseCSV(text);
    expect(back.points).toEqual(own.points);
    expect(back.sets).toEqual(own.sets);
    expect(back.kind).toBe('binary');
    expect(exportCSV({ points: own.points, kind: 'binary' })).toBe('x1,x2,label\n1.5,-2,0\n0.25,3,1\n-6,6,1\n');
  });

  it('writes class names (quoted where needed) and regression values; 9 significant digits', () => {
    const text = exportCSV({ points: [[0, 0, 0], [1, 1, 1], [2, 2, 2]], kind: 'multiclass', classNames: ['a', 'b, c', ' "d"'] });
    expect(text).toBe('x1,x2,label\n0,0,a\n1,1,"b, c"\n2,2," ""d"""\n');
    expect(parseCSV(text).classNames).toEqual(['a', 'b, c', '"d"']);   // (fields are trimmed on reading)
    expect(exportCSV({ points: [[Math.PI, -0, 1 / 3]], kind: 'regression' })).toBe('x1,x2,label\n3.14159265,0,0.333333333\n');
    expect(() => exportCSV({ points: [[0, 0, 0]], kind: 'binary', sets: [] })).toThrow(/sets has 0 entries for 1 points/);
  });

  it('fromEngineDataset: train then test, marked; one-hot targets become class indices', () => {
    const d = {
      kind: 'multiclass', outputs: 3,
      inputs: Float64Array.of(1, 2, 3, 4), targets: Float64Array.of(0, 0, 1, 1, 0, 0),
      testInputs: Float64Array.of(5, 6), testTargets: Float64Array.of(0, 1, 0),
    };
    const own2 = fromEngineDataset(d);
    expect(own2).toEqual({ kind: 'multiclass', classes: 3, points: [[1, 2, 2], [3, 4, 0], [5, 6, 1]], sets: ['train', 'train', 'test'] });
    expect(exportCSV(own2)).toBe('x1,x2,label,set\n1,2,2,train\n3,4,0,train\n5,6,1,test\n');
    const reg = fromEngineDataset({ kind: 'regression', inputs: Float64Array.of(0.5, 0.5), targets: Float64Array.of(-0.75) });
    expect(reg).toEqual({ kind: 'regression', classes: 0, points: [[0.5, 0.5, -0.75]], sets: ['train'] });
  });
});

describe('fit to the view', () => {
  it('scales into [−5.5, 5.5] with one scale for both axes, shows the transform, and undoes it', () => {
    const points = [[100, 20, 0], [300, 60, 1], [200, 40, 0]];
    expect(needsFit(points, 'binary')).toBe(true);
    const { points: fitted, transform } = fitToView(points);
    expect(transform).toEqual({ center: [200, 40], scale: 0.055, target: null });
    expect(fitted).toEqual([[-5.5, -1.1, 0], [5.5, 1.1, 1], [0, 0, 0]]);
    expect(needsFit(fitted, 'binary')).toBe(false);
    expect(describeTransform(transform)).toBe('x₁ → (x₁ − 200) × 0.055, x₂ → (x₂ − 40) × 0.055');
    expect(unfitPoints(fitted, transform)).toEqual(points);
  });

  it('regression targets outside [−1, 1] are fitted into it as well (or left, if asked)', () => {
    const points = [[0, 0, 10], [1, 1, 30], [2, 2, 20]];
    const { points: fitted, transform } = fitToView(points, { kind: 'regression' });
    expect(transform.target).toEqual({ center: 20, scale: 0.1 });
    expect(fitted.map((p) => p[2])).toEqual([-1, 1, 0]);
    expect(describeTransform(transform)).toMatch(/, label → \(label − 20\) × 0\.1$/);
    expect(unfitPoints(fitted, transform)).toEqual(points);
    expect(fitToView(points, { kind: 'regression', targets: false }).transform.target).toBe(null);
  });

  it('keeps points inside the margin for awkward ranges, negative centres and a single point', () => {
    const awkward = [[-1234.567, 0.001, 0], [-1000.1, 0.9, 1], [-1100, -0.3, 0]];
    const { points: f, transform } = fitToView(awkward);
    for (const p of f) for (const c of [0, 1]) expect(Math.abs(p[c])).toBeLessThanOrEqual(5.5 + 1e-9);
    expect(transform.center[0]).toBeLessThan(0);
    expect(describeTransform(transform)).toMatch(/^x₁ → \(x₁ \+ 1,?\d+(\.\d+)?\) × /);
    for (const [u, v] of unfitPoints(f, transform).map((p, i) => [p, awkward[i]])) {
      expect(u[0]).toBeCloseTo(v[0], 9);
      expect(u[1]).toBeCloseTo(v[1], 9);
    }
    expect(fitToView([[50, 50, 1]])).toEqual({ points: [[0, 0, 1]], transform: { center: [50, 50], scale: 1, target: null } });
    expect(() => fitToView([])).toThrow(/no points/);
  });
});

describe('a real data set: Iris sepal length × width (tests/fixtures/iris-sepal.csv)', () => {
  const text = readFileSync(new URL('../fixtures/iris-sepal.csv', import.meta.url), 'utf8');

  it('parses: 150 flowers, 3 species by name, with the published means per species', () => {
    const r = parseCSV(text);
    expect(r.points).toHaveLength(150);
    expect(r).toMatchObject({ kind: 'multiclass', classes: 3, labels: 'names', classNames: ['setosa', 'versicolor', 'virginica'],
      header: ['sepal_length', 'sepal_width', 'species'], outside: true });
    // Fisher's table: means (cm) setosa 5.006 / 3.428, versicolor 5.936 / 2.770, virginica 6.588 / 2.974
    const means = [0, 1, 2].map((k) => {
      const p = r.points.filter((q) => q[2] === k);
      return [p.length, ...[0, 1].map((c) => Math.round(p.reduce((s, q) => s + q[c], 0) / p.length * 1000) / 1000)];
    });
    expect(means).toEqual([[50, 5.006, 3.428], [50, 5.936, 2.77], [50, 6.588, 2.974]]);
    expect(r.summary).toBe('150 points, 3 classes by name (setosa → 0, versicolor → 1, virginica → 2); some lie outside the view [−6, 6].');
  });

  it('rescales into the view, keeps its shape, and goes into a link as own data', () => {
    const r = parseCSV(text);
    const { points, transform } = fitToView(r.points);
    expect(transform).toEqual({ center: [6.1, 3.2], scale: 3.05, target: null });
    expect(needsFit(points, r.kind)).toBe(false);
    const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
    expect(Math.min(...xs)).toBeCloseTo(-5.49, 9);    // 4.3 cm
    expect(Math.max(...xs)).toBeCloseTo(5.49, 9);     // 7.9 cm
    expect(Math.max(...ys) - Math.min(...ys)).toBeCloseTo(2.4 * 3.05, 9);   // same scale on both axes
    const data = encodeData({ points, kind: r.kind });
    expect(data).toHaveLength(3 + 4 * 150);
    const back = decodeData(data);
    expect(back.classes).toBe(3);
    for (let i = 0; i < 150; i++) expect(Math.abs(back.points[i][0] - points[i][0])).toBeLessThanOrEqual(0.005 + 1e-12);
  });
});
