// The Share / embed panel (loaded on first use, see "How a feature plugs in" in lab.js): the lab's link, an
// iframe snippet, an element snippet, and the model as a file (download / load).

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);

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
      row('Link', sn.link, 'this page, these settings, this seed'),
      row('Iframe', sn.iframe, 'any blog or host, also cross-origin'),
      // The script runs from any site when its server sends CORS headers; else copy dist/ and change src.
      row('Element', sn.element, `any site, if ${origin} serves these files with CORS (Access-Control-Allow-Origin); otherwise copy dist/ to your site and point src at your copy. A CSP needs worker-src blob: ${origin}, and ${origin} in script-src and connect-src.`),
      model);
  }

  return { fill };
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
`;
