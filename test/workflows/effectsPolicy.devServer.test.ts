/**
 * The failure policy of a case's effect step, on the real dev server with the real PostgreSQL
 * and a real SMTP server. Faults are injected in the database the worker's activities use: the
 * effect step's write (its statement, or its transaction) does its real work and is then made to
 * fail, so PostgreSQL rolls it back for real; the error carries the SQLSTATE a real refusal or
 * outage would.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createCaseStore } from '../../src/db';
import type { CaseStore, Database } from '../../src/db/types';
import { danishDateOf } from '../../src/domain/dates';
import { createSmtpMailer } from '../../src/notices/mailer';
import { workflowIdForCase } from '../../src/temporal/names';
import { caseWorkflow, type CaseWorkflowOptions } from '../../src/workflows';
import { caseViewQuery, completeStepUpdate, effectsQuery, recordedViewUpdate } from '../../src/workflows/definitions';
import { startTestSmtpServer, type TestSmtpServer } from '../notices/smtp';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectTestTemporal, startTestWorker, uniqueTaskQueue, type TestTemporal, type TestWorker } from '../support/temporal';

/** What the next effect transactions are made to fail with: a SQLSTATE per transaction. */
interface Faults {
  next: string[];
  /** Fail every transaction with this SQLSTATE until cleared. */
  always?: string;
}

/** The effect step's write: one statement on its own, or the first of a transaction with letters or notices. */
const WRITES_CASE = /INSERT INTO cases/;

function faultyDatabase(db: Database, faults: Faults): Database {
  const fault = () => {
    const state = faults.next.shift() ?? faults.always;
    return state === undefined ? undefined : Object.assign(new Error('injected database failure'), { code: state });
  };
  return {
    kind: db.kind,
    // A step without letters or notices writes in one statement: it runs, then is rolled back.
    query<R extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      if (!WRITES_CASE.test(sql) || (faults.next.length === 0 && faults.always === undefined)) return db.query<R>(sql, params);
      return db.transaction(async (tx) => {
        const rows = await tx.query<R>(sql, params);
        const error = fault();
        if (error !== undefined) throw error;
        return rows;
      });
    },
    transaction: (work) =>
      db.transaction(async (tx) => {
        const result = await work(tx);
        const error = fault();
        // After the real work, so the rollback undoes real writes.
        if (error !== undefined) throw error;
        return result;
      }),
    close: () => db.close(),
  };
}

const ADMIN = 'drift@kommune.example.dk';
/** Inside the API's default request bound (REQUEST_WAIT_SECONDS, 10 s). */
const REQUEST_BOUND_MS = 10_000;

describe('when a case action’s effects fail', () => {
  let temporal: TestTemporal;
  let database: TestDatabase;
  let store: CaseStore;
  let smtp: TestSmtpServer;
  let worker: TestWorker | undefined;
  const faults: Faults = { next: [] };
  const taskQueue = uniqueTaskQueue('effects-policy');

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    database = await createTestDatabase('postgres');
    store = createCaseStore(database.db);
    smtp = await startTestSmtpServer();
    const db = faultyDatabase(database.db, faults);
    const mailer = createSmtpMailer({ url: smtp.url, from: 'Fraværsforløb <fravaer@kommune.example.dk>' });
    worker = await startTestWorker({
      connection: temporal.connection,
      activities: createActivities({ store, db, notices: { mailer }, effects: { alertTo: ADMIN, logError: () => undefined } }),
      taskQueue,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await smtp?.close();
    await database?.cleanup();
  });

  async function openCase(options?: CaseWorkflowOptions) {
    const caseId = randomUUID();
    const handle = await temporal.client.workflow.start(caseWorkflow, {
      taskQueue,
      workflowId: workflowIdForCase(caseId),
      args: [
        {
          kind: 'open',
          caseId,
          input: { pupilRef: 'P-SECRET-77', schoolId: 'S9', grade: 5, tovholder: 'tovholder-e', openedOn: danishDateOf(Date.now()), concern: { source: 'parents' } },
          ...(options ? { options } : {}),
        },
      ],
    });
    await handle.executeUpdate(recordedViewUpdate);
    return { caseId, handle };
  }

  /** Completes a step within the request bound; the case's view is then asked of the workflow (an update answers with an acknowledgement). */
  const complete = async (handle: Awaited<ReturnType<typeof openCase>>['handle'], stepId: string, updateId: string) => {
    await temporal.client.connection.withDeadline(Date.now() + REQUEST_BOUND_MS, () =>
      handle.executeUpdate(completeStepUpdate, { args: [{ stepId, completedOn: danishDateOf(Date.now()) }], updateId }),
    );
    return handle.query(caseViewQuery);
  };

  async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
    const error: unknown = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return cause as ApplicationFailure;
  }

  const recordedEvents = async (caseId: string) =>
    (await database.db.query<{ type: string; step_id: string | null }>('SELECT type, step_id FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId])).map(
      (row) => `${row.type}:${row.step_id ?? ''}`,
    );

  it('when the database refuses them for good, then the action answers "delayed" within the request bound, the next action is recorded, and the administrator is told at once', async () => {
    const { caseId, handle } = await openCase();
    faults.next.push('22P05');
    const failure = await failureOf(complete(handle, 'pupil_conversation', `a-${caseId}`));
    expect(failure.type).toBe('effects_delayed');
    expect(failure.details?.[0]).toMatchObject({ code: 'unavailable', retryAfterSeconds: 5 });

    // The case itself kept the action; the next one goes through and brings the row up to date.
    const view = await complete(handle, 'parent_conversation', `b-${caseId}`);
    expect(view.steps.filter((step) => step.status === 'done').map((step) => step.stepId).sort()).toEqual(['parent_conversation', 'pupil_conversation']);
    const stored = await store.getCase(caseId);
    expect(stored?.steps.filter((step) => step.status === 'done').map((step) => step.stepId).sort()).toEqual(['parent_conversation', 'pupil_conversation']);
    // The refused step's events were set aside (rolled back); the next step's are there.
    const events = await recordedEvents(caseId);
    expect(events).toContain('step_done:parent_conversation');
    expect(events).not.toContain('step_done:pupil_conversation');
    expect(await handle.query(effectsQuery)).toEqual({ pending: 0 });

    const [mail] = await smtp.waitFor((m) => m.text.includes(caseId), { timeoutMs: 20_000 });
    expect(mail?.to).toEqual([ADMIN]);
    expect(mail?.text).toContain('Databasen afviste hændelserne');
    expect(mail?.text).toContain('effects_refused');
    expect(mail?.text).not.toContain('P-SECRET-77');
  });

  it('when the database fails for a moment, then the action is retried and recorded, and it answers as usual', async () => {
    const { caseId, handle } = await openCase();
    // Two refused connections, then the database is back: within the step's bounded retries.
    faults.next.push('08006', '08006');
    const view = await complete(handle, 'pupil_conversation', `a-${caseId}`);
    expect(view.steps.find((step) => step.stepId === 'pupil_conversation')?.status).toBe('done');
    expect(faults.next).toEqual([]);
    expect(await recordedEvents(caseId)).toContain('step_done:pupil_conversation');
    expect((await store.getCase(caseId))?.steps.find((step) => step.stepId === 'pupil_conversation')?.status).toBe('done');
  });

  it('when the database stays down longer than the configured time, then later actions still answer, the administrator is told, and the case records everything once it is back', async () => {
    const { caseId, handle } = await openCase({ effectsAlertAfterMs: 1_000 });
    faults.always = '08006';
    try {
      const first = await failureOf(complete(handle, 'pupil_conversation', `a-${caseId}`));
      expect(first.type).toBe('effects_delayed');
      // A later action on the same case answers too (it is kept, and its effects wait as well).
      const second = await failureOf(complete(handle, 'parent_conversation', `b-${caseId}`));
      expect(second.type).toBe('effects_delayed');
      expect((await handle.query(effectsQuery)).pending).toBeGreaterThan(0);

      const [mail] = await smtp.waitFor((m) => m.text.includes(caseId), { timeoutMs: 30_000 });
      expect(mail?.to).toEqual([ADMIN]);
      expect(mail?.text).toContain('Der forsøges fortsat igen');
      expect(mail?.text).not.toContain('P-SECRET-77');
    } finally {
      delete faults.always;
    }
    // The case retries on its own timer: both actions' events arrive without another request.
    await expect.poll(() => recordedEvents(caseId), { timeout: 30_000, interval: 500 }).toEqual(
      expect.arrayContaining(['step_done:pupil_conversation', 'step_done:parent_conversation']),
    );
    expect(await handle.query(effectsQuery)).toEqual({ pending: 0 });
  });
});
