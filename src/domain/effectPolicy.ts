/**
 * The failure policy of a case's effect step, shared by the workflow (which retries and gives
 * up), the activity (which sorts failures) and the API (which answers). No Node built-ins.
 *
 * - permanent: the database refused the data (SQLSTATE classes 22, 23, 42: bad value, broken
 *   constraint, wrong statement) or the code failed on it (TypeError, RangeError). Retrying the
 *   same step gives the same answer, so the activity raises a non-retryable failure of one of
 *   these types and the workflow sets the step's events aside (they stay in the case itself).
 * - transient: everything else (connection lost or refused, serialization failure, deadlock, too
 *   many connections, a timeout): bounded retries with backoff inside the request bound, then
 *   the case keeps the step pending and tries again on a growing timer and with the next action.
 */
export const PERMANENT_EFFECT_FAILURES = ['effects_refused', 'effects_broken'] as const;
export type PermanentEffectFailure = (typeof PERMANENT_EFFECT_FAILURES)[number];

/** SQLSTATE classes whose errors do not go away by trying again. */
export const PERMANENT_SQLSTATE_CLASSES: readonly string[] = ['22', '23', '42'];

/** The failure type of an update whose action was applied but whose effects are not recorded yet. */
export const EFFECTS_DELAYED = 'effects_delayed';

/** What a client is told to wait before asking again. */
export const EFFECTS_RETRY_AFTER_SECONDS = 5;

/** Default time a case's effects may fail before an administrator is told. */
export const DEFAULT_EFFECTS_ALERT_AFTER_MS = 15 * 60_000;
