/**
 * The overdue board: every step still awaiting work that is overdue or due soon today, across the
 * cases a leader (or the municipality) may see at once, the most late first.
 *
 * Stored step statuses are as of the case's last event and may lag by hours, so the status is
 * decided here, for today, by the machine's own rule (statusOn). SQL only narrows the candidates:
 * pending steps of open cases due no later than the last date that can count as due soon.
 */
import { schoolDaysBetween, WEEKDAYS_ONLY, type SchoolCalendar } from '../domain/calendar';
import { addDays, type IsoDate } from '../domain/dates';
import type { OverdueItem, OverdueQuery } from '../domain/readModelSchemas';
import type { StepStatus } from '../domain/schemas';
import type { Database } from '../db/types';
import { DEFAULT_THRESHOLDS, statusOn, type DeadlineThresholds } from '../machines';

/** No deadline rule looks further ahead than this; it only bounds the search below. */
const MAX_LOOKAHEAD_DAYS = 366;

/**
 * The latest due date a pending step can have and still be due soon today. Found by asking
 * statusOn itself, day by day, so the "due soon" rule stays where it is written.
 */
export function dueSoonHorizon(
  today: IsoDate,
  calendar: SchoolCalendar = WEEKDAYS_ONLY,
  thresholds: DeadlineThresholds = DEFAULT_THRESHOLDS,
): IsoDate {
  let last = today;
  for (let i = 0; i < MAX_LOOKAHEAD_DAYS; i += 1) {
    const next = addDays(last, 1);
    if (statusOn({ status: 'open', dueOn: next }, today, calendar, thresholds) === 'open') break;
    last = next;
  }
  return last;
}

interface CandidateRow extends Record<string, unknown> {
  case_id: string;
  school_id: string;
  tovholder: string;
  step_id: string;
  title: string;
  due_on: string;
  status: StepStatus;
}

/** Without a school to ask, look this far ahead: past the longest holiday a deadline can follow. */
const ALL_SCHOOLS_HORIZON_DAYS = 60;

/**
 * @param calendarOf the school calendar "today" is counted on (school days late, due soon);
 *   each school's is asked for once per call.
 */
export async function overdueBoard(
  db: Pick<Database, 'query'>,
  query: OverdueQuery,
  today: IsoDate,
  calendarOf: (schoolId: string) => Promise<SchoolCalendar> = () => Promise.resolve(WEEKDAYS_ONLY),
  thresholds: DeadlineThresholds = DEFAULT_THRESHOLDS,
): Promise<OverdueItem[]> {
  const calendars = new Map<string, Promise<SchoolCalendar>>();
  const calendarFor = (schoolId: string) => {
    let calendar = calendars.get(schoolId);
    if (calendar === undefined) {
      calendar = calendarOf(schoolId);
      calendars.set(schoolId, calendar);
    }
    return calendar;
  };
  const horizon =
    query.schoolId !== undefined
      ? dueSoonHorizon(today, await calendarFor(query.schoolId), thresholds)
      : addDays(today, ALL_SCHOOLS_HORIZON_DAYS);
  // Only column names written here go into the SQL text; every value is a parameter. The status
  // list matches the partial indexes' predicate word for word, so the planner can use them.
  const params: unknown[] = [horizon];
  const conditions = [`s.status IN ('open', 'due_soon', 'overdue')`, `s.due_on <= $1::date`, `c.phase <> 'closed'`, 'NOT c.withdrawn'];
  const filters: ReadonlyArray<readonly [column: string, value: string | undefined]> = [
    ['s.school_id', query.schoolId],
    ['s.tovholder', query.tovholder],
  ];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    params.push(value);
    conditions.push(`${column} = $${params.length}`);
  }
  const rows = await db.query<CandidateRow>(
    `SELECT s.case_id, s.school_id, s.tovholder, s.step_id, s.title, s.due_on, s.status
       FROM case_steps s
       JOIN cases c ON c.case_id = s.case_id
      WHERE ${conditions.join(' AND ')}`,
    params,
  );

  const items: OverdueItem[] = [];
  for (const row of rows) {
    const calendar = await calendarFor(row.school_id);
    const status = statusOn({ status: row.status, dueOn: row.due_on }, today, calendar, thresholds);
    if (status !== 'overdue' && status !== 'due_soon') continue;
    items.push({
      caseId: row.case_id,
      schoolId: row.school_id,
      tovholder: row.tovholder,
      stepId: row.step_id,
      title: row.title,
      dueOn: row.due_on,
      status,
      schoolDaysLate: schoolDaysBetween(row.due_on, today, calendar),
    });
  }
  return items.sort(
    (a, b) =>
      b.schoolDaysLate - a.schoolDaysLate ||
      compareText(a.dueOn, b.dueOn) ||
      compareText(a.caseId, b.caseId) ||
      compareText(a.stepId, b.stepId),
  );
}

/** Code-unit order: the same on every machine and for every locale (IDs are ASCII). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
