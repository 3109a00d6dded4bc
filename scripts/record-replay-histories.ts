/**
 * `npm run replay:record`: runs a handful of representative cases on a throw-away Temporal dev
 * server and writes their histories to test/fixtures/histories/<name>.json, which the replay
 * test (test/workflows/replay.test.ts) replays against the current workflow code on every run.
 *
 * Record only when adding a fixture for new behaviour (gated with `patched()`); never re-record
 * existing fixtures to make a failing replay pass: they stand for cases already running.
 *
 *   npm run replay:record                 # writes only fixtures that do not exist yet
 *   npm run replay:record -- --overwrite  # rewrites them all (e.g. a new scenario set)
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../src/activities/index';
import { createCaseStore, openDatabase } from '../src/db/index';
import { defaultDanishCalendar } from '../src/domain/danishHolidays';
import { danishDateOf } from '../src/domain/dates';
import type { CaseView } from '../src/domain/schemas';
import { startDevServer } from '../src/temporal/devServer';
import { workflowIdForCase } from '../src/temporal/names';
import { caseWorkflow, type CaseWorkflowOptions } from '../src/workflows/index';
import {
  caseViewQuery,
  closeCaseUpdate,
  completeStepUpdate,
  decideAssessmentUpdate,
  escalateUpdate,
  recomputeDeadlinesUpdate,
  recordFollowUpUpdate,
  recordedViewUpdate,
  submitPlanUpdate,
  type CaseAck,
} from '../src/workflows/definitions';
import { createCaseWorker } from '../src/worker';
import { TEMPORAL_CLI, TEMPORAL_TEST_SERVER } from '../test/support/paths';
import { historyToFixtureJSON, REPLAY_DATA_CONVERTER, REPLAY_FIXTURES_DIR } from '../test/support/replay';

const { values: flags } = parseArgs({ options: { overwrite: { type: 'boolean', default: false } } });

const NAMESPACE = 'default';
const TASK_QUEUE = 'replay-record';

const today = danishDateOf(Date.now());
function daysAgo(days: number): string {
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

type Handle = WorkflowHandle<typeof caseWorkflow>;
interface Scenario {
  name: string;
  options?: CaseWorkflowOptions;
  openedDaysAgo: number;
  /** Drives the case; returns the handle whose runs are written out (all runs of the workflow). */
  run(handle: Handle, act: Act): Promise<void>;
}
type Act = <I>(update: UpdateDefinition<CaseAck, [I], string>, input: I, updateId?: string) => Promise<CaseView>;

const CASE_INPUT = {
  pupilRef: 'P-REPLAY',
  schoolId: 'S-REPLAY',
  grade: 6,
  tovholder: 'tovholder-replay',
  concern: { source: 'parents' as const, note: 'Optaget til replay-test' },
};

const measures = (on: string, review: string) =>
  (['pupil_parents', 'community', 'teaching'] as const).map((track) => ({
    track,
    description: `Indsats i sporet ${track}`,
    responsible: 'Klasseteamet',
    startsOn: on,
    reviewOn: review,
  }));
const criteria = {
  regularAttendance: true,
  wellbeingImproving: true,
  communityChallengesReduced: true,
  pupilMotivated: true,
  partiesAgree: true,
  measuresToKeep: ['Fast morgenmøde'],
};

/** Each scenario covers a phase or a mechanism a running case may be in when new code deploys. */
const scenarios: Scenario[] = [
  {
    // Mapping, one track done, a refused action (no trace) and a retried request (applied once).
    name: 'mapping-in-progress',
    openedDaysAgo: 2,
    async run(handle, act) {
      await act(completeStepUpdate, { stepId: 'pupil_conversation', note: 'Eleven ønsker en fast voksen' }, 'rec-1');
      await act(completeStepUpdate, { stepId: 'pupil_conversation', note: 'Eleven ønsker en fast voksen' }, 'rec-1');
      await act(decideAssessmentUpdate, { decision: 'action_plan', rationale: 'For tidligt' }).catch((error: unknown) => {
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      });
      await handle.executeUpdate(recordedViewUpdate);
    },
  },
  {
    // Back-dated: every mapping deadline has passed, so the timer fires clock events (overdue).
    name: 'mapping-overdue',
    openedDaysAgo: 40,
    async run(handle, act) {
      await act(completeStepUpdate, { stepId: 'class_community', completedOn: daysAgo(30) });
      await handle.executeUpdate(recordedViewUpdate);
    },
  },
  {
    // Through assessment and plan into follow-up, with a follow-up, a plan revision and deadlines recomputed.
    name: 'follow-up-running',
    openedDaysAgo: 150,
    async run(handle, act) {
      for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
        await act(completeStepUpdate, { stepId, completedOn: daysAgo(140) });
      }
      await act(decideAssessmentUpdate, { decision: 'action_plan', rationale: 'Fraværet kræver en handleplan', decidedOn: daysAgo(135) });
      let view = await act(submitPlanUpdate, { measures: measures(daysAgo(130), daysAgo(100)), adoptedOn: daysAgo(130) });
      const reviews = (view.plan?.measures ?? []).map((m) => ({ measureId: m.measureId, done: true, effect: 'some' as const, action: 'keep' as const }));
      view = await act(recordFollowUpUpdate, { heldOn: daysAgo(75), reviews, outcome: 'revise_plan', nextFollowUpOn: daysAgo(15) });
      await act(submitPlanUpdate, { measures: measures(daysAgo(70), daysAgo(40)), adoptedOn: daysAgo(70) });
      await act(recomputeDeadlinesUpdate, { calendar: defaultDanishCalendar(Number(today.slice(0, 4)) - 1, Number(today.slice(0, 4)) + 1) });
      await handle.executeUpdate(recordedViewUpdate);
    },
  },
  {
    // Escalation up the ladder to level 3, growing the history past its limit: continue-as-new.
    name: 'escalations-continue-as-new',
    openedDaysAgo: 10,
    options: { maxHistoryEventsPerRun: 30 },
    async run(handle, act) {
      await act(completeStepUpdate, { stepId: 'pupil_conversation' });
      for (let level = 1; level <= 3; level += 1) {
        await act(
          escalateUpdate,
          { reason: `Niveau ${level}`, ...(level === 3 ? { externalResources: ['boerne_og_familieafdelingen' as const] } : {}) },
          `esc-${level}`,
        );
      }
      await act(completeStepUpdate, { stepId: 'parent_conversation' });
      // After continue-as-new: the same update id is recognised and not applied twice.
      await act(escalateUpdate, { reason: 'Niveau 2' }, 'esc-2');
      await handle.executeUpdate(recordedViewUpdate);
    },
  },
  {
    // Recorded with the one effect step (patch 'one-effect-step'): overdue deadlines fire clock
    // events, actions through assessment, plan and an escalation, across continue-as-new.
    name: 'one-effect-step',
    openedDaysAgo: 40,
    options: { maxHistoryEventsPerRun: 25 },
    async run(handle, act) {
      for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
        await act(completeStepUpdate, { stepId, completedOn: daysAgo(30) }, `one-${stepId}`);
      }
      await act(decideAssessmentUpdate, { decision: 'action_plan', rationale: 'Handleplan', decidedOn: daysAgo(28) });
      await act(submitPlanUpdate, { measures: measures(daysAgo(25), daysAgo(5)), adoptedOn: daysAgo(25) });
      await act(escalateUpdate, { reason: 'Niveau 1' }, 'one-esc-1');
      // Retried after continue-as-new: applied once.
      await act(completeStepUpdate, { stepId: 'class_community', completedOn: daysAgo(30) }, 'one-class_community').catch((error: unknown) => {
        if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      });
      await handle.executeUpdate(recordedViewUpdate);
    },
  },
  {
    // Recorded with the timer kept while an action leaves the next deadline where it was (patch
    // 'deadline-timer-kept'): overdue deadlines tick at once, steps done that keep and that move
    // the deadline, an escalation, the assessment and the plan, across continue-as-new.
    name: 'deadline-timer-kept',
    openedDaysAgo: 12,
    options: { maxHistoryEventsPerRun: 30 },
    async run(handle, act) {
      await act(completeStepUpdate, { stepId: 'class_community' }, 'kept-class_community');
      await act(completeStepUpdate, { stepId: 'pupil_conversation' }, 'kept-pupil_conversation');
      await act(escalateUpdate, { reason: 'Niveau 1' }, 'kept-esc-1');
      await act(completeStepUpdate, { stepId: 'parent_conversation' }, 'kept-parent_conversation');
      await act(decideAssessmentUpdate, { decision: 'action_plan', rationale: 'Handleplan' });
      await act(submitPlanUpdate, { measures: measures(today, daysAgo(-30)), adoptedOn: today });
      await handle.executeUpdate(recordedViewUpdate);
    },
  },
  {
    // The whole way to closure: the workflow completes.
    name: 'closed',
    openedDaysAgo: 260,
    async run(handle, act) {
      for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
        await act(completeStepUpdate, { stepId, completedOn: daysAgo(250) });
      }
      await act(decideAssessmentUpdate, { decision: 'action_plan', rationale: 'Handleplan', decidedOn: daysAgo(245) });
      const view = await act(submitPlanUpdate, { measures: measures(daysAgo(240), daysAgo(200)), adoptedOn: daysAgo(240) });
      const reviews = (view.plan?.measures ?? []).map((m) => ({ measureId: m.measureId, done: true, effect: 'clear' as const, action: 'keep' as const }));
      await act(recordFollowUpUpdate, { heldOn: daysAgo(190), reviews, outcome: 'continue', nextFollowUpOn: daysAgo(120) });
      await act(recordFollowUpUpdate, { heldOn: daysAgo(120), reviews, outcome: 'continue', nextFollowUpOn: daysAgo(50) });
      await act(recordFollowUpUpdate, { heldOn: daysAgo(50), reviews, outcome: 'propose_closure' });
      await act(closeCaseUpdate, {
        criteria,
        relapsePreventionPlan: 'Ugentlig kontakt med forældrene',
        bridging: { decision: 'civil_society', note: 'Fodboldklubben' },
        closedOn: daysAgo(40),
      });
      await handle.result();
    },
  },
  {
    // Mapping done, the assessment decides no action plan is needed: closed straight after.
    name: 'closed-at-assessment',
    openedDaysAgo: 30,
    async run(handle, act) {
      for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
        await act(completeStepUpdate, { stepId, completedOn: daysAgo(25) });
      }
      await act(decideAssessmentUpdate, { decision: 'close', rationale: 'Fraværet er ophørt', decidedOn: daysAgo(20) });
      await act(closeCaseUpdate, { criteria, relapsePreventionPlan: 'Opfølgning ved klasselæreren', bridging: { decision: 'none' }, closedOn: daysAgo(19) });
      await handle.result();
    },
  },
];

/**
 * Deadlines that pass while the case waits: recorded on the time-skipping test server, which
 * fires the case's timers weeks ahead in seconds (no updates here: they hang on that server).
 */
const TIMERS_FIXTURE = 'mapping-timers-fired';

async function recordTimersFired(): Promise<void> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    client: { dataConverter: REPLAY_DATA_CONVERTER },
    server: { executable: { type: 'existing-path', path: TEMPORAL_TEST_SERVER } },
  });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'replay-record-ts-'));
  const db = await openDatabase({ dataDir });
  try {
    const worker = await createCaseWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? NAMESPACE,
      taskQueue: TASK_QUEUE,
      activities: createActivities({ store: createCaseStore(db), db }),
      dataConverter: REPLAY_DATA_CONVERTER,
    });
    await worker.runUntil(async () => {
      const caseId = randomUUID();
      const handle = await env.client.workflow.start(caseWorkflow, {
        taskQueue: TASK_QUEUE,
        workflowId: workflowIdForCase(caseId),
        args: [{ kind: 'open', caseId, input: { ...CASE_INPUT, openedOn: danishDateOf(await env.currentTimeMs()) } }],
      });
      // Due soon, then overdue: four weeks of mapping deadlines pass.
      await env.sleep('28 days');
      await handle.query(caseViewQuery);
      const history = await handle.fetchHistory();
      const file = path.join(REPLAY_FIXTURES_DIR, `${TIMERS_FIXTURE}.json`);
      await writeFile(file, historyToFixtureJSON(history));
      console.log(`wrote ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)`);
    });
  } finally {
    await db.close();
    await env.teardown();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const recorded = (name: string) =>
    existsSync(path.join(REPLAY_FIXTURES_DIR, `${name}.json`)) || existsSync(path.join(REPLAY_FIXTURES_DIR, `${name}.run1.json`));
  const todo = scenarios.filter((s) => flags.overwrite || !recorded(s.name));
  const timersTodo = flags.overwrite || !recorded(TIMERS_FIXTURE);
  if (todo.length === 0 && !timersTodo) {
    console.log('every fixture exists already; --overwrite to record them again');
    return;
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  await mkdir(REPLAY_FIXTURES_DIR, { recursive: true });
  if (timersTodo) await recordTimersFired();
  if (todo.length === 0) return;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'replay-record-'));
  const server = await startDevServer({ dataDir, namespace: NAMESPACE, port: 0, ephemeral: true, headless: true, cliPath: TEMPORAL_CLI });
  const db = await openDatabase({ dataDir });
  try {
    const connection = await NativeConnection.connect({ address: server.address });
    const clientConnection = await Connection.connect({ address: server.address });
    const client = new Client({ connection: clientConnection, namespace: NAMESPACE, dataConverter: REPLAY_DATA_CONVERTER });
    const worker = await createCaseWorker({
      connection,
      namespace: NAMESPACE,
      taskQueue: TASK_QUEUE,
      activities: createActivities({ store: createCaseStore(db), db }),
      dataConverter: REPLAY_DATA_CONVERTER,
    });
    await worker.runUntil(async () => {
      for (const scenario of todo) {
        const caseId = randomUUID();
        const workflowId = workflowIdForCase(caseId);
        const handle = await client.workflow.start(caseWorkflow, {
          taskQueue: TASK_QUEUE,
          workflowId,
          args: [
            {
              kind: 'open',
              caseId,
              input: { ...CASE_INPUT, openedOn: daysAgo(scenario.openedDaysAgo) },
              ...(scenario.options ? { options: scenario.options } : {}),
            },
          ],
        });
        // An update answers with an acknowledgement; the scenarios read the view the case holds.
        const act: Act = async (update, input, updateId) => {
          await handle.executeUpdate(update, { args: [input], ...(updateId !== undefined ? { updateId } : {}) });
          return handle.query(caseViewQuery);
        };
        await scenario.run(handle, act);
        // Every run of the case, oldest first, following the continue-as-new chain: each run
        // replays from its own history.
        const histories = [];
        let runId: string | undefined = handle.firstExecutionRunId;
        while (runId !== undefined) {
          const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
          histories.push(history);
          runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
        }
        for (const [index, history] of histories.entries()) {
          const file = path.join(REPLAY_FIXTURES_DIR, `${scenario.name}${histories.length > 1 ? `.run${index + 1}` : ''}.json`);
          await writeFile(file, historyToFixtureJSON(history));
          console.log(`wrote ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)`);
        }
      }
    });
    await clientConnection.close();
    await connection.close();
  } finally {
    await db.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
