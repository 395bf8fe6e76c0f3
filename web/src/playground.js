// TensorFlow Playground links (playground.tensorflow.org/#activation=tanh&…): turns their keys into this lab's
// state keys. state.js tells a Playground link from this lab's own (isPlaygroundLink), loads this file on first
// need (loadPlayground: it is not in the page's first chunk) and validates the result, so this file only knows the
// Playground's vocabulary — the key names, value formats and defaults of its src/state.ts — and what of it cannot
// carry over. Pure, no DOM.
//
// The Playground writes every key of its state on each change (a key whose value is null, like
// `regularization` when it is none, is left out), booleans as true/false, the seed as Math.random().toFixed(5),
// and `<control>_hide=true` for each control a teacher hid ("classroom mode").

/** The Playground's input features, in its order, → this lab's. cosX and cosY are in its state only. */
const FEATURES = { x: 'x1', y: 'x2', xSquared: 'x1sq', ySquared: 'x2sq', xTimesY: 'x1x2', sinX: 'sinx1', sinY: 'sinx2' };

/**
 * The Playground's hidable controls (its HIDABLE_CONTROLS, plus the input features) → this lab's control names
 * (web/src/lab.js CONTROLS). null: nothing to hide here (the problem type is part of this lab's dataset picker).
 */
const CONTROL_OF = {
  showTestData: 'showTestData', discretize: 'discretize', playButton: 'play', stepButton: 'step', resetButton: 'reset',
  learningRate: 'learningRate', activation: 'activation', regularization: 'regularization',
  regularizationRate: 'regularizationRate', problem: null, dataset: 'dataset', percTrainData: 'trainRatio',
  noise: 'noise', batchSize: 'batchSize', numHiddenLayers: 'layers',
  ...Object.fromEntries(Object.keys(FEATURES).map((f) => [f, 'features'])),
};

const CLASSIFICATION = ['circle', 'xor', 'gauss', 'spiral'];
const REGRESSION = { 'reg-plane': 'plane', 'reg-gauss': 'multigauss' };
/** The Playground's sample counts: 500 points to classify, 1200 for regression. */
const POINTS = { classification: 500, regression: 1200 };

/** The Playground's boolean: any non-empty value but 'false' is true; empty or absent: the default. */
const flag = (map, key, fallback) => (map.has(key) && map.get(key).trim() !== '' ? map.get(key) !== 'false' : fallback);
const given = (map, key) => map.has(key) && map.get(key).trim() !== '';

// FNV-1a of the Playground's seed text, into [0, 2^31 − 1]: the same link gives the same run here every time.
function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 2 ** 31;
}

/**
 * A Playground link's keys → this lab's state values (text, as from a link, for state.js to validate).
 * @param {Map<string, string>} map  decoded key → value text
 * @param {(key: string) => boolean} isKnown  keys state.js reads itself (the Playground's and this lab's own):
 *   any other key, and an unknown `*_hide` key, is reported as unknown
 * @returns {{ values: Record<string, string | string[]>, source: Record<string, string>, hiddenControls: string[],
 *   notes: string[], unknown: string[] }}  source: this lab's key → the Playground key it came from (for notices);
 *   notes: what could not carry over; unknown: keys neither format knows
 */
export function fromPlayground(map, isKnown) {
  const values = {}, source = {}, unknown = [], hidden = new Set();
  const notes = ['its random data and initial weights differ from this lab\'s, even with the same seed'];
  const set = (key, value, from) => { values[key] = value; source[key] = from; };

  const problem = given(map, 'problem') ? map.get('problem') : 'classification';
  if (problem !== 'classification' && problem !== 'regression') notes.push(`problem '${problem}' is not one of classification, regression (using classification)`);
  if (problem === 'regression') {
    const reg = given(map, 'regDataset') ? map.get('regDataset') : 'reg-plane';
    if (!(reg in REGRESSION)) notes.push(`regDataset '${reg}' is not available here (using reg-plane)`);
    set('dataset', REGRESSION[reg] ?? 'plane', 'regDataset');
  } else {
    const ds = given(map, 'dataset') ? map.get('dataset') : 'circle';
    if (!CLASSIFICATION.includes(ds)) notes.push(`dataset '${ds}' is not one of ${CLASSIFICATION.join(', ')} (using circle)`);
    set('dataset', CLASSIFICATION.includes(ds) ? ds : 'circle', 'dataset');
  }
  set('points', String(POINTS[problem] ?? POINTS.classification), 'problem');
  if (problem !== 'regression') notes.push('output and cost are this lab\'s auto (sigmoid + cross-entropy, not tanh + squared error)');

  // Numbers and names that mean the same here: copied, and validated by state.js under the Playground's key name.
  for (const [from, to] of [['activation', 'activation'], ['learningRate', 'learningRate'], ['noise', 'noise'],
    ['batchSize', 'batchSize'], ['regularizationRate', 'regularizationRate'], ['percTrainData', 'trainRatio'],
    ['networkShape', 'layers']]) {
    if (map.has(from) && (from === 'networkShape' || given(map, from))) set(to, map.get(from), from);
  }
  if (given(map, 'regularization')) {
    const r = map.get('regularization');
    set('regularization', { L1: 'l1', L2: 'l2', none: 'none' }[r] ?? r, 'regularization');
  }
  for (const key of ['showTestData', 'discretize']) if (given(map, key)) set(key, String(flag(map, key, false)), key);
  if (given(map, 'seed')) set('seed', String(seedOf(map.get('seed'))), 'seed');
  set('init', flag(map, 'initZero', false) ? 'zeros' : 'uniform', 'initZero');   // U(−0.5, 0.5), b = 0.1

  // Hidden controls; a hidden input is also one the Playground's network does not use.
  const hiddenInputs = new Set();
  for (const [key, value] of map) {
    if (!key.endsWith('_hide') || key.length <= 5) continue;
    const name = key.slice(0, -5);
    if (!Object.hasOwn(CONTROL_OF, name)) { unknown.push(key); continue; }
    if (value !== 'true') continue;
    if (CONTROL_OF[name]) hidden.add(CONTROL_OF[name]);
    if (name in FEATURES) hiddenInputs.add(name);
  }
  const features = Object.keys(FEATURES).filter((f) => !hiddenInputs.has(f) && flag(map, f, f === 'x' || f === 'y'));
  if (features.length === 0) notes.push('no input feature is on (using x₁, x₂)');
  set('features', features.length ? features.map((f) => FEATURES[f]) : ['x1', 'x2'], 'x');
  const cos = ['cosX', 'cosY'].filter((f) => flag(map, f, false));
  if (cos.length) notes.push(`${cos.join(' and ')}: not ${cos.length > 1 ? 'features' : 'a feature'} here`);
  if (given(map, 'tutorial')) notes.push(`tutorial '${map.get('tutorial').slice(0, 30)}' is not available here`);

  // collectStats (the Playground's analytics) and hideText (its article text; this lab has none) need nothing.
  for (const key of map.keys()) if (!isKnown(key) && !(key.endsWith('_hide') && key.length > 5)) unknown.push(key);
  return { values, source, hiddenControls: [...hidden], notes, unknown };
}
