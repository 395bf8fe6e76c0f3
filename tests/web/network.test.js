// The pure helpers of the network diagram (web/src/views/network.js); the view itself is looked at in
// web/dev/network.html.
import { describe, it, expect } from 'vitest';
import { featureValue, copyPadded, nextPaint, FEATURES, LIMITS } from '../../web/src/views/network.js';
import { paramName, formatValue, parseValue } from '../../web/src/views/card.js';

describe('network view helpers', () => {
  it('featureValue matches the engine features', () => {
    expect(featureValue('x1', 2, -3)).toBe(2);
    expect(featureValue('x2', 2, -3)).toBe(-3);
    expect(featureValue('x1sq', 2, -3)).toBe(4);
    expect(featureValue('x2sq', 2, -3)).toBe(9);
    expect(featureValue('x1x2', 2, -3)).toBe(-6);
    expect(featureValue('sinx1', 2, -3)).toBeCloseTo(Math.sin(2), 15);
    expect(featureValue('sinx2', 2, -3)).toBeCloseTo(Math.sin(-3), 15);
    expect(() => featureValue('x3', 0, 0)).toThrow(/unknown feature/);
    expect(FEATURES.map((f) => f.name)).toEqual(['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2']);
    for (const f of FEATURES) expect(Math.abs(featureValue(f.name, 6, -6) * f.scale)).toBeLessThanOrEqual(1);
  });
  it('names parameters in book notation, counting neurons from 1', () => {
    expect(paramName(2, 0, 2)).toBe('w²₁₃');
    expect(paramName(1, 3, -1)).toBe('b¹₄');
    expect(paramName(3, 11, 2)).toBe('w³₁₂,₃');
  });
  it('formats values compactly with a real minus sign', () => {
    expect(formatValue(0.12345)).toBe('0.123');
    expect(formatValue(-0.0045)).toBe('−4.5e-3');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(12345)).toBe('1.2e4');
    expect(formatValue(NaN)).toBe('NaN');
    expect(LIMITS).toEqual({ minLayers: 0, maxLayers: 8, minNeurons: 1, maxNeurons: 16 });
  });
  it('reads a typed value: JS number syntax, a real minus sign or a decimal comma; anything else is NaN', () => {
    expect(parseValue(' −2.5 ')).toBe(-2.5);
    expect(parseValue('1,5')).toBe(1.5);
    expect(parseValue('3e-2')).toBe(0.03);
    expect(parseValue('.5')).toBe(0.5);
    for (const bad of ['', 'oops', '1e999', '0x10', '2.5.1', 'Infinity']) expect(parseValue(bad)).toBeNaN();
  });
  it('nextPaint: a large network while playing repaints the thumbnails or the changed links per frame, never both, the thumbnails at least every other frame', () => {
    expect(nextPaint(false, true, 'links')).toBe('both');          // small network, or a single frame
    expect(nextPaint(false, false, 'neurons-only')).toBe('both');
    expect(nextPaint(true, false, 'neurons-only')).toBe('neurons-only');  // links unchanged: thumbnails every frame
    // links changing in every frame: they alternate, starting with the links
    const seq = [];
    let last = 'both';
    for (let i = 0; i < 6; i++) seq.push(last = nextPaint(true, true, last));
    expect(seq).toEqual(['links', 'neurons-only', 'links', 'neurons-only', 'links', 'neurons-only']);
    // whatever the sequence of changes, no two frames in a row leave the thumbnails waiting
    last = 'both';
    for (let i = 0; i < 200; i++) {
      const next = nextPaint(true, (i * 7919) % 3 !== 0, last);
      expect(last === 'links' && next === 'links').toBe(false);
      last = next;
    }
  });
  it('copies a thumbnail into an atlas cell with its edges repeated around it', () => {
    // 2 × 2 source into a 6 px wide atlas, cell (4 × 4) at x = 1, y = 1; 0 = untouched
    const dst = new Uint32Array(6 * 6), src = Uint32Array.of(1, 2, 3, 4);
    copyPadded(dst, 6, 6 + 1, src, 2);
    expect(Array.from(dst)).toEqual([
      0, 0, 0, 0, 0, 0,
      0, 1, 1, 2, 2, 0,
      0, 1, 1, 2, 2, 0,
      0, 3, 3, 4, 4, 0,
      0, 3, 3, 4, 4, 0,
      0, 0, 0, 0, 0, 0,
    ]);
  });
});
