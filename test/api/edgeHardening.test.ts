/**
 * Issue 11, item 1: the requests fuzzing and fault injection found answered wrongly, each now a
 * clear 4xx or 503 within a second that leaves every case working.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, DEFAULT_AUDIENCE, LOCAL_ISSUER } from '../../src/access';
import { remoteKeys } from '../../src/access/tokens';
import { createApp, type AppDeps } from '../../src/api/app';
import { createCaseStore } from '../../src/db';
import type { Database } from '../../src/db/types';
import { apiConnectionOptions } from '../../src/temporal/clientConnection';
import { createTestDatabase } from '../support/databases';
import { connectTestTemporal, TEST_DATA_CONVERTER, type TestTemporal } from '../support/temporal';
import { testTokenVerifier, tokenFor } from '../support/tokens';
import { addDays, casesApi, expectCase, expectProblem, openCase, openCaseBody, todayInDenmark, uniqueKey, type CasesApi } from './support/cases';
import { listen, startApi, type RunningApi } from './support/harness';
import { HttpClient } from './support/http';

let temporal: TestTemporal;
let running: RunningApi;
let api: CasesApi;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  temporal = await connectTestTemporal();
  running = await startApi({ temporal, kind: 'pglite' });
  api = casesApi(running.http);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await running?.close();
  await temporal?.close();
});

/** A port nothing listens on: taken, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The app over other dependencies than the harness's (an unreachable Temporal, database or identity provider). */
async function appWith(overrides: Partial<AppDeps> & { db: Database }): Promise<HttpClient> {
  const store = createCaseStore(overrides.db);
  const app = createApp({
    client: temporal.client,
    store,
    tokens: await testTokenVerifier(),
    security: { requestsPerMinute: 100_000 },
    health: () => Promise.resolve({ temporal: true, database: true }),
    taskQueue: running.taskQueue,
    ...overrides,
  });
  const listening = await listen(app);
  closers.push(() => listening.close());
  return new HttpClient(listening.baseUrl, async () => tokenFor({ role: 'leader' }));
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('dates outside 2000–2100', () => {
  it.each(['0200-10-12', '0059-01-01', '0700-06-01', '0000-01-01', '1999-12-31', '2101-01-01'])(
    'when a case is opened on %s, then 400 names openedOn within a second and no case is opened',
    async (openedOn) => {
      const body = openCaseBody({ openedOn });
      const { result, ms } = await timed(() => api.open(body, uniqueKey('far')));
      expectProblem(result, 400, { path: 'openedOn' });
      expect(ms).toBeLessThan(1_000);
      expect((await api.list({ schoolId: body.schoolId })).body.items).toEqual([]);
    },
  );

  it.each([
    ['/api/analytics/phase-durations?from=0000-01-01', 'from'],
    ['/api/analytics/phase-durations?to=0200-10-12', 'to'],
    ['/api/calendar/deadline?schoolId=S1&from=0200-10-12&schoolDays=15', 'from'],
    ['/api/calendar/deadline?schoolId=S1&from=0000-01-01&workingDays=10', 'from'],
    ['/api/resource-team/agenda?schoolId=S1&on=0000-01-01', 'on'],
    ['/api/reviews/monthly?schoolId=S1&month=0200-10', 'month'],
  ])('when GET %s, then 400 names %s within a second', async (path, field) => {
    const { result, ms } = await timed(() => running.http.get(path));
    expectProblem(result, 400, { path: field });
    expect(ms).toBeLessThan(1_000);
  });

  it('when school holidays reach outside the bounds or last a season, then 400 names the field', async () => {
    const tooLong = await running.http.put('/api/calendar/school-holidays?schoolId=S1&year=2026', {
      holidays: [{ from: '2026-01-01', to: '2026-12-31', name: 'Lukket' }],
    });
    expectProblem(tooLong, 400, { path: 'holidays[0].to' });
    const ancient = await running.http.put('/api/calendar/school-holidays?schoolId=S1&year=2026', {
      holidays: [{ from: '0000-01-01', to: '2026-01-02', name: 'Lukket' }],
    });
    expectProblem(ancient, 400, { path: 'holidays[0].from' });
  });
});

describe('free text PostgreSQL cannot store', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['a lone surrogate', 'a\ud800b'],
  ])('when an escalation reason holds %s, then 400 names reason at once and the case still takes the next action', async (_label, reason) => {
    const opened = await openCase(api);
    const { result, ms } = await timed(() => api.escalate(opened.caseId, { reason }, uniqueKey('nul')));
    expectProblem(result, 400, { path: 'reason' });
    expect(ms).toBeLessThan(1_000);
    const next = expectCase(await api.escalate(opened.caseId, { reason: 'Fraværet stiger' }, uniqueKey('ok')));
    expect(next.escalationLevel).toBe(1);
  });

  it.each([
    ['concern.note', { concern: { source: 'parents', note: 'x\u0000' } }],
    ['tovholder', { tovholder: 'kim\ud800' }],
  ])('when a case is opened with %s unstorable, then 400 names it', async (field, overrides) => {
    expectProblem(await api.open(openCaseBody(overrides), uniqueKey('nul')), 400, { path: field });
  });

  it('when a letter template or a contact key holds NUL, then 400 names it', async () => {
    const template = await running.http.put('/api/letter-templates/parent_conversation_invitation', { subject: 'Emne', body: 'Kære\u0000' });
    expect(template.status).toBe(400);
    expect(JSON.stringify(template.body)).toContain('body');
    const contacts = await running.http.put('/api/schools/S1/contacts', { tovholdere: { 'kim\u0000': 'kim@skole.example.dk' } });
    expect(contacts.status).toBe(400);
  });
});

describe('a body that is not JSON', () => {
  it('when a step is completed with a text/plain body, then 415 and the step stays open', async () => {
    const opened = await openCase(api);
    const path = `/api/cases/${opened.caseId}/steps/parent_conversation/complete`;
    const answer = await running.http.postRaw(path, JSON.stringify({ completedOn: addDays(todayInDenmark(), -1) }), {
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(answer, 415, { type: 'https://fravaersforloeb.dk/problems/unsupported-media-type' });
    const after = expectCase(await api.get(opened.caseId));
    expect(after.steps.find((step) => step.stepId === 'parent_conversation')?.status).not.toBe('done');
  });

  it('when a body comes as a form or with no content type, then 415 on POST and PUT', async () => {
    const form = await running.http.postRaw('/api/cases', 'pupilRef=P-1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const put = await fetch(`${running.baseUrl}/api/calendar/school-holidays?schoolId=S1&year=2026`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await tokenFor({ role: 'admin' })}`, 'content-type': 'text/plain' },
      body: '{"holidays":[]}',
    });
    expect(put.status).toBe(415);
    expect(put.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('when a POST carries no body at all, then it is not refused for its type', async () => {
    const opened = await openCase(api);
    const answer = await fetch(`${running.baseUrl}/api/cases/${opened.caseId}/deadlines/recompute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenFor({ role: 'leader' })}` },
    });
    expect(answer.status).toBe(200);
  });
});

describe('Temporal unreachable or slow', () => {
  it('when Temporal cannot be reached, then opening a case and acting on one answer 503 with Retry-After within a second', async () => {
    const connection = Connection.lazy(apiConnectionOptions(`127.0.0.1:${await closedPort()}`));
    closers.push(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace, dataConverter: TEST_DATA_CONVERTER });
    const errors: string[] = [];
    // The harness's database, so a case opened while Temporal was up is known to this app too.
    const http = await appWith({ client, db: running.database.db, logError: (message) => errors.push(message) });
    const opened = await openCase(api);

    const opening = await timed(() => http.post('/api/cases', openCaseBody(), { idempotencyKey: uniqueKey('down') }));
    expectProblem(opening.result, 503, { type: 'https://fravaersforloeb.dk/problems/unavailable' });
    expect(opening.result.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(opening.ms).toBeLessThan(1_000);
    expect(errors).toContain('temporal unavailable; answered 503');

    const acting = await timed(() => http.post(`/api/cases/${opened.caseId}/escalations`, { reason: 'Fraværet stiger' }, { idempotencyKey: uniqueKey('down') }));
    expectProblem(acting.result, 503, { type: 'https://fravaersforloeb.dk/problems/unavailable' });
    expect(acting.result.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(acting.ms).toBeLessThan(1_000);
    // Nothing was applied: the case, asked through the running service, is as it was.
    expect(expectCase(await api.get(opened.caseId)).escalationLevel).toBe(0);
  });

  it('when no worker takes the case, then the request is answered 503 once the wait bound has passed, not held open', async () => {
    const database = await createTestDatabase('pglite');
    closers.push(() => database.cleanup());
    const http = await appWith({ db: database.db, taskQueue: `nobody-${uniqueKey()}`, security: { requestsPerMinute: 100_000, requestWaitSeconds: 1 } });
    const { result, ms } = await timed(() => http.post('/api/cases', openCaseBody(), { idempotencyKey: uniqueKey('slow') }));
    expect(result.status, result.text).toBe(503);
    expect(result.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(3_000);
  });
});

describe('database unreachable', () => {
  it('when the database refuses connections, then reads answer 503 with Retry-After, not 500', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/test` });
    closers.push(() => pool.end());
    const db: Database = {
      kind: 'postgres',
      query: async (sql, params) => (await pool.query(sql, params ? [...params] : [])).rows as never,
      transaction: () => Promise.reject(new Error('not used')),
      close: () => Promise.resolve(),
    };
    const http = await appWith({ db });
    for (const path of ['/api/cases?schoolId=S1', `/api/cases/${(await openCase(api)).caseId}`, '/api/overdue?schoolId=S1']) {
      const { result, ms } = await timed(() => http.get(path));
      expect(result.status, result.text).toBe(503);
      expect(result.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(ms).toBeLessThan(1_000);
    }
  });
});

describe('identity provider down', () => {
  let down: HttpClient;
  let failing: HttpClient;
  const logged: string[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase('pglite');
    closers.push(() => database.cleanup());
    const verifierAt = (url: string) => createTokenVerifier({ keys: remoteKeys(url), issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE });
    // Rate limit 20 a minute: 401s would lock the address out after 20.
    const security = { requestsPerMinute: 20 };
    down = await appWith({ db: database.db, tokens: verifierAt(`http://127.0.0.1:${await closedPort()}/jwks`), security, logError: (m) => logged.push(m) });
    const broken: Server = createServer((_req, res) => res.writeHead(500).end('oops'));
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => broken.close(resolve)));
    const brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/jwks`;
    failing = await appWith({ db: database.db, tokens: verifierAt(brokenUrl), security, logError: (m) => logged.push(m) });
  });

  it('when the provider cannot be reached, then every request answers 503 with Retry-After, logged, and none counts as a failed sign-in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1) {
      const answer = await down.get('/api/overdue?schoolId=S1');
      statuses.push(answer.status);
      if (i === 0) {
        expectProblem(answer, 503, { type: 'https://fravaersforloeb.dk/problems/unavailable' });
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(answer.headers.get('www-authenticate')).toBeNull();
      }
    }
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect(logged).toContain('identity provider unavailable; answered 503');
  });

  it('when the provider answers 500, then 503 too', async () => {
    const answer = await failing.get('/api/overdue?schoolId=S1');
    expect(answer.status, answer.text).toBe(503);
  });
});

describe('the OpenAPI document says what the service does', () => {
  type Operation = { parameters?: { name: string; in: string; required: boolean }[]; requestBody?: unknown; responses: Record<string, unknown> };
  let document: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    document = (await running.http.get<typeof document>('/openapi.json')).body;
  });

  it('when every $ref is followed, then each lands on a component (none dangles)', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref, ref).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
    }
  });

  it('when GET /api/calendar is read, then schoolId is required, as the handler has it', () => {
    const schoolId = document.paths['/api/calendar']!.get!.parameters!.find((parameter) => parameter.name === 'schoolId');
    expect(schoolId?.required).toBe(true);
    expect(document.paths['/api/overdue']!.get!.parameters!.find((parameter) => parameter.name === 'schoolId')?.required).toBe(false);
  });

  it('when an operation takes a body, then 400, 413, 415 and 503 are documented; every /api operation documents 503', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/api')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses, `${method} ${path}`).toHaveProperty('503');
        if (operation.requestBody === undefined) continue;
        for (const status of ['400', '413', '415']) expect(operation.responses, `${method} ${path} ${status}`).toHaveProperty(status);
      }
    }
  });

  it('when recompute gets an over-long Idempotency-Key, then 400, and 400 is documented', async () => {
    const opened = await openCase(api);
    const answer = await running.http.post(`/api/cases/${opened.caseId}/deadlines/recompute`, {}, { idempotencyKey: 'k'.repeat(201) });
    expectProblem(answer, 400, { path: 'Idempotency-Key' });
    expect(document.paths['/api/cases/{caseId}/deadlines/recompute']!.post!.responses).toHaveProperty('400');
  });

  it('when TRACE is sent, then 405 with Allow, not 404', async () => {
    // fetch refuses to send TRACE; node:http does not.
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      request(`${running.baseUrl}/api/cases`, { method: 'TRACE' }, (res) => {
        res.resume();
        resolve(res);
      })
        .on('error', reject)
        .end();
    });
    expect(answer.statusCode).toBe(405);
    expect(answer.headers.allow).toMatch(/GET/);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('when a request is answered, then one RateLimit policy is sent, once', async () => {
    const answer = await running.http.get('/api/overdue?schoolId=S1');
    expect(answer.status).toBe(200);
    const rateLimit = answer.headers.get('ratelimit') ?? '';
    expect(rateLimit.split(',').filter((part) => part.trim() !== '')).toHaveLength(1);
    expect((answer.headers.get('ratelimit-policy') ?? '').split(',')).toHaveLength(1);
  });
});
