// Synthetic Frames (protocol.js) for the dev pages of the output views (boundary, cost chart, gradients) —
// not part of the build. Nothing here is a real network: the boundary is a formula that sharpens over time,
// weights random-walk, costs decay, and the gradient norms shrink towards the input by a factor per layer
// (4× for sigmoid, like the real vanishing-gradient picture) and decay over epochs.
import { BOUNDARY_RES, THUMB_RES, EXTENT } from '../src/protocol.js';

export function rng(seed = 1) {
  let s = seed >>> 0;
  const rand = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  return { rand, gauss };
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

export class FakeRun {
  /**
   * @param {{kind?: 'binary'|'multiclass'|'regression', hidden?: number[], activation?: string, features?: string[],
   *          points?: number, testRatio?: number, classes?: number, seed?: number}} opts
   */
  constructor({ kind = 'binary', hidden = [8, 8, 8, 8, 8, 8], activation = 'sigmoid', features = ['x1', 'x2'],
    points = 500, testRatio = 0.5, classes = 3, seed = 1 } = {}) {
    Object.assign(this, { kind, activation, features, classes });
    const { rand, gauss } = this.r = rng(seed);
    const outputs = kind === 'multiclass' ? classes : 1;
    this.sizes = [features.length, ...hidden, outputs];
    this.outputActivation = kind === 'multiclass' ? 'softmax' : kind === 'regression' ? 'linear' : 'sigmoid';
    this.epoch = 0;
    this.generation = 1;
    this.centers = Array.from({ length: classes }, (_, c) => [3.2 * Math.cos((2 * Math.PI * c) / classes + 0.4), 3.2 * Math.sin((2 * Math.PI * c) / classes + 0.4)]);

    // data
    const nTest = Math.round(points * testRatio), nTrain = points - nTest;
    const make = (n) => {
      const xy = new Float32Array(2 * n), t = new Float32Array(n * outputs);
      for (let i = 0; i < n; i++) {
        let x, y, c;
        if (kind === 'multiclass') {
          c = i % classes;
          x = this.centers[c][0] + 1.1 * gauss(); y = this.centers[c][1] + 1.1 * gauss();
          t[i * outputs + c] = 1;
        } else if (kind === 'regression') {
          x = 12 * rand() - 6; y = 12 * rand() - 6;
          t[i] = Math.max(-1, Math.min(1, (x + y) / 10 + 0.05 * gauss()));
        } else {   // the Playground's circle
          c = i % 2;
          const r = c ? 2.5 * rand() : 3.5 + 1.5 * rand(), a = 2 * Math.PI * rand();
          x = r * Math.cos(a) + 0.2 * gauss(); y = r * Math.sin(a) + 0.2 * gauss();
          t[i] = c;
        }
        xy[2 * i] = Math.max(-6, Math.min(6, x)); xy[2 * i + 1] = Math.max(-6, Math.min(6, y));
      }
      return [xy, t];
    };
    const [train, trainLabels] = make(nTrain), [test, testLabels] = make(nTest);
    this.data = { train, trainLabels, test, testLabels };
    this.hasTest = nTest > 0;

    // per-layer state that drifts
    const L = this.sizes.length - 1;
    this.layers = [];
    for (let l = 1; l <= L; l++) {
      const rows = this.sizes[l], cols = this.sizes[l - 1], sd = 1 / Math.sqrt(cols);
      this.layers.push({
        rows, cols,
        W: Float32Array.from({ length: rows * cols }, () => gauss() * sd),
        b: Float32Array.from({ length: rows }, () => 0.2 * gauss()),
        pattern: Float32Array.from({ length: rows * cols }, () => gauss()),
        sat: Float32Array.from({ length: rows }, () => rand()),
      });
    }
  }

  /** Train `epochs` (pretend), then the Frame; `neuron` [l, j] adds that neuron's large grid. */
  frame(epochs = 1, neuron = null, { withData = false } = {}) {
    const { rand, gauss } = this.r;
    this.epoch += epochs;
    const e = this.epoch, L = this.sizes.length - 1;
    const progress = 1 - Math.exp(-e / 600);        // 0 → 1
    const decay = 0.08 + 0.92 * Math.exp(-e / 1500);
    const wob = Math.sin(e / 90);

    // output grid
    const res = BOUNDARY_RES, n = res * res, k = this.sizes[L];
    const boundary = new Float32Array(k * n);
    const sharp = 0.3 + 2.2 * progress;
    for (let r = 0; r < res; r++) {
      const y = EXTENT - ((r + 0.5) / res) * 2 * EXTENT;
      for (let c = 0; c < res; c++) {
        const x = ((c + 0.5) / res) * 2 * EXTENT - EXTENT, i = r * res + c;
        if (this.kind === 'multiclass') {
          let sum = 0;
          for (let j = 0; j < k; j++) {
            const [cx, cy] = this.centers[j];
            const v = Math.exp(-sharp * 0.25 * ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 * 2);
            boundary[j * n + i] = v; sum += v;
          }
          for (let j = 0; j < k; j++) boundary[j * n + i] /= sum;
        } else if (this.kind === 'regression') {
          boundary[i] = Math.tanh(((x + y) / 10) * (0.4 + 1.6 * progress) + 0.15 * wob * Math.sin(x));
        } else {
          boundary[i] = sigmoid(sharp * (9 - x * x - y * y * (1 + 0.15 * wob)) / 3 + 0.5 * Math.sin(x * y * 0.3));
        }
      }
    }

    // one neuron's large grid
    let neuronGrid;
    if (neuron) {
      const [l, j] = neuron;
      neuronGrid = new Float32Array(n);
      const a = Math.cos(l * 1.7 + j), b = Math.sin(l * 0.9 + j * 2.1), act = l === L ? this.outputActivation : this.activation;
      for (let r = 0; r < res; r++) {
        const y = EXTENT - ((r + 0.5) / res) * 2 * EXTENT;
        for (let c = 0; c < res; c++) {
          const x = ((c + 0.5) / res) * 2 * EXTENT - EXTENT;
          const z = (a * x + b * y) * 0.5 + 0.8 * Math.sin(0.4 * x * (1 + j % 3)) * (l > 1 ? 1 : 0);
          neuronGrid[r * res + c] = act === 'sigmoid' || act === 'softmax' ? sigmoid(z) : act === 'relu' ? Math.max(0, z) : act === 'linear' ? z / 4 : Math.tanh(z);
        }
      }
    }

    // layers: drifting weights, gradients that vanish towards the input
    const q = this.activation === 'sigmoid' ? 0.25 : this.activation === 'tanh' ? 0.65 : 0.85;
    const layers = this.layers.map((g, idx) => {
      const l = idx + 1;
      for (let i = 0; i < g.W.length; i++) g.W[i] += 0.01 * gauss() * Math.min(epochs, 10);
      const deltaNorm = 0.4 * q ** (L - l) * decay * (1 + 0.15 * Math.sin(e / 40 + l));
      const gradW = new Float32Array(g.W.length);
      let ss = 0;
      for (let i = 0; i < gradW.length; i++) { gradW[i] = deltaNorm * (g.pattern[i] + 0.3 * gauss()); ss += gradW[i] ** 2; }
      for (let j = 0; j < g.rows; j++) g.sat[j] = Math.max(0, Math.min(1, g.sat[j] + 0.01 * gauss()));
      const saturation = this.activation === 'linear' ? new Float32Array(g.rows) : Float32Array.from(g.sat, (s) => (l < L ? s : s * 0.5));
      return {
        rows: g.rows, cols: g.cols, W: g.W.slice(), b: g.b.slice(), gradW, gradB: new Float32Array(g.rows).map(() => deltaNorm * gauss()),
        deltaNorm, gradWNorm: Math.sqrt(ss), gradBNorm: deltaNorm * 0.7, saturation,
      };
    });

    const trainCost = 0.03 + 0.66 * Math.exp(-e / 500) + 0.004 * rand();
    const testCost = this.hasTest ? trainCost * 1.12 + 0.01 + 0.004 * rand() : null;
    const classification = this.kind !== 'regression';
    const thumbs = this.sizes.slice(1).reduce((a, b) => a + b, 0);
    const f = {
      generation: this.generation, epoch: e, trainCost, testCost,
      trainAccuracy: classification ? Math.min(1, 0.5 + 0.49 * progress + 0.01 * rand()) : null,
      testAccuracy: classification && this.hasTest ? Math.min(1, 0.48 + 0.47 * progress + 0.01 * rand()) : null,
      diverged: false, sizes: this.sizes, features: this.features, kind: this.kind, outputActivation: this.outputActivation,
      activation: this.activation, extent: EXTENT, boundary, boundaryRes: res, neurons: new Float32Array(thumbs * THUMB_RES * THUMB_RES),
      thumbRes: THUMB_RES, layers, trainMs: 0.5,
    };
    if (neuronGrid) f.neuron = neuronGrid;
    if (withData) f.data = this.data;
    return f;
  }
}
