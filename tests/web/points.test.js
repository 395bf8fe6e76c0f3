// web/src/data/points.js: own data's compact text form (what a link carries), its limits, and the train/test split.
import { describe, it, expect } from 'vitest';
import {
  OWN_LIMITS, MAX_DATA_TEXT, toOwnData, encodeData, decodeData, dataInfo, quantize, splitData,
} from '../../web/src/data/points.js';

const XOR = [[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]];

describe('encodeData / decodeData', () => {
  it('round-trips points on the grid exactly: 4 characters a point for classes, 5 for regression', () => {
    const text = encodeData(XOR);
    expect(text).toMatch(/^c2\.[A-Za-z0-9_-]{16}$/);
    expect(decodeData(text)).toEqual({ kind: 'binary', classes: 2, points: XOR });
    const reg = [[0.5, -5.99, 0.37], [6, -6, -1], [0, 0, 1]];
    const r = encodeData({ points: reg, kind: 'regression' });
    expect(r).toMatch(/^r\.[A-Za-z0-9_-]{15}$/);
    expect(decodeData(r)).toEqual({ kind: 'regression', classes: 0, points: reg });
    const multi = [[0, 0, 0], [1, 2, 4], [-3, 4, 2]];
    expect(decodeData(encodeData(multi))).toEqual({ kind: 'multiclass', classes: 5, points: multi });
  });

  it('keeps coordinates to 0.01 in the view (error ≤ 0.005), and says what it holds in the header', () => {
    const points = [[1.23456, -5.5555, 1], [0.004, 0.006, 0], [5.996, -5.996, 1]];
    const back = decodeData(encodeData(points)).points;
    for (let i = 0; i < points.length; i++) {
      for (let c = 0; c < 2; c++) expect(Math.abs(back[i][c] - points[i][c])).toBeLessThanOrEqual(0.005 + 1e-12);
      expect(back[i][2]).toBe(points[i][2]);
    }
    expect(back[0]).toEqual([1.23, -5.56, 1]);
    expect(back[1]).toEqual([0, 0.01, 0]);   // no −0
    expect(Object.is(decodeData(encodeData([[-0.001, 5, 0]])).points[0][0], 0)).toBe(true);
  });

  it('picks the smallest grid that holds the points: finer for small data, coarser for large (up to ±6000)', () => {
    expect(encodeData([[0.5, -0.3, 0], [0, 0, 1]])).toMatch(/^c2e-1\./);   // |x| ≤ 0.6: steps of 0.001
    expect(decodeData(encodeData([[0.123, -0.3, 0], [0, 0, 1]])).points[0]).toEqual([0.123, -0.3, 0]);
    const big = [[5843, -120.7, 0], [4.3, 2, 1]];
    const t = encodeData(big);
    expect(t).toMatch(/^c2e3\./);   // steps of 10
    expect(decodeData(t).points).toEqual([[5840, -120, 0], [0, 0, 1]]);
    expect(() => encodeData([[6006, 0, 0]])).toThrow(/coordinate 6006 is beyond ±6,000.*fit to the view/);
    // regression targets: steps of 1 % of ±10^t
    expect(encodeData({ points: [[1, 0, 37.5]], kind: 'regression' })).toMatch(/^rt2\./);
    expect(decodeData(encodeData({ points: [[1, 0, 37.5]], kind: 'regression' })).points[0]).toEqual([1, 0, 38]);
    expect(() => encodeData({ points: [[1, 0, 2000]], kind: 'regression' })).toThrow(/target is beyond ±1,000/);
  });

  it('is canonical after one pass: encode(decode(text)) = text', () => {
    for (const pts of [XOR, [[0.06006, 0, 0], [0, 0, 1]], [[5.995, 6, 1]], [[-3.14159, 2.71828, 2]]]) {
      const once = encodeData(quantize(pts));
      expect(encodeData(decodeData(once))).toBe(once);
    }
  });

  it('1,000 points of two classes take 4,003 characters; the limits hold', () => {
    const points = Array.from({ length: 1000 }, (_, i) => [i / 200 - 2.5, -i / 250, i % 2]);
    expect(encodeData(points)).toHaveLength(4003);
    expect(MAX_DATA_TEXT).toBe('re-3t-3.'.length + 5 * OWN_LIMITS.maxPoints);
    const max = Array.from({ length: OWN_LIMITS.maxPoints }, () => [0, 0, 0.5]);
    expect(encodeData({ points: max, kind: 'regression' }).length).toBeLessThanOrEqual(MAX_DATA_TEXT);
    expect(() => encodeData([...max, [0, 0, 0]])).toThrow('data.points: 2,001 points, expected 1 … 2,000');
    expect(() => encodeData([])).toThrow('data.points: 0 points, expected 1 … 2,000');
  });

  it.each([
    ['a number', 42, /^data is not text: 42$/, false],
    ['an empty text', '', /does not start with c2\. … c5\. \(classes\) or r\. \(regression\)/, true],
    ['AAAA', 'AAAA', /does not start with/, true],
    ['c1.AAAA', 'c1.AAAA', /does not start with/, true],
    ['c6.AAAA', 'c6.AAAA', /does not start with/, true],
    ['c2t1.AAAA', 'c2t1.AAAA', /does not start with/, true],   // a target exponent is for regression only
    ['re4.AAAAA', 're4.AAAAA', /does not start with/, true],   // exponents −3 … 3
    ['c2e0.AAAA', 'c2e0.AAAA', /does not start with/, true],   // an exponent 0 is not written (one text per data)
    ['c2.', 'c2.', /^data has 0 characters after 'c2\.', not whole points of 4 characters$/, true],
    ['c2.AAAAA', 'c2.AAAAA', /has 5 characters after 'c2\.', not whole points of 4/, true],
    ['r.AAAA', 'r.AAAA', /has 4 characters after 'r\.', not whole points of 5/, true],
    ['c2.AA*A', 'c2.AA*A', /^data has a character that is not base64url in point 1$/, false],
    ['c2.AA=A', 'c2.AA=A', /has a character that is not base64url in point 1/, false],
    ['c2.AAAAAAA/', 'c2.AAAAAAA/', /not base64url in point 2/, false],   // base64, not base64url
    ['c2.____', 'c2.____', /^data has point 1 outside the grid$/, false],
    ['r._____', 'r._____', /has point 1 outside the grid/, false],
    ['c2.AAAA____', 'c2.AAAA____', /has point 2 outside the grid/, false],
    ['2,001 points', 'c2.' + 'A'.repeat(4 * 2001), /^data has 2,001 points, more than 2,000$/, true],
    ['c2. + 10,008 characters', 'c2.' + 'A'.repeat(MAX_DATA_TEXT), /^data has 10,011 characters, more than the 10,008 that 2,000 points take$/, true],
  ])('decodeData(%s) throws an Error that says what is wrong', (_, text, message, badShape) => {
    expect(() => decodeData(text)).toThrow(message);
    // dataInfo reads only the header and the length: it refuses exactly the texts of the wrong shape
    if (badShape) expect(dataInfo(text)).toBe(null);
    else if (typeof text === 'string') expect(dataInfo(text)).not.toBe(null);
  });

  it('dataInfo reads the header alone', () => {
    expect(dataInfo(encodeData(XOR))).toMatchObject({ kind: 'binary', classes: 2, n: 4, e: 0, t: 0 });
    expect(dataInfo('c4e-2.AAAAAAAA')).toMatchObject({ kind: 'multiclass', classes: 4, n: 2, e: -2 });
    expect(dataInfo('re1t-1.AAAAA')).toMatchObject({ kind: 'regression', classes: 0, n: 1, e: 1, t: -1 });
    for (const bad of [undefined, null, 5, {}, 'c2', 'c2.A']) expect(dataInfo(bad)).toBe(null);
  });
});

describe('toOwnData', () => {
  it('infers the kind: integer labels 0 … 4 are classes, anything else regression', () => {
    expect(toOwnData(XOR)).toEqual({ kind: 'binary', classes: 2, points: XOR });
    expect(toOwnData([[0, 0, 0]]).classes).toBe(2);   // one class seen: still two outputs' worth (binary)
    expect(toOwnData([[0, 0, 3]])).toMatchObject({ kind: 'multiclass', classes: 4 });
    expect(toOwnData([[0, 0, 0.5], [1, 1, 1]])).toMatchObject({ kind: 'regression', classes: 0 });
    expect(toOwnData([[0, 0, 7]])).toMatchObject({ kind: 'regression' });
    expect(toOwnData({ points: [[0, 0, 1]], kind: 'regression' })).toMatchObject({ kind: 'regression' });
    expect(toOwnData({ points: [[0, 0, 1]], classes: 5 })).toMatchObject({ kind: 'multiclass', classes: 5 });
    expect(toOwnData({ points: [[0, 0, 1]], kind: 'multiclass' })).toMatchObject({ kind: 'multiclass', classes: 3 });
  });

  it('does not share arrays with its input', () => {
    const points = [[1, 2, 0]];
    const d = toOwnData(points);
    points[0][0] = 9;
    expect(d.points[0][0]).toBe(1);
  });

  it.each([
    [null, /^data: expected \{ points/],
    ['c2.AAAA', /^data: expected \{ points/],
    [{ points: 'x' }, /^data\.points: expected a list/],
    [{}, /^data\.points: expected a list/],
    [[[0, 0]], /^data\.points\[0\]: expected \[x1, x2, label\], got \[0,0\]/],
    [[[0, 0, 0], 5], /^data\.points\[1\]: expected \[x1, x2, label\], got 5/],
    // eslint-disable-next-line no-sparse-arrays
    [[[0, 0, 0], , [1, 1, 1]], /^data\.points\[1\]: expected \[x1, x2, label\], got undefined/],
    [[[0, Infinity, 0]], /^data\.points\[0\]\[1\]: expected a finite number, got Infinity/],
    [[[0, 0, '1']], /^data\.points\[0\]\[2\]: expected a finite number, got '1'/],
    [{ points: [[0, 0, 1.5]], kind: 'binary' }, /^data\.points\[0\]\[2\]: expected a class index 0 … 4, got 1\.5/],
    [{ points: [[0, 0, 1]], kind: 'bin' }, /^data\.kind: expected 'binary', 'multiclass' or 'regression'/],
    [{ points: [[0, 0, 3]], classes: 2 }, /^data\.points\[0\]\[2\]: class 3 is not below data\.classes = 2/],
    [{ points: [[0, 0, 1]], classes: 6 }, /^data\.classes: expected an integer in 2 … 5, got 6/],
    [{ points: [[0, 0, 2]], kind: 'binary' }, /^data\.kind: 'binary' does not fit 3 classes/],
  ])('toOwnData(%j) throws naming the field', (value, message) => {
    expect(() => toOwnData(value)).toThrow(message);
  });

  it('a value that throws when read (a revoked Proxy, a throwing getter) is an Error naming the data, not a raw TypeError', () => {
    const revoked = (v) => { const { proxy, revoke } = Proxy.revocable(v, {}); revoke(); return proxy; };
    const thrown = (v) => { try { toOwnData(v); } catch (e) { return e; } return null; };
    for (const v of [revoked({}), { points: revoked([]) }, [revoked([0, 0, 1])], { points: [[0, 0, 1]], get kind() { throw new Error('no kind here'); } }]) {
      const e = thrown(v);
      expect(e?.constructor).toBe(Error);
      expect(e.message).toMatch(/^data: cannot be read \((.*revoked.*|no kind here)\); expected \{ points: \[\[x1, x2, label\], …\] \} or a list of \[x1, x2, label\]$/);
    }
    // a live Proxy that reads through is data like any other
    expect(toOwnData(new Proxy({ points: [[0, 0, 1]] }, {})).points).toEqual([[0, 0, 1]]);
  });
});

describe('splitData', () => {
  it('splits round(n · ratio) points to training, by the seed, each part in the data order', () => {
    const { train, test } = splitData(100, 70, 5);
    expect(train).toHaveLength(70);
    expect(test).toHaveLength(30);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(train).toEqual([...train].sort((a, b) => a - b));
    expect(test).toEqual([...test].sort((a, b) => a - b));
    expect(splitData(100, 70, 5)).toEqual({ train, test });      // the same seed, the same split
    expect(splitData(100, 70, 6).train).not.toEqual(train);      // another seed, another split
  });

  it('100 % trains on every point in order (the notes\' 4-point XOR); there is always one training point', () => {
    expect(splitData(4, 100, 9)).toEqual({ train: [0, 1, 2, 3], test: [] });
    expect(splitData(1, 10, 0)).toEqual({ train: [0], test: [] });
    expect(splitData(4, 10, 0).train).toHaveLength(1);
    expect(splitData(0, 50, 0)).toEqual({ train: [], test: [] });
  });
});
