// web/src/state.js: every way into the lab's state (URL hash, attributes, JS) gives a valid state, and bad
// input gives the default plus a notice instead of an exception. Pure JS: no wasm, no DOM.
import { describe, it, expect } from 'vitest';
import {
  SCHEMA, KEYS, DEFAULTS, ATTRIBUTES, parseHash, toHash, fromAttributes, validate, attributeName, keyOfAttribute,
  randomSeed, problemKind, resolve, networkSizes, sameData, sameNetwork, sameHyper, sameShape, classCount,
  weightSeedOf, linkHoldsData, parseHiddenSpace, GENERATED_DATASETS, MAX_HASH_LENGTH, loadPlayground, thousands,
} from '../../web/src/state.js';
import { encodeData, decodeData, OWN_LIMITS } from '../../web/src/data/points.js';

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

/** Random own data: n points of k classes (k = 0: regression) at the view's 0.01 grid, in canonical text. */
function randomData(r, n = int(r, 1, 40), k = pick(r, [0, 2, 3, 4, 5])) {
  const points = Array.from({ length: n }, () => [int(r, -600, 600) / 100, int(r, -600, 600) / 100,
    k ? int(r, 0, k - 1) : int(r, -100, 100) / 100]);
  if (k) points[0][2] = k - 1;   // the largest class appears, so the data say how many there are
  return encodeData({ points, kind: k ? undefined : 'regression', classes: k || undefined });
}

/** A random valid state, built from SCHEMA so a new key is covered without touching this file. */
function randomState(r) {
  const s = {};
  for (const key of KEYS) {
    const d = SCHEMA[key];
    const values = d.options && [...d.options, ...(d.extraOptions ?? [])].map((o) => o.value);
    // Keys without a default are sometimes absent, as in a link that does not use them (seed excepted: the
    // element always has one).
    if (d.default === undefined && key !== 'seed' && r() < 0.4) continue;
    if (d.type === 'enum') s[key] = pick(r, values);
    else if (d.type === 'integer') s[key] = int(r, d.min, d.max);
    else if (d.type === 'number') s[key] = r() < 0.5 ? Number(pick(r, values)) : d.min + r() * (d.max - d.min);
    else if (d.type === 'boolean') s[key] = r() < 0.5;
    else if (d.type === 'set') { const f = values.filter(() => r() < 0.5); s[key] = f.length ? f : [values[0]]; }
    else if (d.type === 'sizes') s[key] = Array.from({ length: int(r, 0, d.maxItems) }, () => int(r, d.min, d.max));
    else if (d.type === 'view') {
      // a layer that exists, with two neurons it has (the rule between hiddenSpace and layers)
      const wide = s.layers.map((w, i) => [w, i + 1]).filter(([w]) => w >= 2);
      if (wide.length === 0) continue;
      const [w, l] = pick(r, wide), j = int(r, 0, w - 1), k = (j + int(r, 1, w - 1)) % w;
      s[key] = r() < 0.3 ? `${l}:pca` : `${l}:${j},${k}`;
    } else if (d.type === 'points') s[key] = randomData(r);
    else throw new Error(`test does not know type ${d.type}`);
  }
  if (s.dataset === 'own' && s.data === undefined) s.data = randomData(r);   // own data needs its points
  return s;
}

// Per key: values that must be refused, as they could appear in a link.
const BAD = {
  dataset: ['nope', '', 'Circle', 'own'],   // own: without data
  classes: ['2', '6', '3.5', 'x'],
  noise: ['-1', '51', '10.5', 'abc'],
  trainRatio: ['9', '101', ''],
  points: ['49', '2001', '1e9', '0x100'],
  batchSize: ['0', '101', 'Infinity'],
  shuffle: ['yes', '2', 'off'],
  seed: ['-1', '2147483648', '1.5', 'NaN'],
  weightSeed: ['-1', '2147483648', '0.5', 'x'],
  features: ['', 'x3', 'x1,,x2', 'x1,foo'],
  layers: ['0', '17', '4,x', '1,1,1,1,1,1,1,1,1', '4,,2', '2.5'],
  activation: ['softmax', 'ReLU', ''],
  output: ['relu', 'x'],
  cost: ['cross-entropy', 'l2'],
  init: ['glorot', ''],
  learningRate: ['abc', '0', '1e-7', '101', '-0.1', ''],
  regularization: ['l3', 'l 1', 'L3'],   // 'L1' alone reads as a TensorFlow Playground link (playground.test.js)
  regularizationRate: ['-0.001', '11', 'x'],
  showTestData: ['yes', '2', 'TRUEISH'],
  discretize: ['no'],
  linkColor: ['bias'],
  speed: ['1000', 'fast', '0'],
  keepWeights: ['no', 'keep'],
  explain: ['-1', '2000', '1.5', 'x', ''],
  explainStep: ['-1', '1000', 'next'],
  explainUnit: ['epoch', 'Example', ''],
  hiddenSpace: ['0:0,1', '9:0,1', '1:0,0', '1:0', '1:a,b', '1:0,16', 'pca', '1:PCA', '1:0,1,2', '',
    '3:0,1', '2:0,2', '1:0,4'],   // the last three: not in the default network (layers 4,2)
  theme: ['night', '', 'Dark'],
  lecture: ['maybe'],
  data: ['x', '', 'c6.AAAA', 'c2.AAA', 'c2.AAA*', 'r.AAAA', 'c2.____', 'c2t1.AAAA', 'c2e0.AAAA', 'c2.' + 'A'.repeat(4 * 2001),
    're-3t-3.' + 'A'.repeat(10001)],
};

describe('schema', () => {
  it('lists every key, with defaults that are themselves valid', () => {
    expect(KEYS).toEqual(['dataset', 'classes', 'noise', 'trainRatio', 'points', 'batchSize', 'shuffle', 'seed',
      'weightSeed', 'features', 'layers', 'activation', 'output', 'cost', 'init', 'learningRate', 'regularization',
      'regularizationRate', 'showTestData', 'discretize', 'linkColor', 'speed', 'keepWeights', 'explain', 'explainStep',
      'explainUnit', 'hiddenSpace', 'theme', 'lecture', 'data']);
    expect(Object.keys(BAD).sort()).toEqual([...KEYS].sort());   // the bad-value table covers every key
    for (const key of ['seed', 'weightSeed', 'explain', 'hiddenSpace', 'data']) expect(key in DEFAULTS, key).toBe(false);
    expect(DEFAULTS).toMatchObject({ shuffle: true, keepWeights: false, explainStep: 0, explainUnit: 'example', theme: 'auto', lecture: false });
    expect(Object.isFrozen(DEFAULTS) && Object.isFrozen(DEFAULTS.layers)).toBe(true);
    expect(validate(DEFAULTS)).toEqual({ state: { ...DEFAULTS }, notices: [] });
    for (const key of KEYS) expect(typeof SCHEMA[key].label).toBe('string');
  });

  it('gives the UI labelled options for every enum', () => {
    // issue 11: blobs has 3–5 classes, so its label does not say "3-class"
    expect(SCHEMA.dataset.options.map((o) => o.label)).toEqual(['Circle', 'XOR', 'Two gaussians', 'Spiral', 'Moons',
      'Blobs (3–5 classes)', '3-arm spiral', 'Plane (regression)', 'Multi-gaussian (regression)']);
    // own data: accepted, offered by the picker only once there are points (the current lab lists options only)
    expect(SCHEMA.dataset.extraOptions).toEqual([{ value: 'own', label: 'Your data' }]);
    expect(GENERATED_DATASETS).toEqual(['circle', 'xor', 'gauss', 'spiral', 'moons', 'blobs', 'spiral3', 'plane', 'multigauss']);
    expect(SCHEMA.activation.options.map((o) => o.label)).toEqual(['ReLU', 'Tanh', 'Sigmoid', 'Linear']);
    expect(SCHEMA.learningRate.options.map((o) => o.value)).toContain('0.03');
    for (const key of KEYS.filter((k) => SCHEMA[k].type === 'enum')) {
      expect(SCHEMA[key].options.map((o) => o.value)).toContain(DEFAULTS[key]);
    }
  });
});

describe('parseHash / toHash', () => {
  it('an empty hash is the defaults, without notices', () => {
    for (const h of ['', '#', '#&&']) {
      expect(parseHash(h)).toEqual({ state: { ...DEFAULTS }, notices: [], format: 'backprop-lab', hiddenControls: [] });
    }
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

  it('writes every key that defines a run in KEYS order, seed included; optional keys only when not default', () => {
    const h = toHash({ ...DEFAULTS, seed: 42 });
    expect(h).toBe('dataset=circle&classes=3&noise=0&trainRatio=50&points=500&batchSize=10&shuffle=true&seed=42'
      + '&features=x1,x2&layers=4,2&activation=tanh&output=auto&cost=auto&init=xavier&learningRate=0.03'
      + '&regularization=none&regularizationRate=0&showTestData=false&discretize=false&linkColor=weight&speed=10');
    const data = encodeData([[0, 0, 0], [1, 1, 1]]);
    const all = toHash({ ...DEFAULTS, seed: 42, weightSeed: 7, explain: 17, explainStep: 3, explainUnit: 'batch',
      hiddenSpace: '1:0,3', theme: 'dark', lecture: true, keepWeights: true, dataset: 'own', data });
    expect(all).toBe(h.replace('dataset=circle', 'dataset=own').replace('seed=42', 'seed=42&weightSeed=7')
      + `&keepWeights=true&explain=17&explainStep=3&explainUnit=batch&hiddenSpace=1:0,3&theme=dark&lecture=true&data=${data}`);
    // the optional keys at their defaults cost nothing
    expect(toHash({ ...DEFAULTS, seed: 42, explainStep: 0, explainUnit: 'example', theme: 'auto', lecture: false })).toBe(h);
  });

  it('round-trips random valid states: state → hash → state', () => {
    const r = rng(1);
    for (let i = 0; i < 500; i++) {
      const s = randomState(r);
      const back = parseHash('#' + toHash(s));
      expect(back.notices).toEqual([]);
      expect(back.format).toBe('backprop-lab');
      expect(back.state).toEqual({ ...s, ...Object.fromEntries(Object.keys(DEFAULTS).filter((k) => !(k in s)).map((k) => [k, DEFAULTS[k]])) });
      expect(validate(s)).toEqual({ state: s, notices: [] });
    }
  });

  it.each(KEYS)('%s: each bad value gives the default and a notice naming key and value', (key) => {
    for (const bad of BAD[key]) {
      const { state, notices } = parseHash(`${key}=${encodeURIComponent(bad)}`);
      expect(state[key], bad).toEqual(DEFAULTS[key]);
      expect(notices, bad).toHaveLength(1);
      expect(notices[0]).toMatch(new RegExp(`^${key}: '`));
      expect(notices[0]).toContain(`'${bad.length > 40 ? bad.slice(0, 40) + '…' : bad}'`);   // long values cut
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

  it('ignores unknown keys with one notice, including names of Object.prototype', () => {
    const { state, notices } = parseHash('#foo=1&noise=5&__proto__=x&toString=1&constructor');
    expect(state).toEqual({ ...DEFAULTS, noise: 5 });
    expect(notices).toEqual(["unknown settings ignored: 'foo', '__proto__', 'toString' and 1 more"]);
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    expect(parseHash('#foo=1&noise=5').notices).toEqual(["unknown setting 'foo' ignored"]);
    expect(parseHash('#foo=1&bar=2&foo=3').notices).toEqual(["unknown settings ignored: 'foo', 'bar'"]);
  });

  it('2,000 unknown keys give one short notice that names three and counts the rest (issue 13)', () => {
    const hash = '#' + Array.from({ length: 2000 }, (_, i) => `key${i}=${i}`).join('&') + '&noise=5';
    const { state, notices } = parseHash(hash);
    expect(notices).toEqual(["unknown settings ignored: 'key0', 'key1', 'key2' and 1,997 more"]);
    expect(state.noise).toBe(5);
    const { notices: fromJs } = validate(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])));
    expect(fromJs).toEqual(["unknown settings ignored: 'k0', 'k1', 'k2' and 1,997 more"]);
  });

  it('a key with a huge value or name gives a notice of bounded length', () => {
    for (const h of [`#${'x'.repeat(50000)}=1`, `#layers=${'9,'.repeat(20000)}`, `#dataset=${'a'.repeat(50000)}`]) {
      const { notices } = parseHash(h);
      expect(notices).toHaveLength(1);
      expect(notices[0].length).toBeLessThan(300);
    }
  });

  it(`reads at most ${MAX_HASH_LENGTH} characters of a link, and says so`, () => {
    const { state, notices } = parseHash('#noise=5&' + 'a'.repeat(MAX_HASH_LENGTH + 10));
    expect(state.noise).toBe(5);
    expect(notices[0]).toBe(`link: ${(MAX_HASH_LENGTH + 18).toLocaleString('en-US')} characters, only the first 65,536 read`);
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

describe('sparse arrays (issue 13)', () => {
  it('a layers or features array with holes fails validation with a notice, and never reaches a link', () => {
    // eslint-disable-next-line no-sparse-arrays
    for (const layers of [[4, , 2], new Array(3), [, 3]]) {
      const { state, notices } = validate({ layers }, { ...DEFAULTS, layers: [5] });
      expect(state.layers).toEqual([5]);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^layers: .* needs integers in 1 … 16 — using '5'$/);
      expect(toHash({ ...state, seed: 1 })).toContain('layers=5&');
    }
    // eslint-disable-next-line no-sparse-arrays
    expect(validate({ features: ['x1', , 'x2'] }).notices[0]).toMatch(/^features: .* has undefined/);
    expect(validate({ layers: [] }).state.layers).toEqual([]);   // empty is fine: no hidden layer
  });
});

describe('new settings', () => {
  it('weightSeed: absent, the weights come from seed as in every older link; present, apart from it', () => {
    const old = parseHash('#dataset=xor&seed=12').state;
    expect('weightSeed' in old).toBe(false);
    expect(weightSeedOf(old)).toBe(12);
    const both = parseHash('#dataset=xor&seed=12&weightSeed=99').state;
    expect(weightSeedOf(both)).toBe(99);
    expect(toHash(both)).toContain('&seed=12&weightSeed=99&');
    // a new weight seed is a new network on the same data; a new data seed alone keeps sameNetwork
    expect(sameData(old, both)).toBe(true);
    expect(sameNetwork(old, both)).toBe(false);
    expect(sameNetwork(old, { ...old, seed: 13 })).toBe(true);
  });

  it('shuffle: on by default (old links), off gives a fixed order; the worker is told (sameHyper)', () => {
    expect(parseHash('#noise=1').state.shuffle).toBe(true);
    const off = parseHash('#shuffle=false').state;
    expect(off.shuffle).toBe(false);
    expect(sameHyper(off, DEFAULTS)).toBe(false);
    expect(sameData(off, DEFAULTS) && sameNetwork(off, DEFAULTS)).toBe(true);
    expect(fromAttributes((n) => (n === 'shuffle' ? 'false' : null)).state.shuffle).toBe(false);
  });

  it('keepWeights, theme and lecture: attributes and links, only written when set', () => {
    const attrs = { 'keep-weights': '', theme: 'dark', lecture: '' };
    const { state, notices } = fromAttributes((n) => attrs[n] ?? null);
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ keepWeights: true, theme: 'dark', lecture: true });
    expect(toHash(state)).toMatch(/&keepWeights=true&theme=dark&lecture=true$/);
    expect(toHash({ ...state, theme: 'auto', lecture: false, keepWeights: false })).not.toMatch(/theme|lecture|keepWeights/);
    expect(keyOfAttribute('explain-step')).toBe('explainStep');
    expect(keyOfAttribute('hidden-space')).toBe('hiddenSpace');
  });

  it('explain, explainStep, explainUnit: the walk survives a link', () => {
    const { state, notices } = parseHash('#dataset=xor&seed=3&explain=17&explainStep=4&explainUnit=batch');
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ explain: 17, explainStep: 4, explainUnit: 'batch' });
    expect(parseHash('#' + toHash(state)).state).toEqual(state);
    expect('explain' in parseHash('#dataset=xor').state).toBe(false);   // absent: no example picked
    expect(validate({ explain: 1999 }).notices).toEqual([]);
    expect(validate({ explain: 2000 }).notices[0]).toBe('explain: 2000 is outside 0 … 1999 — using none');
  });

  it('hiddenSpace: a layer and two neurons, or pca; it must be in the network', () => {
    expect(parseHiddenSpace('1:0,1')).toEqual({ layer: 1, neurons: [0, 1] });
    expect(parseHiddenSpace(' 2:pca ')).toEqual({ layer: 2, pca: true });
    expect(parseHiddenSpace('1:3,03')).toBe(null);   // the same neuron twice
    expect(validate({ hiddenSpace: '1:03,1' }).state.hiddenSpace).toBe('1:3,1');   // canonical text
    const { state } = parseHash('#layers=8,8,6&hiddenSpace=3:pca');
    expect(state.hiddenSpace).toBe('3:pca');
    // removing the layer it shows drops it, with a notice
    const r = validate({ ...state, layers: [8, 8] }, state);
    expect('hiddenSpace' in r.state).toBe(false);
    expect(r.notices).toEqual(["hiddenSpace: '3:pca' is not in this network (layers 8,8) — using the view's default"]);
    expect(validate({ layers: [], hiddenSpace: '1:0,1' }).notices[0]).toMatch(/\(no hidden layer\)/);
    expect(validate({ layers: [1], hiddenSpace: '1:pca' }).notices).toHaveLength(1);   // pca needs 2 neurons
  });
});

describe('own data in the state', () => {
  const xor = encodeData({ points: [[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]] });
  const three = encodeData({ points: [[0, 0, 0], [1, 0, 1], [0, 1, 2]] });
  const reg = encodeData({ points: [[0, 0, 0.5], [1, 1, -0.25]], kind: 'regression' });
  const st = (o) => ({ ...DEFAULTS, seed: 1, ...o });

  it('dataset=own with data opens own data; its kind and classes come from the data', () => {
    const { state, notices } = parseHash(`#dataset=own&data=${xor}&trainRatio=100&batchSize=1&shuffle=false&layers=2`);
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ dataset: 'own', data: xor, trainRatio: 100, batchSize: 1, shuffle: false });
    expect(decodeData(state.data).points).toEqual([[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]]);
    expect(problemKind(state)).toBe('binary');
    expect(problemKind('own', three)).toBe('multiclass');
    expect(problemKind(st({ dataset: 'own', data: reg }))).toBe('regression');
    expect(problemKind('circle')).toBe('binary');   // the old signature
    expect(networkSizes(state)).toEqual([2, 2, 1]);
    expect(networkSizes(st({ dataset: 'own', data: three }))).toEqual([2, 4, 2, 3]);
    expect(classCount(st({ dataset: 'own', data: three }))).toBe(3);
    expect(resolve(st({ dataset: 'own', data: three }))).toEqual({ outputActivation: 'softmax', cost: 'cross_entropy', notices: [] });
    expect(resolve(st({ dataset: 'own', data: reg }))).toEqual({ outputActivation: 'linear', cost: 'quadratic', notices: [] });
  });

  it('dataset=own without data falls back with a notice; data without dataset=own is kept for later', () => {
    expect(parseHash('#dataset=own').notices).toEqual(["dataset: 'own' needs own data points (the data setting) — using circle"]);
    expect(parseHash('#dataset=own').state.dataset).toBe('circle');
    // from JS, the current dataset stays
    expect(validate({ dataset: 'own' }, st({ dataset: 'spiral' })).state.dataset).toBe('spiral');
    const { state } = parseHash(`#dataset=xor&data=${xor}`);
    expect(state).toMatchObject({ dataset: 'xor', data: xor });
    expect(toHash(state)).toContain(`&data=${xor}`);
  });

  it('holds own data as its text form, from every source; points from JS go through encodeData', () => {
    for (const data of [xor, ` ${xor} `]) {
      const r = validate({ dataset: 'own', data });
      expect(r.notices).toEqual([]);
      expect(r.state.data).toBe(xor);
    }
    const points = [[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]];
    expect(validate({ data: encodeData(points) }).state.data).toBe(xor);
    const bad = validate({ dataset: 'own', data: points });
    expect(bad.notices).toEqual(["data: [[-1,-1,0],[-1,1,1],[1,-1,1],[1,1,0]] is not own data's text (encodeData in data/points.js makes it from points) — using no own data",
      "dataset: 'own' needs own data points (the data setting) — using circle"]);
    expect(validate({ data: 'c2.AAA' }).notices).toEqual(["data: 'c2.AAA' has 3 characters after 'c2.', not whole points of 4 characters — using no own data"]);
  });

  it('states the length limit, and checks it before decoding', () => {
    const long = 'c2.' + 'A'.repeat(20000);
    expect(parseHash(`#data=${long}`).notices[0]).toMatch(/^data: 'c2\.A+…' has 20,003 characters, more than the 10,008 that 2,000 points take — using no own data$/);
  });

  it('a link holds own data up to OWN_LIMITS.linkPoints points; beyond, the settings only', () => {
    const points = (n) => Array.from({ length: n }, (_, i) => [(i % 100) / 10 - 5, Math.floor(i / 100) / 10, i % 2]);
    const small = st({ dataset: 'own', data: encodeData(points(OWN_LIMITS.linkPoints)) });
    const big = st({ dataset: 'own', data: encodeData(points(OWN_LIMITS.linkPoints + 1)) });
    expect(linkHoldsData(small) && linkHoldsData(DEFAULTS)).toBe(true);
    expect(linkHoldsData(big)).toBe(false);
    expect(parseHash('#' + toHash(small)).state).toEqual(small);
    expect(toHash(big)).not.toContain('data=');
    expect(toHash(small).length).toBeLessThan(4003 + 400);   // 4 characters a point, plus the settings
    expect(validate(big).notices).toEqual([]);   // the state itself holds up to maxPoints
  });

  it('sameData / sameNetwork / sameShape with own data', () => {
    const a = st({ dataset: 'own', data: xor });
    expect(sameData(a, st({ dataset: 'own', data: xor }))).toBe(true);
    expect(sameData(a, st({ dataset: 'own', data: xor, noise: 30, points: 100 }))).toBe(true);   // not used by own data
    expect(sameData(a, st({ dataset: 'own', data: three }))).toBe(false);
    expect(sameData(a, st({ dataset: 'own', data: xor, trainRatio: 80 }))).toBe(false);
    expect(sameData(a, st({ dataset: 'circle', data: xor }))).toBe(false);
    expect(sameNetwork(a, st({ dataset: 'own', data: three }))).toBe(false);   // 3 outputs
    expect(sameNetwork(a, st({ dataset: 'circle' }))).toBe(true);
    // the same shapes: weights can be kept across a cost / output / activation change
    expect(sameShape(a, st({ dataset: 'own', data: xor, cost: 'quadratic', activation: 'sigmoid', output: 'tanh' }))).toBe(true);
    expect(sameNetwork(a, st({ dataset: 'own', data: xor, cost: 'quadratic' }))).toBe(false);
    expect(sameShape(a, st({ dataset: 'own', data: three }))).toBe(false);
  });
});

describe('validate is safe with hostile objects', () => {
  it('a revoked Proxy, getters that throw, and non-objects give notices or defaults, never an exception', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(validate(proxy)).toEqual({ state: { ...DEFAULTS }, notices: [] });
    const nasty = { get noise() { throw new Error('boom'); }, layers: [3] };
    expect(validate(nasty).state).toMatchObject({ noise: 0, layers: [3] });
    for (const v of [undefined, 3, 'x', [], () => 1]) expect(() => validate(v)).not.toThrow();
  });
});

// Last in this file: it loads the Playground translation, which the tests above never need.
describe('TensorFlow Playground links before and after the translation is loaded (playground.test.js: the rest)', () => {
  const link = '#activation=tanh&batchSize=10&dataset=xor&regDataset=reg-plane&learningRate=0.03&networkShape=4,2'
    + '&seed=0.76285&x=true&y=true&problem=classification&initZero=false';
  it('is recognised and pending, with the defaults, until loadPlayground() has resolved; then it is read', async () => {
    const first = parseHash(link);
    expect(first).toEqual({ state: { ...DEFAULTS }, notices: [], format: 'playground', hiddenControls: [], pending: true });
    expect(parseHash('#regularization=L1').pending).toBe(true);   // known by a value format alone
    expect(parseHash('#dataset=xor').pending).toBe(undefined);      // this lab's links never wait
    await loadPlayground();
    const again = parseHash(link);
    expect(again.pending).toBe(undefined);
    expect(again.state).toMatchObject({ dataset: 'xor', init: 'uniform' });
    expect(again.notices).toHaveLength(1);
  });
});

describe('thousands', () => {
  it("writes integers as toLocaleString('en-US') does, without Intl (the epoch counter's first frame)", () => {
    const cases = [0, 7, 12, 999, 1000, 1234, 99999, 100000, 1234567, 1e9, 2 ** 31, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 200; i++) cases.push(Math.floor(Math.random() * 10 ** (1 + (i % 15))));
    for (const n of cases) expect(thousands(n)).toBe(n.toLocaleString('en-US'));
  });
});
