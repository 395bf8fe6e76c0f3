// The step-through (web/src/explain/panel.js), the gradient check (explain/check.js) and the hidden layer's
// space (views/hidden.js) in the built page, headless Chromium, strict CSP. The numbers the walk shows are
// checked against the float64 trace of the full engine (bindings/index.js, run here in node) for the same
// network (the lab's weights, from modelJSON()) and the same example; "Apply this step" against the trace's
// weights_final of a 1-step, batch-1 spec. Then the keyboard, a phone's touch, axe-core, the URL, bad input.
// Screenshots: test-results/explain-*.png.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startSite, collectProblems, axeViolations, SHOTS } from './harness.js';
import { loadBackprop } from '../../bindings/index.js';

let site, server, browser, bp;
beforeAll(async () => {
  site = await startSite('index.html');
  ({ server, browser } = site);
  bp = await loadBackprop();
});
afterAll(() => site?.close());

const NET_221 = 'dataset=xor&features=x1,x2&layers=2&activation=sigmoid&output=sigmoid&cost=quadratic&batchSize=1&learningRate=0.3&points=100&seed=3';
const NET_3321 = 'dataset=xor&features=x1,x2,x1x2&layers=3,2&activation=sigmoid&output=sigmoid&cost=quadratic&batchSize=1&learningRate=0.3&points=100&seed=5';
// a softmax output with cross-entropy (3 classes: σ′ cancels, δᴸ = aᴸ − y), and a 6-layer ReLU net (L = 6)
const NET_SOFTMAX = 'dataset=blobs&classes=3&features=x1,x2&layers=4&activation=tanh&cost=cross_entropy&batchSize=5&learningRate=0.1&points=150&seed=7';
const NET_RELU6 = 'dataset=circle&features=x1,x2,x1sq,x2sq&layers=6,5,5,4,4&activation=relu&output=sigmoid&cost=quadratic&batchSize=10&learningRate=0.03&points=200&seed=11';

async function open(hash, { width = 1280, height = 1000, context = null } = {}) {
  const page = await (context ?? browser).newPage(context ? undefined : { viewport: { width, height } });
  const problems = collectProblems(page);
  await page.addInitScript(() => localStorage.setItem('backprop-lab:hints', 'done'));
  await page.goto(`${server.url}/index.html#${hash}`);
  await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
  return { page, problems, lab: page.locator('backprop-lab') };
}

/** The step shown now: its id, and every number in it as { name (the vector/matrix it is in), v (data-v), text }. */
const shown = (page) => page.evaluate(() => {
  const step = document.querySelector('backprop-lab').shadowRoot.querySelector('.walk-step');
  const n = (e) => ({ v: Number(e.dataset.v), text: e.textContent, name: e.closest('.mat')?.dataset.name ?? null });
  return { id: step.dataset.step, numbers: [...step.querySelectorAll('.n')].map(n) };
});
const values = (step, name) => step.numbers.filter((x) => x.name === name).map((x) => x.v);

function close(actual, expected, what, rel = 1e-4) {
  expect(actual.length, `${what}: count`).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(Math.abs(a - e), `${what}[${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(rel * Math.abs(e) + 1e-7);
  });
}

// A trace spec of the lab's network as it is now and one example's features and target.
async function specOf(page, e, steps = 0) {
  const model = await page.evaluate(() => document.querySelector('backprop-lab').modelJSON());
  const state = await page.evaluate(() => document.querySelector('backprop-lab').state);
  return {
    layers: model.layers, activation: model.activation, output_activation: model.outputActivation, cost: model.cost,
    weights: model.weights, biases: model.biases, inputs: [e.input], targets: [e.y],
    learning_rate: state.learningRate, batch_size: 1, steps,
  };
}

describe('the walk shows the engine\'s numbers', () => {
  for (const [name, hash, index] of [['2-2-1 sigmoid, quadratic', NET_221, 4], ['3-3-2-1 sigmoid, quadratic', NET_3321, 9],
    ['2-4-3 tanh, softmax, cross-entropy', NET_SOFTMAX, 13], ['4-6-5-5-4-4-1 ReLU (6 layers), sigmoid, quadratic', NET_RELU6, 21]]) {
    it(`${name}: every z, a, C_x, δ, ∂C/∂b, ∂C/∂W shown equals the float64 trace to 1e-4`, async () => {
      const { page, problems, lab } = await open(hash);
      await page.evaluate(() => document.querySelector('backprop-lab').step(3));  // weights that moved
      const e = await page.evaluate((i) => document.querySelector('backprop-lab').explain(i), index);
      expect(e.index).toBe(index);
      const t = bp.trace(await specOf(page, e)).first_example;
      const L = t.z.length;
      expect(e.layers.length).toBe(L);
      // the element's explain() numbers themselves
      for (let l = 0; l < L; l++) {
        close(e.layers[l].z, t.z[l], `explain() z${l + 1}`);
        close(e.layers[l].delta, t.delta[l], `explain() δ${l + 1}`);
        close(e.layers[l].gradW, t.grad_W[l].flat(), `explain() ∂C/∂W${l + 1}`);
      }
      // and what the panel shows, step by step (the list of steps is the walk's order)
      const ids = await lab.locator('.walk-stepbtn').evaluateAll((b) => b.map((x) => x.dataset.step));
      expect(ids).toEqual(['input', ...Array.from({ length: L }, (_, l) => `forward-${l + 1}`), 'cost', 'bp1',
        ...Array.from({ length: L - 1 }, (_, i) => `bp2-${L - 1 - i}`), ...Array.from({ length: L }, (_, i) => `bp34-${L - i}`), 'update']);
      let checked = 0;
      for (const id of ids) {
        await lab.locator(`.walk-stepbtn[data-step="${id}"]`).click();
        await lab.locator(`.walk-step[data-step="${id}"]`).waitFor();
        const s = await shown(page);
        // every number is printed to 4 significant digits of the value behind it
        for (const x of s.numbers) {
          const printed = Number(x.text.replace('−', '-'));
          expect(Math.abs(printed - x.v), `${id}: '${x.text}' for ${x.v}`).toBeLessThanOrEqual(5e-4 * Math.abs(x.v) + 1e-12);
        }
        const m = /^forward-(\d+)$/.exec(id) ?? /^bp2-(\d+)$/.exec(id) ?? /^bp34-(\d+)$/.exec(id);
        const l = m ? Number(m[1]) : L;
        if (id.startsWith('forward')) {
          close(values(s, `z${l}`), t.z[l - 1], `${id} z`);
          close(values(s, `a${l}`), t.a[l - 1], `${id} a`);
          checked += 2;
        } else if (id === 'cost') {
          const cost = s.numbers.find((x) => x.name === null);
          close([cost.v], [t.cost], 'C_x');
          checked++;
        } else if (id === 'bp1') {
          close(values(s, 'δᴸ'), t.delta[L - 1], 'BP1 δᴸ');
          checked++;
        } else if (id.startsWith('bp2')) {
          close(values(s, `δ${l}`), t.delta[l - 1], `${id} δ`);
          checked++;
        } else if (id.startsWith('bp34')) {
          close(values(s, `∂C/∂b${l}`), t.grad_b[l - 1], `${id} ∂C/∂b`);
          close(values(s, `∂C/∂W${l}`), t.grad_W[l - 1].flat(), `${id} ∂C/∂W`);
          checked += 2;
        }
      }
      expect(checked).toBe(2 * L + 1 + 1 + (L - 1) + 2 * L);
      // the diagram rings the layers of the step shown (update: none)
      await lab.locator('.walk-stepbtn[data-step="forward-1"]').click();
      expect(await lab.locator('.network-node.is-step').count()).toBe(e.layers[0].z.length);
      expect(await lab.locator('.network-feature.is-step').count()).toBe(e.input.length);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('the diagram lights the links each step uses: Wˡ for the forward step and BP4, Wˡ⁺¹ for BP2 (δ going back), the others faded; none for the update', async () => {
    const { page, problems, lab } = await open(NET_3321);
    await page.evaluate(() => document.querySelector('backprop-lab').explain(9));
    const links = lab.locator('.network-links');
    // Ink per strip of the link canvas: Σ alpha over the columns between two layers' nodes (W¹: features →
    // layer 1, W²: 1 → 2, W³: 2 → output), read from the canvas itself.
    const ink = () => page.evaluate(() => {
      const root = document.querySelector('backprop-lab').shadowRoot, c = root.querySelector('.network-links');
      const box = c.getBoundingClientRect(), sx = c.width / box.width;
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const edge = (sel, side) => { const r = [...root.querySelectorAll(sel)].map((n) => n.getBoundingClientRect()); return side === 'right' ? Math.max(...r.map((q) => q.right)) : Math.min(...r.map((q) => q.left)); };
      const out = [];
      for (let l = 1; l <= 3; l++) {
        const x0 = Math.ceil(((l === 1 ? edge('.network-features .network-feature', 'right') : edge(`.network-node[data-l="${l - 1}"]`, 'right')) - box.left + 4) * sx);
        const x1 = Math.floor((edge(`.network-node[data-l="${l}"]`, 'left') - box.left - 4) * sx);
        let sum = 0;
        for (let y = 0; y < c.height; y++) for (let x = x0; x < x1; x++) sum += px[4 * (y * c.width + x) + 3];
        out.push(sum);
      }
      return out;
    });
    await lab.locator('.walk-stepbtn[data-step=update]').click();
    await lab.locator('.walk-step[data-step=update]').waitFor();
    expect(await links.getAttribute('data-lit')).toBe('');
    const plain = await ink();
    plain.forEach((v, i) => expect(v, `W${i + 1} drawn`).toBeGreaterThan(0));
    for (const [id, lit] of [['forward-1', 1], ['bp2-2', 3], ['bp2-1', 2], ['bp34-3', 3]]) {
      await lab.locator(`.walk-stepbtn[data-step="${id}"]`).click();
      await lab.locator(`.walk-step[data-step="${id}"]`).waitFor();
      expect(await links.getAttribute('data-lit'), id).toBe(String(lit));
      const now = await ink();
      for (let l = 1; l <= 3; l++) {
        if (l === lit) expect(now[l - 1], `${id}: W${l} lit (a halo under its links)`).toBeGreaterThan(1.5 * plain[l - 1]);
        else expect(now[l - 1], `${id}: W${l} faded`).toBeLessThan(0.5 * plain[l - 1]);
      }
      if (id === 'bp2-1') await lab.locator('.network').screenshot({ path: `${SHOTS}explain-links-bp2.png` });
    }
    // closing the walk puts every link back as it was
    await lab.locator('.walk [data-action=close]').click();
    await expect.poll(() => links.getAttribute('data-lit')).toBe('');
    const after = await ink();
    after.forEach((v, i) => expect(Math.abs(v - plain[i]), `W${i + 1} as before`).toBeLessThanOrEqual(0.02 * plain[i]));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('"Apply this step" gives the trace\'s weights_final of a 1-step, batch-1 spec; C_x before → after; Undo restores the weights exactly', async () => {
    const { page, problems, lab } = await open(NET_3321);
    await page.evaluate(() => document.querySelector('backprop-lab').step(2));
    const e = await page.evaluate(() => document.querySelector('backprop-lab').explain(6));
    const spec = await specOf(page, e, 1);
    const t = bp.trace(spec);
    const before = await page.evaluate(() => document.querySelector('backprop-lab').modelJSON());
    await lab.locator('.walk-stepbtn[data-step="update"]').click();
    await lab.locator('[data-action=apply]').click();
    await lab.locator('[data-action=undo]:not([disabled])').waitFor();
    const after = await page.evaluate(() => document.querySelector('backprop-lab').modelJSON());
    for (let l = 0; l < t.weights_final.length; l++) {
      close(after.weights[l].flat(), t.weights_final[l].flat(), `W${l + 1} after the step`);
      close(after.biases[l], t.biases_final[l], `b${l + 1} after the step`);
    }
    expect(after.weights.flat(2)).not.toEqual(before.weights.flat(2));
    const result = await lab.locator('.walk .result').textContent();
    expect(result).toMatch(/C_x before → after: [\d.]+ → [\d.]+/);
    const [b, a] = await lab.locator('.walk .result .n').evaluateAll((n) => n.map((x) => Number(x.dataset.v)));
    close([b], [t.first_example.cost], 'C_x before');
    // the epoch counter does not move: one example is not an epoch
    expect(await page.evaluate(() => document.querySelector('backprop-lab').epoch)).toBe(2);
    await lab.locator('[data-action=undo]').click();
    await lab.locator('[data-action=undo][disabled]').waitFor();
    const undone = await page.evaluate(() => document.querySelector('backprop-lab').modelJSON());
    expect(undone.weights).toEqual(before.weights);
    expect(undone.biases).toEqual(before.biases);
    expect(a).toBeLessThan(b);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('Step one mini-batch', () => {
  const HASH = 'dataset=xor&features=x1,x2&layers=3&activation=tanh&output=sigmoid&cost=cross_entropy&batchSize=10&learningRate=0.1&points=100&trainRatio=50&shuffle=false&seed=4';
  it('a click, the B key and stepBatch() each train exactly the engine\'s next mini-batch (the node API on the same weights and data); the counter shows the batches done and the epoch moves after the last', async () => {
    const { page, problems, lab } = await open(HASH);
    const model0 = await page.evaluate(() => document.querySelector('backprop-lab').modelJSON());
    const state = await page.evaluate(() => document.querySelector('backprop-lab').state);
    // the same network and training data in the engine, in node
    const net = bp.networkFromJSON({ ...model0, precision: 'float32' });
    const d = bp.dataset('xor', { n: state.points, noise: state.noise / 100, seed: state.seed, testRatio: 1 - state.trainRatio / 100 });
    net.setData(d.inputs, d.targets);
    const n = d.inputs.length / 2, of = Math.ceil(n / 10);
    expect(of).toBeGreaterThan(2);
    const options = { steps: 1, batchSize: 10, learningRate: 0.1, shuffle: false };
    const sameWeights = async (what) => {
      const m = await page.evaluate(() => document.querySelector('backprop-lab').modelJSON());
      for (let l = 1; l < m.layers.length; l++) {
        const x = net.layer(l);
        close(m.weights[l - 1].flat(), Array.from(x.W), `${what}: W${l}`, 1e-6);
        close(m.biases[l - 1], Array.from(x.b), `${what}: b${l}`, 1e-6);
      }
      return m;
    };
    const epochText = lab.locator('[data-testid=epoch]');
    const button = lab.locator('[data-control=stepBatch]');
    expect(await button.getAttribute('aria-label')).toBe('Step one mini-batch');
    const box = await button.boundingBox();
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(24);
    // a click: one mini-batch, not an epoch
    await button.click();
    await expect.poll(() => epochText.textContent()).toBe(`0 + 1/${of}`);
    net.train(options);
    const m1 = await sameWeights('after one click');
    expect(m1.weights.flat(2)).not.toEqual(model0.weights.flat(2));
    // the B key (focus on the button: not a text field) takes the next batch, not the same one again
    await button.focus();
    await page.keyboard.press('b');
    await expect.poll(() => epochText.textContent()).toBe(`0 + 2/${of}`);
    net.train(options);
    await sameWeights('after B');
    expect(await page.evaluate(() => document.querySelector('backprop-lab').epoch)).toBe(0);
    // the script API, to the end of the epoch: the counter moves to 1 when the last batch is done
    let detail = null;
    for (let i = 2; i < of; i++) {
      detail = await page.evaluate(() => document.querySelector('backprop-lab').stepBatch());
      net.train(options);
      if (i < of - 1) expect(detail).toMatchObject({ epoch: 0, batch: { done: i + 1, of } });
    }
    expect(detail).toMatchObject({ epoch: 1, batch: null });
    expect(net.epochs).toBe(1);
    await expect.poll(() => epochText.textContent()).toBe('1');
    await sameWeights('after a whole epoch of batches');
    // and a whole-epoch step from there is the engine's epoch: the counter says 2, no batch part
    await page.evaluate(() => document.querySelector('backprop-lab').step(1));
    net.train({ ...options, steps: 0, epochs: 1 });
    await sameWeights('after an epoch more');
    expect(await epochText.textContent()).toBe('2');
    expect(await page.evaluate(() => document.querySelector('backprop-lab').playing)).toBe(false);
    net.dispose();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('controls without stepBatch: no button, and B does nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const problems = collectProblems(page);
    await page.goto(`${server.url}/index.html#${HASH}`);
    await page.evaluate(() => document.querySelector('backprop-lab').ready);
    await page.evaluate(() => document.querySelector('backprop-lab').setAttribute('controls', 'play,step,reset'));
    const lab = page.locator('backprop-lab');
    expect(await lab.locator('[data-control=stepBatch]').isVisible()).toBe(false);
    await lab.locator('[data-control=step]').focus();
    await page.keyboard.press('b');
    await page.evaluate(() => document.querySelector('backprop-lab').step(1));
    expect(await lab.locator('[data-testid=epoch]').textContent()).toBe('1');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the walk for a post: Markdown and the saved trace', () => {
  it('"Copy as Markdown" gives every step with the numbers in LaTeX; "Download JSON" is a saved walk that the float64 trace reproduces', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, permissions: ['clipboard-read', 'clipboard-write'], acceptDownloads: true });
    const { page, problems, lab } = await open(NET_3321, { context });
    await page.evaluate(() => document.querySelector('backprop-lab').step(2));
    const e = await page.evaluate(() => document.querySelector('backprop-lab').explain(8));
    await lab.locator('[data-action=markdown]').click();
    await expect.poll(() => lab.locator('[data-action=markdown]').textContent()).toBe('Copied');
    const md = await page.evaluate(() => navigator.clipboard.readText());
    expect(md).toMatch(/^### Backprop on example #8\n/);
    expect(md.split('\n').filter((l) => /^1\. \*\*/.test(l)).length).toBe(12);  // one line per step
    expect(md).toContain('BP1: $\\delta^{L} = \\nabla_a C \\odot \\sigma\'(z^{L})');
    expect(md).toContain(`$C_x = ${Number(e.cost.toPrecision(4))}$`);
    const [download] = await Promise.all([page.waitForEvent('download'), lab.locator('[data-action=json]').click()]);
    const { readFileSync } = await import('node:fs');
    const walk = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(download.suggestedFilename()).toBe('backprop-walk-example-8.json');
    expect(walk.format).toBe('backprop-lab/trace');
    const model = await page.evaluate(() => document.querySelector('backprop-lab').modelJSON());
    expect(walk.spec.weights).toEqual(model.weights);
    expect(walk.spec).toMatchObject({ layers: [3, 3, 2, 1], batch_size: 1, steps: 1, learning_rate: 0.3, targets: [e.y] });
    close(walk.spec.inputs[0], e.input, 'the spec\'s example', 1e-12);
    expect(bp.trace(walk.spec)).toEqual(walk.trace);
    close(walk.trace.first_example.delta.at(-1), e.layers.at(-1).delta, 'the trace\'s δᴸ against the walk\'s');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the walk by keyboard, by touch, for every reader', () => {
  it('keyboard only: open, pick with the arrow keys, walk with → to the update, apply', async () => {
    const { page, problems, lab } = await open(NET_3321);
    await lab.locator('[data-control=explain]').focus();
    await page.keyboard.press('Enter');
    const picker = lab.locator('.walk-picker');
    await expect.poll(() => picker.evaluate((p) => p.getRootNode().activeElement === p)).toBe(true);
    const first = Number(await picker.inputValue());
    await page.keyboard.press(first > 0 ? 'ArrowDown' : 'ArrowUp');
    const want = first > 0 ? first - 1 : first + 1;
    await expect.poll(() => lab.locator('.walk-title').textContent()).toBe(`Backprop on example #${want}`);
    expect(await page.evaluate(() => document.querySelector('backprop-lab').state.explain)).toBe(want);
    // Tab out of the number field (past the unit's select, whose arrows are its own) to "Random point":
    // there the arrows walk the steps
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      if (await lab.locator('[data-action=random]').evaluate((b) => b.getRootNode().activeElement === b)) break;
    }
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    await lab.locator('.walk-step[data-step=update]').waitFor();
    // Tab to "Apply this step"
    for (let i = 0; i < 30; i++) {
      if (await lab.locator('[data-action=apply]').evaluate((b) => b.getRootNode().activeElement === b)) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await lab.locator('.walk .result .n').first().waitFor();
    expect(await lab.locator('.walk .result').textContent()).toMatch(/before → after/);
    // focus went to Undo, and ← goes back a step from there
    expect(await lab.locator('[data-action=undo]').evaluate((b) => b.getRootNode().activeElement === b)).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await lab.locator('.walk-step[data-step="bp34-1"]').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('390 px, touch: tap a point on the boundary, step with Next, apply; screenshot', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    const { page, problems, lab } = await open(NET_3321, { context });
    // where example 11 is: the element's explain() says (then the walk is closed again, by its button)
    const e = await page.evaluate(() => document.querySelector('backprop-lab').explain(11));
    await lab.locator('[data-action=close]').first().tap();
    expect(await page.evaluate(() => document.querySelector('backprop-lab').state.explain)).toBeUndefined();
    const map = lab.locator('.boundary-map');
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    const [x1, x2] = e.x;
    await page.touchscreen.tap(box.x + ((x1 + 6) / 12) * box.width, box.y + ((6 - x2) / 12) * box.height);
    await lab.locator('.walk').waitFor();
    await expect.poll(() => page.evaluate(() => document.querySelector('backprop-lab').state.explain)).toBe(11);
    for (let i = 0; i < 5; i++) await lab.locator('[data-action=next]').tap();
    await lab.locator('.walk-step[data-step=bp1]').waitFor();
    // the walk fits the phone: no sideways scroll of the page
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const targets = await lab.locator('.walk button').evaluateAll((bs) => bs.filter((b) => b.offsetParent).map((b) => b.getBoundingClientRect()).map((r) => Math.min(r.width, r.height)));
    expect(Math.min(...targets)).toBeGreaterThanOrEqual(24);
    await lab.locator('.walk').screenshot({ path: `${SHOTS}explain-390-bp1.png` });
    await lab.locator('.walk-stepbtn[data-step=update]').tap();
    await lab.locator('[data-action=apply]').tap();
    await lab.locator('.walk .result .n').first().waitFor();
    await page.screenshot({ path: `${SHOTS}explain-390.png`, fullPage: true });
    // Step one mini-batch by touch (batch size 1: one example of the epoch's 50)
    await lab.locator('[data-control=stepBatch]').tap();
    await expect.poll(() => lab.locator('[data-testid=epoch]').textContent()).toBe('0 + 1/50');
    await lab.locator('.bar').screenshot({ path: `${SHOTS}explain-390-bar.png` });
    expect(problems).toEqual([]);
    await context.close();
  });

  for (const [scheme, width] of [['light', 1280], ['dark', 390]]) {
    it(`axe-core: no violations with the walk, the check and the hidden layer's space open (${scheme}, ${width} px)`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 1000 }, colorScheme: scheme });
      await page.addInitScript(() => localStorage.setItem('backprop-lab:hints', 'done'));
      await page.goto(`${server.url}/index.html#${NET_3321}&explain=3&explainStep=6&hiddenSpace=1:0,1`);
      const lab = page.locator('backprop-lab');
      await lab.locator('.walk-step[data-step="bp2-2"]').waitFor();
      await lab.locator('[data-control=check]').click();
      await lab.locator('[data-action=check]').click();
      await lab.locator('.gcheck-ok').waitFor();
      await lab.locator('.hidden-caption:not(:empty)').waitFor();
      const violations = await axeViolations(page);
      expect(violations, violations.join('\n')).toEqual([]);
      if (width === 1280) await page.screenshot({ path: `${SHOTS}explain-1280.png`, fullPage: true });
      await page.close();
    });
  }
});

describe('state, links and bad input', () => {
  it('a URL with explain and explainStep reopens the same example at the same step; stepping writes the URL back', async () => {
    const { page, problems, lab } = await open(`${NET_3321}&explain=12&explainStep=4`);
    await lab.locator('.walk-step[data-step=cost]').waitFor();
    expect(await lab.locator('.walk-title').textContent()).toBe('Backprop on example #12');
    await lab.locator('[data-action=next]').click();
    await lab.locator('.walk-step[data-step=bp1]').waitFor();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/explain=12&explainStep=5/);
    await page.reload();
    await lab.locator('.walk-step[data-step=bp1]').waitFor();
    expect(await lab.locator('.walk-title').textContent()).toBe('Backprop on example #12');
    // training paused on the pick, and the ring is on the boundary
    expect(await page.evaluate(() => document.querySelector('backprop-lab').playing)).toBe(false);
    expect(await lab.locator('.boundary-map .walk-ring').count()).toBe(1);
    // Close: the walk, the ring and the keys leave the state and the URL
    await lab.locator('.walk [data-action=close]').click();
    await expect.poll(() => page.evaluate(() => location.hash)).not.toMatch(/explain=/);
    expect(await lab.locator('.walk-ring').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the example post\'s Figure 2 (explain="17" on a 3-3-2-1 sigmoid XOR lab, batch size 1) opens on example 17; the walk follows play()', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems = collectProblems(page);
    await page.goto(`${server.url}/tutorial.html`);
    const walk = page.locator('#lab-walk');
    await walk.scrollIntoViewIfNeeded();
    await walk.locator('.walk-step[data-step=input]').waitFor();
    expect(await walk.locator('.walk-title').textContent()).toBe('Backprop on example #17');
    // in the post's 680 px column the walk takes the lab's width under the diagram and the boundary (in the
    // diagram's column alone every matrix wrapped)
    const [walkWidth, labWidth] = await walk.evaluate((el) => [el.shadowRoot.querySelector('.walk').getBoundingClientRect().width, el.getBoundingClientRect().width]);
    expect(labWidth).toBeLessThanOrEqual(680);
    expect(walkWidth).toBeGreaterThan(0.9 * labWidth);
    await walk.screenshot({ path: `${SHOTS}explain-post-walk.png` });
    const s = await page.evaluate(() => document.querySelector('#lab-walk').state);
    expect(s).toMatchObject({ layers: [3, 2], features: ['x1', 'x2', 'x1x2'], activation: 'sigmoid', output: 'sigmoid', cost: 'quadratic', batchSize: 1, explain: 17 });
    // the post's sentence about layer numbering says what the labs do
    expect(await page.locator('#forward + p').textContent()).toMatch(/layer 0 is the input/);
    const before = await walk.locator('.walk-step .n').first().getAttribute('data-v');
    await page.evaluate(() => document.querySelector('#lab-walk').play());
    expect(await page.evaluate(() => document.querySelector('#lab-walk').playing)).toBe(true);
    await walk.locator('[data-action=next]').click();
    await walk.locator('.walk-step[data-step="forward-1"]').waitFor();
    expect(before).not.toBeNull();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an explain index that is not a training example: a notice in that lab, nothing else changes', async () => {
    const { page, problems, lab } = await open(NET_221);
    const before = await page.evaluate(async () => { const el = document.querySelector('backprop-lab'); return { state: el.state, model: await el.modelJSON() }; });
    const error = await page.evaluate(() => document.querySelector('backprop-lab').explain(5000).then(() => null, (e) => e.message));
    expect(error).toMatch(/no training example 5000 \(this data has 50, numbered 0 to 49\)/);
    await expect.poll(() => lab.locator('.notices').textContent()).toMatch(/no training example 5000/);
    const after = await page.evaluate(async () => { const el = document.querySelector('backprop-lab'); return { state: el.state, model: await el.modelJSON() }; });
    expect(after).toEqual(before);
    expect(await lab.locator('.walk').count()).toBe(0);
    for (const bad of [-1, 1.5, '3']) {
      expect(await page.evaluate((i) => document.querySelector('backprop-lab').explain(i).then(() => 'resolved', (e) => e.message), bad)).toMatch(/explain: /);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a link with an explain index beyond the training data: a notice, the walk stays closed, the rest of the link holds', async () => {
    // (a page of its own: the lab takes the bad key out of the URL at once, so a reload would not see it)
    const { page, problems, lab } = await open(`${NET_221}&explain=1999&learningRate=0.1`);
    await expect.poll(() => lab.locator('.notices').textContent()).toMatch(/no training example 1999/);
    await expect.poll(() => page.evaluate(() => location.hash)).not.toMatch(/explain=/);
    const s = await page.evaluate(() => document.querySelector('backprop-lab').state);
    expect(s.explain).toBeUndefined();
    expect(s.learningRate).toBe(0.1);
    expect(s.layers).toEqual([2]);
    expect(await lab.locator('.walk').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the gradient check: ≤ 1e-6 on a healthy net; each broken equation is flagged, named and found at its layer', async () => {
    const { page, problems, lab } = await open(NET_3321);
    await page.evaluate(() => document.querySelector('backprop-lab').step(2));
    const ok = await page.evaluate(() => document.querySelector('backprop-lab').gradientCheck());
    expect(ok.maxRelativeError).toBeLessThanOrEqual(1e-6);
    expect(ok.layers.length).toBe(3);
    await lab.locator('.gcheck-ok').waitFor();
    // 3-3-2-1: BP1 fails at L = 3, BP2 without σ' at L − 1 = 2, BP2's transpose where W^(l+1) is square: W² is
    // 2 × 3, W³ 1 × 2, so no layer — the engine refuses it with a notice; no 1/m at batch size 1: nothing.
    for (const [name, layer] of [['bp1_no_sigma_prime', 3], ['bp2_no_sigma_prime', 2]]) {
      await lab.locator('.gcheck select').selectOption(name);
      await lab.locator(`.gcheck-fail[data-failing-layer="${layer}"]`).waitFor();
      await expect.poll(() => lab.locator('.notices').textContent()).toMatch(/An equation is broken on purpose/);
      const r = await page.evaluate(() => document.querySelector('backprop-lab').gradientCheck());
      expect(r.layers[layer - 1].maxRelativeError).toBeGreaterThan(1e-3);
      for (let l = layer + 1; l <= 3; l++) expect(r.layers[l - 1].maxRelativeError).toBeLessThanOrEqual(1e-6);
    }
    // back to the correct equations: the flag goes, the check passes again
    await lab.locator('.gcheck select').selectOption('');
    await lab.locator('.gcheck-ok').waitFor();
    // the weight card: one parameter's backprop value against its finite difference
    await lab.locator('.network-node[data-l="2"][data-j="0"]').focus();
    await page.keyboard.press('Enter');
    await lab.locator('.network-card-check').click();
    await expect.poll(() => lab.locator('.network-card-check').textContent()).toMatch(/^backprop −?[\d.e−-]+ · finite difference −?[\d.e−-]+$/);
    const [bpText, fdText] = (await lab.locator('.network-card-check').textContent()).match(/−?[\d.]+(e[−-]?\d+)?/g);
    expect(bpText).toBe(fdText);  // equal to the 3 significant digits shown
    await expect.poll(() => lab.locator('.notices').textContent()).not.toMatch(/broken on purpose/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the weight card\'s check follows the parameter picked in its list: a result never shows under another parameter', async () => {
    const { page, problems, lab } = await open(NET_3321);
    await lab.locator('.network-node[data-l="2"][data-j="0"]').focus();
    await page.keyboard.press('Enter');                  // b²₁ and its incoming weights, in a list
    const check = lab.locator('.network-card-check');
    await check.waitFor();                                // the card's code loads on first use
    // check b²₁, then pick w²₁₁ before the result is back (the float64 engine loads for the first check)
    await page.evaluate(() => {
      const root = document.querySelector('backprop-lab').shadowRoot;
      root.querySelector('.network-card-check').click();
      const select = root.querySelector('.network-card-select');
      select.value = select.options[1].value;
      select.dispatchEvent(new Event('change'));
    });
    // a full check queued after it: once it is back, the parameter's result has been handled too
    await page.evaluate(() => document.querySelector('backprop-lab').gradientCheck());
    expect(await check.textContent()).toBe('Check against a finite difference');
    expect(await check.isDisabled()).toBe(false);
    // checked now, w²₁₁'s own result shows
    await check.click();
    await expect.poll(() => check.textContent()).toMatch(/^backprop −?[\d.e−-]+ · finite difference −?[\d.e−-]+$/);
    // and another pick clears it again
    await lab.locator('.network-card-select').selectOption({ index: 2 });
    expect(await check.textContent()).toBe('Check against a finite difference');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the check reports ≤ 1e-6 on healthy nets of every hidden activation, output activation and cost, in the page', async () => {
    const nets = [
      ['relu / sigmoid, cross-entropy', 'dataset=circle&features=x1,x2&layers=4,3&activation=relu&output=sigmoid&cost=cross_entropy&points=100&seed=2'],
      ['tanh / tanh, quadratic', 'dataset=xor&features=x1,x2&layers=4&activation=tanh&output=tanh&cost=quadratic&points=100&seed=3'],
      ['sigmoid / softmax, cross-entropy', 'dataset=blobs&classes=4&features=x1,x2&layers=3&activation=sigmoid&cost=cross_entropy&points=100&seed=4'],
      ['linear / linear, quadratic (regression)', 'dataset=plane&features=x1,x2&layers=3&activation=linear&output=linear&cost=quadratic&points=100&seed=5'],
      ['sigmoid / sigmoid, quadratic', NET_3321],
    ];
    const seen = { activation: new Set(), output: new Set(), cost: new Set() };
    for (const [name, hash] of nets) {
      const { page, problems, lab } = await open(hash);
      await page.evaluate(() => document.querySelector('backprop-lab').step(2));
      const s = await page.evaluate(() => document.querySelector('backprop-lab').modelJSON());
      seen.activation.add(s.activation); seen.output.add(s.outputActivation); seen.cost.add(s.cost);
      await lab.locator('[data-control=check]').click();
      await lab.locator('[data-action=check]').click();
      await lab.locator('.gcheck-ok').waitFor();
      const r = await page.evaluate(() => document.querySelector('backprop-lab').gradientCheck());
      expect(r.maxRelativeError, name).toBeLessThanOrEqual(1e-6);
      expect(r.layers.length, name).toBe(s.layers.length - 1);
      expect(problems, name).toEqual([]);
      await page.close();
    }
    expect([...seen.activation].sort()).toEqual(['linear', 'relu', 'sigmoid', 'tanh']);
    expect([...seen.output].sort()).toEqual(['linear', 'sigmoid', 'softmax', 'tanh']);
    expect([...seen.cost].sort()).toEqual(['cross_entropy', 'quadratic']);
  });

  it('a long check shows how far it is: "n of 2,000 parameters" and a progress bar, rising, then the result (8 × 16, all features)', async () => {
    const { page, problems, lab } = await open('dataset=spiral&points=500&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&layers=16,16,16,16,16,16,16,16&activation=tanh&seed=1');
    await lab.locator('[data-control=check]').click();
    await lab.locator('.gcheck-result').waitFor({ state: 'attached' });   // the check's panel comes in a chunk of its own
    // everything the result area shows while the check runs, as it changes
    await page.evaluate(() => {
      const result = document.querySelector('backprop-lab').shadowRoot.querySelector('.gcheck-result');
      window.seen = [];
      new MutationObserver(() => {
        const bar = result.querySelector('progress');
        window.seen.push({ text: result.querySelector('.gcheck-checking')?.textContent ?? null, value: bar?.value ?? null, max: bar?.max ?? null });
      }).observe(result, { childList: true, subtree: true, characterData: true, attributes: true });
    });
    await lab.locator('[data-action=check]').click();
    await lab.locator('.gcheck-ok').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => window.seen);
    const counts = seen.map((s) => s.text?.match(/(\d[\d,]*) of 2,000 parameters/)?.[1]).filter(Boolean).map((t) => Number(t.replaceAll(',', '')));
    expect(counts.length, JSON.stringify(seen.slice(0, 5))).toBeGreaterThanOrEqual(2);       // more than one count shown before the result
    expect(counts.some((c) => c < 2000)).toBe(true);                                           // some of them mid-way
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(seen.some((s) => s.max === 2000 && s.value > 0 && s.value < 2000)).toBe(true);       // the bar, mid-way
    // the result replaces them, for the 2,000 parameters counted
    expect(await lab.locator('.gcheck-ok').textContent()).toMatch(/over 2,000 parameters/);
    expect(await lab.locator('.gcheck-result progress').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a check running when the lab is taken off the page for good says it stopped, and runs again once the lab is back', async () => {
    const { page, problems, lab } = await open('dataset=spiral&points=500&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&layers=16,16,16,16,16,16,16,16&activation=tanh&seed=1');
    await lab.locator('[data-control=check]').click();
    await lab.locator('[data-action=check]').click();
    await lab.locator('.gcheck-checking').waitFor();
    await page.evaluate(async () => {
      const el = document.querySelector('backprop-lab');
      el.constructor.releaseDelay = 50;
      const parent = el.parentNode;
      el.remove();
      await new Promise((r) => setTimeout(r, 300));   // past releaseDelay: the worker (and the check) stopped
      el.constructor.releaseDelay = 10000;
      parent.append(el);
      await el.ready;
    });
    await expect.poll(() => lab.locator('.gcheck-result').textContent()).toMatch(/stopped before it finished/);
    expect(await lab.locator('.gcheck-checking').count()).toBe(0);
    await lab.locator('[data-action=check]').click();
    await lab.locator('.gcheck-ok').waitFor({ timeout: 60_000 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('each broken equation, the transpose and the 1/m too, is named at the layer it shows up first (2-4-4-4-1: W², W³ square)', async () => {
    const { page, problems, lab } = await open('dataset=xor&features=x1,x2&layers=4,4,4&activation=tanh&output=sigmoid&cost=quadratic&batchSize=10&points=100&seed=6');
    await page.evaluate(() => document.querySelector('backprop-lab').step(1));
    await lab.locator('[data-control=check]').click();
    await lab.locator('[data-action=check]').click();
    await lab.locator('.gcheck-ok').waitFor();
    // the highest l whose gradient is wrong: BP1 → L = 4; BP2 without σ′ → 3; BP2 with W^(l+1) not
    // transposed → 2 (the first δ it feeds, through the square W³); the sum for the mean → every layer, 4 first
    for (const [name, layer] of [['bp1_no_sigma_prime', 4], ['bp2_no_sigma_prime', 3], ['bp2_no_transpose', 2], ['no_batch_mean', 4]]) {
      await lab.locator('.gcheck select').selectOption(name);
      await lab.locator(`.gcheck-fail[data-failing-layer="${layer}"]`).waitFor();
      expect(await lab.locator('.gcheck-fail').textContent()).toMatch(new RegExp(`fails at layer ${layer}: .*\\(${name}\\)`));
      const r = await page.evaluate(() => document.querySelector('backprop-lab').gradientCheck());
      expect(r.layers[layer - 1].maxRelativeError, name).toBeGreaterThan(1e-3);
      for (let l = layer + 1; l <= 4; l++) expect(r.layers[l - 1].maxRelativeError, `${name}, layer ${l}`).toBeLessThanOrEqual(1e-6);
    }
    await lab.locator('.gcheck select').selectOption('');
    await lab.locator('.gcheck-ok').waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('saturation as the lessons need it: the tutorial\'s slowdown neuron is marked, not under cross-entropy; a ReLU at z ≤ 0 everywhere is dead', async () => {
    const slowdown = 'dataset=gauss&layers=&activation=sigmoid&output=sigmoid&init=he&learningRate=0.01&speed=1&seed=23';
    const { page, problems, lab } = await open(`${slowdown}&cost=quadratic`);
    const out = lab.locator('.network-node[data-l="1"]');
    await expect.poll(() => out.getAttribute('aria-label')).toBe('output, neuron 1, saturated');
    expect(await out.getAttribute('title')).toMatch(/^saturated: σ'\(z\) ≈ 0 on (8[0-9]|9[0-9]|100) % of the training data$/);
    await page.goto(`${server.url}/index.html#${slowdown}&cost=cross_entropy`);
    await page.reload();
    await page.evaluate(() => document.querySelector('backprop-lab').ready);
    await page.evaluate(() => document.querySelector('backprop-lab').step(1));
    expect(await out.getAttribute('aria-label')).toBe('output, neuron 1');
    // a ReLU whose z is −100 on every point: dead (the diagram and the gradient panel say so), not saturated
    await page.goto(`${server.url}/index.html#dataset=circle&layers=2&activation=relu&seed=8`);
    await page.reload();
    await page.evaluate(() => document.querySelector('backprop-lab').ready);
    await page.evaluate(async () => {
      const el = document.querySelector('backprop-lab'), m = await el.modelJSON();
      m.weights[0][0] = m.weights[0][0].map(() => 0);
      m.biases[0][0] = -100;
      await el.loadModel(m);
    });
    const dead = lab.locator('.network-node[data-l="1"][data-j="0"]');
    await expect.poll(() => dead.getAttribute('aria-label')).toBe('hidden layer 1, neuron 1, dead');
    expect(await lab.locator('.network-node[data-l="1"][data-j="1"]').getAttribute('aria-label')).toBe('hidden layer 1, neuron 2');
    await lab.locator('.view-gradients').scrollIntoViewIfNeeded();
    await expect.poll(() => lab.locator('.view-gradients').textContent()).toMatch(/dead: 1/);
    expect(await lab.locator('.view-gradients').textContent()).toMatch(/root mean square of ‖δˡ‖ over the training examples/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
