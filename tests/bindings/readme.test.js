// The README as people outside the repository read it: its JS example and its trace example run as written
// (here in the repository; tests/package/install.test.js runs them again from the installed package), every
// path it names exists, every package subpath it names is exported, and it speaks of no internal issues.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { apiExample, cliLines } from '../package/readme-blocks.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));

describe('README', () => {
  it('the JS API example runs and trains', () => {
    const file = `${root}.readme-example.test-tmp.mjs`;  // inside the repo, so 'backprop-lab' resolves
    writeFileSync(file, apiExample(readme));
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

  it("the trace spec it shows is examples/trace.json, and its trace command runs here on examples/", () => {
    const shown = /"layers": \[2, 2, 1\][\s\S]*?\}\n```/.exec(readme);
    expect(shown).not.toBeNull();
    expect(JSON.parse(`{${shown[0].replace(/\n```$/, '')}`)).toEqual(JSON.parse(readFileSync(`${root}examples/trace.json`, 'utf8')));
    const line = cliLines(readme).find((l) => / trace /.test(l));
    expect(line).toMatch(/ node_modules\/backprop-lab\/examples\/trace\.json$/);
    // a clone of the repository has the same file under examples/ (the README says so)
    const r = spawnSync('sh', ['-c', line.replace('node_modules/backprop-lab/examples/', 'examples/')], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).first_example.z[0]).toEqual([0.3775, 0.39249999999999996]);  // 0.15·0.05 + 0.20·0.10 + 0.35
  });

  it('names only paths that exist in the repository (or that a build makes), and only exported package subpaths', () => {
    const GENERATED = /^(dist|build-native|build-wasm|bindings\/wasm|test-results)\//;
    const tokens = [...readme.matchAll(/`([^`\s]+)`|\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? m[2])
      .filter((t) => t.includes('/') && !/^[a-z]+:\/\//.test(t) && t !== 'file://' && !/[(']/.test(t));
    expect(tokens.length).toBeGreaterThan(30);
    const missing = [];
    for (const t of tokens) {
      if (t.startsWith('backprop-lab/')) {
        if (!pkg.exports[`./${t.slice('backprop-lab/'.length)}`]) missing.push(`${t} (not an export)`);
      } else {
        const path = t.replace(/^node_modules\/backprop-lab\//, '');
        if (!GENERATED.test(path) && !existsSync(`${root}${path}`)) missing.push(t);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no internal issue references', () => {
    expect(readme).not.toMatch(/\bissues?\b/i);
    expect(readme).not.toMatch(/(^|\s)#\d+\b/);
  });

  it("its CDN script URLs are this version's dist/backprop-lab.js", () => {
    const urls = [...readme.matchAll(/https:\/\/(cdn\.jsdelivr\.net\/npm|unpkg\.com)\/backprop-lab@([^/\s]+)\/([^\s"'`)]+)/g)];
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const [, , version, path] of urls) {
      expect(version).toBe(pkg.version);
      expect(path).toBe('dist/backprop-lab.js');  // tests/package/install.test.js checks the tarball has it
    }
  });
});
