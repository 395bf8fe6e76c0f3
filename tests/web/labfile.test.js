// The lab file (web/src/labfile.js): what Save lab writes is what Load lab accepts, and anything else is refused
// with an Error that names the field, before the lab changes (checkLabFile runs before the worker is asked).
import { describe, it, expect, beforeAll } from 'vitest';
import { loadBackprop } from 'backprop-lab/page';
import { checkLabFile, FORMAT } from '../../web/src/labfile.js';
import { validate, DEFAULTS, networkSizes, resolve, weightSeedOf } from '../../web/src/state.js';
import { encodeData } from '../../web/src/data/points.js';

let bp, file;
beforeAll(async () => {
  bp = await loadBackprop();
  // a lab as Save lab writes it: own XOR data, a trained 2-3-1 network, its schedule
  const data = encodeData([[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]]);
  const { state } = validate({ ...DEFAULTS, seed: 3, dataset: 'own', data, layers: [3], trainRatio: 100 });
  const r = resolve(state);
  const net = bp.createNetwork({ layers: networkSizes(state), activation: state.activation, outputActivation: r.outputActivation, cost: r.cost, init: state.init, seed: weightSeedOf(state), features: state.features });
  net.setData([-1, -1, -1, 1, 1, -1, 1, 1], [0, 1, 1, 0]);
  net.train({ epochs: 5, batchSize: 1, shuffle: true });
  file = JSON.parse(JSON.stringify({ format: FORMAT, version: 1, saved: new Date().toISOString(), epoch: 5, state, model: net.toJSON(), schedule: net.schedule() }));
  net.dispose();
});

describe('checkLabFile', () => {
  it('accepts what Save lab writes and gives back the state, model, schedule and epoch', () => {
    const r = checkLabFile(file);
    expect(r.state).toEqual(file.state);
    expect(r.epoch).toBe(5);
    expect(r.schedule).toEqual(file.schedule);
    expect(r.model.layers).toEqual([2, 3, 1]);
  });

  const bad = [
    ['not an object', () => [1, 2], /^lab file: must be a JSON object/],
    ['a model file', (f) => f.model, /"format" must be "backprop-lab\/lab" .* that is a model file: use Load JSON under Model/],
    ['another version', (f) => ({ ...f, version: 2 }), /"version" 2 is not one this lab reads \(1\)/],
    ['no state', (f) => ({ ...f, state: 'x' }), /"state" must be an object of settings/],
    ['a bad setting', (f) => ({ ...f, state: { ...f.state, learningRate: 'fast' } }), /^lab file: "state": learningRate: 'fast' is not a number/],
    ['own data without points', (f) => ({ ...f, state: { ...f.state, data: undefined } }), /"state": dataset: 'own' needs own data points/],
    ['a bad epoch', (f) => ({ ...f, epoch: -1 }), /"epoch" must be a whole number ≥ 0, got -1/],
    ['a network of another shape', (f) => ({ ...f, state: { ...f.state, layers: [4] } }), /^lab file: "model" has hidden layers 3, but "state" says 4$/],
    ['a network on other features', (f) => ({ ...f, state: { ...f.state, features: ['x1', 'x1x2'] } }), /^lab file: "model" has features x1,x2, but "state" says x1,x1x2$/],
    ['a network with another cost', (f) => ({ ...f, state: { ...f.state, cost: 'quadratic' } }), /^lab file: "model"/],
    ['a network with other outputs', (f) => ({ ...f, model: { ...f.model, layers: [2, 3, 3] } }), /"model": the network has 3 output\(s\), the current data \(own\) needs 1/],
    ['a schedule that is not one', (f) => ({ ...f, schedule: [1] }), /"schedule" must be an object/],
  ];
  for (const [what, make, message] of bad) {
    it(`refuses ${what}, naming it`, () => { expect(() => checkLabFile(make(structuredClone(file)))).toThrow(message); });
  }
});
