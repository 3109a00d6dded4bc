/**
 * The service over real HTTP for the notice tests: the express app with its database, the
 * run-wide Temporal dev server, a real worker whose activities queue and deliver notices, the
 * notice dispatcher workflow (its own workflow id, so test files sharing the server do not meet),
 * and mail through the given SMTP server. The dispatcher's clock is the test's.
 */
import { routeTokens, testTokenVerifier } from '../support/tokens';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../src/activities';
import { createApp } from '../../src/api/app';
import { createHealthCheck } from '../../src/api/server';
import { createCaseStore } from '../../src/db';
import { loadLetterTemplates } from '../../src/letters/loadTemplates';
import { noticeDispatcherWaker, startNoticeDispatcher } from '../../src/notices/dispatcher';
import { createSmtpMailer } from '../../src/notices/mailer';
import type { RetryPolicy } from '../../src/notices/store';
import type { noticeDispatcherWorkflow } from '../../src/workflows';
import { listen } from '../api/support/harness';
import { HttpClient, type Answer } from '../api/support/http';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/databases';
import { startTestWorker, uniqueTaskQueue, type TestTemporal, type TestWorker } from '../support/temporal';

export const PUBLIC_BASE_URL = 'https://fravaer.example.dk';
export const MAIL_FROM = 'Fraværsforløb <fravaer@kommune.example.dk>';

export interface NoticesApiOptions {
  smtpUrl: string;
  now: () => Date;
  retry: RetryPolicy;
  pollSeconds: number;
  digestHour: number;
  roundsPerRun: number;
  /** When steps count as due soon (a wide window gives due-soon notices the day a case opens). */
  thresholds?: { dueSoonSchoolDays: number; leaderAlertSchoolDays: number };
}

export interface NoticesApi {
  readonly http: HttpClient;
  readonly database: TestDatabase;
  readonly dispatcherId: string;
  readonly dispatcher: WorkflowHandle<typeof noticeDispatcherWorkflow>;
  readonly taskQueue: string;
  put(path: string, body: unknown, raw?: string): Promise<Answer>;
  close(): Promise<void>;
}

export async function startNoticesApi(temporal: TestTemporal, kind: DatabaseKind, options: NoticesApiOptions): Promise<NoticesApi> {
  const database = await createTestDatabase(kind);
  const store = createCaseStore(database.db);
  const taskQueue = uniqueTaskQueue(`notices-${kind}`);
  const dispatcherId = `notice-dispatcher-test-${randomUUID()}`;
  const mailer = createSmtpMailer({ url: options.smtpUrl, from: MAIL_FROM, timeoutMs: 5_000 });
  let worker: TestWorker | undefined;
  let listening: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    worker = await startTestWorker({
      connection: temporal.connection,
      taskQueue,
      activities: createActivities({
        store,
        db: database.db,
        letterTemplates: loadLetterTemplates(),
        notices: {
          mailer,
          now: options.now,
          compose: { publicBaseUrl: PUBLIC_BASE_URL },
          retry: options.retry,
          digestHour: options.digestHour,
          pollSeconds: options.pollSeconds,
          onQueued: noticeDispatcherWaker(temporal.client, dispatcherId),
          warn: () => undefined,
        },
      }),
    });
    const app = createApp({
      client: temporal.client,
      store,
      db: database.db,
      tokens: await testTokenVerifier(),
      security: { requestsPerMinute: 100_000 },
      health: createHealthCheck({ client: temporal.client, store }),
      taskQueue,
      noticeDispatcherWorkflowId: dispatcherId,
      ...(options.thresholds !== undefined ? { thresholds: options.thresholds } : {}),
    });
    listening = await listen(app);
    await startNoticeDispatcher(temporal.client, { taskQueue, workflowId: dispatcherId, args: { roundsPerRun: options.roundsPerRun } });
  } catch (error) {
    await listening?.close().catch(() => undefined);
    await worker?.stop().catch(() => undefined);
    mailer.close();
    await database.cleanup();
    throw error;
  }
  const running = listening;
  const started = worker;
  const bearer = routeTokens();
  const dispatcher = temporal.client.workflow.getHandle<typeof noticeDispatcherWorkflow>(dispatcherId);
  return {
    http: new HttpClient(running.baseUrl, bearer),
    database,
    dispatcherId,
    dispatcher,
    taskQueue,
    async put(path, body, raw) {
      const res = await fetch(`${running.baseUrl}${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await bearer('PUT', path)}` },
        body: raw ?? JSON.stringify(body),
      });
      const text = await res.text();
      const contentType = res.headers.get('content-type') ?? '';
      const isJson = /^application\/(?:[\w.+-]+\+)?json\b/.test(contentType);
      return { status: res.status, headers: res.headers, contentType, body: isJson ? (JSON.parse(text) as unknown) : text, text };
    },
    async close() {
      try {
        await running.close();
        // The worker first: it lets a round in flight finish, so no completion arrives for a
        // workflow that is gone.
        await started.stop();
        await dispatcher.terminate('test finished').catch(() => undefined);
      } finally {
        mailer.close();
        await database.cleanup();
      }
    },
  };
}
