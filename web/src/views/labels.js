// The charts' axis labels, drawn from a cache of small bitmaps. In uPlot's chunk (uplot.js): it is needed only
// once a chart is drawn.
//
// uPlot draws every tick label with fillText on every redraw, and with eight charts redrawn ten times a second
// (four full labs in a post) that was the page's largest piece of script time: ~1,000 calls a second at
// 30–70 µs each in headless Chromium, for 28 distinct strings. A label is drawn once into a canvas of its own,
// with the same font, colour, alignment and baseline, and then copied with drawImage at the same device pixel:
// uPlot rounds the labels' positions to whole pixels, so the copy is the pixels fillText would have drawn
// there (tested in page.test.js). Under a transform (a rotated label, which these charts do not use), at a
// fractional position or in a gradient the real fillText draws it. Empty labels draw nothing and are skipped.
const labels = new Map();
const MAX_LABELS = 400;
const PAD = 2;
let fontsWatched = false;

function labelSprite(ctx, text) {
  const key = `${ctx.font}|${ctx.fillStyle}|${ctx.textAlign}|${ctx.textBaseline}|${ctx.direction}|${text}`;
  let s = labels.get(key);
  if (s) return s;
  // measured on the label's own canvas, in the state it is drawn with, so that its box holds what is drawn
  // (the chart's canvas may measure otherwise: it inherits CSS text styles a detached canvas does not — the
  // lab resets them, lab.css)
  const c = document.createElement('canvas');
  const g = c.getContext('2d');
  const style = () => {
    g.font = ctx.font; g.fillStyle = ctx.fillStyle; g.textAlign = ctx.textAlign; g.textBaseline = ctx.textBaseline;
    g.direction = ctx.direction;
  };
  style();
  const m = g.measureText(text);
  const left = Math.ceil(m.actualBoundingBoxLeft) + PAD, top = Math.ceil(m.actualBoundingBoxAscent) + PAD;
  c.width = Math.max(1, left + Math.ceil(m.actualBoundingBoxRight) + PAD);
  c.height = Math.max(1, top + Math.ceil(m.actualBoundingBoxDescent) + PAD);
  style();  // a new size resets the context
  g.fillText(text, left, top);
  if (labels.size >= MAX_LABELS) labels.clear();
  labels.set(key, s = { c, left, top });
  return s;
}

/** Routes `ctx`'s fillText through the label cache (an own property: other canvases are untouched). */
export function cacheLabels(ctx) {
  if (!ctx || typeof document === 'undefined') return;
  if (!fontsWatched && document.fonts?.addEventListener) {
    // a web font that finishes loading would change the labels: they are drawn again
    fontsWatched = true;
    document.fonts.addEventListener('loadingdone', () => labels.clear());
  }
  const fillText = ctx.fillText;
  ctx.fillText = function (text, x, y, maxWidth) {
    if (text === '') return;
    if (maxWidth !== undefined || typeof ctx.fillStyle !== 'string' || x !== Math.round(x) || y !== Math.round(y) || !ctx.getTransform().isIdentity) {
      fillText.call(ctx, text, x, y, ...(maxWidth === undefined ? [] : [maxWidth]));
      return;
    }
    const s = labelSprite(ctx, String(text));
    ctx.drawImage(s.c, x - s.left, y - s.top);
  };
}
