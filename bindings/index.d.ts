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
 * The "break an equation" teaching switch (net.setBroken). Each makes every backward pass of the network
 * wrong in one way, while the cost (and so the gradient check's finite differences) stays the true one:
 * - 'bp1_no_sigma_prime': BP1 without σ': δ^L = ∇_a C (instead of ∇_a C ⊙ σ'(z^L)). The check flags layer L
 *   first. Changes nothing with a linear output (σ' = 1). Under cross-entropy ∇_a C divides by a and 1 − a, so
 *   it can be ±∞ where an output is exactly 0 or 1 (training then stops as diverged).
 * - 'bp2_no_sigma_prime': BP2 without σ': δ^l = (W^(l+1))ᵀ δ^(l+1). Flags layer L − 1 first (δ^L is right).
 *   Changes nothing where the hidden activation is linear.
 * - 'bp2_no_transpose': BP2 with W^(l+1) δ^(l+1) instead of (W^(l+1))ᵀ δ^(l+1) — only where W^(l+1) is square
 *   (n_(l+1) = n_l), the other layers keep the transpose. Flags the highest l < L whose W^(l+1) is square.
 *   setBroken throws on a network with no square W^l for l ≥ 2.
 * - 'no_batch_mean': BP3/BP4 summed over the mini-batch instead of averaged (the 1/m forgotten): every
 *   gradient is m times too large, so the check flags layer L first. With batch size 1 it changes nothing.
 */
export type BrokenEquation = 'bp1_no_sigma_prime' | 'bp2_no_sigma_prime' | 'bp2_no_transpose' | 'no_batch_mean';
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
export const BROKEN_EQUATIONS: readonly BrokenEquation[];
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
   * largest slope (sigmoid: σ' < 0.0125; tanh: < 0.05) — where its gradient all but vanishes and it learns
   * slowly. Never for linear and ReLU (see dead); all 0 for a softmax output; and all 0 for the output layer
   * when sigmaPrimeCancels (saturation does no harm there).
   */
  saturation: Float32Array;
  /**
   * Per neuron j (n_l values), ReLU layers only (0 elsewhere): the fraction of the n examples on which z^l_j ≤ 0,
   * where relu' = 0 and no gradient passes — "dead" on those examples.
   */
  dead: Float32Array;
  /**
   * True for the output layer when the cost is cross-entropy and the output sigmoid or softmax: σ'(z^L)
   * cancels out of BP1 (δ^L = a^L − y), so a saturated output neuron does not learn slowly (Nielsen ch. 3),
   * and saturation is reported as 0 there.
   */
  sigmaPrimeCancels: boolean;
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

/** A parameter of the gradient check: w^l_jk (kind 'W'), or b^l_j (kind 'b', k = −1). */
export interface CheckedParameter {
  kind: 'W' | 'b';
  /** 0-based neuron j of layer l, and input k (−1 for a bias). */
  j: number;
  k: number;
  /** ∂C/∂θ from backprop (the broken gradient while an equation is broken). */
  backprop: number;
  /** The 4th-order central difference of the true C. */
  finiteDifference: number;
  relativeError: number;
}

/** The gradient check of one layer's parameters W^l, b^l. */
export interface GradientCheckLayer {
  maxRelativeError: number;
  maxAbsoluteError: number;
  checked: number;
  skipped: number;
  /** The parameter of this layer with the largest relative error; null if none of it was compared. */
  worst: CheckedParameter | null;
}

export interface GradientCheckOptions {
  l1?: number;
  l2?: number;
  /** At most this many parameters (a seeded sample on bigger networks); default 4096. */
  maxParameters?: number;
  /** Called after each parameter: done of total (the check of a big network takes seconds). */
  onProgress?: (done: number, total: number) => void;
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
  /**
   * l = 1 … L at index l − 1. With a broken equation, the first layer flagged (the highest l whose error is
   * large) is where the backward pass goes wrong: errors flow down from there.
   */
  layers: GradientCheckLayer[];
  /** The parameter with the largest relative error over all layers, and its layer; null if nothing was compared. */
  worst: (CheckedParameter & { layer: number }) | null;
}

/** net.gradientCheckParameter(l, j, k): one parameter, for the weight card. */
export interface ParameterCheck {
  backprop: number;
  finiteDifference: number;
  relativeError: number;
  absoluteError: number;
  /**
   * True at a kink, where the derivative does not exist: the stencil moved a ReLU's z across 0 (even at h/10),
   * or (L1) the weight is within h/400 of 0. The numbers are still given; the whole-network check skips these.
   */
  skipped: boolean;
}

/**
 * One layer l of an Explanation (l = 1 … L at index l − 1). One example: vectors of n_l values. A mini-batch:
 * row-major n_l × m matrices, examples as columns (example i is column i: [j·m + i]).
 */
export interface ExplainedLayer {
  /** z^l = W^l a^(l−1) + b^l */
  z: number[];
  /** a^l = σ(z^l) */
  a: number[];
  /**
   * σ'(z^l), the factor BP1/BP2 multiply by: sigmoid a(1 − a), tanh 1 − a², ReLU [z > 0] (relu'(0) = 0),
   * linear 1. For a softmax output σ' is a Jacobian, ∂a_j/∂z_k = a_j([j = k] − a_k); this is its diagonal
   * a_j(1 − a_j), so δ^L ≠ gradA ⊙ sigmaPrime there (δ^L = Jᵀ ∇_a C) — and under cross-entropy σ' cancels
   * anyway (Explanation.sigmaPrimeCancels).
   */
  sigmaPrime: number[];
  /**
   * ∂C_x/∂a^l, the factor σ' multiplies: at the output ∇_a C (quadratic a − y; cross-entropy
   * −y/a + (1 − y)/(1 − a), or −y/a with softmax — ±∞ where an output is exactly 0 or 1); below it
   * (W^(l+1))ᵀ δ^(l+1), the error carried back along W^(l+1)'s links (BP2). So δ^l = gradA ⊙ sigmaPrime,
   * except at the output where σ' cancels or is a softmax Jacobian.
   */
  gradA: number[];
  /** δ^l = ∂C_x/∂z^l (BP1 at L, BP2 below). */
  delta: number[];
  /** ∂C/∂W^l, row-major n_l × n_(l−1): one example's δ^l (a^(l−1))ᵀ (BP4), or the mean over the batch. No regularization term. */
  gradW: number[];
  /** ∂C/∂b^l: δ^l (BP3), or its mean over the batch. */
  gradB: number[];
}

/**
 * net.explain(index): backprop on one training example with the current weights, as the book's equations
 * compute it (BP1 → BP4), every factor kept. Layer numbering: layer 0 is the input (as the engine and the
 * diagram number them; Nielsen numbers it 1), so layers[0] is l = 1, the first with weights.
 * While an equation is broken (setBroken) these are the broken backward pass's numbers.
 */
export interface Explanation {
  index: number;
  /** The example's row as given to setData (2 values for 2D points with features, else n_0). */
  x: number[];
  /** a^0: the features the network sees (n_0 values). */
  input: number[];
  /** The target y (n_L values). */
  y: number[];
  /** C_x: ½‖y − a^L‖² or the cross-entropy; no 1/n, no regularization. */
  cost: number;
  /**
   * Cross-entropy with a sigmoid or softmax output: σ'(z^L) cancels in BP1 and the engine computes
   * δ^L = a^L − y directly (Nielsen eqs. 66, 84): no learning slowdown from a saturated output.
   */
  sigmaPrimeCancels: boolean;
  /** The broken equation in force when it was computed, or null. */
  broken: BrokenEquation | null;
  layers: ExplainedLayer[];
}

/**
 * net.explain(indices): the same for a mini-batch of m examples: every vector becomes a row-major n × m
 * matrix with the examples as columns (x: inputWidth × m, input: n_0 × m, y: n_L × m, and per layer z, a,
 * sigmaPrime, gradA, delta: n_l × m); cost is the mean C_x; gradW/gradB the means over the batch — what one
 * SGD step on that batch uses (stepExamples adds the regularization term). Repeated indices count twice.
 */
export interface BatchExplanation extends Omit<Explanation, 'index'> {
  indices: number[];
  m: number;
}

/** net.stepExamples(): the mean C_x over the step's examples (no regularization term). */
export interface ExampleStep {
  costBefore: number;
  costAfter: number;
  /** The step would have made a weight or the cost NaN/±∞: it was not applied (costAfter = costBefore). */
  diverged: boolean;
  /** Present when diverged. */
  message?: string;
}

/** net.principalDirections(): the plane a hidden-space view can look through. */
export interface PrincipalDirections {
  /** (1/n) Σ_x a^l(x) over the training data (n_l values). */
  mean: number[];
  /**
   * Unit vectors (n_l values each) of the largest and second-largest variance of a^l over the training data
   * (eigenvectors of its covariance (1/n) Σ_x (a − mean)(a − mean)ᵀ). Project a point as
   * ((a − mean)·d1, (a − mean)·d2). Each is signed so that its largest component is positive; when the two
   * variances are (nearly) equal any pair spanning the plane is as right, and the pair can turn between
   * calls: align with the previous frame's if the view animates. n_l = 1: [1] and [0].
   */
  directions: [number[], number[]];
  /** The variance along each direction (eigenvalues; 0 for the second when n_l = 1). */
  variances: [number, number];
  /** Σ_j Var(a^l_j): variances[i] / totalVariance is the share of the spread a direction shows. */
  totalVariance: number;
}

/** Network.schedule(): the order the examples are visited in and where the next mini-batch starts. */
export interface Schedule {
  /** A permutation of the example indices 0 … n−1 (used when `shuffled`; else the data's own order is). */
  order: number[];
  /** Index in `order` where the next step's mini-batch starts (0: at the start of an epoch). */
  cursor: number;
  /** Whether training ever shuffled (train({ shuffle: true })) since setData. */
  shuffled: boolean;
  /** The shuffle generator's state: 64 hex digits. */
  rng: string;
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
  gradientCheck(inputs: Numbers, targets: Numbers, options?: GradientCheckOptions): GradientCheck;
  gradientCheck(options?: GradientCheckOptions): GradientCheck;
  /**
   * The check of one parameter on the training data (setData): w^l_jk, or the bias b^l_j with k = −1
   * (l = 1 … L, 0-based j, k). Float64, like gradientCheck; not in bindings/page.js.
   */
  gradientCheckParameter(l: number, j: number, k: number, options?: { l1?: number; l2?: number }): ParameterCheck;

  /**
   * Backprop on training example `index` (0-based, a row of setData's data) with the current weights, every
   * factor of BP1–BP4 kept. Training is not touched: the position in the epoch, the step revertStep() takes
   * back, and layer(l) stay as they were. An index out of range (or no data) is an Error naming `index` and
   * the range. Both builds; in the page's float32 build the numbers are float32 computations (≈ 1e-6 relative).
   */
  explain(index: number): Explanation;
  /** The same for a mini-batch (Errors name `indices[i]`). */
  explain(indices: readonly number[] | ArrayLike<number>): BatchExplanation;
  /**
   * One SGD step on exactly these training examples — a mini-batch of their count (one index, or a list of
   * one: the notes' per-example fit_partial, W ← W − η δ aᵀ): W ← W − η((1/m) Σ_x ∂C_x/∂W + (λ/n)W),
   * b ← b − η(1/m) Σ_x ∂C_x/∂b, the regularization scaled by the training-set size n as train() does. The
   * position in the epoch does not move; layer(l) shows this step afterwards; revertStep() takes it back.
   * learningRate defaults to 0.03, as in train(). Uses the broken gradient while an equation is broken.
   */
  stepExamples(indices: number | readonly number[] | ArrayLike<number>, options?: { learningRate?: number; l1?: number; l2?: number }): ExampleStep;
  /**
   * Takes back the last SGD step exactly (the weights from before it, bit for bit): stepExamples()', or the
   * last step of train(). Returns false — and changes nothing — if there is none: nothing stepped yet, the
   * weights were set or re-initialised since, or it was already taken back (one level of undo).
   */
  revertStep(): boolean;
  /**
   * The "break an equation" teaching switch (BrokenEquation): while set, every backward pass of this network —
   * train, stepExamples, inspect, explain, and the backprop side of gradientCheck (its finite differences use
   * the true cost) — uses the broken gradient. null switches back to the correct equations. Not saved by
   * toJSON; a new network starts correct. Unknown names are an Error naming `broken`.
   */
  setBroken(name: BrokenEquation | null): void;
  /** The equation broken now, or null. */
  readonly broken: BrokenEquation | null;
  /**
   * a^l for each input row (2D points with features, else rows of n_0 raw values): Float64Array, n × n_l
   * row-major; layer 0 is the features (a^0), L the outputs (= predict()). Exact activations (not the grid's
   * picture approximation). A bad layer is an Error naming `layer`.
   */
  activations(points: Numbers, options: { layer: number }): Float64Array;
  /**
   * The mean of a^l (layer 0 … L) over the training data (setData) and its first two principal directions.
   * At most 1024 neurons in the layer (an Error naming `layer` above that).
   */
  principalDirections(options: { layer: number }): PrincipalDirections;
  toJSON(): NetworkJSON;
  /**
   * Where training stands in its mini-batch schedule. With the weights (toJSON) it decides every later step:
   * a network rebuilt from both, after setData with the same data, trains on exactly as this one would.
   */
  schedule(): Schedule;
  /** Sets a schedule() back (after setData with the same data); throws naming the field, nothing changes on error. */
  setSchedule(schedule: Schedule): void;
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
