// show(): the "got …" of every error about a value, shared by the JS API (bindings/api.js) and the element
// (web/src/lab.js and its modules). It must show the type (a string quoted, so '3' is not read as 3) and must
// never throw, whatever it is handed.
import { describe, it, expect } from 'vitest';
import { show } from '../../bindings/show.js';

describe('show', () => {
  it('quotes strings, so a string is told from a number, a boolean or null', () => {
    expect(show('3')).toBe("'3'");
    expect(show(3)).toBe('3');
    expect(show('true')).toBe("'true'");
    expect(show(true)).toBe('true');
    expect(show('null')).toBe("'null'");
    expect(show(null)).toBe('null');
    expect(show('')).toBe("''");
    expect(show(['3', 3])).toBe("['3',3]");
    expect(show({ n: '3' })).toBe(`{"n":'3'}`);
  });

  it('names the other types', () => {
    expect(show(3n)).toBe('3n');
    expect(show(undefined)).toBe('undefined');
    expect(show(NaN)).toBe('NaN');
    expect(show(() => 1)).toBe('a function');
    expect(show(new Float32Array(5))).toBe('Float32Array of length 5');
    expect(show(Symbol('s'))).toBe('s');
  });

  it('cuts long values and never throws (a revoked Proxy, a throwing getter, deep nesting)', () => {
    expect(show('x'.repeat(1000))).toBe(`'${'x'.repeat(60)}…'`);
    expect(show('x'.repeat(1000), 10)).toBe(`'${'x'.repeat(7)}…'`);  // cut inside the quotes, 10 in all
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(show(proxy)).toBe('an unreadable value');
    expect(show({ get a() { throw new Error('no'); } })).toBe('an unreadable value');
    let deep = [];
    for (let i = 0; i < 100000; i++) deep = [deep];
    expect(show(deep)).toBe('[[[…]]]');
  });
});
