/**
 * Browser tests: a headless Debian chromium driven by playwright-core (which downloads no browser
 * of its own), accessibility checks with axe, and screenshots for people to look at.
 *
 * chromium comes from scripts/install-chromium.sh (run by `npm test`'s pretest and by .ci/run).
 * A missing browser fails the test loudly rather than skipping it: a skipped browser test looks
 * green in CI while checking nothing.
 */
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { TEST_DATA_DIR } from './paths';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(TEST_DATA_DIR, 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // The network here is closed: without these chromium keeps trying to reach Google's services
  // (updates, sync, safe browsing lists), which costs time and fills the log with failures.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Throws, naming the fix, when chromium is not installed. */
export async function assertChromiumInstalled(): Promise<void> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(`no chromium at ${CHROMIUM_PATH}: the browser tests need it. Install it with \`bash scripts/install-chromium.sh\` (npm test runs it first).`);
  }
}

/** A headless chromium; close it in afterAll. */
export async function launchBrowser(): Promise<Browser> {
  await assertChromiumInstalled();
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/** One line per failing rule: what it is, how bad, and where (the first few elements). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return violations
    .filter((violation) => violation.impact != null && FAILING_IMPACTS.has(violation.impact))
    .map((violation) => {
      const targets = violation.nodes.slice(0, 3).map((node) => JSON.stringify(node.target));
      const more = violation.nodes.length > 3 ? ` (+${violation.nodes.length - 3} more)` : '';
      return `${violation.id} [${violation.impact}] ${violation.help}: ${targets.join(', ')}${more}`;
    });
}

/**
 * Fails the test when the page has a serious or critical WCAG 2.1 A/AA violation, listing each
 * (rule id, impact, help, first targets). Minor and moderate findings do not fail: axe reports
 * some of those as "needs review" material rather than defects. The page must come from
 * `browser.newContext()` then `context.newPage()`: @axe-core/playwright refuses one made by
 * `browser.newPage()`.
 */
export async function expectNoSeriousAxeViolations(page: Page, label: string): Promise<void> {
  const found = await seriousAxeViolations(page);
  expect(found, `${label}: serious or critical accessibility violations (axe, WCAG 2.1 AA)`).toEqual([]);
}

export const DESKTOP_VIEWPORT = { width: 1280, height: 800 };
export const PHONE_VIEWPORT = { width: 390, height: 844 };

export interface Screenshots {
  desktop: string;
  phone: string;
}

/**
 * Full-page PNGs at desktop and phone width into .test-data/screenshots/<name>-desktop.png and
 * -phone.png; the page's viewport is put back afterwards so the test can go on as before.
 */
export async function saveScreenshots(page: Page, name: string): Promise<Screenshots> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name part, got ${JSON.stringify(name)}`);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const shots: Screenshots = {
    desktop: path.join(SCREENSHOT_DIR, `${name}-desktop.png`),
    phone: path.join(SCREENSHOT_DIR, `${name}-phone.png`),
  };
  const before = page.viewportSize();
  try {
    await page.setViewportSize(DESKTOP_VIEWPORT);
    await page.screenshot({ path: shots.desktop, fullPage: true });
    await page.setViewportSize(PHONE_VIEWPORT);
    await page.screenshot({ path: shots.phone, fullPage: true });
  } finally {
    // A context made with `viewport: null` has no size to go back to; it follows the window.
    if (before) await page.setViewportSize(before);
  }
  for (const file of [shots.desktop, shots.phone]) {
    if ((await stat(file)).size === 0) throw new Error(`screenshot ${file} is empty`);
  }
  return shots;
}

/** The narrowest width WCAG 1.4.10 (reflow) asks a page to work at without sideways scrolling. */
export const REFLOW_WIDTH = 320;

/**
 * Screenshots the page at desktop and phone width, then fails when at 320 CSS px the page itself
 * needs a sideways scroll (a wide table may scroll inside its own region). The viewport is put back.
 */
export async function expectReflowAndScreenshots(page: Page, name: string): Promise<void> {
  await saveScreenshots(page, name);
  const before = page.viewportSize();
  try {
    await page.setViewportSize({ width: REFLOW_WIDTH, height: 640 });
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    // Names the first element that reaches past the edge, so a failure says where to look.
    const culprit = await page.evaluate<string>(
      `(() => { const e = Array.from(document.querySelectorAll('main *')).find((el) => el.getBoundingClientRect().right > ${REFLOW_WIDTH} && !el.closest('.table--responsive-scroll')); return e ? e.tagName.toLowerCase() + '.' + e.className + ' "' + (e.textContent || '').trim().slice(0, 40) + '"' : ''; })()`,
    );
    expect(width, `${name}: the page is wider than ${REFLOW_WIDTH} px on a phone (${culprit})`).toBeLessThanOrEqual(REFLOW_WIDTH);
  } finally {
    if (before) await page.setViewportSize(before);
  }
}
