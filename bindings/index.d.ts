// Type declarations for backprop-lab's JS API (bindings/index.js; bindings/page.js, the lab page's
// float32-only build, has the same API: see page.d.ts). Hand-written: they are the API's documentation.
// Conventions (cost, δ, gradients, SGD step) are in the README, "Conventions".
//
// Network has [Symbol.dispose] (for `using`): the reference below brings in the declaration of
// Symbol.dispose, so these types compile under `tsc --strict` whatever the user's `lib`, without skipLibCheck.
/// <reference lib="esnext.disposable" />

export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'linear';
export type OutputActivation = Activation | 'softmax';
export type Cost = 'quadratic' | 'cross_entropy';
export type Init = 'nielsen' | 'xavier' | 'he' | 'uniform' | 'zeros';
export type Feature = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2';
export type DatasetName = 'circle' | 'xor' | 'gauss' | 'spiral' | 'moons' | 'blobs' | 'spiral3' | 'plane' | 'multigauss';
export type Precision = 'float64' | 'float32';
/**
 * Numbers, row-major: one example per row. Every value must be finite, and for a float32 network within
 * float32's range (|x| ≤ 3.4028234663852886e38; beyond it: "inputs[3]: 1e+39 is outside the float32 range").
 * The length is checked against LIMITS before anything is read or copied. A Float64Array or Float32Array is
 * checked in one plain loop (about 1 ns a value) and handed to the engine as it is; other arrays are read
 * element by element into a Float64Array. The engine copies the values: later changes to your array do
 * not reach it.
 */
export type Numbers = Float64Array | Float32Array | ArrayLike<number>;

export const ACTIVATIONS: readonly Activation[];
export const OUTPUT_ACTIVATIONS: readonly OutputActivation[];
export const COSTS: readonly Cost[];
export const INITS: readonly Init[];
export const FEATURES: readonly Feature[];
export const DATASETS: readonly DatasetName[];
export const PRECISIONS: readonly Precision[];
/** Limits that protect a browser tab's memory; exceeding one is an Error naming the field. */
export const LIMITS: Readonly<{
  maxLayers: 34; maxLayerSize: 4096; maxParameters: 4194304; maxExamples: 1000000;
  maxDatasetPoints: 100000; maxGridResolution: 1024;
  /**
   * Values in one array given to the engine (data, points, a layer's weights), also at most maxExamples rows:
   * checked before anything is copied, so an oversized array is an Error and wasm memory does not grow.
   */
  maxValues: 16777216;
  /** grid()/neuronGrid() extent: every feature of every cell (x1², x1·x2) then stays finite in float32. */
  maxGridExtent: 1e18;
}>;

export interface LoadOptions {
  /** The .wasm bytes (skips reading or fetching them). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where the .wasm is (default: next to this module): fetched in a browser, read from disk in node (file URL or path). */
  wasmUrl?: string | URL;
  /**
   * An already compiled module of this build's .wasm (e.g. compiled once by a page and posted to several
   * workers, so they share one download and one compile). Takes precedence over wasmBinary/wasmUrl.
   */
  wasmModule?: WebAssembly.Module;
}

/** Loads the engine: in node from disk, in a browser or worker by fetch. Later calls share one instance. */
export function loadBackprop(options?: LoadOptions): Promise<Backprop>;

export interface NetworkOptions {
  /** Layer sizes n_0 (inputs), n_1 … n_L (outputs); at least two. */
  layers: number[];
  /** Hidden activation. Default 'sigmoid'. */
  activation?: Activation;
  /** Output activation. Default: the hidden activation. */
  outputActivation?: OutputActivation;
  /** Default 'quadratic'. 'cross_entropy' needs a sigmoid or softmax output. */
  cost?: Cost;
  /** Weight initialisation. Default 'xavier'. */
  init?: Init;
  /** Seed of the initial weights (and of shuffling). Integer ≥ 0, default 1. */
  seed?: number;
  /**
   * Default 'float64' ('float32' in bindings/page.js, which has only float32). 'float32' is the fast path
   * (wasm SIMD); gradient checks still run in float64.
   */
  precision?: Precision;
  /**
   * Input features computed from 2D points (x1, x2); layers[0] must equal their number. With features,
   * train/predict/evaluate take 2D points; without, rows of layers[0] raw inputs.
   */
  features?: Feature[];
}

export interface TrainOptions {
  /** η > 0. Default 0.03. */
  learningRate?: number;
  /** Mini-batch size m ≥ 1 (1 = per-example updates, `fit_partial`). Default 10. Larger than n: one batch of n. */
  batchSize?: number;
  /** Whole passes over the data. Default 1. Ignored when steps > 0. */
  epochs?: number;
  /**
   * If > 0: this many SGD steps, wrapping around into further epochs. Successive calls go on where the last
   * one stopped in the epoch (setData starts over), so train({ steps: 1 }) in a loop visits every batch.
   */
  steps?: number;
  /** L1 regularization rate λ ≥ 0 (not together with l2). */
  l1?: number;
  /** L2 regularization rate λ ≥ 0. */
  l2?: number;
  /** Reshuffle the examples before each epoch (seeded). Default false: examples in order. */
  shuffle?: boolean;
}

/**
 * What train() returns. `diverged` and `cost` are true statements about the weights the network keeps:
 * diverged: false means C over the training data is finite at them; diverged: true means training stopped
 * and the weights went back to the checkpoint (see DivergedResult).
 */
export type TrainResult = TrainedResult | DivergedResult;

export interface TrainedResult {
  /**
   * Mean C_x over this call's examples, each measured just before its step, plus the regularization term
   * at the weights kept; null when no step was applied (epochs: 0).
   */
  cost: number | null;
  /** SGD steps applied (all kept). */
  steps: number;
  diverged: false;
  restoredEpoch?: undefined;
  message?: undefined;
}

/**
 * A step made the cost or a weight NaN/±∞, or the call would have left weights whose cost on the training
 * data is NaN/±∞. Training stopped and the network went back to its checkpoint:
 *  - the weights when the data or the weights were last set (setData, train with new data, setWeights,
 *    setBiases, setWeight, setBias), at that epoch and place in it;
 *  - or, later, the weights at the end of an epoch e when epochs e and e + 1 both had a finite, not exploding
 *    mean cost (at most 10× the lowest cost seen since the data or weights were set) and the cost on the
 *    whole data at the end of e was finite. (Epoch e + 1, which starts from those weights, is what vouches
 *    for them.)
 * From there a lower learning rate trains; the same rate diverges again.
 */
export interface DivergedResult {
  diverged: true;
  /**
   * C on the whole training data at the weights kept (the checkpoint's), with this call's l1/l2 term: the
   * same number evaluate(trainingInputs, trainingTargets, { l1, l2 }) gives. Finite — except when the weights
   * as they were set already overflow on these data (then training cannot start, nothing changed, and
   * `message` says so).
   */
  cost: number;
  /** This call's steps that are in the weights kept (0 when the checkpoint is older than the call). */
  steps: number;
  /** The checkpoint's epoch: equal to net.epochs after the call. */
  restoredEpoch: number;
  /**
   * "diverged: at learning rate η a step made the cost or a weight NaN or infinite. The weights went back to
   * the checkpoint at the end of epoch N, where the training cost is C; train on from there with a lower
   * learning rate (e.g. η/10)" — or, for weights that already overflow, what to change.
   */
  message: string;
}

export interface Evaluation {
  /** C over the examples (plus the l1/l2 term if given). */
  cost: number;
  /**
   * Fraction classified right: 1 output → threshold ½ against 0/1 targets; k outputs → argmax. Meaningless
   * for regression targets (the engine does not know what the targets mean).
   */
  accuracy: number;
}

export interface Layer {
  /** n_l and n_(l−1). */
  rows: number;
  cols: number;
  /** m, the examples in the last training step. */
  batchSize: number;
  /** W^l, row-major n_l × n_(l−1). */
  W: Float64Array | Float32Array;
  b: Float64Array | Float32Array;
  /** z^l, a^l, δ^l of the last step: m × n_l, example by example (example i at [i·n_l, (i+1)·n_l)). */
  z: Float64Array | Float32Array;
  a: Float64Array | Float32Array;
  delta: Float64Array | Float32Array;
  /** ∂C/∂W^l (row-major, like W) and ∂C/∂b^l of the last step: the batch mean plus the regularization term. */
  gradW: Float64Array | Float32Array;
  gradB: Float64Array | Float32Array;
}

/** One layer l of net.inspect(): the whole training set at the current weights. */
export interface InspectedLayer {
  /** sqrt((1/n) Σ_x ‖δ_x^l‖²): the RMS over the n examples of the per-example norm of δ^l = ∂C_x/∂z^l. */
  deltaNorm: number;
  /** ‖∂C/∂W^l‖ (Frobenius) and ‖∂C/∂b^l‖ of the full C. */
  gradWNorm: number;
  gradBNorm: number;
  /**
   * Per neuron j (n_l values): the fraction of the n examples on which it is saturated, σ'(z^l_j) < 5 % of σ's
   * largest slope (sigmoid: σ' < 0.0125; tanh: < 0.05); a ReLU with z ≤ 0 (no gradient: dead on that
   * example); never for linear; all 0 for a softmax output.
   */
  saturation: Float32Array;
  /**
   * ∂C/∂W^l (row-major n_l × n_(l−1), like W) and ∂C/∂b^l of the full C: the mean over all n examples plus
   * the l1/l2 term (biases not regularized), the convention of the training gradients. Float32Array in both
   * precisions (float64 networks' values are rounded).
   */
  gradW: Float32Array;
  gradB: Float32Array;
}

export interface Inspection {
  /** C on the training data, with the l1/l2 term if given (as evaluate()). */
  cost: number;
  /** As evaluate(): 1 output → threshold ½; k outputs → argmax. */
  accuracy: number;
  /** l = 1 … L at index l − 1. */
  layers: InspectedLayer[];
}

export interface GradientCheck {
  /** max over parameters of |g − ĝ| / max(|g|, |ĝ|, 1e-6), ĝ a 4th-order central difference of C. */
  maxRelativeError: number;
  maxAbsoluteError: number;
  checked: number;
  /**
   * Parameters not compared, because the derivative does not exist there: the stencil moved a ReLU's z across
   * its kink at 0 even at h/10, or (L1) the weight is within h/400 of the kink of |w| at 0.
   */
  skipped: number;
  parameters: number;
}

/**
 * toJSON()'s output; networkFromJSON() reads it back (any network's, exactly). `format` and `version` may be
 * left out of hand-written files; any other version than 1 is refused.
 */
export interface NetworkJSON {
  format: 'backprop-lab/network';
  version: 1;
  layers: number[];
  activation: Activation;
  outputActivation: OutputActivation;
  cost: Cost;
  init: Init;
  seed: number;
  precision: Precision;
  features?: Feature[];
  /** W^1 … W^L, each a row-major nested list n_l × n_(l−1). */
  weights: number[][][];
  biases: number[][];
}

export interface Network {
  readonly config: Readonly<Required<Omit<NetworkOptions, 'features'>> & { features: readonly Feature[] | null }>;
  readonly layers: number[];
  /** Values per example row: 2 with features, else layers[0]. */
  readonly inputWidth: number;
  readonly outputs: number;
  readonly parameterCount: number;
  readonly disposed: boolean;
  /**
   * Whole epochs completed since the last setData (or train with new data), counting only the steps kept:
   * after a diverged train() it is the checkpoint's epoch (result.restoredEpoch). An epoch ends when the
   * last mini-batch of the data has been stepped on, whatever the batch sizes of the calls in between.
   */
  readonly epochs: number;

  /**
   * Copies training data into the engine; train(options) then reuses it. Starts over: the first mini-batch,
   * epochs = 0, and the weights now become the divergence checkpoint.
   */
  setData(inputs: Numbers, targets: Numbers): void;
  /**
   * SGD on the data (or on the data from setData when inputs/targets are omitted). With inputs and targets
   * equal (value for value) to the data already loaded, it goes on like train(options) — no copy, the
   * epoch count and the place in the epoch kept; other data are loaded first, as setData does. The first
   * call after the data or the weights were set runs one forward pass over the data (the checkpoint's cost).
   */
  train(inputs: Numbers, targets: Numbers, options?: TrainOptions): TrainResult;
  train(options?: TrainOptions): TrainResult;
  evaluate(inputs: Numbers, targets: Numbers, options?: { l1?: number; l2?: number }): Evaluation;
  /** One row of outputs per input row: n × outputs, row-major. */
  predict(points: Numbers): Float64Array;
  /**
   * Outputs over a resolution² grid of cell centres on [−extent, extent]² (defaults 100, 6): output-major,
   * out[j·res² + row·res + col], row 0 at the top (x2 = +extent), column 0 at the left (x1 = −extent).
   * It is a picture: tanh and sigmoid use a cheaper approximation (absolute error < 1e-4; predict() is exact).
   * extent ≤ LIMITS.maxGridExtent (1e18).
   */
  grid(options?: { resolution?: number; extent?: number }): Float32Array;
  /**
   * What every neuron computes over the same grid as grid() (defaults: resolution 24, extent 6): a^l_j of
   * each neuron of layers 1 … L (hidden and output), the same cells and picture activations. Neuron (l, j)
   * occupies [(n_1 + … + n_(l−1) + j)·res², … + res²), cells in grid() order (row 0 at the top), so the last
   * n_L blocks equal grid(). A copy, safe to transfer. At most 2^26 values (neurons × res²).
   */
  neuronGrid(options?: { resolution?: number; extent?: number }): Float32Array;
  /**
   * One forward and backward pass (BP1–BP4) over all the training data from setData at the current weights,
   * without an SGD step and without disturbing training: the position in the epoch, the shuffle order, the
   * step divergence can take back, and layer(l) (still the last training step) stay as they were. Meant to
   * run every animation frame: after the first call with given data it allocates nothing in the engine
   * (the arrays it returns are fresh copies, each with its own transferable buffer). Throws if no data was
   * loaded.
   */
  inspect(options?: { l1?: number; l2?: number }): Inspection;
  /** Layer l = 1 … L after the last training step (copies); inspect() does not change it. */
  layer(l: number): Layer;
  /** Replace W^l (row-major n_l × n_(l−1)) or b^l: checked first; the new weights become the divergence checkpoint. */
  setWeights(l: number, values: Numbers): void;
  setBiases(l: number, values: Numbers): void;
  /** Set one weight w^l_jk or bias b^l_j (0-based j, k). Also a new checkpoint. */
  setWeight(l: number, j: number, k: number, value: number): void;
  setBias(l: number, j: number, value: number): void;
  /** Finite differences against backprop on the given data, or on the training data. Not in bindings/page.js. */
  gradientCheck(inputs: Numbers, targets: Numbers, options?: { l1?: number; l2?: number; maxParameters?: number }): GradientCheck;
  gradientCheck(options?: { l1?: number; l2?: number; maxParameters?: number }): GradientCheck;
  toJSON(): NetworkJSON;
  /** Frees the engine memory. Idempotent; any later call throws. */
  dispose(): void;
  /** `using net = bp.createNetwork(…)` where the runtime has Symbol.dispose (Node 22+, modern browsers). */
  [Symbol.dispose](): void;
}

export interface Dataset {
  name: DatasetName;
  kind: 'binary' | 'multiclass' | 'regression';
  /** 1 for binary and regression, k for multiclass (one-hot targets). */
  outputs: number;
  /** 2 for binary, k for multiclass, 0 for regression. */
  classes: number;
  /** n_train × 2 points in [−6, 6]², row-major. */
  inputs: Float64Array;
  /** n_train × outputs: 0/1, one-hot, or values in [−1, 1]. */
  targets: Float64Array;
  testInputs: Float64Array;
  testTargets: Float64Array;
}

export interface DatasetOptions {
  /** Points in all, train + test: 1 … 100000. Default 500. */
  n?: number;
  /** 0 … 1. Default 0. */
  noise?: number;
  /** Integer ≥ 0. Default 1. */
  seed?: number;
  /** Fraction held out as the test set, in [0, 1). Default 0. */
  testRatio?: number;
  /** blobs only: 3 … 5. Default 3. */
  classes?: number;
}

/** The spec of `backprop-lab trace` (see the README). */
export interface TraceSpec {
  layers: number[];
  activation?: Activation;
  output_activation?: OutputActivation;
  cost?: Cost;
  weights: number[][][];
  biases: number[][];
  inputs: number[][];
  targets: number[][];
  learning_rate?: number;
  /** Default 1; larger than the number of examples: one batch of all of them. */
  batch_size?: number;
  steps?: number;
  l2?: number;
  l1?: number;
}

export interface TraceResult {
  cost_initial: number;
  first_example: { z: number[][]; a: number[][]; delta: number[][]; grad_W: number[][][]; grad_b: number[][]; cost: number };
  grad_W: number[][][];
  grad_b: number[][];
  weights_final: number[][][];
  biases_final: number[][];
  cost_final: number;
  /**
   * Present only if training diverged: as in train(), the weights went back to the checkpoint (the given
   * weights, or the end of a confirmed epoch) and *_final are there; steps_applied are the steps kept.
   */
  diverged?: true;
  steps_applied?: number;
}

export interface Backprop {
  createNetwork(options: NetworkOptions): Network;
  /** Accepts net.toJSON() output or its JSON string. */
  networkFromJSON(json: NetworkJSON | string): Network;
  dataset(name: DatasetName, options?: DatasetOptions): Dataset;
  /** Not in bindings/page.js (an Error there). */
  trace(spec: TraceSpec): TraceResult;
  /** Bytes the engine's allocator holds. */
  heapInUse(): number;
  /** Size of the wasm memory in bytes. */
  memoryBytes(): number;
  /** JS values the engine holds handles to: constant unless something leaks. */
  handleCount(): number;
}
