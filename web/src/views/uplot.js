// uPlot and its stylesheet: the chunk plot.js loads when a chart first has a line to draw.
export { default } from 'uplot';
export { default as css } from 'uplot/dist/uPlot.min.css?inline';
export { cacheLabels } from './labels.js';
