/**
 * The bench's bare workflows, the yardsticks a case is compared with (bench/temporal/run.ts):
 * - `bareWorkflow`: an update that changes a counter and answers; nothing durable besides Temporal.
 * - `floorWorkflow`: an update that runs one local activity writing one row to the service's
 *   database before it answers: the least a durable action with a read model can do.
 * Both wait forever (the bench abandons them with its dev server). No Node built-ins: sandboxed.
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { createFloorActivities } from './floorActivities';

export const bumpUpdate = defineUpdate<number, [{ note: string }]>('bump');
export const recordUpdate = defineUpdate<number, [{ note: string }]>('record');

export async function bareWorkflow(): Promise<void> {
  let count = 0;
  setHandler(bumpUpdate, () => {
    count += 1;
    return count;
  });
  await condition(() => false);
}

const { writeRow } = proxyLocalActivities<ReturnType<typeof createFloorActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function floorWorkflow(workflowId: string): Promise<void> {
  let sequence = 0;
  setHandler(recordUpdate, async ({ note }) => {
    sequence += 1;
    await writeRow({ workflowId, sequence, note });
    return sequence;
  });
  await condition(() => false);
}
