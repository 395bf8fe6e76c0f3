// Dev page driver for the output views — BoundaryView, CostChart, GradientPanel — with synthetic frames
// (fake-frames.js). Not part of the build. Each view renders inside a shadow root with its css, as in the lab.
// views.html?view=boundary|costchart|gradients picks the view. Other URL parameters (all optional):
//   kind=binary|multiclass|regression  act=sigmoid|tanh|relu|linear  layers=8,8,8  speed=10  run=0
//   test=1 (show test data)  disc=1 (discretize)  neuron=2,3 (show neuron 3 of layer 2)  skip=20000 (epochs
//   to fast-forward on load)  width=380 (host width in px)  sel=2 (gradients: select layer)
import { BoundaryView, css as boundaryCss } from '../src/views/boundary.js';
import { CostChart, css as costCss } from '../src/views/costchart.js';
import { GradientPanel, css as gradientsCss } from '../src/views/gradients.js';
import { FakeRun } from './fake-frames.js';

const VIEWS = { boundary: [BoundaryView, boundaryCss], costchart: [CostChart, costCss], gradients: [GradientPanel, gradientsCss] };
const q = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const which = VIEWS[q.get('view')] ? q.get('view') : 'boundary';
document.title = `dev: ${which} view`;
const [View, css] = VIEWS[which];

const host = $('host');
if (which === 'gradients') host.classList.add('wide');
if (q.get('width')) host.style.maxWidth = `${q.get('width')}px`;
const root = host.attachShadow({ mode: 'open' });
const style = document.createElement('style');
style.textContent = `:host { display: block; font: 13px system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #333;
  --bp-muted: #777; --bp-border: #e3e3e3; --bp-accent: #0877bd; }
* { box-sizing: border-box; } [hidden] { display: none !important; }\n${css}`;
const box = document.createElement('div');
root.append(style, box);
const view = new View(box, {});

const state = {
  showTestData: q.get('test') === '1', discretize: q.get('disc') === '1', activation: q.get('act') ?? 'sigmoid', speed: 10,
};
for (const [id, key] of [['kind', 'kind'], ['act', 'act'], ['layers', 'layers'], ['speed', 'speed']]) if (q.get(key) !== null) $(id).value = q.get(key);
$('test').checked = state.showTestData;
$('disc').checked = state.discretize;
$('neuron').value = q.get('neuron') ?? '';
if (q.get('run') === '0') $('run').checked = false;

let run, sentData, times = [];
function start() {
  const hidden = $('layers').value.split(',').map(Number).filter((n) => n > 0);
  run = new FakeRun({ kind: $('kind').value, activation: $('act').value, hidden, features: hidden.length > 3 ? ['x1', 'x2'] : ['x1', 'x2', 'x1sq', 'x2sq'] });
  state.activation = $('act').value;
  sentData = false;
  view.reset();
}

function neuron() {
  const v = $('neuron').value.trim();
  if (!v) return null;
  const [l, j] = v.split(',').map(Number);
  return l >= 1 && j >= 1 ? [l, j - 1] : null;
}

function step(epochs) {
  const nr = neuron();
  const f = run.frame(epochs, nr, { withData: !sentData });
  sentData = true;
  if (view.showNeuron) view.showNeuron(nr ? `neuron ${nr[0]}.${nr[1] + 1} (layer ${nr[0]})` : null, nr?.[0] ?? null);
  const t0 = performance.now();
  view.update(f, state);
  times.push(performance.now() - t0);
  if (times.length > 120) times.shift();
}

function loop() {
  if ($('run').checked) step(Number($('speed').value));
  const s = [...times].sort((a, b) => a - b);
  $('perf').textContent = s.length ? `update: median ${s[s.length >> 1].toFixed(2)} ms · max ${s.at(-1).toFixed(2)} ms · epoch ${run.epoch}` : '';
  requestAnimationFrame(loop);
}

for (const id of ['kind', 'act', 'layers']) $(id).addEventListener('change', start);
$('test').addEventListener('change', () => { state.showTestData = $('test').checked; step(0); });
$('disc').addEventListener('change', () => { state.discretize = $('disc').checked; step(0); });
$('reset').addEventListener('click', start);
$('skip').addEventListener('click', () => { for (let i = 0; i < 2000; i++) step(10); });

start();
const skip = Number(q.get('skip') ?? 0), sp = Number($('speed').value);
for (let e = 0; e < skip; e += sp) step(sp);
step(0);
if (q.get('sel')) root.querySelector(`[data-layer="${q.get('sel')}"]`)?.click();
window.devView = { view, step, root, get run() { return run; } };
requestAnimationFrame(loop);
