// The JS API in a real browser (Debian's Chromium, headless): on the main thread and inside a module
// worker, served with a strict Content-Security-Policy (no 'unsafe-eval', no inline script). This is the
// "works in the browser, including inside a module worker" promise of bindings/index.js; the lab page's own
// browser tests build on the same server and launcher (tests/browser/harness.js).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startServer, launchBrowser, CSP } from './harness.js';

let server, browser;
beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the JS API in Chromium', () => {
  it('loads and trains on the main thread and in a module worker under a strict CSP', async () => {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const response = await page.goto(`${server.url}/tests/browser/fixture/index.html`);
    expect(response.headers()['content-security-policy']).toBe(CSP);
    await page.waitForFunction(() => ['done', 'failed'].includes(document.getElementById('status').textContent), null, { timeout: 30000 });
    const status = await page.textContent('#status');
    const text = await page.textContent('#result');
    expect(status, text).toBe('done');
    const { main, worker } = JSON.parse(text);
    // main thread: training lowered the cost, errors arrive as Error messages naming the field
    expect(main.after).toBeLessThan(main.before);
    expect(main.diverged).toBe(false);
    expect(main.error).toMatch(/layers\[1\].*got 0/);
    expect(main.grid).toBe(100);
    // worker: trained XOR, posted a transferred Float32Array grid
    expect(worker.after).toBeLessThan(worker.before);
    expect(worker.accuracy).toBeGreaterThan(0.8);
    expect(worker.gridLength).toBe(400);
    expect(worker.received).toEqual({ float32: true, length: 400, finite: true });
    expect(worker.maxRelativeError).toBeLessThanOrEqual(1e-6);
    expect(problems, problems.join("\n")).toEqual([]);
    await page.close();
  });
});
