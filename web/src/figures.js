// Figures for slides (loaded on first use, see "How a feature plugs in" in lab.js): the decision boundary, the
// network diagram and the gradient panel as a PNG at 2× with a white background, and the boundary and the diagram
// as SVG too (their points, axes, links and text are vector; the heatmaps are embedded images). The "Save image"
// dialog offers them; el.exportImage(view, { format }) gives the Blob.
//
// Each figure is painted through one small painter interface with two back ends, a 2× canvas (PNG) and an SVG
// document, so both formats show the same thing:
//   - the boundary from the last frame (its grid, points, the axes and the legend of outputLegend(), as the view);
//   - the diagram from the view's geometry (where its nodes and links are on screen) and the frame's numbers;
//   - the gradient panel from its DOM: boxes, text and canvases where they are on screen (PNG only: its chart is a
//     canvas).
// Nothing here goes through an <img> or a data: URL in the page, so it works under a strict CSP.
import { paintScalar, paintClasses } from './heatmap.js';
import { show } from '../../bindings/show.js';
import { ORANGE, BLUE, NEUTRAL, CLASS_COLORS, diverging } from './colors.js';
import { outputLegend } from './views/boundary.js';
import { LINKS } from './views/network.js';
import { download, stamp } from './owndata.js';

const SCALE = 2;               // PNG pixels per CSS pixel
const ALPHA = 160;             // the boundary's heatmap alpha over white, as the view (boundary.js)
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';
const FORMATS = { boundary: ['png', 'svg'], network: ['png', 'svg'], gradients: ['png'] };
const signed = diverging(-1, 1);
const esc = (t) => String(t).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const n2 = (v) => Math.round(v * 100) / 100;

// ---- painters ---------------------------------------------------------------------------------------------------

/** A canvas of w × h CSS pixels at SCALE, white. */
class CanvasOut {
  constructor(w, h) {
    this.w = w; this.h = h;
    this.canvas = document.createElement('canvas');
    this.canvas.width = Math.round(w * SCALE);
    this.canvas.height = Math.round(h * SCALE);
    const g = this.g = this.canvas.getContext('2d');
    g.scale(SCALE, SCALE);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
  }
  /** Everything after this is drawn dx, dy further (a figure cropped or given a margin). */
  shift(dx, dy) { this.g.translate(dx, dy); }
  #paint({ fill, stroke, width = 1, opacity = 1, dash }) {
    const g = this.g;
    g.globalAlpha = opacity;
    if (fill) { g.fillStyle = fill; g.fill(); }
    if (stroke) { g.strokeStyle = stroke; g.lineWidth = width; g.setLineDash(dash ?? []); g.stroke(); g.setLineDash([]); }
    g.globalAlpha = 1;
  }
  rect(x, y, w, h, style = {}) {
    this.g.beginPath();
    if (style.radius) this.g.roundRect(x, y, w, h, style.radius); else this.g.rect(x, y, w, h);
    this.#paint(style);
  }
  circle(x, y, r, style = {}) { this.g.beginPath(); this.g.arc(x, y, r, 0, 2 * Math.PI); this.#paint(style); }
  path(d, style = {}) {
    const g = this.g, p = new Path2D(d);
    g.lineCap = 'round';
    g.globalAlpha = style.opacity ?? 1;
    if (style.fill) { g.fillStyle = style.fill; g.fill(p); }
    if (style.stroke) { g.strokeStyle = style.stroke; g.lineWidth = style.width ?? 1; g.stroke(p); }
    g.globalAlpha = 1;
  }
  text(t, x, y, { size = 12, color = '#333', weight = 400, align = 'left', baseline = 'alphabetic', font, style = '', opacity = 1 } = {}) {
    const g = this.g;
    g.globalAlpha = opacity;
    g.font = font ?? `${style} ${weight} ${size}px ${FONT}`;
    g.fillStyle = color;
    g.textAlign = align;
    g.textBaseline = baseline;
    g.fillText(t, x, y);
    g.globalAlpha = 1;
  }
  image(src, x, y, w, h, { smooth = true, opacity = 1 } = {}) {
    const g = this.g;
    g.imageSmoothingEnabled = smooth;
    g.imageSmoothingQuality = 'high';
    g.globalAlpha = opacity;
    g.drawImage(src, x, y, w, h);
    g.globalAlpha = 1;
  }
  gradient(x, y, w, h, stops, { opacity = 1, radius = 0 } = {}) {
    const gr = this.g.createLinearGradient(x, 0, x + w, 0);
    for (const [at, c] of stops) gr.addColorStop(at, c);
    this.rect(x, y, w, h, { fill: gr, opacity, radius });
  }
  blob() {
    return new Promise((resolve, reject) => this.canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('exportImage: the browser could not encode the PNG'))), 'image/png'));
  }
}

/** The same calls, written as an SVG document of w × h (its own units: CSS pixels). */
class SvgOut {
  constructor(w, h) {
    this.w = w; this.h = h; this.parts = []; this.ids = 0; this.groups = 0;
    this.parts.push(`<rect width="${w}" height="${h}" fill="#fff"/>`);
  }
  shift(dx, dy) { this.parts.push(`<g transform="translate(${n2(dx)} ${n2(dy)})">`); this.groups++; }
  #style({ fill, stroke, width = 1, opacity = 1, dash }) {
    return `fill="${fill ? esc(fill) : 'none'}"${stroke ? ` stroke="${esc(stroke)}" stroke-width="${n2(width)}"` : ''}${dash ? ` stroke-dasharray="${dash.join(' ')}"` : ''}${opacity < 1 ? ` opacity="${n2(opacity)}"` : ''}`;
  }
  rect(x, y, w, h, style = {}) {
    this.parts.push(`<rect x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}"${style.radius ? ` rx="${n2(style.radius)}"` : ''} ${this.#style(style)}/>`);
  }
  circle(x, y, r, style = {}) { this.parts.push(`<circle cx="${n2(x)}" cy="${n2(y)}" r="${n2(r)}" ${this.#style(style)}/>`); }
  path(d, style = {}) { this.parts.push(`<path d="${esc(d)}" stroke-linecap="round" ${this.#style(style)}/>`); }
  text(t, x, y, { size = 12, color = '#333', weight = 400, align = 'left', baseline = 'alphabetic', font, style = '', opacity = 1 } = {}) {
    const anchor = { left: 'start', center: 'middle', right: 'end' }[align];
    const base = { alphabetic: 'auto', middle: 'central', top: 'hanging', bottom: 'text-after-edge' }[baseline] ?? 'auto';
    const f = font ? ` style="font: ${esc(font)}"` : ` font-family="${esc(FONT)}" font-size="${size}" font-weight="${weight}"${style ? ` font-style="${style}"` : ''}`;
    this.parts.push(`<text x="${n2(x)}" y="${n2(y)}" text-anchor="${anchor}" dominant-baseline="${base}" fill="${esc(color)}"${opacity < 1 ? ` opacity="${n2(opacity)}"` : ''}${f}>${esc(t)}</text>`);
  }
  image(src, x, y, w, h, { smooth = true, opacity = 1 } = {}) {
    this.parts.push(`<image x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}" preserveAspectRatio="none"${smooth ? '' : ' style="image-rendering: pixelated"'}${opacity < 1 ? ` opacity="${n2(opacity)}"` : ''} href="${src.toDataURL('image/png')}"/>`);
  }
  gradient(x, y, w, h, stops, { opacity = 1, radius = 0 } = {}) {
    const id = `g${++this.ids}`;
    this.parts.push(`<defs><linearGradient id="${id}">${stops.map(([at, c]) => `<stop offset="${n2(at)}" stop-color="${esc(c)}"/>`).join('')}</linearGradient></defs>`);
    this.parts.push(`<rect x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}"${radius ? ` rx="${radius}"` : ''} fill="url(#${id})"${opacity < 1 ? ` opacity="${n2(opacity)}"` : ''}/>`);
  }
  blob() {
    const svg = `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${this.w}" height="${this.h}" viewBox="0 0 ${this.w} ${this.h}">\n${this.parts.join('\n')}\n${'</g>'.repeat(this.groups)}</svg>\n`;
    return Promise.resolve(new Blob([svg], { type: 'image/svg+xml' }));
  }
}

/** A small canvas holding an ImageData (what image() takes). */
function canvasOf(img) {
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  c.getContext('2d').putImageData(img, 0, 0);
  return c;
}

// ---- the boundary -----------------------------------------------------------------------------------------------

const PAD = 16, AXIS = 26;

function pointColor(kind, labels, i, k) {
  if (kind === 'multiclass') {
    let best = 0;
    for (let j = 1; j < k; j++) if (labels[i * k + j] > labels[i * k + best]) best = j;
    return CLASS_COLORS[best % CLASS_COLORS.length];
  }
  if (kind === 'regression') return signed(labels[i]);
  return labels[i] >= 0.5 ? BLUE : ORANGE;
}

/** Heatmap, points (test points too when they are shown), axes x₁ and x₂ with ticks, the legend; MAP: the plot's size on screen. */
function boundary(make, frame, state, MAP) {
  const ext = frame.extent, res = frame.boundaryRes, k = frame.sizes.at(-1);
  const legend = outputLegend(frame);
  const W = PAD + AXIS + MAP + PAD, H = PAD + MAP + AXIS + 64 + PAD;
  const out = make(W, H), x0 = PAD + AXIS, y0 = PAD;
  const img = new ImageData(res, res);
  if (legend.mode === 'classes') paintClasses(img, frame.boundary, res, k, { discrete: !!state.discretize, alpha: ALPHA });
  else paintScalar(img, frame.boundary, 0, res, legend.lo, legend.hi, { discrete: !!state.discretize, alpha: ALPHA });
  out.image(canvasOf(img), x0, y0, MAP, MAP, { smooth: true });
  // points, as the view draws them: training points ringed white, test points ringed dark
  const d = frame.data, s = MAP / (2 * ext);
  if (d) {
    const sets = [[d.train, d.trainLabels, '#fff']];
    if (state.showTestData) sets.push([d.test, d.testLabels, '#222']);
    const total = d.train.length / 2 + (state.showTestData ? d.test.length / 2 : 0);
    const r = total > 3000 ? 2 : total > 1500 ? 2.75 : 3.5;
    for (const [X, Y, ring] of sets) {
      for (let i = 0; i < X.length / 2; i++) {
        const x = x0 + (X[2 * i] + ext) * s, y = y0 + (ext - X[2 * i + 1]) * s;
        if (x < x0 - r || x > x0 + MAP + r || y < y0 - r || y > y0 + MAP + r) continue;
        out.circle(x, y, r, { fill: pointColor(frame.kind, Y, i, k), stroke: ring, width: 1 });
      }
    }
  }
  out.rect(x0, y0, MAP, MAP, { stroke: '#bbb', width: 1 });
  // axes: ticks every unit (every 2 beyond ±8), labels, the names of the inputs
  const step = ext > 8 ? 2 : 1, label = (v) => (v < 0 ? `−${-v}` : String(v));
  for (let v = -ext; v <= ext; v += step) {
    const f = (v + ext) * s;
    out.path(`M${x0 + f},${y0 + MAP} V${y0 + MAP + 4}`, { stroke: '#bbb' });
    out.text(label(v), x0 + f, y0 + MAP + 15, { size: 10, color: '#777', align: 'center' });
    out.path(`M${x0},${y0 + MAP - f} H${x0 - 4}`, { stroke: '#bbb' });
    out.text(label(v), x0 - 7, y0 + MAP - f, { size: 10, color: '#777', align: 'right', baseline: 'middle' });
  }
  out.text('x₁', x0 + MAP, y0 + MAP + AXIS, { size: 11, color: '#555', align: 'right', style: 'italic' });
  out.text('x₂', PAD, y0 + 10, { size: 11, color: '#555', style: 'italic' });
  // the legend: what the colours mean, then the points' key
  const ly = y0 + MAP + AXIS + 14;
  out.text(legend.title, x0, ly, { size: 11.5, color: '#444', weight: 600 });
  if (legend.mode === 'classes') {
    let x = x0;
    for (let j = 0; j < legend.k; j++) {
      out.rect(x, ly + 10, 11, 11, { fill: CLASS_COLORS[j % CLASS_COLORS.length], radius: 2, opacity: ALPHA / 255 });
      out.text(`class ${j}`, x + 15, ly + 20, { size: 11, color: '#555' });
      x += 68;
    }
  } else {
    const discrete = !!state.discretize;
    const stops = discrete ? [[0, ORANGE], [0.5, ORANGE], [0.5, BLUE], [1, BLUE]] : [[0, ORANGE], [0.5, NEUTRAL], [1, BLUE]];
    out.gradient(x0, ly + 8, 180, 9, stops, { opacity: ALPHA / 255 });
    legend.ticks.forEach((t, i) => out.text(t, x0 + 90 * i, ly + 31, { size: 10, color: '#777', align: ['left', 'center', 'right'][i] }));
  }
  const kx = x0 + MAP - (state.showTestData ? 120 : 60);
  out.circle(kx, ly + 13, 4, { fill: '#999', stroke: '#fff', width: 1.5 });
  out.circle(kx, ly + 13, 5.2, { stroke: '#bbb', width: 1 });
  out.text('training', kx + 9, ly + 17, { size: 11, color: '#666' });
  if (state.showTestData) {
    out.circle(kx + 70, ly + 13, 4, { fill: '#999', stroke: '#222', width: 1.5 });
    out.text('test', kx + 79, ly + 17, { size: 11, color: '#666' });
  }
  return out;
}

// ---- the network diagram ----------------------------------------------------------------------------------------

/**
 * The diagram where the view has laid it out: its nodes and links are read from the view's elements (their places
 * on screen, the links' curves), the colours and widths from the frame's weights (or gradients), as network.js
 * draws them; the neurons' heatmaps from the frame.
 */
function network(make, frame, state, root) {
  const stage = root.querySelector('.network-stage');
  if (!stage || !stage.offsetWidth) throw new Error('exportImage: the network diagram is not shown (views attribute?)');
  const at = stage.getBoundingClientRect();
  const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.left - at.left, y: r.top - at.top, w: r.width, h: r.height }; };
  // The live view's +/− controls under the column titles are not in a figure: the band they take is cropped.
  let top = Infinity;
  for (const el of root.querySelectorAll('.network-feature, .network-node')) top = Math.min(top, box(el).y);
  const TITLES = 28, crop = Math.max(0, Math.floor(top - TITLES - 12));
  const W = Math.ceil(stage.offsetWidth), H = Math.ceil(stage.offsetHeight) - crop + 26;
  const out = make(W, H);
  out.shift(0, -crop);
  const sizes = frame.sizes, L = sizes.length - 1, grad = state.linkColor === 'gradient';
  // link and bias looks, as network.js: weight mode by w (colour over [−1, 1], width ∝ |w| up to W_FULL);
  // gradient mode by ∂C/∂w on a log scale below the largest
  let scale = 1;
  if (grad) {
    let max = 0;
    for (const lf of frame.layers) for (const a of [lf.gradW, lf.gradB]) for (const v of a) if (Math.abs(v) > max) max = Math.abs(v);
    scale = max > 0 && Number.isFinite(max) ? 1 / max : 0;
  }
  const look = (v) => {
    if (!Number.isFinite(v)) return { color: '#b0b0b0', width: 1 };
    const strength = grad ? LINKS.gradStrength(v, scale) : Math.max(-1, Math.min(1, v / LINKS.W_FULL));
    return { color: signed(grad ? strength : Math.max(-1, Math.min(1, v))), width: LINKS.W_MIN + (LINKS.W_MAX - LINKS.W_MIN) * Math.abs(strength) };
  };
  const base = [0, 0];
  for (let l = 1; l <= L; l++) base[l + 1] = base[l] + sizes[l] * sizes[l - 1];
  // links, thin ones first (as the view sorts them)
  const links = [];
  for (const p of root.querySelectorAll('.network-hits path[data-i]')) {
    const i = Number(p.dataset.i);
    let l = 1;
    while (l < L && i >= base[l + 1]) l++;
    const lf = frame.layers[l - 1], v = (grad ? lf.gradW : lf.W)[i - base[l]];
    links.push({ d: p.getAttribute('d'), ...look(v) });
  }
  links.sort((a, b) => a.width - b.width);
  for (const k of links) out.path(k.d, { stroke: k.color, width: k.width });
  // input features: their heatmaps and names; the ones not in use faded
  for (const el of root.querySelectorAll('.network-feature')) {
    const b = box(el), off = el.classList.contains('is-off'), c = el.querySelector('canvas');
    out.rect(b.x - 0.5, b.y - 0.5, b.w + 1, b.h + 1, { stroke: 'rgba(0,0,0,0.18)', width: 1 });
    if (c) out.image(c, b.x, b.y, b.w, b.h, { opacity: off ? 0.22 : 1 });
    const name = el.querySelector('.network-feature-label')?.textContent ?? '';
    out.text(name, b.x - 7, b.y + b.h / 2, { size: 12, color: off ? '#aaa' : '#333', align: 'right', baseline: 'middle' });
  }
  // neurons: a^l_j over the plane (the frame's thumbnails), saturated ones marked, the output's labels
  const res = frame.thumbRes, n2r = res * res;
  const hidden = frame.activation === 'sigmoid' ? 0 : -1;
  const outLo = frame.outputActivation === 'sigmoid' || frame.outputActivation === 'softmax' ? 0 : -1;
  let index = 0;
  const img = new ImageData(res, res);
  for (const el of root.querySelectorAll('.network-node')) {
    const l = Number(el.dataset.l), j = Number(el.dataset.j), b = box(el);
    const offset = index++ * n2r;
    if (frame.neurons.length >= offset + n2r) {
      paintScalar(img, frame.neurons, offset, res, l === L ? outLo : hidden, 1, { discrete: l === L && !!state.discretize });
      out.image(canvasOf(img), b.x, b.y, b.w, b.h);
    }
    out.rect(b.x - 0.5, b.y - 0.5, b.w + 1, b.h + 1, { stroke: 'rgba(0,0,0,0.18)', width: 1 });
    if (el.classList.contains('is-saturated')) out.rect(b.x - 3, b.y - 3, b.w + 6, b.h + 6, { stroke: '#e8710a', width: 2, dash: [4, 3] });
    const label = el.querySelector('.network-outlabel');
    if (label) {
      const dot = label.querySelector('i');
      let x = b.x + b.w + 8;
      if (dot) { out.circle(x + 4, b.y + b.h / 2, 4, { fill: CLASS_COLORS[j % CLASS_COLORS.length] }); x += 12; }
      out.text(label.textContent, x, b.y + b.h / 2, { size: 12, color: '#444', baseline: 'middle' });
    }
  }
  // biases: the small squares beside each neuron (the view's hit targets are centred on them)
  const nLinks = base[L + 1];
  const s = root.querySelector('.network-node')?.getBoundingClientRect().width ?? 20, bs = Math.max(5, Math.round(s * 0.22));
  for (const r of root.querySelectorAll('.network-biashit[data-i]')) {
    const i = Number(r.dataset.i) - nLinks;
    let l = 1, off = i;
    while (l < L && off >= sizes[l]) { off -= sizes[l]; l++; }
    const lf = frame.layers[l - 1], v = (grad ? lf.gradB : lf.b)[off];
    const cx = Number(r.getAttribute('x')) + Number(r.getAttribute('width')) / 2, cy = Number(r.getAttribute('y')) + Number(r.getAttribute('height')) / 2;
    out.rect(cx - bs / 2, cy - bs / 2, bs, bs, { fill: look(v).color, stroke: 'rgba(0,0,0,0.3)', width: 0.5 });
  }
  // column titles, and what the links show
  for (const t of root.querySelectorAll('.network-coltitle')) {
    const b = box(t);
    if (b.w) out.text(t.textContent, b.x + b.w / 2, crop + TITLES / 2, { size: 12, color: '#555', weight: 600, align: 'center', baseline: 'middle' });
  }
  const legend = grad ? `links: ∂C/∂w, log scale over ${LINKS.DECADES} decades below the largest` : 'links: weight w (orange < 0 < blue), width ∝ |w|';
  out.gradient(12, crop + H - 18, 60, 6, [[0, ORANGE], [0.5, NEUTRAL], [1, BLUE]]);
  out.text(legend, 80, crop + H - 12, { size: 11, color: '#666' });
  return out;
}

// ---- any panel, from its DOM ------------------------------------------------------------------------------------

const transparent = (c) => !c || c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);

/**
 * Paints what the elements under `root` show: backgrounds (colours and linear gradients), borders, canvases and
 * text, at their places on screen. Enough for panels of boxes, text and charts; skips form controls' insides.
 */
function dom(make, root) {
  const at = root.getBoundingClientRect(), M = 12;
  const W = Math.ceil(at.width) + 2 * M, H = Math.ceil(at.height) + 2 * M;
  const out = make(W, H);
  out.shift(M, M);
  const fontOf = (cs) => `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const rel = (r) => ({ x: r.left - at.left, y: r.top - at.top, w: r.width, h: r.height });
  const probe = document.createElement('canvas').getContext('2d');
  function walk(el, opacity) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') return;
    const op = opacity * Number(cs.opacity);
    if (op <= 0.01) return;
    const b = rel(el.getBoundingClientRect()), radius = parseFloat(cs.borderTopLeftRadius) || 0;
    if (b.w > 0 && b.h > 0) {
      if (!transparent(cs.backgroundColor)) out.rect(b.x, b.y, b.w, b.h, { fill: cs.backgroundColor, opacity: op, radius });
      const lg = /linear-gradient\(to right, (.*)\)$/.exec(cs.backgroundImage);
      if (lg) {
        const colours = lg[1].match(/rgba?\([^)]*\)(?: [\d.]+%)?/g) ?? [];
        const stops = colours.map((c, i) => { const m = / ([\d.]+)%$/.exec(c); return [m ? Number(m[1]) / 100 : i / Math.max(1, colours.length - 1), c.replace(/ [\d.]+%$/, '')]; });
        if (stops.length > 1) out.gradient(b.x, b.y, b.w, b.h, stops, { opacity: op, radius });
      }
      for (const [side, d] of [['Top', `M${b.x},${b.y} H${b.x + b.w}`], ['Bottom', `M${b.x},${b.y + b.h} H${b.x + b.w}`], ['Left', `M${b.x},${b.y} V${b.y + b.h}`], ['Right', `M${b.x + b.w},${b.y} V${b.y + b.h}`]]) {
        const w = parseFloat(cs[`border${side}Width`]);
        if (w > 0 && cs[`border${side}Style`] !== 'none' && !transparent(cs[`border${side}Color`])) out.path(d, { stroke: cs[`border${side}Color`], width: w, opacity: op });
      }
      if (el instanceof HTMLCanvasElement && el.width && el.height) { out.image(el, b.x, b.y, b.w, b.h, { opacity: op }); return; }
      if (el instanceof HTMLSelectElement) {
        out.text(el.selectedOptions[0]?.textContent ?? '', b.x + parseFloat(cs.paddingLeft), b.y + b.h / 2, { font: fontOf(cs), color: cs.color, baseline: 'middle', opacity: op });
        return;
      }
    }
    if (el instanceof SVGElement) return;
    for (const node of el.childNodes) {
      if (node.nodeType === Node.ELEMENT_NODE) walk(node, op);
      else if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) text(node, cs, op);
    }
  }
  // Text word by word where the browser put it (its lines and wraps), on the font's baseline.
  function text(node, cs, op) {
    const font = fontOf(cs);
    probe.font = font;
    const m = probe.measureText('Hg'), asc = m.fontBoundingBoxAscent, desc = m.fontBoundingBoxDescent;
    const range = document.createRange(), t = node.textContent;
    for (const w of t.matchAll(/\S+/g)) {
      range.setStart(node, w.index);
      range.setEnd(node, w.index + w[0].length);
      const r = range.getClientRects()[0];
      if (!r || !r.width) continue;
      const b = rel(r);
      out.text(w[0], b.x, b.y + (b.h * asc) / (asc + desc), { font, color: cs.color, opacity: op });
    }
  }
  walk(root, 1);
  return out;
}

// ---- the feature ------------------------------------------------------------------------------------------------

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);

  /** el.exportImage(view, { format }): a Blob of the figure. */
  async function image(view, options = {}) {
    if (options === null || typeof options !== 'object') throw new Error(`exportImage: options must be an object like { format: 'svg' }, got ${show(options)}`);
    const { format = 'png', ...rest } = options;
    if (!Object.hasOwn(FORMATS, view)) throw new Error(`exportImage: view must be one of ${Object.keys(FORMATS).join(', ')}, got ${show(view)}`);
    const unknown = Object.keys(rest);
    if (unknown.length) throw new Error(`exportImage: unknown option '${unknown[0]}' (expected format)`);
    if (!FORMATS[view].includes(format)) throw new Error(`exportImage: format must be ${FORMATS[view].map((f) => `'${f}'`).join(' or ')} for the ${view}, got ${show(format)}`);
    const frame = lab.frame;
    if (!frame) throw new Error('exportImage: the lab has not drawn its first frame yet');
    const make = format === 'svg' ? (w, h2) => new SvgOut(w, h2) : (w, h2) => new CanvasOut(w, h2);
    const state = lab.state;
    let out;
    if (view === 'boundary') {
      if (!frame.boundary.length) throw new Error('exportImage: the boundary is not shown (views attribute), so it is not computed');
      out = boundary(make, frame, state, Math.max(240, Math.round(lab.root.querySelector('.boundary-map')?.clientWidth || 400)));
    } else if (view === 'network') {
      out = network(make, frame, state, lab.root.querySelector('.view-network'));
    } else {
      const panel = lab.root.querySelector('.view-gradients');
      if (!panel || panel.hidden) throw new Error('exportImage: the gradient panel is not shown (views attribute)');
      await lab.loadView('gradients');
      const g = panel.querySelector('.gradients');
      if (!g) throw new Error('exportImage: the gradient panel is not drawn yet');
      out = dom(make, g);
    }
    return out.blob();
  }

  /** "backprop-lab-boundary-circle-epoch-120-2025-06-01-143205.png" */
  const fileName = (view, format) => `backprop-lab-${view}-${lab.state.dataset}-epoch-${lab.element.epoch}-${stamp()}.${format}`;

  async function save(view, format) {
    const name = fileName(view, format);
    download(lab, await image(view, { format }), name);
    return name;
  }

  // The "Save image" dialog: one row per view, a button per format.
  let dialog = null, opener = null;
  function build() {
    const status = h('p', { class: 'fig-status', role: 'status' });
    const row = (view, title, note) => h('div', { class: 'fig-row' },
      h('div', { class: 'fig-what' }, h('b', { text: title }), h('span', { class: 'fig-note', text: note })),
      h('div', { class: 'fig-buttons' }, FORMATS[view].map((f) => h('button', {
        class: 'text', type: 'button', 'data-view': view, 'data-format': f, text: `Save ${f.toUpperCase()}`,
        'aria-label': `Save the ${title.toLowerCase()} as ${f.toUpperCase()}`,
        onclick: async () => {
          status.textContent = 'Saving…';
          try { status.textContent = `Saved ${await save(view, f)}.`; } catch (e) { status.textContent = e.message; }
        },
      }))));
    dialog = h('dialog', { class: 'fig-dialog', 'aria-labelledby': 'fig-title' },
      h('h2', { id: 'fig-title', text: 'Save an image' }),
      h('p', { class: 'hint', text: 'PNG at twice the screen size on white, for slides; SVG (vector) where the view is drawn with lines and text.' }),
      row('boundary', 'Decision boundary', 'heatmap, points, axes and legend'),
      row('network', 'Network', 'neurons, links and biases as shown'),
      row('gradients', 'Gradients', 'the gradient panel as shown'),
      status,
      h('div', { class: 'fig-actions' }, h('button', { class: 'text', type: 'button', text: 'Close', onclick: () => dialog.close() })));
    dialog.addEventListener('close', () => opener?.focus());
    lab.root.querySelector('.lab').append(dialog);
  }
  function open() {
    if (!dialog) build();
    opener = lab.root.activeElement;
    for (const b of dialog.querySelectorAll('button[data-view]')) b.hidden = !lab.root.querySelector(`.view-${b.dataset.view}`) || lab.root.querySelector(`.view-${b.dataset.view}`).hidden;
    dialog.querySelector('.fig-status').textContent = '';
    dialog.showModal();
  }

  return { image, save, open, fileName };
}

export const css = `
.fig-dialog { border: 1px solid var(--bp-border); border-radius: 6px; padding: 1em 1.25em; max-width: min(36em, calc(100vw - 2em));
  color: inherit; background: var(--bp-bg, #fff); box-shadow: 0 8px 30px rgba(0,0,0,.2); font-size: 1em; }
.fig-dialog::backdrop { background: rgba(0,0,0,.25); }
.fig-dialog h2 { margin: 0 0 .5em; font-size: 1.15em; letter-spacing: 0; text-transform: none; color: #222; }
.fig-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .4em 1em; padding: .5em 0; border-top: 1px solid var(--bp-border); }
.fig-what { display: flex; flex-direction: column; }
.fig-note { color: var(--bp-muted); font-size: .92em; }
.fig-buttons, .fig-actions { display: flex; gap: .5em; }
.fig-buttons button.text, .fig-actions button.text { margin: 0; min-height: 24px; }
.fig-actions { justify-content: flex-end; margin-top: .5em; }
.fig-status { min-height: 1.3em; margin: .5em 0 0; color: var(--bp-muted); overflow-wrap: anywhere; }
`;
