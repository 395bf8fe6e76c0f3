// Dev page for NetworkDiagram (not part of the build): renders the view inside a shadow root, as the lab does,
// with synthetic frames from a small JS forward pass on a random network whose weights drift over time,
// gradients that vanish towards the input and decay over time, and real saturation fractions.
// URL parameters: ?shape=default|big|softmax&links=weight|gradient&act=tanh|relu|sigmoid|linear&run=0&width=600
import { NetworkDiagram, css, featureValue, LIMITS } from '../src/views/network.js';
import { THUMB_RES, EXTENT } from '../src/protocol.js';

const q = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const SHAPES = {
  default: { features: ['x1', 'x2'], layers: [4, 2], output: 'binary' },
  big: { features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'], layers: [16, 16, 16, 16, 16, 16, 16, 16], output: 'binary' },
  softmax: { features: ['x1', 'x2'], layers: [8, 8], output: 'multiclass' },
};

let seed = 1;
const rand = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

const state = {
  features: [], layers: [], activation: q.get('act') ?? 'tanh', output: 'binary', linkColor: q.get('links') ?? 'weight',
  discretize: false,
};
let net = null;

function build() {
  const sizes = [state.features.length, ...state.layers, state.output === 'multiclass' ? 3 : 1];
  const L = sizes.length - 1;
  const layers = [];
  for (let l = 1; l <= L; l++) {
    const rows = sizes[l], cols = sizes[l - 1], sd = 1.6 / Math.sqrt(cols);
    const W = new Float32Array(rows * cols).map(() => gauss() * sd), b = new Float32Array(rows).map(() => gauss() * 0.3);
    layers.push({
      rows, cols, W0: W.slice(), W, b0: b.slice(), b, phase: new Float32Array(rows * cols).map(() => rand() * 6.28),
      gpat: new Float32Array(rows * cols).map(() => gauss()), gpatB: new Float32Array(rows).map(() => gauss()),
      gradW: new Float32Array(rows * cols), gradB: new Float32Array(rows), saturation: new Float32Array(rows),
      deltaNorm: 0, gradWNorm: 0, gradBNorm: 0,
    });
  }
  const res = THUMB_RES, n2 = res * res;
  let total = 0;
  for (let l = 1; l <= L; l++) total += sizes[l];
  // inputs over the thumbnail grid (cell centres, row 0 at the top)
  const X = sizes[0] ? state.features.map((f) => {
    const v = new Float32Array(n2), h = 2 * EXTENT / res;
    for (let r = 0; r < res; r++) for (let c = 0; c < res; c++) v[r * res + c] = featureValue(f, -EXTENT + (c + 0.5) * h, EXTENT - (r + 0.5) * h);
    return v;
  }) : [];
  net = { sizes, L, layers, X, neurons: new Float32Array(total * n2), t0: performance.now(), generation: (net?.generation ?? 0) + 1 };
  view.reset();
}

const act = {
  tanh: [Math.tanh, (a) => 1 - a * a, 1],
  relu: [(z) => (z > 0 ? z : 0), (a) => (a > 0 ? 1 : 0), 1],
  sigmoid: [(z) => 1 / (1 + Math.exp(-z)), (a) => a * (1 - a), 0.25],
  linear: [(z) => z, () => 1, 1],
};

function frame(epoch) {
  const { sizes, L, layers, X } = net, res = THUMB_RES, n2 = res * res, t = (performance.now() - net.t0) / 1000;
  // drift the weights, make up gradients: 10× smaller per layer towards the input, decaying over time
  const decay = Math.exp(-t / 8) * 0.9 + 0.1;
  for (let l = 1; l <= L; l++) {
    const lf = layers[l - 1], mag = 0.02 * decay * 10 ** -(L - l) * (state.activation === 'relu' ? 30 ** ((l - L) / L + 1) / 30 : 1);
    for (let i = 0; i < lf.W.length; i++) {
      lf.W[i] = lf.W0[i] + 0.35 * Math.sin(t * 0.7 + lf.phase[i]);
      lf.gradW[i] = mag * lf.gpat[i] * (1 + 0.5 * Math.sin(t * 1.3 + lf.phase[i]));
    }
    for (let j = 0; j < lf.b.length; j++) { lf.b[j] = lf.b0[j] + 0.2 * Math.sin(t * 0.5 + j); lf.gradB[j] = mag * lf.gpatB[j]; }
  }
  // forward pass over the grid
  let prev = X, off = 0;
  const [f, dfa, dmax] = act[state.activation];
  for (let l = 1; l <= L; l++) {
    const lf = layers[l - 1], out = [], isOut = l === L;
    for (let j = 0; j < lf.rows; j++) {
      const a = net.neurons.subarray(off + j * n2, off + (j + 1) * n2);
      for (let i = 0; i < n2; i++) {
        let z = lf.b[j];
        for (let k = 0; k < lf.cols; k++) z += lf.W[j * lf.cols + k] * prev[k][i];
        a[i] = isOut ? (state.output === 'multiclass' ? z : 1 / (1 + Math.exp(-z))) : f(z);
      }
      let sat = 0;
      if (!isOut) { for (let i = 0; i < n2; i++) if (dfa(a[i]) < 0.05 * dmax) sat++; }
      else if (state.output !== 'multiclass') { for (let i = 0; i < n2; i++) if (a[i] * (1 - a[i]) < 0.0125) sat++; }
      lf.saturation[j] = sat / n2;
      out.push(a);
    }
    if (isOut && state.output === 'multiclass') {
      for (let i = 0; i < n2; i++) {
        let m = -Infinity, s = 0;
        for (const a of out) m = Math.max(m, a[i]);
        for (const a of out) { a[i] = Math.exp(a[i] - m); s += a[i]; }
        for (const a of out) a[i] /= s;
      }
    }
    prev = out;
    off += lf.rows * n2;
  }
  return {
    generation: net.generation, epoch, trainCost: 0.3, testCost: 0.32, trainAccuracy: 0.9, testAccuracy: 0.88, diverged: false,
    sizes, features: state.features.slice(), kind: state.output,
    outputActivation: state.output === 'multiclass' ? 'softmax' : 'sigmoid', activation: state.activation, extent: EXTENT,
    boundary: null, boundaryRes: 100, neurons: net.neurons, thumbRes: res, layers, trainMs: 0,
  };
}

// ---- the view inside a shadow root --------------------------------------------------------------------------
const host = $('host');
if (q.get('width')) host.style.width = `${q.get('width')}px`;  // e.g. the lab's middle column
const shadow = host.attachShadow({ mode: 'open' });
const style = document.createElement('style');
style.textContent = css;
const container = document.createElement('div');
shadow.append(style, container);

const log = (s) => { const el = $('log'); el.textContent = `${s}\n${el.textContent}`.slice(0, 2000); };
const view = new NetworkDiagram(container, {
  onToggleFeature(name) {
    log(`onToggleFeature(${name})`);
    const i = state.features.indexOf(name);
    if (i >= 0) { if (state.features.length > 1) state.features.splice(i, 1); }
    else state.features = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'].filter((f) => f === name || state.features.includes(f));
    build();
  },
  addStyles(text) { const s = document.createElement('style'); s.textContent = text; shadow.append(s); },  // the card's (card.js)
  onHoverNeuron(l, j) { log(`onHoverNeuron(${l}${l === null ? '' : `, ${j}`})`); },
  onAddNeuron(i) { log(`onAddNeuron(${i})`); state.layers[i] = Math.min(LIMITS.maxNeurons, state.layers[i] + 1); build(); },
  onRemoveNeuron(i) { log(`onRemoveNeuron(${i})`); state.layers[i] = Math.max(LIMITS.minNeurons, state.layers[i] - 1); build(); },
  onAddLayer() { log('onAddLayer()'); if (state.layers.length < LIMITS.maxLayers) state.layers.push(2); build(); },
  onRemoveLayer() { log('onRemoveLayer()'); state.layers.pop(); build(); },
  onEdit(l, j, k, value) {
    log(`onEdit(${l}, ${j}, ${k}, ${value})`);
    const lf = net.layers[l - 1];
    if (k < 0) lf.b0[j] = value; else lf.W0[j * lf.cols + k] = value;
  },
});

function setShape(name) {
  const s = SHAPES[name];
  state.features = s.features.slice(); state.layers = s.layers.slice(); state.output = s.output;
  seed = 7;
  build();
}

// ---- loop + timing ------------------------------------------------------------------------------------------
const times = [];
let epoch = 0;
function tick() {
  const f = frame(epoch++);
  const t0 = performance.now();
  view.update(f, state);
  const t1 = performance.now();
  container.getBoundingClientRect();  // force style + layout (the link canvas rasters later, at the commit)
  const t2 = performance.now();
  times.push([t1 - t0, t2 - t0]);
  if (times.length >= 60) {
    const u = times.map((x) => x[0]).sort((a, b) => a - b), s = times.map((x) => x[1]).sort((a, b) => a - b);
    $('perf').textContent = `update ${u[30].toFixed(2)} ms median (p90 ${u[54].toFixed(2)}) · with style+layout ${s[30].toFixed(2)} ms (p90 ${s[54].toFixed(2)})`;
    window.perf = { update: u[30], updateP90: u[54], withLayout: s[30], withLayoutP90: s[54] };
    times.length = 0;
  }
}
function loop() { if ($('run').checked) tick(); requestAnimationFrame(loop); }

$('shape').value = q.get('shape') ?? 'default';
$('links').value = state.linkColor;
$('act').value = state.activation;
$('run').checked = q.get('run') !== '0';
$('shape').onchange = () => setShape($('shape').value);
$('links').onchange = () => { state.linkColor = $('links').value; };
$('act').onchange = () => { state.activation = $('act').value; };
$('disc').onchange = () => { state.discretize = $('disc').checked; };
setShape($('shape').value);
tick();
requestAnimationFrame(loop);
window.devTick = tick;
window.view = view;
window.devFrame = () => frame(epoch++);
window.devState = state;
