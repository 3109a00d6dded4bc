/**
 * The schema, as numbered migrations applied in order, each once, each in its own transaction.
 * Never edit a migration that has shipped: add the next number instead.
 * The SQL must run on PostgreSQL 15 (the server) and on PGlite (PostgreSQL 17/18).
 */
import type { Database } from './types';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** One or more statements; run as a script (simple protocol), so no parameters. */
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'cases and case events',
    sql: `
      CREATE TABLE cases (
        -- Opaque IDs sort bytewise everywhere, whatever locale the server was set up with.
        case_id          text        COLLATE "C" PRIMARY KEY,
        pupil_ref        text        NOT NULL,
        school_id        text        NOT NULL,
        grade            integer     NOT NULL,
        tovholder        text        NOT NULL,
        opened_on        date        NOT NULL,
        phase            text        NOT NULL,
        escalation_level integer     NOT NULL DEFAULT 0,
        next_due_on      date,
        overdue_steps    integer     NOT NULL DEFAULT 0,
        version          integer     NOT NULL,
        view             jsonb       NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        closed_on        date
      );
      -- Lists filter on one of these and sort newest-opened first; the trailing columns let the
      -- index deliver rows already in that order.
      CREATE INDEX cases_school_listing_idx ON cases (school_id, opened_on DESC, case_id);
      CREATE INDEX cases_phase_listing_idx ON cases (phase, opened_on DESC, case_id);
      CREATE INDEX cases_tovholder_listing_idx ON cases (tovholder, opened_on DESC, case_id);

      CREATE TABLE case_events (
        case_id     text        COLLATE "C" NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        seq         integer     NOT NULL,
        at          timestamptz NOT NULL,
        type        text        NOT NULL,
        phase       text        NOT NULL,
        step_id     text,
        detail      jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, seq)
      );
    `,
  },
];

/** What running a migration needs: a transaction whose handle can also run a whole script. */
export interface MigrationTarget {
  transaction<T>(work: (tx: ScriptTransaction) => Promise<T>): Promise<T>;
}

export interface ScriptTransaction extends Pick<Database, 'query'> {
  /** Runs several statements at once (the extended protocol `query` uses allows only one). */
  exec(sql: string): Promise<void>;
}

// Keyed by schema, so test files migrating their own schemas in one database do not wait on
// each other, while two processes migrating the same schema take turns.
const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('fravaersforloeb.migrations:' || coalesce(current_schema(), '')))`;

export interface MigrationResult {
  /** Versions this call applied (empty when the schema was already current). */
  readonly applied: number[];
}

export async function runMigrations(
  target: MigrationTarget,
  list: readonly Migration[] = migrations,
): Promise<MigrationResult> {
  assertOrdered(list);
  const applied: number[] = [];
  for (const migration of list) {
    const didApply = await target.transaction(async (tx) => {
      // The lock comes first: it also guards creating the bookkeeping table, which two
      // processes starting together would otherwise race on.
      await tx.query(LOCK_SQL);
      const [table] = await tx.query<{ present: boolean }>(
        `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
      );
      if (!table?.present) {
        await tx.exec(`
          CREATE TABLE schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          );
        `);
      }
      const done = await tx.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [migration.version]);
      if (done.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return { applied };
}

function assertOrdered(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration "${migration.name}" has version ${migration.version}; expected ${index + 1}`);
    }
  });
}
