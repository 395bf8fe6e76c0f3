// backprop-lab for the lab page: the same JS API as bindings/index.js (bindings/api.js) over a smaller build of
// the engine, bp-page.wasm, that fits the page's transfer budget. It has the float32 model only: precision
// defaults to 'float32', and 'float64' networks, trace(), gradientCheck() and gradientCheckParameter() (which run
// in float64) are an Error saying so. Loads in node too (the .wasm is read from disk), like index.js.
//
// The wasm URL below must stay a literal `new URL('./wasm/….wasm', import.meta.url)`: Vite recognises exactly
// that form, emits the .wasm as a hashed asset and rewrites the URL (TOOLCHAIN.md A.15–18), also in a worker.
import createBpModule from './wasm/bp-page.mjs';
import { makeApi } from './api.js';

export { ACTIVATIONS, OUTPUT_ACTIVATIONS, COSTS, INITS, FEATURES, DATASETS, BROKEN_EQUATIONS, LIMITS } from './api.js';
/** The precisions this build has. */
export const PRECISIONS = ['float32'];

export const { loadBackprop } = makeApi(createBpModule, new URL('./wasm/bp-page.wasm', import.meta.url), { build: 'page' });
