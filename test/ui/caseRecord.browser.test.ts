/**
 * Issue 16's last pages in a real browser, checked with axe and at 320 px: a letter's page names
 * the pupil from the school's directory, takes an edit (listed with who and when), refuses an
 * empty text next to the field, and records who approved; a leader changes the resource team's
 * meeting rhythm from the agenda.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import { expectNoSeriousAxeViolations, expectReflowAndScreenshots, launchBrowser } from '../support/browser';
import { TEST_DATA_DIR } from '../support/paths';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { testLocalSignIn } from '../support/tokens';

// A fixed day: a Friday, so the dates below are school days whatever the real date is.
const NOW = new Date('2026-11-27T12:00:00Z');
const SCHOOL = `S-BREV-${Math.random().toString(36).slice(2, 8)}`;

let temporal: TestTemporal;
let app: RunningApi;
let browser: Browser;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  [app, browser] = await Promise.all([startApi({ temporal, kind: 'pglite', ui: { signIn: testLocalSignIn() }, now: () => NOW }), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await temporal?.close();
});

async function signInAsLeader(page: Page): Promise<void> {
  await page.goto(`${app.baseUrl}/log-ind`);
  await page.getByLabel('Rolle').selectOption('leader');
  await page.getByLabel('Skole').fill(SCHOOL);
  await page.getByLabel('Navn').fill('leder-lis');
  await page.getByRole('button', { name: 'Log ind' }).click();
}

describe('the case record’s pages in a browser', () => {
  it('when the leader edits and approves a letter, then the page names the pupil from the directory, lists the edit with who and when, explains a refused edit next to the field, and shows who approved', async () => {
    const dir = await mkdtemp(path.join(TEST_DATA_DIR, 'letters-'));
    const roster = path.join(dir, 'elevliste.csv');
    await writeFile(
      roster,
      `pupilRef,schoolId,grade,className,givenName,familyName,guardian1Name,guardian1Email,guardian2Name,guardian2Email\nP-BREV-1,${SCHOOL},5,5.B,Vera,Lund,Ole Lund,,,\n`,
    );
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAsLeader(page);
    await page.getByRole('link', { name: 'Elever og fravær' }).first().click();
    await page.getByLabel(/^Elevliste/).setInputFiles(roster);
    await page.getByRole('button', { name: 'Indlæs' }).first().click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Elevlisten er indlæst');

    await page.goto(`${app.baseUrl}/forloeb/nyt`);
    await page.getByLabel('Elevreference').fill('P-BREV-1');
    await page.getByLabel('Klassetrin').selectOption('5');
    await page.getByLabel('Tovholder').fill('tovholder-kim');
    await page.getByLabel('Dato for beslutningen').fill('2026-11-23');
    await page.getByLabel('Forældrene').check();
    await page.getByRole('button', { name: 'Opret forløb' }).click();
    await page.waitForURL(/\/forloeb\/[0-9a-f-]{36}\?udfoert=oprettet$/);

    // The letter drafted at opening, with the names from the directory and no blank for them.
    await expect.poll(() => page.getByRole('link', { name: /^Læs og ret brevet/ }).count()).toBe(1);
    await page.getByRole('link', { name: /^Læs og ret brevet/ }).click();
    const letter = page.locator('article.letter');
    await expect.poll(() => letter.textContent()).toContain('Kære Ole Lund');
    const shown = (await letter.textContent()) ?? '';
    expect(shown).toContain('forældre til Vera Lund i 5. klasse');
    expect(shown).toContain('tovholderen, tovholder-kim,');
    expect(shown).not.toMatch(/\{\{|\[[^\]]*navn[^\]]*\]/i);
    expect(await page.title()).not.toContain('Vera');
    expect(await page.locator('main').textContent()).toContain('Ingen har rettet i brevet');
    await expectNoSeriousAxeViolations(page, 'letter page with the edit form');
    await expectReflowAndScreenshots(page, 'letter-edit');

    // An empty text is refused next to the field, with a summary linking to it; nothing is kept.
    await page.getByLabel('Brevets tekst').fill('   ');
    await page.getByRole('button', { name: 'Gem rettelsen' }).click();
    const summary = page.locator('#error-summary');
    await expect.poll(() => summary.textContent()).toContain('Brevets tekst');
    expect(await summary.locator('a[href="#body"]').count()).toBe(1);
    expect(await page.locator('#body-error').textContent()).toContain('Skal udfyldes');
    expect(await page.locator('main').textContent()).toContain('Ingen har rettet i brevet');
    await expectNoSeriousAxeViolations(page, 'letter page with a refused edit');

    // A real edit: kept, shown, and listed with who.
    await page.getByLabel('Brevets tekst').fill('Kære Ole Lund\n\nVi mødes tirsdag den 1. december kl. 8.15 i mødelokale 2.\n\nMed venlig hilsen\nSkolelederen');
    await page.getByRole('button', { name: 'Gem rettelsen' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Rettelsen er gemt');
    expect(await letter.textContent()).toContain('tirsdag den 1. december kl. 8.15');
    expect(await page.locator('main').textContent()).toMatch(/Rettelse 1 af leder-lis, \d+\. \w+ \d{4} kl\. \d{2}\.\d{2}/);
    await expectNoSeriousAxeViolations(page, 'letter page after an edit');

    // Approved: the case page and the letter's page say by whom; the letter can no longer be edited.
    await page.getByRole('button', { name: 'Godkend brevet' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Brevet er godkendt');
    expect(await page.locator('.letter-item').first().textContent()).toContain('godkendt af leder-lis');
    await page.getByRole('link', { name: /^Læs og udskriv brevet/ }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('godkendt af leder-lis');
    expect(await page.getByLabel('Brevets tekst').count()).toBe(0);
    expect(await letter.textContent()).toContain('tirsdag den 1. december kl. 8.15');
    await expectNoSeriousAxeViolations(page, 'approved letter');
    await context.close();
  });

  it('when the grade is corrected after the letter was edited, then the letter page says the facts changed, and a new draft written on request replaces it and links back to it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAsLeader(page);
    await page.goto(`${app.baseUrl}/forloeb/nyt`);
    await page.getByLabel('Elevreference').fill('P-BREV-2');
    await page.getByLabel('Klassetrin').selectOption('5');
    await page.getByLabel('Tovholder').fill('tovholder-kim');
    await page.getByLabel('Dato for beslutningen').fill('2026-11-23');
    await page.getByLabel('Forældrene').check();
    await page.getByRole('button', { name: 'Opret forløb' }).click();
    await page.waitForURL(/\/forloeb\/[0-9a-f-]{36}\?udfoert=oprettet$/);
    const caseUrl = page.url().replace(/\?.*$/, '');

    await page.getByRole('link', { name: /^Læs og ret brevet/ }).click();
    const letterUrl = page.url();
    await page.getByLabel('Brevets tekst').fill('Kære forældre\n\nVi mødes fredag kl. 10.');
    await page.getByRole('button', { name: 'Gem rettelsen' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Rettelsen er gemt');
    expect(await page.locator('main').textContent()).not.toContain('Forløbets oplysninger er ændret');

    await page.goto(caseUrl);
    await page.getByRole('link', { name: 'Ret oplysninger' }).click();
    await page.getByLabel('Rigtigt klassetrin').fill('6');
    await page.getByLabel('Begrundelse for rettelsen').fill('Forkert klassetrin ved oprettelsen');
    await page.getByRole('button', { name: 'Gem rettelsen' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Rettelsen er gemt');
    expect(await page.locator('.letter-item').first().textContent()).toContain('Forløbets oplysninger er ændret');

    await page.goto(letterUrl);
    await expect.poll(() => page.locator('main').textContent()).toContain('Forløbets oplysninger er ændret');
    // The edit is kept as it was written.
    expect(await page.locator('article.letter').textContent()).toContain('Vi mødes fredag kl. 10.');
    await expectNoSeriousAxeViolations(page, 'letter whose facts changed');
    await page.getByRole('button', { name: 'Skriv et nyt udkast' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Et nyt udkast er skrevet');
    expect(await page.locator('article.letter').textContent()).toContain('i 6. klasse');
    await page.getByRole('link', { name: 'Læs det tidligere udkast' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Erstattet af et nyt udkast');
    expect(await page.locator('article.letter').textContent()).toContain('Vi mødes fredag kl. 10.');
    expect(await page.getByLabel('Brevets tekst').count()).toBe(0);
    await expectNoSeriousAxeViolations(page, 'superseded letter');
    await context.close();
  });

  it('when a leader changes the resource team’s meeting rhythm from the agenda, then a bad interval is explained next to the field and a good one is kept', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAsLeader(page);
    await page.goto(`${app.baseUrl}/ressourceteam`);
    await page.getByRole('link', { name: 'Skift ressourceteamets mødeterminer' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Ressourceteamets møder');
    await expectNoSeriousAxeViolations(page, 'meeting rhythm for a leader');
    await expectReflowAndScreenshots(page, 'meeting-rhythm-leader');

    await page.getByLabel('Dato for et møde').fill('2026-11-30');
    await page.getByLabel('Dage mellem møderne').fill('3');
    await page.getByRole('button', { name: 'Gem mødeterminerne' }).click();
    await expect.poll(() => page.locator('#error-summary').textContent()).toContain('Dage mellem møderne');
    await expectNoSeriousAxeViolations(page, 'meeting rhythm refused');

    await page.getByLabel('Dage mellem møderne').fill('21');
    await page.getByRole('button', { name: 'Gem mødeterminerne' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Mødeterminerne er gemt');
    expect(await page.getByLabel('Dage mellem møderne').inputValue()).toBe('21');
    await page.getByRole('link', { name: 'Ressourceteamets dagsorden' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('mødet 30. november 2026');
    await context.close();
  });
});
