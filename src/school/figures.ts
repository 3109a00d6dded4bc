/**
 * The figures of ABSENCE.md, counted in the database: a `day` mark is one absence day, a `start`
 * or `end` mark half a day. The school days come from the school's calendar as one date array;
 * a registration counts only on a school day (a holiday set later voids it).
 */
import type { Database } from '../db/types';
import { addDays, dayOfWeek, type IsoDate } from '../domain/dates';
import type { PupilAbsence, QuarterFigures, SchoolAbsenceList, SchoolYearFigures, WeekFigures } from './schemas';
import { quarterOf, schoolYearStart, type SchoolDays } from './schoolDays';

/** The absence a registration counts, in SQL. */
const AMOUNT_SQL = `CASE mark WHEN 'day' THEN 1.0 ELSE 0.5 END`;

const share = (days: number, schoolDays: number): number => (schoolDays === 0 ? 0 : days / schoolDays);

/** The Monday of a date's week. */
export function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, -((dayOfWeek(date) + 6) % 7));
}

export function createAbsenceFigures(db: Pick<Database, 'query'>, schoolDays: SchoolDays) {
  /** The quarters that touch the school year up to `on`, with the school days of each whole quarter. */
  async function calendarFor(schoolId: string, on: IsoDate) {
    const yearFrom = schoolYearStart(on);
    const firstQuarter = quarterOf(yearFrom);
    const lastQuarter = quarterOf(on);
    const days = await schoolDays.between(schoolId, firstQuarter.from, lastQuarter.to);
    return { yearFrom, firstQuarter, lastQuarter, days };
  }

  return {
    async pupil(schoolId: string, pupilRef: string, on: IsoDate, weeksFrom?: IsoDate): Promise<PupilAbsence> {
      const { yearFrom, firstQuarter, days } = await calendarFor(schoolId, on);
      // One statement for the quarters and the school year: one round trip on one connection per
      // call rather than two, so a busy pool or server delays it once, not twice.
      const rows = await db.query<{ quarter: string; school_days: number; unlawful: number; illness: number; leave: number }>(
        `WITH marks AS (
           SELECT day, category, ${AMOUNT_SQL} AS amount FROM absence_registrations
           WHERE school_id = $1 AND pupil_ref = $2 AND day >= $4::date AND day <= $5::date
         ), joined AS (
           SELECT d.day, m.category, m.amount FROM unnest($3::date[]) AS d(day) LEFT JOIN marks m ON m.day = d.day
         )
         SELECT to_char(day, 'YYYY-"Q"Q') AS quarter,
                count(DISTINCT day)::int AS school_days,
                coalesce(sum(amount) FILTER (WHERE category = 'unlawful'), 0)::float8 AS unlawful,
                0::float8 AS illness, 0::float8 AS leave
         FROM joined GROUP BY 1
         UNION ALL
         SELECT 'year',
                count(DISTINCT day) FILTER (WHERE day >= $6::date AND day <= $5::date)::int,
                coalesce(sum(amount) FILTER (WHERE category = 'unlawful' AND day >= $6::date), 0)::float8,
                coalesce(sum(amount) FILTER (WHERE category = 'illness' AND day >= $6::date), 0)::float8,
                coalesce(sum(amount) FILTER (WHERE category = 'leave' AND day >= $6::date), 0)::float8
         FROM joined
         ORDER BY 1`,
        [schoolId, pupilRef, days, firstQuarter.from, on, yearFrom],
      );
      const quarterRows = rows.filter((row) => row.quarter !== 'year');
      const year = rows.find((row) => row.quarter === 'year');
      const quarters: QuarterFigures[] = quarterRows.map((row) => ({
        quarter: row.quarter,
        schoolDays: row.school_days,
        unlawfulDays: row.unlawful,
        unlawfulShare: share(row.unlawful, row.school_days),
      }));
      const schoolYear = schoolYearOf(yearFrom, year ?? { school_days: 0, illness: 0, leave: 0, unlawful: 0 });
      const weeks = weeksFrom === undefined ? undefined : await this.weeks(schoolId, pupilRef, weeksFrom, on);
      return { pupilRef, on, quarters, schoolYear, ...(weeks !== undefined ? { weeks } : {}) };
    },

    /** Week by week from the Monday of `from`'s week to `on`: school days and absence by category. */
    async weeks(schoolId: string, pupilRef: string, from: IsoDate, on: IsoDate): Promise<WeekFigures[]> {
      const first = mondayOf(from);
      if (first > on) return [];
      const days = await schoolDays.between(schoolId, first, on);
      const rows = await db.query<{ week_start: string; school_days: number; illness: number; leave: number; unlawful: number }>(
        `WITH marks AS (
           SELECT day, category, ${AMOUNT_SQL} AS amount FROM absence_registrations
           WHERE school_id = $1 AND pupil_ref = $2 AND day >= $4::date AND day <= $5::date
         )
         SELECT (d.day - (extract(isodow FROM d.day)::int - 1)) AS week_start,
                count(DISTINCT d.day)::int AS school_days,
                coalesce(sum(m.amount) FILTER (WHERE m.category = 'illness'), 0)::float8 AS illness,
                coalesce(sum(m.amount) FILTER (WHERE m.category = 'leave'), 0)::float8 AS leave,
                coalesce(sum(m.amount) FILTER (WHERE m.category = 'unlawful'), 0)::float8 AS unlawful
         FROM unnest($3::date[]) AS d(day) LEFT JOIN marks m ON m.day = d.day
         GROUP BY 1 ORDER BY 1`,
        [schoolId, pupilRef, days, first, on],
      );
      const byWeek = new Map(rows.map((row) => [row.week_start, row]));
      const weeks: WeekFigures[] = [];
      for (let monday = first; monday <= on; monday = addDays(monday, 7)) {
        const row = byWeek.get(monday);
        const schoolDaysInWeek = row?.school_days ?? 0;
        const absent = (row?.illness ?? 0) + (row?.leave ?? 0) + (row?.unlawful ?? 0);
        weeks.push({
          weekStart: monday,
          schoolDays: schoolDaysInWeek,
          illnessDays: row?.illness ?? 0,
          leaveDays: row?.leave ?? 0,
          unlawfulDays: row?.unlawful ?? 0,
          attendanceShare: schoolDaysInWeek === 0 ? null : (schoolDaysInWeek - absent) / schoolDaysInWeek,
        });
      }
      return weeks;
    },

    /** Every pupil on the school's roster: the quarter of `on` and the school year so far. */
    async school(schoolId: string, on: IsoDate): Promise<SchoolAbsenceList> {
      const { yearFrom, lastQuarter, days } = await calendarFor(schoolId, on);
      const from = lastQuarter.from < yearFrom ? lastQuarter.from : yearFrom;
      const rows = await db.query<{
        pupil_ref: string;
        grade: number;
        class_name: string;
        quarter_days: number;
        year_days: number;
        quarter_unlawful: number;
        illness: number;
        leave: number;
        unlawful: number;
      }>(
        `WITH cal AS (SELECT day FROM unnest($2::date[]) AS d(day)),
         counts AS (
           SELECT count(*) FILTER (WHERE day >= $5::date AND day <= $6::date)::int AS quarter_days,
                  count(*) FILTER (WHERE day >= $3::date AND day <= $4::date)::int AS year_days
           FROM cal
         ),
         marks AS (
           SELECT a.pupil_ref, a.day, a.category, ${AMOUNT_SQL} AS amount
           FROM absence_registrations a JOIN cal ON cal.day = a.day
           WHERE a.school_id = $1 AND a.day >= $7::date AND a.day <= $4::date
         ),
         sums AS (
           SELECT pupil_ref,
                  coalesce(sum(amount) FILTER (WHERE category = 'unlawful' AND day >= $5::date), 0)::float8 AS quarter_unlawful,
                  coalesce(sum(amount) FILTER (WHERE category = 'illness' AND day >= $3::date), 0)::float8 AS illness,
                  coalesce(sum(amount) FILTER (WHERE category = 'leave' AND day >= $3::date), 0)::float8 AS leave,
                  coalesce(sum(amount) FILTER (WHERE category = 'unlawful' AND day >= $3::date), 0)::float8 AS unlawful
           FROM marks GROUP BY pupil_ref
         )
         SELECT p.pupil_ref, p.grade, p.class_name, counts.quarter_days, counts.year_days,
                coalesce(s.quarter_unlawful, 0)::float8 AS quarter_unlawful, coalesce(s.illness, 0)::float8 AS illness,
                coalesce(s.leave, 0)::float8 AS leave, coalesce(s.unlawful, 0)::float8 AS unlawful
         FROM pupils p CROSS JOIN counts LEFT JOIN sums s ON s.pupil_ref = p.pupil_ref
         WHERE p.school_id = $1 AND p.on_roster
         ORDER BY p.class_name, p.pupil_ref`,
        [schoolId, days, yearFrom, on, lastQuarter.from, lastQuarter.to, from],
      );
      return {
        on,
        quarter: lastQuarter.quarter,
        items: rows.map((row) => ({
          pupilRef: row.pupil_ref,
          grade: row.grade,
          className: row.class_name,
          quarter: {
            quarter: lastQuarter.quarter,
            schoolDays: row.quarter_days,
            unlawfulDays: row.quarter_unlawful,
            unlawfulShare: share(row.quarter_unlawful, row.quarter_days),
          },
          schoolYear: schoolYearOf(yearFrom, { school_days: row.year_days, illness: row.illness, leave: row.leave, unlawful: row.unlawful }),
        })),
      };
    },
  };
}

function schoolYearOf(from: IsoDate, row: { school_days: number; illness: number; leave: number; unlawful: number }): SchoolYearFigures {
  return {
    from,
    schoolDaysSoFar: row.school_days,
    illnessDays: row.illness,
    leaveDays: row.leave,
    unlawfulDays: row.unlawful,
    totalShare: share(row.illness + row.leave + row.unlawful, row.school_days),
  };
}

export type AbsenceFigures = ReturnType<typeof createAbsenceFigures>;
