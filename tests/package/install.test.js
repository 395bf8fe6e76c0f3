// The package as people get it: `npm pack` (prepack builds the wasm, dist/ and custom-elements.json), the
// tarball installed with npm into a fresh project in the temp folder (outside this repository, so nothing
// resolves from here), and then, in that project:
//   - the tarball's file list: what the exports, the bin and the README need, nothing of tests/bench/C++;
//   - the README's JS example (from the installed README) run by node as ESM, and from CommonJS `require`;
//   - backprop-lab/page and the exported .wasm / custom-elements.json;
//   - every `npx backprop-lab …` line of the README's command-line block, and --version / --help / train;
//   - TypeScript (the pinned devDependency) with --strict and no skipLibCheck, under nodenext and bundler
//     resolution: a file using the API and the element compiles; a file with wrong options fails, on exactly
//     the lines marked wrong;
//   - the package's dist/ copied into a site next to a page of ours: its script tag defines a lab that
//     trains under the strict CSP, and its own index.html runs;
//   - a Vite app importing the API and backprop-lab/element: built, served with the strict CSP, run in
//     headless Chromium (the API trains; the element draws, steps and reports epochs; no console error);
//     and the same app from Vite's dev server.
// Runs in its own vitest project (vitest.config.js, BP_PACKAGE_TEST=1) because packing rebuilds dist/.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer } from 'vite';
import { startServer, launchBrowser, collectProblems, SHOTS } from '../browser/harness.js';
import { apiExample, cliLines } from './readme-blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const TSC = join(ROOT, 'node_modules/.bin/tsc');

let tmp, app, files;
const sh = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: app, encoding: 'utf8', ...opts });
const installed = (path) => join(app, 'node_modules/backprop-lab', path);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'backprop-lab-package-'));
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack failed (${pack.status}):\n${pack.stderr}`);
  const [info] = JSON.parse(pack.stdout);
  files = info.files.map((f) => f.path);
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'uses-backprop-lab', private: true, type: 'module' }, null, 2));
  // The package has no dependencies, so this needs nothing but the tarball; --prefer-offline all the same.
  const install = sh('npm', ['install', join(tmp, info.filename), '--prefer-offline', '--no-audit', '--no-fund']);
  if (install.status !== 0) throw new Error(`npm install of the tarball failed (${install.status}):\n${install.stderr}`);
});
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe('the tarball', () => {
  it('holds the API, both wasm builds, the CLI, the types, the built element, examples and the LICENSE', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'custom-elements.json',
      'bindings/index.js', 'bindings/api.js', 'bindings/page.js', 'bindings/cli.js', 'bindings/index.d.ts', 'bindings/page.d.ts',
      'bindings/wasm/bp.mjs', 'bindings/wasm/bp.wasm', 'bindings/wasm/bp-page.mjs', 'bindings/wasm/bp-page.wasm',
      'web/backprop-lab.d.ts', 'dist/backprop-lab.js', 'dist/index.html', 'dist/embed.html', 'examples/trace.json']) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => /^dist\/assets\/lab-[\w-]+\.js$/.test(f))).toBe(true);
    expect(files.some((f) => /^dist\/assets\/worker-[\w-]+\.js$/.test(f))).toBe(true);
    expect(files.some((f) => /^dist\/assets\/bp-page-[\w-]+\.wasm$/.test(f))).toBe(true);
    // every export and the bin point at a packed file
    const targets = Object.values(PKG.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
    for (const t of [...targets, ...Object.values(PKG.bin), PKG.types]) expect(files, t).toContain(t.replace(/^\.\//, ''));
    expect(readFileSync(installed('LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });

  it('has nothing of the sources, tests, benchmarks or build folders, and no dependencies', () => {
    const unwanted = files.filter((f) => /^(core|tests|bench|scripts|\.ci|build-[\w-]+|node_modules|test-results)\//.test(f)
      || /\.(cpp|hpp|h|cmake|log|map)$/.test(f) || /CMakeLists\.txt$/.test(f) || /^web\/(?!backprop-lab\.d\.ts$)/.test(f));
    expect(unwanted).toEqual([]);
    const manifest = JSON.parse(readFileSync(installed('package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(existsSync(join(app, 'node_modules/uplot'))).toBe(false);  // bundled into dist/ by Vite
  });
});

describe('node', () => {
  // The figures the README's example prints; both module systems must print them.
  function checkExampleOutput(r) {
    expect(r.stderr).toBe('');  // no ExperimentalWarning either
    expect(r.status).toBe(0);
    const m = /cost after 200 epochs ([\d.e-]+) \{ cost: ([\d.e-]+), accuracy: ([\d.e-]+) \}/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m[2])).toBeLessThan(0.6);  // ln 2 ≈ 0.69 is the untrained cross-entropy
    expect(Number(m[3])).toBeGreaterThan(0.6);
    expect(r.stdout).toMatch(/maxRelativeError: \d/);
    return m[0];
  }

  it("the installed README's JS example runs as ESM, and from CommonJS require() with the same results", () => {
    const example = apiExample(readFileSync(installed('README.md'), 'utf8'));
    expect(example).toMatch(/^import \{ loadBackprop \} from 'backprop-lab';$/m);
    writeFileSync(join(app, 'example.mjs'), example);
    const esm = checkExampleOutput(sh(process.execPath, ['example.mjs']));
    // CommonJS: the same code, with require() for the import, inside an async function (no top-level await)
    const cjs = `const { loadBackprop } = require('backprop-lab');\n(async () => {\n${example.replace(/^import .*$/m, '')}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
    writeFileSync(join(app, 'example.cjs'), cjs);
    expect(checkExampleOutput(sh(process.execPath, ['example.cjs']))).toBe(esm);
  });

  it('backprop-lab/page is the float32 build; the .wasm files and custom-elements.json are exported', () => {
    writeFileSync(join(app, 'page.mjs'), `
      import { loadBackprop, PRECISIONS } from 'backprop-lab/page';
      import { existsSync } from 'node:fs';
      import { fileURLToPath } from 'node:url';
      import { createRequire } from 'node:module';
      const bp = await loadBackprop();
      const net = bp.createNetwork({ layers: [2, 3, 1] });
      let trace;
      try { bp.trace({}); } catch (e) { trace = e.message; }
      const wasm = ['backprop-lab/wasm/bp.wasm', 'backprop-lab/wasm/bp-page.wasm'].map((s) => existsSync(fileURLToPath(import.meta.resolve(s))));
      const manifest = createRequire(import.meta.url)('backprop-lab/custom-elements.json');
      console.log(JSON.stringify({ PRECISIONS, precision: net.config.precision, trace, wasm, tag: manifest.modules[0].declarations[0].tagName }));
    `);
    const r = sh(process.execPath, ['page.mjs']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ PRECISIONS: ['float32'], precision: 'float32', wasm: [true, true], tag: 'backprop-lab' });
    expect(out.trace).toMatch(/float32/);
  });
});

describe('npx backprop-lab', () => {
  it('--version prints the package version; --help the usage', () => {
    const v = sh('npx', ['backprop-lab', '--version']);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toBe(`${PKG.version}\n`);
    const h = sh('npx', ['backprop-lab', '--help']);
    expect(h.status, h.stderr).toBe(0);
    expect(h.stdout).toMatch(/^usage: backprop-lab <command> \[options\]/);
    expect(h.stdout).toMatch(/trace SPEC\.json/);
  });

  it('train trains (XOR to over 90 % accuracy)', () => {
    const r = sh('npx', ['backprop-lab', 'train', '--dataset', 'xor', '--layers', '6', '--epochs', '200', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.epochs).toBe(200);
    expect(j.trainAccuracy).toBeGreaterThan(0.9);
  });

  it("every line of the README's command-line block runs as written", () => {
    const lines = cliLines(readFileSync(installed('README.md'), 'utf8'));
    expect(lines.map((l) => l.split(' ')[2])).toEqual(expect.arrayContaining(['--version', '--help', 'trace', 'train', 'gradcheck']));
    for (const line of lines) {
      const r = sh('sh', ['-c', line]);
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
      if (/ trace /.test(line)) {
        const t = JSON.parse(r.stdout);
        expect(Object.keys(t)).toEqual(['cost_initial', 'first_example', 'grad_W', 'grad_b', 'weights_final', 'biases_final', 'cost_final']);
        expect(t.cost_final).toBeLessThan(t.cost_initial);
      }
    }
  });
});

describe('TypeScript (tsc --strict, no skipLibCheck)', () => {
  const GOOD = `
import { loadBackprop, type Network, type TrainResult } from 'backprop-lab';
import { loadBackprop as loadPage } from 'backprop-lab/page';
import type { BackpropLab, BackpropLabState, EpochDetail } from 'backprop-lab/element';
import 'backprop-lab/element';

const bp = await loadBackprop();
const net: Network = bp.createNetwork({ layers: [2, 4, 1], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', seed: 1 });
const { inputs, targets } = bp.dataset('xor', { n: 100, seed: 2 });
const r: TrainResult = net.train(inputs, targets, { learningRate: 0.1, batchSize: 10, epochs: 5 });
const cost: number | null = r.cost;
const W: Float64Array | Float32Array = net.layer(1).W;
net.dispose();
const page = await loadPage();
page.createNetwork({ layers: [2, 1], precision: 'float32' }).dispose();

const lab = document.querySelector('backprop-lab');   // BackpropLab | null, from HTMLElementTagNameMap
if (lab) {
  lab.state = { dataset: 'spiral', learningRate: 0.03, layers: [8, 8] };
  const s: BackpropLabState = lab.state;
  lab.addEventListener('epoch', (e) => { const d: EpochDetail = e.detail; console.log(d.trainCost, d.testAccuracy ?? 'regression'); });
  lab.play();
  lab.pause();
  const d: EpochDetail = await lab.step(10);
  lab.reset();
  const shared: string = lab.snippets().element;
  await lab.ready;
  console.log(s.seed, d.epoch, lab.epoch, lab.playing, shared, cost, W.length);
}
const created: BackpropLab = document.createElement('backprop-lab');
created.setAttribute('learning-rate', '0.1');
document.body.append(created);
`;
  // Each line marked "// wrong" must be an error, and no other line.
  const BAD = `
import { loadBackprop } from 'backprop-lab';
import 'backprop-lab/element';
const bp = await loadBackprop();
const net = bp.createNetwork({ layers: [2, 1], activation: 'softplus' });   // wrong
net.train([0, 0], [1], { learningRate: 0.1, batch: 10 });   // wrong
bp.dataset('spirals');   // wrong
const lab = document.querySelector('backprop-lab')!;
lab.state = { dataset: 'spirals' };   // wrong
lab.step('3');   // wrong
lab.addEventListener('epoch', (e) => console.log(e.detail.loss));   // wrong
`;
  const tsconfig = (moduleKind) => ({
    compilerOptions: {
      strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], types: [],
      module: moduleKind, moduleResolution: moduleKind === 'nodenext' ? 'nodenext' : 'bundler',
    },
    files: ['check.ts'],
  });
  function tsc(source, moduleKind) {
    const dir = join(app, `ts-${moduleKind}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig(moduleKind)));
    writeFileSync(join(dir, 'check.ts'), source);
    return spawnSync(TSC, ['-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  }

  for (const moduleKind of ['nodenext', 'esnext']) {
    it(`a file using the API and the element compiles (module ${moduleKind})`, () => {
      const r = tsc(GOOD, moduleKind);
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it(`a file with wrong options fails, on exactly the wrong lines (module ${moduleKind})`, () => {
      const r = tsc(BAD, moduleKind);
      expect(r.status).not.toBe(0);
      const wrong = BAD.split('\n').map((l, i) => (l.endsWith('// wrong') ? i + 1 : 0)).filter(Boolean);
      const errors = [...r.stdout.matchAll(/^check\.ts\((\d+),\d+\): error TS\d+/gm)].map((m) => Number(m[1]));
      expect([...new Set(errors)], r.stdout).toEqual(wrong);
      expect(r.stdout.split('\n').filter((l) => /error TS/.test(l) && !l.startsWith('check.ts('))).toEqual([]);  // none in the package's types
    });
  }
});

describe("the package's dist/ on a site, without a bundler", () => {
  it('copied next to a page of ours, its script tag defines a lab that trains under the strict CSP; its index.html runs', async () => {
    const www = join(app, 'www');
    cpSync(installed('dist'), join(www, 'lab'), { recursive: true });
    writeFileSync(join(www, 'post.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>a post</title>
<script type="module" src="./lab/backprop-lab.js"></script></head>
<body><h1>A post</h1>
<backprop-lab dataset="circle" layers="3" seed="2" controls="play,step" views="boundary"></backprop-lab>
</body></html>
`);
    const server = await startServer(www);
    const browser = await launchBrowser();
    try {
      for (const [path, epochs] of [['/post.html', 15], ['/lab/index.html', 5]]) {
        const page = await browser.newPage();
        const problems = collectProblems(page);
        await page.goto(`${server.url}${path}`);
        const detail = await page.evaluate(async (n) => {
          await customElements.whenDefined('backprop-lab');
          const lab = document.querySelector('backprop-lab');
          await lab.ready;
          return lab.step(n);
        }, epochs);
        expect(detail.epoch, path).toBe(epochs);
        expect(detail.trainCost, path).toBeGreaterThan(0);
        expect(await page.locator('.serve-notice').count()).toBe(path === '/post.html' ? 0 : 1);
        expect(problems, problems.join('\n')).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

describe('a Vite app using the package', () => {
  let site;
  beforeAll(() => {
    site = join(app, 'site');
    mkdirSync(join(site, 'src'), { recursive: true });
    writeFileSync(join(site, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>uses backprop-lab</title>
<script type="module" src="./src/main.js"></script></head>
<body>
<p id="api">training…</p>
<backprop-lab dataset="xor" layers="4" seed="1" learning-rate="0.1" controls="play,step,reset" views="boundary,network"></backprop-lab>
</body></html>
`);
    writeFileSync(join(site, 'src/main.js'), `import { loadBackprop } from 'backprop-lab';
import { loadBackprop as loadPageBuild } from 'backprop-lab/page';
import pageWasmUrl from 'backprop-lab/wasm/bp-page.wasm?url';
import 'backprop-lab/element';

const bp = await loadBackprop();
const net = bp.createNetwork({ layers: [2, 4, 1], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', seed: 3 });
const { inputs, targets } = bp.dataset('xor', { n: 200, seed: 1 });
const before = net.evaluate(inputs, targets).cost;
net.train(inputs, targets, { learningRate: 0.1, epochs: 100 });
// the float32 build, its .wasm located through the package's wasm export
const small = (await loadPageBuild({ wasmUrl: pageWasmUrl })).createNetwork({ layers: [2, 4, 1], activation: 'tanh', seed: 3 });
const result = { before, after: net.evaluate(inputs, targets).cost, precision: small.config.precision, grid: small.grid({ resolution: 8 }).length };
document.querySelector('#api').textContent = JSON.stringify(result);
net.dispose();
small.dispose();
`);
  });

  // Opens the app: the API's result, 25 epochs stepped on the element, and its boundary's colours.
  async function drive(browser, url, screenshot) {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const problems = collectProblems(page);
    await page.route('**/favicon.ico', (r) => r.fulfill({ status: 204 }));  // the app has none; Vite's dev server would 404
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('#api').textContent.startsWith('{'));
    const api = JSON.parse(await page.textContent('#api'));
    expect(api.after).toBeLessThan(api.before * 0.5);
    expect(api).toMatchObject({ precision: 'float32', grid: 64 });
    const stepped = await page.evaluate(async () => {
      await customElements.whenDefined('backprop-lab');
      const lab = document.querySelector('backprop-lab');
      await lab.ready;
      const events = [];
      lab.addEventListener('epoch', (e) => events.push(e.detail.epoch));
      const detail = await lab.step(25);
      return { detail, events, epoch: lab.epoch, state: lab.state };
    });
    expect(stepped.detail.epoch).toBe(25);
    expect(stepped.epoch).toBe(25);
    expect(stepped.events.at(-1)).toBe(25);
    expect(stepped.state).toMatchObject({ dataset: 'xor', layers: [4], seed: 1, learningRate: 0.1 });
    expect(stepped.detail.trainAccuracy).toBeGreaterThanOrEqual(0);
    // the boundary view drew the network's output: its heatmap has both classes' colours, not one
    const colours = await page.evaluate(() => {
      const c = document.querySelector('backprop-lab').shadowRoot.querySelector('canvas.boundary-heat');
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let orange = 0, blue = 0;
      for (let i = 0; i < px.length; i += 4) { if (px[i] > px[i + 2] + 40) orange++; else if (px[i + 2] > px[i] + 40) blue++; }
      return { orange, blue, pixels: px.length / 4 };
    });
    expect(colours.orange).toBeGreaterThan(colours.pixels / 10);
    expect(colours.blue).toBeGreaterThan(colours.pixels / 10);
    if (screenshot) {
      mkdirSync(SHOTS, { recursive: true });
      await page.locator('backprop-lab').screenshot({ path: `${SHOTS}${screenshot}` });
    }
    await page.close();
    return problems;
  }

  it('vite build: served with the strict CSP, in headless Chromium the API trains, the element draws and steps', async () => {
    await build({ root: site, configFile: false, logLevel: 'error', build: { outDir: 'dist', target: 'es2022' } });
    const server = await startServer(join(site, 'dist/'));
    const browser = await launchBrowser();
    try {
      const problems = await drive(browser, `${server.url}/index.html`, 'package-vite-app.png');
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  });

  it('the vite dev server (its dependency optimizer pre-bundles the package): the same', async () => {
    const server = await createServer({ root: site, configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
    await server.listen();
    const browser = await launchBrowser();
    try {
      const problems = await drive(browser, server.resolvedUrls.local[0], null);
      expect(problems, problems.join('\n')).toEqual([]);
      expect(existsSync(join(app, 'node_modules/.vite/deps/backprop-lab_element.js'))).toBe(true);  // it was pre-bundled
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
