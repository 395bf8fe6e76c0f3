// bindings/page.js: the lab page's build of the engine (bp-page.wasm, float32 only) behind the same JS API.
// It loads in node like index.js, computes exactly what the full module's float32 networks compute, says
// clearly what it lacks, fits the page's transfer budget, and Vite bundles it into a worker with the .wasm
// as a hashed asset.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as page from '../../bindings/page.js';
import * as full from '../../bindings/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let bpPage, bpFull;
beforeAll(async () => {
  bpPage = await page.loadBackprop();
  bpFull = await full.loadBackprop();
});

const OPTS = { layers: [7, 8, 8, 1], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', seed: 3,
  features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] };

describe('page.js', () => {
  it('loads in node and is a separate engine from index.js', () => {
    expect(bpPage).not.toBe(bpFull);
    expect(page.PRECISIONS).toEqual(['float32']);
    expect(page.LIMITS).toBe(full.LIMITS);
    expect(page.DATASETS).toEqual(full.DATASETS);
  });

  it('computes what the full module computes in float32, bit for bit', () => {
    const dp = bpPage.dataset('spiral', { n: 400, noise: 0.1, seed: 4 });
    const df = bpFull.dataset('spiral', { n: 400, noise: 0.1, seed: 4 });
    expect(dp.inputs).toEqual(df.inputs);
    const a = bpPage.createNetwork(OPTS);  // precision defaults to float32 here
    const b = bpFull.createNetwork({ ...OPTS, precision: 'float32' });
    expect(a.config.precision).toBe('float32');
    for (const net of [a, b]) {
      net.setData(dp.inputs, dp.targets);
      net.train({ epochs: 5, learningRate: 0.1, batchSize: 10, shuffle: true, l2: 0.001 });
    }
    expect(a.toJSON()).toEqual(b.toJSON());
    expect(a.inspect({ l2: 0.001 })).toEqual(b.inspect({ l2: 0.001 }));
    expect(a.neuronGrid()).toEqual(b.neuronGrid());
    expect(a.grid({ resolution: 30 })).toEqual(b.grid({ resolution: 30 }));
    expect(a.evaluate(dp.inputs, dp.targets)).toEqual(b.evaluate(dp.inputs, dp.targets));
    expect(a.layer(2)).toEqual(b.layer(2));
    const copy = bpPage.networkFromJSON(JSON.stringify(a.toJSON()));
    expect(copy.predict([1, 2])).toEqual(a.predict([1, 2]));
    for (const net of [a, b, copy]) net.dispose();
  });

  it('float64, trace and gradientCheck are an Error saying this build is float32-only', () => {
    expect(() => bpPage.createNetwork({ ...OPTS, precision: 'float64' }))
      .toThrow(/precision: 'float64' is not in this build: bindings\/page\.js is the page's float32-only engine/);
    const f64 = bpFull.createNetwork({ ...OPTS, precision: 'float64' });
    const json = f64.toJSON();
    f64.dispose();
    expect(() => bpPage.networkFromJSON(json)).toThrow(/model JSON: precision: 'float64' is not in this build/);
    expect(() => bpPage.trace({ layers: [1, 1], weights: [[[1]]], biases: [[0]], inputs: [[1]], targets: [[1]] }))
      .toThrow(/trace: not in this build: bindings\/page\.js is the page's float32-only engine; import the full module/);
    const net = bpPage.createNetwork({ layers: [2, 2, 1] });
    net.setData([0, 1, 1, 0], [1, 0]);
    expect(() => net.gradientCheck()).toThrow(/gradientCheck: not in this build/);
    expect(() => bpPage.createNetwork({ ...OPTS, precision: 'float16' })).toThrow(/precision: unknown value 'float16'/);
    net.dispose();
  });

  it('its errors and memory work as in the full module', () => {
    expect(() => bpPage.createNetwork({ layers: [2, 2.5, 1] })).toThrow(/layers\[1\]: size must be an integer/);
    const net = bpPage.createNetwork({ layers: [2, 3, 1] });
    expect(() => net.setData([0, NaN], [1])).toThrow(/inputs\[1\]: must be a finite number, got NaN/);
    expect(() => net.grid({ resolution: 0 })).toThrow(/resolution/);
    net.dispose();
    const d = bpPage.dataset('circle', { n: 100, seed: 1 });
    const cycle = () => {
      const n = bpPage.createNetwork({ layers: [2, 8, 1], activation: 'tanh' });
      n.setData(d.inputs, d.targets);
      n.train({ epochs: 2, learningRate: 0.1 });
      n.inspect();
      n.neuronGrid({ resolution: 8 });
      n.dispose();
    };
    for (let i = 0; i < 10; i++) cycle();
    const heap = bpPage.heapInUse(), handles = bpPage.handleCount();
    for (let i = 0; i < 200; i++) cycle();
    expect(bpPage.heapInUse()).toBeLessThanOrEqual(heap + 64 * 1024);
    expect(bpPage.handleCount()).toBe(handles);
  });

  it("names numbers in the engine's own messages as JS writes them (format_number from bindings.cpp, not libc)", async () => {
    // The raw module, past the JS checks: the C++ check of a dataset's noise formats the value it rejects.
    const { default: createPage } = await import('../../bindings/wasm/bp-page.mjs');
    const { default: createFull } = await import('../../bindings/wasm/bp.mjs');
    const wasm = (f) => readFileSync(join(ROOT, 'bindings/wasm', f));
    const P = await createPage({ wasmBinary: wasm('bp-page.wasm') }), F = await createFull({ wasmBinary: wasm('bp.wasm') });
    const noise = (M, v) => { M.dataset('circle', 100, v, 1, 0, 2); return M.takeError(); };
    for (const v of [1.5, -2, 1.1 + 0.2, 1.0000000000000002, 12345.678, -1e300, NaN, Infinity, -Infinity]) {
      expect(noise(P, v)).toBe(`dataset: noise must be in [0, 1], got ${String(v)}`);
      expect(noise(P, v)).toBe(noise(F, v));  // the full module's snprintf/strtod writes these the same way
    }
    // where the two notations differ, the page's is JavaScript's
    expect(noise(P, -1e-7)).toBe("dataset: noise must be in [0, 1], got -1e-7");
    expect(noise(F, -1e-7)).toBe("dataset: noise must be in [0, 1], got -1e-07");
    expect(noise(P, 0.5)).toBe('');  // and a good value is no error
  });

  it('fits the page: bp-page.wasm + bp-page.mjs under 100 KB gzip, well under the full build', () => {
    // The page's whole transfer budget is 150 KB gzip; the engine must leave room for the page itself.
    const gz = (f) => gzipSync(readFileSync(join(ROOT, 'bindings/wasm', f)), { level: 9 }).length;
    const pageBytes = gz('bp-page.wasm') + gz('bp-page.mjs');
    const fullBytes = gz('bp.wasm') + gz('bp.mjs');
    expect(pageBytes).toBeLessThan(100 * 1024);
    expect(pageBytes).toBeLessThan(0.8 * fullBytes);
  });

  it('Vite bundles it into a module worker, with the .wasm as a hashed asset', async () => {
    // The wasm URL must be a literal new URL('./wasm/bp-page.wasm', import.meta.url) for Vite to see it.
    expect(readFileSync(join(ROOT, 'bindings/page.js'), 'utf8')).toContain("new URL('./wasm/bp-page.wasm', import.meta.url)");
    const { build } = await import('vite');
    const dir = mkdtempSync(join(tmpdir(), 'bp-page-vite-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src/index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
      writeFileSync(join(dir, 'src/main.js'), "new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });\n");
      writeFileSync(join(dir, 'src/worker.js'),
        `import { loadBackprop } from ${JSON.stringify(join(ROOT, 'bindings/page.js'))};\n` +
        "const bp = await loadBackprop();\npostMessage(bp.createNetwork({ layers: [2, 3, 1] }).parameterCount);\n");
      await build({
        root: join(dir, 'src'), base: './', logLevel: 'silent', configFile: false,
        build: { outDir: join(dir, 'dist'), emptyOutDir: true, target: 'es2022' }, worker: { format: 'es' },
      });
      const assets = readdirSync(join(dir, 'dist/assets'));
      const wasm = assets.filter((f) => /^bp-page-[\w-]+\.wasm$/.test(f));
      expect(wasm).toHaveLength(1);
      expect(readFileSync(join(dir, 'dist/assets', wasm[0]))).toEqual(readFileSync(join(ROOT, 'bindings/wasm/bp-page.wasm')));
      const worker = assets.find((f) => /^worker-.*\.js$/.test(f));
      const code = readFileSync(join(dir, 'dist/assets', worker), 'utf8');
      expect(code).toContain(`new URL(\`${wasm[0]}\`,import.meta.url)`);
      expect(code).not.toContain("'./wasm/bp-page.wasm'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
