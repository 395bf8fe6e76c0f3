// dist/ opened from disk (file://), as someone double-clicking index.html does: browsers block the module
// scripts and Vite's crossorigin stylesheets there, so no lab can start. Each page must then say, in plain
// text shown without any script or stylesheet, how to serve the folder; served over http, that text is hidden
// and the lab runs.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { pathToFileURL } from 'node:url';
import { startSite, SHOTS, DIST } from './harness.js';

let site;
beforeAll(async () => { site = await startSite('index.html'); });
afterAll(() => site?.close());

const PAGES = ['index.html', 'tutorial.html', 'embed.html'];

describe('the built pages opened from disk (file://)', () => {
  for (const name of PAGES) {
    it(`${name} says how to serve the folder`, async () => {
      const page = await site.browser.newPage({ viewport: { width: 1000, height: 700 } });
      await page.goto(pathToFileURL(`${DIST}${name}`).href);
      const notice = page.locator('.serve-notice');
      await expect.poll(() => notice.isVisible()).toBe(true);
      const text = await notice.innerText();
      expect(text).toMatch(/file:\/\//);
      expect(text).toContain('npx vite preview');
      expect(text).toContain('python3 -m http.server');
      // what the notice explains: nothing runs here (the element is never defined), and no stylesheet applies
      expect(await page.evaluate(() => customElements.get('backprop-lab') === undefined)).toBe(true);
      expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe('8px');  // the UA default
      if (name === 'index.html') await page.screenshot({ path: `${SHOTS}file-index.png` });
      await page.close();
    });
  }
});

describe('the same pages served over http', () => {
  for (const name of PAGES) {
    it(`${name}: the notice is hidden and the lab runs`, async () => {
      const page = await site.browser.newPage();
      await page.goto(`${site.server.url}/${name}`);
      await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
      expect(await page.locator('.serve-notice').count()).toBe(1);
      expect(await page.locator('.serve-notice').isVisible()).toBe(false);
      await page.close();
    });
  }
});
