/**
 * `npm run bench [-- --reseed] [--cases 10000] [--replicate 5] [--concurrency 24] [--seed 42]
 *                   [--iterations 1000] [--analytics-iterations 100] [--school S03]`
 *
 * The read side under a municipality's load: 10,000 cases in PostgreSQL (schema `bench`, made
 * when missing; BENCH_DATABASE_URL points elsewhere), seeded once through the real workflows by
 * the seed generator on a Temporal dev server of its own (SQLite in a temporary directory), and reused while the schema holds
 * enough cases (`--reseed` starts over). Then, one request at a time after a warm-up, it times
 * the overdue board of one school and the municipality's phase-duration analytics — through the
 * HTTP API in process (createApp on port 0, the real routes) and as bare read-model calls — and
 * prints median and p99 against the targets, and the board query's EXPLAIN (ANALYZE, BUFFERS).
 * Exits 1 when a target is missed or a route is not there.
 *
 * `npm run bench -- temporal …` runs the other suite instead: a case action against bare Temporal
 * (bench/temporal/run.ts).
 */
import { createTokenVerifier, DEFAULT_AUDIENCE, generateSigningKey, LOCAL_ISSUER, localKeys, signToken } from '../src/access';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import pg from 'pg';
import { createApp } from '../src/api/app';
import { createCaseStore, openDatabase, type Database } from '../src/db/index';
import { danishDateOf } from '../src/domain/dates';
import { createLogger } from '../src/logger';
import { overdueBoard, phaseDurations } from '../src/readModel';
import { runScripts } from '../src/seed/driver';
import { replicateCases } from './replicate';
import { generateScenario, summarizeScenario } from '../src/seed/plan';
import { costLines, historyLines, machineTicks, memoryNote, progressLine, resultLines, scenarioLines } from '../src/seed/report';
import { startSeedStack } from '../src/seed/stack';
import { formatMs, type TimingSummary } from '../src/seed/stats';
import { caseDataConverter } from '../src/temporal/dataConverter';
import { Keyring } from '../src/temporal/keyring';
import { getOk, getPage, measure, pageSession, RouteError } from './measure';
import { runTemporalBench, TemporalBenchFailure } from './temporal/run';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench';
const TARGETS = { boardP99Ms: 50, analyticsP99Ms: 300, boardPageP99Ms: 100, analyticsPageP99Ms: 400 };

const print = (line = '') => process.stdout.write(`${line}\n`);

class BenchFailure extends Error {}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BenchFailure(`--${name} must be a whole number >= 1`);
  return n;
}

/** The bench URL with a search_path (default schema `bench`), and that schema's name. */
function benchDatabase(raw: string): { url: string; schema: string; shown: string } {
  const url = new URL(raw);
  const options = url.searchParams.get('options') ?? '';
  const match = /(?:^|\s)-c\s*search_path=([^\s,]+)/.exec(options);
  const schema = match?.[1] ?? 'bench';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new BenchFailure(`the search_path schema must be a plain lower-case name, got "${schema}"`);
  if (!match) url.searchParams.set('options', `${options} -c search_path=${schema}`.trim());
  const shown = new URL(url.toString());
  if (shown.password) shown.password = '***';
  return { url: url.toString(), schema, shown: shown.toString() };
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function countCases(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  return row?.n ?? 0;
}

/**
 * Seeds `cases` through the real workflows into the bench schema, on a dev server of its own whose
 * SQLite file lives in a temporary directory (removed afterwards). Not in memory: an in-memory dev
 * server keeps every workflow's history in RAM and grew past 18 GB at ~9,200 of 10,000 cases.
 */
/**
 * The bench's Temporal lives only as long as one seeding run (a temporary directory), so a key
 * made now and never stored is enough; payloads are encrypted as the service's are, so the
 * seeding cost includes the codec.
 */
const benchDataConverter = caseDataConverter(Keyring.generate('bench'));

async function seed(url: string, options: { cases: number; seed: number; concurrency: number }): Promise<void> {
  const today = danishDateOf(new Date());
  const scripts = generateScenario({ cases: options.cases, seed: options.seed, today, keyPrefix: `bench${options.seed}-${today}` });
  for (const line of scenarioLines(summarizeScenario(scripts))) print(line);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fravaer-bench-'));
  const stack = await startSeedStack({
    logger: createLogger({ level: 'warn', format: 'text' }),
    namespace: 'default',
    dataDir,
    ephemeralTemporal: false,
    temporalPort: 0,
    databaseUrl: url,
    dataConverter: benchDataConverter,
  });
  try {
    print(`seeding ${options.cases} cases through the workflows (Temporal dev server ${stack.temporalAddress}, SQLite in ${dataDir}, concurrency ${options.concurrency})`);
    const machineBefore = machineTicks();
    const cpuBefore = process.cpuUsage();
    const devServerBefore = stack.devServerCpuSeconds();
    const result = await runScripts(stack.service, scripts, {
      concurrency: options.concurrency,
      onProgress: (progress) => print(`${progressLine(progress)}${memoryNote(stack.devServerRssBytes())}`),
      progressEveryMs: 10_000,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const devServerAfter = stack.devServerCpuSeconds();
    for (const line of resultLines(result)) print(line);
    const costs = costLines({
      result,
      activityMs: stack.activityMs,
      ownCpuSeconds: (cpu.user + cpu.system) / 1e6,
      devServerCpuSeconds: devServerBefore !== undefined && devServerAfter !== undefined ? devServerAfter - devServerBefore : undefined,
      machineBefore,
      machineAfter: machineTicks(),
    });
    for (const line of costs) print(line);
    for (const line of await historyLines(stack.client, result, (index) => 2 + (scripts[index]?.actions.length ?? 0))) print(line);
    if (result.failed > 0) throw new BenchFailure(`${result.failed} cases failed while seeding; see above`);
    await stack.db.query(
      `CREATE TABLE IF NOT EXISTS bench_seed_info (seeded_on date, seed integer, cases integer, seconds float8, cases_per_second float8)`,
    );
    await stack.db.query(`INSERT INTO bench_seed_info VALUES ($1::date, $2, $3, $4, $5)`, [
      today,
      options.seed,
      options.cases,
      result.elapsedMs / 1000,
      options.cases / (result.elapsedMs / 1000),
    ]);
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The statements a read-model call sends, captured by a database that passes them on. */
function recording(db: Database): { db: Database; statements: { sql: string; params: readonly unknown[] }[] } {
  const statements: { sql: string; params: readonly unknown[] }[] = [];
  const wrapped: Database = {
    kind: db.kind,
    query<R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) {
      statements.push({ sql, params });
      return db.query<R>(sql, params);
    },
    transaction<T>(work: (tx: Pick<Database, 'query'>) => Promise<T>) {
      return db.transaction((tx) =>
        work({
          query<R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) {
            statements.push({ sql, params });
            return tx.query<R>(sql, params);
          },
        }),
      );
    },
    close: () => db.close(),
  };
  return { db: wrapped, statements };
}

async function listen(app: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fails with what to do when a route is not (yet) there or cannot answer. */
async function probe(url: string, token: string, what: string): Promise<string> {
  try {
    return await getOk(url, token);
  } catch (error) {
    if (!(error instanceof RouteError)) throw error;
    if (error.status === 404) {
      throw new BenchFailure(
        `${what}: ${error.message}. The read-side route is not mounted in createApp (src/api/app.ts) yet; ` +
          'the bench measures the real routes and cannot run until they exist.',
      );
    }
    if (error.status === 503) throw new BenchFailure(`${what}: ${error.message}: createApp was given no database for the read side`);
    throw new BenchFailure(`${what}: ${error.message}: ${error.body.slice(0, 300)}`);
  }
}

interface Row {
  name: string;
  summary: TimingSummary;
  targetMs?: number;
}

function table(rows: readonly Row[]): string[] {
  const head = ['measure', 'n', 'median', 'p99', 'max', 'target p99', 'verdict'];
  const body = rows.map((row) => [
    row.name,
    String(row.summary.n),
    formatMs(row.summary.medianMs),
    formatMs(row.summary.p99Ms),
    formatMs(row.summary.maxMs),
    row.targetMs === undefined ? '' : `< ${row.targetMs} ms`,
    row.targetMs === undefined ? '' : row.summary.p99Ms < row.targetMs ? 'ok' : 'MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reseed: { type: 'boolean', default: false },
      cases: { type: 'string' },
      concurrency: { type: 'string' },
      seed: { type: 'string' },
      iterations: { type: 'string' },
      'analytics-iterations': { type: 'string' },
      school: { type: 'string' },
      replicate: { type: 'string' },
    },
    strict: true,
  });
  const target = wholeNumber('cases', values.cases, 10_000);
  const seedValue = wholeNumber('seed', values.seed, 42);
  const concurrency = wholeNumber('concurrency', values.concurrency, 24);
  const boardIterations = wholeNumber('iterations', values.iterations, 1000);
  const analyticsIterations = wholeNumber('analytics-iterations', values['analytics-iterations'], 100);
  const school = values.school ?? 'S03';
  // Seeding runs through the workflows at ~3.5 cases/s; a fifth of the cases seeded that way and
  // copied in SQL (bench/replicate.ts) gives the same shape of data in a tenth of an hour.
  const copies = wholeNumber('replicate', values.replicate, 5);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(school)) throw new BenchFailure('--school must be a school id such as S03');

  const { url, schema, shown } = benchDatabase(process.env.BENCH_DATABASE_URL || DEFAULT_URL);
  print(`database ${shown} (schema ${schema})`);
  const quoted = `"${schema}"`;
  if (values.reseed) await onServer(url, `DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
  await onServer(url, `CREATE SCHEMA IF NOT EXISTS ${quoted}`);

  const scratch = await mkdtemp(path.join(os.tmpdir(), 'fravaer-bench-db-'));
  let db = await openDatabase({ databaseUrl: url, dataDir: scratch });
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  let client: Client | undefined;
  try {
    const found = await countCases(db);
    if (found >= target) {
      const [info] = await db.query<{ seeded_on: string; seed: number; seconds: number; cases_per_second: number }>(
        `SELECT seeded_on, seed, seconds, cases_per_second FROM bench_seed_info ORDER BY seeded_on DESC LIMIT 1`,
      ).catch(() => []);
      print(
        `reusing ${found} cases in schema ${schema}` +
          (info ? ` (seeded ${info.seeded_on} with seed ${info.seed} in ${info.seconds.toFixed(0)} s, ${info.cases_per_second.toFixed(2)} cases/s)` : '') +
          '; --reseed starts over',
      );
    } else {
      if (found > 0) {
        print(`schema ${schema} holds ${found} cases, fewer than ${target}: seeding it again from scratch`);
        await db.close();
        await onServer(url, `DROP SCHEMA IF EXISTS ${quoted} CASCADE`);
        await onServer(url, `CREATE SCHEMA ${quoted}`);
        db = await openDatabase({ databaseUrl: url, dataDir: scratch });
      }
      const seeded = Math.ceil(target / copies);
      await seed(url, { cases: seeded, seed: seedValue, concurrency });
      if (copies > 1) {
        await replicateCases(db, schema, copies);
        print(`copied the ${seeded} seeded cases ${copies - 1} times in SQL (bench/replicate.ts): ${await countCases(db)} cases`);
      }
    }
    // Every case update rewrites its row and changed steps, so a fresh bulk load leaves dead
    // tuples that autovacuum would clear in time; vacuum and analyze the schema's tables (and
    // nothing outside it) so the timings show the steady state, with fresh planner statistics.
    const tables = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
    for (const { tablename } of tables) await db.query(`VACUUM (ANALYZE) "${tablename.replace(/"/g, '""')}"`);

    const today = danishDateOf(new Date());
    const shape = await db.query<{ phase: string; n: number }>(`SELECT phase, count(*)::int AS n FROM cases GROUP BY phase ORDER BY phase`);
    const [events] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_events`);
    const [schoolCases] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE school_id = $1`, [school]);
    print(
      `data: ${shape.map((row) => `${row.phase} ${row.n}`).join(', ')}; ${events?.n ?? 0} events; ` +
        `${schoolCases?.n ?? 0} cases at ${school}; today ${today}`,
    );

    // The API in process: the real app and routes; the read routes never touch Temporal, so the
    // client's connection is lazy and never opened.
    client = new Client({ namespace: 'default', dataConverter: benchDataConverter });
    // Callers as in a school: the school's leader reads the board (each read is written to the
    // audit log, as in service), the municipality the analytics. A key of the bench's own signs them.
    const signingKey = await generateSigningKey('bench');
    const tokens = createTokenVerifier({ keys: localKeys({ keys: [signingKey.publicJwk] }), issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE });
    const tokenAs = (role: 'leader' | 'municipality', schools: string[]) =>
      signToken(signingKey, { sub: `bench-${role}`, role, schools, issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE });
    const leaderToken = await tokenAs('leader', [school]);
    const municipalityToken = await tokenAs('municipality', ['*']);
    const app = createApp({
      client,
      store: createCaseStore(db),
      db,
      tokens,
      security: { requestsPerMinute: 100_000 },
      health: () => Promise.resolve({ temporal: true, database: true }),
      // The web UI's local sign-in, signing with the bench's key: the pages are timed as people use them.
      ui: {
        signIn: {
          kind: 'local',
          issueToken: async (principal) => ({
            token: await signToken(signingKey, {
              sub: principal.sub,
              role: principal.role,
              schools: principal.schools === 'all' ? ['*'] : [...principal.schools],
              issuer: LOCAL_ISSUER,
              audience: DEFAULT_AUDIENCE,
            }),
            expiresAt: new Date(Date.now() + 3600_000),
          }),
        },
      },
    });
    server = await listen(app);
    const boardUrl = `${server.base}/api/overdue?schoolId=${encodeURIComponent(school)}`;
    const analyticsUrl = `${server.base}/api/analytics/phase-durations`;
    const board = JSON.parse(await probe(boardUrl, leaderToken, 'overdue board')) as { items?: unknown[] };
    const analyticsBody = await probe(analyticsUrl, municipalityToken, 'phase durations');
    const analytics = JSON.parse(analyticsBody) as { phases?: { phase: string; cases: number; medianDays: number | null }[] };
    print(
      `answers: board ${board.items?.length ?? 0} items; analytics ${analyticsBody.length} bytes, ` +
        (analytics.phases ?? []).map((p) => `${p.phase} ${p.cases} cases median ${p.medianDays ?? '-'} d`).join(', '),
    );

    const leaderCookie = await pageSession(server.base, 'leader', school);
    const municipalityCookie = await pageSession(server.base, 'municipality', '*');
    const boardPageUrl = `${server.base}/oversigt`;
    const analyticsPageUrl = `${server.base}/analyse`;

    const capture = recording(db);
    await overdueBoard(capture.db, { schoolId: school }, today);
    const boardStatement = capture.statements.at(-1);
    if (boardStatement === undefined) throw new BenchFailure('overdueBoard sent no SQL');

    const boardWarmup = Math.min(100, boardIterations);
    const analyticsWarmup = Math.min(10, analyticsIterations);
    print(`timing: ${boardIterations} board and ${analyticsIterations} analytics requests each way, after ${boardWarmup} / ${analyticsWarmup} warm-up; one at a time`);
    const rows: Row[] = [
      {
        name: `GET /api/overdue?schoolId=${school} (HTTP)`,
        summary: await measure(() => getOk(boardUrl, leaderToken), { warmup: boardWarmup, iterations: boardIterations }),
        targetMs: TARGETS.boardP99Ms,
      },
      {
        name: `overdueBoard() read model, no HTTP`,
        summary: await measure(() => overdueBoard(db, { schoolId: school }, today), { warmup: boardWarmup, iterations: boardIterations }),
        targetMs: TARGETS.boardP99Ms,
      },
      {
        name: `  its SQL statement alone`,
        summary: await measure(() => db.query(boardStatement.sql, boardStatement.params), { warmup: boardWarmup, iterations: boardIterations }),
      },
      {
        name: 'GET /api/analytics/phase-durations (HTTP)',
        summary: await measure(() => getOk(analyticsUrl, municipalityToken), { warmup: analyticsWarmup, iterations: analyticsIterations }),
        targetMs: TARGETS.analyticsP99Ms,
      },
      {
        name: 'phaseDurations() read model, no HTTP',
        summary: await measure(() => phaseDurations(db, {}, today), { warmup: analyticsWarmup, iterations: analyticsIterations }),
        targetMs: TARGETS.analyticsP99Ms,
      },
      {
        name: `page /oversigt (board, leader of ${school})`,
        summary: await measure(() => getPage(boardPageUrl, leaderCookie), { warmup: boardWarmup, iterations: boardIterations }),
        targetMs: TARGETS.boardPageP99Ms,
      },
      {
        name: 'page /analyse (whole municipality)',
        summary: await measure(() => getPage(analyticsPageUrl, municipalityCookie), { warmup: analyticsWarmup, iterations: analyticsIterations }),
        targetMs: TARGETS.analyticsPageP99Ms,
      },
    ];
    print();
    for (const line of table(rows)) print(line);

    print();
    print(`EXPLAIN (ANALYZE, BUFFERS) of the board query (schoolId ${school}, today ${today}):`);
    print(boardStatement.sql.replace(/^\s*\n/, '').replace(/\s+$/, ''));
    print(`  params: ${JSON.stringify(boardStatement.params)}`);
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${boardStatement.sql}`, boardStatement.params);
    for (const row of plan) print(`  ${row['QUERY PLAN']}`);

    const missed = rows.filter((row) => row.targetMs !== undefined && !(row.summary.p99Ms < row.targetMs));
    if (missed.length > 0) {
      print();
      print(`targets missed: ${missed.map((row) => row.name).join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await server?.close();
    await client?.connection.close().catch(() => undefined);
    await db.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

// `npm run bench -- temporal` and `-- absence` are suites of their own (bench/temporal, bench/absence.ts).
const suite =
  process.argv[2] === 'temporal' ? runTemporalBench(process.argv.slice(3)) : process.argv[2] === 'absence' ? import('./absence') : main();
suite.catch((error: unknown) => {
  if (error instanceof BenchFailure || error instanceof TemporalBenchFailure) {
    process.stderr.write(`bench failed: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`bench failed: ${message.slice(0, 1000)}\n`);
  }
  process.exit(1);
});
