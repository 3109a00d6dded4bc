/**
 * The access table, tried in full: every role, bound to school S1, against every route, on its own
 * school's cases and another school's. The expected answers are written out here, independently
 * of src/access, so a change to the rules shows up as a difference in this table.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/access';
import { todayInDenmark, openCaseBody } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';
import type { Answer } from '../api/support/http';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';

const ROLE_COLUMNS: Role[] = ['tovholder', 'leader', 'resource_team', 'municipality', 'admin'];

/**
 * request | answers for tovholder, leader, resource_team, municipality, admin (each bound to S1).
 * {mine}: S1, coordinated by the tovholder; {theirs}: S1, another tovholder; {escalated}: S1,
 * another tovholder, escalated; {elsewhere}: S2. A body of `{"x":1}` is refused by every route's
 * schema, so 400 means "let through to the route" without changing anything.
 */
const EXPECTED = `
GET    /api/cases                                              | 200 200 403 403 403
GET    /api/cases?schoolId=S2                                  | 403 403 403 403 403
GET    /api/cases/{mine}                                       | 200 200 404 404 404
GET    /api/cases/{theirs}                                     | 200 200 404 404 404
GET    /api/cases/{escalated}                                  | 200 200 200 404 404
GET    /api/cases/{elsewhere}                                  | 404 404 404 404 404
GET    /api/cases/{unknown}                                    | 404 404 404 404 404
GET    /api/cases/{escalated}/timeline                         | 200 200 200 404 404
GET    /api/cases/{elsewhere}/timeline                         | 404 404 404 404 404
GET    /api/cases/{mine}/drafts                                | 200 200 404 404 404
POST   /api/cases/{mine}/escalations {"x":1}                   | 400 400 404 404 404
POST   /api/cases/{theirs}/escalations {"x":1}                 | 404 400 404 404 404
POST   /api/cases/{escalated}/closure {"x":1}                  | 404 400 404 404 404
POST   /api/cases/{elsewhere}/escalations {"x":1}              | 404 404 404 404 404
POST   /api/cases/{mine}/steps/class_community/complete {"x":1} | 400 400 404 404 404
POST   /api/cases/{mine}/deadlines/recompute                   | 200 200 404 404 404
POST   /api/drafts/{draftOfMine}/approve {"x":1}               | 400 400 404 404 404
POST   /api/drafts/{draftElsewhere}/approve {"x":1}            | 404 404 404 404 404
POST   /api/cases {open at S1 by tov-1}                        | 201 201 403 403 403
POST   /api/cases {open at S1 by tov-2}                        | 403 201 403 403 403
POST   /api/cases {open at S2 by tov-1}                        | 403 403 403 403 403
GET    /api/overdue                                            | 200 200 403 403 403
GET    /api/overdue?schoolId=S2                                | 403 403 403 403 403
GET    /api/reviews/monthly                                    | 403 200 403 403 403
GET    /api/resource-team/agenda?schoolId=S1                   | 403 200 200 403 403
GET    /api/resource-team/agenda?schoolId=S2                   | 403 403 403 403 403
GET    /api/analytics/phase-durations                          | 403 403 403 200 403
GET    /api/analytics/phase-durations?schoolId=S2              | 403 403 403 403 403
GET    /api/calendar?schoolId=S2                               | 200 200 200 200 200
GET    /api/calendar/deadline?schoolId=S1&from=2026-11-02&schoolDays=15 | 200 200 200 200 200
PUT    /api/calendar/school-holidays?schoolId=S1&year=2027 {"x":1} | 403 403 403 403 400
PUT    /api/calendar/school-holidays?schoolId=S2&year=2027 {"x":1} | 403 403 403 403 403
PUT    /api/calendar/school-holidays?year=2027 {"x":1}         | 403 403 403 403 403
GET    /api/resource-team/rhythm?schoolId=S1                   | 403 200 403 403 200
GET    /api/resource-team/rhythm?schoolId=S2                   | 403 403 403 403 403
PUT    /api/resource-team/rhythm?schoolId=S1 {"x":1}           | 403 400 403 403 400
GET    /api/schools/S1/contacts                                | 403 200 403 403 200
GET    /api/schools/S2/contacts                                | 403 403 403 403 403
PUT    /api/schools/S1/contacts {"x":1}                        | 403 403 403 403 400
GET    /api/letter-templates                                   | 200 200 403 403 200
GET    /api/letter-templates/closure_summary                   | 200 200 403 403 200
PUT    /api/letter-templates/closure_summary {"x":1}           | 403 403 403 403 403
DELETE /api/letter-templates/closure_summary                   | 403 403 403 403 403
GET    /api/notifications                                      | 403 403 403 403 200
GET    /api/notifications?schoolId=S2                          | 403 403 403 403 403
GET    /api/audit                                              | 403 403 403 403 200
GET    /api/audit?schoolId=S2                                  | 403 403 403 403 403
POST   /codec/decode {"payloads":[]}                           | 403 403 403 403 403
GET    /api/self-assessments/framework                         | 403 403 403 403 403
GET    /api/self-assessments                                   | 403 403 403 403 403
POST   /api/self-assessments {"x":1}                           | 403 403 403 403 403
GET    /api/self-assessments/{round}                           | 403 403 403 403 403
POST   /api/self-assessments/{round}/participants {"x":1}      | 403 403 403 403 403
PUT    /api/self-assessments/{round}/participants/{participant}/ratings {"x":1} | 403 403 403 403 403
PUT    /api/self-assessments/{round}/discussion {"x":1}        | 403 403 403 403 403
PUT    /api/self-assessments/{round}/priorities {"x":1}        | 403 403 403 403 403
GET    /api/self-assessments/{round}/result                    | 403 403 403 403 403
GET    /api/no-such-route                                      | 404 404 404 404 404
`;

interface Row {
  method: string;
  path: string;
  body: string | undefined;
  expected: Record<Role, number>;
}

function parseTable(table: string): Row[] {
  return table
    .trim()
    .split('\n')
    .map((line) => {
      const [request = '', answers = ''] = line.split('|').map((part) => part.trim());
      const match = /^(\S+)\s+(\S+)(?:\s+(.+))?$/.exec(request);
      if (!match) throw new Error(`bad row: ${line}`);
      const statuses = answers.split(/\s+/).map(Number);
      const expected = Object.fromEntries(ROLE_COLUMNS.map((role, i) => [role, statuses[i]])) as Record<Role, number>;
      return { method: match[1]!, path: match[2]!, body: match[3], expected };
    });
}

let temporal: TestTemporal;
let api: RunningApi;
const fixtures: Record<string, string> = {};
const bodies: Record<string, unknown> = {};
const tokens = {} as Record<Role, string>;

async function asAdminOfAll(method: 'PUT', path: string, body: unknown): Promise<Answer> {
  return api.http.withToken(await tokenFor({ role: 'admin' })).put(path, body);
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  api = await startApi({ temporal, kind: 'postgres' });
  const leaderOfAll = api.http.withToken(await tokenFor({ role: 'leader' }));
  const open = async (schoolId: string, tovholder: string) => {
    const answer = await leaderOfAll.post<{ caseId: string }>('/api/cases', openCaseBody({ schoolId, tovholder }));
    expect(answer.status, answer.text).toBe(201);
    return answer.body.caseId;
  };
  fixtures.mine = await open('S1', 'tov-1');
  fixtures.theirs = await open('S1', 'tov-2');
  fixtures.escalated = await open('S1', 'tov-2');
  fixtures.elsewhere = await open('S2', 'tov-1');
  fixtures.unknown = randomUUID();
  expect((await leaderOfAll.post(`/api/cases/${fixtures.escalated}/escalations`, { reason: 'Ingen effekt af indsatserne' })).status).toBe(200);
  const draftOf = async (caseId: string) => (await leaderOfAll.get<{ items: { draftId: string }[] }>(`/api/cases/${caseId}/drafts`)).body.items[0]!.draftId;
  fixtures.draftOfMine = await draftOf(fixtures.mine);
  fixtures.draftElsewhere = await draftOf(fixtures.elsewhere);
  expect((await asAdminOfAll('PUT', '/api/resource-team/rhythm?schoolId=S1', { firstMeetingOn: todayInDenmark(), intervalDays: 14 })).status).toBe(200);
  expect((await asAdminOfAll('PUT', '/api/schools/S1/contacts', { leaderEmail: 'leder@s1.example.dk' })).status).toBe(200);
  const round = await api.http
    .withToken(await tokenFor({ role: 'municipality' }))
    .post<{ roundId: string; participants: { participantId: string }[] }>('/api/self-assessments', {
      title: 'Selvevaluering',
      heldOn: todayInDenmark(),
      participants: [{ name: 'Anne', function: 'PPR' }],
    });
  expect(round.status, round.text).toBe(201);
  fixtures.round = round.body.roundId;
  fixtures.participant = round.body.participants[0]!.participantId;

  bodies['{open at S1 by tov-1}'] = openCaseBody({ schoolId: 'S1', tovholder: 'tov-1' });
  bodies['{open at S1 by tov-2}'] = openCaseBody({ schoolId: 'S1', tovholder: 'tov-2' });
  bodies['{open at S2 by tov-1}'] = openCaseBody({ schoolId: 'S2', tovholder: 'tov-1' });
  for (const role of ROLE_COLUMNS) tokens[role] = await tokenFor({ role, schools: ['S1'], sub: role === 'tovholder' ? 'tov-1' : `${role}-s1` });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await temporal?.close();
});

async function send(row: Row, token: string): Promise<Answer> {
  const path = row.path.replace(/\{(\w+)\}/g, (_, name: string) => fixtures[name] ?? `{${name}}`);
  const client = api.http.withToken(token);
  const body = row.body === undefined ? undefined : row.body in bodies ? bodies[row.body] : (JSON.parse(row.body) as unknown);
  switch (row.method) {
    case 'GET':
      return client.get(path);
    case 'POST':
      return client.post(path, body ?? {});
    case 'PUT':
      return client.put(path, body ?? {});
    case 'DELETE':
      return client.delete(path);
    default:
      throw new Error(`no such method in the table: ${row.method}`);
  }
}

describe('the access table, every role against every route', () => {
  const rows = parseTable(EXPECTED);

  it('when each role (bound to S1) calls each route, then each gets exactly the answer the table gives', async () => {
    const differences: string[] = [];
    for (const row of rows) {
      for (const role of ROLE_COLUMNS) {
        const answer = await send(row, tokens[role]);
        if (answer.status !== row.expected[role]) {
          differences.push(`${row.method} ${row.path} ${row.body ?? ''} as ${role}: expected ${row.expected[role]}, got ${answer.status} ${answer.text.slice(0, 160)}`);
        }
        if (answer.status >= 400) expect(answer.contentType, `${row.method} ${row.path} as ${role}`).toMatch(/^application\/problem\+json/);
      }
    }
    expect(differences).toEqual([]);
  }, 300_000);

  it('when no token is sent, then every route of the table answers 401', async () => {
    const statuses = new Set<number>();
    for (const row of rows) {
      const path = row.path.replace(/\{(\w+)\}/g, (_, name: string) => fixtures[name] ?? name);
      const answer = await (row.method === 'GET' ? api.http.withToken(undefined).get(path) : api.http.withToken(undefined).post(path, {}));
      statuses.add(answer.status);
    }
    expect([...statuses]).toEqual([401]);
  });

  it('when a tovholder lists cases, then they see their own school’s cases and none of another school', async () => {
    const answer = await api.http.withToken(tokens.tovholder).get<{ items: { caseId: string; schoolId: string }[] }>('/api/cases');
    const ids = answer.body.items.map((item) => item.caseId);
    expect(ids).toEqual(expect.arrayContaining([fixtures.mine, fixtures.theirs, fixtures.escalated]));
    expect(ids).not.toContain(fixtures.elsewhere);
    expect(new Set(answer.body.items.map((item) => item.schoolId))).toEqual(new Set(['S1']));
  });

  it('when a caller bound to two schools asks for the board without a school, then 400 names schoolId; with one of them, the board', async () => {
    const leaderOfTwo = api.http.withToken(await tokenFor({ role: 'leader', schools: ['S1', 'S2'] }));
    const without = await leaderOfTwo.get<{ errors: { path: string }[] }>('/api/overdue');
    expect(without.status).toBe(400);
    expect(without.body.errors.map((error) => error.path)).toEqual(['schoolId']);
    expect((await leaderOfTwo.get('/api/overdue?schoolId=S2')).status).toBe(200);
  });

  it('when the municipality or an admin is bound to every school, then the self-assessment opens to them: every route lets them through to its own checks', async () => {
    for (const role of ['municipality', 'admin'] as const) {
      const client = api.http.withToken(await tokenFor({ role }));
      expect((await client.get('/api/self-assessments')).status).toBe(200);
      expect((await client.get('/api/self-assessments/framework')).status).toBe(200);
      expect((await client.get(`/api/self-assessments/${fixtures.round}`)).status).toBe(200);
      expect((await client.get(`/api/self-assessments/${fixtures.round}/result`)).status).toBe(200);
      expect((await client.post('/api/self-assessments', { x: 1 })).status).toBe(400);
      expect((await client.post(`/api/self-assessments/${fixtures.round}/participants`, { x: 1 })).status).toBe(400);
      expect((await client.put(`/api/self-assessments/${fixtures.round}/participants/${fixtures.participant}/ratings`, { x: 1 })).status).toBe(400);
      expect((await client.put(`/api/self-assessments/${fixtures.round}/discussion`, { x: 1 })).status).toBe(400);
      expect((await client.put(`/api/self-assessments/${fixtures.round}/priorities`, { x: 1 })).status).toBe(400);
    }
  });

  it('when the municipality and an admin are bound to every school, then analytics and municipality-wide settings open to them', async () => {
    const municipality = api.http.withToken(await tokenFor({ role: 'municipality' }));
    const admin = api.http.withToken(await tokenFor({ role: 'admin' }));
    expect((await municipality.get('/api/analytics/phase-durations')).status).toBe(200);
    expect((await municipality.get(`/api/cases/${fixtures.mine}`)).status, 'the municipality sees durations, not pupils').toBe(404);
    expect((await admin.put('/api/calendar/school-holidays?year=2027', { x: 1 })).status).toBe(400);
    expect((await admin.get(`/api/cases/${fixtures.mine}`)).status, 'an admin manages settings, not cases').toBe(404);
  });

  it('when an admin of every school sends a case’s encrypted payload to /codec/decode, then it reads as the case data; no one else may', async () => {
    const history = await temporal.client.workflow.getHandle(`case-${fixtures.mine}`).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(started?.metadata?.['encryption-key-id']).toBeDefined();
    const asJson = {
      metadata: Object.fromEntries(Object.entries(started?.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
      data: Buffer.from(started?.data ?? new Uint8Array()).toString('base64'),
    };
    const admin = api.http.withToken(await tokenFor({ role: 'admin' }));
    const decoded = await admin.post<{ payloads: { data: string }[] }>('/codec/decode', { payloads: [asJson] });
    expect(decoded.status, decoded.text).toBe(200);
    expect(Buffer.from(decoded.body.payloads[0]!.data, 'base64').toString('utf8')).toContain(fixtures.mine);
    expect((await api.http.withToken(tokens.admin).post('/codec/decode', { payloads: [asJson] })).status, 'an admin of one school').toBe(403);
    expect((await api.http.withToken(undefined).post('/codec/decode', { payloads: [asJson] })).status).toBe(401);
  });

  it('when a tovholder opens a case for someone else, then 403 names the tovholder field and no case is opened', async () => {
    const before = (await api.http.withToken(tokens.leader).get<{ items: unknown[] }>('/api/cases')).body.items.length;
    const answer = await api.http.withToken(tokens.tovholder).post<{ errors: { path: string }[] }>('/api/cases', openCaseBody({ schoolId: 'S1', tovholder: 'tov-9' }));
    expect(answer.status).toBe(403);
    expect(answer.body.errors.map((error) => error.path)).toEqual(['tovholder']);
    const after = (await api.http.withToken(tokens.leader).get<{ items: unknown[] }>('/api/cases')).body.items.length;
    expect(after).toBe(before);
  });
});
