// What a hidden layer does to the data (ConvNetJS's "hidden layer" picture, live): the input plane's grid
// lines and the training points, mapped through the network up to hidden layer l and drawn at (aˡ_j, aˡ_k),
// two of its neurons, or on the layer's first two principal directions (over the training data). As the
// network trains, a student sees the layer bend the plane until the classes come apart.
//
// A view loaded on first use (a feature module, see lab.js): state key hiddenSpace ('1:0,1' | '1:pca'), the
// `views` name 'hidden'. Every activation is the engine's (the worker's 'hidden' request: net.activations and
// net.principalDirections); the projection onto the two directions is the only arithmetic here.
import { ORANGE, BLUE, CLASS_COLORS, diverging } from '../colors.js';
import { parseHiddenSpace } from '../state.js';

const LINES = 13;       // grid lines per direction over [−6, 6]
const SAMPLES = 48;     // points along each line
const SIZE = 300;       // CSS px of the square plot (it shrinks in a narrow column)

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);
  let els = null, view = null, pending = false, again = false, last = null;
  let box = null;  // the drawn range, eased between frames so the picture does not jump

  const hiddenLayers = () => lab.state.layers;   // widths of layers 1 … L−1

  function open() {
    const widths = hiddenLayers();
    const l = widths.findIndex((w) => w >= 2);
    if (l < 0) {
      lab.notice(widths.length ? 'The hidden layer\'s space needs a hidden layer with at least 2 neurons.' : 'This network has no hidden layer: add one (+ above the diagram) to see its space.', { level: 'info', key: 'hidden:none' });
      return;
    }
    lab.set({ hiddenSpace: lab.state.hiddenSpace ?? `${l + 1}:0,1` });
    sync();
    els?.layer.focus();
  }

  function close() {
    els?.root.remove();
    els = null; view = null; box = null;
    if (lab.state.hiddenSpace !== undefined) lab.set({ hiddenSpace: null });
  }

  function sync() {
    const s = lab.state;
    if (s.hiddenSpace === undefined || !lab.shows('hidden')) { els?.root.remove(); els = null; view = null; return; }
    const v = parseHiddenSpace(s.hiddenSpace);
    if (!v) return;
    const changed = !view || view.layer !== v.layer || String(view.neurons) !== String(v.neurons) || view.pca !== v.pca;
    view = v;
    build();
    syncControls();
    if (changed) box = null;
    request();
  }

  function build() {
    if (els) return;
    const layer = h('select', { 'aria-label': 'Hidden layer', onchange: () => choose({ layer: Number(layer.value) }) });
    const axes = h('select', { 'aria-label': 'Axes', onchange: () => choose({ axes: axes.value }) });
    const canvas = h('canvas', { class: 'hidden-plot', role: 'img', 'aria-label': 'The input plane mapped into the hidden layer' });
    const caption = h('p', { class: 'hint hidden-caption' });
    const root = h('section', { class: 'hidden-space', role: 'region', 'aria-labelledby': 'hidden-title', 'data-view': 'hidden' },
      h('div', { class: 'hidden-head' }, h('h2', { id: 'hidden-title', text: 'Hidden layer\'s space' }),
        h('button', { class: 'text', 'aria-label': 'Close the hidden layer\'s space', text: 'Close', onclick: close })),
      h('div', { class: 'hidden-controls' },
        h('label', { class: 'control' }, h('span', { class: 'label', text: 'Layer' }), layer),
        h('label', { class: 'control' }, h('span', { class: 'label', text: 'Axes' }), axes)),
      canvas, caption);
    els = { root, layer, axes, canvas, caption };
    lab.slot('output').append(root);
  }

  function syncControls() {
    const widths = hiddenLayers();
    els.layer.replaceChildren(...widths.map((w, i) => h('option', { value: String(i + 1), text: `${i + 1} (${w} neurons)`, disabled: w < 2 })));
    els.layer.value = String(view.layer);
    const w = widths[view.layer - 1] ?? 2, opts = [h('option', { value: 'pca', text: 'Principal directions 1, 2' })];
    for (let j = 0; j < w; j++) for (let k = j + 1; k < w && opts.length < 40; k++) opts.push(h('option', { value: `${j},${k}`, text: `Neurons ${j + 1} and ${k + 1}` }));
    els.axes.replaceChildren(...opts);
    els.axes.value = view.pca ? 'pca' : view.neurons.join(',');
  }

  function choose({ layer = view.layer, axes = view.pca ? 'pca' : view.neurons.join(',') }) {
    const w = hiddenLayers()[layer - 1] ?? 0;
    if (axes !== 'pca' && Math.max(...axes.split(',').map(Number)) >= w) axes = '0,1';
    lab.set({ hiddenSpace: `${layer}:${axes}` });
  }

  // The points to map: the grid lines, then the training points.
  let gridPoints = null;
  function points(train) {
    if (!gridPoints) {
      gridPoints = new Float64Array(2 * LINES * SAMPLES * 2);
      let o = 0;
      for (let d = 0; d < 2; d++) {
        for (let i = 0; i < LINES; i++) {
          const c = -6 + (12 * i) / (LINES - 1);
          for (let s = 0; s < SAMPLES; s++) {
            const t = -6 + (12 * s) / (SAMPLES - 1);
            gridPoints[o++] = d ? t : c; gridPoints[o++] = d ? c : t;
          }
        }
      }
    }
    const all = new Float64Array(gridPoints.length + train.length);
    all.set(gridPoints); all.set(train, gridPoints.length);
    return all;
  }

  // One request at a time; frames that arrive meanwhile ask for one more.
  function request() {
    const d = lab.frame?.data;
    if (!els || !view || !d) return;
    if (pending) { again = true; return; }
    pending = true;
    lab.call('hidden', { layer: view.layer, pca: !!view.pca, points: points(d.train) })
      .then((r) => { last = { r, data: d }; draw(); }, (e) => { if (!e.cancelled) lab.notice(`Hidden layer's space: ${e.message}`, { level: 'warning', key: 'hidden:error' }); })
      .finally(() => { pending = false; if (again) { again = false; request(); } });
  }
  lab.onFrame(() => request());

  function draw() {
    if (!els || !last || !view) return;
    const { r, data } = last, w = r.width, A = r.activations, n = A.length / w;
    let px, py;
    if (view.pca && r.principal) {
      const { mean, directions: [d1, d2] } = r.principal;
      px = (i) => { let s = 0; for (let j = 0; j < w; j++) s += (A[i * w + j] - mean[j]) * d1[j]; return s; };
      py = (i) => { let s = 0; for (let j = 0; j < w; j++) s += (A[i * w + j] - mean[j]) * d2[j]; return s; };
    } else {
      const [j, k] = view.neurons;
      px = (i) => A[i * w + j]; py = (i) => A[i * w + k];
    }
    const X = new Float64Array(n), Y = new Float64Array(n);
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      X[i] = px(i); Y[i] = py(i);
      if (Number.isFinite(X[i]) && Number.isFinite(Y[i])) { x0 = Math.min(x0, X[i]); x1 = Math.max(x1, X[i]); y0 = Math.min(y0, Y[i]); y1 = Math.max(y1, Y[i]); }
    }
    if (!Number.isFinite(x0)) return;
    const pad = (a, b) => { const m = Math.max(b - a, 1e-6) * 0.06; return [a - m, b + m]; };
    const target = [...pad(x0, x1), ...pad(y0, y1)];
    box = box ? box.map((v, i) => v + 0.3 * (target[i] - v)) : target;
    const c = els.canvas, dpr = devicePixelRatio || 1, size = Math.min(SIZE, c.parentNode.clientWidth || SIZE);
    c.style.width = c.style.height = `${size}px`;
    c.width = c.height = Math.round(size * dpr);
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#fff'; g.fillRect(0, 0, size, size);
    const sx = (v) => ((v - box[0]) / (box[1] - box[0])) * size, sy = (v) => size - ((v - box[2]) / (box[3] - box[2])) * size;
    // the grid lines: the input plane, as this layer sees it
    g.lineWidth = 1; g.strokeStyle = 'rgba(0,0,0,.28)';
    for (let line = 0; line < 2 * LINES; line++) {
      g.beginPath();
      for (let s = 0; s < SAMPLES; s++) { const i = line * SAMPLES + s; if (s) g.lineTo(sx(X[i]), sy(Y[i])); else g.moveTo(sx(X[i]), sy(Y[i])); }
      g.stroke();
    }
    // the training points, coloured by their target as on the boundary
    const first = 2 * LINES * SAMPLES, m = n - first, outs = Math.max(1, Math.round(data.trainLabels.length / Math.max(1, m)));
    const reg = diverging(-1, 1);
    g.strokeStyle = '#fff';
    for (let p = 0; p < m; p++) {
      const i = first + p;
      let fill;
      if (outs > 1) { let b = 0; for (let q = 1; q < outs; q++) if (data.trainLabels[p * outs + q] > data.trainLabels[p * outs + b]) b = q; fill = CLASS_COLORS[b % CLASS_COLORS.length]; }
      else { const t = data.trainLabels[p]; fill = t === 0 || t === 1 ? (t >= 0.5 ? BLUE : ORANGE) : reg(t); }
      g.beginPath(); g.arc(sx(X[i]), sy(Y[i]), 3, 0, 2 * Math.PI); g.fillStyle = fill; g.fill(); g.stroke();
    }
    const axes = view.pca && r.principal
      ? `principal directions 1 and 2 of layer ${view.layer} (${Math.round((100 * (r.principal.variances[0] + r.principal.variances[1])) / Math.max(r.principal.totalVariance, 1e-12))} % of its variance over the training data)`
      : `a${sup(view.layer)}${sub(view.neurons[0] + 1)} across, a${sup(view.layer)}${sub(view.neurons[1] + 1)} up`;
    els.caption.textContent = `The input plane's grid lines and the training points, mapped into hidden layer ${view.layer}: ${axes}.`;
    els.canvas.setAttribute('aria-label', els.caption.textContent);
  }

  const sup = (n) => String(n).replace(/\d/g, (c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[c]);
  const sub = (n) => String(n).replace(/\d/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[c]);

  return { open, close, sync, destroy() { els?.root.remove(); } };
}

export const css = `
.hidden-head h2 { text-transform: none; letter-spacing: normal; color: var(--bp-fg); }
.hidden-space { margin-top: 1em; padding-top: .6em; border-top: 1px solid var(--bp-border); }
.hidden-head { display: flex; align-items: center; gap: 1em; }
.hidden-head h2 { margin: 0; flex: 1; font-size: 1em; }
.hidden-head button.text { margin-top: 0; }
.hidden-controls { display: flex; flex-wrap: wrap; gap: .4em 1em; margin: .4em 0; }
.hidden-controls select { min-height: max(24px, 2em); }
.hidden-plot { display: block; border: 1px solid var(--bp-border); max-width: 100%; }
.hidden-caption { margin-top: .4em; max-width: 30em; }
`;
