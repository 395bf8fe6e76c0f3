// The keyboard shortcuts panel (the "?" button in the bar, or the ? key; loaded on first use, see "How a
// feature plugs in" in lab.js): every key the lab answers to, in one list, under the bar.

/** [keys, what they do], in the order a reader meets them. */
export const SHORTCUTS = [
  ['Space', 'Play or pause, anywhere in the lab but a text field (on a button, checkbox or menu you reached with Tab, Space is theirs)'],
  ['?', 'Show or hide this list'],
  ['B', 'Step one mini-batch (one SGD step; the epoch counter shows the batches done, e.g. 3 + 2/5)'],
  ['Tab, Shift+Tab', 'Move between the controls'],
  ['← → ↑ ↓, Home, End', 'Dataset picker: pick another dataset'],
  ['← → ↑ ↓, Home, End', 'Network diagram: move between neurons; the boundary view shows the focused one'],
  ['Enter', 'On a neuron: read (and edit) its bias and incoming weights'],
  ['Enter, Esc', 'In that card: apply, or cancel'],
  ['← →, Page Up, Page Down', 'On a slider: change its value'],
  ['↑ ↓', 'Step-through, in Example: pick the next or previous training point'],
  ['← →, Esc', 'Step-through: previous or next step; close the walk'],
  ['Esc', 'Close this list, the drawer, or a tip'],
];

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);
  let panel = null, opener = null;

  function close() {
    panel.hidden = true;
    opener?.setAttribute('aria-expanded', 'false');
    opener?.focus();
  }

  function build() {
    const title = h('h2', { id: 'help-title', tabindex: '-1', text: 'Keyboard shortcuts' });
    const rows = SHORTCUTS.map(([k, what]) => h('tr', {}, h('th', { scope: 'row' }, h('kbd', { text: k })), h('td', { text: what })));
    panel = h('section', { class: 'help-panel', 'aria-labelledby': 'help-title', id: 'help-panel', hidden: true },
      h('div', { class: 'help-head' }, title, h('button', { class: 'text', text: 'Close', onclick: close })),
      h('table', {}, h('tbody', {}, rows)));
    panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); } });
    lab.slot('under-bar').append(panel);
  }

  /** Opens or closes the list; `button` (the "?" button) gets aria-expanded and the focus back. */
  function toggle(button) {
    if (!panel) build();
    opener = button;
    button?.setAttribute('aria-controls', 'help-panel');
    if (!panel.hidden) { close(); return; }
    panel.hidden = false;
    button?.setAttribute('aria-expanded', 'true');
    panel.querySelector('h2').focus();
  }

  return { toggle, get open() { return !!panel && !panel.hidden; } };
}

const css = `
.help-head { display: flex; align-items: center; justify-content: space-between; gap: 1em; }
.help-head button.text { margin: 0; }
.help-panel h2 { margin: 0; }
.help-panel table { border-collapse: collapse; margin-top: .4em; }
.help-panel th, .help-panel td { text-align: left; vertical-align: top; padding: .25em 1em .25em 0; font-weight: 400; }
.help-panel kbd { font: inherit; font-weight: 600; white-space: nowrap; }
`;
