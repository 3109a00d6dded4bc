/**
 * The notice dispatcher: one durable workflow per namespace (a fixed workflow id) that runs a
 * delivery round, waits, and runs the next, for ever. Temporal gives it what a timer in a process
 * would lack: exactly one runs however many workers there are, it survives restarts of every
 * process, a failed round is retried with backoff, and each round shows in its history.
 *
 * The round (deliverDueNotices) says how long to wait before the next: the poll interval, or
 * sooner when a backed-off retry falls due. A signal wakes it at once (new notices queued,
 * contacts set). After `roundsPerRun` rounds, or when Temporal suggests it, it continues as new
 * so its history stays small. No Node built-ins here: this runs in Temporal's sandbox.
 */
import { condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface NoticeDispatcherArgs {
  /** Rounds before continue-as-new; default 500 (a round adds about six history events). */
  roundsPerRun?: number;
}

/** Wakes the dispatcher for a round now. Its name is part of the contract: do not rename it. */
export const wakeNoticeDispatcherSignal = defineSignal('wakeNoticeDispatcher');

export const DEFAULT_ROUNDS_PER_RUN = 500;

const { deliverDueNotices } = proxyActivities<Activities>({
  // A round starts no send after 60 s; each send has its own timeouts (mailer.ts).
  startToCloseTimeout: '3 minutes',
  // The database may be away for a while: the round is retried, nothing is lost meanwhile.
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function noticeDispatcherWorkflow(args: NoticeDispatcherArgs = {}): Promise<void> {
  const rounds = args.roundsPerRun ?? DEFAULT_ROUNDS_PER_RUN;
  let woken = false;
  setHandler(wakeNoticeDispatcherSignal, () => {
    woken = true;
  });

  for (let round = 0; round < rounds && !workflowInfo().continueAsNewSuggested; round += 1) {
    // Cleared before the round: a signal arriving while it runs brings the next one at once.
    woken = false;
    const { nextRoundInMs } = await deliverDueNotices({});
    await condition(() => woken, Math.max(1, nextRoundInMs));
  }
  // Signal handlers are synchronous, so nothing is in flight here. A wake signal that arrives
  // just now is not lost in effect: the next run starts with a round.
  await continueAsNew<typeof noticeDispatcherWorkflow>(args);
}
