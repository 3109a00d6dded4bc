/**
 * The overview pages in a real browser on the real `npm start` stack: cases of known dates are
 * seeded through the API (with the embedded default's own signing key), then each role finds its
 * daily answer on one page. axe on every page; screenshots of the main ones (.test-data).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ISSUER, localSigningKey, signToken, type Role } from '../../src/access';
import { addDays, danishDateOf } from '../../src/domain/dates';
import { danishNumber } from '../../src/ui/danish';
import { expectNoSeriousAxeViolations, launchBrowser, saveScreenshots } from '../support/browser';
import { startService, type RunningService } from '../support/service';

const SCHOOL = 'S-OV';
const TOVHOLDER = 'Kim Tovholder';

describe('the overview pages, in the browser', () => {
  let dataDir: string;
  let service: RunningService | undefined;
  let browser: Browser;
  let base: string;
  const today = danishDateOf(new Date());
  const caseIds: Record<string, string> = {};

  async function token(role: Role, schools: string[]): Promise<string> {
    return signToken(await localSigningKey(dataDir), { sub: `${role}-seed`, role, schools, issuer: LOCAL_ISSUER, audience: 'fravaersforloeb', expiresInSeconds: 3600 });
  }

  async function callApi(role: Role, method: string, url: string, body?: unknown, schools = [SCHOOL]): Promise<unknown> {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${await token(role, schools)}`, 'content-type': 'application/json', 'idempotency-key': `${method}-${url}-${Math.random()}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, `${method} ${url}`).toBeLessThan(300);
    return res.json();
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fravaer-overview-'));
    [service, browser] = await Promise.all([startService(dataDir), launchBrowser()]);
    base = service.apiUrl;
    for (const [pupilRef, daysAgo] of [
      ['P-OLD', 30],
      ['P-NEW', 12],
    ] as const) {
      const view = (await callApi('leader', 'POST', '/api/cases', {
        pupilRef,
        schoolId: SCHOOL,
        grade: 5,
        tovholder: TOVHOLDER,
        openedOn: addDays(today, -daysAgo),
        concern: { source: 'staff' },
      })) as { caseId: string };
      caseIds[pupilRef] = view.caseId;
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGINT');
      await service.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  async function signIn(role: string, school: string, name: string, viewport?: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext(viewport ? { viewport } : {});
    const page = await context.newPage();
    await page.goto(`${base}/log-ind`);
    await page.getByLabel('Rolle').selectOption(role);
    await page.getByLabel('Skole').fill(school);
    await page.getByLabel('Navn').fill(name);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.waitForLoadState('load');
    return page;
  }

  const boardPupils = (page: Page) => page.locator('#frister tbody tr td:first-child a').allTextContents();

  it('when a leader works the board with the keyboard and a step is done on the case page, then the order, the filters and the case leaving the board follow', async () => {
    const page = await signIn('leader', SCHOOL, 'Lise Leder');
    await page.goto(`${base}/oversigt`);
    await expectNoSeriousAxeViolations(page, 'board');
    await saveScreenshots(page, 'overview-board');
    const pupils = await boardPupils(page);
    expect(pupils[0]).toBe('P-OLD');
    expect(pupils).toContain('P-NEW');

    // Keyboard only: Tab to the status filter, choose "Frist overskredet" with the arrow key, Enter on the button.
    const focused = () => page.evaluate<string>('document.activeElement ? document.activeElement.id || document.activeElement.textContent : ""');
    for (let i = 0; i < 60 && (await focused()) !== 'filter-status'; i += 1) await page.keyboard.press('Tab');
    expect(await focused()).toBe('filter-status');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Filtrér');
    await page.keyboard.press('Enter');
    await page.waitForURL(/status=overdue/);
    expect(await page.locator('#frister tbody .deadline--due_soon').count()).toBe(0);
    // A sort chosen by keyboard stays in the URL.
    await page.locator('#frister thead a', { hasText: /^Frist/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sorter=frist/);
    await page.reload();
    expect(new URL(page.url()).searchParams.get('status')).toBe('overdue');

    // Done through the case page: each of the new case's mapping tracks.
    await page.goto(`${base}/oversigt`);
    await page.locator('#frister a', { hasText: 'P-NEW' }).first().click();
    await page.waitForURL(new RegExp(`/forloeb/${caseIds['P-NEW']!}`));
    for (let i = 0; i < 3; i += 1) {
      await page.getByRole('link', { name: /^Markér som udført/ }).first().click();
      await page.getByRole('button', { name: 'Markér som udført' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Trinnet er markeret som udført');
    }
    await page.goto(`${base}/oversigt`);
    expect(await boardPupils(page)).not.toContain('P-NEW');
    expect(await boardPupils(page)).toContain('P-OLD');

    await page.goto(`${base}/maanedsgennemgang?maaned=${today.slice(0, 7)}`);
    await expectNoSeriousAxeViolations(page, 'monthly review');
    await saveScreenshots(page, 'overview-monthly-review');
    expect(await page.locator('main table tbody tr').count()).toBe(2);
  }, 120_000);

  it('when a case is escalated, then the resource team finds it on the next meeting’s agenda', async () => {
    await callApi('admin', 'PUT', `/api/resource-team/rhythm?schoolId=${SCHOOL}`, { firstMeetingOn: addDays(today, 3), intervalDays: 14 });
    await callApi('leader', 'POST', `/api/cases/${caseIds['P-OLD']!}/escalations`, { reason: 'Samtalerne har ikke hjulpet' });
    const page = await signIn('resource_team', SCHOOL, 'Rita Ressource');
    expect(new URL(page.url()).pathname).toBe('/ressourceteam');
    await expectNoSeriousAxeViolations(page, 'agenda');
    await saveScreenshots(page, 'overview-agenda');
    await expect.poll(() => page.locator('main').textContent()).toContain('Samtalerne har ikke hjulpet');
    expect(await page.locator('main').textContent()).toContain('P-OLD');
  }, 60_000);

  it('when the municipality reads the analytics, then the table equals the API’s figures and a case URL is not found', async () => {
    const page = await signIn('municipality', '*', 'Mette Forvaltning');
    expect(new URL(page.url()).pathname).toBe('/analyse');
    await expectNoSeriousAxeViolations(page, 'analytics');
    await saveScreenshots(page, 'overview-analytics');
    const json = (await callApi('municipality', 'GET', '/api/analytics/phase-durations', undefined, ['*'])) as { phases: { phase: string; cases: number; medianDays: number | null }[] };
    const mapping = json.phases.find((row) => row.phase === 'mapping')!;
    const cells = await page.locator('[data-figure="varighed-kortlaegning"] tbody tr').first().locator('th, td').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['Hele kommunen', String(mapping.cases)]);
    expect(cells[4]).toBe(danishNumber(mapping.medianDays));
    const answer = await page.goto(`${base}/forloeb/${caseIds['P-OLD']!}`);
    expect(answer?.status()).toBe(404);
  }, 60_000);

  it('when an admin saves a meeting rhythm the API refuses, then the page says why next to the field and the old one stays', async () => {
    const page = await signIn('admin', SCHOOL, 'Anders Admin');
    expect(new URL(page.url()).pathname).toBe('/indstillinger');
    await expectNoSeriousAxeViolations(page, 'settings');
    await page.getByRole('link', { name: 'Ressourceteamets møder' }).click();
    const before = await page.getByLabel('Dato for et møde').inputValue();
    await page.getByLabel('Dage mellem møderne').fill('40');
    await page.getByRole('button', { name: 'Gem mødeterminerne' }).click();
    await expect.poll(() => page.locator('#error-summary').textContent()).toContain('Dage mellem møderne');
    await expectNoSeriousAxeViolations(page, 'settings refused');
    await saveScreenshots(page, 'overview-settings-refused');
    await page.goto(`${base}/indstillinger/ressourceteam?skole=${SCHOOL}`);
    expect(await page.getByLabel('Dato for et møde').inputValue()).toBe(before);
    for (const link of ['/indstillinger/ferier', '/indstillinger/kontakter', '/indstillinger/breve', '/indstillinger/breve/closure_summary']) {
      await page.goto(`${base}${link}`);
      await expectNoSeriousAxeViolations(page, link);
    }
  }, 60_000);

  // WCAG 1.4.10 (reflow): at 320 CSS px nothing may need a sideways scroll of the whole page; a wide
  // data table may scroll inside its own labelled region, which the criterion allows.
  it('when each role reads its pages on a phone 320 px wide, then the page itself never scrolls sideways', async () => {
    const phone = { width: 320, height: 640 };
    const pagesByRole: [string, string, string[]][] = [
      ['leader', SCHOOL, ['/mine-forloeb', '/oversigt', `/maanedsgennemgang?maaned=${today.slice(0, 7)}`, `/forloeb/${caseIds['P-OLD']!}`]],
      ['resource_team', SCHOOL, ['/ressourceteam']],
      ['municipality', '*', ['/analyse']],
      ['admin', SCHOOL, ['/indstillinger', '/indstillinger/ferier']],
    ];
    const tooWide: string[] = [];
    for (const [role, school, links] of pagesByRole) {
      const page = await signIn(role, school, `Test ${role}`, phone);
      for (const link of links) {
        await page.goto(`${base}${link}`);
        const width = await page.evaluate<number>('document.documentElement.scrollWidth');
        if (width > phone.width) tooWide.push(`${link} (${role}): ${width} px`);
        if (link === '/oversigt') {
          // The table now scrolls in its own region: it must be reachable by keyboard and named.
          await expectNoSeriousAxeViolations(page, 'board on a phone');
          await saveScreenshots(page, 'overview-board-phone');
        }
      }
      await page.context().close();
    }
    expect(tooWide).toEqual([]);
  }, 90_000);
});
