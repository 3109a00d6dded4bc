/**
 * The school days of one school between two dates, on the school's own calendar (weekends,
 * public holidays and the school's or the municipality's school holidays). The figures count on
 * these days in SQL; they are handed to the database as one date array per question.
 */
import { schoolDatesBetween, type SchoolCalendar } from '../domain/calendar';
import { addDays, type IsoDate } from '../domain/dates';
import { danishPublicHolidays, type Holiday } from '../domain/danishHolidays';
import type { CalendarSettings } from '../calendar/calendarSettings';

export interface SchoolDays {
  /** Every school day from `from` to `to`, both included, in order. */
  between(schoolId: string, from: IsoDate, to: IsoDate): Promise<IsoDate[]>;
  /** The school's calendar covering the given years (for a check of many single dates). */
  calendar(schoolId: string, fromYear: number, toYear: number): Promise<SchoolCalendar>;
}

export function createSchoolDays(settings: Pick<CalendarSettings, 'schoolHolidaysOfYears'>): SchoolDays {
  async function calendar(schoolId: string, fromYear: number, toYear: number): Promise<SchoolCalendar> {
    // The year before as well: its Christmas holiday reaches into January. One query for all years.
    const daysOff: Holiday[] = await settings.schoolHolidaysOfYears(schoolId, fromYear - 1, toYear);
    for (let year = fromYear - 1; year <= toYear; year += 1) daysOff.push(...danishPublicHolidays(year));
    return { daysOff };
  }
  return {
    calendar,
    async between(schoolId, from, to) {
      return schoolDatesBetween(from, to, await calendar(schoolId, Number(from.slice(0, 4)), Number(to.slice(0, 4))));
    },
  };
}

/** 1 August of the school year `on` falls in (a school year runs 1 August to 31 July). */
export function schoolYearStart(on: IsoDate): IsoDate {
  const year = Number(on.slice(0, 4));
  const month = Number(on.slice(5, 7));
  return `${month >= 8 ? year : year - 1}-08-01`;
}

/** The calendar quarter of a date, e.g. "2026-Q4", with its first and last day. */
export function quarterOf(on: IsoDate): { quarter: string; from: IsoDate; to: IsoDate } {
  const year = Number(on.slice(0, 4));
  const q = Math.floor((Number(on.slice(5, 7)) - 1) / 3) + 1;
  const firstMonth = (q - 1) * 3 + 1;
  const from = `${year}-${String(firstMonth).padStart(2, '0')}-01`;
  const nextFirst = q === 4 ? `${year + 1}-01-01` : `${year}-${String(firstMonth + 3).padStart(2, '0')}-01`;
  return { quarter: `${year}-Q${q}`, from, to: addDays(nextFirst, -1) };
}
