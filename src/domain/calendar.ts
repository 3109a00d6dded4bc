import { dateOfEpochDay, dayOfWeek, daysBetween, epochDayOf, weekdayOfEpochDay, type IsoDate } from './dates';

/**
 * The school calendar the deadlines count on: Monday to Friday, less the days off it lists
 * (public holidays and the school's own holidays). Plain data, so a case can keep the calendar
 * its deadlines were computed with.
 */
export interface SchoolCalendar {
  daysOff: readonly { from: IsoDate; to: IsoDate; name?: string }[];
}

/** Weekends only: the calendar when no holidays are known. */
export const WEEKDAYS_ONLY: SchoolCalendar = { daysOff: [] };

/*
 * Internally days are counted as integers (days since 1970-01-01), converted from and to
 * YYYY-MM-DD once per call: the machine asks these for every step on every event, and in the
 * workflow sandbox each case runs them on cold code, where string conversions per day added up.
 */
const offDaysCache = new WeakMap<SchoolCalendar, Set<number>>();

function offDays(calendar: SchoolCalendar): Set<number> {
  let days = offDaysCache.get(calendar);
  if (days === undefined) {
    days = new Set();
    for (const range of calendar.daysOff) {
      for (let day = epochDayOf(range.from), last = epochDayOf(range.to); day <= last; day += 1) days.add(day);
    }
    offDaysCache.set(calendar, days);
  }
  return days;
}

function isSchoolEpochDay(day: number, calendar: SchoolCalendar): boolean {
  const weekday = weekdayOfEpochDay(day);
  if (weekday === 0 || weekday === 6) return false;
  return calendar.daysOff.length === 0 || !offDays(calendar).has(day);
}

export function isSchoolDay(date: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): boolean {
  return isSchoolEpochDay(epochDayOf(date), calendar);
}

function onOrNextSchoolEpochDay(day: number, calendar: SchoolCalendar): number {
  let next = day;
  while (!isSchoolEpochDay(next, calendar)) next += 1;
  return next;
}

/** The date itself when it is a school day, otherwise the next school day. */
export function onOrNextSchoolDay(date: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  return dateOfEpochDay(onOrNextSchoolEpochDay(epochDayOf(date), calendar));
}

/** Every school day from `from` to `to`, both included, in order (the absence figures count on them). */
export function schoolDatesBetween(from: IsoDate, to: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate[] {
  const dates: IsoDate[] = [];
  for (let day = epochDayOf(from), last = epochDayOf(to); day <= last; day += 1) {
    if (isSchoolEpochDay(day, calendar)) dates.push(dateOfEpochDay(day));
  }
  return dates;
}

/**
 * "Due end of week n": week n of a case is days 7(n−1)…7n−1 from the opening day (day 0).
 * The deadline is the last school day in that span, or the first school day after it.
 */
export function endOfCaseWeek(openedOn: IsoDate, week: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  const first = epochDayOf(openedOn) + 7 * (week - 1);
  for (let day = first + 6; day >= first; day -= 1) {
    if (isSchoolEpochDay(day, calendar)) return dateOfEpochDay(day);
  }
  return dateOfEpochDay(onOrNextSchoolEpochDay(first + 7, calendar));
}

/**
 * School days after `from` up to and including `to`; negative when `to` is earlier.
 * 0 when both fall on the same school-free stretch.
 */
export function schoolDaysBetween(from: IsoDate, to: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): number {
  const span = daysBetween(from, to);
  if (span < 0) return -schoolDaysBetween(to, from, calendar);
  // Short spans day by day; long ones (a case opened years ago) by arithmetic, so the time taken
  // does not grow with the span.
  if (span <= 31) {
    let count = 0;
    for (let day = epochDayOf(from) + 1, last = epochDayOf(to); day <= last; day += 1) {
      if (isSchoolEpochDay(day, calendar)) count += 1;
    }
    return count;
  }
  let count = Math.floor(span / 7) * 5;
  const firstWeekday = dayOfWeek(from);
  for (let i = 1; i <= span % 7; i += 1) {
    const weekday = (firstWeekday + i) % 7;
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  if (calendar.daysOff.length === 0) return count;
  const off = weekdaysOff(calendar);
  return count - (countUpTo(off, epochDayOf(to)) - countUpTo(off, epochDayOf(from)));
}

const weekdaysOffCache = new WeakMap<SchoolCalendar, number[]>();

/** The calendar's days off that fall on Monday to Friday, in order. */
function weekdaysOff(calendar: SchoolCalendar): number[] {
  let days = weekdaysOffCache.get(calendar);
  if (days === undefined) {
    days = [...offDays(calendar)].filter((day) => weekdayOfEpochDay(day) % 6 !== 0).sort((a, b) => a - b);
    weekdaysOffCache.set(calendar, days);
  }
  return days;
}

/** How many of the sorted days are on or before `date` (binary search). */
function countUpTo(sorted: readonly number[], date: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= date) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The date `count` school days after `from` (the "15 school days" and "10 working days" rules). */
export function addSchoolDays(from: IsoDate, count: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  let day = epochDayOf(from);
  for (let left = count; left > 0; ) {
    day += 1;
    if (isSchoolEpochDay(day, calendar)) left -= 1;
  }
  return dateOfEpochDay(day);
}
