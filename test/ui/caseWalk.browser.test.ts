/**
 * A school leader and a tovholder carry a case from opening to closure in a real browser, on the
 * real `npm start` stack (embedded Temporal dev server and PGlite), using only the pages. Every
 * page visited is checked with axe; the main pages are saved as screenshots (.test-data).
 * A second walk does the same up to the plan with JavaScript turned off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, danishDateOf, dayOfWeek } from '../../src/domain/dates';
import { expectNoSeriousAxeViolations, launchBrowser, saveScreenshots } from '../support/browser';
import { startService, type RunningService } from '../support/service';

const SCHOOL = 'S-UI';
const LEADER = 'Lise Leder';
const TOVHOLDER = 'Kim Tovholder';

/** A Monday about twenty weeks back: every date of the walk lies in the past, as for a case kept on paper first. */
function walkDates() {
  const today = danishDateOf(new Date());
  let opened = addDays(today, -140);
  while (dayOfWeek(opened) !== 1) opened = addDays(opened, -1);
  const on = (days: number) => addDays(opened, days);
  return {
    opened,
    tracks: [on(2), on(3), on(4)] as const,
    assessment: on(14),
    plan: on(17),
    startsOn: on(21),
    reviewOn: on(49),
    followUp1: on(42),
    next1: on(42 + 56),
    followUp2: on(42 + 56),
  };
}

describe('a case from opening to closure, in the browser', () => {
  let dataDir: string;
  let service: RunningService | undefined;
  let browser: Browser;
  let base: string;
  const visited = new Set<string>();

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fravaer-ui-'));
    [service, browser] = await Promise.all([startService(dataDir), launchBrowser()]);
    base = service.apiUrl;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGINT');
      await service.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  /** axe on every distinct page (by path without ids) the walk reaches, once each. */
  async function checked(page: Page, label: string): Promise<void> {
    const key = `${label}:${new URL(page.url()).pathname.replace(/[0-9a-f-]{36}/g, ':id')}`;
    if (visited.has(key)) return;
    visited.add(key);
    await expectNoSeriousAxeViolations(page, label);
  }

  async function signIn(context: BrowserContext, role: string, name: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/log-ind');
    await expect.poll(() => page.locator('h1').textContent()).toContain('Log ind (lokal udgave)');
    await checked(page, 'sign-in');
    await page.getByLabel('Rolle').selectOption(role);
    await page.getByLabel('Skole').fill(SCHOOL);
    await page.getByLabel('Navn').fill(name);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${base}/forloeb`);
    return page;
  }

  async function expectNotice(page: Page, text: string): Promise<void> {
    await expect.poll(() => page.getByRole('status').textContent()).toContain(text);
  }

  async function openCase(page: Page, pupilRef: string, openedOn: string): Promise<string> {
    await page.getByRole('link', { name: 'Opret forløb' }).first().click();
    await page.waitForURL(`${base}/forloeb/nyt`);
    await checked(page, 'open case');
    await page.getByLabel('Elevreference').fill(pupilRef);
    await page.getByLabel('Klassetrin').selectOption('6');
    await page.getByLabel('Tovholder').fill(TOVHOLDER);
    await page.getByLabel('Dato for beslutningen').fill(openedOn);
    await page.getByLabel('Forældrene').check();
    await page.getByLabel('Note om bekymringen').fill('Mange fraværsdage efter sommerferien');
    await page.getByRole('button', { name: 'Opret forløb' }).click();
    await page.waitForURL(/\/forloeb\/[0-9a-f-]{36}\?udfoert=oprettet$/);
    await expectNotice(page, 'Forløbet er oprettet');
    return /\/forloeb\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
  }

  async function completeTracks(page: Page, dates: readonly string[]): Promise<void> {
    const titles = [
      'Kortlægning af klassefællesskabet og fraværsdata (spor A)',
      'Samtale med eleven (spor B)',
      'Samtale med forældrene (spor C)',
    ];
    for (const [index, title] of titles.entries()) {
      await page.getByRole('link', { name: `Markér som udført: ${title}` }).click();
      await checked(page, 'complete a track');
      await page.getByLabel('Dato for udført').fill(dates[index] ?? '');
      await page.getByLabel('Note').fill(`Udført: ${title}`);
      await page.getByRole('button', { name: 'Markér som udført' }).click();
      await expectNotice(page, 'Trinnet er markeret som udført');
    }
  }

  async function decideActionPlan(page: Page, decidedOn: string): Promise<void> {
    await page.getByRole('link', { name: 'Træf vurderingen efter kortlægningen' }).click();
    await checked(page, 'assessment');
    await page.getByLabel('Fraværet kalder på en handleplan').check();
    await page.getByLabel('Begrundelse').fill('Fraværet skyldes flere forhold; der skal en plan til.');
    await page.getByLabel('Dato for vurderingen').fill(decidedOn);
    await page.getByRole('button', { name: 'Gem vurderingen' }).click();
    await expectNotice(page, 'Vurderingen er gemt');
  }

  /** Slots 0, 2 and 4 are the first measure of tracks 1, 2 and 3. */
  async function fillMeasure(page: Page, slot: number, description: string, dates: ReturnType<typeof walkDates>): Promise<void> {
    await page.locator(`#measures-${slot}-description`).fill(description);
    await page.locator(`#measures-${slot}-responsible`).fill(TOVHOLDER);
    await page.locator(`#measures-${slot}-startsOn`).fill(dates.startsOn);
    await page.locator(`#measures-${slot}-reviewOn`).fill(dates.reviewOn);
  }

  it('when a leader opens a case and the tovholder carries it through every phase, then each page shows the new state and the case closes', async () => {
    const dates = walkDates();
    const leaderContext = await browser.newContext();
    const leader = await signIn(leaderContext, 'leader', LEADER);
    await checked(leader, 'school cases (leader)');
    await saveScreenshots(leader, 'school-cases-empty');
    await leader.goto(`${base}/forloeb/nyt`);
    await saveScreenshots(leader, 'open-case');
    await leader.goto(`${base}/forloeb`);
    const caseId = await openCase(leader, 'P-UI-1', dates.opened);
    await checked(leader, 'case page (just opened)');

    const tovholderContext = await browser.newContext();
    const page = await signIn(tovholderContext, 'tovholder', TOVHOLDER);
    await checked(page, 'my cases (tovholder)');
    await expect.poll(() => page.locator('h1').textContent()).toContain('Mine forløb');
    await saveScreenshots(page, 'my-cases');
    await page.getByRole('link', { name: 'P-UI-1' }).click();
    await page.waitForURL(`${base}/forloeb/${caseId}`);
    // Opened on paper twenty weeks ago: every mapping deadline has passed.
    await expect.poll(() => page.locator('#trin ~ div table').first().textContent()).toContain('Frist overskredet');

    await completeTracks(page, dates.tracks);
    await decideActionPlan(page, dates.assessment);
    await expect.poll(() => page.locator('.phase-strip__item--current').textContent()).toContain('Handleplan');

    // The plan: the form will not go without a measure in each of the three tracks ...
    await page.getByRole('link', { name: 'Skriv handleplanen' }).click();
    await checked(page, 'plan');
    await fillMeasure(page, 0, 'Trivselssamtaler hver uge med kontaktlæreren', dates);
    await fillMeasure(page, 2, 'Fast makker i frikvartererne', dates);
    await page.getByLabel('Dato for vedtagelse').fill(dates.plan);
    await page.getByRole('button', { name: 'Gem handleplanen' }).click();
    expect(await page.locator('#measures-4-description:invalid').count(), 'the browser holds the form back').toBe(1);
    expect(new URL(page.url()).pathname).toBe(`/forloeb/${caseId}/handleplan`);
    // ... and should it be sent anyway, the service refuses it and says which track is missing.
    await page.evaluate("document.querySelector('form:has(#measures)').noValidate = true");
    await page.getByRole('button', { name: 'Gem handleplanen' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Mangler: undervisning under fraværet');
    await checked(page, 'plan refused');
    await saveScreenshots(page, 'plan-refused');
    await fillMeasure(page, 4, 'Online undervisning to dage om ugen', dates);
    await page.getByRole('button', { name: 'Gem handleplanen' }).click();
    await expectNotice(page, 'Handleplanen er gemt');
    await expect.poll(() => page.locator('.phase-strip__item--current').textContent()).toContain('Opfølgning');

    // Two follow-ups, each reviewing every measure.
    for (const [heldOn, next] of [
      [dates.followUp1, dates.next1],
      [dates.followUp2, undefined],
    ] as const) {
      await page.getByRole('link', { name: 'Registrér en opfølgning' }).click();
      await checked(page, 'follow-up');
      await page.getByLabel('Dato for mødet').fill(heldOn);
      for (const review of [0, 1, 2]) {
        await page.locator(`#reviews-${review}-done-ja`).check();
        await page.locator(`#reviews-${review}-effect-some`).check();
        await page.locator(`#reviews-${review}-action-keep`).check();
      }
      await page.getByLabel('Fortsæt med planen').check();
      if (next !== undefined) await page.getByLabel('Næste opfølgning').fill(next);
      if (next !== undefined) await saveScreenshots(page, 'follow-up');
      await page.getByRole('button', { name: 'Gem opfølgningen' }).click();
      if (heldOn < dates.reviewOn) {
        // Held before the plan's first review date: early, so the reason is asked for, next to its field.
        await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('før tid');
        await checked(page, 'follow-up early');
        await page.getByLabel('Hvorfor holdes opfølgningen før tid?').fill('Forældrene bad om mødet før evalueringen');
        await page.getByRole('button', { name: 'Gem opfølgningen' }).click();
      }
      await expectNotice(page, 'Opfølgningen er gemt');
    }
    await expect.poll(() => page.locator('#opfoelgning ~ section').count()).toBe(2);

    // Up the escalation ladder; level 3 asks which external resources come in.
    for (const level of [1, 2, 3]) {
      await page.getByRole('link', { name: 'Eskalér forløbet' }).click();
      await checked(page, `escalation to level ${level}`);
      await page.getByLabel('Begrundelse', { exact: true }).fill(`Indsatserne virker ikke nok (trin ${level})`);
      if (level === 3) await page.getByLabel('PPR').check();
      // No consent on file in this walk (test/ui/consent.browser.test.ts records one): the reason is stated.
      if (level === 3) await page.getByLabel('Begrundelse for at eskalere uden samtykke').fill('Forældrene giver samtykke på mødet');
      else expect(await page.getByLabel('PPR').count()).toBe(0);
      await page.getByRole('button', { name: 'Eskalér' }).click();
      await expectNotice(page, 'Forløbet er eskaleret');
    }
    await expect.poll(() => page.locator('.case-facts').textContent()).toContain('Trin 3');
    expect(await page.getByRole('link', { name: 'Eskalér forløbet' }).count(), 'the top of the ladder').toBe(0);

    // Letters the actions drafted: read one, approve it, print it.
    await saveScreenshots(page, 'case-page');
    const firstLetter = page.locator('.letter-item').first();
    await firstLetter.getByRole('button', { name: /^Godkend/ }).click();
    await expectNotice(page, 'Brevet er godkendt');
    await page.locator('.letter-item').first().getByRole('link', { name: /^Læs og udskriv/ }).click();
    await checked(page, 'letter');
    await expect.poll(() => page.locator('.letter__body').textContent()).not.toBe('');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header').isVisible(), 'the print shows the letter alone').toBe(false);
    expect(await page.locator('.letter__body').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${base}/forloeb/${caseId}`);

    // Closure.
    await page.getByRole('link', { name: 'Afslut forløbet' }).click();
    await checked(page, 'closure');
    await page.getByLabel('Eleven kommer stabilt i skole').check();
    await page.getByLabel('Elev, forældre og skole er enige om at afslutte').check();
    await page.getByLabel('Plan for at forebygge tilbagefald').fill('Kontaktlæreren ringer hjem ved første fraværsdag.');
    await page.getByLabel('Ingen brobygning').check();
    await page.getByRole('button', { name: 'Afslut forløbet' }).click();
    // Just before a long holiday the page warns first and asks for a confirmation (not on every date).
    if ((await page.locator('#holiday-warning').count()) > 0) {
      await page.getByLabel('Jeg har læst advarslen og vil afslutte forløbet alligevel').check();
      await page.getByRole('button', { name: 'Afslut forløbet' }).click();
    }
    await expectNotice(page, 'Forløbet er afsluttet');
    await expect.poll(() => page.locator('.phase-strip__item--current').textContent()).toContain('Afsluttet');
    await expect.poll(() => page.locator('#handlinger + p').textContent()).toContain('Der er ikke flere handlinger');
    await checked(page, 'case page (closed)');
    await saveScreenshots(page, 'case-closed');

    // The leader's overview shows the case with its tovholder; closed cases are filtered in by phase.
    await leader.goto(`${base}/forloeb?fase=closed`);
    await expect.poll(() => leader.locator('table').textContent()).toContain('P-UI-1');
    await leader.goto(`${base}/docs/forloebspakke`);
    await checked(leader, 'process picture');
    await leader.goto(`${base}/tilgaengelighed`);
    await checked(leader, 'accessibility statement');
    await leaderContext.close();
    await tovholderContext.close();
  }, 240_000);

  it('when JavaScript is off, then a leader opens a case and the tovholder reaches an adopted plan with plain form posts', async () => {
    const dates = walkDates();
    const leaderContext = await browser.newContext({ javaScriptEnabled: false });
    const leader = await signIn(leaderContext, 'leader', LEADER);
    const caseId = await openCase(leader, 'P-UI-2', dates.opened);
    const tovholderContext = await browser.newContext({ javaScriptEnabled: false });
    const page = await signIn(tovholderContext, 'tovholder', TOVHOLDER);
    await page.goto(`${base}/forloeb/${caseId}`);
    await completeTracks(page, dates.tracks);
    await decideActionPlan(page, dates.assessment);
    await page.getByRole('link', { name: 'Skriv handleplanen' }).click();
    await fillMeasure(page, 0, 'Trivselssamtaler', dates);
    await fillMeasure(page, 2, 'Fællesskabsaktivitet', dates);
    await fillMeasure(page, 4, 'Sygeundervisning hjemme', dates);
    await page.getByRole('button', { name: 'Gem handleplanen' }).click();
    await expectNotice(page, 'Handleplanen er gemt');
    await expect.poll(() => page.locator('#handleplan ~ section').first().textContent()).toContain('Sygeundervisning hjemme');
    await leaderContext.close();
    await tovholderContext.close();
  }, 180_000);

  it('when a leader corrects a case, gives it a new tovholder and withdraws it, then each page passes axe and the case ends withdrawn', async () => {
    const dates = walkDates();
    const context = await browser.newContext();
    const leader = await signIn(context, 'leader', LEADER);
    const caseId = await openCase(leader, 'P-UI-3', dates.opened);
    await leader.getByRole('link', { name: 'Ret oplysninger' }).click();
    await checked(leader, 'correction');
    await leader.getByLabel('Rigtigt klassetrin').fill('7');
    await leader.getByLabel('Begrundelse for rettelsen').fill('Forkert klassetrin ved oprettelsen');
    await leader.getByRole('button', { name: 'Gem rettelsen' }).click();
    await expectNotice(leader, 'Rettelsen er gemt');
    await expect.poll(() => leader.locator('.case-facts').textContent()).toContain('7. klasse');
    await leader.getByRole('link', { name: 'Giv forløbet en ny tovholder' }).click();
    await checked(leader, 'reassign');
    await leader.getByLabel('Ny tovholder').fill('tovholder-ole');
    await leader.getByLabel('Begrundelse').fill('Orlov');
    await leader.getByRole('button', { name: 'Skift tovholder' }).click();
    await expectNotice(leader, 'ny tovholder');
    await leader.getByRole('link', { name: 'Træk forløbet tilbage' }).click();
    await checked(leader, 'withdrawal');
    await leader.getByLabel('Hvorfor blev forløbet oprettet ved en fejl?').fill('Oprettet på den forkerte elev');
    await leader.getByRole('button', { name: 'Træk forløbet tilbage' }).click();
    await expectNotice(leader, 'trukket tilbage');
    expect(new URL(leader.url()).pathname).toBe(`/forloeb/${caseId}`);
    await checked(leader, 'case page (withdrawn)');
    await context.close();
  }, 120_000);

  it('when another site posts a form to the service in a signed-in browser, then it is refused and no case is opened', async () => {
    const context = await browser.newContext();
    const leader = await signIn(context, 'leader', LEADER);
    // An attacker's page on another site (127.0.0.1 is another site than localhost), posting on load.
    const form = (token: string) => `<!doctype html><html lang="en"><head><title>Win a prize</title></head><body>
      <form id="f" method="post" action="${base}/forloeb/nyt">
        <input name="_csrf" value="${token}"><input name="pupilRef" value="P-EVIL"><input name="schoolId" value="${SCHOOL}">
        <input name="grade" value="3"><input name="tovholder" value="${TOVHOLDER}"><input name="openedOn" value="${danishDateOf(new Date())}">
        <input name="concern.source" value="staff"></form></body></html>`;
    const attacker: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(form('guessed-token'));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      const answer = page.waitForResponse((response) => response.url() === `${base}/forloeb/nyt`);
      await page.evaluate("document.getElementById('f').submit()");
      expect((await answer).status()).toBe(403);
      await expect.poll(() => page.locator('h1').textContent()).toContain('Du har ikke adgang');
    } finally {
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
    }
    await leader.goto(`${base}/forloeb`);
    expect(await leader.locator('main').textContent()).not.toContain('P-EVIL');
    await context.close();
  }, 60_000);

  /** Presses Tab until the focused element matches `test` (a JS expression on `el`), as a keyboard user would. */
  async function tabTo(page: Page, test: string, limit = 60): Promise<void> {
    for (let i = 0; i < limit; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(`(() => { const el = document.activeElement; return !!el && (${test}); })()`)) return;
    }
    throw new Error(`no element reached by Tab matches ${test}`);
  }

  const focusVisible = (page: Page) =>
    page.evaluate(`(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && s.outlineWidth !== '0px'; })()`);

  it('when only the keyboard is used, then a person signs in, opens a case from the list and reaches its actions, with the focus always visible', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/log-ind`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toContain('Gå til sidens indhold');
    await tabTo(page, "el.id === 'role'");
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.type('Skoleleder');
    await tabTo(page, "el.id === 'school'");
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(SCHOOL);
    await tabTo(page, "el.id === 'name'");
    await page.keyboard.type(LEADER);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/forloeb`);
    // The first case in the list (the walks above opened them).
    await tabTo(page, "el.tagName === 'A' && el.closest('table') !== null");
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/forloeb\/[0-9a-f-]{36}$/);
    await tabTo(page, "el.tagName === 'A' && el.closest('.action-list') !== null");
    expect(await focusVisible(page)).toBe(true);
    await context.close();
  }, 60_000);
});
