// The network diagram's two pop-ups (views/network.js). The card: one weight or bias, its value and ∂C/∂w or
// ∂C/∂b from the engine's frame, shown on hover or tap, and edited on click, a second tap or Enter on a neuron
// (the value goes to the engine through the diagram's onEdit). The peek: a tapped neuron's heatmap, large,
// beside the finger. Neither is needed for the first frame, so they are a chunk of their own that the diagram
// loads the first time one opens (NetworkDiagram's #openCard, #syncPeek); until it is here the card's state
// is already set, so hover-out, a tap elsewhere or a new network close it as they close an open card.
//
// The functions take the diagram `d` (its public fields: card, cardEl, stage, item arrays, sizes, inputs,
// editable, cb, hover, frame) and `host`, the few private methods the diagram lends them: value(i, grad), the
// item's w or b (grad: its gradient) in the last frame; neuronAt(l, j); nodeName(l, j); close().
import { FEATURES } from './network.js';
import { paintScalar } from '../heatmap.js';
import css from './card.css?inline';  // minified by Vite

export { css };

// ---- notation and number formatting ---------------------------------------------------------------------
const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹', SUB = '₀₁₂₃₄₅₆₇₈₉';
const sup = (n) => String(n).replace(/\d/g, (d) => SUP[d]);
const sub = (n) => String(n).replace(/\d/g, (d) => SUB[d]);
/** Book notation, neurons counted from 1: w^l_jk (to neuron j of layer l from neuron k of layer l−1), b^l_j. */
export function paramName(l, j, k) {
  if (k < 0) return `b${sup(l)}${sub(j + 1)}`;
  return `w${sup(l)}${sub(j + 1)}${j >= 9 || k >= 9 ? ',' : ''}${sub(k + 1)}`;
}
/** 0.123, 12.3, −4.5e-3: three significant digits, exponent outside [0.01, 1000), a real minus sign. */
export function formatValue(v) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  const s = a === 0 ? '0' : a >= 0.01 && a < 1000 ? String(Number(v.toPrecision(3))) : v.toExponential(1).replace('e+', 'e');
  return s.replace('-', '−');
}
/** Number typed by the user: plain JS number syntax, '−' accepted; NaN if it is not a finite number. */
export function parseValue(text) {
  const t = text.trim().replace(/−/g, '-').replace(',', '.');
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

function el(tag, cls, parent) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (parent) parent.appendChild(e);
  return e;
}

// Next to the pointer (event `e`), or beside the item's neuron (keyboard), inside the stage.
function place(d, host, i, e) {
  const st = d.stage.getBoundingClientRect();
  let x, y;
  if (e) {
    // in the stage's CSS px: under a host page's CSS zoom the client rect is zoomed, offsetWidth is not
    const z = st.width > 0 ? d.stage.offsetWidth / st.width : 1;
    x = (e.clientX - st.left) * z + 12; y = (e.clientY - st.top) * z + 14;
  }
  else {
    const n = host.neuronAt(d.itemL[i], d.itemJ[i]).node;
    x = n.offsetLeft + n.offsetWidth + 8; y = n.offsetTop;
  }
  const cw = d.cardEl.offsetWidth, ch = d.cardEl.offsetHeight;
  const sw = d.stage.offsetWidth, sh = d.stage.offsetHeight;
  if (x + cw > sw - 4) x = Math.max(4, x - cw - 24);
  if (y + ch > sh - 4) y = Math.max(4, y - ch - 28);
  d.cardEl.style.left = `${Math.round(x)}px`;
  d.cardEl.style.top = `${Math.round(y)}px`;
}

// Only item i's hit target is marked (the keyboard card's select moves between a neuron's parameters).
function markHotOnly(d, i) {
  for (const h of d.gHits.querySelectorAll('.is-hot')) h.classList.remove('is-hot');
  for (const h of d.gBias.querySelectorAll('.is-hot')) h.classList.remove('is-hot');
  if (i < d.nLinks) d.hit[i].classList.add('is-hot');
  else d.biasHits[i - d.nLinks].classList.add('is-hot');
}

/** The show card (d.card is { mode: 'show', item: i, by }): name = value · ∂C/∂w = gradient, updated by fill(). */
export function show(d, host, i, by, e) {
  const c = d.cardEl;
  c.classList.remove('is-edit');
  const name = el('span', 'network-card-name');
  d.cardVal = el('span', 'network-card-val');
  d.cardGrad = el('span', 'network-card-val');
  const sep = el('span', 'network-card-sep');
  sep.textContent = ' · ';
  const gname = el('span', 'network-card-name');
  const k = d.itemK[i];
  name.textContent = `${paramName(d.itemL[i], d.itemJ[i], k)} = `;
  gname.textContent = `∂C/∂${k < 0 ? 'b' : 'w'} = `;
  const hint = el('div', 'network-card-hint');
  hint.textContent = `∂C/∂${k < 0 ? 'b' : 'w'} over the whole training set${!d.editable ? '' : by === 'mouse' ? ' · click to edit' : ' · tap again to edit'}`;
  const line = el('div', 'network-card-line');
  line.append(name, d.cardVal, sep, gname, d.cardGrad);
  c.replaceChildren(line, hint);
  c.hidden = false;
  c.removeAttribute('role');
  fill(d, host);
  place(d, host, i, e);
}

/** The open show card's numbers, from the last frame (each frame calls it). */
export function fill(d, host) {
  const i = d.card.item;
  const v = formatValue(host.value(i, false)), g = formatValue(host.value(i, true));
  if (d.cardVal.textContent !== v) d.cardVal.textContent = v;
  if (d.cardGrad.textContent !== g) d.cardGrad.textContent = g;
}

/**
 * The edit card (d.card is { mode: 'edit', item: i, by }): a field with the value, Enter applies it through
 * d.cb.onEdit, Esc cancels. From the keyboard (by 'key') a select picks the neuron's bias or any incoming weight.
 */
export function edit(d, host, i, by, e) {
  const c = d.cardEl;
  c.classList.add('is-edit');
  c.setAttribute('role', 'dialog');
  c.setAttribute('aria-label', d.editable ? 'edit a parameter' : 'a parameter (read only)');
  const form = el('form', 'network-card-form');
  const label = el('label', 'network-card-name', form);
  const input = el('input', 'network-card-input');
  input.type = 'text';
  input.inputMode = 'decimal';
  input.autocomplete = 'off';
  input.spellcheck = false;
  let select = null, check = null;
  const CHECK = 'Check against a finite difference';
  const l = d.itemL[i], j = d.itemJ[i];
  if (by === 'key') {
    // from the keyboard: pick the bias or any incoming weight of the focused neuron
    select = el('select', 'network-card-select', form);
    select.setAttribute('aria-label', 'parameter');
    // each named as in the book and by where it comes from: "w¹₂₁ · from x₁", "b¹₂ · bias"
    const from = (k) => (k < 0 ? 'bias' : `from ${l === 1 ? FEATURES[d.inputs[k]]?.label ?? `input ${k + 1}` : `neuron ${k + 1}`}`);
    const opt = (item) => { const o = el('option', '', select); o.value = item; o.textContent = `${paramName(l, j, d.itemK[item])} · ${from(d.itemK[item])}`; };
    opt(i);
    for (let k = 0; k < d.sizes[l - 1]; k++) opt(d.linkBase[l] + j * d.sizes[l - 1] + k);
    select.addEventListener('change', () => {
      d.card.item = Number(select.value);
      markHotOnly(d, d.card.item);
      input.value = String(Number(host.value(d.card.item, false).toPrecision(6)));
      grad.textContent = gradText(d.card.item);
      err.textContent = '';
      // another parameter: the check's result (or the one on its way) was for the previous one
      if (check) { check.disabled = false; check.textContent = CHECK; }
    });
    form.insertBefore(select, label);
    label.textContent = '=';
  } else label.textContent = `${paramName(l, j, d.itemK[i])} =`;
  form.append(input);
  const id = `network-in-${Math.random().toString(36).slice(2)}`;
  input.id = id; label.htmlFor = id;
  const err = el('div', 'network-card-err', form);
  err.setAttribute('aria-live', 'assertive');
  // its gradient too, and whether it can be changed here (controls without `edit`: read only)
  const gradText = (it) => `∂C/∂${d.itemK[it] < 0 ? 'b' : 'w'} = ${formatValue(host.value(it, true))} (over the whole training set)`;
  const grad = el('div', 'network-card-hint', form);
  grad.textContent = gradText(i);
  // the gradient check of this one parameter (explain/check.js, the float64 engine, loaded on first use)
  if (d.cb.onCheckParameter) {
    check = el('button', 'network-card-check', form);
    check.type = 'button';
    check.textContent = CHECK;
    check.addEventListener('click', () => {
      const it = d.card.item;
      check.disabled = true;
      check.textContent = 'Checking…';
      d.cb.onCheckParameter(d.itemL[it], d.itemJ[it], d.itemK[it]).then((r) => {
        if (d.card.item === it) check.textContent = `backprop ${formatValue(r.backprop)} · finite difference ${formatValue(r.finiteDifference)}`;
      }, (e) => { if (d.card.item === it) check.textContent = `check failed: ${e.message}`; });
    });
  }
  input.readOnly = !d.editable;
  const hint = el('div', 'network-card-hint', form);
  hint.textContent = d.editable ? 'Enter to apply · Esc to cancel' : 'read only · Esc to close';
  input.value = String(Number(host.value(i, false).toPrecision(6)));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!d.editable) return;
    const v = parseValue(input.value);
    if (Number.isNaN(v)) { err.textContent = 'not a number'; input.setAttribute('aria-invalid', 'true'); return; }
    const it = d.card.item;
    const back = by === 'key' ? host.neuronAt(d.itemL[it], d.itemJ[it])?.node : null;
    host.close();
    d.cb.onEdit?.(d.itemL[it], d.itemJ[it], d.itemK[it], v);
    back?.focus();
  });
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.preventDefault(); ev.stopPropagation();
      const it = d.card.item;
      const back = by === 'key' ? host.neuronAt(d.itemL[it], d.itemJ[it])?.node : null;
      host.close();
      back?.focus();
    }
  });
  input.addEventListener('input', () => { err.textContent = ''; input.removeAttribute('aria-invalid'); });
  c.replaceChildren(form);
  c.hidden = false;
  place(d, host, i, by === 'key' ? null : e);
  (select ?? input).focus();
  if (!select) input.select();
}

// ---- the peek: a tapped neuron, large, beside it ---------------------------------------------------------
const PEEK = 132;      // its width (css px)

/** Shows the peek of neuron h = [l, j] (the touch hover), or hides it (h null). */
export function peek(d, host, h) {
  const n = h && host.neuronAt(h[0], h[1]);
  if (!n) { if (d.peekEl) d.peekEl.hidden = true; return; }
  if (!d.peekEl) {
    d.peekEl = el('div', 'network-peek', d.stage);
    d.peekEl.setAttribute('aria-hidden', 'true');
    d.peekCanvas = el('canvas', 'network-peek-canvas', d.peekEl);
    d.peekLabel = el('div', 'network-peek-label', d.peekEl);
    d.peekImg = null;
  }
  const p = d.peekEl;
  d.peekLabel.textContent = host.nodeName(h[0], h[1]);
  p.hidden = false;
  p.style.width = `${PEEK}px`;
  // beside the node on the side with room, inside the visible part of the (scrolling) stage
  const node = n.node, sc = d.scroll, pw = p.offsetWidth, ph = p.offsetHeight;
  const viewL = sc.scrollLeft, viewR = viewL + sc.clientWidth;
  let x = node.offsetLeft + node.offsetWidth + 10;
  if (x + pw > viewR - 4) x = node.offsetLeft - pw - 10;
  x = Math.max(viewL + 4, Math.min(x, viewR - pw - 4));
  const y = Math.max(4, Math.min(node.offsetTop + node.offsetHeight / 2 - ph / 2, d.stageH - ph - 4));
  p.style.left = `${Math.round(x)}px`; p.style.top = `${Math.round(y)}px`;
  if (d.frame) paintPeek(d, d.frame);
}

/** The open peek's heatmap: the hovered neuron's activation over the plane, from the frame (frame.neuron). */
export function paintPeek(d, frame) {
  const h = d.hover, v = frame.neuron, res = frame.boundaryRes;
  if (!h || !v || !res || v.length < res * res) return;
  const c = d.peekCanvas;
  if (c.width !== res) { c.width = c.height = res; d.peekImg = new ImageData(res, res); }
  const act = h[0] === d.L ? frame.outputActivation : frame.activation;
  const lo = act === 'sigmoid' || act === 'softmax' ? 0 : -1;
  paintScalar(d.peekImg, v, 0, res, lo, 1);
  c.getContext('2d').putImageData(d.peekImg, 0, 0);
}
