/**
 * The nightly opsporing as a Temporal Schedule (one per namespace, a fixed id), and a leader's
 * run-now as the same workflow for one school. The schedule's id and the workflow ids carry school
 * ids at most, never pupil data.
 */
import { randomUUID } from 'node:crypto';
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { TASK_QUEUE } from '../temporal/names';
import { opsporingWorkflow } from '../workflows/opsporingWorkflow';

export const OPSPORING_SCHEDULE_ID = 'opsporing-nightly';

/** Creates the nightly schedule (02:00 Danish time) unless it exists; answers whether it made it. */
export async function ensureOpsporingSchedule(client: Client, options: { taskQueue?: string; scheduleId?: string } = {}): Promise<boolean> {
  try {
    await client.schedule.create({
      scheduleId: options.scheduleId ?? OPSPORING_SCHEDULE_ID,
      spec: { calendars: [{ hour: 2, minute: 0 }], timezone: 'Europe/Copenhagen' },
      action: { type: 'startWorkflow', workflowType: opsporingWorkflow, taskQueue: options.taskQueue ?? TASK_QUEUE, args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '6 hours' },
    });
    return true;
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
}

/** Runs opsporing for one school now and waits for it. */
export async function runOpsporingNow(client: Client, schoolId: string, on: string, taskQueue: string = TASK_QUEUE): Promise<void> {
  await client.workflow.execute(opsporingWorkflow, {
    taskQueue,
    workflowId: `opsporing-${schoolId}-${randomUUID()}`,
    args: [{ schoolId, on }],
    workflowExecutionTimeout: '10 minutes',
  });
}
