// npm test, after scripts/bootstrap.sh: build and run every suite, then print one plain summary line
// "N passed, N failed" (CI reads it). Suites: the native GoogleTest suite (ctest), then vitest's projects:
// node (the JS API against the real .wasm) and browser (headless Chromium), then, on its own because
// `npm pack` rebuilds dist/, package (the packed tarball installed in a temporary project). A build failure
// counts as a failure and stops the run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

let passed = 0, failed = 0;

function run(cmd, args, { capture = false, env = process.env } = {}) {
  const r = spawnSync(cmd, args, { stdio: capture ? ['inherit', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env });
  if (capture && r.stdout) process.stdout.write(r.stdout);
  return r;
}
function finish() {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}
function build(script) {
  const r = run('npm', ['run', '--silent', script]);
  if (r.status !== 0) {
    console.error(`\n${script} failed (exit ${r.status})`);
    failed += 1;
    finish();
  }
}

// 1. native: GoogleTest through ctest
build('build:native');
const ctest = run('ctest', ['--test-dir', 'build-native', '--output-on-failure'], { capture: true });
const m = /(\d+)% tests passed, (\d+) tests failed out of (\d+)/.exec(ctest.stdout ?? '');
if (m) {
  passed += Number(m[3]) - Number(m[2]);
  failed += Number(m[2]);
} else {
  console.error('ctest printed no summary');
  failed += 1;
}

// 2. vitest: the node and browser projects against the wasm build and the built page
build('build:wasm');
build('build:page');  // the lab page (dist/), which the browser tests drive
mkdirSync('test-results', { recursive: true });
function vitest(name, args, env = process.env) {
  const report = `test-results/vitest-${name}.json`;
  rmSync(report, { force: true });  // a report left by an earlier run must not be counted
  const vt = run('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { env });
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    if (json.numTotalTests === 0) throw new Error('no tests');
    passed += json.numPassedTests;
    failed += json.numFailedTests + (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    if (vt.status !== 0 && json.numFailedTests === 0) failed += 1;  // e.g. a file that failed to load
  } catch {
    console.error(`vitest (${name}) wrote no report, or ran no test`);
    failed += 1;
  }
}
vitest('node-browser', ['--project', 'node', '--project', 'browser']);

// 3. the package: npm pack (its prepack brings bindings/wasm and dist/ up to date), installed and used
vitest('package', ['--project', 'package'], { ...process.env, BP_PACKAGE_TEST: '1' });
finish();
