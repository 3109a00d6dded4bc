import { addDays, dayOfWeek, daysBetween, type IsoDate } from './dates';

/**
 * The school calendar the deadlines count on. Until municipalities can set holidays,
 * school days are Monday to Friday (API.md, "Week arithmetic").
 */
export function isSchoolDay(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6;
}

/** The date itself when it is a school day, otherwise the next school day. */
export function onOrNextSchoolDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isSchoolDay(day)) day = addDays(day, 1);
  return day;
}

/**
 * "Due end of week n": week n of a case is days 7(n−1)…7n−1 from the opening day (day 0).
 * The deadline is the last school day in that span, or the first school day after it.
 */
export function endOfCaseWeek(openedOn: IsoDate, week: number): IsoDate {
  const first = addDays(openedOn, 7 * (week - 1));
  for (let day = addDays(first, 6); day >= first; day = addDays(day, -1)) {
    if (isSchoolDay(day)) return day;
  }
  return onOrNextSchoolDay(addDays(first, 7));
}

/**
 * School days after `from` up to and including `to`; negative when `to` is earlier.
 * 0 when both fall on the same school-free stretch.
 */
export function schoolDaysBetween(from: IsoDate, to: IsoDate): number {
  const sign = daysBetween(from, to) < 0 ? -1 : 1;
  const [start, end] = sign > 0 ? [from, to] : [to, from];
  let count = 0;
  for (let day = addDays(start, 1); day <= end; day = addDays(day, 1)) {
    if (isSchoolDay(day)) count += 1;
  }
  return sign * count;
}
