// Plain-JavaScript, per-neuron, float64 reference network used as the speed
// baseline for the wasm engine. It follows the object-graph style of
// TensorFlow Playground's engine (Node objects holding inputLinks/outputs,
// Link objects holding weight and accumulated derivatives; forward, backward
// and update passes walk the nodes one by one). Written independently; it is
// intentionally NOT tuned, so the comparison is against a faithful
// per-neuron implementation.
//
// Math (identical to the wasm engine):
//   z^l = W^l a^(l-1) + b^l,  a^l = act(z^l)
//   C_x = 1/2 ||y - a^L||^2,  dC/da^L = a^L - y
//   per example: accumulate dC_x/dW and dC_x/db on every link / node
//   after each mini-batch of m_b examples (in order, last may be shorter):
//     W <- W - (eta/m_b) * sum dC_x/dW,  b <- b - (eta/m_b) * sum dC_x/db

const Activations = {
  tanh: {
    output: (x) => Math.tanh(x),
    der: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
  },
  sigmoid: {
    output: (x) => 1 / (1 + Math.exp(-x)),
    der: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    },
  },
  relu: {
    output: (x) => Math.max(0, x),
    der: (x) => (x <= 0 ? 0 : 1),
  },
  linear: {
    output: (x) => x,
    der: () => 1,
  },
};

const HIDDEN_ACTIVATIONS = ['tanh', 'sigmoid', 'relu', 'linear'];
const OUTPUT_ACTIVATIONS = ['tanh', 'sigmoid', 'linear'];

/** A connection from `source` to `dest`. */
class Link {
  constructor(source, dest, weight) {
    this.source = source;
    this.dest = dest;
    this.weight = weight;
    this.errorDer = 0; // dC_x/dw for the current example
    this.accErrorDer = 0; // sum over the current mini-batch
    this.numAccumulatedDers = 0;
  }
}

/** A single neuron. */
class Node {
  constructor(id, activation, bias) {
    this.id = id;
    this.activation = activation;
    this.bias = bias;
    this.inputLinks = [];
    this.outputs = [];
    this.totalInput = 0; // z
    this.output = 0; // a
    this.outputDer = 0; // dC/da
    this.inputDer = 0; // dC/dz (= dC/db)
    this.accInputDer = 0; // sum of dC/db over the mini-batch
    this.numAccumulatedDers = 0;
  }

  updateOutput() {
    let z = this.bias;
    for (let j = 0; j < this.inputLinks.length; j++) {
      const link = this.inputLinks[j];
      z += link.weight * link.source.output;
    }
    this.totalInput = z;
    this.output = this.activation.output(z);
    return this.output;
  }
}

// Tiny local PRNG (mulberry32).
function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds the network as an array of layers of Node objects.
 * layers: sizes, e.g. [2, 8, 8, 1].
 * weights / biases (optional): arrays over l = 1..L, row-major (n_l x n_{l-1})
 * and (n_l). If absent: uniform(-0.5, 0.5) weights from mulberry32(1), bias 0.1.
 */
export function buildNetwork(
  layers,
  { activation = 'tanh', outputActivation = 'sigmoid', weights, biases } = {},
) {
  if (!Array.isArray(layers) || layers.length < 2) {
    throw new Error('layers must list at least an input and an output size');
  }
  if (!HIDDEN_ACTIVATIONS.includes(activation)) {
    throw new Error(`unknown hidden activation: ${activation}`);
  }
  if (!OUTPUT_ACTIVATIONS.includes(outputActivation)) {
    throw new Error(`unknown output activation: ${outputActivation}`);
  }
  if (weights && weights.length !== layers.length - 1) {
    throw new Error('weights must have one entry per non-input layer');
  }
  if (biases && biases.length !== layers.length - 1) {
    throw new Error('biases must have one entry per non-input layer');
  }
  const rand = mulberry32(1);
  const network = [];
  let id = 0;
  for (let l = 0; l < layers.length; l++) {
    const isOutput = l === layers.length - 1;
    const act = Activations[isOutput ? outputActivation : activation];
    const layer = [];
    const n = layers[l];
    const prevLayer = l > 0 ? network[l - 1] : null;
    if (l > 0) {
      if (weights && weights[l - 1].length !== n * prevLayer.length) {
        throw new Error(`weights[${l - 1}] must have ${n * prevLayer.length} entries`);
      }
      if (biases && biases[l - 1].length !== n) {
        throw new Error(`biases[${l - 1}] must have ${n} entries`);
      }
    }
    for (let i = 0; i < n; i++) {
      const bias = l === 0 ? 0 : biases ? Number(biases[l - 1][i]) : 0.1;
      const node = new Node(id++, act, bias);
      if (l > 0) {
        for (let j = 0; j < prevLayer.length; j++) {
          const prev = prevLayer[j];
          const w = weights
            ? Number(weights[l - 1][i * prevLayer.length + j])
            : rand() - 0.5;
          const link = new Link(prev, node, w);
          prev.outputs.push(link);
          node.inputLinks.push(link);
        }
      }
      layer.push(node);
    }
    network.push(layer);
  }
  return network;
}

/** Forward pass for one example; returns the output node list. */
function forwardProp(network, inputs, offset) {
  const inputLayer = network[0];
  for (let i = 0; i < inputLayer.length; i++) {
    inputLayer[i].output = inputs[offset + i];
  }
  for (let l = 1; l < network.length; l++) {
    const layer = network[l];
    for (let i = 0; i < layer.length; i++) {
      layer[i].updateOutput();
    }
  }
  return network[network.length - 1];
}

/** Backward pass for one example; accumulates dC_x/dW and dC_x/db. */
function backProp(network, targets, offset) {
  const outputLayer = network[network.length - 1];
  for (let i = 0; i < outputLayer.length; i++) {
    const node = outputLayer[i];
    node.outputDer = node.output - targets[offset + i];
  }
  for (let l = network.length - 1; l >= 1; l--) {
    const layer = network[l];
    // dC/dz and dC/db for every node in this layer.
    for (let i = 0; i < layer.length; i++) {
      const node = layer[i];
      node.inputDer = node.outputDer * node.activation.der(node.totalInput);
      node.accInputDer += node.inputDer;
      node.numAccumulatedDers++;
    }
    // dC/dw for every link into this layer.
    for (let i = 0; i < layer.length; i++) {
      const node = layer[i];
      for (let j = 0; j < node.inputLinks.length; j++) {
        const link = node.inputLinks[j];
        link.errorDer = node.inputDer * link.source.output;
        link.accErrorDer += link.errorDer;
        link.numAccumulatedDers++;
      }
    }
    if (l === 1) continue;
    // dC/da for the previous layer.
    const prevLayer = network[l - 1];
    for (let i = 0; i < prevLayer.length; i++) {
      const node = prevLayer[i];
      let der = 0;
      for (let j = 0; j < node.outputs.length; j++) {
        const link = node.outputs[j];
        der += link.weight * link.dest.inputDer;
      }
      node.outputDer = der;
    }
  }
}

/** Applies the averaged accumulated gradients: p <- p - (eta/m_b) * sum. */
function updateWeights(network, learningRate) {
  for (let l = 1; l < network.length; l++) {
    const layer = network[l];
    for (let i = 0; i < layer.length; i++) {
      const node = layer[i];
      if (node.numAccumulatedDers > 0) {
        node.bias -= (learningRate * node.accInputDer) / node.numAccumulatedDers;
        node.accInputDer = 0;
        node.numAccumulatedDers = 0;
      }
      for (let j = 0; j < node.inputLinks.length; j++) {
        const link = node.inputLinks[j];
        if (link.numAccumulatedDers > 0) {
          link.weight -= (learningRate * link.accErrorDer) / link.numAccumulatedDers;
          link.accErrorDer = 0;
          link.numAccumulatedDers = 0;
        }
      }
    }
  }
}

/**
 * One epoch of mini-batch SGD over examples 0..n-1 in order.
 * inputs: n x d row-major, targets: n x k row-major.
 * Returns the mean quadratic cost over the epoch's examples, each computed
 * from the forward pass before the update of its mini-batch.
 */
export function trainEpoch(net, inputs, targets, n, { learningRate, batchSize }) {
  const d = net[0].length;
  const outputLayer = net[net.length - 1];
  const k = outputLayer.length;
  if (!(batchSize >= 1)) throw new Error('batchSize must be >= 1');
  if (inputs.length < n * d || targets.length < n * k) {
    throw new Error('inputs/targets too short for n examples');
  }
  let totalCost = 0;
  let inBatch = 0;
  for (let e = 0; e < n; e++) {
    forwardProp(net, inputs, e * d);
    let c = 0;
    for (let i = 0; i < k; i++) {
      const diff = targets[e * k + i] - outputLayer[i].output;
      c += diff * diff;
    }
    totalCost += 0.5 * c;
    backProp(net, targets, e * k);
    inBatch++;
    if (inBatch === batchSize || e === n - 1) {
      updateWeights(net, learningRate);
      inBatch = 0;
    }
  }
  return n > 0 ? totalCost / n : 0;
}

const scratch2 = new Float64Array(2);

/** Forwards one 2D point, returns the first output. */
export function predict(net, x0, x1) {
  scratch2[0] = x0;
  scratch2[1] = x1;
  return forwardProp(net, scratch2, 0)[0].output;
}

/**
 * Forwards every point of a resolution x resolution grid over
 * [-extent, extent]^2 (row i -> x1, column j -> x0; endpoints included)
 * and returns the first output of each in a Float64Array (row-major).
 */
export function gridForward(net, resolution = 100, extent = 6) {
  const out = new Float64Array(resolution * resolution);
  const step = resolution > 1 ? (2 * extent) / (resolution - 1) : 0;
  for (let i = 0; i < resolution; i++) {
    const x1 = resolution > 1 ? -extent + i * step : 0;
    for (let j = 0; j < resolution; j++) {
      const x0 = resolution > 1 ? -extent + j * step : 0;
      out[i * resolution + j] = predict(net, x0, x1);
    }
  }
  return out;
}

/** Returns { weights, biases }: row-major Float64Arrays per layer l = 1..L. */
export function getWeights(net) {
  const weights = [];
  const biases = [];
  for (let l = 1; l < net.length; l++) {
    const layer = net[l];
    const nPrev = net[l - 1].length;
    const W = new Float64Array(layer.length * nPrev);
    const b = new Float64Array(layer.length);
    for (let i = 0; i < layer.length; i++) {
      const node = layer[i];
      b[i] = node.bias;
      for (let j = 0; j < nPrev; j++) W[i * nPrev + j] = node.inputLinks[j].weight;
    }
    weights.push(W);
    biases.push(b);
  }
  return { weights, biases };
}
