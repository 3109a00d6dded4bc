/**
 * The queueNotices activity against a real database of each kind: the right notice for the
 * right role from what the case machine announces, and a retried activity queues once. Queueing
 * talks to no mail server (none exists in these tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoticeActivities, type QueueNoticesInput } from '../../src/activities/noticeActivities';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/databases';
import { caseTimeline } from '../../src/readModel';
import { phaseDurations } from '../../src/readModel/phaseDurations';
import { MEASURES, caseIdOf, openCase, step, type Walked } from './cases';

const OPENED_ON = '2026-11-02'; // a Monday: tracks B and C due Fri 13 Nov, A and the assessment Fri 20 Nov
const LONG_AFTER = '2026-12-01T09:00:00Z'; // 12 school days after 13 Nov, 7 after 20 Nov
const DUE_SOON_DAY = '2026-11-11T09:00:00Z'; // two school days before 13 Nov

interface NoticeRow extends Record<string, unknown> {
  kind: string;
  role: string;
  tovholder: string | null;
  step_id: string | null;
  urgent: boolean;
  status: string;
  attempts: number;
  source_seq: number;
  facts: Record<string, unknown>;
  recipient: string | null;
}

describe.each(DATABASE_KINDS)('queueing notices, on %s', (kind) => {
  let t: TestDatabase;
  let store: CaseStore;
  let caseNumber = 0;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    store = createCaseStore(t.db);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  /** A case of its own, recorded in the read model as the workflow's first activity would. */
  async function recorded(make: (caseId: string) => Walked): Promise<QueueNoticesInput> {
    caseNumber += 1;
    const caseId = caseIdOf(1000 + caseNumber);
    const walk = make(caseId);
    await store.recordCaseEvents(caseId, walk.view.history, walk.view);
    return { caseId, events: walk.announced, view: walk.view };
  }

  const noticesOf = (caseId: string) =>
    t.db.query<NoticeRow>(
      `SELECT kind, role, tovholder, step_id, urgent, status, attempts, source_seq, facts, recipient
         FROM notices WHERE case_id = $1 ORDER BY source_seq`,
      [caseId],
    );

  const activities = () => createNoticeActivities({ db: t.db, now: () => new Date(LONG_AFTER) });

  it('when a case entered on its opening day has its steps long overdue, then its tovholder is told of each overdue step and the school leader of each more than ten school days late', async () => {
    const input = await recorded((caseId) => openCase({ caseId, schoolId: 'S1', openedOn: OPENED_ON, at: LONG_AFTER }));
    await expect(activities().queueNotices(input)).resolves.toEqual({ queued: 6 });

    const rows = await noticesOf(input.caseId);
    const forTovholder = rows.filter((row) => row.role === 'tovholder');
    expect(forTovholder.map((row) => [row.kind, row.step_id]).sort()).toEqual([
      ['step_overdue', 'assessment'],
      ['step_overdue', 'class_community'],
      ['step_overdue', 'parent_conversation'],
      ['step_overdue', 'pupil_conversation'],
    ]);
    expect(forTovholder.every((row) => row.tovholder === 'tovholder-kim' && !row.urgent)).toBe(true);
    // 13 November + 10 school days is 27 November: by 1 December tracks B and C are 12 school days late.
    const forLeader = rows.filter((row) => row.role === 'leader');
    expect(forLeader.map((row) => [row.kind, row.step_id, row.facts.schoolDaysLate]).sort()).toEqual([
      ['step_overdue_leader', 'parent_conversation', 12],
      ['step_overdue_leader', 'pupil_conversation', 12],
    ]);
    // Queued, not sent: pending, never tried, the address left to delivery.
    expect(rows.every((row) => row.status === 'pending' && row.attempts === 0 && row.recipient === null)).toBe(true);
    expect(rows.find((row) => row.step_id === 'class_community')?.facts).toMatchObject({
      dueOn: '2026-11-20',
      stepTitle: expect.stringContaining('spor A'),
    });
  });

  it('when a paper case is entered two months late and its steps are completed with their real dates, on time, then no notice is queued and its timeline shows nothing overdue', async () => {
    const openedOn = '2026-09-07'; // a Monday; entered on 9 November, nine weeks later
    const entered = '2026-11-09T09:00:00Z';
    const input = await recorded((caseId) => {
      let walk = openCase({ caseId, schoolId: 'S-PAPER', openedOn, at: entered, enteredLate: true });
      const all = [...walk.announced];
      const then = (event: Parameters<typeof step>[1]) => {
        walk = step(walk, event);
        all.push(...walk.announced);
      };
      then({ type: 'step.complete', stepId: 'pupil_conversation', completedOn: '2026-09-15', at: '2026-11-09T09:05:00Z' });
      then({ type: 'step.complete', stepId: 'parent_conversation', completedOn: '2026-09-18', at: '2026-11-09T09:06:00Z' });
      then({ type: 'step.complete', stepId: 'class_community', completedOn: '2026-09-24', at: '2026-11-09T09:07:00Z' });
      then({ type: 'assessment.decide', decision: 'action_plan', rationale: 'Behov for en plan', decidedOn: '2026-09-25', at: '2026-11-09T09:08:00Z' });
      const measures = MEASURES.map((measure) => ({ ...measure, startsOn: '2026-10-01', reviewOn: '2026-10-20' }));
      then({ type: 'plan.submit', measures, adoptedOn: '2026-10-01', at: '2026-11-09T09:09:00Z' });
      const reviews = ['M1', 'M2', 'M3'].map((measureId) => ({ measureId, done: true, effect: 'some' as const, action: 'keep' as const }));
      then({ type: 'followUp.record', heldOn: '2026-10-22', reviews, outcome: 'continue', at: '2026-11-09T09:10:00Z' });
      return { ...walk, announced: all };
    });
    // The machine still saw the deadlines pass when the case came in...
    expect(input.events.filter((entry) => entry.event === 'step_overdue').length).toBeGreaterThan(0);
    // ...but none had passed while the service knew the case, and every step was done in time.
    await expect(activities().queueNotices(input)).resolves.toEqual({ queued: 0 });
    expect(await noticesOf(input.caseId)).toEqual([]);
    expect(input.view.steps.filter((candidate) => candidate.status === 'done').map((candidate) => candidate.stepId)).toEqual([
      'class_community',
      'pupil_conversation',
      'parent_conversation',
      'assessment',
      'action_plan',
      'follow_up_1',
    ]);
    await store.recordCaseEvents(input.caseId, input.view.history, input.view);
    const timeline = await caseTimeline(t.db, input.caseId, '2026-11-09');
    expect(timeline?.events.map((event) => event.type)).not.toContain('step_overdue');
    expect(timeline?.events.map((event) => event.type)).not.toContain('step_overdue_leader');
    expect(timeline?.events.filter((event) => event.type === 'step_done')).toHaveLength(6);
    // The analytics count each step by its real date: every one was done on time.
    const figures = await phaseDurations(t.db, { schoolId: 'S-PAPER' }, '2026-11-09');
    expect(figures.stepsOnTimeRate).toBe(1);
  });

  it('when a paper case is entered late with a step still not done, then the deadline that passed before it was entered raises no notice, but one passing afterwards does', async () => {
    const input = await recorded((caseId) => {
      // Opened 2 November, entered 16 November: B and C were due 13 November, A and the assessment 20 November.
      const walk = openCase({ caseId, schoolId: 'S1', openedOn: OPENED_ON, at: '2026-11-16T09:00:00Z', enteredLate: true });
      const later = step(walk, { type: 'clock.tick', at: '2026-11-23T09:00:00Z' });
      return { ...later, announced: [...walk.announced, ...later.announced] };
    });
    await activities().queueNotices(input);
    const rows = await noticesOf(input.caseId);
    expect(rows.map((row) => [row.kind, row.step_id]).sort()).toEqual([
      ['step_overdue', 'assessment'],
      ['step_overdue', 'class_community'],
    ]);
  });

  it('when steps become due soon, then the tovholder gets a due-soon notice for each and no one else is told', async () => {
    const input = await recorded((caseId) => openCase({ caseId, schoolId: 'S1', openedOn: OPENED_ON, at: DUE_SOON_DAY }));
    await expect(activities().queueNotices(input)).resolves.toEqual({ queued: 2 });
    const rows = await noticesOf(input.caseId);
    expect(rows.map((row) => [row.kind, row.role, row.step_id])).toEqual([
      ['step_due_soon', 'tovholder', 'pupil_conversation'],
      ['step_due_soon', 'tovholder', 'parent_conversation'],
    ]);
  });

  it('when the case is escalated, then the resource team gets one urgent notice with the level, and not the reason typed', async () => {
    const input = await recorded((caseId) => {
      const opened = openCase({ caseId, schoolId: 'S1', openedOn: '2026-11-30', at: '2026-11-30T09:00:00Z' });
      return step(opened, { type: 'escalate', reason: 'Emma Hansen kommer stadig ikke i skole', at: '2026-12-01T09:00:00Z' });
    });
    await expect(activities().queueNotices(input)).resolves.toEqual({ queued: 1 });
    const [row] = await noticesOf(input.caseId);
    expect(row).toMatchObject({ kind: 'escalation', role: 'resource_team', urgent: true, tovholder: null, step_id: null });
    expect(row?.facts).toEqual({ on: '2026-12-01', level: 1, via: 'escalation' });
    expect(JSON.stringify(row)).not.toContain('Emma');
  });

  it('when the plan is adopted and the follow-up window opens, then the tovholder is told, pointing at the first follow-up', async () => {
    const input = await recorded((caseId) => {
      let walk = openCase({ caseId, schoolId: 'S1', openedOn: OPENED_ON, at: '2026-11-03T09:00:00Z' });
      for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
        walk = step(walk, { type: 'step.complete', stepId, at: '2026-11-10T09:00:00Z' });
      }
      walk = step(walk, { type: 'assessment.decide', decision: 'action_plan', rationale: 'Behov for en plan', at: '2026-11-16T09:00:00Z' });
      return step(walk, { type: 'plan.submit', measures: [...MEASURES], at: '2026-11-24T09:00:00Z' });
    });
    await expect(activities().queueNotices(input)).resolves.toEqual({ queued: 1 });
    const [row] = await noticesOf(input.caseId);
    expect(row).toMatchObject({ kind: 'follow_up_window_open', role: 'tovholder', step_id: 'follow_up_1', urgent: false });
    // The first follow-up is due at the end of week 7: Friday 18 December.
    expect(row?.facts).toMatchObject({ firstFollowUpDue: '2026-12-18' });
  });

  it('when the activity is retried with the same entries, then every notice is queued once', async () => {
    const input = await recorded((caseId) => openCase({ caseId, schoolId: 'S1', openedOn: OPENED_ON, at: LONG_AFTER }));
    const { queueNotices } = activities();
    await expect(queueNotices(input)).resolves.toEqual({ queued: 6 });
    await expect(queueNotices(input)).resolves.toEqual({ queued: 0 });
    expect(await noticesOf(input.caseId)).toHaveLength(6);
  });

  it('when two attempts of the activity run at the same time, then every notice is still queued once', async () => {
    const input = await recorded((caseId) => openCase({ caseId, schoolId: 'S1', openedOn: OPENED_ON, at: LONG_AFTER }));
    const results = await Promise.all([activities().queueNotices(input), activities().queueNotices(input)]);
    expect(results.map((result) => result.queued).reduce((a, b) => a + b, 0)).toBe(6);
    expect(await noticesOf(input.caseId)).toHaveLength(6);
  });

  it('when the entries call for no notice (opening on time, steps done), then nothing is queued', async () => {
    const input = await recorded((caseId) => openCase({ caseId, schoolId: 'S1', openedOn: '2026-11-30', at: '2026-11-30T09:00:00Z' }));
    expect(input.events.map((entry) => entry.event)).toEqual(['opened', 'phase_entered']);
    await expect(activities().queueNotices(input)).resolves.toEqual({ queued: 0 });
    expect(await noticesOf(input.caseId)).toEqual([]);
  });

  it('when notices are queued, then the dispatcher is woken, and a waker that fails does not fail the activity', async () => {
    const input = await recorded((caseId) => openCase({ caseId, schoolId: 'S1', openedOn: OPENED_ON, at: LONG_AFTER }));
    let wakes = 0;
    const { queueNotices } = createNoticeActivities({
      db: t.db,
      onQueued: () => {
        wakes += 1;
        return Promise.reject(new Error('no dispatcher running'));
      },
      warn: () => undefined,
    });
    await expect(queueNotices(input)).resolves.toEqual({ queued: 6 });
    await expect(queueNotices(input)).resolves.toEqual({ queued: 0 });
    expect(wakes).toBe(1);
  });
});
