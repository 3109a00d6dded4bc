/**
 * Consent, §49a and the handover package in a real browser on the `npm start` stack: the level-3
 * escalation page shows what consent is on file and explains a refusal next to the field; the
 * consent, withdrawal and §49a pages; the package per receiver with its PDF. Every page is
 * checked with axe.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, danishDateOf } from '../../src/domain/dates';
import { expectNoSeriousAxeViolations, expectReflowAndScreenshots, launchBrowser } from '../support/browser';
import { startService, type RunningService } from '../support/service';

const SCHOOL = 'S-CONSENT';
const LEADER = 'Lise Leder';
const PUPIL_WORDS = 'Jeg vil gerne have en fast voksen, når jeg kommer om morgenen';

describe('consent and the handover package, in the browser', () => {
  let dataDir: string;
  let service: RunningService | undefined;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fravaer-consent-'));
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

  const notice = (page: Page, text: string) => expect.poll(() => page.getByRole('status').textContent()).toContain(text);

  it('when a leader takes a case to PPR, then the page shows no consent, refuses in Danish, and after the consent and §49a are recorded the package goes out with only what PPR may see', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/log-ind`);
    await page.getByLabel('Rolle').selectOption('leader');
    await page.getByLabel('Skole').fill(SCHOOL);
    await page.getByLabel('Navn').fill(LEADER);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForURL(`${base}/forloeb`);

    // A case opened three weeks ago with the pupil conversation done and written down.
    const today = danishDateOf(new Date());
    await page.goto(`${base}/forloeb/nyt`);
    await page.getByLabel('Elevreference').fill('P-CONSENT-1');
    await page.getByLabel('Klassetrin').selectOption('6');
    await page.getByLabel('Tovholder').fill(LEADER);
    await page.getByLabel('Dato for beslutningen').fill(addDays(today, -21));
    await page.getByLabel('Forældrene').check();
    await page.getByRole('button', { name: 'Opret forløb' }).click();
    await page.waitForURL(/\/forloeb\/[0-9a-f-]{36}\?udfoert=oprettet$/);
    const caseId = /\/forloeb\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    await page.getByRole('link', { name: 'Markér som udført: Samtale med eleven (spor B)' }).click();
    await page.getByLabel('Note').fill(PUPIL_WORDS);
    await page.getByRole('button', { name: 'Markér som udført' }).click();
    await notice(page, 'Trinnet er markeret som udført');
    for (const level of [1, 2]) {
      await page.getByRole('link', { name: 'Eskalér forløbet' }).click();
      await page.getByLabel('Begrundelse', { exact: true }).fill(`Trin ${level}: indsatserne virker ikke`);
      await page.getByRole('button', { name: 'Eskalér' }).click();
      await notice(page, 'Forløbet er eskaleret');
    }

    // Level 3: the page shows what is on file for each resource, and refuses PPR without consent.
    await page.getByRole('link', { name: 'Eskalér forløbet' }).click();
    await expect.poll(() => page.getByRole('row', { name: /PPR/ }).textContent()).toContain('Intet samtykke');
    await expectNoSeriousAxeViolations(page, 'escalation to level 3');
    await page.getByLabel('Begrundelse', { exact: true }).fill('Der er brug for en psykologfaglig vurdering');
    await page.getByLabel('Det beder vi modtageren om').fill('Vurdér elevens behov og deltag i netværksmødet');
    await page.getByLabel('PPR').check();
    await page.getByRole('button', { name: 'Eskalér' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Der er ikke registreret samtykke fra forældrene til PPR');
    expect(await page.locator('#error-summary a[href="#externalResources"]').count(), 'the summary links to the field').toBe(1);
    await expectNoSeriousAxeViolations(page, 'escalation refused');
    await expectReflowAndScreenshots(page, 'consent-escalation-refused');

    // The parents' consent to PPR: an empty form is explained field by field first.
    await page.goto(`${base}/forloeb/${caseId}/samtykke`);
    await expectNoSeriousAxeViolations(page, 'record consent');
    await page.evaluate("document.querySelector('form:has(#party)').noValidate = true");
    await page.getByRole('button', { name: 'Registrér samtykket' }).click();
    await expect.poll(() => page.locator('#error-summary').textContent()).toContain('Samtykket gælder');
    await expectNoSeriousAxeViolations(page, 'record consent refused');
    await page.getByLabel('PPR', { exact: true }).check();
    await page.getByLabel('Dato for samtykket').fill(today);
    await page.getByLabel('Bekymringen og baggrunden for eskaleringen').check();
    await page.getByLabel('Handleplaner, indsatser og opfølgninger').check();
    await page.getByRole('button', { name: 'Registrér samtykket' }).click();
    await notice(page, 'Samtykket er registreret');

    // §49a for the health nurse, once.
    await page.getByRole('link', { name: 'Registrér undtagelsen efter § 49 a' }).click();
    await expectNoSeriousAxeViolations(page, 'section 49a');
    await expectReflowAndScreenshots(page, 'consent-section-49a');
    await page.getByLabel('Sundhedsplejen').check();
    await page.getByLabel('Bekymringen og baggrunden for eskaleringen').check();
    await page.getByLabel('Begrundelse').fill('Tidlig forebyggende indsats; forældrene kan ikke træffes');
    await page.getByRole('button', { name: 'Registrér undtagelsen' }).click();
    await notice(page, 'Undtagelsen efter § 49 a er registreret');
    expect(await page.getByRole('link', { name: 'Registrér undtagelsen efter § 49 a' }).count(), 'used once per case').toBe(0);

    // Now level 3 goes through, and the page showed the consent on file.
    await page.getByRole('link', { name: 'Eskalér forløbet' }).click();
    await expect.poll(() => page.getByRole('row', { name: /PPR/ }).textContent()).toContain('Samtykke');
    await page.getByLabel('Begrundelse', { exact: true }).fill('Der er brug for en psykologfaglig vurdering');
    await page.getByLabel('Det beder vi modtageren om').fill('Vurdér elevens behov og deltag i netværksmødet');
    await page.getByLabel('PPR').check();
    await page.getByRole('button', { name: 'Eskalér' }).click();
    await notice(page, 'Forløbet er eskaleret');
    await expectNoSeriousAxeViolations(page, 'case page with consents');
    await expectReflowAndScreenshots(page, 'consent-case-page');

    // The package: the resource team sees the pupil's words; PPR does not.
    await page.getByRole('link', { name: /Overdragelsespakken/ }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain(PUPIL_WORDS);
    await expectNoSeriousAxeViolations(page, 'handover package (resource team)');
    await expectReflowAndScreenshots(page, 'handover-resource-team');
    await page.getByRole('link', { name: 'PPR' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('Vurdér elevens behov og deltag i netværksmødet');
    expect(await page.locator('main').textContent()).not.toContain(PUPIL_WORDS);
    await expect.poll(() => page.locator('main').textContent()).toContain('Udeladt, fordi samtykket ikke dækker det');
    await expectNoSeriousAxeViolations(page, 'handover package (PPR)');
    const pdfHref = await page.getByRole('link', { name: 'Hent som PDF' }).getAttribute('href');
    const pdf = await context.request.get(`${base}${pdfHref ?? ''}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // The parents withdraw the consent: it stays on the case, marked withdrawn.
    await page.goto(`${base}/forloeb/${caseId}`);
    await page.getByRole('link', { name: 'Træk samtykket til PPR tilbage' }).click();
    await expectNoSeriousAxeViolations(page, 'withdraw consent');
    await page.getByRole('button', { name: 'Træk samtykket tilbage' }).click();
    await notice(page, 'Samtykket er registreret som trukket tilbage');
    await expect.poll(() => page.locator('#samtykker + ul').textContent()).toContain('Trukket tilbage');
    await context.close();
  }, 240_000);
});
