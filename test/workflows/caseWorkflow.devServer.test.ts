/**
 * The case workflow on a real Temporal dev server: continue-as-new keeps the case, a worker that
 * stops mid-case is replaced with nothing lost, and a rejected update leaves no trace.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import { danishDateOf } from '../../src/domain/dates';
import { workflowIdForCase } from '../../src/temporal/names';
import { caseWorkflow, type CaseWorkflowOptions } from '../../src/workflows';
import {
  caseViewQuery,
  completeStepUpdate,
  decideAssessmentUpdate,
  escalateUpdate,
  recordedViewUpdate,
} from '../../src/workflows/definitions';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectTestTemporal, startTestWorker, uniqueTaskQueue, type TestTemporal, type TestWorker } from '../support/temporal';

const { EventType } = proto.temporal.api.enums.v1;
const WORKFLOW_TASK_EVENTS = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
]);

describe('a case on the Temporal dev server', () => {
  let temporal: TestTemporal;
  let database: TestDatabase;
  let store: CaseStore;
  const taskQueue = uniqueTaskQueue('case-dev');
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    database = await createTestDatabase('postgres');
    store = createCaseStore(database.db);
  });

  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await database?.cleanup();
  });

  const startWorker = async () => {
    worker = await startTestWorker({ connection: temporal.connection, activities: createActivities({ store, db: database.db }), taskQueue });
    return worker;
  };

  async function openCase(options?: CaseWorkflowOptions) {
    const caseId = randomUUID();
    const handle = await temporal.client.workflow.start(caseWorkflow, {
      taskQueue,
      workflowId: workflowIdForCase(caseId),
      args: [
        {
          kind: 'open',
          caseId,
          input: {
            pupilRef: 'P-200',
            schoolId: 'S2',
            grade: 7,
            tovholder: 'tovholder-b',
            openedOn: danishDateOf(Date.now()),
            concern: { source: 'absence_data' },
          },
          ...(options ? { options } : {}),
        },
      ],
    });
    return { caseId, handle };
  }

  it('when a run continues as new, then the case, its history and the update IDs already applied carry over', async () => {
    await startWorker();
    const { caseId, handle } = await openCase({ maxHistoryEventsPerRun: 30 });
    const firstRunId = (await handle.describe()).runId;

    await handle.executeUpdate(completeStepUpdate, { args: [{ stepId: 'pupil_conversation', note: 'Eleven ønsker en fast voksen' }], updateId: 'u-b' });
    // Escalations grow the history until the run is past its limit and continues as new.
    for (let level = 1; level <= 3; level += 1) {
      const resources = level === 3 ? { externalResources: ['boerne_og_familieafdelingen' as const], withoutConsentReason: 'Forældrene giver samtykke på mødet' } : {};
      await handle.executeUpdate(escalateUpdate, { args: [{ reason: `Niveau ${level}`, ...resources }], updateId: `u-esc-${level}` });
    }
    await handle.executeUpdate(completeStepUpdate, { args: [{ stepId: 'parent_conversation' }], updateId: 'u-c' });

    await expect.poll(async () => (await handle.describe()).runId !== firstRunId, { timeout: 20_000 }).toBe(true);
    const latest = temporal.client.workflow.getHandle(workflowIdForCase(caseId));
    const recorded = await latest.executeUpdate(recordedViewUpdate);
    const view = await latest.query(caseViewQuery);
    expect(recorded).toEqual({ caseId, version: view.version });
    expect(view.escalationLevel).toBe(3);
    expect(view.steps.filter((step) => step.status === 'done').map((step) => step.stepId).sort()).toEqual([
      'parent_conversation',
      'pupil_conversation',
    ]);
    expect(view.history.map((entry) => entry.seq)).toEqual(view.history.map((_, index) => index + 1));

    // The same update ID after continue-as-new is not applied a second time.
    await latest.executeUpdate(escalateUpdate, { args: [{ reason: 'Niveau 1' }], updateId: 'u-esc-1' });
    const again = await latest.query(caseViewQuery);
    expect(again.escalations).toHaveLength(3);
    // And the read model saw each event once.
    const rows = await database.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'escalation'`,
      [caseId],
    );
    expect(rows[0]?.n).toBe(3);
  });

  it('when the worker stops mid-case and a new one starts, then the case goes on with nothing lost', async () => {
    if (worker === undefined) await startWorker();
    const { caseId, handle } = await openCase();
    await handle.executeUpdate(completeStepUpdate, { args: [{ stepId: 'class_community' }] });
    await handle.executeUpdate(completeStepUpdate, { args: [{ stepId: 'pupil_conversation' }] });

    await worker!.stop();
    worker = undefined;
    // While no worker runs, the action waits in Temporal instead of failing.
    const pending = handle.executeUpdate(completeStepUpdate, { args: [{ stepId: 'parent_conversation' }] });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await startWorker();
    const acknowledged = await pending;
    const afterMapping = await handle.query(caseViewQuery);
    expect(acknowledged.version).toBe(afterMapping.version);
    expect(afterMapping.steps.filter((step) => step.track !== undefined).every((step) => step.status === 'done')).toBe(true);

    await handle.executeUpdate(decideAssessmentUpdate, {
      args: [{ decision: 'action_plan', rationale: 'Kortlægningen viser behov for en plan' }],
    });
    const assessed = await handle.query(caseViewQuery);
    expect(assessed.phase).toBe('action_plan');
    const stored = await store.getCase(caseId);
    expect(stored?.phase).toBe('action_plan');
    expect(stored?.history.map((entry) => entry.event)).toEqual(assessed.history.map((entry) => entry.event));
  });

  it('when an update is rejected, then the workflow history has no trace of it and the case is unchanged', async () => {
    if (worker === undefined) await startWorker();
    const { handle } = await openCase();
    // Let the opening settle (its events recorded) so the history stops growing on its own.
    await handle.executeUpdate(recordedViewUpdate);
    const before = await handle.query(caseViewQuery);
    const historyBefore = (await handle.fetchHistory()).events?.length ?? 0;

    const rejected = handle.executeUpdate(decideAssessmentUpdate, { args: [{ decision: 'close', rationale: 'For tidligt' }] });
    await expect(rejected).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(rejected).rejects.toMatchObject({ cause: { type: 'not_allowed_now' } });
    const badShape = handle.executeUpdate(completeStepUpdate, { args: [{ stepId: 'class_community', completedOn: '2026-02-30' }] });
    await expect(badShape).rejects.toMatchObject({ cause: { type: 'invalid_input' } });

    expect(await handle.query(caseViewQuery)).toEqual(before);
    const historyAfter = (await handle.fetchHistory()).events ?? [];
    // Temporal may keep the workflow task that refused an update (scheduled, started, completed,
    // with no command in it); nothing of the update itself is kept.
    const added = historyAfter.slice(historyBefore).map((event) => event.eventType);
    expect(added.filter((type) => !WORKFLOW_TASK_EVENTS.has(type ?? EventType.EVENT_TYPE_UNSPECIFIED))).toEqual([]);
    const acceptedNames = historyAfter.map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name);
    expect(acceptedNames).not.toContain('decideAssessment');
    expect(acceptedNames).not.toContain('completeStep');
  });
});
