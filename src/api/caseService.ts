/**
 * The use cases behind the case routes. Each reads like what the tovholder does; Temporal and
 * the read model are details underneath.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { danishDateOf } from '../domain/dates';
import { isDomainError, type DomainError } from '../domain/errors';
import type { CaseSummary, CaseView, ListCasesQuery, OpenCaseInput } from '../domain/schemas';
import type { CaseStore } from '../db/types';
import { openingProblems, type DeadlineThresholds } from '../machines';
import { TASK_QUEUE, workflowIdForCase } from '../temporal/names';
import type { CaseWorkflowOptions } from '../workflows';
import { caseWorkflow } from '../workflows';
import { caseViewQuery, effectsQuery, mappingNotesQuery, recordedViewUpdate, type CaseAck } from '../workflows/definitions';
import { EFFECTS_DELAYED } from '../domain/effectPolicy';
import { WEEKDAYS_ONLY, type SchoolCalendar } from '../domain/calendar';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainFailure } from '../domain/errors';
import { buildHandoverPackage, type HandoverPackage, type HandoverReceiver } from '../handover/package';

export interface CaseServiceDeps {
  client: Client;
  store: CaseStore;
  /** Given to every new case; the machine's defaults when absent. */
  thresholds?: DeadlineThresholds;
  /** The school calendar a new case counts its deadlines on; weekdays only when absent. */
  calendarFor?: (schoolId: string, openedOn: string) => Promise<SchoolCalendar>;
  taskQueue?: string;
  workflowOptions?: CaseWorkflowOptions;
  /** The current instant; injectable so tests can open cases "today" deterministically. */
  now?: () => Date;
  /** The longest one request waits on Temporal; then it fails with DEADLINE_EXCEEDED (a 503). Default 10 s. */
  waitMs?: number;
}

/**
 * The same Idempotency-Key at the same school always names the same case, so a retried POST opens
 * it once; keys of different schools never meet.
 */
function caseIdFor(schoolId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  const hex = createHash('sha256').update(`open-case:${schoolId}:${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function notFound(): DomainFailure {
  return new DomainFailure({ code: 'case_not_found', detail: 'there is no case with this caseId' });
}

export function createCaseService(deps: CaseServiceDeps) {
  const { client, store } = deps;
  const taskQueue = deps.taskQueue ?? TASK_QUEUE;
  const now = deps.now ?? (() => new Date());
  const waitMs = deps.waitMs ?? 10_000;
  /** Bounds every Temporal call in `work` (retries included) by one deadline for the request. */
  const bounded = <T>(work: () => Promise<T>): Promise<T> => client.connection.withDeadline(Date.now() + waitMs, work);

  /** Turns what Temporal answered into the domain's own error, or rethrows what it is not. */
  async function translate(caseId: string, error: unknown): Promise<never> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const detail: unknown = error.cause.details?.[0];
      if (isDomainError(detail)) throw new DomainFailure(detail);
    }
    if (error instanceof WorkflowNotFoundError || isCompletedWorkflowError(error)) {
      const stored = await store.getCase(caseId);
      if (stored === null) throw notFound();
      const closed: DomainError = { code: 'not_allowed_now', detail: 'the case is closed' };
      throw new DomainFailure(closed);
    }
    throw error;
  }

  /**
   * An update answered "effects delayed" keeps that answer for its ID; asked again with the same
   * Idempotency-Key once the case has recorded everything, the caller gets the recorded case.
   */
  async function recordedSince(caseId: string, error: unknown): Promise<CaseView | undefined> {
    if (!(error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === EFFECTS_DELAYED)) return undefined;
    const status = await bounded(() => client.workflow.getHandle(workflowIdForCase(caseId)).query(effectsQuery)).catch(() => undefined);
    if (status?.pending !== 0) return undefined;
    return (await store.getCase(caseId)) ?? undefined;
  }

  /**
   * The case as the read model holds it once an update answered: the update's effects are written
   * before it answers, so the row has reached the acknowledged version; should it not have (a
   * newer action's row is never overwritten by an older one, but the reverse cannot be ruled out
   * here), the workflow itself is asked.
   */
  async function viewAfter(ack: CaseAck): Promise<CaseView> {
    const stored = await store.getCase(ack.caseId);
    if (stored !== null && stored.version >= ack.version) return stored;
    return bounded(() => client.workflow.getHandle(workflowIdForCase(ack.caseId)).query(caseViewQuery));
  }

  /** Sends one tovholder action to the case's workflow; the Idempotency-Key is the update ID. */
  async function act<I>(caseId: string, update: UpdateDefinition<CaseAck, [I], string>, input: I, idempotencyKey?: string): Promise<CaseView> {
    try {
      const ack = await bounded(() =>
        client.workflow.getHandle(workflowIdForCase(caseId)).executeUpdate(update, {
          args: [input],
          ...(idempotencyKey !== undefined ? { updateId: idempotencyKey } : {}),
        }),
      );
      return await viewAfter(ack);
    } catch (error) {
      const recorded = await recordedSince(caseId, error);
      if (recorded !== undefined) return recorded;
      return translate(caseId, error);
    }
  }

  return {
    async openCase(input: OpenCaseInput, idempotencyKey?: string): Promise<CaseView> {
      const problems = openingProblems(input, danishDateOf(now()));
      if (problems.length > 0) {
        throw new DomainFailure({ code: 'rule_violated', detail: problems.map((p) => p.message).join('; '), errors: problems });
      }
      const caseId = caseIdFor(input.schoolId, idempotencyKey);
      const workflowId = workflowIdForCase(caseId);
      const calendar = await deps.calendarFor?.(input.schoolId, input.openedOn);
      // Started and asked for its recorded view in one request (update-with-start), under one
      // deadline; a key that opened a case before reaches that case (USE_EXISTING).
      const deadline = Date.now() + waitMs;
      const start = new WithStartWorkflowOperation(caseWorkflow, {
        taskQueue,
        workflowId,
        args: [
          {
            kind: 'open',
            caseId,
            input,
            ...(calendar ? { calendar } : {}),
            ...(deps.thresholds ? { thresholds: deps.thresholds } : {}),
            ...(deps.workflowOptions ? { options: deps.workflowOptions } : {}),
          },
        ],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      try {
        const ack = await client.connection.withDeadline(deadline, () => client.workflow.executeUpdateWithStart(recordedViewUpdate, { startWorkflowOperation: start }));
        return sameOpeningOrRefuse(await viewAfter(ack), input);
      } catch (error) {
        // The key opened a case that has since closed: answer with that case, open nothing new.
        if (error instanceof WorkflowExecutionAlreadyStartedError) {
          const stored = await store.getCase(caseId);
          if (stored !== null) return sameOpeningOrRefuse(stored, input);
          throw error;
        }
        return translate(caseId, error);
      }
    },

    act,

    /** The case's school calendar as the settings hold it now (an action's input may need it). */
    async schoolCalendarOf(caseId: string): Promise<SchoolCalendar> {
      const stored = await store.getCase(caseId);
      if (stored === null) throw notFound();
      const calendar = (await deps.calendarFor?.(stored.schoolId, stored.openedOn)) ?? WEEKDAYS_ONLY;
      return { daysOff: calendar.daysOff.map(named) };
    },

    async getCase(caseId: string): Promise<CaseView> {
      const stored = await store.getCase(caseId);
      if (stored === null) throw notFound();
      return stored;
    },

    async listCases(query: ListCasesQuery): Promise<CaseSummary[]> {
      return store.listCases(query);
    },

    /**
     * The handover package for one receiver: the view from the read model, the mapping notes from
     * the case's workflow (they are kept nowhere else), filtered by what the consent covers.
     */
    async handoverPackage(caseId: string, receiver: HandoverReceiver): Promise<HandoverPackage> {
      const stored = await store.getCase(caseId);
      if (stored === null) throw notFound();
      const notes = await bounded(() => client.workflow.getHandle(workflowIdForCase(caseId)).query(mappingNotesQuery));
      const built = buildHandoverPackage(stored, notes, receiver);
      if ('code' in built) throw new DomainFailure(built);
      return built;
    },
  };
}

export type CaseService = ReturnType<typeof createCaseService>;

/** The update's schema wants every day off named; unnamed ranges are called what they are. */
function named(range: SchoolCalendar['daysOff'][number]) {
  return { from: range.from, to: range.to, name: range.name ?? 'Fridag' };
}

/** A key already used to open a different case is refused rather than answered with that case. */
function sameOpeningOrRefuse(view: CaseView, input: OpenCaseInput): CaseView {
  const same =
    view.pupilRef === input.pupilRef &&
    view.grade === input.grade &&
    view.tovholder === input.tovholder &&
    view.openedOn === input.openedOn &&
    view.concern.source === input.concern.source;
  if (same) return view;
  throw new DomainFailure({
    code: 'rule_violated',
    detail: 'this Idempotency-Key was already used to open a different case; use a new key',
    errors: [{ path: 'Idempotency-Key', message: 'was already used to open a different case' }],
  });
}

/** Temporal answers an update to a finished workflow with a "completed" error, not a not-found. */
function isCompletedWorkflowError(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = (current as { cause?: unknown }).cause) {
    if (/workflow execution (is )?already completed/i.test(current.message)) return true;
  }
  return false;
}
