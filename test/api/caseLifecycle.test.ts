/**
 * One case through its whole life over HTTP, as API.md describes it, on both databases:
 * opening (from paper, weeks back), the mapping tracks, the assessment, the plan, follow-ups,
 * a plan revision, an escalation, closure; the list filters; and a closed case refusing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseSummary, type CaseView } from '../../src/domain/schemas';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import {
  addDays,
  casesApi,
  closureBody,
  expectCase,
  expectProblem,
  mondayOnOrBefore,
  dueEndOfWeek,
  onOrNextSchoolDay,
  openCase,
  openCaseBody,
  reviewsOfPlan,
  threeTrackMeasures,
  todayInDenmark,
  uniqueSchool,
  type CasesApi,
} from './support/cases';
import { startApi, type RunningApi } from './support/harness';

let temporal: TestTemporal;

beforeAll(async () => {
  temporal = await connectTestTemporal();
});

afterAll(async () => {
  await temporal?.close();
});

describe.each(DATABASE_KINDS)('a case through its whole life, on %s', (kind) => {
  let running: RunningApi;
  let api: CasesApi;

  const today = todayInDenmark();
  // A case kept on paper until now: opened on a Monday fourteen weeks before this week's Monday,
  // so every mapping and plan deadline has passed whatever holidays lie between; its week n
  // ends on the last school day of that week on the default school calendar.
  const openedOn = addDays(mondayOnOrBefore(today), -98);
  const fridayOfWeek = (week: number) => dueEndOfWeek(openedOn, week);
  const schoolId = uniqueSchool('school');
  const otherSchoolId = uniqueSchool('other');
  const tovholder = 'tovholder-anna';

  /** The latest answer of the case; every GET must equal it. */
  let latest: CaseView;
  let caseId: string;
  let firstPlan: NonNullable<CaseView['plan']>;

  beforeAll(async () => {
    running = await startApi({ temporal, kind });
    api = casesApi(running.http);
  });

  afterAll(async () => {
    await running?.close();
  });

  async function expectGetEqualsLatest(): Promise<void> {
    const answer = await api.get(caseId);
    expect(expectCase(answer)).toEqual(latest);
  }

  const stepOf = (view: CaseView, stepId: string) => view.steps.find((step) => step.stepId === stepId);

  it('when a case is opened with its real opening date weeks back, then it answers 201, a Location and the mapping steps due at the end of weeks 2 and 3, already overdue', async () => {
    const body = openCaseBody({ schoolId, tovholder, openedOn, grade: 7, pupilRef: 'P-1001', concern: { source: 'absence_data' } });
    const answer = await api.open(body);
    latest = expectCase(answer, 201);
    caseId = latest.caseId;

    expect(caseId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(answer.headers.get('location')).toBe(`/api/cases/${caseId}`);
    expect(latest).toMatchObject({
      pupilRef: 'P-1001',
      schoolId,
      grade: 7,
      tovholder,
      openedOn,
      phase: 'mapping',
      plan: null,
      planRevision: 0,
      followUps: [],
      escalationLevel: 0,
    });
    expect(latest.closure).toBeUndefined();
    expect(latest.steps.map(({ stepId, phase, track, dueOn, status }) => ({ stepId, phase, track, dueOn, status }))).toEqual([
      { stepId: 'class_community', phase: 'mapping', track: 'A', dueOn: fridayOfWeek(3), status: 'overdue' },
      { stepId: 'pupil_conversation', phase: 'mapping', track: 'B', dueOn: fridayOfWeek(2), status: 'overdue' },
      { stepId: 'parent_conversation', phase: 'mapping', track: 'C', dueOn: fridayOfWeek(2), status: 'overdue' },
      { stepId: 'assessment', phase: 'mapping', track: undefined, dueOn: fridayOfWeek(3), status: 'overdue' },
    ]);
    expect(latest.steps.every((step) => step.title.trim() !== '')).toBe(true);
    expect(latest.history[0]).toMatchObject({ event: 'opened', phase: 'mapping' });

    // The Location names the case.
    const located = await running.http.get(answer.headers.get('location')!);
    expect(expectCase(located)).toEqual(latest);
  });

  it('when the three mapping tracks are marked done, then each step is done on the date given (today when none is) and the case waits for the assessment', async () => {
    latest = expectCase(await api.complete(caseId, 'class_community', { completedOn: addDays(openedOn, 15), note: 'Klassen er kortlagt' }));
    expect(stepOf(latest, 'class_community')).toMatchObject({ status: 'done', completedOn: addDays(openedOn, 15) });

    latest = expectCase(await api.complete(caseId, 'pupil_conversation', { completedOn: addDays(openedOn, 9) }));
    expect(stepOf(latest, 'pupil_conversation')).toMatchObject({ status: 'done', completedOn: addDays(openedOn, 9) });

    latest = expectCase(await api.complete(caseId, 'parent_conversation', {}));
    expect(stepOf(latest, 'parent_conversation')).toMatchObject({ status: 'done', completedOn: today });

    expect(latest.phase).toBe('mapping');
    expect(stepOf(latest, 'assessment')?.status).toBe('overdue');
    await expectGetEqualsLatest();
  });

  it('when the assessment decides on an action plan, then the case is in action_plan with an action_plan step due at the end of week 4', async () => {
    latest = expectCase(await api.assess(caseId, { decision: 'action_plan', rationale: 'Fraværet kræver en handleplan' }));
    expect(latest.phase).toBe('action_plan');
    expect(latest.assessment).toEqual({ decision: 'action_plan', rationale: 'Fraværet kræver en handleplan', decidedOn: today });
    expect(stepOf(latest, 'assessment')).toMatchObject({ status: 'done', completedOn: today });
    expect(stepOf(latest, 'action_plan')).toMatchObject({ phase: 'action_plan', dueOn: fridayOfWeek(4), status: 'overdue' });
    await expectGetEqualsLatest();
  });

  it('when a plan with measures in all three tracks is adopted, then it is revision 1 with assigned measure ids and the first follow-up is due at the end of week 7', async () => {
    const measures = threeTrackMeasures();
    latest = expectCase(await api.plan(caseId, { measures }));
    expect(latest.phase).toBe('follow_up');
    expect(latest.planRevision).toBe(1);
    expect(latest.plan).toMatchObject({ revision: 1, adoptedOn: today });
    expect(latest.plan?.measures.map(({ measureId: _id, ...rest }) => rest)).toEqual(measures);
    const ids = latest.plan!.measures.map((measure) => measure.measureId);
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => id.length > 0)).toBe(true);
    expect(latest.planRevisions).toEqual([latest.plan]);
    expect(stepOf(latest, 'action_plan')).toMatchObject({ status: 'done', completedOn: today });
    expect(stepOf(latest, 'follow_up_1')).toMatchObject({ phase: 'follow_up', dueOn: fridayOfWeek(7) });
    expect(latest.nextFollowUpDue).toBe(fridayOfWeek(7));
    firstPlan = latest.plan!;
    await expectGetEqualsLatest();
  });

  it('when a follow-up is held today and picks a date ten weeks on, then it is recorded and the next follow-up step falls on that date (or the next school day)', async () => {
    const nextFollowUpOn = addDays(today, 70);
    const reviews = reviewsOfPlan(latest, 'adjust');
    // Held the day the plan was adopted, before its first review date: early, so it says why.
    const earlyReason = 'Forældrene bad om et møde inden evalueringen';
    latest = expectCase(await api.followUp(caseId, { heldOn: today, reviews, outcome: 'revise_plan', nextFollowUpOn, earlyReason }));
    expect(latest.phase).toBe('follow_up');
    const regularFrom = firstPlan.measures.map((measure) => measure.reviewOn).sort()[0];
    expect(latest.followUps).toEqual([
      { number: 1, heldOn: today, reviews, outcome: 'revise_plan', nextFollowUpOn, planRevision: 1, early: { regularFrom, reason: earlyReason } },
    ]);
    expect(stepOf(latest, 'follow_up_1')).toMatchObject({ status: 'done', completedOn: today });
    expect(stepOf(latest, 'follow_up_2')).toMatchObject({ phase: 'follow_up', dueOn: onOrNextSchoolDay(nextFollowUpOn) });
    expect(stepOf(latest, 'follow_up_2')?.status).not.toBe('done');
    expect(latest.nextFollowUpDue).toBe(onOrNextSchoolDay(nextFollowUpOn));
    await expectGetEqualsLatest();
  });

  it('when the plan is revised, then it is revision 2, carried measures keep their ids, a new measure gets a new id, and revision 1 is kept as it was', async () => {
    const [pupilParents, community] = firstPlan.measures;
    const measures = [
      { ...pupilParents! },
      { ...community!, description: 'Makkerordning og fast plads i frikvartersgruppen' },
      { track: 'teaching', description: 'Sygeundervisning hjemme to gange om ugen', responsible: 'Skolelederen', startsOn: today, reviewOn: addDays(today, 42) },
    ];
    latest = expectCase(await api.plan(caseId, { measures }));
    expect(latest.planRevision).toBe(2);
    expect(latest.plan?.revision).toBe(2);
    expect(latest.planRevisions).toHaveLength(2);
    expect(latest.planRevisions[0]).toEqual(firstPlan);
    expect(latest.planRevisions[1]).toEqual(latest.plan);
    const [carried1, carried2, added] = latest.plan!.measures;
    expect(carried1).toEqual(pupilParents);
    expect(carried2).toEqual({ ...community, description: 'Makkerordning og fast plads i frikvartersgruppen' });
    expect(firstPlan.measures.map((measure) => measure.measureId)).not.toContain(added?.measureId);
    expect(added).toMatchObject({ track: 'teaching', description: 'Sygeundervisning hjemme to gange om ugen' });
    expect(latest.phase).toBe('follow_up');
    await expectGetEqualsLatest();
  });

  it('when the case is escalated, then it is at level 1 with the reason recorded', async () => {
    latest = expectCase(await api.escalate(caseId, { reason: 'Ingen effekt af indsatserne; sagen går til ressourceteamet' }));
    expect(latest.escalationLevel).toBe(1);
    expect(latest.escalations).toEqual([
      { level: 1, reason: 'Ingen effekt af indsatserne; sagen går til ressourceteamet', on: today, via: 'escalation' },
    ]);
    await expectGetEqualsLatest();
  });

  it('when cases are listed with schoolId, phase and tovholder filters, then exactly the matching cases are listed and a case at another school is not', async () => {
    const sibling = await openCase(api, { schoolId, tovholder: 'tovholder-bo', pupilRef: 'P-1002' });
    const elsewhere = await openCase(api, { schoolId: otherSchoolId, tovholder, pupilRef: 'P-1003' });

    const idsOf = async (query: Record<string, string>) => {
      const answer = await api.list(query);
      expect(answer.status).toBe(200);
      const items = answer.body.items.map((item) => caseSummary.strict().parse(item));
      return items.map((item) => item.caseId).sort();
    };

    expect(await idsOf({ schoolId })).toEqual([caseId, sibling.caseId].sort());
    expect(await idsOf({ schoolId, phase: 'follow_up' })).toEqual([caseId]);
    expect(await idsOf({ schoolId, phase: 'mapping' })).toEqual([sibling.caseId]);
    expect(await idsOf({ schoolId, tovholder })).toEqual([caseId]);
    expect(await idsOf({ schoolId, tovholder: 'tovholder-bo' })).toEqual([sibling.caseId]);
    expect(await idsOf({ schoolId, phase: 'follow_up', tovholder })).toEqual([caseId]);
    expect(await idsOf({ schoolId, phase: 'mapping', tovholder })).toEqual([]);
    expect(await idsOf({ schoolId, phase: 'closed' })).toEqual([]);
    expect(await idsOf({ schoolId: otherSchoolId })).toEqual([elsewhere.caseId]);
    expect(await idsOf({ tovholder })).toEqual(expect.arrayContaining([caseId, elsewhere.caseId]));

    const summary = (await api.list({ schoolId, tovholder })).body.items[0];
    expect(summary).toMatchObject({
      caseId,
      pupilRef: 'P-1001',
      schoolId,
      grade: 7,
      tovholder,
      openedOn,
      phase: 'follow_up',
      escalationLevel: 1,
      nextDueOn: onOrNextSchoolDay(addDays(today, 70)),
      overdueSteps: 0,
    });
    // An instant with its offset (API.md conventions).
    expect((summary as { updatedAt: string }).updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  });

  it('when the case is closed, then its phase is closed, the closure is recorded and every pending step is cancelled', async () => {
    const body = closureBody();
    latest = expectCase(await api.close(caseId, body));
    expect(latest.phase).toBe('closed');
    expect(latest.closure).toEqual({ ...body, closedOn: today });
    expect(stepOf(latest, 'follow_up_2')?.status).toBe('cancelled');
    expect(latest.steps.filter((step) => step.status !== 'done').map((step) => [step.stepId, step.status])).toEqual([
      ['follow_up_2', 'cancelled'],
    ]);
    expect(latest.nextFollowUpDue).toBeUndefined();
    expect(latest.history.at(-1)?.phase).toBe('closed');
    await expectGetEqualsLatest();

    const listed = await api.list({ schoolId, phase: 'closed' });
    expect(listed.body.items).toEqual([expect.objectContaining({ caseId, phase: 'closed', nextDueOn: null })]);
  });

  it('when anything is posted to the closed case, then every action answers 409 and the case stays as it was closed', async () => {
    const reviews = reviewsOfPlan(latest);
    const attempts = [
      () => api.complete(caseId, 'class_community', {}),
      () => api.complete(caseId, 'follow_up_2', {}),
      () => api.assess(caseId, { decision: 'close', rationale: 'Igen' }),
      () => api.plan(caseId, { measures: threeTrackMeasures() }),
      () => api.followUp(caseId, { heldOn: today, reviews, outcome: 'continue' }),
      () => api.escalate(caseId, { reason: 'For sent' }),
      () => api.close(caseId, closureBody()),
    ];
    for (const attempt of attempts) {
      expectProblem(await attempt(), 409);
    }
    await expectGetEqualsLatest();
  });
});
