// The CSV dialog (loaded on first use, see "How a feature plugs in" in lab.js): paste or upload x1,x2,label, see
// at once what was read (how the labels were understood, how many points) or the line and column of the first
// problem, choose whether points outside the view are fitted to it (the rescale is shown, and undoable after
// loading), then Load; or download the current data as CSV. Nothing changes until a whole file is valid: Load
// is el.loadCSV(), which checks the text again and keeps the data and network on any error.
import { parseCSV, fitToView, describeTransform, CSV_LIMITS } from './data/csv.js';
import { OWN_LIMITS } from './data/points.js';

const fmt = (n) => n.toLocaleString('en-US');
const EXAMPLE = 'x1,x2,label\n-1,-1,0\n-1,1,1\n1,-1,1\n1,1,0';

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const { h } = lab;
  lab.addStyles(css);
  let dialog = null, opener = null, parsed = null, name = 'pasted text', timer = 0;
  const els = {};

  function check() {
    clearTimeout(timer);
    const text = els.text.value;
    parsed = null;
    els.result.className = 'csv-result';
    els.fit.hidden = true;
    if (text.trim() === '') {
      els.result.textContent = `Paste rows of x1,x2,label or choose a file (up to ${fmt(OWN_LIMITS.maxPoints)} rows).`;
      els.load.disabled = true;
      return;
    }
    try {
      parsed = parseCSV(text);
    } catch (e) {
      els.result.classList.add('csv-error');
      els.result.textContent = e.message;
      els.load.disabled = true;
      return;
    }
    els.result.classList.add('csv-ok');
    // the summary says how the labels were read: class indices, integers as classes, class names, or regression
    els.result.textContent = `Read ${parsed.summary}${parsed.header ? ` Header: ${parsed.header.join(', ')}.` : ''}`;
    if (parsed.outside) {
      const { transform } = fitToView(parsed.points, { kind: parsed.kind });
      els.fitText.textContent = `Fit to the view: ${describeTransform(transform)}`;
      els.fit.hidden = false;
    }
    els.load.disabled = false;
  }

  async function load() {
    if (!parsed) return;
    els.load.disabled = true;
    try {
      const r = await lab.element.loadCSV(els.text.value, { fit: els.fitBox.checked, name });
      dialog.close();
      return r;
    } catch (e) {
      els.result.className = 'csv-result csv-error';
      els.result.textContent = e.message;
    } finally {
      els.load.disabled = !parsed;
    }
  }

  async function readFile(file) {
    name = file.name || 'the file';
    els.fileName.textContent = name;
    // The size before a byte is read: a huge file is refused here, not after the tab has read it all.
    if (file.size > CSV_LIMITS.maxChars * 4) {
      parsed = null;
      els.result.className = 'csv-result csv-error';
      els.result.textContent = `${name} is ${(file.size / 1e6).toFixed(1)} MB, more than the limit of about 1 MB (${fmt(CSV_LIMITS.maxRows)} rows).`;
      els.load.disabled = true;
      return;
    }
    els.text.value = await file.text();
    check();
  }

  function downloadCSV() {
    lab.feature('own').then((f) => { const n = f.downloadCSV(); els.dlNote.textContent = `Saved ${fmt(n)} points.`; })
      .catch((e) => { els.dlNote.textContent = e.message; });
  }

  function build() {
    els.text = h('textarea', { class: 'csv-text', rows: 8, wrap: 'off', spellcheck: 'false', 'aria-label': 'CSV text: x1,x2,label per line',
      placeholder: EXAMPLE, oninput: () => { name = 'pasted text'; els.fileName.textContent = ''; clearTimeout(timer); timer = setTimeout(check, 150); } });
    els.file = h('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv,text/plain', hidden: true, 'aria-label': 'CSV file',
      onchange: () => { const f = els.file.files[0]; els.file.value = ''; if (f) readFile(f); } });
    els.fileName = h('span', { class: 'csv-file' });
    els.result = h('p', { class: 'csv-result', role: 'status' });
    els.fitBox = h('input', { type: 'checkbox', checked: true });
    els.fitText = h('span');
    els.fit = h('label', { class: 'csv-fit', hidden: true }, els.fitBox, els.fitText);
    els.load = h('button', { class: 'text csv-primary', type: 'button', text: 'Load', disabled: true, onclick: () => load() });
    els.dlNote = h('span', { class: 'csv-note' });
    const fmtHelp = `x1,x2,label per line; a header line is optional; commas, semicolons or tabs; labels 0/1, class indices 0–4 or class names (up to ${CSV_LIMITS.maxClasses} classes), or numbers for regression. Up to ${fmt(CSV_LIMITS.maxRows)} rows.`;
    dialog = h('dialog', { class: 'csv-dialog', 'aria-labelledby': 'csv-title' },
      h('h2', { id: 'csv-title', text: 'Your data as CSV' }),
      h('section', { class: 'csv-sec', 'aria-label': 'Load' },
        h('h3', { text: 'Load points' }),
        h('p', { class: 'hint', text: fmtHelp }),
        els.text,
        h('div', { class: 'csv-row' }, h('button', { class: 'text', type: 'button', text: 'Choose a file…', onclick: () => els.file.click() }), els.file, els.fileName),
        els.result, els.fit,
        h('div', { class: 'csv-row csv-actions' }, els.load, h('button', { class: 'text', type: 'button', text: 'Cancel', onclick: () => dialog.close() }))),
      h('section', { class: 'csv-sec', 'aria-label': 'Download' },
        h('h3', { text: 'Download the current data' }),
        h('div', { class: 'csv-row' }, h('button', { class: 'text', type: 'button', text: 'Download CSV', onclick: downloadCSV }), els.dlNote),
        h('p', { class: 'hint', text: 'x1,x2,label,set: each point with its class (or value) and whether it trains or tests.' })));
    // A file dropped on the dialog is read like a chosen one.
    dialog.addEventListener('dragover', (e) => e.preventDefault());
    dialog.addEventListener('drop', (e) => { e.preventDefault(); const f = e.dataTransfer?.files?.[0]; if (f) readFile(f); });
    dialog.addEventListener('close', () => opener?.focus());
    lab.root.querySelector('.lab').append(dialog);
  }

  function open() {
    if (!dialog) build();
    opener = lab.root.activeElement;
    els.dlNote.textContent = '';
    check();
    dialog.showModal();
    els.text.focus();
  }

  return { open, check, get dialog() { return dialog; } };
}

export const css = `
.csv-dialog { border: 1px solid var(--bp-border); border-radius: 6px; padding: 1em 1.25em; width: min(38em, calc(100vw - 2em)); max-width: none;
  max-height: calc(100vh - 2em); overflow: auto; color: var(--bp-fg); background: var(--bp-bg); box-shadow: 0 8px 30px rgba(0,0,0,.2); }
.csv-dialog::backdrop { background: rgba(0,0,0,.25); }
.csv-dialog h2 { margin: 0 0 .5em; font-size: 1.15em; letter-spacing: 0; text-transform: none; color: var(--bp-fg); }
.csv-dialog h3 { font-size: 1em; margin: 0 0 .25em; }
.csv-sec + .csv-sec { margin-top: 1em; padding-top: .75em; border-top: 1px solid var(--bp-border); }
.csv-text { width: 100%; font: .92em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border: 1px solid var(--bp-line); border-radius: 3px; padding: .4em; resize: vertical; background: var(--bp-field); color: var(--bp-fg); }
.csv-row { display: flex; flex-wrap: wrap; align-items: center; gap: .5em; margin-top: .5em; }
.csv-row button.text { margin: 0; min-height: 24px; }
.csv-actions { justify-content: flex-end; }
.csv-primary:not(:disabled) { background: var(--bp-accent); border-color: var(--bp-accent); color: var(--bp-accent-fg); }
.csv-primary:disabled { opacity: .5; cursor: default; }
.csv-file, .csv-note { color: var(--bp-muted); overflow-wrap: anywhere; }
.csv-result { margin: .5em 0 0; padding: .4em .6em; border-radius: 3px; border-left: 4px solid var(--bp-border); background: var(--bp-surface); overflow-wrap: anywhere; }
.csv-result.csv-ok { border-left-color: var(--bp-info-edge); background: var(--bp-info); }
.csv-result.csv-error { border-left-color: var(--bp-error-edge); background: var(--bp-error); }
.csv-fit { display: flex; align-items: flex-start; gap: .5em; margin-top: .5em; min-height: 24px; cursor: pointer; }
.csv-fit input { margin: .2em 0 0; width: 1.25em; height: 1.25em; min-width: 16px; min-height: 16px; accent-color: var(--bp-accent); }
`;
