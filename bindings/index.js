// backprop-lab's public JS API, the package export: the full engine (float64 and float32 networks, trace,
// gradientCheck). The API itself is bindings/api.js, shared with bindings/page.js (the lab page's smaller
// float32-only build); types: index.d.ts.
import createBpModule from './wasm/bp.mjs';
import { makeApi } from './api.js';

export { ACTIVATIONS, OUTPUT_ACTIVATIONS, COSTS, INITS, FEATURES, DATASETS, BROKEN_EQUATIONS, PRECISIONS, LIMITS } from './api.js';

/**
 * Loads the engine once per realm (later calls share it). In node the .wasm is read from disk; in a
 * browser it is fetched next to this module. `options.wasmBinary` / `options.wasmUrl` override that.
 */
export const { loadBackprop } = makeApi(createBpModule, new URL('./wasm/bp.wasm', import.meta.url));
