// axe-core (pinned dev dependency, injected into the page) at WCAG 2.2 AA: the lab page, the example post and
// the iframe embed, in light and dark, at 1280 and 390 px, with zero violations. The built dist/ under the
// strict CSP; axe reaches into every lab's open shadow root, and runs once every view has drawn (the gradient
// panels loaded: they come in on scroll).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startSite, axeViolations } from './harness.js';

let site, server, browser;
beforeAll(async () => {
  site = await startSite('index.html');
  ({ server, browser } = site);
});
afterAll(() => site?.close());

async function open(path, { width, scheme, seen = true }) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
  if (seen) await page.addInitScript(() => localStorage.setItem('backprop-lab:hints', 'done'));
  await page.goto(`${server.url}/${path}`);
  await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.ready))));
  // every lab with a gradient panel: into view (it loads there), a few epochs so that every number is drawn
  await page.evaluate(async () => {
    for (const el of document.querySelectorAll('backprop-lab')) {
      const g = el.shadowRoot.querySelector('.view-gradients');
      if (g && !g.hidden) {
        g.scrollIntoView();
        await new Promise((r) => { const t = setInterval(() => { if (g.querySelector('[data-layer]')) { clearInterval(t); r(); } }, 50); });
      }
      await el.step(5);
    }
    window.scrollTo(0, 0);
  });
  return page;
}

describe('axe-core, WCAG 2.2 AA', () => {
  for (const path of ['index.html#seed=1', 'tutorial.html', 'embed.html#seed=1&dataset=blobs&classes=4']) {
    for (const scheme of ['light', 'dark']) {
      for (const width of [1280, 390]) {
        it(`${path.split('#')[0]}, ${scheme}, ${width} px: no violations`, async () => {
          const page = await open(path, { width, scheme });
          // the theme really is the one named: the lab's background token follows the system's scheme
          const bg = await page.evaluate(() => getComputedStyle(document.querySelector('backprop-lab')).getPropertyValue('--bp-bg').trim());
          expect(bg).toBe(scheme === 'dark' ? '#16191d' : '#fff');
          const violations = await axeViolations(page);
          expect(violations, violations.join('\n')).toEqual([]);
          await page.close();
        });
      }
    }
  }

  for (const [scheme, width] of [['light', 390], ['dark', 390], ['dark', 1280]]) {
    it(`the lab page with its panels open (drawer, shortcuts, Share, notices, tips, a weight's card), ${scheme}, ${width} px: no violations`, async () => {
      const page = await open('index.html#seed=2&learningRate=fast&colour=blue', { width, scheme, seen: false });
      const lab = page.locator('backprop-lab');
      await lab.locator('.hints').waitFor();                                   // the first-visit tips
      if (width < 1180) await lab.locator('.drawer-toggle').click();            // data & settings
      await lab.locator('[data-control=help]').click();                         // the shortcuts
      await lab.locator('[data-control=share]').click();                        // Share / embed
      await lab.locator('.share textarea').first().waitFor();
      await lab.locator('.notices-more').click();                               // every notice
      await lab.locator('.network-node').first().focus();
      await page.keyboard.press('Enter');                                       // a neuron's bias and weights
      await lab.locator('.network-card select').waitFor();
      await lab.locator('[data-control=learningRate] select').focus();          // a control's tip
      await page.keyboard.press('Tab');
      const violations = await axeViolations(page);
      expect(violations, violations.join('\n')).toEqual([]);
      await page.close();
    });
  }
});
