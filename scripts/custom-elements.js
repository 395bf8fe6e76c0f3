// Writes custom-elements.json, the Custom Elements Manifest (schema 2.1.0) of <backprop-lab>, which editors,
// storybooks and docs generators read (package.json's "customElements" points at it). The attributes come
// from web/src/state.js's SCHEMA, so they cannot drift from what the element accepts; the element-only
// attributes, the members and the event are listed here, beside web/backprop-lab.d.ts (their types), and
// tests/web/custom-elements.test.js checks the three against each other.
//   node scripts/custom-elements.js          write it (also run by `npm pack`, in prepack)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA, attributeName } from '../web/src/state.js';

const MODULE = 'dist/backprop-lab.js';

// What a value may be, in words: the README's "values" column.
function values(s) {
  const list = [...(s.options ?? []), ...(s.extraOptions ?? [])].map((o) => o.value);
  switch (s.type) {
    case 'enum': return { type: list.map((v) => `'${v}'`).join(' | '), text: `one of ${list.join(', ')}` };
    case 'integer': return { type: 'number', text: `an integer, ${s.min} … ${s.max}` };
    case 'number': return { type: 'number', text: `a number, ${s.min} … ${s.max}` };
    case 'boolean': return { type: 'boolean', text: 'true/false, 1/0, or the bare attribute for true' };
    case 'set': return { type: 'string', text: `a comma list of ${list.join(', ')} (at least ${s.minItems})` };
    case 'sizes': return { type: 'string', text: `a comma list of up to ${s.maxItems} sizes in ${s.min} … ${s.max}; empty for no hidden layer` };
    case 'view': return { type: 'string', text: 'a hidden layer and two of its neurons, e.g. 1:0,1, or a layer and its principal directions, e.g. 1:pca' };
    case 'points': return { type: 'string', text: 'your own points in the lab\'s compact text form (made by the lab: draw or load data, then Share)' };
    default: throw new Error(`custom-elements: unknown SCHEMA type '${s.type}'`);
  }
}
// The attribute's text, as the manifest wants it; seed has no default (the lab draws a random one).
const shown = (v) => (v === undefined ? undefined : Array.isArray(v) ? v.join(',') : String(v));

const ELEMENT_ONLY = [
  { name: 'controls', type: { text: 'string' }, default: 'all',
    description: 'The controls shown: none (or empty); a comma list of play, step, reset, speed, learningRate, activation, regularization, regularizationRate, output, cost, init, dataset, classes, noise, trainRatio, points, batchSize, regenerate, features, layers, edit, showTestData, discretize, linkColor, share, shuffle, keepWeights, newWeights, draw, csv, figures, labFile, lecture, help, explain (Walk one example), check (Gradient check), hidden (Hidden layer), stepBatch (Step one mini-batch); or all.' },
  { name: 'views', type: { text: 'string' }, default: 'all',
    description: 'The views shown: a comma list of boundary, network, gradients, cost, explain (the step-through, when an example is picked), hidden (the hidden layer\'s space, when hidden-space is set); or all.' },
  { name: 'autoplay', type: { text: 'boolean' },
    description: 'Start training once the first frame is drawn (a lab out of view starts when it is scrolled into view). Read once, at start.' },
  { name: 'sync-url', type: { text: 'boolean' },
    description: "Read the settings from the page's URL hash and write every change back (one such lab per page: only the first to start does, another says so in a notice). Read once, at start." },
  { name: 'hints', type: { text: 'boolean' },
    description: "Show three first-visit tips (play, the neurons, the weights) until the reader has seen them once (remembered in localStorage). The full page has it; embeds do not unless they ask. Read when the first frame is drawn." },
];

/**
 * The theme tokens (web/src/lab.css, its top comment): CSS custom properties a page may set on the element, in
 * both themes (`backprop-lab { … }`) or in the dark one only (`backprop-lab:state(dark) { … }`).
 * tests/web/custom-elements.test.js checks this list against the ones lab.css defines, light and dark.
 */
export const CSS_PROPERTIES = [
  ['--bp-font', 'Font family.'],
  ['--bp-bg', 'The lab\'s background.', '#fff', '#16191d'],
  ['--bp-fg', 'Text.', '#333', '#e4e7ea'],
  ['--bp-muted', 'Secondary text: labels, hints, axis ticks (4.5:1 on the backgrounds).', '#666', '#a4acb4'],
  ['--bp-surface', 'The bar, drawers and panels.', '#f7f7f7', '#1f2328'],
  ['--bp-field', 'Inputs and buttons.', '#fff', '#262b31'],
  ['--bp-border', 'Rules and panel borders.', '#e3e3e3', '#343a41'],
  ['--bp-line', 'Input outlines (3:1).', '#8c8c8c', '#7d8790'],
  ['--bp-accent', 'Selection, links, sliders.', '#0a6aa8', '#5aaee6'],
  ['--bp-accent-fg', 'Text on the accent.', '#fff', '#0b1720'],
  ['--bp-focus', 'The keyboard focus ring.', '#183d4e', '#9fd6ff'],
  ['--bp-dark', 'The play button.', '#183d4e', '#5aaee6'],
  ['--bp-on-dark', 'The play button\'s icon.', '#fff', '#0b1720'],
  ['--bp-plot', 'Behind the decision boundary\'s heatmap.', '#fff', '#f4f5f6'],
  ['--bp-grid', 'Chart grid lines.', '#ececec', '#2e3339'],
  ['--bp-hover', 'Hovered rows and buttons.', '#eef2f5', '#252a30'],
  ['--bp-info', 'Background of an info notice.', '#eef6fc', '#13283a'],
  ['--bp-info-edge', 'Its edge.', '#0a6aa8', '#5aaee6'],
  ['--bp-warn', 'Background of a warning.', '#fff6e5', '#33270f'],
  ['--bp-warn-edge', 'Its edge.', '#e08a00', '#e0a030'],
  ['--bp-error', 'Background of an error.', '#fdecea', '#3a1a1a'],
  ['--bp-error-edge', 'Its edge.', '#d93025', '#f07060'],
  ['--bp-stroke-scale', 'Multiplies the width of drawn lines: links, chart lines, points (lecture mode: 1.6).', '1', '1'],
];

const field = (name, text, description, readonly = true) => ({ kind: 'field', name, type: { text }, readonly, description });
const method = (name, description, ret, parameters) => ({
  kind: 'method', name, description, return: { type: { text: ret } }, ...(parameters ? { parameters } : {}),
});
export const MEMBERS = [
  { ...field('state', 'BackpropLabState', 'The current settings (a copy). Set it, or part of it, to change settings; bad values fall back with a notice.'), readonly: undefined },
  field('playing', 'boolean', 'Whether it is training.'),
  field('ready', 'Promise<void>', 'Resolves once the first frame (data, boundary, network) has been drawn.'),
  field('epoch', 'number', 'The epoch count of the frame drawn last.'),
  field('stats', 'BackpropLabStats', 'Timing of the last frames, smoothed, in ms.'),
  method('play', 'Starts training; a lab out of view (or in a hidden tab) starts when it comes into view.', 'void'),
  method('pause', 'Stops training.', 'void'),
  method('step', 'Trains n epochs and resolves with the epoch detail once they are drawn.', 'Promise<EpochDetail>',
    [{ name: 'n', optional: true, default: '1', type: { text: 'number' }, description: 'Epochs, 1 … 1000000.' }]),
  method('stepBatch', "Trains one mini-batch (the engine's next SGD step) and resolves with the epoch detail once drawn (its batch: { done, of } inside an epoch).", 'Promise<EpochDetail>'),
  method('reset', 'The initial weights again (from the seed); the data stays.', 'void'),
  method('snippets', "{ link, iframe, element }: three ways to share the lab's exact current state.", 'Snippets'),
  { ...field('model', 'BackpropLabModel | null', "The network as last drawn, in the engine's toJSON() format (null before the first frame); set it to load one, as loadModel() does."), readonly: undefined },
  method('modelJSON', "The engine's toJSON() of the network, after every call made before it.", 'Promise<BackpropLabModel>'),
  method('loadModel', 'Loads a network (toJSON() object, JSON text or File) in place of the current one; rejects naming what is wrong, keeping the current network.', 'Promise<void>',
    [{ name: 'source', type: { text: 'BackpropLabModel | string | Blob' } }]),
  { ...field('data', 'BackpropLabData | null', 'The current data: { points: [[x1, x2, label], …], kind, classes } (null before a generated dataset\'s first frame). Set it to replace the data with own points (checked as a CSV file is; on error a notice, and the data stay).'), readonly: undefined },
  method('loadCSV', 'Reads CSV text (x1,x2,label) into the lab\'s data as the CSV dialog does; rejects with a CSVError naming the line and column, keeping the data.', 'Promise<BackpropLabCSVResult>',
    [{ name: 'text', type: { text: 'string' } }, { name: 'options', optional: true, type: { text: '{ fit?: boolean }' }, description: 'fit: rescale points outside [−6, 6] into the view (default true).' }]),
  method('exportImage', 'A figure of a view (boundary, network, gradients) as a PNG at 2× on white, or an SVG (boundary, network).', 'Promise<Blob>',
    [{ name: 'view', type: { text: "'boundary' | 'network' | 'gradients'" } }, { name: 'options', optional: true, type: { text: "{ format?: 'png' | 'svg' }" } }]),
  method('explain', 'Backprop on training example index with the current weights, as the step-through shows it (and opens it): { index, x, input, y, cost, sigmaPrimeCancels, broken, layers: [{ z, a, sigmaPrime, gradA, delta, gradW, gradB }] }.', 'Promise<BackpropLabExplanation>',
    [{ name: 'index', type: { text: 'number' }, description: 'A training example, 0 … n − 1.' }]),
  method('gradientCheck', 'Finite differences against backprop in float64 on the training data: the largest relative error per layer and the worst parameter.', 'Promise<BackpropLabGradientCheck>'),
  { ...field('releaseDelay', 'number', 'ms a lab removed from the document keeps its engine, so that a move is seamless (static).'), static: true, readonly: undefined },
].map((m) => JSON.parse(JSON.stringify(m)));  // drops the undefined readonly of `state`

export function manifest() {
  const attributes = Object.entries(SCHEMA).map(([key, s]) => {
    const v = values(s);
    return {
      name: attributeName(key),
      type: { text: v.type },
      ...(s.default === undefined ? {} : { default: shown(s.default) }),
      description: `${s.label}: ${v.text}${s.default === undefined ? ' (random when not given)' : ''}. The \`state\` property's \`${key}\`.`,
    };
  });
  const declaration = {
    kind: 'class',
    name: 'BackpropLab',
    tagName: 'backprop-lab',
    customElement: true,
    superclass: { name: 'HTMLElement' },
    description: 'Backpropagation, made visible: a neural network training in a Web Worker, with its decision boundary, network diagram, per-layer gradients and cost. Invalid attribute values fall back to their defaults with a notice inside the lab.',
    attributes: [...attributes, ...ELEMENT_ONLY],
    members: MEMBERS,
    cssProperties: CSS_PROPERTIES.map(([name, description, light, dark]) => ({
      name, description: light === undefined ? description : `${description} Light ${light}, dark ${dark}.`, ...(light === undefined ? {} : { default: light }),
    })),
    cssStates: [{ name: 'dark', description: 'The dark theme is in use: theme="dark", or theme="auto" (the default) and the system asks for dark.' }],
    events: [{ name: 'epoch', type: { text: 'CustomEvent<EpochDetail>' }, description: 'After each drawn frame; detail: { epoch, trainCost, testCost, trainAccuracy, testAccuracy }.' }],
  };
  return {
    schemaVersion: '2.1.0',
    readme: 'README.md',
    modules: [{
      kind: 'javascript-module',
      path: MODULE,
      declarations: [declaration],
      exports: [
        { kind: 'js', name: 'BackpropLab', declaration: { name: 'BackpropLab', module: MODULE } },
        { kind: 'custom-element-definition', name: 'backprop-lab', declaration: { name: 'BackpropLab', module: MODULE } },
      ],
    }],
  };
}

export const text = () => `${JSON.stringify(manifest(), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../custom-elements.json', import.meta.url), text());
}
