// npx backprop-lab train / gradcheck: what a user sees, and the exit codes (trace is in trace.test.js).
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
