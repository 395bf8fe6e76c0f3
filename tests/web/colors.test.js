// The colour helpers every view paints with: parsing, the diverging scale's ends and midpoint, and the
// lookup table the heatmaps index.
import { describe, it, expect } from 'vitest';
import { rgb, diverging, divergingTable, ramp, ORANGE, NEUTRAL, BLUE } from '../../web/src/colors.js';

describe('colors.js', () => {
  it('parses hex and rgb() and formats both ways', () => {
    expect(rgb('#f59322')).toMatchObject({ r: 245, g: 147, b: 34 });
    expect(rgb('rgb(8, 119, 189)').formatHex()).toBe('#0877bd');
    expect(rgb(300, -4, 12.6).toString()).toBe('rgb(255, 0, 13)');
    expect(() => rgb('blue')).toThrow(/cannot parse colour "blue"/);
  });
  it('the diverging scale: orange at lo, neutral at the middle, blue at hi, clamped, NaN to lo', () => {
    const s = diverging(0, 1);
    expect(s(0)).toBe(rgb(ORANGE).toString());
    expect(s(0.5)).toBe(rgb(NEUTRAL).toString());
    expect(s(1)).toBe(rgb(BLUE).toString());
    expect(s(7)).toBe(s(1));
    expect(s(-7)).toBe(s(0));
    expect(s(NaN)).toBe(s(0));
  });
  it('ramps interpolate linearly in RGB between evenly spaced stops', () => {
    expect(ramp(['#000000', '#ffffff'])(0.5)).toBe('rgb(128, 128, 128)');
    expect(ramp(['#000000', '#ff0000', '#ffffff'])(0.25)).toBe('rgb(128, 0, 0)');
  });
  it('the lookup table has the scale at its ends', () => {
    const t = divergingTable(-1, 1, 256);
    expect(t.length).toBe(768);
    expect([...t.slice(0, 3)]).toEqual([245, 147, 34]);
    expect([...t.slice(765)]).toEqual([8, 119, 189]);
  });
});
