// Property-based fuzzing (issue 13) of everything that reads outside input into the lab's state and data: the URL
// hash (this lab's links and TensorFlow Playground links), attributes, el.state values, own data's text form and
// CSV. fast-check, pinned, with a fixed seed so a failure is the same on every run; a few seconds in all.
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import {
  SCHEMA, KEYS, ATTRIBUTES, parseHash, toHash, fromAttributes, validate, linkHoldsData, loadPlayground,
} from '../../web/src/state.js';
import { encodeData, decodeData, OWN_LIMITS } from '../../web/src/data/points.js';
import { parseCSV, exportCSV, CSVError } from '../../web/src/data/csv.js';

const SEED = 20250613;
beforeAll(() => loadPlayground());   // Playground links are translated, not left pending
const run = (property, numRuns = 400) => fc.assert(property, { seed: SEED, numRuns });

const PLAYGROUND_KEYS = ['activation', 'regularization', 'batchSize', 'dataset', 'regDataset', 'learningRate',
  'regularizationRate', 'noise', 'networkShape', 'seed', 'showTestData', 'discretize', 'percTrainData', 'x', 'y',
  'xTimesY', 'xSquared', 'ySquared', 'cosX', 'sinX', 'cosY', 'sinY', 'collectStats', 'tutorial', 'problem',
  'initZero', 'hideText'];
const HIDABLE = ['showTestData', 'discretize', 'playButton', 'stepButton', 'resetButton', 'learningRate', 'activation',
  'regularization', 'regularizationRate', 'problem', 'dataset', 'percTrainData', 'noise', 'batchSize',
  'numHiddenLayers', 'x', 'y', 'xSquared', 'sinY', 'bogus'];
// The element's controls (web/src/lab.js CONTROLS): what hiddenControls may name.
const CONTROL_NAMES = ['play', 'step', 'reset', 'learningRate', 'activation', 'regularization', 'regularizationRate',
  'dataset', 'noise', 'trainRatio', 'batchSize', 'features', 'layers', 'showTestData', 'discretize'];

// ---- what a valid result looks like

/** A result of parseHash / fromAttributes / validate: a state that validates silently, and bounded notices. */
function expectValid({ state, notices }, { maxNotices = KEYS.length + 4, playground = false } = {}) {
  expect(validate(state)).toEqual({ state, notices: [] });
  expect(Array.isArray(notices)).toBe(true);
  expect(notices.length).toBeLessThanOrEqual(maxNotices);
  for (const n of notices) {
    expect(typeof n).toBe('string');
    // one line each; the Playground's single line gathers several short items
    expect(n.length).toBeLessThanOrEqual(playground && n.startsWith('TensorFlow Playground link:') ? 2500 : 400);
  }
}

// ---- generators

// Values as they come in links and attributes: the schema's own words and numbers, near misses, and noise.
const valueText = fc.oneof(
  fc.constantFrom(...new Set(KEYS.flatMap((k) => [...SCHEMA[k].options ?? [], ...SCHEMA[k].extraOptions ?? []].map((o) => o.value)))),
  fc.constantFrom('', 'true', 'false', '1', '0', '-1', '1e9', '0.12345', 'L1', 'L2', 'none', '4,,2', ',,', '1:0,1',
    '2:pca', 'c2.AAAA', 'r.AAAAA', 'c2.____', 'NaN', 'Infinity', '0x10', '%', '%E0%A4', 'own', 'reg-gauss'),
  fc.integer({ min: -10, max: 3000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.array(fc.integer({ min: -2, max: 20 }), { maxLength: 10 }).map((a) => a.join(',')),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const keyText = fc.oneof(
  fc.constantFrom(...KEYS, ...PLAYGROUND_KEYS, ...HIDABLE.map((c) => `${c}_hide`), '__proto__', 'constructor', '_hide', ''),
  fc.string({ maxLength: 12 }),
);
const encodeMaybe = (s, enc) => (enc ? encodeURIComponent(s) : s);
/** A hash of key=value parts, some URL-encoded, some bare keys. */
const hashText = fc.array(fc.tuple(keyText, valueText, fc.boolean(), fc.boolean()), { maxLength: 40 })
  .map((parts) => '#' + parts.map(([k, v, enc, bare]) => (bare ? encodeMaybe(k, enc) : `${encodeMaybe(k, enc)}=${encodeMaybe(v, enc)}`)).join('&'));

/** Own data on the view's grid (what the state and a link hold), k classes or regression (k = 0). */
const ownData = fc.integer({ min: 0, max: 5 }).filter((k) => k !== 1).chain((k) =>
  fc.array(fc.tuple(fc.integer({ min: -600, max: 600 }), fc.integer({ min: -600, max: 600 }),
    k ? fc.integer({ min: 0, max: k - 1 }) : fc.integer({ min: -100, max: 100 })), { minLength: 1, maxLength: 60 })
    .map((pts) => {
      const points = pts.map(([i, j, y]) => [i / 100, j / 100, k ? y : y / 100]);
      return { points, kind: k ? undefined : 'regression', classes: k || undefined };
    }));

/** A valid state, from SCHEMA, so a new key is fuzzed without touching this file. */
const validState = (() => {
  const parts = {};
  for (const key of KEYS) {
    const d = SCHEMA[key], values = d.options && [...d.options, ...(d.extraOptions ?? [])].map((o) => o.value);
    let arb;
    if (d.type === 'enum') arb = fc.constantFrom(...values);
    else if (d.type === 'integer') arb = fc.integer({ min: d.min, max: d.max });
    else if (d.type === 'number') arb = fc.oneof(fc.constantFrom(...values.map(Number)), fc.double({ min: d.min, max: d.max, noNaN: true }));
    else if (d.type === 'boolean') arb = fc.boolean();
    else if (d.type === 'set') arb = fc.subarray(values, { minLength: d.minItems });
    else if (d.type === 'sizes') arb = fc.array(fc.integer({ min: d.min, max: d.max }), { maxLength: d.maxItems });
    else if (d.type === 'points') arb = ownData.map(encodeData);
    else if (d.type === 'view') continue;   // below: it depends on layers
    else throw new Error(`fuzz does not know type ${d.type}`);
    parts[key] = d.default === undefined && key !== 'seed' ? fc.option(arb, { nil: undefined }) : arb;
  }
  return fc.record(parts).chain((s) => {
    const wide = s.layers.map((w, i) => [w, i + 1]).filter(([w]) => w >= 2);
    const view = wide.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...wide).chain(([w, l]) =>
      fc.oneof(fc.constant(`${l}:pca`), fc.tuple(fc.integer({ min: 0, max: w - 1 }), fc.integer({ min: 1, max: w - 1 }))
        .map(([j, d]) => `${l}:${j},${(j + d) % w}`))), { nil: undefined });
    return fc.tuple(fc.constant(s), view, ownData.map(encodeData));
  }).map(([s, hiddenSpace, fallbackData]) => {
    const state = Object.fromEntries(Object.entries({ ...s, hiddenSpace }).filter(([, v]) => v !== undefined));
    if (state.dataset === 'own' && state.data === undefined) state.data = fallbackData;
    return state;
  });
})();

// ---- state, URL, attributes

describe('fuzz: the state parser', () => {
  it('parseHash never throws and always gives a valid state, bounded notices, a known format', () => {
    run(fc.property(fc.oneof(hashText, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (hash) => {
      const r = parseHash(hash);
      expectValid(r, { playground: r.format === 'playground' });
      expect(['backprop-lab', 'playground']).toContain(r.format);
      for (const c of r.hiddenControls) expect(CONTROL_NAMES).toContain(c);
    }), 1500);
  });

  it('fromAttributes never throws and always gives a valid state', () => {
    const attrs = fc.dictionary(fc.constantFrom(...ATTRIBUTES, 'controls', 'views'), fc.option(valueText, { nil: null }));
    run(fc.property(attrs, (map) => {
      expectValid(fromAttributes((name) => (Object.hasOwn(map, name) ? map[name] : null)));
    }), 800);
  });

  it('validate never throws on any JS value, sparse arrays and hostile shapes included', () => {
    const jsValue = fc.oneof(fc.anything({ maxDepth: 2 }), valueText, fc.sparseArray(fc.integer({ min: -5, max: 40 }), { maxLength: 12 }),
      fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 5 }), ownData, ownData.map((d) => d.points));
    const partial = fc.oneof(fc.anything({ maxDepth: 2 }), fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), jsValue));
    run(fc.property(partial, fc.option(validState, { nil: undefined }), (p, base) => {
      const r = validate(p, base);
      expectValid(r);
    }), 800);
  });

  it('validate: values near the valid ones for every key (holes in arrays, wrong types, edges) give a valid state', () => {
    const near = (key) => {
      const d = SCHEMA[key], values = [...d.options ?? [], ...d.extraOptions ?? []].map((o) => o.value);
      const typed = {
        enum: () => fc.constantFrom(...values, ...values.map((v) => v.toUpperCase()), ' ' + values[0]),
        integer: () => fc.oneof(fc.integer({ min: d.min - 2, max: Math.min(d.max + 2, 2 ** 31 - 1) }), fc.double(), fc.constantFrom(d.max + 1, String(d.max + 1))),
        number: () => fc.oneof(fc.double({ min: (d.min ?? 0) - 1, max: (d.max ?? 0) + 1 }), fc.double()),
        boolean: () => fc.oneof(fc.boolean(), fc.constantFrom(0, 1, 2, 'yes', '')),
        set: () => fc.oneof(fc.subarray(values), fc.sparseArray(fc.constantFrom(...values), { maxLength: 8 })),
        sizes: () => fc.oneof(fc.sparseArray(fc.integer({ min: d.min, max: d.max }), { maxLength: d.maxItems + 1 }),
          fc.array(fc.integer({ min: d.min - 1, max: d.max + 1 }), { maxLength: d.maxItems + 1 })),
        view: () => fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 17 }), fc.integer({ min: 0, max: 17 }), fc.boolean())
          .map(([l, j, k, pca]) => (pca ? `${l}:pca` : `${l}:${j},${k}`)),
        points: () => fc.oneof(ownData, ownData.map(encodeData), ownData.map((o) => o.points),
          fc.sparseArray(fc.tuple(fc.double(), fc.double(), fc.integer({ min: -1, max: 5 })), { maxLength: 5 })),
      }[d.type]();
      return fc.oneof({ weight: 4, arbitrary: typed }, { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) });
    };
    const partial = fc.record(Object.fromEntries(KEYS.map((k) => [k, near(k)])), { requiredKeys: [] });
    run(fc.property(partial, (p) => expectValid(validate(p))), 800);
  });

  it('toHash → parseHash round-trips every valid state (own data within the link limit)', () => {
    run(fc.property(validState, (s) => {
      const { state, notices } = validate(s);
      expect(notices).toEqual([]);
      const back = parseHash('#' + toHash(state));
      expect(back.notices).toEqual([]);
      expect(back.format).toBe('backprop-lab');
      if (linkHoldsData(state)) expect(back.state).toEqual(state);
    }), 600);
  });

  it('Playground links: at most one notice for the Playground part, a valid state, known controls', () => {
    const pgValue = fc.oneof(fc.constantFrom('true', 'false', 'L1', 'L2', 'circle', 'xor', 'gauss', 'spiral', 'reg-plane',
      'reg-gauss', 'regression', 'classification', 'relu', 'tanh', 'sigmoid', 'linear', '0.12345', '4,2', '8,8,8,8,8,8', ''),
    valueText);
    const link = fc.tuple(
      fc.dictionary(fc.constantFrom(...PLAYGROUND_KEYS), pgValue, { minKeys: 1 }),
      fc.dictionary(fc.constantFrom(...HIDABLE.map((c) => `${c}_hide`)), fc.constantFrom('true', 'false', 'maybe')),
    ).map(([keys, hides]) => ({ ...keys, networkShape: keys.networkShape ?? '4,2', ...hides }));   // networkShape: only the Playground has it
    run(fc.property(link, (keys) => {
      const r = parseHash('#' + Object.entries(keys).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
      expect(r.format).toBe('playground');
      expect(r.notices).toHaveLength(1);
      expect(r.notices[0]).toMatch(/^TensorFlow Playground link: /);
      expectValid(r, { playground: true });
      for (const c of r.hiddenControls) expect(CONTROL_NAMES).toContain(c);
    }), 800);
  });
});

// ---- own data's text form

describe('fuzz: own data', () => {
  it('decodeData never throws anything but an Error with a message, and what it returns encodes back', () => {
    const text = fc.oneof(
      fc.tuple(fc.constantFrom('c2.', 'c3.', 'c5e-1.', 'r.', 're2t-1.', 'c2t1.', 'c2e0.', 'x.', ''), fc.string({ unit: fc.constantFrom(...'AZaz09-_/=.'), maxLength: 60 }))
        .map(([h, b]) => h + b),
      fc.string({ maxLength: 60 }),
    );
    run(fc.property(text, (t) => {
      let d;
      try { d = decodeData(t); } catch (e) {
        expect(e.constructor).toBe(Error);
        expect(e.message).toMatch(/^data /);
        return;
      }
      expect(encodeData(d)).toBe(encodeData(decodeData(encodeData(d))));   // canonical after one pass
      expect(d.points.length).toBeGreaterThan(0);
    }), 1500);
  });

  it('encode → decode keeps any own data to its stated precision (1 % of the grid step, 0.01 in the view)', () => {
    const anyData = fc.integer({ min: 0, max: 5 }).filter((k) => k !== 1).chain((k) =>
      fc.array(fc.tuple(fc.double({ min: -6, max: 6, noNaN: true }), fc.double({ min: -6, max: 6, noNaN: true }),
        k ? fc.integer({ min: 0, max: k - 1 }) : fc.double({ min: -1, max: 1, noNaN: true })), { minLength: 1, maxLength: OWN_LIMITS.maxPoints })
        .map((points) => ({ points, kind: k ? undefined : 'regression', classes: k || undefined })));
    run(fc.property(anyData, (d) => {
      const back = decodeData(encodeData(d));
      back.points.forEach((p, i) => {
        const q = d.points[i];
        expect(Math.abs(p[0] - q[0])).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(Math.abs(p[1] - q[1])).toBeLessThanOrEqual(0.005 + 1e-9);
        if (d.kind === 'regression') expect(Math.abs(p[2] - q[2])).toBeLessThanOrEqual(0.005 + 1e-9);
        else expect(p[2]).toBe(q[2]);
      });
    }), 150);
  });
});

// ---- CSV

describe('fuzz: CSV', () => {
  const csvChar = fc.constantFrom('0', '1', '2', '5', '9', '-', '−', '+', '.', 'e', ',', ',', ';', '\t', '\n', '\n', '\r', '"', ' ',
    'a', 'b', 'x', '#', '\uFEFF', '\u0000', 'é', 'NaN', 'train', 'test', 'Infinity');
  // Files shaped like CSV (rows of 3 or so fields, a delimiter, line ends, maybe a BOM, header, comments) with
  // fields that are mostly good and sometimes not, so the fuzz reaches the label and set logic, not only line 1.
  const field = fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: -9, max: 9 }).map(String) },
    { weight: 8, arbitrary: fc.double({ min: -20, max: 20, noNaN: true }).map((v) => String(Number(v.toFixed(3)))) },
    { weight: 2, arbitrary: fc.constantFrom('cat', 'dog', '"a, b"', '"x""y"', 'train', 'test', '−1.5', '1e3', ' 2 ') },
    { weight: 1, arbitrary: fc.constantFrom('', 'NaN', 'Infinity', '1e400', '0x1', '"open', 'a"b', '\u0000', '\uFFFD') },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  );
  const shaped = fc.record({
    rows: fc.array(fc.oneof({ weight: 12, arbitrary: fc.array(field, { minLength: 3, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(field, { minLength: 1, maxLength: 5 }) }), { minLength: 0, maxLength: 25 }),
    sep: fc.constantFrom(',', ';', '\t'), end: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(), header: fc.boolean(), comment: fc.boolean(), blanks: fc.nat({ max: 2 }),
  }).map(({ rows, sep, end, bom, header, comment, blanks }) => (bom ? '\uFEFF' : '') + (comment ? '# data' + end : '')
    + (header ? ['x1', 'x2', 'label'].join(sep) + end : '') + rows.map((r) => r.join(sep)).join(end) + end.repeat(blanks));
  const csvText = fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: fc.string({ unit: csvChar, maxLength: 300 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) });

  it('parseCSV never throws anything but a CSVError with a line and a column, or returns sound data', () => {
    let parsed = 0, failed = 0;
    run(fc.property(csvText, fc.constantFrom('auto', 'classes', 'regression'), (text, labels) => {
      let r;
      try { r = parseCSV(text, { labels }); parsed++; } catch (e) {
        failed++;
        expect(e).toBeInstanceOf(CSVError);
        const lines = text.split(/\r\n|\r|\n/).length;
        expect(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines).toBe(true);
        expect(Number.isInteger(e.column) && e.column >= 1 && e.column <= 5).toBe(true);
        expect(e.message).toMatch(/^line [\d,]+, column \d/);
        return;
      }
      expect(r.points.length).toBeGreaterThan(0);
      expect(r.lines).toHaveLength(r.points.length);
      for (const p of r.points) {
        expect(p).toHaveLength(3);
        for (const v of p) expect(Number.isFinite(v)).toBe(true);
        if (r.kind !== 'regression') expect(Number.isInteger(p[2]) && p[2] >= 0 && p[2] < r.classes).toBe(true);
      }
    }), 2000);
    // both sides were reached (a generator that only makes broken files proves little)
    expect(parsed).toBeGreaterThan(100);
    expect(failed).toBeGreaterThan(100);
  });

  it('exportCSV → parseCSV gives the same data back (9 significant digits, names, sets)', () => {
    const name = fc.string({ unit: fc.constantFrom(...'abcXYZ _-,;"\'é'), minLength: 1, maxLength: 8 })
      .map((s) => 'c' + s.trim()).filter((s) => !/^c\s|\s$/.test(s));
    const data = fc.integer({ min: 0, max: 5 }).filter((k) => k !== 1).chain((k) => fc.record({
      points: fc.array(fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e30, max: 1e30 }),
        k ? fc.integer({ min: 0, max: k - 1 }) : fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })),
      { minLength: 1, maxLength: 50 }),
      names: k ? fc.option(fc.uniqueArray(name, { minLength: k, maxLength: k }), { nil: null }) : fc.constant(null),
      withSets: fc.boolean(), k: fc.constant(k),
    })).map(({ points, names, withSets, k }) => {
      if (k) points[0][2] = 0;   // class 0 is there, so numeric labels read back as indices
      return { points, kind: k === 0 ? 'regression' : k === 2 ? 'binary' : 'multiclass', classNames: names,
        sets: withSets ? points.map((_, i) => (i % 3 ? 'train' : 'test')) : null };
    });
    const round9 = (v) => Number(v.toPrecision(9)) + 0;
    run(fc.property(data, (d) => {
      const back = parseCSV(exportCSV(d), { labels: d.kind === 'regression' ? 'regression' : 'classes' });
      expect(back.points.map((p) => [p[0], p[1]])).toEqual(d.points.map((p) => [round9(p[0]), round9(p[1])]));
      if (d.kind === 'regression') expect(back.points.map((p) => p[2])).toEqual(d.points.map((p) => round9(p[2])));
      else if (d.classNames) {
        expect(back.points.map((p) => back.classNames[p[2]])).toEqual(d.points.map((p) => d.classNames[p[2]]));
      } else expect(back.points.map((p) => p[2])).toEqual(d.points.map((p) => p[2]));
      expect(back.sets).toEqual(d.sets);
    }), 300);
  });
});
