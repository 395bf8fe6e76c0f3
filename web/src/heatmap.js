// Heatmaps from the engine's grids (Float32Array, row 0 at the top, x2 = +extent) into canvas pixels.
import { divergingTable, CLASS_RGB, NEUTRAL, rgb } from './colors.js';

const tables = new Map();
function table(lo, hi, discrete) {
  const key = `${lo},${hi},${discrete}`;
  let t = tables.get(key);
  if (!t) {
    t = divergingTable(lo, hi);
    if (discrete) {  // "discretize output": two flat colours either side of the midpoint
      const a = t.slice(0, 3), b = t.slice(t.length - 3);
      for (let i = 0; i < t.length / 3; i++) t.set(i < t.length / 6 ? a : b, 3 * i);
    }
    tables.set(key, t);
  }
  return t;
}

/**
 * Writes values[offset … offset + res²) into `image` (an ImageData of res × res) with the diverging scale
 * over [lo, hi]. `alpha` 0–255 lets points drawn on top stand out.
 */
export function paintScalar(image, values, offset, res, lo, hi, { discrete = false, alpha = 255 } = {}) {
  const t = table(lo, hi, discrete), d = image.data, steps = t.length / 3 - 1, k = steps / (hi - lo);
  for (let i = 0; i < res * res; i++) {
    let v = values[offset + i];
    let s = ((v - lo) * k) | 0;
    if (!(s >= 0)) s = 0; else if (s > steps) s = steps;   // also maps NaN to the low end
    d[4 * i] = t[3 * s]; d[4 * i + 1] = t[3 * s + 1]; d[4 * i + 2] = t[3 * s + 2]; d[4 * i + 3] = alpha;
  }
}

const neutral = rgb(NEUTRAL);
/**
 * Multi-class: the k output planes (output-major, values[j·res² + i]) are probabilities; each cell is the
 * class colours blended by probability, pulled towards neutral where the network is unsure. `discrete`
 * paints the argmax class only.
 */
export function paintClasses(image, values, res, k, { discrete = false, alpha = 255 } = {}) {
  const d = image.data, n = res * res;
  for (let i = 0; i < n; i++) {
    let r = 0, g = 0, b = 0, best = 0, bestP = -1;
    for (let j = 0; j < k; j++) {
      const p = values[j * n + i];
      if (p > bestP) { bestP = p; best = j; }
      const c = CLASS_RGB[j % CLASS_RGB.length];
      r += p * c[0]; g += p * c[1]; b += p * c[2];
    }
    if (discrete) { const c = CLASS_RGB[best % CLASS_RGB.length]; r = c[0]; g = c[1]; b = c[2]; }
    else {
      // confidence 1/k → neutral, 1 → the pure blend
      const w = Math.max(0, Math.min(1, (bestP - 1 / k) / (1 - 1 / k)));
      r = neutral.r + (r - neutral.r) * w; g = neutral.g + (g - neutral.g) * w; b = neutral.b + (b - neutral.b) * w;
    }
    d[4 * i] = r; d[4 * i + 1] = g; d[4 * i + 2] = b; d[4 * i + 3] = alpha;
  }
}
