/**
 * The Temporal worker that runs case workflows and their activities.
 *
 * `createCaseWorker` is used by `npm start` (src/main.ts) and tests; run directly
 * (`npm run worker`) this file is a worker-only process for deployments where Temporal and
 * PostgreSQL run elsewhere (docker-compose.yml).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter, LogLevel as SdkLogLevel, LogMetadata } from '@temporalio/common';
import { Client } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities/index';
import { ConfigError, loadConfig, type EffectsConfig } from './config';
import { createCaseStore, openDatabase } from './db/index';
import { failStartup, isMainModule, onShutdownSignal } from './lifecycle';
import { noticeDispatcherWaker, startNoticeDispatcher } from './notices/dispatcher';
import { ensureOpsporingSchedule } from './school/schedule';
import { noticeSetup } from './notices/setup';
import { createLogger, errorFields, type LogFields, type Logger } from './logger';
import { caseDataConverter } from './temporal/dataConverter';
import { WORKFLOW_BUNDLE_OPTIONS } from './temporal/workflowBundle';
import { keyringLogFields, loadKeyring } from './temporal/keyFile';
import { TASK_QUEUE } from './temporal/names';

/** The workflow sources; the worker bundles them with webpack when no prebuilt bundle is given. */
export const WORKFLOWS_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workflows', 'index.ts');

export type ActivityImplementations = Record<string, (...args: never[]) => Promise<unknown>>;

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  /** Default: the service's TASK_QUEUE. Tests pass a unique one. */
  taskQueue?: string;
  activities: ActivityImplementations;
  /**
   * Prebuilt by `bundleWorkflowCode({ workflowsPath, ...WORKFLOW_BUNDLE_OPTIONS })` (tests,
   * production), so the sandbox encodes failures too; else WORKFLOWS_PATH is bundled now.
   */
  workflowBundle?: WorkflowBundleOption;
  /** `caseDataConverter(keyring)`: payloads and failure messages encrypted, as the clients expect. */
  dataConverter: DataConverter;
  /** Workflows kept in memory between tasks (config WORKER_MAX_CACHED_WORKFLOWS); unset: the SDK's default. */
  maxCachedWorkflows?: number;
}

export async function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    activities: options.activities,
    dataConverter: options.dataConverter,
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: WORKFLOW_BUNDLE_OPTIONS.preloadModules } }),
  });
}

/** The effect step's alert from the configuration: the address (when set) and our error log. */
export function effectsAlerting(config: EffectsConfig, logger: Logger): NonNullable<ActivityDeps['effects']> {
  const log = logger.child({ component: 'effects' });
  return {
    ...(config.alertTo !== undefined ? { alertTo: config.alertTo } : {}),
    logError: (message, fields) => log.error(message, fields),
  };
}

/** SDK metadata keys that carry identifiers only; everything else (payload excerpts, failure text) is dropped. */
const SAFE_SDK_META = ['namespace', 'taskQueue', 'workflowType', 'workflowId', 'runId', 'activityType', 'activityId', 'attempt', 'state', 'sdkComponent'];

/**
 * Routes the Temporal SDK's log lines through our logger, keeping identifiers only, and turns off
 * the SDK's own SIGINT/SIGTERM handling: the entry points stop things in their own order.
 * Must run before anything creates a worker or NativeConnection; later calls are no-ops.
 */
export function installTemporalRuntime(logger: Logger): void {
  if (Runtime._instance) return;
  const log = logger.child({ component: 'temporal-sdk' });
  const toFields = (meta?: LogMetadata): LogFields => {
    const fields: Record<string, string | number | boolean> = {};
    for (const key of SAFE_SDK_META) {
      const value: unknown = meta?.[key];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
    }
    return fields;
  };
  const emit = (level: SdkLogLevel, message: string, meta?: LogMetadata) => {
    const fields = toFields(meta);
    // The SDK's INFO is chatty (webpack output, every state change): our debug level.
    if (level === 'ERROR') log.error(message, fields);
    else if (level === 'WARN') log.warn(message, fields);
    else log.debug(message, fields);
  };
  Runtime.install({
    shutdownSignals: [],
    logger: {
      log: emit,
      trace: (m, meta) => emit('TRACE', m, meta),
      debug: (m, meta) => emit('DEBUG', m, meta),
      info: (m, meta) => emit('INFO', m, meta),
      warn: (m, meta) => emit('WARN', m, meta),
      error: (m, meta) => emit('ERROR', m, meta),
    },
  });
}

/** `npm run worker`: a worker-only process against an external Temporal cluster. */
async function runWorkerProcess(): Promise<void> {
  let logger = createLogger();
  try {
    const config = loadConfig();
    logger = createLogger({ level: config.logLevel, format: config.logFormat }, { component: 'worker' });
    if (!config.temporalAddress) {
      throw new ConfigError('TEMPORAL_ADDRESS is required for `npm run worker` (use `npm start` for the embedded server)');
    }
    if (!config.databaseUrl) {
      // PGlite allows one process per data directory; a separate api process could not share it.
      logger.warn('DATABASE_URL unset: using embedded PGlite; no other process may use this DATA_DIR', { dataDir: config.dataDir });
    }
    installTemporalRuntime(logger);
    const keys = await loadKeyring(config, { requiredFor: '`npm run worker`' });
    const dataConverter = caseDataConverter(keys.keyring);
    logger.info('payload encryption', keyringLogFields(keys));

    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    let connection: NativeConnection | undefined;
    try {
      connection = await NativeConnection.connect({ address: config.temporalAddress });
      // For the notice dispatcher: start it (once per namespace) and wake it when notices are queued.
      const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter });
      const notices = noticeSetup(config.notices, { logger, wakeDispatcher: noticeDispatcherWaker(client) });
      const worker = await createCaseWorker({
        connection,
        namespace: config.temporalNamespace,
        activities: createActivities({ store: createCaseStore(db), db, notices: notices.options, effects: effectsAlerting(config.effects, logger) }),
        dataConverter,
        maxCachedWorkflows: config.maxCachedWorkflows,
        // Prebuilt: the worker is up in a second instead of running webpack at every start.
        ...(config.workflowBundlePath !== undefined ? { workflowBundle: { codePath: config.workflowBundlePath } } : {}),
      });
      const running = worker.run();
      if (notices.mailer) await startNoticeDispatcher(client);
      // The nightly opsporing (one schedule per namespace; this finds it when it exists already).
      await ensureOpsporingSchedule(client);
      logger.info('worker running', { taskQueue: TASK_QUEUE, namespace: config.temporalNamespace });

      const conn = connection;
      onShutdownSignal(logger, async () => {
        // shutdown() throws unless RUNNING (e.g. it already failed on its own).
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
        notices.mailer?.close();
        await conn.close();
        await db.close();
      });
      // A worker that stops on its own (fatal error) ends the process with an error.
      await running.catch(async (err: unknown) => {
        logger.error('worker stopped', errorFields(err));
        await conn.close().catch(() => undefined);
        await db.close().catch(() => undefined);
        process.exit(1);
      });
    } catch (err) {
      await connection?.close().catch(() => undefined);
      await db.close().catch(() => undefined);
      throw err;
    }
  } catch (err) {
    failStartup(logger, err);
  }
}

if (isMainModule(import.meta.url)) {
  await runWorkerProcess();
}
