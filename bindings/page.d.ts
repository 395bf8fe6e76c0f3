// Types of bindings/page.js, the lab page's build: the API of index.d.ts over the float32-only engine
// (bp-page.wasm). There precision defaults to 'float32'; precision 'float64', trace(), gradientCheck() and
// gradientCheckParameter() throw an Error saying the build is float32-only.
export * from './index.js';
export const PRECISIONS: readonly ['float32'];
