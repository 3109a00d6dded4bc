/**
 * Migration 2 over a database that already holds cases recorded under migration 1: every event
 * gets its school date, and a rebuild then fills the steps table. On PGlite and on the server.
 */
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaseStore, openDatabase } from '../../src/db';
import { migrations, runMigrations, type MigrationTarget, type ScriptTransaction } from '../../src/db/migrations';
import { rebuildReadModel } from '../../src/readModel';
import { createTestDatabaseLocation, DATABASE_KINDS, type DatabaseKind, type TestDatabaseLocation } from '../support/databases';
import { MachineCase } from './support/machineCases';

/** A bare connection to a fresh location, migrated by hand. */
async function rawTarget(kind: DatabaseKind, location: TestDatabaseLocation): Promise<MigrationTarget & ScriptTransaction & { close(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await PGlite.create(path.join(location.dataDir, 'pglite'));
    const handle = (tx: Pick<PGlite, 'query' | 'exec'>): ScriptTransaction => ({
      query: async <R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) => (await tx.query<R>(sql, [...params])).rows,
      exec: async (sql: string) => {
        await tx.exec(sql);
      },
    });
    return { ...handle(db), transaction: (work) => db.transaction((tx) => work(handle(tx))), close: () => db.close() };
  }
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  const handle: ScriptTransaction = {
    query: async <R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) => (await client.query<R>(sql, [...params])).rows,
    exec: async (sql: string) => {
      await client.query(sql);
    },
  };
  return {
    ...handle,
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const result = await work(handle);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    close: () => client.end(),
  };
}

describe.each(DATABASE_KINDS)('migration 2 on %s', (kind) => {
  let location: TestDatabaseLocation | undefined;
  afterEach(async () => {
    await location?.cleanup();
  });

  it('when it runs over events recorded before it, then each gets the date its view gives, or else the Danish date it was recorded', async () => {
    location = await createTestDatabaseLocation(kind);
    const raw = await rawTarget(kind, location);
    try {
      await runMigrations(raw, migrations.slice(0, 1));
      const history = [
        // Recorded 00:30 on 5 October in Denmark (22:30 UTC the day before); its view has no 'on'.
        { seq: 1, at: '2026-10-04T22:30:00Z', event: 'opened', phase: 'mapping' },
        // Back-dated: decided 16 October, entered 20 October.
        { seq: 2, at: '2026-10-20T09:00:00Z', on: '2026-10-16', event: 'assessment', phase: 'mapping' },
      ];
      await raw.query(
        `INSERT INTO cases (case_id, pupil_ref, school_id, grade, tovholder, opened_on, phase, version, view)
         VALUES ('c-old', 'P-1', 'S1', 6, 'kim', '2026-10-05', 'mapping', 3, $1::jsonb)`,
        [JSON.stringify({ history })],
      );
      await raw.query(
        `INSERT INTO case_events (case_id, seq, at, type, phase) VALUES
           ('c-old', 1, '2026-10-04T22:30:00Z', 'opened', 'mapping'),
           ('c-old', 2, '2026-10-20T09:00:00Z', 'assessment', 'mapping'),
           ('c-old', 3, '2026-10-20T21:59:00Z', 'step_done', 'mapping')`,
      );

      await runMigrations(raw);

      const rows = await raw.query<{ seq: number; on_date: unknown }>(`SELECT seq, on_date::text AS on_date FROM case_events ORDER BY seq`);
      // seq 3 is in no view: 21:59 UTC on 20 October is 23:59 in Denmark, still the 20th.
      expect(rows).toEqual([
        { seq: 1, on_date: '2026-10-05' },
        { seq: 2, on_date: '2026-10-16' },
        { seq: 3, on_date: '2026-10-20' },
      ]);
      const [nullable] = await raw.query<{ is_nullable: string }>(
        `SELECT is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'case_events' AND column_name = 'on_date'`,
      );
      expect(nullable?.is_nullable).toBe('NO');
    } finally {
      await raw.close();
    }
  });

  it('when cases recorded before it are rebuilt, then their steps are filled from their views', async () => {
    location = await createTestDatabaseLocation(kind);
    const db = await openDatabase({ databaseUrl: location.databaseUrl, dataDir: location.dataDir });
    try {
      const store = createCaseStore(db);
      const recorded = await MachineCase.open(store, { caseId: 'c-steps', schoolId: 'S1', tovholder: 'kim', pupilRef: 'P-1', openedOn: '2026-10-05' });
      await recorded.complete('pupil_conversation', '2026-10-12');
      // As a database migrated from version 1 has it: no step rows yet.
      await db.query('DELETE FROM case_steps');

      const report = await rebuildReadModel({ db, store });
      expect(report).toMatchObject({ cases: 1, steps: 4, eventsRestored: 0, eventDatesFixed: 0 });
      const steps = await db.query(`SELECT step_id, status, due_on, created_on, completed_on FROM case_steps ORDER BY step_id`);
      expect(steps).toEqual([
        { step_id: 'assessment', status: 'open', due_on: '2026-10-23', created_on: '2026-10-05', completed_on: null },
        { step_id: 'class_community', status: 'open', due_on: '2026-10-23', created_on: '2026-10-05', completed_on: null },
        // Statuses as of Mon 12-10, the view's date: Fri 16-10 is 4 school days ahead, not yet due soon.
        { step_id: 'parent_conversation', status: 'open', due_on: '2026-10-16', created_on: '2026-10-05', completed_on: null },
        { step_id: 'pupil_conversation', status: 'done', due_on: '2026-10-16', created_on: '2026-10-05', completed_on: '2026-10-12' },
      ]);
    } finally {
      await db.close();
    }
  });
});
