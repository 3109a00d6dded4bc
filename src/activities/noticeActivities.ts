/**
 * Notices to the right person.
 *
 * `queueNotices` runs in every case's effect chain, after the letters: it reads the entries just
 * recorded and writes the notices they call for into the outbox. It never talks to a mail
 * server, so a tovholder's action never waits on one. Idempotent, as Temporal runs activities at
 * least once: a notice is keyed by case, source entry and recipient role.
 *
 * `deliverDueNotices` is the dispatcher's round (src/notices/delivery.ts).
 */
import { log } from '@temporalio/activity';
import type { Database } from '../db/types';
import type { CaseView, HistoryEntry } from '../domain/schemas';
import type { ComposeOptions } from '../notices/compose';
import { deliverDueNotices, type DeliveryResult } from '../notices/delivery';
import { noticesFor } from '../notices/kinds';
import type { Mailer } from '../notices/mailer';
import { createNoticeStore, type RetryPolicy } from '../notices/store';

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 60_000, maxDelayMs: 2 * 3_600_000 };
export const DEFAULT_POLL_SECONDS = 60;
export const DEFAULT_DIGEST_HOUR = 7;

export interface NoticeOptions {
  /** Undefined: mail is off; notices are queued and wait. */
  mailer?: Mailer;
  /** Default: the wall clock. Tests move it to another day. */
  now?: () => Date;
  compose?: ComposeOptions;
  retry?: Partial<RetryPolicy>;
  digestHour?: number;
  pollSeconds?: number;
  /** How long a round may start new sends (default 60 s). */
  roundBudgetMs?: number;
  /**
   * Told (not awaited) when new notices were queued, e.g. to wake the dispatcher so an urgent one
   * goes out at once rather than at the next poll. Failures are ignored: the poll catches up.
   */
  onQueued?: () => Promise<void>;
  /** Identifiers and counts only. */
  warn?: (message: string, fields: Record<string, string | number>) => void;
}

export interface NoticeActivityDeps extends NoticeOptions {
  db: Database;
}

export interface QueueNoticesInput {
  caseId: string;
  events: HistoryEntry[];
  view: CaseView;
}

export interface QueueNoticesResult {
  /** Notices written by this call (0 when they were queued already). */
  queued: number;
}

/** The dispatcher passes nothing today; an object keeps the signature open. */
export type DeliverDueNoticesInput = Record<string, never>;

/** The worker's log (identifiers only); outside an activity (a test calling it directly) there is none. */
function warnThroughTemporal(message: string, fields: Record<string, string | number>): void {
  try {
    log.warn(message, fields);
  } catch {
    // Not inside an activity: nothing to log to.
  }
}

/**
 * Queueing through `db` (the effect step passes its transaction, so notices commit with the
 * events that called for them: the outbox), and the dispatcher's wake-up once they have.
 */
export function createNoticeQueueing(deps: NoticeOptions) {
  const now = deps.now ?? (() => new Date());
  const warn = deps.warn ?? warnThroughTemporal;
  return {
    queueIn: async (db: Database, { caseId, events, view }: QueueNoticesInput): Promise<QueueNoticesResult> => ({
      queued: await createNoticeStore(db).queue(noticesFor(events, { ...view, caseId }), now()),
    }),
    /** Told after the commit; a failure is only logged: the next poll delivers. */
    wake: (caseId: string): void => {
      deps.onQueued?.().catch(() => warn('could not wake the notice dispatcher; the next poll delivers', { caseId }));
    },
  };
}

export function createNoticeActivities(deps: NoticeActivityDeps) {
  const store = createNoticeStore(deps.db);
  const now = deps.now ?? (() => new Date());
  const warn = deps.warn ?? warnThroughTemporal;
  const { queueIn, wake } = createNoticeQueueing(deps);
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const compose: ComposeOptions = deps.compose ?? { publicBaseUrl: 'http://localhost:3000' };
  return {
    /** Kept for cases whose histories ran it (before the one effect step); new steps use recordCaseEffects. */
    queueNotices: async (input: QueueNoticesInput): Promise<QueueNoticesResult> => {
      const queued = await queueIn(deps.db, input);
      if (queued.queued > 0) wake(input.caseId);
      return queued;
    },

    deliverDueNotices: (_input: DeliverDueNoticesInput = {}): Promise<DeliveryResult> =>
      deliverDueNotices({
        store,
        mailer: deps.mailer,
        now,
        compose,
        retry,
        digestHour: deps.digestHour ?? DEFAULT_DIGEST_HOUR,
        pollSeconds: deps.pollSeconds ?? DEFAULT_POLL_SECONDS,
        ...(deps.roundBudgetMs !== undefined ? { roundBudgetMs: deps.roundBudgetMs } : {}),
        warn,
      }),
  };
}

