/**
 * The one effect step of a case action (the outbox pattern): the action's new events, the
 * changes to the case's row, its letter drafts and its notices written in ONE transaction (just
 * one statement when the action calls for no letter or notice). Run by the workflow as a local
 * activity; idempotent by case and seq, as Temporal runs it at least once. It receives the new
 * events and the few facts the row needs, never the case view: what letters and notices read of
 * the case is read back by the same statement that wrote the row.
 *
 * Also the alert when a case's effects have failed for too long (see src/domain/effectPolicy.ts).
 */
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Database } from '../db/types';
import { writeCaseChanges, type CaseChanges, type ReadBack, type WrittenCaseChanges } from '../db/caseStore';
import type { CaseRowFacts, CaseViewPart, CaseViewParts } from '../domain/caseRow';
import { PERMANENT_SQLSTATE_CLASSES, type PermanentEffectFailure } from '../domain/effectPolicy';
import type { HistoryEntry } from '../domain/schemas';
import { letterKindFor } from '../letters/kinds';
import { LETTER_FACT_PARTS, type Redrafting } from '../letters/redraft';
import { OPEN_DRAFTS_JSON_SQL, openDraftsFromJson } from '../letters/store';
import type { Mailer } from '../notices/mailer';
import { noticesFor } from '../notices/kinds';
import type { createLetterDrafting } from './letterActivities';
import type { createNoticeQueueing } from './noticeActivities';

/** The case's open drafts, read in the effect step's own statement. */
const OPEN_DRAFTS_READ_BACK: ReadBack = { column: 'open_drafts', sql: OPEN_DRAFTS_JSON_SQL };

export interface CaseEffectsInput {
  caseId: string;
  /** The entries the machine announced since the last recorded step, oldest first. */
  events: HistoryEntry[];
  /** The row's columns, derived in the workflow. */
  row: CaseRowFacts;
  /** The view's parts that changed since the last recorded step (its history aside). */
  changed: CaseViewParts;
  removed: CaseViewPart[];
}

export interface CaseEffectsResult {
  drafted: number;
  queued: number;
}

export interface EffectsAlertInput {
  caseId: string;
  /** ISO instant of the first failure not recovered since. */
  failingSince: string;
  attempts: number;
  /** The last failure's type (a name from the policy, or the error's class): no data. */
  lastFailure: string;
  /** True when the events of a step were set aside rather than kept for retrying. */
  setAside: boolean;
}

export interface EffectActivityDeps {
  db: Database;
  drafting: ReturnType<typeof createLetterDrafting>;
  /** Redrafts open letters whose facts this step changed. */
  redrafting: Redrafting;
  queueing: ReturnType<typeof createNoticeQueueing>;
  /** The administrator told when a case's effects keep failing; unset: the error log only. */
  alertTo?: string;
  mailer?: Mailer;
  /** Where the case is opened in a browser (the link in the alert holds the opaque case id). */
  publicBaseUrl?: string;
  /** Identifiers and counts only. Default: the worker's log through Temporal. */
  logError?: (message: string, fields: Record<string, string | number | boolean>) => void;
}

function logThroughTemporal(message: string, fields: Record<string, string | number | boolean>): void {
  try {
    log.error(message, fields);
  } catch {
    // Not inside an activity (a test calling it directly): nothing to log to.
  }
}

/** The SQLSTATE of a database error (pg and PGlite both put it in `code`), else undefined. */
function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Sorts a failure by the policy: permanent ones become non-retryable with a type and a message
 * that names the SQLSTATE or the error's class only (a database message may quote the data).
 */
export function classifyEffectFailure(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  const state = sqlStateOf(error);
  const permanent = (type: PermanentEffectFailure, why: string) => ApplicationFailure.create({ type, message: why, nonRetryable: true });
  if (state !== undefined && PERMANENT_SQLSTATE_CLASSES.includes(state.slice(0, 2))) {
    return permanent('effects_refused', `the database refused the case's effects (SQLSTATE ${state})`);
  }
  if (error instanceof TypeError || error instanceof RangeError) {
    return permanent('effects_broken', `recording the case's effects failed (${error.name})`);
  }
  // Transient: the error as it is, retried by the workflow's bounded policy. Its message is
  // replaced, as a driver's text may quote a value.
  const name = error instanceof Error ? error.name : 'Error';
  return ApplicationFailure.create({ type: state !== undefined ? `sqlstate_${state}` : name, message: `recording the case's effects failed for now (${state ?? name})`, nonRetryable: false });
}

/** A Database whose queries (and nested transactions) run in the given transaction. */
function inTransaction(db: Database, tx: Pick<Database, 'query'>): Database {
  return {
    kind: db.kind,
    query: (sql, params) => tx.query(sql, params),
    transaction: (work) => work(tx),
    close: () => Promise.resolve(),
  };
}

export function createEffectActivities(deps: EffectActivityDeps) {
  const logError = deps.logError ?? logThroughTemporal;
  return {
    recordCaseEffects: async (input: CaseEffectsInput): Promise<CaseEffectsResult> => {
      const { caseId, events } = input;
      // A mismatch is a programming error; writing it would file one case's events under another.
      if (input.row.caseId !== caseId) throw ApplicationFailure.create({ type: 'effects_broken', message: 'the row belongs to a different case', nonRetryable: true });
      const changes: CaseChanges = { row: input.row, changed: input.changed, removed: input.removed, events };
      // Only entries that call for a letter or a notice need the case's facts read back, and
      // open drafts need checking only when a part their facts come from changed.
      const needsFacts = events.some((entry) => letterKindFor(entry) !== undefined) || noticesFor(events, placeholderFacts(input)).length > 0;
      const letterFactsMayChange = LETTER_FACT_PARTS.some((part) => Object.hasOwn(input.changed, part));
      // Open drafts are read in the write's own statement, only when the step may change their facts.
      const readBack = letterFactsMayChange ? [OPEN_DRAFTS_READ_BACK] : [];
      const openDraftsIn = (written: WrittenCaseChanges) => openDraftsFromJson(written.readBack[OPEN_DRAFTS_READ_BACK.column]);
      let result: CaseEffectsResult;
      try {
        if (!needsFacts) {
          // No letter or notice to write with it: the one statement is atomic by itself. A redraft
          // it calls for follows in its own transaction; should that fail, the retried step
          // writes nothing twice and checks the drafts again.
          const written = await writeCaseChanges(deps.db, changes, readBack);
          const { view } = written;
          const redrafted =
            letterFactsMayChange && view !== undefined
              ? (await deps.redrafting.checkCase(deps.db, caseId, () => Promise.resolve(view), openDraftsIn(written))).redrafted
              : 0;
          result = { drafted: redrafted, queued: 0 };
        } else {
          // Letters and notices commit with the events that called for them (the outbox).
          result = await deps.db.transaction(async (tx) => {
            const written = await writeCaseChanges(tx, changes, readBack);
            const { view } = written;
            if (view === undefined) return { drafted: 0, queued: 0 };
            const within = inTransaction(deps.db, tx);
            let drafted = (await deps.drafting(within, { caseId, events, view })).drafted;
            const queued = (await deps.queueing.queueIn(within, { caseId, events, view })).queued;
            if (letterFactsMayChange) drafted += (await deps.redrafting.checkCase(within, caseId, () => Promise.resolve(view), openDraftsIn(written))).redrafted;
            return { drafted, queued };
          });
        }
      } catch (error) {
        throw classifyEffectFailure(error);
      }
      if (result.queued > 0) deps.queueing.wake(caseId);
      return result;
    },

    /** The error log and, when an address and mail are set, a mail to the administrator. */
    alertEffectsFailing: async (input: EffectsAlertInput): Promise<{ mailed: boolean }> => {
      logError("a case's effects have failed for longer than allowed", {
        caseId: input.caseId,
        failingSince: input.failingSince,
        attempts: input.attempts,
        lastFailure: input.lastFailure,
        setAside: input.setAside,
      });
      if (deps.alertTo === undefined || deps.mailer === undefined) return { mailed: false };
      const link = `${deps.publicBaseUrl ?? 'http://localhost:3000'}/forloeb/${encodeURIComponent(input.caseId)}`;
      await deps.mailer.send({
        to: deps.alertTo,
        subject: 'Fraværsforløb: et forløbs registrering fejler',
        text: [
          `Registreringen af et forløbs hændelser (tidslinje, brevudkast og påmindelser) har fejlet siden ${input.failingSince}.`,
          input.setAside
            ? 'Databasen afviste hændelserne; de er gemt i forløbet selv, men mangler i oversigterne.'
            : `Der forsøges fortsat igen (${input.attempts} forsøg indtil nu).`,
          `Fejltype: ${input.lastFailure}`,
          `Forløb: ${link}`,
          'Se tjenestens log for detaljer.',
        ].join('\n\n'),
      });
      return { mailed: true };
    },
  };
}

/** Enough of the case to ask whether any entry calls for a notice (the facts come later). */
function placeholderFacts(input: CaseEffectsInput) {
  return { caseId: input.caseId, schoolId: input.row.schoolId, tovholder: input.row.tovholder, steps: [] };
}
