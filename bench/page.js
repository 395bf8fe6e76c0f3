// npm run bench:page — the built lab page (dist/) in headless Chromium, training:
//   frames per second (requestAnimationFrame callbacks on the page) and epochs per second, on the default
//   network and on an 8 × 16 network with all seven features and 500 points; how often the boundary and
//   the neuron heatmaps were refreshed; the time from navigation to the first drawn boundary and where it
//   goes; four labs on one page (a 2 × 2 grid of trimmed labs, four full labs in a 760 px column, the example
//   post, and the column's floor: the same window with no lab code, canvases repainted where the labs have
//   theirs); and the transfer of the built page (gzip -9): the first load at 1280 × 800 and at 1920 × 1080, and
//   what loads later, on first use.
// A benchmark, not a test: it prints figures; nothing here asserts a time.
//
// Environment: BENCH_RUNS (default 1) repeats every measurement in a fresh page and prints each run and the
// range; BENCH_SECONDS (default 5) per measurement after 1 s of warm-up; BENCH_DIST another built page to
// measure (a baseline built from another commit); BENCH_ONLY a comma list of sections (nets, labs, explain, transfer).
// The machine is shared: the load average is printed before and after, read fps against it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser } from '../tests/browser/harness.js';

const DIST = resolve(process.env.BENCH_DIST ?? fileURLToPath(new URL('../dist/', import.meta.url))) + '/';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const section = (name) => !ONLY || ONLY.has(name);
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

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

/** "min–max (run1, run2, …)" of numbers, with `digits` decimals. */
function range(values, digits = 1, unit = '') {
  const f = (v) => v.toFixed(digits);
  const lo = Math.min(...values), hi = Math.max(...values);
  return values.length === 1 ? `${f(lo)}${unit}` : `${f(lo)}–${f(hi)}${unit} (${values.map(f).join(', ')})`;
}

// Plays every lab of the page for SECONDS after a second of warm-up: fps on the page, epochs/s per lab.
const PLAY = (seconds) => customElements.whenDefined('backprop-lab')
  .then(() => Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.ready)))
  .then(() => new Promise((done) => {
    const labs = [...document.querySelectorAll('backprop-lab')];
    labs.forEach((el) => el.play());
    setTimeout(() => {
      let frames = 0, drawn = 0; const t0 = performance.now(), e0 = labs.map((el) => el.epoch);
      const count = () => { drawn++; };
      labs[0].addEventListener('epoch', count);
      const raf = () => { frames++; if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(raf); };
      requestAnimationFrame(raf);
      setTimeout(() => {
        const s = (performance.now() - t0) / 1000;
        labs[0].removeEventListener('epoch', count);
        const playing = labs.filter((el) => el.playing).length;
        labs.forEach((el) => el.pause());
        done({
          labs: labs.length, playing, fps: frames / s, drawsPerSecond: drawn / s,
          epochs: labs.map((el, i) => (el.epoch - e0[i]) / s), stats: labs.map((el) => el.stats),
        });
      }, seconds * 1000);
    }, 1000);
  }));

// Where the first boundary's time goes: the lab's performance marks (lab.js) and the resource timings.
const TIMELINE = () => customElements.whenDefined('backprop-lab')
  .then(() => document.querySelector('backprop-lab').ready)
  .then(() => {
    const at = performance.now();
    const marks = {};
    for (const m of performance.getEntriesByType('mark')) marks[m.name.replace(/^backprop-lab(-\d+)?:/, '')] ??= m.startTime;
    const res = {};
    for (const e of performance.getEntriesByType('resource')) {
      const name = e.name.split('/').pop().replace(/-[\w-]{8}\.(js|wasm|css|svg)$/, '.$1');
      res[name] = [e.startTime, e.responseEnd];
    }
    return { first: at, marks, res };
  });

async function measureNet(browser, url, hash) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const requests = [];
  page.on('request', (q) => requests.push(new URL(q.url()).pathname));
  await page.goto(`${url}/index.html${hash}`);
  const t = await page.evaluate(TIMELINE);
  const r = await page.evaluate(PLAY, SECONDS);
  await page.close();
  return { ...t, ...r, wasmRequests: requests.filter((p) => p.endsWith('.wasm')).length };
}

const server = await startServer(DIST);
const browser = await launchBrowser();
console.log(`lab page (${DIST}) in headless Chromium, ${SECONDS} s per measurement after 1 s warm-up, ${RUNS} run(s) each; load average ${load()}\n`);
try {
  if (section('nets')) {
    const nets = [
      ['default network (2-4-2-1, 500 points, 10 epochs/frame)', '#seed=1'],
      ['default network, speed max', '#seed=1&speed=max'],
      ['8 × 16, all seven features, 500 points, 10 epochs/frame', '#seed=1&dataset=spiral&points=500&layers=16,16,16,16,16,16,16,16&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2'],
    ];
    console.log('network | fps | frames drawn/s (boundary + every neuron heatmap) | epochs/s | first boundary (ms)');
    console.log('---|---:|---:|---:|---:');
    const timelines = [];
    for (const [name, hash] of nets) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measureNet(browser, server.url, hash));
      timelines.push(...runs);
      if (process.env.BENCH_VERBOSE) console.error(name, JSON.stringify(runs.map((r) => r.stats)));
      console.log(`${name} | ${range(runs.map((r) => r.fps))} | ${range(runs.map((r) => r.drawsPerSecond))} | ${range(runs.map((r) => r.epochs[0]), 0)} | ${range(runs.map((r) => r.first), 0)}`);
    }
    // Medians over every page load above: when each step of the first boundary happened (ms after navigation).
    const med = (a) => { const s = a.filter((v) => v !== undefined).sort((x, y) => x - y); return s.length ? Math.round(s[s.length >> 1]) : '–'; };
    const step = (label, f) => `${label} ${med(timelines.map(f))}`;
    console.log(`\nfirst boundary, median of ${timelines.length} loads (ms after navigation): ` + [
      step('wasm requested', (t) => t.res['bp-page.wasm']?.[0]), step('lab script arrived', (t) => t.res['lab.js']?.[1]),
      step('lab module runs', (t) => t.marks.module), step('lab connected', (t) => t.marks.connected), step('worker script arrived', (t) => t.res['worker.js']?.[1]),
      step('wasm arrived', (t) => t.res['bp-page.wasm']?.[1]), step('wasm compiled', (t) => t.marks['engine-compiled']),
      step('DOM built', (t) => t.marks.built), step('engine ready in the worker', (t) => t.marks['engine-ready']),
      step('first frame received', (t) => t.marks['first-frame-received']), step('boundary drawn', (t) => t.marks['first-frame']),
    ].join(' · '));
    console.log(`the .wasm was requested ${range(timelines.map((t) => t.wasmRequests), 0)} time(s) per load`);
  }

  if (section('labs')) {
    // Four labs on one page, all playing. (1) A 2 × 2 grid of trimmed labs (boundary + network + cost, the
    // post's typical configurations, 10 epochs/frame), all in view, on a 1600 × 1000 screen. (2) Four full
    // labs (every view, every control) in a 760 px column, all in view: the window is as tall as the column.
    // (3) The example post in a 1000 × 900 viewport, all four told to play: only the one in view runs (labs
    // out of view cost nothing).
    const CONFIGS = ['dataset=xor&layers=4', 'dataset=circle&layers=4,2', 'dataset=spiral&layers=8,8&features=x1,x2,sinx1,sinx2', 'dataset=gauss&layers='];
    const labsPage = ([configs, css, attrs]) => {
      document.body.replaceChildren();
      const wrap = document.createElement('div');
      wrap.style.cssText = css;
      for (const c of configs) {
        const el = document.createElement('backprop-lab');
        for (const kv of c.split('&')) { const [k, v] = kv.split('='); el.setAttribute(k, v); }
        el.setAttribute('seed', '1');
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        wrap.append(el);
      }
      document.body.append(wrap);
      return Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.ready))
        .then(() => new Promise((r) => setTimeout(r, 300)))  // the views' one-time setup after the first frame
        .then(() => Math.ceil(document.documentElement.scrollHeight));
    };
    // The floor under "four full labs in a column": the same window with none of the lab's code. Four
    // 760 × 1550 blocks where the labs are, each with five canvases where a lab has its boundary, links,
    // cost chart, gradient chart and gradient bars; every frame, each changing block gets one fillRect per
    // canvas and a new number. No worker, no training, no DOM but that. Headless Chromium composites in
    // software, and a frame redraws what changed in it: with every block changing, this is what the page
    // could reach if the labs' own work cost nothing.
    const canvases = [[520, 520, 220, 220], [40, 400, 454, 461], [500, 400, 254, 120], [400, 1000, 354, 190], [40, 1100, 44, 176]];
    const H = 4 * 1550 + 3 * 16;
    const floorFps = async (active) => {
      const page = await browser.newPage({ viewport: { width: 800, height: H } });
      await page.setContent(`<body style="margin:0;font:16px sans-serif">${[0, 1, 2, 3].map(() => `<div style="position:relative;width:760px;height:1550px;margin:0 auto 16px;border:1px solid #ddd"><div class="t" style="position:absolute;top:130px;left:250px;font-size:28px">0</div>${canvases.map(([x, y, w, h]) => `<canvas width="${w}" height="${h}" style="position:absolute;left:${x}px;top:${y}px"></canvas>`).join('')}</div>`).join('')}</body>`);
      const fps = await page.evaluate(([active, seconds]) => new Promise((done) => {
        const blocks = [...document.body.children];
        let n = 0, frames = 0, t0 = 0;
        const frame = (t) => {
          n++;
          for (const i of active) {
            blocks[i].querySelector('.t').textContent = n;
            for (const c of blocks[i].querySelectorAll('canvas')) { const g = c.getContext('2d'); g.fillStyle = `hsl(${n % 360},60%,60%)`; g.fillRect(0, 0, c.width, c.height); }
          }
          if (n === 60) t0 = t;  // a second of warm-up
          if (n > 60) frames++;
          if (n > 60 && t - t0 >= seconds * 1000) done(frames / ((t - t0) / 1000));
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }), [active, SECONDS]);
      await page.close();
      return fps;
    };
    const cases = [
      ['2 × 2 grid of trimmed labs (boundary, network, cost), all in view, 1600 × 1000', 'embed.html', { width: 1600, height: 1000 },
        [CONFIGS, 'display:grid;grid-template-columns:1fr 1fr;gap:8px', { views: 'boundary,network,cost', controls: 'play,step,reset' }], false],
      ['four full labs (all views) in a 760 px column, all in view', 'embed.html', { width: 800, height: 1000 },
        [CONFIGS, 'max-width:760px;margin:0 auto;display:flex;flex-direction:column;gap:16px', {}], true],
      ['the example post, 1000 × 900 viewport', 'tutorial.html', { width: 1000, height: 900 }, null],
    ];
    for (const [label, url, viewport, setup, fit] of cases) {
      const runs = [], floors = [];
      let height = viewport.height;
      for (let i = 0; i < RUNS; i++) {
        const page = await browser.newPage({ viewport });
        await page.goto(`${server.url}/${url}`);
        if (setup) {
          height = await page.evaluate(labsPage, setup);
          // Every lab in view: the window as tall as the column. A lab grows once in view (its gradient panel's
          // code loads when the panel nears the view), which pushes the labs below it down: fit again until the
          // height holds (fitting once left the fourth lab below the window, paused as out of view).
          for (let k = 0; fit && height > viewport.height && k < 5; k++) {
            await page.setViewportSize({ width: viewport.width, height });
            const next = await page.evaluate(() => new Promise((r) => setTimeout(r, 500)).then(() => Math.ceil(document.documentElement.scrollHeight)));
            if (next === height) break;
            height = next;
          }
        } else {
          await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').scrollIntoView()));
        }
        runs.push(await page.evaluate(PLAY, SECONDS));
        await page.close();
        // The column's floor (below) right after each run: the machine's speed drifts between runs (its fps
        // across this project's runs: 30–60), so the labs' cost shows in labs / floor of the same moment.
        if (fit) floors.push(await floorFps([0, 1, 2, 3]));
      }
      const r = runs[0];
      console.log(`\n${r.labs} labs, ${label}${fit && height > viewport.height ? ` (window ${viewport.width} × ${height})` : ''}: ${range(runs.map((x) => x.fps))} fps, ${range(runs.map((x) => x.playing), 0)} playing, epochs/s per lab (first run): ${r.epochs.map(Math.round).join(', ')}`);
      // where a frame's time goes on the main thread, per lab (ms, smoothed: lab.stats): first run
      console.log(`  draw ms per lab: ${r.stats.map((st) => `${st.drawMs.toFixed(1)} (${Object.entries(st.views).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})`).join(' · ')}`);
      if (fit) console.log(`  the floor (no lab code, all four blocks changing) just after each run: ${range(floors)} fps; labs / floor: ${runs.map((x, i) => (x.fps / floors[i]).toFixed(2)).join(', ')}`);
      if (process.env.BENCH_VERBOSE) console.error(label, JSON.stringify(runs.map((x) => x.stats)));
    }

    for (const [label, active] of [['all four changing every frame', [0, 1, 2, 3]], ['two changing (the first and the last)', [0, 3]], ['one changing', [0]]]) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await floorFps(active));
      console.log(`\nno lab code, four blocks in a 760 px column (window 800 × ${H}), ${label}: ${range(runs)} fps`);
    }
  }

  if (section('explain')) {
    // Issue 8: the step-through and the check, loaded on first use. Click → first drawn step (the panel's chunk
    // loads, the worker explains the example, the panel draws), then a second open (chunk cached); click → the
    // check's result (the first one loads the float64 engine in the worker); the hidden layer's space. The
    // files each first use requests (gzip -9 of the built file); the page's fps while the walk is open and
    // training paused; and the longest main-thread task meanwhile (PerformanceObserver 'longtask': tasks over
    // 50 ms; 'none' means none was over 50 ms).
    const sizes = new Map(transfer(DIST).map((r) => [r.file, r]));
    const nets = [['3-3-2-1', 'seed=1&dataset=xor&features=x1,x2,x1x2&layers=3,2&activation=sigmoid&output=sigmoid&cost=quadratic&batchSize=1'],
      ['8 × 16, seven features, 500 points (the check samples 2,000 parameters)', `seed=1&dataset=spiral&points=500&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&layers=${Array(8).fill(16).join(',')}&activation=tanh`]];
    for (const [netName, hash] of nets) for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const requested = [];
      page.on('request', (q) => { if (q.url().startsWith(server.url)) requested.push(new URL(q.url()).pathname.slice(1)); });
      await page.addInitScript(() => {
        window.longest = 0;
        new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longest = Math.max(window.longest, e.duration); }).observe({ type: 'longtask', buffered: false });
      });
      await page.goto(`${server.url}/index.html#${hash}`);
      await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
      await page.waitForTimeout(1500);   // the lazy chunks of the first frames (hints, gradients, uPlot) are in
      const timeTo = async (click, selector) => {
        const from = requested.length;
        const r = await page.evaluate(([click, selector]) => new Promise((resolve) => {
          const root = document.querySelector('backprop-lab').shadowRoot;
          window.longest = 0;
          const t0 = performance.now();
          const done = () => { if (root.querySelector(selector)) { obs.disconnect(); requestAnimationFrame(() => resolve({ ms: performance.now() - t0 })); return true; } return false; };
          const obs = new MutationObserver(done);
          obs.observe(root, { childList: true, subtree: true });
          root.querySelector(click).click();
        }), [click, selector]);
        await page.waitForTimeout(200);   // a long task that ends after the step is drawn still counts
        r.longest = await page.evaluate(() => window.longest);
        r.files = requested.slice(from).filter((f) => sizes.has(f) && !f.includes('favicon'));  // (Chromium asks for the icon again when the URL's hash changes)
        return r;
      };
      const first = await timeTo('[data-control=explain]', '.walk-step');
      // fps with the walk open and training paused (the lab pauses when the walk opens)
      const idle = await page.evaluate((seconds) => new Promise((resolve) => {
        const lab = document.querySelector('backprop-lab');
        let frames = 0; window.longest = 0;
        const t0 = performance.now();
        const raf = () => { frames++; if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(raf); else resolve({ fps: frames / ((performance.now() - t0) / 1000), playing: lab.playing, longest: window.longest }); };
        requestAnimationFrame(raf);
      }), SECONDS);
      await page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.walk [data-action=close]').click());
      const second = await timeTo('[data-control=explain]', '.walk-step');
      const next = await timeTo('.walk [data-action=next]', '.walk-step[data-step=forward-1]');
      const bp2 = await timeTo('.walk-stepbtn[data-step="bp2-2"]', '.walk-step[data-step="bp2-2"]');
      const openCheck = await timeTo('[data-control=check]', '[data-action=check]');
      const check1 = await timeTo('[data-action=check]', '.gcheck-ok, .gcheck-fail');
      const check2 = await timeTo('[data-action=check]', '.gcheck-result p:not(:first-child), .gcheck-table');
      const hidden = await timeTo('[data-control=hidden]', '.hidden-caption:not(:empty)');
      console.log(`\nstep-through, check, hidden space (${netName}, 1280 × 800; run ${run + 1}) | click → drawn | longest main-thread task | files loaded (gzip -9)`);
      console.log('---|---:|---:|---');
      const files = (r) => r.files.map((f) => `${f} ${(sizes.get(f).gzip / 1024).toFixed(1)} KB`).join(', ') || '–';
      for (const [what, r] of [['open the walk, first time (chunk load)', first], ['open the walk again', second], ['Next step', next],
        ['BP2 step, layer 2 (the diagram lights W³)', bp2], ['open the check\'s box (chunk load)', openCheck],
        ['gradient check, first time (float64 engine load)', check1], ['gradient check again', check2],
        ['hidden layer\'s space, first time (chunk load)', hidden]]) {
        console.log(`${what} | ${Math.round(r.ms)} ms | ${r.longest ? `${Math.round(r.longest)} ms` : 'none over 50 ms'} | ${files(r)}`);
      }
      console.log(`walk open, training paused (playing: ${idle.playing}): ${idle.fps.toFixed(1)} fps over ${SECONDS} s, longest task ${idle.longest ? `${Math.round(idle.longest)} ms` : 'none over 50 ms'}`);
      await page.close();
    }
  }

  if (section('transfer')) {
    // The lab page's transfer: what index.html requests when it loads (until a second after its first frame),
    // in a 1280 × 800 window and in a 1920 × 1080 one, and the chunks it loads later, on first use (the post's
    // and the embed's own HTML/CSS are not part of either). "After play": what a first press of Play adds.
    const rows = transfer(DIST).filter((r) => !/^(tutorial|embed)\.html$|^assets\/(tutorial|embed)-.*\.(css|js)$|^backprop-lab\.js$/.test(r.file));
    const firstLoad = async (viewport, play) => {
      const loaded = new Set();
      const page = await browser.newPage({ viewport });
      page.on('request', (q) => { if (q.url().startsWith(server.url)) loaded.add(new URL(q.url()).pathname.slice(1) || 'index.html'); });
      await page.goto(`${server.url}/index.html#seed=1`);
      await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
      await page.waitForTimeout(1000);
      const before = new Set(loaded);
      if (play) { await page.evaluate(() => document.querySelector('backprop-lab').play()); await page.waitForTimeout(1500); }
      await page.close();
      return { before, after: loaded };
    };
    const kb = (part) => (part.reduce((s, r) => s + r.gzip, 0) / 1024).toFixed(1);
    const list = (part) => part.sort((a, b) => b.gzip - a.gzip).map((r) => `  ${r.file.padEnd(40)} ${(r.raw / 1024).toFixed(1).padStart(7)} KB raw  ${(r.gzip / 1024).toFixed(1).padStart(6)} KB gzip`).join('\n');
    const small = await firstLoad({ width: 1280, height: 800 }, true);
    const large = await firstLoad({ width: 1920, height: 1080 }, false);
    const first = rows.filter((r) => small.before.has(r.file));
    console.log(`\nbuilt page transfer, first load at 1280 × 800: index.html and what it requests (gzip -9):\n${list(first)}\n  total ${kb(first)} KB gzip (target ≤ 135 KB; budget 150 KB)`);
    const extra = rows.filter((r) => large.before.has(r.file) && !small.before.has(r.file));
    console.log(`first load at 1920 × 1080: ${kb(rows.filter((r) => large.before.has(r.file)))} KB gzip${extra.length ? ` (also ${extra.map((r) => r.file).join(', ')})` : ''}`);
    const panel = rows.filter((r) => small.before.has(r.file) || /^assets\/gradients-/.test(r.file));
    console.log(`first load with the gradient panel in view at load (a screen tall enough for it): ${kb(panel)} KB gzip`);
    const played = rows.filter((r) => small.after.has(r.file) && !small.before.has(r.file));
    console.log(`after the first Play at 1280 × 800 (the charts' uPlot): +${kb(played)} KB gzip (${played.map((r) => r.file).join(', ') || 'nothing'})`);
    const later = rows.filter((r) => !small.after.has(r.file) && !large.before.has(r.file));
    console.log(`\non first use (dynamic import()), not counted above (gzip -9):\n${list(later)}\n  total ${kb(later)} KB gzip`);
  }
} finally {
  await browser.close();
  await server.close();
  console.log(`\nload average at the end: ${load()}`);
}
