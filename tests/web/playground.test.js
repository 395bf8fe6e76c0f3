// TensorFlow Playground links (issue 9 §5): parseHash tells them from this lab's links and opens the same
// configuration, with one notice for what cannot carry over. The links are written as the Playground writes them
// (its src/state.ts serialize(): every key of its state in PROPS order, `regularization` left out when none,
// the seed as Math.random().toFixed(5), then the `<control>_hide` keys).
import { readFileSync } from 'node:fs';
import { describe, it, expect, beforeAll } from 'vitest';
import { parseHash, toHash, validate, DEFAULTS, loadPlayground } from '../../web/src/state.js';
import { playgroundLink, FIVE_LINKS } from '../fixtures/playground-links.js';

// The control names of the element (web/src/lab.js CONTROLS), read from the source: lab.js imports the wasm
// and the DOM, so node cannot import it, but the names the translation hides must be names it knows.
const CONTROLS = (() => {
  const m = /const CONTROLS = \[([^\]]*)\]/.exec(readFileSync(new URL('../../web/src/lab.js', import.meta.url), 'utf8'));
  return m ? [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]) : null;
})();

// The translation is its own chunk, loaded on first need (state.test.js checks the link before it is loaded).
beforeAll(() => loadPlayground());

const ONE_NOTICE = /^TensorFlow Playground link: its random data and initial weights differ from this lab's, even with the same seed/;

describe('five TensorFlow Playground links open the same configuration, with one notice each', () => {
  it('1. its defaults', () => {
    const { state, notices, format, hiddenControls } = parseHash(playgroundLink());
    expect(format).toBe('playground');
    expect(hiddenControls).toEqual([]);
    expect(state).toEqual({
      ...DEFAULTS, dataset: 'circle', points: 500, noise: 0, trainRatio: 50, batchSize: 10, features: ['x1', 'x2'],
      layers: [4, 2], activation: 'tanh', init: 'uniform', learningRate: 0.03, regularization: 'none',
      regularizationRate: 0, showTestData: false, discretize: false, seed: state.seed,
    });
    expect(Number.isInteger(state.seed)).toBe(true);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(ONE_NOTICE);
    expect(notices[0]).toMatch(/output and cost are this lab's auto/);
    expect(validate(state).notices).toEqual([]);
  });

  it('2. regression: the regression dataset, its sample count, linear output', () => {
    const { state, notices } = parseHash(playgroundLink({
      problem: 'regression', regDataset: 'reg-gauss', activation: 'linear', networkShape: '3', noise: '25',
      percTrainData: '80', batchSize: '30', learningRate: '0.01', showTestData: 'true', seed: '0.12345',
    }));
    expect(state).toMatchObject({ dataset: 'multigauss', points: 1200, activation: 'linear', layers: [3], noise: 25,
      trainRatio: 80, batchSize: 30, learningRate: 0.01, showTestData: true, init: 'uniform', output: 'auto', cost: 'auto' });
    expect(notices).toEqual(["TensorFlow Playground link: its random data and initial weights differ from this lab's, even with the same seed."]);
    expect(parseHash(playgroundLink({ problem: 'regression' })).state.dataset).toBe('plane');   // reg-plane
  });

  it('3. a spiral with 6 hidden layers and the sine features', () => {
    const { state, notices } = parseHash(playgroundLink({
      dataset: 'spiral', networkShape: '8,8,8,8,8,8', xSquared: 'true', ySquared: 'true', sinX: 'true', sinY: 'true',
      noise: '10', learningRate: '0.003', activation: 'relu',
    }));
    expect(state).toMatchObject({ dataset: 'spiral', layers: [8, 8, 8, 8, 8, 8], activation: 'relu', noise: 10,
      learningRate: 0.003, features: ['x1', 'x2', 'x1sq', 'x2sq', 'sinx1', 'sinx2'] });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(ONE_NOTICE);
  });

  it('4. L1 regularization and a choice of features', () => {
    const { state, notices } = parseHash(playgroundLink({
      regularization: 'L1', regularizationRate: '0.003', x: 'false', y: 'false', xTimesY: 'true', xSquared: 'true',
      dataset: 'xor', initZero: 'true', discretize: 'true', batchSize: '1',
    }));
    expect(state).toMatchObject({ dataset: 'xor', regularization: 'l1', regularizationRate: 0.003,
      features: ['x1sq', 'x1x2'], init: 'zeros', discretize: true, batchSize: 1 });
    expect(notices).toHaveLength(1);
    expect(parseHash(playgroundLink({ regularization: 'L2', regularizationRate: '0.1' })).state)
      .toMatchObject({ regularization: 'l2', regularizationRate: 0.1 });
  });

  it('5. classroom mode: the *_hide keys become the controls to hide', () => {
    const { state, notices, hiddenControls, format } = parseHash(FIVE_LINKS[4]);
    expect(format).toBe('playground');
    expect(hiddenControls).toEqual(['play', 'reset', 'learningRate', 'activation', 'regularization', 'regularizationRate',
      'dataset', 'trainRatio', 'noise', 'batchSize', 'layers', 'showTestData', 'discretize', 'features']);
    // a hidden input is not used, as in the Playground (its network is built without it)
    expect(state.features).toEqual(['x1', 'x2']);
    expect(notices).toHaveLength(1);
    expect(CONTROLS, 'CONTROLS not found in web/src/lab.js').not.toBe(null);
    for (const c of hiddenControls) expect(CONTROLS).toContain(c);
  });
});

describe('telling the formats apart', () => {
  it('this lab\'s own links stay its own, also with a stray key the Playground has', () => {
    const own = toHash({ ...DEFAULTS, seed: 5, dataset: 'xor' });
    expect(parseHash(own).format).toBe('backprop-lab');
    const stray = parseHash(`${own}&x=true&networkShape=3`);
    expect(stray.format).toBe('backprop-lab');
    expect(stray.notices).toEqual(["unknown settings ignored: 'x', 'networkShape'"]);
    for (const h of ['#seed=12&regularization=l2', '#dataset=spiral&noise=10', '#activation=relu&learningRate=0.1', '#']) {
      expect(parseHash(h).format, h).toBe('backprop-lab');
    }
  });

  it('a short Playground link is known by its value formats: a decimal seed, L1/L2', () => {
    for (const h of ['#seed=0.12345', '#regularization=L1', '#regularization=L2&noise=5', '#seed=.5&dataset=xor', '#networkShape=3']) {
      const r = parseHash(h);
      expect(r.format, h).toBe('playground');
      expect(r.notices, h).toHaveLength(1);
    }
    expect(parseHash('#regularization=L1').state.regularization).toBe('l1');
    expect(parseHash('#seed=0.12345&dataset=xor').state).toMatchObject({ dataset: 'xor', init: 'uniform' });
  });
});

describe('what cannot carry over: one notice', () => {
  it('the Playground seed gives the same run here each time (not the Playground\'s)', () => {
    const a = parseHash(playgroundLink({ seed: '0.11111' })).state.seed;
    expect(parseHash(playgroundLink({ seed: '0.11111' })).state.seed).toBe(a);
    expect(parseHash(playgroundLink({ seed: '0.11112' })).state.seed).not.toBe(a);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(2 ** 31);
    expect('seed' in parseHash(playgroundLink({ seed: null })).state).toBe(false);   // the element draws one
  });

  it('cosX/cosY, a tutorial, bad values and unknown keys of both formats all go into the one line', () => {
    const { state, notices } = parseHash(playgroundLink({ cosX: 'true', cosY: 'true', batchSize: '500',
      networkShape: '4,x', learningRate: 'abc', noise: '70', tutorial: 'spiral-intro', dataset: 'moons' },
    '&foo=1&bar_hide=true&__proto__=2'));
    expect(notices).toHaveLength(1);
    const n = notices[0];
    expect(n).toMatch(ONE_NOTICE);
    expect(n).toContain('cosX and cosY: not features here');
    expect(n).toContain("tutorial 'spiral-intro' is not available here");
    expect(n).toContain("dataset 'moons' is not one of circle, xor, gauss, spiral (using circle)");
    expect(n).toContain("batchSize: '500' is outside 1 … 100 — using 10");
    expect(n).toContain("networkShape: '4,x' needs integers in 1 … 16 — using '4,2'");   // the Playground's key name
    expect(n).toContain("learningRate: 'abc' is not a number — using 0.03");
    expect(n).toContain("noise: '70' is outside 0 … 50 — using 0");
    expect(n).toContain("unknown settings ignored: 'bar_hide', 'foo', '__proto__'");
    expect(n.length).toBeLessThan(1000);
    expect(state).toMatchObject({ dataset: 'circle', batchSize: 10, layers: [4, 2], learningRate: 0.03, noise: 0 });
    expect(validate(state).notices).toEqual([]);
  });

  it('no input feature on: x₁, x₂ with a note; an unknown problem or regression dataset: the default', () => {
    const r = parseHash(playgroundLink({ x: 'false', y: 'false' }));
    expect(r.state.features).toEqual(['x1', 'x2']);
    expect(r.notices[0]).toContain('no input feature is on (using x₁, x₂)');
    const p = parseHash(playgroundLink({ problem: 'clustering' }));
    expect(p.state.dataset).toBe('circle');
    expect(p.notices[0]).toContain("problem 'clustering' is not one of classification, regression");
    const g = parseHash(playgroundLink({ problem: 'regression', regDataset: 'reg-maximum' }));
    expect(g.state.dataset).toBe('plane');
    expect(g.notices[0]).toContain("regDataset 'reg-maximum' is not available here (using reg-plane)");
  });

  it('the Playground\'s booleans: anything but false is true; networkShape= is no hidden layer', () => {
    const { state } = parseHash(playgroundLink({ showTestData: '1', discretize: 'yes', sinX: 'on', networkShape: '' }));
    expect(state).toMatchObject({ showTestData: true, discretize: true, layers: [] });
    expect(state.features).toContain('sinx1');
  });

  it('keys only this lab has, next to a Playground link, are read as ours and win', () => {
    const { state, notices, format } = parseHash(playgroundLink({}, '&layers=3,3&output=tanh&explain=4&speed=fast'));
    expect(format).toBe('playground');
    expect(state).toMatchObject({ layers: [3, 3], output: 'tanh', explain: 4 });
    expect(notices).toHaveLength(2);   // the Playground's line, and ours for the bad speed
    expect(notices[1]).toBe("speed: 'fast' is not one of 1, 10, 100, max — using 10");
  });

  it('the lab then writes its own link for that setup, which reads back the same', () => {
    const { state } = parseHash(playgroundLink({ dataset: 'spiral', networkShape: '6,6', regularization: 'L2' }));
    const again = parseHash('#' + toHash(state));
    expect(again.format).toBe('backprop-lab');
    expect(again.notices).toEqual([]);
    expect(again.state).toEqual(state);
  });
});
