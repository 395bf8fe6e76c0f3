#!/usr/bin/env node
// npx backprop-lab <command> …  — the engine from a terminal, on the public JS API.
//   trace SPEC.json | -      every intermediate of backprop, as JSON (for checking hand calculations); also a
//                            saved walk { format: 'backprop-lab/trace', spec, trace }, and --check compares
//                            the result with the file's trace
//   train --dataset spiral --layers 8,8 …   train on a toy dataset, print progress and the final figures
//   gradcheck --dataset circle --layers 4 … finite differences against backprop
//   --version, --help
// Bad input: a message on stderr naming the field, and exit code 2.
import { createReadStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mismatches } from './compare.js';
import { loadBackprop, DATASETS, ACTIVATIONS, OUTPUT_ACTIVATIONS, COSTS, INITS, FEATURES, PRECISIONS } from './index.js';

// The most `trace` reads from a file or stdin: more than any spec within the engine's limits needs (the
// largest trace a person checks by hand is kilobytes), and it bounds the memory an endless stream can take.
const MAX_SPEC_BYTES = 64 * 1024 * 1024;

const USAGE = `usage: backprop-lab <command> [options]
       backprop-lab --version | --help

commands:
  trace SPEC.json|-        print every intermediate of backprop for a network given in full (JSON); the file
                           may also be a saved walk {"format": "backprop-lab/trace", "spec": {…}, "trace": {…}}
    --check                with a saved walk: recompute it and compare with its "trace"; exit 1 on a mismatch
    --tolerance X          for --check: largest relative difference allowed (default 1e-9)
  train [options]          train on a toy dataset; prints progress and final train/test cost and accuracy
  gradcheck [options]      compare backprop's gradient with central finite differences

options for train and gradcheck:
  --dataset NAME           ${DATASETS.join(', ')} (default spiral)
  --layers 8,8             hidden layer sizes (default 8,8); the input and output sizes follow the data
  --activation NAME        hidden activation: ${ACTIVATIONS.join(', ')} (default tanh)
  --output NAME            output activation: ${OUTPUT_ACTIVATIONS.join(', ')}
                           (default sigmoid; softmax for multi-class data; linear for regression)
  --cost NAME              ${COSTS.join(', ')} (default cross_entropy; quadratic for regression)
  --features LIST          comma-separated from ${FEATURES.join(', ')} (default x1,x2)
  --init NAME              ${INITS.join(', ')} (default xavier)
  --precision NAME         ${PRECISIONS.join(', ')} (default float64)
  --points N               number of points, train + test (default 500)
  --noise X                0..1 (default 0.1)
  --test-ratio X           fraction held out for testing, 0..0.9 (default 0.5)
  --seed N                 seed for the data and the initial weights (default 1)
  --learning-rate X        (default 0.1)
  --batch-size N           (default 10)
  --epochs N               (default 500; train only)
  --l1 X | --l2 X          regularization rate (default 0)
  --shuffle                reshuffle the training data every epoch
  --every N                print progress every N epochs (default: 10 lines in all)
  --json                   print the final result as JSON

A spec is read up to ${MAX_SPEC_BYTES} bytes (64 MiB); a longer file or stream is refused (exit 2).
Numbers are decimal (1, 0.5, 1e-3); bad input: a message on stderr naming the flag, exit 2.
`;

class UsageError extends Error {}

// The API names its fields (learningRate, n, …); on the command line the user typed flags.
const FLAG_OF = {
  dataset: '--dataset', n: '--points', noise: '--noise', testRatio: '--test-ratio', seed: '--seed',
  learningRate: '--learning-rate', batchSize: '--batch-size', epochs: '--epochs', l1: '--l1', l2: '--l2',
  activation: '--activation', outputActivation: '--output', cost: '--cost', init: '--init', precision: '--precision',
  features: '--features', 'l1/l2': '--l1/--l2', 'n/testRatio': '--points/--test-ratio',
};
function asFlags(e) {
  if (e instanceof UsageError) return e;
  const m = /^([A-Za-z0-9/]+)(\[(\d+)\])?: ([\s\S]*)$/.exec(e.message);
  if (m && m[1] === 'layers' && m[3] !== undefined) return new UsageError(`--layers: entry ${Number(m[3])}: ${m[4]}`);
  if (m && FLAG_OF[m[1]]) return new UsageError(`${FLAG_OF[m[1]]}${m[3] !== undefined ? ` (entry ${Number(m[3]) + 1})` : ''}: ${m[4]}`);
  return e;
}
const TRAIN_ONLY = ['learning-rate', 'batch-size', 'epochs', 'every', 'shuffle'];

const OPTIONS = {
  dataset: { type: 'string' }, layers: { type: 'string' }, activation: { type: 'string' },
  output: { type: 'string' }, cost: { type: 'string' }, features: { type: 'string' }, init: { type: 'string' },
  precision: { type: 'string' }, points: { type: 'string' }, noise: { type: 'string' },
  'test-ratio': { type: 'string' }, seed: { type: 'string' }, 'learning-rate': { type: 'string' },
  'batch-size': { type: 'string' }, epochs: { type: 'string' }, l1: { type: 'string' }, l2: { type: 'string' },
  shuffle: { type: 'boolean' }, every: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
};

// A number option: absent → fallback; otherwise a decimal number, all of it ("1e-3" and "-2" yes; "3x",
// "0x10", "Infinity" and "" no — Number() would take the last three).
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
function num(values, name, fallback) {
  const v = values[name];
  if (v === undefined) return fallback;
  if (!DECIMAL.test(v)) throw new UsageError(`--${name}: must be a decimal number, got '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`);
  return Number(v);
}

function setup(bp, values) {
  const name = values.dataset ?? 'spiral';
  const testRatio = num(values, 'test-ratio', 0.5);
  const data = bp.dataset(name, {
    n: num(values, 'points', 500), noise: num(values, 'noise', 0.1), seed: num(values, 'seed', 1), testRatio,
  });
  const hidden = (values.layers ?? '8,8').trim() === '' ? [] : (values.layers ?? '8,8').split(',').map((s, i) => {
    if (!/^\s*\d+\s*$/.test(s)) throw new UsageError(`--layers: entry ${i + 1} must be an integer, got '${s.length > 40 ? `${s.slice(0, 40)}…` : s}'`);
    return Number(s);
  });
  const features = (values.features ?? 'x1,x2').split(',').map((s) => s.trim());
  const regression = data.kind === 'regression';
  const output = values.output ?? (data.kind === 'multiclass' ? 'softmax' : regression ? 'linear' : 'sigmoid');
  const net = bp.createNetwork({
    layers: [features.length, ...hidden, data.outputs], features,
    activation: values.activation ?? 'tanh', outputActivation: output,
    cost: values.cost ?? (regression ? 'quadratic' : 'cross_entropy'),
    init: values.init ?? 'xavier', seed: num(values, 'seed', 1), precision: values.precision ?? 'float64',
  });
  const reg = {};
  if (values.l1 !== undefined) reg.l1 = num(values, 'l1');
  if (values.l2 !== undefined) reg.l2 = num(values, 'l2');
  return { data, net, reg, regression };
}

// The whole file or stdin as text, at most MAX_SPEC_BYTES: reading stops there (an endless stream such as
// /dev/zero ends in an error, not in running out of memory).
async function readSpec(file) {
  const stream = file === '-' ? process.stdin : createReadStream(file);
  const chunks = [];
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      bytes += chunk.length;
      if (bytes > MAX_SPEC_BYTES) {
        stream.destroy();
        throw new UsageError(`trace: ${file === '-' ? 'stdin' : `'${file}'`} is longer than ${MAX_SPEC_BYTES} bytes (64 MiB), the most a spec may have`);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`trace: cannot read '${file}': ${e.code ?? e.message}`);
  }
  // a UTF-8 byte order mark (editors on Windows write one) is not part of the JSON
  return Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '');
}

const TRACE_FORMAT = 'backprop-lab/trace';

async function trace(file, { check = false, tolerance = 1e-9 } = {}) {
  if (!file) throw new UsageError('trace: give a spec file, or - to read it from stdin');
  const text = await readSpec(file);
  let spec;
  try {
    spec = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`spec: malformed JSON (${e.message.slice(0, 200)})`);
  }
  // A saved walk (the lab's "Download JSON"): { format, spec, trace } — its spec is run, and with --check the
  // result is compared with its trace. Other fields (a page may add its own) are ignored.
  let expected = null;
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec) && 'format' in spec) {
    if (spec.format !== TRACE_FORMAT) throw new UsageError(`format: must be '${TRACE_FORMAT}', got ${JSON.stringify(spec.format)}`);
    const walk = spec;
    if (walk.spec === null || typeof walk.spec !== 'object' || Array.isArray(walk.spec)) throw new UsageError('spec: a backprop-lab/trace file needs a "spec" object');
    if (check && (walk.trace === null || typeof walk.trace !== 'object' || Array.isArray(walk.trace))) {
      throw new UsageError('trace: --check needs the file\'s "trace" object to compare with');
    }
    spec = walk.spec;
    expected = walk.trace ?? null;
  } else if (check) {
    throw new UsageError(`--check: needs a saved walk {"format": "${TRACE_FORMAT}", "spec": …, "trace": …}, got a bare spec`);
  }
  const bp = await loadBackprop();
  const result = bp.trace(spec);
  if (!check) {
    // JSON.stringify prints every number with the shortest round-trip representation: full precision.
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const { count, worst, differences } = mismatches(result, expected, tolerance);
  if (differences.length === 0) {
    process.stdout.write(`trace: ok, ${count} numbers agree to ${tolerance} relative (largest difference ${worst.toExponential(2)})\n`);
    return 0;
  }
  process.stderr.write(`trace: ${differences.length} mismatch${differences.length === 1 ? '' : 'es'} beyond ${tolerance} relative:\n`);
  for (const d of differences.slice(0, 20)) process.stderr.write(`  ${d}\n`);
  if (differences.length > 20) process.stderr.write(`  … and ${differences.length - 20} more\n`);
  return 1;
}

async function train(values) {
  const bp = await loadBackprop();
  const { data, net, reg, regression } = setup(bp, values);
  const epochs = num(values, 'epochs', 500);
  if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`--epochs: must be an integer ≥ 1, got ${values.epochs}`);
  const every = num(values, 'every', Math.max(1, Math.round(epochs / 10)));
  if (!Number.isInteger(every) || every < 1) throw new UsageError(`--every: must be an integer ≥ 1, got ${values.every}`);
  const opts = { learningRate: num(values, 'learning-rate', 0.1), batchSize: num(values, 'batch-size', 10), ...reg, shuffle: !!values.shuffle };
  const hasTest = data.testInputs.length > 0;
  const evaluate = () => ({
    train: net.evaluate(data.inputs, data.targets, reg),
    test: hasTest ? net.evaluate(data.testInputs, data.testTargets, reg) : null,
  });
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  const line = (epoch, e) => {
    let s = `epoch ${String(epoch).padStart(String(epochs).length)}  train cost ${e.train.cost.toFixed(5)}`;
    if (e.test) s += `  test cost ${e.test.cost.toFixed(5)}`;
    if (!regression) s += `  train acc ${pct(e.train.accuracy)}${e.test ? `  test acc ${pct(e.test.accuracy)}` : ''}`;
    return s;
  };
  const json = !!values.json;
  net.train(data.inputs, data.targets, { ...opts, epochs: 0 });  // checks the options before anything is printed
  if (!json) {
    console.log(`${values.dataset ?? 'spiral'}: ${data.inputs.length / 2} train / ${data.testInputs.length / 2} test points; `
      + `network ${net.layers.join('-')} (${net.config.activation} → ${net.config.outputActivation}, ${net.config.cost}, `
      + `${net.config.precision}), features ${net.config.features.join(',')}`);
  }
  net.setData(data.inputs, data.targets);
  const t0 = performance.now();
  let epoch = 0, diverged = null;
  while (epoch < epochs) {
    const chunk = Math.min(every, epochs - epoch);
    const r = net.train({ ...opts, epochs: chunk });
    epoch += chunk;
    if (r.diverged) { diverged = r.message; break; }
    if (!json) console.log(line(epoch, evaluate()));
  }
  const seconds = (performance.now() - t0) / 1000;
  const e = evaluate();
  const result = {
    epochs: epoch, seconds, trainCost: e.train.cost, testCost: e.test?.cost ?? null,
    trainAccuracy: regression ? null : e.train.accuracy, testAccuracy: regression || !e.test ? null : e.test.accuracy,
    ...(diverged ? { diverged: true, message: diverged } : {}),
  };
  if (json) console.log(JSON.stringify(result));
  else {
    if (diverged) console.log(diverged);
    console.log(`final (${epoch} epochs, ${seconds.toFixed(2)} s): ${line(epoch, e).replace(/^epoch +\d+ +/, '')}`);
  }
  net.dispose();
  return diverged ? 1 : 0;
}

async function gradcheck(values) {
  const bp = await loadBackprop();
  const { data, net, reg } = setup(bp, values);
  const n = Math.min(50, data.inputs.length / 2);  // a sample of the data keeps the check fast
  const r = net.gradientCheck(data.inputs.subarray(0, 2 * n), data.targets.subarray(0, n * net.outputs), reg);
  const ok = r.checked > 0 && r.maxRelativeError <= 1e-6;  // nothing compared is no pass
  if (values.json) console.log(JSON.stringify({ ...r, examples: n, ok }));
  else {
    console.log(`network ${net.layers.join('-')} (${net.config.activation} → ${net.config.outputActivation}, ${net.config.cost}), ${n} examples`);
    const skipped = r.skipped ? ` (${r.skipped} skipped: their finite difference crossed a ReLU kink)` : '';
    console.log(`checked ${r.checked} of ${r.parameters} parameters${skipped}: max relative error ${r.maxRelativeError.toExponential(3)}, `
      + `max absolute error ${r.maxAbsoluteError.toExponential(3)} — ${ok ? 'OK (≤ 1e-6)' : 'FAILED (> 1e-6)'}`);
  }
  net.dispose();
  return ok ? 0 : 1;
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    // package.json is in every install of the package (npm always packs it) and in the repository
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (command === 'trace') {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { check: { type: 'boolean' }, tolerance: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
    } catch (e) {
      throw new UsageError(e.message);
    }
    const { values, positionals } = parsed;
    if (values.help) { process.stdout.write(USAGE); return 0; }  // as train --help and gradcheck --help
    if (positionals.length !== 1) throw new UsageError('trace: give exactly one spec file, or - for stdin');
    const tolerance = num(values, 'tolerance', 1e-9);
    if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new UsageError(`--tolerance: must be a finite number ≥ 0, got ${values.tolerance}`);
    if (values.tolerance !== undefined && !values.check) throw new UsageError('--tolerance: only with --check');
    return trace(positionals[0], { check: !!values.check, tolerance });
  }
  if (command !== 'train' && command !== 'gradcheck') throw new UsageError(`unknown command '${command}' (expected trace, train or gradcheck)`);
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(e.message);
  }
  if (values.help) { process.stdout.write(USAGE); return 0; }
  if (command === 'gradcheck') {
    const extra = TRAIN_ONLY.find((k) => values[k] !== undefined);
    if (extra) throw new UsageError(`--${extra}: only for train (gradcheck does not train)`);
  }
  try {
    return await (command === 'train' ? train(values) : gradcheck(values));
  } catch (e) {
    throw asFlags(e);
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    // Usage and validation errors (the API's Errors name the field) are the user's: exit 2. process.exit,
    // not exitCode: a stdin still being written to (an endless stream) would keep node waiting.
    process.stderr.write(`backprop-lab: ${e instanceof Error ? e.message : String(e)}\n`, () => process.exit(2));
  },
);
