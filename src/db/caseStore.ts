/**
 * The read model of cases: one row per case holding its newest view plus the columns lists and
 * boards filter on, and the lasting record of every case event.
 * Writers are Temporal activities, which run at least once and may arrive late, so every write
 * here is idempotent and never lets an older view replace a newer one.
 */
import { danishDateOf } from '../domain/dates';
import { summaryColumnsOf, type CaseRowFacts, type CaseViewPart, type CaseViewParts } from '../domain/caseRow';
import type { CaseSummary, CaseView, HistoryEntry, ListCasesQuery, Phase } from '../domain/schemas';
import type { CaseStore, Database, RederivedCase } from './types';

type Queryable = Pick<Database, 'query'>;

export { summaryColumnsOf, type CaseSummaryColumns } from '../domain/caseRow';

/**
 * Inserts the events of a JSON array parameter, each once (keyed by case and seq). They go in as
 * one array unpacked by the server: one round trip, and no driver-specific array parameters.
 */
const insertEventsFrom = (param: string) => `
  INSERT INTO case_events (case_id, seq, at, on_date, type, phase, step_id, detail)
  SELECT $1, e.seq, e.at, e."on", e.event, e.phase, e."stepId", e.detail
  FROM jsonb_to_recordset(${param}::jsonb)
    AS e(seq integer, at timestamptz, "on" date, event text, phase text, "stepId" text, detail jsonb)
  ON CONFLICT (case_id, seq) DO NOTHING`;

const INSERT_EVENTS_SQL = `${insertEventsFrom('$2')}
  RETURNING seq
`;

/** Sets each recorded event's school date to the one its view's history gives. */
const FIX_EVENT_DATES_SQL = `
  UPDATE case_events AS e
     SET on_date = h."on"
    FROM jsonb_to_recordset($2::jsonb) AS h(seq integer, "on" date)
   WHERE e.case_id = $1 AND e.seq = h.seq AND e.on_date IS DISTINCT FROM h."on"
  RETURNING e.seq
`;

/** The columns of a step row, from a JSON step of the view ($openedOn dates steps stored before createdOn). */
const incomingSteps = (source: string, openedOn: string) => `
    SELECT s."stepId" AS step_id, s.phase, s.title, s."dueOn" AS due_on, s.status,
           coalesce(s."createdOn", ${openedOn}::date) AS created_on, s."completedOn" AS completed_on
    FROM ${source}
      AS s("stepId" text, phase text, title text, "dueOn" date, status text, "createdOn" date, "completedOn" date)`;

/** Inserts the `incoming` steps and updates the changed ones; unchanged rows are not touched. */
const upsertIncomingSteps = (schoolId: string, tovholder: string) => `
  INSERT INTO case_steps (case_id, step_id, school_id, tovholder, phase, title, due_on, status, created_on, completed_on)
  SELECT $1, step_id, ${schoolId}, ${tovholder}, phase, title, due_on, status, created_on, completed_on FROM incoming
  ON CONFLICT (case_id, step_id) DO UPDATE SET
    school_id = EXCLUDED.school_id,
    tovholder = EXCLUDED.tovholder,
    phase = EXCLUDED.phase,
    title = EXCLUDED.title,
    due_on = EXCLUDED.due_on,
    status = EXCLUDED.status,
    created_on = EXCLUDED.created_on,
    completed_on = EXCLUDED.completed_on
  WHERE (case_steps.school_id, case_steps.tovholder, case_steps.phase, case_steps.title, case_steps.due_on,
         case_steps.status, case_steps.created_on, case_steps.completed_on)
        IS DISTINCT FROM
        (EXCLUDED.school_id, EXCLUDED.tovholder, EXCLUDED.phase, EXCLUDED.title, EXCLUDED.due_on,
         EXCLUDED.status, EXCLUDED.created_on, EXCLUDED.completed_on)`;

/**
 * The case's steps become exactly those of its view: new ones inserted, changed ones updated,
 * any the view no longer has removed. Unchanged rows are not touched.
 */
const WRITE_STEPS_SQL = `
  WITH incoming AS (${incomingSteps('jsonb_to_recordset($4::jsonb)', '$5')}
  ), removed AS (
    DELETE FROM case_steps
     WHERE case_id = $1 AND step_id NOT IN (SELECT step_id FROM incoming)
  )
  ${upsertIncomingSteps('$2', '$3')}
`;

/** Every column the cases row derives from its view, rewritten from the stored view itself. */
const REDERIVE_CASE_SQL = `
  UPDATE cases SET
    pupil_ref = $2, school_id = $3, grade = $4, tovholder = $5, opened_on = $6::date, phase = $7,
    escalation_level = $8, next_due_on = $9::date, overdue_steps = $10, version = $11, closed_on = $12::date
  WHERE case_id = $1
`;

/**
 * The school date an entry took effect. Views stored before entries carried 'on' lack it; their
 * entries count from the Danish date they were recorded.
 */
function schoolDateOf(entry: HistoryEntry): string {
  return (entry as Partial<HistoryEntry>).on ?? danishDateOf(entry.at);
}

function eventsJson(events: readonly HistoryEntry[]): string {
  return JSON.stringify(events.map((entry) => ({ ...entry, on: schoolDateOf(entry) })));
}

/** Makes the case's step rows those of its view. */
async function writeSteps(tx: Queryable, view: CaseView): Promise<void> {
  await tx.query(WRITE_STEPS_SQL, [view.caseId, view.schoolId, view.tovholder, JSON.stringify(view.steps), view.openedOn]);
}

// The row is replaced only by a view at least as new: a higher version, or the same version
// with statuses computed for the same or a later school date (asOf moves without new events
// when nothing but the calendar changed). An identical view changes nothing, not even updated_at.
const UPSERT_CASE_SQL = `
  INSERT INTO cases (
    case_id, pupil_ref, school_id, grade, tovholder, opened_on, phase, escalation_level,
    next_due_on, overdue_steps, version, view, closed_on
  )
  VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9::date, $10, $11, $12::jsonb, $13::date)
  ON CONFLICT (case_id) DO UPDATE SET
    pupil_ref = EXCLUDED.pupil_ref,
    school_id = EXCLUDED.school_id,
    grade = EXCLUDED.grade,
    tovholder = EXCLUDED.tovholder,
    opened_on = EXCLUDED.opened_on,
    phase = EXCLUDED.phase,
    escalation_level = EXCLUDED.escalation_level,
    next_due_on = EXCLUDED.next_due_on,
    overdue_steps = EXCLUDED.overdue_steps,
    version = EXCLUDED.version,
    view = EXCLUDED.view,
    closed_on = EXCLUDED.closed_on,
    updated_at = now()
  WHERE (EXCLUDED.version, EXCLUDED.view ->> 'asOf') >= (cases.version, cases.view ->> 'asOf')
    AND EXCLUDED.view IS DISTINCT FROM cases.view
  RETURNING case_id
`;

/**
 * One effect step's change to the cases row: the columns from the workflow's facts, the stored
 * view patched with the parts that changed (parts it no longer has removed), and the history
 * extended by the events newer than the row's version. A row at least as new is left alone, so
 * a retried step changes nothing twice.
 */
const APPLY_CHANGES_SQL = `
  INSERT INTO cases (
    case_id, pupil_ref, school_id, grade, tovholder, opened_on, phase, escalation_level,
    next_due_on, overdue_steps, version, view, closed_on
  )
  VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9::date, $10, $11,
          $12::jsonb || jsonb_build_object('history', $13::jsonb), $14::date)
  ON CONFLICT (case_id) DO UPDATE SET
    pupil_ref = EXCLUDED.pupil_ref,
    school_id = EXCLUDED.school_id,
    grade = EXCLUDED.grade,
    tovholder = EXCLUDED.tovholder,
    opened_on = EXCLUDED.opened_on,
    phase = EXCLUDED.phase,
    escalation_level = EXCLUDED.escalation_level,
    next_due_on = EXCLUDED.next_due_on,
    overdue_steps = EXCLUDED.overdue_steps,
    version = EXCLUDED.version,
    view = (cases.view - $15::text[]) || $12::jsonb || jsonb_build_object('history',
             coalesce(cases.view -> 'history', '[]'::jsonb) || coalesce(
               (SELECT jsonb_agg(e ORDER BY (e ->> 'seq')::integer)
                  FROM jsonb_array_elements($13::jsonb) AS e
                 WHERE (e ->> 'seq')::integer > cases.version), '[]'::jsonb)),
    closed_on = EXCLUDED.closed_on,
    updated_at = now()
  WHERE ($11::integer, $16::text) >= (cases.version, cases.view ->> 'asOf')
  RETURNING case_id
`;

/**
 * One effect step's writes in one statement (one round trip): the row as APPLY_CHANGES_SQL moves
 * it, the case's steps made those of the view it now holds (only when the row moved: an older
 * step leaves the steps alone), and the events, each once. Data-modifying CTEs all see the rows as
 * they were before the statement, so the steps are read from the row APPLY returns, not the table;
 * for the same reason the view after the write is the applied one, or, when the row did not move
 * (a retried or older step), the row as it was, which is then still the newest.
 */
const writeCaseChangesSql = (readBack: readonly ReadBack[]) => `
  WITH applied AS (
    ${APPLY_CHANGES_SQL.replace('RETURNING case_id', "RETURNING case_id, view")}
  ), incoming AS (${incomingSteps("applied, jsonb_to_recordset(applied.view -> 'steps')", '$6')}
  ), removed AS (
    DELETE FROM case_steps
     WHERE case_id = $1 AND EXISTS (SELECT 1 FROM applied) AND step_id NOT IN (SELECT step_id FROM incoming)
  ), stepped AS (${upsertIncomingSteps('$3', '$5')}
  ), recorded AS (${insertEventsFrom('$13')}
  )
  SELECT (SELECT count(*) FROM applied)::integer AS written,
         (SELECT (v.view - 'history') || '{"history":[]}'::jsonb
            FROM (SELECT view FROM applied UNION ALL SELECT view FROM cases WHERE case_id = $1 AND NOT EXISTS (SELECT 1 FROM applied)) AS v
         ) AS view${readBack.map((extra) => `,
         (${extra.sql}) AS ${extra.column}`).join('')}
`;

const WRITE_CASE_CHANGES_SQL = writeCaseChangesSql([]);

export interface CaseChanges {
  row: CaseRowFacts;
  changed: CaseViewParts;
  removed: readonly CaseViewPart[];
  events: readonly HistoryEntry[];
}

/**
 * A scalar subquery read in the same statement as an effect step's write ($1 is the case's id):
 * what the step's follow-up needs, without another round trip. It sees the tables as they were
 * before the statement, so it may read only tables the write does not change.
 */
export interface ReadBack {
  /** A plain SQL identifier: the result's key. */
  column: string;
  sql: string;
}

export interface WrittenCaseChanges {
  /** False when the row was already as new (a retried step) and nothing moved. */
  written: boolean;
  /** The case's view after the write, its history left out (what letters and notices read); undefined when there is no row. */
  view: CaseView | undefined;
  /** Each read-back's value by its column. */
  readBack: Record<string, unknown>;
}

const writeSqlCache = new Map<string, string>();

/**
 * Writes one effect step's events and row changes, and reads back the view as it now is (and any
 * `readBack`), in one statement. Idempotent: events are keyed by case and seq, and the row only
 * moves forward. Atomic by itself; a caller that writes more with it passes its transaction.
 */
export async function writeCaseChanges(
  tx: Queryable,
  { row, changed, removed, events }: CaseChanges,
  readBack: readonly ReadBack[] = [],
): Promise<WrittenCaseChanges> {
  const key = readBack.map((extra) => `${extra.column}:${extra.sql}`).join('\n');
  let sql = readBack.length === 0 ? WRITE_CASE_CHANGES_SQL : writeSqlCache.get(key);
  if (sql === undefined) {
    sql = writeCaseChangesSql(readBack);
    writeSqlCache.set(key, sql);
  }
  const [result] = await tx.query<{ written: number; view: CaseView | null } & Record<string, unknown>>(sql, [
    row.caseId,
    row.pupilRef,
    row.schoolId,
    row.grade,
    row.tovholder,
    row.openedOn,
    row.phase,
    row.escalationLevel,
    row.nextDueOn,
    row.overdueSteps,
    row.version,
    JSON.stringify(changed),
    eventsJson(events),
    row.closedOn,
    removed,
    row.asOf,
  ]);
  const values: Record<string, unknown> = {};
  for (const extra of readBack) values[extra.column] = result?.[extra.column];
  return { written: (result?.written ?? 0) > 0, view: result?.view ?? undefined, readBack: values };
}

/** The stored view without its history: what letters and notices read of a case. */
export async function currentViewOf(tx: Queryable, caseId: string): Promise<CaseView | undefined> {
  const [found] = await tx.query<{ view: CaseView }>(
    `SELECT (view - 'history') || '{"history":[]}'::jsonb AS view FROM cases WHERE case_id = $1`,
    [caseId],
  );
  return found?.view;
}

interface CaseSummaryRow extends Record<string, unknown> {
  case_id: string;
  pupil_ref: string;
  school_id: string;
  grade: number;
  tovholder: string;
  opened_on: string;
  phase: Phase;
  escalation_level: number;
  next_due_on: string | null;
  overdue_steps: number;
  updated_at: string;
}

export function createCaseStore(db: Database): CaseStore {
  return {
    async recordCaseEvents(caseId: string, events: readonly HistoryEntry[], view: CaseView): Promise<void> {
      // A mismatch is a programming error; writing it would file one case's view under another.
      if (view.caseId !== caseId) {
        throw new Error('recordCaseEvents: the view belongs to a different case');
      }
      const summary = summaryColumnsOf(view);
      await db.transaction(async (tx) => {
        // The case row first: the events and steps reference it.
        const written = await tx.query(UPSERT_CASE_SQL, [
          view.caseId,
          view.pupilRef,
          view.schoolId,
          view.grade,
          view.tovholder,
          view.openedOn,
          view.phase,
          view.escalationLevel,
          summary.nextDueOn,
          summary.overdueSteps,
          view.version,
          JSON.stringify(view),
          summary.closedOn,
        ]);
        // The steps follow the row: rewritten only when this view replaced the stored one.
        if (written.length > 0) await writeSteps(tx, view);
        if (events.length > 0) {
          await tx.query(INSERT_EVENTS_SQL, [caseId, eventsJson(events)]);
        }
      });
    },

    async rederiveCase(caseId: string): Promise<RederivedCase | null> {
      return db.transaction(async (tx) => {
        // Locked, so a view recorded meanwhile waits and then replaces what is derived here.
        const [row] = await tx.query<{ view: CaseView }>(`SELECT view FROM cases WHERE case_id = $1 FOR UPDATE`, [caseId]);
        if (row === undefined) return null;
        const { view } = row;
        const summary = summaryColumnsOf(view);
        await tx.query(REDERIVE_CASE_SQL, [
          caseId,
          view.pupilRef,
          view.schoolId,
          view.grade,
          view.tovholder,
          view.openedOn,
          view.phase,
          view.escalationLevel,
          summary.nextDueOn,
          summary.overdueSteps,
          view.version,
          summary.closedOn,
        ]);
        await writeSteps(tx, view);
        const history = eventsJson(view.history);
        const restored = await tx.query(INSERT_EVENTS_SQL, [caseId, history]);
        const redated = await tx.query(FIX_EVENT_DATES_SQL, [caseId, history]);
        return { steps: view.steps.length, eventsRestored: restored.length, eventDatesFixed: redated.length };
      });
    },

    async getCase(caseId: string): Promise<CaseView | null> {
      const [row] = await db.query<{ view: CaseView }>(`SELECT view FROM cases WHERE case_id = $1`, [caseId]);
      return row?.view ?? null;
    },

    async listCases(query: ListCasesQuery): Promise<CaseSummary[]> {
      // Only column names written here go into the SQL text; every value is a parameter.
      // A case withdrawn as opened in error is kept for the audit, not listed.
      const conditions: string[] = ['NOT withdrawn'];
      const params: unknown[] = [];
      const filters: ReadonlyArray<readonly [column: string, value: string | undefined]> = [
        ['school_id', query.schoolId],
        ['phase', query.phase],
        ['tovholder', query.tovholder],
      ];
      for (const [column, value] of filters) {
        if (value === undefined) continue;
        params.push(value);
        conditions.push(`${column} = $${params.length}`);
      }
      const where = `WHERE ${conditions.join(' AND ')}`;
      const rows = await db.query<CaseSummaryRow>(
        `SELECT case_id, pupil_ref, school_id, grade, tovholder, opened_on, phase, escalation_level,
                next_due_on, overdue_steps, updated_at
         FROM cases
         ${where}
         ORDER BY opened_on DESC, case_id`,
        params,
      );
      return rows.map(toSummary);
    },

    async ping(): Promise<void> {
      await db.query('SELECT 1');
    },
  };
}

function toSummary(row: CaseSummaryRow): CaseSummary {
  return {
    caseId: row.case_id,
    pupilRef: row.pupil_ref,
    schoolId: row.school_id,
    grade: row.grade,
    tovholder: row.tovholder,
    openedOn: row.opened_on,
    phase: row.phase,
    escalationLevel: row.escalation_level,
    nextDueOn: row.next_due_on,
    overdueSteps: row.overdue_steps,
    updatedAt: row.updated_at,
  };
}
