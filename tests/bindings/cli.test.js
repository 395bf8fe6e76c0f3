// npx backprop-lab train / gradcheck, and trace on a saved walk (--check): what a user sees, and the exit
// codes (trace on a bare spec is in trace.test.js).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBackprop } from 'backprop-lab';

const CLI = fileURLToPath(new URL('../../bindings/cli.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const SPEC = { layers: [2, 1], weights: [[[0.5, -0.25]]], biases: [[0.1]], inputs: [[1, 2]], targets: [[1]] };
const MAX_SPEC_BYTES = 64 * 1024 * 1024;  // what the usage says

// A file in a fresh temporary folder; returns its path and a cleanup.
function tempFile(name, content) {
  const dir = mkdtempSync(join(tmpdir(), 'bp-cli-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('backprop-lab train', () => {
  it('prints progress lines and the final train/test cost and accuracy', () => {
    const r = run('train', '--dataset', 'circle', '--layers', '6', '--epochs', '60', '--every', '20');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => /^epoch +\d+ +train cost [\d.]+ +test cost [\d.]+ +train acc [\d.]+ % +test acc [\d.]+ %$/.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^final \(60 epochs, [\d.]+ s\): train cost [\d.]+ +test cost [\d.]+ +train acc [\d.]+ % +test acc [\d.]+ %$/);
  });

  it('--json gives the figures, and training on circle works', () => {
    const r = run('train', '--dataset', 'circle', '--layers', '6', '--epochs', '150', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.epochs).toBe(150);
    expect(j.trainAccuracy).toBeGreaterThan(0.9);
    expect(j.testAccuracy).toBeGreaterThan(0.85);
    expect(j.trainCost).toBeLessThan(0.4);
  });

  it('regression data: no accuracy, quadratic cost, a linear output', () => {
    const j = JSON.parse(run('train', '--dataset', 'plane', '--layers', '4', '--epochs', '30', '--json').stdout);
    expect(j.trainAccuracy).toBeNull();
    expect(j.trainCost).toBeLessThan(0.05);
  });

  for (const [args, pattern] of [
    [['--points', '2.5'], /^backprop-lab: --points: .*got 2\.5/],
    [['--learning-rate=-1'], /^backprop-lab: --learning-rate: .*got -1/],
    [['--layers', '8,0'], /^backprop-lab: --layers: entry 2: .*got 0/],
    [['--layers', '8,x'], /^backprop-lab: --layers: entry 2 must be an integer, got 'x'/],
    [['--features', 'x1,foo'], /^backprop-lab: --features \(entry 2\): unknown value 'foo'/],
    [['--dataset', 'spirall'], /^backprop-lab: --dataset: unknown value 'spirall'/],
    [['--noise', 'lots'], /^backprop-lab: --noise: must be a decimal number, got 'lots'/],
    // Number() reads these; a command line that means 16 by '0x10' is more likely a mistake
    [['--points', '0x10'], /^backprop-lab: --points: must be a decimal number, got '0x10'/],
    [['--epochs', 'Infinity'], /^backprop-lab: --epochs: must be a decimal number, got 'Infinity'/],
    [['--seed', '0b11'], /^backprop-lab: --seed: must be a decimal number, got '0b11'/],
    [['--layers', '0x8'], /^backprop-lab: --layers: entry 1 must be an integer, got '0x8'/],
    // one point with the default test ratio ½ leaves none to train on: that is --points (with --test-ratio), not --dataset
    [['--points', '1'], /^backprop-lab: --points\/--test-ratio: n = 1 with testRatio 0\.5 leaves no training point/],
    [['--bogus', '1'], /^backprop-lab: Unknown option '--bogus'/],
  ]) {
    it(`bad input ${args.join(' ')}: exit 2, the flag named on stderr, nothing on stdout`, () => {
      const r = run('train', ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
    });
  }
});

describe('backprop-lab gradcheck', () => {
  it('passes for ReLU networks too (kinks are skipped and counted)', () => {
    const r = run('gradcheck', '--dataset', 'spiral', '--activation', 'relu', '--layers', '8,8', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(true);
    expect(j.checked + j.skipped).toBe(j.parameters);
    expect(j.checked).toBeGreaterThan(j.parameters / 2);
  });

  it('rejects options that only train uses', () => {
    const r = run('gradcheck', '--epochs', '5');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--epochs: only for train/);
  });

  it('no command: usage on stderr, exit 2; --help: usage on stdout, exit 0', () => {
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/usage: backprop-lab/);
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/usage: backprop-lab/);
  });

  it('each command takes --help and -h: usage on stdout, exit 0 (trace too)', () => {
    for (const command of ['trace', 'train', 'gradcheck']) {
      for (const flag of ['--help', '-h']) {
        const r = run(command, flag);
        expect(r.status, `${command} ${flag}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/usage: backprop-lab/);
      }
    }
  });

  it('--version and -v print the version of package.json alone, exit 0', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-v']) {
      const r = run(flag);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
      expect(r.stderr).toBe('');
    }
  });
});

describe('backprop-lab trace: what it reads', () => {
  it('a spec with a UTF-8 byte order mark is read (editors on Windows write one)', () => {
    const f = tempFile('bom.json', `\uFEFF${JSON.stringify(SPEC)}`);
    const withBom = run('trace', f.path), plain = spawnSync(process.execPath, [CLI, 'trace', '-'], { input: JSON.stringify(SPEC), encoding: 'utf8' });
    f.done();
    expect(withBom.status, withBom.stderr).toBe(0);
    expect(withBom.stdout).toBe(plain.stdout);
    expect(JSON.parse(withBom.stdout).cost_initial).toBeGreaterThan(0);
  });

  it('a spec file of exactly the limit is read; one byte more is refused', () => {
    // the spec padded with spaces to exactly MAX_SPEC_BYTES: accepted; one more byte: exit 2, nothing printed
    const text = JSON.stringify(SPEC);
    const full = tempFile('full.json', text.padEnd(MAX_SPEC_BYTES, ' '));
    const ok = run('trace', full.path);
    full.done();
    expect(ok.status, ok.stderr).toBe(0);
    const over = tempFile('over.json', text.padEnd(MAX_SPEC_BYTES + 1, ' '));
    const no = run('trace', over.path);
    over.done();
    expect(no.status).toBe(2);
    expect(no.stdout).toBe('');
    expect(no.stderr).toMatch(/^backprop-lab: trace: '.*over\.json' is longer than 67108864 bytes \(64 MiB\)/);
  });

  it('an endless file (/dev/zero) stops at the limit with exit 2', () => {
    const r = run('trace', '/dev/zero');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^backprop-lab: trace: '\/dev\/zero' is longer than 67108864 bytes/);
  });

  it('an endless stdin stops at the limit with exit 2, without waiting for the writer to stop', async () => {
    const child = spawn(process.execPath, [CLI, 'trace', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '', stdout = '', written = 0;
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => { stdout += d; });
    const chunk = Buffer.alloc(1 << 20, '[');
    let open = true;
    child.stdin.on('error', () => { open = false; });  // EPIPE once the CLI has stopped reading
    const pump = () => {
      while (open) {
        written += chunk.length;
        if (!child.stdin.write(chunk)) {
          child.stdin.once('drain', pump);
          return;
        }
      }
    };
    pump();
    const code = await new Promise((resolve) => child.on('exit', resolve));
    open = false;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^backprop-lab: trace: stdin is longer than 67108864 bytes/);
    expect(written).toBeGreaterThanOrEqual(MAX_SPEC_BYTES - (1 << 20) * 16);  // it did read up to the limit
  });

  it('malformed JSON, a missing file: exit 2 with the reason', () => {
    const bad = spawnSync(process.execPath, [CLI, 'trace', '-'], { input: '{"layers": [2, 1', encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^backprop-lab: spec: malformed JSON/);
    const missing = run('trace', '/nonexistent/spec.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read '\/nonexistent\/spec\.json': ENOENT/);
  });
});

describe('backprop-lab trace on a saved walk { format: "backprop-lab/trace", spec, trace }', () => {
  // the walk the lab's "Download JSON" saves: one SGD step, batch size 1, on a 3-3-2-1 sigmoid network
  const spec = {
    layers: [3, 3, 2, 1], activation: 'sigmoid', cost: 'quadratic',
    weights: [[[0.2, -0.4, 0.1], [0.5, 0.3, -0.2], [-0.6, 0.1, 0.4]], [[0.3, -0.5, 0.2], [0.7, 0.1, -0.3]], [[0.6, -0.8]]],
    biases: [[0.1, -0.1, 0.05], [0.2, -0.2], [0.3]],
    inputs: [[0, 1, 1], [1, 0, 1]], targets: [[1], [0]], learning_rate: 0.5, batch_size: 1, steps: 1,
  };
  let dir, trace;
  const file = (name, obj) => {
    const path = join(dir, name);
    writeFileSync(path, typeof obj === 'string' ? obj : JSON.stringify(obj));
    return path;
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bp-walk-'));
    trace = (await loadBackprop()).trace(spec);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs its spec: the same output as for the bare spec', () => {
    const r = run('trace', file('walk.json', { format: 'backprop-lab/trace', spec, trace }));
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(trace)));  // (JSON has no −0)
    expect(r.stdout).toBe(run('trace', file('spec.json', spec)).stdout);
  });

  it('--check: exit 0 when the recomputed trace agrees, with a count of the numbers compared', () => {
    const r = run('trace', file('walk.json', { format: 'backprop-lab/trace', version: 1, spec, trace, walk: { example: 0, step: 'BP2' } }), '--check');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^trace: ok, \d+ numbers agree to 1e-9 relative \(largest difference [\d.e+-]+\)\n$/);
    expect(Number(/ok, (\d+) numbers/.exec(r.stdout)[1])).toBeGreaterThan(40);
    // from stdin too
    const piped = spawnSync(process.execPath, [CLI, 'trace', '-', '--check'], { encoding: 'utf8', input: JSON.stringify({ format: 'backprop-lab/trace', spec, trace }) });
    expect(piped.status, piped.stderr).toBe(0);
  });

  it('--check: exit 1 on a number off by more than 1e-9 relative, naming it; within the tolerance is fine', () => {
    const off = structuredClone(trace);
    off.weights_final[1][0][2] *= 1 + 1e-7;
    const r = run('trace', file('off.json', { format: 'backprop-lab/trace', spec, trace: off }), '--check');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^trace: 1 mismatch beyond 1e-9 relative:\n {2}trace\.weights_final\[1\]\[0\]\[2\]: got .*, expected .* \(relative difference 1\.0\de-7\)/);
    expect(r.stdout).toBe('');
    expect(run('trace', file('off.json', { format: 'backprop-lab/trace', spec, trace: off }), '--check', '--tolerance', '1e-6').status).toBe(0);
    const tiny = structuredClone(trace);
    tiny.first_example.delta[0][1] *= 1 + 1e-12;
    expect(run('trace', file('tiny.json', { format: 'backprop-lab/trace', spec, trace: tiny }), '--check').status).toBe(0);
  });

  it('--check: a trace with a missing or extra field, or another shape, does not pass', () => {
    const { cost_final: _, ...missing } = trace;
    const a = run('trace', file('missing.json', { format: 'backprop-lab/trace', spec, trace: missing }), '--check');
    expect(a.status).toBe(1);
    expect(a.stderr).toMatch(/trace\.cost_final: in the result, not in the file's trace/);
    const b = run('trace', file('extra.json', { format: 'backprop-lab/trace', spec, trace: { ...trace, note: 1 } }), '--check');
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/trace\.note: missing from the result/);
    const shape = structuredClone(trace);
    shape.grad_b[0].pop();
    const c = run('trace', file('shape.json', { format: 'backprop-lab/trace', spec, trace: shape }), '--check');
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/trace\.grad_b\[0\]: got 3 entries, expected 2 entries/);
  });

  // (contents as functions: the trace exists only once beforeAll has run)
  for (const [what, content, args, pattern] of [
    ['--check on a bare spec', () => spec, ['--check'], /^backprop-lab: --check: needs a saved walk/],
    ['another format', () => ({ format: 'backprop-lab/network', spec, trace }), [], /^backprop-lab: format: must be 'backprop-lab\/trace', got "backprop-lab\/network"/],
    ['no spec', () => ({ format: 'backprop-lab/trace', trace }), [], /^backprop-lab: spec: a backprop-lab\/trace file needs a "spec" object/],
    ['--check without a trace', () => ({ format: 'backprop-lab/trace', spec }), ['--check'], /^backprop-lab: trace: --check needs the file's "trace" object/],
    ['--tolerance without --check', () => ({ format: 'backprop-lab/trace', spec, trace }), ['--tolerance', '1e-6'], /^backprop-lab: --tolerance: only with --check/],
    ['a bad tolerance', () => ({ format: 'backprop-lab/trace', spec, trace }), ['--check', '--tolerance', 'x'], /^backprop-lab: --tolerance: must be a decimal number, got 'x'/],
    ['a bad spec inside', () => ({ format: 'backprop-lab/trace', spec: { ...spec, layers: [3, 3, 0, 1] }, trace }), ['--check'], /^backprop-lab: layers\[2\]: size must be an integer/],
    ['an unknown flag', () => ({ format: 'backprop-lab/trace', spec, trace }), ['--chek'], /^backprop-lab: Unknown option '--chek'/],
  ]) {
    it(`${what}: exit 2, the field named on stderr, nothing on stdout`, () => {
      const r = run('trace', file('bad.json', content()), ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
    });
  }
});
