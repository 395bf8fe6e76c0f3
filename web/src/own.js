// Own data, one chunk loaded on first use (see "How a feature plugs in" in lab.js): the element's `data` and
// loadCSV() with the CSV download (owndata.js), draw mode (draw.js) and the CSV dialog (csvdialog.js), each
// attached to the lab the first time it is used.
import { attach as attachData } from './owndata.js';
import { attach as attachDraw } from './draw.js';
import { attach as attachCsv } from './csvdialog.js';

/** @param {object} lab the lab's feature interface (lab.js) */
export function attach(lab) {
  const data = attachData(lab);
  let draw = null, csv = null;
  return {
    ...data,
    draw: () => (draw ??= attachDraw(lab)),
    csv: () => (csv ??= attachCsv(lab)),
    destroy() { draw?.destroy(); },
  };
}
