// The lab's worker: it owns one engine network and its data, trains when the UI asks for a frame, and posts
// back everything the views draw (protocol.js). Training never runs on the UI thread, so the page stays
// responsive whatever the network size.
//
// Every message is a request { type, id, ...payload } answered by exactly one message with the same id: a
// frame ({ type: 'frame', id, … }), a reply ({ type: 'reply', id, value }) or an error ({ type: 'error', id,
// message }). Requests run one after another in the order they were posted — also while the engine is still
// loading — so the lab can post without waiting and calls take effect in the order they were made.
// A new request type is one entry in HANDLERS below (heavy code behind an `await import()` inside it).
import { loadBackprop } from '../../bindings/page.js';
import { BOUNDARY_RES, THUMB_RES, EXTENT } from './protocol.js';

const EMPTY = new Float32Array(0);  // a grid that was not asked for
let bp = null;           // the engine, once the lab has sent 'init'

let net = null;          // the engine network (float32: the page's fast path)
let data = null;         // the dataset the network trains on (bp.dataset output)
let config = null;       // { sizes, activation, outputActivation, features }
let hyper = null;        // { learningRate, batchSize, l1, l2, shuffle }
// The lab's epoch counter spans Regenerate (new data, same network), while the engine's net.epochs counts
// whole epochs of kept steps since the last setData: epoch = epochBase + net.epochs, with epochBase taken at
// each setData. An engine without net.epochs (before the checkpoint rollback) is counted here instead.
let epoch = 0;
let epochBase = 0;
let haltedGroup = 0;     // a step() whose first chunk diverged: its later chunks do not train
let msPerEpoch = 0.05;   // running estimate, for speed 'max'
// Training may stand inside an epoch (after "Step one mini-batch", or a lab file saved there): the frame then
// says how many of the epoch's mini-batches are done, from the engine's schedule (its cursor). Checked after
// a mini-batch step or a new schedule only, and until the cursor is back at an epoch's start.
let midEpoch = false;
let sendData = false;    // the next frame carries the points (after configure/regenerate)
let sendModel = false;   // the next frame carries the network's toJSON() head (after configure/import)
// The boundary's resolution adapts to the network: 100 × 100 (the Playground's) unless that grid alone
// would take more than ~4 ms a frame (deep, wide networks), then 50 × 50, drawn smoothed to the same size.
// That keeps the worker's frame inside the display's frame, so the boundary still refreshes every frame.
let boundaryRes = BOUNDARY_RES;
let gridMsFull = 0;      // running estimate of a BOUNDARY_RES² grid's cost

const engineCountsEpochs = () => typeof net?.epochs === 'number';

// A generated dataset from the engine, or own data (dataset 'own': the points in s.data).
async function makeData(s) {
  if (s.dataset === 'own') return ownData(s);
  return bp.dataset(s.dataset, {
    n: s.points, noise: s.noise / 100, seed: s.seed, testRatio: 1 - s.trainRatio / 100,
    ...(s.dataset === 'blobs' ? { classes: s.classes } : {}),
  });
}

// Own data in the engine dataset's shape: decoded from its text, split into training and test points by the
// train ratio and the data seed (each part in the points' own order, so without shuffling an epoch visits them
// as drawn: the notes' fit_partial loop), targets 0/1 for two classes, one-hot for more, values for regression.
// The codec is its own chunk, loaded the first time a lab has own data.
let codec = null;
async function ownData(s) {
  const { decodeData, splitData } = (codec ??= await import('./data/points.js'));
  const { kind, classes, points } = decodeData(s.data);
  const outputs = classes > 2 ? classes : 1;
  const { train, test } = splitData(points.length, s.trainRatio, s.seed);
  const pack = (idx) => {
    const X = new Float64Array(2 * idx.length), Y = new Float64Array(outputs * idx.length);
    idx.forEach((p, i) => {
      const [x1, x2, label] = points[p];
      X[2 * i] = x1; X[2 * i + 1] = x2;
      if (outputs === 1) Y[i] = label; else Y[i * outputs + label] = 1;
    });
    return [X, Y];
  };
  const [inputs, targets] = pack(train), [testInputs, testTargets] = pack(test);
  return { inputs, targets, testInputs, testTargets, kind, outputs, classes };
}

function hyperOf(s) {
  const rate = s.regularization === 'none' ? 0 : s.regularizationRate;
  return {
    learningRate: s.learningRate, batchSize: s.batchSize, shuffle: s.shuffle !== false,
    l1: s.regularization === 'l1' ? rate : 0, l2: s.regularization === 'l2' ? rate : 0,
  };
}
const reg = (h) => (h.l1 > 0 ? { l1: h.l1 } : h.l2 > 0 ? { l2: h.l2 } : {});

// Swaps in a network that already holds its data; `at` is the epoch it starts from.
function adopt(next, at) {
  if (next !== net) net?.dispose();
  net = next;
  const c = net.config;
  config = { sizes: [...c.layers], activation: c.activation, outputActivation: c.outputActivation, cost: c.cost, features: [...c.features] };
  epoch = epochBase = at;
  boundaryRes = BOUNDARY_RES;
  gridMsFull = 0;
  sendModel = true;
}

// Build the new data and network first and only then swap them in: a rejected configuration leaves the
// current network and data untouched (the UI shows the error and keeps working).
//   keepNetwork: new data for the same network (Regenerate, own data edited);
//   keepWeights: a new network (another cost, output or hidden activation) that starts from the current
//     weights, which have the same shapes (the lab checks that): training goes on, epoch and charts too.
// The initial weights come from the weight seed, or from the data seed when there is none (state.js weightSeedOf).
async function configure(s, { keepNetwork = false, keepWeights = false } = {}) {
  const newData = await makeData(s);
  let newNet = net;
  if (!keepNetwork) {
    newNet = bp.createNetwork({
      layers: s.sizes, activation: s.activation, outputActivation: s.outputActivation, cost: s.cost,
      init: s.init, seed: s.weightSeed ?? s.seed, precision: 'float32', features: s.features,
    });
  }
  const carry = keepWeights && net && newNet !== net && String(net.config.layers) === String(newNet.config.layers);
  try {
    if (carry) {
      for (let l = 1; l < s.sizes.length; l++) { const x = net.layer(l); newNet.setWeights(l, x.W); newNet.setBiases(l, x.b); }
    }
    newNet.setData(newData.inputs, newData.targets);
  } catch (e) {
    if (newNet !== net) newNet.dispose();
    throw e;
  }
  if (newNet !== net) adopt(newNet, carry ? epoch : 0);
  else epochBase = epoch;  // setData restarted the engine's own count
  data = newData;
  hyper = hyperOf(s);
  sendData = true;
}

const stepsPerEpoch = () => Math.ceil(data.inputs.length / 2 / hyper.batchSize);

// Inside an epoch: { done, of } mini-batches of it (the engine's schedule cursor, in examples, over the batch
// size); at an epoch's start: null.
function batchInEpoch() {
  if (!midEpoch || typeof net.schedule !== 'function') return null;
  const cursor = net.schedule().cursor;
  if (cursor === 0) { midEpoch = false; return null; }
  return { done: Math.ceil(cursor / hyper.batchSize), of: stepsPerEpoch() };
}

// `steps` SGD steps of the engine's schedule with the current hyper-parameters: the engine's reply, and what a
// frame says of a divergence (null if none): the engine rolled back to its last healthy checkpoint
// (restoredEpoch, counted like net.epochs), or — an engine without checkpoints — kept the weights from just
// before the step that diverged (null).
function sgd(steps) {
  const r = net.train({ steps, learningRate: hyper.learningRate, batchSize: hyper.batchSize, shuffle: hyper.shuffle, ...reg(hyper) });
  const diverged = r.diverged
    ? { restoredEpoch: typeof r.restoredEpoch === 'number' ? epochBase + r.restoredEpoch : null, learningRate: hyper.learningRate, message: r.message ?? '' }
    : null;
  return { r, diverged };
}

function train(epochs, group, steps = 0) {
  const t0 = performance.now();
  if (steps > 0) {
    // "Step one mini-batch": the engine's next mini-batch steps of its schedule (the batches an epoch takes
    // in turn); net.epochs counts the epoch once its last batch is done.
    if (group && group === haltedGroup) return { diverged: null, halted: true, trainMs: 0 };
    const { diverged } = sgd(steps);
    midEpoch = true;
    if (engineCountsEpochs()) epoch = epochBase + net.epochs;
    return { diverged, halted: false, trainMs: performance.now() - t0 };
  }
  let diverged = null, halted = false;
  if (epochs === 'max') {
    // As many whole epochs as fit in ~10 ms, from a running estimate of an epoch's cost.
    epochs = Math.max(1, Math.min(10000, Math.floor(10 / Math.max(msPerEpoch, 1e-4))));
  }
  if (group && group === haltedGroup) { epochs = 0; halted = true; }
  if (epochs > 0) {
    const t = sgd(epochs * stepsPerEpoch());
    diverged = t.diverged;
    if (engineCountsEpochs()) epoch = epochBase + net.epochs;
    else epoch += diverged ? Math.floor(t.r.steps / stepsPerEpoch()) : epochs;
    if (diverged) {
      if (group) haltedGroup = group;
    } else {
      msPerEpoch = 0.7 * msPerEpoch + 0.3 * ((performance.now() - t0) / epochs);
    }
  }
  return { diverged, halted, trainMs: performance.now() - t0 };
}

// A reply that is a frame: posted as { type: 'frame', id, …frame } with its buffers transferred.
class Frame { constructor(msg, transfer) { this.msg = msg; this.transfer = transfer; } }

function frame(epochs, want = {}, group = 0, steps = 0) {
  if (!net) throw new Error('worker: no network yet (a configure request comes first)');
  const t0 = performance.now();
  const t = train(epochs, group, steps);
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
      dead: s.dead ?? null,
    });
    transfer.push(W.buffer, b.buffer, s.gradW.buffer, s.gradB.buffer, s.saturation.buffer);
    if (s.dead && s.dead.buffer !== s.saturation.buffer) transfer.push(s.dead.buffer);
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
    diverged: t.diverged, halted: t.halted, sizes: config.sizes, features: config.features, kind: data.kind,
    activation: config.activation, outputActivation: config.outputActivation, extent: EXTENT,
    boundary, boundaryRes: res, neurons, thumbRes: THUMB_RES, layers, trainMs: t.trainMs,
    broken: net.broken ?? null,  // the "break an equation" switch (explain/check.js flags it while on)
    batch: batchInEpoch(),
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
  if (sendModel) {
    const head = net.toJSON();  // the network's settings (lab.js's `model` adds the frame's W and b)
    delete head.weights; delete head.biases;
    msg.model = head;
    sendModel = false;
  }
  msg.workerMs = performance.now() - t0;
  msg.timings = { train: t.trainMs, inspect: t2 - t1, grid: t3 - t2, neurons: t4 - t3, other: msg.workerMs - t.trainMs - (t4 - t1) };
  return new Frame(msg, transfer);
}

// A model (toJSON() of a network, already parsed and checked against the lab's limits by model.js) replaces
// the network and keeps the data. The engine checks it again; on any error the current network stays.
function importModel(obj, at = 0, schedule = null) {
  // the page computes in float32: a float64 model (from the full engine) is loaded into float32
  if (obj && typeof obj === 'object' && obj.precision === 'float64') obj = { ...obj, precision: 'float32' };
  const next = bp.networkFromJSON(obj);
  try {
    if (!next.config.features) throw new Error('model file: the lab needs a network on input features, and this one has no "features"');
    if (next.outputs !== data.outputs) throw new Error(`model file: the network has ${next.outputs} output(s), the current data needs ${data.outputs}`);
    next.setData(data.inputs, data.targets);
    if (schedule) next.setSchedule(schedule);
  } catch (e) { next.dispose(); throw e; }
  adopt(next, at);
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
  return out;
}

/**
 * Request handlers: (message) → a value for the reply, a Frame, or a Promise of either. protocol.js lists
 * the messages. The engine's state is module-level here (bp, net, data, config, hyper, epoch).
 */
const HANDLERS = {
  // The page compiles the .wasm once and posts the module to every lab's worker (lab.js); without one,
  // this worker downloads and compiles it itself (from next to its own script: the script's origin).
  async init(m) { bp = await loadBackprop(m.module ? { wasmModule: m.module } : {}); return 'ready'; },
  async configure(m) { await configure(m.state, { keepWeights: !!m.keepWeights }); return frame(0, m.want); },
  async regenerate(m) { await configure(m.state, { keepNetwork: true }); return frame(0, m.want); },
  hyper(m) { hyper = hyperOf(m.state); return frame(0, m.want); },
  frame(m) { return frame(m.epochs, m.want, m.group, m.steps ?? 0); },
  edit(m) {
    if (m.k >= 0) net.setWeight(m.l, m.j, m.k, m.value); else net.setBias(m.l, m.j, m.value);
    return frame(0, m.want);
  },
  thumbnails(m) { return thumbnails(m.names); },
  // schedule: where training stands in its mini-batch order (a lab file keeps it: the same next epoch)
  export() { return { json: net.toJSON(), epoch, schedule: net.schedule() }; },
  import(m) { importModel(m.model, m.epoch ?? 0); midEpoch = false; return frame(0, m.want); },
  // A lab put back after its worker was stopped, or a lab file loaded: the data from its state, the network
  // from its snapshot, and (a lab file) the mini-batch schedule, so the next epoch is the one the saved lab had.
  async restore(m) {
    const d = await makeData(m.state);
    const previous = data;
    data = d;
    try { importModel(m.model, m.epoch, m.schedule); } catch (e) { data = previous; throw e; }
    hyper = hyperOf(m.state);
    sendData = true;
    midEpoch = !!m.schedule;  // a lab file saved inside an epoch goes on from there
    return frame(0, m.want);
  },
};

// The step-through's, the gradient check's and the hidden layer's requests (web/src/explain/, views/hidden.js)
// are a chunk of their own (worker-lessons.js), loaded by the first of them: most labs never send one. What
// they read of this worker's state, live (the getters), and the frame they reply with:
const engine = Object.freeze({
  get net() { return net; }, get data() { return data; }, get config() { return config; },
  get hyper() { return hyper; }, get epoch() { return epoch; }, frame, reg,
});
let lessons = null;
for (const type of ['explain', 'stepExamples', 'revertStep', 'setBroken', 'gradientCheck', 'trace', 'hidden']) {
  HANDLERS[type] = async (m) => {
    lessons ??= import('./worker-lessons.js').catch((e) => { lessons = null; throw e; });
    return (await lessons)[type](m, engine);
  };
}

async function handle(m) {
  try {
    const handler = Object.hasOwn(HANDLERS, m?.type) ? HANDLERS[m.type] : null;
    if (!handler) throw new Error(`worker: unknown request type '${m?.type}'`);
    const out = await handler(m);
    if (out instanceof Frame) postMessage({ ...out.msg, id: m.id }, out.transfer);
    else postMessage({ type: 'reply', id: m.id, value: out });
  } catch (e) {
    postMessage({ type: 'error', id: m?.id, request: m?.type, message: e?.message ?? String(e) });
  }
}

// One request at a time, in order: 'init' is asynchronous, and requests posted meanwhile wait for it.
let queue = Promise.resolve();
self.onmessage = ({ data: m }) => { queue = queue.then(() => handle(m)); };
