/**
 * Reassigning a case's tovholder over HTTP: the school leader only, with a reason; the new
 * tovholder carries the case from then on, both tovholders get a notice in the outbox, and the
 * change is on the timeline and in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseBody } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';

let temporal: TestTemporal;
let api: RunningApi;
let caseId: string;

const as = async (role: 'tovholder' | 'leader' | 'admin', sub: string) => api.http.withToken(await tokenFor({ role, schools: ['R1'], sub }));

beforeAll(async () => {
  temporal = await connectTestTemporal();
  api = await startApi({ temporal, kind: 'pglite' });
  const opened = await (await as('leader', 'leader-r1')).post<{ caseId: string }>('/api/cases', openCaseBody({ schoolId: 'R1', tovholder: 'tov-kim' }));
  expect(opened.status, opened.text).toBe(201);
  caseId = opened.body.caseId;
}, 120_000);

afterAll(async () => {
  await api?.close();
  await temporal?.close();
});

describe('reassigning the tovholder', () => {
  it('when the tovholder asks to hand the case on, then it is refused like a case out of reach (404): it is the leader’s decision', async () => {
    const answer = await (await as('tovholder', 'tov-kim')).post(`/api/cases/${caseId}/tovholder`, { tovholder: 'tov-maja', reason: 'Ferie' });
    expect(answer.status, answer.text).toBe(404);
  });

  it('when the leader sends no reason, then 400 names the field', async () => {
    const answer = await (await as('leader', 'leader-r1')).post<{ errors: { path: string }[] }>(`/api/cases/${caseId}/tovholder`, { tovholder: 'tov-maja' });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.errors.map((error) => error.path)).toEqual(['reason']);
  });

  it('when the leader reassigns the case, then the new tovholder has it, both are told, and it is on the timeline and in the audit log', async () => {
    const leader = await as('leader', 'leader-r1');
    const answer = await leader.post<{ tovholder: string }>(`/api/cases/${caseId}/tovholder`, { tovholder: 'tov-maja', reason: 'Kim går på barsel' });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.tovholder).toBe('tov-maja');

    const again = await leader.post(`/api/cases/${caseId}/tovholder`, { tovholder: 'tov-maja', reason: 'igen' });
    expect(again.status, again.text).toBe(422);

    const notices = await api.database.db.query<{ tovholder: string; kind: string }>(
      `SELECT tovholder, kind FROM notices WHERE case_id = $1 AND kind = 'tovholder_reassigned' ORDER BY tovholder`,
      [caseId],
    );
    expect(notices).toEqual([
      { tovholder: 'tov-kim', kind: 'tovholder_reassigned' },
      { tovholder: 'tov-maja', kind: 'tovholder_reassigned' },
    ]);

    const timeline = await leader.get<{ events: { type: string; detail?: unknown }[] }>(`/api/cases/${caseId}/timeline`);
    expect(timeline.body.events.find((event) => event.type === 'tovholder_reassigned')?.detail).toEqual({
      from: 'tov-kim',
      to: 'tov-maja',
      reason: 'Kim går på barsel',
    });

    const audit = await (await as('admin', 'admin-r1')).get<{ items: { actor: string; route: string; status: number }[] }>(`/api/audit?caseId=${caseId}`);
    expect(audit.body.items).toContainEqual(expect.objectContaining({ actor: 'leader-r1', route: '/api/cases/:caseId/tovholder', status: 200 }));

    // The new tovholder carries the case now; the one before no longer acts on it.
    expect((await (await as('tovholder', 'tov-maja')).post(`/api/cases/${caseId}/escalations`, { reason: 'Ingen effekt' })).status).toBe(200);
    expect((await (await as('tovholder', 'tov-kim')).post(`/api/cases/${caseId}/escalations`, { reason: 'Ingen effekt' })).status).not.toBe(200);
  });
});
