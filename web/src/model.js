// Model files in the lab (loaded on first use, see "How a feature plugs in" in lab.js): a network in the
// engine's toJSON() format replaces the lab's network, and the lab's settings follow it — or the file is
// refused with an Error that says why and what the lab can show. The lab shows a network faithfully (its
// state, diagram, link and +/− buttons all from the model) only within its own limits, so a file outside them
// is refused before anything changes; the JS API and the CLI take any network the engine takes.
//
// Main-thread budget: the size is checked before a byte is read, so the largest file this parses is
// MAX_BYTES (~10 ms of JSON.parse); the engine's own checks and the swap run in the worker.
import { SCHEMA, validate, resolve, networkSizes } from './state.js';
import { show } from '../../bindings/show.js';

/** A network the lab can show is a few kB to ~100 kB of JSON; anything over this is refused unread. */
export const MAX_BYTES = 1_000_000;

const LIMITS = {
  hidden: SCHEMA.layers.maxItems, width: SCHEMA.layers.max,
  features: SCHEMA.features.options.map((o) => o.value),
  activations: SCHEMA.activation.options.map((o) => o.value),
};
const WHAT_FITS = `the lab shows networks of up to ${LIMITS.hidden} hidden layers of 1–${LIMITS.width} neurons on the features ${LIMITS.features.join(', ')} (the JS API and the CLI take larger ones)`;
// The lab's own Errors, so that a guarded read can tell them from what a getter or a Proxy threw.
const ours = new WeakSet();
const fail = (message) => { const e = new Error(`model file: ${message}`); ours.add(e); throw e; };
/**
 * f() looks at the caller's value: whatever a revoked Proxy, a getter or a Proxy trap throws there becomes an
 * Error naming the model (the JS API's "… cannot be read (…)", bindings/api.js read()), not a raw TypeError.
 */
async function readable(f) {
  try {
    return await f();
  } catch (e) {
    if (ours.has(e)) throw e;
    return fail(`cannot be read (${e instanceof Error ? e.message : show(e)}); loadModel() takes a toJSON() object, its JSON text, or a File/Blob of it`);
  }
}

// A plain copy of the model, read once: a Proxy (Vue's reactive() gives one) cannot be posted to the worker
// (structured clone refuses it), and what was checked is then what loads. checkForLab has bounded the arrays.
function plain(v) {
  if (v === null || typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
  if (ArrayBuffer.isView(v)) return v.slice();
  if (Array.isArray(v)) return Array.from(v, plain);
  return Object.fromEntries(Object.keys(v).map((k) => [k, plain(v[k])]));
}
const mb = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

function parse(text) {
  if (text.length > MAX_BYTES) fail(`it is ${mb(text.length)}, more than the ${mb(MAX_BYTES)} a lab reads; ${WHAT_FITS}`);
  try { return JSON.parse(text); } catch (e) { return fail(`not JSON (${e.message})`); }
}

/**
 * Checks a parsed model against what the lab can show and returns the settings it implies (a state patch).
 * Throws an Error naming the first thing that does not fit. The engine's defaults for missing fields are
 * those of networkFromJSON (bindings/api.js: activation sigmoid, output = activation, cost quadratic).
 */
export function checkForLab(obj, state) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) fail('must be a JSON object (the engine\'s toJSON format)');
  const { layers, features } = obj;
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => Number.isInteger(n) && n >= 1)) fail(`"layers" must be a list of at least 2 positive integers, got ${JSON.stringify(layers)?.slice(0, 60)}`);
  const hidden = layers.slice(1, -1), outputs = layers.at(-1);
  if (hidden.length > LIMITS.hidden) fail(`it has ${hidden.length} hidden layers; ${WHAT_FITS}`);
  const wide = hidden.findIndex((n) => n > LIMITS.width);
  if (wide >= 0) fail(`hidden layer ${wide + 1} has ${hidden[wide]} neurons; ${WHAT_FITS}`);
  if (features === undefined || features === null) fail(`it has no "features": the lab needs a network on input features (${LIMITS.features.join(', ')})`);
  if (!Array.isArray(features) || features.some((f) => !LIMITS.features.includes(f))) fail(`"features" must be a list of ${LIMITS.features.join(', ')}, got ${JSON.stringify(features)?.slice(0, 60)}`);
  if (layers[0] !== features.length) fail(`layers[0] is ${layers[0]}, but it lists ${features.length} features`);
  const need = networkSizes(state).at(-1);
  if (outputs !== need) fail(`the network has ${outputs} output(s), the current data (${state.dataset}) needs ${need}`);
  const activation = obj.activation ?? 'sigmoid', outputActivation = obj.outputActivation ?? activation, cost = obj.cost ?? 'quadratic';
  if (!LIMITS.activations.includes(activation)) fail(`its hidden activation '${activation}' is not one the lab offers (${LIMITS.activations.join(', ')})`);
  // Every weight row has the right length before the model is copied to the worker (a bogus file can be
  // huge inside a small "layers"); the engine checks the values.
  const L = layers.length - 1;
  const { weights, biases } = obj;
  if (!Array.isArray(weights) || weights.length !== L || weights.some((w, l) => !Array.isArray(w) || w.length !== layers[l + 1] || w.some((row) => !Array.isArray(row) || row.length !== layers[l]))) {
    fail(`"weights" must hold ${L} matrices of sizes ${layers.slice(1).map((n, l) => `${n}×${layers[l]}`).join(', ')}`);
  }
  if (!Array.isArray(biases) || biases.length !== L || biases.some((b, l) => !Array.isArray(b) || b.length !== layers[l + 1])) {
    fail(`"biases" must hold ${L} vectors of sizes ${layers.slice(1).join(', ')}`);
  }
  const patch = { features: [...features], layers: hidden, activation, output: outputActivation, cost };
  for (const k of ['init', 'seed']) if (obj[k] !== undefined) patch[k] = obj[k];
  const { state: next } = validate({ ...state, ...patch }, state);
  // The lab would train this network with the output and cost it resolves from its settings: they must be
  // the file's, or the link, the controls and the notices would describe another network.
  const r = resolve(next);
  if (outputActivation === 'softmax' && outputs === 1) fail('its output is a softmax over 1 output, which is 1 whatever the weights (it cannot learn); the lab uses softmax for 3 or more classes');
  if (r.outputActivation !== outputActivation || r.cost !== cost || next.output !== outputActivation) {
    fail(`its output ${outputActivation} with the ${cost} cost is not a combination the lab trains on ${state.dataset} (it would use ${r.outputActivation} with ${r.cost})`);
  }
  return patch;
}

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  async function load(source) {
    let name = 'the model';
    const { patch, model } = await readable(async () => {
      let obj;
      if (typeof Blob !== 'undefined' && source instanceof Blob) {
        name = source.name || name;
        if (source.size > MAX_BYTES) fail(`${name} is ${mb(source.size)}, more than the ${mb(MAX_BYTES)} a lab reads; ${WHAT_FITS}`);
        obj = parse(await source.text());
      } else if (typeof source === 'string') {
        obj = parse(source);
      } else {
        obj = source;
      }
      return { patch: checkForLab(obj, lab.state), model: plain(obj) };
    });
    await lab.call('import', { model });
    lab.adopt(patch);
    lab.views.cost.reset();
    lab.views.gradients?.reset();  // (not there until the panel was in view)
    lab.notice(`Loaded ${name}: the weights come from the file (a link to this lab reproduces its settings, not these weights).`, { level: 'info', key: 'loaded' });
  }

  function download(json, epoch) {
    const blob = new Blob([JSON.stringify(json, null, 1)], { type: 'application/json' });
    const a = lab.h('a', { href: URL.createObjectURL(blob), download: `backprop-lab-${lab.state.dataset}-epoch-${epoch}.json` });
    lab.root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  return { load, download, checkForLab };
}
