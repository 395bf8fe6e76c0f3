// Colours shared by every view. The diverging scale is the Playground's (orange = negative / class 0,
// white-grey = 0, blue = positive / class 1), so people who know that tool read ours at once.
import { rgb } from 'd3-color';

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
  // Linear in RGB between the stops (what d3's interpolateRgb does), parsed once by d3-color.
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
