// The worker's requests of the step-through (explain/panel.js), the gradient check and the "break an equation"
// switch (explain/check.js) and the hidden layer's space (views/hidden.js): a chunk of the worker of its own,
// which worker.js imports when the first of these requests comes (most labs never send one), so it is not part
// of the page's first load. Each handler is (message, engine) → a reply value, a frame or a Promise of either,
// as in worker.js's HANDLERS; `engine` is the worker's state, read live: { net, data, config, hyper, epoch,
// frame(epochs, want) (a Frame to reply with), reg(hyper) (its l1 or l2 as train() takes it) }.

// The full engine (float64, trace, gradientCheck) for the check and the walk's trace: loaded on first use only,
// in this worker (a chunk and a .wasm of its own), never part of the page's first load.
let full = null;
function fullEngine() {
  full ??= import('../../bindings/index.js').then((m) => m.loadBackprop()).catch((e) => { full = null; throw e; });
  return full;
}

// The lab's network in float64 on the full engine, with the same data and the same broken equation.
function float64Copy(bp64, { net, data }) {
  const json = net.toJSON();
  json.precision = 'float64';
  const copy = bp64.networkFromJSON(json);
  try {
    copy.setData(data.inputs, data.targets);
    if (net.broken) copy.setBroken(net.broken);
  } catch (e) { copy.dispose(); throw e; }
  return copy;
}

// The regularisation of one SGD step on one example as a trace spec states it: train() and stepExamples
// scale λ by the training-set size n, a spec with one example by 1, so the spec gets λ/n.
function traceRegularization({ data, hyper }) {
  const n = data.inputs.length / 2;
  return hyper.l1 > 0 ? { l1: hyper.l1 / n } : hyper.l2 > 0 ? { l2: hyper.l2 / n } : {};
}

// The step-through (explain/panel.js): backprop on training example `index` with the current weights,
// every factor of BP1–BP4 (net.explain), plus W^l, b^l and the hyper-parameters the walk writes out.
// indices instead of index: one mini-batch, every quantity an n × m matrix (examples as columns).
export function explain(m, { net, config, hyper, data, epoch }) {
  const e = net.explain(m.indices ?? m.index);
  const W = [], b = [];
  for (let l = 1; l < config.sizes.length; l++) { const x = net.layer(l); W.push(Array.from(x.W)); b.push(Array.from(x.b)); }
  return {
    ...e, W, b, sizes: config.sizes, features: config.features, activation: config.activation,
    outputActivation: config.outputActivation, costFunction: config.cost, learningRate: hyper.learningRate,
    l1: hyper.l1, l2: hyper.l2, n: data.inputs.length / 2, epoch,
  };
}

// "Apply this step": one SGD step on these examples (batch size 1: the notes' fit_partial), then a frame
// whose `step` is { costBefore, costAfter, diverged }; "Undo" takes it back exactly.
export function stepExamples(m, { net, hyper, frame, reg }) {
  const r = net.stepExamples(m.indices, { learningRate: hyper.learningRate, ...reg(hyper) });
  const f = frame(0, m.want);
  f.msg.step = r;
  return f;
}

export function revertStep(m, { net, frame }) {
  const reverted = net.revertStep();
  const f = frame(0, m.want);
  f.msg.reverted = reverted;
  return f;
}

// The teaching switch: one of BROKEN_EQUATIONS or null; training then uses the broken gradient.
export function setBroken(m, { net, frame }) {
  net.setBroken(m.name ?? null);
  return frame(0, m.want);
}

// Finite differences against backprop in float64 (the full engine, loaded here on first use), per layer.
export async function gradientCheck(m, engine) {
  const bp64 = await fullEngine();
  const copy = float64Copy(bp64, engine);
  const { hyper, reg } = engine;
  try {
    if (m.parameter) {
      const [l, j, k] = m.parameter;
      return copy.gradientCheckParameter(l, j, k, reg(hyper));
    }
    // a big network's check takes seconds: the lab shows how far it is, at most every 100 ms
    let last = 0;
    const onProgress = (done, total) => {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      postMessage({ type: 'progress', id: m.id, done, total });
    };
    return copy.gradientCheck({ ...reg(hyper), maxParameters: 2000, onProgress });
  } finally { copy.dispose(); }
}

// The walk as a saved trace ({ format, spec, trace }): the network and example as a `trace` spec of one
// SGD step with batch size 1, and the float64 trace of it, which `npx backprop-lab trace --check` reproduces.
export async function trace(m, engine) {
  const bp64 = await fullEngine();
  const { net, hyper } = engine;
  const e = net.explain(m.index), json = net.toJSON();
  const spec = {
    layers: json.layers, activation: json.activation, output_activation: json.outputActivation, cost: json.cost,
    weights: json.weights, biases: json.biases, inputs: [e.input], targets: [e.y],
    learning_rate: hyper.learningRate, batch_size: 1, steps: 1, ...traceRegularization(engine),
  };
  return { format: 'backprop-lab/trace', spec, trace: bp64.trace(spec) };
}

// The hidden layer's space (views/hidden.js): a^l of the given points (n × 2 inputs), and with pca the
// layer's principal directions over the training data.
export function hidden(m, { net, config }) {
  const acts = net.activations(m.points, { layer: m.layer });
  const value = { layer: m.layer, width: config.sizes[m.layer], activations: Float64Array.from(acts) };
  if (m.pca) value.principal = net.principalDirections({ layer: m.layer });
  return value;
}
