// The lab's controls, DOM only: the top bar (transport, epoch counter, hyper-parameters), the data column
// (dataset picker, sliders, Regenerate), the output column's toggles and Share button, and how they show a
// state. They change nothing themselves: every input calls back into the lab (lab.js), which validates and
// applies. Layout work on the controls happens here and in lab.css, not in lab.js.
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
  svg.setAttribute('viewBox', '0 0 14 14'); svg.setAttribute('width', '14'); svg.setAttribute('height', '14'); svg.setAttribute('aria-hidden', 'true');
  path.setAttribute('d', d);
  if (stroke) { path.setAttribute('fill', 'none'); path.setAttribute('stroke', 'currentColor'); path.setAttribute('stroke-width', '1.6'); path.setAttribute('stroke-linecap', 'round'); }
  else path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}


/**
 * Builds the controls. `on`: { set(patch), playPause(), step(), reset(), regenerate(), newWeights(), share() }. Returns
 * { els, bar, dataCol, toggles }; els holds each input under its state key (with `<key>Out`/`<key>Fmt` for
 * sliders) and play, step, reset, epoch, datasets, regenerate, share, sharePanel.
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
      oninput: () => { out.textContent = fmt(+input.value); },
      onchange: () => on.set({ [key]: +input.value }),
    });
    e[key] = input; e[`${key}Out`] = out; e[`${key}Fmt`] = fmt;
    return h('label', { class: 'control slider', 'data-control': key }, h('span', { class: 'label' }, label, ': ', out), input);
  };
  const check = (key, label, title) => {
    const input = h('input', { type: 'checkbox', onchange: () => on.set({ [key]: input.checked }) });
    e[key] = input;
    return h('label', { class: 'check', 'data-control': key, title }, input, h('span', { text: label }));
  };

  e.play = h('button', { class: 'play', 'data-control': 'play', 'aria-label': 'Play', title: 'Play / pause (space)', onclick: on.playPause },
    h('span', { class: 'icon' }));
  e.step = h('button', { class: 'round', 'data-control': 'step', 'aria-label': 'Step one epoch', title: 'Step one epoch', onclick: on.step }, icon('M3 2 L10 7 L3 12 Z M11 2 H13 V12 H11 Z'));
  e.reset = h('button', { class: 'round', 'data-control': 'reset', 'aria-label': 'Reset the network', title: 'Reset the network to its initial weights (from the seed)', onclick: on.reset },
    icon('M7 2.5 A4.5 4.5 0 1 1 2.6 6 M7 2.5 L5 0.8 M7 2.5 L5.2 4.4', true));
  e.epoch = h('span', { class: 'epoch-value', 'data-testid': 'epoch', text: '0' });

  const bar = h('div', { class: 'bar' },
    h('div', { class: 'transport' }, e.reset, e.play, e.step,
      h('div', { class: 'epoch' }, h('span', { class: 'label', text: 'Epoch' }), e.epoch)),
    h('div', { class: 'hypers' },
      select('learningRate', 'Learning rate'), select('activation', 'Activation'),
      select('regularization', 'Regularization'), select('regularizationRate', 'Regularization rate'),
      select('output', 'Output'), select('cost', 'Cost'),
      check('keepWeights', 'Keep weights', 'A change of activation, output or cost keeps the weights'),
      select('init', 'Initialization'), select('speed', 'Epochs / frame')));

  e.datasets = h('div', { class: 'datasets', role: 'radiogroup', 'aria-label': 'Dataset', 'data-control': 'dataset' },
    [...SCHEMA.dataset.options, ...SCHEMA.dataset.extraOptions].map((o) => h('button', {
      class: 'dataset', 'data-dataset': o.value, role: 'radio', 'aria-label': o.label, title: o.label,
      onclick: () => on.set({ dataset: o.value }),
    }, h('canvas', { width: 64, height: 64 }), h('span', { text: o.label.replace(/ \(regression\)/, '') }))));
  e.regenerate = h('button', { class: 'text', 'data-control': 'regenerate', text: 'Regenerate', title: 'New data from a new seed; the network is kept',
    onclick: on.regenerate });
  e.newWeights = h('button', { class: 'text', 'data-control': 'newWeights', text: 'New weights', title: 'New initial weights (a new weight seed); the data stay',
    onclick: on.newWeights });
  const dataCol = h('section', { class: 'col data', 'aria-label': 'Data' },
    h('h2', { text: 'Data' }),
    h('p', { class: 'hint', text: 'Which dataset do you want to use?' }),
    e.datasets,
    select('classes', 'Classes'),
    slider('trainRatio', 'Training data', (v) => `${v} %`),
    slider('noise', 'Noise', (v) => String(v)),
    slider('points', 'Points', (v) => String(v), 50),
    slider('batchSize', 'Batch size', (v) => String(v)),
    check('shuffle', 'Shuffle each epoch', 'Off: the same order every epoch (fit_partial with batch size 1)'),
    h('div', { class: 'data-actions' }, e.regenerate, e.newWeights));
  e.share = h('button', { class: 'text', 'data-control': 'share', text: 'Share / embed', title: 'A link, an iframe and an element snippet for this exact lab (settings and seed)',
    'aria-expanded': 'false', onclick: on.share });
  e.sharePanel = h('div', { class: 'share', hidden: true, role: 'region', 'aria-label': 'Share or embed this lab' });
  const toggles = h('div', { class: 'toggles' },
    check('showTestData', 'Show test data'), check('discretize', 'Discretize output'),
    h('label', { class: 'check', 'data-control': 'linkColor' },
      (e.linkColor = h('input', { type: 'checkbox', onchange: () => on.set({ linkColor: e.linkColor.checked ? 'gradient' : 'weight' }) })),
      h('span', { text: 'Colour links by gradient' })));
  return { els: e, bar, dataCol, toggles };
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
  }
  e.showTestData.checked = s.showTestData;
  e.shuffle.checked = s.shuffle;
  e.keepWeights.checked = s.keepWeights;
  e.discretize.checked = s.discretize;
  e.linkColor.checked = s.linkColor === 'gradient';
  e.regularizationRate.disabled = s.regularization === 'none';
  const kind = problemKind(s.dataset);
  e.output.title = `in use: ${resolved.outputActivation}`;
  e.cost.title = `in use: ${resolved.cost}`;
  e.output.disabled = kind === 'multiclass';
  for (const b of e.datasets.querySelectorAll('.dataset')) b.setAttribute('aria-checked', String(b.dataset.dataset === s.dataset));
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
