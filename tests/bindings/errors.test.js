// Bad input: every one gets an Error naming the field and the bad value; nothing already there changes;
// the module stays usable; neither networks nor thrown errors leak engine memory.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadBackprop, LIMITS } from 'backprop-lab';

let bp;
beforeAll(async () => { bp = await loadBackprop(); });

// A network with data loaded, and a twin that never sees a bad call. After each bad call the victim must
// still equal the twin (weights), and one more train call on the previously set data must give both the
// same cost and weights, bit for bit: that fails if a bad call changed the weights or the stored data.
const GOOD = { inputs: [0.5, -1, 1.5, 0.25, -0.75, 2, 1, 1], targets: [1, 0, 1, 0] };
const CONFIG = { layers: [2, 4, 1], activation: 'tanh', seed: 3 };
function fixture() {
  const victim = bp.createNetwork(CONFIG), twin = bp.createNetwork(CONFIG);
  victim.setData(GOOD.inputs, GOOD.targets);
  twin.setData(GOOD.inputs, GOOD.targets);
  return { victim, twin };
}

/** fn(net) must throw an Error whose message matches every pattern; then the fixture must be intact. */
function expectRejected(fn, ...patterns) {
  const { victim, twin } = fixture();
  const before = JSON.stringify(victim.toJSON());
  let error;
  try { fn(victim); } catch (e) { error = e; }
  expect(error, 'expected an Error').toBeInstanceOf(Error);
  for (const p of patterns) expect(error.message).toMatch(p);
  expect(JSON.stringify(victim.toJSON())).toBe(before);
  const a = victim.train({ learningRate: 0.3, batchSize: 2, epochs: 2 });
  const b = twin.train({ learningRate: 0.3, batchSize: 2, epochs: 2 });
  expect(a).toEqual(b);
  expect(victim.toJSON()).toEqual(twin.toJSON());
  victim.dispose();
  twin.dispose();
  // the module stays usable
  const probe = bp.createNetwork({ layers: [2, 2, 1], seed: 1 });
  expect(probe.predict([0, 0]).length).toBe(1);
  probe.dispose();
  return error;
}

describe('createNetwork: layers', () => {
  const cases = [
    ['fewer than two entries', [2], /layers/, /two layers/, /got 1\b/],
    ['empty', [], /layers/, /got 0\b/],
    ['a zero size', [2, 0, 1], /layers\[1\]/, /got 0\b/],
    ['a negative size', [2, -3, 1], /layers\[1\]/, /-3/],
    ['a fractional size', [2, 1.5, 1], /layers\[1\]/, /1\.5/],
    ['NaN', [2, NaN, 1], /layers\[1\]/, /NaN/],
    ['a string', [2, '4', 1], /layers\[1\]/, /'4'/],
    ['a size above maxLayerSize', [2, LIMITS.maxLayerSize + 1, 1], /layers\[1\]/, new RegExp(String(LIMITS.maxLayerSize + 1))],
    ['more than maxLayers layers', Array(LIMITS.maxLayers + 1).fill(2), /layers/, new RegExp(`got ${LIMITS.maxLayers + 1}`)],
    ['too many parameters', [2, 2048, 2048, 1], /layers/, new RegExp(String(2048 * 3 + 2048 * 2049 + 2049)), new RegExp(String(LIMITS.maxParameters))],
    ['not a list', '2,4,1', /layers/, /2,4,1/],
  ];
  for (const [what, layers, ...patterns] of cases) {
    it(what, () => { expectRejected(() => bp.createNetwork({ layers }), ...patterns); });
  }
  it('missing (undefined)', () => { expectRejected(() => bp.createNetwork({ activation: 'tanh' }), /layers/, /undefined/); });
  it('no options at all', () => { expectRejected(() => bp.createNetwork(), /options/); });
  it('the largest allowed network is accepted (the limits are not off by one)', () => {
    const net = bp.createNetwork({ layers: [2, 1024, 1024, 1], init: 'zeros' });
    expect(net.parameterCount).toBe(2 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 + 1);
    net.dispose();
    expect(() => bp.createNetwork({ layers: Array(LIMITS.maxLayers).fill(1) }).dispose()).not.toThrow();
  });
});

describe('createNetwork: names and options', () => {
  const cases = [
    ['unknown activation', { activation: 'swish' }, /activation/, /'swish'/],
    ['softmax as a hidden activation', { activation: 'softmax' }, /activation/, /'softmax'/],
    ['unknown outputActivation', { outputActivation: 'softplus' }, /outputActivation/, /'softplus'/],
    ['unknown cost', { cost: 'hinge' }, /cost/, /'hinge'/],
    ['unknown init', { init: 'glorot' }, /init/, /'glorot'/],
    ['unknown precision', { precision: 'float16' }, /precision/, /'float16'/],
    ['unknown feature', { layers: [2, 2, 1], features: ['x1', 'x3'] }, /features\[1\]/, /'x3'/],
    ['duplicate feature', { layers: [2, 2, 1], features: ['x1', 'x1'] }, /features/, /duplicate/],
    ['empty features', { features: [] }, /features/, /\[\]/],
    ['features not matching layers[0]', { layers: [2, 2, 1], features: ['x1', 'x2', 'x1sq'] }, /layers\[0\]/, /3/],
    ['cross_entropy with a tanh output', { outputActivation: 'tanh', cost: 'cross_entropy' }, /outputActivation/, /cross_entropy/, /'tanh'/],
    ['cross_entropy with a relu output', { outputActivation: 'relu', cost: 'cross_entropy' }, /outputActivation/, /'relu'/],
    ['cross_entropy with a linear output', { outputActivation: 'linear', cost: 'cross_entropy' }, /outputActivation/, /'linear'/],
    ['cross_entropy with tanh everywhere', { activation: 'tanh', cost: 'cross_entropy' }, /outputActivation/, /'tanh'/],
    ['a negative seed', { seed: -1 }, /seed/, /-1/],
    ['a fractional seed', { seed: 1.5 }, /seed/, /1\.5/],
    ['an unknown option key', { learningRate: 0.1 }, /unknown option/, /'learningRate'/],
  ];
  for (const [what, opts, ...patterns] of cases) {
    it(what, () => { expectRejected(() => bp.createNetwork({ layers: [2, 3, 1], ...opts }), ...patterns); });
  }
});

describe('data: wrong lengths and non-finite values (train, setData, evaluate, predict)', () => {
  const T = GOOD.targets, X = GOOD.inputs;
  const calls = {
    train: (net, x, y) => net.train(x, y, { learningRate: 0.1 }),
    setData: (net, x, y) => net.setData(x, y),
    evaluate: (net, x, y) => net.evaluate(x, y),
    gradientCheck: (net, x, y) => net.gradientCheck(x, y),
  };
  for (const [name, call] of Object.entries(calls)) {
    it(`${name}: inputs of the wrong length`, () => { expectRejected((n) => call(n, [1, 2, 3], [1]), /inputs/, /multiple of 2/, /got 3/); });
    it(`${name}: empty inputs`, () => { expectRejected((n) => call(n, [], []), /inputs/, /got 0/); });
    it(`${name}: targets of the wrong length`, () => { expectRejected((n) => call(n, X, [1, 0, 1]), /targets/, /got 3/); });
    it(`${name}: NaN in the inputs`, () => { expectRejected((n) => call(n, [0.5, NaN, ...X.slice(2)], T), /inputs\[1\]/, /NaN/); });
    it(`${name}: Infinity in the inputs`, () => { expectRejected((n) => call(n, [...X.slice(0, 5), Infinity, ...X.slice(6)], T), /inputs\[5\]/, /Infinity/); });
    it(`${name}: -Infinity in the targets`, () => { expectRejected((n) => call(n, X, [1, 0, -Infinity, 0]), /targets\[2\]/, /-Infinity/); });
    it(`${name}: NaN in the targets`, () => { expectRejected((n) => call(n, X, [NaN, 0, 1, 0]), /targets\[0\]/, /NaN/); });
    it(`${name}: a non-number in the inputs`, () => { expectRejected((n) => call(n, ['a', ...X.slice(1)], T), /inputs\[0\]/, /'a'/); });
    it(`${name}: inputs not an array`, () => { expectRejected((n) => call(n, 'abc', T), /inputs/, /'abc'/); });
  }
  it('predict: points of the wrong length', () => { expectRejected((n) => n.predict([1, 2, 3]), /points/, /got 3/); });
  it('predict: empty', () => { expectRejected((n) => n.predict([]), /points/, /got 0/); });
  it('predict: NaN', () => { expectRejected((n) => n.predict([1, NaN]), /points\[1\]/, /NaN/); });
  it('predict: Infinity in a typed array', () => { expectRejected((n) => n.predict(new Float64Array([Infinity, 0])), /points\[0\]/, /Infinity/); });
  it('train without any data on a fresh network', () => {
    const net = bp.createNetwork({ layers: [2, 1] });
    expect(() => net.train({ learningRate: 0.1 })).toThrow(/no training data/);
    net.dispose();
  });
});

describe('train options', () => {
  const cases = [
    ['learningRate 0', { learningRate: 0 }, /learningRate/, /got 0\b/],
    ['learningRate -0.1', { learningRate: -0.1 }, /learningRate/, /-0\.1/],
    ['learningRate NaN', { learningRate: NaN }, /learningRate/, /NaN/],
    ['learningRate Infinity', { learningRate: Infinity }, /learningRate/, /Infinity/],
    ['learningRate a string', { learningRate: '0.1' }, /learningRate/, /'0\.1'/],
    ['batchSize 0', { batchSize: 0 }, /batchSize/, /got 0\b/],
    ['batchSize -1', { batchSize: -1 }, /batchSize/, /-1/],
    ['batchSize 1.5', { batchSize: 1.5 }, /batchSize/, /1\.5/],
    ['epochs -1', { epochs: -1 }, /epochs/, /-1/],
    ['steps 2.5', { steps: 2.5 }, /steps/, /2\.5/],
    ['l2 -1', { l2: -1 }, /l2/, /-1/],
    ['l1 NaN', { l1: NaN }, /l1/, /NaN/],
    ['l1 and l2 together', { l1: 0.1, l2: 0.1 }, /l1\/l2/, /0\.1/],
    ['shuffle not a boolean', { shuffle: 'yes' }, /shuffle/, /'yes'/],
    ['an unknown key', { lr: 0.1 }, /unknown option/, /'lr'/],
    ['a misspelt key', { learningrate: 0.1 }, /unknown option/, /'learningrate'/],
  ];
  for (const [what, opts, ...patterns] of cases) {
    it(`${what} (with data in the call)`, () => { expectRejected((n) => n.train(GOOD.inputs, GOOD.targets, { learningRate: 0.1, ...opts }), ...patterns); });
    it(`${what} (data from setData)`, () => { expectRejected((n) => n.train({ learningRate: 0.1, ...opts }), ...patterns); });
  }
});

describe('other methods', () => {
  const cases = [
    ['evaluate: unknown option', (n) => n.evaluate(GOOD.inputs, GOOD.targets, { l3: 1 }), /unknown option/, /'l3'/],
    ['gradientCheck: unknown option', (n) => n.gradientCheck({ h: 1e-3 }), /unknown option/, /'h'/],
    ['gradientCheck: maxParameters 0', (n) => n.gradientCheck({ maxParameters: 0 }), /maxParameters/, /got 0\b/],
    ['gradientCheck: onProgress not a function', (n) => n.gradientCheck({ onProgress: 'yes' }), /onProgress/, /expected a function/],
    ['grid: resolution 0', (n) => n.grid({ resolution: 0 }), /resolution/, /got 0\b/],
    ['grid: resolution above the limit', (n) => n.grid({ resolution: LIMITS.maxGridResolution + 1 }), /resolution/, new RegExp(String(LIMITS.maxGridResolution + 1))],
    ['grid: extent 0', (n) => n.grid({ extent: 0 }), /extent/, /got 0\b/],
    ['grid: extent NaN', (n) => n.grid({ extent: NaN }), /extent/, /NaN/],
    ['grid: an unknown option key', (n) => n.grid({ res: 50 }), /unknown option/, /'res'/],
    ['layer(0)', (n) => n.layer(0), /layer/, /got 0\b/],
    ['layer(3) of a 2-layer network', (n) => n.layer(3), /layer/, /got 3\b/],
    ['setWeights: wrong length', (n) => n.setWeights(1, [1, 2]), /weights\[0\]/, /got 2\b/],
    ['setWeights: NaN', (n) => n.setWeights(2, [1, 2, NaN, 4]), /weights\[1\]\[2\]/, /NaN/],
    ['setBiases: wrong length', (n) => n.setBiases(1, [1]), /biases\[0\]/, /got 1\b/],
    ['setWeight: j out of range', (n) => n.setWeight(1, 4, 0, 1), /\bj\b/, /got 4\b/],
    ['setWeight: value Infinity', (n) => n.setWeight(1, 0, 0, Infinity), /value/, /Infinity/],
    ['setBias: layer 5', (n) => n.setBias(5, 0, 1), /layer/, /got 5\b/],
  ];
  for (const [what, fn, ...patterns] of cases) it(what, () => { expectRejected(fn, ...patterns); });
});

describe('networkFromJSON', () => {
  let good;
  beforeAll(() => {
    const net = bp.createNetwork({ layers: [2, 3, 1], seed: 4 });
    good = net.toJSON();
    net.dispose();
  });
  const edit = (f) => () => { const j = structuredClone(good); f(j); return j; };
  const cases = [
    ['malformed JSON', () => '{"layers": [2, 3', /model JSON/, /malformed/],
    ['JSON that is not an object', () => '[1, 2]', /model JSON/, /\[1,2\]/],
    ['a weight row too short', edit((j) => { j.weights[0][1] = [0.5]; }), /weights\[0\]\[1\]/, /got 1\b/],
    ['a weight matrix with a missing row', edit((j) => { j.weights[0].pop(); }), /weights\[0\]/, /got 2\b/],
    ['a missing bias vector', edit((j) => { j.biases.pop(); }), /biases/, /got 1\b/],
    ['a bias vector too long', edit((j) => { j.biases[1].push(0); }), /biases\[1\]/, /got 2\b/],
    ['an extra layer of weights', edit((j) => { j.weights.push([[1]]); j.biases.push([0]); }), /weights/, /got 3\b/],
    ['missing weights', edit((j) => { delete j.weights; }), /weights/, /undefined/],
    ['a NaN weight', edit((j) => { j.weights[1][0][2] = NaN; }), /weights\[1\]/, /NaN/],
    ['a string weight', edit((j) => { j.weights[1][0][0] = '0.5'; }), /weights\[1\]/, /'0\.5'/],
    ['an unknown field', edit((j) => { j.momentum = 0.9; }), /unknown field/, /'momentum'/],
    ['a wrong format', edit((j) => { j.format = 'keras'; }), /format/, /'keras'/],
    ['an unknown activation', edit((j) => { j.activation = 'swish'; }), /activation/, /'swish'/],
    ['layers that do not match the weights', edit((j) => { j.layers = [2, 4, 1]; }), /weights\[0\]/, /4/],
    ['cross_entropy with a linear output', edit((j) => { j.cost = 'cross_entropy'; j.outputActivation = 'linear'; }), /outputActivation/, /'linear'/],
  ];
  for (const [what, make, ...patterns] of cases) {
    it(what, () => {
      const input = make();
      expectRejected(() => bp.networkFromJSON(input), ...patterns);
    });
  }
  it('the good JSON itself loads (the cases above are bad only in what they change)', () => {
    const net = bp.networkFromJSON(JSON.stringify(good));
    expect(net.toJSON()).toEqual(good);
    net.dispose();
  });
});

describe('bp.dataset', () => {
  const cases = [
    ['an unknown name', ['spirals'], /dataset/, /'spirals'/],
    ['n 0', ['circle', { n: 0 }], /\bn\b/, /got 0\b/],
    ['n 1.5', ['circle', { n: 1.5 }], /\bn\b/, /1\.5/],
    ['n above the limit', ['circle', { n: LIMITS.maxDatasetPoints + 1 }], /\bn\b/, new RegExp(String(LIMITS.maxDatasetPoints + 1))],
    ['noise NaN', ['xor', { noise: NaN }], /noise/, /NaN/],
    ['noise -0.1', ['xor', { noise: -0.1 }], /noise/, /-0\.1/],
    ['noise 2', ['xor', { noise: 2 }], /noise/, /\b2\b/],
    ['testRatio 1', ['moons', { testRatio: 1 }], /testRatio/, /got 1\b/],
    ['testRatio -0.5', ['moons', { testRatio: -0.5 }], /testRatio/, /-0\.5/],
    ['a testRatio that leaves no training point', ['circle', { n: 10, testRatio: 0.99 }], /test_?[rR]atio/, /0\.9(9|8999)/],
    ['classes 6', ['blobs', { classes: 6 }], /classes/, /\b6\b/],
    ['seed -1', ['gauss', { seed: -1 }], /seed/, /-1/],
    ['an unknown option key', ['gauss', { size: 10 }], /unknown option/, /'size'/],
  ];
  for (const [what, args, ...patterns] of cases) it(what, () => { expectRejected(() => bp.dataset(...args), ...patterns); });
});

describe('trace spec errors', () => {
  const SPEC = {
    layers: [2, 2, 1], weights: [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]], biases: [[0.35, 0.35], [0.6]],
    inputs: [[0.05, 0.1]], targets: [[0.01]], learning_rate: 0.5, steps: 1,
  };
  const cases = [
    ['weights of the wrong shape', { weights: [[[0.15, 0.2], [0.25]], [[0.4, 0.45]]] }, /weights\[0\]\[1\]/, /got 1\b/],
    ['a missing weight matrix', { weights: [[[0.15, 0.2], [0.25, 0.3]]] }, /weights/, /matrices/],
    ['biases of the wrong length', { biases: [[0.35], [0.6]] }, /biases\[0\]/, /got 1\b/],
    ['an unknown activation', { activation: 'swish' }, /activation/, /'swish'/],
    ['an unknown output_activation', { output_activation: 'softplus' }, /output_activation/, /'softplus'/],
    ['an unknown cost', { cost: 'hinge' }, /cost/, /'hinge'/],
    ['cross_entropy with a linear output', { cost: 'cross_entropy', output_activation: 'linear' }, /output_activation/, /'linear'/],
    ['no inputs', { inputs: [] }, /inputs/, /\[\]/],
    ['inputs of the wrong width', { inputs: [[0.05, 0.1, 0.2]] }, /inputs\[0\]/, /got 3\b/],
    ['NaN in the inputs', { inputs: [[0.05, NaN]] }, /inputs/, /NaN/],
    ['missing targets', { targets: undefined }, /targets/, /undefined/],
    ['more targets than inputs', { targets: [[0.01], [0.5]] }, /targets/, /got 2\b/],
    ['steps without a learning_rate', { learning_rate: undefined }, /learning_rate/, /undefined/],
    ['learning_rate 0', { learning_rate: 0 }, /learning_rate/, /got 0\b/],
    ['batch_size 0', { batch_size: 0 }, /batch_size/, /got 0\b/],
    ['steps -1', { steps: -1 }, /steps/, /-1/],
    ['l2 -1', { l2: -1 }, /l2/, /-1/],
    ['l1 and l2 together', { l1: 0.1, l2: 0.2 }, /l1\/l2/],
    ['an unknown key', { momentum: 0.9 }, /spec/, /'momentum'/],
    ['layers with one entry', { layers: [2] }, /layers/, /got 1\b/],
  ];
  for (const [what, change, ...patterns] of cases) {
    it(what, () => { expectRejected(() => bp.trace({ ...SPEC, ...change }), ...patterns); });
  }
  it('not an object', () => { expectRejected(() => bp.trace('spec.json'), /spec/, /spec\.json/); });
  it('the base spec itself is fine', () => { expect(bp.trace(SPEC).cost_initial).toBeCloseTo(0.274811083, 9); });
});

describe('memory', () => {
  // heapInUse() is mallinfo().uordblks: bytes handed out by malloc and not freed. After the first few cycles
  // every allocation the engine keeps for its own sake (embind's type tables, the static error-message
  // string, allocator bookkeeping) exists; a per-cycle leak of even one 8-byte block would then add ≥ 8 KB
  // over the remaining 990 cycles. The 64 KB slack absorbs allocator noise (dlmalloc may keep a different
  // top chunk / bin layout, and the static message string may grow to hold a longer message) while still
  // catching any leak that grows with the number of networks (one network here is ~ 2 KB of parameters and
  // buffers plus 100 examples of data, so a leaked network or dataset would cost ≥ 1 MB over 990 cycles).
  const SLACK = 64 * 1024;

  it('1,000 create → train → dispose cycles do not leak', () => {
    const d = bp.dataset('circle', { n: 100, seed: 1 });
    const cycle = (i) => {
      const net = bp.createNetwork({ layers: [2, 8, 8, 1], activation: 'tanh', seed: i, precision: i % 2 ? 'float32' : 'float64' });
      net.train(d.inputs, d.targets, { learningRate: 0.1, batchSize: 10, epochs: 3 });
      net.predict([0.5, 0.5]);
      net.layer(2);
      net.grid({ resolution: 8 });
      net.dispose();
    };
    for (let i = 0; i < 10; i++) cycle(i);
    const heap10 = bp.heapInUse(), mem10 = bp.memoryBytes(), handles10 = bp.handleCount();
    for (let i = 10; i < 1000; i++) cycle(i);
    expect(bp.heapInUse()).toBeLessThanOrEqual(heap10 + SLACK);
    expect(bp.memoryBytes()).toBe(mem10);
    expect(bp.handleCount()).toBe(handles10);
    // the measure works: keeping 20 networks alive shows up
    const kept = Array.from({ length: 20 }, (_, i) => { const n = bp.createNetwork({ layers: [2, 64, 64, 1], seed: i }); n.setData(d.inputs, d.targets); return n; });
    expect(bp.heapInUse()).toBeGreaterThan(heap10 + 20 * 64 * 64 * 8);
    kept.forEach((n) => n.dispose());
    expect(bp.heapInUse()).toBeLessThanOrEqual(heap10 + SLACK);
  });

  it('1,000 failing calls (core-side and JS-side errors) do not leak', () => {
    const net = bp.createNetwork({ layers: [2, 5, 3], seed: 1 });
    net.setData([1, 2, 3, 4], [1, 0, 0, 0, 1, 0]);
    const failing = [
      () => net.setData([1, 2, 3, 4], [1, 0]),                 // core: targets length
      () => net.evaluate([1, 2], [1, 2, 3, 4]),                // core: targets length
      () => net.setWeights(1, [1, 2, 3]),                      // core: weights length
      () => net.gradientCheck([1, 2], [1]),                    // core: targets length
      () => bp.trace({ layers: [2, 1], cost: 'cross_entropy', activation: 'linear', weights: [[[1, 2]]], biases: [[0]], inputs: [[1, 1]], targets: [[1]] }),  // core: validate
      () => bp.dataset('circle', { n: 3, testRatio: 0.9 }),    // core: no training point
      () => bp.createNetwork({ layers: [2, 0] }),              // JS-side
      () => net.train({ learningRate: -1 }),                   // JS-side
    ];
    const round = () => {
      for (const f of failing) expect(f).toThrow();
    };
    for (let i = 0; i < 2; i++) round();
    const heap = bp.heapInUse(), mem = bp.memoryBytes(), handles = bp.handleCount();
    for (let i = 0; i < 125; i++) round();  // 1,000 failing calls
    // No slack beyond the kept error message's capacity: an error that leaked even one 16-byte block per
    // call would add 2 KB over the 125 rounds. Nor may the JS handles of the call's arguments pile up.
    expect(bp.heapInUse()).toBeLessThanOrEqual(heap + 512);
    expect(bp.memoryBytes()).toBe(mem);
    expect(bp.handleCount()).toBe(handles);
    expect(net.train({ learningRate: 0.1 }).diverged).toBe(false);  // still usable
    net.dispose();
  });
});
