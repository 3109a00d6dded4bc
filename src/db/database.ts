/**
 * Opens the one database the service speaks to: PGlite (PostgreSQL in-process, files under
 * DATA_DIR) by default, or a PostgreSQL server when DATABASE_URL is given. Both answer the same
 * SQL and hand back values of the same shapes (see typeParsers.ts); migrations run before the
 * database is handed out.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import pg from 'pg';
import { runMigrations, type MigrationTarget, type ScriptTransaction } from './migrations';
import { arrayElementTypes, PG_TYPE, scalarParsers, type TextParser } from './typeParsers';
import type { Database } from './types';

export interface OpenDatabaseOptions {
  /** A PostgreSQL connection string; when unset (or empty), PGlite is used. */
  databaseUrl?: string;
  /** PGlite keeps its files in `${dataDir}/pglite`. */
  dataDir: string;
}

/**
 * Every session speaks UTC and ISO dates, so SQL that turns instants into dates or text gives
 * the same answer on the server as in PGlite, whatever the server's own defaults are.
 */
const SESSION_SETUP_SQL = `SET TIME ZONE 'UTC'; SET datestyle TO 'ISO, YMD'`;

type Row = Record<string, unknown>;

/** A Database that can also run scripts inside its transactions (what migrations need). */
interface Driver extends Database, MigrationTarget {
  transaction<T>(work: (tx: ScriptTransaction) => Promise<T>): Promise<T>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const driver = options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : await openPGlite(path.join(options.dataDir, 'pglite'));
  try {
    await runMigrations(driver);
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
  return driver;
}

// ---- PGlite ------------------------------------------------------------------------------

async function openPGlite(directory: string): Promise<Driver> {
  await mkdir(directory, { recursive: true });
  const parsers: Record<number, TextParser> = { ...scalarParsers };
  // PGlite parses array elements with the element type's parser, so the scalars suffice.
  const pglite = await PGlite.create(directory, { parsers });
  await pglite.exec(SESSION_SETUP_SQL);

  const handleOf = (tx: PGliteTransaction): ScriptTransaction => ({
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      return (await tx.query<R>(sql, [...params])).rows;
    },
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
  });

  return {
    kind: 'pglite',
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      return (await pglite.query<R>(sql, [...params])).rows;
    },
    // PGlite has one connection and its transaction() holds it exclusively: calling db.query
    // (instead of tx.query) inside `work` would wait for the transaction forever.
    transaction<T>(work: (tx: ScriptTransaction) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) => work(handleOf(tx)));
    },
    async close(): Promise<void> {
      if (!pglite.closed) await pglite.close();
    },
  };
}

// ---- PostgreSQL server -------------------------------------------------------------------

/** pg-pool awaits this promise before handing a client out, though its typings say void. */
function sessionSetup(client: pg.ClientBase): void {
  // eslint-disable-next-line @typescript-eslint/no-floating-promises -- awaited by pg-pool itself
  client.query(SESSION_SETUP_SQL);
}

function openPostgres(connectionString: string): Driver {
  const pool = new pg.Pool({
    connectionString,
    // Parsers for this pool only: pg's global type registry is left as other code expects it.
    types: { getTypeParser: poolTypeParser },
    // pg-pool awaits the promise returned here before handing the client out (its typings say void).
    onConnect: sessionSetup,
  });
  // An idle connection that breaks (server restart) must not crash the process; the pool
  // replaces it. Only the error code is logged: messages may quote data.
  pool.on('error', (error: Error & { code?: string }) => {
    console.error(`database: idle connection failed (${error.code ?? 'no code'})`);
  });

  const statement = preparedStatements();
  return {
    kind: 'postgres',
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
      return (await pool.query<R>(statement(sql, params))).rows;
    },
    async transaction<T>(work: (tx: ScriptTransaction) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let finished = false;
      const guard = (): void => {
        // A handle kept past its transaction would otherwise run on a connection someone else has.
        if (finished) throw new Error('database: transaction handle used after the transaction ended');
      };
      const handle: ScriptTransaction = {
        async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
          guard();
          return (await client.query<R>(statement(sql, params))).rows;
        },
        async exec(sql: string): Promise<void> {
          guard();
          await client.query(sql);
        },
      };
      let connectionBroken = false;
      try {
        await client.query('BEGIN');
        const result = await work(handle);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          connectionBroken = true;
        });
        throw error;
      } finally {
        finished = true;
        // A connection whose ROLLBACK failed is in an unknown state: drop it rather than reuse it.
        client.release(connectionBroken);
      }
    },
    async close(): Promise<void> {
      if (!pool.ended) await pool.end();
    },
  };
}

/** Distinct statements a process names; past this, statements are planned each time again. */
const NAMED_STATEMENTS = 500;

/**
 * Each distinct parameterised statement gets a name, so every connection prepares it once and the
 * server keeps its plan: an effect step's write was planned in about as long as it ran (0.5 ms).
 * Our statements are constants with parameters, so the names stay few; the cap keeps a stray
 * dynamic one from growing every connection's list of prepared statements.
 */
function preparedStatements(): (sql: string, params: readonly unknown[]) => pg.QueryConfig {
  const names = new Map<string, string>();
  return (sql, params) => {
    const values = [...params];
    if (values.length === 0) return { text: sql, values };
    let name = names.get(sql);
    if (name === undefined && names.size < NAMED_STATEMENTS) {
      name = `s${names.size + 1}`;
      names.set(sql, name);
    }
    return name === undefined ? { text: sql, values } : { name, text: sql, values };
  };
}

function poolTypeParser(oid: number, format?: 'text' | 'binary'): TextParser {
  if (format !== 'binary') {
    const scalar = scalarParsers[oid];
    if (scalar) return scalar;
    const elementType = arrayElementTypes[oid];
    const element = elementType === undefined ? undefined : scalarParsers[elementType];
    if (element) {
      // pg's text[] parser copes with quoting and NULLs; we then parse each element ourselves.
      const parseTextArray = defaultParser(PG_TYPE.TEXT_ARRAY) as (value: string) => (string | null)[];
      return (value) => parseTextArray(value).map((item) => (item === null ? null : element(item)));
    }
  }
  return defaultParser(oid, format);
}

// pg types its registry by an enum of the built-in OIDs; any OID is a valid question to it.
const defaultParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => TextParser;
