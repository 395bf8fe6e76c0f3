// The embeds: the example post (dist/tutorial.html) with several <backprop-lab> elements loaded by the
// script-tag embed, and embed.html inside an iframe on another origin. Served with the strict CSP.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer } from 'node:http';
import { startSite, collectProblems as watch, CSP, SHOTS } from './harness.js';

let site, server, browser;
beforeAll(async () => {
  site = await startSite('tutorial.html');
  ({ server, browser } = site);
});
afterAll(() => site?.close());

// A viewport tall enough that every lab of the post is on screen (off-screen labs pause by design).
async function openPost(viewport = { width: 1000, height: 9000 }) {
  const page = await browser.newPage({ viewport });
  const problems = watch(page);
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  await page.goto(`${server.url}/tutorial.html`);
  const count = await page.evaluate(() => customElements.whenDefined('backprop-lab')
    .then(() => Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.ready)))
    .then((all) => all.length));
  return { page, problems, count, wasm };
}

const epochs = (page) => page.evaluate(() => [...document.querySelectorAll('backprop-lab')].map((el) => el.epoch));

describe('the example post', () => {
  it('every lab loads with no console errors and no CSP violations, sharing one wasm download', async () => {
    const { page, problems, count, wasm } = await openPost();
    expect(count).toBeGreaterThanOrEqual(3);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(wasm).toHaveLength(1);
    // every lab drew its views; each has its own shadow root and no notices
    const notices = await page.evaluate(() => [...document.querySelectorAll('backprop-lab')].map((el) => el.shadowRoot.querySelectorAll('.notice').length));
    expect(notices).toEqual(Array(count).fill(0));
    await page.close();
  });

  it('saves a screenshot of the post at 680 px content width', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(`${server.url}/tutorial.html`);
    await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.ready))));
    const width = await page.evaluate(() => Math.round(document.querySelector('backprop-lab').getBoundingClientRect().width));
    expect(width).toBeGreaterThanOrEqual(640);
    expect(width).toBeLessThanOrEqual(720);
    await page.screenshot({ path: `${SHOTS}post-680.png`, fullPage: true });
    await page.close();
  });

  it('on a 390 px and a 320 px phone the post does not scroll sideways (its title wraps)', async () => {
    for (const width of [390, 320]) {
      const { page, problems } = await openPost({ width, height: 844 });
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(over, `${width} px`).toBeLessThanOrEqual(0);
      expect(problems, problems.join('\n')).toEqual([]);
      if (width === 320) await page.screenshot({ path: `${SHOTS}post-320.png` });
      await page.close();
    }
  });

  it('the labs train independently: pausing one leaves the others running', async () => {
    const { page, count } = await openPost();
    await page.evaluate(() => document.querySelectorAll('backprop-lab').forEach((el) => el.play()));
    await page.waitForTimeout(800);
    await page.evaluate(() => document.querySelectorAll('backprop-lab')[0].pause());
    await page.waitForTimeout(200);  // a frame in flight may still land
    const a = await epochs(page);
    await page.waitForTimeout(1000);
    const b = await epochs(page);
    expect(b[0]).toBe(a[0]);
    for (let i = 1; i < count; i++) expect(b[i], `lab ${i}`).toBeGreaterThan(a[i]);
    const playing = await page.evaluate(() => [...document.querySelectorAll('backprop-lab')].map((el) => el.playing));
    expect(playing).toEqual([false, ...Array(count - 1).fill(true)]);
    await page.close();
  });

  it('labs out of view pause on their own and resume when scrolled into view', async () => {
    const { page, count } = await openPost({ width: 1000, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => document.querySelectorAll('backprop-lab').forEach((el) => el.play()));
    await page.waitForTimeout(500);
    const inView = () => page.evaluate(() => [...document.querySelectorAll('backprop-lab')].map((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight;
    }));
    const playing = () => page.evaluate(() => [...document.querySelectorAll('backprop-lab')].map((el) => el.playing));
    const last = count - 1;
    expect((await inView())[last]).toBe(false);
    expect((await playing())[last]).toBe(false);
    const before = await epochs(page);
    await page.waitForTimeout(600);
    expect((await epochs(page))[last]).toBe(before[last]);  // costs nothing: no training while out of view
    await page.evaluate((i) => document.querySelectorAll('backprop-lab')[i].scrollIntoView(), last);
    await page.waitForFunction((i) => document.querySelectorAll('backprop-lab')[i].playing, last);
    await page.waitForFunction(([i, e]) => document.querySelectorAll('backprop-lab')[i].epoch > e, [last, before[last]]);
    expect((await playing())[0]).toBe(false);  // the first one scrolled out and paused
    await page.close();
  });

  it('an attribute change applies live, and a bad attribute shows a notice in that lab only', async () => {
    const { page, problems, count } = await openPost();
    const lab = 1;
    await page.evaluate((i) => document.querySelectorAll('backprop-lab')[i].setAttribute('dataset', 'spiral'), lab);
    await page.waitForFunction((i) => document.querySelectorAll('backprop-lab')[i].state.dataset === 'spiral', lab);
    // the new data reached the engine: a step on it reports an epoch and a finite cost
    const d = await page.evaluate((i) => document.querySelectorAll('backprop-lab')[i].step(2), lab);
    expect(d.epoch).toBe(2);
    await page.evaluate((i) => document.querySelectorAll('backprop-lab')[i].setAttribute('learning-rate', 'fast'), lab);
    await page.waitForTimeout(200);
    const notices = await page.evaluate(() => [...document.querySelectorAll('backprop-lab')].map((el) => [...el.shadowRoot.querySelectorAll('.notice')].map((n) => n.textContent)));
    expect(notices[lab].join(' ')).toMatch(/learningRate.*fast/);
    notices.forEach((n, i) => { if (i !== lab) expect(n, `lab ${i}`).toEqual([]); });
    // the lab kept its learning rate and still trains; the host page is untouched
    const state = await page.evaluate((i) => document.querySelectorAll('backprop-lab')[i].state, lab);
    expect(Number.isFinite(state.learningRate)).toBe(true);
    const e = await page.evaluate((i) => document.querySelectorAll('backprop-lab')[i].step(1), lab);
    expect(Number.isFinite(e.trainCost)).toBe(true);
    expect(count).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the iframe embed works from a second origin on another localhost port', async () => {
    // The host page is on http://localhost:<other port>; the lab is on http://127.0.0.1:<dist port>.
    const hash = '#dataset=xor&layers=4&seed=3&learningRate=0.1';
    const src = `${server.url}/embed.html?controls=play,step&views=boundary,cost${hash}`;
    const host = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': CSP.replace("default-src 'self'", `default-src 'self'; frame-src ${server.url}`) });
      res.end(`<!doctype html><title>a blog</title><h1>My post</h1><iframe src="${src}" width="680" height="760" title="lab"></iframe>`);
    });
    await new Promise((r) => host.listen(0, 'localhost', r));
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const problems = watch(page);
    await page.goto(`http://localhost:${host.address().port}/`);
    const frame = page.frameLocator('iframe');
    await expect.poll(() => page.frames().length).toBe(2);
    const f = page.frames()[1];
    expect(new URL(f.url()).origin).not.toBe(new URL(page.url()).origin);
    await f.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
    const d = await f.evaluate(() => document.querySelector('backprop-lab').step(20));
    expect(d.epoch).toBe(20);
    expect(await f.evaluate(() => document.querySelector('backprop-lab').state.dataset)).toBe('xor');
    expect(await frame.locator('backprop-lab').locator('.notice').count()).toBe(0);
    // the query's controls/views apply: only play and step, only the boundary and the cost chart
    const shown = await f.evaluate(() => {
      const root = document.querySelector('backprop-lab').shadowRoot;
      const visible = (sel) => [...root.querySelectorAll(sel)].filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0).map((el) => el.dataset.control ?? el.dataset.view);
      return { controls: visible('[data-control]'), views: visible('[data-view]') };
    });
    expect(shown.controls.sort()).toEqual(['play', 'step']);
    expect(shown.views.sort()).toEqual(['boundary', 'cost']);
    await page.screenshot({ path: `${SHOTS}iframe-cross-origin.png` });
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
    await new Promise((r) => host.close(r));
  });
});
