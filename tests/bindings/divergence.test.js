// Divergence you can recover from (issue 13): the checkpoint a diverged train() goes back to, net.epochs,
// and that `diverged` and `cost` are true statements about the weights kept. Through the JS API with the
// lab page's settings, on the issue's diverging configurations.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadBackprop } from 'backprop-lab';

let bp;
beforeAll(async () => { bp = await loadBackprop(); });

// The page's settings (web/src/state.js defaults): 500 points, half of them for training, noise 0, features
// x1 and x2, hidden sizes 4 and 2, batch 10, shuffled, ten epochs per frame; the output and cost follow the
// data (linear + quadratic for regression, sigmoid + cross-entropy for binary).
function pageLab(dataset, activation, precision, seed = 1) {
  const d = bp.dataset(dataset, { n: 500, noise: 0, seed, testRatio: 0.5 });
  const regression = d.kind === 'regression';
  const net = bp.createNetwork({
    layers: [2, 4, 2, 1], features: ['x1', 'x2'], activation, outputActivation: regression ? 'linear' : 'sigmoid',
    cost: regression ? 'quadratic' : 'cross_entropy', init: 'xavier', seed, precision,
  });
  net.setData(d.inputs, d.targets);
  const stepsPerEpoch = Math.ceil(d.inputs.length / 2 / 10);
  const frame = (learningRate, epochs = 10) => net.train({ steps: epochs * stepsPerEpoch, learningRate, batchSize: 10, shuffle: true });
  const cost = () => net.evaluate(d.inputs, d.targets).cost;
  return { d, net, frame, cost };
}

const finiteWeights = (net) => { const j = net.toJSON(); return [...j.weights.flat(2), ...j.biases.flat()].every(Number.isFinite); };

/** What a diverged result must say about the weights kept. */
function expectTrueStatement(r, net, cost) {
  expect(r.diverged).toBe(true);
  expect(r.restoredEpoch).toBe(net.epochs);
  expect(Number.isFinite(r.cost)).toBe(true);
  expect(r.cost).toBe(cost());  // C over the training data at the weights kept, to the last bit
  expect(r.cost).toBeGreaterThan(0);
  expect(finiteWeights(net)).toBe(true);
  expect(r.message).toMatch(new RegExp(`checkpoint at ${r.restoredEpoch === 0 ? 'the start \\(epoch 0\\)' : `the end of epoch ${r.restoredEpoch}`}`));
  expect(r.message).toMatch(/lower learning rate/);
}

// η/100 from the checkpoint for `epochs` frames: no divergence, and the cost falls frame after frame
// (allowing SGD's noise at the very bottom) and ends well below where it started.
function expectTrains(lab, learningRate, frames = 4) {
  const costs = [lab.cost()];
  for (let f = 0; f < frames; f++) {
    const r = lab.frame(learningRate);
    expect(r.diverged, r.message).toBe(false);
    costs.push(lab.cost());
  }
  expect(costs[1]).toBeLessThan(costs[0]);
  for (let f = 2; f < costs.length; f++) expect(costs[f]).toBeLessThan(Math.max(costs[f - 1] * 1.05, costs[0] * 1e-3));
  expect(costs.at(-1)).toBeLessThan(0.9 * costs[0]);
  return costs;
}

describe("the issue's diverging configurations, with the page's settings", () => {
  const CASES = [['plane', 'linear', 3], ['plane', 'linear', 100], ['spiral', 'linear', 10], ['plane', 'tanh', 3]];
  for (const precision of ['float32', 'float64']) {
    for (const [dataset, activation, eta] of CASES) {
      it(`${dataset}/${activation} η ${eta} (${precision}): diverges, goes back to a checkpoint with a finite cost, and η/100 trains from there`, () => {
        const lab = pageLab(dataset, activation, precision);
        let r;
        for (let f = 0; f < 50 && !r?.diverged; f++) r = lab.frame(eta);
        expectTrueStatement(r, lab.net, lab.cost);
        const checkpoint = JSON.stringify(lab.net.toJSON());
        if (dataset === 'plane' && activation === 'linear' && eta === 100) {
          // η/100 = 1 is itself too large for a linear network on the plane (it diverges from any weights:
          // 3.09 → 9.4e4 → ∞ in three steps from the initial ones). It diverges again and comes back to the
          // same checkpoint, still a true statement; η/1000 then trains.
          const again = lab.frame(eta / 100);
          expectTrueStatement(again, lab.net, lab.cost);
          expect(again.restoredEpoch).toBe(r.restoredEpoch);
          expect(again.cost).toBe(r.cost);
          expect(JSON.stringify(lab.net.toJSON())).toBe(checkpoint);
          expectTrains(lab, eta / 1000);
        } else {
          expectTrains(lab, eta / 100);
        }
        lab.net.dispose();
      });
    }
  }
});

describe('the checkpoint', () => {
  it('is the end of the last epoch confirmed by a good next epoch: after 20 good epochs, a divergence goes back to epoch 19 or 20, with its weights', () => {
    const lab = pageLab('plane', 'tanh', 'float32');
    const snapshots = [JSON.stringify(lab.net.toJSON())];
    for (let e = 1; e <= 20; e++) {
      expect(lab.frame(0.03, 1).diverged).toBe(false);
      expect(lab.net.epochs).toBe(e);
      snapshots.push(JSON.stringify(lab.net.toJSON()));
    }
    const r = lab.frame(3);
    expectTrueStatement(r, lab.net, lab.cost);
    // epoch 20's end is confirmed only by a good epoch 21; at η = 3 the first epoch already explodes
    expect(r.restoredEpoch).toBe(19);
    expect(JSON.stringify(lab.net.toJSON())).toBe(snapshots[19]);
    expect(r.steps).toBe(0);  // none of this call's steps is in the weights kept
    expectTrains(lab, 0.03);
  });

  for (const precision of ['float32', 'float64']) {
    it(`a slow divergence within one call: the checkpoint is the last epoch that was not exploding; steps counts the steps kept (${precision})`, () => {
      // One example, one step an epoch. With x = 1 the error e = w + b − y of a 1-1 linear network changes by
      // the factor 1 − 2η per step: η = 1.01 makes |e| grow 2 % a step and C 4 % a step — finite for
      // thousands of steps, so that a single call has good epochs first and overflows much later.
      const opts = { layers: [1, 1], activation: 'linear', precision, init: 'zeros' };
      const net = bp.createNetwork(opts), twin = bp.createNetwork(opts);
      net.setData([1], [1]);
      twin.setData([1], [1]);
      const c0 = net.evaluate([1], [1]).cost;
      const r = net.train({ learningRate: 1.01, batchSize: 1, epochs: 100000 });
      expectTrueStatement(r, net, () => net.evaluate([1], [1]).cost);
      // the checkpoint: the last epoch before the cost passed 10 × the lowest known (1.0404^58 ≈ 10)
      expect(r.restoredEpoch).toBeGreaterThan(50);
      expect(r.restoredEpoch).toBeLessThan(60);
      expect(r.cost).toBeLessThanOrEqual(10 * c0);
      expect(r.steps).toBe(r.restoredEpoch);  // one step an epoch, all in this call
      // the weights are exactly those after restoredEpoch steps
      twin.train({ learningRate: 1.01, batchSize: 1, epochs: r.restoredEpoch });
      expect(net.toJSON()).toEqual(twin.toJSON());
      expect(net.train({ learningRate: 0.01, batchSize: 1, epochs: 100 }).diverged).toBe(false);
      expect(net.evaluate([1], [1]).cost).toBeLessThan(r.cost / 10);
    });
  }

  it('set weights are the new checkpoint, at the current epoch', () => {
    const lab = pageLab('plane', 'linear', 'float32');
    lab.frame(0.01, 3);
    expect(lab.net.epochs).toBe(3);
    lab.net.setWeight(1, 0, 0, 0.25);
    const edited = JSON.stringify(lab.net.toJSON());
    const r = lab.frame(3);
    expectTrueStatement(r, lab.net, lab.cost);
    expect(r.restoredEpoch).toBe(3);
    expect(JSON.stringify(lab.net.toJSON())).toBe(edited);
  });

  it('a first step that diverges keeps everything as it was', () => {
    const net = bp.createNetwork({ layers: [2, 3, 1], activation: 'tanh', outputActivation: 'linear', seed: 7 });
    net.setData([1, 2, -1, 0.5, 0.3, -2], [100, -50, 80]);
    const before = net.toJSON();
    const r = net.train({ learningRate: 1e308, batchSize: 3 });
    expectTrueStatement(r, net, () => net.evaluate([1, 2, -1, 0.5, 0.3, -2], [100, -50, 80]).cost);
    expect(r).toMatchObject({ steps: 0, restoredEpoch: 0 });
    expect(net.toJSON()).toEqual(before);
  });

  it('weights whose cost on the data is already infinite: diverged at once, nothing changes, and the message says why', () => {
    const net = bp.createNetwork({ layers: [1, 1, 1], activation: 'linear', precision: 'float32' });
    net.setWeights(1, [3e38]);
    net.setWeights(2, [3e38]);  // z² = (9e76)² overflows float32
    net.setData([1, 2], [0, 1]);
    const before = net.toJSON();
    const r = net.train({ learningRate: 0.1, epochs: 3 });
    expect(r).toMatchObject({ diverged: true, steps: 0, restoredEpoch: 0 });
    expect(Number.isFinite(r.cost)).toBe(false);
    expect(r.message).toMatch(/already (Infinity|NaN) at the current weights.*float32/);
    expect(net.toJSON()).toEqual(before);
    net.setWeights(1, [0.5]);  // other weights: it trains
    net.setWeights(2, [0.5]);
    expect(net.train({ learningRate: 0.1, epochs: 1 }).diverged).toBe(false);
  });
});

describe('diverged: false is a true statement too', () => {
  it('no call returns diverged: false with weights whose cost on the data is not finite (random rates, batch sizes, chunk sizes)', () => {
    let diverged = 0, calls = 0;
    for (const precision of ['float32', 'float64']) {
      for (const [dataset, activation] of [['plane', 'linear'], ['plane', 'relu'], ['spiral', 'linear'], ['xor', 'tanh']]) {
        for (const [eta, batch, steps] of [[0.5, 250, 3], [3, 10, 7], [30, 1, 333], [300, 100, 2], [1e4, 250, 1]]) {
          const lab = pageLab(dataset, activation, precision, 3);
          for (let c = 0; c < 12; c++) {
            const r = lab.net.train({ steps, learningRate: eta, batchSize: batch, shuffle: true });
            calls++;
            const cost = lab.cost();
            expect(Number.isFinite(cost), `${dataset}/${activation} η ${eta} batch ${batch}: ${JSON.stringify(r)}`).toBe(true);
            if (r.diverged) {
              diverged++;
              expectTrueStatement(r, lab.net, lab.cost);
            }
          }
          lab.net.dispose();
        }
      }
    }
    expect(calls).toBe(2 * 4 * 5 * 12);
    expect(diverged).toBeGreaterThan(20);  // the property was exercised
  });
});

describe('net.epochs', () => {
  it('counts whole epochs since setData, across calls and partial epochs', () => {
    const net = bp.createNetwork({ layers: [2, 3, 1], seed: 2 });
    const d = bp.dataset('circle', { n: 50, seed: 1 });
    expect(net.epochs).toBe(0);
    net.setData(d.inputs, d.targets);  // 50 points, batch 10: 5 steps an epoch
    net.train({ epochs: 3, learningRate: 0.1 });
    expect(net.epochs).toBe(3);
    net.train({ steps: 4, learningRate: 0.1 });
    expect(net.epochs).toBe(3);
    net.train({ steps: 1, learningRate: 0.1 });
    expect(net.epochs).toBe(4);
    net.train({ steps: 12, learningRate: 0.1, batchSize: 25 });  // another batch size: 2 steps an epoch
    expect(net.epochs).toBe(10);
    net.train({ epochs: 0 });
    expect(net.epochs).toBe(10);
    net.setData(d.inputs, d.targets);
    expect(net.epochs).toBe(0);
    net.dispose();
    expect(() => net.epochs).toThrow(/dispose/);
  });

  it('train(X, Y) with the data already loaded goes on (like train(options)); other data start over', () => {
    const d = bp.dataset('circle', { n: 50, seed: 1 });
    const a = bp.createNetwork({ layers: [2, 3, 1], seed: 2 }), b = bp.createNetwork({ layers: [2, 3, 1], seed: 2 });
    b.setData(d.inputs, d.targets);
    for (let i = 0; i < 3; i++) {
      a.train(d.inputs, d.targets, { steps: 2, learningRate: 0.3, shuffle: true });
      b.train({ steps: 2, learningRate: 0.3, shuffle: true });
    }
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.epochs).toBe(1);
    // the same values in another array (a Float32Array copy, a plain array) are the same data
    a.train(Array.from(d.inputs), Float32Array.from(d.targets), { steps: 4, learningRate: 0.3, shuffle: true });
    b.train({ steps: 4, learningRate: 0.3, shuffle: true });
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.epochs).toBe(2);
    // one value changed: new data, loaded and started over
    const X = d.inputs.slice();
    X[7] += 1e-9;
    a.train(X, d.targets, { steps: 1, learningRate: 0.3 });
    expect(a.epochs).toBe(0);
    b.setData(X, d.targets);
    a.train({ steps: 1, learningRate: 0.3 });
    b.train({ steps: 2, learningRate: 0.3 });
    expect(a.toJSON()).toEqual(b.toJSON());
  });
});
