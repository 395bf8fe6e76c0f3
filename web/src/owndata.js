// Own data in and out (loaded on first use, see "How a feature plugs in" in lab.js): the element's `data` setter
// and loadCSV(), which the CSV dialog (csvdialog.js) and drawing (draw.js) share, and the current data as CSV.
// Every way in goes through the same checks (data/points.js, data/csv.js) before anything changes, so bad input
// gives an Error that names the field or the line and column, and the lab keeps its data and network.
import { encodeData, decodeData, splitData, OWN_LIMITS } from './data/points.js';
import { parseCSV, exportCSV, fitToView, describeTransform, CSVError } from './data/csv.js';
import { show } from '../../bindings/show.js';

export { OWN_LIMITS, CSVError };

const fmt = (n) => n.toLocaleString('en-US');

/** "2025-06-01-1432": when, for file names (local time, sortable). */
export function stamp(date = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** Saves a Blob as a file (a download link in the lab's shadow root, clicked and removed). */
export function download(lab, blob, name) {
  const a = lab.h('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
  lab.root.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

/** How many points lie outside the view [−6, 6]² (they train, but the boundary does not show them). */
const outsideView = (points) => points.filter(([x1, x2]) => Math.abs(x1) > 6 || Math.abs(x2) > 6).length;

/**
 * The current data with each point's set: { points, kind, classes, sets } — own data in its own order, marked
 * by the split the worker makes (splitData: train ratio and data seed); a generated dataset's training points,
 * then its test points.
 */
export function currentData(lab) {
  const d = lab.element.data, s = lab.state;
  if (!d) return null;
  let sets;
  if (s.dataset === 'own') {
    const { test } = splitData(d.points.length, s.trainRatio, s.seed), isTest = new Set(test);
    sets = d.points.map((_, i) => (isTest.has(i) ? 'test' : 'train'));
  } else {
    const nTrain = (lab.frame?.data?.train.length ?? 0) / 2;
    sets = d.points.map((_, i) => (i < nTrain ? 'train' : 'test'));
  }
  return { ...d, sets };
}

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  /**
   * el.data = value: own points ({ points, kind?, classes? } or a list of [x1, x2, label]) replace the data; the
   * network is kept where its shape allows. Throws an Error naming the field; nothing changes then.
   */
  function setData(value) {
    const text = encodeData(value);
    const { points } = decodeData(text);
    lab.set({ dataset: 'own', data: text }, { keepNetwork: true, now: true });
    const out = outsideView(points);
    if (out) lab.notice(`${fmt(out)} of the ${fmt(points.length)} points lie outside the view's [−6, 6]: they train, but the boundary does not show them (the CSV dialog can fit them to the view).`, { level: 'info', key: 'data-outside' });
    else lab.dismiss('data-outside');
  }

  /**
   * CSV text → the lab's data (a fresh network: a file is a new problem), as the dialog's Load does. Coordinates
   * outside [−6, 6] are fitted to the view unless options.fit is false; the notice offers to undo that. Throws the
   * CSVError (line, column) or an Error; nothing changes then. → { rows, kind, labels, classNames, fitted, summary }
   */
  function loadCSV(text, options = {}) {
    if (options === null || typeof options !== 'object') throw new Error(`loadCSV: options must be an object like { fit: false }, got ${show(options)}`);
    const { fit = true, name = 'the CSV' } = options;
    if (fit !== true && fit !== false) throw new Error(`loadCSV: options.fit must be true or false, got ${show(fit)}`);
    const csv = parseCSV(text);
    const fitted = csv.outside && fit ? fitToView(csv.points, { kind: csv.kind }) : null;
    const points = fitted ? fitted.points : csv.points;
    let data;
    try {
      data = encodeData({ points, kind: csv.kind, ...(csv.kind === 'regression' ? {} : { classes: csv.classes }) });
    } catch (e) {
      throw new Error(`${e.message.replace(/^data: /, '')}`);
    }
    lab.set({ dataset: 'own', data }, { now: true });
    const sets = csv.sets ? ' Its train/test column is not kept: the lab splits the points by the training ratio.' : '';
    const actions = [];
    if (fitted) {
      // Undo: the file's own coordinates (when the text form can hold them), the network kept.
      let raw = null;
      try { raw = encodeData({ points: csv.points, kind: csv.kind, ...(csv.kind === 'regression' ? {} : { classes: csv.classes }) }); } catch { /* beyond ±6000 */ }
      if (raw) actions.push({ label: 'Undo the fit', run: () => { if (lab.state.data === data) lab.set({ data: raw }, { keepNetwork: true }); } });
    }
    lab.notice(`Loaded ${name}: ${csv.summary.replace(/; some lie outside the view \[−6, 6\]/, '')}${fitted ? ` Fitted to the view: ${describeTransform(fitted.transform)}.` : ''}${sets}`, { level: 'info', key: 'data-loaded', actions });
    return { rows: csv.points.length, kind: csv.kind, labels: csv.labels, classNames: csv.classNames, fitted: fitted ? fitted.transform : null, summary: csv.summary };
  }

  /** The current data as a CSV file: x1,x2,label,set (train/test). */
  function downloadCSV() {
    const d = currentData(lab);
    if (!d) throw new Error('Download CSV: the data are not there yet (the lab has not drawn its first frame)');
    const blob = new Blob([exportCSV(d)], { type: 'text/csv' });
    download(lab, blob, `backprop-lab-data-${lab.state.dataset}-${stamp()}.csv`);
    return d.points.length;
  }

  return { setData, loadCSV, downloadCSV, currentData: () => currentData(lab) };
}
