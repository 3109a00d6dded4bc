/**
 * Fresh, isolated databases for tests, of either kind the service runs on.
 *
 *   import { DATABASE_KINDS, createTestDatabase } from '../support/databases';
 *   describe.each(DATABASE_KINDS)('on %s', (kind) => {
 *     let t: TestDatabase;
 *     beforeAll(async () => { t = await createTestDatabase(kind); });
 *     afterAll(async () => { await t.cleanup(); });
 *     ...t.db...
 *   });
 *
 * PGlite: a new temp directory. PostgreSQL: a new schema in the test server's database, reached
 * through a connection string whose sessions use only that schema; it is dropped on cleanup.
 * Either way nothing is shared, so test files may run in parallel.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db';

export type DatabaseKind = Database['kind'];
export const DATABASE_KINDS: readonly DatabaseKind[] = ['pglite', 'postgres'];

/** The PostgreSQL server tests use; set TEST_DATABASE_URL to point elsewhere. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Where a fresh database lives, before anything has opened it. */
export interface TestDatabaseLocation {
  kind: DatabaseKind;
  /** Set for 'postgres': use as DATABASE_URL. Its sessions see only the fresh schema. */
  databaseUrl?: string;
  /** A fresh temp directory; use as DATA_DIR (PGlite keeps its files in `${dataDir}/pglite`). */
  dataDir: string;
  /** Drops the schema and removes the directory. Safe to call twice. */
  cleanup(): Promise<void>;
}

export interface TestDatabase extends TestDatabaseLocation {
  /** Opened with openDatabase, so migrations have run. Closed by cleanup(). */
  db: Database;
}

/**
 * A fresh location without opening it: for tests that open the database themselves (to reopen
 * it, or to hand DATABASE_URL/DATA_DIR to a child process; a PGlite directory can be open in only
 * one process at a time).
 */
export async function createTestDatabaseLocation(kind: DatabaseKind): Promise<TestDatabaseLocation> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fravaer-test-'));
  const removeDir = (): Promise<void> => rm(dataDir, { recursive: true, force: true });
  if (kind === 'pglite') {
    return { kind, dataDir, cleanup: once(removeDir) };
  }

  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await onServer(`CREATE SCHEMA ${quoteIdent(schema)}`);
  } catch (error) {
    await removeDir();
    throw new Error(
      `test database: cannot create a schema on ${TEST_SERVER_URL}; is the server running? ` +
        '(pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)',
      { cause: error },
    );
  }
  return {
    kind,
    dataDir,
    databaseUrl: withSearchPath(TEST_SERVER_URL, schema),
    cleanup: once(async () => {
      await onServer(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      await removeDir();
    }),
  };
}

/** A fresh, migrated, open database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const location = await createTestDatabaseLocation(kind);
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: location.databaseUrl, dataDir: location.dataDir });
  } catch (error) {
    await location.cleanup();
    throw error;
  }
  return {
    ...location,
    db,
    cleanup: once(async () => {
      try {
        await db.close();
      } finally {
        await location.cleanup();
      }
    }),
  };
}

/** Runs `work` with a fresh database and cleans up afterwards, whether `work` succeeds or not. */
export async function withFreshDatabase<T>(kind: DatabaseKind, work: (t: TestDatabase) => Promise<T>): Promise<T> {
  const t = await createTestDatabase(kind);
  try {
    return await work(t);
  } finally {
    await t.cleanup();
  }
}

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The same URL, with sessions whose search_path is only `schema`. */
function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  const existing = parsed.searchParams.get('options');
  const option = `-c search_path=${schema}`;
  parsed.searchParams.set('options', existing ? `${existing} ${option}` : option);
  return parsed.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
