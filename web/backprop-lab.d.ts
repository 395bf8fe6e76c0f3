// Types of <backprop-lab> (web/src/lab.js), the element that `import 'backprop-lab/element'` (the built
// dist/backprop-lab.js) registers. Hand-written, like bindings/index.d.ts: they are the element's documentation.
// BackpropLabState follows web/src/state.js's SCHEMA key for key (a test checks that, and that
// custom-elements.json, generated from SCHEMA, agrees); the README's "Embedding" has the same in tables.

/** The settings of a lab: its `state` property, its attributes (kebab-case) and the page's URL hash. */
export interface BackpropLabState {
  /** A generated dataset, or 'own': the points in `data`. */
  dataset: 'circle' | 'xor' | 'gauss' | 'spiral' | 'moons' | 'blobs' | 'spiral3' | 'plane' | 'multigauss' | 'own';
  /** Classes of `blobs`: 3 … 5. */
  classes: number;
  /** Noise in %, 0 … 50. */
  noise: number;
  /** Training share of the points in %, 10 … 100; the rest is test data (100: none). */
  trainRatio: number;
  /** Number of points, 50 … 2000. */
  points: number;
  /** Mini-batch size, 1 … 100. */
  batchSize: number;
  /** Reshuffle the examples before each epoch (false: in order, the per-example fit_partial loop). */
  shuffle: boolean;
  /** Seed of the data (and of the initial weights when weightSeed is not given), 0 … 2147483647 (random when not given). */
  seed: number;
  /** Seed of the initial weights, 0 … 2147483647; absent: the data seed. */
  weightSeed?: number;
  /** Input features, at least one; kept in this order. */
  features: Array<'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2'>;
  /** Hidden layer sizes: up to 8 layers of 1 … 16 neurons; [] for none. */
  layers: number[];
  /** Hidden activation. */
  activation: 'relu' | 'tanh' | 'sigmoid' | 'linear';
  /** Output activation; auto: sigmoid (2 classes), softmax (more), linear (regression). */
  output: 'auto' | 'sigmoid' | 'tanh' | 'linear' | 'softmax';
  /** auto: cross-entropy for classification, quadratic for regression. */
  cost: 'auto' | 'quadratic' | 'cross_entropy';
  init: 'xavier' | 'nielsen' | 'he' | 'uniform' | 'zeros';
  /** η, 0.000001 … 100. */
  learningRate: number;
  regularization: 'none' | 'l1' | 'l2';
  /** λ, 0 … 10. */
  regularizationRate: number;
  /** Also draw the test points. */
  showTestData: boolean;
  /** Draw the output as hard classes. */
  discretize: boolean;
  /** Colour the diagram's links by w or by ∂C/∂w. */
  linkColor: 'weight' | 'gradient';
  /** Epochs per animation frame ('max': as many as fit in 10 ms). */
  speed: '1' | '10' | '100' | 'max';
  /** A change of cost, output or activation keeps the current weights where the shapes allow. */
  keepWeights: boolean;
  /** The training example the step-through walks (absent: none). */
  explain?: number;
  /** The step of the walk, 0 … 999 (clamped to the walk's length). */
  explainStep: number;
  /** Walk one example or one mini-batch. */
  explainUnit: 'example' | 'batch';
  /** The hidden-layer view: a layer and two neurons ("1:0,1") or a layer's principal directions ("1:pca"). */
  hiddenSpace?: string;
  theme: 'auto' | 'light' | 'dark';
  /** Larger type and thicker lines, for a projector. */
  lecture: boolean;
  /** Your own points in the lab's compact text form (dataset 'own'). */
  data?: string;
}

/** A network in the engine's toJSON() format (bindings/index.d.ts has the full description). */
export interface BackpropLabModel {
  format?: 'backprop-lab/network';
  version?: number;
  /** n_0 (the number of features), the hidden sizes, n_L. */
  layers: number[];
  activation?: string;
  outputActivation?: string;
  cost?: string;
  init?: string;
  seed?: number;
  precision?: string;
  features?: string[];
  /** W^1 … W^L, each n_l rows of n_(l−1) numbers. */
  weights: number[][][];
  /** b^1 … b^L. */
  biases: number[][];
}

/** A point of own data: x₁, x₂ and its label — a class index 0 … classes − 1, or a value for regression. */
export type BackpropLabPoint = [number, number, number];

/** The `data` property: the points the lab trains and tests on. */
export interface BackpropLabData {
  /** Own data in its own order (on its grid of 0.01 in the view), or a generated dataset's training then test points. */
  points: BackpropLabPoint[];
  kind: 'binary' | 'multiclass' | 'regression';
  /** The number of classes (2 … 5); 0 for regression. */
  classes: number;
}

/**
 * What `data` may be set to: the points, or { points, kind?, classes? }. Without a kind, integer labels 0 … 4 are
 * classes and anything else is regression; `classes` keeps classes no point has yet. At most 2000 points, with
 * coordinates within ±6000 (the view shows ±6) and regression targets within ±1000.
 */
export type BackpropLabDataInput = BackpropLabPoint[] | {
  points: BackpropLabPoint[];
  kind?: 'binary' | 'multiclass' | 'regression';
  classes?: number;
};

/** The "fit to the view" rescale: x′ = (x − center) · scale, the same for both coordinates. */
export interface BackpropLabFit {
  center: [number, number];
  scale: number;
  /** Regression targets outside [−1, 1] are fitted too: y′ = (y − center) · scale. */
  target: { center: number; scale: number } | null;
}

/** What loadCSV() read. */
export interface BackpropLabCSVResult {
  /** Data rows read. */
  rows: number;
  kind: 'binary' | 'multiclass' | 'regression';
  /** How the label column was read: class indices 0 … k−1, other integers ranked, class names, or values. */
  labels: 'indices' | 'integers' | 'names' | 'values';
  /** The file's text for each class index (null for regression). */
  classNames: string[] | null;
  /** The rescale applied to points outside [−6, 6]; null when none was (or options.fit was false). */
  fitted: BackpropLabFit | null;
  /** One sentence saying what was read. */
  summary: string;
}

/** loadCSV() rejects with this: the first problem of the text, with its line and column (1-based). */
export interface BackpropLabCSVError extends Error {
  name: 'CSVError';
  line: number;
  /** The field: 1 x1, 2 x2, 3 label, 4 set (1 for a problem with a whole line). */
  column: number;
}

/** The `epoch` event's detail, and what step() resolves with: the figures of the frame just drawn. */
export interface EpochDetail {
  epoch: number;
  /** Inside an epoch (after stepBatch()): `done` of its `of` mini-batches are trained; null at an epoch's start. */
  batch: { done: number; of: number } | null;
  trainCost: number;
  /** null when there is no test data. */
  testCost: number | null;
  /** null for regression data. */
  trainAccuracy: number | null;
  testAccuracy: number | null;
  /** True when training stopped early because the cost diverged (the lab paused and kept a checkpoint). */
  diverged: boolean;
}

/** snippets(): three ways to share the lab's exact current state. */
export interface Snippets {
  /** A link to the lab page with the state in its hash. */
  link: string;
  /** An <iframe> of embed.html. */
  iframe: string;
  /** A <script type="module"> tag and the <backprop-lab> element with the state's attributes. */
  element: string;
}

/** Timing of the last frames, smoothed, in ms (what `npm run bench:page` reads). */
export interface BackpropLabStats {
  drawMs: number;
  trainMs: number;
  frameMs?: number;
  /** Per view: ms to draw it. */
  views: Record<string, number>;
  /** Per step of the worker's frame: ms. */
  worker?: Record<string, number>;
}

/** A lab's attributes, all optional strings in HTML (for JSX and template type-checkers). */
export interface BackpropLabAttributes {
  dataset?: BackpropLabState['dataset'];
  classes?: string | number;
  noise?: string | number;
  'train-ratio'?: string | number;
  points?: string | number;
  'batch-size'?: string | number;
  seed?: string | number;
  /** Comma list of features, e.g. "x1,x2,sinx1". */
  features?: string;
  /** Comma list of hidden layer sizes, e.g. "4,2"; "" for none. */
  layers?: string;
  activation?: BackpropLabState['activation'];
  output?: BackpropLabState['output'];
  cost?: BackpropLabState['cost'];
  init?: BackpropLabState['init'];
  'learning-rate'?: string | number;
  regularization?: BackpropLabState['regularization'];
  'regularization-rate'?: string | number;
  /** Booleans: "true"/"false", "1"/"0", or the bare attribute for true. */
  'show-test-data'?: string | boolean;
  discretize?: string | boolean;
  'link-color'?: BackpropLabState['linkColor'];
  speed?: BackpropLabState['speed'];
  shuffle?: string | boolean;
  'weight-seed'?: string | number;
  'keep-weights'?: string | boolean;
  explain?: string | number;
  'explain-step'?: string | number;
  'explain-unit'?: BackpropLabState['explainUnit'];
  'hidden-space'?: string;
  theme?: BackpropLabState['theme'];
  lecture?: string | boolean;
  data?: string;
  /** Element only: comma list of the controls shown (see the README), or "all". */
  controls?: string;
  /** Element only: comma list of boundary, network, gradients, cost, explain (the step-through), hidden (the hidden layer's space); or "all". */
  views?: string;
  /** Element only: start training once the first frame is drawn (a lab out of view, when it comes into view). */
  autoplay?: string | boolean;
  /** Element only: read the state from the page's URL hash and write every change back. */
  'sync-url'?: string | boolean;
  /** Element only: first-visit tips, until seen once (remembered in localStorage). */
  hints?: string | boolean;
}

export interface BackpropLabEventMap extends HTMLElementEventMap {
  /** After each drawn frame. */
  epoch: CustomEvent<EpochDetail>;
}

/** One layer l of an explanation (l = 1 … L at index l − 1): vectors of n_l values, W row-major as in the engine. */
export interface BackpropLabExplainedLayer {
  /** zˡ = Wˡ aˡ⁻¹ + bˡ */
  z: number[];
  /** aˡ = σ(zˡ) */
  a: number[];
  /** σ′(zˡ) (a softmax output: the Jacobian's diagonal) */
  sigmaPrime: number[];
  /** ∂C_x/∂aˡ: ∇ₐC at the output, (Wˡ⁺¹)ᵀδˡ⁺¹ below (BP2's first factor) */
  gradA: number[];
  /** δˡ = ∂C_x/∂zˡ (BP1 at the output, BP2 below) */
  delta: number[];
  /** ∂C_x/∂Wˡ = δˡ (aˡ⁻¹)ᵀ (BP4), row-major n_l × n_(l−1) */
  gradW: number[];
  /** ∂C_x/∂bˡ = δˡ (BP3) */
  gradB: number[];
}

/**
 * explain(index): backprop on one training example with the lab's current weights, as the step-through shows
 * it. Layer 0 is the input (Nielsen numbers it 1), so layers[0] is l = 1.
 */
export interface BackpropLabExplanation {
  /** The training example's index. */
  index: number;
  /** The point (x₁, x₂). */
  x: number[];
  /** a⁰: the features the network sees. */
  input: number[];
  /** The target y. */
  y: number[];
  /** C_x of this one example (no 1/n, no regularization). */
  cost: number;
  /** Cross-entropy with a sigmoid/softmax output: σ′ cancels in BP1 and δᴸ = aᴸ − y. */
  sigmaPrimeCancels: boolean;
  /** The equation broken by the lab's teaching switch, or null. */
  broken: string | null;
  layers: BackpropLabExplainedLayer[];
}

/** A parameter the gradient check compared: w^l_jk (kind 'W') or b^l_j (kind 'b', k = −1), j and k from 0. */
export interface BackpropLabCheckedParameter {
  kind: 'W' | 'b';
  j: number;
  k: number;
  backprop: number;
  finiteDifference: number;
  relativeError: number;
}

/** gradientCheck(): finite differences against backprop in float64 (the engine's gradientCheck()). */
export interface BackpropLabGradientCheck {
  maxRelativeError: number;
  maxAbsoluteError: number;
  checked: number;
  skipped: number;
  parameters: number;
  /** l = 1 … L at index l − 1: each layer's largest relative error and worst parameter. */
  layers: Array<{ maxRelativeError: number; maxAbsoluteError: number; checked: number; skipped: number; worst: BackpropLabCheckedParameter | null }>;
  /** The worst parameter over all layers, with its layer. */
  worst: (BackpropLabCheckedParameter & { layer: number }) | null;
}

/** <backprop-lab>: a neural network training in a worker, with its boundary, diagram, gradients and cost. */
export declare class BackpropLab extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The current state (a copy). */
  get state(): BackpropLabState;
  /** Sets some or all settings; bad values fall back to the current ones with a notice in the lab. */
  set state(value: Partial<BackpropLabState>);
  /** Whether it is training. */
  readonly playing: boolean;
  /** Resolves once the first frame (data, boundary, network) has been drawn. */
  readonly ready: Promise<void>;
  /** The epoch count of the frame drawn last. */
  readonly epoch: number;
  /** Timing of the last frames. */
  readonly stats: BackpropLabStats;
  /** Starts training; a lab out of view (or in a hidden tab) starts when it comes into view. */
  play(): void;
  pause(): void;
  /** Trains n epochs (default 1, at most 1000000) and resolves with the epoch detail once they are drawn. */
  step(n?: number): Promise<EpochDetail>;
  /**
   * Trains one mini-batch (the engine's next SGD step of its schedule) and resolves with the epoch detail once
   * drawn; `epoch` moves when the epoch's last mini-batch is done, `batch` says how far into the next one.
   */
  stepBatch(): Promise<EpochDetail>;
  /** The initial weights again (from the seed); the data stays. */
  reset(): void;
  snippets(): Snippets;
  /**
   * The network as last drawn, in the engine's toJSON() format, or null before the first frame (it can trail
   * a playing lab by a frame; modelJSON() asks the engine). Setting it loads a network as loadModel() does.
   */
  get model(): BackpropLabModel | null;
  set model(value: BackpropLabModel | string | Blob);
  /** The engine's toJSON() of the network, after every call made before it. */
  modelJSON(): Promise<BackpropLabModel>;
  /**
   * Loads a network (a toJSON() object, its JSON text, or a File/Blob of it) in place of the current one; the
   * settings follow it. Rejects with an Error naming what is wrong (also a notice); the current network stays.
   */
  loadModel(source: BackpropLabModel | string | Blob): Promise<void>;
  /**
   * The current data (null before a generated dataset's first frame). Setting it replaces the data with own
   * points (dataset 'own'), checked as a CSV file is, in call order; the network goes on training where its shape
   * allows. On error a notice names the field, and the current data stay (loadCSV() gives a Promise).
   */
  get data(): BackpropLabData | null;
  set data(value: BackpropLabDataInput);
  /**
   * Reads CSV text (x1,x2,label; a header, commas, semicolons or tabs, class names or numbers) into the lab's data,
   * as the CSV dialog does, after every call made before it. Points outside [−6, 6] are fitted to the view unless
   * options.fit is false. Rejects with a BackpropLabCSVError naming the line and column; nothing changes then.
   */
  loadCSV(text: string, options?: { fit?: boolean }): Promise<BackpropLabCSVResult>;
  /**
   * A figure of a view for slides, from the frame drawn last: PNG at 2× with a white background, or SVG (boundary
   * and network). Rejects naming the view or format that is not available.
   */
  exportImage(view: 'boundary' | 'network' | 'gradients', options?: { format?: 'png' | 'svg' }): Promise<Blob>;
  /**
   * Backprop on training example `index` with the current weights, as the step-through shows it; opens the
   * walk on it (training pauses). Rejects (and says so in the lab) for an index that is not a training example.
   */
  explain(index: number): Promise<BackpropLabExplanation>;
  /**
   * Finite differences against backprop in float64 for every parameter (a sample of 2,000 on bigger networks)
   * on the training data; the result shows in the lab's gradient check too. The float64 engine loads on first use.
   */
  gradientCheck(): Promise<BackpropLabGradientCheck>;
  /** How long (ms) a lab removed from the document keeps its engine running, so that a move is seamless. */
  static releaseDelay: number;

  addEventListener<K extends keyof BackpropLabEventMap>(type: K, listener: (this: BackpropLab, ev: BackpropLabEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof BackpropLabEventMap>(type: K, listener: (this: BackpropLab, ev: BackpropLabEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'backprop-lab': BackpropLab;
  }
}
