/**
 * What seeding needs running, started the way `npm start` starts it (src/main.ts): the Temporal
 * dev server when no address is given, PGlite when no database URL is given, the service's own
 * worker with the real activities on the service's task queue, and the case service on top.
 * Stopped in reverse order.
 */
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { readFileSync } from 'node:fs';
import { NativeConnection, type Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities } from '../activities/index';
import { createCaseService } from '../api/caseService';
import { createCalendarSettings } from '../calendar/calendarSettings';
import { createCaseStore, openDatabase, type CaseStore, type Database } from '../db/index';
import type { Logger } from '../logger';
import { startDevServer } from '../temporal/devServer';
import { TASK_QUEUE } from '../temporal/names';
import { createCaseWorker, installTemporalRuntime, type ActivityImplementations } from '../worker';
import type { SeedService } from './driver';

export interface SeedStackOptions {
  logger: Logger;
  /** An existing Temporal frontend; unset: start the dev server. */
  temporalAddress?: string | undefined;
  namespace: string;
  /** DATA_DIR: the dev server's SQLite file and PGlite's files live here. */
  dataDir: string;
  /** Keep the dev server's state in memory (the bench): nothing written to dataDir. */
  ephemeralTemporal?: boolean;
  temporalPort?: number;
  temporalCliPath?: string | undefined;
  /** PostgreSQL; unset: PGlite in dataDir. */
  databaseUrl?: string | undefined;
  /** Default: the service's task queue, so the service's worker serves the seeded cases later. */
  taskQueue?: string;
  /** `caseDataConverter(keyring)`, with the keys of the service that will serve these cases. */
  dataConverter: DataConverter;
  /** A prebuilt workflow bundle (the bench bundles once for several workers); unset: bundled now. */
  workflowBundle?: WorkflowBundleOption;
}

export interface SeedStack {
  readonly db: Database;
  readonly store: CaseStore;
  readonly client: Client;
  readonly service: SeedService;
  readonly temporalAddress: string;
  readonly taskQueue: string;
  readonly worker: Worker;
  /** Time spent inside each activity, in ms per call (the real activities, timed). */
  readonly activityMs: Readonly<Record<string, number[]>>;
  /** CPU seconds used so far by the dev server this stack started (undefined when external). */
  devServerCpuSeconds(): number | undefined;
  /** Resident memory of the dev server this stack started, in bytes (undefined when external). */
  devServerRssBytes(): number | undefined;
  stop(): Promise<void>;
}

/** utime + stime of a process, in seconds (Linux /proc; undefined elsewhere). */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in bytes (Linux /proc; undefined elsewhere). */
function rssBytesOf(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The same activities, each call timed; behaviour and results unchanged. */
function timed(activities: ActivityImplementations, into: Record<string, number[]>): ActivityImplementations {
  const out: ActivityImplementations = {};
  for (const [name, run] of Object.entries(activities)) {
    const samples: number[] = (into[name] = []);
    out[name] = async (...args: never[]) => {
      const startedAt = process.hrtime.bigint();
      try {
        return await run(...args);
      } finally {
        samples.push(Number(process.hrtime.bigint() - startedAt) / 1e6);
      }
    };
  }
  return out;
}

export async function startSeedStack(options: SeedStackOptions): Promise<SeedStack> {
  const log = options.logger;
  const stops: { name: string; run: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const step of stops.splice(0).reverse()) {
      try {
        await step.run();
      } catch {
        log.warn('could not stop cleanly', { part: step.name });
      }
    }
  };
  try {
    installTemporalRuntime(log);
    let temporalAddress = options.temporalAddress;
    let devServerPid: number | undefined;
    if (!temporalAddress) {
      const devServer = await startDevServer({
        dataDir: options.dataDir,
        namespace: options.namespace,
        port: options.ephemeralTemporal ? 0 : (options.temporalPort ?? 7233),
        ephemeral: options.ephemeralTemporal ?? false,
        headless: true,
        ...(options.temporalCliPath ? { cliPath: options.temporalCliPath } : {}),
        logger: log,
      });
      stops.push({ name: 'temporal dev server', run: () => devServer.stop() });
      temporalAddress = devServer.address;
      devServerPid = devServer.pid;
      log.info('embedded Temporal started', { address: temporalAddress, ephemeral: options.ephemeralTemporal ?? false });
    }

    const db = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
    stops.push({ name: 'database', run: () => db.close() });
    const store = createCaseStore(db);

    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    stops.push({ name: 'worker connection', run: () => nativeConnection.close() });
    const connection = await Connection.connect({ address: temporalAddress });
    stops.push({ name: 'client connection', run: () => connection.close() });
    const client = new Client({ connection, namespace: options.namespace, dataConverter: options.dataConverter });

    const taskQueue = options.taskQueue ?? TASK_QUEUE;
    const activityMs: Record<string, number[]> = {};
    // The activities `npm start` registers (src/main.ts), timed: letters are drafted and notices
    // queued in the database, but no mailer is given, so nothing is sent.
    const worker = await createCaseWorker({
      connection: nativeConnection,
      namespace: options.namespace,
      taskQueue,
      activities: timed(createActivities({ store, db }), activityMs),
      dataConverter: options.dataConverter,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
    });
    const running = worker.run();
    let workerError: unknown;
    running.catch((error: unknown) => {
      workerError = error;
      log.error('worker failed', { error: error instanceof Error ? error.name : typeof error });
    });
    stops.push({
      name: 'worker',
      run: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
        if (workerError !== undefined) {
          throw workerError instanceof Error ? workerError : new Error('the worker failed', { cause: workerError });
        }
      },
    });

    // The case service as the API builds it (src/api/app.ts): new cases count their deadlines
    // on the school's calendar as set in the database.
    const calendars = createCalendarSettings(db);
    const service = createCaseService({
      client,
      store,
      taskQueue,
      calendarFor: (schoolId, openedOn) => calendars.calendarForCase(schoolId, openedOn),
    });
    const pid = devServerPid;
    return {
      db,
      store,
      client,
      service,
      temporalAddress,
      taskQueue,
      worker,
      activityMs,
      devServerCpuSeconds: () => (pid === undefined ? undefined : cpuSecondsOf(pid)),
      devServerRssBytes: () => (pid === undefined ? undefined : rssBytesOf(pid)),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
