// loadBackprop({ wasmModule }): a page compiles the .wasm once and hands the module to every lab's worker.
// The instance made from it must compute what a normal load computes, and a wrong value is a clear Error.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadBackprop } from '../../bindings/page.js';

const WASM = new URL('../../bindings/wasm/bp-page.wasm', import.meta.url);

describe('loadBackprop({ wasmModule })', () => {
  it('instantiates a compiled module, separate from the shared instance, with the same numbers', async () => {
    const module = await WebAssembly.compile(readFileSync(WASM));
    const [a, b] = await Promise.all([loadBackprop({ wasmModule: module }), loadBackprop()]);
    expect(a).not.toBe(b);
    const run = (bp) => {
      const d = bp.dataset('moons', { n: 200, noise: 0.1, seed: 4 });
      const net = bp.createNetwork({ layers: [2, 6, 1], features: ['x1', 'x2'], activation: 'tanh', outputActivation: 'sigmoid', cost: 'cross_entropy', seed: 9 });
      const r = net.train(d.inputs, d.targets, { epochs: 20, learningRate: 0.1 });
      net.dispose();
      return r.cost;
    };
    const cost = run(a);
    expect(Number.isFinite(cost)).toBe(true);
    expect(cost).toBe(run(b));
  });

  it('rejects something that is not a WebAssembly.Module, naming the option', async () => {
    await expect(loadBackprop({ wasmModule: new Uint8Array(8) })).rejects.toThrow(/wasmModule: must be a WebAssembly.Module/);
  });
});
