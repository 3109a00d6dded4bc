/**
 * The school's data pages in a real browser, checked with axe: the leader uploads the roster and
 * a term of absence by choosing files, runs opsporing, opens a case from a candidate, and the case
 * page shows the pupil's name and the attendance chart with its table.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import { expectNoSeriousAxeViolations, expectReflowAndScreenshots, launchBrowser } from '../support/browser';
import { TEST_DATA_DIR } from '../support/paths';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { testLocalSignIn, tokenFor } from '../support/tokens';
import type { AbsenceAtOpening } from '../../src/school/signalSchemas';
import * as H from './handMadeSchool';

let temporal: TestTemporal;
let app: RunningApi;
let browser: Browser;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  [app, browser] = await Promise.all([
    startApi({ temporal, kind: 'pglite', ui: { signIn: testLocalSignIn() }, now: () => new Date('2026-11-27T12:00:00Z') }),
    launchBrowser(),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await temporal?.close();
});

describe('the school’s data pages in a browser', () => {
  it('when the leader uploads the files, runs opsporing and opens a case, then every page has no serious accessibility violation', async () => {
    const dir = await mkdtemp(path.join(TEST_DATA_DIR, 'upload-'));
    const roster = path.join(dir, 'elevliste.csv');
    const absence = path.join(dir, 'fravaer.csv');
    await writeFile(roster, H.ROSTER);
    const more = ['16', '17', '18', '19', '20'].flatMap((d) => [`P-8B-1,H1,2026-11-${d},start,unlawful`, `P-8B-1,H1,2026-11-${d},end,unlawful`]);
    await writeFile(absence, [H.ABSENCE_FIRST, ...more].join('\n'));

    const context = await browser.newContext();
    const page = await context.newPage();
    const base = app.baseUrl;
    await page.goto(`${base}/log-ind`);
    await page.getByLabel('Rolle').selectOption('leader');
    await page.getByLabel('Skole').fill(H.SCHOOL);
    await page.getByLabel('Navn').fill('leder-lis');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('link', { name: 'Elever og fravær' }).first().click();
    await expectNoSeriousAxeViolations(page, 'school data');

    await page.getByLabel(/^Elevliste/).setInputFiles(roster);
    await page.getByRole('button', { name: 'Indlæs' }).first().click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Elevlisten er indlæst');
    await page.getByLabel('Fraværsregistreringer (CSV)').setInputFiles(absence);
    await page.getByRole('button', { name: 'Indlæs' }).nth(1).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Fraværet er indlæst');
    await expectNoSeriousAxeViolations(page, 'school data with figures');
    await expectReflowAndScreenshots(page, 'school-data');

    await page.getByRole('link', { name: 'Opsporing: elever med bekymrende fravær' }).click();
    await page.getByRole('button', { name: 'Kør opsporingen nu' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Bertram Prøvesen');
    await expectNoSeriousAxeViolations(page, 'opsporing');
    await expectReflowAndScreenshots(page, 'opsporing');
    await page.getByLabel('Tovholder').fill('tovholder-kim');
    await page.getByRole('button', { name: 'Opret forløb' }).click();
    await page.waitForURL(/\/forloeb\/[0-9a-f-]{36}\?udfoert=oprettet$/);
    expect(await page.locator('h1').textContent()).toBe('Forløb for Bertram Prøvesen');
    expect(await page.getByRole('img', { name: /Fremmøde uge for uge/ }).count()).toBe(1);
    // The candidate's figures and reasons, kept when the case was opened, as the leader saw them on the list.
    const caseId = /\/forloeb\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    const kept = await app.http
      .withToken(await tokenFor({ role: 'leader', schools: [H.SCHOOL], sub: 'leder-lis' }))
      .get<AbsenceAtOpening>(`/api/cases/${caseId}/absence-at-opening`);
    const reasons = kept.body.atOpening?.reasons.map((reason) => reason.text) ?? [];
    expect(reasons.length).toBeGreaterThan(0);
    const atOpening = page.locator('h3:has-text("Fraværstal ved oprettelsen") ~ ul').first().locator('li');
    expect(await atOpening.allTextContents()).toEqual(reasons);
    expect(await page.getByRole('heading', { name: 'Fraværstal ved oprettelsen' }).isVisible()).toBe(true);
    const facts = await page.locator('h3:has-text("Fraværstal ved oprettelsen") ~ dl').first().textContent();
    expect(facts).toContain('Fravær i alt i skoleåret');
    expect(facts).toContain(`af ${kept.body.atOpening?.figures.schoolDaysSoFar} skoledage`);
    await expectNoSeriousAxeViolations(page, 'case page with attendance');
    await expectReflowAndScreenshots(page, 'case-attendance');
    await context.close();
  }, 120_000);
});
