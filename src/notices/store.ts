/**
 * The notice outbox (tables notices and notice_digests).
 *
 * Queueing writes rows only, so a mail server that is down never holds up a case. Delivery
 * claims rows with a lease (their next attempt time moved past the work) in one short statement
 * each, `FOR UPDATE SKIP LOCKED` so two dispatchers on a server never take the same rows, and
 * sends outside any transaction: PGlite has one connection, and a slow mail server must not hold
 * it. A crash mid-send leaves the lease to run out, after which the notice is tried again.
 *
 * Addresses are looked up at delivery from school_contacts: a notice whose recipient has no
 * address waits, and goes out once the school sets one.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/types';
import type { NoticeFacts, NoticeKind, NoticeRole, NoticeStatus, NoticeToQueue } from './kinds';
import { DEFAULT_NOTIFICATIONS_LIMIT, type Notification, type NotificationsQuery } from './schemas';

/** The address the directory gives a notice now (NULL when it has none); `n` notices, `sc` school_contacts. */
const ADDRESS = `(CASE n.role
    WHEN 'leader' THEN sc.leader_email
    WHEN 'resource_team' THEN sc.resource_team_email
    ELSE sc.tovholdere ->> n.tovholder
  END)`;

const WITH_CONTACTS = `notices n LEFT JOIN school_contacts sc ON sc.school_id = n.school_id`;

/** A claimed notice with what its mail needs. */
export interface ClaimedNotice {
  noticeId: string;
  caseId: string;
  schoolId: string;
  kind: NoticeKind;
  role: NoticeRole;
  stepId: string | null;
  urgent: boolean;
  facts: NoticeFacts;
  attempts: number;
  createdAt: string;
  /** The address resolved at claim time. */
  address: string;
  pupilRef: string;
  /** The step's status in the case's newest recorded view (a step may be done by now). */
  stepStatus: string | null;
  casePhase: string;
}

export interface RetryPolicy {
  /** After this many failed attempts a notice is 'failed' (kept and listed, never deleted). */
  maxAttempts: number;
  /** The wait after the first failure; doubled after each next one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface NoticeStore {
  /** Writes each notice unless its (case, source entry, role) is queued already; answers how many were new. */
  queue(notices: readonly NoticeToQueue[], now: Date): Promise<number>;
  /** Newest first; `today` (the Danish date) tells whether a person's digest has gone out today. */
  list(query: NotificationsQuery, today: string): Promise<Notification[]>;

  // ---- delivery ----
  /** Urgent notices due now whose address is known, leased until `leaseUntil`. */
  claimUrgent(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedNotice[]>;
  /**
   * Lower-cased addresses with non-urgent notices all due, and no digest sent (or being sent)
   * to them on `day`.
   */
  digestRecipients(now: Date, day: string, limit: number): Promise<string[]>;
  /** Takes the right to send `recipient` its digest of `day`; false when it is taken or done. */
  reserveDigest(recipient: string, day: string, now: Date, leaseUntil: Date): Promise<boolean>;
  /** Every pending non-urgent notice for the address that is due now, leased. */
  claimDigest(recipient: string, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedNotice[]>;
  markSent(noticeIds: readonly string[], address: string, now: Date, digestDay: string | null): Promise<void>;
  /** attempts + 1, exponential backoff; 'failed' at the policy's maximum. */
  markFailed(noticeIds: readonly string[], address: string, now: Date, errorCode: string, policy: RetryPolicy): Promise<void>;
  /** Gives claimed notices back (not tried this round): due again at once. */
  release(noticeIds: readonly string[], now: Date): Promise<void>;
  completeDigest(recipient: string, day: string, now: Date, notices: number): Promise<void>;
  releaseDigest(recipient: string, day: string): Promise<void>;
  /** The earliest future attempt time of a pending notice with an address (a retry waiting on its backoff). */
  nextRetryAfter(now: Date): Promise<Date | undefined>;
}

const QUEUE_SQL = `
  INSERT INTO notices (notice_id, case_id, school_id, source_seq, kind, role, tovholder, step_id, urgent, facts,
                       next_attempt_at, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::timestamptz, $11::timestamptz, $11::timestamptz)
  ON CONFLICT (case_id, source_seq, role, (coalesce(tovholder, ''))) DO NOTHING
  RETURNING notice_id
`;

interface ListRow extends Record<string, unknown> {
  notice_id: string;
  kind: NoticeKind;
  role: NoticeRole;
  case_id: string;
  step_id: string | null;
  urgent: boolean;
  created_at: string;
  status: NoticeStatus;
  attempts: number;
  next_attempt_at: string;
  sent_at: string | null;
  last_error: string | null;
  digest_day: string | null;
  recipient: string | null;
  digest_sent_today: boolean;
}

const LIST_SQL = `
  SELECT n.notice_id, n.kind, n.role, n.case_id, n.step_id, n.urgent, n.created_at, n.status, n.attempts,
         n.next_attempt_at, n.sent_at, n.last_error, n.digest_day,
         CASE WHEN n.status = 'pending' THEN ${ADDRESS} ELSE n.recipient END AS recipient,
         (n.status = 'pending' AND NOT n.urgent AND EXISTS (
            SELECT 1 FROM notice_digests d
             WHERE d.recipient = lower(${ADDRESS}) AND d.digest_day = $6::date AND d.sent_at IS NOT NULL
         )) AS digest_sent_today
    FROM ${WITH_CONTACTS}
   WHERE ($1::text IS NULL OR lower(CASE WHEN n.status = 'pending' THEN ${ADDRESS} ELSE n.recipient END) = lower($1::text))
     AND ($2::text IS NULL OR n.case_id = $2::text)
     AND ($3::text IS NULL OR n.status = $3::text)
     AND ($4::text IS NULL OR n.school_id = $4::text)
   ORDER BY n.created_at DESC, n.source_seq DESC, n.role, n.notice_id
   LIMIT $5
`;

const WHO: Record<NoticeRole, string> = {
  tovholder: 'this tovholder',
  leader: 'the school leader',
  resource_team: 'the resource team',
};

/** Why a notice is where it is, in a sentence for the people who look after the service. */
export function statusDetailOf(row: Pick<ListRow, 'status' | 'role' | 'urgent' | 'attempts' | 'last_error' | 'recipient' | 'next_attempt_at' | 'digest_sent_today' | 'digest_day'>): string {
  const lastError = row.last_error ?? 'unknown error';
  switch (row.status) {
    case 'sent':
      return row.urgent ? 'sent at once on its own (urgent)' : `sent in the daily digest of ${row.digest_day ?? 'its day'}`;
    case 'failed':
      return `gave up after ${row.attempts} failed attempts (last: ${lastError}); kept for the record, not sent`;
    case 'pending':
      if (row.recipient === null) {
        return `waiting for an address: the school's contacts have no e-mail for ${WHO[row.role]} yet; it is sent once one is set`;
      }
      if (row.attempts > 0) return `the last attempt failed (${lastError}); tried again from ${row.next_attempt_at}`;
      if (row.urgent) return 'urgent: being sent at once';
      if (row.digest_sent_today) return 'today’s digest has already gone out to this person; this goes in the next one (tomorrow)';
      return 'waiting for the daily digest (one mail per person per day)';
  }
}

interface ClaimedRow extends Record<string, unknown> {
  notice_id: string;
  case_id: string;
  school_id: string;
  kind: NoticeKind;
  role: NoticeRole;
  step_id: string | null;
  urgent: boolean;
  facts: NoticeFacts;
  attempts: number;
  created_at: string;
  pupil_ref: string;
  step_status: string | null;
  case_phase: string;
}

const DETAILS_SQL = `
  SELECT n.notice_id, n.case_id, n.school_id, n.kind, n.role, n.step_id, n.urgent, n.facts, n.attempts, n.created_at,
         c.pupil_ref, c.phase AS case_phase,
         (SELECT s ->> 'status' FROM jsonb_array_elements(c.view -> 'steps') AS s
           WHERE s ->> 'stepId' = n.step_id LIMIT 1) AS step_status
    FROM notices n
    JOIN cases c ON c.case_id = n.case_id
   WHERE n.notice_id IN (SELECT jsonb_array_elements_text($1::jsonb))
   ORDER BY n.created_at, n.source_seq, n.notice_id
`;

const CLAIM_URGENT_SQL = `
  WITH due AS (
    SELECT n.notice_id, ${ADDRESS} AS address
      FROM ${WITH_CONTACTS}
     WHERE n.status = 'pending' AND n.urgent AND n.next_attempt_at <= $1::timestamptz
       AND ${ADDRESS} IS NOT NULL
     ORDER BY n.next_attempt_at, n.created_at, n.notice_id
     LIMIT $3
       FOR UPDATE OF n SKIP LOCKED
  )
  UPDATE notices SET next_attempt_at = $2::timestamptz, updated_at = $1::timestamptz
    FROM due
   WHERE notices.notice_id = due.notice_id
  RETURNING notices.notice_id, due.address
`;

const DIGEST_RECIPIENTS_SQL = `
  SELECT p.recipient
    FROM (SELECT n.next_attempt_at, n.created_at, lower(${ADDRESS}) AS recipient
            FROM ${WITH_CONTACTS}
           WHERE n.status = 'pending' AND NOT n.urgent) p
   WHERE p.recipient IS NOT NULL
     AND NOT EXISTS (
       SELECT 1 FROM notice_digests d
        WHERE d.recipient = p.recipient AND d.digest_day = $2::date
          AND (d.sent_at IS NOT NULL OR d.claimed_until > $1::timestamptz))
   GROUP BY p.recipient
  HAVING max(p.next_attempt_at) <= $1::timestamptz
   ORDER BY min(p.created_at), p.recipient
   LIMIT $3
`;

const RESERVE_DIGEST_SQL = `
  INSERT INTO notice_digests (recipient, digest_day, claimed_until)
  VALUES ($1, $2::date, $4::timestamptz)
  ON CONFLICT (recipient, digest_day) DO UPDATE SET claimed_until = EXCLUDED.claimed_until
   WHERE notice_digests.sent_at IS NULL AND notice_digests.claimed_until <= $3::timestamptz
  RETURNING recipient
`;

const CLAIM_DIGEST_SQL = `
  WITH due AS (
    SELECT n.notice_id, ${ADDRESS} AS address
      FROM ${WITH_CONTACTS}
     WHERE n.status = 'pending' AND NOT n.urgent AND n.next_attempt_at <= $2::timestamptz
       AND lower(${ADDRESS}) = $1
     ORDER BY n.created_at, n.source_seq, n.notice_id
     LIMIT $4
       FOR UPDATE OF n SKIP LOCKED
  )
  UPDATE notices SET next_attempt_at = $3::timestamptz, updated_at = $2::timestamptz
    FROM due
   WHERE notices.notice_id = due.notice_id
  RETURNING notices.notice_id, due.address
`;

const IDS = `notice_id IN (SELECT jsonb_array_elements_text($1::jsonb))`;

const MARK_SENT_SQL = `
  UPDATE notices
     SET status = 'sent', sent_at = $2::timestamptz, updated_at = $2::timestamptz, recipient = $3,
         attempts = attempts + 1, last_error = NULL, digest_day = $4::date
   WHERE ${IDS} AND status = 'pending'
`;

// Backoff: base × 2^(failures so far), at most the maximum; 'failed' once the attempts run out.
const MARK_FAILED_SQL = `
  UPDATE notices
     SET attempts = attempts + 1,
         status = CASE WHEN attempts + 1 >= $5 THEN 'failed' ELSE 'pending' END,
         next_attempt_at = $2::timestamptz
           + make_interval(secs => LEAST($6::float8 * power(2, attempts), $7::float8) / 1000.0),
         last_error = $4, recipient = $3, updated_at = $2::timestamptz
   WHERE ${IDS} AND status = 'pending'
`;

const NEXT_RETRY_SQL = `
  SELECT min(n.next_attempt_at) AS next
    FROM ${WITH_CONTACTS}
   WHERE n.status = 'pending' AND n.next_attempt_at > $1::timestamptz AND ${ADDRESS} IS NOT NULL
`;

function toClaimed(row: ClaimedRow, address: string): ClaimedNotice {
  return {
    noticeId: row.notice_id,
    caseId: row.case_id,
    schoolId: row.school_id,
    kind: row.kind,
    role: row.role,
    stepId: row.step_id,
    urgent: row.urgent,
    facts: row.facts,
    attempts: row.attempts,
    createdAt: row.created_at,
    address,
    pupilRef: row.pupil_ref,
    stepStatus: row.step_status,
    casePhase: row.case_phase,
  };
}

export function createNoticeStore(db: Database): NoticeStore {
  const details = async (ids: readonly string[]): Promise<ClaimedRow[]> =>
    ids.length === 0 ? [] : db.query<ClaimedRow>(DETAILS_SQL, [JSON.stringify(ids)]);

  return {
    async queue(notices, now) {
      if (notices.length === 0) return 0;
      const at = now.toISOString();
      return db.transaction(async (tx) => {
        let queued = 0;
        for (const notice of notices) {
          const rows = await tx.query(QUEUE_SQL, [
            randomUUID(),
            notice.caseId,
            notice.schoolId,
            notice.sourceSeq,
            notice.kind,
            notice.role,
            notice.tovholder ?? null,
            notice.stepId ?? null,
            notice.urgent,
            JSON.stringify(notice.facts),
            at,
          ]);
          queued += rows.length;
        }
        return queued;
      });
    },

    async list(query, today) {
      const rows = await db.query<ListRow>(LIST_SQL, [
        query.recipient ?? null,
        query.caseId ?? null,
        query.status ?? null,
        query.schoolId ?? null,
        query.limit ?? DEFAULT_NOTIFICATIONS_LIMIT,
        today,
      ]);
      return rows.map((row) => ({
        notificationId: row.notice_id,
        kind: row.kind,
        role: row.role,
        recipient: row.recipient,
        caseId: row.case_id,
        ...(row.step_id !== null ? { stepId: row.step_id } : {}),
        urgent: row.urgent,
        createdAt: row.created_at,
        status: row.status,
        statusDetail: statusDetailOf(row),
        attempts: row.attempts,
        ...(row.status === 'pending' ? { nextAttemptAt: row.next_attempt_at } : {}),
        ...(row.sent_at !== null ? { sentAt: row.sent_at } : {}),
      }));
    },

    async claimUrgent(now, leaseUntil, limit) {
      const claimed = await db.query<{ notice_id: string; address: string }>(CLAIM_URGENT_SQL, [
        now.toISOString(),
        leaseUntil.toISOString(),
        limit,
      ]);
      const addressOf = new Map(claimed.map((row) => [row.notice_id, row.address]));
      const rows = await details([...addressOf.keys()]);
      return rows.map((row) => toClaimed(row, addressOf.get(row.notice_id)!));
    },

    async digestRecipients(now, day, limit) {
      const rows = await db.query<{ recipient: string }>(DIGEST_RECIPIENTS_SQL, [now.toISOString(), day, limit]);
      return rows.map((row) => row.recipient);
    },

    async reserveDigest(recipient, day, now, leaseUntil) {
      const rows = await db.query(RESERVE_DIGEST_SQL, [recipient, day, now.toISOString(), leaseUntil.toISOString()]);
      return rows.length === 1;
    },

    async claimDigest(recipient, now, leaseUntil, limit) {
      const claimed = await db.query<{ notice_id: string; address: string }>(CLAIM_DIGEST_SQL, [
        recipient,
        now.toISOString(),
        leaseUntil.toISOString(),
        limit,
      ]);
      const rows = await details(claimed.map((row) => row.notice_id));
      // One mail to one address: as the directory writes it (the key is lower-cased).
      const address = claimed[0]?.address ?? recipient;
      return rows.map((row) => toClaimed(row, address));
    },

    async markSent(noticeIds, address, now, digestDay) {
      if (noticeIds.length === 0) return;
      await db.query(MARK_SENT_SQL, [JSON.stringify(noticeIds), now.toISOString(), address, digestDay]);
    },

    async markFailed(noticeIds, address, now, errorCode, policy) {
      if (noticeIds.length === 0) return;
      await db.query(MARK_FAILED_SQL, [
        JSON.stringify(noticeIds),
        now.toISOString(),
        address,
        errorCode,
        policy.maxAttempts,
        policy.baseDelayMs,
        policy.maxDelayMs,
      ]);
    },

    async release(noticeIds, now) {
      if (noticeIds.length === 0) return;
      await db.query(`UPDATE notices SET next_attempt_at = $2::timestamptz WHERE ${IDS} AND status = 'pending'`, [
        JSON.stringify(noticeIds),
        now.toISOString(),
      ]);
    },

    async completeDigest(recipient, day, now, notices) {
      await db.query(
        `UPDATE notice_digests SET sent_at = $3::timestamptz, notices = $4 WHERE recipient = $1 AND digest_day = $2::date`,
        [recipient, day, now.toISOString(), notices],
      );
    },

    async releaseDigest(recipient, day) {
      await db.query(`DELETE FROM notice_digests WHERE recipient = $1 AND digest_day = $2::date AND sent_at IS NULL`, [recipient, day]);
    },

    async nextRetryAfter(now) {
      const [row] = await db.query<{ next: string | null }>(NEXT_RETRY_SQL, [now.toISOString()]);
      return row?.next ? new Date(row.next) : undefined;
    },
  };
}
