// Bounded time series for the charts (cost, per-layer gradient norms), shared by costchart.js and gradients.js.
//
// Points live in preallocated Float64Arrays of a fixed capacity. A point is appended once `stride` epochs have
// passed since the previous one; in between, the newest point is overwritten so the chart's right end is always
// the current epoch. When the buffer is full every second point is dropped and the stride doubles: after any
// number of epochs the memory is fixed and a redraw costs O(capacity).

export class History {
  /** @param {number} series how many y series (all share the epoch axis) */
  constructor(series, capacity = 2048) {
    this.capacity = capacity & ~1;            // even, so halving keeps exactly capacity / 2 points
    this.x = new Float64Array(this.capacity);
    this.y = Array.from({ length: series }, () => new Float64Array(this.capacity));
    this.clear();
  }

  clear() {
    this.n = 0;
    this.stride = 1;
    this.next = 0;
  }

  /**
   * The index to write this epoch's values into (`h.y[s][i] = v`), or −1 when there is nothing new (same epoch
   * again, e.g. a paused lab). An epoch earlier than the last one means training went back (a divergence
   * rolled back to a checkpoint): the points after it are dropped. A new run calls clear().
   */
  slot(epoch) {
    const n = this.n;
    if (n > 0) {
      const last = this.x[n - 1];
      if (epoch === last) return -1;
      if (epoch < last) {
        while (this.n > 0 && this.x[this.n - 1] >= epoch) this.n--;
        this.next = this.n > 0 ? this.x[this.n - 1] + this.stride : 0;
        return this.slot(epoch);
      }
      if (n >= 2 && epoch < this.next) { this.x[n - 1] = epoch; return n - 1; }   // move the live point
    }
    if (n === this.capacity) this.#halve();
    const i = this.n++;
    this.x[i] = epoch;
    this.next = epoch + this.stride;
    return i;
  }

  #halve() {
    const m = this.capacity / 2;
    for (let i = 1; i < m; i++) {
      this.x[i] = this.x[2 * i];
      for (const a of this.y) a[i] = a[2 * i];
    }
    this.n = m;
    this.stride *= 2;
  }

  /** uPlot's aligned data: [x, y_from, …, y_(from+count−1)] as views of the first n points (no copies). */
  aligned(from = 0, count = this.y.length) {
    const out = [this.x.subarray(0, this.n)];
    for (let s = from; s < from + count; s++) out.push(this.y[s].subarray(0, this.n));
    return out;
  }
}

/**
 * Which `ms`-long slot of the page's frame clock this frame is in (shifted by `phase` ms). Every lab's
 * animation-frame callbacks of one frame see the same document.timeline time, so the labs of a page cross a
 * slot boundary in the same frame: their readouts (READOUT_MS in lab.js) land in the same frames, and the
 * frames between them change no DOM at all. Each frame that changes some DOM pays for laying out and painting
 * the page; with four full labs in a column, that in every frame was half the frame rate.
 */
export function frameSlot(ms, phase = 0) {
  return Math.floor(((globalThis.document?.timeline?.currentTime ?? performance.now()) + phase) / ms);
}

/** Sets an element's text by changing its one text node (textContent replaces the node: a node removed
 *  and one inserted, restyled and laid out anew, for every readout write). */
export function setText(el, text) {
  const t = el.firstChild;
  if (t && t.nodeType === 3 && !t.nextSibling) { if (t.data !== text) t.data = text; } else el.textContent = text;
}

/** Runs fn at most once per `ms` slot of the frame clock (frameSlot), the last request of a slot at the latest
 *  one slot later. The charts' slots are shifted off the readouts' (lab.js READOUT_MS, phase 0) and off each
 *  other's, a quarter of a slot apart: the frame that writes every lab's readouts was already two frames long
 *  when it also redrew every chart (a chart redraw is canvas only: it can have a frame of its own). */
let phases = 0;
export class Throttle {
  constructor(fn, ms = 100) {
    this.fn = fn;
    this.ms = ms;
    this.phase = ((phases++ % 3) + 1) * (ms / 4);
    this.slot = -Infinity;
    this.timer = 0;
  }

  request() {
    if (frameSlot(this.ms, this.phase) !== this.slot) { this.cancel(); this.#run(); return; }
    // asked again within this slot: the next request in a later slot runs it (a playing lab's next frame),
    // or, if none comes (paused), this timer
    if (!this.timer) this.timer = setTimeout(() => { this.timer = 0; this.#run(); }, this.ms);
  }

  #run() {
    this.slot = frameSlot(this.ms, this.phase);
    this.fn();
  }

  cancel() {
    clearTimeout(this.timer);
    this.timer = 0;
  }
}

/** Smallest value kept on a log axis: 0, negative and NaN norms are clamped to it (and marked by the views). */
export const LOG_FLOOR = 1e-12;

/** 3 significant digits; exponent notation below 10⁻³ and from 10⁴ (e.g. 3.2e-5, 1.24e+4 → 1.24e4). */
export function fmtNorm(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return (v < 0 ? '−' : '') + a.toPrecision(3);
  const [m, e] = a.toExponential(2).split('e');
  return `${v < 0 ? '−' : ''}${m.replace(/\.?0+$/, '')}e${e.replace('+', '')}`;
}
/** Log-axis tick labels: 0.1, 0.01, 0.001, then 1e-4 … */
export const fmtTick = (v) => (v == null ? '' : v >= 1e-3 && v < 1e4 ? String(+v.toPrecision(3)) : fmtNorm(v));
/** The font the charts' canvases use: the lab's --bp-font when it resolves, else a system stack. */
export function chartFont(el, size = 10) {
  const f = el.isConnected ? getComputedStyle(el).getPropertyValue('--bp-font').trim() : '';
  return `${size}px ${f || 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif'}`;
}

/**
 * What the charts' canvases need from the lab's CSS, which cannot reach into a canvas: the font (10 px at the
 * chart's base size of 12 px, growing with it: lecture mode, wide screens), the theme's colours (--bp-muted for
 * axis text, --bp-grid, --bp-line for ticks, --bp-fg) and --bp-stroke-scale for line widths. Read when a chart
 * is built; the views rebuild on restyle().
 */
export function chartStyle(el) {
  const cs = el.isConnected ? getComputedStyle(el) : null;
  const v = (name, fallback) => cs?.getPropertyValue(name).trim() || fallback;
  const px = (cs && parseFloat(cs.fontSize)) || 12;
  return {
    // whole pixels: uPlot 1.6.32 scales a font by the device pixel ratio through /(\d+)px/, which reads
    // "12.5px" as 5 px (lecture mode on a 2× screen drew its chart labels at a quarter of their size)
    font: chartFont(el, Math.round((px * 10) / 12)), scale: px / 12,
    text: v('--bp-muted', '#666'), fg: v('--bp-fg', '#333'), grid: v('--bp-grid', '#ececec'), ticks: v('--bp-line', '#8c8c8c'),
    stroke: parseFloat(v('--bp-stroke-scale', '1')) || 1,
  };
}

/** Axis styling shared by the uPlot charts: thin light grid, small grey labels (`style`: chartStyle()). */
export function axis(s, extra = {}) {
  return {
    stroke: s.text,
    font: s.font,
    size: 30,
    gap: 3,
    grid: { stroke: s.grid, width: 1 },
    ticks: { stroke: s.ticks, width: 1, size: 3 },
    ...extra,
    ...(extra.size ? { size: Math.round(extra.size * Math.max(1, s.scale)) } : {}),
  };
}
