/**
 * The API under test, in process and over real HTTP: the express app on an ephemeral port, the
 * run-wide Temporal dev server, a real worker on its own task queue, and a fresh database.
 *
 *   let temporal: TestTemporal; let api: RunningApi;
 *   beforeAll(async () => { temporal = await connectTestTemporal(); api = await startApi({ temporal, kind: 'postgres' }); });
 *   afterAll(async () => { await api?.close(); await temporal?.close(); });
 *   const res = await api.http.post('/api/cases', openCaseBody({ schoolId }));
 */
import { routeTokens, testTokenVerifier } from '../../support/tokens';
import type { TokenVerifier } from '../../../src/access';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createActivities } from '../../../src/activities';
import { createApp, type AppDeps } from '../../../src/api/app';
import { createHealthCheck } from '../../../src/api/server';
import { createCaseStore } from '../../../src/db';
import type { CaseStore, Database } from '../../../src/db/types';
import type { CaseView } from '../../../src/domain/schemas';
import { workflowIdForCase } from '../../../src/temporal/names';
import { caseViewQuery } from '../../../src/workflows/definitions';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../../support/databases';
import { startTestWorker, TEST_DATA_CONVERTER, uniqueTaskQueue, type TestTemporal, type TestWorker } from '../../support/temporal';
import { HttpClient } from './http';

export interface RunningApi {
  readonly kind: DatabaseKind;
  readonly baseUrl: string;
  readonly http: HttpClient;
  readonly store: CaseStore;
  readonly database: TestDatabase;
  readonly taskQueue: string;
  /** The case as its workflow holds it (a query, no change). */
  workflowView(caseId: string): Promise<CaseView>;
  close(): Promise<void>;
}

export interface StartApiOptions {
  temporal: TestTemporal;
  kind: DatabaseKind;
  /** Default: the service's own health check over the real client and store. */
  health?: (store: CaseStore) => AppDeps['health'];
  /** Default true; an app that only serves documents and health needs no worker. */
  worker?: boolean;
  /** CORS origins and rate limit; default: CORS closed and a limit no test reaches. */
  security?: AppDeps['security'];
  /** The web UI and its sign-in; default: the API alone. */
  ui?: AppDeps['ui'];
  /** The app's clock; default the real one. */
  now?: () => Date;
  /** Which bearer tokens the API trusts; default: the test key's (testTokenVerifier). */
  tokens?: TokenVerifier;
  /** The port on 127.0.0.1; default a free one. */
  port?: number;
  /** Prints the handover package; default Chromium at CHROMIUM_PATH. */
  pdf?: AppDeps['pdf'];
  /** Where the app reports failures (default: nowhere), e.g. to look for data that must not be logged. */
  logError?: AppDeps['logError'];
  /** The database as the worker's activities see it (e.g. with faults injected); default the same one. */
  workerDatabase?: (db: Database) => Database;
}

/** Listens on the port (default 0: a free one) and answers once it is known. */
export async function listen(app: ReturnType<typeof createApp>, port = 0): Promise<{ server: Server; baseUrl: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const started: Server = app.listen(port, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(started)));
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    server,
    baseUrl: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
}

export async function startApi(options: StartApiOptions): Promise<RunningApi> {
  const { temporal, kind } = options;
  const database = await createTestDatabase(kind);
  const store = createCaseStore(database.db);
  const taskQueue = uniqueTaskQueue(`api-${kind}`);
  let worker: TestWorker | undefined;
  let listening: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    if (options.worker !== false) {
      worker = await startTestWorker({ connection: temporal.connection, activities: createActivities({ store, db: options.workerDatabase?.(database.db) ?? database.db }), taskQueue });
    }
    const app = createApp({
      client: temporal.client,
      store,
      db: database.db,
      tokens: options.tokens ?? (await testTokenVerifier()),
      security: options.security ?? { requestsPerMinute: 100_000 },
      payloadCodecs: TEST_DATA_CONVERTER.payloadCodecs ?? [],
      health: options.health ? options.health(store) : createHealthCheck({ client: temporal.client, store }),
      taskQueue,
      ...(options.ui !== undefined ? { ui: options.ui } : {}),
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...(options.pdf !== undefined ? { pdf: options.pdf } : {}),
      ...(options.logError !== undefined ? { logError: options.logError } : {}),
    });
    listening = await listen(app, options.port);
  } catch (error) {
    await worker?.stop().catch(() => undefined);
    await database.cleanup();
    throw error;
  }
  const { baseUrl } = listening;
  const running = listening;
  return {
    kind,
    baseUrl,
    http: new HttpClient(baseUrl, routeTokens()),
    store,
    database,
    taskQueue,
    workflowView: (caseId) => temporal.client.workflow.getHandle(workflowIdForCase(caseId)).query(caseViewQuery),
    async close() {
      try {
        await running.close();
        await worker?.stop();
      } finally {
        await database.cleanup();
      }
    },
  };
}
