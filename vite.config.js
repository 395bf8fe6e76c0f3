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
    modulePreload: { polyfill: false },  // every browser with module workers has modulepreload
    rollupOptions: {
      input: {
        index: resolve('web/index.html'),          // the full page
        embed: resolve('web/embed.html'),          // the iframe embed
        tutorial: resolve('web/tutorial.html'),    // the example post
        'backprop-lab': resolve('web/backprop-lab.js'),  // the script-tag embed
      },
      // Blog authors write src=".../backprop-lab.js": that entry keeps its name; everything else is hashed.
      preserveEntrySignatures: 'exports-only',
      output: { entryFileNames: (chunk) => (chunk.name === 'backprop-lab' ? 'backprop-lab.js' : 'assets/[name]-[hash].js') },
    },
  },
  worker: { format: 'es' },
  server: { fs: { allow: ['..'] } },
});
