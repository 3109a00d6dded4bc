/**
 * The audit log: every read and change of a case, and every refused attempt at one, is written
 * before the answer leaves; admins read it; nobody changes it, through the API or underneath.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseBody } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';

interface AuditItem {
  at: string;
  actor: string;
  role: string;
  caseId: string | null;
  schoolId: string | null;
  caseIds: string[];
  schoolIds: string[];
  action: 'read' | 'write';
  method: string;
  route: string;
  status: number;
}

let temporal: TestTemporal;
let api: RunningApi;
let caseId: string;
let otherCaseId: string;

const as = async (role: 'tovholder' | 'leader' | 'resource_team' | 'admin', sub: string, schools = ['A1']) =>
  api.http.withToken(await tokenFor({ role, schools, sub }));

async function auditOf(id: string): Promise<AuditItem[]> {
  const answer = await (await as('admin', 'admin-a1')).get<{ items: AuditItem[] }>(`/api/audit?caseId=${id}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body.items;
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  api = await startApi({ temporal, kind: 'postgres' });
  const tovholder = await as('tovholder', 'tov-a');
  const opened = await tovholder.post<{ caseId: string }>('/api/cases', openCaseBody({ schoolId: 'A1', tovholder: 'tov-a' }));
  expect(opened.status, opened.text).toBe(201);
  caseId = opened.body.caseId;
  otherCaseId = (await tovholder.post<{ caseId: string }>('/api/cases', openCaseBody({ schoolId: 'A1', tovholder: 'tov-a' }))).body.caseId;
}, 120_000);

afterAll(async () => {
  await api?.close();
  await temporal?.close();
});

describe('the audit log', () => {
  it('when a case is opened, read and changed, then each is in the log with who, which route and the answer, newest first', async () => {
    const leader = await as('leader', 'leader-a1');
    expect((await leader.get(`/api/cases/${caseId}`)).status).toBe(200);
    expect((await (await as('tovholder', 'tov-a')).post(`/api/cases/${caseId}/escalations`, { reason: 'Ingen effekt' })).status).toBe(200);
    expect((await leader.get(`/api/cases/${caseId}/timeline`)).status).toBe(200);

    const items = await auditOf(caseId);
    expect(items.slice(0, 3).map(({ actor, role, action, method, route, status, schoolId }) => ({ actor, role, action, method, route, status, schoolId }))).toEqual([
      { actor: 'leader-a1', role: 'leader', action: 'read', method: 'GET', route: '/api/cases/:caseId/timeline', status: 200, schoolId: 'A1' },
      { actor: 'tov-a', role: 'tovholder', action: 'write', method: 'POST', route: '/api/cases/:caseId/escalations', status: 200, schoolId: 'A1' },
      { actor: 'leader-a1', role: 'leader', action: 'read', method: 'GET', route: '/api/cases/:caseId', status: 200, schoolId: 'A1' },
    ]);
    expect(items.at(-1)).toMatchObject({ actor: 'tov-a', action: 'write', method: 'POST', route: '/api/cases', status: 201 });
    expect(Date.parse(items[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('when a list shows cases, then one entry for the request lists every case shown, and each case finds it', async () => {
    const listed = await (await as('leader', 'leader-lists')).get<{ items: { caseId: string }[] }>('/api/cases');
    expect(listed.body.items.map((item) => item.caseId)).toEqual(expect.arrayContaining([caseId, otherCaseId]));
    for (const id of [caseId, otherCaseId]) {
      const [entry] = await auditOf(id);
      expect(entry).toMatchObject({ actor: 'leader-lists', action: 'read', route: '/api/cases', status: 200, caseId: null, schoolId: 'A1', schoolIds: ['A1'] });
      expect(entry!.caseIds).toEqual(expect.arrayContaining([caseId, otherCaseId]));
    }
    // Issue 11: a 76-case board wrote 76 rows a request.
    const counted = await api.database.db.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM audit_log WHERE actor = 'leader-lists'`);
    expect(counted[0]?.rows).toBe(1);
  });

  it('when one case is read, then its entry names it in caseId and caseIds', async () => {
    await (await as('leader', 'leader-one')).get(`/api/cases/${caseId}`);
    expect((await auditOf(caseId))[0]).toMatchObject({ actor: 'leader-one', caseId, caseIds: [caseId], schoolId: 'A1', schoolIds: ['A1'] });
  });

  it('when rows from before one-row-per-request are asked for by case or school, then they are still found', async () => {
    await api.database.db.query(
      `INSERT INTO audit_log (actor, role, case_id, school_id, action, method, route, status) VALUES ('old-reader', 'leader', $1, 'A1', 'read', 'GET', '/api/cases', 200)`,
      [otherCaseId],
    );
    expect((await auditOf(otherCaseId))[0]).toMatchObject({ actor: 'old-reader', caseId: otherCaseId, caseIds: [otherCaseId], schoolIds: ['A1'] });
    const bySchool = await (await as('admin', 'admin-a1')).get<{ items: AuditItem[] }>('/api/audit?schoolId=A1&actor=old-reader');
    expect(bySchool.body.items).toHaveLength(1);
  });

  it('when someone is refused a case, then the attempt is logged with its 404', async () => {
    const answer = await (await as('resource_team', 'rt-a1')).get(`/api/cases/${otherCaseId}`);
    expect(answer.status).toBe(404);
    expect((await auditOf(otherCaseId))[0]).toMatchObject({ actor: 'rt-a1', role: 'resource_team', route: '/api/cases/:caseId', status: 404 });
  });

  it('when an admin of another school asks for the log, then it is refused; nobody else may read it', async () => {
    expect((await (await as('admin', 'admin-b', ['B1'])).get(`/api/audit?schoolId=A1`)).status).toBe(403);
    expect((await (await as('leader', 'leader-a1')).get(`/api/audit?caseId=${caseId}`)).status).toBe(403);
  });

  it('when anyone tries to change or delete the log, then no route exists for it and the database refuses it too', async () => {
    const admin = await as('admin', 'admin-all', ['*']);
    const before = (await auditOf(caseId)).length;
    expect((await admin.delete(`/api/audit?caseId=${caseId}`)).status).toBe(404);
    expect((await admin.put(`/api/audit`, { items: [] })).status).toBe(404);
    await expect(api.database.db.query(`UPDATE audit_log SET actor = 'someone-else' WHERE case_id = $1`, [caseId])).rejects.toThrow(/append-only/);
    await expect(api.database.db.query(`DELETE FROM audit_log WHERE case_id = $1`, [caseId])).rejects.toThrow(/append-only/);
    await expect(api.database.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const after = await auditOf(caseId);
    expect(after.length).toBeGreaterThanOrEqual(before);
    expect(after.some((item) => item.actor === 'someone-else')).toBe(false);
  });
});
