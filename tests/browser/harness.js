// Shared by the browser tests: a static server for the repository with a strict Content-Security-Policy,
// and headless Chromium (Debian's package) driven by playwright-core.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'";
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };

/**
 * Serves `root`. Options: `headers` added to (or replacing) the default ones (e.g. CORS, another CSP);
 * `pages`: { '/path.html': html } served from memory (test pages that need no file); `host`.
 */
export function startServer(root = ROOT, { headers = {}, pages = {}, host = '127.0.0.1' } = {}) {
  const base = { 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', ...headers };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path === '/favicon.ico') { res.writeHead(204).end(); return; }  // asked for by every page load
    if (Object.hasOwn(pages, path)) { res.writeHead(200, { ...base, 'Content-Type': 'text/html' }).end(pages[path]); return; }
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);  // a folder serves its index.html
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...base, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, base).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      resolve({ url: `http://${host}:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// Chromium 156's headless mode opens every new window (each playwright page) with a hidden WebUI omnibox
// popup in a renderer of its own, ~1–2 s of CPU per page while our page loads (seen in a trace of the lab
// page: chrome://omnibox-popup.top-chrome). On a 2-core machine that took a core from the page: the first
// boundary measured 650–1900 ms with it and 380–670 ms without (bench/RESULTS.md). Chromium keeps only the
// last --disable-features, so this one repeats playwright-core 1.65's own list (DEFAULT_DISABLED, from its
// chromiumSwitches) and adds the popup's two features.
const DEFAULT_DISABLED = 'AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,AimEnabled,PreconnectToSearch';

// /usr/lib/chromium/chromium is the binary behind Debian's /usr/bin/chromium wrapper (the wrapper prints a
// harmless shell warning on this machine). The flags keep a machine without internet from phoning home.
export function launchBrowser() {
  const executablePath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
  if (!executablePath) throw new Error('Chromium not found: install the Debian package chromium (scripts/bootstrap.sh does)');
  return chromium.launch({
    executablePath,
    args: ['--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      `--disable-features=${DEFAULT_DISABLED},WebUIOmniboxPopup,WebUIOmniboxAimPopup`],
  });
}

// The built site (npm run build:page) and where the browser tests save their screenshots.
export const DIST = join(ROOT, 'dist/');
export const SHOTS = join(ROOT, 'test-results/');

/** Serves dist/ with the strict CSP and launches Chromium; `close()` stops both. */
export async function startSite(mustHave = 'index.html', options = {}) {
  if (!existsSync(join(DIST, mustHave))) throw new Error(`dist/${mustHave} is missing: run \`npm run build:page\` first`);
  mkdirSync(SHOTS, { recursive: true });
  const server = await startServer(DIST, options);
  const browser = await launchBrowser();
  return { server, browser, close: async () => { await browser.close(); await server.close(); } };
}

/**
 * Collects what must not happen on a page: console errors, uncaught exceptions, and CSP violations (which
 * Chromium reports as events, logged here as console errors so they are collected too).
 */
export function collectProblems(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

// axe-core (a pinned dev dependency), run inside a page or frame: it reaches into the labs' open shadow roots.
const AXE = readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');
/** The WCAG 2.2 AA rules (A and AA of 2.0, 2.1 and 2.2), as axe tags them. */
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/**
 * Runs axe-core on `target` (a Playwright Page or Frame) at WCAG 2.2 AA and returns its violations as short
 * lines, one per failing element ("rule: selector — what to fix"), so a failing test says what is wrong. The
 * script is evaluated over the DevTools protocol, which the page's strict CSP does not govern.
 */
export async function axeViolations(target) {
  await target.evaluate(AXE);
  const r = await target.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), WCAG_AA);
  return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)} — ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ').slice(0, 300)}`));
}
