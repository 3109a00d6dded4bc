/**
 * An action whose effects cannot be recorded now, over HTTP: the worker's database connection
 * fails (a fault injected after the step's real work, so PostgreSQL rolls it back), the request
 * answers 503 with Retry-After instead of hanging, and once the database is back the same
 * request (same Idempotency-Key) answers the case with the action in it, applied once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/types';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { casesApi, expectCase, expectProblem, openCase, uniqueKey, type CasesApi } from './support/cases';
import { startApi, type RunningApi } from './support/harness';

let temporal: TestTemporal;
let running: RunningApi;
let api: CasesApi;
const faults = { down: false };

const lost = () => Object.assign(new Error('connection lost'), { code: '08006' });

/**
 * While `down`, every transaction of the worker, and the effect step's write when it is one
 * statement, fails as a lost connection does (SQLSTATE 08006), after its real work (rolled back).
 */
function flaky(db: Database): Database {
  return {
    kind: db.kind,
    query<R extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      if (!faults.down || !sql.includes('INSERT INTO cases')) return db.query<R>(sql, params);
      return db.transaction(async (tx) => {
        await tx.query<R>(sql, params);
        throw lost();
      });
    },
    transaction: (work) =>
      db.transaction(async (tx) => {
        const result = await work(tx);
        if (faults.down) throw lost();
        return result;
      }),
    close: () => db.close(),
  };
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  running = await startApi({ temporal, kind: 'postgres', workerDatabase: flaky });
  api = casesApi(running.http);
});

afterAll(async () => {
  await running?.close();
  await temporal?.close();
});

describe('when the database cannot record an action', () => {
  it('when a step is completed while the database is down, then 503 with Retry-After; the same request once it is back answers the case, the step done once', async () => {
    const opened = await openCase(api);
    const key = uniqueKey('complete');
    faults.down = true;
    let refused;
    try {
      refused = await api.complete(opened.caseId, 'pupil_conversation', {}, key);
    } finally {
      faults.down = false;
    }
    expectProblem(refused, 503, { type: 'https://fravaersforloeb.dk/problems/unavailable' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // The case kept the action and records it by itself once the database answers again.
    await expect
      .poll(async () => expectCase(await api.get(opened.caseId)).steps.find((step) => step.stepId === 'pupil_conversation')?.status, { timeout: 30_000, interval: 500 })
      .toBe('done');
    const again = expectCase(await api.complete(opened.caseId, 'pupil_conversation', {}, key));
    expect(again.steps.find((step) => step.stepId === 'pupil_conversation')?.status).toBe('done');
    const history = expectCase(await api.get(opened.caseId)).history.filter((entry) => entry.event === 'step_done' && entry.stepId === 'pupil_conversation');
    expect(history).toHaveLength(1);

    // And the case takes its next action as usual.
    expect(expectCase(await api.complete(opened.caseId, 'parent_conversation')).steps.find((step) => step.stepId === 'parent_conversation')?.status).toBe('done');
  });
});
