// web/src/state.js: every way into the lab's state (URL hash, attributes, JS) gives a valid state, and bad
// input gives the default plus a notice instead of an exception. Pure JS: no wasm, no DOM.
import { describe, it, expect } from 'vitest';
import {
  SCHEMA, KEYS, DEFAULTS, ATTRIBUTES, parseHash, toHash, fromAttributes, validate, attributeName, keyOfAttribute,
  randomSeed, problemKind, resolve, networkSizes, sameData, sameNetwork, sameHyper,
} from '../../web/src/state.js';

// A seeded generator (mulberry32), so a failing random case is the same on every run.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, list) => list[Math.floor(r() * list.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));

/** A random valid state, built from SCHEMA so a new key is covered without touching this file. */
function randomState(r) {
  const s = {};
  for (const key of KEYS) {
    const d = SCHEMA[key];
    const values = d.options?.map((o) => o.value);
    if (d.type === 'enum') s[key] = pick(r, values);
    else if (d.type === 'integer') s[key] = int(r, d.min, d.max);
    else if (d.type === 'number') s[key] = r() < 0.5 ? Number(pick(r, values)) : d.min + r() * (d.max - d.min);
    else if (d.type === 'boolean') s[key] = r() < 0.5;
    else if (d.type === 'set') { const f = values.filter(() => r() < 0.5); s[key] = f.length ? f : [values[0]]; }
    else if (d.type === 'sizes') s[key] = Array.from({ length: int(r, 0, d.maxItems) }, () => int(r, d.min, d.max));
    else throw new Error(`test does not know type ${d.type}`);
  }
  return s;
}

// Per key: values that must be refused, as they could appear in a link.
const BAD = {
  dataset: ['nope', '', 'Circle'],
  classes: ['2', '6', '3.5', 'x'],
  noise: ['-1', '51', '10.5', 'abc'],
  trainRatio: ['9', '91', ''],
  points: ['49', '2001', '1e9', '0x100'],
  batchSize: ['0', '101', 'Infinity'],
  seed: ['-1', '2147483648', '1.5', 'NaN'],
  features: ['', 'x3', 'x1,,x2', 'x1,foo'],
  layers: ['0', '17', '4,x', '1,1,1,1,1,1,1,1,1', '4,,2', '2.5'],
  activation: ['softmax', 'ReLU', ''],
  output: ['relu', 'x'],
  cost: ['cross-entropy', 'l2'],
  init: ['glorot', ''],
  learningRate: ['abc', '0', '1e-7', '101', '-0.1', ''],
  regularization: ['l3', 'L1'],
  regularizationRate: ['-0.001', '11', 'x'],
  showTestData: ['yes', '2', 'TRUEISH'],
  discretize: ['no'],
  linkColor: ['bias'],
  speed: ['1000', 'fast', '0'],
};

describe('schema', () => {
  it('lists every key, with defaults that are themselves valid', () => {
    expect(KEYS).toEqual(['dataset', 'classes', 'noise', 'trainRatio', 'points', 'batchSize', 'seed', 'features',
      'layers', 'activation', 'output', 'cost', 'init', 'learningRate', 'regularization', 'regularizationRate',
      'showTestData', 'discretize', 'linkColor', 'speed']);
    expect(Object.keys(BAD).sort()).toEqual([...KEYS].sort());   // the bad-value table covers every key
    expect('seed' in DEFAULTS).toBe(false);
    expect(Object.isFrozen(DEFAULTS) && Object.isFrozen(DEFAULTS.layers)).toBe(true);
    expect(validate(DEFAULTS)).toEqual({ state: { ...DEFAULTS }, notices: [] });
    for (const key of KEYS) expect(typeof SCHEMA[key].label).toBe('string');
  });

  it('gives the UI labelled options for every enum', () => {
    expect(SCHEMA.dataset.options.map((o) => o.label)).toEqual(['Circle', 'XOR', 'Two gaussians', 'Spiral', 'Moons',
      '3-class blobs', '3-arm spiral', 'Plane (regression)', 'Multi-gaussian (regression)']);
    expect(SCHEMA.activation.options.map((o) => o.label)).toEqual(['ReLU', 'Tanh', 'Sigmoid', 'Linear']);
    expect(SCHEMA.learningRate.options.map((o) => o.value)).toContain('0.03');
    for (const key of KEYS.filter((k) => SCHEMA[k].type === 'enum')) {
      expect(SCHEMA[key].options.map((o) => o.value)).toContain(DEFAULTS[key]);
    }
  });
});

describe('parseHash / toHash', () => {
  it('an empty hash is the defaults, without notices', () => {
    for (const h of ['', '#', '#&&']) expect(parseHash(h)).toEqual({ state: { ...DEFAULTS }, notices: [] });
  });

  it('reads values, with or without #', () => {
    const { state, notices } = parseHash('#dataset=blobs&classes=5&layers=8,8,8&features=x2,x1sq&learningRate=0.1&discretize=1&speed=max');
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ dataset: 'blobs', classes: 5, layers: [8, 8, 8], features: ['x2', 'x1sq'],
      learningRate: 0.1, discretize: true, speed: 'max' });
    expect(parseHash('noise=20').state.noise).toBe(20);
  });

  it('normalizes features to the canonical order, without repeats', () => {
    expect(parseHash('features=sinx2,x1,x1,x2sq').state.features).toEqual(['x1', 'x2sq', 'sinx2']);
  });

  it('layers= (empty) is no hidden layer; a missing layers key is the default', () => {
    expect(parseHash('layers=').state.layers).toEqual([]);
    expect(parseHash('noise=1').state.layers).toEqual([4, 2]);
  });

  it('accepts any learning rate in range, not only the presets', () => {
    expect(parseHash('learningRate=0.05').state.learningRate).toBe(0.05);
    expect(parseHash('learningRate=1e-6').state.learningRate).toBe(1e-6);
    expect(parseHash('learningRate=1e%2B2').state.learningRate).toBe(100);
  });

  it('writes every key in KEYS order, seed included', () => {
    const h = toHash({ ...DEFAULTS, seed: 42 });
    expect(h).toBe('dataset=circle&classes=3&noise=0&trainRatio=50&points=500&batchSize=10&seed=42&features=x1,x2'
      + '&layers=4,2&activation=tanh&output=auto&cost=auto&init=xavier&learningRate=0.03&regularization=none'
      + '&regularizationRate=0&showTestData=false&discretize=false&linkColor=weight&speed=10');
  });

  it('round-trips random valid states: state → hash → state', () => {
    const r = rng(1);
    for (let i = 0; i < 500; i++) {
      const s = randomState(r);
      const back = parseHash('#' + toHash(s));
      expect(back.notices).toEqual([]);
      expect(back.state).toEqual(s);
      expect(validate(s)).toEqual({ state: s, notices: [] });
    }
  });

  it.each(KEYS)('%s: each bad value gives the default and a notice naming key and value', (key) => {
    for (const bad of BAD[key]) {
      const { state, notices } = parseHash(`${key}=${encodeURIComponent(bad)}`);
      expect(state[key], bad).toEqual(DEFAULTS[key]);
      expect(notices, bad).toHaveLength(1);
      expect(notices[0]).toMatch(new RegExp(`^${key}: '`));
      expect(notices[0]).toContain(`'${bad}'`);
      expect(notices[0]).toMatch(/ — using /);
      // Only the bad key falls back; a good key next to it is kept.
      const other = key === 'noise' ? 'points=60' : 'noise=7';
      expect(parseHash(`${key}=${encodeURIComponent(bad)}&${other}`).state).toMatchObject(key === 'noise' ? { points: 60 } : { noise: 7 });
    }
  });

  it('says what it used instead', () => {
    expect(parseHash('learningRate=abc').notices).toEqual(["learningRate: 'abc' is not a number — using 0.03"]);
    expect(parseHash('layers=4,x').notices).toEqual(["layers: '4,x' needs integers in 1 … 16 — using '4,2'"]);
    expect(parseHash('seed=x').notices[0]).toMatch(/using a random seed$/);
    expect('seed' in parseHash('seed=x').state).toBe(false);
  });

  it('ignores unknown keys with a notice, including names of Object.prototype', () => {
    const { state, notices } = parseHash('#foo=1&noise=5&__proto__=x&toString=1&constructor');
    expect(state).toEqual({ ...DEFAULTS, noise: 5 });
    expect(notices).toEqual(["unknown setting 'foo' ignored", "unknown setting '__proto__' ignored",
      "unknown setting 'toString' ignored", "unknown setting 'constructor' ignored"]);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
  });

  it('never throws on garbage, and always returns a valid state', () => {
    const r = rng(2);
    const alphabet = ['#', '&', '=', ',', '%', '%E0%A4%A', '+', '-', '.', 'e', '0', '1', '9', ' ', 'x1', 'tanh',
      'layers', 'seed', 'features', 'learningRate', '__proto__', '\u0000', '😀', '\uD800'];
    for (let i = 0; i < 3000; i++) {
      const h = Array.from({ length: int(r, 0, 30) }, () => pick(r, alphabet)).join('');
      const { state, notices } = parseHash(h);
      expect(Array.isArray(notices)).toBe(true);
      expect(validate(state).notices, h).toEqual([]);   // whatever came in, what comes out is valid
    }
    for (const h of [undefined, null, 42, {}, '%', '=&=', '#=#']) expect(() => parseHash(h)).not.toThrow();
  });
});

describe('attributes', () => {
  it('maps camelCase keys to kebab-case names and back', () => {
    expect(attributeName('learningRate')).toBe('learning-rate');
    expect(attributeName('showTestData')).toBe('show-test-data');
    expect(keyOfAttribute('regularization-rate')).toBe('regularizationRate');
    expect(keyOfAttribute('controls')).toBe(null);   // element-only attribute, not state
    expect(ATTRIBUTES).toHaveLength(KEYS.length);
    for (const key of KEYS) expect(keyOfAttribute(attributeName(key))).toBe(key);
  });

  it('reads attributes like the hash; a bare boolean attribute is true', () => {
    const attrs = { dataset: 'spiral', 'learning-rate': '0.3', 'show-test-data': '', layers: '', 'batch-size': '0' };
    const { state, notices } = fromAttributes((name) => attrs[name] ?? null);
    expect(state).toEqual({ ...DEFAULTS, dataset: 'spiral', learningRate: 0.3, showTestData: true, layers: [], batchSize: 10 });
    expect(notices).toEqual(["batchSize: '0' is outside 1 … 100 — using 10"]);
    expect(fromAttributes(() => null)).toEqual({ state: { ...DEFAULTS }, notices: [] });
  });
});

describe('validate (JS values)', () => {
  it('takes numbers, booleans, arrays or text', () => {
    const { state, notices } = validate({ layers: [3, '5'], features: ['x2', 'x1'], discretize: true, speed: 100, noise: '5', seed: 7 });
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ layers: [3, 5], features: ['x1', 'x2'], discretize: true, speed: '100', noise: 5, seed: 7 });
  });

  it('fills missing and bad keys from base, and flags unknown keys', () => {
    const base = { ...DEFAULTS, learningRate: 0.3, seed: 9 };
    const { state, notices } = validate({ learningRate: NaN, points: 2000.5, bogus: 1 }, base);
    expect(state).toEqual(base);
    expect(notices).toEqual(["unknown setting 'bogus' ignored", 'points: 2000.5 is not an integer — using 500',
      'learningRate: NaN is not a number — using 0.3']);   // notices in KEYS order
    expect(() => validate(null)).not.toThrow();
    expect(validate({ layers: {}, features: 'x1', dataset: 3 }).notices).toHaveLength(2);   // features: 'x1' is fine
  });

  it('does not share arrays with its input or with DEFAULTS', () => {
    const layers = [2, 2];
    const { state } = validate({ layers });
    layers.push(9);
    expect(state.layers).toEqual([2, 2]);
    expect(validate({}).state.features).not.toBe(DEFAULTS.features);
  });
});

describe('resolve', () => {
  const st = (o) => ({ ...DEFAULTS, ...o });
  it('auto: binary → sigmoid + cross-entropy, multiclass → softmax + cross-entropy, regression → linear + quadratic', () => {
    expect(['circle', 'xor', 'gauss', 'spiral', 'moons'].map(problemKind)).toEqual(Array(5).fill('binary'));
    expect(['blobs', 'spiral3'].map(problemKind)).toEqual(['multiclass', 'multiclass']);
    expect(['plane', 'multigauss'].map(problemKind)).toEqual(['regression', 'regression']);
    expect(resolve(st({ dataset: 'circle' }))).toEqual({ outputActivation: 'sigmoid', cost: 'cross_entropy', notices: [] });
    expect(resolve(st({ dataset: 'spiral3' }))).toEqual({ outputActivation: 'softmax', cost: 'cross_entropy', notices: [] });
    expect(resolve(st({ dataset: 'plane' }))).toEqual({ outputActivation: 'linear', cost: 'quadratic', notices: [] });
  });

  it('keeps explicit valid choices', () => {
    expect(resolve(st({ output: 'tanh', cost: 'quadratic' }))).toEqual({ outputActivation: 'tanh', cost: 'quadratic', notices: [] });
    expect(resolve(st({ dataset: 'plane', output: 'tanh' }))).toEqual({ outputActivation: 'tanh', cost: 'quadratic', notices: [] });
    expect(resolve(st({ output: 'sigmoid', cost: 'quadratic' })).cost).toBe('quadratic');
  });

  it('multiclass always forces softmax, with a notice', () => {
    const r = resolve(st({ dataset: 'blobs', output: 'sigmoid' }));
    expect(r.outputActivation).toBe('softmax');
    expect(r.notices).toHaveLength(1);
    expect(r.notices[0]).toMatch(/^output: /);
  });

  it('softmax on one output falls back to the natural output', () => {
    expect(resolve(st({ output: 'softmax' })).outputActivation).toBe('sigmoid');
    expect(resolve(st({ dataset: 'plane', output: 'softmax' })).outputActivation).toBe('linear');
  });

  it('cross-entropy without a sigmoid/softmax output, or on regression, becomes quadratic with a notice', () => {
    for (const s of [st({ output: 'tanh' }), st({ output: 'linear', cost: 'cross_entropy' }),
      st({ dataset: 'plane', cost: 'cross_entropy' }), st({ dataset: 'plane', output: 'sigmoid', cost: 'cross_entropy' })]) {
      const r = resolve(s);
      expect(r.cost).toBe('quadratic');
      expect(r.notices).toHaveLength(1);
      expect(r.notices[0]).toMatch(/^cost: /);
    }
  });
});

describe('networkSizes and what changed', () => {
  const st = (o) => ({ ...DEFAULTS, seed: 1, ...o });
  it('networkSizes: features, hidden layers, outputs', () => {
    expect(networkSizes(st({}))).toEqual([2, 4, 2, 1]);
    expect(networkSizes(st({ dataset: 'blobs', classes: 5, layers: [] }))).toEqual([2, 5]);
    expect(networkSizes(st({ dataset: 'spiral3', classes: 5, features: ['x1', 'x2', 'x1x2'] }))).toEqual([3, 4, 2, 3]);
    expect(networkSizes(st({ dataset: 'plane', classes: 4 }))).toEqual([2, 4, 2, 1]);
  });

  it('sameData / sameNetwork / sameHyper', () => {
    const a = st({});
    expect(sameData(a, st({})) && sameNetwork(a, st({})) && sameHyper(a, st({}))).toBe(true);
    for (const o of [{ dataset: 'xor' }, { noise: 5 }, { trainRatio: 60 }, { points: 600 }, { seed: 2 }]) {
      expect(sameData(a, st(o)), JSON.stringify(o)).toBe(false);
    }
    expect(sameData(a, st({ classes: 4 }))).toBe(true);   // classes only matter for blobs
    expect(sameData(st({ dataset: 'blobs' }), st({ dataset: 'blobs', classes: 4 }))).toBe(false);
    for (const o of [{ features: ['x1', 'x1sq'] }, { layers: [4] }, { activation: 'relu' }, { output: 'tanh' },
      { cost: 'quadratic' }, { init: 'he' }, { dataset: 'spiral3' }, { dataset: 'plane' }]) {
      expect(sameNetwork(a, st(o)), JSON.stringify(o)).toBe(false);
    }
    expect(sameNetwork(a, st({ output: 'sigmoid', cost: 'cross_entropy' }))).toBe(true);   // what auto resolves to
    expect(sameNetwork(a, st({ dataset: 'xor', seed: 5, learningRate: 1 }))).toBe(true);
    expect(sameNetwork(st({ dataset: 'blobs' }), st({ dataset: 'blobs', classes: 4 }))).toBe(false);
    for (const o of [{ learningRate: 0.1 }, { regularization: 'l2' }, { regularizationRate: 0.1 }, { batchSize: 1 }]) {
      expect(sameHyper(a, st(o)), JSON.stringify(o)).toBe(false);
      expect(sameData(a, st(o)) && sameNetwork(a, st(o))).toBe(true);
    }
  });

  it('randomSeed is a valid seed', () => {
    for (let i = 0; i < 100; i++) expect(validate({ seed: randomSeed() }).notices).toEqual([]);
  });
});
