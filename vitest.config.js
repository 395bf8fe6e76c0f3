import { defineConfig } from 'vitest/config';

// One project per place the code runs. `node`: the JS API, the CLI and the bench baseline against the real
// .wasm. (The browser project joins when the lab page exists.)
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'node', include: ['tests/bindings/**/*.test.js'], environment: 'node', testTimeout: 60000 } },
    ],
  },
});
