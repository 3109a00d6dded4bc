/**
 * Dates for generated cases. The service's deadlines count Monday–Friday (src/domain/calendar.ts);
 * people also avoid meeting in the school holidays, so the generator prefers "working days":
 * school days outside the usual Danish holidays (summer, autumn week 42, Christmas, winter week 7).
 * Easter moves from year to year and is left out: a few meetings in Easter week do no harm.
 */
import { isSchoolDay as serviceIsSchoolDay } from '../domain/calendar';
import type { IsoDate } from '../domain/dates';
import type { Random } from './random';

// The generator does date arithmetic hundreds of thousands of times; parsing and formatting
// through Date each time dominated its run time, so dates and day numbers are cached both ways.
const DAY_MS = 86_400_000;
const dayNumbers = new Map<IsoDate, number>();
const datesByNumber = new Map<number, IsoDate>();
const schoolDays = new Map<IsoDate, boolean>();
const workingDays = new Map<IsoDate, boolean>();

/** Days since 1970-01-01. */
export function dayNumber(date: IsoDate): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    const ms = Date.parse(`${date}T00:00:00Z`);
    if (Number.isNaN(ms)) throw new RangeError(`not a date: ${date}`);
    n = Math.round(ms / DAY_MS);
    dayNumbers.set(date, n);
  }
  return n;
}

export function dateOfDayNumber(n: number): IsoDate {
  let date = datesByNumber.get(n);
  if (date === undefined) {
    date = new Date(n * DAY_MS).toISOString().slice(0, 10);
    datesByNumber.set(n, date);
  }
  return date;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return dateOfDayNumber(dayNumber(date) + days);
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(date: IsoDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** Monday to Friday, exactly as the service counts (src/domain/calendar.ts). */
export function isSchoolDay(date: IsoDate): boolean {
  let school = schoolDays.get(date);
  if (school === undefined) {
    school = serviceIsSchoolDay(date);
    schoolDays.set(date, school);
  }
  return school;
}

/** ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: IsoDate): number {
  const mondayBased = (dayOfWeek(date) + 6) % 7;
  const thursday = addDays(date, 3 - mondayBased);
  return Math.floor(daysBetween(`${thursday.slice(0, 4)}-01-01`, thursday) / 7) + 1;
}

export function isHoliday(date: IsoDate): boolean {
  const monthDay = date.slice(5);
  if (monthDay >= '06-27' && monthDay <= '08-09') return true; // summer
  if (monthDay >= '12-21' || monthDay <= '01-02') return true; // Christmas
  const week = isoWeek(date);
  return week === 42 || week === 7; // autumn and winter holiday weeks
}

export function isWorkingDay(date: IsoDate): boolean {
  let working = workingDays.get(date);
  if (working === undefined) {
    working = isSchoolDay(date) && !isHoliday(date);
    workingDays.set(date, working);
  }
  return working;
}

/** The date itself when it is a working day, else the next one. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  let day = date;
  for (let i = 0; i < 60 && !isWorkingDay(day); i += 1) day = addDays(day, 1);
  return isWorkingDay(day) ? day : nextSchoolDay(date);
}

/** The date itself when it is a school day (Monday–Friday), else the next one. */
export function nextSchoolDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isSchoolDay(day)) day = addDays(day, 1);
  return day;
}

/** The date itself when it is a school day, else the one before. */
export function previousSchoolDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isSchoolDay(day)) day = addDays(day, -1);
  return day;
}

/** `count` working days after `date` (0: `date` itself or the next working day). */
export function afterWorkingDays(date: IsoDate, count: number): IsoDate {
  let day = nextWorkingDay(date);
  for (let i = 0; i < count; i += 1) day = nextWorkingDay(addDays(day, 1));
  return day;
}

/**
 * A random date in [from, to]: a working day when the span has one, else a school day; when the
 * span has neither (or is empty), the first school day from `from` on.
 */
export function randomDayBetween(rng: Random, from: IsoDate, to: IsoDate): IsoDate {
  if (to < from) return nextSchoolDay(from);
  const working: IsoDate[] = [];
  const school: IsoDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    if (isWorkingDay(day)) working.push(day);
    else if (isSchoolDay(day)) school.push(day);
  }
  if (working.length > 0) return rng.pick(working);
  if (school.length > 0) return rng.pick(school);
  return nextSchoolDay(from);
}

export function earliest(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b;
}

export function latest(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}
