// <backprop-lab>: the whole lab as one custom element. It holds the state (state.js), puts the controls
// (controls.js), the notices (notices.js) and the views (views/) in its shadow root, talks to its own worker
// (worker.js, protocol.js) and hands every frame to the views. Shadow DOM keeps its styles in and the host
// page's out, so the same element serves the full page, embed.html and blog posts.
//
// ---- How a feature plugs in ---------------------------------------------------------------------------------
// lab.js only coordinates. A capability that is not needed for the first frame (the step-through panel, own
// data, the CSV dialog, figure export, the Share panel, model files) is its own module, loaded on first use:
//
//   1. Write web/src/<name>.js exporting `attach(lab)`, which returns the feature's API (any object; an
//      optional `destroy()` is called if the lab is torn down). `lab` is the small interface below.
//   2. Add `<name>: () => import('./<name>.js')` to FEATURES (below). Vite makes it a chunk of its own.
//   3. Open it from the lab where it is needed: `this.#feature('<name>').then((f) => f.open())`. The module
//      loads once per page and attaches once per lab; later calls get the same API.
//   4. Worker-side work is a request type: one entry in HANDLERS in worker.js; call it with lab.call().
//
// The interface a feature gets (`lab`), all it may touch:
//   lab.element            the <backprop-lab> element (public API: play(), step(), state, …)
//   lab.root               its shadow root;  lab.h(tag, attrs, ...children): the DOM builder (no innerHTML)
//   lab.addStyles(css)     adds the feature's CSS to every lab's shared stylesheet (once; use the --bp-* tokens)
//   lab.frame              the last drawn frame (protocol.js Frame, with `data`), or null
//   lab.state              the current state (a copy);  lab.resolved: { outputActivation, cost } in use
//   lab.set(patch, opts)   change settings (validated as el.state is; bad values give notices). opts.keepNetwork:
//                          new data for the current network where its shape allows (drawing); opts.now: apply at
//                          once, for a feature running inside a call that holds the others (el.data = …)
//   lab.adopt(patch, { replace }) the engine already has these settings (after an import): update the state only
//                          (replace: the whole state, keys it lacks at their defaults — a lab file)
//   lab.workerState(state) the state as the worker's configure/restore take it (sizes, resolved output and cost)
//   lab.notice(text, options) → key;  lab.dismiss(key)     notices.js (levels, keys, groups, actions)
//   lab.call(type, payload, transfer) → Promise            a worker request (reply value, or the frame);
//                                                          payload.onProgress(done, total) if it reports progress
//   lab.views              { boundary, network, gradients, cost }: update(frame, state), destroy()
//   lab.slot(name)         an element for the feature's UI: 'bar' (end of the top bar), 'data' (under the data
//                          controls), 'output' (under the boundary's toggles), 'under-bar' (a line below the
//                          bar: hints, help), 'panel' (below the views), 'share', 'overlay' (over the whole lab,
//                          for dialogs), 'tools' (the own-data and figure buttons under the boundary), 'toolPanel'
//                          (below them), 'boundary' (the view's element), 'walk' (under the network diagram; 'panel'
//                          when the diagram is hidden); lab.css's top comment lists them with the layout and tokens
//   lab.feature(name)      another feature (a Promise of its API);  lab.allows(control): is it in `controls`;
//                          lab.shows(view): may this view show (`views`)
//   lab.loadView(name)     a Promise: the view's code is loaded and it has drawn (the gradient panel loads late)
//   lab.onFrame(fn)        fn(frame, state) after each drawn frame; returns an unsubscribe function
//   lab.play(), lab.pause(), lab.playing
//
// Requests: lab.call() posts { type, id, ...payload } (want, what the views need, is added) and resolves with
// the reply's value, or with the frame when the handler returned one (the frame is also drawn); it rejects
// with the worker's Error message. Requests run in the worker one at a time, in the order they were made.
// ------------------------------------------------------------------------------------------------------------
import {
  SCHEMA, DEFAULTS, ATTRIBUTES, parseHash, toHash, fromAttributes, validate, resolve, networkSizes,
  sameData, sameNetwork, sameHyper, sameShape, randomSeed, keyOfAttribute, attributeName, weightSeedOf, loadPlayground, thousands,
} from './state.js';
import { dataInfo, decodePoints } from './data/datatext.js';
import { BoundaryView, css as boundaryCss } from './views/boundary.js';
import { CostChart, css as costCss } from './views/costchart.js';
import { frameSlot, setText } from './views/history.js';
import { NetworkDiagram, css as networkCss } from './views/network.js';
import { show } from '../../bindings/show.js';   // the "got …" of an error: '3' (a string) is not 3
import { h, buildControls, syncControls, drawThumbnails, wantsSpace, isTextField } from './controls.js';
import labCss from './lab.css?inline';
// ?url: the same hashed assets the worker's bindings/page.js and Vite's worker bundle point at
import wasmUrl from '../../bindings/wasm/bp-page.wasm?url';  // minified by Vite
import workerUrl from './worker.js?worker&url';

performance.mark('backprop-lab:module');
// 'explain' (the step-through's panel) and 'hidden' (the hidden layer's space) show while the state asks for
// them (the explain and hiddenSpace keys); `views` can leave them out of an embed.
const VIEWS = ['boundary', 'network', 'gradients', 'cost', 'explain', 'hidden'];
const CONTROLS = ['play', 'step', 'reset', 'speed', 'learningRate', 'activation', 'regularization',
  'regularizationRate', 'output', 'cost', 'init', 'dataset', 'classes', 'noise', 'trainRatio', 'points',
  'batchSize', 'regenerate', 'features', 'layers', 'edit', 'showTestData', 'discretize', 'linkColor', 'share',
  'shuffle', 'keepWeights', 'newWeights', 'draw', 'csv', 'figures', 'labFile', 'lecture', 'help', 'explain',
  'check', 'hidden', 'stepBatch'];
// What the drawer holds below 1180 px: the data column's controls, and below 760 px the hyper-parameters.
const DATA_CONTROLS = ['dataset', 'classes', 'noise', 'trainRatio', 'points', 'batchSize', 'regenerate', 'shuffle', 'newWeights'];
const HYPER_CONTROLS = ['learningRate', 'activation', 'regularization', 'regularizationRate', 'output', 'cost', 'keepWeights', 'init', 'speed'];
const SNIPPET_WIDTH = 680;  // the iframe snippet is sized for a blog column this wide
/** The localStorage key that remembers the first-visit hints were seen (given to hints.js, which sets it). */
const HINTS_KEY = 'backprop-lab:hints';
const ANNOUNCE_MS = 5000;   // while playing, screen readers hear the cost at most this often
// While training plays, the readouts (the epoch counter; the cost panel's numbers; the gradient panel's bars,
// numbers and matrices) are written once per READOUT_MS slot of the page's frame clock (frameSlot: every lab
// of the page in the same frames), and on every drawn frame when it does not play (a step, a pause).
// Numbers that change 60 times a second cannot be read, and a frame that changes DOM lays out and repaints
// the page: four full labs in one column drew 25–28 fps writing them every frame (npm run bench:page,
// 'labs'). The pictures (the boundary, the diagram) take every frame; the charts' histories too.
const READOUT_MS = 100;

/** Features loaded on first use (see "How a feature plugs in" above). */
const FEATURES = {
  share: () => import('./share.js'),
  model: () => import('./model.js'),
  own: () => import('./own.js'),           // own data: el.data, loadCSV(), draw mode, the CSV dialog
  figures: () => import('./figures.js'),   // PNG / SVG of the views
  help: () => import('./help.js'),
  tips: () => import('./tips.js'),
  hints: () => import('./hints.js'),
  explain: () => import('./explain/panel.js'),   // the step-through: backprop on one example, BP1 → BP4
  check: () => import('./explain/check.js'),     // the gradient check and the "break an equation" switch
  hidden: () => import('./views/hidden.js'),     // the hidden layer's space
};
const darkScheme = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

// Where the built files are: this module is dist/assets/lab-*.js (src/lab.js in dev), one level below the
// page root that holds embed.html and backprop-lab.js. Not a `new URL('…', import.meta.url)` literal, which
// Vite would turn into a copied asset.
const ROOT = new URL(import.meta.url.replace(/[^/]*$/, '') + '../');
const STEP_CHUNK = 100000;  // epochs per worker request of a long step(n): progress is drawn between chunks

// A page has one address: the first lab with sync-url to start owns it (reads and writes the hash; Space on
// the page plays it). Another one would overwrite the first's hash with every change and load every link
// twice; it works from its attributes instead, and says so (#claimUrl). Freed when the owner is released.
let urlOwner = null;

let uid = 0;

// One download and one compile of the engine per page, shared by every lab's worker (a WebAssembly.Module
// can be posted to a worker). It comes from next to this script, also when that is another origin (a CDN,
// with CORS). If it fails here, each worker loads the engine on its own.
const WASM_URL = new URL(wasmUrl, import.meta.url);
let compiled = null;
function compileEngine() {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM_URL))
    .catch(() => fetch(WASM_URL).then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b)))
    .then((m) => { performance.mark('backprop-lab:engine-compiled'); return m; }, () => null);
  return compiled;
}

// The worker script sits next to this module. A browser starts a worker only from the page's own origin, so
// when this script was loaded from another one (a CDN), the worker is a same-origin blob: module whose one
// line imports the real worker (which the CDN serves with CORS). The page's CSP then needs `worker-src blob:`
// and the script's origin (Chromium checks a module worker's imports against worker-src too).
function startWorker(name) {
  const url = new URL(workerUrl, import.meta.url);
  if (url.origin === location.origin) return { worker: new Worker(url, { type: 'module', name }), blob: null };
  const blob = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
  try {
    return { worker: new Worker(blob, { type: 'module', name }), blob };
  } catch (e) {
    URL.revokeObjectURL(blob);
    throw e;
  }
}

// Parsed stylesheets shared by every lab on the page (constructable stylesheets; a <style> otherwise): the
// first frame's, then one per chunk loaded later (notices.js, the gradient panel, the walk…). A chunk's CSS is
// a sheet of its own appended to each lab's adoptedStyleSheets, not a rewrite of one big sheet: rewriting it
// made Chromium recompute the style of every element of every lab (~3,000 on an 8 × 16 net, a 70 ms task when
// the walk first opened), while a new sheet only invalidates what its own selectors match.
const BASE_CSS = () => [labCss, boundaryCss, costCss, networkCss].join('\n');
const extraCss = [];   // the CSS text of chunks loaded later, in load order
const sheets = [];     // constructable: [base, ...one per extraCss entry]
const roots = new Set();  // WeakRefs to the shadow roots that adopted them
const constructable = (root) => 'adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function'
  && 'replaceSync' in CSSStyleSheet.prototype;
function sheetOf(css) {
  const s = new CSSStyleSheet();
  s.replaceSync(css);
  return s;
}
function styles(root) {
  if (constructable(root)) {
    if (!sheets.length) sheets.push(sheetOf(BASE_CSS()), ...extraCss.map(sheetOf));
    root.adoptedStyleSheets = [...sheets];
    roots.add(new WeakRef(root));
  } else {
    root.append(h('style', { class: 'lab-styles', text: [BASE_CSS(), ...extraCss].join('\n') }));
  }
}
function addStyles(css, root) {
  if (extraCss.includes(css)) return;
  extraCss.push(css);
  if (sheets.length) {
    const s = sheetOf(css);
    sheets.push(s);
    for (const ref of roots) {
      const r = ref.deref();
      if (r) r.adoptedStyleSheets = [...r.adoptedStyleSheets, s];
      else roots.delete(ref);
    }
  } else root?.querySelector('style.lab-styles')?.append(css);
}

// Notices render from their own chunk (notices.js), loaded with the first notice: most labs never show one.
// Until it is there, calls are kept and replayed in order; show() returns the key the real one will use.
function lazyNotices(root, shadow) {
  let real = null, ops = null;
  const key = (text, o = {}) => (o.group ? `group:${o.group}` : (o.key ?? String(text)));
  const later = (name) => (...args) => {
    if (real) return real[name](...args);
    if (ops) ops.push([name, args]);  // nothing shown yet: nothing to dismiss
  };
  return {
    show(text, options) {
      if (real) return real.show(text, options);
      if (!ops) {
        ops = [];
        import('./notices.js').then((m) => {
          addStyles(m.css, shadow);
          real = new m.Notices(root);
          for (const [name, args] of ops) real[name](...args);
          ops = null;
        });
      }
      ops.push(['show', [text, options]]);
      return key(text, options);
    },
    dismiss: later('dismiss'),
    dismissWhere: later('dismissWhere'),
  };
}

// What a page's CSP must allow for this script: said in the lab when the worker does not start.
function cspHelp() {
  const origin = new URL(workerUrl, import.meta.url).origin;
  if (origin === location.origin) return "The page's Content-Security-Policy must allow worker-src 'self' (see the README, Embedding).";
  return `The page's Content-Security-Policy must allow worker-src blob: ${origin}, with ${origin} in script-src and connect-src, and ${origin} must send CORS headers (see the README, Embedding).`;
}

export class BackpropLab extends HTMLElement {
  static get observedAttributes() { return [...ATTRIBUTES, 'controls', 'views']; }
  /**
   * How long (ms) a lab removed from the document keeps its worker. A lab put back within that time (a move,
   * a framework re-render, a tab switch) goes on exactly where it was; after it, the worker is stopped and
   * the lab keeps its state, weights, epoch and charts, and restarts from them when it is put back.
   */
  static releaseDelay = 10000;

  #state = null;            // the current, valid state (what the controls, the link and el.state show)
  #resolved = null;         // resolve(state): output activation and cost actually used
  #engineState = null;      // the state the worker was last told (calls are queued until it can be told)
  #stash = [];              // properties set before the element was defined (the upgrade pattern)

  // the worker and the requests to it
  #worker = null;
  #blob = null;             // the blob: URL of a cross-origin worker's loader
  #open = false;            // requests can be posted (the worker exists and was sent 'init')
  #calls = new Map();       // id → { resolve, reject }
  #nextId = 1;
  #queue = [];              // calls made while the lab could not post, or behind a barrier, in order
  #queueBase = null;        // the state when the first of them was made (the engine starts from it)
  #barrier = 0;             // an asynchronous call (a model load) holds the later ones until it is done
  #broken = null;           // why the engine cannot run here (a CSP without worker-src, …)
  #released = false;        // removed from the document long enough that the worker was stopped
  #snapshot = null;         // { json, epoch } of a released lab, restored when it is put back
  #releaseTimer = 0;
  #steps = new Set();       // step() calls not settled yet: { reject, cancelled }
  #stepGroup = 0;
  #thumbnails = false;

  // playing and drawing
  #intent = false;          // play() was asked for (training runs while the lab is also in view)
  #intentSet = false;       // play()/pause()/step() was called: `autoplay` no longer applies
  #latest = null;           // newest frame not yet drawn
  #frame = null;            // last frame drawn
  #data = null;             // points of the current data (from the frame after configure)
  #modelHead = null;        // the network's toJSON() without weights (from the frame after configure)
  #afterDraw = [];
  #frameListeners = new Set();
  #hover = null;            // [l, j] of the hovered neuron
  #raf = 0;
  #rafSinceRequest = true;
  #offscreen = false;
  #observer = null;
  #onHash = null;
  #syncUrl = false;         // this lab owns the page's address (sync-url, and no other lab had it: #claimUrl)
  #onVisibility = null;
  #id = ++uid;
  #els = {};
  #views = {};
  #built = false;
  #notices;
  #noticesEl = h('div', { class: 'notices' });
  #features = new Map();
  #lastPush = 0;
  #regenerating = false;
  #readyResolve = null;
  #readyReject = null;
  #readyPromise = new Promise((res, rej) => { this.#readyResolve = res; this.#readyReject = rej; });
  // the theme and layout: the element's custom state `dark` (lab.css styles :host(:state(dark))), what the
  // views were last styled for, and the drawer
  #internals = null;
  #look = '';
  #drawerOpen = false;
  #onScheme = null;
  #resizeLook = null;
  // screen readers: the live summary, at most every ANNOUNCE_MS while playing
  #announcedAt = -Infinity;
  #announcedEpoch = -1;
  #pointerFocus = null;     // the element focus went to from a click or tap (Space plays there, see wantsSpace)
  #onBodyKey = null;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    try { this.#internals = this.attachInternals(); } catch { /* no ElementInternals: always the light theme */ }
    this.#notices = lazyNotices(this.#noticesEl, this.shadowRoot);
    // Properties a page set before this element was defined are own properties that hide the accessors:
    // take them off and apply them (in the order they were set) once the state exists.
    for (const k of Object.keys(this)) {
      if (k === 'state' || k === 'model' || k === 'data') { this.#stash.push([k, this[k]]); delete this[k]; }
    }
  }

  // ---- public API (README "The <backprop-lab> element"; every call works before the element is connected
  // and before the engine is ready: it is stored and takes effect, in order, once the lab runs) ------------

  /** The current state (a copy). Setting it validates, shows notices for bad values, and applies it. */
  get state() { return structuredClone(this.#ensureState()); }
  set state(value) {
    const base = this.#ensureState();
    let patch;
    try {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        this.#notice(`state: must be an object of settings, got ${show(value)} — nothing changed`, 'warning', 'state:object');
        return;
      }
      // own enumerable keys only, arrays made dense (a sparse [4, , 2] is not a list of sizes)
      patch = Object.fromEntries(Object.keys(value).map((k) => [k, Array.isArray(value[k]) ? Array.from(value[k]) : value[k]]));
    } catch (e) {
      // a revoked Proxy, a throwing getter or trap: named as the value that could not be read
      this.#notice(`state: cannot be read (${e instanceof Error ? e.message : show(e)}) — nothing changed`, 'warning', 'state:object');
      return;
    }
    this.#notices.dismiss('state:object');
    this.#patch(patch, base);
  }
  /** Whether the lab trains: play() was called (or autoplay) and it is in the document, in view, in a visible tab. */
  get playing() { return this.#intent && this.#runnable(); }
  /** Resolves once the first frame (data, boundary, network) has been drawn; rejects if the lab cannot train here. */
  get ready() { return this.#readyPromise; }
  get epoch() { return this.#frame?.epoch ?? 0; }

  /** Starts training; a lab out of view (or in a hidden tab, or not yet ready) starts when it can. */
  play() {
    if (this.#broken) { this.#notice(this.#broken, 'error', 'worker', { priority: 4 }); return; }
    this.#intent = true;
    this.#intentSet = true;
    this.#notices.dismiss('diverged');
    this.#notices.dismiss('autoplay');
    this.#syncPlayButton();
    this.#pump();
  }
  pause() {
    this.#intent = false;
    this.#intentSet = true;
    this.#syncPlayButton();
    this.#catchUpReadouts();
  }
  /**
   * Trains n epochs (default 1), after every call made before it; resolves with the epoch event's detail
   * once they are drawn (`diverged: true` if training stopped early). Rejects if the lab cannot train
   * (its worker could not start) or is removed from the document for good before the epochs are done.
   */
  step(n = 1) {
    if (!Number.isInteger(n) || n < 1 || n > 1e6) return Promise.reject(new Error(`step: n must be an integer in [1, 1000000], got ${show(n)}`));
    return this.#train('step', (group) => {
      let last = null;
      for (let left = n; left > 0; left -= STEP_CHUNK) {
        last?.catch(() => {});  // only the last chunk's outcome is reported
        last = this.#call('frame', { epochs: Math.min(left, STEP_CHUNK), want: this.#want(), group });
      }
      return last;
    });
  }
  /**
   * Trains one mini-batch: the engine's next SGD step of its schedule (the batch an epoch takes next), after
   * every call made before it; resolves with the epoch detail once drawn. The epoch counter moves when the
   * epoch's last mini-batch is done; until then the lab shows how many of its mini-batches are (`batch`).
   */
  stepBatch() {
    return this.#train('stepBatch', (group) => this.#call('frame', { epochs: 0, steps: 1, want: this.#want(), group }));
  }
  // step() and stepBatch(): pause, then, after every call made before, `request(group)` (the worker's frames,
  // one step group); resolves with the last frame's epoch detail once it is drawn.
  #train(name, request) {
    if (this.#broken) return Promise.reject(new Error(`${name}: ${this.#broken}`));
    if (this.#released) return Promise.reject(new Error(`${name}: this lab was removed from the document and its engine stopped; put it back in the page, then step`));
    this.#ensureState();
    this.pause();
    return new Promise((resolve, reject) => {
      const entry = { reject, cancelled: false };
      this.#steps.add(entry);
      const done = () => this.#steps.delete(entry);
      this.#run(() => {
        if (entry.cancelled) return;
        request(++this.#stepGroup)
          .then((f) => this.#whenDrawn(() => { done(); resolve(this.#detail(f)); }), (e) => { done(); reject(e); });
      }, (e) => { done(); reject(e); });
    });
  }
  /** New initial weights from the seed (the same ones a link reproduces); the data stays. */
  reset() {
    this.#ensureState();
    this.pause();
    this.#run(() => this.#configureEngine(this.#engineState));
  }

  /**
   * The network as last drawn, in the engine's toJSON() format ({ format, version, layers, …, weights,
   * biases }), or null before the first frame. Synchronous, so it can trail a playing lab by a frame;
   * modelJSON() asks the engine. Setting it loads a network as "Load JSON" does: the same checks, a notice
   * and the current network kept on error (loadModel() gives a Promise of the outcome).
   */
  get model() {
    const f = this.#latest ?? this.#frame, head = this.#modelHead;
    if (!f || !head) return null;
    const rows = (a, r, c) => Array.from({ length: r }, (_, j) => Array.from(a.subarray(j * c, (j + 1) * c)));
    return { ...structuredClone(head), weights: f.layers.map((L) => rows(L.W, L.rows, L.cols)), biases: f.layers.map((L) => Array.from(L.b)) };
  }
  set model(value) { this.loadModel(value).catch(() => {}); }

  /**
   * The current data: { points: [[x1, x2, label], …], kind, classes } — own data as it is kept (on its grid of
   * 0.01 in the view), or a generated dataset's training and then test points as the engine has them (float32);
   * null before a generated dataset's first frame. Labels are class indices, or values for regression.
   * Setting it replaces the data with those points (dataset 'own') after the same checks as a CSV file, in call
   * order; the network goes on training where its shape allows. A notice names what is wrong, and the current
   * data stay; loadCSV() and the lab file give a Promise of the outcome.
   */
  get data() {
    const s = this.#ensureState();
    if (s.dataset === 'own') {
      const info = dataInfo(s.data);
      return { points: decodePoints(s.data), kind: info.kind, classes: info.classes };
    }
    const d = this.#data, f = this.#frame;
    if (!d || !f) return null;
    const k = f.sizes.at(-1), points = [];
    for (const [X, Y] of [[d.train, d.trainLabels], [d.test, d.testLabels]]) {
      for (let i = 0; i < X.length / 2; i++) {
        let label = Y[i * k];
        if (k > 1) { label = 0; for (let j = 1; j < k; j++) if (Y[i * k + j] > Y[i * k + label]) label = j; }
        points.push([X[2 * i], X[2 * i + 1], label]);
      }
    }
    return { points, kind: f.kind, classes: f.kind === 'regression' ? 0 : Math.max(2, k) };
  }
  set data(value) {
    this.#viaFeature('data', 'own', (f) => f.setData(value)).catch(() => {});
  }

  /**
   * Reads CSV text (x1,x2,label, as the CSV dialog does) into the lab's data, in call order: resolves with
   * { rows, kind, labels, classNames, fitted } — fitted: the "fit to the view" rescale applied to coordinates
   * outside [−6, 6] (null if none; options.fit = false keeps them as they are). Rejects with the CSVError
   * that names the line and column; the current data and network then stay.
   */
  loadCSV(text, options = {}) {
    return this.#viaFeature('loadCSV', 'own', (f) => f.loadCSV(text, options));
  }

  /** A figure of a view ('boundary', 'network' or 'gradients') at 2× with a white background: a PNG or SVG Blob. */
  exportImage(view, options = {}) {
    if (this.#broken) return Promise.reject(new Error(`exportImage: ${this.#broken}`));
    return this.ready.then(() => this.#feature('figures')).then((f) => f.image(view, options));
  }

  // loadModel(), el.data, loadCSV(): a feature's work after every call made before, holding the later ones
  // until it is done; an error is also a notice (keyed, so the next success removes it). The notice says which
  // call it is about: a CSVError ('line 3, column 2 …') gets `prefix`; an Error that already names the call
  // ('loadCSV: options.fit …', 'data: expected …', as a script sees it) is shown as it is, not 'loadCSV: loadCSV: …'.
  #viaFeature(what, feature, fn, key = 'data-error', prefix = `${what}: `) {
    if (this.#broken) return Promise.reject(new Error(`${what}: ${this.#broken}`));
    if (this.#released) return Promise.reject(new Error(`${what}: this lab was removed from the document and its engine stopped; put it back in the page first`));
    this.#ensureState();
    return new Promise((resolve, reject) => {
      this.#run(() => this.#feature(feature).then(fn).then((r) => { this.#notices.dismiss(key); resolve(r); }, (e) => {
        if (!e?.cancelled) this.#notice(String(e?.message).startsWith(prefix) ? e.message : prefix + e?.message, 'error', key);
        reject(e);
      }), reject);
    });
  }

  /** A Promise of the engine's toJSON() of the network, after every call made before it. */
  modelJSON() {
    if (this.#broken) return Promise.reject(new Error(`modelJSON: ${this.#broken}`));
    if (this.#released && this.#queue.length === 0 && this.#snapshot) return Promise.resolve(structuredClone(this.#snapshot.json));
    if (this.#released) return Promise.reject(new Error('modelJSON: this lab was removed from the document and its engine stopped'));
    this.#ensureState();
    return new Promise((resolve, reject) => this.#run(() => { this.#call('export').then((r) => resolve(r.json), reject); }, reject));
  }

  /**
   * Loads a network (a toJSON() object, its JSON text, or a File/Blob of it) in place of the current one,
   * after every call made before it; the settings follow the file. Rejects with an Error naming what is wrong
   * (also shown as a notice); the current network then stays.
   */
  loadModel(source) {
    return this.#viaFeature('loadModel', 'model', (m) => m.load(source), 'model-error', '');
  }

  /**
   * Backprop on training example `index` with the current weights, as the step-through shows it (and opens it
   * there): a Promise of { index, x, input, y, cost, sigmaPrimeCancels, layers: [{ z, a, sigmaPrime, gradA,
   * delta, gradW, gradB }] } (l = 1 … L, plain arrays, W row-major). Rejects, with a notice, for an index
   * that is not a training example; nothing else changes then.
   */
  explain(index) {
    if (this.#broken) return Promise.reject(new Error(`explain: ${this.#broken}`));
    if (this.#released) return Promise.reject(new Error('explain: this lab was removed from the document and its engine stopped; put it back in the page first'));
    this.#ensureState();
    return this.#feature('explain').then((f) => f.open(index));
  }

  /**
   * Finite differences against backprop in float64 for the parameters (a sample of 2,000 on bigger networks)
   * on the training data: a Promise of { maxRelativeError, layers: [{ maxRelativeError, worst, … }], worst, … }
   * (the engine's gradientCheck()). Shown in the lab's check panel too.
   */
  gradientCheck() {
    if (this.#broken) return Promise.reject(new Error(`gradientCheck: ${this.#broken}`));
    if (this.#released) return Promise.reject(new Error('gradientCheck: this lab was removed from the document and its engine stopped; put it back in the page first'));
    this.#ensureState();
    return this.#feature('check').then((f) => f.run());
  }

  // ---- lifecycle: a lab survives any number of moves (see releaseDelay) --------------------------------------

  connectedCallback() {
    clearTimeout(this.#releaseTimer);
    performance.mark(`backprop-lab-${this.#id}:connected`);
    this.#ensureState();
    if (!this.#worker && !this.#broken) this.#start();  // first: the worker and the engine load while the DOM is built
    if (!this.#built) { this.#build(); performance.mark(`backprop-lab-${this.#id}:built`); }
    if (this.#syncUrl && urlOwner !== this) this.#syncUrl = this.#claimUrl();  // put back after a release
    this.#writeUrl(true);
    if (this.#syncUrl) {
      this.#onHash ??= () => {
        if (location.hash.slice(1) !== toHash(this.#state)) this.#fromLink();
      };
      addEventListener('hashchange', this.#onHash);
      addEventListener('popstate', this.#onHash);  // Back/Forward between pushState entries
    }
    this.#onVisibility ??= () => { this.#syncPlayButton(); this.#pump(); };
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#onScheme ??= () => this.#applyLook();
    darkScheme?.addEventListener('change', this.#onScheme);
    // The page's one sync-url lab is the page: Space plays and pauses there also when nothing has focus.
    if (this.#syncUrl) {
      this.#onBodyKey ??= (ev) => {
        const a = document.activeElement;
        if (ev.key === ' ' && !ev.defaultPrevented && (a === document.body || a === document.documentElement || a === null) && !this.#offscreen && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
          ev.preventDefault();
          this.#playPause();
        }
      };
      document.addEventListener('keydown', this.#onBodyKey);
    }
    // A lab scrolled out of view pauses and costs nothing; it resumes when it comes back.
    this.#observer ??= new IntersectionObserver((entries) => {
      this.#offscreen = !entries.at(-1).isIntersecting;
      this.#syncPlayButton();
      this.#pump();
    });
    this.#observer.observe(this);
    if (this.#frame) this.#draw(true);  // views re-attach their document listeners
    this.#syncPlayButton();
    this.#pump();
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    if (this.#onHash) { removeEventListener('hashchange', this.#onHash); removeEventListener('popstate', this.#onHash); }
    if (this.#onVisibility) document.removeEventListener('visibilitychange', this.#onVisibility);
    if (this.#onScheme) darkScheme?.removeEventListener('change', this.#onScheme);
    if (this.#onBodyKey) document.removeEventListener('keydown', this.#onBodyKey);
    cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    for (const v of Object.values(this.#views)) v.suspend?.();
    this.#syncPlayButton();
    clearTimeout(this.#releaseTimer);
    this.#releaseTimer = setTimeout(() => this.#release(), BackpropLab.releaseDelay);
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value) return;
    if (name === 'controls' || name === 'views') { if (this.#built) this.#applyVisibility(); return; }
    if (!this.#state) return;  // the attributes are read when the state is first needed
    const key = keyOfAttribute(name);
    if (value === null && (key === 'explain' || key === 'hiddenSpace')) this.#clear([key]);  // removed: closed
    else if (key) this.#patch({ [key]: value ?? DEFAULTS[key] });
  }

  // ---- state ----------------------------------------------------------------------------------------------

  // The state is made when it is first needed (connection, or an API call before it): from the URL hash
  // (sync-url) or the attributes, then the properties set before the element was defined.
  #ensureState() {
    if (this.#state) return this.#state;
    let initial;
    this.#syncUrl = this.#claimUrl();
    if (this.#syncUrl && location.hash.length > 1) {
      initial = parseHash(location.hash);
      if (initial.pending) { this.#pendingLink = location.hash; queueMicrotask(() => this.#fromLink()); }
    } else initial = fromAttributes((name) => this.getAttribute(name));
    if (this.#syncUrl) this.#linkControls(initial.hiddenControls);
    this.#stateNotices(initial.notices, []);
    const state = { ...initial.state };
    if (state.seed === undefined) state.seed = randomSeed();
    this.#state = state;
    this.#resolved = this.#resolve(state);
    const stash = this.#stash;
    this.#stash = [];
    for (const [k, v] of stash) this[k] = v;
    return this.#state;
  }

  // sync-url (read at start): true if this lab may have the page's address, which no other live lab has; a
  // second one gets a notice and a console warning naming the attribute, and runs from its attributes.
  #claimUrl() {
    if (!this.hasAttribute('sync-url')) return false;
    if (urlOwner && urlOwner !== this && !urlOwner.#released) {
      const text = 'sync-url: another lab on this page already has the address (the first with sync-url); this one runs from its own attributes and leaves the URL alone. Keep sync-url on one lab.';
      this.#notice(text, 'warning', 'sync-url');
      console.warn(`<backprop-lab>: ${text}`, this);
      return false;
    }
    urlOwner = this;
    this.#notices.dismiss('sync-url');
    return true;
  }

  // A link in the address bar (sync-url), after the first: its state. A TensorFlow Playground link's
  // translation (playground.js) is a chunk of its own: until it is here the lab keeps its state and leaves the
  // address alone; then the translated state, its one notice, the controls it hides, and this lab's own link.
  #pendingLink = null;
  #fromLink(hash = location.hash) {
    const { state: s, notices, pending, hiddenControls, format } = parseHash(hash);
    this.#pendingLink = pending ? hash : null;
    if (pending) {
      loadPlayground().then(() => { if (this.#pendingLink === hash && location.hash === hash) this.#fromLink(hash); }, () => {
        this.#pendingLink = null;
        this.#notice('This TensorFlow Playground link could not be read: its translation did not load (reload the page to try again).', 'warning', 'playground');
      });
      return;
    }
    this.#notices.dismissWhere((k) => k.startsWith('state:') || k === 'group:unknown-setting');
    this.#stateNotices(notices, []);
    this.#linkControls(hiddenControls);
    if (s.seed === undefined) s.seed = this.#state.seed;
    this.#setState(s, { fromUrl: true });
    if (format === 'playground') this.#writeUrl(true);
  }
  // The controls a link hides (a Playground link's *_hide keys): the element's `controls`, and the page's
  // address keeps them in its query (?controls=…, read by main.js), so this lab's own link hides them too.
  #linkControls(hidden) {
    for (const [k, v] of new URLSearchParams(location.search)) if ((k === 'controls' || k === 'views') && !this.hasAttribute(k)) this.setAttribute(k, v);
    if (!hidden?.length) return;
    const shown = CONTROLS.filter((c) => !hidden.includes(c)).join(',');
    this.setAttribute('controls', shown);
    const q = new URLSearchParams(location.search);
    q.set('controls', shown);
    history.replaceState(null, '', `${location.pathname}?${q.toString().replaceAll('%2C', ',')}${location.hash}`);
  }

  // Validation notices are keyed by the setting they are about, so they go when that setting gets a good
  // value; unknown keys merge into one line.
  #stateNotices(notices, given) {
    for (const n of notices) {
      const k = /^([A-Za-z]+): /.exec(n)?.[1];
      if (/^unknown setting/.test(n)) this.#notices.show(n, { level: 'warning', group: 'unknown-setting' });
      else this.#notices.show(n, { level: 'warning', key: k && Object.hasOwn(SCHEMA, k) ? `state:${k}` : n });
    }
    for (const k of given) if (!notices.some((n) => n.startsWith(`${k}:`))) this.#notices.dismiss(`state:${k}`);
  }

  // Notices about how `auto`/invalid output–cost pairs were resolved last only while they apply.
  #resolveNotices = [];
  #resolve(state) {
    const r = resolve(state);
    const now = r.notices ?? [];
    for (const n of this.#resolveNotices) if (!now.includes(n)) this.#notices.dismiss(`resolve:${n}`);
    for (const n of now) if (!this.#resolveNotices.includes(n)) this.#notice(n, 'info', `resolve:${n}`);
    this.#resolveNotices = now;
    return r;
  }

  // Removes optional keys without a default (explain, hiddenSpace): a patch cannot, it falls back to the base.
  #clear(keys, patch = {}, options = {}) {
    const base = { ...this.#ensureState() };
    for (const k of keys) delete base[k];
    this.#patch(patch, base, options);
  }

  #patch(patch, base = this.#ensureState(), options = {}) {
    const { state, notices } = validate({ ...base, ...patch }, base);
    this.#stateNotices(notices, Object.keys(patch));
    this.#setState(state, options);
  }

  // A new valid state: shown at once (controls, link, el.state); the engine follows in call order (or at once:
  // `now`, from a feature inside a call that holds the others). keepNetwork: new data for the same network.
  #setState(next, { fromUrl = false, keepNetwork = false, now = false } = {}) {
    const prev = this.#state;
    if (next.seed === undefined) next = { ...next, seed: prev.seed };  // a removed/bad seed keeps the current one
    this.#state = next;
    this.#resolved = this.#resolve(next);
    if (this.#built) { this.#syncControls(); this.#applyVisibility(); this.#applyLook(); }
    if (!fromUrl) this.#writeUrl(false);
    const regenerate = this.#regenerating;
    if (now && this.#open) this.#sync(next, { regenerate, keepNetwork });
    else this.#run(() => this.#sync(next, { regenerate, keepNetwork }));
    if (prev && ['explain', 'explainStep', 'explainUnit', 'hiddenSpace'].some((k) => prev[k] !== next[k])) this.#syncFeatures();
  }

  // The step-through and the hidden layer's view follow the state (a link or an attribute opens them): their
  // modules load when the state first asks for them, after the first frame.
  #syncFeatures() {
    if (!this.#frame) return;  // the first frame calls this again
    const s = this.#state;
    if ((s.explain !== undefined && this.#shownViews.has('explain')) || this.#features.has('explain')) this.#feature('explain').then((f) => f.sync(), () => {});
    if ((s.hiddenSpace !== undefined && this.#shownViews.has('hidden')) || this.#features.has('hidden')) this.#feature('hidden').then((f) => f.sync(), () => {});
  }

  // Tells the engine about a state: rebuilds only what changed (data, network, or hyper-parameters).
  #sync(next, { regenerate = false, keepNetwork = false } = {}) {
    const prev = this.#engineState;
    this.#engineState = next;
    if (!prev) { this.#configureEngine(next); return; }
    const dataChanged = !sameData(prev, next), networkChanged = !sameNetwork(prev, next);
    // keepWeights: another cost, output or hidden activation on weights of the same shapes starts from the
    // current weights, and training goes on (the same saturated neuron under both costs).
    if (networkChanged && next.keepWeights && !dataChanged && sameShape(prev, next)
      && String([prev.features, prev.init, prev.weightSeed]) === String([next.features, next.init, next.weightSeed])) {
      this.#configureEngine(next, { keepWeights: true });
      return;
    }
    // A new dataset is a new problem: a fresh network, as in the Playground. New noise, points or ratio,
    // Regenerate, and own data being drawn (keepNetwork) keep the network and go on training it on the new data.
    if (networkChanged || (prev.dataset !== next.dataset && !keepNetwork) || (dataChanged && prev.seed !== next.seed && !regenerate)) this.#configureEngine(next);
    else if (dataChanged) this.#post('regenerate', { state: this.#workerState(next) });
    else if (!sameHyper(prev, next)) this.#post('hyper', { state: this.#workerState(next) });
    else this.#draw(true);  // view-only settings (discretize, test data, link colour, speed)
  }

  #configureEngine(s, { keepWeights = false } = {}) {
    this.#notices.dismiss('diverged');
    this.#notices.dismiss('loaded');
    if (!keepWeights) {  // the charts go on when training does
      this.#views.cost?.reset();
      this.#views.gradients?.reset();
    }
    this.#engineState = s;
    this.#post('configure', { state: this.#workerState(s), keepWeights });
  }

  #workerState(s) {
    const r = resolve(s);
    return { ...s, weightSeed: weightSeedOf(s), sizes: networkSizes(s), outputActivation: r.outputActivation, cost: r.cost };
  }

  #writeUrl(initial) {
    if (!this.#syncUrl || !this.isConnected || this.#pendingLink) return;
    const hash = '#' + toHash(this.#state);
    if (location.hash === hash) return;
    // One history entry per burst of changes (dragging a slider is one change), so Back undoes a change.
    const now = performance.now();
    if (initial || now - this.#lastPush < 800) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    this.#lastPush = now;
  }

  // ---- the worker: start, requests in order, release, failure ---------------------------------------------

  #start() {
    this.#released = false;
    let started;
    try {
      started = startWorker(`backprop-lab-${this.#id}`);
    } catch (e) {
      this.#fail(`This lab cannot train: the browser refused to start its worker. ${cspHelp()} (${e.message})`);
      return;
    }
    const { worker, blob } = started;
    this.#worker = worker;
    this.#blob = blob;
    worker.onmessage = ({ data: m }) => this.#onMessage(m);
    // A worker that fails to load (CSP, CORS, a missing file) reports an error event with no details.
    worker.onerror = (e) => {
      e.preventDefault?.();
      if (this.#worker === worker) this.#fail(`This lab cannot train: its worker did not start. ${cspHelp()} The worker and the .wasm must be served next to backprop-lab.js.${e.message ? ` (${e.message})` : ''}`);
    };
    compileEngine().then((module) => {
      if (this.#worker !== worker) return;  // released or failed meanwhile
      this.#call('init', { module }).then(() => { performance.mark(`backprop-lab-${this.#id}:engine-ready`); this.#revokeBlob(); }, (e) => {
        if (!e.cancelled) this.#fail(`This lab cannot train: the engine (WebAssembly) did not load (${e.message}); the page's Content-Security-Policy needs script-src 'wasm-unsafe-eval'.`);
      });
      // the engine starts from the state of the first call that was waiting (or the current one), then
      // the restored weights of a lab that was put back, then everything called meanwhile, in order
      const base = this.#engineState ?? this.#queueBase ?? this.#state;
      this.#queueBase = null;
      const snap = this.#snapshot;
      this.#snapshot = null;
      if (snap) {
        // one frame, at the snapshot's epoch: the charts go on where they were
        this.#engineState = base;
        this.#call('restore', { state: this.#workerState(base), model: snap.json, epoch: snap.epoch, want: this.#want() })
          .catch((e) => { if (!e.cancelled) { this.#notice(`The lab's network could not be restored (${e.message}); it starts again from its settings.`, 'warning'); this.#configureEngine(base); } });
      } else {
        this.#configureEngine(base);
      }
      if (!this.#thumbnails) {
        this.#thumbnails = true;
        this.#call('thumbnails', { names: SCHEMA.dataset.options.map((o) => o.value) }).then((t) => drawThumbnails(this.#els, t), () => { this.#thumbnails = false; });
      }
      this.#open = true;
      this.#drain();
    });
  }

  #revokeBlob() { if (this.#blob) { URL.revokeObjectURL(this.#blob); this.#blob = null; } }

  // Runs `op` now if requests can be posted and nothing is waiting, else queues it behind the others.
  // An op that returns a Promise holds the later ones until it settles (a barrier).
  // `cancel(error)`, when given, settles the caller's Promise if the op can never run.
  #run(op, cancel = null) {
    if (this.#open && this.#queue.length === 0 && !this.#barrier) this.#exec(op);
    else {
      if (!this.#open && this.#queue.length === 0 && !this.#engineState) this.#queueBase ??= this.#state;
      this.#queue.push({ op, cancel });
    }
  }
  // Settles the queued calls that return a Promise (the others, settings and reset, wait for the lab).
  #cancelQueued(error, all = false) {
    this.#queue = this.#queue.filter((q) => {
      if (q.cancel) q.cancel(error);
      return !q.cancel && !all;
    });
  }
  #exec(op) {
    const r = op();
    if (r && typeof r.then === 'function') {
      this.#barrier++;
      const done = () => { this.#barrier--; this.#drain(); };
      r.then(done, done);
    }
  }
  #drain() {
    while (this.#open && !this.#barrier && this.#queue.length) this.#exec(this.#queue.shift().op);
    this.#pump();
  }

  /** A worker request: resolves with the reply's value, or the frame (after handing it to the views). */
  // payload.onProgress (not sent): called with (done, total) by the request's progress messages, if it has any.
  #call(type, { onProgress, ...payload } = {}, transfer = []) {
    if (!this.#worker) return Promise.reject(this.#cancelled(`${type}: the lab's engine is not running`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ type, id, ...payload }, transfer);
    });
  }
  // The lab's own requests: an error becomes a notice (the engine kept its previous network).
  #post(type, payload) {
    this.#call(type, { want: this.#want(), ...payload }).catch((e) => { if (!e.cancelled) this.#notice(e.message, 'error'); });
  }

  #cancelled(message) { return Object.assign(new Error(message), { cancelled: true }); }

  #onMessage(m) {
    if (m.type === 'progress') { this.#calls.get(m.id)?.onProgress?.(m.done, m.total); return; }
    const c = this.#calls.get(m.id);
    this.#calls.delete(m.id);
    if (m.type === 'frame') { this.#onFrame(m); c?.resolve(m); }
    else if (m.type === 'reply') c?.resolve(m.value);
    else if (m.type === 'error') { if (c) c.reject(new Error(m.message)); else this.#notice(m.message, 'error'); }
    this.#pump();
  }

  // Stops the worker of a lab that stayed out of the document; keeps what it needs to go on when put back.
  #release() {
    if (this.isConnected || !this.#worker) return;
    if (this.#latest) this.#draw();
    this.#snapshot = this.#frame && this.#modelHead ? { json: this.model, epoch: this.#frame.epoch } : this.#snapshot;
    const error = this.#cancelled('backprop-lab: the lab was removed from the document before this finished (its engine stops after BackpropLab.releaseDelay ms out of the document)');
    this.#stop(error);
    this.#cancelQueued(error);
    this.#released = true;
    if (urlOwner === this) urlOwner = null;  // another lab may have the address now (this one asks again when put back)
  }

  // The engine cannot run in this page: say why in the lab (never a blank box) and settle every call.
  #fail(message) {
    if (this.#broken) return;
    this.#broken = message;
    this.#notice(message, 'error', 'worker', { priority: 4 });
    this.#stop(this.#cancelled(message));
    this.#cancelQueued(this.#cancelled(message), true);  // nothing queued can run any more
    if (this.#readyResolve) {  // `ready` settles too (handled here, so a page that never reads it sees no error)
      this.#readyPromise.catch(() => {});
      this.#readyReject(new Error(message));
      this.#readyResolve = null;
    }
  }

  #stop(error) {
    this.#worker?.terminate();
    this.#worker = null;
    this.#open = false;
    this.#revokeBlob();
    const calls = [...this.#calls.values()];
    this.#calls.clear();
    for (const c of calls) c.reject(error);
    for (const s of [...this.#steps]) { s.cancelled = true; s.reject(error); }
    this.#steps.clear();
  }

  // ---- frames: drawing and the play loop -------------------------------------------------------------------

  #onFrame(f) {
    if (!this.#frame && !this.#latest) performance.mark(`backprop-lab-${this.#id}:first-frame-received`);
    if (f.data) this.#data = f.data;
    if (f.model) this.#modelHead = f.model;
    this.#latest = f;
    if (f.diverged) { this.#intent = false; this.#syncPlayButton(); this.#catchUpReadouts(); this.#showDiverged(f.diverged); }
    if (!this.#frame && this.hasAttribute('autoplay') && !this.#intentSet) this.#autoplay();
    // A lab that cannot show it now (a hidden tab has no animation frames, a removed lab) draws it at once,
    // so that step() and `ready` settle.
    if (document.hidden || !this.isConnected) this.#tick();
    else this.#schedule();
  }

  #autoplay() {
    this.#intentSet = true;
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
      this.#notice('Autoplay is off because this device asks for reduced motion. Press play to start training.', 'info', 'autoplay', { actions: [{ label: 'Play', run: () => this.play() }] });
      return;
    }
    this.#intent = true;
    this.#syncPlayButton();
  }

  #showDiverged(d) {
    const lr = d.learningRate, lower = Math.max(SCHEMA.learningRate.min, Number((lr / 10).toPrecision(3)));
    const back = d.restoredEpoch === null ? 'the weights from just before the step that diverged are kept'
      : `the weights went back to epoch ${thousands(d.restoredEpoch)}, the last one whose cost was healthy`;
    const actions = [];
    if (lower < lr) actions.push({ label: `Lower the learning rate to ${lower}`, run: () => { this.#patch({ learningRate: lower }); this.play(); } });
    actions.push({ label: 'Reset', run: () => this.reset() });
    this.#notice(`The cost diverged at learning rate ${lr}: training paused and ${back}. A lower learning rate usually trains on from there; Reset starts again from the initial weights.`,
      'error', 'diverged', { priority: 3, actions });
  }

  #runnable() { return this.isConnected && !this.#offscreen && !document.hidden && !this.#broken; }

  #schedule() {
    if (!this.#raf && this.isConnected) this.#raf = requestAnimationFrame(() => { this.#raf = 0; this.#tick(); });
  }

  // One animation frame: draw the newest frame, then ask the worker for the next one. With one request in
  // flight at a time, "speed" epochs are trained per drawn frame and the UI never waits on training.
  #tick() {
    if (this.#latest) this.#draw();
    this.#rafSinceRequest = true;
    this.#pump();
  }

  // At most one training request per displayed frame (so "epochs per frame" holds), sent as early as that
  // allows: at the animation frame, or — when the worker's answer comes after it — as soon as it arrives.
  // Calls (steps, settings) come first: the loop trains only while none is waiting or in flight.
  #pump() {
    if (!this.#open || this.#barrier || this.#queue.length || this.#calls.size || !this.#frame) return;
    if (!this.#intent || !this.#runnable()) return;
    if (!this.#rafSinceRequest) { this.#schedule(); return; }
    this.#rafSinceRequest = false;
    const sp = this.#state.speed;
    this.#post('frame', { epochs: sp === 'max' ? 'max' : Number(sp) });
    this.#schedule();
  }

  #want() {
    return { neuron: this.#hover, boundary: this.#shownViews.has('boundary'), neurons: this.#shownViews.has('network') };
  }
  // A frame without training (after a hover or a view shown again), unless one is on its way anyway.
  #refresh() {
    if (this.#open && !this.#calls.size && !this.#queue.length && !this.#barrier && this.#frame) this.#post('frame', { epochs: 0 });
  }

  #whenDrawn(fn) { if (this.#latest) this.#afterDraw.push(fn); else fn(); }

  #detail(f) {
    return { epoch: f.epoch, batch: f.batch ? { ...f.batch } : null, trainCost: f.trainCost, testCost: f.testCost, trainAccuracy: f.trainAccuracy, testAccuracy: f.testAccuracy, diverged: !!(f.diverged || f.halted) };
  }

  /** Timing of the last frames, for npm run bench:page: { drawMs, trainMs, views: {name: ms} } (smoothed). */
  get stats() { return structuredClone(this.#stats); }
  #stats = { drawMs: 0, trainMs: 0, views: {} };
  #readoutSlot = -Infinity; // the frame-clock slot the readouts were last written in (READOUT_MS, frameSlot)
  #readoutsBehind = false;  // the last drawn frame's readouts were not written (playing): pause() writes them
  #time(name, fn) {
    const t0 = performance.now();
    fn();
    const v = this.#stats.views;
    v[name] = 0.9 * (v[name] ?? 0) + 0.1 * (performance.now() - t0);
  }

  #draw(force = false) {
    const f = this.#latest ?? (force ? this.#frame : null);
    if (!f || !this.#built) return;
    const t0 = performance.now();
    const fresh = f === this.#latest;
    this.#latest = null;
    this.#frame = f;
    const s = this.#state;
    const frame = this.#withData(f);
    this.#views.boundary.showNeuron(this.#hover && f.neuron ? `neuron ${this.#hover[0]}.${this.#hover[1] + 1} (layer ${this.#hover[0]})` : null, this.#hover?.[0] ?? null);
    if (this.#shownViews.has('boundary')) this.#time('boundary', () => this.#views.boundary.update(frame, s));
    const readouts = force || !this.#intent || frameSlot(READOUT_MS) !== this.#readoutSlot;
    if (readouts) this.#writeEpoch(f);
    if (this.#readyResolve && fresh) {
      // The very first frame: show the boundary now and build the other views (charts, the diagram) at
      // the next animation frame, so the first picture is not held up by their one-time setup.
      performance.mark(`backprop-lab-${this.#id}:first-frame`);
      this.#readyResolve(); this.#readyResolve = null;
      if (this.#wantsHints()) this.#feature('hints').then((f) => f.start(HINTS_KEY), () => {});
      queueMicrotask(() => this.#syncFeatures());
      this.#latest = f;
      this.#schedule();
      this.#settleDrawn();
      return;
    }
    // Views hidden by the `views` attribute cost nothing: they are not updated (and the worker skips
    // what only they need, see #want).
    const shown = this.#shownViews;
    if (shown.has('network')) this.#time('network', () => this.#views.network.update(frame, s, { streaming: !force && this.#intent }));
    if (!force) {
      this.#updatePanels(frame, readouts);
      this.#stats.trainMs = 0.9 * this.#stats.trainMs + 0.1 * f.trainMs;
      this.#stats.frameMs = 0.9 * (this.#stats.frameMs ?? 0) + 0.1 * f.workerMs;
      const w = (this.#stats.worker ??= {});
      for (const [k, v] of Object.entries(f.timings ?? {})) w[k] = 0.9 * (w[k] ?? 0) + 0.1 * v;
      this.#announce(f);
    }
    this.#stats.drawMs = 0.9 * this.#stats.drawMs + 0.1 * (performance.now() - t0);
    if (!force) {
      this.dispatchEvent(new CustomEvent('epoch', { detail: this.#detail(f) }));
      for (const fn of this.#frameListeners) fn(frame, s);
    }
    this.#settleDrawn();
  }
  #writeEpoch(f) {
    // inside an epoch (after "Step one mini-batch"): the epochs done + the mini-batches of the next one
    setText(this.#els.epoch, f.batch ? `${thousands(f.epoch)} + ${f.batch.done}/${f.batch.of}` : thousands(f.epoch));
    const title = f.batch ? `${thousands(f.epoch)} epochs and ${f.batch.done} of the next epoch's ${f.batch.of} mini-batches` : '';
    if (this.#els.epoch.title !== title) this.#els.epoch.title = title;
  }
  // The cost and gradient panels: their histories take every frame, their numbers only with `readouts`.
  #updatePanels(frame, readouts) {
    const s = this.#state, shown = this.#shownViews;
    if (shown.has('cost')) this.#time('cost', () => this.#views.cost.update(frame, s, { readouts }));
    if (shown.has('gradients') && this.#views.gradients) this.#time('gradients', () => this.#views.gradients.update(frame, s, { readouts }));
    if (readouts) this.#readoutSlot = frameSlot(READOUT_MS);
    this.#readoutsBehind = !readouts;
  }
  // Training stopped: the readouts show the last drawn frame, not one up to READOUT_MS older.
  #catchUpReadouts() {
    if (!this.#readoutsBehind || !this.#frame || !this.#built) return;
    this.#writeEpoch(this.#frame);
    this.#updatePanels(this.#withData(this.#frame), true);
  }
  #withData(f) { return this.#data ? { ...f, data: this.#data } : f; }
  #settleDrawn() {
    const waiting = this.#afterDraw;
    this.#afterDraw = [];
    waiting.forEach((fn) => fn());
  }

  // ---- notices and features ---------------------------------------------------------------------------

  #notice(text, level = 'info', key = undefined, options = {}) {
    return this.#notices.show(text, { level, key, ...options });
  }

  /** Loads a feature module once (see "How a feature plugs in") and attaches it to this lab. */
  #feature(name) {
    if (!this.#features.has(name)) {
      const p = FEATURES[name]().then((mod) => mod.attach(this.#host()));
      p.catch(() => this.#features.delete(name));  // a failed chunk download can be tried again
      this.#features.set(name, p);
    }
    return this.#features.get(name);
  }

  #hostApi = null;
  #host() {
    if (this.#hostApi) return this.#hostApi;
    const lab = this;
    this.#hostApi = Object.freeze({
      element: lab,
      root: lab.shadowRoot,
      h,
      addStyles: (css) => addStyles(css, lab.shadowRoot),
      get frame() { return lab.#frame && lab.#withData(lab.#frame); },
      get state() { return structuredClone(lab.#ensureState()); },
      get resolved() { return { outputActivation: lab.#resolved.outputActivation, cost: lab.#resolved.cost }; },
      // null for an optional key without a default (explain, hiddenSpace) removes it
      set: (patch, options) => {
        const gone = Object.keys(patch).filter((k) => patch[k] === null && Object.hasOwn(SCHEMA, k) && SCHEMA[k].default === undefined);
        const rest = Object.fromEntries(Object.entries(patch).filter(([k]) => !gone.includes(k)));
        if (gone.length) lab.#clear(gone, rest, options); else lab.#patch(rest, lab.#ensureState(), options);
      },
      /** Whether the `views` attribute lets this view show ('explain', 'hidden', …). */
      shows: (view) => lab.#shownViews.has(view),
      /** Whether the `controls` attribute lets this control show. */
      allows: (control) => lab.#list('controls', CONTROLS).has(control),
      adopt: (patch, { replace = false } = {}) => {
        const { state } = replace ? validate(patch, DEFAULTS) : validate({ ...lab.#state, ...patch }, lab.#state);
        lab.#state = state;
        lab.#engineState = state;
        lab.#resolved = lab.#resolve(state);
        if (lab.#built) { lab.#syncControls(); lab.#applyVisibility(); lab.#applyLook(); }
        lab.#writeUrl(false);
        lab.#notices.dismiss('diverged');
      },
      notice: (text, options = {}) => lab.#notices.show(text, options),
      dismiss: (key) => lab.#notices.dismiss(key),
      // Inside a call that holds the others (a barrier) requests go straight out; otherwise in call order.
      call: (type, payload = {}, transfer = []) => {
        const full = { want: lab.#want(), ...payload };
        if (lab.#open) return lab.#call(type, full, transfer);
        if (lab.#barrier || lab.#broken || lab.#released) return Promise.reject(lab.#cancelled(`${type}: the lab's engine is not running`));
        return new Promise((res, rej) => lab.#run(() => { lab.#call(type, full, transfer).then(res, rej); }, rej));
      },
      views: lab.#views,
      slot: (name) => ({ panel: lab.#els.panels, walk: lab.#shownViews.has('network') ? lab.#els.slotWalk : lab.#els.panels,
        share: lab.#els.sharePanel, bar: lab.#els.slotBar, data: lab.#els.slotData,
        output: lab.#els.slotOutput, 'under-bar': lab.#els.underBar, overlay: lab.#els.overlay,
        tools: lab.#els.tools, toolPanel: lab.#els.toolPanel, boundary: lab.#els.boundary })[name] ?? null,
      feature: (name) => lab.#feature(name),
      workerState: (s) => lab.#workerState(s),
      loadView: (name) => (name === 'gradients' ? lab.#loadGradients() : Promise.resolve()),
      onFrame: (fn) => { lab.#frameListeners.add(fn); return () => lab.#frameListeners.delete(fn); },
      play: () => lab.play(),
      pause: () => lab.pause(),
      get playing() { return lab.playing; },
    });
    return this.#hostApi;
  }

  // ---- DOM ------------------------------------------------------------------------------------------------

  #build() {
    this.#built = true;
    const root = this.shadowRoot;
    root.replaceChildren();
    styles(root);
    const e = this.#els;
    const c = buildControls({
      set: (patch) => this.#patch(patch),
      playPause: () => this.#playPause(),
      step: () => this.step(1).catch(() => {}),
      stepBatch: () => this.stepBatch().catch(() => {}),
      reset: () => this.reset(),
      regenerate: () => { this.#regenerating = true; this.#patch({ seed: randomSeed() }); this.#regenerating = false; },
      newWeights: () => this.#patch({ weightSeed: randomSeed() }),
      share: () => this.#toggleShare(),
      drawer: () => this.#setDrawer(!this.#drawerOpen),
      help: () => this.#toggleHelp(),
    });
    Object.assign(e, c.els);
    // Under the boundary: own data and figures, their code loaded on first use (own.js, figures.js).
    // [wide, narrow]: in a narrow column the short names show (lab.css .tools .more/.less), so the row stays one line
    const tool = (control, [wide, narrow], title, feature, open, extra) => h('button', {
      class: 'text', 'data-control': control, title, ...extra,
      onclick: () => this.#feature(feature).then(open).catch((err) => this.#notice(`${wide}: ${err.message}`, 'error')),
    }, h('span', { class: 'more', text: wide }), h('span', { class: 'less', text: narrow }));
    const dialog = { 'aria-haspopup': 'dialog' };
    e.draw = tool('draw', ['Draw points', 'Draw'], 'Add and remove points of your own', 'own', (f) => f.draw().open(), { 'aria-pressed': 'false' });
    e.tools = h('div', { class: 'tools' }, e.draw,   // shown with the boundary (#applyVisibility)
      tool('csv', ['CSV…', 'CSV…'], 'Load points from CSV, or download the data', 'own', (f) => f.csv().open(), dialog),
      tool('figures', ['Save image…', 'Image…'], 'PNG or SVG of the views, for slides', 'figures', (f) => f.open(), dialog));
    e.toolPanel = h('div', { class: 'tool-panel' });  // shown with the boundary (#applyVisibility)

    e.network = h('div', { class: 'view-network' });
    // under the diagram: the step-through and the gradient check (explain/), whose steps light up the diagram
    e.slotWalk = h('div', { class: 'slot slot-walk' });
    // .cols.with-walk: the walk or the check is open (lab.css, 600–1179 px). A class, not .cols:has(…): a :has()
    // on .cols made every text written inside the lab (every readout, every frame) re-match it.
    new MutationObserver(() => e.cols?.classList.toggle('with-walk', e.slotWalk.childElementCount > 0)).observe(e.slotWalk, { childList: true });
    const netCol = h('section', { class: 'col net', 'aria-label': 'Network', 'data-view': 'network' }, e.network, e.slotWalk);

    e.costView = h('div', { class: 'view-cost', 'data-view': 'cost' });
    e.boundary = h('div', { class: 'view-boundary', 'data-view': 'boundary' });
    const outCol = h('section', { class: 'col out', 'aria-label': 'Output' },
      h('h2', { text: 'Output' }), e.costView, e.boundary, e.tools, e.toolPanel, e.slotOutput);
    // the view toggles and Share: under the output on wide screens, under the diagram in a blog column
    // the step-through, the gradient check and the hidden layer's view: each loads its module on first use
    e.lessonTools = h('div', { class: 'tools lesson-tools' },
      // in a narrow column the short names (lab.css hides .more): the row stays one line, as Share was alone
      h('button', { class: 'text', 'data-control': 'explain', onclick: () => { this.pause(); this.#feature('explain').then((f) => f.start()); } },
        'Walk', h('span', { class: 'more', text: ' one example' })),
      h('button', { class: 'text', 'data-control': 'check', onclick: () => this.#feature('check').then((f) => f.open()) },
        h('span', { class: 'more', text: 'Gradient check' }), h('span', { class: 'less', text: 'Check' })),
      h('button', { class: 'text', 'data-control': 'hidden', onclick: () => this.#feature('hidden').then((f) => f.open()) },
        'Hidden', h('span', { class: 'more', text: ' layer' })),
      e.share);
    const opts = e.opts = h('div', { class: 'col opts' }, c.toggles, e.lessonTools, e.sharePanel);

    e.gradients = h('section', { class: 'view-gradients', 'aria-label': 'Per-layer gradients', 'data-view': 'gradients' });
    e.panels = h('div', { class: 'panels' });
    e.underBar = h('div', { class: 'slot-under-bar' });
    e.overlay = h('div', { class: 'slot-overlay' });
    e.live = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
    // tabindex -1: a click on a view focuses the lab, so that its keys (Space) work from there
    e.lab = h('div', { class: 'lab', tabindex: '-1' }, c.bar, e.underBar, this.#noticesEl,
      e.cols = h('div', { class: 'cols' }, c.dataCol, netCol, outCol, opts, e.gradients), e.panels, e.live, e.overlay);
    root.append(e.lab);
    // The controls' explanations (tips.js) load when the reader first points at, taps or focuses the lab.
    const tips = () => {
      for (const t of ['pointerover', 'pointerdown', 'focusin']) e.lab.removeEventListener(t, tips, true);
      this.#feature('tips').catch(() => {});
    };
    for (const t of ['pointerover', 'pointerdown', 'focusin']) e.lab.addEventListener(t, tips, true);
    this.#applyLook();  // the theme before the views read their colours

    this.#views.boundary = new BoundaryView(e.boundary, {});
    // A click or tap on a training point opens the step-through on it (explain/panel.js finds the point).
    e.boundary.addEventListener('click', (ev) => {
      if (!this.#list('controls', CONTROLS).has('explain') && !this.#shownViews.has('explain')) return;
      if (!ev.composedPath().includes(this.#views.boundary.map)) return;
      if (e.boundary.classList.contains('drawing')) return;  // draw mode (draw.js): a click adds or removes a point
      this.#feature('explain').then((f) => f.pickAt(ev.clientX, ev.clientY), () => {});
    });
    this.#views.cost = new CostChart(e.costView, {});
    this.#views.network = new NetworkDiagram(e.network, {
      onToggleFeature: (name) => {
        const has = this.#state.features.includes(name);
        if (has && this.#state.features.length === 1) { this.#notice('At least one input feature is needed.', 'info', 'last-feature'); return; }
        this.#patch({ features: has ? this.#state.features.filter((f) => f !== name) : [...this.#state.features, name] });
      },
      onHoverNeuron: (l, j) => {
        this.#hover = l === null || l === undefined ? null : [l, j];
        if (!this.playing) this.#refresh();
        if (!this.#hover) this.#views.boundary.showNeuron(null);
      },
      onEdit: (l, j, k, value) => this.#run(() => this.#post('edit', { l, j, k, value })),
      onCheckParameter: (l, j, k) => this.#feature('check').then((f) => f.checkParameter(l, j, k)),
      addStyles: (css) => addStyles(css, this.shadowRoot),   // the weight card's (views/card.js, loaded on first use)
      onAddLayer: () => this.#patch({ layers: [...this.#state.layers, 2] }),
      onRemoveLayer: () => this.#patch({ layers: this.#state.layers.slice(0, -1) }),
      onAddNeuron: (i) => this.#patch({ layers: this.#state.layers.map((n, m) => (m === i ? n + 1 : n)) }),
      onRemoveNeuron: (i) => this.#patch({ layers: this.#state.layers.map((n, m) => (m === i ? n - 1 : n)) }),
    });

    // Keys anywhere in the lab (the "?" panel lists them, help.js): Space plays and pauses except where the
    // focused element has its own use for it (controls.js wantsSpace), "?" opens the shortcuts, Escape
    // closes the drawer. Never a scroll.
    // Focus that a click or tap put on an element (it is on the pressed element's path) is the pointer's.
    let down = { at: -Infinity, path: [] };
    e.lab.addEventListener('pointerdown', (ev) => { down = { at: performance.now(), path: ev.composedPath() }; }, true);
    e.lab.addEventListener('focusin', (ev) => {
      const t = ev.composedPath()[0];
      this.#pointerFocus = performance.now() - down.at < 1000 && down.path.includes(t) ? t : null;
    });
    e.lab.addEventListener('keydown', (ev) => {
      const t = ev.composedPath()[0];
      if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === ' ' && !wantsSpace(t, this.#pointerFocus)) { ev.preventDefault(); this.#playPause(); }
      else if (ev.key === '?' && !isTextField(t) && this.#list('controls', CONTROLS).has('help')) { ev.preventDefault(); this.#toggleHelp(); }
      else if ((ev.key === 'b' || ev.key === 'B') && !isTextField(t) && this.#list('controls', CONTROLS).has('stepBatch')) { ev.preventDefault(); this.stepBatch().catch(() => {}); }
      else if (ev.key === 'Escape' && this.#drawerOpen && t.closest?.('.col.data, #hypers')) { this.#setDrawer(false); e.drawer.focus(); }
    });
    this.#resizeLook = new ResizeObserver(() => this.#applyLook());
    this.#resizeLook.observe(e.lab);
    this.#syncControls();
    this.#applyVisibility();
    this.#syncPlayButton();
  }

  #playPause() { if (this.#intent) this.pause(); else this.play(); }

  // The first-visit hints (hints.js): only where the page asked for them (the `hints` attribute: the full
  // page has it, embeds and posts do not unless their author adds it), and until they were seen once.
  #wantsHints() {
    if (!this.hasAttribute('hints')) return false;
    try { return localStorage.getItem(HINTS_KEY) === null; } catch { return false; }
  }

  // The drawer (below 1180 px): the data, and below 760 px the hyper-parameters (lab.css).
  #setDrawer(open) {
    this.#drawerOpen = open;
    this.#els.lab.classList.toggle('drawer-open', open);
    this.#els.drawer.setAttribute('aria-expanded', String(open));
  }

  async #toggleHelp() {
    const help = await this.#feature('help');
    help.toggle(this.#els.help);
  }

  // Theme (light/dark from the state, `auto` following the system), lecture mode, and the layout's type
  // size: when any of them changes the views restyle (their canvases read the --bp-* tokens and the font).
  #applyLook() {
    const s = this.#state, lab = this.#els.lab;
    if (!s || !lab) return;
    const dark = s.theme === 'dark' || (s.theme === 'auto' && !!darkScheme?.matches);
    try { this.#internals?.states?.[dark ? 'add' : 'delete']('dark'); } catch { /* an old CustomStateSet: light */ }
    lab.classList.toggle('lecture', !!s.lecture);
    if (this.isConnected) this.#readerFont(lab);
    const look = `${dark}|${!!s.lecture}|${this.isConnected ? getComputedStyle(lab).fontSize : ''}`;
    if (look === this.#look) return;
    const first = !this.#look;
    this.#look = look;
    if (!first) for (const v of Object.values(this.#views)) v?.restyle?.();
  }

  // The reader's browser font size, for lab.css's floor on the type (--lab-reader-font): a page's root may be
  // anything (a blog's html { font-size: 62.5% } makes 1rem 10 px), the keyword `medium` is the reader's setting.
  // Read again with every look (on resize: a new setting reflows the lab).
  #readerFont(lab) {
    const probe = h('span', { class: 'font-probe', 'aria-hidden': 'true' });
    this.shadowRoot.append(probe);
    const px = getComputedStyle(probe).fontSize;
    probe.remove();
    if (px && lab.style.getPropertyValue('--lab-reader-font') !== px) lab.style.setProperty('--lab-reader-font', px);
  }

  // Screen readers hear the epoch, cost and accuracy: at most every ANNOUNCE_MS while playing, once when a
  // step or a pause lands; only from the lab that has the focus (a post with four playing labs is not a
  // chorus). The boundary's text description follows the same numbers.
  #announce(f) {
    const now = performance.now(), playing = this.#intent;
    if (playing ? now - this.#announcedAt < ANNOUNCE_MS : f.epoch === this.#announcedEpoch) return;
    const first = this.#announcedEpoch < 0;
    this.#announcedAt = now; this.#announcedEpoch = f.epoch;
    const pct = (v) => `${(100 * v).toFixed(1)} %`, num = (v) => (Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v));
    const acc = f.trainAccuracy === null || f.trainAccuracy === undefined ? ''
      : `; train accuracy ${pct(f.trainAccuracy)}${f.testAccuracy === null || f.testAccuracy === undefined ? '' : `, test accuracy ${pct(f.testAccuracy)}`}`;
    const costs = `train cost ${num(f.trainCost)}${f.testCost === null || f.testCost === undefined ? '' : `, test cost ${num(f.testCost)}`}`;
    const s = this.#state, data = (SCHEMA.dataset.options.find((o) => o.value === s.dataset)?.label ?? s.dataset).replace(/ \(.*\)$/, '');
    this.#views.boundary.describe?.(`Decision boundary: the network's output over the input plane, with the ${data} data points${s.dataset === 'blobs' ? ` (${s.classes} classes)` : ''}. Epoch ${thousands(f.epoch)}${acc || `, ${costs}`}.`);
    if (first) return;  // nothing to say before anyone did anything
    const a = document.activeElement;
    if (!this.matches(':focus-within') && !(this.#syncUrl && (a === document.body || a === null))) return;
    this.#els.live.textContent = `Epoch ${thousands(f.epoch)}: ${costs}${acc}.`;
  }

  async #toggleShare() {
    const panel = this.#els.sharePanel, open = panel.hidden;
    panel.hidden = !open;
    this.#els.share.setAttribute('aria-expanded', String(open));
    // the iframe snippet's height includes the gradient panel: load it first if it is shown
    if (open && this.#shownViews.has('gradients')) await this.#loadGradients()?.catch(() => {});
    if (open) (await this.#feature('share')).fill(panel);
  }

  // The lab's height when it is `width` px wide, as an iframe of that width shows it (drawer closed, no
  // notices, no open panels): the host is made that wide for one synchronous layout and put back before
  // anything paints. The container queries give the layout of that width; the views keep their own sizes.
  #heightAt(width) {
    const st = this.style, lab = this.#els.lab, attr = this.getAttribute('style'), saved = [st.width, st.maxWidth, st.minWidth];
    if (!lab) return 0;
    const hide = [this.#noticesEl, this.#els.sharePanel, this.#els.underBar, this.#els.panels].filter((x) => !x.hidden);
    const drawer = lab.classList.contains('drawer-open');
    for (const x of hide) x.hidden = true;
    lab.classList.remove('drawer-open');
    st.width = `${width}px`; st.maxWidth = 'none'; st.minWidth = '0';
    const height = this.getBoundingClientRect().height;
    [st.width, st.maxWidth, st.minWidth] = saved;
    // the page's element exactly as it was: Chromium writes the style attribute back lazily, from the now empty
    // inline style, on its next read — read it once here so that the removal is the last word
    if (attr === null && this.getAttribute('style') !== null) this.removeAttribute('style');
    for (const x of hide) x.hidden = false;
    lab.classList.toggle('drawer-open', drawer);
    return height;
  }

  /** The three ways to share this lab's exact state: a link, an iframe, and the element for a blog post. */
  snippets() {
    const s = this.#ensureState(), hash = toHash(s);
    const page = this.#syncUrl ? location.href.split('#')[0] : new URL('index.html', ROOT).href;
    const attrs = Object.keys(SCHEMA)
      .filter((k) => k === 'seed' || JSON.stringify(s[k]) !== JSON.stringify(DEFAULTS[k]))
      .map((k) => `${attributeName(k)}="${Array.isArray(s[k]) ? s[k].join(',') : s[k]}"`);
    const query = new URLSearchParams();
    for (const name of ['controls', 'views']) if (this.getAttribute(name)) query.set(name, this.getAttribute(name));
    const search = query.size ? `?${query.toString().replaceAll('%2C', ',')}` : '';
    // the lab's height in the layout a 680 px blog column gives it, so the iframe shows all of it without
    // an inner scrollbar, whatever the width of the window the snippet was copied in
    const height = Math.max(400, Math.ceil(this.#heightAt(SNIPPET_WIDTH) / 10) * 10 + 20);
    return {
      link: `${page}#${hash}`,
      iframe: `<iframe src="${new URL('embed.html', ROOT).href}${search}#${hash}" width="100%" height="${height}" loading="lazy" title="backprop-lab" style="border:0"></iframe>`,
      element: `<script type="module" src="${new URL('backprop-lab.js', ROOT).href}"></script>\n<backprop-lab ${attrs.join(' ')}></backprop-lab>`,
    };
  }

  #syncPlayButton() {
    const b = this.#els.play;
    if (!b) return;
    b.classList.toggle('playing', this.#intent);
    b.setAttribute('aria-label', this.#intent ? 'Pause' : 'Play');
  }

  #syncControls() { syncControls(this.#els, this.#state, this.#resolved); }

  // `controls` and `views`: absent or "all" → everything; controls="" or "none" → no controls. A list that
  // names nothing known (views=",,,", a typo) falls back to everything, with a notice that says so.
  #list(name, all) {
    const raw = this.getAttribute(name), what = name === 'views' ? 'view' : 'control';
    const cached = this.#lists[name];
    if (cached && cached.raw === raw) return cached.set;
    const set = this.#parseList(name, raw, all, what);
    this.#lists[name] = { raw, set };
    return set;
  }
  #lists = {};
  #parseList(name, raw, all, what) {
    this.#notices.dismiss(`attr:${name}`);
    if (raw === null || raw.trim() === 'all') return new Set(all);
    const t = raw.trim();
    if (name === 'controls' && (t === '' || t === 'none')) return new Set();
    if (name === 'views' && t === '') return new Set(all);
    const items = t.split(',').map((x) => x.trim()).filter(Boolean);
    const good = items.filter((x) => all.includes(x)), bad = items.filter((x) => !all.includes(x));
    const unknown = bad.slice(0, 5).map((b) => show(b, 33)).join(', ') + (bad.length > 5 ? ` and ${bad.length - 5} more` : '');
    if (good.length === 0) {
      const hint = name === 'controls' ? '; controls="none" hides every control' : '';
      this.#notice(`${name}: ${show(raw, 63)} names no ${what}${bad.length ? ` (unknown: ${unknown})` : ''}, so every ${what} is shown (known: ${all.join(', ')}${hint})`, 'warning', `attr:${name}`);
      return new Set(all);
    }
    if (bad.length) this.#notice(`${name}: unknown ${unknown} ignored (known: ${all.join(', ')})`, 'warning', `attr:${name}`);
    return new Set(good);
  }

  // The gradient panel sits below the fold of the page and many embeds hide it: its code (a chunk of its own)
  // loads when the panel first comes into view (with the view shown), then draws the current frame. In view,
  // not near it: at 1280 × 800 the panel starts ~170 px below the fold, and loading it there made its 6.4 KB
  // gzip part of every first load. Scrolled to, its top enters at the bottom edge, so it grows below the view.
  #watchGradients() {
    if (this.#gradientsSeen) return;
    this.#gradientsSeen = new IntersectionObserver((entries) => {
      if (entries.at(-1).isIntersecting && this.#shownViews.has('gradients')) { this.#gradientsSeen.disconnect(); this.#loadGradients(); }
    });
    this.#gradientsSeen.observe(this.#els.gradients);
  }
  #gradientsSeen = null;
  #loadGradients() {
    return this.#gradientsLoading ??= import('./views/gradients.js').then((m) => {
      addStyles(m.css, this.shadowRoot);
      this.#views.gradients = new m.GradientPanel(this.#els.gradients, {});
      if (this.#frame) this.#views.gradients.update(this.#withData(this.#frame), this.#state);
    }, () => { this.#gradientsLoading = null; });
    return this.#gradientsLoading;
  }
  #gradientsLoading = null;

  #shownViews = new Set(VIEWS);
  #applyVisibility() {
    const controls = this.#list('controls', CONTROLS), views = this.#list('views', VIEWS);
    if (views.has('gradients') && !this.#gradientsLoading) this.#watchGradients();
    const newlyShown = [...views].some((v) => !this.#shownViews.has(v));
    this.#shownViews = views;
    if (newlyShown && this.#frame) this.#refresh();  // a fresh frame for what was hidden
    this.#views.network.setAllowed({ edit: controls.has('edit'), features: controls.has('features'), layers: controls.has('layers') });
    for (const el of this.shadowRoot.querySelectorAll('[data-control]')) el.hidden = !controls.has(el.dataset.control) || (el.dataset.control === 'classes' && this.#state?.dataset !== 'blobs');
    for (const el of this.shadowRoot.querySelectorAll('[data-view]')) el.hidden = !views.has(el.dataset.view);
    const lab = this.#els.lab;
    lab.classList.toggle('no-out-col', !views.has('boundary') && !views.has('cost'));
    lab.classList.toggle('no-net-col', !views.has('network'));
    lab.classList.toggle('no-data-col', !DATA_CONTROLS.some((c) => controls.has(c)));
    lab.classList.toggle('no-hypers', !HYPER_CONTROLS.some((c) => controls.has(c)));
    this.#els.opts.hidden = !['showTestData', 'discretize', 'linkColor', 'share', 'explain', 'check', 'hidden'].some((c) => controls.has(c));
    this.#els.lessonTools.hidden = !['explain', 'check', 'hidden', 'share'].some((c) => controls.has(c));
    // the row under the boundary (draw, CSV, figures) only where one of its buttons may show; it and the draw
    // panel go with the boundary
    this.#els.tools.hidden = !views.has('boundary') || !['draw', 'csv', 'figures'].some((c) => controls.has(c));
    this.#els.toolPanel.hidden = !views.has('boundary');
    // the drawer button says what the drawer holds (lab.css hides " & settings" where the bar has them)
    const [what, more] = this.#els.drawer.children, data = !lab.classList.contains('no-data-col');
    what.textContent = data ? 'Data' : 'Settings';
    more.hidden = !data || lab.classList.contains('no-hypers');
  }

}

if (!customElements.get('backprop-lab')) {
  compileEngine();  // start the download and compile as soon as the lab's code runs
  customElements.define('backprop-lab', BackpropLab);
}
