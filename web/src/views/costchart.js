// Train and test cost over epochs: readouts (cost, and accuracy for classification) above a small uPlot chart.
// The history is bounded (history.js) and the chart is redrawn at most ~10×/s, so a run of 100,000 epochs
// costs the same per frame as a run of 100.
import { Plot as uPlot } from './plot.js';  // uPlot itself loads when the chart first has a line to draw
import { History, Throttle, LOG_FLOOR, chartStyle, axis, fmtTick, setText } from './history.js';

// The train line in the muted text colour, the test line in the text colour (the theme's --bp-muted, --bp-fg).
// The plot's height is its CSS height (lab layouts make it shorter in narrow columns); this when it has none.
const HEIGHT = 120;

/** Cost as the Playground prints it (3 decimals), small costs in exponent notation. */
function fmtCost(v) {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v !== 0 && (Math.abs(v) < 0.001 || Math.abs(v) >= 1e6)) return v.toExponential(v >= 1e6 ? 2 : 1);
  return v.toFixed(3);
}
const fmtAccuracy = (v) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)} %`);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

export class CostChart {
  #root; #plot; #u = null; #log = false; #hasTest = true;
  #history = new History(2);   // y[0] train cost, y[1] test cost
  #throttle = new Throttle(() => this.#redraw(), 100);
  #ro; #out = {}; #text = {};

  /** @param {HTMLElement} container  @param {object} [callbacks] none used */
  constructor(container, callbacks = {}) {
    this.callbacks = callbacks;
    const root = this.#root = el('div', 'costchart');
    const readouts = el('div', 'costchart-readouts');
    const line = (items) => {
      const row = el('div', 'costchart-line');
      items.forEach(([label, id, swatch], i) => {
        if (i) row.append(el('span', 'costchart-sep', '·'));
        const item = el('span', 'costchart-item');
        if (swatch) { const s = el('i', `costchart-swatch costchart-swatch-${swatch}`); s.setAttribute('aria-hidden', 'true'); item.append(s); }
        const value = el('b', 'costchart-value', '–');
        value.dataset.testid = id;
        item.append(el('span', 'costchart-label', `${label} `), value);
        row.append(item);
        this.#out[id] = value;
        if (id.startsWith('test')) this.#out[`${id}-item`] = item;
      });
      return row;
    };
    readouts.append(
      line([['Train cost', 'train-cost', 'train'], ['Test cost', 'test-cost', 'test']]),
      (this.#out.accuracyRow = line([['Train accuracy', 'train-accuracy'], ['Test accuracy', 'test-accuracy']])));

    const logLabel = el('label', 'costchart-log');
    const logBox = el('input');
    logBox.type = 'checkbox';
    logBox.addEventListener('change', () => { this.#log = logBox.checked; this.#build(); });
    logLabel.append(logBox, el('span', '', 'log scale'));
    const head = el('div', 'costchart-head');
    head.append(readouts, logLabel);

    this.#plot = el('div', 'costchart-plot');
    this.#plot.setAttribute('role', 'img');
    this.#plot.setAttribute('aria-label', 'Train and test cost over epochs');
    root.append(head, this.#plot);
    container.append(root);

    this.#build();
    this.#ro = new ResizeObserver(() => {
      const w = this.#plot.clientWidth, hgt = this.#plot.clientHeight || this.#height;
      if (this.#u && w > 0 && (w !== this.#u.width || hgt !== this.#u.height)) { this.#height = hgt; this.#u.setSize({ width: w, height: hgt }); }
    });
    this.#ro.observe(this.#plot);
  }

  #height = HEIGHT;

  /** The theme, lecture mode or the font size changed: the chart is built again with them. */
  restyle() { this.#build(); }

  /** (Re)creates the uPlot instance: at construction, when the y scale changes (log toggle) and on restyle(). */
  #build() {
    this.#u?.destroy();
    const st = chartStyle(this.#root);
    this.#height = this.#plot.clientHeight || HEIGHT;
    const fmtX = (u, splits) => splits.map((v) => (v >= 10000 ? `${v / 1000}k` : String(v)));
    this.#u = new uPlot({
      width: this.#plot.clientWidth || 300,
      height: this.#height,
      legend: { show: false },
      cursor: { show: false },
      padding: [6, 16, 0, 0],
      scales: {
        x: { time: false },
        y: this.#log ? { distr: 3, log: 10 } : { range: (u, lo, hi) => [0, hi > 0 ? hi * 1.05 : 1] },
      },
      axes: [
        axis(st, { size: 22, values: fmtX, space: 50 }),
        axis(st, { size: 36, space: 24, values: (u, splits) => splits.map((v) => (v == null ? '' : this.#log ? fmtTick(v) : String(+v.toFixed(3)))) }),
      ],
      series: [
        {},
        { label: 'train', stroke: st.text, width: 1.5 * st.stroke, points: { show: false } },
        { label: 'test', stroke: st.fg, width: 1.5 * st.stroke, points: { show: false }, show: this.#hasTest },
      ],
    }, this.#history.aligned(), this.#plot);
  }

  #redraw() {
    if (this.#u) this.#u.setData(this.#history.aligned());
  }

  #set(id, text) {
    if (this.#text[id] !== text) { this.#text[id] = text; setText(this.#out[id], text); }
  }

  /**
   * @param {import('../protocol.js').Frame} frame
   * @param {{ readouts?: boolean }} [opts] readouts false: the numbers are left as they are (the lab writes
   *   them at most every 100 ms while training plays); the chart's history takes the frame either way
   */
  update(frame, state, { readouts = true } = {}) {
    const hasTest = frame.testCost !== null && frame.testCost !== undefined;
    if (hasTest !== this.#hasTest) {
      this.#hasTest = hasTest;
      this.#u?.setSeries(2, { show: hasTest });
      this.#out['test-cost-item'].hidden = !hasTest;
      this.#out['test-accuracy-item'].hidden = !hasTest;
    }
    const classification = frame.trainAccuracy !== null && frame.trainAccuracy !== undefined;
    if (this.#out.accuracyRow.hidden === classification) this.#out.accuracyRow.hidden = !classification;

    if (readouts) {
      this.#set('train-cost', fmtCost(frame.trainCost));
      this.#set('test-cost', fmtCost(frame.testCost));
      this.#set('train-accuracy', fmtAccuracy(frame.trainAccuracy));
      this.#set('test-accuracy', fmtAccuracy(frame.testAccuracy));
    }

    // A diverged (non-finite) cost is shown in the readout only: it has no place on either scale.
    if (!Number.isFinite(frame.trainCost)) return;
    const h = this.#history, i = h.slot(frame.epoch);
    if (i < 0) return;
    h.y[0][i] = Math.max(frame.trainCost, LOG_FLOOR);
    h.y[1][i] = hasTest && Number.isFinite(frame.testCost) ? Math.max(frame.testCost, LOG_FLOOR) : h.y[0][i];
    this.#throttle.request();
  }

  /** A new network: the history starts over. */
  reset() {
    this.#history.clear();
    this.#text = {};
    for (const id of ['train-cost', 'test-cost', 'train-accuracy', 'test-accuracy']) this.#set(id, '–');
    this.#throttle.cancel();
    this.#redraw();
  }

  destroy() {
    this.#throttle.cancel();
    this.#ro.disconnect();
    this.#u?.destroy();
    this.#u = null;
    this.#root.remove();
  }
}

// Colours are the lab's --bp-* tokens (lab.css); text sizes in em of the lab's font.
export const css = `
.costchart { font-size: 0.923em; color: var(--bp-fg, #333); margin-bottom: .8em; }
.costchart-head { display: flex; flex-wrap: wrap; align-items: flex-start; justify-content: space-between; gap: 0 8px; margin-bottom: 4px; }
.costchart-readouts { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.costchart-line { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 6px; color: var(--bp-muted, #666); }
.costchart-line[hidden] { display: none; }
.costchart-item[hidden] { display: none; }
.costchart-value { font-weight: 500; color: var(--bp-fg, #333); font-variant-numeric: tabular-nums; }
.costchart-sep { color: var(--bp-muted, #666); }
.costchart-swatch { display: inline-block; width: 12px; height: 0; border-top: 2px solid; vertical-align: middle; margin-right: 5px; position: relative; top: -1px; }
.costchart-swatch-train { border-color: var(--bp-muted, #666); }
.costchart-swatch-test { border-color: var(--bp-fg, #333); }
.costchart-log { display: flex; align-items: center; gap: 6px; font-size: 0.917em; color: var(--bp-muted, #666); cursor: pointer; white-space: nowrap; min-height: 24px; }
.costchart-log input { margin: 0; width: 1.3em; height: 1.3em; min-width: 16px; min-height: 16px; accent-color: var(--bp-accent, #0a6aa8); }
.costchart-plot { width: 100%; height: ${HEIGHT / 12}em; }
@container (max-width: 759px) { .costchart-plot { height: ${(HEIGHT * 0.75) / 12}em; } .costchart-sep { display: none; } .costchart-line { column-gap: 1em; } }
.costchart-plot .uplot { width: 100%; }
`;
