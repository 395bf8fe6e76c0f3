// Per-layer gradients — what the Playground computes but never shows.
//   (a) one row per layer: ‖δˡ‖ and ‖∂C/∂Wˡ‖ as bars on one shared log scale, with their numbers;
//   (d) in each row, how many of its neurons are saturated (σ′(z) ≈ 0 on > 80 % of the training points) or dead;
//   (b) the same norms over epochs, one line per layer on a log axis (the vanishing-gradient picture);
//   (c) the Wˡ and ∂C/∂Wˡ matrices of the selected layer as heatmaps.
// update() only writes what changed (bar transforms, texts) and repaints two small canvases; the chart is
// redrawn at most ~10×/s from a bounded history (history.js) and rebuilt only when the layer count changes.
import { Plot as uPlot } from './plot.js';  // uPlot itself loads when the chart first has a line to draw
import { diverging, ramp as colourRamp, rgb } from '../colors.js';
import { History, Throttle, LOG_FLOOR, chartStyle, axis, fmtNorm, fmtTick, setText } from './history.js';

export { fmtNorm };

const SATURATED = 0.8;  // network.js SATURATED (not imported: that module is in the first load, this one not)
const CHART_HEIGHT = 190;

// Layer colours, input side → output side: a plasma-like sequential ramp that stays readable on white, and
// one that ends light instead of dark for the dark theme.
const RAMPS = { light: colourRamp(['#f2a33a', '#d5536f', '#7a1fa2', '#1b1f7a']), dark: colourRamp(['#f2a33a', '#e0607a', '#b27ae8', '#8fb0ff']) };
let ramp = RAMPS.light;
const layerColor = (l, L) => rgb(ramp(L > 1 ? (l - 1) / (L - 1) : 1)).formatHex();

// The diverging scale as 256 CSS colours, indexed by value / max: no string building per cell.
const CELL_COLORS = (() => {
  const s = diverging(-1, 1);
  return Array.from({ length: 256 }, (_, i) => rgb(s(-1 + (2 * i) / 255)).formatHex());
})();

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const sup = (n) => String(n).replace(/\d/g, (d) => SUP[d]);

const clampLog = (v) => (v > LOG_FLOOR && Number.isFinite(v) ? v : LOG_FLOOR);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class GradientPanel {
  #root; #rowsEl; #scaleEl; #plot; #legendNote; #select; #figs; #readout; #modeButtons;
  #sizes = []; #L = 0; #rows = []; #sel = 1; #mode = 0;   // mode 0: ‖δˡ‖, 1: ‖∂C/∂Wˡ‖
  #empty; #history = null; #u = null; #throttle = new Throttle(() => this.#redraw(), 100);
  #lo = 0; #hi = 0;                                        // bar domain, in decades
  #hover = null;                                           // [j, k] of the matrix cell under the pointer
  #cell = 8; #frame = null; #ro; #features = [];
  #paper = '#fff'; #ink = '#222'; #dark = false; #chartHeight = CHART_HEIGHT;

  /** @param {HTMLElement} container  @param {{onSelectLayer?: (l: number) => void}} [callbacks] */
  constructor(container, callbacks = {}) {
    this.callbacks = callbacks;
    const root = this.#root = el('div', 'gradients');
    const head = el('div', 'gradients-head');
    head.append(el('h3', 'gradients-title', 'Gradients by layer'),
      el('p', 'gradients-hint', 'How much each layer is being told to change. Layers whose numbers are orders of magnitude smaller than the others barely learn — the vanishing-gradient problem.'));

    // (a) + (d): bars now
    const now = el('section', 'gradients-sec gradients-now');
    now.setAttribute('aria-label', 'Gradient size per layer, now');
    this.#rowsEl = el('div', 'gradients-rows');
    this.#scaleEl = el('div', 'gradients-scale');
    this.#scaleEl.setAttribute('aria-hidden', 'true');
    now.append(
      this.#secHead('Size now', null),
      el('p', 'gradients-hint', '‖δˡ‖ = how strongly the cost reacts to layer l’s weighted inputs (BP1, BP2): the root mean square of ‖δˡ‖ over the training examples. ‖∂C/∂Wˡ‖ = size of the weight gradient (BP4) over the whole training set. Log scale; tap a layer to see its matrices.'),
      this.#rowsEl, this.#scaleEl,
      el('p', 'gradients-hint gradients-foot', 'Saturated neuron: σ′(z) ≈ 0 on more than 80 % of the training points — it passes almost no gradient back (not counted at an output where cross-entropy cancels σ′). Dead: a ReLU with z ≤ 0 on every training point.'));

    // (b): over epochs
    const hist = el('section', 'gradients-sec gradients-hist');
    hist.setAttribute('aria-label', 'Gradient size per layer over epochs');
    const seg = el('div', 'gradients-seg');
    seg.setAttribute('role', 'group');
    seg.setAttribute('aria-label', 'Quantity to plot');
    this.#modeButtons = ['‖δˡ‖', '‖∂C/∂Wˡ‖'].map((text, m) => {
      const b = el('button', 'gradients-segbtn', text);
      b.type = 'button';
      b.setAttribute('aria-pressed', String(m === 0));
      b.setAttribute('aria-label', `${text}: plot the ${m === 0 ? 'error' : 'weight-gradient'} norm per layer`);  // the visible text first (WCAG 2.5.3)
      b.addEventListener('click', () => this.#setMode(m));
      seg.append(b);
      return b;
    });
    this.#plot = el('div', 'gradients-plot');
    this.#plot.setAttribute('role', 'img');
    this.#legendNote = el('p', 'gradients-hint', '');
    // The panel keeps the norms from the frame it was opened at (its code loads when it first comes into view):
    // opened on a paused lab, there is one point and no line yet; this says so instead of an empty box.
    this.#empty = el('p', 'gradients-hint gradients-empty', 'The lines grow as the network trains.');
    hist.append(this.#secHead('Over epochs (log scale)', seg), this.#legendNote, this.#empty, this.#plot);

    // (c): matrices of the selected layer
    const mats = el('section', 'gradients-sec gradients-mats');
    mats.setAttribute('aria-label', 'Weights and weight gradients of one layer');
    const pick = el('label', 'gradients-pick');
    this.#select = el('select', 'gradients-select');
    this.#select.setAttribute('aria-label', 'Layer to show');
    this.#select.addEventListener('change', () => this.#selectLayer(+this.#select.value));
    pick.append(el('span', '', 'layer '), this.#select);
    const figs = el('div', 'gradients-figs');
    this.#figs = [0, 1].map((m) => {
      const fig = el('figure', 'gradients-fig');
      const title = el('figcaption', 'gradients-figtitle');
      const canvas = el('canvas', 'gradients-canvas');
      canvas.setAttribute('role', 'img');
      const cap = el('div', 'gradients-figcap');
      const bar = el('i', 'gradients-minibar');
      bar.setAttribute('aria-hidden', 'true');
      const capText = el('span', '');
      cap.append(bar, capText);
      fig.append(title, canvas, cap);
      figs.append(fig);
      const pointer = (e) => {
        // the cell in the canvas's own CSS px: under a host page's CSS zoom the client rect is zoomed, #cell is not
        const r = canvas.getBoundingClientRect(), z = r.width > 0 ? canvas.clientWidth / r.width : 1;
        const j = Math.floor(((e.clientY - r.top) * z) / this.#cell), k = Math.floor(((e.clientX - r.left) * z) / this.#cell);
        this.#hover = j >= 0 && k >= 0 ? [j, k] : null;
        if (this.#frame) this.#drawMatrices(this.#frame);
      };
      canvas.addEventListener('pointermove', pointer);
      canvas.addEventListener('pointerdown', pointer);
      canvas.addEventListener('pointerleave', (e) => {
        if (e.pointerType === 'mouse') { this.#hover = null; if (this.#frame) this.#drawMatrices(this.#frame); }
      });
      return { title, canvas, capText, m, max: -1, titleText: '' };
    });
    this.#readout = el('p', 'gradients-readout', '');
    this.#readout.setAttribute('aria-live', 'polite');
    mats.append(this.#secHead('Matrices', pick),
      el('p', 'gradients-hint', 'Rows: neurons j of layer l. Columns: neurons k of layer l−1 (the inputs for layer 1). Colour centred at 0, orange < 0 < blue.'),
      figs, this.#readout);

    const grid = el('div', 'gradients-grid');
    grid.append(now, hist, mats);
    root.append(head, grid);
    container.append(root);

    this.#readStyle();
    this.#ro = new ResizeObserver(() => {
      const w = this.#plot.clientWidth;
      if (this.#u && w > 0 && w !== this.#u.width) this.#u.setSize({ width: w, height: this.#chartHeight });
      if (this.#frame) { this.#layoutMatrices(this.#frame); this.#drawMatrices(this.#frame); }
    });
    this.#ro.observe(this.#plot);
    this.#ro.observe(figs);
  }

  // The theme's colours for the canvases (the matrices' paper and the hover ring) and the layer colours.
  #readStyle() {
    if (!this.#root.isConnected) return;
    const cs = getComputedStyle(this.#root);
    this.#paper = cs.getPropertyValue('--bp-bg').trim() || '#fff';
    this.#ink = cs.getPropertyValue('--bp-fg').trim() || '#222';
    try { this.#dark = !!this.#root.getRootNode().host?.matches(':state(dark)'); } catch { this.#dark = false; }
  }

  /** The theme, lecture mode or the font size changed: colours, chart and rows again. */
  restyle() {
    this.#readStyle();
    if (!this.#history) return;
    ramp = this.#dark ? RAMPS.dark : RAMPS.light;
    this.#rows.forEach((r, i) => { r.dot.style.background = layerColor(i + 1, this.#L); });
    this.#buildChart();
    if (this.#frame) this.#drawMatrices(this.#frame);
  }

  #secHead(title, extra) {
    const h = el('div', 'gradients-sechead');
    h.append(el('h4', 'gradients-subtitle', title));
    if (extra) h.append(extra);
    return h;
  }

  // ---- shape changes (rare): rows, select options, chart ----

  #shapeChanged(sizes) {
    if (sizes.length !== this.#sizes.length) return true;
    for (let i = 0; i < sizes.length; i++) if (sizes[i] !== this.#sizes[i]) return true;
    return false;
  }

  #rebuild(frame) {
    ramp = this.#dark ? RAMPS.dark : RAMPS.light;
    const sizes = this.#sizes = frame.sizes.slice();
    const L = sizes.length - 1, layersChanged = L !== this.#L;
    this.#L = L;
    if (this.#sel > L || this.#sel < 1) this.#sel = 1;

    this.#rows = [];
    const rowEls = [];
    for (let l = 1; l <= L; l++) {
      const row = el('button', 'gradients-row');
      row.type = 'button';
      row.dataset.layer = String(l);
      row.setAttribute('aria-pressed', String(l === this.#sel));
      // named by its text (WCAG 2.5.3: the name contains what is seen); what it does, in the description
      row.setAttribute('aria-description', 'shows its matrices');
      row.addEventListener('click', () => this.#selectLayer(l));
      const label = el('span', 'gradients-label');
      const name = el('span', 'gradients-name');
      const dot = el('i', 'gradients-dot');
      dot.style.background = layerColor(l, L);
      name.append(dot, el('b', '', `W${sup(l)}`), el('span', 'gradients-dim', ` ${sizes[l]}×${sizes[l - 1]}`));
      const what = el('span', 'gradients-what', `${l === L ? 'output' : `layer ${l}`} · ${sizes[l]} ${sizes[l] === 1 ? 'neuron' : 'neurons'}`);
      const sat = el('span', 'gradients-sat', '');
      label.append(name, what, sat);
      const bars = el('span', 'gradients-bars');
      const line = (sym, cls) => {
        const track = el('span', 'gradients-track');
        const bar = el('span', `gradients-bar ${cls}`);
        track.append(bar);
        const num = el('span', 'gradients-num', '–');
        bars.append(el('span', 'gradients-sym', sym), track, num);
        return { bar, num, f: -1, text: '' };
      };
      const d = line('δ', 'gradients-bar-delta'), w = line('∂W', 'gradients-bar-gradw');
      row.append(label, bars);
      rowEls.push(row);
      this.#rows.push({ row, sat, satText: '', satWarn: false, d, w, dot });
    }
    this.#rowsEl.replaceChildren(...rowEls);
    this.#lo = this.#hi = 0;

    this.#select.replaceChildren(...Array.from({ length: L }, (_, i) => {
      const o = el('option', '', `${i + 1}${i + 1 === L ? ' (output)' : ''} · W${sup(i + 1)} ${sizes[i + 1]}×${sizes[i]}`);
      o.value = String(i + 1);
      return o;
    }));
    this.#select.value = String(this.#sel);
    this.#hover = null;

    if (layersChanged || !this.#history) {
      this.#history = new History(2 * L);
      this.#buildChart();
    } else {
      this.#history.clear();
      this.#redraw();
    }
    this.#legendNote.textContent = L > 1
      ? `One line per layer, from layer 1 (input side, light) to layer ${L} (output, dark).`
      : 'One line: the output layer.';
  }

  #buildChart() {
    this.#u?.destroy();
    ramp = this.#dark ? RAMPS.dark : RAMPS.light;
    const L = this.#L, st = chartStyle(this.#root);
    this.#chartHeight = Math.round(CHART_HEIGHT * Math.max(1, st.scale));
    const series = [{ label: 'epoch', value: (u, v) => (v == null ? '' : String(v)) }];
    for (let l = 1; l <= L; l++) {
      series.push({ label: `layer ${l}`, stroke: layerColor(l, L), width: 1.5 * st.stroke, points: { show: false },
        value: (u, v) => (v == null ? '' : fmtNorm(v)) });
    }
    this.#u = new uPlot({
      width: this.#plot.clientWidth || 320,
      height: this.#chartHeight,
      padding: [8, 18, 0, 0],
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      legend: { show: true, live: true },
      scales: { x: { time: false }, y: { distr: 3, log: 10 } },
      axes: [
        axis(st, { size: 24, space: 50, values: (u, s) => s.map((v) => (v >= 10000 ? `${v / 1000}k` : String(v))) }),
        axis(st, { size: 40, space: 22, values: (u, s) => s.map(fmtTick) }),
      ],
      series,
    }, this.#history.aligned(this.#mode * L, L), this.#plot);
    this.#plot.setAttribute('aria-label', `${this.#mode ? '‖∂C/∂Wˡ‖' : '‖δˡ‖'} per layer over epochs, log scale`);
  }

  #redraw() {
    if (this.#u && this.#history) this.#u.setData(this.#history.aligned(this.#mode * this.#L, this.#L));
    const h = this.#history, empty = !h || h.n < 2;
    if (this.#empty.hidden === empty) this.#empty.hidden = !empty;
    if (empty) setText(this.#empty, h?.n && h.x[0] > 0 ? `The lines start at epoch ${h.x[0]}, when this panel opened: they grow as the network trains.` : 'The lines grow as the network trains.');
  }

  #setMode(m) {
    if (m === this.#mode) return;
    this.#mode = m;
    this.#modeButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === m)));
    this.#plot.setAttribute('aria-label', `${m ? '‖∂C/∂Wˡ‖' : '‖δˡ‖'} per layer over epochs, log scale`);
    this.#throttle.cancel();
    this.#redraw();
  }

  #selectLayer(l) {
    if (l < 1 || l > this.#L) return;
    this.#sel = l;
    this.#hover = null;
    this.#rows.forEach((r, i) => r.row.setAttribute('aria-pressed', String(i + 1 === l)));
    if (this.#select.value !== String(l)) this.#select.value = String(l);
    this.callbacks.onSelectLayer?.(l);
    if (this.#frame) { this.#layoutMatrices(this.#frame); this.#drawMatrices(this.#frame); }
  }

  // ---- per frame ----

  /**
   * @param {import('../protocol.js').Frame} frame
   * @param {{ readouts?: boolean }} [opts] readouts false: the bars, numbers and matrices are left as they are
   *   (the lab writes them at most every 100 ms while training plays); the chart's history takes the frame either way
   */
  update(frame, state, { readouts = true } = {}) {
    if (!frame.layers || !frame.sizes) return;
    const reshaped = this.#shapeChanged(frame.sizes);
    if (reshaped) this.#rebuild(frame);
    this.#frame = frame;
    this.#features = frame.features ?? [];
    const L = this.#L, layers = frame.layers;
    if (readouts || reshaped) this.#writeReadouts(frame, reshaped);

    const h = this.#history, i = h.slot(frame.epoch);
    if (i >= 0) {
      for (let l = 0; l < L; l++) {
        h.y[l][i] = clampLog(layers[l].deltaNorm);
        h.y[L + l][i] = clampLog(layers[l].gradWNorm);
      }
      if (h.n <= 2) this.#redraw();  // the first point or line: the note above the chart, at once
      else this.#throttle.request();
    }
  }

  #writeReadouts(frame, reshaped) {
    const L = this.#L, layers = frame.layers;

    // bar domain: whole decades around every finite positive norm, widened at once, narrowed only when the
    // norms are 0.2 decade inside the next decade (a smallest norm that wavers around a power of ten, as it
    // does from one mini-batch to the next, rebuilt the scale's ticks at every write)
    let min = Infinity, max = 0;
    for (const g of layers) {
      for (const v of [g.deltaNorm, g.gradWNorm]) if (v > 0 && Number.isFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
    }
    if (max > 0) {
      const a = Math.log10(min) - 0.3, b = Math.log10(max) + 0.05;
      let lo = this.#lo, hi = this.#hi;
      if (lo === hi) { lo = Math.floor(a); hi = Math.ceil(b); }
      if (a < lo || a > lo + 1.2) lo = Math.floor(a);
      if (b > hi || b < hi - 1.2) hi = Math.ceil(b);
      if (hi - lo < 2) lo = hi - 2;
      if (lo !== this.#lo || hi !== this.#hi || reshaped) { this.#lo = lo; this.#hi = hi; this.#drawScale(); }
    }
    const span = this.#hi - this.#lo;
    for (let l = 1; l <= L; l++) {
      const g = layers[l - 1], r = this.#rows[l - 1];
      this.#setBar(r.d, g.deltaNorm, span);
      this.#setBar(r.w, g.gradWNorm, span);
      let n = 0, dead = 0;
      const s = g.saturation, d = g.dead;
      if (s) for (let j = 0; j < s.length; j++) if (d?.[j] >= 1) dead++; else if (s[j] > SATURATED) n++;
      const text = s ? `saturated: ${n} of ${s.length}${dead ? `, dead: ${dead}` : ''}` : '';
      n += dead;
      if (text !== r.satText) {
        r.satText = text; setText(r.sat, text);
        if ((n > 0) !== r.satWarn) { r.satWarn = n > 0; r.sat.classList.toggle('gradients-warn', n > 0); }
      }
    }

    if (reshaped) this.#layoutMatrices(frame);
    this.#drawMatrices(frame);
  }

  #setBar(b, v, span) {
    const ok = v > 0 && Number.isFinite(v);
    let f = ok ? (Math.log10(v) - this.#lo) / span : 0;
    f = Math.round(Math.min(1, Math.max(0, f)) * 1000) / 1000;
    if (f !== b.f) { b.f = f; b.bar.style.transform = `scaleX(${f})`; }
    const text = fmtNorm(v);
    if (text !== b.text) {
      const wasBad = b.text === 'NaN' || b.text === '0' || b.text === '∞';
      b.text = text; setText(b.num, text);
      const bad = !ok;
      if (bad !== wasBad) b.num.classList.toggle('gradients-warn', bad);
    }
  }

  #drawScale() {
    const lo = this.#lo, hi = this.#hi, n = hi - lo, every = n > 8 ? 3 : n > 5 ? 2 : 1;
    const track = el('span', 'gradients-scaletrack');
    for (let e = lo; e <= hi; e++) {
      if ((e - lo) % every && e !== hi) continue;
      const t = el('span', 'gradients-tick', fmtTick(10 ** e));
      t.style.left = `${((e - lo) / n) * 100}%`;
      track.append(t);
    }
    this.#scaleEl.replaceChildren(el('span', ''), el('span', ''), track, el('span', ''));
  }

  // ---- matrices ----

  #layoutMatrices(frame) {
    const g = frame.layers[this.#sel - 1];
    if (!g) return;
    const avail = Math.max(60, (this.#figs[0].canvas.parentElement.parentElement.clientWidth - 16) / 2);
    let cell = Math.floor(Math.min(avail / g.cols, 180 / g.rows, 22));
    cell = Math.max(6, cell);
    this.#cell = cell;
    const dpr = window.devicePixelRatio || 1;
    for (const f of this.#figs) {
      const c = f.canvas;
      c.style.width = `${g.cols * cell}px`;
      c.style.height = `${g.rows * cell}px`;
      c.width = Math.round(g.cols * cell * dpr);
      c.height = Math.round(g.rows * cell * dpr);
      f.max = -1;
    }
    const l = this.#sel;
    const titles = [`W${sup(l)}`, `∂C/∂W${sup(l)}`];
    this.#figs.forEach((f, m) => {
      if (f.titleText !== titles[m]) { f.titleText = titles[m]; f.title.textContent = titles[m]; }
      f.canvas.setAttribute('aria-label', `${titles[m]}: ${g.rows} × ${g.cols} heatmap`);
    });
  }

  #drawMatrices(frame) {
    const l = this.#sel, g = frame.layers[l - 1];
    if (!g) return;
    const dpr = window.devicePixelRatio || 1, cell = this.#cell * dpr, gap = this.#cell >= 8 ? dpr : 0;
    for (const f of this.#figs) {
      const v = f.m ? g.gradW : g.W, c = f.canvas, ctx = c.getContext('2d');
      if (!v || c.width !== Math.round(g.cols * cell)) continue;
      let max = 0;
      for (let i = 0; i < v.length; i++) { const a = Math.abs(v[i]); if (a > max) max = a; }
      const inv = max > 0 ? 127.5 / max : 0;
      ctx.fillStyle = this.#paper;
      ctx.fillRect(0, 0, c.width, c.height);
      for (let j = 0; j < g.rows; j++) {
        for (let k = 0; k < g.cols; k++) {
          const x = v[j * g.cols + k];
          ctx.fillStyle = x === x ? CELL_COLORS[Math.max(0, Math.min(255, Math.round(x * inv + 127.5)))] : '#9a9a9a';
          ctx.fillRect(k * cell, j * cell, cell - gap, cell - gap);
        }
      }
      if (this.#hover && this.#hover[0] < g.rows && this.#hover[1] < g.cols) {
        ctx.strokeStyle = this.#ink;
        ctx.lineWidth = 1.5 * dpr;
        ctx.strokeRect(this.#hover[1] * cell + 0.75 * dpr, this.#hover[0] * cell + 0.75 * dpr, cell - gap - 1.5 * dpr, cell - gap - 1.5 * dpr);
      }
      const rounded = Number(max.toPrecision(3));
      if (rounded !== f.max) {
        f.max = rounded;
        setText(f.capText, `±${fmtNorm(max)} (max |${f.m ? '∂C/∂w' : 'w'}|)`);
      }
    }
    let text = '';
    if (this.#hover && this.#hover[0] < g.rows && this.#hover[1] < g.cols) {
      const [j, k] = this.#hover, i = j * g.cols + k;
      const from = l === 1 ? (this.#features[k] ?? `input ${k + 1}`) : `neuron ${l - 1}.${k + 1}`;
      text = `neuron ${l}.${j + 1} ← ${from}:  w = ${fmtNorm(g.W[i])}   ∂C/∂w = ${fmtNorm(g.gradW[i])}`;
    }
    if (this.#readout.textContent !== text) this.#readout.textContent = text;
  }

  /** A new network: the history starts over (the shape is re-read from the next frame). */
  reset() {
    this.#throttle.cancel();
    this.#history?.clear();
    this.#redraw();
  }

  destroy() {
    this.#throttle.cancel();
    this.#ro.disconnect();
    this.#u?.destroy();
    this.#u = null;
    this.#root.remove();
  }
}

// Colours are the lab's --bp-* tokens (lab.css) and two of the panel's own for the bars; text sizes in em.
export const css = `
.gradients { container-type: inline-size; font-size: 0.923em; color: var(--bp-fg, #333); border-top: 1px solid var(--bp-border, #ddd); padding-top: 1.1em;
  --g-delta: #2f5d7c; --g-gradw: #8fb3cc; --g-warn: #b54708; --g-track: color-mix(in srgb, var(--bp-fg, #333) 7%, transparent); }
:host(:state(dark)) .gradients { --g-delta: #7fb6dd; --g-gradw: #3f6f92; --g-warn: #f5a15b; }
.gradients-head { margin-bottom: .8em; }
.gradients-title { font-size: 1.25em; font-weight: 600; margin: 0 0 2px; }
.gradients-subtitle { font-size: 1em; font-weight: 600; margin: 0; }
.gradients-hint { color: var(--bp-muted, #666); font-size: 0.958em; line-height: 1.4; margin: 2px 0 .6em; max-width: 62em; }
.gradients-head .gradients-hint { font-size: 1em; }
.gradients-foot { margin-top: 6px; }
.gradients-grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.8em; }
@container (min-width: 600px) { .gradients-grid { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.2em 1.6em; } .gradients-mats { grid-column: 1 / -1; } }
@container (min-width: 1080px) { .gradients-grid { grid-template-columns: minmax(0, 1.05fr) minmax(0, 1.1fr) minmax(250px, .85fr); } .gradients-mats { grid-column: auto; } }
.gradients-sec { min-width: 0; }
.gradients-sechead { display: flex; align-items: center; justify-content: space-between; gap: 8px; min-height: 24px; }

.gradients-rows { display: flex; flex-direction: column; }
.gradients-row, .gradients-scale { display: grid; grid-template-columns: 9.3em 1.8em minmax(40px, 1fr) 4.5em; column-gap: 6px; align-items: center; }
.gradients-row { width: 100%; text-align: left; border: 0; border-bottom: 1px solid var(--bp-border, #eee); background: none; padding: 5px 4px; margin: 0;
  cursor: pointer; font: inherit; color: inherit; border-radius: 3px; border-left: 3px solid transparent; }
.gradients-row:hover { background: var(--bp-hover, #f7f9fb); }
.gradients-row[aria-pressed="true"] { background: color-mix(in srgb, var(--bp-accent, #0a6aa8) 9%, transparent); border-left-color: var(--bp-accent, #0a6aa8); }
.gradients-row:focus-visible { outline: 2px solid var(--bp-focus, #183d4e); outline-offset: -2px; }
.gradients-label { display: flex; flex-direction: column; line-height: 1.3; min-width: 0; }
.gradients-name { white-space: nowrap; }
.gradients-name b { font-weight: 600; }
.gradients-dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 5px; vertical-align: 0; }
.gradients-dim, .gradients-what { color: var(--bp-muted, #666); font-size: 0.917em; white-space: nowrap; }
.gradients-sat { color: var(--bp-muted, #666); font-size: 0.875em; white-space: nowrap; }
.gradients-bars { display: contents; }
.gradients-sym { grid-column: 2; font-size: 0.875em; color: var(--bp-muted, #666); text-align: right; font-style: italic; }
.gradients-track { grid-column: 3; height: 9px; background: var(--g-track); border-radius: 1px; overflow: hidden; }
.gradients-bar { display: block; height: 100%; width: 100%; transform-origin: left center; transform: scaleX(0); }
.gradients-bar-delta { background: var(--g-delta); }
.gradients-bar-gradw { background: var(--g-gradw); }
.gradients-num { grid-column: 4; font-variant-numeric: tabular-nums; font-size: 0.917em; text-align: right; }
.gradients-row .gradients-label { grid-row: 1 / span 2; grid-column: 1; }
.gradients-warn { color: var(--g-warn) !important; font-weight: 600; }
.gradients-scale { padding: 0 4px; height: 1.4em; border-left: 3px solid transparent; }
.gradients-scaletrack { grid-column: 3; position: relative; height: 100%; border-top: 1px solid var(--bp-line, #8c8c8c); }
.gradients-tick { position: absolute; top: 2px; transform: translateX(-50%); font-size: 0.8em; color: var(--bp-muted, #666); white-space: nowrap; }
.gradients-tick::before { content: ''; position: absolute; left: 50%; top: -5px; height: 3px; border-left: 1px solid var(--bp-line, #8c8c8c); }

.gradients-seg { display: inline-flex; border: 1px solid var(--bp-line, #8c8c8c); border-radius: 3px; overflow: hidden; }
.gradients-segbtn { border: 0; background: var(--bp-field, #fff); padding: 3px 9px; min-height: 24px; font: inherit; font-size: 0.958em; cursor: pointer; color: var(--bp-fg, #333); }
.gradients-segbtn + .gradients-segbtn { border-left: 1px solid var(--bp-line, #8c8c8c); }
.gradients-segbtn[aria-pressed="true"] { background: var(--bp-accent, #0a6aa8); color: var(--bp-accent-fg, #fff); }
.gradients-segbtn:focus-visible { outline: 2px solid var(--bp-focus, #183d4e); outline-offset: -2px; }
.gradients-plot { width: 100%; min-height: ${CHART_HEIGHT}px; }
.gradients-plot .uplot { width: 100%; }
.gradients-plot .u-legend { font-size: 0.917em; text-align: left; margin: 2px 0 0 36px; color: var(--bp-muted, #666); }
.gradients-plot .u-legend .u-series > * { padding: 1px 3px; }
.gradients-plot .u-legend th { font-weight: 400; }
.gradients-plot .u-legend .u-marker { width: 12px; height: 3px; border-radius: 1px; }
.gradients-plot .u-inline tr { margin-right: 8px; }
.gradients-plot .u-inline tr:first-child { display: none; }
.gradients-plot .u-inline.u-live th::after { content: ''; }
.gradients-plot .u-value { padding-left: 0 !important; }
.gradients-plot .u-value { font-variant-numeric: tabular-nums; color: var(--bp-fg, #333); }

.gradients-pick { display: inline-flex; align-items: center; gap: 4px; color: var(--bp-muted, #666); font-size: 0.958em; }
.gradients-select { border: 0; border-bottom: 1px solid var(--bp-line, #8c8c8c); background: transparent; padding: 2px 0; min-height: 24px; font: inherit; color: var(--bp-fg, #333); cursor: pointer; max-width: 16em; }
.gradients-select option { background: var(--bp-field, #fff); color: var(--bp-fg, #333); }
.gradients-figs { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.gradients-fig { margin: 0; display: flex; flex-direction: column; gap: 4px; min-width: 0; }
.gradients-figtitle { font-size: 1em; font-weight: 600; }
.gradients-canvas { display: block; cursor: crosshair; }
.gradients-figcap { display: flex; align-items: center; gap: 5px; font-size: 0.875em; color: var(--bp-muted, #666); white-space: nowrap; font-variant-numeric: tabular-nums; }
.gradients-minibar { display: inline-block; width: 36px; height: 6px; background: linear-gradient(to right, #f59322, #e8eaeb, #0877bd); }
.gradients-readout { min-height: 1.4em; margin: 6px 0 0; font-size: 0.958em; font-variant-numeric: tabular-nums; white-space: pre-wrap; }
@container (max-width: 599px) { .gradients-select { font-size: max(1rem, 16px); } }
`;
