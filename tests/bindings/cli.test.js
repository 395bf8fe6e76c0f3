// npx backprop-lab train / gradcheck: what a user sees, and the exit codes (trace is in trace.test.js).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bindings/cli.js', import.meta.url));
const run = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

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
    [['--noise', 'lots'], /^backprop-lab: --noise: must be a number, got 'lots'/],
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
