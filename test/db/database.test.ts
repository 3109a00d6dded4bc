import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrations, openDatabase, type Database } from '../../src/db';
import {
  createTestDatabase,
  createTestDatabaseLocation,
  DATABASE_KINDS,
  type TestDatabase,
  type TestDatabaseLocation,
} from '../support/databases';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe.each(DATABASE_KINDS)('database on %s', (kind) => {
  describe('migrations', () => {
    const locations: TestDatabaseLocation[] = [];
    const opened: Database[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((db) => db.close()));
      await Promise.all(locations.splice(0).map((location) => location.cleanup()));
    });

    async function freshLocation(): Promise<TestDatabaseLocation> {
      const location = await createTestDatabaseLocation(kind);
      locations.push(location);
      return location;
    }

    async function open(location: TestDatabaseLocation): Promise<Database> {
      const db = await openDatabase({ databaseUrl: location.databaseUrl, dataDir: location.dataDir });
      opened.push(db);
      return db;
    }

    it('when the database is opened twice, then each migration is applied and recorded once', async () => {
      const location = await freshLocation();
      const first = await open(location);
      const before = await first.query<{ version: number; applied_at: string }>(
        'SELECT version, applied_at FROM schema_migrations ORDER BY version',
      );
      await first.close();

      const second = await open(location);
      const after = await second.query<{ version: number; applied_at: string }>(
        'SELECT version, applied_at FROM schema_migrations ORDER BY version',
      );

      expect(before.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
      expect(after).toEqual(before);
      const tables = await second.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() ORDER BY table_name`,
      );
      expect(tables.map((row) => row.name)).toEqual([
        'absence_candidate_decisions',
        'absence_candidate_runs',
        'absence_registrations',
        'audit_log',
        'case_events',
        'case_steps',
        'cases',
        'letter_drafts',
        'letter_revisions',
        'letter_templates',
        'notice_digests',
        'notices',
        'pupils',
        'resource_team_rhythms',
        'schema_migrations',
        'school_contacts',
        'school_holidays',
        'self_assessment_discussion',
        'self_assessment_participants',
        'self_assessment_priorities',
        'self_assessment_ratings',
        'self_assessment_rounds',
        'self_assessment_theme_notes',
        'ui_sessions',
        'ui_sign_ins',
      ]);
    });

    it.runIf(kind === 'postgres')(
      'when two service instances open the same fresh database at once, then both succeed and each migration runs once',
      async () => {
        const location = await freshLocation();
        const [a, b] = await Promise.all([open(location), open(location)]);
        const rows = await a.query<{ version: number }>('SELECT version FROM schema_migrations');
        expect(rows).toHaveLength(migrations.length);
        await expect(b.query('SELECT count(*) AS n FROM cases')).resolves.toEqual([{ n: 0 }]);
      },
    );
  });

  describe('values and transactions', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(kind);
      await t.db.query('CREATE TABLE scratch (id integer PRIMARY KEY, note text NOT NULL)');
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('when it is opened, then it reports its kind', () => {
      expect(t.db.kind).toBe(kind);
    });

    it('when dates, instants and big integers are selected, then they come back as the same strings and numbers on every driver', async () => {
      const [row] = await t.db.query(
        `SELECT '2026-11-23'::date AS day,
                '2026-11-23 08:15:00.123456+01'::timestamptz AS instant,
                '2026-11-23 08:15:00'::timestamp AS local_time,
                ARRAY['2026-11-23'::date, NULL] AS days,
                count(*) AS how_many,
                9007199254740993::int8 AS huge,
                1.50::numeric AS amount,
                '{"a": [1, "b"]}'::jsonb AS doc`,
      );
      expect(row).toEqual({
        day: '2026-11-23',
        instant: '2026-11-23T07:15:00.123456Z',
        local_time: '2026-11-23T08:15:00',
        days: ['2026-11-23', null],
        how_many: 1,
        huge: 9007199254740993n,
        amount: '1.50',
        doc: { a: [1, 'b'] },
      });
    });

    it('when now() is selected, then it is an ISO 8601 instant with an offset', async () => {
      const [row] = await t.db.query<{ now: string }>('SELECT now() AS now');
      expect(row?.now).toMatch(ISO_INSTANT);
    });

    it('when the work of a transaction succeeds, then its writes are kept', async () => {
      const result = await t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO scratch (id, note) VALUES ($1, $2)', [1, 'kept']);
        return 'done';
      });
      expect(result).toBe('done');
      await expect(t.db.query('SELECT note FROM scratch WHERE id = 1')).resolves.toEqual([{ note: 'kept' }]);
    });

    it('when the work of a transaction throws, then none of its writes are kept and the error is passed on', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query('INSERT INTO scratch (id, note) VALUES ($1, $2)', [2, 'lost']);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      await expect(t.db.query('SELECT note FROM scratch WHERE id = 2')).resolves.toEqual([]);
      // The connection is usable afterwards.
      await expect(t.db.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    });

    it('when a statement inside a transaction fails, then the transaction is rolled back', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.query('INSERT INTO scratch (id, note) VALUES ($1, $2)', [3, 'first']);
          await tx.query('INSERT INTO scratch (id, note) VALUES ($1, $2)', [3, 'duplicate']);
        }),
      ).rejects.toThrow();
      await expect(t.db.query('SELECT note FROM scratch WHERE id = 3')).resolves.toEqual([]);
    });

    it.runIf(kind === 'postgres')('when the same statement runs again on a connection, then the server prepared it once and answers from it', async () => {
      const prepared = await t.db.transaction(async (tx) => {
        await tx.query('SELECT note FROM scratch WHERE id = $1', [1]);
        const again = await tx.query<{ note: string }>('SELECT note FROM scratch WHERE id = $1', [1]);
        const statements = await tx.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements');
        return { again, statements: statements.map((row) => row.statement) };
      });
      expect(prepared.again).toEqual([{ note: 'kept' }]);
      expect(prepared.statements.filter((text) => text === 'SELECT note FROM scratch WHERE id = $1')).toHaveLength(1);
    });
  });
});
