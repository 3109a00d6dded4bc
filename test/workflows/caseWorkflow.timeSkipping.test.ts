/**
 * The case workflow on Temporal's time-skipping test server: months of a case pass in seconds,
 * and the deadline events land in the read model at the simulated time they fall due.
 */
import { randomUUID } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import { addDays, danishDateOf, dayOfWeek } from '../../src/domain/dates';
import type { CaseView } from '../../src/domain/schemas';
import { workflowIdForCase } from '../../src/temporal/names';
import { createCaseWorker } from '../../src/worker';
import { caseWorkflow } from '../../src/workflows';
import {
  caseViewQuery,
  closeCaseUpdate,
  completeStepUpdate,
  decideAssessmentUpdate,
  recordFollowUpUpdate,
  submitPlanUpdate,
  type CaseAck,
} from '../../src/workflows/definitions';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { createTimeSkippingEnv, loadWorkflowBundle, TEST_DATA_CONVERTER, uniqueTaskQueue } from '../support/temporal';

const DAY_MS = 86_400_000;

/** Mon–Fri counted by hand, independent of the calendar module under test. */
function weekdaysAfter(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    const weekday = dayOfWeek(day);
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

describe('a case on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let database: TestDatabase;
  let store: CaseStore;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('time-skipping');

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    database = await createTestDatabase('pglite');
    store = createCaseStore(database.db);
    worker = await createCaseWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      activities: createActivities({ store, db: database.db }),
      workflowBundle: loadWorkflowBundle(),
      dataConverter: TEST_DATA_CONVERTER,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await database?.cleanup();
    await env?.teardown();
  });

  const today = async () => danishDateOf(await env.currentTimeMs());

  it('when a case runs from opening to closure over more than six months, then every deadline event is recorded on the simulated day it fell due', async () => {
    const caseId = randomUUID();
    const openedOn = await today();
    const handle = await env.client.workflow.start(caseWorkflow, {
      taskQueue,
      workflowId: workflowIdForCase(caseId),
      args: [
        {
          kind: 'open',
          caseId,
          input: { pupilRef: 'P-100', schoolId: 'S1', grade: 5, tovholder: 'tovholder-a', openedOn, concern: { source: 'staff' } },
        },
      ],
    });
    // An update answers with an acknowledgement; the view is the workflow's own, asked right after.
    const update = async <I>(def: UpdateDefinition<CaseAck, [I], string>, input: I): Promise<CaseView> => {
      await handle.executeUpdate(def, { args: [input] });
      return handle.query(caseViewQuery);
    };

    // Track B and C done early; track A is left until after its deadline.
    await update(completeStepUpdate, { stepId: 'pupil_conversation' });
    await update(completeStepUpdate, { stepId: 'parent_conversation' });

    let view = await handle.query(caseViewQuery);
    const classCommunityDue = view.steps.find((step) => step.stepId === 'class_community')!.dueOn;

    await env.sleep(22 * DAY_MS);
    view = await handle.query(caseViewQuery);
    expect(view.steps.find((step) => step.stepId === 'class_community')!.status).toBe('overdue');

    await update(completeStepUpdate, { stepId: 'class_community' });
    await update(decideAssessmentUpdate, { decision: 'action_plan', rationale: 'Fraværet kræver en handleplan' });
    const planDay = await today();
    const measure = (track: 'pupil_parents' | 'community' | 'teaching') => ({
      track,
      description: `Indsats i sporet ${track}`,
      responsible: 'klasseteamet',
      startsOn: planDay,
      reviewOn: addDays(planDay, 28),
    });
    view = await update(submitPlanUpdate, { measures: [measure('pupil_parents'), measure('community'), measure('teaching')] });
    expect(view.phase).toBe('follow_up');

    // Follow-ups every 8–12 weeks until more than six months have passed.
    const reviews = view.plan!.measures.map((m) => ({ measureId: m.measureId, done: true, effect: 'some' as const, action: 'keep' as const }));
    for (let round = 0; round < 3; round += 1) {
      const due = (await handle.query(caseViewQuery)).nextFollowUpDue!;
      const untilDue = Date.parse(`${due}T12:00:00Z`) - (await env.currentTimeMs());
      if (untilDue > 0) await env.sleep(untilDue);
      const heldOn = await today();
      view = await update(recordFollowUpUpdate, {
        heldOn,
        reviews,
        outcome: round === 2 ? 'propose_closure' : 'continue',
        nextFollowUpOn: addDays(heldOn, round === 0 ? 84 : 70),
        // Week 7 can come before the plan's first review date: such a follow-up says why it is early.
        ...(heldOn < addDays(planDay, 28) ? { earlyReason: 'Holdt ved fristen for første opfølgning' } : {}),
      });
    }
    expect(view.followUps).toHaveLength(3);
    expect((await today()) >= addDays(openedOn, 183)).toBe(true);

    const result = handle.result();
    await update(closeCaseUpdate, {
      criteria: {
        regularAttendance: true,
        wellbeingImproving: true,
        communityChallengesReduced: true,
        pupilMotivated: true,
        partiesAgree: true,
        measuresToKeep: ['Trivselssamtaler hver fjortende dag'],
      },
      relapsePreventionPlan: 'Klasselæreren holder øje med fraværet efter ferier.',
      bridging: { decision: 'civil_society', note: 'Fodboldklub' },
    });
    const closed = await result;
    expect(closed.phase).toBe('closed');

    // The read model holds the whole story, with deadline events at their simulated times.
    const stored = await store.getCase(caseId);
    expect(stored?.phase).toBe('closed');
    const events = await database.db.query<{ type: string; step_id: string | null; at: string }>(
      `SELECT type, step_id, at::text AS at FROM case_events WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
    const overdue = events.find((event) => event.type === 'step_overdue' && event.step_id === 'class_community');
    expect(overdue).toBeDefined();
    expect(danishDateOf(overdue!.at)).toBe(addDays(classCommunityDue, 1));
    const dueSoon = events.find((event) => event.type === 'step_due_soon' && event.step_id === 'class_community');
    expect(dueSoon).toBeDefined();
    expect(weekdaysAfter(danishDateOf(dueSoon!.at), classCommunityDue)).toBe(3);
    expect(events.filter((event) => event.type === 'step_overdue' && event.step_id === 'class_community')).toHaveLength(1);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['opened', 'plan_revision', 'follow_up', 'closed']));
    expect(events.filter((event) => event.type === 'phase_entered')).toHaveLength(4);

    // The tovholder's notice of the overdue step was queued from that event, once.
    const notices = await database.db.query<{ kind: string; role: string; step_id: string | null; on_date: string }>(
      `SELECT n.kind, n.role, n.step_id, e.on_date
         FROM notices n JOIN case_events e ON e.case_id = n.case_id AND e.seq = n.source_seq
        WHERE n.case_id = $1 AND n.step_id = 'class_community'
        ORDER BY n.source_seq`,
      [caseId],
    );
    expect(notices.map((notice) => [notice.kind, notice.role])).toEqual([
      ['step_due_soon', 'tovholder'],
      ['step_overdue', 'tovholder'],
    ]);
    expect(notices[1]?.on_date).toBe(addDays(classCommunityDue, 1));
  });
});
