/**
 * Corrections and withdrawal over HTTP (issue 16 item 3): each correction is on the timeline and
 * in the audit log, a bad one is refused naming the field and leaves the case as it was, and a
 * case withdrawn as opened in error leaves the school's list while its record stays readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, mondayOnOrBefore, openCaseBody, todayInDenmark } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';

let temporal: TestTemporal;
let api: RunningApi;

const as = async (role: 'tovholder' | 'leader' | 'admin', sub: string) => api.http.withToken(await tokenFor({ role, schools: ['K1'], sub }));

async function openCase(pupilRef: string, openedOn: string): Promise<string> {
  const opened = await (await as('leader', 'leader-k1')).post<{ caseId: string }>('/api/cases', openCaseBody({ schoolId: 'K1', tovholder: 'tov-kim', pupilRef, openedOn }));
  expect(opened.status, opened.text).toBe(201);
  return opened.body.caseId;
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  api = await startApi({ temporal, kind: 'pglite' });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await temporal?.close();
});

interface View {
  openedOn: string;
  grade: number;
  pupilRef: string;
  version: number;
}

describe('corrections', () => {
  it('when the tovholder corrects the opening date, the grade and the pupil reference, then each is on the timeline with its reason and in the audit log', async () => {
    const openedOn = mondayOnOrBefore(todayInDenmark());
    const caseId = await openCase('P-1001', openedOn);
    const tovholder = await as('tovholder', 'tov-kim');
    const earlier = addDays(openedOn, -7);
    const first = await tovholder.post<View>(`/api/cases/${caseId}/corrections`, { openedOn: earlier, reason: 'Forkert uge tastet' });
    expect(first.status, first.text).toBe(200);
    expect(first.body.openedOn).toBe(earlier);
    const second = await tovholder.post<View>(`/api/cases/${caseId}/corrections`, { grade: 8, pupilRef: 'P-1011', reason: 'Forkert elevreference' });
    expect(second.status, second.text).toBe(200);
    expect(second.body).toMatchObject({ grade: 8, pupilRef: 'P-1011' });

    const timeline = await tovholder.get<{ events: { type: string; detail?: unknown }[] }>(`/api/cases/${caseId}/timeline`);
    expect(timeline.body.events.filter((event) => event.type === 'corrected').map((event) => event.detail)).toEqual([
      { changes: [{ field: 'openedOn', from: openedOn, to: earlier }], reason: 'Forkert uge tastet' },
      {
        changes: [
          { field: 'grade', from: 6, to: 8 },
          { field: 'pupilRef', from: 'P-1001', to: 'P-1011' },
        ],
        reason: 'Forkert elevreference',
      },
    ]);
    const audit = await (await as('admin', 'admin-k1')).get<{ items: { actor: string; route: string; status: number }[] }>(`/api/audit?caseId=${caseId}`);
    expect(audit.body.items.filter((item) => item.route === '/api/cases/:caseId/corrections').map((item) => [item.actor, item.status])).toEqual([
      ['tov-kim', 200],
      ['tov-kim', 200],
    ]);
    // The list shows the corrected facts.
    const list = await (await as('leader', 'leader-k1')).get<{ items: { caseId: string; pupilRef: string; grade: number }[] }>('/api/cases?schoolId=K1');
    expect(list.body.items.find((item) => item.caseId === caseId)).toMatchObject({ pupilRef: 'P-1011', grade: 8 });
  });

  it('when the corrected opening date is in 2015 (before the service’s range), then 422 names openedOn and the case is unchanged', async () => {
    const openedOn = todayInDenmark();
    const caseId = await openCase('P-1002', openedOn);
    const tovholder = await as('tovholder', 'tov-kim');
    const before = await tovholder.get<View>(`/api/cases/${caseId}`);
    const answer = await tovholder.post<{ errors: { path: string; message: string }[] }>(`/api/cases/${caseId}/corrections`, {
      openedOn: '2015-11-18',
      reason: 'Rettelse',
    });
    expect(answer.status, answer.text).toBe(422);
    expect(answer.body.errors.map((error) => error.path)).toEqual(['openedOn']);
    const after = await tovholder.get<View>(`/api/cases/${caseId}`);
    expect(after.body).toEqual(before.body);
  });

  it('when a case is opened with a date in 2015, then 422 names openedOn', async () => {
    const answer = await (await as('leader', 'leader-k1')).post<{ errors: { path: string }[] }>(
      '/api/cases',
      openCaseBody({ schoolId: 'K1', tovholder: 'tov-kim', pupilRef: 'P-1003', openedOn: '2015-11-18' }),
    );
    expect(answer.status, answer.text).toBe(422);
    expect(answer.body.errors.map((error) => error.path)).toEqual(['openedOn']);
  });
});

describe('withdrawing a case opened in error', () => {
  it('when the tovholder tries, then it is refused; when the leader withdraws it, then it leaves the list, its record stays readable, and it is in the audit log', async () => {
    const caseId = await openCase('P-1004', todayInDenmark());
    expect((await (await as('tovholder', 'tov-kim')).post(`/api/cases/${caseId}/withdrawal`, { reason: 'Fejl' })).status).toBe(404);
    const leader = await as('leader', 'leader-k1');
    const answer = await leader.post<{ withdrawal?: { reason: string } }>(`/api/cases/${caseId}/withdrawal`, { reason: 'Oprettet på den forkerte elev' });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.withdrawal?.reason).toBe('Oprettet på den forkerte elev');

    const list = await leader.get<{ items: { caseId: string }[] }>('/api/cases?schoolId=K1');
    expect(list.body.items.map((item) => item.caseId)).not.toContain(caseId);
    const kept = await leader.get<{ withdrawal?: unknown }>(`/api/cases/${caseId}`);
    expect(kept.status).toBe(200);
    expect(kept.body.withdrawal).toBeDefined();
    const timeline = await leader.get<{ events: { type: string }[] }>(`/api/cases/${caseId}/timeline`);
    expect(timeline.body.events.map((event) => event.type)).toContain('withdrawn');
    const audit = await (await as('admin', 'admin-k1')).get<{ items: { actor: string; route: string; status: number }[] }>(`/api/audit?caseId=${caseId}`);
    expect(audit.body.items).toContainEqual(expect.objectContaining({ actor: 'leader-k1', route: '/api/cases/:caseId/withdrawal', status: 200 }));
    // Nothing more can be done with it.
    expect((await leader.post(`/api/cases/${caseId}/escalations`, { reason: 'Ingen effekt' })).status).toBe(409);
  });
});
