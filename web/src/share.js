// The Share / embed panel (loaded on first use, see "How a feature plugs in" in lab.js): the lab's link, an
// iframe snippet, an element snippet, the whole lab as a file (Save lab / Load lab: settings, data and weights)
// and the model as a file (download / load). Own data too large for a link: the panel says the link holds the
// settings only, and offers the lab file.
import { linkHoldsData } from './state.js';
import { dataInfo } from './data/datatext.js';
import { attach as attachLabFile } from './labfile.js';

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);
  const labFile = attachLabFile(lab);

  function row(label, text, note) {
    const area = h('textarea', { readonly: true, rows: label === 'Link' ? 3 : 4, 'aria-label': label, spellcheck: 'false' });
    area.value = text;
    area.addEventListener('focus', () => area.select());
    const copy = h('button', { class: 'text', text: 'Copy', 'aria-label': `Copy the ${label.toLowerCase()}`, onclick: async () => {
      try { await navigator.clipboard.writeText(text); copy.textContent = 'Copied'; } catch { area.select(); copy.textContent = 'Press Ctrl+C'; }
      setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
    } });
    return h('div', { class: 'share-row' }, h('div', { class: 'share-head' }, h('b', { text: label }), h('span', { class: 'hint', text: note }), copy), area);
  }

  /** (Re)fills the panel for the lab's current state. */
  function fill(panel) {
    const el = lab.element, sn = el.snippets();
    const origin = new URL(sn.element.match(/src="([^"]+)"/)[1]).origin;
    const file = h('input', { type: 'file', accept: '.json,application/json', hidden: true, 'aria-label': 'Model file to load',
      onchange: () => { const f = file.files[0]; file.value = ''; if (f) { el.pause(); el.loadModel(f).catch(() => {}); } } });
    const status = h('span', { class: 'hint share-status', role: 'status' });
    const labInput = h('input', { type: 'file', accept: '.json,application/json', hidden: true, 'aria-label': 'Lab file to load',
      onchange: () => {
        const f = labInput.files[0];
        labInput.value = '';
        if (!f) return;
        labFile.load(f).then(() => { status.textContent = `Loaded ${f.name}.`; }, (e) => {
          status.textContent = e.message;
          lab.notice(e.message, { level: 'error', key: 'model-error' });
        });
      } });
    const saveLab = () => labFile.save().then((n) => { status.textContent = `Saved ${n}.`; }, (e) => { status.textContent = e.message; });
    const labRow = h('div', { class: 'share-row', 'data-control': 'labFile' },
      h('div', { class: 'share-head' }, h('b', { text: 'Lab file' }), h('span', { class: 'hint', text: 'settings, data and weights in one file: loading it goes on exactly where it was' })),
      h('div', { class: 'share-buttons' },
        h('button', { class: 'text', 'data-action': 'save-lab', text: 'Save lab', onclick: saveLab }),
        h('button', { class: 'text', 'data-action': 'load-lab', text: 'Load lab…', onclick: () => labInput.click() }), labInput, status));
    // Own data with more points than a link holds: the link has the settings only.
    const s = lab.state, n = s.data === undefined ? 0 : dataInfo(s.data)?.n ?? 0;
    const tooBig = linkHoldsData(s) ? null : h('p', { class: 'share-warn', role: 'note' },
      `The link holds the settings only: your ${n.toLocaleString('en-US')} points are more than a link holds. `,
      h('button', { class: 'text', text: 'Save lab', title: 'Settings, data and weights in one file', onclick: saveLab }), ' keeps them all in a file.');
    const model = h('div', { class: 'share-row' },
      h('div', { class: 'share-head' }, h('b', { text: 'Model' }), h('span', { class: 'hint', text: 'weights and settings as JSON (the engine\'s toJSON format)' })),
      h('div', { class: 'share-buttons' },
        h('button', { class: 'text', 'data-action': 'export', text: 'Download JSON', onclick: async () => {
          const epoch = el.epoch;
          const json = await el.modelJSON();
          (await import('./model.js')).attach(lab).download(json, epoch);
        } }),
        h('button', { class: 'text', 'data-action': 'import', text: 'Load JSON…', onclick: () => file.click() }), file));
    panel.replaceChildren(
      ...(tooBig ? [tooBig] : []),
      row('Link', sn.link, tooBig ? 'this page, these settings, this seed — without your points' : 'this page, these settings, this seed'),
      row('Iframe', sn.iframe, 'any blog or host, also cross-origin'),
      // The script runs from any site when its server sends CORS headers; else copy dist/ and change src.
      row('Element', sn.element, `any site, if ${origin} serves these files with CORS (Access-Control-Allow-Origin); otherwise copy dist/ to your site and point src at your copy. A CSP needs worker-src blob: ${origin}, and ${origin} in script-src and connect-src.`),
      labRow, model);
    labRow.hidden = !lab.allows('labFile');
  }

  return { fill, labFile };
}

const css = `
.share { margin-top: .75em; display: flex; flex-direction: column; gap: .75em; padding: .75em; background: var(--bp-surface); border: 1px solid var(--bp-border); border-radius: 4px; }
.share-head { display: flex; align-items: baseline; gap: .6em; margin-bottom: .3em; }
.share-head .hint { flex: 1; margin: 0; }
.share-head button.text { margin: 0; padding: 2px 10px; }
.share-buttons { display: flex; gap: .6em; }
.share-buttons button.text { margin: 0; }
.share textarea { width: 100%; font: 0.885em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1px solid var(--bp-line); border-radius: 3px; padding: .45em; resize: vertical; background: var(--bp-field); color: var(--bp-fg); }
@container (max-width: 599px) { .share textarea { font-size: max(1rem, 16px); } }
@media (pointer: coarse) { .share textarea { font-size: max(1rem, 16px); } }
.share-warn { margin: 0; padding: .4em .6em; border-left: 4px solid var(--bp-warn-edge); background: var(--bp-warn); color: var(--bp-fg); border-radius: 3px; }
.share-warn button.text { margin: 0 .2em; padding: .1em .6em; min-height: 24px; }
.share-status { flex: 1; margin: 0; align-self: center; overflow-wrap: anywhere; }
`;
