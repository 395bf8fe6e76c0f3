// Own data end to end with the real engine: a link's state (web/src/state.js) and its points (web/src/data/points.js,
// web/src/data/csv.js) give the network and the data the worker would build, and they train — the notes' 4-point
// XOR as a fit_partial loop (batch 1, fixed order), and the Iris sepal measurements read from CSV and rescaled.
import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll } from 'vitest';
import { loadBackprop } from 'backprop-lab';
import { parseHash, networkSizes, resolve, weightSeedOf, classCount } from '../../web/src/state.js';
import { encodeData, decodeData, splitData } from '../../web/src/data/points.js';
import { parseCSV, fitToView } from '../../web/src/data/csv.js';

let bp;
beforeAll(async () => { bp = await loadBackprop(); });

/** What the worker does with own data: decode, split by trainRatio and seed, targets as the engine wants them. */
function ownDataset(state) {
  const { points } = decodeData(state.data);
  const k = classCount(state), outputs = k > 2 ? k : 1;
  const { train, test } = splitData(points.length, state.trainRatio, state.seed);
  const pack = (idx) => ({
    X: Float64Array.from(idx.flatMap((i) => [points[i][0], points[i][1]])),
    Y: Float64Array.from(idx.flatMap((i) => (outputs === 1 ? [points[i][2]] : Array.from({ length: k }, (_, c) => (c === points[i][2] ? 1 : 0))))),
  });
  return { train: pack(train), test: pack(test) };
}
function network(state) {
  const r = resolve(state);
  return bp.createNetwork({ layers: networkSizes(state), activation: state.activation, outputActivation: r.outputActivation,
    cost: r.cost, init: state.init, seed: weightSeedOf(state), features: state.features });
}

describe('own data trains', () => {
  it("the notes' 4-point XOR from a link: 3-3-2-1 sigmoid, batch 1, fixed order, reaches 100 %", () => {
    const data = encodeData([[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]]);
    const { state, notices } = parseHash(`#dataset=own&data=${data}&trainRatio=100&batchSize=1&shuffle=false&seed=1`
      + '&features=x1,x2,x1x2&layers=3,2&activation=sigmoid&output=sigmoid&cost=quadratic&init=nielsen&learningRate=1');
    expect(notices).toEqual([]);
    expect(networkSizes(state)).toEqual([3, 3, 2, 1]);
    const { train, test } = ownDataset(state);
    expect(test.X).toHaveLength(0);   // 100 %: every point trains
    const net = network(state);
    try {
      net.setData(train.X, train.Y);
      const r = net.train({ epochs: 2000, learningRate: state.learningRate, batchSize: state.batchSize, shuffle: state.shuffle });
      expect(r.diverged).toBe(false);
      expect(net.evaluate(train.X, train.Y).accuracy).toBe(1);
    } finally { net.dispose(); }
  });

  it('Iris sepal length × width, read from CSV and fitted to the view, classifies the three species', () => {
    const csv = parseCSV(readFileSync(new URL('../fixtures/iris-sepal.csv', import.meta.url), 'utf8'));
    const { points } = fitToView(csv.points);
    const data = encodeData({ points, kind: csv.kind });
    const { state, notices } = parseHash(`#dataset=own&data=${data}&trainRatio=70&seed=4&layers=8&activation=tanh&learningRate=0.1&batchSize=10`);
    expect(notices).toEqual([]);
    expect(networkSizes(state)).toEqual([2, 8, 3]);
    expect(resolve(state)).toMatchObject({ outputActivation: 'softmax', cost: 'cross_entropy' });
    const { train, test } = ownDataset(state);
    expect([train.X.length / 2, test.X.length / 2]).toEqual([105, 45]);
    const net = network(state);
    try {
      net.setData(train.X, train.Y);
      const before = net.evaluate(train.X, train.Y);
      net.train({ epochs: 300, learningRate: state.learningRate, batchSize: state.batchSize, shuffle: state.shuffle });
      const after = net.evaluate(train.X, train.Y), held = net.evaluate(test.X, test.Y);
      expect(after.cost).toBeLessThan(before.cost);
      // setosa separates on the sepals alone; versicolor and virginica overlap (≈ 80 % is what the sepals allow)
      expect(after.accuracy).toBeGreaterThan(0.7);
      expect(held.accuracy).toBeGreaterThan(0.6);
    } finally { net.dispose(); }
  });
});
