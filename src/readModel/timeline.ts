/**
 * A case's timeline: the phases it went through with the time spent in each, and every recorded
 * event. Durations count from the school dates the phases were entered (an action entered later
 * with its real date counts from that date); the open phase counts up to today.
 */
import { schoolDaysBetween, WEEKDAYS_ONLY, type SchoolCalendar } from '../domain/calendar';
import { daysBetween, type IsoDate } from '../domain/dates';
import { timelineEvent, type CaseTimeline, type TimelineEvent, type TimelinePhase } from '../domain/readModelSchemas';
import type { CaseEventType, Phase } from '../domain/schemas';
import type { Database } from '../db/types';
import { doneOnTime } from '../machines/case/deadlines';

interface EventRow extends Record<string, unknown> {
  seq: number;
  at: string;
  on_date: string;
  type: CaseEventType;
  phase: Phase;
  step_id: string | null;
  /** jsonb as stored; parsed below with the kind's detail schema. */
  detail: unknown;
}

/** The timeline, or null when there is no such case. */
/** @param calendarOf the school calendar school days are counted on (weekdays only by default). */
export async function caseTimeline(
  db: Pick<Database, 'query'>,
  caseId: string,
  today: IsoDate,
  calendarOf: (schoolId: string) => Promise<SchoolCalendar> = () => Promise.resolve(WEEKDAYS_ONLY),
): Promise<CaseTimeline | null> {
  const [known] = await db.query<{ school_id: string }>(`SELECT school_id FROM cases WHERE case_id = $1`, [caseId]);
  if (known === undefined) return null;
  const calendar = await calendarOf(known.school_id);
  const rows = await db.query<EventRow>(
    `SELECT seq, at, on_date, type, phase, step_id, detail FROM case_events WHERE case_id = $1 ORDER BY seq`,
    [caseId],
  );

  // Each row is read with its kind's schema, the one the machine recorded it with.
  const events: TimelineEvent[] = rows.map((row) =>
    timelineEvent.parse({
      seq: row.seq,
      at: row.at,
      on: row.on_date,
      type: row.type,
      phase: row.phase,
      ...(row.step_id !== null ? { stepId: row.step_id } : {}),
      ...(row.detail !== null ? { detail: row.detail } : {}),
    }),
  );

  // A step done on or before its deadline was never late: the overdue marks recorded while it
  // waited (a paper case entered after its deadlines, then completed with its real dates) are left out.
  const completedOn = new Map<string, IsoDate>();
  for (const event of events) {
    if (event.type === 'step_done' && event.stepId !== undefined && event.detail !== undefined) completedOn.set(event.stepId, event.detail.completedOn);
  }
  const wasOnTime = (event: TimelineEvent): boolean =>
    (event.type === 'step_overdue' || event.type === 'step_overdue_leader') &&
    event.stepId !== undefined &&
    event.detail !== undefined &&
    doneOnTime({ completedOn: completedOn.get(event.stepId), dueOn: event.detail.dueOn });
  const shown = events.filter((event) => !wasOnTime(event));

  const entered = events.filter((event) => event.type === 'phase_entered');
  const phases: TimelinePhase[] = entered.map((event, index) => {
    const base = { phase: event.phase, enteredAt: event.at, enteredOn: event.on };
    // Closed is where a case ends: no time is spent "in" it.
    if (event.phase === 'closed') return { ...base, days: 0, schoolDays: 0 };
    const next = entered[index + 1];
    const until = next?.on ?? today;
    return {
      ...base,
      ...(next !== undefined ? { leftAt: next.at, leftOn: next.on } : {}),
      days: daysBetween(event.on, until),
      schoolDays: schoolDaysBetween(event.on, until, calendar),
    };
  });
  return { phases, events: shown };
}
