/**
 * The read model of cases: one row per case holding its newest view plus the columns lists and
 * boards filter on, and the lasting record of every case event.
 * Writers are Temporal activities, which run at least once and may arrive late, so every write
 * here is idempotent and never lets an older view replace a newer one.
 */
import type { CaseSummary, CaseView, HistoryEntry, ListCasesQuery, Phase, StepStatus } from '../domain/schemas';
import type { CaseStore, Database } from './types';

/** Step statuses that still await work, so their due dates count towards "next due". */
const PENDING_STATUSES: ReadonlySet<StepStatus> = new Set<StepStatus>(['open', 'due_soon', 'overdue']);

export interface CaseSummaryColumns {
  nextDueOn: string | null;
  overdueSteps: number;
  closedOn: string | null;
}

/** The summary columns a view implies (pure; exported for tests and for other readers). */
export function summaryColumnsOf(view: CaseView): CaseSummaryColumns {
  let nextDueOn: string | null = null;
  let overdueSteps = 0;
  for (const step of view.steps) {
    if (step.status === 'overdue') overdueSteps += 1;
    // ISO dates order correctly as strings.
    if (PENDING_STATUSES.has(step.status) && (nextDueOn === null || step.dueOn < nextDueOn)) {
      nextDueOn = step.dueOn;
    }
  }
  return { nextDueOn, overdueSteps, closedOn: view.closure?.closedOn ?? null };
}

// The events go in as one JSON array and are unpacked by the server: one round trip, and no
// driver-specific array parameters.
const INSERT_EVENTS_SQL = `
  INSERT INTO case_events (case_id, seq, at, type, phase, step_id, detail)
  SELECT $1, e.seq, e.at, e.event, e.phase, e."stepId", e.detail
  FROM jsonb_to_recordset($2::jsonb)
    AS e(seq integer, at timestamptz, event text, phase text, "stepId" text, detail jsonb)
  ON CONFLICT (case_id, seq) DO NOTHING
`;

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
`;

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
        // The case row first: the events reference it.
        await tx.query(UPSERT_CASE_SQL, [
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
        if (events.length > 0) {
          await tx.query(INSERT_EVENTS_SQL, [caseId, JSON.stringify(events)]);
        }
      });
    },

    async getCase(caseId: string): Promise<CaseView | null> {
      const [row] = await db.query<{ view: CaseView }>(`SELECT view FROM cases WHERE case_id = $1`, [caseId]);
      return row?.view ?? null;
    },

    async listCases(query: ListCasesQuery): Promise<CaseSummary[]> {
      // Only column names written here go into the SQL text; every value is a parameter.
      const conditions: string[] = [];
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
      const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
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
