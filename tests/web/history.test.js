// The charts' throttle and the page's frame clock (web/src/views/history.js): what keeps the frame that writes
// every lab's readouts (lab.js READOUT_MS, slot phase 0) from also redrawing every chart.
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { Throttle, frameSlot, setText } from '../../web/src/views/history.js';

let now = 0;
beforeEach(() => {
  vi.useFakeTimers();
  now = 1000;
  globalThis.document = { timeline: { get currentTime() { return now; } } };
});
afterEach(() => { delete globalThis.document; vi.useRealTimers(); });

describe('frameSlot', () => {
  it('is the ms-long slot of the frame clock (document.timeline), shifted by a phase', () => {
    now = 1234;
    expect(frameSlot(100)).toBe(12);
    expect(frameSlot(100, 70)).toBe(13);
    now = 1299.9;
    expect(frameSlot(100)).toBe(12);
  });
});

describe('Throttle', () => {
  it('runs at most once per slot of its own phase, which is never the readouts\' (0) and differs between charts', () => {
    const made = [0, 1, 2, 3].map(() => { const t = { runs: [] }; t.th = new Throttle(() => t.runs.push(now), 100); return t; });
    const phases = made.map((t) => t.th.phase);
    for (const p of phases) expect(p % 100).not.toBe(0);
    expect(new Set(phases.slice(0, 3)).size).toBe(3);                // three charts in a row: three different frames
    // one request per 16.7 ms frame for a second: each throttle runs once per 100 ms of its phase-shifted clock
    for (now = 1000; now < 2000; now += 1000 / 60) for (const t of made) t.th.request();
    for (const t of made) {
      const slots = t.runs.map((x) => Math.floor((x + t.th.phase) / 100));
      expect(new Set(slots).size).toBe(slots.length);
      expect(t.runs.length).toBeGreaterThanOrEqual(9);
      expect(t.runs.length).toBeLessThanOrEqual(11);
    }
    // the first frame of a readout slot (phase 0) is not a frame in which the charts of phases 25/50/75 start their slot
    const readoutFrames = new Set();
    for (let t = 1000; t < 2000; t += 1000 / 60) if (Math.floor(t / 100) !== Math.floor((t - 1000 / 60) / 100)) readoutFrames.add(t);
    for (const t of made.slice(0, 3)) for (const x of t.runs.slice(1)) expect(readoutFrames.has(x)).toBe(false);
  });

  it('a request within a slot that no later request follows (training paused) runs on a timer', () => {
    const runs = [];
    const th = new Throttle(() => runs.push(now), 100);
    th.request();
    expect(runs.length).toBe(1);
    th.request();                    // same slot: waits
    expect(runs.length).toBe(1);
    vi.advanceTimersByTime(100);
    expect(runs.length).toBe(2);
    th.cancel();
  });
});

describe('setText', () => {
  it('changes the one text node in place, and replaces anything else', () => {
    const node = { nodeType: 3, data: 'a', nextSibling: null };
    const el = { firstChild: node, textContent: 'a' };
    setText(el, 'b');
    expect(el.firstChild).toBe(node);
    expect(node.data).toBe('b');
    const empty = { firstChild: null, textContent: '' };
    setText(empty, 'c');
    expect(empty.textContent).toBe('c');
  });
});
