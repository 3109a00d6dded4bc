/**
 * The service over real HTTP for the letter tests: the express app with its database (so the
 * drafts routes are mounted), the run-wide Temporal dev server, and a real worker whose
 * activities draft letters into that same database.
 */
import { routeTokens, testTokenVerifier } from '../support/tokens';
import { createActivities } from '../../src/activities';
import { createApp } from '../../src/api/app';
import { createHealthCheck } from '../../src/api/server';
import { createCaseStore } from '../../src/db';
import { loadLetterTemplates } from '../../src/letters/loadTemplates';
import { listen } from '../api/support/harness';
import { HttpClient } from '../api/support/http';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/databases';
import { startTestWorker, uniqueTaskQueue, type TestTemporal, type TestWorker } from '../support/temporal';

export interface LettersApi {
  readonly http: HttpClient;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

export async function startLettersApi(temporal: TestTemporal, kind: DatabaseKind): Promise<LettersApi> {
  const database = await createTestDatabase(kind);
  const store = createCaseStore(database.db);
  const taskQueue = uniqueTaskQueue(`letters-${kind}`);
  let worker: TestWorker | undefined;
  let listening: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    worker = await startTestWorker({
      connection: temporal.connection,
      activities: createActivities({ store, db: database.db, letterTemplates: loadLetterTemplates() }),
      taskQueue,
    });
    const app = createApp({
      client: temporal.client,
      store,
      db: database.db,
      tokens: await testTokenVerifier(),
      security: { requestsPerMinute: 100_000 },
      health: createHealthCheck({ client: temporal.client, store }),
      taskQueue,
    });
    listening = await listen(app);
  } catch (error) {
    await worker?.stop().catch(() => undefined);
    await database.cleanup();
    throw error;
  }
  const running = listening;
  const started = worker;
  return {
    http: new HttpClient(running.baseUrl, routeTokens()),
    database,
    async close() {
      try {
        await running.close();
        await started.stop();
      } finally {
        await database.cleanup();
      }
    },
  };
}
