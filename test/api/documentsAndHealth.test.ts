/**
 * The OpenAPI document (every route of API.md, request schemas that refuse what the API
 * refuses), its browsable rendering, and the health endpoint.
 */
import { testTokenVerifier } from '../support/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app';
import { createHealthCheck } from '../../src/api/server';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { closureBody, expectProblem, openCaseBody, threeTrackMeasures, todayInDenmark } from './support/cases';
import { listen, startApi, type RunningApi } from './support/harness';
import { HttpClient } from './support/http';
import { schemaViolations } from './support/jsonSchema';

let temporal: TestTemporal;
let running: RunningApi;
let document: Record<string, unknown>;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  // A worker for the one case the refused actions are sent to (documents and health need none).
  running = await startApi({ temporal, kind: 'postgres' });
  const answer = await running.http.get<Record<string, unknown>>('/openapi.json');
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/^application\/json/);
  document = answer.body;
});

afterAll(async () => {
  await running?.close();
  await temporal?.close();
});

type Operation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
};

function operation(method: string, path: string): Operation {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const found = paths[path]?.[method];
  expect(found, `${method.toUpperCase()} ${path} is in the document`).toBeDefined();
  return found!;
}

function requestSchema(method: string, path: string): Record<string, unknown> {
  const schema = operation(method, path).requestBody?.content['application/json']?.schema;
  expect(schema, `${method.toUpperCase()} ${path} has a JSON request schema`).toBeDefined();
  return schema!;
}

const ACTIONS = [
  '/api/cases/{caseId}/steps/{stepId}/complete',
  '/api/cases/{caseId}/assessment',
  '/api/cases/{caseId}/plan',
  '/api/cases/{caseId}/follow-ups',
  '/api/cases/{caseId}/escalations',
  '/api/cases/{caseId}/closure',
];

describe('GET /openapi.json', () => {
  it('when the document is fetched, then it is OpenAPI 3.1 and describes every route of API.md with its answers', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });

    expect(operation('get', '/health').responses).toHaveProperty('200');
    expect(operation('get', '/health').responses).toHaveProperty('503');

    const open = operation('post', '/api/cases');
    expect(Object.keys(open.responses)).toEqual(expect.arrayContaining(['201', '400', '422']));
    const list = operation('get', '/api/cases');
    expect(list.parameters?.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['phase', 'schoolId', 'tovholder']);
    const get = operation('get', '/api/cases/{caseId}');
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '404']));

    for (const path of ACTIONS) {
      const action = operation('post', path);
      expect(Object.keys(action.responses), path).toEqual(expect.arrayContaining(['200', '400', '404', '409', '422']));
      const pathParams = action.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [];
      expect(pathParams, path).toEqual(path.includes('{stepId}') ? ['caseId', 'stepId'] : ['caseId']);
      expect(action.parameters?.map((p) => p.name)).toContain('Idempotency-Key');
    }
    expect(operation('post', '/api/cases').parameters?.map((p) => p.name)).toContain('Idempotency-Key');
  });

  it('when the OpenCase component is read, then it lists every field of the opening body as required and allows no others', () => {
    const openCase = (document.components as { schemas: Record<string, Record<string, unknown>> }).schemas.OpenCase;
    expect(openCase?.required).toEqual(expect.arrayContaining(['pupilRef', 'schoolId', 'grade', 'tovholder', 'openedOn', 'concern']));
    expect(openCase?.additionalProperties).toBe(false);
  });

  it('when valid bodies are checked against the request schemas, then each is accepted', () => {
    const today = todayInDenmark();
    const valid: [string, string, unknown][] = [
      ['post', '/api/cases', openCaseBody()],
      ['post', ACTIONS[0]!, { completedOn: today, note: 'Samtalen er holdt' }],
      ['post', ACTIONS[1]!, { decision: 'action_plan', rationale: 'Fraværet kræver en plan' }],
      ['post', ACTIONS[2]!, { measures: threeTrackMeasures() }],
      ['post', ACTIONS[3]!, { heldOn: today, reviews: [{ measureId: 'M1', done: true, effect: 'some', action: 'keep' }], outcome: 'continue' }],
      ['post', ACTIONS[4]!, { reason: 'Ingen effekt' }],
      ['post', ACTIONS[5]!, closureBody()],
    ];
    for (const [method, path, body] of valid) {
      expect(schemaViolations(document, requestSchema(method, path), body), path).toEqual([]);
    }
  });

  const refusedOpenings: [string, (body: Record<string, unknown>) => void][] = [
    ['pupilRef is missing', (body) => delete body.pupilRef],
    ['grade is 11', (body) => (body.grade = 11)],
    ['grade is 6.5', (body) => (body.grade = 6.5)],
    ['concern.source is not one of its values', (body) => (body.concern = { source: 'neighbours' })],
    ['openedOn is 2026-02-30', (body) => (body.openedOn = '2026-02-30')],
    ['there is an unknown extra field', (body) => (body.name = 'Emma Jensen')],
    ['pupilRef has a space', (body) => (body.pupilRef = 'Emma Jensen')],
  ];
  it.each(refusedOpenings)('when an opening body where %s is sent, then the API answers 400 and the OpenCase schema refuses it too', async (_what, spoil) => {
    const body = openCaseBody() as unknown as Record<string, unknown>;
    spoil(body);
    expectProblem(await running.http.post('/api/cases', body), 400);
    expect(schemaViolations(document, requestSchema('post', '/api/cases'), body)).not.toEqual([]);
  });

  it.each(['010203-1234', '0102031234'])('when pupilRef is CPR-shaped %s, then the OpenCase schema refuses it as the API does', (pupilRef) => {
    const body = openCaseBody({ pupilRef });
    expect(schemaViolations(document, requestSchema('post', '/api/cases'), body)).not.toEqual([]);
  });

  const refusedActions: [string, string, unknown][] = [
    ['a plan measure in an unknown track', ACTIONS[2]!, { measures: [{ ...threeTrackMeasures()[0]!, track: 'family' }] }],
    ['a plan without measures', ACTIONS[2]!, { measures: [] }],
    ['a follow-up with an unknown outcome', ACTIONS[3]!, { heldOn: '2026-11-02', reviews: [], outcome: 'maybe' }],
    ['a follow-up held on 2026-02-30', ACTIONS[3]!, { heldOn: '2026-02-30', reviews: [], outcome: 'continue' }],
    ['a closure without bridging', ACTIONS[5]!, { ...closureBody(), bridging: undefined }],
    ['an escalation with an extra field', ACTIONS[4]!, { reason: 'Ingen effekt', level: 2 }],
    ['an assessment with an unknown decision', ACTIONS[1]!, { decision: 'wait', rationale: 'Vi venter' }],
  ];
  // A real case: one the caller may not see (or that does not exist) is answered 404 before its body is read.
  let refusedOn: Promise<string> | undefined;
  const caseToRefuseOn = () =>
    (refusedOn ??= running.http.post<{ caseId: string }>('/api/cases', openCaseBody()).then((answer) => answer.body.caseId));
  it.each(refusedActions)('when %s is sent, then the API answers 400 and the request schema refuses it too', async (_what, path, body) => {
    const concrete = path.replace('{caseId}', await caseToRefuseOn()).replace('{stepId}', 'class_community');
    expectProblem(await running.http.post(concrete, body), 400);
    expect(schemaViolations(document, requestSchema('post', path), JSON.parse(JSON.stringify(body)))).not.toEqual([]);
  });
});

describe('GET /docs', () => {
  it('when the docs are opened in a browser, then they answer an HTML page rendering the API', async () => {
    const answer = await running.http.get('/docs', { accept: 'text/html' });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/html/);
    expect(answer.text).toMatch(/<html/i);
    expect(answer.text).toContain('Fraværsforløb API');
  });
});

describe('GET /health', () => {
  it('when Temporal and the database are up, then it answers 200 with everything ok', async () => {
    const answer = await running.http.get('/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok', temporal: 'ok', database: 'ok' });
  });

  it('when the database does not answer, then it answers 503 and says the database is unavailable', async () => {
    const store = { ...running.store, ping: () => Promise.reject(new Error('connection refused')) };
    const app = createApp({
      client: temporal.client,
      store,
      db: running.database.db,
      tokens: await testTokenVerifier(),
      health: createHealthCheck({ client: temporal.client, store }),
    });
    const server = await listen(app);
    try {
      const answer = await new HttpClient(server.baseUrl).get('/health');
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ temporal: 'ok', database: 'unavailable' });
      expect((answer.body as { status: string }).status).not.toBe('ok');
    } finally {
      await server.close();
    }
  });
});
