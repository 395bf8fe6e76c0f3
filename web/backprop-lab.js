// The script-tag embed: <script type="module" src=".../backprop-lab.js"></script> defines <backprop-lab>.
// Built to dist/backprop-lab.js under this stable name (vite.config.js), next to the assets it loads
// relative to itself (the worker and the wasm), so it works from any path on the blog's own origin.
export { BackpropLab } from './src/lab.js';
