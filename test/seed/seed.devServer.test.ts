/**
 * Seeding for real: 20 generated cases through the case service, their workflows on the run's
 * Temporal dev server, a real worker with the real activities, into a fresh PostgreSQL schema —
 * then found in the read model, each in the phase its script ends in.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createCaseService } from '../../src/api/caseService';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import { danishDateOf } from '../../src/domain/dates';
import { overdueBoard } from '../../src/readModel';
import { runScripts, type SeedRunResult } from '../../src/seed/driver';
import { generateScenario, type CaseScript } from '../../src/seed/plan';
import { readModelPhases } from '../../src/seed/report';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectTestTemporal, startTestWorker, type TestTemporal, type TestWorker } from '../support/temporal';

describe('seeding 20 cases through the real workflows', () => {
  let temporal: TestTemporal;
  let database: TestDatabase;
  let store: CaseStore;
  let worker: TestWorker;
  let scripts: CaseScript[];
  let result: SeedRunResult;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    database = await createTestDatabase('postgres');
    store = createCaseStore(database.db);
    worker = await startTestWorker({ connection: temporal.connection, activities: createActivities({ store, db: database.db }) });
    // Keys are unique to this run: case IDs derive from them, and the dev server is shared.
    scripts = generateScenario({ cases: 20, seed: 11, today: danishDateOf(new Date()), keyPrefix: `seed-test-${randomUUID()}` });
    const service = createCaseService({ client: temporal.client, store, taskQueue: worker.taskQueue });
    result = await runScripts(service, scripts, { concurrency: 8 });
  }, 240_000);

  afterAll(async () => {
    await worker?.stop();
    await temporal?.close();
    await database?.cleanup();
  });

  it('then no action was refused and every case ended as its script says', () => {
    expect(result.failures).toEqual([]);
    expect(result.mismatches).toEqual([]);
    expect(result.done).toBe(20);
    // The scenario is not trivial: some cases are still open, some closed, some got a plan.
    const phases = new Set(scripts.map((script) => script.expected.phase));
    expect(phases.has('closed')).toBe(true);
    expect(phases.has('follow_up')).toBe(true);
  });

  it('then the read model holds every case, in its phase, with its plan revisions and follow-ups', async () => {
    const phases = await readModelPhases(database.db, result.caseIds);
    expect(phases.missing).toBe(0);
    for (const script of scripts) {
      const caseId = result.caseIds[script.index] ?? '';
      const view = await store.getCase(caseId);
      expect(view, `case #${script.index}`).not.toBeNull();
      expect(view?.phase).toBe(script.expected.phase);
      expect(view?.openedOn).toBe(script.open.openedOn);
      expect(view?.planRevision).toBe(script.expected.planRevisions);
      expect(view?.followUps).toHaveLength(script.expected.followUps);
      expect(view?.escalationLevel).toBe(script.expected.escalationLevel);
      if (script.expected.closedOn !== undefined) expect(view?.closure?.closedOn).toBe(script.expected.closedOn);
    }
    const listed = new Set<string>();
    for (const schoolId of new Set(scripts.map((script) => script.open.schoolId))) {
      for (const summary of await store.listCases({ schoolId })) listed.add(summary.caseId);
    }
    expect([...listed].sort()).toEqual([...result.caseIds].sort());
  });

  it('then the overdue board lists only steps of seeded cases that are still open', async () => {
    const open = new Set(scripts.filter((s) => s.expected.phase !== 'closed').map((s) => result.caseIds[s.index]));
    const items = await overdueBoard(database.db, {}, danishDateOf(new Date()));
    for (const item of items) expect(open.has(item.caseId), `${item.stepId} of a closed case`).toBe(true);
  });

  it('then the events are recorded with the dates the actions took effect', async () => {
    const rows = await database.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM case_events WHERE case_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(result.caseIds)],
    );
    // At least the opening, the phase entered and each action per case.
    const minimum = scripts.reduce((sum, script) => sum + 2 + script.actions.length, 0);
    expect(rows[0]?.n).toBeGreaterThanOrEqual(minimum);
  });
});
