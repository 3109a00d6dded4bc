/**
 * Idempotency-Key on POST (API.md): repeating a request with the same key returns the first
 * result and changes nothing more; another key is another request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIdForCase } from '../../src/temporal/names';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { casesApi, expectCase, expectProblem, openCase, openCaseBody, uniqueKey, type CasesApi } from './support/cases';
import { startApi, type RunningApi } from './support/harness';

let temporal: TestTemporal;
let running: RunningApi;
let api: CasesApi;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  running = await startApi({ temporal, kind: 'postgres' });
  api = casesApi(running.http);
});

afterAll(async () => {
  await running?.close();
  await temporal?.close();
});

describe('Idempotency-Key when opening a case', () => {
  it('when the same POST /api/cases is sent twice with one key, then one case is opened and the second answer is the first', async () => {
    const body = openCaseBody();
    const key = uniqueKey('open');
    const first = await api.open(body, key);
    const firstView = expectCase(first, 201);
    const second = await api.open(body, key);
    expect(expectCase(second, 201)).toEqual(firstView);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));

    const listed = await api.list({ schoolId: body.schoolId });
    expect(listed.body.items).toEqual([expect.objectContaining({ caseId: firstView.caseId })]);
  });

  it('when the key opened a case that has ended since, then the same POST answers that case and opens no other', async () => {
    const body = openCaseBody();
    const key = uniqueKey('open-ended');
    const opened = expectCase(await api.open(body, key), 201);
    expectCase(await running.http.post(`/api/cases/${opened.caseId}/withdrawal`, { reason: 'Oprettet ved en fejl' }));
    // The case's workflow has ended: the key now meets a closed workflow.
    await temporal.client.workflow.getHandle(workflowIdForCase(opened.caseId)).result();

    const again = expectCase(await api.open(body, key), 201);
    expect(again.caseId).toBe(opened.caseId);
    expect(again.history.map((entry) => entry.event)).toContain('withdrawn');
    const [another] = await running.database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM cases WHERE school_id = $1', [body.schoolId]);
    expect(another?.n).toBe(1);
  });

  it('when the same POST /api/cases is sent twice at once with one key, then one case is opened', async () => {
    const body = openCaseBody();
    const key = uniqueKey('open-race');
    const [a, b] = await Promise.all([api.open(body, key), api.open(body, key)]);
    expect(expectCase(a, 201).caseId).toBe(expectCase(b, 201).caseId);
    expect((await api.list({ schoolId: body.schoolId })).body.items).toHaveLength(1);
  });

  it('when the Idempotency-Key is not printable ASCII without spaces, then it answers 400 naming the header and opens no case', async () => {
    const body = openCaseBody();
    expectProblem(await api.open(body, 'two words'), 400, { path: 'Idempotency-Key' });
    expect((await api.list({ schoolId: body.schoolId })).body.items).toEqual([]);
  });

  it('when one key is reused to open a different pupil’s case at the same school, then it answers 422 naming the key and shows nothing of the first case', async () => {
    const body = openCaseBody();
    const key = uniqueKey('open-reused');
    const first = expectCase(await api.open(body, key), 201);
    const answer = await api.open({ ...body, pupilRef: `${body.pupilRef}-other` }, key);
    expectProblem(answer, 422, { path: 'Idempotency-Key' });
    expect(JSON.stringify(answer.body)).not.toContain(first.caseId);
    expect((await api.list({ schoolId: body.schoolId })).body.items).toHaveLength(1);
  });

  it('when two schools happen to use the same key, then each gets its own case', async () => {
    const key = uniqueKey('open-shared');
    const atFirst = openCaseBody();
    const atSecond = { ...openCaseBody(), schoolId: `${atFirst.schoolId}-2` };
    const first = expectCase(await api.open(atFirst, key), 201);
    const second = expectCase(await api.open(atSecond, key), 201);
    expect(second.caseId).not.toBe(first.caseId);
    expect(second.schoolId).toBe(atSecond.schoolId);
  });

  it('when the same body is sent with another key, then a second case is opened', async () => {
    const body = openCaseBody();
    const first = expectCase(await api.open(body, uniqueKey('open-a')), 201);
    const second = expectCase(await api.open(body, uniqueKey('open-b')), 201);
    expect(second.caseId).not.toBe(first.caseId);
    expect((await api.list({ schoolId: body.schoolId })).body.items).toHaveLength(2);
  });
});

describe('Idempotency-Key on a case action', () => {
  it('when the same escalation is sent twice with one key, then the case is at level 1, not 2, and the second answer is the first', async () => {
    const opened = await openCase(api);
    const key = uniqueKey('esc');
    const first = expectCase(await api.escalate(opened.caseId, { reason: 'Ingen effekt' }, key));
    expect(first.escalationLevel).toBe(1);
    const second = expectCase(await api.escalate(opened.caseId, { reason: 'Ingen effekt' }, key));
    expect(second).toEqual(first);
    expect(expectCase(await api.get(opened.caseId))).toEqual(first);

    const third = expectCase(await api.escalate(opened.caseId, { reason: 'Stadig ingen effekt' }, uniqueKey('esc')));
    expect(third.escalationLevel).toBe(2);
    expect(third.escalations.map((escalation) => escalation.level)).toEqual([1, 2]);
  });

  it('when the same escalation is sent twice at once with one key, then it is applied once', async () => {
    const opened = await openCase(api);
    const key = uniqueKey('esc-race');
    const answers = await Promise.all([
      api.escalate(opened.caseId, { reason: 'Ingen effekt' }, key),
      api.escalate(opened.caseId, { reason: 'Ingen effekt' }, key),
    ]);
    expect(answers.map((answer) => expectCase(answer).escalationLevel)).toEqual([1, 1]);
    expect(expectCase(await api.get(opened.caseId)).escalations).toHaveLength(1);
  });

  it('when a key used for an escalation is used again to complete a step, then the step is completed and nothing is escalated again', async () => {
    const opened = await openCase(api);
    const key = uniqueKey('shared');
    expectCase(await api.escalate(opened.caseId, { reason: 'Ingen effekt' }, key));
    const completed = expectCase(await api.complete(opened.caseId, 'pupil_conversation', {}, key));
    expect(completed.steps.find((step) => step.stepId === 'pupil_conversation')?.status).toBe('done');
    expect(completed.escalationLevel).toBe(1);
  });
});
