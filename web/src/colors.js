// Colours shared by every view. The diverging scale is the Playground's (orange = negative / class 0,
// white-grey = 0, blue = positive / class 1), so people who know that tool read ours at once.

/**
 * The small part of a colour library the views need: parse '#rrggbb' or 'rgb(r, g, b)' (or take three
 * numbers) into { r, g, b } with toString() → 'rgb(r, g, b)' and formatHex() → '#rrggbb'. Written here
 * rather than imported (d3-color) because the page has a 150 KB transfer budget and this is all we use.
 */
export function rgb(r, g, b) {
  if (typeof r === 'string') {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(r) ?? /^rgb\(\s*([\d.]+),\s*([\d.]+),\s*([\d.]+)\s*\)$/.exec(r);
    if (!m) throw new Error(`rgb: cannot parse colour ${JSON.stringify(r)}`);
    [r, g, b] = r.startsWith('#') ? m.slice(1).map((x) => parseInt(x, 16)) : m.slice(1).map(Number);
  }
  const c = (v) => Math.max(0, Math.min(255, Math.round(v)));
  return {
    r, g, b,
    toString: () => `rgb(${c(r)}, ${c(g)}, ${c(b)})`,
    formatHex: () => '#' + [r, g, b].map((v) => c(v).toString(16).padStart(2, '0')).join(''),
  };
}

export const ORANGE = '#f59322';
export const NEUTRAL = '#e8eaeb';
export const BLUE = '#0877bd';
/** Class colours for multi-class data (class 0, 1, 2, …); class 0/1 of binary data use ORANGE/BLUE. */
export const CLASS_COLORS = ['#f59322', '#0877bd', '#2ca25f', '#c2185b', '#7b52ab'];

/** A diverging colour scale over [lo, hi] with NEUTRAL at the midpoint; values outside are clamped. */
export function diverging(lo = -1, hi = 1) {
  return ramp([ORANGE, NEUTRAL, BLUE], lo, hi);
}

/** colours[0] at lo … colours[last] at hi, evenly spaced, clamped; returns 'rgb(…)' strings. */
export function ramp(colours, lo = 0, hi = 1) {
  // Linear in RGB between the stops (what d3's interpolateRgb does).
  const stops = colours.map((c) => rgb(c)), n = stops.length - 1;
  return (v) => {
    const t = (Math.max(0, Math.min(1, (v - lo) / (hi - lo))) || 0) * n, i = Math.min(n - 1, Math.floor(t)), f = t - i;
    const a = stops[i], b = stops[i + 1];
    return rgb(a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f).toString();
  };
}

/**
 * A lookup table of `steps` RGB triples for the diverging scale over [lo, hi]: heatmaps colour 10^4–10^5
 * cells per frame, so they index this table instead of calling the scale per cell.
 */
export function divergingTable(lo = -1, hi = 1, steps = 256) {
  const s = diverging(lo, hi), t = new Uint8ClampedArray(steps * 3);
  for (let i = 0; i < steps; i++) {
    const c = rgb(s(lo + (hi - lo) * (i / (steps - 1))));
    t[3 * i] = c.r; t[3 * i + 1] = c.g; t[3 * i + 2] = c.b;
  }
  return t;
}

/** CLASS_COLORS as RGB triples, for blending class colours by probability. */
export const CLASS_RGB = CLASS_COLORS.map((c) => { const x = rgb(c); return [x.r, x.g, x.b]; });
