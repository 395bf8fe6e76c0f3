// The lab page (dist/, built by `npm run build:page`) in headless Chromium, served with the strict CSP.
// These drive the page the way a user does (buttons, the URL) and through the element's script API
// (play/pause/step/state and the `epoch` event), and save screenshots under test-results/ to look at.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, symlinkSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSite, startServer, collectProblems, SHOTS, DIST } from './harness.js';
import { formatValue } from '../../web/src/views/card.js';

let site, server, browser;
beforeAll(async () => {
  site = await startSite('index.html');
  ({ server, browser } = site);
});
afterAll(() => site?.close());

// Opens the page with a hash and waits for the first drawn frame. `problems` collects console errors,
// uncaught exceptions and CSP violations.
async function open(hash = '', viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const problems = collectProblems(page);
  await page.addInitScript(() => localStorage.setItem('backprop-lab:hints', 'done'));  // first-visit tips: screens.test.js
  await page.goto(`${server.url}/index.html${hash}`);
  await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
  return { page, problems };
}
const lab = (page, fn, arg) => page.evaluate(([f, a]) => new Function('lab', 'arg', `return (${f})(lab, arg)`)(document.querySelector('backprop-lab'), a), [fn.toString(), arg]);
const shadow = (page, selector) => page.locator('backprop-lab').locator(selector);

// Plays until `epochs` epochs have been drawn, then pauses; returns the last epoch event's detail.
const playUntil = (page, epochs) => page.evaluate((n) => new Promise((resolve) => {
  const el = document.querySelector('backprop-lab');
  const on = (e) => { if (e.detail.epoch >= n) { el.removeEventListener('epoch', on); el.pause(); resolve(e.detail); } };
  el.addEventListener('epoch', on);
  el.play();
}), epochs);

describe('the lab page', () => {
  it('loads under the strict CSP with no console errors, and saves screenshots at 1280×800 and 390×844', async () => {
    for (const [name, viewport] of [['page-1280x800', { width: 1280, height: 800 }], ['page-390x844', { width: 390, height: 844 }]]) {
      const { page, problems } = await open('#dataset=spiral&seed=3&layers=6,6,4&features=x1,x2,sinx1,sinx2&learningRate=0.03', viewport);
      await playUntil(page, 150);
      await page.waitForTimeout(300);  // let the throttled charts redraw
      await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: false });
      // the gradient panel's code loads when it is in view: scroll to it first, so that the full page shows it
      await shadow(page, '.view-gradients').scrollIntoViewIfNeeded();
      await expect.poll(() => shadow(page, '.view-gradients [data-layer]').count()).toBe(4);
      await page.screenshot({ path: `${SHOTS}${name}-full.png`, fullPage: true });
      expect(problems, problems.join('\n')).toEqual([]);
      // nothing sticks out sideways on a phone
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  for (const [dataset, hash, epochs] of [
    ['circle', '#dataset=circle&seed=1', 100],
    ['spiral', '#dataset=spiral&seed=2&layers=8,8,6&features=x1,x2,x1sq,x2sq,sinx1,sinx2&learningRate=0.03&batchSize=10', 300],
  ]) {
    it(`play lowers the cost on ${dataset}`, async () => {
      const { page, problems } = await open(hash);
      const before = await lab(page, (el) => new Promise((r) => { el.addEventListener('epoch', (e) => r(e.detail), { once: true }); el.step(1); }));
      const after = await playUntil(page, epochs);
      expect(after.trainCost).toBeLessThan(before.trainCost * 0.8);
      expect(after.epoch).toBeGreaterThanOrEqual(epochs);
      await page.waitForTimeout(200);  // a frame already in flight when pause() was called still lands
      const shown = await lab(page, (el) => el.epoch);
      expect(shown).toBeGreaterThanOrEqual(after.epoch);
      expect(Number((await shadow(page, '[data-testid=epoch]').textContent()).replaceAll(',', ''))).toBe(shown);
      expect(await lab(page, (el) => el.playing)).toBe(false);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('while playing, readouts are written once per 100 ms slot of the page\'s frame clock, by every lab of the page; a pause shows the last frame\'s numbers', async () => {
    const { page, problems } = await open('#dataset=circle&seed=1', { width: 1280, height: 3600 });  // both labs in view
    // a second lab on the page, and a record of every write to each lab's epoch counter and train cost:
    // the frame (document.timeline time) it was made in, and which readout
    await page.evaluate(() => {
      const second = document.createElement('backprop-lab');
      second.setAttribute('dataset', 'xor'); second.setAttribute('seed', '2');
      document.body.append(second);
      window.writes = [[], []];
      return second.ready.then(() => {
        [...document.querySelectorAll('backprop-lab')].forEach((el, i) => {
          for (const id of ['epoch', 'train-cost']) {
            new MutationObserver(() => window.writes[i].push({ id, t: document.timeline.currentTime, playing: el.playing }))
              .observe(el.shadowRoot.querySelector(`[data-testid=${id}]`), { childList: true, characterData: true, subtree: true });
          }
        });
      });
    });
    const frames = await page.evaluate(() => new Promise((resolve) => {
      const labs = [...document.querySelectorAll('backprop-lab')];
      labs.forEach((el) => el.play());
      let n = 0; const t0 = performance.now();
      const raf = () => { n++; if (performance.now() - t0 < 2000) requestAnimationFrame(raf); else { labs.forEach((el) => el.pause()); resolve(n); } };
      requestAnimationFrame(raf);
    }));
    const writes = await page.evaluate(() => window.writes);
    for (const [i, w] of writes.entries()) {
      // while playing (a pause, and a frame that lands after it, write at once: not counted)
      const epochs = w.filter((x) => x.id === 'epoch' && x.playing).map((x) => x.t);
      expect(epochs.length, `lab ${i}`).toBeGreaterThanOrEqual(3);            // the counter moves while playing
      const slots = epochs.map((t) => Math.floor(t / 100));
      expect(new Set(slots).size, `lab ${i}: ${slots}`).toBe(slots.length);   // at most once per 100 ms slot
    }
    expect(frames).toBeGreaterThan(writes[0].filter((x) => x.id === 'epoch').length);
    // the two labs write in the same frames (they draw in the same frames, and cross slots together)
    const times = writes.map((w) => new Set(w.filter((x) => x.id === 'epoch' && x.playing).map((x) => x.t)));
    const shared = [...times[0]].filter((t) => times[1].has(t)).length;
    expect(shared, `${[...times[0]]} / ${[...times[1]]}`).toBeGreaterThanOrEqual(Math.min(times[0].size, times[1].size) / 2);
    // paused: every readout is the last drawn frame's
    await page.waitForTimeout(400);
    const shown = await page.evaluate(() => [...document.querySelectorAll('backprop-lab')].map((el) => {
      const q = (id) => el.shadowRoot.querySelector(`[data-testid=${id}]`).textContent;
      return { epoch: el.epoch, epochText: q('epoch'), cost: q('train-cost') };
    }));
    const last = await page.evaluate(() => Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.step(1))));
    for (const [i, s] of shown.entries()) {
      expect(Number(s.epochText.replaceAll(',', '')), `lab ${i}`).toBe(s.epoch);
      expect(last[i].epoch).toBe(s.epoch + 1);
    }
    // and the cost shown after a step is that step's (a step writes every readout)
    const after = await page.evaluate(() => [...document.querySelectorAll('backprop-lab')].map((el) => el.shadowRoot.querySelector('[data-testid=train-cost]').textContent));
    for (const [i, text] of after.entries()) expect(Number(text), `lab ${i}`).toBeCloseTo(last[i].trainCost, 3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a pause writes the readouts of the last drawn frame even when no frame is in flight', async () => {
    const { page, problems } = await open('#dataset=circle&seed=1');
    // play, and pause in the animation frame right after a drawn frame whose readouts were skipped: the
    // epoch counter shows an older epoch than el.epoch until the pause catches it up
    const r = await page.evaluate(() => new Promise((resolve) => {
      const el = document.querySelector('backprop-lab');
      const text = () => Number(el.shadowRoot.querySelector('[data-testid=epoch]').textContent.replaceAll(',', ''));
      el.play();
      const t0 = performance.now();
      const check = () => {
        if (performance.now() - t0 > 5000) { el.pause(); resolve({ before: null, after: text(), epoch: el.epoch }); return; }  // never behind
        if (text() !== el.epoch) {
          const before = text();
          el.pause();
          resolve({ before, after: text(), epoch: el.epoch });
        } else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }));
    expect(r.before).toBeLessThan(r.epoch);
    expect(r.after).toBe(r.epoch);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('adding a layer with the + button changes the diagram', async () => {
    const { page } = await open('#dataset=xor&seed=1&layers=4,2');
    const neurons = () => shadow(page, '.view-network .network-node').count();
    expect(await neurons()).toBe(4 + 2 + 1);
    await shadow(page, '.view-network button[aria-label="Add a hidden layer"]').click();
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.layers.length === 3);
    await page.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.view-network .network-node').length === 9);
    expect(await lab(page, (el) => el.state.layers)).toEqual([4, 2, 2]);
    expect(page.url()).toMatch(/layers=4,2,2/);
    await page.close();
  });

  it('an unused feature shows a greyed, faded copy of its thumbnail with no CSS filter (a filter costs the compositor a render pass per thumbnail per frame); hovered or switched on, its colours', async () => {
    const { page } = await open('#dataset=xor&seed=1&layers=4&features=x1,x2');
    // feature i's two canvases: which one shows, its opacity and filter, and a pixel at the left edge (x₁ = −6) of each
    const look = (i) => lab(page, (el, i) => {
      const b = el.shadowRoot.querySelectorAll('.view-network .network-feature')[i];
      const [colour, grey] = b.querySelectorAll('canvas');
      const px = (c) => [...c.getContext('2d').getImageData(1, 16, 1, 1).data];
      const shown = [colour, grey].filter((c) => getComputedStyle(c).display !== 'none');
      return { off: b.classList.contains('is-off'), shown: shown.map((c) => c.className), filter: shown.map((c) => getComputedStyle(c).filter),
        opacity: shown.map((c) => Number(getComputedStyle(c).opacity)), colour: px(colour), grey: px(grey) };
    }, i);
    await page.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.view-network .network-feature.is-off').length === 5);
    const x1sq = await look(2);   // x1² is not used here
    expect(x1sq.off).toBe(true);
    expect(x1sq.shown).toEqual(['network-thumb network-thumb-off']);
    expect(x1sq.filter).toEqual(['none']);
    expect(x1sq.opacity[0]).toBeCloseTo(0.22, 5);
    // the grey copy is CSS grayscale(0.6) of the colours (the filter's matrix), so the look did not change
    const [r, g, b] = x1sq.colour, k = 0.4;
    const want = [(0.2126 + 0.7874 * k) * r + (0.7152 - 0.7152 * k) * g + (0.0722 - 0.0722 * k) * b,
      (0.2126 - 0.2126 * k) * r + (0.7152 + 0.2848 * k) * g + (0.0722 - 0.0722 * k) * b,
      (0.2126 - 0.2126 * k) * r + (0.7152 - 0.7152 * k) * g + (0.0722 + 0.9278 * k) * b];
    want.forEach((v, c) => expect(Math.abs(x1sq.grey[c] - v)).toBeLessThanOrEqual(1));
    expect(Math.max(...x1sq.colour.slice(0, 3)) - Math.min(...x1sq.colour.slice(0, 3))).toBeGreaterThan(40);  // a real colour, greyed
    const x1 = await look(0);
    expect([x1.off, x1.shown, x1.filter, x1.opacity]).toEqual([false, ['network-thumb'], ['none'], [1]]);
    // hovered: the colours, at full opacity
    await shadow(page, '.view-network .network-feature >> nth=2').hover();
    expect((await look(2)).shown).toEqual(['network-thumb']);
    expect((await look(2)).opacity).toEqual([1]);
    // switched on: the colours stay when the pointer leaves
    await shadow(page, '.view-network .network-feature >> nth=2').click();
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.features.includes('x1sq'));
    await page.mouse.move(0, 0);
    expect(await look(2)).toMatchObject({ off: false, shown: ['network-thumb'], opacity: [1] });
    await page.close();
  });
  it('the gradient panel shows one row per layer and its numbers change while training', async () => {
    const { page } = await open('#dataset=circle&seed=5&layers=5,4,3&activation=sigmoid');
    // the panel's code loads when it first comes into view
    await shadow(page, '.view-gradients').scrollIntoViewIfNeeded();
    const rows = shadow(page, '.view-gradients [data-layer]');
    await expect.poll(() => rows.count()).toBe(4);
    const read = () => rows.allTextContents();
    const before = await read();
    await playUntil(page, 60);
    await page.waitForTimeout(200);
    const after = await read();
    expect(after).toHaveLength(4);
    expect(after.filter((t, i) => t !== before[i]).length).toBeGreaterThanOrEqual(3);
    for (const t of after) expect(t).toMatch(/\d/);
    await page.close();
  });

  it('the gradient panel\'s code loads when the panel is in view, not while it is only near it (it is not part of the first load at 1280×800)', async () => {
    const requested = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = collectProblems(page);
    await page.addInitScript(() => localStorage.setItem('backprop-lab:hints', 'done'));
    page.on('request', (q) => requested.push(new URL(q.url()).pathname));
    await page.goto(`${server.url}/index.html#dataset=circle&seed=5&layers=4,3`);
    await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
    const chunk = () => requested.filter((p) => /\/assets\/gradients-[\w-]+\.js$/.test(p));
    const below = () => page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.view-gradients').getBoundingClientRect().top - innerHeight);
    // the panel starts below the fold at this size; scroll until it is 100 px below the bottom edge: near, not in view
    expect(await below()).toBeGreaterThan(100);
    await page.evaluate((by) => scrollBy(0, by), (await below()) - 100);
    expect(await below()).toBeGreaterThan(50);
    await page.waitForTimeout(500);  // time enough for an observer with a margin to have fired and the chunk to arrive
    expect(chunk()).toEqual([]);
    expect(await shadow(page, '.view-gradients [data-layer]').count()).toBe(0);
    // in view: it loads (once) and draws one row per layer
    await page.evaluate(() => scrollBy(0, 300));
    await expect.poll(() => shadow(page, '.view-gradients [data-layer]').count()).toBe(3);
    expect(chunk()).toHaveLength(1);
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('the gradient panel opened on a paused lab says from which epoch its lines start, and the note goes once there is a line', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = collectProblems(page);
    await page.goto(`${server.url}/index.html#dataset=spiral&seed=3&layers=6,4`);
    await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
    await page.evaluate(async () => { const el = document.querySelector('backprop-lab'); for (let i = 0; i < 5; i++) await el.step(20); });
    await shadow(page, '.view-gradients').scrollIntoViewIfNeeded();
    const note = shadow(page, '.gradients-empty');
    await expect.poll(() => note.count()).toBe(1);
    await expect.poll(() => note.isVisible()).toBe(true);
    expect(await note.textContent()).toBe('The lines start at epoch 100, when this panel opened: they grow as the network trains.');
    expect(await shadow(page, '.gradients-plot canvas').count()).toBe(0);   // one point: no line yet
    await page.evaluate(async () => { const el = document.querySelector('backprop-lab'); await el.step(20); await el.step(20); });
    await expect.poll(() => shadow(page, '.gradients-plot canvas').count()).toBe(1);
    expect(await note.isVisible()).toBe(false);
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('uPlot loads on first use: not with the first frame, then both charts draw with its styles once training starts', async () => {
    const requested = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = collectProblems(page);
    page.on('request', (q) => requested.push(new URL(q.url()).pathname));
    await page.goto(`${server.url}/index.html#dataset=circle&seed=5&layers=4,3`);
    await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
    await page.waitForTimeout(500);  // the views' one-time setup after the first frame
    const uplotChunk = () => requested.filter((p) => /\/assets\/uplot-[\w-]+\.js$/.test(p));
    expect(uplotChunk()).toEqual([]);
    expect(await shadow(page, '.uplot').count()).toBe(0);
    await shadow(page, '.view-gradients').scrollIntoViewIfNeeded();
    // the panel's chunk loads when it comes into view: wait for it (one row per layer), so it sees training
    await expect.poll(() => shadow(page, '.view-gradients [data-layer]').count()).toBe(3);
    await playUntil(page, 40);
    // one chart in the cost view and one in the gradient panel, from one download
    await expect.poll(() => shadow(page, '.uplot').count()).toBe(2);
    expect(uplotChunk()).toHaveLength(1);
    for (const sel of ['.costchart-plot', '.gradients-plot']) {
      // uPlot's own stylesheet applies inside the lab's shadow root (its overlay is absolutely positioned)
      expect(await shadow(page, `${sel} .u-over`).evaluate((e) => getComputedStyle(e).position)).toBe('absolute');
      // the chart fills its box and its canvas holds drawn pixels (the lines), not a blank canvas
      const drawn = await shadow(page, `${sel} canvas`).first().evaluate((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return { n, w: c.getBoundingClientRect().width, box: c.closest(`.${c.closest('.costchart-plot') ? 'costchart-plot' : 'gradients-plot'}`).clientWidth };
      });
      expect(drawn.n).toBeGreaterThan(100);
      expect(Math.abs(drawn.w - drawn.box)).toBeLessThanOrEqual(2);
    }
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('the charts draw their axis labels from a cache: a label reaches fillText once, and the cached copy has the pixels fillText draws', async () => {
    const requested = [];
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
    const problems = collectProblems(page);
    page.on('request', (q) => requested.push(new URL(q.url()).pathname));
    // every call that reaches the browser's own fillText, by font, colour and text
    await page.addInitScript(() => {
      const real = CanvasRenderingContext2D.prototype.fillText;
      globalThis.realFillText = real;
      globalThis.textCalls = [];
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        globalThis.textCalls.push(`${this.font}|${this.fillStyle}|${this.textAlign}|${this.textBaseline}|${text}`);
        return real.call(this, text, ...rest);
      };
    });
    await page.goto(`${server.url}/index.html#dataset=spiral&seed=5&layers=6,4`);
    await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
    await playUntil(page, 30);
    await expect.poll(() => shadow(page, '.costchart-plot canvas').count()).toBe(1);
    await page.evaluate(() => { globalThis.textCalls.length = 0; });
    // 300 more epochs: the chart is redrawn about ten times a second, each time with all its tick labels
    await page.evaluate(() => {
      const c = document.querySelector('backprop-lab').shadowRoot.querySelector('.costchart-plot canvas');
      const ctx = c.getContext('2d'), clear = ctx.clearRect;
      globalThis.redraws = 0;
      ctx.clearRect = function (...a) { globalThis.redraws++; return clear.apply(this, a); };
    });
    await playUntil(page, 330);
    const redraws = await page.evaluate(() => globalThis.redraws);
    const calls = await page.evaluate(() => globalThis.textCalls);
    expect(redraws).toBeGreaterThan(3);
    expect(calls.length).toBeGreaterThan(0);  // new tick values (the epochs grow) are drawn once each …
    expect(new Set(calls).size).toBe(calls.length);  // … and never again
    expect(calls.every((k) => !k.endsWith('|'))).toBe(true);  // an empty label draws nothing

    // the cache itself, from uPlot's chunk: labels drawn through it and by fillText, at whole pixels, in every
    // alignment and baseline uPlot uses, in the chart's own font at this 2× screen, give the same pixels
    const chunk = requested.find((p) => /\/assets\/uplot-[\w-]+\.js$/.test(p));
    expect(chunk).toBeTruthy();
    // (a string, so that vitest leaves the page's import() alone)
    await page.evaluate(`import(${JSON.stringify(chunk)}).then((m) => { globalThis.cacheLabels = m.cacheLabels; })`);
    const result = await page.evaluate(() => {
      const { cacheLabels } = globalThis;
      const font = document.querySelector('backprop-lab').shadowRoot.querySelector('.costchart-plot canvas').getContext('2d').font;
      const make = () => { const c = document.createElement('canvas'); c.width = 240; c.height = 400; return c.getContext('2d'); };
      const plain = make(), cached = make();
      cacheLabels(cached.canvas.getContext('2d'));
      let y = 12;
      const out = { same: true, drawnPixels: 0, fallbacks: 0 };
      for (const [align, baseline] of [['center', 'top'], ['right', 'middle'], ['left', 'middle'], ['center', 'bottom']]) {
        for (const [text, colour] of [['0.25', '#666666'], ['1.5k', 'rgb(200, 30, 30)'], ['10⁻³', '#333'], ['', '#000']]) {
          for (const g of [plain, cached]) {
            g.font = font; g.fillStyle = colour; g.textAlign = align; g.textBaseline = baseline;
            if (g === plain) globalThis.realFillText.call(g, text, 120, y); else g.fillText(text, 120, y);
            g.fillText(text, 60.5, y);  // a fractional position: the browser's own fillText, on both
          }
          y += 24;
        }
      }
      const a = plain.getImageData(0, 0, 240, 400).data, b = cached.getImageData(0, 0, 240, 400).data;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { out.same = false; break; }
      for (let i = 3; i < a.length; i += 4) if (a[i]) out.drawnPixels++;
      return out;
    });
    expect(result.drawnPixels).toBeGreaterThan(500);
    expect(result.same).toBe(true);
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('on a 2× screen, under a host\'s letter-spacing, and in lecture mode, the charts\' labels have the size and the pixels fillText gives them', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 }, deviceScaleFactor: 2 });
    const problems = collectProblems(page);
    await page.goto(`${server.url}/embed.html`);
    // a blog theme's tight letter-spacing around the lab
    await page.evaluate(() => {
      document.body.replaceChildren();
      const wrap = document.createElement('div');
      wrap.style.letterSpacing = '-0.1em';
      const el = document.createElement('backprop-lab');
      for (const [k, v] of [['seed', '3'], ['dataset', 'spiral'], ['layers', '6,4']]) el.setAttribute(k, v);
      wrap.append(el);
      document.body.append(wrap);
      return el.ready;
    });
    // every chart drawn again through the label cache, then again through the browser's own fillText
    const compare = () => page.evaluate(async () => {
      const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const lab = document.querySelector('backprop-lab');
      const cs = [...lab.shadowRoot.querySelectorAll('.uplot canvas')];
      const clear = () => cs.forEach((c) => c.getContext('2d').clearRect(0, 0, c.width, c.height));
      const grab = () => cs.map((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
      clear(); window.dispatchEvent(new CustomEvent('dppxchange')); await frames();  // uPlot redraws
      const cached = grab(), own = cs.map((c) => Object.hasOwn(c.getContext('2d'), 'fillText'));
      const fonts = cs.map((c) => parseFloat(c.getContext('2d').font));
      const fills = cs.map((c) => { const g = c.getContext('2d'), f = g.fillText; delete g.fillText; return [g, f]; });
      clear(); window.dispatchEvent(new CustomEvent('dppxchange')); await frames();
      const real = grab();
      for (const [g, f] of fills) g.fillText = f;
      return {
        charts: cs.length, own, fonts,
        ink: real.map((d) => { let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }),
        differing: real.map((d, k) => { let n = 0; for (let i = 0; i < d.length; i++) if (d[i] !== cached[k][i]) n++; return n; }),
      };
    });
    for (const lecture of [false, true]) {
      if (lecture) await page.evaluate(() => { document.querySelector('backprop-lab').state = { lecture: true }; });
      await playUntil(page, lecture ? 600 : 300);
      await expect.poll(() => shadow(page, '.uplot canvas').count()).toBe(2);
      await page.waitForTimeout(300);
      const r = await compare();
      expect(r.own).toEqual([true, true]);
      for (const n of r.ink) expect(n).toBeGreaterThan(500);
      expect(r.differing).toEqual([0, 0]);
      // the labels' font: whole CSS pixels (10 at the charts' 12 px type, 12.5 → 13 in lecture mode), times
      // the screen's 2 device pixels (uPlot scaled "12.5px" to "12.1px", a quarter of the size)
      for (const f of r.fonts) {
        expect(f % 2).toBe(0);
        expect(f).toBeGreaterThanOrEqual(lecture ? 24 : 20);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('while playing, an 8 × 16 network repaints its thumbnails or its links per frame (never both), a 2-4-2-1 network both; what waited is painted after a pause', async () => {
    const count = (page, epochs) => page.evaluate((n) => new Promise((resolve) => {
      const el = document.querySelector('backprop-lab');
      const root = el.shadowRoot;
      const draws = { thumbs: 0, links: 0 };
      for (const [k, sel] of [['thumbs', '.network-thumbs'], ['links', '.network-links']]) {
        const ctx = root.querySelector(sel).getContext('2d'), clear = ctx.clearRect;
        ctx.clearRect = function (...a) { draws[k]++; return clear.apply(this, a); };  // each repaint clears first
      }
      const frames = [];
      let seen = 0;
      const on = () => {
        frames.push({ thumbs: draws.thumbs > 0, links: draws.links > 0 });
        draws.thumbs = draws.links = 0;
        if (++seen >= n) { el.removeEventListener('epoch', on); el.pause(); resolve(frames.slice(1)); }  // the first may follow a single frame
      };
      el.addEventListener('epoch', on);
      el.play();
    }), epochs);
    const big = await open('#seed=1&dataset=spiral&points=500&layers=16,16,16,16,16,16,16,16&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2');
    const frames = await count(big.page, 40);
    expect(frames.filter((f) => f.thumbs && f.links)).toEqual([]);
    expect(frames.some((f) => f.links)).toBe(true);                // early in training the links change
    for (let i = 1; i < frames.length; i++) expect(frames[i - 1].thumbs || frames[i].thumbs).toBe(true);
    // pausing right after a frame that left the thumbnails waiting (no frame is in flight then: the next request
    // goes at the next animation frame): they are painted all the same, shortly after (the view's flush)
    const late = await big.page.evaluate(() => new Promise((resolve) => {
      const el = document.querySelector('backprop-lab');
      const ctx = el.shadowRoot.querySelector('.network-thumbs').getContext('2d'), clear = ctx.clearRect;
      let thumbs = 0, waiting = false;
      ctx.clearRect = function (...a) { thumbs++; return clear.apply(this, a); };
      const on = () => {
        if (thumbs === 0 && !waiting) {
          waiting = true; el.removeEventListener('epoch', on); el.pause();
          setTimeout(() => resolve({ paintedAfterPause: thumbs, epoch: el.epoch }), 400);
        }
        thumbs = 0;
      };
      el.addEventListener('epoch', on);
      el.play();
    }));
    expect(late.paintedAfterPause).toBeGreaterThan(0);
    expect(big.problems).toEqual([]);
    await big.page.close();
    const small = await open('#seed=1');
    const smallFrames = await count(small.page, 20);
    expect(smallFrames.every((f) => f.thumbs)).toBe(true);
    await small.page.close();
  });

  it('a URL reproduces the same cost after the same number of epochs', async () => {
    const hash = '#dataset=moons&seed=12345&noise=20&layers=6,4&activation=relu&learningRate=0.1&batchSize=7&features=x1,x2,x1x2';
    const costs = [];
    for (let i = 0; i < 2; i++) {
      const { page } = await open(hash);
      const d = await lab(page, (el) => el.step(40));
      expect(d.epoch).toBe(40);
      costs.push([d.trainCost, d.testCost]);
      await page.close();
    }
    expect(costs[1]).toEqual(costs[0]);
    expect(Number.isFinite(costs[0][0])).toBe(true);
  });

  it('a bad URL shows a notice and a working page', async () => {
    const { page, problems } = await open('#dataset=nope&learningRate=abc&layers=4,x&colour=blue&seed=7');
    // one line: the first notice and "3 more notices" beside it
    await expect.poll(() => shadow(page, '.notices-more').textContent()).toMatch(/3 more notices/);
    expect(await shadow(page, '.notice').count()).toBe(1);
    const line = await page.evaluate(() => {
      const r = document.querySelector('backprop-lab').shadowRoot, n = r.querySelector('.notice').getBoundingClientRect(), m = r.querySelector('.notices-more').getBoundingClientRect();
      return { sameLine: m.top < n.bottom && m.bottom > n.top, height: r.querySelector('.notices').getBoundingClientRect().height };
    });
    expect(line.sameLine).toBe(true);
    expect(line.height).toBeLessThan(60);
    await shadow(page, '.notices-more').click();
    const notices = shadow(page, '.notice');
    expect(await notices.count()).toBeGreaterThanOrEqual(4);
    const text = (await notices.allTextContents()).join('\n');
    expect(text).toMatch(/dataset/);
    expect(text).toMatch(/learningRate/);
    expect(text).toMatch(/colour/);
    expect(await lab(page, (el) => el.state)).toMatchObject({ dataset: 'circle', learningRate: 0.03, layers: [4, 2], seed: 7 });
    const d = await lab(page, (el) => el.step(5));
    expect(d.epoch).toBe(5);
    expect(Number.isFinite(d.trainCost)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('divergence pauses training, says so, and keeps the last good weights', async () => {
    const { page } = await open('#dataset=plane&seed=1&layers=8,8&activation=linear&learningRate=100&noise=10');
    await lab(page, (el) => el.play());
    await page.waitForFunction(() => {
      const el = document.querySelector('backprop-lab');
      return !el.playing && el.shadowRoot.querySelector('.notice.error');
    }, null, { timeout: 20000 });
    const text = await shadow(page, '.notice.error').first().textContent();
    expect(text).toMatch(/diverged/i);
    expect(text).toMatch(/lower learning rate/i);
    // the page still works: a sane learning rate trains on from the kept weights
    await lab(page, (el) => { el.state = { learningRate: 0.01 }; });
    const d = await lab(page, (el) => el.step(3));
    expect(Number.isFinite(d.trainCost)).toBe(true);
    await page.close();
  });

  it('a bias edited in the diagram\'s card applies live (keyboard path), and a bad value is refused there', async () => {
    const { page, problems } = await open('#dataset=xor&seed=6&layers=3');
    const node = shadow(page, '.view-network .network-node').first();
    await node.focus();
    await page.keyboard.press('Enter');                       // opens the card on b¹₁
    const input = shadow(page, '.network-card-input');
    await input.fill('oops');
    await page.keyboard.press('Enter');
    expect(await shadow(page, '.network-card-err').textContent()).toMatch(/not a number/);
    const before = await lab(page, (el) => el.epoch);
    await input.fill('2.5');
    await page.keyboard.press('Enter');
    // the worker applied it and sent a frame: opening the card again shows the engine's value
    await page.waitForTimeout(300);
    await node.focus();
    await page.keyboard.press('Enter');
    expect(Number(await shadow(page, '.network-card-input').inputValue())).toBe(2.5);
    await page.keyboard.press('Escape');
    expect(await lab(page, (el) => el.epoch)).toBe(before);  // an edit is not an epoch
    expect(problems).toEqual([]);
    await page.close();
  });

  it('controls without edit: a link\'s card shows its value but never turns into an editor, also after it closed', async () => {
    const { page, problems } = await open('#dataset=xor&seed=6&layers=3');
    await lab(page, (el) => el.setAttribute('controls', 'play,step,reset'));
    // the middle of the first link's (invisible, wide) hit path, in page coordinates — measured again each round:
    // chunks loaded on first use (the gradient panel, notices) can still move the diagram after the first frame
    const where = () => page.evaluate(() => {
      const p = document.querySelector('backprop-lab').shadowRoot.querySelector('.view-network svg path[data-i]');
      const q = p.getPointAtLength(p.getTotalLength() / 2), m = p.getScreenCTM();
      return { x: q.x * m.a + q.y * m.c + m.e, y: q.x * m.b + q.y * m.d + m.f };
    });
    await page.waitForLoadState('networkidle');
    for (let i = 0; i < 2; i++) {  // the second round runs after the first card has closed
      const at = await where();
      await page.mouse.move(at.x, at.y);
      await shadow(page, '.network-card').waitFor({ state: 'visible' });
      await page.mouse.click(at.x, at.y);
      expect(await shadow(page, '.network-card-input').count()).toBe(0);
      await page.mouse.move(2, 2);
      await shadow(page, '.network-card').waitFor({ state: 'hidden' });
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the weight card\'s code (views/card.js) loads on first use: not with the page; a click made while it downloads opens the card with the engine\'s weight, and a hover that left meanwhile opens none', async () => {
    // the page with the card's chunk held back until released, so the test decides when it arrives
    const held = async () => {
      const { page, problems } = await open('#dataset=xor&seed=6&layers=3');
      const chunk = { requested: 0 };
      const arrived = new Promise((r) => { chunk.release = r; });
      await page.route(/\/assets\/card-[\w-]+\.js$/, async (route) => { chunk.requested++; await arrived; await route.continue(); });
      await page.waitForLoadState('networkidle');
      const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\/assets\/card-/.test(n)));
      expect(fetched).toEqual([]);   // the first load does not fetch it
      expect(chunk.requested).toBe(0);
      return { page, problems, chunk };
    };
    const where = (page, i) => page.evaluate((n) => {
      const p = document.querySelector('backprop-lab').shadowRoot.querySelector(`.view-network svg path[data-i="${n}"]`);
      const q = p.getPointAtLength(p.getTotalLength() / 4), m = p.getScreenCTM();   // a quarter along: links cross in the middle
      return { x: q.x * m.a + q.y * m.c + m.e, y: q.x * m.b + q.y * m.d + m.f };
    }, i);
    const sheets = (page) => page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.adoptedStyleSheets.length);
    const hot = (page) => page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.is-hot').length);

    // a hover asks for the card, then leaves before its code is here: once the code (and its CSS) arrived, no card
    {
      const { page, problems, chunk } = await held();
      const at = await where(page, 1), before = await sheets(page);
      await page.mouse.move(at.x, at.y);
      await expect.poll(() => chunk.requested).toBe(1);
      await page.mouse.move(2, 2);
      chunk.release();
      await expect.poll(() => sheets(page)).toBe(before + 1);   // card.css: the code is here
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
      expect(await shadow(page, '.network-card').isHidden()).toBe(true);
      expect(await hot(page)).toBe(0);
      // and from now on the card opens at once on hover, with the engine's weight w¹₁₂ and its gradient
      await page.mouse.move(at.x, at.y);
      await shadow(page, '.network-card').waitFor({ state: 'visible' });
      expect(await shadow(page, '.network-card-name').first().textContent()).toBe('w¹₁₂ = ');
      const w = await lab(page, (el) => el.model.weights[0][0][1]);
      expect(await shadow(page, '.network-card-val').first().textContent()).toBe(formatValue(w));
      expect(problems).toEqual([]);
      await page.close();
    }
    // a click on the first link (w¹₁₁) while the code is still on its way: the card opens when it arrives
    {
      const { page, problems, chunk } = await held();
      const at = await where(page, 0);
      await page.mouse.click(at.x, at.y);
      await expect.poll(() => chunk.requested).toBe(1);
      expect(await shadow(page, '.network-card').isHidden()).toBe(true);
      chunk.release();
      const input = shadow(page, '.network-card-input');
      await input.waitFor();
      expect(await shadow(page, '.network-card-name').first().textContent()).toBe('w¹₁₁ =');
      const w = await lab(page, (el) => el.model.weights[0][0][0]);
      expect(Number(await input.inputValue())).toBe(Number(w.toPrecision(6)));
      expect(await input.evaluate((i) => i.getRootNode().activeElement === i)).toBe(true);   // focused, as before
      expect(await hot(page)).toBe(1);
      // its CSS came with it: the edit card takes pointer events (card.css)
      expect(await shadow(page, '.network-card').evaluate((c) => getComputedStyle(c).pointerEvents)).toBe('auto');
      // an edit from it reaches the engine
      await input.fill('-1.25');
      await page.keyboard.press('Enter');
      await expect.poll(() => lab(page, (el) => el.model.weights[0][0][0])).toBe(-1.25);
      expect(chunk.requested).toBe(1);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('the keyboard while the card\'s code downloads: Enter then Esc, or Enter then Tab away, opens no card and never takes the focus back', async () => {
    for (const leave of ['Escape', 'Tab']) {
      const { page, problems } = await open('#dataset=xor&seed=6&layers=3');
      let release;
      const arrived = new Promise((r) => { release = r; });
      let requested = 0;
      await page.route(/\/assets\/card-[\w-]+\.js$/, async (route) => { requested++; await arrived; await route.continue(); });
      await page.waitForLoadState('networkidle');
      // card.css is in the lab's styles once the code is here (other chunks add sheets too: tips on focus)
      const cardCss = () => page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.adoptedStyleSheets
        .some((sh) => [...sh.cssRules].some((r) => r.selectorText?.includes('.network-peek'))));
      await shadow(page, '.view-network .network-node').first().focus();   // asks for the card's code
      await expect.poll(() => requested).toBe(1);
      await page.keyboard.press('Enter');     // the editor on b¹₁, waiting for its code
      await page.keyboard.press(leave);       // … the reader changes their mind, or moves on
      const focusedBefore = await page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.activeElement?.className ?? null);
      expect(await cardCss()).toBe(false);
      release();
      await expect.poll(() => cardCss()).toBe(true);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
      expect(await shadow(page, '.network-card').isHidden(), leave).toBe(true);
      expect(await page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.activeElement?.className ?? null), leave).toBe(focusedBefore);
      expect(problems).toEqual([]);
      await page.close();
    }
  });

  it('the gradient panel\'s matrices under a host page\'s CSS zoom: the readout names the cell under the pointer', async () => {
    const { page, problems } = await open('#dataset=xor&seed=6&layers=3');   // W¹ is 3 × 2
    await lab(page, (el) => { el.style.zoom = '1.5'; });
    const canvas = shadow(page, '.gradients-canvas').first();
    await shadow(page, '.view-gradients').scrollIntoViewIfNeeded();
    await canvas.waitFor();
    await canvas.scrollIntoViewIfNeeded();
    const b = await canvas.boundingBox();
    // the middle of cell (j = 2, k = 1): neuron 1.3's weight from x₂
    await page.mouse.move(b.x + 1.5 * (b.width / 2), b.y + 2.5 * (b.height / 3));
    await expect.poll(() => shadow(page, '.gradients-readout').textContent()).toMatch(/^neuron 1\.3 ← x2: +w = /);
    const w = Number((await shadow(page, '.gradients-readout').textContent()).match(/w = (\S+)/)[1].replace('−', '-'));
    expect(w).toBeCloseTo(await lab(page, (el) => el.model.weights[0][2][1]), 2);   // W¹ row 3, column 2
    expect(problems).toEqual([]);
    await page.close();
  });

  it('under a host page\'s CSS zoom the weight card opens next to the pointer', async () => {
    const { page, problems } = await open('#dataset=xor&seed=6&layers=3');
    await lab(page, (el) => { el.style.zoom = '1.5'; });
    const at = await page.evaluate(() => {
      const p = document.querySelector('backprop-lab').shadowRoot.querySelector('.view-network svg path[data-i="0"]');
      const q = p.getPointAtLength(p.getTotalLength() / 4), m = p.getScreenCTM();
      return { x: q.x * m.a + q.y * m.c + m.e, y: q.x * m.b + q.y * m.d + m.f };
    });
    await page.mouse.move(at.x, at.y);
    const card = shadow(page, '.network-card');
    await card.waitFor({ state: 'visible' });
    const b = await card.boundingBox();
    // 12 px right of and 14 px below the pointer (in the lab's px: 18 and 21 on the page), as without zoom
    expect(Math.abs(b.x - (at.x + 18))).toBeLessThanOrEqual(3);
    expect(Math.abs(b.y - (at.y + 21))).toBeLessThanOrEqual(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('pauses while the tab is hidden and resumes when it is shown again', async () => {
    const { page } = await open('#dataset=circle&seed=4');
    await lab(page, (el) => el.play());
    await page.waitForFunction(() => document.querySelector('backprop-lab').epoch >= 20);
    // Headless Chromium never hides its tab, so tell the page it is hidden the way the browser would.
    const setHidden = (hidden) => page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await setHidden(true);
    expect(await lab(page, (el) => el.playing)).toBe(false);
    await page.waitForTimeout(200);  // a frame in flight may still land
    const e = await lab(page, (el) => el.epoch);
    await page.waitForTimeout(500);
    expect(await lab(page, (el) => el.epoch)).toBe(e);
    await setHidden(false);
    expect(await lab(page, (el) => el.playing)).toBe(true);
    await page.waitForFunction((n) => document.querySelector('backprop-lab').epoch > n, e);
    await lab(page, (el) => el.pause());
    await page.close();
  });

  it('the model downloads as JSON and loads back (same weights → same cost); a bad file is refused', async () => {
    const { page, problems } = await open('#dataset=xor&seed=3&layers=3&activation=sigmoid');
    const trained = await lab(page, (el) => el.step(20));
    await shadow(page, '[data-control=share]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), shadow(page, '[data-action=export]').click()]);
    const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(json).toMatchObject({ format: 'backprop-lab/network', layers: [2, 3, 1], activation: 'sigmoid', features: ['x1', 'x2'] });
    expect(json.weights).toHaveLength(2);
    // other weights: a different architecture from the URL's, then the file brings the trained net back
    await lab(page, (el) => { el.state = { layers: [5], activation: 'tanh' }; });
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.layers[0] === 5);
    const loaded = lab(page, (el) => new Promise((r) => el.addEventListener('epoch', (e) => r(e.detail), { once: true })));
    await shadow(page, 'input[type=file][aria-label="Model file to load"]').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
    const d = await loaded;
    expect(d.trainCost).toBe(trained.trainCost);
    expect(await lab(page, (el) => el.state)).toMatchObject({ layers: [3], activation: 'sigmoid' });
    // (notices render from a chunk loaded with the first one: poll)
    await expect.poll(() => shadow(page, '.notice.info').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Loaded model.json/)]));
    // a broken file: a notice naming the problem, and the loaded network stays
    await shadow(page, 'input[type=file][aria-label="Model file to load"]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"layers": [2, 3') });
    await page.waitForFunction(() => [...document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.notice.error')].some((n) => /model file: not JSON/.test(n.textContent)));
    const wrong = { ...json, layers: [2, 3, 2], weights: [json.weights[0], [json.weights[1][0], json.weights[1][0]]], biases: [json.biases[0], [0, 0]] };
    await shadow(page, 'input[type=file][aria-label="Model file to load"]').setInputFiles({ name: 'wrong.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrong)) });
    await page.waitForFunction(() => [...document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.notice.error')].some((n) => /2 output\(s\), the current data \(xor\) needs 1/.test(n.textContent)));
    expect(await lab(page, (el) => el.state.layers)).toEqual([3]);
    expect((await lab(page, (el) => el.step(1))).epoch).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the built dist/ works from a sub-path (https://example.org/posts/demo/)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bp-subpath-'));
    mkdirSync(join(root, 'posts'));
    symlinkSync(DIST, join(root, 'posts', 'demo'));
    const sub = await startServer(`${root}/`);
    try {
      const page = await browser.newPage();
      const problems = collectProblems(page);
      await page.goto(`${sub.url}/posts/demo/#dataset=xor&seed=2`);
      await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
      const d = await lab(page, (el) => el.step(5));
      expect(d.epoch).toBe(5);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await sub.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('back and forward navigation apply hash changes', async () => {
    const { page } = await open('#dataset=circle&seed=9');
    await shadow(page, '.dataset[data-dataset=xor]').click();
    await page.waitForFunction(() => location.hash.includes('dataset=xor'));
    await page.waitForTimeout(900);  // past the history-coalescing window
    await shadow(page, '.dataset[data-dataset=gauss]').click();
    await page.waitForFunction(() => location.hash.includes('dataset=gauss'));
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.dataset === 'xor');
    await page.goForward();
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.dataset === 'gauss');
    await page.close();
  });
});
