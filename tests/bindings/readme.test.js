// The README's JS example must run as written: extract the first ```js block and execute it with node.
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('README', () => {
  it('the JS API example runs and trains', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const block = /```js\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README has a ```js block').not.toBeNull();
    const file = `${root}.readme-example.test-tmp.mjs`;  // inside the repo, so 'backprop-lab' resolves
    writeFileSync(file, block[1]);
    try {
      const r = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: root });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const m = /cost after 200 epochs ([\d.e-]+) \{ cost: ([\d.e-]+), accuracy: ([\d.e-]+) \}/.exec(r.stdout);
      expect(m, r.stdout).not.toBeNull();
      expect(Number(m[2])).toBeLessThan(0.6);      // ln 2 ≈ 0.69 is the untrained cross-entropy
      expect(Number(m[3])).toBeGreaterThan(0.6);
      expect(r.stdout).toMatch(/maxRelativeError: \d/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
