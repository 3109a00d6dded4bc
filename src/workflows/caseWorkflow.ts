/**
 * One durable workflow per case. It hosts the case machine, turns tovholder actions (updates)
 * into machine events, records what the machine announces through activities, and keeps the
 * next deadline on a durable timer. No Node built-ins here: this code runs in Temporal's sandbox.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { createActor } from 'xstate';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { SchoolCalendar } from '../domain/calendar';
import type { DomainError } from '../domain/errors';
import type { CaseView, HistoryEntry, OpenCaseInput } from '../domain/schemas';
import { parseWith } from '../domain/validation';
import {
  caseMachine,
  checkCommand,
  nextStatusChangeOn,
  toCaseView,
  availableActions,
  CASE_ACTIONS,
  RULES_VERSION,
  type CaseCommand,
  type DeadlineThresholds,
} from '../machines';
import { caseViewQuery, recomputeDeadlinesInput, recomputeDeadlinesUpdate, recordedViewUpdate, updateOf } from './definitions';

export interface CaseWorkflowOptions {
  /** Continue-as-new once a run's history has this many events (Temporal also suggests it). */
  maxHistoryEventsPerRun?: number;
}

export type CaseWorkflowArgs =
  | {
      kind: 'open';
      caseId: string;
      input: OpenCaseInput;
      calendar?: SchoolCalendar;
      thresholds?: DeadlineThresholds;
      options?: CaseWorkflowOptions;
    }
  | { kind: 'resume'; snapshot: unknown; appliedUpdateIds: string[]; options?: CaseWorkflowOptions };

/** Update IDs remembered across continue-as-new, so a retried request is applied once. */
const REMEMBERED_UPDATE_IDS = 1000;

const { recordCaseEvents, draftLetters, queueNotices } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // The read model may be down for a while; the case waits for it rather than losing events.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The instant the date's timer fires: early in that Danish day, whatever the season. */
function wakeInstantMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function toFailure(error: DomainError): ApplicationFailure {
  // The message is stored in plain text by Temporal: it names rules, never what a user typed.
  return ApplicationFailure.create({ type: error.code, message: error.detail, nonRetryable: true, details: [error] });
}

export async function caseWorkflow(args: CaseWorkflowArgs): Promise<CaseView> {
  const actor =
    args.kind === 'open'
      ? createActor(caseMachine, {
          input: {
            ...args.input,
            caseId: args.caseId,
            at: new Date().toISOString(),
            // A case opened on this code runs by the newest rules; one replaying its history from
            // before keeps the rules it ran by (no marker in that history).
            ...(patched('rules-version-2') ? { rulesVersion: RULES_VERSION } : {}),
            ...(args.calendar ? { calendar: args.calendar } : {}),
            ...(args.thresholds ? { thresholds: args.thresholds } : {}),
          },
        })
      : // A restored actor ignores its input; the snapshot carries the whole case.
        createActor(caseMachine, {
          snapshot: args.snapshot as never,
          input: undefined,
        });
  const appliedUpdateIds = args.kind === 'resume' ? [...args.appliedUpdateIds] : [];
  const options = args.options ?? {};

  const unrecorded: HistoryEntry[] = [];
  actor.on('case.recorded', ({ entry }) => unrecorded.push(entry));
  actor.start();

  const view = () => {
    const snapshot = actor.getSnapshot();
    return toCaseView(snapshot.context, availableActions(snapshot));
  };

  // Effects run one at a time, in the order the machine announced them.
  let recording: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    recording = recording.then(async () => {
      while (unrecorded.length > 0) {
        const events = unrecorded.splice(0, unrecorded.length);
        const recorded = { caseId: actor.getSnapshot().context.caseId, events, view: view() };
        await recordCaseEvents(recorded);
        // Letters are drafted from the same entries once they are recorded; the activity picks
        // those that call for one. Patched: cases started before this replay without it.
        if (patched('draft-letters')) await draftLetters(recorded);
        // Notices (due soon, overdue, escalations) go into the outbox from the same entries; the
        // dispatcher delivers them, so no mail server is waited on here. Patched likewise.
        if (patched('queue-notices')) await queueNotices(recorded);
      }
    });
    return recording;
  };

  let changes = 0;
  const alreadyApplied = () => {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && appliedUpdateIds.includes(id);
  };

  /** Registers one tovholder action: zod for shape, the machine for permission, then apply. */
  function handleCommand<I>(
    update: UpdateDefinition<CaseView, [I], string>,
    schema: z.ZodType<I>,
    toCommand: (input: I, at: string) => CaseCommand,
  ) {
    setHandler(
      update,
      async (input: I) => {
        if (!alreadyApplied()) {
          actor.send(toCommand(input, new Date().toISOString()));
          const id = currentUpdateInfo()?.id;
          if (id !== undefined) appliedUpdateIds.push(id);
          changes += 1;
        }
        await flush();
        return view();
      },
      {
        validator: (input: I) => {
          if (alreadyApplied()) return;
          const parsed = parseWith(schema, input);
          if (!parsed.ok) throw toFailure(parsed.error);
          const check = checkCommand(actor.getSnapshot(), toCommand(input, new Date().toISOString()));
          if (!check.ok) throw toFailure(check.error);
        },
      },
    );
  }

  // Every declared action is an update; registering sends no command to Temporal, so adding one
  // leaves the histories of running cases as they were.
  for (const declared of CASE_ACTIONS) {
    declared.use((action) => handleCommand(updateOf(action), action.input, (input, at) => action.command(input, at)));
  }
  handleCommand(recomputeDeadlinesUpdate, recomputeDeadlinesInput, (input, at) => ({
    type: 'deadlines.recompute',
    calendar: input.calendar,
    at,
  }));
  setHandler(recordedViewUpdate, async () => {
    await flush();
    return view();
  });
  setHandler(caseViewQuery, view);

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested ||
    (options.maxHistoryEventsPerRun !== undefined && workflowInfo().historyLength >= options.maxHistoryEventsPerRun);

  void flush();
  for (;;) {
    const snapshot = actor.getSnapshot();
    if (snapshot.status === 'done') break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await flush();
      await continueAsNew<typeof caseWorkflow>({
        kind: 'resume',
        snapshot: actor.getPersistedSnapshot(),
        appliedUpdateIds: appliedUpdateIds.slice(-REMEMBERED_UPDATE_IDS),
        options,
      });
    }
    const next = nextStatusChangeOn(snapshot.context.steps, snapshot.context.today, snapshot.context.calendar, snapshot.context.thresholds);
    const seen = changes;
    const woken = () => changes !== seen || shouldContinueAsNew();
    let timedOut = false;
    if (next === undefined) {
      await condition(woken);
    } else {
      const waitMs = wakeInstantMs(next) - Date.now();
      timedOut = waitMs <= 0 || !(await condition(woken, waitMs));
    }
    if (timedOut) {
      actor.send({ type: 'clock.tick', at: new Date().toISOString() });
      void flush();
    }
  }

  await condition(allHandlersFinished);
  await flush();
  return view();
}
