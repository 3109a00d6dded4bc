/**
 * The school calendar's functions count days as integers internally (for speed in the workflow
 * sandbox); here they are checked, day by day over three school years of the default Danish
 * calendar, against the plainest reading of the rules: a school day is a weekday in no range of
 * days off, and counting walks the days one at a time with Date.
 */
import { describe, expect, it } from 'vitest';
import { addSchoolDays, endOfCaseWeek, isSchoolDay, onOrNextSchoolDay, schoolDaysBetween } from '../../src/domain/calendar';
import { defaultDanishCalendar } from '../../src/domain/danishHolidays';

const calendar = defaultDanishCalendar(2025, 2027);
const next = (date: string, days = 1) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const plainSchoolDay = (date: string) => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.daysOff.some((range) => range.from <= date && date <= range.to);
};

const days: string[] = [];
for (let day = '2025-08-01'; day <= '2027-07-31'; day = next(day)) days.push(day);

describe('the school calendar against a day-by-day reading', () => {
  it('when every day of two school years is asked, then school days are exactly the weekdays outside the holidays', () => {
    expect(days.filter((day) => isSchoolDay(day, calendar))).toEqual(days.filter(plainSchoolDay));
  });

  it('when school days are added, counted, or a date moved to a school day, then the answers match walking day by day', () => {
    for (const [index, from] of days.entries()) {
      if (index % 5 !== 0) continue;
      let walked = from;
      for (let count = 1; count <= 20; count += 1) {
        do walked = next(walked);
        while (!plainSchoolDay(walked));
        expect(addSchoolDays(from, count, calendar), `${from} + ${count}`).toBe(walked);
      }
      let onOrNext = from;
      while (!plainSchoolDay(onOrNext)) onOrNext = next(onOrNext);
      expect(onOrNextSchoolDay(from, calendar)).toBe(onOrNext);
      for (const span of [-45, -3, 0, 1, 6, 31, 32, 90, 365]) {
        const to = next(from, span);
        let counted = 0;
        const [low, high] = span < 0 ? [to, from] : [from, to];
        for (let day = next(low); day <= high; day = next(day)) if (plainSchoolDay(day)) counted += 1;
        expect(schoolDaysBetween(from, to, calendar), `${from} → ${to}`).toBe(span < 0 ? -counted : counted);
      }
    }
  });

  it('when a case week is asked for its deadline, then it is the last school day of the week, or the first after it', () => {
    for (const [index, openedOn] of days.entries()) {
      if (index % 3 !== 0) continue;
      for (const week of [1, 2, 3, 4, 7]) {
        const first = next(openedOn, 7 * (week - 1));
        let expected: string | undefined;
        for (let offset = 6; offset >= 0 && expected === undefined; offset -= 1) if (plainSchoolDay(next(first, offset))) expected = next(first, offset);
        if (expected === undefined) {
          expected = next(first, 7);
          while (!plainSchoolDay(expected)) expected = next(expected);
        }
        expect(endOfCaseWeek(openedOn, week, calendar), `${openedOn} week ${week}`).toBe(expected);
      }
    }
  });
});
