// The controls' one-line explanations (loaded the first time the reader points at, taps or focuses the lab;
// see "How a feature plugs in" in lab.js): each control, found by its data-control name, gets its line as
// the title a mouse shows, as the description a screen reader reads (aria-describedby), and as a tip under
// it on keyboard focus (:focus-visible) and on tap (touch has no hover). The tip goes on blur, Escape, or a
// tap elsewhere.

/** One line per control, by its data-control name (the drawer button: data-tip="drawer"). */
export const DESCRIPTIONS = {
  play: 'Train continuously; press again, or Space, to pause.',
  step: 'Train one epoch: one pass over the training points.',
  stepBatch: 'Train one mini-batch: one SGD step on the next batch of the epoch (B).',
  reset: 'Back to the initial weights (the same ones for the same seed); the data stay.',
  learningRate: 'η: how far each update moves the weights. Too high diverges, too low crawls.',
  activation: 'σ, the function every hidden neuron applies to its weighted input z.',
  regularization: 'A penalty on large weights (L1 or L2) that keeps the network simple.',
  regularizationRate: 'λ: how strong the weight penalty is.',
  output: 'The output neurons’ activation; Auto picks it from the data.',
  cost: 'What training minimises; Auto picks it from the data.',
  init: 'How the initial weights are drawn.',
  speed: 'Epochs trained per animation frame while playing.',
  dataset: 'The points to learn. Arrow keys pick another.',
  classes: 'How many classes the blobs have.',
  trainRatio: 'Share of the points used for training; the rest test the network.',
  noise: 'How far points stray from their class.',
  points: 'How many points the data have.',
  batchSize: 'Examples averaged per weight update (the mini-batch).',
  regenerate: 'New points from a new seed; the network is kept.',
  newWeights: 'New initial weights from a new weight seed; the data stay.',
  shuffle: 'Visit the training points in a new order each epoch; off: the same order (the notes’ fit_partial loop with batch size 1).',
  keepWeights: 'A change of activation, output or cost keeps the current weights where the shapes allow.',
  draw: 'Add points of your own by clicking the plot; click a point to remove it.',
  csv: 'Load points from a CSV file (x1,x2,label), or download the current data.',
  figures: 'Save the boundary, the network or the gradients as PNG or SVG, for slides.',
  labFile: 'The whole lab as one file: settings, data and weights.',
  showTestData: 'Also draw the test points (dark outline).',
  discretize: 'Show the output as hard classes instead of probabilities.',
  linkColor: 'Colour the links by ∂C/∂w instead of by the weight w.',
  lecture: 'Larger type and thicker lines, for a projector.',
  share: 'A link, an iframe and an element snippet for this exact lab.',
  help: 'The keyboard shortcuts.',
  explain: 'Backprop on one training example, BP1 → BP4 with its numbers (or click a point).',
  check: 'Backprop against finite differences, per layer; and a switch that breaks an equation on purpose.',
  hidden: 'The input plane and the data as a hidden layer sees them.',
  drawer: 'Show or hide the data and the training settings.',
};

const keyOf = (el) => el?.dataset.tip ?? el?.dataset.control;
const controlOf = (t) => t?.closest?.('[data-control], [data-tip]') ?? null;

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h, root } = lab, box = root.querySelector('.lab');
  lab.addStyles(css);
  const tip = h('div', { class: 'tip', 'aria-hidden': 'true', hidden: true });
  box.append(tip);
  let shownFor = null;

  // descriptions for screen readers, and the mouse's title; controls added later (feature modules) too
  const describe = () => {
    for (const c of root.querySelectorAll('[data-control], [data-tip]')) {
      const key = keyOf(c), text = DESCRIPTIONS[key];
      if (!text || c.dataset.described) continue;
      c.dataset.described = '1';
      const id = `desc-${key}`;
      if (!root.getElementById(id)) box.append(h('span', { id, class: 'sr-only', text }));
      const target = c.matches('button, input, select, [role=radiogroup]') ? c : c.querySelector('input, select, button');
      target?.setAttribute('aria-describedby', id);
      if (!c.title) c.title = text;
    }
  };

  const hide = () => { tip.hidden = true; shownFor = null; };
  const show = (control) => {
    const text = DESCRIPTIONS[keyOf(control)];
    if (!text) { hide(); return; }
    tip.textContent = text;
    tip.hidden = false;
    shownFor = control;
    const l = box.getBoundingClientRect(), r = control.getBoundingClientRect();
    const x = Math.max(4, Math.min(r.left - l.left, l.width - tip.offsetWidth - 4));
    tip.style.left = `${Math.round(x)}px`;
    tip.style.top = `${Math.round(r.bottom - l.top + 4)}px`;
  };
  const focused = (t) => { if (t?.matches?.(':focus-visible')) show(controlOf(t)); else if (shownFor && !shownFor.contains(t)) hide(); };

  box.addEventListener('focusin', (ev) => focused(ev.composedPath()[0]));
  box.addEventListener('focusout', (ev) => { if (shownFor && !shownFor.contains(ev.relatedTarget)) hide(); });
  box.addEventListener('pointerdown', (ev) => {
    const t = ev.composedPath()[0], c = controlOf(t);
    describe();
    if (ev.pointerType !== 'mouse' && c) show(c); else if (shownFor && !shownFor.contains(t)) hide();
  });
  box.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !tip.hidden) hide(); });
  box.addEventListener('focusin', describe, true);
  describe();
  focused(root.activeElement);  // the focus that loaded this module
  return { describe, hide, show };
}

const css = `
.tip { position: absolute; z-index: 20; max-width: min(22em, 90%); padding: .4em .65em; border-radius: 4px; background: var(--bp-fg); color: var(--bp-bg);
  font-size: 0.923em; line-height: 1.35; pointer-events: none; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
`;
