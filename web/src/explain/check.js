// The gradient check in the page, and the "break an equation" teaching switch (a feature module, see "How a
// feature plugs in" in lab.js).
//
// The check compares backprop's ∂C/∂θ with a 4th-order central difference of the training cost C for every
// parameter (a seeded sample of 2,000 on bigger networks), in float64: the worker loads the full engine for
// it on first use (worker.js fullEngine) and runs it on a float64 copy of the lab's network, its data and its
// broken equation. The switch makes the backward pass deliberately wrong in one of four ways (core/broken.hpp):
// training then follows the broken gradient, the check names the layer where it first fails, and the gradient
// panel shows what that does. It never changes the engine's correct path, and while on the lab says so.
import { fmt } from './math.js';

const OK = 1e-6;   // the relative error a correct float64 backward pass stays under (tests/…: ≤ 1e-6)
export const EQUATIONS = [
  { value: '', label: 'None: the correct equations' },
  { value: 'bp1_no_sigma_prime', label: "BP1 without σ′: δᴸ = ∇ₐC" },
  { value: 'bp2_no_sigma_prime', label: "BP2 without σ′: δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹" },
  { value: 'bp2_no_transpose', label: 'BP2 with W for Wᵀ (square layers)' },
  { value: 'no_batch_mean', label: 'BP3/BP4 without the 1/m (sum, not mean)' },
];
const SUP = (n) => String(n).replace(/\d/g, (c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[c]);
const SUB = (n) => String(n).replace(/\d/g, (c) => '₀₁₂₃₄₅₆₇₈₉'[c]);
/** w^l_jk or b^l_j, neurons counted from 1 as in the book and the diagram's card. */
export const paramName = (l, p) => (p.k < 0 || p.kind === 'b' ? `b${SUP(l)}${SUB(p.j + 1)}` : `w${SUP(l)}${SUB(p.j + 1)}${p.j >= 9 || p.k >= 9 ? ',' : ''}${SUB(p.k + 1)}`);

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);
  let els = null, broken = null, running = null;

  function build() {
    if (els) return;
    const select = h('select', { 'aria-label': 'Break an equation', onchange: () => setBroken(select.value || null) },
      EQUATIONS.map((e) => h('option', { value: e.value, text: e.label })));
    const result = h('div', { class: 'gcheck-result', role: 'status' });
    const run = h('button', { class: 'text', 'data-action': 'check', text: 'Run the check', onclick: () => runCheck().catch(() => {}) });
    const root = h('section', { class: 'gcheck', role: 'region', 'aria-labelledby': 'gcheck-title' },
      h('div', { class: 'gcheck-head' }, h('h2', { id: 'gcheck-title', text: 'Gradient check' }),
        h('button', { class: 'text', 'data-action': 'close', 'aria-label': 'Close the gradient check', text: 'Close', onclick: close })),
      h('p', { class: 'hint', text: 'Backprop against finite differences of the training cost C, in float64, for every parameter (a sample of 2,000 on bigger networks): the largest relative error per layer, and the worst parameter.' }),
      h('div', { class: 'gcheck-row' }, run,
        h('label', { class: 'control gcheck-break' }, h('span', { class: 'label', text: 'Break an equation (teaching)' }), select)),
      result);
    els = { root, select, result, run };
    lab.slot('walk').append(root);
    sync();
  }

  function open() { build(); els.root.scrollIntoView?.({ block: 'nearest' }); els.run.focus(); }
  function close() { els?.root.remove(); els = null; }

  async function runCheck() {
    if (running) return running;
    build();
    els.run.disabled = true;
    // How far it is: a sample of 2,000 parameters on an 8 × 16 net takes seconds. The count is not read out
    // (the result is a live region: a new count every 100 ms would drown the reader); the progress bar is
    // there for a screen reader to query.
    const note = h('span', { text: ' (the float64 engine loads the first time)' }), count = h('span', { 'aria-hidden': 'true' });
    const bar = h('progress', { class: 'gcheck-progress', max: '1', value: '0', 'aria-label': 'Parameters checked' });
    els.result.replaceChildren(h('p', { class: 'gcheck-checking' }, 'Checking…', note, ' ', count), bar);
    const onProgress = (done, total) => {
      note.remove();  // the engine is there
      count.textContent = `${thousands(done)} of ${thousands(total)} parameters`;
      bar.max = total; bar.value = done;
    };
    running = lab.call('gradientCheck', { onProgress }).then((r) => { show(r); return r; }, (e) => {
      if (!e.cancelled) {
        lab.notice(`Gradient check: ${e.message}`, { level: 'error', key: 'check:error' });
        els?.result.replaceChildren(h('p', { text: `The check could not run: ${e.message}` }));
      } else {
        // the lab left the page and its engine stopped: no "Checking…" left behind when it is put back
        els?.result.replaceChildren(h('p', { text: 'The check stopped before it finished (the lab was taken off the page). Run it again for its result.' }));
      }
      throw e;
    }).finally(() => { running = null; if (els) els.run.disabled = false; });
    return running;
  }

  // 12,345 without Intl: its first use loads ICU data on the main thread (a ~40 ms task, over the 50 ms
  // budget with the rest of the result's drawing; bench/page.js 'explain')
  const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

  function show(r) {
    if (!els) return;
    // the first layer flagged from the top is where the backward pass goes wrong (errors flow down from it)
    let failing = null;
    for (let l = r.layers.length; l >= 1; l--) if (r.layers[l - 1].maxRelativeError > OK) { failing = l; break; }
    const verdict = failing === null
      ? h('p', { class: 'gcheck-ok', text: `Backprop agrees with finite differences: largest relative error ${fmt(r.maxRelativeError)} (≤ ${fmt(OK)}) over ${thousands(r.checked)} parameters${r.skipped ? `, ${r.skipped} skipped at a kink` : ''}.` })
      : h('p', { class: 'gcheck-fail', 'data-failing-layer': String(failing), text: `The check fails at layer ${failing}: relative error ${fmt(r.layers[failing - 1].maxRelativeError)}${broken ? ` — the broken equation (${broken}) shows up there first` : ''}.` });
    const rows = r.layers.map((x, i) => {
      const w = x.worst;
      return h('tr', { 'data-layer': String(i + 1), class: x.maxRelativeError > OK ? 'bad' : '' },
        h('th', { scope: 'row', text: String(i + 1) }),
        h('td', { text: fmt(x.maxRelativeError) }),
        h('td', { text: w ? paramName(i + 1, w) : '—' }),
        h('td', { text: w ? `backprop ${fmt(w.backprop)} · finite difference ${fmt(w.finiteDifference)}` : '' }));
    });
    els.result.replaceChildren(verdict,
      h('div', { class: 'gcheck-table', tabindex: '0', role: 'group', 'aria-label': 'The check per layer' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Layer' }), h('th', { scope: 'col', text: 'Max relative error' }),
          h('th', { scope: 'col', text: 'Worst' }), h('th', { scope: 'col', text: 'Its values' }))),
        h('tbody', {}, rows))));
  }

  async function setBroken(name) {
    try {
      await lab.call('setBroken', { name });
      broken = name;
    } catch (e) {
      if (!e.cancelled) lab.notice(`Break an equation: ${e.message}`, { level: 'warning', key: 'check:broken-error' });
      broken = null;
    }
    sync();
    if (els?.result.firstChild) runCheck().catch(() => {});  // the shown result was for the other equations
  }

  // The flag: while an equation is broken the lab says so on top, with a way back (also when this panel is
  // closed). A new network (new data or shape) starts with the correct equations.
  function sync() {
    if (els) els.select.value = broken ?? '';
    if (broken) {
      const label = EQUATIONS.find((e) => e.value === broken)?.label ?? broken;
      lab.notice(`An equation is broken on purpose (${label}): training follows a wrong gradient.`, {
        level: 'warning', key: 'check:broken', priority: 3, actions: [{ label: 'Use the correct equations', run: () => setBroken(null) }],
      });
    } else {
      lab.dismiss('check:broken');
    }
  }
  lab.onFrame((f) => {
    const b = f.broken ?? null;
    if (b !== broken) { broken = b; sync(); }
  });

  // One parameter, for the weight card: { backprop, finiteDifference, relativeError, … } (float64).
  const checkParameter = (l, j, k) => lab.call('gradientCheck', { parameter: [l, j, k] });

  return { open, close, run: () => runCheck(), setBroken, checkParameter, get broken() { return broken; }, destroy: close };
}

export const css = `
.gcheck-head h2 { text-transform: none; letter-spacing: normal; color: var(--bp-fg); }
.gcheck { margin: 1em 0; padding: .9em 1em 1em; background: var(--bp-surface); border: 1px solid var(--bp-border); border-radius: 4px; max-width: 70em; }
.gcheck-head { display: flex; align-items: center; gap: 1em; }
.gcheck-head h2 { font-size: 1.08em; margin: 0; flex: 1; }
.gcheck-head button.text { margin-top: 0; }
.gcheck-row { display: flex; flex-wrap: wrap; align-items: flex-end; gap: .6em 1.5em; }
.gcheck-break { display: inline-flex; flex-direction: column; gap: .2em; }
.gcheck-break select { min-height: max(24px, 2em); max-width: 100%; }
.gcheck-ok { border-left: 3px solid var(--bp-info-edge); background: var(--bp-info); padding: .4em .7em; }
.gcheck-fail { border-left: 3px solid var(--bp-error-edge); background: var(--bp-error); padding: .4em .7em; font-weight: 500; }
.gcheck-table { overflow-x: auto; }
.gcheck-checking { margin-bottom: .3em; }
.gcheck-progress { width: min(100%, 20em); height: .6em; accent-color: var(--bp-accent); }
.gcheck table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.gcheck th, .gcheck td { text-align: left; padding: .25em .8em .25em 0; border-bottom: 1px solid var(--bp-border); white-space: nowrap; }
.gcheck tr.bad td { color: var(--bp-fg); font-weight: 600; }
`;
