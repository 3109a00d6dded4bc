/**
 * Opsporing (seed 001, ABSENCE.md): the school's concern candidates as of a day, counted in the
 * database. A pupil is a candidate when the total absence of the school year so far is over 10 %,
 * or when a pattern shows: absence on the same weekday again and again over the last eight school
 * weeks, absence next to holidays, or many single days. Each candidate says why, in Danish.
 * Pupils with an open case are not candidates (the case is already there); a dismissed pupil
 * comes back only when the total share has risen past what it was when dismissed.
 */
import type { Database } from '../db/types';
import { addDays, dayOfWeek, type IsoDate } from '../domain/dates';
import { isSchoolDay } from '../domain/calendar';
import { mondayOf } from './figures';
import { schoolYearStart, type SchoolDays } from './schoolDays';
import type { Candidate, CandidateReason, CandidateRule } from './signalSchemas';

/** The levels each rule fires at; the first is ABSENCE.md's own, the patterns' are ours (documented in the README). */
export const OPSPORING_RULES = {
  /** Total absence share of the school year so far, strictly above. */
  totalShareAbove: 0.1,
  /** Absent on the same weekday in at least this many of the last `weekdayWindowWeeks` school weeks. */
  sameWeekdayWeeks: 3,
  weekdayWindowWeeks: 8,
  /** Absent on at least this many school days next to a holiday in the school year. */
  nextToHolidayDays: 3,
  /** At least this many single whole days of absence (present the school day before and after). */
  singleDays: 5,
} as const;

const WEEKDAYS = ['', 'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag'];

const percent = (share: number) => `${(share * 100).toLocaleString('da-DK', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
const days = (value: number) => value.toLocaleString('da-DK', { maximumFractionDigits: 1 });

/** School days right before or after days off that fall on a weekday (a holiday, not just a weekend). */
export function nextToHolidays(schoolDays: readonly IsoDate[], isOff: (day: IsoDate) => boolean): IsoDate[] {
  const weekdayOffBetween = (from: IsoDate, step: 1 | -1) => {
    // The weekday just past this school day (skipping a weekend) is off: a holiday starts or ends here.
    let day = addDays(from, step);
    while (dayOfWeek(day) === 0 || dayOfWeek(day) === 6) day = addDays(day, step);
    return isOff(day);
  };
  return schoolDays.filter((day) => weekdayOffBetween(day, 1) || weekdayOffBetween(day, -1));
}

interface CandidateRow extends Record<string, unknown> {
  pupil_ref: string;
  grade: number;
  class_name: string;
  absent_days: number;
  illness: number;
  leave: number;
  unlawful: number;
  single_days: number;
  holiday_days: number;
  weekday: number | null;
  weekday_weeks: number | null;
  open_case_id: string | null;
  dismissed_share: number | null;
}

/**
 * Memory for the sorts and hashes of one school's statement. At the default 4 MB a school of 625
 * pupils and a year of registrations (about 70,000 rows) sorted on disk twice (3 MB and 2.5 MB of
 * temporary files, `npm run bench -- absence`); 32 MB keeps them in memory. SET LOCAL: for
 * this statement's transaction only, never the connection's later work.
 */
export const OPSPORING_WORK_MEM = '32MB';

export function createOpsporing(db: Pick<Database, 'query' | 'transaction'>, schoolDays: SchoolDays) {
  return {
    async candidates(schoolId: string, on: IsoDate): Promise<{ on: IsoDate; schoolDaysSoFar: number; items: Candidate[] }> {
      const from = schoolYearStart(on);
      const calendar = await schoolDays.calendar(schoolId, Number(from.slice(0, 4)), Number(on.slice(0, 4)) + 1);
      const yearDays = await schoolDays.between(schoolId, from, on);
      const adjacent = nextToHolidays(yearDays, (day) => !isSchoolDay(day, calendar));
      const mondays = [...new Set(yearDays.map(mondayOf))];
      const windowFrom = mondays.at(-OPSPORING_RULES.weekdayWindowWeeks) ?? mondays[0] ?? from;
      const rows = await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL work_mem = '${OPSPORING_WORK_MEM}'`);
        return tx.query<CandidateRow>(
        `WITH cal AS (SELECT day, idx FROM unnest($2::date[]) WITH ORDINALITY AS c(day, idx)),
         marks AS (
           SELECT a.pupil_ref, a.day, cal.idx,
                  sum(CASE a.mark WHEN 'day' THEN 1.0 ELSE 0.5 END) AS amount,
                  sum(CASE a.mark WHEN 'day' THEN 1.0 ELSE 0.5 END) FILTER (WHERE a.category = 'illness') AS illness,
                  sum(CASE a.mark WHEN 'day' THEN 1.0 ELSE 0.5 END) FILTER (WHERE a.category = 'leave') AS leave,
                  sum(CASE a.mark WHEN 'day' THEN 1.0 ELSE 0.5 END) FILTER (WHERE a.category = 'unlawful') AS unlawful
           FROM absence_registrations a JOIN cal ON cal.day = a.day
           WHERE a.school_id = $1 AND a.day >= $4::date AND a.day <= $5::date
           GROUP BY a.pupil_ref, a.day, cal.idx
         ),
         neighbours AS (
           SELECT m.*, lag(idx) OVER w AS prev_idx, lead(idx) OVER w AS next_idx
           FROM marks m WINDOW w AS (PARTITION BY pupil_ref ORDER BY idx)
         ),
         per_pupil AS (
           SELECT pupil_ref,
                  sum(amount)::float8 AS absent_days,
                  coalesce(sum(illness), 0)::float8 AS illness,
                  coalesce(sum(leave), 0)::float8 AS leave,
                  coalesce(sum(unlawful), 0)::float8 AS unlawful,
                  count(*) FILTER (WHERE amount >= 1 AND (prev_idx IS NULL OR prev_idx < idx - 1) AND (next_idx IS NULL OR next_idx > idx + 1))::int AS single_days,
                  count(*) FILTER (WHERE day = ANY($3::date[]))::int AS holiday_days
           FROM neighbours GROUP BY pupil_ref
         ),
         weekdays AS (
           SELECT DISTINCT ON (pupil_ref) pupil_ref, extract(isodow FROM day)::int AS weekday, count(*)::int AS weeks
           FROM marks WHERE day >= $6::date
           GROUP BY pupil_ref, extract(isodow FROM day)
           ORDER BY pupil_ref, count(*) DESC, extract(isodow FROM day)
         ),
         open_cases AS (
           SELECT DISTINCT ON (pupil_ref) pupil_ref, case_id FROM cases
           WHERE school_id = $1 AND phase <> 'closed' ORDER BY pupil_ref, opened_on DESC
         ),
         dismissals AS (
           SELECT DISTINCT ON (pupil_ref) pupil_ref, total_share FROM absence_candidate_decisions
           WHERE school_id = $1 AND decision = 'dismissed' ORDER BY pupil_ref, decided_at DESC
         )
         SELECT p.pupil_ref, p.grade, p.class_name, pp.absent_days, pp.illness, pp.leave, pp.unlawful,
                pp.single_days, pp.holiday_days, w.weekday, w.weeks AS weekday_weeks,
                oc.case_id AS open_case_id, d.total_share::float8 AS dismissed_share
         FROM pupils p
         JOIN per_pupil pp ON pp.pupil_ref = p.pupil_ref
         LEFT JOIN weekdays w ON w.pupil_ref = p.pupil_ref
         LEFT JOIN open_cases oc ON oc.pupil_ref = p.pupil_ref
         LEFT JOIN dismissals d ON d.pupil_ref = p.pupil_ref
         WHERE p.school_id = $1 AND p.on_roster
         ORDER BY pp.absent_days DESC, p.pupil_ref`,
        [schoolId, yearDays, adjacent, from, on, windowFrom],
        );
      });
      const schoolDaysSoFar = yearDays.length;
      const items: Candidate[] = [];
      for (const row of rows) {
        const totalShare = schoolDaysSoFar === 0 ? 0 : row.absent_days / schoolDaysSoFar;
        const reasons: CandidateReason[] = [];
        const add = (rule: CandidateRule, text: string) => reasons.push({ rule, text });
        if (totalShare > OPSPORING_RULES.totalShareAbove) {
          add('total_share', `Fravær i alt ${percent(totalShare)} af skoledagene i skoleåret (${days(row.absent_days)} af ${schoolDaysSoFar} dage); over 10 %.`);
        }
        if (row.weekday !== null && row.weekday_weeks !== null && row.weekday_weeks >= OPSPORING_RULES.sameWeekdayWeeks) {
          add('same_weekday', `Fravær om ${WEEKDAYS[row.weekday]}en i ${row.weekday_weeks} af de sidste ${Math.min(OPSPORING_RULES.weekdayWindowWeeks, mondays.length)} skoleuger.`);
        }
        if (row.holiday_days >= OPSPORING_RULES.nextToHolidayDays) {
          add('next_to_holidays', `Fravær lige før eller efter ferie og helligdage ${row.holiday_days} gange i skoleåret.`);
        }
        if (row.single_days >= OPSPORING_RULES.singleDays) {
          add('single_days', `${row.single_days} enkeltstående fraværsdage i skoleåret.`);
        }
        if (reasons.length === 0) continue;
        items.push({
          pupilRef: row.pupil_ref,
          kind: 'concern_candidate',
          grade: row.grade,
          className: row.class_name,
          figures: {
            schoolYearFrom: from,
            schoolDaysSoFar,
            illnessDays: row.illness,
            leaveDays: row.leave,
            unlawfulDays: row.unlawful,
            totalShare,
            singleDays: row.single_days,
            nextToHolidayDays: row.holiday_days,
          },
          reasons,
          openCaseId: row.open_case_id,
          // Dismissed: back only once the total share has risen past what it was then.
          dismissed: row.dismissed_share !== null && totalShare <= row.dismissed_share,
        });
      }
      return { on, schoolDaysSoFar, items };
    },
  };
}

export type Opsporing = ReturnType<typeof createOpsporing>;
