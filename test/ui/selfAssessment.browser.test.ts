/**
 * The self-assessment pages in a real browser, checked with axe: the municipality starts a round,
 * rates a theme by clicking, and opens the discussion, priorities, result and rating sheet.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import { expectNoSeriousAxeViolations, launchBrowser } from '../support/browser';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { testLocalSignIn } from '../support/tokens';

let temporal: TestTemporal;
let app: RunningApi;
let browser: Browser;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  [app, browser] = await Promise.all([startApi({ temporal, kind: 'pglite', worker: false, ui: { signIn: testLocalSignIn() } }), launchBrowser()]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await temporal?.close();
});

describe('the self-assessment pages in a browser', () => {
  it('when the municipality runs a round through its pages, then every page has no serious accessibility violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const base = app.baseUrl;
    await page.goto(`${base}/log-ind`);
    await page.getByLabel('Rolle').selectOption('municipality');
    await page.getByLabel('Skole').fill('*');
    await page.getByLabel('Navn').fill('Maja Kommune');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${base}/analyse`);
    await page.getByRole('link', { name: 'Selvevaluering' }).first().click();
    await page.waitForURL(`${base}/selvevaluering`);
    await expectNoSeriousAxeViolations(page, 'rounds');

    await page.getByRole('link', { name: 'Start en ny runde' }).click();
    await expectNoSeriousAxeViolations(page, 'new round');
    await page.getByLabel('Deltager 1: navn').fill('Anne Holm');
    await page.getByLabel('Deltager 1: funktion').fill('Skoleleder');
    await page.getByLabel('Deltager 2: navn').fill('Bo Berg');
    await page.getByLabel('Deltager 2: funktion').fill('PPR');
    await page.getByRole('button', { name: 'Opret runden' }).click();
    await page.waitForURL(/\/selvevaluering\/[0-9a-f-]{36}\?udfoert=oprettet$/);
    const roundPath = new URL(page.url()).pathname;
    await expectNoSeriousAxeViolations(page, 'round');

    await page.getByRole('link', { name: 'Indtast vurderinger for Anne Holm' }).click();
    await expectNoSeriousAxeViolations(page, 'rating');
    await page.locator('#r_forstaaelse-1-2').check();
    await page.locator('#r_forstaaelse-2-5').check();
    await page.getByLabel('Skriv et samlet tal for temaet').selectOption('3');
    await page.getByRole('button', { name: 'Gem og gå til næste tema' }).click();
    await page.waitForURL(/\/tema\/systematik$/);
    expect(await page.locator('h1').textContent()).toBe('Tema 2 af 6: Systematisk tilgang');

    for (const path of ['droeftelse', 'prioriteter', 'resultat', 'udskrift', 'vurderingsark']) {
      await page.goto(`${base}${roundPath}/${path}`);
      await expectNoSeriousAxeViolations(page, path);
    }
    expect(await page.locator('.sa-sheet').count()).toBe(6);
    await context.close();
  }, 120_000);
});
