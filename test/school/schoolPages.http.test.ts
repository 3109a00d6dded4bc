/**
 * The school's data in the pages, as a browser without JavaScript meets them: the leader uploads
 * the roster and a term of absence from files, a bad file is listed row by row, and the case page
 * and the case list show the pupil's name and attendance; the page title never does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { testLocalSignIn, tokenFor } from '../support/tokens';
import { csrfOf, mainOf, plain, signedIn, tableRows, type Visitor } from '../ui/support/visitor';
import * as H from './handMadeSchool';

let temporal: TestTemporal;
let app: RunningApi;
let leader: Visitor;
/** Friday 27 November 2026, noon: 75 school days into the school year. */
const TODAY = '2026-11-27T12:00:00Z';

beforeAll(async () => {
  temporal = await connectTestTemporal();
  // The pages count as of today: a fixed day keeps the figures the hand count's.
  app = await startApi({ temporal, kind: 'pglite', ui: { signIn: testLocalSignIn() }, now: () => new Date(TODAY) });
  leader = await signedIn(app.baseUrl, { role: 'leader', school: H.SCHOOL, name: 'leder-lis' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await temporal?.close();
});

async function upload(slug: 'elevliste' | 'fravaer', text: string) {
  const form = await leader.get(`/elever?skole=${H.SCHOOL}`);
  return leader.upload(`/elever/${slug}?skole=${H.SCHOOL}`, { _csrf: csrfOf(form.text) }, { field: 'fil', name: `${slug}.csv`, text });
}

describe('the school’s data in the pages', () => {
  it('when the leader uploads the roster and a file with three bad rows, then the page lists the three rows in Danish and stores nothing of it', async () => {
    const roster = await upload('elevliste', H.ROSTER);
    expect(roster.status).toBe(200);
    expect(plain(mainOf(roster.text))).toContain('Elevlisten er indlæst fra standardformatet (CSV): 2 elever, 2 nye');

    const refused = await upload('fravaer', H.ABSENCE_THREE_BAD);
    expect(refused.status).toBe(400);
    const text = plain(mainOf(refused.text));
    expect(text).toContain('Række 3, elevreference: eleven står ikke i skolens elevliste');
    expect(text).toContain('Række 4, dato: er ikke en skoledag i skolens kalender');
    expect(text).toContain('Række 5, registrering: skal være day for 3. klasse');
    expect(refused.text).toContain('href="#fravaer-fil"');
    expect(await app.database.db.query('SELECT 1 FROM absence_registrations')).toHaveLength(0);
  });

  it('when the term is uploaded, then the leader’s list shows each pupil by name with the figures', async () => {
    const done = await upload('fravaer', `${H.ABSENCE_FIRST}\n${H.ABSENCE_CORRECTION.split('\n')[1]}`);
    expect(done.status).toBe(200);
    expect(plain(mainOf(done.text))).toContain('Fraværet er indlæst: 12 rækker, 11 nye');
    const list = await leader.get(`/elever?skole=${H.SCHOOL}`);
    const rows = tableRows(list.text);
    expect(rows.map((row) => row[0])).toEqual(['Asta Testesen (P-3A-1)', 'Bertram Prøvesen (P-8B-1)']);
  });

  it('when a case is opened for a pupil, then its page and the case list show the name and the weeks of attendance, and the title does not', async () => {
    const api = app.http.withToken(await tokenFor({ role: 'leader', schools: [H.SCHOOL], sub: 'leder-lis' }));
    const opened = await api.post<{ caseId: string }>('/api/cases', {
      pupilRef: 'P-3A-1',
      schoolId: H.SCHOOL,
      grade: 3,
      tovholder: 'tovholder-kim',
      openedOn: '2026-10-01',
      concern: { source: 'absence_data' },
    });
    expect(opened.status, opened.text).toBe(201);
    const casePage = await leader.get(`/forloeb/${opened.body.caseId}`);
    expect(casePage.status).toBe(200);
    expect(plain(mainOf(casePage.text))).toContain('Forløb for Asta Testesen');
    expect(plain(mainOf(casePage.text))).toContain('Bodil Testesen');
    expect(/<title>([^<]*)<\/title>/.exec(casePage.text)?.[1]).not.toContain('Asta');
    const weeks = tableRows(casePage.text, 'Fremmøde uge for uge');
    // Week 41 (5–9 October): two days of absence (one unlawful, one illness after the correction) of five.
    expect(weeks.find((row) => row[0]?.startsWith('Uge 41'))).toEqual(['Uge 41 (5. oktober 2026)', '5', '2', '1', '60,0 %']);
    expect(weeks.find((row) => row[0]?.startsWith('Uge 42'))?.[4]).toBe('Ingen skoledage');
    expect(casePage.text).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Fremmøde uge for uge/);

    const list = await leader.get('/forloeb');
    expect(plain(mainOf(list.text))).toContain('Asta Testesen');
  });

  it('when a pupil’s absence passes 10 %, then the leader’s opsporing names them with why, marks the pupil with a case, and opens a case from the list', async () => {
    // Bertram: five more whole days (start and end) in the week of 16 November: 8 of 75 school days.
    const more = ['pupilRef,schoolId,date,mark,category', ...['16', '17', '18', '19', '20'].flatMap((d) => [`P-8B-1,H1,2026-11-${d},start,unlawful`, `P-8B-1,H1,2026-11-${d},end,unlawful`])];
    expect((await upload('fravaer', more.join('\n'))).status).toBe(200);
    const before = await leader.get(`/elever/opsporing?skole=${H.SCHOOL}`);
    expect(plain(mainOf(before.text))).toContain('Opsporingen har ikke kørt endnu');
    const ran = await leader.post(`/elever/opsporing/koer?skole=${H.SCHOOL}`, { _csrf: csrfOf(before.text) });
    expect(ran.status).toBe(303);
    const list = await leader.get(ran.location ?? '');
    const text = plain(mainOf(list.text));
    expect(text).toContain('Bertram Prøvesen (P-8B-1, 8.B)');
    expect(text).toContain('Fravær i alt 10,7 % af skoledagene i skoleåret (8 af 75 dage); over 10 %.');

    const noReason = await leader.post(`/elever/opsporing/P-8B-1/afvis?skole=${H.SCHOOL}`, { _csrf: csrfOf(list.text), reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('href="#P-8B-1-reason"');
    const opened = await leader.post(`/elever/opsporing/P-8B-1/opret?skole=${H.SCHOOL}`, { _csrf: csrfOf(list.text), tovholder: 'tovholder-kim' });
    expect(opened.status, opened.text.slice(0, 500)).toBe(303);
    expect(opened.location).toMatch(/^\/forloeb\/[0-9a-f-]{36}\?udfoert=oprettet$/);
    const casePage = await leader.get(opened.location ?? '');
    expect(plain(mainOf(casePage.text))).toContain('Forløb for Bertram Prøvesen');
    expect(plain(mainOf(casePage.text))).toContain('Fraværsdata');

    const again = await leader.post(`/elever/opsporing/koer?skole=${H.SCHOOL}`, { _csrf: csrfOf(list.text) });
    const after = await leader.get(again.location ?? '');
    expect(tableRows(after.text).map((row) => [row[0], row[2]])).toEqual([
      ['Bertram Prøvesen (P-8B-1)', 'Har et åbent forløb'],
    ]);
  });
});
