/**
 * One durable workflow per case. It hosts the case machine, turns tovholder actions (updates)
 * into machine events, records what the machine announces through activities, and keeps the
 * next deadline on a durable timer. No Node built-ins here: this code runs in Temporal's sandbox.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { createActor, transition } from 'xstate';
import type { Activities } from '../activities';
import type { SchoolCalendar } from '../domain/calendar';
import { caseRowOf, viewChangesSince, type RecordedParts } from '../domain/caseRow';
import {
  DEFAULT_EFFECTS_ALERT_AFTER_MS,
  EFFECTS_DELAYED,
  EFFECTS_RETRY_AFTER_SECONDS,
  PERMANENT_EFFECT_FAILURES,
} from '../domain/effectPolicy';
import type { DomainError, FieldProblem } from '../domain/errors';
import { inputShapeProblems } from '../domain/inputShape';
import type { CaseView, HistoryEntry, OpenCaseInput } from '../domain/schemas';
import {
  caseMachine,
  checkCommand,
  nextStatusChangeOn,
  toCaseView,
  mappingNotesOf,
  availableActions,
  CASE_ACTIONS,
  RULES_VERSION,
  type CaseCommand,
  type DeadlineThresholds,
} from '../machines';
import { caseViewQuery, effectsQuery, mappingNotesQuery, recordedViewUpdate, updateOf, type CaseAck } from './definitions';

export interface CaseWorkflowOptions {
  /** Continue-as-new once a run's history has this many events (Temporal also suggests it). */
  maxHistoryEventsPerRun?: number;
  /** How long effects may fail before an administrator is told (EFFECTS_ALERT_AFTER_MINUTES). */
  effectsAlertAfterMs?: number;
}

/** Where recording a case's effects stands; carried across continue-as-new. */
export interface EffectsState {
  /** Entries announced but not recorded yet (the effect step failed), oldest first. */
  pending: HistoryEntry[];
  /** Epoch ms of the first failure not recovered since. */
  failingSince?: number;
  lastFailureAt?: number;
  attempts: number;
  lastFailure?: string;
  /** A step's events were set aside after a permanent failure. */
  setAside: boolean;
  /** The last failure was permanent: no background retries until the next action. */
  permanent: boolean;
  alerted: boolean;
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
  | { kind: 'resume'; snapshot: unknown; appliedUpdateIds: string[]; options?: CaseWorkflowOptions; effects?: EffectsState };

/** Update IDs remembered across continue-as-new, so a retried request is applied once. */
const REMEMBERED_UPDATE_IDS = 1000;

/**
 * The three effect activities of cases recorded before the one effect step: their histories
 * replay through this path (patch 'one-effect-step'), so they stay registered and unchanged.
 */
const { recordCaseEvents, draftLetters, queueNotices } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The one effect step, a local activity: no round trip to the server per action, one marker in
 * history. Its retries (transient failures) stay inside a request's bound (REQUEST_WAIT_SECONDS,
 * 10 s by default), so an update answers within it either way; permanent failures are not retried.
 */
const { recordCaseEffects } = proxyLocalActivities<Activities>({
  // One attempt may take long on a loaded machine (a step is ~10–50 ms; PGlite on two busy cores
  // was seen past 3 s); an attempt cut short while its transaction still runs only queues the next
  // one behind it. So a hang is the only thing these bound, within the request's 10 s.
  startToCloseTimeout: '8 seconds',
  scheduleToCloseTimeout: '9 seconds',
  retry: {
    initialInterval: '100 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '1 second',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...PERMANENT_EFFECT_FAILURES],
  },
});

/** Telling an administrator is worth a few tries over a while, not forever. */
const { alertEffectsFailing } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 8 },
});

/** After a failed step the case tries again on its own after this, doubling up to the cap. */
const EFFECTS_RETRY_FIRST_MS = 5_000;
const EFFECTS_RETRY_MAX_MS = 5 * 60_000;

function effectsDelayed(): ApplicationFailure {
  const error: DomainError = {
    code: 'unavailable',
    detail: 'the action is kept in the case, but recording it (timeline, letters, notices) failed for now and is tried again; ask again with the same Idempotency-Key',
    retryAfterSeconds: EFFECTS_RETRY_AFTER_SECONDS,
  };
  return ApplicationFailure.create({ type: EFFECTS_DELAYED, message: error.detail, nonRetryable: true, details: [error] });
}

/** The failure's type by the policy; a local activity that ran out of time has none of its own. */
function failureTypeOf(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) return cause.type ?? 'ApplicationFailure';
  return cause instanceof Error ? cause.name : 'unknown';
}

/** The instant the date's timer fires: early in that Danish day, whatever the season. */
function wakeInstantMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function invalidInput(errors: FieldProblem[]): DomainError {
  return { code: 'invalid_input', detail: errors.map((problem) => `${problem.path || '(input)'}: ${problem.message}`).join('; '), errors };
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
            // Level 3 asks for consent only in cases opened with this code: older histories replay as they ran.
            ...(patched('consent-before-level-3') ? { consentBeforeExternal: true } : {}),
          },
        })
      : // A restored actor ignores its input; the snapshot carries the whole case.
        createActor(caseMachine, {
          snapshot: args.snapshot as never,
          input: undefined,
        });
  const appliedUpdateIds = args.kind === 'resume' ? [...args.appliedUpdateIds] : [];
  const options = args.options ?? {};

  const effects: EffectsState =
    args.kind === 'resume' && args.effects !== undefined
      ? { ...args.effects, pending: [...args.effects.pending] }
      : { pending: [], attempts: 0, setAside: false, permanent: false, alerted: false };
  const unrecorded = effects.pending;
  actor.on('case.recorded', ({ entry }) => unrecorded.push(entry));
  actor.start();

  const view = () => {
    const snapshot = actor.getSnapshot();
    return toCaseView(snapshot.context, availableActions(snapshot));
  };
  /** What an update answers (definitions.ts): the API reads the view the effect step recorded. */
  const ack = (): CaseAck => {
    const context = actor.getSnapshot().context;
    return { caseId: context.caseId, version: context.seq };
  };

  // What the read model holds of the view, as the last recorded step left it; empty after
  // continue-as-new, so the first step of a run sends every part.
  let recordedParts: RecordedParts = new Map();
  /** True while the case's effects wait on a retry (a step failed). */
  let unsent = effects.failingSince !== undefined;
  let flushing = 0;
  /** Counts changes in whether effects fail: they move the loop's effect timer, nothing else does. */
  let settled = 0;
  let alerting: Promise<void> = Promise.resolve();

  const raiseAlert = () => {
    if (effects.alerted || effects.failingSince === undefined) return;
    effects.alerted = true;
    const alert = {
      caseId: actor.getSnapshot().context.caseId,
      failingSince: new Date(effects.failingSince).toISOString(),
      attempts: effects.attempts,
      lastFailure: effects.lastFailure ?? 'unknown',
      setAside: effects.setAside,
    };
    // Not awaited: the case goes on meanwhile; its own retries are bounded.
    alerting = alertEffectsFailing(alert).then(
      () => undefined,
      () => log.error('could not alert about failing effects', { caseId: alert.caseId }),
    );
  };

  /** One effect step per round until everything announced is recorded; false when a step failed. */
  const recordEffects = async (): Promise<boolean> => {
    while (unrecorded.length > 0 || unsent) {
      const count = unrecorded.length;
      const current = view();
      const { changed, removed, parts } = viewChangesSince(recordedParts, current);
      try {
        await recordCaseEffects({ caseId: current.caseId, events: unrecorded.slice(0, count), row: caseRowOf(current), changed, removed });
      } catch (error) {
        const type = failureTypeOf(error);
        const permanent = (PERMANENT_EFFECT_FAILURES as readonly string[]).includes(type);
        effects.failingSince ??= Date.now();
        effects.lastFailureAt = Date.now();
        effects.attempts += 1;
        effects.lastFailure = type;
        effects.permanent = permanent;
        unsent = true;
        log.warn('recording the case failed', { caseId: current.caseId, failure: type, permanent, attempts: effects.attempts });
        if (permanent) {
          // The same step would be refused again: its events are set aside (the case keeps them
          // in its own history) so later actions are recorded, and an administrator is told now.
          unrecorded.splice(0, count);
          effects.setAside = true;
          raiseAlert();
        }
        return false;
      }
      unrecorded.splice(0, count);
      recordedParts = parts;
      unsent = false;
      // Recovered (a set-aside step was alerted at once): a later failure starts afresh.
      delete effects.failingSince;
      delete effects.lastFailureAt;
      delete effects.lastFailure;
      effects.attempts = 0;
      effects.permanent = false;
      effects.setAside = false;
      effects.alerted = false;
    }
    return true;
  };

  /** The effects of cases recorded before the one effect step, as they ran then. */
  const recordEffectsAsBefore = async (): Promise<boolean> => {
    while (unrecorded.length > 0) {
      const events = unrecorded.splice(0, unrecorded.length);
      const recorded = { caseId: actor.getSnapshot().context.caseId, events, view: view() };
      await recordCaseEvents(recorded);
      if (patched('draft-letters')) await draftLetters(recorded);
      if (patched('queue-notices')) await queueNotices(recorded);
    }
    return true;
  };

  // Effects run one step at a time, in the order the machine announced them.
  let recording: Promise<boolean> = Promise.resolve(true);
  const flush = (): Promise<boolean> => {
    flushing += 1;
    recording = recording.then(async () => {
      const wasFailing = unsent;
      try {
        // Patched: histories recorded before the one effect step replay through the old path.
        return await (patched('one-effect-step') ? recordEffects() : recordEffectsAsBefore());
      } finally {
        flushing -= 1;
        // Only a failure or a recovery wakes the loop: a healthy case's timers stay as they were.
        if (unsent || wasFailing) settled += 1;
      }
    });
    return recording;
  };

  let changes = 0;
  const alreadyApplied = () => {
    const id = currentUpdateInfo()?.id;
    return id !== undefined && appliedUpdateIds.includes(id);
  };

  /**
   * Registers one tovholder action. The validator refuses before anything is recorded: a light
   * shape check (the API parsed the input with the action's schema; no zod in the sandbox), the
   * machine's rules, and a dry run of the transition, so an input the rules cannot read is
   * refused here rather than failing inside the case.
   */
  function handleCommand<I>(update: UpdateDefinition<CaseAck, [I], string>, toCommand: (input: I, at: string) => CaseCommand) {
    setHandler(
      update,
      async (input: I) => {
        if (!alreadyApplied()) {
          actor.send(toCommand(input, new Date().toISOString()));
          const id = currentUpdateInfo()?.id;
          if (id !== undefined) appliedUpdateIds.push(id);
          changes += 1;
        }
        if (!(await flush())) throw effectsDelayed();
        return ack();
      },
      {
        validator: (input: I) => {
          if (alreadyApplied()) return;
          const shape = inputShapeProblems(input);
          if (shape.length > 0) throw toFailure(invalidInput(shape));
          const snapshot = actor.getSnapshot();
          const command = toCommand(input, new Date().toISOString());
          let refusal: DomainError | undefined;
          try {
            const check = checkCommand(snapshot, command);
            if (check.ok) transition(caseMachine, snapshot, command);
            else refusal = check.error;
          } catch {
            refusal = invalidInput([{ path: '', message: 'does not have the shape this action takes' }]);
          }
          if (refusal !== undefined) throw toFailure(refusal);
        },
      },
    );
  }

  // Every declared action is an update; registering sends no command to Temporal, so adding one
  // leaves the histories of running cases as they were.
  for (const declared of CASE_ACTIONS) {
    declared.use((action) => handleCommand(updateOf(action), (input, at) => action.command(input, at)));
  }
  setHandler(recordedViewUpdate, async () => {
    if (!(await flush())) throw effectsDelayed();
    return ack();
  });
  setHandler(caseViewQuery, view);
  setHandler(mappingNotesQuery, () => mappingNotesOf(actor.getSnapshot().context));
  setHandler(effectsQuery, () => ({
    pending: unrecorded.length + (unsent ? 1 : 0),
    ...(effects.failingSince !== undefined ? { failingSince: new Date(effects.failingSince).toISOString() } : {}),
  }));

  const alertAfterMs = options.effectsAlertAfterMs ?? DEFAULT_EFFECTS_ALERT_AFTER_MS;
  /** When the effects need the loop next (a retry, the alert); undefined when they do not. */
  const alertAt = (): number | undefined =>
    !unsent || effects.alerted || effects.failingSince === undefined ? undefined : effects.failingSince + alertAfterMs;
  const retryAt = (): number | undefined => {
    if (!unsent || flushing > 0 || effects.permanent || effects.failingSince === undefined) return undefined;
    const delay = Math.min(EFFECTS_RETRY_MAX_MS, EFFECTS_RETRY_FIRST_MS * 2 ** Math.max(0, effects.attempts - 1));
    return (effects.lastFailureAt ?? effects.failingSince) + delay;
  };
  const effectsWakeAt = (): number | undefined => {
    const times = [alertAt(), retryAt()].filter((time): time is number => time !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  };

  const shouldContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested ||
    (options.maxHistoryEventsPerRun !== undefined && workflowInfo().historyLength >= options.maxHistoryEventsPerRun);

  /** When the loop must next wake: at the next deadline (a clock event), or for the effects (a retry, the alert). */
  const wakeTimes = (): { deadlineAt: number | undefined; wakeAt: number | undefined } => {
    const { context } = actor.getSnapshot();
    const next = nextStatusChangeOn(context.steps, context.today, context.calendar, context.thresholds);
    const deadlineAt = next === undefined ? undefined : wakeInstantMs(next);
    const effectsAt = effectsWakeAt();
    return { deadlineAt, wakeAt: deadlineAt === undefined ? effectsAt : effectsAt === undefined ? deadlineAt : Math.min(deadlineAt, effectsAt) };
  };
  // Cases opened (or continued) on this code wake on an action only when it moves the instant to
  // wake at or ends the case, so an action that leaves the deadline where it was keeps the timer
  // running instead of cancelling it and starting the same one again. Histories from before
  // replay as they ran (no marker in them).
  const keepTimer = patched('deadline-timer-kept');

  void flush();
  for (;;) {
    const snapshot = actor.getSnapshot();
    if (snapshot.status === 'done') break;
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await flush();
      await alerting;
      await continueAsNew<typeof caseWorkflow>({
        kind: 'resume',
        snapshot: actor.getPersistedSnapshot(),
        appliedUpdateIds: appliedUpdateIds.slice(-REMEMBERED_UPDATE_IDS),
        options,
        // Only when something is unrecorded, so the arguments of a healthy case stay as they were.
        ...(unrecorded.length > 0 || unsent ? { effects: { ...effects, pending: [...unrecorded] } } : {}),
      });
    }
    const seen = changes;
    const seenSettled = settled;
    const { deadlineAt, wakeAt } = wakeTimes();
    const woken = keepTimer
      ? () => settled !== seenSettled || shouldContinueAsNew() || actor.getSnapshot().status === 'done' || wakeTimes().wakeAt !== wakeAt
      : () => changes !== seen || settled !== seenSettled || shouldContinueAsNew();
    let timedOut = false;
    if (wakeAt === undefined) {
      await condition(woken);
    } else {
      const waitMs = wakeAt - Date.now();
      timedOut = waitMs <= 0 || !(await condition(woken, waitMs));
    }
    if (timedOut && deadlineAt !== undefined && Date.now() >= deadlineAt) {
      actor.send({ type: 'clock.tick', at: new Date().toISOString() });
      void flush();
    } else if (timedOut) {
      if (Date.now() >= (alertAt() ?? Infinity)) raiseAlert();
      if (Date.now() >= (retryAt() ?? Infinity)) void flush();
    }
  }

  await condition(allHandlersFinished);
  await flush();
  await alerting;
  return view();
}
