// The lab's notices: short messages above the views about what the lab did with bad input, what it could not
// do, and what the reader can do about it (buttons). One module with a small API, used by lab.js and by the
// feature modules through the lab's `notice()` (see the top of lab.js).
//
// What a reader sees stays small whatever arrives: one line — the most important notice (errors, then
// warnings, then infos; newest first within a level; a `priority` overrides the level's rank), cut to
// `maxChars` with the full text one click away, and beside it "N more notices", which opens a scrolling list
// of the rest (`visible` notices are shown before the count; 1 by default). The same key again updates the notice and counts it (×2);
// notices of one `group` merge into one line ("… (+41 more like it)"). Whoever shows a notice removes it
// when its cause is gone: dismiss(key), or dismissWhere(test).

const RANK = { error: 2, warning: 1, info: 0 };
const REST_SHOWN = 200;  // the open "more" list renders at most this many (a link can carry thousands)

function h(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Cuts text at a word boundary near `max` characters. */
export function truncate(text, max) {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  return `${text.slice(0, cut > max * 0.6 ? cut : max).trimEnd()}…`;
}

/**
 * @typedef {object} NoticeAction
 * @property {string} label          the button's text
 * @property {() => void} run        what it does (the notice is dismissed first unless keep is true)
 * @property {boolean} [keep]
 *
 * @typedef {object} NoticeOptions
 * @property {'error'|'warning'|'info'} [level]   default 'info'
 * @property {string} [key]          identity: the same key again updates that notice (default: the text)
 * @property {string} [group]        notices of one group merge into one line
 * @property {number} [priority]     sort rank (default: error 2, warning 1, info 0); divergence uses 3
 * @property {NoticeAction[]} [actions]
 */
export class Notices {
  #root; #list; #moreBtn; #rest;
  #items = new Map();     // key → { key, level, rank, seq, count, texts, actions }
  #seq = 0;
  #open = false;          // the "N more" list is open
  #full = new Set();      // keys whose full text is shown
  #pending = false;
  #visible; #maxChars;

  /** @param {HTMLElement} root  an element of the lab (class "notices"); @param {{visible?: number, maxChars?: number}} [options] */
  constructor(root, { visible = 1, maxChars = 180 } = {}) {
    this.#root = root;
    this.#visible = visible;
    this.#maxChars = maxChars;
    root.setAttribute('aria-live', 'polite');
    this.#list = h('div', 'notices-list');
    this.#moreBtn = h('button', 'notices-more');
    this.#moreBtn.type = 'button';
    this.#moreBtn.hidden = true;
    this.#moreBtn.setAttribute('aria-expanded', 'false');
    this.#moreBtn.addEventListener('click', () => { this.#open = !this.#open; this.#render(); });
    this.#rest = h('div', 'notices-rest');
    this.#rest.hidden = true;
    root.append(this.#list, this.#moreBtn, this.#rest);
  }

  /** Shows (or updates) a notice; returns its key. */
  show(text, { level = 'info', key, group, priority, actions = [] } = {}) {
    text = String(text);
    const k = group ? `group:${group}` : (key ?? text);
    const old = this.#items.get(k);
    const item = old ?? { key: k, texts: [], count: 0 };
    item.level = RANK[level] === undefined ? 'info' : level;
    item.rank = priority ?? RANK[item.level];
    item.seq = ++this.#seq;
    item.actions = actions;
    if (group) { if (!item.texts.includes(text)) item.texts.push(text); item.count = item.texts.length; }
    else { item.texts = [text]; item.count = old ? old.count + 1 : 1; }
    this.#items.set(k, item);
    this.#schedule();
    return k;
  }

  /** Removes a notice (a group by `group:<name>`); true if there was one. */
  dismiss(key) {
    const had = this.#items.delete(key);
    if (had) { this.#full.delete(key); this.#schedule(); }
    return had;
  }

  /** Removes every notice whose key passes the test. */
  dismissWhere(test) {
    for (const k of [...this.#items.keys()]) if (test(k)) this.dismiss(k);
  }

  has(key) { return this.#items.has(key); }

  /** What is shown, in display order: [{ key, level, text, count }]. */
  list() {
    return this.#sorted().map((i) => ({ key: i.key, level: i.level, text: this.#text(i), count: i.count }));
  }

  #sorted() { return [...this.#items.values()].sort((a, b) => b.rank - a.rank || b.seq - a.seq); }

  #text(i) {
    if (i.texts.length > 1) return `${i.texts.at(-1)} (+${i.texts.length - 1} more like it)`;
    return i.texts[0];
  }

  // Renders at most once per task, however many notices arrive in it (a link with 2,000 unknown keys).
  #schedule() {
    if (this.#pending) return;
    this.#pending = true;
    queueMicrotask(() => { this.#pending = false; this.#render(); });
  }

  #render() {
    const all = this.#sorted();
    const shown = all.slice(0, this.#visible), rest = all.slice(this.#visible);
    this.#list.replaceChildren(...shown.map((i) => this.#node(i)));
    this.#moreBtn.hidden = rest.length === 0;
    if (rest.length === 0) this.#open = false;
    this.#moreBtn.textContent = `${this.#open ? '▾' : '▸'} ${rest.length.toLocaleString('en-US')} more notice${rest.length === 1 ? '' : 's'}`;
    this.#moreBtn.setAttribute('aria-expanded', String(this.#open));
    this.#rest.hidden = !this.#open;
    if (this.#open) {
      const nodes = rest.slice(0, REST_SHOWN).map((i) => this.#node(i));
      if (rest.length > REST_SHOWN) nodes.push(h('div', 'notices-cap', `… and ${(rest.length - REST_SHOWN).toLocaleString('en-US')} more`));
      const clear = h('button', 'notices-clear', 'Dismiss these');
      clear.type = 'button';
      clear.addEventListener('click', () => { for (const i of rest) this.#items.delete(i.key); this.#open = false; this.#render(); });
      this.#rest.replaceChildren(...nodes, clear);
    } else {
      this.#rest.replaceChildren();
    }
    this.#root.classList.toggle('has-notices', all.length > 0);
  }

  #node(i) {
    const full = this.#text(i);
    const item = h('div', `notice ${i.level}`);
    item.dataset.key = i.key;
    item.setAttribute('role', i.level === 'error' ? 'alert' : 'status');
    const body = h('div', 'notice-body');
    const open = this.#full.has(i.key);
    const long = full.length > this.#maxChars || i.texts.length > 1;
    const group = i.texts.length > 1;
    if (!open || !long) body.append(h('span', 'notice-text', long ? truncate(full, this.#maxChars) : full));
    else if (!group) body.append(h('div', 'notice-text notice-full', full));
    else body.append(h('span', 'notice-text', `${i.texts.length.toLocaleString('en-US')} notices like this:`));
    if (open && group) {
      const ul = h('ul', 'notice-full');
      for (const t of i.texts.slice(0, REST_SHOWN)) ul.append(h('li', '', t));
      if (i.texts.length > REST_SHOWN) ul.append(h('li', '', `… and ${i.texts.length - REST_SHOWN} more`));
      body.append(ul);
    }
    if (i.count > 1 && i.texts.length === 1) body.append(h('span', 'notice-count', ` (×${i.count})`));
    if (long) {
      const more = h('button', 'notice-more', open ? 'less' : 'more');
      more.type = 'button';
      more.setAttribute('aria-expanded', String(open));
      more.addEventListener('click', () => { if (open) this.#full.delete(i.key); else this.#full.add(i.key); this.#render(); });
      body.append(' ', more);
    }
    if (i.actions.length) {
      const acts = h('div', 'notice-actions');
      for (const a of i.actions) {
        const b = h('button', 'notice-action', a.label);
        b.type = 'button';
        b.addEventListener('click', () => { if (!a.keep) this.dismiss(i.key); a.run(); });
        acts.append(b);
      }
      body.append(acts);
    }
    const x = h('button', 'dismiss', '×');
    x.type = 'button';
    x.setAttribute('aria-label', 'Dismiss notice');
    x.addEventListener('click', () => this.dismiss(i.key));
    item.append(body, x);
    return item;
  }
}

// Colours are the lab's --bp-* tokens (lab.css). The count sits on the same line as the notice it follows.
export const css = `
.notices { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 4px 10px; padding: 0 1.25em; }
.notices.has-notices { padding: .6em 1.25em; }
.notices-list { display: flex; flex-direction: column; gap: 4px; flex: 1 1 24em; min-width: 0; }
.notice { display: flex; align-items: flex-start; gap: 8px; padding: .35em .75em; border-radius: 4px; border-left: 4px solid; font-size: 0.96em; color: var(--bp-fg, #333); }
.notice-body { flex: 1; min-width: 0; overflow-wrap: anywhere; align-self: center; }
.notice.info { background: var(--bp-info, #eef6fc); border-color: var(--bp-info-edge, #0a6aa8); }
.notice.warning { background: var(--bp-warn, #fff6e5); border-color: var(--bp-warn-edge, #e08a00); }
.notice.error { background: var(--bp-error, #fdecea); border-color: var(--bp-error-edge, #d93025); }
.notice-full { margin: 4px 0 0; max-height: 12em; overflow: auto; white-space: pre-wrap; }
ul.notice-full { padding-left: 18px; white-space: normal; }
.notice-count { color: var(--bp-fg, #333); }
.notice-more, .notices-more, .notices-clear { border: 0; background: none; padding: 0 2px; cursor: pointer; color: var(--bp-accent, #0a6aa8); text-decoration: underline; font: inherit; min-height: 24px; }
.notices-more { align-self: center; font-size: 0.923em; white-space: nowrap; }
.notices-rest { display: flex; flex-direction: column; gap: 4px; max-height: 14em; overflow: auto; flex-basis: 100%; }
.notices-cap { font-size: 0.923em; color: var(--bp-muted, #666); }
.notices-clear { align-self: flex-start; font-size: 0.923em; }
.notice-actions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; }
.notice-action { border: 1px solid var(--bp-line, #8c8c8c); background: var(--bp-field, #fff); color: var(--bp-fg, #333); border-radius: 3px; padding: 3px 10px; cursor: pointer; font: inherit; min-height: 24px; }
.notice-action:hover { background: var(--bp-hover, #f0f0f0); }
.notice .dismiss { border: 0; background: none; cursor: pointer; font-size: 1.25em; line-height: 1; color: var(--bp-fg, #333); padding: 0 2px; min-width: 24px; min-height: 24px; }
`;
