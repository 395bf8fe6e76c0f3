// First-visit hints (loaded on first use, see "How a feature plugs in" in lab.js): three short tips in a line
// under the bar — play, the neurons, the weights — each pointing at what it is about with a ring. Shown only
// where the page asked for them (the `hints` attribute) and until they were seen once: finishing or skipping
// them is remembered in localStorage (under the key lab.js passes to start()).

const STEPS = [
  { at: '[data-control=play]', text: 'Press play (or Space) to train the network; the step button trains one epoch at a time.' },
  // the ring goes around every neuron (`ring`): their container is an overlay of no height, whose own ring was
  // a line through the labels; the container decides whether the tip is shown (it is there before the neurons)
  { at: '.view-network .network-neurons', ring: '.network-node', text: 'Hover over a neuron, or tap it, to see what it computes over the whole plane.' },
  { at: '.view-network .network-stage', text: 'Click a link (a weight w) or a bias square (b) to read its value and gradient; click again to edit it.' },
];

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);
  let box = null, i = 0, key = '', targets = [], off = null;

  const mark = (els) => {
    for (const t of targets) t.classList.remove('hint-target');
    targets = els;
    for (const t of targets) t.classList.add('hint-target');
  };
  function done() {
    try { localStorage.setItem(key, 'done'); } catch { /* private mode: they show again next time */ }
    mark([]);
    off?.();
    box?.remove();
    box = null;
  }
  function show() {
    const steps = STEPS.filter((s) => { const el = lab.root.querySelector(s.at); return el && el.getClientRects().length > 0; });
    if (i >= steps.length) { done(); return; }
    const s = steps[i], last = i === steps.length - 1;
    const at = lab.root.querySelector(s.at);
    mark(s.ring ? [...at.querySelectorAll(s.ring)] : [at]);
    box.replaceChildren(
      h('p', {}, h('b', { text: `Tip ${i + 1} of ${steps.length}: ` }), s.text),
      h('div', { class: 'hints-buttons' },
        h('button', { class: 'text', text: last ? 'Got it' : 'Next', onclick: () => { i++; show(); } }),
        last ? null : h('button', { class: 'text', text: 'Skip tips', onclick: done })));
  }

  /** Starts the tips (once); `storageKey`: where "seen" is remembered. */
  function start(storageKey) {
    if (box) return;
    key = storageKey;
    box = h('div', { class: 'hints', role: 'note', 'aria-label': 'Tips for a first visit', 'aria-live': 'polite' });
    lab.slot('under-bar').prepend(box);
    show();
    // the first tip is done when the lab plays
    off = lab.onFrame(() => { if (i === 0 && lab.playing && box) { i = 1; show(); } });
  }

  return { start, destroy: done };
}

const css = `
.hints { display: flex; flex-wrap: wrap; align-items: center; gap: .4em 1em; }
.hints p { margin: 0; flex: 1 1 20em; }
.hints-buttons { display: flex; gap: .5em; }
.hints button.text { margin: 0; }
.hint-target { outline: 3px solid var(--bp-accent); outline-offset: 3px; }
/* the diagram's stage fills a scroller that clips what lies outside it: its ring goes inside */
.network-stage.hint-target { outline-offset: -3px; }
`;
