/**
 * The leader's monthly review of every active case (DOMAIN.md: "The leader reviews all active
 * cases monthly"). Everything is as of one date, asOf, and read from what was recorded: the
 * events' school dates and the steps' created, completed and due dates. Reviewing a past month
 * therefore shows the cases as they stood at its end, not as they stand now.
 */
import { daysBetween, addDays, type IsoDate } from '../domain/dates';
import type { DomainError } from '../domain/errors';
import type { MonthlyReview, MonthlyReviewItem } from '../domain/readModelSchemas';
import type { Phase } from '../domain/schemas';
import type { Database } from '../db/types';
import { compareText } from './overdueBoard';
import { detailKey, eventTypesSql } from '../domain/caseEvents';

// The detail keys this SQL reads, checked against the escalation's detail schema.
const ESCALATION_LEVEL = detailKey('escalation', 'level');

export interface ReviewPeriod {
  month: string;
  /** The first day of the month. */
  from: IsoDate;
  /** The last day of the month, or today for the current month. */
  asOf: IsoDate;
}

/** The period a month's review covers; a month after the current one has nothing to review yet. */
export function reviewPeriod(
  month: string | undefined,
  today: IsoDate,
): { ok: true; period: ReviewPeriod } | { ok: false; error: DomainError } {
  const current = today.slice(0, 7);
  const reviewed = month ?? current;
  if (reviewed > current) {
    const message = 'must not be after the current month';
    return { ok: false, error: { code: 'invalid_input', detail: `month: ${message}`, errors: [{ path: 'month', message }] } };
  }
  const from = `${reviewed}-01`;
  const asOf = reviewed === current ? today : addDays(firstDayOfNextMonth(reviewed), -1);
  return { ok: true, period: { month: reviewed, from, asOf } };
}

function firstDayOfNextMonth(month: string): IsoDate {
  const year = Number(month.slice(0, 4));
  const monthNumber = Number(month.slice(5, 7));
  const [nextYear, nextMonth] = monthNumber === 12 ? [year + 1, 1] : [year, monthNumber + 1];
  return `${String(nextYear).padStart(4, '0')}-${String(nextMonth).padStart(2, '0')}-01`;
}

interface ReviewRow extends Record<string, unknown> {
  case_id: string;
  tovholder: string;
  opened_on: string;
  phase: Phase | null;
  phase_on: string | null;
  last_follow_up_on: string | null;
  escalation_level: number;
  overdue_steps: number;
  next_due_on: string | null;
}

// $1 asOf, $2 the month's first day, then the optional school.
// A step is pending at asOf when it existed by then, was not done by then, and was not cancelled
// by then (steps are cancelled on the day their case closed).
const REVIEW_SQL = (schoolFilter: string) => `
  SELECT c.case_id, c.tovholder, c.opened_on, ph.phase, ph.on_date AS phase_on,
         (SELECT max(e.on_date) FROM case_events e
           WHERE e.case_id = c.case_id AND e.type = ${eventTypesSql('follow_up')} AND e.on_date <= $1::date) AS last_follow_up_on,
         (SELECT coalesce(max((e.detail ->> '${ESCALATION_LEVEL}')::integer), 0) FROM case_events e
           WHERE e.case_id = c.case_id AND e.type = ${eventTypesSql('escalation')} AND e.on_date <= $1::date) AS escalation_level,
         st.overdue_steps, st.next_due_on
    FROM cases c
    LEFT JOIN LATERAL (
      SELECT e.phase, e.on_date FROM case_events e
       WHERE e.case_id = c.case_id AND e.type = ${eventTypesSql('phase_entered')} AND e.on_date <= $1::date
       ORDER BY e.on_date DESC, e.seq DESC
       LIMIT 1
    ) ph ON true
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE s.due_on < $1::date) AS overdue_steps,
             min(s.due_on) FILTER (WHERE s.due_on >= $1::date) AS next_due_on
        FROM case_steps s
       WHERE s.case_id = c.case_id
         AND s.created_on <= $1::date
         AND (s.status <> 'done' OR s.completed_on > $1::date)
         AND (s.status <> 'cancelled' OR c.closed_on > $1::date)
    ) st
   WHERE c.opened_on <= $1::date
     AND NOT c.withdrawn
     AND (c.closed_on IS NULL OR c.closed_on >= $2::date)
     ${schoolFilter}
`;

export async function monthlyReview(
  db: Pick<Database, 'query'>,
  query: { schoolId?: string | undefined },
  period: ReviewPeriod,
): Promise<MonthlyReview> {
  const params: unknown[] = [period.asOf, period.from];
  let schoolFilter = '';
  if (query.schoolId !== undefined) {
    params.push(query.schoolId);
    schoolFilter = `AND c.school_id = $${params.length}`;
  }
  const rows = await db.query<ReviewRow>(REVIEW_SQL(schoolFilter), params);
  const items: MonthlyReviewItem[] = rows.map((row) => {
    // Every case enters mapping on its opening date; the fallback covers a case recorded without events.
    const phaseOn = row.phase_on ?? row.opened_on;
    return {
      caseId: row.case_id,
      tovholder: row.tovholder,
      phase: row.phase ?? 'mapping',
      daysInPhase: daysBetween(phaseOn, period.asOf),
      lastFollowUpOn: row.last_follow_up_on,
      nextDueOn: row.next_due_on,
      escalationLevel: row.escalation_level,
      overdueSteps: row.overdue_steps,
    };
  });
  items.sort((a, b) => b.overdueSteps - a.overdueSteps || b.daysInPhase - a.daysInPhase || compareText(a.caseId, b.caseId));
  return { month: period.month, asOf: period.asOf, items };
}
