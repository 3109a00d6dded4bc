/**
 * The API with its read-side routes, in process and over real HTTP, on a fresh database of the
 * given kind. With `worker: true` a real worker runs the case workflows on its own task queue;
 * `now` fixes the app's clock (the read side's "today").
 */
import { routeTokens, testTokenVerifier } from '../../support/tokens';
import { createActivities } from '../../../src/activities';
import { createApp } from '../../../src/api/app';
import { createCaseStore } from '../../../src/db';
import type { CaseStore, Database } from '../../../src/db/types';
import { listen } from '../../api/support/harness';
import { HttpClient } from '../../api/support/http';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../../support/databases';
import { startTestWorker, uniqueTaskQueue, type TestTemporal, type TestWorker } from '../../support/temporal';

export interface ReadApi {
  readonly http: HttpClient;
  readonly db: Database;
  readonly store: CaseStore;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

export interface StartReadApiOptions {
  kind: DatabaseKind;
  temporal: TestTemporal;
  now?: () => Date;
  worker?: boolean;
}

export async function startReadApi(options: StartReadApiOptions): Promise<ReadApi> {
  const database = await createTestDatabase(options.kind);
  const store = createCaseStore(database.db);
  const taskQueue = uniqueTaskQueue(`read-${options.kind}`);
  let worker: TestWorker | undefined;
  let listening: Awaited<ReturnType<typeof listen>>;
  try {
    if (options.worker === true) {
      worker = await startTestWorker({ connection: options.temporal.connection, activities: createActivities({ store, db: database.db }), taskQueue });
    }
    const app = createApp({
      client: options.temporal.client,
      store,
      db: database.db,
      tokens: await testTokenVerifier(),
      security: { requestsPerMinute: 100_000 },
      health: () => Promise.resolve({ temporal: true, database: true }),
      taskQueue,
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
    listening = await listen(app);
  } catch (error) {
    await worker?.stop().catch(() => undefined);
    await database.cleanup();
    throw error;
  }
  const running = listening;
  return {
    http: new HttpClient(running.baseUrl, routeTokens()),
    db: database.db,
    store,
    database,
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
