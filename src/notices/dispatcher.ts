/**
 * Starting and waking the notice dispatcher workflow from the processes (main, worker, api).
 * The workflow id is fixed, so every process that starts it gets the one already running.
 */
import type { Client } from '@temporalio/client';
import { TASK_QUEUE } from '../temporal/names';
import { noticeDispatcherWorkflow, wakeNoticeDispatcherSignal, type NoticeDispatcherArgs } from '../workflows/noticeDispatcherWorkflow';

/** One dispatcher per namespace. Stored in plain text by Temporal: holds no data. */
export const NOTICE_DISPATCHER_WORKFLOW_ID = 'notice-dispatcher';

export interface StartNoticeDispatcherOptions {
  /** Default: the service's TASK_QUEUE. */
  taskQueue?: string;
  /** Default NOTICE_DISPATCHER_WORKFLOW_ID; tests sharing a server use their own. */
  workflowId?: string;
  args?: NoticeDispatcherArgs;
}

/** Starts the dispatcher unless it runs already; answers its run id either way. */
export async function startNoticeDispatcher(client: Client, options: StartNoticeDispatcherOptions = {}): Promise<string> {
  const handle = await client.workflow.start(noticeDispatcherWorkflow, {
    workflowId: options.workflowId ?? NOTICE_DISPATCHER_WORKFLOW_ID,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    args: [options.args ?? {}],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A dispatcher that was terminated by hand may be started again.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  return handle.firstExecutionRunId;
}

/**
 * A function that wakes the dispatcher for a round now. It rejects when the dispatcher is not
 * running (mail off); callers ignore that, as the next poll delivers anyway.
 */
export function noticeDispatcherWaker(client: Client, workflowId: string = NOTICE_DISPATCHER_WORKFLOW_ID): () => Promise<void> {
  return () => client.workflow.getHandle(workflowId).signal(wakeNoticeDispatcherSignal);
}
