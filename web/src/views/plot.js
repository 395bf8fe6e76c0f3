// uPlot on first use. The charts (costchart.js, gradients.js) draw lines over epochs, and at load there is one
// epoch: nothing to draw. uPlot and its stylesheet (~22 KB gzip, a sixth of the page) are a chunk of their own
// (uplot.js), loaded when a chart first holds two points — when training starts — not with the first frame.
//
// Plot has the part of uPlot's interface the charts use (new Plot(options, data, target), setData, setSize,
// setSeries, width, height, destroy). Until the chart has two points it only keeps what it was told; then it loads
// uPlot and makes the real chart in `target`, with the latest data, size and series.
let loading = null;
/** Starts loading uPlot (once per page); resolves with { default: uPlot, make, css, cacheLabels } (uplot.js). */
export const loadUPlot = () => (loading ??= import('./uplot.js').catch((e) => { loading = null; throw e; }));

// One constructed stylesheet of uPlot's CSS, shared by every lab's shadow root. It goes before the lab's own
// sheet, so the charts' rules (.costchart-plot .uplot, .gradients-plot .u-legend, …) win as they did when the
// two were one sheet. Without constructable stylesheets: a <style> at the start of the root.
let sheet = null;
function adopt(root, css) {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(css); }
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [sheet, ...root.adoptedStyleSheets];
  } else if (!root.querySelector?.(':scope > style.uplot-styles')) {
    const style = document.createElement('style');
    style.className = 'uplot-styles';
    style.textContent = css;
    (root.prepend ? root : document.head).prepend(style);
  }
}

export class Plot {
  #opts; #data; #target; #u = null; #waiting = false; #destroyed = false;

  constructor(options, data, target) {
    this.#opts = { ...options, series: options.series.map((s) => ({ ...s })) };
    this.#data = data;
    this.#target = target;
    this.#make();
  }

  get width() { return this.#u ? this.#u.width : this.#opts.width; }
  get height() { return this.#u ? this.#u.height : this.#opts.height; }

  setData(data) {
    this.#data = data;
    if (this.#u) this.#u.setData(data);
    else this.#make();
  }

  setSize(size) {
    if (this.#u) this.#u.setSize(size);
    else Object.assign(this.#opts, size);
  }

  setSeries(i, options) {
    if (this.#u) this.#u.setSeries(i, options);
    else Object.assign(this.#opts.series[i], options);
  }

  destroy() {
    this.#destroyed = true;
    this.#u?.destroy();
    this.#u = null;
  }

  #make() {
    if (this.#u || this.#waiting || this.#destroyed || !(this.#data[0]?.length >= 2)) return;
    this.#waiting = true;
    loadUPlot().then(({ make, css }) => {
      this.#waiting = false;
      if (this.#destroyed || this.#u) return;
      adopt(this.#target.getRootNode(), css);
      const width = this.#target.clientWidth || this.#opts.width;
      this.#u = make({ ...this.#opts, width }, this.#data, this.#target);
    }, () => { this.#waiting = false; });  // a failed download: tried again with the next data
  }
}
