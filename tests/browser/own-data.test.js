// Own data, figures and TensorFlow Playground links in the lab page (dist/, strict CSP, headless Chromium), driven as
// a reader drives them: draw mode with the mouse, a finger and the keyboard, the CSV dialog with a pasted or chosen
// file, Save lab / Load lab through the Share panel, the figures through el.exportImage(), the Playground's links in
// the address bar. Screenshots of draw mode and the CSV dialog go to test-results/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { startSite, collectProblems, SHOTS } from './harness.js';
import { decodePNG } from './png.js';
import { FIVE_LINKS } from '../fixtures/playground-links.js';

const IRIS = new URL('../fixtures/iris-sepal.csv', import.meta.url);
const DESKTOP = { width: 1280, height: 800 }, PHONE = { width: 390, height: 844 };

let site, server, browser;
beforeAll(async () => {
  site = await startSite('index.html');
  ({ server, browser } = site);
});
afterAll(() => site?.close());

async function open(hash = '', viewport = DESKTOP, options = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const problems = collectProblems(page);
  await page.goto(`${server.url}/index.html${hash}`);
  await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
  return { page, problems, close: () => context.close() };
}
const lab = (page, fn, arg) => page.evaluate(([f, a]) => new Function('lab', 'arg', `return (${f})(lab, arg)`)(document.querySelector('backprop-lab'), a), [fn.toString(), arg]);
const shadow = (page, selector) => page.locator('backprop-lab').locator(selector);
const noticeTexts = (page) => shadow(page, '.notice .notice-text').allTextContents();

// Draw mode on, from no points; returns a function from data coordinates to page pixels (the plot as it is now).
async function drawFromScratch(page) {
  await shadow(page, '[data-control=draw]').click();
  await shadow(page, '.draw-panel button:text-is("Clear")').click();
  return plotCoordinates(page);
}
async function plotCoordinates(page) {
  const surface = shadow(page, '.draw-surface');
  await surface.scrollIntoViewIfNeeded();
  const b = await surface.boundingBox();
  return { at: (x1, x2) => [b.x + ((x1 + 6) / 12) * b.width, b.y + ((6 - x2) / 12) * b.height], unit: 12 / b.width };
}
const pick = (page, cls) => shadow(page, `.draw-class input[value="${cls}"]`).check();
const dataOf = (page) => lab(page, (el) => el.data);
// Every call made so far has reached the engine (modelJSON() runs after them) and its frame is drawn.
const settled = (page) => lab(page, (el) => el.modelJSON().then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))));

describe('draw your own data', () => {
  for (const [name, viewport] of [['1280', DESKTOP], ['390', PHONE]]) {
    it(`clicks add points where they are clicked and remove the point clicked (${name} px layout)`, async () => {
      const { page, problems, close } = await open('#dataset=xor&seed=1&trainRatio=100', viewport);
      const { at, unit } = await drawFromScratch(page);
      const targets = [[-3, 2, 0], [1.5, -4, 1], [4.25, 4.75, 1], [-5, -5.5, 0]];
      for (const [x1, x2, c] of targets) {
        await pick(page, c);
        await page.mouse.click(...at(x1, x2));
      }
      const d = await dataOf(page);
      expect(d.kind).toBe('binary');
      expect(d.points).toHaveLength(4);
      // within a pixel (and the 0.01 grid of own data) of where the mouse went
      d.points.forEach(([x1, x2, c], i) => {
        expect(Math.abs(x1 - targets[i][0])).toBeLessThanOrEqual(unit + 0.01);
        expect(Math.abs(x2 - targets[i][1])).toBeLessThanOrEqual(unit + 0.01);
        expect(c).toBe(targets[i][2]);
      });
      expect(await lab(page, (el) => el.state.dataset)).toBe('own');
      // clicking a point removes it; the others stay as they were
      await page.mouse.move(...at(1.5, -4));
      await page.mouse.click(...at(1.5, -4));
      const after = await dataOf(page);
      expect(after.points).toEqual([d.points[0], d.points[2], d.points[3]]);
      // Undo brings it back (at the end: a removal undone is the list from before it)
      await shadow(page, '.draw-panel button:text-is("Undo")').click();
      expect((await dataOf(page)).points).toEqual(d.points);
      // the engine trains on them: the frame's data are the drawn points
      await settled(page);
      const frame = await lab(page, (el) => el.step(1));
      expect(frame.trainAccuracy).not.toBe(null);
      expect(frame.testCost).toBe(null);   // train ratio 100 %: no test points
      // "Your data" is in the picker now, with a thumbnail
      // (at 390 px the picker is in the closed drawer: the choice is there, not hidden, where the drawer opens)
      expect(await shadow(page, '.dataset[data-dataset="own"]').evaluate((e) => e.hidden || e.closest('[hidden]') !== null)).toBe(false);
      await page.screenshot({ path: `${SHOTS}own-draw-${name}.png` });
      expect(problems).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await close();
    });
  }

  it('a host page that zooms the lab (CSS zoom: 1.5): clicks add points where they are clicked, and remove the one clicked', async () => {
    const { page, problems, close } = await open('#dataset=xor&seed=1&trainRatio=100');
    await page.evaluate(() => { document.querySelector('backprop-lab').style.zoom = '1.5'; });
    const { at, unit } = await drawFromScratch(page);
    const targets = [[3, 3], [-2, -4]];
    for (const [x1, x2] of targets) await page.mouse.click(...at(x1, x2));
    const d = await dataOf(page);
    expect(d.points).toHaveLength(2);
    d.points.forEach(([x1, x2], i) => {
      expect(Math.abs(x1 - targets[i][0])).toBeLessThanOrEqual(unit + 0.01);
      expect(Math.abs(x2 - targets[i][1])).toBeLessThanOrEqual(unit + 0.01);
    });
    await page.mouse.move(...at(3, 3));
    await page.mouse.click(...at(3, 3));
    expect((await dataOf(page)).points).toEqual([d.points[1]]);
    expect(problems).toEqual([]);
    await close();
  });

  it('touch: a tap adds a point, a long-press on a point removes it', async () => {
    const { page, close } = await open('#dataset=circle&seed=1&trainRatio=100', PHONE, { hasTouch: true, isMobile: true });
    const { at } = await drawFromScratch(page);
    await page.touchscreen.tap(...at(2, 3));
    await page.touchscreen.tap(...at(-2, -3));
    expect((await dataOf(page)).points.map((p) => p.slice(0, 2).map(Math.round))).toEqual([[2, 3], [-2, -3]]);
    const cdp = await page.context().newCDPSession(page);
    const [x, y] = at(2, 3);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await page.waitForFunction(() => document.querySelector('backprop-lab').data.points.length === 1);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    expect((await dataOf(page)).points.map((p) => p.slice(0, 2).map(Math.round))).toEqual([[-2, -3]]);
    await close();
  });

  it('the keyboard: the plot takes focus, arrows move a cursor, Enter adds, 1–5 pick the class, Delete removes', async () => {
    const { page, close } = await open('#dataset=xor&seed=1', DESKTOP);
    await drawFromScratch(page);
    await shadow(page, '.draw-surface').focus();
    for (const k of ['ArrowRight', 'ArrowRight', 'ArrowUp', 'ArrowUp', 'Enter']) await page.keyboard.press(k);   // (1, 1), class 0
    for (const k of ['2', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'Enter']) await page.keyboard.press(k);   // (−1, 1), class 1
    await page.keyboard.press('Shift+ArrowDown');   // (−1, 0.9): a finer step
    await page.keyboard.press('Enter');
    expect((await dataOf(page)).points).toEqual([[1, 1, 0], [-1, 1, 1], [-1, 0.9, 1]]);
    expect(await shadow(page, '.draw-status').textContent()).toMatch(/Added a class 1 point at \(−1\.00, 0\.90\)/);
    await page.keyboard.press('Delete');   // the point under the cursor
    expect((await dataOf(page)).points).toEqual([[1, 1, 0], [-1, 1, 1]]);
    await page.keyboard.press('Control+z');
    expect((await dataOf(page)).points).toHaveLength(3);
    await page.keyboard.press(' ');   // Space adds here; it does not start training
    expect(await lab(page, (el) => el.playing)).toBe(false);
    expect((await dataOf(page)).points).toHaveLength(4);
    await page.keyboard.press('Escape');
    expect(await shadow(page, '.draw-panel').isHidden()).toBe(true);
    expect(await shadow(page, '[data-control=draw]').getAttribute('aria-pressed')).toBe('false');
    await close();
  });

  it("the notes' 4-point XOR drawn in the page trains a 3-3-2-1 sigmoid net (batch 1, fixed order) to 100 %", async () => {
    const { page, problems, close } = await open('#dataset=xor&seed=1&features=x1,x2,x1x2&layers=3,2&activation=sigmoid&output=sigmoid'
      + '&cost=quadratic&init=nielsen&learningRate=1&batchSize=1&shuffle=false&trainRatio=100');
    expect(await shadow(page, '[data-control=shuffle] input').isChecked()).toBe(false);
    const { at } = await drawFromScratch(page);
    for (const [x1, x2, c] of [[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]]) {
      await pick(page, c);
      await page.mouse.click(...at(x1, x2));
    }
    expect((await dataOf(page)).points.map((p) => p.map(Math.round))).toEqual([[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]]);
    await settled(page);
    expect((await lab(page, (el) => el.model)).layers).toEqual([3, 3, 2, 1]);
    const d = await lab(page, (el) => el.step(2000));
    expect(d.trainAccuracy).toBe(1);
    expect(d.testAccuracy).toBe(null);
    expect(d.diverged).toBe(false);
    expect(problems).toEqual([]);
    await close();
  });

  it('2-2-1 sigmoid on the 4 points of XOR, set through el.data, also reaches 100 %', async () => {
    const { page, close } = await open('#dataset=xor&seed=7&layers=2&activation=sigmoid&output=sigmoid&cost=cross_entropy&learningRate=3&batchSize=1&shuffle=false&trainRatio=100');
    await lab(page, (el) => { el.data = { points: [[-1, -1, 0], [-1, 1, 1], [1, -1, 1], [1, 1, 0]] }; });
    await settled(page);
    expect((await lab(page, (el) => el.model)).layers).toEqual([2, 2, 1]);
    const d = await lab(page, (el) => el.step(3000));
    expect(d.trainAccuracy).toBe(1);
    await close();
  });
});

describe('keep it: links, lab files, weights', () => {
  it('the drawn data survive a small-data link, and Save lab / Load lab gives the same next epoch', async () => {
    const { page, close } = await open('#dataset=moons&seed=7&trainRatio=70&batchSize=2&learningRate=0.3');
    const { at } = await drawFromScratch(page);
    const drawn = [[-2, 1, 0], [-1, 2, 0], [0, 2.5, 0], [2, -1, 1], [1, -2, 1], [0, -2.5, 1], [-3, -1, 1], [3, 1, 0]];
    for (const [x1, x2, c] of drawn) {
      await pick(page, c);
      await page.mouse.click(...at(x1, x2));
    }
    const data = await dataOf(page);
    expect(data.points).toHaveLength(8);
    await settled(page);
    const state = await lab(page, (el) => el.state);
    // the link reproduces the data and the settings
    const link = page.url();
    expect(link).toMatch(/data=c2\./);
    const linked = await open(new URL(link).hash);
    expect(await dataOf(linked.page)).toEqual(data);
    expect(await lab(linked.page, (el) => el.state)).toEqual(state);
    await linked.close();
    // train a while (shuffled: the schedule matters), save, then one more epoch
    await lab(page, (el) => el.step(33));
    await shadow(page, '[data-control=share]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), shadow(page, '[data-action=save-lab]').click()]);
    expect(download.suggestedFilename()).toMatch(/^backprop-lab-own-epoch-33-\d{4}-\d\d-\d\d-\d{6}\.lab\.json$/);
    const file = await download.path();
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ format: 'backprop-lab/lab', version: 1, epoch: 33, state: { dataset: 'own', data: state.data } });
    expect(saved.schedule.shuffled).toBe(true);
    const next = await lab(page, (el) => el.step(1));
    // another page, other settings: Load lab puts everything back
    const other = await open('#dataset=spiral&seed=99&layers=3');
    await shadow(other.page, '[data-control=share]').click();
    await shadow(other.page, 'input[aria-label="Lab file to load"]').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: readFileSync(file) });
    await other.page.waitForFunction(() => document.querySelector('backprop-lab').state.dataset === 'own');
    expect(await lab(other.page, (el) => el.epoch)).toBe(33);
    expect(await dataOf(other.page)).toEqual(data);
    expect(await lab(other.page, (el) => el.state)).toEqual(state);
    const again = await lab(other.page, (el) => el.step(1));
    expect(again).toEqual(next);   // the same epoch, the same train and test cost and accuracy
    expect(await noticeTexts(other.page)).toEqual(expect.arrayContaining([expect.stringMatching(/^Loaded .*\.lab\.json: its settings, data and weights at epoch 33/)]));
    await other.close();
    await close();
  });

  it('a lab file that is not one is refused with a notice; the lab stays as it was', async () => {
    const { page, close } = await open('#dataset=circle&seed=5');
    const before = await lab(page, (el) => ({ state: el.state, model: el.model }));
    await shadow(page, '[data-control=share]').click();
    const bad = { name: 'x.lab.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ format: 'backprop-lab/lab', version: 1, epoch: 3, state: { dataset: 'own', seed: 1 }, model: {} })) };
    await shadow(page, 'input[aria-label="Lab file to load"]').setInputFiles(bad);
    await expect.poll(() => noticeTexts(page)).toEqual(expect.arrayContaining([expect.stringMatching(/^lab file: "state": dataset: 'own' needs own data points/)]));
    expect(await lab(page, (el) => ({ state: el.state, model: el.model }))).toEqual(before);
    await close();
  });

  it('more points than a link holds: Share says the link has the settings only and offers the lab file', async () => {
    const { page, close } = await open('#dataset=circle&seed=5&points=1200');
    const points = await lab(page, (el) => el.data.points);
    await lab(page, (el, p) => { el.data = { points: p }; }, points);
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.dataset === 'own');
    expect(page.url()).not.toMatch(/data=/);
    await shadow(page, '[data-control=share]').click();
    expect(await shadow(page, '.share-warn').textContent()).toMatch(/The link holds the settings only: your 1,200 points are more than a link holds\. Save lab keeps them all in a file\./);
    await close();
  });

  it('New weights: a new weight seed in the link, the same data, other initial weights', async () => {
    const { page, close } = await open('#dataset=gauss&seed=11');
    const before = await lab(page, (el) => ({ data: el.data, model: el.model }));
    await shadow(page, '[data-control=newWeights]').click();
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.weightSeed !== undefined);
    await lab(page, (el) => el.step(1));
    const ws = await lab(page, (el) => el.state.weightSeed);
    expect(page.url()).toMatch(new RegExp(`seed=11&weightSeed=${ws}&`));
    expect(await dataOf(page)).toEqual(before.data);
    await lab(page, (el) => el.reset());
    await page.waitForFunction(() => document.querySelector('backprop-lab').epoch === 0);
    expect((await lab(page, (el) => el.model)).weights).not.toEqual(before.model.weights);
    await close();
  });

  it('Keep weights: a change of cost keeps the weights and the epoch; without it the network starts again', async () => {
    const { page, close } = await open('#dataset=circle&seed=2&activation=sigmoid&output=sigmoid&cost=quadratic&keepWeights=true');
    expect(await shadow(page, '[data-control=keepWeights] input').isChecked()).toBe(true);
    await lab(page, (el) => el.step(20));
    const w = (await lab(page, (el) => el.model)).weights;
    await shadow(page, 'select#c-cost').selectOption('cross_entropy');
    await page.waitForFunction(() => document.querySelector('backprop-lab').model.cost === 'cross_entropy');
    expect((await lab(page, (el) => el.model)).weights).toEqual(w);
    expect((await lab(page, (el) => el.step(1))).epoch).toBe(21);
    // off: another cost is a new network, from the initial weights
    await shadow(page, '[data-control=keepWeights] input').uncheck();
    await shadow(page, 'select#c-cost').selectOption('quadratic');
    await page.waitForFunction(() => document.querySelector('backprop-lab').model.cost === 'quadratic');
    // the new network's first frame brings the epoch back to 0 (el.model follows the state at once)
    await page.waitForFunction(() => document.querySelector('backprop-lab').epoch === 0);
    expect((await lab(page, (el) => el.model)).weights).not.toEqual(w);
    await close();
  });

  it('Shuffle each epoch is a setting the training follows (off: the same order every epoch)', async () => {
    const costs = {};
    for (const shuffle of [true, false]) {
      const { page, close } = await open(`#dataset=spiral&seed=4&batchSize=5&shuffle=${shuffle}`);
      costs[shuffle] = (await lab(page, (el) => el.step(5))).trainCost;
      await close();
    }
    expect(costs.true).not.toBe(costs.false);
    const { page, close } = await open('#dataset=spiral&seed=4&batchSize=5');
    await shadow(page, '[data-control=shuffle] input').uncheck();
    expect(page.url()).toMatch(/shuffle=false/);
    expect((await lab(page, (el) => el.step(5))).trainCost).toBe(costs.false);
    await close();
  });
});

describe('CSV in and out', () => {
  it('a load error\'s notice names the call once: "loadCSV: …", never "loadCSV: loadCSV: …" (and "data: …" the same)', async () => {
    const { page, problems, close } = await open('#dataset=circle&seed=9');
    const good = 'x1,x2,label\n1,2,0\n3,4,1\n';
    const rejected = await lab(page, (el, t) => el.loadCSV(t, { fit: 'true' }).then(() => 'resolved', (e) => e.message), good);
    expect(rejected).toBe("loadCSV: options.fit must be true or false, got 'true'");      // the Error names the call
    await expect.poll(() => noticeTexts(page)).toEqual(["loadCSV: options.fit must be true or false, got 'true'"]);   // was loadCSV: loadCSV: …
    // a CSVError's text has no prefix of its own: the notice adds the call's name, once
    await lab(page, (el) => el.loadCSV('x1,x2,label\n1,2,0\n3,abc,1\n').catch(() => {}));
    await expect.poll(() => noticeTexts(page)).toEqual(["loadCSV: line 3, column 2 (x2): expected a number, got 'abc'"]);
    await lab(page, (el) => { el.data = 3; });
    await expect.poll(() => noticeTexts(page)).toEqual(['data: expected { points: [[x1, x2, label], …] }, got 3']);   // was data: data: …
    expect(await lab(page, (el) => el.state.dataset)).toBe('circle');
    expect(problems).toEqual([]);
    await close();
  });

  it('a malformed file shows its line and column, and the data and network stay as they were', async () => {
    const { page, close } = await open('#dataset=circle&seed=9');
    await lab(page, (el) => el.step(3));
    const before = await lab(page, (el) => ({ state: el.state, data: el.data, model: el.model, epoch: el.epoch }));
    await shadow(page, '[data-control=csv]').click();
    const bad = 'x1,x2,label\n1,2,0\n3,abc,1\n4,5,1\n';
    await shadow(page, '.csv-text').fill(bad);
    await expect.poll(() => shadow(page, '.csv-result').textContent()).toBe("line 3, column 2 (x2): expected a number, got 'abc'");
    expect(await shadow(page, '.csv-primary').isDisabled()).toBe(true);
    // a chosen file the same
    await shadow(page, '.csv-dialog input[type=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x1;x2;label\n1;2;a\n1;2\n') });
    await expect.poll(() => shadow(page, '.csv-result').textContent()).toMatch(/^line 3, column 3 \(label\): 2 columns, expected 3 like the first line/);
    await shadow(page, '.csv-dialog button:text-is("Cancel")').click();
    // and the script API rejects with the CSVError
    const err = await lab(page, (el, t) => el.loadCSV(t).then(() => null, (e) => ({ name: e.name, line: e.line, column: e.column, message: e.message })), bad);
    expect(err).toEqual({ name: 'CSVError', line: 3, column: 2, message: "line 3, column 2 (x2): expected a number, got 'abc'" });
    // options that are not an object: an Error that says so (not a TypeError from inside), nothing changes
    const optErrors = await lab(page, (el, t) => Promise.all([el.loadCSV(t, null), el.loadCSV(t, true)].map((p) => p.then(() => 'resolved', (e) => `${e.name}: ${e.message}`))), 'x1,x2,label\n1,2,0\n3,4,1\n');
    expect(optErrors).toEqual([
      'Error: loadCSV: options must be an object like { fit: false }, got null',
      'Error: loadCSV: options must be an object like { fit: false }, got true',
    ]);
    await lab(page, (el) => { el.data = { points: [[0, 0, 0], [1, 'x', 1]] }; });
    const engine = await lab(page, (el) => el.modelJSON());   // after the refused data, in call order
    expect(engine.weights).toEqual(before.model.weights);
    expect(await noticeTexts(page)).toEqual(expect.arrayContaining([expect.stringMatching(/^data: data\.points\[1\]\[1\]: expected a finite number, got 'x'/)]));
    const after = await lab(page, (el) => ({ state: el.state, data: el.data, epoch: el.epoch }));
    expect(after).toEqual({ state: before.state, data: before.data, epoch: before.epoch });
    await close();
  });

  for (const [name, viewport] of [['1280', DESKTOP], ['390', PHONE]]) {
    it(`the Iris sepal measurements load from a file, are fitted to the view (undoably) and train (${name} px)`, async () => {
      const { page, problems, close } = await open('#dataset=circle&seed=4&layers=8&activation=tanh&learningRate=0.1&trainRatio=70', viewport);
      await shadow(page, '[data-control=csv]').click();
      await shadow(page, '.csv-dialog input[type=file]').setInputFiles(IRIS.pathname);
      await expect.poll(() => shadow(page, '.csv-result').textContent()).toBe('Read 150 points, 3 classes by name (setosa → 0, versicolor → 1, virginica → 2); some lie outside the view [−6, 6]. Header: sepal_length, sepal_width, species.');
      expect(await shadow(page, '.csv-fit').textContent()).toMatch(/^Fit to the view: x₁ → \(x₁ − [\d.]+\) × [\d.]+, x₂ → \(x₂ − [\d.]+\) × [\d.]+$/);
      expect(await shadow(page, '.csv-fit input').isChecked()).toBe(true);
      await page.screenshot({ path: `${SHOTS}own-csv-dialog-${name}.png` });
      await shadow(page, '.csv-primary').click();
      expect(await shadow(page, '.csv-dialog').isVisible()).toBe(false);
      const d = await dataOf(page);
      expect(d).toMatchObject({ kind: 'multiclass', classes: 3 });
      expect(d.points).toHaveLength(150);
      for (const [x1, x2] of d.points) { expect(Math.abs(x1)).toBeLessThanOrEqual(6); expect(Math.abs(x2)).toBeLessThanOrEqual(6); }
      await settled(page);
      expect((await lab(page, (el) => el.model)).layers).toEqual([2, 8, 3]);
      const first = await lab(page, (el) => el.step(1));
      const later = await lab(page, (el) => el.step(300));
      expect(later.trainCost).toBeLessThan(first.trainCost);
      expect(later.trainAccuracy).toBeGreaterThan(0.7);
      // the fit is said in a notice, with an Undo
      const notice = shadow(page, '.notice:has-text("Fitted to the view")');
      await expect.poll(() => notice.count()).toBe(1);
      await notice.locator('button:text-is("Undo the fit")').click();
      await page.waitForFunction(() => document.querySelector('backprop-lab').data.points[0][0] === 5.1);
      expect((await dataOf(page)).points.slice(0, 2)).toEqual([[5.1, 3.5, 0], [4.9, 3, 0]]);
      expect(problems).toEqual([]);
      await close();
    });
  }

  it('Download CSV writes the current data with each point marked train or test', async () => {
    const { page, close } = await open('#dataset=blobs&classes=4&points=60&seed=3&trainRatio=80');
    await shadow(page, '[data-control=csv]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), shadow(page, '.csv-dialog button:text-is("Download CSV")').click()]);
    expect(download.suggestedFilename()).toMatch(/^backprop-lab-data-blobs-\d{4}-\d\d-\d\d-\d{6}\.csv$/);
    const lines = readFileSync(await download.path(), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('x1,x2,label,set');
    expect(lines).toHaveLength(61);
    expect(lines.filter((l) => l.endsWith(',train'))).toHaveLength(48);
    expect(lines.filter((l) => l.endsWith(',test'))).toHaveLength(12);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[2]))).toEqual(new Set(['0', '1', '2', '3']));
    // read back through loadCSV: the same points (the set column is not kept: the lab splits by its ratio)
    const r = await lab(page, (el, t) => el.loadCSV(t), lines.join('\n'));
    expect(r).toMatchObject({ rows: 60, kind: 'multiclass', labels: 'indices' });
    expect((await dataOf(page)).points).toHaveLength(60);
    await close();
  });
});

describe('figures', () => {
  it('the boundary as PNG: 2× the figure, decodes, not blank; the SVG is the same figure in vector', async () => {
    const { page, close } = await open('#dataset=circle&seed=1');
    await lab(page, (el) => el.step(100));
    const png = decodePNG(Buffer.from(await lab(page, (el) => el.exportImage('boundary').then((b) => b.arrayBuffer()).then((a) => Array.from(new Uint8Array(a))))));
    const svg = await lab(page, (el) => el.exportImage('boundary', { format: 'svg' }).then((b) => b.text()));
    const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg).map(Number);
    expect([png.width, png.height]).toEqual([2 * w, 2 * h]);
    const map = await shadow(page, '.boundary-map').evaluate((m) => m.clientWidth);
    expect(w).toBe(16 + 26 + map + 16);
    expect(png.pixel(0, 0)).toEqual([255, 255, 255, 255]);   // white, not transparent
    // the heatmap: the circle's inside (blue) and a corner (orange) differ, and many colours
    const x0 = 2 * (16 + 26), y0 = 2 * 16, side = 2 * map;
    const centre = png.pixel(x0 + side / 2 + 3, y0 + side / 2 + 3), corner = png.pixel(x0 + 6, y0 + 6);
    expect(Math.abs(centre[0] - corner[0]) + Math.abs(centre[2] - corner[2])).toBeGreaterThan(60);   // the two classes' colours
    const colours = new Set();
    for (let y = y0; y < y0 + side; y += 7) for (let x = x0; x < x0 + side; x += 7) colours.add(png.pixel(x, y).join());
    expect(colours.size).toBeGreaterThan(50);
    expect((svg.match(/<circle /g) ?? []).length).toBeGreaterThanOrEqual(250);   // the training points, as circles
    expect(svg).toMatch(/>Output: probability of blue</);
    await close();
  });

  it('the network as PNG and SVG, the gradient panel as PNG; bad arguments are Errors that say what is allowed', async () => {
    const { page, close } = await open('#dataset=xor&seed=1&layers=4,3');
    await lab(page, (el) => el.step(10));
    const net = decodePNG(Buffer.from(await lab(page, (el) => el.exportImage('network').then((b) => b.arrayBuffer()).then((a) => Array.from(new Uint8Array(a))))));
    const svg = await lab(page, (el) => el.exportImage('network', { format: 'svg' }).then((b) => b.text()));
    const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg).map(Number);
    expect([net.width, net.height]).toEqual([2 * w, 2 * h]);
    expect(w).toBe(await shadow(page, '.network-stage').evaluate((s) => s.offsetWidth));
    expect((svg.match(/<path d="M[^"]*C/g) ?? []).length).toBe(2 * 4 + 4 * 3 + 3 * 1);   // one curve per weight
    expect((svg.match(/<image /g) ?? []).length).toBe(7 + 4 + 3 + 1);   // the seven features' and the neurons' heatmaps
    await shadow(page, '.view-gradients').scrollIntoViewIfNeeded();
    const grad = decodePNG(Buffer.from(await lab(page, (el) => el.exportImage('gradients').then((b) => b.arrayBuffer()).then((a) => Array.from(new Uint8Array(a))))));
    const panel = await shadow(page, '.gradients').evaluate((g) => { const r = g.getBoundingClientRect(); return [Math.ceil(r.width), Math.ceil(r.height)]; });
    expect([grad.width, grad.height]).toEqual([2 * (panel[0] + 24), 2 * (panel[1] + 24)]);   // a 12 px margin
    expect(grad.pixel(0, 0)).toEqual([255, 255, 255, 255]);
    const errors = await lab(page, (el) => Promise.all([
      el.exportImage('cost'), el.exportImage('gradients', { format: 'svg' }), el.exportImage('boundary', { format: 'jpeg' }),
      el.exportImage('boundary', null), el.exportImage('boundary', 'svg'),
    ].map((p) => p.then(() => 'resolved', (e) => e.message))));
    expect(errors).toEqual([
      "exportImage: view must be one of boundary, network, gradients, got 'cost'",
      "exportImage: format must be 'png' for the gradients, got 'svg'",
      "exportImage: format must be 'png' or 'svg' for the boundary, got 'jpeg'",
      "exportImage: options must be an object like { format: 'svg' }, got null",
      "exportImage: options must be an object like { format: 'svg' }, got 'svg'",
    ]);
    await close();
  });

  it('Save image… downloads files whose names say what and when; the legend says what the output is', async () => {
    const { page, close } = await open('#dataset=circle&seed=1&output=tanh&cost=quadratic');
    expect(await shadow(page, '.boundary-legend-title').textContent()).toBe('Output value (tanh), blue above 0.5');
    await shadow(page, '[data-control=figures]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), shadow(page, '.fig-dialog button[data-view=network][data-format=svg]').click()]);
    expect(download.suggestedFilename()).toMatch(/^backprop-lab-network-circle-epoch-\d+-\d{4}-\d\d-\d\d-\d{6}\.svg$/);
    await page.keyboard.press('Escape');
    await lab(page, (el) => { el.state = { output: 'sigmoid' }; });
    await expect.poll(() => shadow(page, '.boundary-legend-title').textContent()).toBe('Output: probability of blue');
    await close();
  });
});

describe('TensorFlow Playground links in the page', () => {
  const expected = [
    { dataset: 'circle', layers: [4, 2], features: ['x1', 'x2'], trainRatio: 50, init: 'uniform', activation: 'tanh' },
    { dataset: 'multigauss', points: 1200, activation: 'linear', layers: [3], noise: 25, trainRatio: 80, batchSize: 30, learningRate: 0.01, showTestData: true },
    { dataset: 'spiral', layers: [8, 8, 8, 8, 8, 8], activation: 'relu', features: ['x1', 'x2', 'x1sq', 'x2sq', 'sinx1', 'sinx2'] },
    { dataset: 'xor', regularization: 'l1', regularizationRate: 0.003, features: ['x1sq', 'x1x2'], init: 'zeros', discretize: true, batchSize: 1 },
    { dataset: 'circle', features: ['x1', 'x2'] },
  ];
  FIVE_LINKS.forEach((link, i) => {
    it(`link ${i + 1}: the expected state, one notice at most, then this lab's own link in the address bar`, async () => {
      const { page, problems, close } = await open(link);
      await page.waitForFunction(() => !/networkShape=/.test(location.hash));
      expect(await lab(page, (el) => el.state)).toMatchObject(expected[i]);
      const notices = await noticeTexts(page);
      expect(notices.length).toBeLessThanOrEqual(1);
      expect(notices[0]).toMatch(/^TensorFlow Playground link: its random data and initial weights differ/);
      expect(page.url()).toMatch(/#dataset=/);
      expect(page.url()).not.toMatch(/percTrainData|_hide/);
      if (i === 4) {
        for (const c of ['play', 'reset', 'learningRate', 'dataset', 'noise', 'trainRatio']) expect(await shadow(page, `[data-control=${c}]`).first().isHidden(), c).toBe(true);
        expect(await shadow(page, '[data-control=step]').isVisible()).toBe(true);
        expect(new URL(page.url()).searchParams.get('controls')).toMatch(/^step,speed,/);
      }
      // this lab's link opens the same state (and, with ?controls, the same hidden controls), with no notice
      const state = await lab(page, (el) => el.state);
      const again = await open(new URL(page.url()).search + new URL(page.url()).hash);
      expect(await lab(again.page, (el) => el.state)).toEqual(state);
      expect(await noticeTexts(again.page)).toEqual([]);
      if (i === 4) expect(await shadow(again.page, '[data-control=play]').isHidden()).toBe(true);
      await again.close();
      expect(problems).toEqual([]);
      await close();
    });
  });
});
