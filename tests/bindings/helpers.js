// Small shared helpers for the bindings tests (not a test file itself).
import { expect } from 'vitest';

/**
 * Lists every place where `actual` and `expected` (nested arrays / objects of numbers) differ by more than
 * tol · max(1, |expected|), or differ in shape or keys. Empty list = agreement.
 */
export function mismatches(actual, expected, tol, path = '$', out = []) {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)))) {
      out.push(`${path}: got ${actual}, expected ${expected}`);
    }
  } else if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    if (!(Array.isArray(actual) || ArrayBuffer.isView(actual)) || actual.length !== expected.length) {
      out.push(`${path}: got length ${actual?.length}, expected ${expected.length}`);
    } else {
      for (let i = 0; i < expected.length; i++) mismatches(actual[i], expected[i], tol, `${path}[${i}]`, out);
    }
  } else if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      out.push(`${path}: got ${actual}, expected an object`);
    } else {
      const ka = Object.keys(actual).sort(), ke = Object.keys(expected).sort();
      if (JSON.stringify(ka) !== JSON.stringify(ke)) out.push(`${path}: keys ${ka} vs expected ${ke}`);
      for (const k of ke) mismatches(actual[k], expected[k], tol, `${path}.${k}`, out);
    }
  } else if (actual !== expected) {
    out.push(`${path}: got ${actual}, expected ${expected}`);
  }
  return out;
}

/** Asserts agreement to tol relative (|a − b| ≤ tol · max(1, |b|)) everywhere, listing the first mismatches. */
export function expectNear(actual, expected, tol) {
  expect(mismatches(actual, expected, tol).slice(0, 20)).toEqual([]);
}

/** A small deterministic generator (LCG) for test data: uniform in [lo, hi). */
export function lcg(seed) {
  let s = seed >>> 0;
  return (lo = 0, hi = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (hi - lo) * (s / 4294967296);
  };
}
