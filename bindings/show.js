// The "got …" of every error message the JS API (api.js) and the <backprop-lab> element (web/src/lab.js and
// its modules) give about a value they were handed: one description, so that the type shows — a string is
// quoted ('3', not 3, which reads as the number), an array is [1,2], an object {"a":1}.

/**
 * A short description of any value for an error message. It never throws and never recurses deeply: the
 * value may be a revoked Proxy, have throwing getters, or be nested 100,000 levels deep.
 */
export const show = (v, max = 80) => {
  // a string is cut inside its quotes, so that it still reads as a string ('c2.AAAA…'), at most max in all
  const room = Math.min(60, max - 3);
  if (typeof v === 'string') return `'${v.length > room ? `${v.slice(0, room)}…` : v}'`;
  const s = describe(v, 0);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

function describe(v, depth) {
  try {
    if (typeof v === 'string') return `'${v.length > 60 ? `${v.slice(0, 60)}…` : v}'`;
    if (typeof v === 'number') return String(v);
    if (typeof v === 'bigint') return `${v}n`;
    if (v === undefined || v === null || typeof v === 'boolean') return String(v);
    if (typeof v === 'symbol') return String(v.description ?? 'symbol');
    if (typeof v === 'function') return 'a function';
    if (ArrayBuffer.isView(v)) return `${Object.prototype.toString.call(v).slice(8, -1)} of length ${v.length ?? v.byteLength}`;
    if (Array.isArray(v)) {
      if (depth >= 2) return v.length ? '[…]' : '[]';
      const items = [];
      for (let i = 0; i < Math.min(v.length, 8); i++) items.push(describe(v[i], depth + 1));
      return `[${items.join(',')}${v.length > 8 ? ',…' : ''}]`;
    }
    if (depth >= 2) return '{…}';
    const keys = Object.keys(v);
    const items = keys.slice(0, 6).map((k) => `"${k.length > 20 ? `${k.slice(0, 20)}…` : k}":${describe(v[k], depth + 1)}`);
    return `{${items.join(',')}${keys.length > 6 ? ',…' : ''}}`;
  } catch {
    return 'an unreadable value';
  }
}
