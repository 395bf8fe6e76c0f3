// Draw mode on the decision boundary (loaded on first use, see "How a feature plugs in" in lab.js): click or tap
// the plot to add a point of the chosen class (or, for regression, of the chosen target value), click a point to
// remove it (long-press on touch), Clear, Undo. The keyboard has the same: the plot takes focus and shows a cursor
// that the arrow keys move; Enter adds, Delete removes the point under it, 1–5 pick the class.
//
// The points become own data (dataset 'own', the state's `data`) after every edit, and the network is kept: it
// goes on training over the changed data, live. Started on a generated dataset, the first edit turns its points
// into own data, so a reader can add to or thin out the data in front of them; Clear starts from nothing.
import { encodeData, decodeData, splitData, OWN_LIMITS } from './data/points.js';
import { ORANGE, BLUE, CLASS_COLORS, diverging } from './colors.js';

const EXTENT = 6;
const STEP = 0.5, FINE = 0.1;       // keyboard cursor steps (Shift: fine)
const LONG_PRESS = 550;             // ms
const UNDO = 200;                   // edits kept for Undo
const fmt = (n) => n.toLocaleString('en-US');
const num = (v) => (Math.round(v * 100) / 100).toFixed(2).replace('-', '−');
const regColor = diverging(-1, 1);

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);
  const view = lab.slot('boundary'), map = view.querySelector('.boundary-map');
  const button = lab.slot('tools').querySelector('[data-control="draw"]');
  const uid = Math.random().toString(36).slice(2, 8);

  let on = false;
  let points = [];          // the points being shown and edited: [[x1, x2, label], …]
  let isTest = new Set();   // indices of test points (the lab's split)
  let kind = 'binary', classes = 2, cls = 0, target = 0.5;   // what a new point gets
  let empty = false;        // Clear: no points yet; the lab keeps its last data until one is added
  let before = null;        // what the lab had before Clear (Undo brings it back)
  const undo = [];          // earlier { dataset, data, empty }
  let cursor = [0, 0], cursorShown = false;
  let hover = -1;           // the point a click would remove
  let press = null;         // the pointer down: { id, x, y, type, timer, done }
  let shownKey = '';        // the data the points were last read from
  let dpr = 1, size = 0;

  // ---- the surface over the plot: a canvas for the points and the cursor, focusable, taking the pointer ----
  const canvas = h('canvas', { class: 'draw-canvas', 'aria-hidden': 'true' });
  const hintId = `draw-hint-${uid}`;
  const surface = h('div', {
    class: 'draw-surface', tabindex: '0', role: 'application', 'aria-roledescription': 'drawing area',
    'aria-label': 'Your data: arrow keys move the cursor, Enter adds a point, Delete removes the point under the cursor',
    'aria-describedby': hintId, hidden: true,
  }, canvas);
  map.append(surface);

  // ---- the tool panel under the plot ----------------------------------------------------------------------
  const classRow = h('div', { class: 'draw-classes', role: 'radiogroup', 'aria-label': 'Class of new points' });
  const kindSel = h('select', { 'aria-label': 'Kind of data', onchange: () => setKind(kindSel.value) },
    [2, 3, 4, 5].map((k) => h('option', { value: String(k), text: `${k} classes` })), h('option', { value: 'regression', text: 'Regression' }));
  const targetOut = h('output', { class: 'draw-target-value' });
  const targetIn = h('input', { type: 'range', min: -1, max: 1, step: 0.05, 'aria-label': 'Target value of new points',
    oninput: () => { target = +targetIn.value; syncTarget(); } });
  const targetChip = h('i', { class: 'draw-chip' });
  const targetRow = h('label', { class: 'draw-target' }, h('span', { text: 'Value' }), targetChip, targetIn, targetOut);
  const undoBtn = h('button', { class: 'text', type: 'button', text: 'Undo', title: 'Undo the last change (Ctrl+Z)', onclick: () => doUndo() });
  const clearBtn = h('button', { class: 'text', type: 'button', text: 'Clear', title: 'Remove every point (Undo brings them back)', onclick: () => clear() });
  const allBtn = h('button', { class: 'text', type: 'button', text: 'Train on all', title: 'Training ratio 100 %: every point trains, none is held out for testing', onclick: () => lab.set({ trainRatio: 100 }, { keepNetwork: true }) });
  const doneBtn = h('button', { class: 'text', type: 'button', text: 'Done', title: 'Leave draw mode (Esc)', onclick: () => close() });
  const count = h('span'), said = h('span');
  const status = h('p', { class: 'draw-status', role: 'status' }, count, ' ', said);
  const hint = h('p', { class: 'draw-hint', id: hintId,
    text: 'Click or tap the plot to add a point; click a point to remove it (touch: long-press). Keyboard: focus the plot, arrows move the cursor (Shift: finer), Enter adds, Delete removes, 1–5 pick the class, Ctrl+Z undoes, Esc leaves.' });
  const panel = h('div', { class: 'draw-panel', role: 'group', 'aria-label': 'Draw your own data', hidden: true },
    h('div', { class: 'draw-row' }, h('label', { class: 'draw-kind' }, h('span', { text: 'Data' }), kindSel), classRow, targetRow),
    h('div', { class: 'draw-row' }, undoBtn, clearBtn, allBtn, doneBtn),
    status, hint);
  lab.slot('toolPanel').append(panel);

  // ---- reading the lab's data ------------------------------------------------------------------------------
  const keyOf = (s, f) => (s.dataset === 'own' ? `own|${s.data}|${s.trainRatio}|${s.seed}` : `gen|${s.dataset}|${f?.data?.train?.length}|${String(f?.data?.train?.[0])}|${s.trainRatio}|${s.seed}`);
  function read() {
    const s = lab.state, f = lab.frame;
    const key = keyOf(s, f);
    if (key === shownKey || empty) return;
    const d = lab.element.data;
    if (!d) return;
    shownKey = key;
    points = d.points.map((p) => [p[0], p[1], p[2]]);
    if (s.dataset === 'own') isTest = new Set(splitData(points.length, s.trainRatio, s.seed).test);
    else { const n = (f?.data?.train.length ?? 0) / 2; isTest = new Set(points.map((_, i) => i).filter((i) => i >= n)); }
    kind = d.kind === 'regression' ? 'regression' : 'classes';
    classes = d.kind === 'regression' ? classes : d.classes;
    if (kind === 'classes' && cls >= classes) cls = 0;
    hover = -1;
    syncPanel();
    render();
  }
  lab.onFrame(() => { if (on) read(); });

  function classesOf() { return kind === 'regression' ? 0 : classes; }
  function colorOf(label) {
    if (kind === 'regression') return regColor(label);
    return classes === 2 ? (label ? BLUE : ORANGE) : CLASS_COLORS[label % CLASS_COLORS.length];
  }

  // ---- edits ------------------------------------------------------------------------------------------------
  function commit(next, message) {
    if (next.length > OWN_LIMITS.maxPoints) { say(`At most ${fmt(OWN_LIMITS.maxPoints)} points: remove some first.`); return false; }
    const k = classesOf();
    let text;
    try {
      text = encodeData({ points: next, kind: k ? (k === 2 ? 'binary' : 'multiclass') : 'regression', ...(k ? { classes: k } : {}) });
    } catch (e) { say(e.message); return false; }
    const s = lab.state;
    undo.push(empty ? { ...before, empty: true } : { dataset: s.dataset, data: s.data, trainRatio: s.trainRatio });
    if (undo.length > UNDO) undo.shift();
    empty = false;
    before = null;
    lab.set({ dataset: 'own', data: text }, { keepNetwork: true });
    const after = lab.state;
    shownKey = keyOf(after);
    points = decodeData(text).points;
    isTest = new Set(splitData(points.length, after.trainRatio, after.seed).test);
    syncPanel();
    render();
    say(message);
    return true;
  }

  function add(x1, x2) {
    const x = Math.max(-EXTENT, Math.min(EXTENT, x1)), y = Math.max(-EXTENT, Math.min(EXTENT, x2));
    const label = kind === 'regression' ? target : cls;
    if (commit([...points, [x, y, label]], `Added ${kind === 'regression' ? `a point of value ${num(label)}` : `a class ${label} point`} at (${num(x)}, ${num(y)}).`)) hover = -1;
  }
  function remove(i) {
    if (i < 0 || i >= points.length) return;
    const [x, y] = points[i];
    if (points.length === 1) { clear(); return; }
    hover = -1;
    commit(points.filter((_, j) => j !== i), `Removed the point at (${num(x)}, ${num(y)}).`);
  }
  function clear() {
    if (empty) return;
    const s = lab.state;
    before = { dataset: s.dataset, data: s.data, trainRatio: s.trainRatio };
    empty = true;
    points = [];
    isTest = new Set();
    hover = -1;
    lab.pause();
    syncPanel();
    render();
    say('Cleared: add a point to start new data (Undo brings the old points back).');
  }
  function doUndo() {
    if (empty) {   // Clear, and nothing added since: the points come back
      empty = false;
      before = null;
      shownKey = '';
      read();
      say('Undone: the points are back.');
      return;
    }
    const u = undo.pop();
    if (!u) { say('Nothing to undo.'); return; }
    empty = false;
    before = null;
    shownKey = '';
    const patch = { dataset: u.dataset, data: u.data, trainRatio: u.trainRatio };
    if (u.data === undefined) delete patch.data;
    lab.set(patch, { keepNetwork: true });
    if (lab.state.dataset === 'own' || u.data !== undefined) read();
    syncPanel();
    render();
    say('Undone.');
  }

  // Kind of the data: more classes keep every point; fewer are offered only down to the largest class in use;
  // classes ↔ values only without points (their labels mean different things).
  function setKind(v) {
    const next = v === 'regression' ? 'regression' : 'classes', k = v === 'regression' ? classes : Number(v);
    if (points.length && next !== kind) { syncPanel(); say('Clear the points first: class labels and values do not convert.'); return; }
    kind = next;
    classes = k;
    if (cls >= classes) cls = classes - 1;
    if (points.length && kind === 'classes') commit(points, `${classes} classes.`);
    else { syncPanel(); render(); }
  }

  // ---- the panel ----------------------------------------------------------------------------------------------
  function syncPanel() {
    const used = kind === 'classes' && points.length ? Math.max(...points.map((p) => p[2])) + 1 : 2;
    kindSel.value = kind === 'regression' ? 'regression' : String(classes);
    for (const o of kindSel.options) {
      o.disabled = points.length > 0 && (o.value === 'regression' ? kind !== 'regression' : kind === 'regression' || Number(o.value) < used);
    }
    targetRow.hidden = kind !== 'regression';
    classRow.hidden = kind === 'regression';
    if (kind === 'classes' && classRow.childElementCount !== classes) {
      classRow.replaceChildren(...Array.from({ length: classes }, (_, j) => {
        const input = h('input', { type: 'radio', name: `draw-class-${uid}`, value: String(j), onchange: () => { cls = j; render(); } });
        const chip = h('i', { class: 'draw-chip' });
        chip.style.background = colorOf(j);
        return h('label', { class: 'draw-class', title: `New points: class ${j} (key ${j + 1})` }, input, chip, h('span', { text: `class ${j}` }));
      }));
    }
    classRow.querySelectorAll('input').forEach((r, j) => { r.checked = j === cls; });
    syncTarget();
    const s = lab.state, nTest = isTest.size;
    undoBtn.disabled = undo.length === 0 && !empty;
    clearBtn.disabled = empty || points.length === 0;
    allBtn.hidden = s.trainRatio === 100;
    const where = empty ? 'No points: click the plot to add the first.'
      : `${fmt(points.length)} ${points.length === 1 ? 'point' : 'points'}${nTest ? `, ${fmt(nTest)} held out for testing (dark ring)` : ', all training'}.`;
    if (count.textContent !== where) count.textContent = where;
  }
  function syncTarget() {
    targetIn.value = String(target);
    targetOut.textContent = num(target);
    targetChip.style.background = regColor(target);
  }
  // Edits are said in the status line (a live region), after the count.
  function say(text) { said.textContent = text; }

  // ---- drawing the overlay -----------------------------------------------------------------------------------
  const ro = new ResizeObserver(() => resize());
  function resize() {
    const w = map.clientWidth, r = window.devicePixelRatio || 1;
    if (w === size && r === dpr) return;
    size = w; dpr = r;
    canvas.width = canvas.height = Math.max(1, Math.round(w * r));
    render();
  }
  const toPx = (v) => ((v + EXTENT) / (2 * EXTENT)) * size;
  const fromPx = (p) => (p / size) * 2 * EXTENT - EXTENT;
  function render() {
    if (!on) return;
    const g = canvas.getContext('2d'), w = canvas.width;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, w, w);
    g.scale(dpr, dpr);
    const r = points.length > 1500 ? 2.75 : 3.5;
    points.forEach(([x1, x2, label], i) => {
      g.beginPath();
      g.arc(toPx(x1), toPx(-x2), r, 0, 2 * Math.PI);
      g.fillStyle = colorOf(label);
      g.fill();
      g.lineWidth = isTest.has(i) ? 1.5 : 1;
      g.strokeStyle = isTest.has(i) ? '#222' : '#fff';
      g.stroke();
    });
    if (hover >= 0 && points[hover]) {   // the point a click removes: ringed and crossed
      const x = toPx(points[hover][0]), y = toPx(-points[hover][1]);
      g.lineWidth = 2; g.strokeStyle = '#d93025';
      g.beginPath(); g.arc(x, y, r + 4, 0, 2 * Math.PI); g.stroke();
      g.beginPath(); g.moveTo(x - 3, y - 3); g.lineTo(x + 3, y + 3); g.moveTo(x + 3, y - 3); g.lineTo(x - 3, y + 3); g.stroke();
    }
    if (cursorShown) {   // the keyboard cursor: a cross-hair in the colour of the next point
      const x = toPx(cursor[0]), y = toPx(-cursor[1]);
      g.lineWidth = 2; g.strokeStyle = '#111';
      g.beginPath(); g.arc(x, y, 9, 0, 2 * Math.PI); g.stroke();
      g.lineWidth = 1.5; g.strokeStyle = kind === 'regression' ? regColor(target) : colorOf(cls);
      g.beginPath(); g.moveTo(x - 14, y); g.lineTo(x - 5, y); g.moveTo(x + 5, y); g.lineTo(x + 14, y);
      g.moveTo(x, y - 14); g.lineTo(x, y - 5); g.moveTo(x, y + 5); g.lineTo(x, y + 14); g.stroke();
    }
  }

  // ---- pointer ------------------------------------------------------------------------------------------------
  function local(ev) {
    const b = surface.getBoundingClientRect();
    // in the plot's own CSS px (what toPx and fromPx use): under a host page's CSS zoom the client rect is
    // zoomed and clientWidth is not
    const k = b.width > 0 ? surface.clientWidth / b.width : 1;
    return [(ev.clientX - b.left) * k, (ev.clientY - b.top) * k];
  }
  // The point nearest to (px, py), within `radius` pixels; −1 if none.
  function hit(px, py, radius) {
    let best = -1, bestD = radius * radius;
    points.forEach(([x1, x2], i) => {
      const dx = toPx(x1) - px, dy = toPx(-x2) - py, d = dx * dx + dy * dy;
      if (d <= bestD) { best = i; bestD = d; }
    });
    return best;
  }
  surface.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    const [x, y] = local(ev);
    press = { id: ev.pointerId, x, y, type: ev.pointerType, done: false, timer: 0 };
    if (ev.pointerType === 'touch') {
      press.timer = setTimeout(() => {
        const i = hit(press.x, press.y, 20);
        if (i >= 0) { press.done = true; remove(i); }
      }, LONG_PRESS);
    }
  });
  surface.addEventListener('pointermove', (ev) => {
    const [x, y] = local(ev);
    if (press && press.id === ev.pointerId && Math.hypot(x - press.x, y - press.y) > 10) { clearTimeout(press.timer); press.done = true; }
    if (ev.pointerType !== 'touch') {
      const i = hit(x, y, 8);
      if (i !== hover) { hover = i; surface.style.cursor = i >= 0 ? 'pointer' : 'crosshair'; render(); }
    }
  });
  surface.addEventListener('pointerleave', () => { if (hover >= 0) { hover = -1; render(); } });
  surface.addEventListener('pointercancel', () => { if (press) clearTimeout(press.timer); press = null; });
  surface.addEventListener('pointerup', (ev) => {
    const p = press;
    press = null;
    if (!p || p.id !== ev.pointerId) return;
    clearTimeout(p.timer);
    if (p.done) return;
    const [x, y] = local(ev);
    cursorShown = false;
    const i = p.type === 'touch' ? -1 : hit(x, y, 8);
    if (i >= 0) remove(i);
    else add(fromPx(x), -fromPx(y));
  });
  surface.addEventListener('contextmenu', (ev) => ev.preventDefault());   // a long-press is ours

  // ---- keyboard -----------------------------------------------------------------------------------------------
  surface.addEventListener('focus', () => { cursorShown = true; render(); say(`Cursor at (${num(cursor[0])}, ${num(cursor[1])}).`); });
  surface.addEventListener('blur', () => { cursorShown = false; render(); });
  surface.addEventListener('keydown', (ev) => {
    const step = ev.shiftKey ? FINE : STEP;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[ev.key];
    if (move) {
      cursor = cursor.map((c, i) => Math.round(Math.max(-EXTENT, Math.min(EXTENT, c + move[i])) * 100) / 100);
      cursorShown = true;
      hover = hit(toPx(cursor[0]), toPx(-cursor[1]), 6);
      render();
      say(`Cursor at (${num(cursor[0])}, ${num(cursor[1])})${hover >= 0 ? ', on a point: Delete removes it' : ''}.`);
    } else if (ev.key === 'Enter' || ev.key === ' ') add(cursor[0], cursor[1]);
    else if (ev.key === 'Delete' || ev.key === 'Backspace') {
      const i = hit(toPx(cursor[0]), toPx(-cursor[1]), 6);
      if (i >= 0) remove(i); else say('No point under the cursor.');
    } else if (/^[1-5]$/.test(ev.key) && kind === 'classes' && Number(ev.key) <= classes) { cls = Number(ev.key) - 1; syncPanel(); render(); say(`New points: class ${cls}.`); }
    else if ((ev.key === 'z' || ev.key === 'Z') && (ev.ctrlKey || ev.metaKey)) doUndo();
    else if (ev.key === 'Escape') { close(); button.focus(); }
    else if (ev.key === 'Home') { cursor = [0, 0]; render(); }
    else return;
    ev.preventDefault();
    ev.stopPropagation();   // Space adds a point here, it does not toggle play
  });

  // ---- open / close -------------------------------------------------------------------------------------------
  function open() {
    if (on) { close(); return; }
    on = true;
    shownKey = '';
    surface.hidden = false;
    panel.hidden = false;
    view.classList.add('drawing');
    button.setAttribute('aria-pressed', 'true');
    ro.observe(map);
    resize();
    read();
    syncPanel();
    render();
    say('Draw mode.');
  }
  function close() {
    if (!on) return;
    on = false;
    if (empty) { empty = false; before = null; shownKey = ''; }  // nothing was added after Clear: the data stay as they were
    surface.hidden = true;
    panel.hidden = true;
    view.classList.remove('drawing');
    button.setAttribute('aria-pressed', 'false');
    ro.disconnect();
  }

  return { open, close, get on() { return on; }, destroy() { close(); surface.remove(); panel.remove(); } };
}

export const css = `
.drawing .boundary-points { visibility: hidden; }
.draw-surface { position: absolute; inset: 0; cursor: crosshair; touch-action: manipulation; user-select: none; -webkit-user-select: none; -webkit-touch-callout: none; }
.draw-surface:focus-visible { outline: 3px solid var(--bp-focus); outline-offset: -3px; }
.draw-canvas { position: absolute; inset: 0; width: 100%; height: 100%; }
.draw-panel { margin: .5em 0 0; padding: .6em .75em; border: 1px solid var(--bp-border); border-radius: 4px; background: var(--bp-surface); font-size: .92em; }
.draw-row { display: flex; flex-wrap: wrap; align-items: center; gap: .4em .75em; }
.draw-row + .draw-row { margin-top: .45em; }
.draw-row button.text { margin: 0; min-height: 24px; }
.draw-kind { display: inline-flex; align-items: center; gap: .4em; }
.draw-kind select { min-height: 24px; font: inherit; color: var(--bp-fg); background: var(--bp-field); border: 1px solid var(--bp-line); border-radius: 3px; }
.draw-classes { display: flex; flex-wrap: wrap; gap: .2em .6em; }
.draw-class { display: inline-flex; align-items: center; gap: .3em; min-height: 24px; cursor: pointer; }
.draw-class input { margin: 0; width: 1.25em; height: 1.25em; min-width: 16px; min-height: 16px; accent-color: var(--bp-accent); }
.draw-chip { display: inline-block; width: .85em; height: .85em; border-radius: 50%; border: 1px solid var(--bp-line); }
.draw-target { display: inline-flex; align-items: center; gap: .4em; min-height: 24px; }
.draw-target input { width: 8em; accent-color: var(--bp-accent); }
.draw-target-value { min-width: 3em; font-variant-numeric: tabular-nums; }
.draw-status { margin: .5em 0 0; color: var(--bp-fg); }
.draw-hint { margin: .3em 0 0; color: var(--bp-muted); font-size: .92em; line-height: 1.35; }
`;
