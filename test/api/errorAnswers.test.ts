/**
 * Every error status of API.md over HTTP: problem+json with status, type, title, detail and (for
 * 400 and 422) the field in `errors`; and a rejected request changes nothing, neither what GET
 * answers nor what the case's workflow holds.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../src/domain/schemas';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import {
  PROBLEM_TYPES,
  addDays,
  caseState,
  casesApi,
  closureBody,
  expectCase,
  expectProblem,
  followUpBody,
  onOrNextSchoolDay,
  openCase,
  openCaseBody,
  openInActionPlan,
  openInFollowUp,
  threeTrackMeasures,
  todayInDenmark,
  uniqueSchool,
  type CasesApi,
} from './support/cases';
import type { Answer } from './support/http';
import { startApi, type RunningApi } from './support/harness';

let temporal: TestTemporal;
let running: RunningApi;
let api: CasesApi;

/** In mapping, with track A done and tracks B and C open. */
let inMapping: CaseView;
let inActionPlan: CaseView;
let inFollowUp: CaseView;

const today = todayInDenmark();

beforeAll(async () => {
  temporal = await connectTestTemporal();
  running = await startApi({ temporal, kind: 'postgres' });
  api = casesApi(running.http);
  const opened = await openCase(api);
  inMapping = expectCase(await api.complete(opened.caseId, 'class_community', {}));
  [inActionPlan, inFollowUp] = await Promise.all([openInActionPlan(api), openInFollowUp(api)]);
});

afterAll(async () => {
  await running?.close();
  await temporal?.close();
});

/** Sends a request the API must refuse, and checks the case is exactly as it was. */
async function refusedWithoutChange(caseId: string, request: () => Promise<Answer>): Promise<Answer> {
  const before = await caseState(running, caseId);
  const answer = await request();
  expect(await caseState(running, caseId)).toEqual(before);
  return answer;
}

async function casesAtSchool(schoolId: string): Promise<unknown[]> {
  const answer = await api.list({ schoolId });
  expect(answer.status).toBe(200);
  return answer.body.items;
}

describe('400: a malformed body or one that fails its schema', () => {
  it('when POST /api/cases gets malformed JSON, then it answers 400 problem+json and opens no case', async () => {
    const schoolId = uniqueSchool();
    const text = JSON.stringify(openCaseBody({ schoolId })).slice(0, -5);
    const problem = expectProblem(await running.http.postRaw('/api/cases', text), 400);
    expect(problem.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
    expect(await casesAtSchool(schoolId)).toEqual([]);
  });

  const badOpenings: [string, (body: Record<string, unknown>) => void, string][] = [
    ['tovholder is missing', (body) => delete body.tovholder, 'tovholder'],
    ['concern.source is not one of its values', (body) => (body.concern = { source: 'neighbours' }), 'concern.source'],
    ['grade is 11', (body) => (body.grade = 11), 'grade'],
    ['openedOn is 2026-02-30', (body) => (body.openedOn = '2026-02-30'), 'openedOn'],
    ['pupilRef is CPR-shaped 010203-1234', (body) => (body.pupilRef = '010203-1234'), 'pupilRef'],
    ['pupilRef is CPR-shaped 0102031234', (body) => (body.pupilRef = '0102031234'), 'pupilRef'],
    ['pupilRef has a CPR number inside it', (body) => (body.pupilRef = 'elev-0102031234'), 'pupilRef'],
  ];
  it.each(badOpenings)('when POST /api/cases has a body where %s, then it answers 400 naming the field and opens no case', async (_what, spoil, path) => {
    const body = openCaseBody() as unknown as Record<string, unknown>;
    spoil(body);
    expectProblem(await api.open(body), 400, { path });
    expect(await casesAtSchool(body.schoolId as string)).toEqual([]);
  });

  it('when POST /api/cases has an unknown extra field, then it answers 400 and opens no case', async () => {
    const body = { ...openCaseBody(), name: 'Emma Jensen' };
    expectProblem(await api.open(body), 400);
    expect(await casesAtSchool(body.schoolId)).toEqual([]);
  });

  it('when POST /api/cases has an unknown extra field, then its errors name that field', async () => {
    const body = { ...openCaseBody(), name: 'Emma Jensen' };
    expectProblem(await api.open(body), 400, { path: 'name' });
  });

  it('when an action body has an unknown nested field, then its errors name that field', async () => {
    const body = { ...closureBody(), bridging: { decision: 'network', via: 'SSP' } };
    expectProblem(await api.close(inFollowUp.caseId, body), 400, { path: 'bridging.via' });
  });

  it('when cases are listed with a phase that does not exist, then it answers 400 naming phase', async () => {
    expectProblem(await api.list({ phase: 'archived' }), 400, { path: 'phase' });
  });

  it('when an action gets malformed JSON, then it answers 400 and the case is unchanged', async () => {
    const answer = await refusedWithoutChange(inFollowUp.caseId, () =>
      running.http.postRaw(`/api/cases/${inFollowUp.caseId}/escalations`, '{"reason": "Ingen effekt",'),
    );
    expectProblem(answer, 400, { path: '(body)' });
  });

  it('when an action body fails its schema, then it answers 400 naming the field and the case is unchanged', async () => {
    const measures = threeTrackMeasures();
    measures[1]!.track = 'family';
    expectProblem(await refusedWithoutChange(inActionPlan.caseId, () => api.plan(inActionPlan.caseId, { measures })), 400, {
      path: 'measures[1].track',
    });
    expectProblem(
      await refusedWithoutChange(inFollowUp.caseId, () => api.followUp(inFollowUp.caseId, followUpBody(inFollowUp, { heldOn: '2026-02-30' }))),
      400,
      { path: 'heldOn' },
    );
    expectProblem(
      await refusedWithoutChange(inFollowUp.caseId, () => api.close(inFollowUp.caseId, { ...closureBody(), bridging: undefined })),
      400,
      { path: 'bridging' },
    );
    expectProblem(
      await refusedWithoutChange(inMapping.caseId, () => api.complete(inMapping.caseId, 'pupil_conversation', { completedOn: '2026-13-01' })),
      400,
      { path: 'completedOn' },
    );
    expectProblem(await refusedWithoutChange(inMapping.caseId, () => api.escalate(inMapping.caseId, { reason: '   ' })), 400, { path: 'reason' });
  });
});

describe('404: an unknown case or step', () => {
  it('when a case that does not exist is asked for or acted on, then it answers 404 and no case appears', async () => {
    const unknown = randomUUID();
    expectProblem(await api.get(unknown), 404, { type: PROBLEM_TYPES.caseNotFound });
    expectProblem(await api.escalate(unknown, { reason: 'Ingen effekt' }), 404, { type: PROBLEM_TYPES.caseNotFound });
    expectProblem(await api.complete(unknown, 'class_community', {}), 404, { type: PROBLEM_TYPES.caseNotFound });
    expectProblem(await api.get(unknown), 404);
  });

  it('when the caseId is not a uuid, then it answers 404', async () => {
    expectProblem(await api.get('not-a-case'), 404, { type: PROBLEM_TYPES.caseNotFound });
    expectProblem(await api.escalate('not-a-case', { reason: 'Ingen effekt' }), 404, { type: PROBLEM_TYPES.caseNotFound });
    expectProblem(await api.complete(`${inMapping.caseId}x`, 'pupil_conversation', {}), 404, { type: PROBLEM_TYPES.caseNotFound });
  });

  it('when a step the case does not have is completed, then it answers 404 and the case is unchanged', async () => {
    for (const stepId of ['no_such_step', 'follow_up_1', 'Pupil-Conversation']) {
      const answer = await refusedWithoutChange(inMapping.caseId, () => api.complete(inMapping.caseId, stepId, {}));
      expectProblem(answer, 404, { type: PROBLEM_TYPES.stepNotFound });
    }
  });
});

describe('409: an action the case cannot take in its phase', () => {
  it('when the assessment is posted before tracks B and C are done, then it answers 409 and the case is unchanged', async () => {
    const answer = await refusedWithoutChange(inMapping.caseId, () =>
      api.assess(inMapping.caseId, { decision: 'action_plan', rationale: 'For tidligt' }),
    );
    expectProblem(answer, 409);
  });

  it('when a case in mapping is closed, then it answers 409 and the case is unchanged', async () => {
    expectProblem(await refusedWithoutChange(inMapping.caseId, () => api.close(inMapping.caseId, closureBody())), 409);
  });

  it('when a plan is posted during mapping, then it answers 409 and the case is unchanged', async () => {
    expectProblem(
      await refusedWithoutChange(inMapping.caseId, () => api.plan(inMapping.caseId, { measures: threeTrackMeasures() })),
      409,
    );
  });

  it('when a follow-up is posted while the case is in action_plan, then it answers 409 and the case is unchanged', async () => {
    const answer = await refusedWithoutChange(inActionPlan.caseId, () =>
      api.followUp(inActionPlan.caseId, { heldOn: today, reviews: [], outcome: 'continue' }),
    );
    expectProblem(answer, 409);
  });

  it('when a step already done is completed again, then it answers 409 and the case is unchanged', async () => {
    const answer = await refusedWithoutChange(inMapping.caseId, () =>
      api.complete(inMapping.caseId, 'class_community', { completedOn: today }),
    );
    expectProblem(answer, 409);
  });
});

describe('422: a domain rule broken', () => {
  it('when a plan has no measure in the teaching track, then it answers 422 naming measures and the case is unchanged', async () => {
    const measures = threeTrackMeasures().filter((measure) => measure.track !== 'teaching');
    const answer = await refusedWithoutChange(inActionPlan.caseId, () => api.plan(inActionPlan.caseId, { measures }));
    expectProblem(answer, 422, { path: 'measures' });
  });

  it.each([55, 85])('when a follow-up picks the next one %i days on, then it answers 422 naming nextFollowUpOn and the case is unchanged', async (days) => {
    const body = followUpBody(inFollowUp, { nextFollowUpOn: addDays(today, days) });
    const answer = await refusedWithoutChange(inFollowUp.caseId, () => api.followUp(inFollowUp.caseId, body));
    expectProblem(answer, 422, { path: 'nextFollowUpOn' });
  });

  it('when follow-ups pick the next one 56 and then 84 days on, then both are accepted (in another case)', async () => {
    const started = await openInFollowUp(api);
    const first = expectCase(await api.followUp(started.caseId, followUpBody(started, { nextFollowUpOn: addDays(today, 56) })));
    expect(first.followUps.at(-1)?.nextFollowUpOn).toBe(addDays(today, 56));
    expect(first.nextFollowUpDue).toBe(onOrNextSchoolDay(addDays(today, 56)));
    const second = expectCase(await api.followUp(started.caseId, followUpBody(first, { nextFollowUpOn: addDays(today, 84) })));
    expect(second.followUps.map((followUp) => followUp.nextFollowUpOn)).toEqual([addDays(today, 56), addDays(today, 84)]);
    expect(second.nextFollowUpDue).toBe(onOrNextSchoolDay(addDays(today, 84)));
  });

  it('when a closure has an empty relapse-prevention plan, then it answers 422 naming relapsePreventionPlan and the case is unchanged', async () => {
    for (const relapsePreventionPlan of ['', '   ']) {
      const answer = await refusedWithoutChange(inFollowUp.caseId, () => api.close(inFollowUp.caseId, closureBody({ relapsePreventionPlan })));
      expectProblem(answer, 422, { path: 'relapsePreventionPlan' });
    }
  });

  it('when a closure says the pupil does not attend regularly, then it answers 422 naming criteria.regularAttendance and the case is unchanged', async () => {
    const answer = await refusedWithoutChange(inFollowUp.caseId, () =>
      api.close(inFollowUp.caseId, closureBody({ criteria: { regularAttendance: false } })),
    );
    expectProblem(answer, 422, { path: 'criteria.regularAttendance' });
  });

  it('when a case at level 3 is escalated again, then it answers 422 and the case stays at level 3', async () => {
    const opened = await openCase(api);
    for (let level = 1; level <= 3; level += 1) {
      const resources = level === 3 ? { externalResources: ['ppr'], withoutConsentReason: 'Forældrene giver samtykke på mødet' } : {};
      expect(expectCase(await api.escalate(opened.caseId, { reason: `Niveau ${level}`, ...resources })).escalationLevel).toBe(level);
    }
    const answer = await refusedWithoutChange(opened.caseId, () => api.escalate(opened.caseId, { reason: 'Niveau 4' }));
    expectProblem(answer, 422, { path: 'reason' });
    expect(expectCase(await api.get(opened.caseId)).escalationLevel).toBe(3);
  });

  it('when a case is escalated to level 3 without naming the external resources, then it answers 422 naming externalResources and stays at level 2', async () => {
    const opened = await openCase(api);
    for (let level = 1; level <= 2; level += 1) await api.escalate(opened.caseId, { reason: `Niveau ${level}` });
    const answer = await refusedWithoutChange(opened.caseId, () => api.escalate(opened.caseId, { reason: 'Niveau 3' }));
    expectProblem(answer, 422, { path: 'externalResources' });
    expect(expectCase(await api.get(opened.caseId)).escalationLevel).toBe(2);
  });

  it('when a case is opened with an openedOn tomorrow, then it answers 422 naming openedOn and opens no case', async () => {
    const body = openCaseBody({ openedOn: addDays(today, 1) });
    expectProblem(await api.open(body), 422, { path: 'openedOn' });
    expect(await casesAtSchool(body.schoolId)).toEqual([]);
  });
});
