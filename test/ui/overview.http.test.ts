/**
 * The overview pages over plain HTTP, as a browser without JavaScript meets them: the overdue
 * board (order, links, sorting in the URL, filters), the monthly review, the resource team's
 * agenda after an escalation, the municipality's analytics (tables equal to the API's figures,
 * each CSV equal to its table, no case reachable) and the admin's settings (refused and kept).
 * Cases are seeded through the API with known opening dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phaseDurations as phaseDurationsSchema, type PhaseDurations } from '../../src/domain/readModelSchemas';
import { danishNumber, danishPercent } from '../../src/ui/danish';
import { addDays, casesApi, expectCase, openCase, todayInDenmark, uniqueSchool, type CasesApi } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';
import { parseCsv } from '../readModel/support/csv';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { testLocalSignIn, tokenFor } from '../support/tokens';
import { csrfOf, mainOf, plain, signedIn, tableRows, type Visitor } from './support/visitor';

let temporal: TestTemporal;
let app: RunningApi;
let api: CasesApi;
const SCHOOL = uniqueSchool('OV');
const today = todayInDenmark();
/** Pupil → case id; opened 35, 25 and 15 days ago, so their first steps are late by different amounts. */
const cases: Record<string, string> = {};

beforeAll(async () => {
  temporal = await connectTestTemporal();
  app = await startApi({ temporal, kind: 'pglite', ui: { signIn: testLocalSignIn() } });
  api = casesApi(app.http);
  for (const [pupilRef, daysAgo, tovholder] of [
    ['P-OLD', 35, 'tov-a'],
    ['P-MID', 25, 'tov-b'],
    ['P-NEW', 15, 'tov-a'],
  ] as const) {
    const view = await openCase(api, { schoolId: SCHOOL, pupilRef, tovholder, openedOn: addDays(today, -daysAgo) });
    cases[pupilRef] = view.caseId;
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  await temporal?.close();
});

const pupilOf = (caseId: string) => Object.entries(cases).find(([, id]) => id === caseId)?.[0];

async function boardFromApi(query = ''): Promise<{ caseId: string; schoolDaysLate: number; dueOn: string }[]> {
  const answer = await app.http.get<{ items: { caseId: string; schoolDaysLate: number; dueOn: string }[] }>(`/api/overdue?schoolId=${SCHOOL}${query}`);
  expect(answer.status).toBe(200);
  return answer.body.items;
}

describe('the overdue board', () => {
  let leader: Visitor;
  beforeAll(async () => {
    leader = await signedIn(app.baseUrl, { role: 'leader', school: SCHOOL, name: 'Lone Leder' });
  });

  it('when a leader opens the board, then every overdue and due-soon step is listed in the API’s order, most late first, each linking to its case', async () => {
    const items = await boardFromApi();
    expect(items.length).toBeGreaterThan(2);
    const page = await leader.get('/oversigt');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const rows = tableRows(page.text, 'id="frister"');
    expect(rows.map((row) => row[0]?.split(',')[0]?.trim())).toEqual(items.map((item) => pupilOf(item.caseId)));
    expect(rows[0]?.[0]).toContain('P-OLD');
    for (const item of items) expect(page.text).toContain(`href="/forloeb/${item.caseId}"`);
    // No pupil data in the title.
    expect(/<title>([\s\S]*?)<\/title>/.exec(page.text)?.[1]).not.toMatch(/P-(OLD|MID|NEW)/);
  });

  it('when the leader sorts by due date, then the order is in the URL, survives a reload, and the column says how it is sorted', async () => {
    const first = await leader.get('/oversigt');
    const href = /<a href="([^"]*sorter=frist[^"]*)"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
    expect(href).toBe('/oversigt?sorter=frist&retning=op');
    const sorted = await leader.get(href!);
    const dates = (await boardFromApi()).map((item) => item.dueOn).sort();
    const shown = tableRows(sorted.text, 'id="frister"').map((row) => row[3]);
    expect(shown).toHaveLength(dates.length);
    expect(sorted.text).toMatch(/<th scope="col" aria-sort="ascending">\s*<a href="\/oversigt\?sorter=frist&amp;retning=ned"/);
    const reloaded = await leader.get(href!);
    expect(tableRows(reloaded.text, 'id="frister"')).toEqual(tableRows(sorted.text, 'id="frister"'));
  });

  it('when the leader filters by tovholder, then only that tovholder’s steps are listed', async () => {
    const page = await leader.get('/oversigt?tovholder=tov-b');
    const rows = tableRows(page.text, 'id="frister"');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row[0]?.startsWith('P-MID'))).toBe(true);
  });

  it('when a tovholder opens the board, then only their own cases’ steps are there, whatever the URL asks', async () => {
    const tovholder = await signedIn(app.baseUrl, { role: 'tovholder', school: SCHOOL, name: 'tov-a' });
    const page = await tovholder.get('/oversigt?tovholder=tov-b');
    expect(page.status).toBe(200);
    const pupils = new Set(tableRows(page.text, 'id="frister"').map((row) => row[0]?.split(',')[0]?.trim()));
    expect([...pupils].sort()).toEqual(['P-NEW', 'P-OLD']);
  });
});

describe('the monthly review', () => {
  it('when a leader picks the current month, then every active case is there with the API’s figures', async () => {
    const leader = await signedIn(app.baseUrl, { role: 'leader', school: SCHOOL, name: 'Lone Leder' });
    const month = today.slice(0, 7);
    const fromApi = await app.http.get<{ items: { caseId: string; daysInPhase: number; overdueSteps: number }[] }>(`/api/reviews/monthly?schoolId=${SCHOOL}&month=${month}`);
    const page = await leader.get(`/maanedsgennemgang?maaned=${month}`);
    expect(page.status).toBe(200);
    const rows = tableRows(page.text);
    expect(rows.map((row) => [row[0]?.split(',')[0]?.trim(), Number(row[3]), Number(row[7])])).toEqual(
      fromApi.body.items.map((item) => [pupilOf(item.caseId), item.daysInPhase, item.overdueSteps]),
    );
    expect(page.text).toContain('js-print');
  });

  it('when a tovholder asks for the monthly review, then 403', async () => {
    const tovholder = await signedIn(app.baseUrl, { role: 'tovholder', school: SCHOOL, name: 'tov-a' });
    expect((await tovholder.get('/maanedsgennemgang')).status).toBe(403);
  });
});

describe('the resource team’s agenda', () => {
  it('when a case is escalated, then it is on the next meeting’s agenda with level, reason and what was tried, and earlier meetings are a link away', async () => {
    const meetingOn = addDays(today, 2);
    expect((await app.http.put(`/api/resource-team/rhythm?schoolId=${SCHOOL}`, { firstMeetingOn: addDays(meetingOn, -28), intervalDays: 14 })).status).toBe(200);
    expectCase(await api.escalate(cases['P-MID']!, { reason: 'Ingen effekt af samtalerne' }));
    const team = await signedIn(app.baseUrl, { role: 'resource_team', school: SCHOOL, name: 'Rita Ressource' });
    const page = await team.get('/ressourceteam');
    expect(page.status).toBe(200);
    const text = plain(mainOf(page.text));
    expect(text).toContain('P-MID');
    expect(text).toContain('Trin 1');
    expect(text).toContain('Ingen effekt af samtalerne');
    expect(text).toContain('Prøvet indtil nu');
    expect(text).not.toContain('P-OLD');
    const earlier = /href="(\/ressourceteam\?dato=[^"]+)">Mødet før/.exec(page.text)?.[1];
    expect(earlier).toBeDefined();
    const before = await team.get(earlier!);
    expect(plain(mainOf(before.text))).toContain('Ingen forløb er eskaleret til dette møde');
  });
});

describe('the municipality’s analytics', () => {
  let municipality: Visitor;
  let json: PhaseDurations;
  beforeAll(async () => {
    municipality = await signedIn(app.baseUrl, { role: 'municipality', school: '*', name: 'Mette Forvaltning' });
    const token = await tokenFor({ role: 'municipality', schools: ['*'] });
    const answer = await app.http.withToken(token).get('/api/analytics/phase-durations');
    json = phaseDurationsSchema.parse(answer.body);
  });

  it('when the municipality opens the analytics, then each table holds the API’s figures and a chart beside it', async () => {
    const page = await municipality.get('/analyse');
    expect(page.status).toBe(200);
    const mapping = tableRows(page.text, 'data-figure="varighed-kortlaegning"');
    const whole = json.phases.find((row) => row.phase === 'mapping')!;
    expect(mapping[0]).toEqual(['Hele kommunen', String(whole.cases), String(whole.open), ...[whole.q1Days, whole.medianDays, whole.q3Days, whole.p90Days].map(danishNumber)]);
    const school = json.bySchool.find((entry) => entry.schoolId === SCHOOL)!;
    expect(tableRows(page.text, 'data-figure="til-tiden"')).toContainEqual([SCHOOL, danishPercent(school.stepsOnTimeRate)]);
    expect(tableRows(page.text, 'data-figure="eskaleringer"')).toEqual([1, 2, 3].map((level) => [`Trin ${level}`, String(json.escalationsByLevel[level as 1 | 2 | 3])]));
    expect((page.text.match(/<svg[^>]*role="img"/g) ?? []).length).toBe(6);
  });

  it('when a chart’s CSV is downloaded, then it holds exactly the numbers of its table', async () => {
    const page = await municipality.get('/analyse');
    for (const slug of ['varighed-kortlaegning', 'varighed-handleplan', 'til-tiden', 'eskaleringer', 'afslutninger']) {
      const answer = await municipality.get(`/analyse/${slug}.csv`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
      const [, ...records] = parseCsv(answer.text.replace(/^\uFEFF/, ''));
      const asShown = records.map(([name, ...cells]) => [name, ...cells.map((cell) => (cell === '' ? '–' : slug === 'til-tiden' ? danishPercent(Number(cell)) : danishNumber(Number(cell))))]);
      expect(asShown, slug).toEqual(tableRows(page.text, `data-figure="${slug}"`));
    }
  });

  it('when the municipality tries a case’s page, then 404, and the analytics link to no case', async () => {
    const page = await municipality.get('/analyse');
    expect(mainOf(page.text)).not.toContain('/forloeb/');
    expect((await municipality.get(`/forloeb/${cases['P-OLD']!}`)).status).toBe(404);
    expect((await municipality.get('/oversigt')).status).toBe(403);
  });

  it('when the period ends before it starts, then the page says so next to the date and shows no figures', async () => {
    const page = await municipality.get('/analyse?fra=2026-10-01&til=2026-09-01');
    expect(page.status).toBe(400);
    expect(page.text).toContain('href="#from"');
    expect(page.text).not.toContain('data-figure=');
  });
});

describe('the admin’s settings', () => {
  let admin: Visitor;
  beforeAll(async () => {
    admin = await signedIn(app.baseUrl, { role: 'admin', school: SCHOOL, name: 'Anders Admin' });
  });

  it('when a meeting rhythm outside 7–28 days is saved, then it is refused next to its field and the old one stays', async () => {
    const form = await admin.get('/indstillinger/ressourceteam');
    expect(form.status).toBe(200);
    const before = /id="firstMeetingOn" name="firstMeetingOn" value="([^"]+)"/.exec(form.text)?.[1];
    expect(before).toBeDefined();
    const refused = await admin.post('/indstillinger/ressourceteam', { _csrf: csrfOf(form.text), firstMeetingOn: today, intervalDays: '40' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#intervalDays"');
    expect(refused.text).toMatch(/id="intervalDays-error"/);
    const again = await admin.get('/indstillinger/ressourceteam');
    expect(again.text).toContain(`value="${before!}"`);
  });

  it('when one holiday is edited, then only it changes and the defaults stay; a holiday ending before it starts is refused and nothing changes', async () => {
    const year = Number(today.slice(0, 4)) + 1;
    const list = await admin.get(`/indstillinger/ferier?aar=${year}`);
    expect(list.status).toBe(200);
    const before = tableRows(list.text);
    expect(before.length).toBeGreaterThan(2);
    // The second holiday in force (the first may be the Christmas holiday reaching into January).
    const form = await admin.get(`/indstillinger/ferier/ret?aar=${year}&nr=1`);
    const csrf = csrfOf(form.text);
    const valueOf = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(form.text)?.[1] ?? '';
    const [from, to] = [valueOf('from'), valueOf('to')];
    expect(from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const refused = await admin.post(`/indstillinger/ferier/ret?aar=${year}&nr=1`, { _csrf: csrf, name: 'Flyttet', from: to, to: from });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#to"');
    expect(tableRows((await admin.get(`/indstillinger/ferier?aar=${year}`)).text)).toEqual(before);

    const saved = await admin.post(`/indstillinger/ferier/ret?aar=${year}&nr=1`, { _csrf: csrf, name: 'Flyttet ferie', from, to });
    expect(saved.status).toBe(303);
    const after = tableRows((await admin.get(`/indstillinger/ferier?aar=${year}`)).text);
    expect(after[1]?.[0]).toBe('Flyttet ferie');
    expect(after.filter((_row, index) => index !== 1)).toEqual(before.filter((_row, index) => index !== 1));
  });

  it('when contacts with a bad e-mail address are saved, then it is refused next to its field', async () => {
    const form = await admin.get('/indstillinger/kontakter');
    const refused = await admin.post('/indstillinger/kontakter', { _csrf: csrfOf(form.text), leaderEmail: 'ikke en adresse', tovholdere: 'tov-a = a@skole.example.dk' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('href="#leaderEmail"');
  });

  it('when a letter template is previewed, then it is filled with the sample case and nothing is saved', async () => {
    const form = await admin.get('/indstillinger/breve/parent_conversation_invitation');
    expect(form.status).toBe(200);
    const preview = await admin.post('/indstillinger/breve/parent_conversation_invitation', {
      _csrf: csrfOf(form.text),
      handling: 'eksempel',
      subject: 'Samtale om {{pupilRef}}',
      body: 'Kære forældre til eleven i {{grade}}.',
    });
    expect(preview.status).toBe(200);
    expect(plain(mainOf(preview.text))).toContain('Samtale om EKSEMPEL-1');
  });
});
