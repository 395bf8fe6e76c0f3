// The network diagram: input features, hidden layers and output as columns of heatmap thumbnails joined by
// curved links whose width and colour show each weight w (or, with state.linkColor = 'gradient', ∂C/∂w on a
// log scale), bias marks, saturated neurons flagged, +/− controls for the architecture, and a card to read
// and edit any weight or bias and a tapped neuron's large view (card.js, loaded when the first opens).
//
// Cheap per frame: the DOM (nodes, and invisible SVG hit paths for hover/tap/click) is built only when the
// shape changes and never touched by a frame. A frame repaints the neuron thumbnails on ONE canvas (each
// neuron's heatmap goes into an edge-padded cell of an offscreen atlas, the atlas is put with one
// putImageData, then each cell is drawn scaled and smoothed at its node's place: a canvas per neuron made
// ~130 separately rastered layers per frame); the node elements are transparent boxes over it. And,
// only if some link's or bias's quantised colour or width level changed, redraws the links and bias marks on
// one canvas behind the nodes, batched by colour and width (a few hundred strokes, no style recalculation or
// layout: ~2000 restyled SVG paths cost more in Chromium's style + paint than the rest of the page). The
// levels are coarse and have hysteresis, so a weight that creeps or jitters does not force a redraw.
import { ramp, ORANGE, NEUTRAL, BLUE, CLASS_COLORS } from '../colors.js';
import { paintScalar } from '../heatmap.js';
import { EXTENT } from '../protocol.js';
import css from './network.css?inline';  // minified by Vite

/** The seven input features, in the engine's order. `scale` maps the value over [−6, 6]² into [−1, 1]. */
export const FEATURES = [
  { name: 'x1', label: 'x₁', scale: 1 / EXTENT },
  { name: 'x2', label: 'x₂', scale: 1 / EXTENT },
  { name: 'x1sq', label: 'x₁²', scale: 1 / (EXTENT * EXTENT) },
  { name: 'x2sq', label: 'x₂²', scale: 1 / (EXTENT * EXTENT) },
  { name: 'x1x2', label: 'x₁x₂', scale: 1 / (EXTENT * EXTENT) },
  { name: 'sinx1', label: 'sin x₁', scale: 1 },
  { name: 'sinx2', label: 'sin x₂', scale: 1 },
];

/**
 * A neuron is marked saturated when σ'(z) < 5 % of its largest value (the engine's inspect()) on more than this
 * share of the training points: 80 %, so the tutorial's slowdown neuron (88.8 %) is marked.
 */
export const SATURATED = 0.8;

/** Architecture limits of the +/− buttons. */
export const LIMITS = { minLayers: 0, maxLayers: 8, minNeurons: 1, maxNeurons: 16 };

/** The value of input feature `name` at the point (x1, x2) — the engine's features.hpp, in JS. */
export function featureValue(name, x1, x2) {
  switch (name) {
    case 'x1': return x1;
    case 'x2': return x2;
    case 'x1sq': return x1 * x1;
    case 'x2sq': return x2 * x2;
    case 'x1x2': return x1 * x2;
    case 'sinx1': return Math.sin(x1);
    case 'sinx2': return Math.sin(x2);
    default: throw new Error(`featureValue: unknown feature '${name}'`);
  }
}

// ---- link and bias styles -----------------------------------------------------------------------------------
// A link's signed strength s ∈ [−1, 1]: weight mode s = w / W_FULL (clamped), colour by w over [−1, 1];
// gradient mode s = ±(1 + log10(|∂C/∂w| / max) / DECADES) (clamped: max → 1, max·10⁻⁴ → 0), colour by s.
// Width W_MIN + (W_MAX − W_MIN)·|s|. Colours come in 2·CQ + 1 levels, widths in half pixels.
const DECADES = 4;
const W_MIN = 0.5, W_MAX = 6, W_FULL = 4, W_STEP = 0.5;
const CQ = 12, NAN_LEVEL = CQ + 1, NONE = -128;
const NAN_COLOR = '#b0b0b0';
// index level + CQ; the last one: not a finite number. The middle (w ≈ 0) is the background's neighbour, so
// that a weak link fades into the page: the Playground's light grey, and a dark grey on the dark theme.
const levels = (neutral) => {
  const sc = ramp([ORANGE, neutral, BLUE], -1, 1), out = [];
  for (let q = -CQ; q <= CQ; q++) out.push(sc(q / CQ));
  out.push(NAN_COLOR);
  return out;
};
const COLOR_LEVELS = { light: levels(NEUTRAL), dark: levels('#4a5058') };
const N_COLORS = COLOR_LEVELS.light.length, N_WIDTHS = W_MAX / W_STEP;   // width level i → (i + 1)·0.5 px
const BIAS_STROKE = { light: 'rgba(0, 0, 0, 0.3)', dark: 'rgba(255, 255, 255, 0.35)' };
/** Canvas resolution cap (device pixels) for the link layer: a big network on a 3× phone stays ≤ 8 Mpx. */
const MAX_CANVAS_PX = 8e6;
/**
 * Raster budget per frame, in thin links (a wide link costs 8): on a CPU-rastered canvas 2000 wide strokes take
 * tens of ms. Beyond it the remaining changed layers wait for the next frames (round robin), so the thumbnails
 * keep their frame rate; thin links (weight mode) fit a whole 8 × 16 network, wide ones (gradient mode) ~3 layers.
 */
const DRAW_BUDGET = 6000;
/** How a layer's links are drawn while the step-through shows a step (highlight()). */
const LINK_NORMAL = 0, LINK_DIM = 1, LINK_LIT = 2;
const DIM_ALPHA = 0.2;     // the links the step does not use
const HALO_ALPHA = 0.3;    // the accent-coloured halo under the links it uses
/**
 * Large networks while training: the neuron thumbnails (one canvas over the neuron columns) and the links (one
 * canvas over the whole diagram) are the page's two largest canvases, and without a GPU Chromium re-rasters
 * every canvas that changed in a frame, ~10 ms a frame on an 8 × 16 network. With SPLIT_NEURONS neurons or
 * more, a frame of a stream (the lab playing) repaints only one of them, so each frame rasters about half
 * (TensorFlow Playground likewise throttles its heatmaps on large networks): the thumbnails at least every
 * other frame, the links at most every other frame and only when a level changed. A single frame (a step, a
 * hover, the frame after a pause) paints both; what a stream's last frame left waiting is painted FLUSH_MS later.
 */
const SPLIT_NEURONS = 64;
const FLUSH_MS = 50;
/**
 * What this frame paints: 'both' (the thumbnails, and the links if some level changed), 'neurons-only'
 * (the thumbnails; changed links wait a frame) or 'links' (the changed links; the thumbnails wait a frame).
 * `split`: a large network while frames stream; `linksDirty`: some link level changed; `last`: the previous
 * frame's answer.
 */
export function nextPaint(split, linksDirty, last) {
  if (!split) return 'both';
  return linksDirty && last !== 'links' ? 'links' : 'neurons-only';
}
/** The new quantisation level for a continuous level x: stays at `old` until x is 0.65 of a step away. */
function level(x, old) {
  const q = Math.round(x);
  return q === old || (old !== NONE && Math.abs(x - old) < 0.65) ? old : q;
}
/** Signed strength in [−1, 1] of a gradient (see above); `scale` = 1 / max |∂C/∂w|. */
function gradStrength(v, scale) {
  const a = Math.abs(v) * scale;
  let t = a > 0 ? 1 + Math.log10(a) / DECADES : 0;
  if (t < 0) t = 0; else if (t > 1) t = 1;
  return v < 0 ? -t : t;
}

/** How links and biases look, for figures.js (a saved diagram draws them as this view does). */
export const LINKS = { DECADES, W_MIN, W_MAX, W_FULL, gradStrength };

// ---- feature thumbnails: computed once ------------------------------------------------------------------
const FEATURE_RES = 32;
let featureImages = null;
function featureImage(index) {
  if (!featureImages) {
    featureImages = FEATURES.map((f) => {
      const n = FEATURE_RES, v = new Float32Array(n * n), h = (2 * EXTENT) / n;
      for (let r = 0; r < n; r++) {
        const x2 = EXTENT - (r + 0.5) * h;   // row 0 at the top
        for (let c = 0; c < n; c++) v[r * n + c] = featureValue(f.name, -EXTENT + (c + 0.5) * h, x2) * f.scale;
      }
      const img = new ImageData(n, n);
      paintScalar(img, v, 0, n, -1, 1);
      return img;
    });
  }
  return featureImages[index];
}

/**
 * Copies the res × res pixels `src` (one uint32 per pixel) into `dst` (a `dstW` pixels wide image) as a
 * (res + 2)² cell starting at pixel index `o`, with src's edge pixels repeated one pixel around it: smoothing
 * that samples past the thumbnail's edge then sees the edge itself, as it would in a canvas of its own.
 */
export function copyPadded(dst, dstW, o, src, res) {
  const cell = res + 2;
  for (let r = 0, d = o + dstW; r < res; r++, d += dstW) {
    const s = r * res;
    dst.set(src.subarray(s, s + res), d + 1);
    dst[d] = src[s]; dst[d + res + 1] = src[s + res - 1];
  }
  dst.copyWithin(o, o + dstW, o + dstW + cell);
  dst.copyWithin(o + (res + 1) * dstW, o + res * dstW, o + res * dstW + cell);
}

const SVG = 'http://www.w3.org/2000/svg';
function el(tag, cls, parent) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (parent) parent.appendChild(e);
  return e;
}
function svg(tag, attrs, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function button(cls, text, label, parent, onClick) {
  const b = el('button', cls, parent);
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.title = label;
  b.addEventListener('click', onClick);
  return b;
}
const layerSize = (x) => (typeof x === 'number' ? x : x?.neurons ?? x?.size ?? 0);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

// Layout (px at the diagram's base font size of 12 px; the text-bound ones grow with the font: see #place)
const HEADER_H = 70, MAX_COLUMN_H = 520, LEFT = 52, MIN_DX = 66, MAX_DX = 230, FEATURE_SIZE = 30;
const MIN_NODE = 24;   // WCAG 2.2 target size: every neuron is a 24 × 24 px target at least

export class NetworkDiagram {
  /**
   * @param {HTMLElement} container
   * @param {{onToggleFeature?: (name: string) => void, onHoverNeuron?: (l: number|null, j?: number) => void,
   *   onAddNeuron?: (i: number) => void, onRemoveNeuron?: (i: number) => void, onAddLayer?: () => void,
   *   onRemoveLayer?: () => void, onEdit?: (l: number, j: number, k: number, value: number) => void,
   *   onCheckParameter?: (l: number, j: number, k: number) => Promise<{backprop: number, finiteDifference: number}>,
   *   addStyles?: (css: string) => void}} callbacks  addStyles: puts the CSS of the card and the peek (card.js) in
   *   the lab's styles
   */
  constructor(container, callbacks = {}) {
    this.container = container;
    this.cb = callbacks;
    this.key = '';          // shape of the drawn network
    this.stateKey = '';     // state shown by the controls
    this.frame = null;
    this.state = null;
    this.hover = null;      // [l, j] reported through onHoverNeuron
    this.hoverBy = '';      // 'mouse' | 'touch' | 'key'
    this.card = { mode: 'none', item: -1, by: '' };
    // What the reader may change here (setAllowed): values in the card, the features.
    this.editable = true;
    this.featuresToggle = true;
    this.pointerType = 'mouse';
    this.pointerTime = -1e9;
    this.width = 0;
    this.nItems = 0;
    this.neurons = [];
    this.k = 1;             // the diagram's font size / 12 px (layout bound to text grows with it)
    this.stroke = 1;        // --bp-stroke-scale: link and bias widths (lecture mode: thicker)
    this.colors = COLOR_LEVELS.light;
    this.biasStroke = BIAS_STROKE.light;
    this.accent = '#0a6aa8';  // --bp-accent: the halo of the links the step-through's step uses

    const root = this.root = el('div', 'network', container);
    // Above the diagram (outside the horizontal scroller, so always reachable): layers +/− and the legend.
    const bar = el('div', 'network-bar', root);
    const lc = el('div', 'network-layerctl', bar);
    this.removeLayerBtn = button('network-btn', '−', 'Remove a hidden layer', lc, () => this.cb.onRemoveLayer?.());
    this.addLayerBtn = button('network-btn', '+', 'Add a hidden layer', lc, () => this.cb.onAddLayer?.());
    this.layerCount = el('span', 'network-layercount', lc);
    this.layerCount.setAttribute('aria-live', 'polite');
    const legend = this.legend = el('div', 'network-legend', bar);
    this.legendText = el('span', 'network-legend-text', legend);
    const sat = el('span', 'network-legend-sat', legend);
    el('span', 'network-legend-satmark', sat);
    sat.append('saturated');
    sat.title = "saturated: σ'(z) ≈ 0 on more than 80 % of the training data (not at an output where cross-entropy cancels σ'); a ReLU with z ≤ 0 on every training point is dead";

    this.scroll = el('div', 'network-scroll', root);
    const stage = this.stage = el('div', 'network-stage', this.scroll);
    // links and bias marks: drawn on a canvas under the (invisible) SVG hit targets and the nodes
    this.linkCanvas = el('canvas', 'network-links', stage);
    this.linkCanvas.setAttribute('aria-hidden', 'true');
    this.linkCtx = this.linkCanvas.getContext('2d');
    this.dpr = 0;             // device pixels per CSS pixel of the link canvas
    this.linksDirty = false;  // some layer's levels changed or the canvas was resized: redraw on the next frame
    this.lastPaint = 'both';        // what the last frame painted (nextPaint)
    this.pendingNeurons = null;     // a frame whose thumbnails wait for the next frame or #flush
    this.flushTimer = 0;
    this.svg = svg('svg', { class: 'network-svg', 'aria-hidden': 'true' }, stage);
    this.gHits = svg('g', { fill: 'none', class: 'network-hits' }, this.svg);
    this.gBias = svg('g', {}, this.svg);
    this.headersEl = el('div', 'network-headers', stage);
    this.headers = [];      // pooled per column (stable elements keep keyboard focus across rebuilds)
    this.featureEl = el('div', 'network-features', stage);
    this.featureNodes = FEATURES.map((f, i) => {
      const b = el('button', 'network-feature', this.featureEl);
      b.type = 'button';
      b.setAttribute('aria-label', `input feature ${f.label}`);
      // An unused feature shows a greyed copy (network.css), drawn once through the canvas's own grayscale
      // filter rather than a CSS filter on the element: a CSS filter makes the compositor draw each faded
      // thumbnail in a render pass of its own on every frame that damages the page around it (with four labs
      // in view, 18 extra passes a frame while training).
      const colour = el('canvas', 'network-thumb', b), grey = el('canvas', 'network-thumb network-thumb-off', b);
      colour.width = colour.height = grey.width = grey.height = FEATURE_RES;
      colour.getContext('2d').putImageData(featureImage(i), 0, 0);
      const g = grey.getContext('2d');
      g.filter = 'grayscale(0.6)';
      g.drawImage(colour, 0, 0);
      const lab = el('span', 'network-feature-label', b);
      lab.textContent = f.label;
      b.addEventListener('click', () => { if (this.featuresToggle) this.cb.onToggleFeature?.(f.name); });
      return b;
    });
    // neuron thumbnails: one canvas under the (transparent) node elements, filled from an offscreen atlas
    this.thumbCanvas = el('canvas', 'network-thumbs', stage);
    this.thumbCanvas.setAttribute('aria-hidden', 'true');
    this.thumbCtx = this.thumbCanvas.getContext('2d');
    this.thumbDpr = 0;
    this.atlas = document.createElement('canvas');
    this.atlasCtx = this.atlas.getContext('2d');
    this.atlasImg = null;      // the atlas's pixels (cells of (thumbRes + 2)², edges repeated for smoothing)
    this.atlasOk = false;      // the atlas canvas holds the current neurons' thumbnails
    this.neuronEl = el('div', 'network-neurons', stage);
    this.neuronEl.setAttribute('role', 'group');
    this.neuronEl.setAttribute('aria-label', 'neurons: arrow keys move, Enter edits the bias and incoming weights');
    this.cardEl = el('div', 'network-card', stage);
    this.cardEl.hidden = true;
    // a tapped neuron's large view, next to the finger (the boundary view may be a screen away on a phone):
    // made by card.js at the first tap
    this.peekEl = null;

    this.#wireEvents();
    this.containerWidth = -1;  // from the ResizeObserver (read when layout is clean), −1 before the first report
    this.resizeObserver = new ResizeObserver(() => {
      this.containerWidth = this.container.clientWidth;
      if (Math.max(200, this.containerWidth) !== this.width && this.key) {
        this.#place();
        // a resize clears the link canvas: draw the links now, not at the next frame (a paused lab has none)
        if (this.linksDirty && this.frame) this.#drawLinks();
      }
    });
    this.resizeObserver.observe(container);
  }

  /**
   * Draws the newest frame; `state` is the lab state; `opts.streaming`: the frame is one of a stream (the lab is
   * playing), so a large network may leave a canvas for the next frame (nextPaint). Cheap: no allocation unless
   * the shape changed.
   */
  update(frame, state, opts = {}) {
    if (!this.rootNode && this.container.isConnected) { this.#listenOutside(); this.#readStyle(); }
    this.state = state;
    this.grad = state?.linkColor === 'gradient';
    if (frame) {
      const key = `${frame.sizes.join(',')}|${frame.features.join(',')}|${frame.thumbRes}`;
      this.frame = frame;
      if (key !== this.key) { this.#rebuild(frame); this.key = key; this.#place(); }
    }
    if (state) this.#syncState(state);
    if (!frame) return;
    this.#paintLinks(frame, this.grad);
    if (window.devicePixelRatio !== this.dprSeen) this.#sizeCanvas();  // browser zoom, or another screen
    // While frames stream in (training), a large network repaints one of its two big canvases per frame
    // (see nextPaint); what waits is painted at the next frame, or by the flush below once frames stop.
    this.lastPaint = nextPaint(!!opts.streaming && this.neurons.length >= SPLIT_NEURONS, this.linksDirty, this.lastPaint);
    if (this.lastPaint === 'links') this.pendingNeurons = frame;
    else { this.pendingNeurons = null; this.#paintNeurons(frame, state); }
    if (this.linksDirty && this.lastPaint !== 'neurons-only') this.#drawLinks();
    clearTimeout(this.flushTimer);
    if (this.pendingNeurons || this.linksDirty) this.flushTimer = setTimeout(() => this.#flush(), FLUSH_MS);
    if (this.card.mode === 'show' && this.cardVal) this.#cardCode?.fill(this, this.#cardHost);
    if (this.peekEl && !this.peekEl.hidden) this.#cardCode.paintPeek(this, frame);
  }

  /** Paints what a large network's last frame left waiting (nextPaint), once no frame followed it. */
  #flush() {
    const f = this.pendingNeurons;
    this.pendingNeurons = null;
    if (f && f === this.frame) this.#paintNeurons(f, this.state);
    if (this.linksDirty) this.#drawLinks();
  }

  /** The theme, the font size or lecture mode changed: re-read them, lay out again, repaint. */
  restyle() {
    if (!this.#readStyle() || !this.key) return;
    this.#place();
    this.#forceRepaint();
    this.#drawLinks();
  }

  // The tokens and sizes the canvas drawing needs (CSS cannot reach into a canvas). True if any changed.
  #readStyle() {
    if (!this.root.isConnected) return false;
    const cs = getComputedStyle(this.root);
    const k = (parseFloat(cs.fontSize) || 12) / 12, stroke = parseFloat(cs.getPropertyValue('--bp-stroke-scale')) || 1;
    let dark = false;
    try { dark = !!this.root.getRootNode().host?.matches(':state(dark)'); } catch { /* no :state(): light */ }
    const accent = cs.getPropertyValue('--bp-accent').trim() || '#0a6aa8';
    const changed = k !== this.k || stroke !== this.stroke || (dark ? COLOR_LEVELS.dark : COLOR_LEVELS.light) !== this.colors || accent !== this.accent;
    this.k = k; this.stroke = stroke; this.accent = accent;
    this.colors = dark ? COLOR_LEVELS.dark : COLOR_LEVELS.light;
    this.biasStroke = dark ? BIAS_STROKE.dark : BIAS_STROKE.light;
    return changed;
  }

  /** A new network: forget cached attributes and close the card. */
  reset() {
    this.#closeCard();
    this.#forceRepaint();
  }

  /** The lab left the document: drop the document-level listener (it would keep a removed lab alive); the next update() adds it back. */
  suspend() {
    this.rootNode?.removeEventListener('pointerdown', this.onRootPointerDown, true);
    document.removeEventListener('pointerdown', this.onDocPointerDown, true);
    this.rootNode = null;
  }

  destroy() {
    clearTimeout(this.flushTimer);
    this.resizeObserver.disconnect();
    this.rootNode?.removeEventListener('pointerdown', this.onRootPointerDown, true);
    document.removeEventListener('pointerdown', this.onDocPointerDown, true);
    this.#setHover(null);
    this.root.remove();
  }

  // ---- shape -----------------------------------------------------------------------------------------------
  #rebuild(frame) {
    this.#closeCard();
    const sizes = frame.sizes, L = sizes.length - 1;
    this.L = L;
    this.sizes = sizes.slice();
    this.inputs = frame.features.map((n) => FEATURES.findIndex((f) => f.name === n));
    // items: every link, layer by layer in W's row-major order, then every bias
    let nLinks = 0;
    this.linkBase = [0, 0];
    for (let l = 1; l <= L; l++) { this.linkBase[l] = nLinks; nLinks += sizes[l] * sizes[l - 1]; }
    this.nLinks = nLinks;
    this.biasBase = [0, 0];
    let nb = nLinks;
    for (let l = 1; l <= L; l++) { this.biasBase[l] = nb; nb += sizes[l]; }
    const n = this.nItems = nb;
    this.itemL = new Int16Array(n); this.itemJ = new Int16Array(n); this.itemK = new Int16Array(n);
    for (let l = 1; l <= L; l++) {
      for (let j = 0; j < sizes[l]; j++) {
        for (let k = 0; k < sizes[l - 1]; k++) {
          const i = this.linkBase[l] + j * sizes[l - 1] + k;
          this.itemL[i] = l; this.itemJ[i] = j; this.itemK[i] = k;
        }
        const i = this.biasBase[l] + j;
        this.itemL[i] = l; this.itemJ[i] = j; this.itemK[i] = -1;
      }
    }
    this.colorLevel = new Int8Array(n);   // links and biases
    this.widthLevel = new Int8Array(nLinks);
    this.lastSat = new Int16Array(nb - nLinks);

    // link geometry for the canvas (set by #place) and the per-frame sort by (width, colour) level
    this.linkYA = new Float32Array(nLinks); this.linkYB = new Float32Array(nLinks);
    this.layerX = new Float32Array(3 * (L + 1));   // per layer l: xa, xm, xb
    this.biasX = new Float32Array(nb - nLinks); this.biasY = new Float32Array(nb - nLinks); this.biasSize = 0;
    this.order = new Uint32Array(nLinks);
    this.layerDirty = new Uint8Array(L + 1);
    this.linkMode = new Uint8Array(L + 1);   // per Wˡ: LINK_NORMAL, LINK_DIM or LINK_LIT (highlight())
    this.nextLayer = 0;        // round robin when the draw budget leaves layers for the next frame
    this.bucket = new Uint32Array(2 * N_COLORS * N_WIDTHS + 1);

    const hits = document.createDocumentFragment(), bias = document.createDocumentFragment();
    this.hit = new Array(nLinks);
    for (let i = 0; i < nLinks; i++) this.hit[i] = svg('path', { 'data-i': i }, hits);
    this.biasHits = [];
    for (let i = nLinks; i < n; i++) this.biasHits.push(svg('rect', { 'data-i': i, class: 'network-biashit' }, bias));
    this.gHits.replaceChildren(hits); this.gBias.replaceChildren(bias);

    // neurons: a focusable thumbnail per neuron, roving tabindex
    const res = frame.thumbRes;
    const nodes = document.createDocumentFragment();
    this.neurons = [];
    for (let l = 1; l <= L; l++) {
      for (let j = 0; j < sizes[l]; j++) {
        const node = el('div', 'network-node', nodes);
        node.tabIndex = this.neurons.length === 0 ? 0 : -1;
        node.setAttribute('role', 'button');
        node.setAttribute('aria-label', this.#nodeName(l, j));
        node.setAttribute('aria-roledescription', 'neuron');
        const badge = el('span', 'network-badge', node);
        badge.textContent = '!';
        badge.setAttribute('aria-hidden', 'true');
        if (l === L && sizes[L] > 1) {
          const lab = el('span', 'network-outlabel', node);
          const dot = el('i', '', lab);
          dot.style.background = CLASS_COLORS[j % CLASS_COLORS.length];
          lab.append(`class ${j}`);
        } else if (l === L) {
          el('span', 'network-outlabel', node).textContent = 'ŷ';
        }
        node.dataset.l = l; node.dataset.j = j;
        this.neurons.push({ l, j, node, x: 0, y: 0 });
      }
    }
    this.neuronEl.replaceChildren(nodes);
    // the atlas: a grid of cells (res + 2)² with the thumbnail inside and its edge pixels repeated around it,
    // so smoothing at a cell's border samples the thumbnail's own edge (as a separate canvas's would)
    const N = this.neurons.length, cell = res + 2, cols = Math.max(1, Math.ceil(Math.sqrt(N)));
    const rows = Math.max(1, Math.ceil(N / cols));
    this.atlasCols = cols; this.atlasW = cols * cell;
    this.atlasImg = new ImageData(cols * cell, rows * cell);
    this.atlas32 = new Uint32Array(this.atlasImg.data.buffer);
    this.cellImg = new ImageData(res, res);
    this.cell32 = new Uint32Array(this.cellImg.data.buffer);
    this.atlas.width = cols * cell; this.atlas.height = rows * cell;
    this.atlasOk = false;
    this.thumbRes = res;
    if (this.hover && (this.hover[0] > L || this.hover[1] >= sizes[this.hover[0]])) this.#setHover(null);
    this.#forceRepaint();
    this.stateKey = '';
    this.highlight(this.lit ?? null, this.litLinks ?? null);
  }

  /**
   * The step-through's current step (explain/panel.js): the neurons of these layers (0 = the input features)
   * are ringed, so the reader sees which part of the network the equation on screen uses; null: none.
   */
  highlight(layers, links = null) {
    this.lit = layers;
    this.litLinks = links;
    const on = (l) => !!layers && layers.includes(l);
    for (const n of this.neurons ?? []) n.node.classList.toggle('is-step', on(n.l));
    this.featureNodes.forEach((b, i) => b.classList.toggle('is-step', on(0) && !!this.inputs?.includes(i)));
    // The links of the weight matrices the step uses (Wˡ for zˡ = Wˡ aˡ⁻¹ + bˡ and BP4, Wˡ⁺¹ for BP2's
    // (Wˡ⁺¹)ᵀ δˡ⁺¹) are drawn over a halo, the others faded. Only the layers whose look changes are redrawn,
    // and only when the lit set changes: a frame of a paused walk draws nothing.
    const lit = links?.length ? links.filter((l) => l >= 1 && l <= this.L) : [];
    this.linkCanvas.dataset.lit = lit.join(',');
    if (!this.linkMode) return;
    let changed = false;
    for (let l = 1; l <= this.L; l++) {
      const mode = !lit.length ? LINK_NORMAL : lit.includes(l) ? LINK_LIT : LINK_DIM;
      if (mode !== this.linkMode[l]) { this.linkMode[l] = mode; this.layerDirty[l] = 1; changed = true; }
    }
    if (changed) { this.linksDirty = true; if (this.frame) this.#drawLinks(); }
  }

  /** A neuron's name, as a screen reader says it (it contains the text the node shows: "class 0"). */
  #nodeName(l, j) {
    if (l < this.L) return `hidden layer ${l}, neuron ${j + 1}`;
    return this.sizes[l] > 1 ? `output, neuron ${j + 1}, class ${j}` : `output, neuron ${j + 1}`;
  }

  #forceRepaint() {
    if (!this.nItems) return;
    this.colorLevel.fill(NONE); this.widthLevel.fill(NONE); this.lastSat.fill(-1);
    this.#allDirty();
  }

  /** Sizes the link canvas to the stage (CSS px × devicePixelRatio, capped); clears it, so marks it dirty. */
  #sizeCanvas() {
    const W = this.stageW, H = this.stageH;
    if (!W) return;
    this.dprSeen = window.devicePixelRatio;
    const dpr = Math.min(this.dprSeen || 1, Math.sqrt(MAX_CANVAS_PX / (W * H)));
    const c = this.linkCanvas, pw = Math.round(W * dpr), ph = Math.round(H * dpr);
    if (c.width !== pw || c.height !== ph) { c.width = pw; c.height = ph; }  // also clears it
    else { this.linkCtx.setTransform(1, 0, 0, 1, 0, 0); this.linkCtx.clearRect(0, 0, pw, ph); }
    this.dpr = dpr;
    this.#allDirty();
    this.#sizeThumbs();
  }

  /** Sizes the thumbnail canvas to the neurons' box (CSS px × devicePixelRatio, capped) and redraws it. */
  #sizeThumbs() {
    const W = this.thumbW, H = this.thumbH;
    if (!W || !H) return;
    const dpr = Math.min(this.dprSeen || 1, Math.sqrt(MAX_CANVAS_PX / (W * H)));
    const c = this.thumbCanvas, pw = Math.round(W * dpr), ph = Math.round(H * dpr);
    if (c.width !== pw || c.height !== ph) { c.width = pw; c.height = ph; }
    this.thumbDpr = dpr;
    this.#drawThumbs();
  }

  /** Draws every neuron's atlas cell at its node (white boxes before the first thumbnails). */
  #drawThumbs() {
    const ctx = this.thumbCtx, dpr = this.thumbDpr, c = this.thumbCanvas;
    if (!dpr || !this.thumbW) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'low';
    const s = this.geom.colS[1], res = this.thumbRes, cell = res + 2, cols = this.atlasCols, ns = this.neurons;
    if (!this.atlasOk) ctx.fillStyle = '#fff';
    for (let i = 0; i < ns.length; i++) {
      const n = ns[i];
      if (this.atlasOk) ctx.drawImage(this.atlas, (i % cols) * cell + 1, ((i / cols) | 0) * cell + 1, res, res, n.x, n.y, s, s);
      else ctx.fillRect(n.x, n.y, s, s);
    }
  }

  #allDirty() {
    if (!this.layerDirty) return;
    this.layerDirty.fill(1);
    this.linksDirty = true;
  }

  /**
   * Redraws the links and bias marks of the layers whose levels changed. Each layer's links lie in their own
   * vertical strip (between the node columns l−1 and l; the bias marks are in it too), so a layer is cleared
   * and redrawn under a clip to its strip. Links go in order of width level (strong ones stay on top), then
   * colour; one width's links are split in two by the parity of their index and the halves draw their colours
   * in opposite orders, so neither sign (orange or blue) systematically covers the other. Skia's CPU raster
   * strokes a thin path (≤ 1 device px: a hairline) fast in one batch, but is much slower filling one large
   * path of overlapping wide strokes than stroking them one by one: thin levels are batched, wide ones not.
   */
  #drawLinks() {
    this.linksDirty = false;
    if (!this.nItems || !this.stageW) return;
    const ctx = this.linkCtx, dpr = this.dpr, H = this.stageH, dirty = this.layerDirty, X = this.layerX, L = this.L;
    const wl = this.widthLevel, thin = Math.floor(1 / (dpr * W_STEP * this.stroke)) - 1;   // the widest level drawn as a hairline
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.lineCap = 'round';
    let cost = 0;
    for (let n = 0; n < L; n++) {
      const l = 1 + ((this.nextLayer + n) % L);
      if (!dirty[l]) continue;
      if (cost >= DRAW_BUDGET) { this.linksDirty = true; this.nextLayer = l - 1; break; }  // the rest next frame
      dirty[l] = 0;
      for (let i = this.linkBase[l], end = i + this.sizes[l] * this.sizes[l - 1]; i < end; i++) cost += wl[i] > thin ? 8 : 1;
      // the strip: 4 px beyond the link ends (round caps reach W_MAX / 2 = 3 px, under the nodes)
      const m = 4 * this.stroke, x0 = Math.floor((X[3 * l] - m) * dpr) / dpr, x1 = Math.ceil((X[3 * l + 2] + m) * dpr) / dpr;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, 0, x1 - x0, H);
      ctx.clip();
      ctx.clearRect(x0, 0, x1 - x0, H);
      const mode = this.linkMode[l];
      if (mode === LINK_LIT) cost += this.#drawHalo(ctx, l);
      ctx.globalAlpha = mode === LINK_DIM ? DIM_ALPHA : 1;
      this.#drawLayer(ctx, l);
      ctx.restore();
    }
  }

  /** The halo under a lit layer's links: each link in the accent colour, wider than the widest weight. Returns its raster cost. */
  #drawHalo(ctx, l) {
    const first = this.linkBase[l], end = first + this.sizes[l] * this.sizes[l - 1];
    const x = 3 * l, xa = this.layerX[x], xm = this.layerX[x + 1], xb = this.layerX[x + 2];
    ctx.globalAlpha = HALO_ALPHA;
    ctx.strokeStyle = this.accent;
    ctx.lineWidth = (W_MAX + 3) * this.stroke;
    for (let i = first; i < end; i++) {
      const ya = this.linkYA[i], yb = this.linkYB[i];
      ctx.beginPath();
      ctx.moveTo(xa, ya);
      ctx.bezierCurveTo(xm, ya, xm, yb, xb, yb);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    return 8 * (end - first);
  }

  #drawLayer(ctx, l) {
    const cl = this.colorLevel, wl = this.widthLevel, NB = 2 * N_COLORS * N_WIDTHS, LAST = N_COLORS - 1;
    const first = this.linkBase[l], end = first + this.sizes[l] * this.sizes[l - 1];
    // counting sort of the layer's links by bucket = (2·width level + parity)·N_COLORS + colour (reversed if odd)
    const start = this.bucket, order = this.order;
    const key = (i) => (i & 1 ? (2 * wl[i] + 2) * N_COLORS - 1 - cl[i] - CQ : 2 * wl[i] * N_COLORS + cl[i] + CQ);
    start.fill(0);
    for (let i = first; i < end; i++) start[key(i) + 1]++;
    for (let b = 1; b <= NB; b++) start[b] += start[b - 1];
    for (let i = first; i < end; i++) order[start[key(i)]++] = i;
    // start[b] is now the end of bucket b
    const x = 3 * l, xa = this.layerX[x], xm = this.layerX[x + 1], xb = this.layerX[x + 2];
    const YA = this.linkYA, YB = this.linkYB;
    let from = 0;
    for (let b = 0; b < NB; b++) {
      const to = start[b];
      if (to === from) continue;
      const q = b % N_COLORS, wp = (b - q) / N_COLORS;   // wp = 2·width level + parity
      const width = ((wp >> 1) + 1) * W_STEP * this.stroke;
      ctx.strokeStyle = this.colors[wp & 1 ? LAST - q : q];
      ctx.lineWidth = width;
      const batch = width * this.dpr <= 1;
      if (batch) ctx.beginPath();
      for (let o = from; o < to; o++) {
        const i = order[o], ya = YA[i], yb = YB[i];
        if (!batch) ctx.beginPath();
        ctx.moveTo(xa, ya);
        ctx.bezierCurveTo(xm, ya, xm, yb, xb, yb);
        if (!batch) ctx.stroke();
      }
      if (batch) ctx.stroke();
      from = to;
    }
    // bias marks: filled by colour level, one thin outline path for all
    const bs = this.biasSize, BX = this.biasX, BY = this.biasY, nl = this.nLinks;
    const b0 = this.biasBase[l] - nl, b1 = b0 + this.sizes[l];
    for (let b = b0; b < b1; b++) {
      ctx.fillStyle = this.colors[cl[nl + b] + CQ];
      ctx.fillRect(BX[b], BY[b], bs, bs);
    }
    ctx.beginPath();
    for (let b = b0; b < b1; b++) ctx.rect(BX[b], BY[b], bs, bs);
    ctx.strokeStyle = this.biasStroke;
    ctx.lineWidth = 0.5 * this.stroke;
    ctx.stroke();
  }


  /** Positions everything for the container's width. */
  #place() {
    if (this.containerWidth < 0) this.containerWidth = this.container.clientWidth;  // before the first resize report
    const W = this.width = Math.max(200, this.containerWidth);
    const sizes = this.sizes, L = this.L, k = this.k;
    let maxN = 1;
    for (let l = 1; l <= L; l++) maxN = Math.max(maxN, sizes[l]);
    const s = Math.max(MIN_NODE, Math.min(34, Math.floor(MAX_COLUMN_H / (maxN + (maxN - 1) * 0.4))));
    const gap = maxN > 1 ? Math.min(Math.round(s * 0.45), 16) : 0;
    const fs = FEATURE_SIZE, fgap = 10;
    // The feature rows: all seven when the reader may toggle them (the unused ones greyed), else only the
    // network's inputs (an embed without the features control draws no rows it cannot use).
    const rows = this.featureRows = this.featuresToggle ? FEATURES.map((_, i) => i) : this.inputs.filter((i) => i >= 0);
    const colH = (n, sz, g) => n * sz + (n - 1) * g;
    const H = Math.max(colH(maxN, s, gap), colH(rows.length, fs, fgap));
    // column centres dx apart, from the features' centre; labels need LEFT and RIGHT outside the nodes
    const left = Math.round(LEFT * k), headerH = Math.round(HEADER_H * k), minDx = Math.round(MIN_DX * Math.max(1, k));
    const RIGHT = Math.round((sizes[L] > 1 ? 66 : 26) * k);  // output labels: 'class 2' or 'ŷ'
    const edges = left + fs / 2 + s / 2 + RIGHT;
    const SW = Math.max(W, Math.ceil(edges + L * minDx));
    const dx = Math.min(MAX_DX, Math.max(minDx, (SW - edges) / L));
    const x0 = left + Math.max(0, Math.floor((SW - edges - L * dx) / 2));
    const stageH = headerH + H + 14;
    this.stage.style.width = `${SW}px`;
    this.stage.style.height = `${stageH}px`;
    this.svg.setAttribute('width', SW);
    this.svg.setAttribute('height', stageH);
    this.stageW = SW; this.stageH = stageH;
    this.linkCanvas.style.width = `${SW}px`;
    this.linkCanvas.style.height = `${stageH}px`;

    // column geometry: col 0 = features (the rows above), col l = layer l
    const colX = [x0], colS = [fs], colTop = [headerH + (H - colH(rows.length, fs, fgap)) / 2], colGap = [fgap];
    for (let l = 1; l <= L; l++) {
      colX[l] = Math.round(x0 + fs / 2 + l * dx - s / 2);
      colS[l] = s; colGap[l] = gap;
      colTop[l] = Math.round(headerH + (H - colH(sizes[l], s, gap)) / 2);
    }
    this.geom = { colX, colS, colTop, colGap, dx };
    const nodeY = (l, row) => colTop[l] + row * (colS[l] + colGap[l]);

    this.featureNodes.forEach((b, i) => {
      const row = rows.indexOf(i);
      b.hidden = row < 0;
      b.style.left = `${x0}px`; b.style.top = `${nodeY(0, Math.max(0, row))}px`;
      b.style.width = b.style.height = `${fs}px`;
    });
    // the thumbnail canvas covers the neuron columns
    let top = Infinity, bottom = 0;
    for (let l = 1; l <= L; l++) { top = Math.min(top, colTop[l]); bottom = Math.max(bottom, nodeY(l, sizes[l] - 1) + s); }
    const tx = this.thumbX = colX[1], ty = this.thumbY = top;
    this.thumbW = colX[L] + s - tx; this.thumbH = bottom - top;
    const ts = this.thumbCanvas.style;
    ts.left = `${tx}px`; ts.top = `${ty}px`; ts.width = `${this.thumbW}px`; ts.height = `${this.thumbH}px`;
    for (const n of this.neurons) {
      const st = n.node.style, x = colX[n.l], y = nodeY(n.l, n.j);
      st.left = `${x}px`; st.top = `${y}px`; st.width = st.height = `${s}px`;
      n.x = x - tx; n.y = y - ty;
    }
    this.#sizeCanvas();   // the link and thumbnail canvases
    // links: from the right middle of node k in column l−1 to the left middle of node j in column l
    for (let l = 1; l <= L; l++) {
      const cols = sizes[l - 1], base = this.linkBase[l];
      const xa = colX[l - 1] + colS[l - 1], xb = colX[l], xm = (xa + xb) / 2;
      this.layerX[3 * l] = xa; this.layerX[3 * l + 1] = xm; this.layerX[3 * l + 2] = xb;
      for (let j = 0; j < sizes[l]; j++) {
        const yb = nodeY(l, j) + s / 2;
        for (let kk = 0; kk < cols; kk++) {
          const row = l === 1 ? Math.max(0, rows.indexOf(this.inputs[kk])) : kk;
          const ya = nodeY(l - 1, row) + colS[l - 1] / 2;
          const d = `M${xa},${ya}C${xm},${ya} ${xm},${yb} ${xb},${yb}`;
          const i = base + j * cols + kk;
          this.linkYA[i] = ya; this.linkYB[i] = yb;
          this.hit[i].setAttribute('d', d);
        }
      }
    }
    // biases: a small square just left of each neuron's lower-left corner; its hit target is 24 × 24 px
    const bs = this.biasSize = Math.max(5, Math.round(s * 0.22)), hs = 24;
    for (let i = this.nLinks; i < this.nItems; i++) {
      const l = this.itemL[i], j = this.itemJ[i], b = i - this.nLinks;
      const x = colX[l] - bs - 2, y = nodeY(l, j) + s - bs + 2;
      const h = this.biasHits[b];
      this.biasX[b] = x; this.biasY[b] = y;
      h.setAttribute('x', x + bs / 2 - hs / 2); h.setAttribute('y', y + bs / 2 - hs / 2);
      h.setAttribute('width', hs); h.setAttribute('height', hs);
    }
    // column headers: added and removed at the end only, so a focused +/− stays in the document (and focused)
    const hn = L + 1;
    while (this.headers.length < hn) this.headers.push(this.#makeHeader(this.headers.length));
    for (let c = 0; c < this.headers.length; c++) {
      const h = this.headers[c].el, want = c < hn;
      if (want && h.parentNode !== this.headersEl) this.headersEl.append(h);
      else if (!want && h.parentNode) h.remove();
    }
    const hw = Math.min(dx, Math.round(150 * k));
    for (let c = 0; c < hn; c++) {
      const h = this.headers[c], st = h.el.style;
      const cx = colX[c] + colS[c] / 2;
      st.left = `${Math.round(cx - hw / 2)}px`; st.width = `${Math.round(hw)}px`;
      h.title.textContent = c === 0 ? 'Features' : c === L ? 'Output' : `Hidden ${c}`;
      h.ctl.hidden = c === 0 || c === L;
    }
    this.stateKey = '';
    if (this.card.mode !== 'none') this.#closeCard();
  }

  #makeHeader(c) {
    const h = { el: el('div', 'network-header') };
    h.title = el('div', 'network-coltitle', h.el);
    h.ctl = el('div', 'network-colctl', h.el);
    const i = c - 1;  // hidden-layer index
    const row = el('div', 'network-colbtns', h.ctl);
    h.minus = button('network-btn network-btn-sm', '−', `Remove a neuron from hidden layer ${c}`, row, () => this.cb.onRemoveNeuron?.(i));
    h.plus = button('network-btn network-btn-sm', '+', `Add a neuron to hidden layer ${c}`, row, () => this.cb.onAddNeuron?.(i));
    h.count = el('div', 'network-colcount', h.ctl);
    h.count.setAttribute('aria-live', 'polite');
    return h;
  }

  /** Controls that follow the state: feature on/off, neuron and layer counts, limits, legend. */
  #syncState(state) {
    const layers = state.layers ?? [];
    const key = `${(state.features ?? []).join(',')}|${layers.map(layerSize).join(',')}|${state.linkColor}`;
    if (key === this.stateKey) return;
    this.stateKey = key;
    const active = new Set(state.features ?? []);
    this.featureNodes.forEach((b, i) => {
      const on = active.has(FEATURES[i].name);
      b.classList.toggle('is-off', !on);
      b.setAttribute('aria-pressed', String(on));
      b.title = `${FEATURES[i].label}: click to ${on ? 'remove' : 'add'} this input`;
    });
    this.layerCount.textContent = plural(layers.length, 'hidden layer');
    // A +/− that reaches its limit is disabled, which would drop the keyboard focus: it goes to the other one.
    const focused = this.root.getRootNode().activeElement;
    const disable = (b, off, other) => { b.disabled = off; if (off && b === focused) other.focus(); };
    disable(this.addLayerBtn, layers.length >= LIMITS.maxLayers, this.removeLayerBtn);
    disable(this.removeLayerBtn, layers.length <= LIMITS.minLayers, this.addLayerBtn);
    for (let c = 1; c < this.L && c < this.headers.length; c++) {
      const h = this.headers[c], n = layerSize(layers[c - 1]) || this.sizes[c];
      h.count.textContent = plural(n, 'neuron');
      disable(h.plus, !(c - 1 < layers.length) || n >= LIMITS.maxNeurons, h.minus);
      disable(h.minus, !(c - 1 < layers.length) || n <= LIMITS.minNeurons, h.plus);
    }
    const grad = state.linkColor === 'gradient';
    this.legendText.textContent = grad
      ? `links: ∂C/∂w, log scale over ${DECADES} decades below the largest`
      : 'links: weight w, width ∝ |w|';
    this.root.classList.toggle('is-gradient', grad);
  }

  // ---- per frame -------------------------------------------------------------------------------------------
  #paintNeurons(frame, state) {
    const res = frame.thumbRes, n2 = res * res, L = this.L, vals = frame.neurons;
    if (!vals || vals.length < this.neurons.length * n2) return;
    const hidden = frame.activation === 'sigmoid' ? 0 : -1;
    const out = frame.outputActivation === 'sigmoid' || frame.outputActivation === 'softmax' ? 0 : -1;
    const discrete = !!state?.discretize;
    const img = this.cellImg, src = this.cell32, a = this.atlas32, AW = this.atlasW, cell = res + 2, cols = this.atlasCols;
    for (let i = 0; i < this.neurons.length; i++) {
      const n = this.neurons[i], isOut = n.l === L;
      paintScalar(img, vals, i * n2, res, isOut ? out : hidden, 1, { discrete: isOut && discrete });
      copyPadded(a, AW, ((i / cols) | 0) * cell * AW + (i % cols) * cell, src, res);  // into atlas cell i
      // saturation flag, touched only when its rounded percentage changes
      // (a ReLU is never saturated: z ≤ 0 on every training point makes it dead, the engine's inspect().dead)
      const sat = frame.layers[n.l - 1]?.saturation?.[n.j] ?? 0, dead = (frame.layers[n.l - 1]?.dead?.[n.j] ?? 0) >= 1;
      const pct = dead ? 1000 : Math.round(sat * 100), bi = this.biasBase[n.l] + n.j - this.nLinks;
      if (pct !== this.lastSat[bi]) {
        this.lastSat[bi] = pct;
        const on = !dead && sat > SATURATED;
        n.node.classList.toggle('is-saturated', on || dead);
        n.node.title = dead ? 'dead: z ≤ 0 on every training point (ReLU), so no gradient passes' : on ? `saturated: σ'(z) ≈ 0 on ${pct} % of the training data` : '';
        n.node.setAttribute('aria-label', `${this.#nodeName(n.l, n.j)}${dead ? ', dead' : on ? ', saturated' : ''}`);
      }
    }
    this.atlasCtx.putImageData(this.atlasImg, 0, 0);
    this.atlasOk = true;
    this.#drawThumbs();
  }

  #paintLinks(frame, grad) {
    const L = this.L;
    let scale = 1;
    if (grad) {
      let max = 0;
      for (let l = 1; l <= L; l++) {
        const g = frame.layers[l - 1].gradW, gb = frame.layers[l - 1].gradB;
        for (let i = 0; i < g.length; i++) { const a = Math.abs(g[i]); if (a > max) max = a; }
        for (let i = 0; i < gb.length; i++) { const a = Math.abs(gb[i]); if (a > max) max = a; }
      }
      scale = max > 0 && Number.isFinite(max) ? 1 / max : 0;
    }
    const cl = this.colorLevel, wl = this.widthLevel;
    for (let l = 1; l <= L; l++) {
      let dirty = false;
      const lf = frame.layers[l - 1];
      const src = grad ? lf.gradW : lf.W, base = this.linkBase[l];
      for (let i = 0; i < src.length; i++) {
        const v = src[i], e = base + i;
        let c, w;
        if (!Number.isFinite(v)) { c = NAN_LEVEL; w = 1; }
        else {
          let sc;
          if (grad) { sc = gradStrength(v, scale); c = sc; }
          else { sc = v / W_FULL; if (sc < -1) sc = -1; else if (sc > 1) sc = 1; c = v < -1 ? -1 : v > 1 ? 1 : v; }
          c = level(c * CQ, cl[e]);
          w = level((W_MIN + (W_MAX - W_MIN) * Math.abs(sc)) / W_STEP - 1, wl[e]);
        }
        if (c !== cl[e] || w !== wl[e]) { cl[e] = c; wl[e] = w; dirty = true; }
      }
      const bv = grad ? lf.gradB : lf.b, bb = this.biasBase[l];
      for (let j = 0; j < bv.length; j++) {
        const v = bv[j], e = bb + j;
        let c;
        if (!Number.isFinite(v)) c = NAN_LEVEL;
        else c = level((grad ? gradStrength(v, scale) : v < -1 ? -1 : v > 1 ? 1 : v) * CQ, cl[e]);
        if (c !== cl[e]) { cl[e] = c; dirty = true; }
      }
      if (dirty) { this.layerDirty[l] = 1; this.linksDirty = true; }
    }
  }

  // ---- values ------------------------------------------------------------------------------------------------
  #value(i, grad) {
    const f = this.frame;
    if (!f) return NaN;
    const l = this.itemL[i], j = this.itemJ[i], k = this.itemK[i], lf = f.layers[l - 1];
    if (!lf) return NaN;
    if (k < 0) return (grad ? lf.gradB : lf.b)[j];
    return (grad ? lf.gradW : lf.W)[j * lf.cols + k];
  }

  // ---- hover / focus / touch ---------------------------------------------------------------------------------
  #setHover(h, by = '') {
    const same = h === this.hover || (h && this.hover && h[0] === this.hover[0] && h[1] === this.hover[1]);
    if (same) { if (h) this.hoverBy = by; return; }
    if (this.hover) this.#neuronAt(this.hover[0], this.hover[1])?.node.classList.remove('is-hover');
    this.hover = h;
    this.hoverBy = h ? by : '';
    if (h) {
      this.#neuronAt(h[0], h[1])?.node.classList.add('is-hover');
      this.cb.onHoverNeuron?.(h[0], h[1]);
    } else this.cb.onHoverNeuron?.(null);
    this.#syncPeek();
  }

  // ---- the peek: a tapped neuron, large, beside it (card.js, whose code the first tap loads) ------------------
  #syncPeek() {
    const want = () => (this.hoverBy === 'touch' ? this.hover : null);
    if (this.#cardCode) this.#cardCode.peek(this, this.#cardHost, want());
    else if (want()) this.#loadCard().then((m) => m.peek(this, this.#cardHost, want()), () => {});
  }

  /** Taps elsewhere close the card and the touch hover: listen on our root (the lab's shadow root) and the document. */
  #listenOutside() {
    this.rootNode = this.container.getRootNode();
    this.rootNode.addEventListener('pointerdown', this.onRootPointerDown, true);
    if (this.rootNode !== document) document.addEventListener('pointerdown', this.onDocPointerDown, true);
  }

  #neuronAt(l, j) {
    let idx = j;
    for (let m = 1; m < l; m++) idx += this.sizes[m];
    return this.neurons[idx];
  }

  #wireEvents() {
    const recent = () => performance.now() - this.pointerTime < 600;
    // taps anywhere in the lab (the shadow root, or the document in the dev page) outside our nodes and card
    this.onRootPointerDown = (e) => {
      this.pointerType = e.pointerType || 'mouse';
      this.pointerTime = performance.now();
      const path = e.composedPath();
      if (this.card.mode !== 'none' && !path.includes(this.cardEl) && !(path[0]?.dataset?.i !== undefined && path.includes(this.svg))) this.#closeCard();
      if (this.hover && this.hoverBy !== 'mouse' && !path.some((n) => n.classList?.contains('network-node'))) this.#setHover(null);
    };
    // outside the lab's shadow root: only events that do not come from inside it
    this.onDocPointerDown = (e) => { if (!e.composedPath().includes(this.rootNode?.host)) this.onRootPointerDown(e); };

    // neurons
    const nodeOf = (e) => e.target.closest?.('.network-node');
    const lj = (n) => [Number(n.dataset.l), Number(n.dataset.j)];
    this.neuronEl.addEventListener('pointerover', (e) => {
      const n = nodeOf(e);
      if (n && e.pointerType === 'mouse') this.#setHover(lj(n), 'mouse');
    });
    this.neuronEl.addEventListener('pointerout', (e) => {
      const n = nodeOf(e);
      if (n && e.pointerType === 'mouse' && !n.contains(e.relatedTarget) && this.hoverBy === 'mouse') this.#setHover(null);
    });
    this.neuronEl.addEventListener('click', (e) => {
      const n = nodeOf(e);
      if (!n || this.pointerType === 'mouse') return;
      const h = lj(n);
      if (this.hover && this.hover[0] === h[0] && this.hover[1] === h[1] && this.hoverBy === 'touch') this.#setHover(null);
      else this.#setHover(h, 'touch');
    });
    this.neuronEl.addEventListener('focusin', (e) => {
      const n = nodeOf(e);
      if (!n) return;
      for (const m of this.neurons) m.node.tabIndex = m.node === n ? 0 : -1;
      if (!recent()) this.#setHover(lj(n), 'key');
      this.#loadCard().catch(() => {});  // the card's code, so that Enter opens it at once (it loads once)
    });
    // keyboard hover ends when focus leaves the neurons and the card opened from them
    const focusOut = (e) => {
      const to = e.relatedTarget;
      if (this.hoverBy === 'key' && !this.neuronEl.contains(to) && !this.cardEl.contains(to)) this.#setHover(null);
    };
    this.neuronEl.addEventListener('focusout', focusOut);
    this.cardEl.addEventListener('focusout', focusOut);
    this.neuronEl.addEventListener('keydown', (e) => {
      const n = nodeOf(e);
      if (!n) return;
      const [l, j] = lj(n);
      let to = null;
      if (e.key === 'ArrowUp') to = [l, Math.max(0, j - 1)];
      else if (e.key === 'ArrowDown') to = [l, Math.min(this.sizes[l] - 1, j + 1)];
      else if (e.key === 'ArrowLeft' && l > 1) to = [l - 1, Math.min(j, this.sizes[l - 1] - 1)];
      else if (e.key === 'ArrowRight' && l < this.L) to = [l + 1, Math.min(j, this.sizes[l + 1] - 1)];
      else if (e.key === 'Home') to = [1, 0];
      else if (e.key === 'End') to = [this.L, 0];
      else if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.#openCard('edit', this.biasBase[l] + j, 'key', null);
        return;
      }
      else if (e.key === 'Escape' && this.card.mode !== 'none') {
        // a card asked for with Enter whose code is still on its way (an open card's field handles Esc itself)
        e.preventDefault(); e.stopPropagation();
        this.#closeCard();
        return;
      }
      if (to) {
        e.preventDefault();
        const m = this.#neuronAt(to[0], to[1]);
        m?.node.focus();
        if (m) this.#setHover(to, 'key');
      }
    });

    // links and biases (event delegation on the SVG)
    const itemOf = (e) => { const v = e.target.dataset?.i; return v === undefined ? -1 : Number(v); };
    this.svg.addEventListener('pointerover', (e) => {
      const i = itemOf(e);
      if (i >= 0 && e.pointerType === 'mouse' && this.card.mode !== 'edit') this.#openCard('show', i, 'mouse', e);
    });
    this.svg.addEventListener('pointerout', (e) => {
      if (itemOf(e) >= 0 && e.pointerType === 'mouse' && this.card.mode === 'show' && this.card.by === 'mouse') this.#closeCard();
    });
    this.svg.addEventListener('click', (e) => {
      const i = itemOf(e);
      if (i < 0) return;
      if (this.editable && (this.pointerType === 'mouse' || (this.card.mode === 'show' && this.card.item === i))) this.#openCard('edit', i, this.pointerType, e);
      else if (this.card.mode !== 'show' || this.card.item !== i) this.#openCard('show', i, this.pointerType === 'mouse' ? 'mouse' : 'touch', e);
    });
  }

  // ---- the card ----------------------------------------------------------------------------------------------
  // Its code (card.js, and its CSS) is a chunk loaded the first time a card opens. The card's state is set at
  // once, so everything that closes a card (hover-out, a tap elsewhere, a new network) also closes one whose
  // code is still on its way; the card is drawn when the code is here, if it is still the card asked for.
  #cardCode = null;
  #cardLoading = null;
  // what card.js may call of the diagram's private parts
  #cardHost = {
    value: (i, grad) => this.#value(i, grad), neuronAt: (l, j) => this.#neuronAt(l, j), nodeName: (l, j) => this.#nodeName(l, j),
    close: () => this.#closeCard(),
  };

  /** Loads card.js once (a failed download is tried again at the next card); resolves with the module. */
  #loadCard() {
    return this.#cardLoading ??= import('./card.js').then((m) => {
      this.cb.addStyles?.(m.css);
      this.#cardCode = m;
      return m;
    }, (err) => { this.#cardLoading = null; throw err; });
  }

  /** Opens the card on item i: mode 'show' (value and gradient) or 'edit'; `e`: the pointer event, to place it. */
  #openCard(mode, i, by, e) {
    this.#markHot(i);
    const card = this.card = { mode, item: i, by };
    if (this.#cardCode) { this.#cardCode[mode](this, this.#cardHost, i, by, e); return; }
    this.#loadCard().then((m) => {
      if (this.card !== card) return;
      // from the keyboard, only while the reader is still on the neurons: after a Tab away the card would take
      // the focus back from wherever they went
      if (by === 'key' && !this.neuronEl.contains(this.root.getRootNode().activeElement)) { this.#closeCard(); return; }
      m[mode](this, this.#cardHost, i, by, e);
    }, () => { if (this.card === card) this.#closeCard(); });
  }

  #markHot(i) {
    const old = this.card.item;
    if (old >= 0 && old < this.nLinks) this.hit[old]?.classList.remove('is-hot');
    else if (old >= this.nLinks) this.biasHits[old - this.nLinks]?.classList.remove('is-hot');
    if (i >= 0 && i < this.nLinks) this.hit[i].classList.add('is-hot');
    else if (i >= this.nLinks) this.biasHits[i - this.nLinks].classList.add('is-hot');
  }

  /**
   * What the lab lets the reader change in the diagram (its controls="…"): edit w and b in the card, toggle
   * features, add and remove layers and neurons. What is not allowed can still be read.
   */
  setAllowed({ edit = true, features = true, layers = true } = {}) {
    this.editable = edit;
    const relayout = features !== this.featuresToggle && this.key;
    this.featuresToggle = features;
    for (const b of this.featureNodes) {
      if (features) b.removeAttribute('tabindex'); else b.tabIndex = -1;  // not a stop when it does nothing
      b.setAttribute('aria-disabled', String(!features));
    }
    this.root.classList.toggle('network-fixed-features', !features);
    this.root.classList.toggle('network-fixed-layers', !layers);
    if (relayout) { this.#place(); this.#forceRepaint(); }
  }

  #closeCard() {
    if (this.card.mode === 'none') return;
    this.#markHot(-1);
    this.card = { mode: 'none', item: -1, by: '' };
    this.cardEl.hidden = true;
    this.cardEl.replaceChildren();
  }
}

export { css };
