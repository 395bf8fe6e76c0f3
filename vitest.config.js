import { defineConfig } from 'vitest/config';

// One project per place the code runs. `node`: the JS API, the CLI and the bench baseline against the real
// .wasm. `browser`: the same API in headless Chromium (and, next, the lab page).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'node', include: ['tests/bindings/**/*.test.js', 'tests/web/**/*.test.js'], environment: 'node', testTimeout: 60000 } },
      { test: { name: 'browser', include: ['tests/browser/**/*.test.js'], environment: 'node', testTimeout: 60000, hookTimeout: 60000 } },
    ],
  },
});
