// The lab page. base './' makes dist/ work from any sub-path (https://example.org/posts/demo/); the worker
// is an ES module because it awaits the wasm at top level (TOOLCHAIN.md item 16).
import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// The engine is the largest file of the first load, and the lab's script only asks for it once that script
// has arrived and run. A <link rel=preload> in each page's <head> starts the download with the HTML; lab.js's
// fetch() of the same URL (mode cors, credentials same-origin: what `crossorigin` means) is then served the
// preloaded response instead of fetching again (bench/page.js counts the requests). Build only: the dev
// server serves the .wasm from its source path.
function preloadEngine() {
  return {
    name: 'backprop-lab:preload-engine',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const wasm = Object.keys(ctx.bundle ?? {}).find((f) => /^assets\/bp-page-[\w-]+\.wasm$/.test(f));
        if (!wasm) return html;
        return [{ tag: 'link', attrs: { rel: 'preload', href: `./${wasm}`, as: 'fetch', type: 'application/wasm', crossorigin: true }, injectTo: 'head' }];
      },
    },
  };
}

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
      output: {
        // Vite's dynamic-import helper stays in the lab's chunk (with its static imports, as without this
        // option): left alone, rolldown makes it a 1.8 KB chunk of its own, one more request, which the
        // script-tag embed only discovers after the lab's chunk has arrived.
        codeSplitting: { groups: [{ name: 'lab', test: /\/web\/src\/lab\.js$|vite\/preload-helper/ }] },
        entryFileNames: (chunk) => (chunk.name === 'backprop-lab' ? 'backprop-lab.js' : 'assets/[name]-[hash].js') },
    },
  },
  // lightningcss (the CSS minifier) adds four custom properties wherever `color-scheme` is set, for a light-dark()
  // the lab never uses: 2^20 is its Features.LightDark, left out (~100 bytes of the first load).
  css: { lightningcss: { exclude: 1 << 20 } },
  plugins: [preloadEngine()],
  worker: { format: 'es' },
  server: { fs: { allow: ['..'] } },
});
