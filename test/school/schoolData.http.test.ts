/**
 * The school's data over the API, on both databases: a leader sends the roster and a term of
 * absence, the figures come back exact; a bad file is refused whole; who may see what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import type { HttpClient } from '../api/support/http';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';
import type { Pupil, PupilAbsence, SchoolAbsenceList } from '../../src/school/schemas';
import * as H from './handMadeSchool';

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(async () => {
  await temporal?.close();
});

interface Problem {
  status: number;
  detail: string;
  errors?: { row?: number; path: string; message: string }[];
}

describe.each(DATABASE_KINDS)('the school’s data over HTTP on %s', (kind) => {
  let api: RunningApi;
  let leader: HttpClient;
  let tovholder: HttpClient;

  beforeAll(async () => {
    api = await startApi({ temporal, kind, worker: false });
    leader = api.http.withToken(await tokenFor({ role: 'leader', schools: [H.SCHOOL] }));
    tovholder = api.http.withToken(await tokenFor({ role: 'tovholder', schools: [H.SCHOOL], sub: 'tovholder-kim' }));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('when the leader sends the roster, then the school’s staff see the pupils by name', async () => {
    const put = await leader.sendCsv('PUT', `/api/schools/${H.SCHOOL}/pupils`, H.ROSTER);
    expect(put.status, put.text).toBe(200);
    expect(put.body).toEqual({ rows: 2, added: 2, changed: 0, removed: 0, format: 'canonical', encoding: 'utf-8', schoolYear: null, notes: [] });
    const one = await tovholder.get<Pupil>(`/api/schools/${H.SCHOOL}/pupils/P-8B-1`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      givenName: 'Bertram',
      familyName: 'Prøvesen',
      grade: 8,
      className: '8.B',
      guardians: [
        { name: 'Carl Prøvesen', email: 'carl@example.dk' },
        { name: 'Dorte Prøvesen', email: 'dorte@example.dk' },
      ],
    });
    const list = await leader.get<{ items: Pupil[] }>(`/api/schools/${H.SCHOOL}/pupils`);
    expect(list.body.items.map((p) => p.givenName)).toEqual(['Asta', 'Bertram']);
  });

  it('when a term is imported and corrected, then the pupil’s figures and the school’s list are the hand count', async () => {
    const first = await leader.sendCsv('POST', `/api/schools/${H.SCHOOL}/absence`, H.ABSENCE_FIRST);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toEqual({ rows: 11, added: 11, replaced: 0, unchanged: 0 });
    const correction = await leader.sendCsv('POST', `/api/schools/${H.SCHOOL}/absence`, H.ABSENCE_CORRECTION);
    expect(correction.body).toEqual({ rows: 1, added: 0, replaced: 1, unchanged: 0 });

    const figures = await tovholder.get<PupilAbsence>(`/api/schools/${H.SCHOOL}/pupils/P-3A-1/absence?on=${H.ON}`);
    expect(figures.status, figures.text).toBe(200);
    expect(figures.body.quarters).toEqual([
      { quarter: '2026-Q3', schoolDays: 38, unlawfulDays: 0, unlawfulShare: 0 },
      { quarter: '2026-Q4', schoolDays: 52, unlawfulDays: 2, unlawfulShare: 2 / 52 },
    ]);
    expect(figures.body.schoolYear).toEqual({ from: '2026-08-01', schoolDaysSoFar: 65, illnessDays: 1, leaveDays: 1, unlawfulDays: 2, totalShare: 4 / 65 });

    const list = await leader.get<SchoolAbsenceList>(`/api/schools/${H.SCHOOL}/absence?on=${H.ON}`);
    expect(list.body.items.map((item) => [item.pupilRef, item.quarter.unlawfulShare])).toEqual([
      ['P-3A-1', 2 / 52],
      ['P-8B-1', 1.5 / 52],
    ]);
  });

  it('when a file has three bad rows, then 400 names all three rows and why, and the figures are as before', async () => {
    const refused = await leader.sendCsv<Problem>('POST', `/api/schools/${H.SCHOOL}/absence`, H.ABSENCE_THREE_BAD);
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.errors?.map((error) => [error.row, error.path])).toEqual([
      [3, 'pupilRef'],
      [4, 'date'],
      [5, 'mark'],
    ]);
    const figures = await leader.get<PupilAbsence>(`/api/schools/${H.SCHOOL}/pupils/P-3A-1/absence?on=2026-10-30`);
    expect(figures.body.schoolYear.unlawfulDays).toBe(1);
  });

  it('when a file has an unknown category or a malformed date, then each is named', async () => {
    const refused = await leader.sendCsv<Problem>(
      'POST',
      `/api/schools/${H.SCHOOL}/absence`,
      ['pupilRef;schoolId;date;mark;category', 'P-3A-1;H1;2026-10-20;day;holiday', 'P-3A-1;H1;20-10-2026;day;illness'].join('\n'),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { row: 2, path: 'category', message: 'must be illness, leave or unlawful' },
      { row: 3, path: 'date', message: 'is not a date written YYYY-MM-DD' },
    ]);
  });

  it('when a file has other columns, then it is refused naming the columns expected', async () => {
    const refused = await leader.sendCsv<Problem>('POST', `/api/schools/${H.SCHOOL}/absence`, 'elev;dato\nP-3A-1;2026-10-20');
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('pupilRef, schoolId, date, mark, category');
  });

  it('when the roster is sent as JSON, then 415 and nothing changes', async () => {
    const wrong = await leader.put<Problem>(`/api/schools/${H.SCHOOL}/pupils`, { rows: [] });
    expect(wrong.status).toBe(415);
  });

  it('when the municipality, another school’s leader or a tovholder reach for the pupils or the imports, then 403', async () => {
    const municipality = api.http.withToken(await tokenFor({ role: 'municipality', schools: ['*'] }));
    expect((await municipality.get(`/api/schools/${H.SCHOOL}/pupils`)).status).toBe(403);
    expect((await municipality.get(`/api/schools/${H.SCHOOL}/pupils/P-3A-1/absence`)).status).toBe(403);
    const otherLeader = api.http.withToken(await tokenFor({ role: 'leader', schools: ['S2'] }));
    expect((await otherLeader.get(`/api/schools/${H.SCHOOL}/pupils/P-3A-1`)).status).toBe(403);
    expect((await tovholder.sendCsv('POST', `/api/schools/${H.SCHOOL}/absence`, H.ABSENCE_CORRECTION)).status).toBe(403);
    const admin = api.http.withToken(await tokenFor({ role: 'admin', schools: [H.SCHOOL] }));
    expect((await admin.sendCsv('POST', `/api/schools/${H.SCHOOL}/absence`, H.ABSENCE_CORRECTION)).status).toBe(200);
    expect((await admin.get(`/api/schools/${H.SCHOOL}/pupils`)).status).toBe(403);
  });
});
