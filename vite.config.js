// The lab page. base './' makes dist/ work from any sub-path (https://example.org/posts/demo/); the worker
// is an ES module because it awaits the wasm at top level (TOOLCHAIN.md item 16).
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: false,
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: { input: { index: resolve('web/index.html') } },
  },
  worker: { format: 'es' },
  server: { fs: { allow: ['..'] } },
});
