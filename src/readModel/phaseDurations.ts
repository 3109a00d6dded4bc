/**
 * What the municipality wants to see (DOMAIN.md): time spent in each phase, per school and
 * period, as median and 90th percentile; the share of steps done on time; escalations per level;
 * closures; and cases reopened within six months of a closure. Computed by the database from the
 * recorded events and steps, never by asking workflows.
 *
 * A phase span runs from one phase_entered event's school date to the next one's (open while
 * there is none). It counts for the period when it overlaps it: entered on or before `to`, and
 * still open or left on or after `from`.
 */
import type { IsoDate } from '../domain/dates';
import { DURATION_PHASES, type PhaseDurationRow, type PhaseDurations, type PhaseDurationsQuery } from '../domain/readModelSchemas';
import type { Database } from '../db/types';
import { compareText } from './overdueBoard';
import { detailKey, eventTypesSql } from '../domain/caseEvents';

// The detail keys this SQL reads, checked against the escalation's detail schema.
const ESCALATION_LEVEL = detailKey('escalation', 'level');

// $1 schoolId, $2 from, $3 to; each may be null (no filter). The lead() runs over every
// phase_entered, closed included, so the last phase before closing ends on the closing date.
const SPANS_SQL = `
  WITH entered AS (
    SELECT c.school_id, e.phase, e.on_date AS entered_on,
           lead(e.on_date) OVER (PARTITION BY e.case_id ORDER BY e.seq) AS left_on
      FROM case_events e
      JOIN cases c ON c.case_id = e.case_id
     WHERE e.type = ${eventTypesSql('phase_entered')}
       AND NOT c.withdrawn
       AND ($1::text IS NULL OR c.school_id = $1::text)
  ), spans AS (
    SELECT school_id, phase, left_on, (left_on - entered_on)::float8 AS days
      FROM entered
     WHERE phase IN ('mapping', 'action_plan', 'follow_up')
       AND ($3::date IS NULL OR entered_on <= $3::date)
       AND ($2::date IS NULL OR left_on IS NULL OR left_on >= $2::date)
  )
  SELECT GROUPING(school_id) = 1 AS all_schools, school_id, phase,
         count(*) AS cases,
         count(*) FILTER (WHERE left_on IS NULL) AS open,
         round((percentile_cont(0.25) WITHIN GROUP (ORDER BY days) FILTER (WHERE left_on IS NOT NULL))::numeric, 1)::float8 AS q1_days,
         round((percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE left_on IS NOT NULL))::numeric, 1)::float8 AS median_days,
         round((percentile_cont(0.75) WITHIN GROUP (ORDER BY days) FILTER (WHERE left_on IS NOT NULL))::numeric, 1)::float8 AS q3_days,
         round((percentile_cont(0.9) WITHIN GROUP (ORDER BY days) FILTER (WHERE left_on IS NOT NULL))::numeric, 1)::float8 AS p90_days
    FROM spans
   GROUP BY GROUPING SETS ((phase), (school_id, phase))
`;

// $1 schoolId, $2 from, $3 to (each may be null), $4 today.
const FIGURES_SQL = `
  WITH period_events AS (
    SELECT e.type, (e.detail ->> '${ESCALATION_LEVEL}')::integer AS level
      FROM case_events e
      JOIN cases c ON c.case_id = e.case_id
     WHERE e.type IN (${eventTypesSql('escalation', 'closed')})
       AND NOT c.withdrawn
       AND ($1::text IS NULL OR c.school_id = $1::text)
       AND ($2::date IS NULL OR e.on_date >= $2::date)
       AND ($3::date IS NULL OR e.on_date <= $3::date)
  ), steps_due AS (
    SELECT s.status, s.completed_on, s.due_on
      FROM case_steps s
     WHERE s.status <> 'cancelled'
       AND s.case_id NOT IN (SELECT w.case_id FROM cases w WHERE w.withdrawn)
       AND s.due_on < $4::date
       AND ($1::text IS NULL OR s.school_id = $1::text)
       AND ($2::date IS NULL OR s.due_on >= $2::date)
       AND ($3::date IS NULL OR s.due_on <= $3::date)
  )
  SELECT
    (SELECT round((count(*) FILTER (WHERE status = 'done' AND completed_on <= due_on))::numeric
                  / nullif(count(*), 0), 3)::float8
       FROM steps_due) AS steps_on_time_rate,
    (SELECT count(*) FROM period_events WHERE type = ${eventTypesSql('escalation')} AND level = 1) AS escalations_1,
    (SELECT count(*) FROM period_events WHERE type = ${eventTypesSql('escalation')} AND level = 2) AS escalations_2,
    (SELECT count(*) FROM period_events WHERE type = ${eventTypesSql('escalation')} AND level = 3) AS escalations_3,
    (SELECT count(*) FROM period_events WHERE type = ${eventTypesSql('closed')}) AS closed,
    (SELECT count(*)
       FROM cases n
      WHERE NOT n.withdrawn
        AND ($1::text IS NULL OR n.school_id = $1::text)
        AND ($2::date IS NULL OR n.opened_on >= $2::date)
        AND ($3::date IS NULL OR n.opened_on <= $3::date)
        AND EXISTS (
          SELECT 1 FROM cases p
           WHERE p.school_id = n.school_id
             AND NOT p.withdrawn
             AND p.pupil_ref = n.pupil_ref
             AND p.case_id <> n.case_id
             AND p.closed_on <= n.opened_on
             AND p.closed_on >= n.opened_on - interval '6 months'
        )) AS reopened
`;

// $1 schoolId, $2 from, $3 to (each may be null), $4 today: the on-time share of each school,
// by the same rule as steps_on_time_rate above.
const ON_TIME_BY_SCHOOL_SQL = `
  SELECT s.school_id,
         round((count(*) FILTER (WHERE s.status = 'done' AND s.completed_on <= s.due_on))::numeric
               / nullif(count(*), 0), 3)::float8 AS rate
    FROM case_steps s
   WHERE s.status <> 'cancelled'
     AND s.case_id NOT IN (SELECT w.case_id FROM cases w WHERE w.withdrawn)
     AND s.due_on < $4::date
     AND ($1::text IS NULL OR s.school_id = $1::text)
     AND ($2::date IS NULL OR s.due_on >= $2::date)
     AND ($3::date IS NULL OR s.due_on <= $3::date)
   GROUP BY s.school_id
`;

interface OnTimeRow extends Record<string, unknown> {
  school_id: string;
  rate: number | null;
}

interface SpanRow extends Record<string, unknown> {
  all_schools: boolean;
  school_id: string | null;
  phase: PhaseDurationRow['phase'];
  cases: number;
  open: number;
  q1_days: number | null;
  median_days: number | null;
  q3_days: number | null;
  p90_days: number | null;
}

interface FiguresRow extends Record<string, unknown> {
  steps_on_time_rate: number | null;
  escalations_1: number;
  escalations_2: number;
  escalations_3: number;
  closed: number;
  reopened: number;
}

/** Every phase, in order, with zeros for a phase no span counted in. */
function phaseRows(rows: readonly SpanRow[]): PhaseDurationRow[] {
  return DURATION_PHASES.map((phase) => {
    const row = rows.find((candidate) => candidate.phase === phase);
    return {
      phase,
      cases: row?.cases ?? 0,
      open: row?.open ?? 0,
      q1Days: row?.q1_days ?? null,
      medianDays: row?.median_days ?? null,
      q3Days: row?.q3_days ?? null,
      p90Days: row?.p90_days ?? null,
    };
  });
}

export async function phaseDurations(db: Database, query: PhaseDurationsQuery, today: IsoDate): Promise<PhaseDurations> {
  const filters = [query.schoolId ?? null, query.from ?? null, query.to ?? null];
  // One snapshot for both statements, so the figures agree with each other.
  const [spans, figures, onTime] = await db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const spanRows = await tx.query<SpanRow>(SPANS_SQL, filters);
    const [figureRow] = await tx.query<FiguresRow>(FIGURES_SQL, [...filters, today]);
    const onTimeRows = await tx.query<OnTimeRow>(ON_TIME_BY_SCHOOL_SQL, [...filters, today]);
    return [spanRows, figureRow, onTimeRows] as const;
  });
  if (figures === undefined) throw new Error('phaseDurations: the figures query answered no row');

  const bySchool = new Map<string, SpanRow[]>();
  for (const row of spans) {
    if (row.all_schools || row.school_id === null) continue;
    const rows = bySchool.get(row.school_id) ?? [];
    rows.push(row);
    bySchool.set(row.school_id, rows);
  }
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    phases: phaseRows(spans.filter((row) => row.all_schools)),
    bySchool: [...bySchool.keys()]
      .sort(compareText)
      .map((schoolId) => ({
        schoolId,
        phases: phaseRows(bySchool.get(schoolId) ?? []),
        stepsOnTimeRate: onTime.find((row) => row.school_id === schoolId)?.rate ?? null,
      })),
    stepsOnTimeRate: figures.steps_on_time_rate,
    escalationsByLevel: { 1: figures.escalations_1, 2: figures.escalations_2, 3: figures.escalations_3 },
    closed: figures.closed,
    reopenedWithin6Months: figures.reopened,
  };
}
