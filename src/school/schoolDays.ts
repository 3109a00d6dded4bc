/**
 * The school days of one school between two dates, on the school's own calendar (weekends,
 * public holidays and the school's or the municipality's school holidays). The figures count on
 * these days in SQL; they are handed to the database as one date array per question.
 */
import type { SchoolCalendar } from '../domain/calendar';
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
      return schoolDaysBetween(from, to, await calendar(schoolId, Number(from.slice(0, 4)), Number(to.slice(0, 4))));
    },
  };
}

/**
 * Calls `visit` with each date from `from` to `to` and its weekday (0 Sunday … 6 Saturday),
 * stepping year, month and day as numbers: no date string is parsed or formatted from a Date
 * object, which is most of the cost when a year of days is walked on every request.
 */
function eachDate(from: IsoDate, to: IsoDate, visit: (day: IsoDate, weekday: number) => void): void {
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  let date = Number(from.slice(8, 10));
  let weekday = new Date(Date.UTC(year, month - 1, date)).getUTCDay();
  let monthLength = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (;;) {
    const day = `${year}-${month < 10 ? '0' : ''}${month}-${date < 10 ? '0' : ''}${date}`;
    if (day > to) return;
    visit(day, weekday);
    weekday = (weekday + 1) % 7;
    date += 1;
    if (date > monthLength) {
      date = 1;
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
      monthLength = new Date(Date.UTC(year, month, 0)).getUTCDate();
    }
  }
}

/**
 * Every school day from `from` to `to` on the calendar: the same days as `isSchoolDay` asked day
 * by day (src/domain/calendar.ts, tested against it), without its per-day date parsing. A pupil's
 * figures walk a year and a quarter of days on every call; day by day that took a few
 * milliseconds of the request on its own.
 */
export function schoolDaysBetween(from: IsoDate, to: IsoDate, calendar: SchoolCalendar): IsoDate[] {
  const off = new Set<IsoDate>();
  for (const range of calendar.daysOff) eachDate(range.from, range.to, (day) => off.add(day));
  const days: IsoDate[] = [];
  eachDate(from, to, (day, weekday) => {
    if (weekday !== 0 && weekday !== 6 && !off.has(day)) days.push(day);
  });
  return days;
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
