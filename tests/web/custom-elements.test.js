// The element's descriptions for tools, against what the element accepts (web/src/state.js's SCHEMA):
// custom-elements.json is what scripts/custom-elements.js generates now, and web/backprop-lab.d.ts (the
// element's types) names the same state keys with the same values, the same attributes and the same members.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { SCHEMA, KEYS, ATTRIBUTES } from '../../web/src/state.js';
import { text, manifest, MEMBERS, CSS_PROPERTIES } from '../../scripts/custom-elements.js';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const dts = read('web/backprop-lab.d.ts');

// The body of `interface NAME … { … }` / `class NAME … { … }` (no nested braces inside these bodies but
// object types on one line, which the member regexes below do not need).
function body(kind, name) {
  const start = new RegExp(`${kind} ${name}\\b[^{]*\\{`).exec(dts);
  expect(start, `${kind} ${name} in web/backprop-lab.d.ts`).not.toBeNull();
  let depth = 1, i = start.index + start[0].length;
  const from = i;
  for (; depth > 0 && i < dts.length; i++) depth += dts[i] === '{' ? 1 : dts[i] === '}' ? -1 : 0;
  return dts.slice(from, i - 1).replace(/\/\*\*[\s\S]*?\*\//g, '');  // without the doc comments
}
// `name: type;` / `'name'?: type;` members of an interface body → Map(name → type text)
function members(src) {
  const out = new Map();
  for (const m of src.matchAll(/^\s*'?([\w-]+)'?\??:\s*([^;]+);/gm)) out.set(m[1], m[2].trim());
  return out;
}
const literals = (type) => [...type.matchAll(/'([^']*)'/g)].map((m) => m[1]).sort();

describe('custom-elements.json', () => {
  it('is what scripts/custom-elements.js generates from SCHEMA (run `node scripts/custom-elements.js` after changing state.js)', () => {
    expect(read('custom-elements.json')).toBe(text());
  });

  it('lists every state attribute and the four element-only ones, with the schema defaults', () => {
    const [decl] = manifest().modules[0].declarations;
    expect(decl.tagName).toBe('backprop-lab');
    expect(decl.attributes.map((a) => a.name)).toEqual([...ATTRIBUTES, 'controls', 'views', 'autoplay', 'sync-url', 'hints']);
    const byName = Object.fromEntries(decl.attributes.map((a) => [a.name, a]));
    expect(byName['learning-rate'].default).toBe(String(SCHEMA.learningRate.default));
    expect(byName.layers.default).toBe(SCHEMA.layers.default.join(','));
    expect(byName.seed.default).toBeUndefined();
    expect(byName.dataset.type.text.split(' | ')).toEqual([...SCHEMA.dataset.options, ...SCHEMA.dataset.extraOptions].map((o) => `'${o.value}'`));
    expect(decl.events.map((e) => e.name)).toEqual(['epoch']);
  });
});

describe('the theme tokens', () => {
  // lab.css's declarations of one rule: `selector { --bp-x: v; … }` → Map(name → value)
  const css = read('web/src/lab.css');
  const tokens = (selector) => {
    const i = css.indexOf(`${selector} {`);
    expect(i, selector).toBeGreaterThanOrEqual(0);
    const body = css.slice(i, css.indexOf('}', i));
    return new Map([...body.matchAll(/(--bp-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
  };

  it('the manifest lists exactly the --bp-* properties lab.css defines, with their light and dark values', () => {
    const light = tokens(':host'), dark = tokens(':host(:state(dark))');
    const listed = CSS_PROPERTIES.filter(([, , l]) => l !== undefined);
    expect(listed.map(([n]) => n).sort()).toEqual([...light.keys()].sort());
    for (const [name, , l, d] of listed) {
      expect(light.get(name), name).toBe(l);
      if (name !== '--bp-stroke-scale') expect(dark.get(name), `${name} (dark)`).toBe(d);
    }
    expect([...dark.keys()].every((k) => light.has(k))).toBe(true);
    // every token lab.css mentions in its doc comment is listed, and every listed one is documented there
    const comment = css.slice(0, css.indexOf('*/'));
    for (const [name] of CSS_PROPERTIES) expect(comment, name).toContain(name);
    expect(manifest().modules[0].declarations[0].cssProperties.map((p) => p.name)).toEqual(CSS_PROPERTIES.map(([n]) => n));
  });

  it('every --bp-* name the lab\'s code uses is a documented token', () => {
    const names = new Set(CSS_PROPERTIES.map(([n]) => n));
    for (const path of ['web/src/lab.css', 'web/src/views/network.css', 'web/src/views/boundary.js', 'web/src/views/costchart.js', 'web/src/views/gradients.js', 'web/src/views/history.js', 'web/src/notices.js', 'web/src/share.js', 'web/src/help.js', 'web/src/hints.js', 'web/src/tips.js']) {
      for (const [, name] of read(path).matchAll(/(--bp-[a-z-]+)/g)) expect(names.has(name), `${path}: ${name}`).toBe(true);
    }
  });
});

describe('web/backprop-lab.d.ts', () => {
  it('BackpropLabState has exactly the SCHEMA keys, and each enum/set the same values', () => {
    const state = members(body('interface', 'BackpropLabState'));
    expect([...state.keys()].sort()).toEqual([...KEYS].sort());
    for (const [key, s] of Object.entries(SCHEMA)) {
      const type = state.get(key);
      if (s.type === 'enum') expect(literals(type), key).toEqual([...s.options, ...(s.extraOptions ?? [])].map((o) => o.value).sort());
      else if (s.type === 'set') expect(literals(type), key).toEqual(s.options.map((o) => o.value).sort());
      else if (s.type === 'boolean') expect(type, key).toBe('boolean');
      else if (s.type === 'sizes') expect(type, key).toBe('number[]');
      else if (s.type === 'view' || s.type === 'points') expect(type, key).toBe('string');
      else expect(type, key).toBe('number');
    }
  });

  it('BackpropLabAttributes has exactly the attributes custom-elements.json lists', () => {
    const attrs = members(body('interface', 'BackpropLabAttributes'));
    const [decl] = manifest().modules[0].declarations;
    expect([...attrs.keys()].sort()).toEqual(decl.attributes.map((a) => a.name).sort());
  });

  it('the class declares the members custom-elements.json lists, and the epoch event', () => {
    const cls = body('class', 'BackpropLab');
    for (const m of MEMBERS) {
      const re = m.kind === 'method' ? new RegExp(`^\\s*${m.name}\\(`, 'm') : new RegExp(`^\\s*(static )?(readonly |get |set )?${m.name}\\b`, 'm');
      expect(re.test(cls), `${m.kind} ${m.name}`).toBe(true);
    }
    const declared = [...cls.matchAll(/^\s*(?:static )?(?:readonly |get |set )?(\w+)[(:<]/gm)].map((m) => m[1])
      .filter((n) => !['addEventListener', 'removeEventListener', 'observedAttributes'].includes(n));
    expect([...new Set(declared)].sort()).toEqual(MEMBERS.map((m) => m.name).sort());
    expect(members(body('interface', 'BackpropLabEventMap')).get('epoch')).toBe('CustomEvent<EpochDetail>');
    expect(dts).toMatch(/interface HTMLElementTagNameMap\s*\{\s*'backprop-lab': BackpropLab;/);
  });
});
