import { defineConfig } from 'vitest/config';

// One project per place the code runs. `node`: the JS API, the CLI and the bench baseline against the real
// .wasm. `browser`: the same API in headless Chromium, and the lab page. `package`: the packed tarball
// installed in a temporary project (tests/package/); `npm pack` rebuilds dist/, which the browser tests
// serve, so that project runs on its own, after the others: scripts/test.js sets BP_PACKAGE_TEST=1 for it
// (by hand: `BP_PACKAGE_TEST=1 npx vitest run --project package`).
const projects = [
  { test: { name: 'node', include: ['tests/bindings/**/*.test.js', 'tests/web/**/*.test.js'], environment: 'node', testTimeout: 60000 } },
  { test: { name: 'browser', include: ['tests/browser/**/*.test.js'], environment: 'node', testTimeout: 60000, hookTimeout: 60000 } },
];
if (process.env.BP_PACKAGE_TEST === '1') {
  projects.push({ test: { name: 'package', include: ['tests/package/**/*.test.js'], environment: 'node', testTimeout: 180000, hookTimeout: 900000 } });
}

export default defineConfig({ test: { projects } });
