/**
 * The school calendar as municipalities and schools set it: the public holidays (computed) and
 * the school holidays (set per school, per municipality with scope '*', or the defaults).
 */
import { addSchoolDays, type SchoolCalendar } from '../domain/calendar';
import { danishPublicHolidays, defaultSchoolHolidays, type Holiday } from '../domain/danishHolidays';
import type { Database } from '../db/types';

/** The scope of holidays that hold for every school without its own. */
export const MUNICIPALITY_SCOPE = '*';

export type HolidayKind = 'public' | 'school';
export interface CalendarHoliday extends Holiday {
  kind: HolidayKind;
}

export interface SchoolHolidaySource {
  holidays: Holiday[];
  source: 'school' | 'municipality' | 'default';
}

export function createCalendarSettings(db: Pick<Database, 'query'>) {
  async function schoolHolidays(schoolId: string, year: number): Promise<SchoolHolidaySource> {
    const rows = await db.query<{ scope: string; holidays: Holiday[] }>(
      `SELECT scope, holidays FROM school_holidays WHERE year = $1 AND scope IN ($2, $3)`,
      [year, schoolId, MUNICIPALITY_SCOPE],
    );
    const own = rows.find((row) => row.scope === schoolId);
    if (own) return { holidays: own.holidays, source: 'school' };
    const municipal = rows.find((row) => row.scope === MUNICIPALITY_SCOPE);
    if (municipal) return { holidays: municipal.holidays, source: 'municipality' };
    return { holidays: defaultSchoolHolidays(year), source: 'default' };
  }

  /** The school holidays of each of several years, as schoolHolidays answers them, in one query. */
  async function schoolHolidaysByYear(schoolId: string, fromYear: number, toYear: number): Promise<Holiday[][]> {
    const rows = await db.query<{ scope: string; year: number; holidays: Holiday[] }>(
      `SELECT scope, year, holidays FROM school_holidays WHERE year BETWEEN $1 AND $2 AND scope IN ($3, $4)`,
      [fromYear, toYear, schoolId, MUNICIPALITY_SCOPE],
    );
    const out: Holiday[][] = [];
    for (let year = fromYear; year <= toYear; year += 1) {
      const own = rows.find((row) => row.year === year && row.scope === schoolId);
      const municipal = rows.find((row) => row.year === year && row.scope === MUNICIPALITY_SCOPE);
      out.push((own ?? municipal)?.holidays ?? defaultSchoolHolidays(year));
    }
    return out;
  }

  /** The school holidays of several years at once (one query), each year as schoolHolidays answers it. */
  async function schoolHolidaysOfYears(schoolId: string, fromYear: number, toYear: number): Promise<Holiday[]> {
    return (await schoolHolidaysByYear(schoolId, fromYear, toYear)).flat();
  }

  return {
    schoolHolidays,
    schoolHolidaysOfYears,

    /** Replaces the school holidays of one scope and year in one statement: all or nothing. */
    async setSchoolHolidays(scope: string, year: number, holidays: readonly Holiday[]): Promise<void> {
      await db.query(
        `INSERT INTO school_holidays (scope, year, holidays, updated_at) VALUES ($1, $2, $3::jsonb, now())
         ON CONFLICT (scope, year) DO UPDATE SET holidays = EXCLUDED.holidays, updated_at = now()`,
        [scope, year, JSON.stringify(holidays)],
      );
    },

    /**
     * Sets one school holiday of a year, keeping every other holiday in force (the school's own,
     * else the municipality's, else the defaults): the holiday of the same name is replaced, or it
     * is added. Setting the autumn holiday no longer wipes the year's Christmas and summer.
     */
    async setOneSchoolHoliday(scope: string, year: number, holiday: Holiday): Promise<Holiday[]> {
      const inForce = (await schoolHolidays(scope, year)).holidays;
      const others = inForce.filter((candidate) => candidate.name !== holiday.name);
      const holidays = [...others, holiday].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      await this.setSchoolHolidays(scope, year, holidays);
      return holidays;
    },

    /** Every day off in a year at a school, public and school holidays, in date order. */
    async calendarYear(schoolId: string, year: number): Promise<{ holidays: CalendarHoliday[]; source: SchoolHolidaySource['source'] }> {
      const school = await schoolHolidays(schoolId, year);
      const holidays: CalendarHoliday[] = [
        ...danishPublicHolidays(year).map((holiday) => ({ ...holiday, kind: 'public' as const })),
        ...school.holidays.map((holiday) => ({ ...holiday, kind: 'school' as const })),
      ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      return { holidays, source: school.source };
    },

    /**
     * The calendar a case counts its deadlines on, covering the years it may run: from the year
     * before its opening (a Christmas holiday reaches into January) to two years after.
     */
    async calendarForCase(schoolId: string, openedOn: string): Promise<SchoolCalendar> {
      const first = Number(openedOn.slice(0, 4)) - 1;
      // One query for the four years (an opening waits on it), each year's public holidays first.
      const ofSchool = await schoolHolidaysByYear(schoolId, first, first + 3);
      const daysOff: Holiday[] = [];
      ofSchool.forEach((holidays, index) => daysOff.push(...danishPublicHolidays(first + index), ...holidays));
      return { daysOff };
    },

    /**
     * The date a legal time limit counted from `from` ends on: in school days on the school's
     * calendar ("15 school days" for sick-teaching), or in working days, which skip weekends and
     * public holidays but not school holidays ("10 working days" for an action plan on the
     * learning environment).
     */
    async deadlineAfter(schoolId: string, from: string, count: { schoolDays: number } | { workingDays: number }): Promise<string> {
      if ('schoolDays' in count) return addSchoolDays(from, count.schoolDays, await this.calendarForCase(schoolId, from));
      const first = Number(from.slice(0, 4));
      const daysOff = [first, first + 1].flatMap((year) => danishPublicHolidays(year));
      return addSchoolDays(from, count.workingDays, { daysOff });
    },
  };
}

export type CalendarSettings = ReturnType<typeof createCalendarSettings>;
