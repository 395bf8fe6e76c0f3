// Property-based test of <backprop-lab>'s script API (fast-check, fixed seed, bounded time): random sequences
// of play/pause/step/reset, `state =` with good and bad values, attribute changes, moves, framework-style
// re-renders, removals long enough that the worker is stopped, and putting the lab back. After each sequence:
// no uncaught error on the page, no step() promise left hanging, a valid state (state.js's validate() keeps it
// as it is, without a notice), and a lab that still trains.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { startSite, collectProblems } from './harness.js';
import { validate } from '../../web/src/state.js';

const PAGES = { '/t/fuzz.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fuzz</title><script type="module" src="/backprop-lab.js"></script></head><body><main></main><aside></aside></body></html>' };

let site;
beforeAll(async () => { site = await startSite('index.html', { pages: PAGES }); });
afterAll(() => site?.close());

const value = fc.oneof(
  fc.constantFrom('xor', 'spiral', 'plane', 'blobs', 'relu', 'tanh', 'sigmoid', 'linear', 'all', 'none', '', '4,2', '16,16,16', ',,,'),
  fc.constantFrom(0.003, 0.1, 3, 100, -1, 1e9, NaN),
  fc.integer({ min: -3, max: 2100 }),
  fc.array(fc.integer({ min: -1, max: 20 }), { maxLength: 9 }),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
);
const command = fc.oneof(
  fc.constant({ op: 'play' }),
  fc.constant({ op: 'pause' }),
  fc.record({ op: fc.constant('step'), n: fc.integer({ min: 1, max: 4 }) }),
  fc.constant({ op: 'reset' }),
  fc.record({ op: fc.constant('state'), patch: fc.dictionary(fc.constantFrom('dataset', 'layers', 'learningRate', 'noise', 'seed', 'activation', 'batchSize', 'points', 'features', 'speed', 'bogus'), value, { maxKeys: 3 }) }),
  fc.record({ op: fc.constant('attr'), name: fc.constantFrom('dataset', 'layers', 'learning-rate', 'noise', 'seed', 'activation', 'views', 'controls', 'batch-size', 'autoplay'), value, remove: fc.boolean() }),
  fc.constant({ op: 'move' }),
  fc.constant({ op: 'rerender' }),
  fc.constant({ op: 'remove' }),
  fc.constant({ op: 'insert' }),
  fc.record({ op: fc.constant('wait'), ms: fc.integer({ min: 0, max: 80 }) }),
);

// Runs one sequence on a fresh lab, in the page; returns what the properties check.
function run(commands) {
  const lab = document.createElement('backprop-lab');
  document.querySelector('main').replaceChildren(lab);
  lab.constructor.releaseDelay = 40;   // removals longer than this stop the worker (and exercise the restore)
  lab.setAttribute('seed', '1');
  lab.setAttribute('dataset', 'xor');
  const steps = [], sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const settle = (p, ms) => Promise.race([p.then((v) => ({ ok: v }), (e) => ({ error: String(e?.message ?? e) })), sleep(ms).then(() => ({ hung: true }))]);
  return (async () => {
    for (const c of commands) {
      switch (c.op) {
        case 'play': lab.play(); break;
        case 'pause': lab.pause(); break;
        case 'step': steps.push(lab.step(c.n)); break;
        case 'reset': lab.reset(); break;
        case 'state': lab.state = c.patch; break;
        case 'attr': if (c.remove) lab.removeAttribute(c.name); else lab.setAttribute(c.name, Array.isArray(c.value) ? c.value.join(',') : String(c.value)); break;
        case 'move': document.querySelector(lab.parentNode?.tagName === 'MAIN' ? 'aside' : 'main').append(lab); break;
        case 'rerender': if (lab.isConnected) { const p = lab.parentNode, n = lab.nextSibling; lab.remove(); p.insertBefore(lab, n); } break;
        case 'remove': lab.remove(); break;
        case 'insert': if (!lab.isConnected) document.querySelector('main').append(lab); break;
        case 'wait': await sleep(c.ms); break;
      }
    }
    if (!lab.isConnected) document.querySelector('main').append(lab);
    const outcomes = await Promise.all(steps.map((p) => settle(p, 30000)));
    const state = lab.state;
    // still trains: a sane configuration, a fresh network, three epochs
    lab.removeAttribute('views');
    lab.state = { dataset: 'xor', layers: [3], learningRate: 0.03, features: ['x1', 'x2'], points: 200, batchSize: 10 };
    lab.reset();
    const last = await settle(lab.step(3), 30000);
    lab.pause();
    return { outcomes, state, last };
  })();
}

describe('the element\'s script API under random sequences of calls', () => {
  it('no uncaught errors, no hung promises, a valid state, and a lab that still trains', async () => {
    const page = await site.browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems = collectProblems(page);
    await page.goto(`${site.server.url}/t/fuzz.html`);
    await page.evaluate(() => customElements.whenDefined('backprop-lab'));
    let runs = 0;
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
      runs++;
      const r = await page.evaluate(`(${run.toString()})(${JSON.stringify(commands)})`);
      expect(problems, problems.join('\n')).toEqual([]);
      for (const o of r.outcomes) {
        expect(o.hung, JSON.stringify(commands)).toBeUndefined();
        if (o.error) expect(o.error).toMatch(/removed from the document|step: n must be/);
      }
      const v = validate(r.state);
      expect(v.notices).toEqual([]);
      expect(v.state).toEqual(r.state);
      expect(r.last.ok, JSON.stringify({ commands, last: r.last })).toBeDefined();
      expect(r.last.ok.epoch).toBe(3);
      expect(Number.isFinite(r.last.ok.trainCost)).toBe(true);
    }), { seed: 20240613, numRuns: 40, interruptAfterTimeLimit: 50000 });
    expect(runs).toBeGreaterThanOrEqual(10);
    await page.close();
  });
});
