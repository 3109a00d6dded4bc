/**
 * Temporal helpers for test files. The run-wide dev server and workflow bundle come from
 * globalSetup.ts; each test file gets its own task queue, so files can run in parallel against
 * the one server without taking each other's tasks.
 *
 *   import { connectTestTemporal, startTestWorker } from '../support/temporal';
 *   let t: TestTemporal; let w: TestWorker;
 *   beforeAll(async () => {
 *     t = await connectTestTemporal();
 *     w = await startTestWorker({ connection: t.connection, activities });
 *   });
 *   afterAll(async () => { await w?.stop(); await t?.close(); });
 *   ... t.client.workflow.start(caseWorkflow, { taskQueue: w.taskQueue, workflowId, args })
 */
import { createHash, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { caseDataConverter } from '../../src/temporal/dataConverter';
import { Keyring } from '../../src/temporal/keyring';
import { createCaseWorker, type ActivityImplementations } from '../../src/worker';
import { TEMPORAL_TEST_SERVER } from './paths';
import './provided';

/**
 * One fixed key for the whole run: every test client and worker encrypts payloads and failure
 * messages as the service does, and any of them reads what another wrote.
 */
export const TEST_KEYRING = new Keyring([{ id: 'test-k1', key: createHash('sha256').update('fravaersforloeb test payload key 1').digest() }]);
export const TEST_DATA_CONVERTER: DataConverter = caseDataConverter(TEST_KEYRING);

/**
 * The SDK's default runtime logs every worker state change at INFO; tests want warnings only.
 * Runs before the first worker/native connection of this test process (the Runtime is per process).
 */
export function quietRuntime(): void {
  if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** The run's workflow bundle, for `Worker.create({ workflowBundle })`. Throws with the bundler's error when bundling failed. */
export function loadWorkflowBundle(): { codePath: string } {
  const codePath = inject('workflowBundlePath');
  if (!codePath) {
    throw new Error(
      `No workflow bundle: bundling src/workflows/index.ts failed in test/support/globalSetup.ts:\n${inject('workflowBundleError') ?? '(no message)'}`,
    );
  }
  return { codePath };
}

/** A task queue no other test file uses. */
export function uniqueTaskQueue(label = 'test'): string {
  return `${label}-${randomUUID()}`;
}

export interface TestTemporal {
  readonly address: string;
  readonly namespace: string;
  /** For workers. */
  readonly connection: NativeConnection;
  /** For starting, updating and querying workflows. */
  readonly client: Client;
  close(): Promise<void>;
}

/** Connections to the run's shared dev server (real Temporal, no time skipping); the client encrypts with TEST_KEYRING unless told otherwise. */
export async function connectTestTemporal(options: { dataConverter?: DataConverter } = {}): Promise<TestTemporal> {
  quietRuntime();
  const address = inject('temporalAddress');
  const namespace = inject('temporalNamespace');
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  return {
    address,
    namespace,
    connection,
    client: new Client({ connection: clientConnection, namespace, dataConverter: options.dataConverter ?? TEST_DATA_CONVERTER }),
    async close() {
      await clientConnection.close();
      await connection.close();
    },
  };
}

export interface StartTestWorkerOptions {
  connection: NativeConnection;
  activities: ActivityImplementations;
  /** Default: a fresh unique queue (read it back from the result). */
  taskQueue?: string;
  /** Default: the run's namespace. */
  namespace?: string;
  /** Default: TEST_DATA_CONVERTER. */
  dataConverter?: DataConverter;
}

export interface TestWorker {
  readonly worker: Worker;
  readonly taskQueue: string;
  /** Shuts the worker down and waits; rethrows if the worker had failed. */
  stop(): Promise<void>;
}

/** The service's worker (createCaseWorker) on the prebuilt bundle, running until `stop()`. */
export async function startTestWorker(options: StartTestWorkerOptions): Promise<TestWorker> {
  quietRuntime();
  const taskQueue = options.taskQueue ?? uniqueTaskQueue();
  const worker = await createCaseWorker({
    connection: options.connection,
    namespace: options.namespace ?? inject('temporalNamespace'),
    taskQueue,
    activities: options.activities,
    workflowBundle: loadWorkflowBundle(),
    dataConverter: options.dataConverter ?? TEST_DATA_CONVERTER,
  });
  let failure: Error | undefined;
  // Kept so stop() can wait for it; the catch keeps a failure from being an unhandled rejection.
  const running = worker.run().catch((err: unknown) => {
    failure = err instanceof Error ? err : new Error('test worker failed', { cause: err });
  });
  return {
    worker,
    taskQueue,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      if (failure) throw failure;
    },
  };
}

/**
 * A time-skipping test server of its own (Java test server binary from .tools). Time skips only
 * while the test awaits a workflow result or `env.sleep()`; drive update flows on the dev server.
 * Call `env.teardown()` when done.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createTimeSkipping({
    client: { dataConverter: TEST_DATA_CONVERTER },
    server: { executable: { type: 'existing-path', path: TEMPORAL_TEST_SERVER } },
  });
}
