/**
 * A worker in a process of its own, so its memory can be measured alone (bench/temporal/run.ts,
 * "worker RSS per cached case"). Started by the bench with one JSON argument (MemoryWorkerSpec);
 * it answers the bench's messages over the IPC channel:
 * - `measure`: its resident memory (Linux /proc, all threads: the workflow threads included), its
 *   main-thread heap after a full GC, and how many workflows its cache holds now;
 * - `snapshot`: writes a V8 heap snapshot of the main thread (with `debugMode` the workflows run
 *   there, so the snapshot holds them) to the file named;
 * - `stop`: shuts the worker down and exits.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities/index';
import { createCaseStore, openDatabase } from '../../src/db/index';
import { createLogger } from '../../src/logger';
import { caseDataConverter } from '../../src/temporal/dataConverter';
import { parsePayloadKeys } from '../../src/temporal/keyring';
import { createCaseWorker, installTemporalRuntime } from '../../src/worker';
import { createFloorActivities } from './floorActivities';

export interface MemoryWorkerSpec {
  kind: 'case' | 'bare';
  address: string;
  namespace: string;
  taskQueue: string;
  databaseUrl: string;
  bundlePath: string;
  /** `keyId:base64`, the bench's payload key (the same data converter as the service's). */
  payloadKeys: string;
  maxCachedWorkflows: number;
  /** Run workflows on the main thread, so its heap (and a heap snapshot) holds them. */
  debugMode: boolean;
}

export type MemoryWorkerRequest = { type: 'measure' } | { type: 'snapshot'; file: string } | { type: 'stop' };
export type MemoryWorkerAnswer =
  | { type: 'ready' }
  | { type: 'measured'; rssBytes: number; heapUsedBytes: number; cached: number }
  | { type: 'snapshot'; file: string }
  | { type: 'failed'; message: string };

function rssBytes(): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : process.memoryUsage().rss;
}

const send = (answer: MemoryWorkerAnswer) => process.send?.(answer);

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as MemoryWorkerSpec;
  installTemporalRuntime(createLogger({ level: 'warn', format: 'text' }));
  const dataConverter = caseDataConverter(parsePayloadKeys(spec.payloadKeys));
  const db = await openDatabase({ databaseUrl: spec.databaseUrl, dataDir: '/nonexistent' });
  const connection = await NativeConnection.connect({ address: spec.address });
  const common = {
    connection,
    namespace: spec.namespace,
    taskQueue: spec.taskQueue,
    dataConverter,
    workflowBundle: { codePath: spec.bundlePath },
  };
  const worker =
    spec.kind === 'case'
      ? await (spec.debugMode
          ? Worker.create({ ...common, activities: createActivities({ store: createCaseStore(db), db }), maxCachedWorkflows: spec.maxCachedWorkflows, debugMode: true })
          : createCaseWorker({ ...common, activities: createActivities({ store: createCaseStore(db), db }), maxCachedWorkflows: spec.maxCachedWorkflows }))
      : await Worker.create({ ...common, activities: createFloorActivities(db), maxCachedWorkflows: spec.maxCachedWorkflows, debugMode: spec.debugMode });
  const running = worker.run();
  running.catch((error: unknown) => {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });

  process.on('message', (message: MemoryWorkerRequest) => {
    void (async () => {
      if (message.type === 'measure') {
        // Twice: the first pass can leave garbage found only by the second (weak maps, finalizers).
        globalThis.gc?.();
        globalThis.gc?.();
        await new Promise((resolve) => setTimeout(resolve, 200));
        send({ type: 'measured', rssBytes: rssBytes(), heapUsedBytes: process.memoryUsage().heapUsed, cached: worker.getStatus().numCachedWorkflows });
      } else if (message.type === 'snapshot') {
        globalThis.gc?.();
        send({ type: 'snapshot', file: v8.writeHeapSnapshot(message.file) });
      } else {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
        await connection.close();
        await db.close();
        process.exit(0);
      }
    })();
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
