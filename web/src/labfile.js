// Save lab / Load lab (loaded on first use, see "How a feature plugs in" in lab.js): one JSON file with the
// settings (the whole state, own data included), the network's weights, the epoch, and where training stands in
// its mini-batch order (the engine's schedule: the shuffle generator and the position in the epoch). Loading it
// puts all of them back, so the next epoch is the one the saved lab would have trained: the same cost after it.
// A link cannot hold all of this (weights, large own data); the file can, and it is what Share offers then.
//
//   { "format": "backprop-lab/lab", "version": 1, "saved": ISO date, "epoch": n,
//     "state": { …state.js keys… }, "model": net.toJSON(), "schedule": net.schedule() }
import { validate, resolve, DEFAULTS } from './state.js';
import { checkForLab } from './model.js';
import { download, stamp } from './owndata.js';

export const FORMAT = 'backprop-lab/lab';
/** A lab file is the model (≤ ~1 MB at the lab's limits) plus own data (≤ ~10 kB) and the schedule: refused above this, unread. */
export const MAX_BYTES = 4_000_000;
const fail = (message) => { throw new Error(`lab file: ${message}`); };
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Checks a parsed lab file and returns { state, model, schedule, epoch }; throws an Error naming the first
 * thing that is wrong. The state must be valid as it is (a setting that would fall back is an error here),
 * and the network must be one this state trains (model.js checkForLab).
 */
export function checkLabFile(obj) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) fail('must be a JSON object');
  if (obj.format !== FORMAT) fail(`"format" must be "${FORMAT}" (a file from Save lab), got ${JSON.stringify(obj.format)?.slice(0, 60)}${obj.format === 'backprop-lab/network' ? ' — that is a model file: use Load JSON under Model' : ''}`);
  if (obj.version !== 1) fail(`"version" ${JSON.stringify(obj.version)} is not one this lab reads (1)`);
  const raw = obj.state;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('"state" must be an object of settings');
  const { state, notices } = validate(raw, DEFAULTS);
  if (notices.length) fail(`"state": ${notices[0]}`);
  if (state.seed === undefined) fail('"state" has no seed');
  if (!Number.isInteger(obj.epoch) || obj.epoch < 0) fail(`"epoch" must be a whole number ≥ 0, got ${JSON.stringify(obj.epoch)?.slice(0, 30)}`);
  let patch;
  try {
    patch = checkForLab(obj.model, state);
  } catch (e) {
    fail(`"model": ${e.message.replace(/^model file: /, '')}`);
  }
  // The network must be the one the settings describe, or the controls, the link and the diagram would disagree.
  const r = resolve(state), m = obj.model;
  for (const [what, has, want] of [['hidden layers', patch.layers, state.layers], ['features', patch.features, state.features],
    ['hidden activation', [patch.activation], [state.activation]], ['output activation', [m.outputActivation ?? patch.activation], [r.outputActivation]],
    ['cost', [m.cost ?? 'quadratic'], [r.cost]]]) {
    if (String(has) !== String(want)) fail(`"model" has ${what} ${has.join(',') || 'none'}, but "state" says ${want.join(',') || 'none'}`);
  }
  const s = obj.schedule;
  if (s !== undefined && (s === null || typeof s !== 'object' || Array.isArray(s))) fail('"schedule" must be an object (net.schedule())');
  return { state, model: obj.model, schedule: s ?? null, epoch: obj.epoch };
}

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  /** The lab now as a file's object (the engine's weights, epoch and schedule, after every call made before). */
  async function snapshot() {
    const { json, epoch, schedule } = await lab.call('export');
    return { format: FORMAT, version: 1, saved: new Date().toISOString(), epoch, state: lab.state, model: json, schedule };
  }

  async function save() {
    const file = await snapshot();
    const name = `backprop-lab-${file.state.dataset}-epoch-${file.epoch}-${stamp()}.lab.json`;
    download(lab, new Blob([JSON.stringify(file)], { type: 'application/json' }), name);
    return name;
  }

  /** A File/Blob, JSON text or the object → the lab as saved. Nothing changes on error (the Error says why). */
  async function load(source) {
    let obj, name = 'the lab file';
    if (typeof Blob !== 'undefined' && source instanceof Blob) {
      name = source.name || name;
      if (source.size > MAX_BYTES) fail(`${name} is ${mb(source.size)}, more than the ${mb(MAX_BYTES)} a lab file can be`);
      source = await source.text();
    }
    if (typeof source === 'string') {
      if (source.length > MAX_BYTES) fail(`it is ${mb(source.length)}, more than the ${mb(MAX_BYTES)} a lab file can be`);
      try { obj = JSON.parse(source); } catch (e) { fail(`not JSON (${e.message})`); }
    } else obj = source;
    const { state, model, schedule, epoch } = checkLabFile(obj);
    lab.pause();
    // The worker builds the data and the network first and swaps them in only if both are good.
    await lab.call('restore', { state: lab.workerState(state), model, epoch, schedule });
    lab.adopt(state, { replace: true });
    lab.views.cost.reset();
    lab.views.gradients?.reset();
    lab.notice(`Loaded ${name}: its settings, data and weights at epoch ${epoch.toLocaleString('en-US')}; training goes on from there.`, { level: 'info', key: 'loaded' });
    return { epoch };
  }

  return { save, load, snapshot, checkLabFile };
}
