/** The school days of a span (the figures count on them) are exactly the days `isSchoolDay` says are school days. */
import { describe, expect, it } from 'vitest';
import { isSchoolDay, schoolDatesBetween } from '../../src/domain/calendar';
import { addDays } from '../../src/domain/dates';
import { danishPublicHolidays } from '../../src/domain/danishHolidays';

describe('school days between two dates', () => {
  it('are the days isSchoolDay counts, across year ends, a leap day and holidays that cross a month', () => {
    const calendar = {
      daysOff: [
        ...[2023, 2024, 2025, 2026, 2027].flatMap((year) => danishPublicHolidays(year)),
        { from: '2024-02-12', to: '2024-02-16' },
        { from: '2024-06-29', to: '2024-08-11' },
        { from: '2025-12-20', to: '2026-01-04' },
      ],
    };
    for (const [from, to] of [
      ['2023-12-27', '2027-01-05'],
      ['2024-02-28', '2024-03-01'],
      ['2026-01-01', '2026-01-01'],
      ['2026-03-02', '2026-03-01'],
    ] as const) {
      const dayByDay: string[] = [];
      for (let day: string = from; day <= to; day = addDays(day, 1)) if (isSchoolDay(day, calendar)) dayByDay.push(day);
      expect(schoolDatesBetween(from, to, calendar)).toEqual(dayByDay);
    }
    // Thursday 29 February 2024 is a school day; the winter holiday week is not.
    expect(schoolDatesBetween('2024-02-12', '2024-03-01', calendar)).toEqual(['2024-02-19', '2024-02-20', '2024-02-21', '2024-02-22', '2024-02-23', '2024-02-26', '2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
  });
});
