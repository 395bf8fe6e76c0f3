// The lab's controls, DOM only: the top bar (transport, epoch counter, hyper-parameters, the drawer and help
// buttons), the data column (dataset picker, sliders, Regenerate), the output column's toggles and Share
// button, and how they show a state. They change nothing themselves: every input calls back into the lab
// (lab.js), which validates and applies. Layout work on the controls happens here and in lab.css (its top
// comment lists the layout tiers and the slots), not in lab.js. Also here, because they are about the
// controls: the dataset picker's arrow keys, and which keys reach the lab's shortcuts (wantsSpace). Their
// one-line explanations are in tips.js, loaded when the reader first points at or focuses the lab.
import { SCHEMA, problemKind } from './state.js';
import { decodePoints } from './data/datatext.js';
import { ORANGE, BLUE, CLASS_COLORS } from './colors.js';

// A tiny DOM builder: text goes through textContent, never innerHTML.
export function h(tag, attrs = {}, ...children) {
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
  svg.setAttribute('viewBox', '0 0 14 14'); svg.setAttribute('aria-hidden', 'true');
  path.setAttribute('d', d);
  if (stroke) { path.setAttribute('fill', 'none'); path.setAttribute('stroke', 'currentColor'); path.setAttribute('stroke-width', '1.6'); path.setAttribute('stroke-linecap', 'round'); }
  else path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

/**
 * Builds the controls. `on`: { set(patch), playPause(), step(), stepBatch(), reset(), regenerate(), newWeights(), share(),
 * drawer(), help() }. Returns { els, bar, dataCol, toggles }; els holds each input under its state key (with
 * `<key>Out`/`<key>Fmt` for sliders) and play, step, reset, epoch, datasets, regenerate, newWeights, share,
 * sharePanel, drawer, help, slotBar, slotData, slotOutput. Every control's wrapper carries
 * data-control="<name>" (the `controls` attribute's names; tips.js finds them by it).
 */
export function buildControls(on) {
  const e = {};
  const select = (key, label) => {
    const sel = h('select', { id: `c-${key}`, 'aria-label': label, onchange: () => on.set({ [key]: sel.value }) },
      SCHEMA[key].options.map((o) => h('option', { value: o.value, text: o.label })));
    e[key] = sel;
    return h('label', { class: 'control', 'data-control': key }, h('span', { class: 'label', text: label }), sel);
  };
  const slider = (key, label, fmt = (v) => String(v), step = 1) => {
    const { min, max } = SCHEMA[key];
    const out = h('output', { class: 'value' });
    const input = h('input', {
      type: 'range', min, max, step, 'aria-label': label,
      oninput: () => { out.textContent = fmt(+input.value); input.setAttribute('aria-valuetext', fmt(+input.value)); },
      onchange: () => on.set({ [key]: +input.value }),
    });
    e[key] = input; e[`${key}Out`] = out; e[`${key}Fmt`] = fmt;
    return h('label', { class: 'control slider', 'data-control': key }, h('span', { class: 'label' }, label, ': ', out), input);
  };
  const check = (key, label, onchange = () => on.set({ [key]: e[key].checked })) => {
    const input = h('input', { type: 'checkbox', onchange });
    e[key] = input;
    return h('label', { class: 'check', 'data-control': key }, input, h('span', { text: label }));
  };
  const round = (key, label, child, onclick, cls = 'round') => (e[key] = h('button', { class: cls, 'data-control': key, 'aria-label': label, onclick }, child));

  round('play', 'Play', h('span', { class: 'icon' }), on.playPause, 'play');
  round('step', 'Step one epoch', icon('M3 2 L10 7 L3 12 Z M11 2 H13 V12 H11 Z'), on.step);
  // one mini-batch: the step icon, small (a part of an epoch)
  round('stepBatch', 'Step one mini-batch', icon('M5 4.5 L9.5 7 L5 9.5 Z M10 4.5 H11.5 V9.5 H10 Z'), on.stepBatch);
  round('reset', 'Reset the network', icon('M7 2.5 A4.5 4.5 0 1 1 2.6 6 M7 2.5 L5 0.8 M7 2.5 L5.2 4.4', true), on.reset);
  e.epoch = h('span', { class: 'epoch-value', 'data-testid': 'epoch', text: '0' });

  // The drawer (below 1180 px, lab.css): the data, and below 760 px the hyper-parameters too. It holds no
  // state of its own: a class on .lab; the button's name says what it holds at this width.
  e.drawer = h('button', { class: 'text drawer-toggle', 'data-tip': 'drawer', 'aria-expanded': 'false', 'aria-controls': 'hypers data', onclick: on.drawer },
    h('span', { text: 'Data' }), h('span', { class: 'more', text: ' & settings' }));
  e.help = h('button', { class: 'round help', 'data-control': 'help', 'aria-label': 'Keyboard shortcuts', 'aria-expanded': 'false', title: 'Keyboard shortcuts (?)', onclick: on.help, text: '?' });
  e.slotBar = h('div', { class: 'slot slot-bar' });
  // lecture mode: larger type and thicker lines, a switch the whole room sees the effect of
  e.lecture = h('button', { class: 'round lecture-toggle', 'data-control': 'lecture', 'aria-pressed': 'false', 'aria-label': 'Lecture mode',
    onclick: () => on.set({ lecture: e.lecture.getAttribute('aria-pressed') !== 'true' }) }, h('span', { 'aria-hidden': 'true', text: 'Aa' }));

  const bar = h('div', { class: 'bar' },
    h('div', { class: 'transport' }, e.reset, e.play, e.step, e.stepBatch,
      h('div', { class: 'epoch' }, h('span', { class: 'label', text: 'Epoch', id: 'epoch-label' }), e.epoch)),
    h('div', { class: 'hypers', id: 'hypers' },
      select('learningRate', 'Learning rate'), select('activation', 'Activation'),
      select('regularization', 'Regularization'), select('regularizationRate', 'Regularization rate'),
      select('output', 'Output'), select('cost', 'Cost'),
      check('keepWeights', 'Keep weights'),
      select('init', 'Initialization'), select('speed', 'Epochs / frame')),
    h('div', { class: 'bar-end' }, e.slotBar, e.lecture, e.drawer, e.help));

  // The dataset picker: a WAI-ARIA radio group, one Tab stop; the arrow keys move and select (wireDatasets).
  e.datasets = h('div', { class: 'datasets', role: 'radiogroup', 'aria-label': 'Dataset', 'data-control': 'dataset' },
    [...SCHEMA.dataset.options, ...SCHEMA.dataset.extraOptions].map((o) => datasetButton(o.value, o.label, on)));
  wireDatasets(e.datasets, on);
  e.regenerate = h('button', { class: 'text', 'data-control': 'regenerate', text: 'Regenerate', onclick: on.regenerate });
  e.newWeights = h('button', { class: 'text', 'data-control': 'newWeights', text: 'New weights', onclick: on.newWeights });
  e.slotData = h('div', { class: 'slot slot-data' });
  const dataCol = h('section', { class: 'col data', id: 'data', 'aria-label': 'Data' },
    h('h2', { text: 'Data' }),
    h('p', { class: 'hint', text: 'Which dataset do you want to use?' }),
    e.datasets,
    select('classes', 'Classes'),
    slider('trainRatio', 'Training data', (v) => `${v} %`),
    slider('noise', 'Noise', (v) => String(v)),
    slider('points', 'Points', (v) => String(v), 50),
    slider('batchSize', 'Batch size', (v) => String(v)),
    check('shuffle', 'Shuffle each epoch'),
    h('div', { class: 'data-actions' }, e.regenerate, e.newWeights), e.slotData);
  e.share = h('button', { class: 'text', 'data-control': 'share', text: 'Share / embed',
    'aria-expanded': 'false', onclick: on.share });
  e.sharePanel = h('div', { class: 'share', hidden: true, role: 'region', 'aria-label': 'Share or embed this lab' });
  e.slotOutput = h('div', { class: 'slot slot-output' });
  const toggles = h('div', { class: 'toggles' },
    check('showTestData', 'Show test data'), check('discretize', 'Discretize output'),
    check('linkColor', 'Colour links by gradient', () => on.set({ linkColor: e.linkColor.checked ? 'gradient' : 'weight' })));
  return { els: e, bar, dataCol, toggles };
}

function datasetButton(value, label, on) {
  return h('button', {
    class: 'dataset', 'data-dataset': value, role: 'radio', 'aria-checked': 'false', tabindex: '-1', 'aria-label': label, title: label,
    onclick: () => on.set({ dataset: value }),
  }, h('canvas', { width: 64, height: 64, 'aria-hidden': 'true' }), h('span', { text: label.replace(/ \(regression\)/, '') }));
}

// WAI-ARIA radio group: Tab reaches the checked radio; arrows move focus and select (wrapping); Space and
// Enter select the focused one. Radios added later (own data) take part: the list is read on each key.
function wireDatasets(group, on) {
  group.addEventListener('keydown', (ev) => {
    const radios = [...group.querySelectorAll('.dataset')].filter((b) => !b.hidden);
    const i = radios.indexOf(ev.target);
    if (i < 0) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key];
    let to = -1;
    if (step) to = (i + step + radios.length) % radios.length;
    else if (ev.key === 'Home') to = 0;
    else if (ev.key === 'End') to = radios.length - 1;
    if (to < 0) return;
    ev.preventDefault();
    radios[to].focus();
    on.set({ dataset: radios[to].dataset.dataset });
  });
}

/** Shows state `s` in the controls `e`; `resolved`: the output activation and cost in use. */
export function syncControls(e, s, resolved) {
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
    e[key].setAttribute('aria-valuetext', e[`${key}Fmt`](s[key]));
  }
  e.showTestData.checked = s.showTestData;
  e.shuffle.checked = s.shuffle;
  e.keepWeights.checked = s.keepWeights;
  e.discretize.checked = s.discretize;
  e.linkColor.checked = s.linkColor === 'gradient';
  e.lecture.setAttribute('aria-pressed', String(!!s.lecture));
  e.regularizationRate.disabled = s.regularization === 'none';
  const kind = problemKind(s.dataset);
  // Auto says what it picked, in the control itself.
  const label = (key, value) => SCHEMA[key].options.find((o) => o.value === value)?.label ?? value;
  e.output.querySelector('option[value=auto]').textContent = `Auto (${label('output', resolved.outputActivation).toLowerCase()})`;
  e.cost.querySelector('option[value=auto]').textContent = `Auto (${label('cost', resolved.cost).toLowerCase()})`;
  e.output.disabled = kind === 'multiclass';
  for (const b of e.datasets.querySelectorAll('.dataset')) {
    const on = b.dataset.dataset === s.dataset;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  // The blobs' thumbnail names the number of classes it has now.
  const blobs = e.datasets.querySelector('[data-dataset=blobs]');
  if (blobs) {
    const text = `Blobs (${s.classes} classes)`;
    blobs.setAttribute('aria-label', text); blobs.title = text;
    blobs.querySelector('span').textContent = text;
  }
  // Own data is in the picker once there is some, with a thumbnail of its points.
  const own = e.datasets.querySelector('[data-dataset="own"]');
  own.hidden = s.data === undefined;
  if (s.data !== undefined && own.dataset.drawn !== s.data) {
    own.dataset.drawn = s.data;
    const points = decodePoints(s.data) ?? [], kind = problemKind('own', s.data);
    drawThumbnails(e, { own: {
      points: points.flatMap((p) => [p[0], p[1]]), labels: points.map((p) => p[2]), kind, size: points.length > 200 ? 3 : 5,
    } });
  }
}

/** The dataset picker's thumbnails, from the worker's 'thumbnails' reply. */
export function drawThumbnails(e, thumbs) {
  for (const b of e.datasets.querySelectorAll('.dataset')) {
    if (!Object.hasOwn(thumbs, b.dataset.dataset)) continue;
    const t = thumbs[b.dataset.dataset];
    const c = b.querySelector('canvas'), g = c.getContext('2d');
    g.fillStyle = '#f7f7f7'; g.fillRect(0, 0, c.width, c.height);
    if (!t) continue;
    const scale = c.width / 12, r = t.size ?? 3;
    for (let i = 0; i < t.labels.length; i++) {
      const v = t.labels[i];
      g.fillStyle = t.kind === 'multiclass' ? CLASS_COLORS[v % CLASS_COLORS.length] : t.kind === 'regression' ? (v > 0 ? BLUE : ORANGE) : (v > 0.5 ? BLUE : ORANGE);
      if (t.kind === 'regression') g.globalAlpha = Math.min(1, 0.25 + Math.abs(v));
      g.fillRect((t.points[2 * i] + 6) * scale - r / 2, (6 - t.points[2 * i + 1]) * scale - r / 2, r, r);
      g.globalAlpha = 1;
    }
  }
}

// ---- keyboard and tips ----------------------------------------------------------------------------------

const TEXT_INPUT = /^(text|search|email|url|tel|password|number|date|time|datetime-local|month|week|file)$/;
/** A text field: Space types a space there, always. */
export const isTextField = (t) => !!t && (t.isContentEditable || t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && TEXT_INPUT.test(t.type)));
/**
 * Whether Space goes to the focused element itself rather than to the lab's play/pause: text fields always;
 * buttons, checkboxes, selects and the diagram's neurons (where Space is their own key) when the keyboard
 * took focus there — after a click, Space plays and pauses as it does everywhere else in the lab. A slider
 * and the dataset radios (whose arrows already select) have no use for Space.
 */
export function wantsSpace(t, focusedByPointer) {
  if (!t || isTextField(t)) return !!t;
  if (t === focusedByPointer) return false;
  const tag = t.tagName, role = t.getAttribute?.('role');
  if (tag === 'BUTTON') return role !== 'radio';
  if (tag === 'SELECT' || tag === 'SUMMARY') return true;
  if (tag === 'INPUT') return t.type !== 'range';
  return role === 'button' || role === 'checkbox' || role === 'switch' || role === 'option' || role === 'tab' || role === 'menuitem';
}
