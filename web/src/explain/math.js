// The step-through's typesetting: the book's symbols (z², δᴸ, wˡⱼₖ), numbers, column vectors, matrices and
// heatmap matrices as HTML, and the same as LaTeX for "Copy as Markdown". Layout only: every number comes
// from the engine (net.explain, worker.js); nothing here computes a gradient.
import { ORANGE, BLUE, rgb } from '../colors.js';

/** 4 significant digits, a real minus sign, an exponent outside [1e-4, 1e5). */
export function fmt(v) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const t = a >= 1e-4 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3).replace(/\.?0+e/, 'e');
  return t.replace('-', '−');
}
/** The same number for LaTeX. */
export function tex(v) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '\\text{NaN}' : v > 0 ? '\\infty' : '-\\infty';
  const t = fmt(v).replace('−', '-');
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(t);
  return m ? `${m[1]}\\times 10^{${Number(m[2])}}` : t;
}

/**
 * A symbol in the book's notation: sym(h, 'z', 2) → z², sym(h, 'δ', 'L') → δᴸ; `sub` an index (from 0 in the
 * data, shown from 1 as the book counts neurons). Rendered as <var> with <sup>/<sub>.
 */
export function sym(h, name, sup = null, sub = null) {
  return h('var', { class: 'sym' }, name, sup === null ? null : h('sup', { text: String(sup) }), sub === null ? null : h('sub', { text: String(sub) }));
}
export const texSym = (name, sup = null, sub = null) => `${name}${sup === null ? '' : `^{${sup}}`}${sub === null ? '' : `_{${sub}}`}`;

/** One number, with its full value in data-v (the tests read what the walk shows against the engine's). */
export function num(h, v) {
  return h('span', { class: 'n', 'data-v': String(v), text: fmt(v) });
}

/** A column vector [v₀; v₁; …] with a label under it for a screen reader (aria-label). */
export function vec(h, values, label) {
  return h('span', { class: 'mat vec', role: 'group', 'aria-label': label, 'data-name': label },
    h('span', { class: 'cells', style: `grid-template-columns: auto` }, values.map((v) => num(h, v))));
}

/** A row-major r × c matrix; `heat`: cells coloured by value (orange negative, blue positive). */
export function mat(h, values, r, c, label, { heat = false, transpose = false } = {}) {
  const rows = transpose ? c : r, cols = transpose ? r : c;
  const at = (i, j) => (transpose ? values[j * c + i] : values[i * c + j]);
  let max = 0;
  if (heat) for (const v of values) if (Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  const cells = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = at(i, j), n = num(h, v);
      if (heat && max > 0 && Number.isFinite(v)) {
        const t = Math.min(1, Math.abs(v) / max);
        // at most 45 % of the colour: the number on it keeps its contrast in both themes
        const c = rgb(v < 0 ? ORANGE : BLUE);
        n.style.background = `rgba(${c.r}, ${c.g}, ${c.b}, ${(0.08 + 0.37 * t).toFixed(3)})`;
        n.classList.add('heat');
      }
      cells.push(n);
    }
  }
  return h('span', { class: `mat${heat ? ' heatmap' : ''}`, role: 'group', 'aria-label': label, 'data-name': label },
    h('span', { class: 'cells', style: `grid-template-columns: repeat(${cols}, auto)` }, cells));
}

export const texVec = (values) => `\\begin{bmatrix}${values.map(tex).join('\\\\')}\\end{bmatrix}`;
export function texMat(values, r, c, transpose = false) {
  const rows = [];
  for (let i = 0; i < (transpose ? c : r); i++) {
    const row = [];
    for (let j = 0; j < (transpose ? r : c); j++) row.push(tex(transpose ? values[j * c + i] : values[i * c + j]));
    rows.push(row.join(' & '));
  }
  return `\\begin{bmatrix}${rows.join('\\\\')}\\end{bmatrix}`;
}

/** An equation line: parts (elements or operator strings) in a row that wraps and scrolls on a phone. */
export function eq(h, ...parts) {
  return h('div', { class: 'eq' }, parts.flat().map((p) => (typeof p === 'string' ? h('span', { class: 'op', text: p }) : p)));
}
