// web/src/model.js's checkForLab(): which model files the lab can show faithfully, the settings they imply,
// and the words of each refusal. Pure (state.js only), so it runs in node.
import { describe, it, expect } from 'vitest';
import { checkForLab } from '../../web/src/model.js';
import { validate, resolve } from '../../web/src/state.js';

const state = (over = {}) => validate({ dataset: 'circle', seed: 1, ...over }).state;
const net = (layers, over = {}) => ({
  format: 'backprop-lab/network', version: 1, layers, activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy',
  init: 'xavier', seed: 5, precision: 'float32', features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'].slice(0, layers[0]),
  weights: layers.slice(1).map((n, l) => Array.from({ length: n }, () => Array(layers[l]).fill(0.1))),
  biases: layers.slice(1).map((n) => Array(n).fill(0)),
  ...over,
});

describe('checkForLab', () => {
  it('a network within the limits gives the settings that describe it exactly', () => {
    const patch = checkForLab(net([3, 16, 5, 1], { activation: 'relu', init: 'he', seed: 77 }), state());
    expect(patch).toEqual({ features: ['x1', 'x2', 'x1sq'], layers: [16, 5], activation: 'relu', output: 'sigmoid', cost: 'cross_entropy', init: 'he', seed: 77 });
    const next = validate({ ...state(), ...patch }).state;
    expect(resolve(next)).toMatchObject({ outputActivation: 'sigmoid', cost: 'cross_entropy' });
    // 8 hidden layers of 16, all seven features: the largest the lab shows
    expect(checkForLab(net([7, ...Array(8).fill(16), 1]), state()).layers).toHaveLength(8);
    // a multi-class net on blobs, a regression net on the plane
    expect(checkForLab(net([2, 4, 4], { outputActivation: 'softmax' }), state({ dataset: 'blobs', classes: 4 })).output).toBe('softmax');
    expect(checkForLab(net([2, 4, 1], { outputActivation: 'linear', cost: 'quadratic' }), state({ dataset: 'plane' })).cost).toBe('quadratic');
  });

  it('the engine\'s defaults fill missing fields (sigmoid, output = activation, quadratic)', () => {
    const m = net([2, 3, 1]);
    delete m.activation; delete m.outputActivation; delete m.cost;
    expect(checkForLab(m, state())).toMatchObject({ activation: 'sigmoid', output: 'sigmoid', cost: 'quadratic' });
  });

  for (const [name, model, st, re] of [
    ['too wide', net([2, 17, 1]), state(), /hidden layer 1 has 17 neurons; the lab shows networks of up to 8 hidden layers of 1–16 neurons/],
    ['too deep', net([2, ...Array(9).fill(2), 1]), state(), /it has 9 hidden layers/],
    ['2-1000-1000-1', net([2, 1000, 1000, 1]), state(), /hidden layer 1 has 1000 neurons/],
    ['no features', net([2, 3, 1], { features: undefined }), state(), /no "features"/],
    ['unknown feature', net([2, 3, 1], { features: ['x1', 'cosx1'] }), state(), /"features" must be a list of x1, x2/],
    ['features vs layers[0]', net([3, 3, 1], { features: ['x1', 'x2'] }), state(), /layers\[0\] is 3, but it lists 2 features/],
    ['wrong outputs', net([2, 3, 2]), state(), /2 output\(s\), the current data \(circle\) needs 1/],
    ['a 1-output softmax', net([2, 3, 1], { outputActivation: 'softmax' }), state(), /softmax over 1 output, which is 1 whatever the weights/],
    ['an output the lab would not use', net([2, 3, 1], { outputActivation: 'tanh', cost: 'quadratic' }), state({ dataset: 'blobs' }), /the network has 1 output/],
    ['cross-entropy on a tanh output', net([2, 3, 1], { outputActivation: 'tanh', cost: 'cross_entropy' }), state(), /tanh with the cross_entropy cost is not a combination the lab trains on circle/],
    ['unknown activation', net([2, 3, 1], { activation: 'softplus' }), state(), /hidden activation 'softplus' is not one the lab offers/],
    ['short weight rows', net([2, 3, 1], { weights: [[[1], [1], [1]], [[1, 1, 1]]] }), state(), /"weights" must hold 2 matrices of sizes 3×2, 1×3/],
    ['a weights array far longer than its layers', net([2, 3, 1], { weights: [Array(1e5).fill([1, 1]), [[1, 1, 1]]] }), state(), /"weights" must hold/],
    ['biases missing', net([2, 3, 1], { biases: undefined }), state(), /"biases" must hold 2 vectors/],
    ['not an object', [1, 2], state(), /must be a JSON object/],
    ['bad layers', net([2, 0, 1]), state(), /"layers" must be a list of at least 2 positive integers/],
  ]) {
    it(`refuses ${name}, saying why`, () => {
      expect(() => checkForLab(model, st)).toThrow(re);
      expect(() => checkForLab(model, st)).toThrow(/^model file: /);
    });
  }
});
