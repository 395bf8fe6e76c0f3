// <backprop-lab> as pages and people use it (issues 10 and 13): calls made at any time (before the element is
// defined, before it is connected, before the engine is ready) take effect in order; autoplay; moves and
// removals; the script from another origin; a CSP that forbids the worker; divergence; model files; notices.
// The built dist/ in headless Chromium under the strict CSP; test pages are served from memory.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer } from 'node:http';
import { startSite, startServer, collectProblems, CSP, DIST, SHOTS } from './harness.js';
import { validate } from '../../web/src/state.js';

const page = (body, head = '<script type="module" src="/backprop-lab.js"></script>') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>test</title>${head}</head><body>${body}</body></html>`;
const PAGES = {
  '/t/plain.html': page('<backprop-lab seed="3" dataset="xor" layers="4"></backprop-lab>'),
  '/t/late.html': page('<backprop-lab dataset="xor" seed="4"></backprop-lab>', ''),  // no script: defined later
  '/t/autoplay.html': page('<backprop-lab autoplay seed="1" dataset="xor" views="boundary,cost" controls="play"></backprop-lab>'),
  '/t/empty.html': page('<main></main>'),
  // two labs that both ask for the address bar
  '/t/two-sync.html': page('<backprop-lab id="a" sync-url seed="3" dataset="xor" layers="4"></backprop-lab><backprop-lab id="b" sync-url seed="5" dataset="circle" layers="2"></backprop-lab>'),
  // a right-to-left blog with centred text: inherited properties do cross into the shadow root
  '/t/rtl.html': page('<article><backprop-lab seed="3" dataset="xor" layers="4"></backprop-lab></article>',
    '<style>article { text-align: center; }</style><script type="module" src="/backprop-lab.js"></script>').replace('<html lang="en">', '<html lang="ar" dir="rtl">'),
};

let site, server, browser;
beforeAll(async () => {
  site = await startSite('index.html', { pages: PAGES });
  ({ server, browser } = site);
});
afterAll(() => site?.close());

async function open(path, { viewport = { width: 1280, height: 900 }, reducedMotion } = {}) {
  const p = await browser.newPage({ viewport, reducedMotion });
  const problems = collectProblems(p);
  await p.goto(`${server.url}${path}`);
  return { p, problems };
}
const whenReady = (p) => p.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
const epochOf = (p) => p.evaluate(() => document.querySelector('backprop-lab').epoch);
const noticeTexts = (p) => p.evaluate(() => [...document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.notice')].map((n) => n.textContent));
// Notices render from a chunk loaded with the first one: wait until the text is there.
const noticesMatch = (p, re) => expect.poll(() => noticeTexts(p).then((t) => t.join(' '))).toMatch(re);

describe('calls never get lost', () => {
  it('autoplay starts a lab that is in view at load', async () => {
    const { p, problems } = await open('/t/autoplay.html');
    await p.waitForFunction(() => document.querySelector('backprop-lab')?.epoch > 0);
    expect(await p.evaluate(() => document.querySelector('backprop-lab').playing)).toBe(true);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('autoplay waits for a click under prefers-reduced-motion, and says so', async () => {
    const { p } = await open('/t/autoplay.html', { reducedMotion: 'reduce' });
    await whenReady(p);
    await p.waitForFunction(() => [...document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.notice')].some((n) => /reduced motion/.test(n.textContent)));
    expect(await p.evaluate(() => document.querySelector('backprop-lab').playing)).toBe(false);
    expect(await epochOf(p)).toBe(0);
    await p.locator('backprop-lab').locator('.notice-action', { hasText: 'Play' }).click();
    await p.waitForFunction(() => document.querySelector('backprop-lab').epoch > 0);
    expect((await noticeTexts(p)).join(' ')).not.toMatch(/reduced motion/);
    await p.close();
  });

  it('embed.html?…&autoplay trains without a click', async () => {
    const { p, problems } = await open('/embed.html?views=boundary&autoplay#dataset=xor&seed=2');
    await p.waitForFunction(() => document.querySelector('backprop-lab')?.epoch > 0);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('play() right after customElements.whenDefined starts training', async () => {
    const { p } = await open('/t/plain.html');
    await p.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').play()));
    await p.waitForFunction(() => document.querySelector('backprop-lab').epoch >= 20);
    expect(await p.evaluate(() => document.querySelector('backprop-lab').playing)).toBe(true);
    await p.close();
  });

  it('state and model set before the element is defined are picked up (the upgrade pattern)', async () => {
    const { p, problems } = await open('/t/late.html');
    const model = { format: 'backprop-lab/network', version: 1, layers: [2, 3, 1], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', init: 'xavier', seed: 9, precision: 'float32', features: ['x1', 'x2'],
      weights: [[[0.5, -0.25], [1, 0.75], [-1.5, 0.125]], [[0.5, -1, 0.25]]], biases: [[0.1, -0.2, 0.3], [0.05]] };
    await p.evaluate((m) => {
      const el = document.querySelector('backprop-lab');
      el.state = { dataset: 'spiral', learningRate: 0.1, layers: [3] };
      el.model = m;
    }, model);
    await p.addScriptTag({ url: '/backprop-lab.js', type: 'module' });
    const r = await p.evaluate(async () => {
      const el = document.querySelector('backprop-lab');
      await customElements.whenDefined('backprop-lab');
      await el.ready;
      const d = await el.step(1);  // after the model load, in call order
      return { own: Object.hasOwn(el, 'state') || Object.hasOwn(el, 'model'), state: el.state, d, model: await el.modelJSON() };
    });
    expect(r.own).toBe(false);
    expect(r.state).toMatchObject({ dataset: 'spiral', learningRate: 0.1, layers: [3], seed: 9, activation: 'tanh' });
    expect(r.d.epoch).toBe(1);
    expect(r.model.layers).toEqual([2, 3, 1]);
    expect(r.model.weights[0][0][0]).not.toBe(0.5);  // trained one epoch from the given weights
    expect(Math.abs(r.model.weights[0][0][0] - 0.5)).toBeLessThan(0.5);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('before connection: state, reset(), snippets() work, and steps take effect in order once it runs', async () => {
    const { p, problems } = await open('/t/empty.html', { });
    await p.addScriptTag({ url: '/backprop-lab.js', type: 'module' });
    await p.evaluate(() => customElements.whenDefined('backprop-lab'));
    const r = await p.evaluate(async () => {
      const el = document.createElement('backprop-lab');
      el.setAttribute('dataset', 'circle');
      el.state = { seed: 11, layers: [3, 2], learningRate: 0.3 };
      const before = el.state;
      el.reset();
      const sn = el.snippets();
      const a = el.step(3);
      el.reset();
      const b = el.step(2);
      el.state = { noise: 10 };  // after the steps: new data for the same network
      const c = el.step(1);
      document.querySelector('main').append(el);
      const [da, db, dc] = await Promise.all([a, b, c]);
      return { before, sn, da: da.epoch, db: db.epoch, dc: dc.epoch, state: el.state, epoch: el.epoch };
    });
    expect(r.before).toMatchObject({ dataset: 'circle', seed: 11, layers: [3, 2], learningRate: 0.3 });
    expect(r.sn.element).toMatch(/layers="3,2"/);
    expect(r.sn.link).toMatch(/seed=11/);
    expect([r.da, r.db, r.dc]).toEqual([3, 2, 3]);  // the reset between them restarted the count
    expect(r.state.noise).toBe(10);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('step() before the engine is ready resolves once its epochs are drawn', async () => {
    const { p } = await open('/t/plain.html');
    const d = await p.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').step(7)));
    expect(d.epoch).toBe(7);
    expect(Number.isFinite(d.trainCost)).toBe(true);
    expect(Number(await p.locator('backprop-lab').locator('[data-testid=epoch]').textContent())).toBe(7);
    await p.close();
  });
});

describe('lifecycle', () => {
  it('a lab moved while playing keeps playing, with the settings made through el.state and the UI', async () => {
    const { p, problems } = await open('/t/plain.html');
    await whenReady(p);
    await p.evaluate(() => { document.querySelector('backprop-lab').state = { learningRate: 0.1, noise: 5 }; });
    await p.locator('backprop-lab').locator('select#c-activation').selectOption('relu');
    await p.evaluate(() => document.querySelector('backprop-lab').play());
    await p.waitForFunction(() => document.querySelector('backprop-lab').epoch >= 30);
    for (let i = 0; i < 5; i++) {
      const e0 = await epochOf(p);
      await p.evaluate(() => { const el = document.querySelector('backprop-lab'); const box = document.createElement('div'); document.body.append(box); box.append(el); });
      await p.waitForFunction((e) => document.querySelector('backprop-lab').epoch > e, e0);
    }
    const s = await p.evaluate(() => ({ state: document.querySelector('backprop-lab').state, playing: document.querySelector('backprop-lab').playing }));
    expect(s.playing).toBe(true);
    expect(s.state).toMatchObject({ learningRate: 0.1, noise: 5, activation: 'relu', dataset: 'xor', seed: 3 });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('a move while a step is pending, and framework-style re-renders (remove + insert in one task)', async () => {
    const { p, problems } = await open('/t/plain.html');
    await whenReady(p);
    const d = await p.evaluate(() => {
      const el = document.querySelector('backprop-lab');
      const step = el.step(300);
      el.remove(); document.body.prepend(el);
      return step;
    });
    expect(d.epoch).toBe(300);
    await p.evaluate(() => document.querySelector('backprop-lab').play());
    const e0 = await epochOf(p);
    await p.evaluate(async () => {
      const el = document.querySelector('backprop-lab');
      for (let i = 0; i < 20; i++) {
        const parent = el.parentNode, next = el.nextSibling;
        el.remove();
        parent.insertBefore(el, next);
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    await p.waitForFunction((e) => document.querySelector('backprop-lab').epoch > e + 20, e0);
    const cost = await p.locator('backprop-lab').locator('.view-cost canvas').count();
    expect(cost).toBeGreaterThan(0);
    expect(await p.evaluate(() => document.querySelector('backprop-lab').playing)).toBe(true);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('a lab removed for good settles its pending step; put back, it restores state, weights and epoch', async () => {
    const { p, problems } = await open('/t/plain.html');
    await whenReady(p);
    const r = await p.evaluate(async () => {
      const el = document.querySelector('backprop-lab');
      el.constructor.releaseDelay = 50;
      el.state = { learningRate: 0.3 };
      const d = await el.step(40);
      const before = el.model;
      const pending = el.step(1000000).then(() => 'resolved', (e) => e.message);
      el.remove();
      const outcome = await pending;
      await new Promise((res) => setTimeout(res, 200));
      const after = await el.step(1).then(() => 'resolved', (e) => e.message);
      const json = await el.modelJSON();
      el.state = { noise: 15 };   // stored while removed, applied when it is back
      el.constructor.releaseDelay = 10000;
      const costPoints = () => el.shadowRoot.querySelector('.view-cost').textContent;
      document.body.append(el);
      const back = await el.modelJSON();   // after the restore and the noise change, before any training
      const epochBack = el.epoch;
      const next = await el.step(2);
      return { epoch: d.epoch, outcome, after, sameJson: JSON.stringify(json.weights) === JSON.stringify(before.weights),
        same: JSON.stringify(back.weights) === JSON.stringify(before.weights), epochBack, next: next.epoch, state: el.state, cost: costPoints() };
    });
    expect(r.outcome).toMatch(/removed from the document/);
    expect(r.after).toMatch(/removed from the document/);
    expect(r.sameJson).toBe(true);   // modelJSON() of a removed lab: its snapshot
    expect(r.same).toBe(true);       // put back: exactly those weights
    expect(r.epoch).toBe(40);
    expect(r.epochBack).toBe(40);
    expect(r.next).toBe(42);
    expect(r.state).toMatchObject({ learningRate: 0.3, noise: 15, dataset: 'xor', seed: 3 });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('explain() pending when a lab is removed for good rejects saying so; explain() and gradientCheck() on a removed lab reject at once', async () => {
    const { p, problems } = await open('/t/plain.html');
    await whenReady(p);
    // hold the worker's lessons chunk, so that the explain request is still in the worker when it stops
    let letGo;
    const held = new Promise((r) => { letGo = r; });
    await p.route(/worker-lessons/, async (route) => { await held; await route.continue().catch(() => {}); });
    const r = await p.evaluate(async () => {
      const el = document.querySelector('backprop-lab');
      el.constructor.releaseDelay = 50;
      const pending = el.explain(3).then(() => 'resolved', (e) => e.message);
      await new Promise((res) => setTimeout(res, 100));   // the request is in the worker
      el.remove();
      const outcome = await pending;
      const explainAfter = await el.explain(0).then(() => 'resolved', (e) => e.message);
      const checkAfter = await el.gradientCheck().then(() => 'resolved', (e) => e.message);
      el.constructor.releaseDelay = 10000;
      return { outcome, explainAfter, checkAfter };
    });
    letGo();
    expect(r.outcome).toMatch(/removed from the document/);
    expect(r.explainAfter).toMatch(/^explain: .*removed from the document/);
    expect(r.checkAfter).toMatch(/^gradientCheck: .*removed from the document/);
    expect(problems).toEqual([]);
    await p.close();
  });
});

describe('any host', () => {
  // Origin B serves dist/ with CORS (a CDN); the blog on origin A loads backprop-lab.js from it.
  async function twoOrigins(hostCsp) {
    const cdn = await startServer(DIST, { headers: { 'Access-Control-Allow-Origin': '*', 'Content-Security-Policy': CSP } });
    const html = page('<h1>A blog</h1><backprop-lab dataset="xor" seed="5" layers="3"></backprop-lab>', `<script type="module" src="${cdn.url}/backprop-lab.js"></script>`);
    const blog = createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': hostCsp(cdn.url) }).end(html));
    await new Promise((r) => blog.listen(0, 'localhost', r));
    return { cdn, url: `http://localhost:${blog.address().port}/`, close: async () => { await cdn.close(); await new Promise((r) => blog.close(r)); } };
  }

  it('the script from another origin (with CORS) trains: the worker starts from a blob: module', async () => {
    const o = await twoOrigins((b) => `default-src 'self'; script-src 'self' ${b} 'wasm-unsafe-eval'; worker-src blob: ${b}; connect-src ${b}; style-src 'self' 'unsafe-inline'`);
    const p = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems = collectProblems(p);
    const wasm = [];
    p.on('request', (q) => { if (q.url().endsWith('.wasm')) wasm.push(new URL(q.url()).origin); });
    await p.goto(o.url);
    await whenReady(p);
    const d = await p.evaluate(() => document.querySelector('backprop-lab').step(10));
    expect(d.epoch).toBe(10);
    expect(wasm).toEqual([o.cdn.url]);  // from the script's own origin
    expect(await noticeTexts(p)).toEqual([]);
    const sn = await p.evaluate(() => document.querySelector('backprop-lab').snippets().element);
    expect(sn).toContain(`${o.cdn.url}/backprop-lab.js`);
    expect(problems, problems.join('\n')).toEqual([]);
    await p.close();
    await o.close();
  });

  it('a right-to-left host page (dir="rtl", centred text) does not mirror the lab: the legend reads 0 … 1 under its orange-to-blue bar', async () => {
    const { p, problems } = await open('/t/rtl.html', { viewport: { width: 1000, height: 900 } });
    await whenReady(p);
    const r = await p.evaluate(() => {
      const root = document.querySelector('backprop-lab').shadowRoot;
      const cs = getComputedStyle(root.querySelector('.lab'));
      // the bar is drawn left to right (orange, then blue): its labels must be in that order too
      const labels = [...root.querySelectorAll('.boundary-bar-labels span')].map((s) => [s.textContent, s.getBoundingClientRect().left]).sort((a, b) => a[1] - b[1]);
      return { direction: cs.direction, textAlign: cs.textAlign, labels: labels.map((l) => l[0]) };
    });
    expect(r.direction).toBe('ltr');
    expect(r.textAlign).toMatch(/^(start|left)$/);
    expect(r.labels).toEqual(['0', '0.5', '1']);
    await p.screenshot({ path: `${SHOTS}rtl-host.png` });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('two labs with sync-url: the first owns the URL hash; the second runs from its attributes, leaves the URL alone, and says so (notice and console warning)', async () => {
    const p = await browser.newPage();
    const problems = collectProblems(p), warnings = [];
    p.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await p.goto(`${server.url}/t/two-sync.html#dataset=spiral&seed=7&layers=3`);
    await p.evaluate(() => customElements.whenDefined('backprop-lab').then(() => Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.ready))));
    const look = () => p.evaluate(() => {
      const [a, b] = document.querySelectorAll('backprop-lab');
      const notices = (el) => [...el.shadowRoot.querySelectorAll('.notice')].map((n) => n.textContent).join(' ');
      return { a: a.state, b: b.state, hash: location.hash, aNotices: notices(a), bNotices: notices(b) };
    });
    await expect.poll(async () => (await look()).bNotices).toMatch(/sync-url: another lab on this page already has the address \(the first with sync-url\); this one runs from its own attributes and leaves the URL alone\. Keep sync-url on one lab\./);
    let r = await look();
    expect(r.a).toMatchObject({ dataset: 'spiral', seed: 7, layers: [3] });   // the first: from the link
    expect(r.b).toMatchObject({ dataset: 'circle', seed: 5, layers: [2] });   // the second: its attributes, not the link
    expect(r.hash).toMatch(/dataset=spiral/);
    expect(r.aNotices).not.toMatch(/sync-url/);
    expect(warnings.join('\n')).toMatch(/<backprop-lab>: sync-url: another lab/);
    // the second's changes stay out of the address; the first's go in
    await p.evaluate(() => { document.querySelector('#b').state = { dataset: 'moons' }; });
    await p.evaluate(() => new Promise((res) => setTimeout(res, 100)));
    expect((await look()).hash).toMatch(/dataset=spiral/);
    await p.evaluate(() => { document.querySelector('#a').state = { dataset: 'xor' }; });
    await expect.poll(async () => (await look()).hash).toMatch(/dataset=xor/);
    // a new link (hashchange) goes to the first only
    await p.evaluate(() => { location.hash = '#dataset=blobs&seed=9&layers=5'; });
    await expect.poll(async () => (await look()).a.dataset).toBe('blobs');
    r = await look();
    expect(r.b).toMatchObject({ dataset: 'moons', seed: 5, layers: [2] });
    // the owner removed for good frees the address for a lab added later; put back, the first has lost it
    const later = await p.evaluate(async () => {
      const a = document.querySelector('#a');
      a.constructor.releaseDelay = 50;
      a.remove();
      await new Promise((res) => setTimeout(res, 200));
      a.constructor.releaseDelay = 10000;
      const c = Object.assign(document.createElement('backprop-lab'), { id: 'c' });
      c.setAttribute('sync-url', '');
      document.body.append(c);
      await c.ready;
      c.state = { noise: 20 };
      document.body.prepend(a);
      await new Promise((res) => setTimeout(res, 100));
      const notices = (el) => [...el.shadowRoot.querySelectorAll('.notice')].map((n) => n.textContent).join(' ');
      return { c: c.state, cNotices: notices(c), aNotices: notices(a), hash: location.hash };
    });
    expect(later.c).toMatchObject({ dataset: 'blobs', seed: 9, layers: [5], noise: 20 });
    expect(later.hash).toMatch(/noise=20/);
    expect(later.cNotices).not.toMatch(/sync-url/);
    await expect.poll(async () => (await look()).aNotices).toMatch(/sync-url: another lab/);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('a CSP that forbids the worker gives a notice that says why and what to do, never a blank box', async () => {
    const o = await twoOrigins((b) => `default-src 'self'; script-src 'self' ${b} 'wasm-unsafe-eval'; worker-src 'none'; connect-src ${b}; style-src 'self' 'unsafe-inline'`);
    const p = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await p.goto(o.url);
    await p.evaluate(() => customElements.whenDefined('backprop-lab'));
    await p.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.notice.error'));
    const text = (await noticeTexts(p)).join(' ');
    expect(text).toMatch(/cannot train/);
    expect(text).toMatch(new RegExp(`worker-src blob: ${o.cdn.url}`));
    const err = await p.evaluate(() => document.querySelector('backprop-lab').step(1).then(() => 'resolved', (e) => e.message));
    expect(err).toMatch(/cannot train/);
    const box = await p.evaluate(() => document.querySelector('backprop-lab').getBoundingClientRect().height);
    expect(box).toBeGreaterThan(200);
    // play() on it says it again (the notice may have been dismissed)
    await p.locator('backprop-lab').locator('.notice .dismiss').click();
    await p.evaluate(() => document.querySelector('backprop-lab').play());
    await noticesMatch(p, /cannot train/);
    expect(await p.evaluate(() => document.querySelector('backprop-lab').playing)).toBe(false);
    await p.screenshot({ path: `${SHOTS}csp-no-worker.png` });
    await p.close();
    await o.close();
  });
});

describe('divergence (page side)', () => {
  it('pauses, says where the weights are, and its buttons work: a lower rate from there trains', async () => {
    const { p, problems } = await open('/index.html#dataset=plane&seed=1&noise=10&activation=relu&learningRate=10');
    await whenReady(p);
    await p.evaluate(() => {
      const el = document.querySelector('backprop-lab');
      el.addEventListener('epoch', (e) => { if (e.detail.diverged) window.divergedCost ??= e.detail.trainCost; });
      el.play();
    });
    await p.waitForFunction(() => { const el = document.querySelector('backprop-lab'); return !el.playing && el.shadowRoot.querySelector('.notice.error'); });
    const first = p.locator('backprop-lab').locator('.notices-list .notice').first();
    expect(await first.textContent()).toMatch(/diverged at learning rate 10.*(went back to epoch \d+|from just before the step)/);
    await p.screenshot({ path: `${SHOTS}diverged-notice.png` });
    const lower = first.locator('.notice-action', { hasText: 'Lower the learning rate' });
    expect(await lower.textContent()).toMatch(/to 1$/);
    await lower.click();
    expect(await p.evaluate(() => document.querySelector('backprop-lab').state.learningRate)).toBe(1);
    const costs = await p.evaluate(() => new Promise((resolve) => {
      const el = document.querySelector('backprop-lab'), seen = [];
      const on = (e) => { seen.push(e.detail); if (seen.length >= 12) { el.removeEventListener('epoch', on); el.pause(); resolve(seen); } };
      el.addEventListener('epoch', on);
    }));
    // trains on: every frame finite and healthy, and the cost well below that of the weights the divergence
    // left (∞ or huge with an engine that keeps the weights from before the bad step; the checkpoint's with one
    // that rolls back); SGD at η = 1 is noisy, so the last few frames are averaged
    expect(costs.every((c) => !c.diverged && Number.isFinite(c.trainCost))).toBe(true);
    const late = costs.slice(-4).reduce((a, c) => a + c.trainCost, 0) / 4;
    const left = await p.evaluate(() => window.divergedCost);
    expect(late).toBeLessThan(0.5);
    if (Number.isFinite(left)) expect(late).toBeLessThan(left);
    // Reset from the notice: a fresh network at epoch 0
    await p.evaluate(() => { document.querySelector('backprop-lab').state = { learningRate: 10 }; return document.querySelector('backprop-lab').step(5); });
    await p.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.notice.error'));
    await p.locator('backprop-lab').locator('.notice-action', { hasText: 'Reset' }).click();
    await p.waitForFunction(() => document.querySelector('backprop-lab').epoch === 0 && !document.querySelector('backprop-lab').shadowRoot.querySelector('.notice.error'));
    expect(problems).toEqual([]);
    await p.close();
  });
});

describe('models in the page', () => {
  const tiny = { format: 'backprop-lab/network', version: 1, layers: [3, 5, 3, 1], activation: 'relu', outputActivation: 'sigmoid', cost: 'cross_entropy', init: 'he', seed: 21, precision: 'float32', features: ['x1', 'x2', 'x1sq'] };
  const fill = (sizes, v = 0.1) => ({
    weights: sizes.slice(1).map((n, l) => Array.from({ length: n }, (_, j) => Array.from({ length: sizes[l] }, (_, k) => v * (((j + 2 * k) % 5) - 2)))),
    biases: sizes.slice(1).map((n) => Array(n).fill(0)),
  });

  it('a model within the lab\'s limits is shown faithfully: state, diagram, link and buttons from the model', async () => {
    const { p, problems } = await open('/index.html#dataset=circle&seed=2');
    await whenReady(p);
    const r = await p.evaluate(async (m) => { const el = document.querySelector('backprop-lab'); await el.loadModel(m); return { state: el.state, model: el.model, json: await el.modelJSON() }; }, { ...tiny, ...fill(tiny.layers) });
    expect(r.state).toMatchObject({ layers: [5, 3], activation: 'relu', output: 'sigmoid', cost: 'cross_entropy', init: 'he', seed: 21, features: ['x1', 'x2', 'x1sq'] });
    expect(r.model.weights).toEqual(r.json.weights);
    expect(r.json.weights).toEqual(fill(tiny.layers).weights.map((w) => w.map((row) => row.map((v) => Math.fround(v)))));
    await p.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.view-network .network-node').length === 5 + 3 + 1);
    expect(p.url()).toMatch(/layers=5,3&/);
    expect(p.url()).toMatch(/features=x1,x2,x1sq/);
    expect(await p.locator('backprop-lab').locator('.network-layercount').textContent()).toMatch(/2/);
    await noticesMatch(p, /Loaded the model/);
    // el.model set with the model read back: the same network again
    await p.evaluate(() => { const el = document.querySelector('backprop-lab'); el.state = { layers: [2] }; });
    await p.waitForFunction(() => document.querySelector('backprop-lab').state.layers.length === 1);
    await p.evaluate((m) => { document.querySelector('backprop-lab').model = m; }, r.json);
    await p.waitForFunction(() => document.querySelector('backprop-lab').state.layers.join() === '5,3');
    expect(problems).toEqual([]);
    await p.close();
  });

  it('refuses what it cannot show faithfully, with a notice naming the limits; the network stays', async () => {
    const { p, problems } = await open('/index.html#dataset=circle&seed=2&layers=4,2');
    await whenReady(p);
    const before = await p.evaluate(() => JSON.stringify(document.querySelector('backprop-lab').model.weights));
    const cases = [
      [{ ...tiny, layers: [3, 20, 1], ...fill([3, 20, 1]) }, /hidden layer 1 has 20 neurons; the lab shows networks of up to 8 hidden layers of 1–16 neurons/],
      [{ ...tiny, layers: [3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1], ...fill([3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1]) }, /9 hidden layers/],
      [{ ...tiny, features: undefined, layers: [2, 3, 1], ...fill([2, 3, 1]) }, /no "features"/],
      [{ ...tiny, layers: [3, 3, 2], ...fill([3, 3, 2]) }, /2 output\(s\), the current data \(circle\) needs 1/],
      [{ ...tiny, layers: [3, 3, 1], outputActivation: 'softmax', ...fill([3, 3, 1]) }, /softmax over 1 output, which is 1 whatever the weights/],
    ];
    for (const [m, re] of cases) {
      const msg = await p.evaluate((x) => document.querySelector('backprop-lab').loadModel(x).then(() => 'loaded', (e) => e.message), m);
      expect(msg).toMatch(re);
      await noticesMatch(p, re);
    }
    const texts = (await noticeTexts(p)).join(' ');
    expect(texts).not.toMatch(/using sigmoid/);  // no false notice about sigmoid for the softmax model
    expect(await p.evaluate(() => document.querySelector('backprop-lab').state.layers)).toEqual([4, 2]);
    expect(await p.evaluate(() => JSON.stringify(document.querySelector('backprop-lab').model.weights))).toBe(before);
    expect(problems).toEqual([]);
    await p.close();
  });

  it('a value that throws when looked at (a revoked Proxy, a throwing getter) is an Error naming the model, never a raw TypeError; a live Proxy (Vue\'s reactive()) loads', async () => {
    const { p, problems } = await open('/index.html#dataset=circle&seed=2&layers=4,2');
    await whenReady(p);
    const r = await p.evaluate(async (m) => {
      const el = document.querySelector('backprop-lab');
      const before = JSON.stringify(el.model.weights);
      const outcome = (x) => el.loadModel(x).then(() => 'loaded', (e) => `${e.constructor.name}: ${e.message}`);
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      const layers = Proxy.revocable([3, 5, 3, 1], {});
      layers.revoke();
      const revoked = await outcome(proxy);
      const getter = await outcome({ ...m, get weights() { throw new Error('no weights here'); } });
      const inner = await outcome({ ...m, layers: layers.proxy });
      const kept = JSON.stringify(el.model.weights) === before && el.state.layers.join() === '4,2';
      return { revoked, getter, inner, kept };
    }, { ...tiny, ...fill(tiny.layers) });
    await noticesMatch(p, /model file: cannot be read/);
    // a Proxy that reads through (what Vue's reactive() gives) is a model like any other
    const live = await p.evaluate(async (m) => {
      const el = document.querySelector('backprop-lab');
      const deep = (o) => new Proxy(o, { get: (t, k) => { const v = Reflect.get(t, k); return v !== null && typeof v === 'object' ? deep(v) : v; } });
      return el.loadModel(deep(m)).then(() => el.state.layers, (e) => `${e.constructor.name}: ${e.message}`);
    }, { ...tiny, ...fill(tiny.layers) });
    expect(r.revoked).toMatch(/^Error: model file: cannot be read \(.*revoked.*\); loadModel\(\) takes a toJSON\(\) object, its JSON text, or a File\/Blob of it$/);
    expect(r.getter).toBe('Error: model file: cannot be read (no weights here); loadModel() takes a toJSON() object, its JSON text, or a File/Blob of it');
    expect(r.inner).toMatch(/^Error: model file: cannot be read \(.*revoked.*\)/);
    expect(r.kept).toBe(true);                         // the network and settings stayed
    expect(live).toEqual([5, 3]);                      // was a DataCloneError: a Proxy cannot be posted to the worker
    expect(problems).toEqual([]);
    await p.close();
  });

  it('a 21 MB 2-1000-1000-1 model file is refused by its size before it is read; the page keeps drawing', async () => {
    const { p, problems } = await open('/index.html#dataset=circle&seed=2');
    await whenReady(p);
    await p.evaluate(() => {
      window.reads = 0;
      const text = Blob.prototype.text;
      Blob.prototype.text = function () { window.reads++; return text.call(this); };
      // long tasks from the moment the lab gets the file (playwright's own transfer of 21 MB into the page
      // before that is not the lab's)
      window.longest = 0; window.t0 = Infinity;
      document.querySelector('backprop-lab').shadowRoot.addEventListener('change', () => { window.t0 = performance.now(); }, true);
      new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.startTime >= window.t0) window.longest = Math.max(window.longest, e.duration); }).observe({ type: 'longtask', buffered: false });
      document.querySelector('backprop-lab').play();
    });
    const big = '{"layers":[2,1000,1000,1],"weights":[' + '0.1234567890123,'.repeat(1_320_000) + '0]}';
    expect(big.length).toBeGreaterThan(21e6);
    await p.locator('backprop-lab').locator('[data-control=share]').click();
    await p.locator('backprop-lab').locator('input[type=file][aria-label="Model file to load"]').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(big) });
    await p.waitForFunction(() => [...document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.notice.error')].some((n) => /big\.json is 2\d MB, more than the 1\.0 MB a lab reads/.test(n.textContent)));
    expect(await p.evaluate(() => window.reads)).toBe(0);
    expect(await p.evaluate(() => document.querySelector('backprop-lab').state.layers)).toEqual([4, 2]);
    const e0 = await epochOf(p);
    await p.evaluate(() => document.querySelector('backprop-lab').play());
    await p.waitForFunction((e) => document.querySelector('backprop-lab').epoch > e + 10, e0);
    console.log(`longest main-thread task after the lab got the 21 MB file: ${Math.round(await p.evaluate(() => window.longest))} ms (0 = none over 50 ms)`);
    expect(problems).toEqual([]);
    await p.close();
  });
});

describe('notices and small things', () => {
  it('a link with 2,000 unknown keys keeps the lab short: one line, one merged notice, details on demand', async () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}=1`).join('&');
    const { p, problems } = await open(`/index.html#seed=1&learningRate=fast&${keys}`);
    await whenReady(p);
    await p.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.notices-more:not([hidden])'));
    const box = await p.evaluate(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.notices').getBoundingClientRect().height);
    expect(box).toBeLessThan(60);  // one line: a notice, and the count of the others beside it
    expect(await noticeTexts(p)).toHaveLength(1);
    expect(await p.locator('backprop-lab').locator('.notices-more').textContent()).toMatch(/1 more notice$/);
    // the rest on demand: the bad value, and all unknown keys in one notice that names a few and counts the others
    await p.locator('backprop-lab').locator('.notices-more').click();
    const all = (await noticeTexts(p)).join(' ');
    expect(all).toMatch(/learningRate: 'fast'/);
    expect(all).toMatch(/unknown settings ignored: 'k0', 'k1', 'k2' and 1,997 more/);
    await p.screenshot({ path: `${SHOTS}notices-2000-keys.png` });
    // the bad learning rate's notice goes when its cause is gone
    await p.evaluate(() => { document.querySelector('backprop-lab').state = { learningRate: 0.1 }; });
    await p.waitForFunction(() => ![...document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.notice')].some((n) => /learningRate/.test(n.textContent)));
    expect(problems).toEqual([]);
    await p.close();
  });

  it('long notices are cut with the full text on demand; many notices collapse into one line with "N more"; divergence goes first', async () => {
    const { p } = await open('/t/plain.html');
    await whenReady(p);
    await p.evaluate(() => {
      const el = document.querySelector('backprop-lab');
      el.setAttribute('controls', 'x'.repeat(100000));
      for (const k of ['noise', 'points', 'batchSize', 'trainRatio']) el.setAttribute(k === 'batchSize' ? 'batch-size' : k === 'trainRatio' ? 'train-ratio' : k, 'bad');
    });
    await p.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.notices-more:not([hidden])'));
    const texts = await noticeTexts(p);
    expect(texts.length).toBe(1);
    for (const t of texts) expect(t.length).toBeLessThan(300);
    expect(await p.locator('backprop-lab').locator('.notices-more').textContent()).toMatch(/4 more notices/);
    await p.locator('backprop-lab').locator('.notices-more').click();
    expect(await p.locator('backprop-lab').locator('.notices-rest .notice').count()).toBe(4);
    for (const t of await noticeTexts(p)) expect(t.length).toBeLessThan(300);
    // a divergence notice lands on top
    await p.evaluate(() => { const el = document.querySelector('backprop-lab'); el.setAttribute('dataset', 'plane'); el.setAttribute('activation', 'relu'); el.setAttribute('learning-rate', '100'); el.setAttribute('seed', '1'); return el.step(20); });
    await p.waitForFunction(() => /diverged/.test(document.querySelector('backprop-lab').shadowRoot.querySelector('.notices-list .notice')?.textContent));
    await p.close();
  });

  it('views=",,," gives a notice and shows every view; controls="none" and "" show no controls; the epoch reads 1,100', async () => {
    const { p } = await open('/t/plain.html');
    await whenReady(p);
    await p.evaluate(() => document.querySelector('backprop-lab').setAttribute('views', ',,,'));
    await p.waitForFunction(() => [...document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.notice')].some((n) => /views: ',,,' names no view/.test(n.textContent)));
    const shown = (what) => p.evaluate((w) => [...document.querySelector('backprop-lab').shadowRoot.querySelectorAll(`[data-${w}]`)].filter((e) => e.getClientRects().length > 0).map((e) => e.dataset[w]), what);
    expect((await shown('view')).sort()).toEqual(['boundary', 'cost', 'gradients', 'network']);
    expect((await shown('control')).length).toBeGreaterThan(20);
    for (const v of ['none', '']) {
      await p.evaluate((x) => document.querySelector('backprop-lab').setAttribute('controls', x), v);
      expect(await shown('control')).toEqual([]);
      expect((await shown('view')).length).toBe(4);
    }
    await p.evaluate(() => document.querySelector('backprop-lab').setAttribute('views', 'boundary'));
    expect((await noticeTexts(p)).join(' ')).not.toMatch(/views:/);  // its cause is gone
    await p.evaluate(() => document.querySelector('backprop-lab').step(1100));
    expect(await p.locator('backprop-lab').locator('[data-testid=epoch]').textContent()).toBe('1,100');
    await p.close();
  });

  it('an error about a value shows its type: a string is quoted (got \'3\', not got 3), from the one shared helper', async () => {
    const { p, problems } = await open('/t/plain.html');
    await whenReady(p);
    await p.evaluate(() => { document.querySelector('backprop-lab').state = '3'; });
    await noticesMatch(p, /state: must be an object of settings, got '3' — nothing changed/);
    const r = await p.evaluate(async () => {
      const el = document.querySelector('backprop-lab');
      const msg = (f) => Promise.resolve().then(f).then(() => 'resolved', (e) => e.message);
      return {
        stepString: await msg(() => el.step('3')),
        stepNumber: await msg(() => el.step(1.5)),
        stepBigint: await msg(() => el.step(3n)),
        explain: await msg(() => el.explain('2')),
        fit: await msg(() => el.loadCSV('0,0,0\n1,1,1', { fit: 'true' })),
        image: await msg(() => el.exportImage('boundary', { format: 1n })),
        epoch: el.epoch,
      };
    });
    expect(r).toEqual({
      stepString: "step: n must be an integer in [1, 1000000], got '3'",
      stepNumber: 'step: n must be an integer in [1, 1000000], got 1.5',
      stepBigint: 'step: n must be an integer in [1, 1000000], got 3n',
      explain: "explain: the example must be an integer index of a training point, got '2'",
      fit: "loadCSV: options.fit must be true or false, got 'true'",
      image: "exportImage: format must be 'png' or 'svg' for the boundary, got 1n",   // was a TypeError of JSON.stringify
      epoch: 0,
    });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('el.state = junk is a notice, never an exception; a sparse layers array is refused', async () => {
    const { p, problems } = await open('/t/plain.html');
    await whenReady(p);
    const r = await p.evaluate(() => {
      const el = document.querySelector('backprop-lab');
      const errors = [];
      for (const v of [null, 3, 'abc', [1, 2], { layers: [4, , 2] }, Proxy.revocable({}, {})]) {
        try { if (v && v.revoke) { v.revoke(); el.state = v.proxy; } else el.state = v; } catch (e) { errors.push(e.message); }
      }
      return { errors, state: el.state };
    });
    expect(r.errors).toEqual([]);
    expect(r.state.layers).toEqual([4]);
    const { state, notices } = validate(r.state);
    expect(notices).toEqual([]);
    expect(state).toEqual(r.state);
    // the revoked Proxy came last: its notice (the same key) names a value that could not be read
    await noticesMatch(p, /state: cannot be read \(.*revoked.*\) — nothing changed/);
    // el.data the same way: a notice naming the data, and the data stay
    await p.evaluate(() => { const d = Proxy.revocable({}, {}); d.revoke(); document.querySelector('backprop-lab').data = d.proxy; });
    await noticesMatch(p, /data: cannot be read \(.*revoked.*\); expected \{ points: \[\[x1, x2, label\], …\] \} or a list of \[x1, x2, label\]/);
    expect(await p.evaluate(() => document.querySelector('backprop-lab').state.dataset)).toBe(r.state.dataset);
    expect(problems).toEqual([]);
    await p.close();
  });
});
