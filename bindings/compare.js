// Comparing two results of `backprop-lab trace` number by number (the CLI's `trace --check`): same keys and
// shapes, and every number within `tolerance` relative, |a − b| ≤ tolerance · max(|a|, |b|), or both below
// 1e-300 (two zeros, or two underflows). Booleans and strings must be equal.
export function mismatches(actual, expected, tolerance) {
  const differences = [];
  let count = 0, worst = 0;
  const walk = (a, e, path) => {
    if (typeof e === 'number') {
      count += 1;
      if (typeof a !== 'number') { differences.push(`${path}: got ${JSON.stringify(a)}, expected ${e}`); return; }
      const scale = Math.max(Math.abs(a), Math.abs(e));
      const rel = scale < 1e-300 ? 0 : Math.abs(a - e) / scale;
      if (!(rel <= tolerance)) differences.push(`${path}: got ${a}, expected ${e} (relative difference ${rel.toExponential(2)})`);
      else worst = Math.max(worst, rel);
    } else if (Array.isArray(e)) {
      if (!Array.isArray(a) || a.length !== e.length) { differences.push(`${path}: got ${Array.isArray(a) ? `${a.length} entries` : JSON.stringify(a)}, expected ${e.length} entries`); return; }
      e.forEach((v, i) => walk(a[i], v, `${path}[${i}]`));
    } else if (e !== null && typeof e === 'object') {
      if (a === null || typeof a !== 'object' || Array.isArray(a)) { differences.push(`${path}: got ${JSON.stringify(a)}, expected an object`); return; }
      for (const k of Object.keys(e)) {
        if (!(k in a)) differences.push(`${path}.${k}: missing from the result`);
        else walk(a[k], e[k], `${path}.${k}`);
      }
      for (const k of Object.keys(a)) if (!(k in e)) differences.push(`${path}.${k}: in the result, not in the file's trace`);
    } else if (a !== e) {
      differences.push(`${path}: got ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`);
    }
  };
  walk(actual, expected, 'trace');
  return { count, worst, differences };
}
