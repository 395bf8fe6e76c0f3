// <backprop-lab>: the whole lab as one custom element. It holds the state (state.js), builds the controls,
// talks to its own worker (worker.js, protocol.js) and hands every frame to the views. Shadow DOM keeps its
// styles in and the host page's out, so the same element serves the full page, embed.html and blog posts.
import {
  SCHEMA, DEFAULTS, ATTRIBUTES, parseHash, toHash, fromAttributes, validate, resolve, networkSizes,
  problemKind, sameData, sameNetwork, sameHyper, randomSeed, keyOfAttribute, attributeName,
} from './state.js';
import { BoundaryView, css as boundaryCss } from './views/boundary.js';
import { CostChart, css as costCss } from './views/costchart.js';
import { GradientPanel, css as gradientsCss } from './views/gradients.js';
import { NetworkDiagram, css as networkCss } from './views/network.js';
import { ORANGE, BLUE, CLASS_COLORS } from './colors.js';
import labCss from './lab.css?inline';
// ?url: the same hashed asset the worker's bindings/page.js points at, in dev and in the build
import wasmUrl from '../../bindings/wasm/bp-page.wasm?url';  // minified by Vite

performance.mark('backprop-lab:module');
const VIEWS = ['boundary', 'network', 'gradients', 'cost'];
const CONTROLS = ['play', 'step', 'reset', 'speed', 'learningRate', 'activation', 'regularization',
  'regularizationRate', 'output', 'cost', 'init', 'dataset', 'classes', 'noise', 'trainRatio', 'points',
  'batchSize', 'regenerate', 'features', 'layers', 'edit', 'showTestData', 'discretize', 'linkColor', 'share'];

// Where the built files are: this module is dist/assets/lab-*.js (src/lab.js in dev), one level below the
// page root that holds embed.html and backprop-lab.js. Not a `new URL('…', import.meta.url)` literal, which
// Vite would turn into a copied asset.
const ROOT = new URL(import.meta.url.replace(/[^/]*$/, '') + '../');

// A tiny DOM builder: text goes through textContent, never innerHTML.
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

// Button icons as inline SVG: font glyphs like ⏭ are missing from many system fonts.
function icon(d, stroke = false) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg'), path = document.createElementNS(NS, 'path');
  svg.setAttribute('viewBox', '0 0 14 14'); svg.setAttribute('width', '14'); svg.setAttribute('height', '14'); svg.setAttribute('aria-hidden', 'true');
  path.setAttribute('d', d);
  if (stroke) { path.setAttribute('fill', 'none'); path.setAttribute('stroke', 'currentColor'); path.setAttribute('stroke-width', '1.6'); path.setAttribute('stroke-linecap', 'round'); }
  else path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

let uid = 0;

// One download and one compile of the engine per page, shared by every lab's worker (a WebAssembly.Module
// can be posted to a worker). If it fails here, each worker loads the engine on its own.
const WASM_URL = new URL(wasmUrl, location.href);
let compiled = null;
function compileEngine() {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM_URL))
    .catch(() => fetch(WASM_URL).then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b)))
    .catch(() => null);
  return compiled;
}

// One parsed stylesheet shared by every lab on the page (constructable stylesheets; a <style> otherwise).
let sheet = null;
const ALL_CSS = () => [labCss, boundaryCss, costCss, gradientsCss, networkCss].join('\n');
function styles(root) {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(ALL_CSS()); }
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(h('style', { text: ALL_CSS() }));
  }
}

export class BackpropLab extends HTMLElement {
  static get observedAttributes() { return [...ATTRIBUTES, 'controls', 'views']; }

  #state = null;            // the current, valid state
  #resolved = null;         // resolve(state): output activation and cost actually used
  #worker = null;
  #ready = false;
  #playing = false;
  #inFlight = false;        // one frame request at a time: the worker never queues up work
  #latest = null;           // newest frame not yet drawn
  #frame = null;            // last frame drawn
  #data = null;             // points of the current data (from the frame after configure)
  #hover = null;            // [l, j] of the hovered neuron
  #raf = 0;
  #stepWaiters = [];
  #pendingSteps = 0;
  #id = ++uid;
  #els = {};
  #views = {};
  #noticeKeys = new Set();
  #lastPush = 0;
  #hiddenPaused = false;
  #connected = false;

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }

  // ---- public API (index.d.ts of the page: README "The <backprop-lab> element") ---------------------------

  /** The current state (a copy). Setting it validates, shows notices for bad values, and applies it. */
  get state() { return structuredClone(this.#state ?? DEFAULTS); }
  set state(value) {
    const { state, notices } = validate({ ...(this.#state ?? DEFAULTS), ...value }, this.#state ?? DEFAULTS);
    notices.forEach((n) => this.#notice(n, 'warning'));
    this.#apply(state);
  }
  get playing() { return this.#playing; }
  /** Resolves once the first frame (data, boundary, network) has been drawn. */
  get ready() { return this.#readyPromise; }
  #readyResolve = null;
  #readyPromise = new Promise((r) => { this.#readyResolve = r; });
  get epoch() { return this.#frame?.epoch ?? 0; }

  /** Starts training; a lab out of view (or in a hidden tab) starts when it comes into view. */
  play() {
    if (!this.#frame || this.#frame.diverged && this.#playing) return;
    if (this.#offscreen) { this.#offscreenPaused = true; return; }
    if (document.hidden) { this.#hiddenPaused = true; return; }
    this.#playing = true;
    this.#dismiss('diverged');
    this.#syncPlayButton();
    this.#schedule();
  }
  pause() {
    if (this.#playing === false) { this.#offscreenPaused = false; this.#hiddenPaused = false; }
    this.#playing = false;
    this.#syncPlayButton();
  }
  /** Trains n epochs (default 1) and resolves with the epoch event's detail once they are drawn. */
  step(n = 1) {
    if (!Number.isInteger(n) || n < 1 || n > 1e6) return Promise.reject(new Error(`step: n must be an integer in [1, 1000000], got ${n}`));
    this.pause();
    return new Promise((resolve) => {
      this.#stepWaiters.push(resolve);
      this.#pendingSteps += n;
      this.#schedule();
    });
  }
  /** New initial weights from the seed (the same ones a link reproduces); the data stays. */
  reset() {
    this.pause();
    this.#configure();
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  connectedCallback() {
    if (this.#connected) return;
    this.#connected = true;
    performance.mark(`backprop-lab-${this.#id}:connected`);
    this.#startWorker();  // first: the worker and the engine load while the DOM is built
    this.#build();
    performance.mark(`backprop-lab-${this.#id}:built`);
    let initial;
    if (this.hasAttribute('sync-url') && location.hash.length > 1) initial = parseHash(location.hash);
    else initial = fromAttributes((name) => this.getAttribute(name));
    initial.notices.forEach((n) => this.#notice(n, 'warning'));
    const state = { ...initial.state };
    if (state.seed === undefined) state.seed = randomSeed();
    this.#state = state;
    this.#resolved = this.#resolve(state);
    this.#applyVisibility();
    this.#syncControls();
    this.#writeUrl(true);
    if (this.hasAttribute('sync-url')) {
      this.#onHash = () => {
        if (location.hash.slice(1) === toHash(this.#state)) return;
        const { state: s, notices } = parseHash(location.hash);
        notices.forEach((n) => this.#notice(n, 'warning'));
        if (s.seed === undefined) s.seed = this.#state.seed;
        this.#apply(s, { fromUrl: true });
      };
      addEventListener('hashchange', this.#onHash);
      addEventListener('popstate', this.#onHash);  // Back/Forward between pushState entries
    }
    this.#onVisibility = () => {
      if (document.hidden && this.#playing) { this.#hiddenPaused = true; this.pause(); }
      else if (!document.hidden && this.#hiddenPaused) { this.#hiddenPaused = false; if (!this.#offscreen) this.play(); else this.#offscreenPaused = true; }
    };
    document.addEventListener('visibilitychange', this.#onVisibility);
    // A lab scrolled out of view pauses and costs nothing; it resumes when it comes back.
    this.#observer = new IntersectionObserver(([entry]) => {
      this.#offscreen = !entry.isIntersecting;
      if (this.#offscreen && this.#playing) { this.#offscreenPaused = true; this.pause(); }
      else if (!this.#offscreen && this.#offscreenPaused) { this.#offscreenPaused = false; this.play(); }
    });
    this.#observer.observe(this);
  }
  #observer = null;
  #offscreen = false;
  #offscreenPaused = false;
  #onHash = null;
  #onVisibility = null;

  disconnectedCallback() {
    this.pause();
    this.#observer?.disconnect();
    if (this.#onHash) { removeEventListener('hashchange', this.#onHash); removeEventListener('popstate', this.#onHash); }
    if (this.#onVisibility) document.removeEventListener('visibilitychange', this.#onVisibility);
    cancelAnimationFrame(this.#raf);
    this.#worker?.terminate();
    this.#worker = null;
    for (const v of Object.values(this.#views)) v.destroy?.();
    this.#connected = false;
    this.shadowRoot.replaceChildren();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (!this.#state || oldValue === value) return;
    if (name === 'controls' || name === 'views') { this.#applyVisibility(); return; }
    const key = keyOfAttribute(name);
    if (!key) return;
    const { state, notices } = validate({ ...this.#state, [key]: value ?? DEFAULTS[key] }, this.#state);
    notices.forEach((n) => this.#notice(n, 'warning'));
    this.#apply(state);
  }

  // ---- state ----------------------------------------------------------------------------------------------

  // Notices about how `auto`/invalid output–cost pairs were resolved last only while they apply.
  #resolveNotices = [];
  #resolve(state) {
    const r = resolve(state);
    const now = r.notices ?? [];
    for (const n of this.#resolveNotices) if (!now.includes(n)) this.#dismiss(n);
    now.forEach((n) => this.#notice(n, 'info'));
    this.#resolveNotices = now;
    return r;
  }

  // Applies a new valid state: rebuilds only what changed (data, network, or hyper-parameters).
  #apply(next, { fromUrl = false } = {}) {
    const prev = this.#state;
    if (next.seed === undefined) next = { ...next, seed: prev.seed };  // a removed/bad seed keeps the current one
    const resolvedNext = this.#resolve(next);
    const netChanged = !sameNetwork(prev, next) || resolvedNext.outputActivation !== this.#resolved.outputActivation
      || resolvedNext.cost !== this.#resolved.cost;
    const dataChanged = !sameData(prev, next);
    const hyperChanged = !sameHyper(prev, next);
    this.#state = next;
    this.#resolved = resolvedNext;
    this.#syncControls();
    if (!fromUrl) this.#writeUrl(false);
    if (!this.#ready) return;
    // A new dataset is a new problem: a fresh network, as in the Playground. New noise, points or ratio, and
    // Regenerate, keep the network (and go on training it on the new data).
    if (netChanged || prev.dataset !== next.dataset || (dataChanged && prev.seed !== next.seed && !this.#regenerating)) this.#configure();
    else if (dataChanged) this.#post({ type: 'regenerate', state: this.#workerState(), want: this.#want() });
    else if (hyperChanged) this.#post({ type: 'hyper', state: this.#workerState(), want: this.#want() });
    else this.#draw(true);  // view-only settings (discretize, test data, link colour, speed)
  }
  #regenerating = false;

  #set(patch) {
    const { state, notices } = validate({ ...this.#state, ...patch }, this.#state);
    notices.forEach((n) => this.#notice(n, 'warning'));
    this.#apply(state);
  }

  #workerState() {
    const s = this.#state;
    return { ...s, sizes: networkSizes(s), outputActivation: this.#resolved.outputActivation, cost: this.#resolved.cost };
  }

  #writeUrl(initial) {
    if (!this.hasAttribute('sync-url')) return;
    const hash = '#' + toHash(this.#state);
    if (location.hash === hash) return;
    // One history entry per burst of changes (dragging a slider is one change), so Back undoes a change.
    const now = performance.now();
    if (initial || now - this.#lastPush < 800) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    this.#lastPush = now;
  }

  // ---- worker ---------------------------------------------------------------------------------------------

  #startWorker() {
    this.#worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: `backprop-lab-${this.#id}` });
    this.#worker.onmessage = ({ data: m }) => this.#onMessage(m);
    this.#worker.onerror = (e) => this.#notice(`The training worker failed to start: ${e.message ?? 'unknown error'}`, 'error');
    const worker = this.#worker;
    compileEngine().then((module) => worker.postMessage({ type: 'init', module }));
  }

  #post(m) {
    if (m.type === 'frame' || m.type === 'configure' || m.type === 'regenerate' || m.type === 'hyper' || m.type === 'edit') this.#inFlight = true;
    this.#worker.postMessage(m);
  }

  #configure() {
    this.#dismiss('diverged');
    this.#views.cost?.reset();
    this.#views.gradients?.reset();
    this.#post({ type: 'configure', state: this.#workerState(), want: this.#want() });
  }

  #onMessage(m) {
    switch (m.type) {
      case 'ready':
        this.#ready = true;
        performance.mark(`backprop-lab-${this.#id}:engine-ready`);
        this.#configure();  // first: the first drawn boundary waits on nothing else
        this.#worker.postMessage({ type: 'thumbnails', names: SCHEMA.dataset.options.map((o) => o.value) });
        if (this.hasAttribute('autoplay')) this.#autoplay = true;
        break;
      case 'thumbnails': this.#drawThumbnails(m.thumbnails); break;
      case 'error':
        this.#inFlight = false;
        this.#notice(`${m.message}`, 'error');
        this.#schedule();
        break;
      case 'frame': this.#onFrame(m); break;
      case 'export': this.#download(m.json, m.epoch); break;
      case 'imported': this.#imported(m.config); break;
    }
  }
  #autoplay = false;

  #onFrame(f) {
    if (this.#readyResolve && !this.#latest) performance.mark(`backprop-lab-${this.#id}:first-frame-received`);
    this.#inFlight = false;
    if (f.data) this.#data = f.data;
    this.#latest = f;
    if (f.diverged) {
      this.pause();
      this.#pendingSteps = 0;
      this.#notice(f.message, 'error', 'diverged');
    }
    if (this.#autoplay) {
      this.#autoplay = false;
      if (this.#offscreen || document.hidden) this.#offscreenPaused = true;  // starts when scrolled into view
      else this.play();
    }
    if (this.#playing) this.#requestNext();
    this.#schedule();
  }

  #schedule() {
    if (!this.#raf) this.#raf = requestAnimationFrame(() => { this.#raf = 0; this.#tick(); });
  }

  // One animation frame: draw the newest frame, then ask the worker for the next one. With one request in
  // flight at a time, "speed" epochs are trained per drawn frame and the UI never waits on training.
  #tick() {
    if (this.#latest) this.#draw();
    this.#rafSinceRequest = true;
    this.#requestNext();
  }
  #rafSinceRequest = true;

  #want() {
    return { neuron: this.#hover, boundary: this.#shownViews.has('boundary'), neurons: this.#shownViews.has('network') };
  }
  // A frame without training (after a hover or a view shown again), unless one is on its way anyway.
  #refresh() {
    if (this.#ready && !this.#inFlight && this.#frame) this.#post({ type: 'frame', epochs: 0, want: this.#want() });
  }

  // At most one training request per displayed frame (so "epochs per frame" holds), sent as early as that
  // allows: at the animation frame, or — when the worker's answer comes after it — as soon as it arrives.
  #requestNext() {
    if (!this.#ready || this.#inFlight) return;
    const want = this.#want();
    if (this.#pendingSteps > 0) {
      const n = Math.min(this.#pendingSteps, 100000);
      this.#pendingSteps -= n;
      this.#post({ type: 'frame', epochs: n, want });
    } else if (this.#playing) {
      if (!this.#rafSinceRequest) return;
      const sp = this.#state.speed;
      this.#post({ type: 'frame', epochs: sp === 'max' ? 'max' : Number(sp), want });
      this.#rafSinceRequest = false;
      this.#schedule();
    }
  }

  /** Timing of the last frames, for npm run bench:page: { drawMs, trainMs, views: {name: ms} } (smoothed). */
  get stats() { return structuredClone(this.#stats); }
  #stats = { drawMs: 0, trainMs: 0, views: {} };
  #time(name, fn) {
    const t0 = performance.now();
    fn();
    const v = this.#stats.views;
    v[name] = 0.9 * (v[name] ?? 0) + 0.1 * (performance.now() - t0);
  }

  #draw(force = false) {
    const f = this.#latest ?? (force ? this.#frame : null);
    if (!f) return;
    const t0 = performance.now();
    this.#latest = null;
    this.#frame = f;
    const s = this.#state;
    const frame = this.#data ? { ...f, data: this.#data } : f;
    this.#views.boundary.showNeuron(this.#hover && f.neuron ? `neuron ${this.#hover[0]}.${this.#hover[1] + 1} (layer ${this.#hover[0]})` : null, this.#hover?.[0] ?? null);
    if (this.#shownViews.has('boundary')) this.#time('boundary', () => this.#views.boundary.update(frame, s));
    if (this.#readyResolve && !force) {
      // The very first frame: show the boundary now and build the other views (charts, the diagram) at
      // the next animation frame, so the first picture is not held up by their one-time setup.
      performance.mark(`backprop-lab-${this.#id}:first-frame`);
      this.#readyResolve(); this.#readyResolve = null;
      this.#latest = f;
      this.#schedule();
      return;
    }
    // Views hidden by the `views` attribute cost nothing: they are not updated (and the worker skips
    // what only they need, see #requestNext).
    const shown = this.#shownViews;
    if (shown.has('network')) this.#time('network', () => this.#views.network.update(frame, s));
    if (!force) {
      if (shown.has('cost')) this.#time('cost', () => this.#views.cost.update(frame, s));
      if (shown.has('gradients')) this.#time('gradients', () => this.#views.gradients.update(frame, s));
      this.#stats.trainMs = 0.9 * this.#stats.trainMs + 0.1 * f.trainMs;
      this.#stats.frameMs = 0.9 * (this.#stats.frameMs ?? 0) + 0.1 * f.workerMs;
      const w = (this.#stats.worker ??= {});
      for (const [k, v] of Object.entries(f.timings ?? {})) w[k] = 0.9 * (w[k] ?? 0) + 0.1 * v;
    }
    this.#stats.drawMs = 0.9 * this.#stats.drawMs + 0.1 * (performance.now() - t0);
    this.#els.epoch.textContent = f.epoch.toLocaleString('en-US').padStart(7, '0');
    if (!force) {
      const detail = { epoch: f.epoch, trainCost: f.trainCost, testCost: f.testCost, trainAccuracy: f.trainAccuracy, testAccuracy: f.testAccuracy };
      this.dispatchEvent(new CustomEvent('epoch', { detail }));
      if (this.#pendingSteps === 0 && !this.#inFlight) {
        const waiters = this.#stepWaiters; this.#stepWaiters = [];
        waiters.forEach((w) => w(detail));
      }
    }
  }

  // ---- notices --------------------------------------------------------------------------------------------

  #notice(text, level = 'info', key = text) {
    if (!this.#els.notices || this.#noticeKeys.has(key)) return;
    this.#noticeKeys.add(key);
    const item = h('div', { class: `notice ${level}`, 'data-key': key, role: level === 'error' ? 'alert' : 'status' },
      h('span', { text }),
      h('button', { class: 'dismiss', 'aria-label': 'Dismiss notice', text: '×', onclick: () => this.#dismiss(key) }));
    this.#els.notices.append(item);
  }
  #dismiss(key) {
    if (!this.#noticeKeys.delete(key)) return;
    for (const el of this.#els.notices.querySelectorAll('.notice')) if (el.dataset.key === key) el.remove();
  }

  // ---- DOM ------------------------------------------------------------------------------------------------

  #build() {
    const root = this.shadowRoot;
    root.replaceChildren();
    styles(root);
    const e = this.#els;
    const select = (key, label) => {
      const sel = h('select', { id: `c-${key}`, 'aria-label': label, onchange: () => this.#set({ [key]: sel.value }) },
        SCHEMA[key].options.map((o) => h('option', { value: o.value, text: o.label })));
      e[key] = sel;
      return h('label', { class: 'control', 'data-control': key }, h('span', { class: 'label', text: label }), sel);
    };
    const slider = (key, label, fmt = (v) => String(v), step = 1) => {
      const { min, max } = SCHEMA[key];
      const out = h('output', { class: 'value' });
      const input = h('input', {
        type: 'range', min, max, step, 'aria-label': label,
        oninput: () => { out.textContent = fmt(+input.value); },
        onchange: () => this.#set({ [key]: +input.value }),
      });
      e[key] = input; e[`${key}Out`] = out; e[`${key}Fmt`] = fmt;
      return h('label', { class: 'control slider', 'data-control': key }, h('span', { class: 'label' }, label, ': ', out), input);
    };
    const check = (key, label) => {
      const input = h('input', { type: 'checkbox', onchange: () => this.#set({ [key]: input.checked }) });
      e[key] = input;
      return h('label', { class: 'check', 'data-control': key }, input, h('span', { text: label }));
    };

    e.play = h('button', { class: 'play', 'data-control': 'play', 'aria-label': 'Play', title: 'Play / pause (space)', onclick: () => (this.#playing ? this.pause() : this.play()) },
      h('span', { class: 'icon' }));
    e.step = h('button', { class: 'round', 'data-control': 'step', 'aria-label': 'Step one epoch', title: 'Step one epoch', onclick: () => this.step(1) }, icon('M3 2 L10 7 L3 12 Z M11 2 H13 V12 H11 Z'));
    e.reset = h('button', { class: 'round', 'data-control': 'reset', 'aria-label': 'Reset the network', title: 'Reset the network to its initial weights (from the seed)', onclick: () => this.reset() },
      icon('M7 2.5 A4.5 4.5 0 1 1 2.6 6 M7 2.5 L5 0.8 M7 2.5 L5.2 4.4', true));
    e.epoch = h('span', { class: 'epoch-value', 'data-testid': 'epoch', text: '0000000' });
    e.notices = h('div', { class: 'notices', 'aria-live': 'polite' });

    const bar = h('div', { class: 'bar' },
      h('div', { class: 'transport' }, e.reset, e.play, e.step,
        h('div', { class: 'epoch' }, h('span', { class: 'label', text: 'Epoch' }), e.epoch)),
      h('div', { class: 'hypers' },
        select('learningRate', 'Learning rate'), select('activation', 'Activation'),
        select('regularization', 'Regularization'), select('regularizationRate', 'Regularization rate'),
        select('output', 'Output'), select('cost', 'Cost'), select('init', 'Initialization'), select('speed', 'Epochs / frame')));

    e.datasets = h('div', { class: 'datasets', role: 'radiogroup', 'aria-label': 'Dataset', 'data-control': 'dataset' },
      SCHEMA.dataset.options.map((o) => h('button', {
        class: 'dataset', 'data-dataset': o.value, role: 'radio', 'aria-label': o.label, title: o.label,
        onclick: () => this.#set({ dataset: o.value }),
      }, h('canvas', { width: 64, height: 64 }), h('span', { text: o.label.replace(/ \(regression\)/, '') }))));
    e.regenerate = h('button', { class: 'text', 'data-control': 'regenerate', text: 'Regenerate', title: 'New data from a new seed; the network is kept',
      onclick: () => { this.#regenerating = true; this.#set({ seed: randomSeed() }); this.#regenerating = false; } });
    const dataCol = h('section', { class: 'col data', 'aria-label': 'Data' },
      h('h2', { text: 'Data' }),
      h('p', { class: 'hint', text: 'Which dataset do you want to use?' }),
      e.datasets,
      select('classes', 'Classes'),
      slider('trainRatio', 'Training data', (v) => `${v} %`),
      slider('noise', 'Noise', (v) => String(v)),
      slider('points', 'Points', (v) => String(v), 50),
      slider('batchSize', 'Batch size', (v) => String(v)),
      e.regenerate);

    e.network = h('div', { class: 'view-network' });
    const netCol = h('section', { class: 'col net', 'aria-label': 'Network', 'data-view': 'network' }, e.network);

    e.costView = h('div', { class: 'view-cost', 'data-view': 'cost' });
    e.boundary = h('div', { class: 'view-boundary', 'data-view': 'boundary' });
    e.share = h('button', { class: 'text', 'data-control': 'share', text: 'Share / embed', title: 'A link, an iframe and an element snippet for this exact lab (settings and seed)',
      'aria-expanded': 'false', onclick: () => this.#toggleShare() });
    e.sharePanel = h('div', { class: 'share', hidden: true, role: 'region', 'aria-label': 'Share or embed this lab' });
    const outCol = h('section', { class: 'col out', 'aria-label': 'Output' },
      h('h2', { text: 'Output' }), e.costView, e.boundary,
      h('div', { class: 'toggles' },
        check('showTestData', 'Show test data'), check('discretize', 'Discretize output'),
        h('label', { class: 'check', 'data-control': 'linkColor' },
          (e.linkColor = h('input', { type: 'checkbox', onchange: () => this.#set({ linkColor: e.linkColor.checked ? 'gradient' : 'weight' }) })),
          h('span', { text: 'Colour links by gradient' }))),
      e.share, e.sharePanel);

    e.gradients = h('section', { class: 'view-gradients', 'aria-label': 'Per-layer gradients', 'data-view': 'gradients' });
    e.lab = h('div', { class: 'lab' }, bar, e.notices, h('div', { class: 'cols' }, dataCol, netCol, outCol), e.gradients);
    root.append(e.lab);

    this.#views.boundary = new BoundaryView(e.boundary, {});
    this.#views.cost = new CostChart(e.costView, {});
    this.#views.gradients = new GradientPanel(e.gradients, {});
    this.#views.network = new NetworkDiagram(e.network, {
      onToggleFeature: (name) => {
        const has = this.#state.features.includes(name);
        if (has && this.#state.features.length === 1) { this.#notice('At least one input feature is needed.', 'info', 'last-feature'); return; }
        this.#set({ features: has ? this.#state.features.filter((f) => f !== name) : [...this.#state.features, name] });
      },
      onHoverNeuron: (l, j) => {
        this.#hover = l === null || l === undefined ? null : [l, j];
        if (!this.#playing) this.#refresh();
        if (!this.#hover) this.#views.boundary.showNeuron(null);
      },
      onEdit: (l, j, k, value) => this.#post({ type: 'edit', l, j, k, value, want: this.#want() }),
      onAddLayer: () => this.#set({ layers: [...this.#state.layers, 2] }),
      onRemoveLayer: () => this.#set({ layers: this.#state.layers.slice(0, -1) }),
      onAddNeuron: (i) => this.#set({ layers: this.#state.layers.map((n, m) => (m === i ? n + 1 : n)) }),
      onRemoveNeuron: (i) => this.#set({ layers: this.#state.layers.map((n, m) => (m === i ? n - 1 : n)) }),
    });

    // Space toggles play when focus is not in a form field.
    e.lab.addEventListener('keydown', (ev) => {
      if (ev.key === ' ' && !ev.defaultPrevented && !['INPUT', 'SELECT', 'BUTTON', 'TEXTAREA'].includes(ev.composedPath()[0]?.tagName) && ev.composedPath()[0]?.getAttribute?.('role') !== 'button') { ev.preventDefault(); this.#playing ? this.pause() : this.play(); }
    });
  }

  // ---- the model as a file -------------------------------------------------------------------------------

  #download(json, epoch) {
    const blob = new Blob([JSON.stringify(json, null, 1)], { type: 'application/json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `backprop-lab-${this.#state.dataset}-epoch-${epoch}.json` });
    this.shadowRoot.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  async #load(file) {
    if (!file) return;
    if (file.size > 50e6) { this.#notice(`model file: ${file.name} is ${Math.round(file.size / 1e6)} MB, more than the 50 MB a lab loads`, 'error'); return; }
    this.pause();
    this.#loadedName = file.name;
    this.#post({ type: 'import', json: await file.text(), want: this.#want() });
  }
  #loadedName = '';

  // The worker took the file's network: the settings follow it (without rebuilding anything).
  #imported(c) {
    const patch = {
      features: c.features, layers: c.layers.slice(1, -1), activation: c.activation, output: c.outputActivation,
      cost: c.cost, init: c.init, seed: c.seed,
    };
    const { state, notices } = validate({ ...this.#state, ...patch }, this.#state);
    notices.forEach((n) => this.#notice(`model file: ${n}`, 'warning'));
    this.#state = state;
    this.#resolved = this.#resolve(state);
    this.#syncControls();
    this.#writeUrl(false);
    this.#views.cost.reset();
    this.#views.gradients.reset();
    this.#dismiss('diverged');
    this.#notice(`Loaded ${this.#loadedName}: the weights come from the file (a link to this lab reproduces its settings, not these weights).`, 'info', 'loaded');
  }

  /** The three ways to share this lab's exact state: a link, an iframe, and the element for a blog post. */
  snippets() {
    const s = this.#state, hash = toHash(s);
    const page = this.hasAttribute('sync-url') ? location.href.split('#')[0] : new URL('index.html', ROOT).href;
    const attrs = Object.keys(SCHEMA)
      .filter((k) => k === 'seed' || JSON.stringify(s[k]) !== JSON.stringify(DEFAULTS[k]))
      .map((k) => `${attributeName(k)}="${Array.isArray(s[k]) ? s[k].join(',') : s[k]}"`);
    const query = new URLSearchParams();
    for (const name of ['controls', 'views']) if (this.getAttribute(name)) query.set(name, this.getAttribute(name));
    const search = query.size ? `?${query.toString().replaceAll('%2C', ',')}` : '';
    // the lab's own height at this width, so the iframe shows all of it without an inner scrollbar
    const height = Math.max(400, Math.ceil(this.getBoundingClientRect().height / 10) * 10 + 20);
    return {
      link: `${page}#${hash}`,
      iframe: `<iframe src="${new URL('embed.html', ROOT).href}${search}#${hash}" width="100%" height="${height}" loading="lazy" title="backprop-lab" style="border:0"></iframe>`,
      element: `<script type="module" src="${new URL('backprop-lab.js', ROOT).href}"></script>\n<backprop-lab ${attrs.join(' ')}></backprop-lab>`,
    };
  }

  #toggleShare() {
    const panel = this.#els.sharePanel, open = panel.hidden;
    panel.hidden = !open;
    this.#els.share.setAttribute('aria-expanded', String(open));
    if (!open) return;
    const sn = this.snippets();
    const row = (label, text, note) => {
      const area = h('textarea', { readonly: true, rows: label === 'Link' ? 3 : 4, 'aria-label': label, spellcheck: 'false' });
      area.value = text;
      area.addEventListener('focus', () => area.select());
      const copy = h('button', { class: 'text', text: 'Copy', 'aria-label': `Copy the ${label.toLowerCase()}`, onclick: async () => {
        try { await navigator.clipboard.writeText(text); copy.textContent = 'Copied'; } catch { area.select(); copy.textContent = 'Press Ctrl+C'; }
        setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
      } });
      return h('div', { class: 'share-row' }, h('div', { class: 'share-head' }, h('b', { text: label }), h('span', { class: 'hint', text: note }), copy), area);
    };
    const file = h('input', { type: 'file', accept: '.json,application/json', hidden: true, 'aria-label': 'Model file to load',
      onchange: () => { this.#load(file.files[0]); file.value = ''; } });
    const model = h('div', { class: 'share-row' },
      h('div', { class: 'share-head' }, h('b', { text: 'Model' }), h('span', { class: 'hint', text: 'weights and settings as JSON (the engine\'s toJSON format)' })),
      h('div', { class: 'share-buttons' },
        h('button', { class: 'text', 'data-action': 'export', text: 'Download JSON', onclick: () => this.#ready && this.#worker.postMessage({ type: 'export' }) }),
        h('button', { class: 'text', 'data-action': 'import', text: 'Load JSON…', onclick: () => file.click() }), file));
    panel.replaceChildren(
      row('Link', sn.link, 'this page, these settings, this seed'),
      row('Iframe', sn.iframe, 'any blog or host, also cross-origin'),
      row('Element', sn.element, 'a blog on the same origin as these files'),
      model);
  }

  #syncPlayButton() {
    const b = this.#els.play;
    if (!b) return;
    b.classList.toggle('playing', this.#playing);
    b.setAttribute('aria-label', this.#playing ? 'Pause' : 'Play');
  }

  #syncControls() {
    const s = this.#state, e = this.#els;
    for (const key of ['learningRate', 'activation', 'regularization', 'regularizationRate', 'output', 'cost', 'init', 'speed', 'classes']) {
      const sel = e[key];
      const v = String(s[key]);
      // A value from a URL that is not among the presets (e.g. learningRate=0.05) gets its own option.
      if (![...sel.options].some((o) => o.value === v)) sel.append(h('option', { value: v, text: v }));
      sel.value = v;
    }
    for (const key of ['trainRatio', 'noise', 'points', 'batchSize']) {
      e[key].value = s[key];
      e[`${key}Out`].textContent = e[`${key}Fmt`](s[key]);
    }
    e.showTestData.checked = s.showTestData;
    e.discretize.checked = s.discretize;
    e.linkColor.checked = s.linkColor === 'gradient';
    e.regularizationRate.disabled = s.regularization === 'none';
    e.classes.closest('.control').hidden = s.dataset !== 'blobs';
    const kind = problemKind(s.dataset);
    e.output.title = `in use: ${this.#resolved.outputActivation}`;
    e.cost.title = `in use: ${this.#resolved.cost}`;
    e.output.disabled = kind === 'multiclass';
    for (const b of e.datasets.querySelectorAll('.dataset')) b.setAttribute('aria-checked', String(b.dataset.dataset === s.dataset));
  }

  #shownViews = new Set(VIEWS);
  #applyVisibility() {
    const list = (name, all) => {
      const v = this.getAttribute(name);
      if (v === null || v.trim() === '' || v.trim() === 'all') return new Set(all);
      const items = v.split(',').map((x) => x.trim()).filter(Boolean);
      const bad = items.filter((x) => !all.includes(x));
      if (bad.length) this.#notice(`${name}: unknown ${bad.map((b) => `'${b}'`).join(', ')} ignored (known: ${all.join(', ')})`, 'warning');
      return new Set(items.filter((x) => all.includes(x)));
    };
    const controls = list('controls', CONTROLS), views = list('views', VIEWS);
    const newlyShown = [...views].some((v) => !this.#shownViews.has(v));
    this.#shownViews = views;
    if (newlyShown && this.#frame) this.#refresh();  // a fresh frame for what was hidden
    this.#views.network.setAllowed({ edit: controls.has('edit'), features: controls.has('features'), layers: controls.has('layers') });
    for (const el of this.shadowRoot.querySelectorAll('[data-control]')) el.hidden = !controls.has(el.dataset.control) || (el.dataset.control === 'classes' && this.#state?.dataset !== 'blobs');
    for (const el of this.shadowRoot.querySelectorAll('[data-view]')) el.hidden = !views.has(el.dataset.view);
    this.#els.lab.classList.toggle('no-out-col', !views.has('boundary') && !views.has('cost'));
    this.#els.lab.classList.toggle('no-data-col', !['dataset', 'noise', 'trainRatio', 'points', 'batchSize', 'regenerate'].some((c) => controls.has(c)));
  }

  #drawThumbnails(thumbs) {
    for (const b of this.#els.datasets.querySelectorAll('.dataset')) {
      const t = thumbs[b.dataset.dataset];
      const c = b.querySelector('canvas'), g = c.getContext('2d');
      g.fillStyle = '#f7f7f7'; g.fillRect(0, 0, c.width, c.height);
      if (!t) continue;
      const scale = c.width / 12;
      for (let i = 0; i < t.labels.length; i++) {
        const v = t.labels[i];
        g.fillStyle = t.kind === 'multiclass' ? CLASS_COLORS[v % CLASS_COLORS.length] : t.kind === 'regression' ? (v > 0 ? BLUE : ORANGE) : (v > 0.5 ? BLUE : ORANGE);
        if (t.kind === 'regression') g.globalAlpha = Math.min(1, 0.25 + Math.abs(v));
        g.fillRect((t.points[2 * i] + 6) * scale - 1.5, (6 - t.points[2 * i + 1]) * scale - 1.5, 3, 3);
        g.globalAlpha = 1;
      }
    }
  }
}

if (!customElements.get('backprop-lab')) {
  compileEngine();  // start the download and compile as soon as the lab's code runs
  customElements.define('backprop-lab', BackpropLab);
}
