/**
 * `npm run bench -- absence [--reseed] [--iterations 300]`
 *
 * The school's data at a municipality's scale, on the PostgreSQL server (schema `bench_absence`
 * of the test database; BENCH_ABSENCE_DATABASE_URL points elsewhere): 40 schools of 625 pupils
 * (25,000, grades 0–10) and a school year of absence (2025/26, about 3 million rows), imported
 * school by school through the real import (CSV text → checks → batched upserts). Then it times:
 * importing one school's year (a fresh school, and the same file again), the nightly opsporing of
 * every school (the activity the Schedule runs), and a pupil's figures (one call at a time after a
 * warm-up); prints the figures against the targets and EXPLAIN (ANALYZE, BUFFERS) of the heaviest
 * query (one school's opsporing). Exits 1 when a target is missed.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createOpsporingActivities } from '../src/activities/opsporingActivities';
import { createCalendarSettings } from '../src/calendar/calendarSettings';
import { openDatabase, type Database } from '../src/db/index';
import { createAbsenceImport, canonicalAbsenceTable } from '../src/school/absence';
import { createPupilDirectory } from '../src/school/directory';
import { createAbsenceFigures } from '../src/school/figures';
import { OPSPORING_WORK_MEM } from '../src/school/opsporing';
import { createSchoolDays } from '../src/school/schoolDays';
import { formatMs } from '../src/seed/stats';
import { measure } from './measure';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench_absence';
const SCHOOLS = 40;
const PUPILS_PER_SCHOOL = 625;
const YEAR_FROM = '2025-08-01';
const ON = '2026-06-26';
/** Chance of an absence row per pupil and school day, chosen so the year holds about 3 million rows. */
const ABSENT_PER_DAY = 0.44;
const TARGETS = { importMs: 10_000, opsporingMs: 60_000, pupilP99Ms: 20 };

const print = (line = '') => process.stdout.write(`${line}\n`);

/** A small deterministic generator (mulberry32), so every seeding makes the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const schoolIdOf = (n: number) => `B${String(n).padStart(2, '0')}`;
const gradeOf = (pupil: number) => pupil % 11;

function rosterCsv(schoolId: string): string {
  const lines = ['pupilRef;schoolId;grade;className;givenName;familyName;guardian1Name;guardian1Email;guardian2Name;guardian2Email'];
  for (let p = 0; p < PUPILS_PER_SCHOOL; p += 1) {
    const grade = gradeOf(p);
    lines.push(`${schoolId}-P${p};${schoolId};${grade};${grade}.${'ABC'[p % 3]};Elev${p};Bench;Forælder ${p};f${p}@example.dk;;`);
  }
  return lines.join('\n');
}

function absenceCsv(schoolId: string, days: readonly string[], seed: number): { csv: string; rows: number } {
  const next = random(seed);
  const lines = ['pupilRef,schoolId,date,mark,category'];
  for (let p = 0; p < PUPILS_PER_SCHOOL; p += 1) {
    const grade = gradeOf(p);
    // Some pupils are absent far more than others (the ones opsporing is for).
    const own = ABSENT_PER_DAY * (0.3 + 1.4 * next());
    for (const day of days) {
      if (next() >= own) continue;
      const r = next();
      const category = r < 0.6 ? 'illness' : r < 0.75 ? 'leave' : 'unlawful';
      if (grade <= 6) lines.push(`${schoolId}-P${p},${schoolId},${day},day,${category}`);
      else {
        lines.push(`${schoolId}-P${p},${schoolId},${day},start,${category}`);
        if (next() < 0.8) lines.push(`${schoolId}-P${p},${schoolId},${day},end,${category}`);
      }
    }
  }
  return { csv: lines.join('\n'), rows: lines.length - 1 };
}

/** Passes every query on (in a transaction too), keeping the last one whose SQL matches (for its EXPLAIN). */
function capturing(db: Database, pattern: RegExp): { db: Database; last: () => { sql: string; params: readonly unknown[] } | undefined } {
  let last: { sql: string; params: readonly unknown[] } | undefined;
  const keep = <Q extends Pick<Database, 'query'>>(target: Q): Pick<Database, 'query'> => ({
    query: (sql, params) => {
      if (pattern.test(sql)) last = { sql, params: params ?? [] };
      return target.query(sql, params);
    },
  });
  return {
    db: {
      ...db,
      kind: db.kind,
      query: keep(db).query,
      transaction: (work) => db.transaction((tx) => work(keep(tx))),
      close: () => db.close(),
    },
    last: () => last,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(3), options: { reseed: { type: 'boolean', default: false }, iterations: { type: 'string' } }, strict: true });
  const iterations = values.iterations === undefined ? 300 : Number(values.iterations);
  const url = process.env.BENCH_ABSENCE_DATABASE_URL || DEFAULT_URL;
  const schema = /search_path(?:=|%3D)(\w+)/.exec(url)?.[1] ?? 'bench_absence';
  const admin = new pg.Client({ connectionString: url.replace(/\?.*$/, '') });
  await admin.connect();
  if (values.reseed) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin.end();

  const db = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent' });
  try {
    const schoolDays = createSchoolDays(createCalendarSettings(db));
    const directory = createPupilDirectory(db);
    const imports = createAbsenceImport(db, schoolDays);
    const days = await schoolDays.between('B01', YEAR_FROM, ON);
    print(`absence bench on ${db.kind} (${url.replace(/\/\/[^@]*@/, '//…@')}); ${SCHOOLS} schools × ${PUPILS_PER_SCHOOL} pupils, school year ${YEAR_FROM} to ${ON} (${days.length} school days)`);

    const [{ count: existing } = { count: 0 }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM absence_registrations`);
    if (existing < 2_500_000) {
      print('seeding through the real import, school by school …');
      const started = Date.now();
      for (let n = 1; n <= SCHOOLS; n += 1) {
        const schoolId = schoolIdOf(n);
        await directory.replaceRoster(schoolId, rosterCsv(schoolId));
        const { csv } = absenceCsv(schoolId, days, n);
        await imports.importTable(schoolId, canonicalAbsenceTable(csv));
        if (n % 10 === 0) print(`  ${n} schools in ${formatMs(Date.now() - started)}`);
      }
      await db.query(`VACUUM (ANALYZE) absence_registrations`).catch(() => undefined);
      await db.query(`ANALYZE pupils`);
    } else print(`reusing ${existing.toLocaleString('en')} registrations (--reseed starts over)`);
    const [{ count: total } = { count: 0 }] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM absence_registrations`);
    print(`registrations: ${total.toLocaleString('en')}; pupils: ${(await db.query(`SELECT 1 FROM pupils`)).length.toLocaleString('en')}`);
    print();

    // 1. One school's year, imported fresh (a 41st school), then the same file again.
    const fresh = 'B99';
    await db.query(`DELETE FROM absence_registrations WHERE school_id = $1`, [fresh]);
    await directory.replaceRoster(fresh, rosterCsv(fresh));
    const { csv, rows } = absenceCsv(fresh, days, 99);
    let startedAt = process.hrtime.bigint();
    const first = await imports.importTable(fresh, canonicalAbsenceTable(csv));
    const importMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    startedAt = process.hrtime.bigint();
    const again = await imports.importTable(fresh, canonicalAbsenceTable(csv));
    const againMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    print(`import of one school's year (${rows.toLocaleString('en')} rows, ${(csv.length / 1e6).toFixed(1)} MB): ${formatMs(importMs)} (target < ${formatMs(TARGETS.importMs)}); added ${first.added}`);
    print(`the same file again: ${formatMs(againMs)}; unchanged ${again.unchanged}`);
    await db.query(`DELETE FROM absence_registrations WHERE school_id = $1`, [fresh]);
    await db.query(`DELETE FROM pupils WHERE school_id = $1`, [fresh]);

    // 2. The nightly opsporing for the whole municipality, as the Schedule's activities run it.
    const captured = capturing(db, /WITH cal AS/);
    const activities = createOpsporingActivities({ db: captured.db, now: () => new Date(`${ON}T10:00:00Z`) });
    startedAt = process.hrtime.bigint();
    const schools = await activities.listSchoolsWithPupils();
    let candidates = 0;
    for (const schoolId of schools) candidates += (await activities.runOpsporing({ schoolId, on: ON })).candidates;
    const opsporingMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    print(`nightly opsporing, ${schools.length} schools: ${formatMs(opsporingMs)} (target < ${formatMs(TARGETS.opsporingMs)}); ${candidates} candidates`);

    // 3. A pupil's figures, one call at a time.
    const figures = createAbsenceFigures(db, schoolDays);
    const next = random(7);
    const summary = await measure(
      () => {
        const school = schoolIdOf(1 + Math.floor(next() * SCHOOLS));
        return figures.pupil(school, `${school}-P${Math.floor(next() * PUPILS_PER_SCHOOL)}`, ON);
      },
      { warmup: 30, iterations },
    );
    print(`a pupil's figures (${iterations} calls): median ${formatMs(summary.medianMs)}, p99 ${formatMs(summary.p99Ms)} (target p99 < ${formatMs(TARGETS.pupilP99Ms)})`);

    const statement = captured.last();
    if (statement !== undefined) {
      print();
      print(`EXPLAIN (ANALYZE, BUFFERS) of the heaviest query, one school's opsporing (${String(statement.params[0])}):`);
      // As the activity runs it: in a transaction with its work_mem.
      const plan = await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL work_mem = '${OPSPORING_WORK_MEM}'`);
        return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
      });
      for (const row of plan) print(`  ${row['QUERY PLAN']}`);
    }

    const missed = [
      importMs < TARGETS.importMs ? undefined : 'import',
      opsporingMs < TARGETS.opsporingMs ? undefined : 'opsporing',
      summary.p99Ms < TARGETS.pupilP99Ms ? undefined : "pupil's figures",
    ].filter((name) => name !== undefined);
    if (missed.length > 0) {
      print();
      print(`targets missed: ${missed.join('; ')}`);
      process.exitCode = 1;
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`absence bench failed: ${message.slice(0, 1000)}\n`);
  process.exit(1);
});
