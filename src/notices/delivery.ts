/**
 * One delivery round: what the dispatcher runs every few seconds.
 *
 * 1. Urgent notices (escalations) due now go out at once, one mail each.
 * 2. From the digest hour on (Danish time), everyone with pending non-urgent notices and no
 *    digest yet today gets ONE digest listing all of them. A notice queued after that person's
 *    digest has gone waits for tomorrow's: at most one digest per person per Danish day.
 * 3. A failed send counts an attempt and backs off exponentially; after the last attempt the
 *    notice is 'failed' and stays listed. Nothing is deleted.
 *
 * The clock is injected, so tests can move a day on without waiting for one.
 */
import { danishDateOf } from '../domain/dates';
import { composeDigest, composeUrgent, type ComposeOptions } from './compose';
import { MailError, mailErrorCode, type Mailer } from './mailer';
import type { ClaimedNotice, NoticeStore, RetryPolicy } from './store';

export interface DeliveryDeps {
  store: NoticeStore;
  /** Undefined: mail is off (no SMTP_URL); notices wait in the outbox. */
  mailer: Mailer | undefined;
  now: () => Date;
  compose: ComposeOptions;
  retry: RetryPolicy;
  /** The Danish hour (0–23) from which the day's digests may go out. */
  digestHour: number;
  /** The longest the dispatcher waits between rounds. */
  pollSeconds: number;
  /** How long a claim holds; longer than any round. Default 5 minutes. */
  leaseMs?: number;
  /** A round starts no new send after this long (a hanging mail server). Default 60 s. */
  roundBudgetMs?: number;
  /** Most urgent notices and most digests per round. Default 100. */
  batchSize?: number;
  /** Identifiers and counts only: never an address or mail text. */
  warn?: (message: string, fields: Record<string, string | number>) => void;
}

export interface DeliveryResult {
  mailOff: boolean;
  /** Urgent mails sent. */
  urgentSent: number;
  /** Digest mails sent, and the notices they carried. */
  digestsSent: number;
  digestNotices: number;
  /** Sends that failed this round (each counted as an attempt on its notices). */
  failures: number;
  /** When the dispatcher should run again, in ms: at most pollSeconds, sooner when a retry falls due first. */
  nextRoundInMs: number;
}

/** Most notices in one digest; the rest go the next day. */
const MAX_DIGEST_NOTICES = 500;
/** The dispatcher never spins faster than this. */
const MIN_ROUND_GAP_MS = 200;

const copenhagenHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', hourCycle: 'h23' });

/** The hour on the wall in Denmark (0–23). */
export function danishHourOf(instant: Date): number {
  return Number(copenhagenHour.format(instant));
}

export async function deliverDueNotices(deps: DeliveryDeps): Promise<DeliveryResult> {
  const pollMs = deps.pollSeconds * 1000;
  const result: DeliveryResult = { mailOff: false, urgentSent: 0, digestsSent: 0, digestNotices: 0, failures: 0, nextRoundInMs: pollMs };
  const { store, mailer, now } = deps;
  if (mailer === undefined) return { ...result, mailOff: true };

  const leaseMs = deps.leaseMs ?? 5 * 60_000;
  const batch = deps.batchSize ?? 100;
  const budgetEnds = performance.now() + (deps.roundBudgetMs ?? 60_000);
  const overBudget = () => performance.now() > budgetEnds;
  const lease = (at: Date) => new Date(at.getTime() + leaseMs);
  const warn = deps.warn ?? (() => undefined);

  const failed = async (notices: readonly ClaimedNotice[], address: string, error: unknown) => {
    const code = error instanceof MailError ? error.code : mailErrorCode(error);
    await store.markFailed(notices.map((n) => n.noticeId), address, now(), code, deps.retry);
    result.failures += 1;
    warn('notice not delivered; it will be tried again', { notices: notices.length, code, kind: notices[0]?.kind ?? '' });
  };

  // 1. Urgent, one by one.
  const startedAt = now();
  const urgent = await store.claimUrgent(startedAt, lease(startedAt), batch);
  for (const [index, notice] of urgent.entries()) {
    if (overBudget()) {
      await store.release(urgent.slice(index).map((n) => n.noticeId), now());
      break;
    }
    try {
      await mailer.send(composeUrgent(notice, deps.compose));
      await store.markSent([notice.noticeId], notice.address, now(), null);
      result.urgentSent += 1;
    } catch (error) {
      await failed([notice], notice.address, error);
    }
  }

  // 2. Digests: one per person per Danish day.
  const digestAt = now();
  const day = danishDateOf(digestAt);
  if (danishHourOf(digestAt) >= deps.digestHour && !overBudget()) {
    const recipients = await store.digestRecipients(digestAt, day, batch);
    for (const recipient of recipients) {
      if (overBudget()) break;
      const at = now();
      if (!(await store.reserveDigest(recipient, day, at, lease(at)))) continue;
      const notices = await store.claimDigest(recipient, at, lease(at), MAX_DIGEST_NOTICES);
      const address = notices[0]?.address;
      if (address === undefined) {
        await store.releaseDigest(recipient, day);
        continue;
      }
      const ids = notices.map((n) => n.noticeId);
      try {
        await mailer.send(composeDigest(address, notices, day, deps.compose));
      } catch (error) {
        await failed(notices, address, error);
        await store.releaseDigest(recipient, day);
        continue;
      }
      const sentAt = now();
      await store.markSent(ids, address, sentAt, day);
      await store.completeDigest(recipient, day, sentAt, ids.length);
      result.digestsSent += 1;
      result.digestNotices += ids.length;
    }
  }

  // 3. When to look again: at the poll interval, or sooner when a backed-off retry falls due.
  const at = now();
  const nextRetry = await store.nextRetryAfter(at);
  if (nextRetry !== undefined) {
    result.nextRoundInMs = Math.max(MIN_ROUND_GAP_MS, Math.min(pollMs, nextRetry.getTime() - at.getTime()));
  }
  return result;
}
