// The mini-batch schedule through the JS API (both builds): a network rebuilt with networkFromJSON and
// setSchedule on the same data trains on exactly as the original — a saved lab's "same next epoch" — and
// a bad schedule is an Error naming the field that leaves the network as it was.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadBackprop } from 'backprop-lab';
import { loadBackprop as loadPage } from 'backprop-lab/page';
import { lcg } from './helpers.js';

const builds = {};
beforeAll(async () => { builds.full = await loadBackprop(); builds.page = await loadPage(); });

function xorish(n, seed) {
  const r = lcg(seed), X = new Float64Array(2 * n), Y = new Float64Array(n);
  for (let i = 0; i < n; i++) { X[2 * i] = r(-3, 3); X[2 * i + 1] = r(-3, 3); Y[i] = X[2 * i] * X[2 * i + 1] > 0 ? 1 : 0; }
  return { X, Y };
}

describe.each(['full', 'page'])('schedule() / setSchedule() (%s build)', (build) => {
  const precision = build === 'page' ? 'float32' : 'float64';
  const make = (seed) => builds[build].createNetwork({ layers: [2, 6, 1], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', seed, precision, features: ['x1', 'x2'] });

  for (const [what, steps] of [['after whole epochs', 30], ['inside an epoch', 33]]) {
    it(`a rebuilt network trains on identically, shuffled, ${what}`, () => {
      const { X, Y } = xorish(40, 3), opts = { learningRate: 0.2, batchSize: 4, shuffle: true };
      const a = make(1);
      a.setData(X, Y);
      a.train({ ...opts, steps });
      const saved = JSON.parse(JSON.stringify({ model: a.toJSON(), schedule: a.schedule() }));
      expect(saved.schedule.order).toHaveLength(40);
      expect(saved.schedule.shuffled).toBe(true);
      expect(saved.schedule.cursor).toBe((steps % 10) * 4);
      expect(saved.schedule.rng).toMatch(/^[0-9a-f]{64}$/);
      const b = builds[build].networkFromJSON(saved.model);
      b.setData(X, Y);
      b.setSchedule(saved.schedule);
      const c = builds[build].networkFromJSON(saved.model);   // the same weights without the schedule
      c.setData(X, Y);
      const ra = a.train({ ...opts, epochs: 1 }), rb = b.train({ ...opts, epochs: 1 }), rc = c.train({ ...opts, epochs: 1 });
      expect(rb.cost).toBe(ra.cost);
      expect(JSON.stringify(b.toJSON().weights)).toBe(JSON.stringify(a.toJSON().weights));
      expect(rc.cost).not.toBe(ra.cost);
      for (const n of [a, b, c]) n.dispose();
    });
  }

  it('bad schedules are Errors naming the field; the schedule is unchanged', () => {
    const { X, Y } = xorish(5, 4);
    const net = make(2);
    expect(() => net.setSchedule({ order: [0], cursor: 0, shuffled: false, rng: '0'.repeat(63) + '1' })).toThrow(/setSchedule: no training data/);
    net.setData(X, Y);
    net.train({ batchSize: 1, steps: 2, shuffle: true });
    const good = net.schedule();
    const bad = [
      [{ ...good, order: [0, 1, 2, 3] }, /schedule\.order: must be a list of the 5 example indices/],
      [{ ...good, order: [0, 1, 2, 3, 5] }, /schedule\.order\[4\]: must be an integer in \[0, 4\]/],
      [{ ...good, order: [0, 1, 2, 3, 3] }, /schedule\.order: must list each example 0 … 4 once; entry 4 is 3/],
      [{ ...good, cursor: 5 }, /schedule\.cursor: must be an integer in \[0, 4\]/],
      [{ ...good, cursor: 1.5 }, /schedule\.cursor/],
      [{ ...good, shuffled: 'yes' }, /schedule\.shuffled: must be true or false/],
      [{ ...good, rng: 'xyz' }, /schedule\.rng: must be 64 hex digits/],
      [{ ...good, rng: '0'.repeat(64) }, /all-zero state/],
      [{ ...good, extra: 1 }, /schedule: unknown option 'extra'/],
      [null, /schedule: must be an object/],
    ];
    for (const [s, message] of bad) {
      expect(() => net.setSchedule(s)).toThrow(message);
      expect(net.schedule()).toEqual(good);
    }
    net.dispose();
  });
});
