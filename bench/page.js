// npm run bench:page — the built lab page (dist/) in headless Chromium, training:
//   frames per second (requestAnimationFrame callbacks on the page) and epochs per second, on the default
//   network and on an 8 × 16 network with all seven features and 500 points; how often the boundary and
//   the neuron heatmaps were refreshed; the time from navigation to the first drawn boundary; and the total
//   transfer of the built page (every file in dist/, gzip -9).
// A benchmark, not a test: it prints figures; nothing here asserts a time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser } from '../tests/browser/harness.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

function transfer(dir) {
  const rows = [];
  const walk = (d) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!f.endsWith('.map')) { const b = readFileSync(p); rows.push({ file: p.slice(DIST.length), raw: b.length, gzip: gzipSync(b, { level: 9 }).length }); }
    }
  };
  walk(dir);
  return rows;
}

async function measure(browser, url, hash) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}/index.html${hash}`);
  const first = await page.evaluate(() => customElements.whenDefined('backprop-lab')
    .then(() => document.querySelector('backprop-lab').ready)
    .then(() => performance.now()));
  const r = await page.evaluate((seconds) => new Promise((resolve) => {
    const el = document.querySelector('backprop-lab');
    let frames = 0, drawn = 0, firstEpoch = null, lastEpoch = 0, t0 = 0;
    const raf = () => { frames++; if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(raf); };
    el.addEventListener('epoch', (e) => { drawn++; if (firstEpoch === null) firstEpoch = e.detail.epoch; lastEpoch = e.detail.epoch; });
    el.play();
    setTimeout(() => {  // measure after a second of warm-up
      frames = 0; drawn = 0; firstEpoch = null; t0 = performance.now();
      requestAnimationFrame(raf);
      setTimeout(() => {
        const s = (performance.now() - t0) / 1000;
        el.pause();
        resolve({ fps: frames / s, drawsPerSecond: drawn / s, epochsPerSecond: (lastEpoch - firstEpoch) / s, epoch: lastEpoch, stats: el.stats });
      }, seconds * 1000);
    }, 1000);
  }), SECONDS);
  await page.close();
  return { firstBoundaryMs: first, ...r };
}

const server = await startServer(DIST);
const browser = await launchBrowser();
try {
  const nets = [
    ['default network (2-4-2-1, 500 points, 10 epochs/frame)', '#seed=1'],
    ['default network, speed max', '#seed=1&speed=max'],
    ['8 × 16, all seven features, 500 points, 10 epochs/frame', '#seed=1&dataset=spiral&points=500&layers=16,16,16,16,16,16,16,16&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2'],
  ];
  console.log(`lab page in headless Chromium, ${SECONDS} s per network after 1 s warm-up\n`);
  console.log('network | fps | frames drawn/s (boundary + every neuron heatmap) | epochs/s | epochs/frame | first boundary');
  console.log('---|---:|---:|---:|---:|---:');
  for (const [name, hash] of nets) {
    const r = await measure(browser, server.url, hash);
    if (process.env.BENCH_VERBOSE) console.error(name, JSON.stringify(r.stats));
    console.log(`${name} | ${r.fps.toFixed(1)} | ${r.drawsPerSecond.toFixed(1)} | ${Math.round(r.epochsPerSecond)} | ${(r.epochsPerSecond / r.fps).toFixed(1)} | ${Math.round(r.firstBoundaryMs)} ms`);
  }
  // Issue 4: four labs on one page, all playing. (1) A 2 × 2 grid of labs, all in view, on a 1600 × 1000
  // screen: embed.html's document with its lab replaced by four (boundary + network + cost, the post's
  // typical configurations, at 10 epochs/frame); (2) the example post in a 1000 × 900 viewport, all four told
  // to play: only the one in view runs (labs out of view cost nothing).
  const grid = async (page) => page.evaluate(() => {
    const configs = ['dataset=xor&layers=4', 'dataset=circle&layers=4,2', 'dataset=spiral&layers=8,8&features=x1,x2,sinx1,sinx2', 'dataset=gauss&layers='];
    document.body.replaceChildren();
    const wrap = document.createElement('div');
    wrap.style.cssText = 'display:grid;grid-template-columns:1fr 1fr;gap:8px';
    for (const c of configs) {
      const el = document.createElement('backprop-lab');
      for (const kv of c.split('&')) { const [k, v] = kv.split('='); el.setAttribute(k, v); }
      el.setAttribute('seed', '1'); el.setAttribute('views', 'boundary,network,cost'); el.setAttribute('controls', 'play,step,reset');
      wrap.append(el);
    }
    document.body.append(wrap);
  });
  for (const [label, url, viewport, setup] of [
    ['2 × 2 grid, all in view', 'embed.html', { width: 1600, height: 1000 }, grid],
    ['the example post, 1000 × 900 viewport', 'tutorial.html', { width: 1000, height: 900 }, null],
  ]) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${server.url}/${url}`);
    if (setup) await setup(page);
    else await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').scrollIntoView()));
    const r = await page.evaluate((seconds) => customElements.whenDefined('backprop-lab')
      .then(() => Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.ready)))
      .then(() => new Promise((resolve) => {
        const labs = [...document.querySelectorAll('backprop-lab')];
        labs.forEach((el) => el.play());
        setTimeout(() => {
          let frames = 0; const t0 = performance.now(), e0 = labs.map((el) => el.epoch);
          const raf = () => { frames++; if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(raf); };
          requestAnimationFrame(raf);
          setTimeout(() => {
            const s = (performance.now() - t0) / 1000;
            resolve({ labs: labs.length, playing: labs.filter((el) => el.playing).length, fps: frames / s, epochs: labs.map((el, i) => Math.round((el.epoch - e0[i]) / s)) });
          }, seconds * 1000);
        }, 1000);
      })), SECONDS);
    console.log(`\n${r.labs} labs, ${label}: ${r.fps.toFixed(1)} fps, ${r.playing} playing, epochs/s per lab: ${r.epochs.join(', ')}`);
    await page.close();
  }

  // Issue 8: the step-through and the check, loaded on first use. Click → first drawn step (the panel's chunk
  // loads, the worker explains the example, the panel draws), then a second open (chunk cached); click → the
  // check's result (the first one loads the float64 engine in the worker). And the longest main-thread task
  // meanwhile (PerformanceObserver 'longtask': tasks over 50 ms).
  {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      window.longest = 0;
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longest = Math.max(window.longest, e.duration); }).observe({ type: 'longtask', buffered: false });
    });
    await page.goto(`${server.url}/index.html#seed=1&dataset=xor&features=x1,x2,x1x2&layers=3,2&activation=sigmoid&output=sigmoid&cost=quadratic&batchSize=1`);
    await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
    await page.waitForTimeout(500);
    const timeTo = (click, selector) => page.evaluate(([click, selector]) => new Promise((resolve) => {
      const root = document.querySelector('backprop-lab').shadowRoot;
      window.longest = 0;
      const t0 = performance.now();
      const done = () => { if (root.querySelector(selector)) { obs.disconnect(); requestAnimationFrame(() => resolve({ ms: performance.now() - t0, longest: window.longest })); return true; } return false; };
      const obs = new MutationObserver(done);
      obs.observe(root, { childList: true, subtree: true });
      root.querySelector(click).click();
    }), [click, selector]);
    const first = await timeTo('[data-control=explain]', '.walk-step');
    await page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.walk [data-action=close]').click());
    const second = await timeTo('[data-control=explain]', '.walk-step');
    const next = await timeTo('.walk [data-action=next]', '.walk-step[data-step=forward-1]');
    await page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.querySelector('[data-control=check]').click());
    await page.waitForTimeout(300);
    const check1 = await timeTo('[data-action=check]', '.gcheck-ok, .gcheck-fail');
    const check2 = await timeTo('[data-action=check]', '.gcheck-result p:not(:first-child), .gcheck-table');
    console.log('\nstep-through and check (3-3-2-1, 1280 × 800) | click → drawn | longest main-thread task');
    console.log('---|---:|---:');
    for (const [what, r] of [['open the walk, first time (chunk load)', first], ['open the walk again', second], ['Next step', next],
      ['gradient check, first time (float64 engine load)', check1], ['gradient check again', check2]]) {
      console.log(`${what} | ${Math.round(r.ms)} ms | ${r.longest ? `${Math.round(r.longest)} ms` : 'none over 50 ms'}`);
    }
    await page.close();
  }

  // The lab page's transfer: what index.html requests when it loads (until a second after its first frame, in
  // a 1280 × 800 window), and the chunks it loads later, on first use (the post's and the embed's own
  // HTML/CSS are not part of either).
  const loaded = new Set();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('request', (q) => { if (q.url().startsWith(server.url)) loaded.add(new URL(q.url()).pathname.slice(1) || 'index.html'); });
  await page.goto(`${server.url}/index.html#seed=1`);
  await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
  await page.waitForTimeout(1000);
  await page.close();
  const rows = transfer(DIST).filter((r) => !/^(tutorial|embed)\.html$|^assets\/(tutorial|embed)-.*\.(css|js)$|^backprop-lab\.js$/.test(r.file));
  for (const [title, part] of [['first load: index.html and what it requests', rows.filter((r) => loaded.has(r.file))], ['on first use (dynamic import())', rows.filter((r) => !loaded.has(r.file))]]) {
    const total = part.reduce((s, r) => s + r.gzip, 0);
    console.log(`\nbuilt page transfer, ${title} (gzip -9):`);
    for (const r of part.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${r.file.padEnd(40)} ${(r.raw / 1024).toFixed(1).padStart(7)} KB raw  ${(r.gzip / 1024).toFixed(1).padStart(6)} KB gzip`);
    console.log(`  total ${(total / 1024).toFixed(1)} KB gzip${title.startsWith('first') ? ' (target ≤ 150 KB)' : ''}`);
  }
} finally {
  await browser.close();
  await server.close();
}
