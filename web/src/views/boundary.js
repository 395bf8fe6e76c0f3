// The decision boundary: the network's output over [−extent, extent]² as a smoothly scaled heatmap, the data
// points on top, Playground-style axes and a colour legend. While a neuron is hovered in the diagram it shows
// that neuron's activation instead (showNeuron).
//
// Two stacked canvases: the heatmap is repainted every frame (10⁴ cells into an ImageData, then one scaled
// drawImage); the points only when the data, the test-data toggle or the size change.
import { ORANGE, NEUTRAL, BLUE, CLASS_COLORS, diverging } from '../colors.js';
import { paintScalar, paintClasses } from '../heatmap.js';

// The Playground paints its background at alpha 160 of 255 over white: lighter than the points on top of it.
const ALPHA = 160;
// The legend's colours as the map shows them: under a white veil of 1 − α (the same as α over white), so they
// match on the dark theme too, where the page behind them is not white.
const VEIL = `linear-gradient(rgba(255,255,255,${(1 - ALPHA / 255).toFixed(3)}), rgba(255,255,255,${(1 - ALPHA / 255).toFixed(3)}))`;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The value range a neuron's activation is drawn over. */
function activationDomain(act) {
  return act === 'sigmoid' || act === 'softmax' ? [0, 1] : [-1, 1];
}

/**
 * What the output's colours mean, for the live legend and for a saved figure (figures.js): "probability of
 * blue" only where the output is a probability — a sigmoid on two classes; softmax gives each class's. A tanh or
 * linear output is a value: on two classes (targets 0 and 1, told apart at 0.5 as the accuracy does) the scale
 * is [0, 1] with open ends, for regression [−1, 1]. → { mode: 'scalar', lo, hi, title, ticks } | { mode: 'classes', k, title }
 */
export function outputLegend(frame) {
  const act = frame.outputActivation, k = frame.sizes.at(-1);
  if (frame.kind === 'multiclass') return { mode: 'classes', k, title: act === 'softmax' ? 'Output: probability of each class' : `Output value (${act}) of each class` };
  if (frame.kind === 'regression') {
    const open = act === 'linear' || act === 'relu';
    return { mode: 'scalar', lo: -1, hi: 1, title: `Output value (${act})`, ticks: [open ? '≤ −1' : '−1', '0', open ? '≥ 1' : '1'] };
  }
  if (act === 'sigmoid') return { mode: 'scalar', lo: 0, hi: 1, title: 'Output: probability of blue', ticks: ['0', '0.5', '1'] };
  return { mode: 'scalar', lo: 0, hi: 1, title: `Output value (${act}), blue above 0.5`, ticks: ['≤ 0', '0.5', '≥ 1'] };
}

export class BoundaryView {
  #root; #map; #heat; #points; #caption; #xaxis; #yaxis; #legend;
  #small = null; #image = null; #res = 0;
  #double = null;   // the 50 × 50 grid doubled bicubic (#drawHeat)
  #extent = 0; #cssSize = 0; #dpr = 1;
  #neuronLabel = null; #neuronLayer = null;
  #data = null; #drawnData = null; #pointsKey = ''; #legendKey = ''; #kind = 'binary'; #showTest = false;
  #ro; #stroke = 1;

  /** @param {HTMLElement} container  @param {object} [callbacks] none used */
  constructor(container, callbacks = {}) {
    this.callbacks = callbacks;
    this.#root = el('div', 'boundary');
    const frame = el('div', 'boundary-frame');
    this.#map = el('div', 'boundary-map');
    this.#map.setAttribute('role', 'img');
    this.#map.setAttribute('aria-label', 'Decision boundary: the network output over the input plane, with the data points');
    this.#heat = el('canvas', 'boundary-heat');
    this.#points = el('canvas', 'boundary-points');
    this.#caption = el('div', 'boundary-caption');
    this.#caption.hidden = true;
    this.#map.append(this.#heat, this.#points, this.#caption);
    this.#xaxis = el('div', 'boundary-axis boundary-xaxis');
    this.#yaxis = el('div', 'boundary-axis boundary-yaxis');
    this.#xaxis.setAttribute('aria-hidden', 'true');
    this.#yaxis.setAttribute('aria-hidden', 'true');
    frame.append(this.#map, this.#xaxis, this.#yaxis);
    this.#legend = el('div', 'boundary-legend');
    this.#root.append(frame, this.#legend);
    container.append(this.#root);

    this.#ro = new ResizeObserver(() => this.#resize());
    this.#ro.observe(this.#map);
  }

  /**
   * While `label` is set (e.g. "neuron 2.3 (layer 2)") frames that carry `frame.neuron` show that neuron
   * instead of the output. `layer` (1 … L), when given, picks the output activation for a neuron of layer L.
   */
  showNeuron(label, layer = null) {
    this.#neuronLabel = label || null;
    this.#neuronLayer = layer;
  }

  /** The map's element (the plane [−extent, extent]², as a square): the step-through rings a point on it. */
  get map() { return this.#map; }
  get extent() { return this.#extent; }

  /** @param {import('../protocol.js').Frame} frame */
  update(frame, state = {}) {
    const ext = frame.extent ?? 6;
    if (ext !== this.#extent) { this.#extent = ext; this.#ticks(); this.#pointsKey = ''; }  // points move
    const res = frame.boundaryRes;
    if (res !== this.#res) {
      this.#res = res;
      this.#small = el('canvas');
      this.#small.width = this.#small.height = res;
      this.#image = this.#small.getContext('2d').createImageData(res, res);
    }

    const L = frame.sizes.length - 1, k = frame.sizes[L];
    const discrete = !!state.discretize;
    let legend;
    if (this.#neuronLabel && frame.neuron) {
      const act = this.#neuronLayer === L ? frame.outputActivation : frame.activation;
      const [lo, hi] = activationDomain(act);
      paintScalar(this.#image, frame.neuron, 0, res, lo, hi, { alpha: ALPHA });
      legend = { mode: 'scalar', lo, hi, title: `Activation (${act})`, discrete: false };
    } else if (frame.kind === 'multiclass') {
      paintClasses(this.#image, frame.boundary, res, k, { discrete, alpha: ALPHA });
      legend = outputLegend(frame);
    } else {
      legend = { ...outputLegend(frame), discrete };
      paintScalar(this.#image, frame.boundary, 0, res, legend.lo, legend.hi, { discrete, alpha: ALPHA });
    }
    this.#small.getContext('2d').putImageData(this.#image, 0, 0);
    this.#drawHeat();

    const showNeuron = !!(this.#neuronLabel && frame.neuron);
    if (this.#caption.hidden === showNeuron) this.#caption.hidden = !showNeuron;
    if (showNeuron && this.#caption.textContent !== this.#neuronLabel) this.#caption.textContent = this.#neuronLabel;

    if (frame.data) this.#data = frame.data;
    this.#kind = frame.kind;
    const showTest = this.#showTest = !!state.showTestData;
    const pkey = `${frame.kind}|${showTest}`;
    if (this.#data && (pkey !== this.#pointsKey || this.#data !== this.#drawnData)) {
      this.#pointsKey = pkey;
      this.#drawnData = this.#data;
      this.#drawPoints();
    }
    this.#updateLegend(legend, showTest);
  }

  #resize() {
    if (this.#cssSize === 0) this.#stroke = parseFloat(getComputedStyle(this.#root).getPropertyValue('--bp-stroke-scale')) || 1;
    const size = this.#map.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    if (size === this.#cssSize && dpr === this.#dpr) return;
    this.#cssSize = size; this.#dpr = dpr;
    const px = Math.max(1, Math.round(size * dpr));
    for (const c of [this.#heat, this.#points]) { c.width = px; c.height = px; }
    this.#drawHeat();
    this.#drawPoints();
  }

  #drawHeat() {
    if (!this.#small) return;
    const ctx = this.#heat.getContext('2d'), w = this.#heat.width;
    // The 100 × 100 grid bilinear ('low'), as the Playground's CSS-scaled canvas: 'high' (bicubic) cost 4.5 ms of
    // the main thread per frame and lab at 100 → 400 px in software rendering, 'low' 1.1 ms, and looks the same
    // there. The 50 × 50 grid of a large network is first doubled bicubic into a 100 × 100 canvas (bilinear from
    // 50 shows its cells as steps along the boundary), then drawn bilinear like the 100 × 100 grid: bicubic over
    // the 10,000 pixels of the double instead of over the whole map (~100,000 at 1280 × 800).
    let src = this.#small;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'low';
    if (src.width < 100) {
      const m = (this.#double ??= el('canvas')), n = 2 * src.width;
      if (m.width !== n) m.width = m.height = n;
      const mc = m.getContext('2d');
      mc.imageSmoothingEnabled = true;
      mc.imageSmoothingQuality = 'high';
      mc.clearRect(0, 0, n, n);
      mc.drawImage(src, 0, 0, n, n);
      src = m;
    }
    ctx.clearRect(0, 0, w, w);
    ctx.drawImage(src, 0, 0, w, w);
  }

  /** Fill colour of point i with targets `t` (n × outputs). */
  #colorOf(t, i, outputs) {
    if (this.#kind === 'multiclass') {
      let best = 0;
      for (let j = 1; j < outputs; j++) if (t[i * outputs + j] > t[i * outputs + best]) best = j;
      return CLASS_COLORS[best % CLASS_COLORS.length];
    }
    if (this.#kind === 'regression') return this.#regScale(t[i]);
    return t[i] >= 0.5 ? BLUE : ORANGE;
  }

  #regScale = diverging(-1, 1);

  #drawPoints() {
    const showTest = this.#showTest, c = this.#points, ctx = c.getContext('2d'), w = c.width;
    ctx.clearRect(0, 0, w, w);
    const d = this.#data;
    if (!d || !this.#extent) return;
    const ext = this.#extent, s = w / (2 * ext), dpr = this.#dpr;
    const nTrain = d.train.length / 2;
    const outputs = nTrain ? Math.max(1, Math.round(d.trainLabels.length / nTrain)) : 1;
    const total = nTrain + (showTest ? d.test.length / 2 : 0);
    const k = Math.sqrt(this.#stroke);  // lecture mode: bigger points, a little
    const r = (total > 3000 ? 2 : total > 1500 ? 2.75 : 3.5) * dpr * k;
    const draw = (pts, labels, stroke) => {
      ctx.strokeStyle = stroke;
      ctx.lineWidth = dpr * k;
      for (let i = 0, n = pts.length / 2; i < n; i++) {
        const x = (pts[2 * i] + ext) * s, y = (ext - pts[2 * i + 1]) * s;
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = this.#colorOf(labels, i, outputs);
        ctx.fill();
        ctx.stroke();
      }
    };
    draw(d.train, d.trainLabels, '#fff');
    if (showTest && d.test) draw(d.test, d.testLabels, '#222');
  }

  #ticks() {
    const ext = this.#extent;
    this.#xaxis.replaceChildren();
    this.#yaxis.replaceChildren();
    const step = ext > 8 ? 2 : 1;
    for (let v = -ext; v <= ext; v += step) {
      const f = (v + ext) / (2 * ext) * 100;
      const label = v < 0 ? `−${-v}` : String(v);
      const x = el('span', 'boundary-tick', label);
      x.style.left = `${f}%`;
      const y = el('span', 'boundary-tick', label);
      y.style.top = `${100 - f}%`;
      this.#xaxis.append(x);
      this.#yaxis.append(y);
    }
  }

  #updateLegend(lg, showTest) {
    const key = `${lg.mode}|${lg.lo}|${lg.hi}|${lg.k}|${lg.discrete}|${lg.title}|${lg.ticks}|${showTest}`;
    if (key === this.#legendKey) return;
    this.#legendKey = key;
    const items = [];
    if (lg.mode === 'classes') {
      const sw = el('div', 'boundary-classes');
      sw.title = lg.title;
      for (let j = 0; j < lg.k; j++) {
        const item = el('span', 'boundary-class');
        const chip = el('i', 'boundary-chip');
        chip.style.background = `${VEIL}, ${CLASS_COLORS[j % CLASS_COLORS.length]}`;
        item.append(chip, document.createTextNode(`class ${j}`));
        sw.append(item);
      }
      items.push(sw);
    } else {
      const box = el('div', 'boundary-scale');
      const bar = el('div', 'boundary-bar');
      bar.style.background = lg.discrete
        ? `${VEIL}, linear-gradient(to right, ${ORANGE} 50%, ${BLUE} 50%)`
        : `${VEIL}, linear-gradient(to right, ${ORANGE}, ${NEUTRAL}, ${BLUE})`;
      const labels = el('div', 'boundary-bar-labels');
      const fmt = (v) => (v < 0 ? `−${-v}` : String(v));
      const ticks = lg.ticks ?? [fmt(lg.lo), fmt((lg.lo + lg.hi) / 2), fmt(lg.hi)];
      labels.append(...ticks.map((t) => el('span', '', t)));
      box.append(el('div', 'boundary-legend-title', lg.title), bar, labels);
      items.push(box);
    }
    const key2 = el('div', 'boundary-pointkey');
    const dot = (cls, text) => { const s = el('span', 'boundary-pointitem'); s.append(el('i', `boundary-dot ${cls}`), document.createTextNode(text)); return s; };
    key2.append(dot('boundary-dot-train', 'training'));
    if (showTest) key2.append(dot('boundary-dot-test', 'test'));
    items.push(key2);
    this.#legend.replaceChildren(...items);
  }

  reset() {}

  /** The text a screen reader gets for the map (lab.js: the data, the accuracy, the epoch). */
  describe(text) {
    if (this.#map.getAttribute('aria-label') !== text) this.#map.setAttribute('aria-label', text);
  }

  /** Lecture mode or the theme changed: the points' size follows --bp-stroke-scale. */
  restyle() {
    this.#stroke = parseFloat(getComputedStyle(this.#root).getPropertyValue('--bp-stroke-scale')) || 1;
    this.#drawPoints();
  }

  destroy() {
    this.#ro.disconnect();
    this.#root.remove();
  }
}

// Colours are the lab's --bp-* tokens (lab.css); text sizes in em of the lab's font.
export const css = `
.boundary { width: 100%; max-width: 34em; font-size: 0.846em; color: var(--bp-muted, #666); }
.boundary-frame { position: relative; padding: 6px 8px 1.8em 2.2em; }
.boundary-map { position: relative; width: 100%; aspect-ratio: 1; border: 1px solid var(--bp-border, #ddd); box-sizing: border-box; overflow: hidden; background: var(--bp-plot, #fff); }
.boundary-map canvas { position: absolute; inset: 0; width: 100%; height: 100%; display: block; }
.boundary-caption { position: absolute; left: 6px; top: 6px; padding: 2px 7px; border-radius: 3px; background: rgba(255,255,255,.88);
  color: #222; font-weight: 500; pointer-events: none; box-shadow: 0 0 0 1px rgba(0,0,0,.08); }
.boundary-caption[hidden] { display: none; }
.boundary-axis { position: absolute; color: var(--bp-muted, #666); font-size: 0.9em; font-variant-numeric: tabular-nums; line-height: 1; }
.boundary-xaxis { left: 2.45em; right: 8px; bottom: 0; height: 1.75em; }
.boundary-yaxis { left: 0; top: 6px; bottom: 2em; width: 2.2em; }
.boundary-tick { position: absolute; white-space: nowrap; }
.boundary-xaxis .boundary-tick { top: 4px; transform: translateX(-50%); }
.boundary-xaxis .boundary-tick::before { content: ''; position: absolute; left: 50%; top: -4px; height: 3px; border-left: 1px solid var(--bp-line, #8c8c8c); }
.boundary-yaxis .boundary-tick { right: 4px; transform: translateY(-50%); }
.boundary-yaxis .boundary-tick::after { content: ''; position: absolute; right: -4px; top: 50%; width: 3px; border-top: 1px solid var(--bp-line, #8c8c8c); }
.boundary-legend { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 6px 16px; padding: 6px 8px 0 2.2em; }
.boundary-legend-title { margin-bottom: 3px; white-space: nowrap; }
.boundary-scale { width: 14em; }
.boundary-bar { height: 8px; border-radius: 1px; }
.boundary-bar-labels { display: flex; justify-content: space-between; margin-top: 2px; font-variant-numeric: tabular-nums; }
.boundary-classes { display: flex; flex-wrap: wrap; gap: 4px 10px; }
.boundary-class, .boundary-pointitem { display: inline-flex; align-items: center; gap: 4px; }
.boundary-chip { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
.boundary-pointkey { display: flex; gap: 10px; }
.boundary-dot { width: 8px; height: 8px; border-radius: 50%; display: inline-block; background: #999; box-sizing: border-box; }
.boundary-dot-train { border: 1.5px solid #fff; box-shadow: 0 0 0 1px #bbb; }
.boundary-dot-test { border: 1.5px solid #222; }
`;
