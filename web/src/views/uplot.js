// uPlot and its stylesheet: the chunk plot.js loads when a chart first has a line to draw.
import UPlot from 'uplot';
import { cacheLabels } from './labels.js';

export { default as css } from 'uplot/dist/uPlot.min.css?inline';
export { cacheLabels };
export default UPlot;

/** A uPlot chart whose axis labels come from the label cache (labels.js), in place before its first draw. */
export const make = (opts, data, target) =>
  new UPlot({ ...opts, hooks: { ...opts.hooks, init: [(u) => cacheLabels(u.ctx), ...(opts.hooks?.init ?? [])] } }, data, target);
