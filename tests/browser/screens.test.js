// A lab for every screen and every reader: the layout by the space the lab gets (a 680 px blog column, a
// 1920 × 1080 projector, 1024 × 768, a 390 px phone, 320 px), dark mode and lecture mode, text that scales,
// touch, the keyboard, screen readers, the first-visit tips and the small things. The built dist/ in headless
// Chromium under the strict CSP; screenshots go to test-results/screens-*.png, to be looked at.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer } from 'node:http';
import { startSite, collectProblems, CSP, SHOTS } from './harness.js';

let site, server, browser;
beforeAll(async () => {
  site = await startSite('index.html');
  ({ server, browser } = site);
});
afterAll(() => site?.close());

const SEEN = () => localStorage.setItem('backprop-lab:hints', 'done');

// `hostCss`: the host page's own CSS, in place before the lab starts; `fontSize`: the browser's font size setting
// (px; Chromium's "standard" size, 16 by default), set over the DevTools protocol as a reader's settings would.
async function open(path, { viewport = { width: 1280, height: 800 }, scheme = 'light', touch = false, reducedMotion, seen = true, hostCss, fontSize } = {}) {
  const context = await browser.newContext({ viewport, colorScheme: scheme, hasTouch: touch, isMobile: touch, reducedMotion });
  const page = await context.newPage();
  const problems = collectProblems(page);
  if (seen) await page.addInitScript(SEEN);
  if (fontSize) await (await context.newCDPSession(page)).send('Page.setFontSizes', { fontSizes: { standard: fontSize } });
  if (hostCss) {
    await page.addInitScript((css) => {
      const add = () => document.documentElement.append(Object.assign(document.createElement('style'), { textContent: css }));
      if (document.documentElement) add();
      else new MutationObserver((_, o) => { if (document.documentElement) { o.disconnect(); add(); } }).observe(document, { childList: true });
    }, hostCss);
  }
  await page.goto(`${server.url}/${path}`);
  await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => Promise.all([...document.querySelectorAll('backprop-lab')].map((el) => el.ready))));
  return { page, problems, close: () => context.close() };
}
const lab = (page) => page.locator('backprop-lab').first();
const run = (page, fn, arg) => page.evaluate(([f, a]) => new Function('el', 'arg', `return (${f})(el, arg)`)(document.querySelector('backprop-lab'), a), [fn.toString(), arg]);
// A box of the first lab's shadow root (page coordinates, rounded), or null when not rendered.
const box = (page, selector) => run(page, (el, sel) => {
  const e = el.shadowRoot.querySelector(sel);
  if (!e || e.getClientRects().length === 0) return null;
  const r = e.getBoundingClientRect();
  return { left: Math.round(r.left), top: Math.round(r.top + scrollY), right: Math.round(r.right), bottom: Math.round(r.bottom + scrollY), width: Math.round(r.width), height: Math.round(r.height) };
}, selector);
// Brings the gradient panel into view (its code loads there) and waits for its rows; then back to the top.
const withGradients = (page) => run(page, async (el) => {
  const g = el.shadowRoot.querySelector('.view-gradients');
  g.scrollIntoView();
  await new Promise((r) => { const t = setInterval(() => { if (g.querySelector('[data-layer]')) { clearInterval(t); r(); } }, 50); });
  window.scrollTo(0, 0);
});
const overflowX = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
// The deepest focused element's description, across shadow roots.
const focused = (page) => page.evaluate(() => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a ? { tag: a.tagName, label: a.getAttribute('aria-label'), dataset: a.dataset?.dataset ?? null, cls: a.className } : null;
});

describe('layout by the space the lab gets', () => {
  it('a 680 px column (the iframe embed): network and boundary first, side by side; every view within 1,300 px', async () => {
    const { page, problems, close } = await open('embed.html#dataset=spiral&seed=3', { viewport: { width: 680, height: 560 } });
    await withGradients(page);
    await run(page, (el) => el.step(60));
    const net = await box(page, '.view-network'), map = await box(page, '.boundary-map'), all = await box(page, '.lab');
    const bar = await box(page, '.bar');
    expect(map.left).toBeGreaterThan(net.left + net.width / 2);       // side by side
    expect(map.top).toBeLessThan(bar.bottom + 40);                     // right under the bar
    expect(map.bottom).toBeLessThanOrEqual(560);                       // both in an iframe of 680 × 560
    expect(net.top).toBeLessThan(bar.bottom + 40);
    expect(bar.height).toBeLessThan(80);                               // a compact bar: the settings are in the drawer
    expect(await box(page, '#hypers')).toBeNull();
    expect(await box(page, '.col.data')).toBeNull();
    for (const view of ['network', 'boundary', 'cost', 'gradients']) expect(await box(page, `[data-view=${view}]`), view).not.toBeNull();
    expect(all.height).toBeLessThanOrEqual(1300);
    await page.screenshot({ path: `${SHOTS}screens-680x560-embed.png` });
    await page.setViewportSize({ width: 680, height: 1300 });
    await page.screenshot({ path: `${SHOTS}screens-680-embed-full.png` });
    // the drawer: data and settings, one button away, and back
    await lab(page).locator('.drawer-toggle').click();
    expect(await lab(page).locator('.drawer-toggle').getAttribute('aria-expanded')).toBe('true');
    expect(await box(page, '#hypers')).not.toBeNull();
    expect(await box(page, '.dataset[data-dataset=xor]')).not.toBeNull();
    await page.screenshot({ path: `${SHOTS}screens-680-drawer.png` });
    await lab(page).locator('.dataset[data-dataset=xor]').click();
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.dataset === 'xor');
    await lab(page).locator('.drawer-toggle').click();
    expect(await box(page, '.col.data')).toBeNull();
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await close();
  });

  it('1920 × 1080: the diagram, the boundary and the gradient panel on one screen, the type a little larger', async () => {
    const { page, close } = await open('index.html#dataset=spiral&seed=3&layers=6,6,4&features=x1,x2,sinx1,sinx2', { viewport: { width: 1920, height: 1080 } });
    await withGradients(page);
    await run(page, (el) => el.step(150));
    await page.waitForTimeout(200);  // the throttled charts
    const net = await box(page, '.network-stage'), map = await box(page, '.boundary-map'), rows = await box(page, '.gradients-rows');
    expect(net.bottom).toBeLessThanOrEqual(1080);
    expect(map.bottom).toBeLessThanOrEqual(1080);
    expect(rows.bottom).toBeLessThanOrEqual(1080);                     // the bars of every layer
    expect(rows.left).toBeLessThan(map.left);                          // beside the boundary, not under it
    const size = (w) => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('backprop-lab').shadowRoot.querySelector('.lab')).fontSize));
    expect(await size()).toBeGreaterThan(14);                          // 13 px × 1.125
    await page.screenshot({ path: `${SHOTS}screens-1920x1080.png` });
    await close();
  });

  it('1024 × 768: a 6-layer network fits without sideways scrolling', async () => {
    const { page, close } = await open('index.html#dataset=spiral&seed=3&layers=8,8,8,8,8,8&activation=relu', { viewport: { width: 1024, height: 768 } });
    await run(page, (el) => el.step(30));
    const scroll = await run(page, (el) => { const s = el.shadowRoot.querySelector('.network-scroll'); return { sw: s.scrollWidth, cw: s.clientWidth }; });
    expect(scroll.sw).toBeLessThanOrEqual(scroll.cw);
    expect(await run(page, (el) => el.shadowRoot.querySelectorAll('.network-header:not([hidden])').length)).toBe(8);
    const map = await box(page, '.boundary-map');
    expect(map.top).toBeLessThan(768);
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}screens-1024x768.png` });
    await close();
  });

  it('390 × 844 and 320 px (touch): no sideways scroll, every target at least 24 × 24 px, inputs at 16 px', async () => {
    for (const width of [390, 320]) {
      const { page, problems, close } = await open('index.html#dataset=circle&seed=1', { viewport: { width, height: 844 }, touch: true });
      await withGradients(page);
      await lab(page).locator('.drawer-toggle').tap();
      await lab(page).locator('[data-control=share]').tap();
      await lab(page).locator('.share textarea').first().waitFor();
      await lab(page).locator('.network-node').first().focus();
      await page.keyboard.press('Enter');                              // the card's select and input too
      await lab(page).locator('.network-card-input').waitFor();
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      const small = await run(page, (el) => {
        const out = [];
        const sel = 'button, select, input, textarea, [role=button], [role=radio], [tabindex="0"], .network-biashit';
        for (const e of el.shadowRoot.querySelectorAll(sel)) {
          if (e.getClientRects().length === 0 || e.closest('[hidden]')) continue;
          // a checkbox's target is its label too (a tap on the label toggles it)
          const t = e.type === 'checkbox' ? e.closest('label') ?? e : e;
          const r = t.getBoundingClientRect();
          if (r.width < 23.5 || r.height < 23.5) out.push(`${e.tagName}.${e.className.baseVal ?? e.className} ${e.getAttribute('aria-label') ?? e.textContent.slice(0, 20)} ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
        }
        return out;
      });
      expect(small, small.join('\n')).toEqual([]);
      const tiny = await run(page, (el) => [...el.shadowRoot.querySelectorAll('select, input:not([type=range]):not([type=checkbox]), textarea')]
        .filter((e) => e.getClientRects().length > 0 && parseFloat(getComputedStyle(e).fontSize) < 16).map((e) => `${e.tagName} ${e.className} ${getComputedStyle(e).fontSize}`));
      expect(tiny, tiny.join('\n')).toEqual([]);
      expect(problems).toEqual([]);
      await close();
    }
    const { page, close } = await open('index.html#dataset=circle&seed=1', { viewport: { width: 390, height: 844 }, touch: true });
    await page.screenshot({ path: `${SHOTS}screens-390x844.png` });
    await close();
  });

  it('a tapped neuron is shown large where the finger is', async () => {
    const { page, close } = await open('index.html#dataset=xor&seed=2&layers=4,3', { viewport: { width: 390, height: 844 }, touch: true });
    const node = lab(page).locator('.network-node').nth(2);
    await node.scrollIntoViewIfNeeded();
    await node.tap();
    await lab(page).locator('.network-peek').waitFor();
    // painted from the engine's grid of that neuron (frame.neuron), on screen beside the tapped node
    await page.waitForFunction(() => {
      const c = document.querySelector('backprop-lab').shadowRoot.querySelector('.network-peek canvas');
      return c.width > 0 && c.getContext('2d').getImageData(c.width >> 1, c.height >> 1, 1, 1).data[3] > 0;
    });
    const n = await node.boundingBox(), p = await lab(page).locator('.network-peek').boundingBox();
    const vw = page.viewportSize();
    expect(p.x).toBeGreaterThanOrEqual(0);
    expect(p.x + p.width).toBeLessThanOrEqual(vw.width);
    expect(p.y).toBeGreaterThanOrEqual(0);
    expect(p.y + p.height).toBeLessThanOrEqual(vw.height);
    expect(Math.hypot(p.x + p.width / 2 - (n.x + n.width / 2), p.y + p.height / 2 - (n.y + n.height / 2))).toBeLessThan(200);
    expect(await lab(page).locator('.network-peek').textContent()).toMatch(/hidden layer 1, neuron 3/);
    await page.screenshot({ path: `${SHOTS}screens-390-peek.png` });
    // a tap elsewhere puts it away
    await lab(page).locator('.boundary-map').tap();
    await lab(page).locator('.network-peek').waitFor({ state: 'hidden' });
    await close();
  });

  it('Share\'s iframe snippet is sized for the layout a 680 px column gives, from whatever window it was copied in', async () => {
    const { page, close } = await open('index.html#dataset=xor&seed=4&layers=4', { viewport: { width: 1280, height: 800 } });
    await lab(page).locator('[data-control=share]').click();
    const snippet = await lab(page).locator('.share textarea').nth(1).inputValue();
    expect(await lab(page).getAttribute('style')).toBeNull();   // measured at 680 px and put back as it was
    const [, src] = /src="([^"]+)"/.exec(snippet), height = Number(/height="(\d+)"/.exec(snippet)[1]);
    await close();
    const host = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': CSP.replace("default-src 'self'", `default-src 'self'; frame-src ${server.url}`) });
      res.end(`<!doctype html><html lang="en"><title>a blog</title><body style="margin:0"><div style="width:680px">${snippet}</div></body></html>`);
    });
    await new Promise((r) => host.listen(0, '127.0.0.1', r));
    const blog = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await blog.goto(`http://127.0.0.1:${host.address().port}/`);
    await expect.poll(() => blog.frames().length).toBe(2);
    const f = blog.frames()[1];
    await f.waitForFunction(() => window.customElements?.get('backprop-lab'));
    await f.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
    expect(f.url()).toContain(src.split('#')[0]);
    await f.evaluate(() => { const g = document.querySelector('backprop-lab').shadowRoot.querySelector('.view-gradients'); g.scrollIntoView(); });
    await f.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.view-gradients [data-layer]'));
    const inner = await f.evaluate(() => ({ lab: document.querySelector('backprop-lab').getBoundingClientRect().height, doc: document.documentElement.scrollHeight }));
    expect(inner.doc).toBeLessThanOrEqual(height);     // no inner scrollbar
    expect(height - inner.lab).toBeLessThan(60);       // and no big empty band
    await blog.close();
    await new Promise((r) => host.close(r));
  });
});

describe('dark mode, lecture mode, text size, motion', () => {
  it('dark from the system and from the theme attribute; light when asked; screenshots', async () => {
    const { page, close } = await open('index.html#dataset=spiral&seed=3&layers=6,6,4&features=x1,x2,sinx1,sinx2', { scheme: 'dark' });
    const token = () => page.evaluate(() => getComputedStyle(document.querySelector('backprop-lab')).getPropertyValue('--bp-bg').trim());
    const isDark = () => page.evaluate(() => document.querySelector('backprop-lab').matches(':state(dark)'));
    expect(await token()).toBe('#16191d');
    expect(await isDark()).toBe(true);
    await withGradients(page);
    await run(page, (el) => el.step(150));
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${SHOTS}screens-dark-1280x800.png` });
    await run(page, (el) => { el.state = { theme: 'light' }; });
    expect(await token()).toBe('#fff');
    expect(page.url()).toMatch(/theme=light/);
    await close();
    const light = await open('embed.html?views=network,boundary,cost#dataset=xor&seed=1&theme=dark', { viewport: { width: 680, height: 700 } });
    expect(await light.page.evaluate(() => getComputedStyle(document.querySelector('backprop-lab')).getPropertyValue('--bp-bg').trim())).toBe('#16191d');
    await run(light.page, (el) => el.step(40));
    await light.page.screenshot({ path: `${SHOTS}screens-dark-680-embed.png` });
    await light.close();
    // a page's own values for the tokens win, in the dark theme too (:state(dark) on the element)
    const styled = await open('tutorial.html', { scheme: 'dark' });
    const accent = await styled.page.evaluate(() => {
      const s = document.createElement('style');
      s.textContent = 'backprop-lab:state(dark) { --bp-accent: rgb(194, 24, 91); }';
      document.head.append(s);
      return getComputedStyle(document.querySelector('backprop-lab').shadowRoot.querySelector('.dataset, .play')).getPropertyValue('--bp-accent').trim();
    });
    expect(accent).toBe('rgb(194, 24, 91)');
    await styled.close();
  });

  it('lecture mode (button, attribute, link): larger type and thicker lines', async () => {
    const { page, close } = await open('index.html#dataset=xor&seed=1&layers=4', { viewport: { width: 1280, height: 800 } });
    const look = () => run(page, (el) => {
      const r = el.shadowRoot, labEl = r.querySelector('.lab');
      return { font: parseFloat(getComputedStyle(labEl).fontSize), stroke: parseFloat(getComputedStyle(labEl).getPropertyValue('--bp-stroke-scale')), header: r.querySelector('.network-stage').getBoundingClientRect().height };
    });
    const before = await look();
    await lab(page).locator('[data-control=lecture]').click();
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.lecture === true);
    expect(await lab(page).locator('[data-control=lecture]').getAttribute('aria-pressed')).toBe('true');
    expect(page.url()).toMatch(/lecture=true/);
    await run(page, (el) => el.step(20));
    const after = await look();
    expect(after.font / before.font).toBeCloseTo(1.25, 2);
    expect(after.stroke).toBe(1.6);
    expect(after.header).toBeGreaterThan(before.header);   // the diagram's text rows grew with the type
    await page.screenshot({ path: `${SHOTS}screens-lecture-1280.png` });
    await close();
    const attr = await open('tutorial.html');
    await attr.page.evaluate(() => document.querySelector('backprop-lab').setAttribute('lecture', ''));
    expect(await attr.page.evaluate(() => document.querySelector('backprop-lab').shadowRoot.querySelector('.lab').classList.contains('lecture'))).toBe(true);
    await attr.close();
  });

  it('sizes follow the browser\'s font size (rem/em)', async () => {
    const sizes = [];
    for (const root of ['16px', '20px']) {
      const { page, close } = await open('index.html#seed=1');
      await page.evaluate((s) => { document.documentElement.style.fontSize = s; }, root);
      sizes.push(await run(page, (el) => ['.epoch .label', '.control .label', '.epoch-value', '.network-coltitle', '.boundary-tick', '.costchart-label', '.dataset span', 'h2']
        .map((s) => parseFloat(getComputedStyle(el.shadowRoot.querySelector(s)).fontSize))));
      await close();
    }
    sizes[0].forEach((px, i) => expect(sizes[1][i] / px, `element ${i}`).toBeCloseTo(1.25, 1));
  });

  it('a host page\'s html { font-size: 62.5% } (1rem = 10 px) leaves the lab as it is at 16 px; the browser\'s font size still scales it', async () => {
    // the sizes of a sample of the lab's text, and the diagram's layout (network.js reads the font size)
    const TEXT = ['.lab', '.epoch .label', '.control .label', '.epoch-value', '.network-coltitle', '.boundary-tick', '.costchart-label', '.dataset span', 'h2'];
    const look = async (options, shot) => {
      const { page, problems, close } = await open('index.html#dataset=spiral&seed=3&layers=6,4', { viewport: { width: 1280, height: 800 }, ...options });
      await run(page, (el) => el.step(40));
      const r = await run(page, (el, sel) => ({
        sizes: sel.map((s) => parseFloat(getComputedStyle(el.shadowRoot.querySelector(s)).fontSize)),
        header: el.shadowRoot.querySelector('.network-stage').getBoundingClientRect().height,
        canvas: el.shadowRoot.querySelector('.network-stage canvas')?.getBoundingClientRect().height ?? null,
      }), TEXT);
      await page.screenshot({ path: `${SHOTS}screens-root-${shot}.png` });
      expect(problems).toEqual([]);
      await close();
      return r;
    };
    const normal = await look({}, '16px');
    expect(normal.sizes[0]).toBe(13);                                   // 0.8125rem: the lab's default type
    const blog = await look({ hostCss: 'html { font-size: 62.5% }' }, '62.5pct');
    blog.sizes.forEach((px, i) => expect(px, TEXT[i]).toBeCloseTo(normal.sizes[i], 1));   // was 8.1 px for .lab
    expect(blog.header).toBeCloseTo(normal.header, 0);                  // the diagram laid out for the same type
    expect(blog.canvas).toBeCloseTo(normal.canvas, 0);
    // a reader who set a larger font in the browser gets larger text, on the 62.5 % page too
    const big = await look({ hostCss: 'html { font-size: 62.5% }', fontSize: 24 }, '62.5pct-24px');
    big.sizes.forEach((px, i) => expect(px / normal.sizes[i], TEXT[i]).toBeCloseTo(1.5, 1));   // was 12.2 px for .lab
    expect(big.header).toBeGreaterThan(normal.header);
    // and a page that sets a larger root (or the reader's 24 px on a page that leaves the root alone): ×1.5
    const root24 = await look({ hostCss: 'html { font-size: 24px }' }, '24px');
    root24.sizes.forEach((px, i) => expect(px / normal.sizes[i], TEXT[i]).toBeCloseTo(1.5, 1));
  });

  it('a blog\'s inherited text styles (uppercase, pre, indent, bold italic, tall lines, tight letters, clipped text fill) stop at the lab: it lays out and reads as on a plain page', async () => {
    const SAMPLE = ['.lab', '.epoch .label', '.control .label', '.epoch-value', '.network-coltitle', '.costchart-label', '.dataset span', 'h2', '.hint'];
    const PROPS = ['textTransform', 'whiteSpace', 'textIndent', 'fontWeight', 'fontStyle', 'lineHeight', 'letterSpacing', 'wordBreak', 'webkitTextFillColor', 'writingMode', 'fontFamily'];
    const look = async (options, shot) => {
      const { page, problems, close } = await open('index.html#dataset=spiral&seed=3&layers=6,4', { viewport: { width: 1280, height: 800 }, ...options });
      await run(page, (el) => el.step(40));
      const r = await run(page, (el, [sel, props]) => {
        const lab = el.shadowRoot.querySelector('.lab'), box = lab.getBoundingClientRect();
        return {
          height: box.height,
          // elements that stick out of the lab on the right (text that no longer wraps, indented labels)
          outside: [...lab.querySelectorAll('*')].filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > box.right + 1; }).length,
          styles: sel.map((s) => { const cs = getComputedStyle(el.shadowRoot.querySelector(s)); return props.map((p) => cs[p]); }),
        };
      }, [SAMPLE, PROPS]);
      await page.screenshot({ path: `${SHOTS}screens-host-${shot}.png` });
      expect(problems).toEqual([]);
      await close();
      return r;
    };
    const plain = await look({}, 'plain');
    const blog = await look({ hostCss: `main { text-transform: uppercase; white-space: pre; text-indent: 3em; line-height: 2.2; font-weight: 700;
      font-style: italic; letter-spacing: -0.05em; word-break: break-all; -webkit-text-fill-color: transparent; }` }, 'blog');
    expect(blog.outside).toBe(plain.outside);               // the indent pushed labels out, pre made the page 1,627 px wide
    expect(blog.height).toBeCloseTo(plain.height, 0);       // was 12 % taller with line-height 2.2
    blog.styles.forEach((s, i) => expect(s, SAMPLE[i]).toEqual(plain.styles[i]));   // σ′(z) stays σ′(z), not Σ′(Z)
    expect(plain.styles[0][PROPS.indexOf('textTransform')]).toBe('none');
  });

  it('in a shrink-to-fit parent (a centred flex column, a flex row, inline-block, float, a table cell, an auto grid column) the lab is as wide as the space, not 0 px', async () => {
    const HOSTS = {
      'flex column, centred': '<div style="display:flex;flex-direction:column;align-items:center">LAB</div>',
      'flex row with an aside': '<div style="display:flex;gap:20px">LAB<aside style="width:200px">a side note</aside></div>',
      'inline-block': '<div style="display:inline-block">LAB</div>',
      float: '<div style="float:left">LAB</div>',
      'table cell': '<table><tr><td>LAB</td></tr></table>',
      'auto grid column': '<div style="display:grid;grid-template-columns:auto 1fr">LAB<p>text</p></div>',
    };
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const problems = collectProblems(page);
      await page.goto(`${server.url}/embed.html`);
      for (const [name, html] of Object.entries(HOSTS)) {
        const r = await page.evaluate(async (markup) => {
          document.body.innerHTML = markup.replace('LAB', '<backprop-lab seed="1"></backprop-lab>');
          const el = document.querySelector('backprop-lab');
          await el.ready;
          const b = el.getBoundingClientRect();
          return { width: b.width, right: b.right, page: document.documentElement.scrollWidth };
        }, html);
        // was 0 px in every one of them (the lab's layout follows its own width: container-type)
        expect(r.width, `${name} at ${width}`).toBeGreaterThan(0.8 * Math.min(1180, width - (name.includes('aside') ? 220 : 0)) - 30);
        expect(r.right, `${name} at ${width}`).toBeLessThanOrEqual(width);
        expect(r.page, `${name} at ${width}: no sideways scroll`).toBeLessThanOrEqual(width);
      }
      expect(problems, problems.join('\n')).toEqual([]);
      await page.close();
    }
  });

  it('prefers-reduced-motion: no autoplay and nothing animates', async () => {
    const { page, close } = await open('embed.html?autoplay#dataset=xor&seed=1', { reducedMotion: 'reduce' });
    expect(await run(page, (el) => el.playing)).toBe(false);
    const moving = await run(page, (el) => [...el.shadowRoot.querySelectorAll('*')].filter((e) => {
      const cs = getComputedStyle(e);
      return cs.transitionDuration.split(',').some((d) => parseFloat(d) > 0) || cs.animationName !== 'none';
    }).map((e) => e.className));
    expect(moving).toEqual([]);
    await close();
  });
});

describe('the keyboard', () => {
  it('Space plays and pauses anywhere in the lab and never scrolls; in a text field it types', async () => {
    const { page, close } = await open('index.html#dataset=xor&seed=1', { viewport: { width: 1280, height: 600 } });
    const playing = () => run(page, (el) => el.playing);
    const y = () => page.evaluate(() => scrollY);
    // two presses: plays, then pauses, and the page does not move
    const twice = async (where) => {
      const y0 = await y();
      await page.keyboard.press(' ');
      expect(await playing(), where).toBe(true);
      await page.keyboard.press(' ');
      expect(await playing(), where).toBe(false);
      expect(await y(), where).toBe(y0);
    };
    await twice('nothing focused (the page\'s one sync-url lab is the page)');
    await lab(page).locator('.boundary-map').click();
    await twice('after a click on the boundary: the lab took the focus');
    await lab(page).locator('[data-control=noise] input').focus();
    await twice('on a slider');
    await lab(page).locator('[data-control=activation] select').click();
    await page.keyboard.press('Escape');
    await twice('after a mouse pick in a select');
    // a button reached from the keyboard keeps Space for itself: Step steps
    // a pause lets the epochs already on their way arrive: wait until the count holds still
    const settled = async () => { let a = -1, b = await run(page, (el) => el.epoch); while (a !== b) { a = b; await page.evaluate(() => new Promise((r) => setTimeout(r, 250))); b = await run(page, (el) => el.epoch); } return b; };
    const before = await settled();
    await lab(page).locator('[data-control=step]').focus();
    await page.keyboard.press(' ');
    await page.waitForFunction((e) => document.querySelector('backprop-lab').epoch === e + 1, before);
    expect(await playing()).toBe(false);
    // a text field: Space is a space
    await lab(page).locator('.network-node').first().focus();
    await page.keyboard.press('Enter');
    const input = lab(page).locator('.network-card-input');
    await input.fill('1');
    await input.press(' ');
    expect(await input.inputValue()).toBe('1 ');
    expect(await playing()).toBe(false);
    await close();
  });

  it('the dataset picker is one Tab stop with arrow keys, and its focus ring is not its selection', async () => {
    const { page, close } = await open('index.html#dataset=circle&seed=1');
    const radios = lab(page).locator('.datasets [role=radio]');
    expect(await lab(page).locator('.datasets [role=radio][tabindex="0"]').count()).toBe(1);
    await lab(page).locator('.dataset[data-dataset=circle]').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.dataset === 'xor');
    expect((await focused(page)).dataset).toBe('xor');
    expect(await lab(page).locator('.dataset[data-dataset=xor]').getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');  // wraps to the last
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.dataset === 'multigauss');
    // nine datasets; the tenth, "Your data", stays hidden (and out of the arrow keys' cycle) until there is own data
    expect(await radios.count()).toBe(10);
    expect(await lab(page).locator('.datasets [role=radio]:visible').count()).toBe(9);
    // Tab leaves the group at once
    await page.keyboard.press('Tab');
    expect((await focused(page)).dataset).toBeNull();
    // the focused, checked radio: the selection is the accent border, the focus a ring of another colour outside it
    await lab(page).locator('.dataset[data-dataset=multigauss]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    const style = await run(page, (el) => { const cs = getComputedStyle(el.shadowRoot.querySelector('.dataset[data-dataset=multigauss]')); return { border: cs.borderTopColor, outline: cs.outlineColor, outlineStyle: cs.outlineStyle, offset: cs.outlineOffset }; });
    expect(style.outlineStyle).toBe('solid');
    expect(style.outline).not.toBe(style.border);
    expect(parseFloat(style.offset)).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}screens-focus-dataset.png`, clip: { x: 0, y: 150, width: 260, height: 420 } });
    await close();
  });

  it('focus stays on + and − after use, also when one reaches its limit', async () => {
    const { page, close } = await open('index.html#dataset=xor&seed=1&layers=15,2');
    const plus = lab(page).locator('button[aria-label="Add a neuron to hidden layer 1"]');
    await plus.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.layers[0] === 16);
    await page.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.network-node').length === 19);
    expect(await plus.isDisabled()).toBe(true);   // 16 is the most
    expect((await focused(page)).label).toBe('Remove a neuron from hidden layer 1');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.layers[0] === 15);
    await page.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.network-node').length === 18);
    expect((await focused(page)).label).toBe('Remove a neuron from hidden layer 1');
    const add = lab(page).locator('button[aria-label="Add a hidden layer"]');
    await add.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('backprop-lab').state.layers.length === 3);
    await page.waitForFunction(() => document.querySelector('backprop-lab').shadowRoot.querySelectorAll('.network-node').length === 20);
    expect((await focused(page)).label).toBe('Add a hidden layer');
    await close();
  });

  it('"?" lists every shortcut; Escape closes the list and gives the focus back', async () => {
    const { page, close } = await open('index.html#seed=1');
    await lab(page).locator('.boundary-map').click();
    await page.keyboard.press('?');
    const panel = lab(page).locator('.help-panel');
    await panel.waitFor();
    const text = await panel.textContent();
    for (const key of ['Space', '?', 'Tab', 'Enter', 'Esc', 'Home', 'Page Up']) expect(text).toContain(key);
    expect(await panel.locator('tr').count()).toBeGreaterThanOrEqual(9);
    expect(await lab(page).locator('[data-control=help]').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect((await focused(page)).label).toBe('Keyboard shortcuts');
    expect(await run(page, (el) => el.playing)).toBe(false);
    await close();
  });
});

describe('screen readers', () => {
  it('the epoch, cost and accuracy are announced politely (once per step, at most every 5 s while playing)', async () => {
    const { page, close } = await open('index.html#dataset=circle&seed=1');
    const live = lab(page).locator('[aria-live=polite][aria-atomic=true]');
    await lab(page).locator('[data-control=step]').focus();
    const d = await run(page, (el) => el.step(7));
    await expect.poll(() => live.textContent()).toMatch(/^Epoch 7: train cost /);
    const text = await live.textContent();
    expect(text).toContain(`train accuracy ${(100 * d.trainAccuracy).toFixed(1)} %`);
    expect(text).toContain(String(Number(d.trainCost.toPrecision(3))));
    // while playing: count what was said over the run, against the time it took
    const said = await run(page, (el) => new Promise((resolve) => {
      const region = el.shadowRoot.querySelector('[aria-live=polite][aria-atomic=true]'), texts = new Set([region.textContent]);
      const mo = new MutationObserver(() => texts.add(region.textContent));
      mo.observe(region, { childList: true, characterData: true, subtree: true });
      const t0 = performance.now();
      el.play();
      setTimeout(() => { el.pause(); mo.disconnect(); resolve({ n: texts.size - 1, ms: performance.now() - t0 }); }, 6000);
    }));
    expect(said.n).toBeGreaterThanOrEqual(1);
    expect(said.n).toBeLessThanOrEqual(1 + Math.floor(said.ms / 5000) + 1);  // + the pause's own line
    await close();
  });

  it('the boundary is described in text; the neurons and weights are reachable and named', async () => {
    const { page, close } = await open('index.html#dataset=blobs&classes=4&seed=1&layers=3&features=x1,x2,x1x2');
    const d = await run(page, (el) => el.step(12));
    const label = await lab(page).locator('.boundary-map').getAttribute('aria-label');
    expect(label).toMatch(/Blobs/);
    expect(label).toMatch(/4 classes/);
    expect(label).toContain(`train accuracy ${(100 * d.trainAccuracy).toFixed(1)} %`);
    expect(label).toMatch(/Epoch 12/);
    // neurons: one Tab stop, arrows move, each named; Enter opens its bias and incoming weights, named by source
    const nodes = lab(page).locator('.network-node');
    expect(await nodes.first().getAttribute('aria-label')).toBe('hidden layer 1, neuron 1');
    await nodes.first().focus();
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).label).toMatch(/^hidden layer 1, neuron 2/);
    await page.keyboard.press('ArrowRight');
    expect((await focused(page)).label).toMatch(/^output, neuron 2/);
    await page.keyboard.press('Enter');
    const options = await lab(page).locator('.network-card select option').allTextContents();
    expect(options).toEqual(['b²₂ · bias', 'w²₂₁ · from neuron 1', 'w²₂₂ · from neuron 2', 'w²₂₃ · from neuron 3']);
    await page.keyboard.press('Escape');
    await nodes.first().focus();
    await page.keyboard.press('Enter');
    expect(await lab(page).locator('.network-card select option').allTextContents()).toEqual(['b¹₁ · bias', 'w¹₁₁ · from x₁', 'w¹₁₂ · from x₂', 'w¹₁₃ · from x₁x₂']);
    await page.keyboard.press('Escape');
    // without the `edit` control the card still opens from the keyboard, read only
    await run(page, (el) => el.setAttribute('controls', 'play,step'));
    await nodes.first().focus();
    await page.keyboard.press('Enter');
    expect(await lab(page).locator('.network-card-input').evaluate((i) => i.readOnly)).toBe(true);
    expect(await lab(page).locator('.network-card').textContent()).toMatch(/∂C\/∂b = /);
    await close();
  });
});

describe('first use', () => {
  it('the full page shows three tips once, remembered; embeds only when asked', async () => {
    const { page, problems, close } = await open('index.html#seed=1', { seen: false });
    const tips = lab(page).locator('.hints');
    await tips.waitFor();
    expect(await tips.textContent()).toMatch(/Tip 1 of 3: Press play/);
    expect(await lab(page).locator('[data-control=play].hint-target').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}screens-first-visit.png`, clip: { x: 0, y: 0, width: 1280, height: 420 } });
    await run(page, (el) => el.play());   // doing it is the same as Next
    await expect.poll(() => tips.textContent()).toMatch(/Tip 2 of 3: Hover over a neuron, or tap it/);
    await run(page, (el) => el.pause());
    // the ring is around what the tip is about: every neuron, each a box with a size (their container is an
    // overlay of no height, whose ring was a line through the column labels)
    const ringed = () => lab(page).locator('.hint-target').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { neuron: e.classList.contains('network-node'), w: r.width, h: r.height };
    }));
    const rings = await ringed();
    expect(rings.length).toBe(await lab(page).locator('.network-node').count());
    for (const r of rings) expect(r.neuron && r.w >= 20 && r.h >= 20, JSON.stringify(r)).toBe(true);
    await page.screenshot({ path: `${SHOTS}screens-first-visit-tip2.png`, clip: { x: 0, y: 0, width: 1280, height: 700 } });
    await tips.getByRole('button', { name: 'Next' }).click();
    expect(await tips.textContent()).toMatch(/Tip 3 of 3: Click a link/);
    const stage = await ringed();
    expect(stage.length).toBe(1);
    expect(stage[0].h).toBeGreaterThan(100);
    await page.screenshot({ path: `${SHOTS}screens-first-visit-tip3.png`, clip: { x: 0, y: 0, width: 1280, height: 700 } });
    await tips.getByRole('button', { name: 'Got it' }).click();
    await tips.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => localStorage.getItem('backprop-lab:hints'))).toBe('done');
    await page.reload();
    await page.evaluate(() => customElements.whenDefined('backprop-lab').then(() => document.querySelector('backprop-lab').ready));
    await page.waitForTimeout(500);
    expect(await lab(page).locator('.hints').count()).toBe(0);
    expect(problems).toEqual([]);
    await close();
    for (const [path, shown] of [['embed.html#seed=1', 0], ['embed.html?hints#seed=1', 1], ['tutorial.html', 0]]) {
      const e = await open(path, { seen: false });
      if (shown) await lab(e.page).locator('.hints').waitFor();
      else await e.page.waitForTimeout(500);
      expect(await e.page.evaluate(() => [...document.querySelectorAll('backprop-lab')].reduce((n, el) => n + el.shadowRoot.querySelectorAll('.hints').length, 0)), path).toBe(shown);
      await e.close();
    }
  });

  it('every control has a one-line explanation: read by screen readers, shown on keyboard focus and on tap', async () => {
    const { page, close } = await open('index.html#seed=1', { viewport: { width: 390, height: 844 }, touch: true });
    await lab(page).locator('.drawer-toggle').tap();   // also loads the explanations
    await expect.poll(() => run(page, (el) => el.shadowRoot.querySelector('#desc-learningRate')?.textContent)).toMatch(/how far each update moves/);
    const missing = await run(page, (el) => [...el.shadowRoot.querySelectorAll('[data-control]')].filter((c) => c.getClientRects().length > 0).filter((c) => {
      const t = c.matches('button, input, select, [role=radiogroup]') ? c : c.querySelector('input, select, button');
      const id = t?.getAttribute('aria-describedby');
      return !id || !el.shadowRoot.getElementById(id)?.textContent.trim();
    }).map((c) => c.dataset.control));
    expect(missing).toEqual([]);
    const tip = lab(page).locator('.tip');
    await lab(page).locator('[data-control=step]').tap();
    await tip.waitFor();
    expect(await tip.textContent()).toMatch(/Train one epoch/);
    await lab(page).locator('[data-control=step]').focus();
    await page.keyboard.press('Tab');                                 // the keyboard's focus: the next control
    expect(await tip.textContent()).toMatch(/Train one mini-batch/);
    await page.keyboard.press('Tab');
    expect(await tip.textContent()).toMatch(/how far each update moves/);
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
    await close();
  });

  it('Auto says what it picked, in the control itself', async () => {
    const { page, close } = await open('index.html#dataset=circle&seed=1');
    const picked = () => run(page, (el) => ['output', 'cost'].map((k) => { const s = el.shadowRoot.querySelector(`[data-control=${k}] select`); return s.selectedOptions[0].textContent; }));
    expect(await picked()).toEqual(['Auto (sigmoid)', 'Auto (cross-entropy)']);
    await run(page, (el) => { el.state = { dataset: 'blobs' }; });
    expect(await picked()).toEqual(['Auto (softmax)', 'Auto (cross-entropy)']);
    await run(page, (el) => { el.state = { dataset: 'plane' }; });
    expect(await picked()).toEqual(['Auto (linear)', 'Auto (quadratic)']);
    await close();
  });
});

describe('the small things', () => {
  it('the blobs thumbnail names its number of classes', async () => {
    const { page, close } = await open('index.html#dataset=blobs&classes=5&seed=1');
    const text = () => lab(page).locator('.dataset[data-dataset=blobs] span').textContent();
    expect(await text()).toBe('Blobs (5 classes)');
    await run(page, (el) => { el.state = { classes: 3 }; });
    expect(await text()).toBe('Blobs (3 classes)');
    expect(await lab(page).locator('.dataset[data-dataset=blobs]').getAttribute('aria-label')).toBe('Blobs (3 classes)');
    await close();
  });

  it('with the features control hidden, the diagram draws only the network\'s inputs', async () => {
    const { page, close } = await open('index.html#dataset=circle&seed=1&features=x1,x2,x1sq');
    const rows = () => run(page, (el) => el.shadowRoot.querySelectorAll('.network-feature:not([hidden])').length);
    const tall = () => run(page, (el) => el.shadowRoot.querySelector('.network-stage').getBoundingClientRect().height);
    expect(await rows()).toBe(7);
    const h7 = await tall();
    await run(page, (el) => el.setAttribute('controls', 'play,step,reset'));
    expect(await rows()).toBe(3);
    expect(await tall()).toBeLessThan(h7);
    // and the links start at those rows: every first-layer link begins at a drawn feature's centre
    const ok = await run(page, (el) => {
      const r = el.shadowRoot, feats = [...r.querySelectorAll('.network-feature:not([hidden])')].map((f) => f.offsetTop + f.offsetHeight / 2);
      const starts = [...r.querySelectorAll('.network-hits path')].slice(0, 12).map((p) => Number(/^M[\d.]+,([\d.]+)/.exec(p.getAttribute('d'))[1]));
      return starts.every((y) => feats.some((f) => Math.abs(f - y) <= 1));  // (offsetTop is whole pixels)
    });
    expect(ok).toBe(true);
    await run(page, (el) => el.removeAttribute('controls'));
    expect(await rows()).toBe(7);
    await close();
  });
});
