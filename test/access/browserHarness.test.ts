/**
 * The browser harness itself (test/support/browser.ts): chromium starts, the axe check passes a
 * sound page and, just as important, fails an inaccessible one; screenshots come out as PNGs.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations, launchBrowser, saveScreenshots, seriousAxeViolations } from '../support/browser';

const PAGES: Record<string, string> = {
  '/sound': `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Sund side</title></head>
<body><main><h1>Fravær</h1><form><label for="pupil">Elevreference</label><input id="pupil" name="pupil">
<button type="submit">Søg</button></form></main></body></html>`,
  // An input with neither label nor name for assistive technology: axe's 'label' rule, critical.
  '/unlabelled': `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Mangelfuld side</title></head>
<body><main><h1>Fravær</h1><form><input id="pupil" name="pupil"><button type="submit">Søg</button></form></main></body></html>`,
};

let server: Server;
let base: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = createServer((req, res) => {
    const html = PAGES[req.url ?? ''];
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  // Through a context, not browser.newPage(): @axe-core/playwright refuses pages made that way.
  page = await (await browser.newContext()).newPage();
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('browser harness', () => {
  it('passes a page without serious accessibility violations', async () => {
    await page.goto(`${base}/sound`);
    await expectNoSeriousAxeViolations(page, 'sound page');
  });

  it('fails a page with an unlabelled input, naming the rule, impact and element', async () => {
    await page.goto(`${base}/unlabelled`);
    const found = await seriousAxeViolations(page);
    expect(found).toEqual([expect.stringMatching(/^label \[critical\] .*\["#pupil"\]/)]);
    await expect(expectNoSeriousAxeViolations(page, 'unlabelled page')).rejects.toThrow(/unlabelled page: serious or critical/);
  });

  it('saves full-page PNGs at desktop and phone width and restores the viewport', async () => {
    await page.goto(`${base}/sound`);
    const before = page.viewportSize();
    const shots = await saveScreenshots(page, 'browser-harness-sound');

    expect(shots.desktop).toMatch(/screenshots[/\\]browser-harness-sound-desktop\.png$/);
    expect(shots.phone).toMatch(/screenshots[/\\]browser-harness-sound-phone\.png$/);
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const widths: number[] = [];
    for (const file of [shots.desktop, shots.phone]) {
      const png = await readFile(file);
      expect(png.subarray(0, 8).equals(pngSignature)).toBe(true);
      widths.push(png.readUInt32BE(16)); // IHDR width, in device pixels (scale factor 1 here)
    }
    expect(widths).toEqual([1280, 390]);
    expect(page.viewportSize()).toEqual(before);
  });
});
