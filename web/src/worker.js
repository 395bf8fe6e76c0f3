// The lab's worker: it owns one engine network and its data, trains when the UI asks for a frame, and posts
// back everything the views draw (protocol.js). Training never runs on the UI thread, so the page stays
// responsive whatever the network size.
import { loadBackprop } from '../../bindings/page.js';
import { BOUNDARY_RES, THUMB_RES, EXTENT } from './protocol.js';

const EMPTY = new Float32Array(0);  // a grid that was not asked for
let bp = null;           // the engine, once the lab has sent 'init'

let net = null;          // the engine network (float32: the page's fast path)
let data = null;         // the dataset the network trains on (bp.dataset output)
let config = null;       // { sizes, activation, outputActivation, cost, init, seed, features }
let hyper = null;        // { learningRate, batchSize, l1, l2 }
let epoch = 0;
let msPerEpoch = 0.05;   // running estimate, for speed 'max'
let sendData = false;    // the next frame carries the points (after configure/regenerate)
// The boundary's resolution adapts to the network: 100 × 100 (the Playground's) unless that grid alone
// would take more than ~4 ms a frame (deep, wide networks), then 50 × 50, drawn smoothed to the same size.
// That keeps the worker's frame inside the display's frame, so the boundary still refreshes every frame.
let boundaryRes = BOUNDARY_RES;
let gridMsFull = 0;      // running estimate of a BOUNDARY_RES² grid's cost

function makeData(s) {
  return bp.dataset(s.dataset, {
    n: s.points, noise: s.noise / 100, seed: s.seed, testRatio: 1 - s.trainRatio / 100,
    ...(s.dataset === 'blobs' ? { classes: s.classes } : {}),
  });
}

function hyperOf(s) {
  const rate = s.regularization === 'none' ? 0 : s.regularizationRate;
  return {
    learningRate: s.learningRate, batchSize: s.batchSize,
    l1: s.regularization === 'l1' ? rate : 0, l2: s.regularization === 'l2' ? rate : 0,
  };
}
const reg = (h) => (h.l1 > 0 ? { l1: h.l1 } : h.l2 > 0 ? { l2: h.l2 } : {});

// Build the new data and network first and only then swap them in: a rejected configuration leaves the
// current network and data untouched (the UI shows the error and keeps working).
function configure(s, keepNetwork) {
  const newData = makeData(s);
  let newNet = net;
  if (!keepNetwork) {
    newNet = bp.createNetwork({
      layers: s.sizes, activation: s.activation, outputActivation: s.outputActivation, cost: s.cost,
      init: s.init, seed: s.seed, precision: 'float32', features: s.features,
    });
  }
  try {
    newNet.setData(newData.inputs, newData.targets);
  } catch (e) {
    if (newNet !== net) newNet.dispose();
    throw e;
  }
  if (newNet !== net) {
    net?.dispose();
    net = newNet;
    config = { sizes: s.sizes, activation: s.activation, outputActivation: s.outputActivation, features: s.features };
    epoch = 0;
    boundaryRes = BOUNDARY_RES;
    gridMsFull = 0;
  }
  data = newData;
  hyper = hyperOf(s);
  sendData = true;
}

const stepsPerEpoch = () => Math.ceil(data.inputs.length / 2 / hyper.batchSize);

function train(epochs) {
  const t0 = performance.now();
  let diverged = false, message;
  if (epochs === 'max') {
    // As many whole epochs as fit in ~10 ms, from a running estimate of an epoch's cost.
    epochs = Math.max(1, Math.min(10000, Math.floor(10 / Math.max(msPerEpoch, 1e-4))));
  }
  if (epochs > 0) {
    const r = net.train({ steps: epochs * stepsPerEpoch(), learningRate: hyper.learningRate, batchSize: hyper.batchSize, shuffle: true, ...reg(hyper) });
    epoch += r.diverged ? Math.floor(r.steps / stepsPerEpoch()) : epochs;
    diverged = r.diverged;
    message = r.message && 'The cost diverged (a step made it or a weight infinite), so training paused and the last good weights are kept. Try a lower learning rate.';
    const ms = performance.now() - t0;
    if (!diverged) msPerEpoch = 0.7 * msPerEpoch + 0.3 * (ms / epochs);
  }
  return { diverged, message, trainMs: performance.now() - t0 };
}

function frame(epochs, want = {}) {
  const t0 = performance.now();
  const t = train(epochs);
  const h = reg(hyper);
  const t1 = performance.now();
  const ins = net.inspect(h);
  const hasTest = data.testInputs.length > 0;
  const test = hasTest ? net.evaluate(data.testInputs, data.testTargets, h) : null;
  const classification = data.kind !== 'regression';
  const L = config.sizes.length - 1;
  const layers = [], transfer = [];
  for (let l = 1; l <= L; l++) {
    const x = net.layer(l), s = ins.layers[l - 1];
    const { W, b } = x;  // fresh Float32Array copies (the page's engine is float32): transferable as they are
    layers.push({
      rows: x.rows, cols: x.cols, W, b, gradW: s.gradW, gradB: s.gradB,
      deltaNorm: s.deltaNorm, gradWNorm: s.gradWNorm, gradBNorm: s.gradBNorm, saturation: s.saturation,
    });
    transfer.push(W.buffer, b.buffer, s.gradW.buffer, s.gradB.buffer, s.saturation.buffer);
  }
  const t2 = performance.now();
  // A lab whose boundary or diagram is hidden (views="…") does not pay for their grids.
  const res = boundaryRes;
  let boundary = EMPTY, neurons = EMPTY;
  if (want.boundary !== false) {
    boundary = net.grid({ resolution: res, extent: EXTENT });
    const ms = performance.now() - t2;
    gridMsFull = gridMsFull === 0 ? ms * (BOUNDARY_RES / res) ** 2 : 0.8 * gridMsFull + 0.2 * ms * (BOUNDARY_RES / res) ** 2;
    if (gridMsFull > 4) boundaryRes = BOUNDARY_RES / 2;
    else if (gridMsFull < 3) boundaryRes = BOUNDARY_RES;  // hysteresis: no flicker between the two
    transfer.push(boundary.buffer);
  }
  const t3 = performance.now();
  if (want.neurons !== false) {
    neurons = net.neuronGrid({ resolution: THUMB_RES, extent: EXTENT });
    transfer.push(neurons.buffer);
  }
  const t4 = performance.now();
  const msg = {
    type: 'frame', epoch, trainCost: ins.cost, testCost: test ? test.cost : null,
    trainAccuracy: classification ? ins.accuracy : null, testAccuracy: classification && test ? test.accuracy : null,
    diverged: t.diverged, message: t.message, sizes: config.sizes, features: config.features, kind: data.kind,
    activation: config.activation, outputActivation: config.outputActivation, extent: EXTENT,
    boundary, boundaryRes: res, neurons, thumbRes: THUMB_RES, layers, trainMs: t.trainMs,
  };
  if (want.neuron) {
    const [l, j] = want.neuron;
    if (l >= 1 && l <= L && j >= 0 && j < config.sizes[l]) {
      let offset = 0;
      for (let m = 1; m < l; m++) offset += config.sizes[m];
      offset += j;
      const all = net.neuronGrid({ resolution: res, extent: EXTENT });
      msg.neuron = all.slice(offset * res ** 2, (offset + 1) * res ** 2);
      transfer.push(msg.neuron.buffer);
    }
  }
  if (sendData) {
    const f = (a) => Float32Array.from(a);
    msg.data = { train: f(data.inputs), trainLabels: f(data.targets), test: f(data.testInputs), testLabels: f(data.testTargets) };
    transfer.push(msg.data.train.buffer, msg.data.trainLabels.buffer, msg.data.test.buffer, msg.data.testLabels.buffer);
    sendData = false;
  }
  msg.workerMs = performance.now() - t0;
  msg.timings = { train: t.trainMs, inspect: t2 - t1, grid: t3 - t2, neurons: t4 - t3, other: msg.workerMs - t.trainMs - (t4 - t1) };
  postMessage(msg, transfer);
}

// A model file (toJSON() of a network, e.g. one this page exported): it replaces the network, keeps the data.
// Checked first; a bad file is an Error naming what is wrong, and the current network stays.
function importModel(text) {
  let obj;
  try { obj = JSON.parse(text); } catch (e) { throw new Error(`model file: not JSON (${e.message})`); }
  // the page computes in float32: a float64 model (from the full engine) is loaded into float32
  if (obj && typeof obj === 'object' && obj.precision === 'float64') obj = { ...obj, precision: 'float32' };
  const next = bp.networkFromJSON(obj);
  try {
    if (!next.config.features) throw new Error('model file: the lab needs a network on input features, and this one has no "features"');
    if (next.outputs !== data.outputs) throw new Error(`model file: the network has ${next.outputs} output(s), the current data needs ${data.outputs}`);
    next.setData(data.inputs, data.targets);
  } catch (e) { next.dispose(); throw e; }
  net.dispose();
  net = next;
  const c = net.config;
  config = { sizes: [...c.layers], activation: c.activation, outputActivation: c.outputActivation, features: [...c.features] };
  epoch = 0;
  postMessage({ type: 'imported', config: c });
}

// Small previews of every dataset for the picker: points and their first target.
function thumbnails(names) {
  const out = {};
  for (const name of names) {
    const d = bp.dataset(name, { n: 240, noise: 0.05, seed: 7 });
    const k = d.outputs;
    const labels = new Float32Array(d.inputs.length / 2);
    for (let i = 0; i < labels.length; i++) {
      if (k === 1) labels[i] = d.targets[i];
      else { let best = 0; for (let j = 1; j < k; j++) if (d.targets[i * k + j] > d.targets[i * k + best]) best = j; labels[i] = best; }
    }
    out[name] = { points: Float32Array.from(d.inputs), labels, kind: d.kind };
  }
  postMessage({ type: 'thumbnails', thumbnails: out });
}

self.onmessage = async ({ data: m }) => {
  try {
    switch (m.type) {
      case 'init':
        // The page compiles the .wasm once and posts the module to every lab's worker (lab.js); without
        // one, this worker downloads and compiles it itself.
        bp = await loadBackprop(m.module ? { wasmModule: m.module } : {});
        postMessage({ type: 'ready' });
        break;
      case 'configure': configure(m.state, false); frame(0, m.want); break;
      case 'regenerate': configure(m.state, true); frame(0, m.want); break;
      case 'hyper': hyper = hyperOf(m.state); frame(0, m.want); break;
      case 'frame': if (net) frame(m.epochs, m.want); break;
      case 'edit':
        if (m.k >= 0) net.setWeight(m.l, m.j, m.k, m.value); else net.setBias(m.l, m.j, m.value);
        frame(0, m.want);
        break;
      case 'thumbnails': thumbnails(m.names); break;
      case 'export': postMessage({ type: 'export', json: net.toJSON(), epoch }); break;
      case 'import': importModel(m.json); frame(0, m.want); break;
      default: throw new Error(`worker: unknown message type '${m.type}'`);
    }
  } catch (e) {
    postMessage({ type: 'error', request: m.type, message: e.message });
  }
};
