import { addDays, dayOfWeek, daysBetween, type IsoDate } from './dates';

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

const offDatesCache = new WeakMap<SchoolCalendar, Set<IsoDate>>();

function offDates(calendar: SchoolCalendar): Set<IsoDate> {
  let dates = offDatesCache.get(calendar);
  if (dates === undefined) {
    dates = new Set();
    for (const range of calendar.daysOff) {
      for (let day = range.from; day <= range.to; day = addDays(day, 1)) dates.add(day);
    }
    offDatesCache.set(calendar, dates);
  }
  return dates;
}

export function isSchoolDay(date: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): boolean {
  const weekday = dayOfWeek(date);
  if (weekday === 0 || weekday === 6) return false;
  return calendar.daysOff.length === 0 || !offDates(calendar).has(date);
}

/** The date itself when it is a school day, otherwise the next school day. */
export function onOrNextSchoolDay(date: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  let day = date;
  while (!isSchoolDay(day, calendar)) day = addDays(day, 1);
  return day;
}

/**
 * "Due end of week n": week n of a case is days 7(n−1)…7n−1 from the opening day (day 0).
 * The deadline is the last school day in that span, or the first school day after it.
 */
export function endOfCaseWeek(openedOn: IsoDate, week: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  const first = addDays(openedOn, 7 * (week - 1));
  for (let day = addDays(first, 6); day >= first; day = addDays(day, -1)) {
    if (isSchoolDay(day, calendar)) return day;
  }
  return onOrNextSchoolDay(addDays(first, 7), calendar);
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
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
      if (isSchoolDay(day, calendar)) count += 1;
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
  return count - (countUpTo(off, to) - countUpTo(off, from));
}

const weekdaysOffCache = new WeakMap<SchoolCalendar, IsoDate[]>();

/** The calendar's days off that fall on Monday to Friday, in order. */
function weekdaysOff(calendar: SchoolCalendar): IsoDate[] {
  let dates = weekdaysOffCache.get(calendar);
  if (dates === undefined) {
    dates = [...offDates(calendar)].filter((date) => dayOfWeek(date) % 6 !== 0).sort();
    weekdaysOffCache.set(calendar, dates);
  }
  return dates;
}

/** How many of the sorted dates are on or before `date` (binary search). */
function countUpTo(sorted: readonly IsoDate[], date: IsoDate): number {
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
  let day = from;
  for (let left = count; left > 0; ) {
    day = addDays(day, 1);
    if (isSchoolDay(day, calendar)) left -= 1;
  }
  return day;
}
