/**
 * The school calendar (Mon–Fri until municipalities can set holidays) and the case-week rule.
 */
import { describe, expect, it } from 'vitest';
import { endOfCaseWeek, isSchoolDay, onOrNextSchoolDay, schoolDaysBetween } from '../../src/domain/calendar';
import { addDays, dayOfWeek, daysBetween } from '../../src/domain/dates';
import { defaultDanishCalendar } from '../../src/domain/danishHolidays';

describe('isSchoolDay', () => {
  it('when a date is Monday to Friday, then it is a school day; Saturday and Sunday are not', () => {
    // 2026-11-16 is a Monday
    const week = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'];
    expect(week.map((day) => isSchoolDay(day))).toEqual([true, true, true, true, true, false, false]);
  });
});

describe('onOrNextSchoolDay', () => {
  it.each([
    ['2026-11-18', '2026-11-18'], // Wednesday stays
    ['2026-11-20', '2026-11-20'], // Friday stays
    ['2026-11-21', '2026-11-23'], // Saturday → Monday
    ['2026-11-22', '2026-11-23'], // Sunday → Monday
    ['2027-01-02', '2027-01-04'], // Saturday across the year's end → Monday
    ['2026-02-28', '2026-03-02'], // Saturday at the end of February → Monday 1… 2 March
  ])('when a chosen date is %s, then it counts as %s', (date, expected) => {
    expect(onOrNextSchoolDay(date)).toBe(expected);
  });
});

describe('endOfCaseWeek', () => {
  it('when a case opens on Wednesday 2026-11-18, then week 1 ends Tuesday 11-24 and week 2 Tuesday 12-01', () => {
    // week 1 = days 0…6 = Wed 11-18 … Tue 11-24; week 2 = days 7…13 = Wed 11-25 … Tue 12-01
    expect(endOfCaseWeek('2026-11-18', 1)).toBe('2026-11-24');
    expect(endOfCaseWeek('2026-11-18', 2)).toBe('2026-12-01');
  });

  it('when a case opens on Monday 2026-11-16, then each case week ends on its Friday', () => {
    // week 1 = Mon 11-16 … Sun 11-22 → Fri 11-20; week 3 = Mon 11-30 … Sun 12-06 → Fri 12-04
    expect(endOfCaseWeek('2026-11-16', 1)).toBe('2026-11-20');
    expect(endOfCaseWeek('2026-11-16', 3)).toBe('2026-12-04');
  });

  it('when a case opens on Saturday 2026-11-21, then week 1 (Sat … Fri) ends Friday 11-27', () => {
    expect(endOfCaseWeek('2026-11-21', 1)).toBe('2026-11-27');
  });

  it('when a case opens on Sunday 2026-11-22, then week 1 (Sun … Sat) ends Friday 11-27, not on the Saturday', () => {
    expect(endOfCaseWeek('2026-11-22', 1)).toBe('2026-11-27');
  });

  it('when a case week spans New Year, then its deadline is counted across the year boundary', () => {
    // opened Thu 2026-12-17: week 3 = days 14…20 = Thu 12-31 … Wed 2027-01-06 → Wed 2027-01-06
    expect(endOfCaseWeek('2026-12-17', 3)).toBe('2027-01-06');
  });

  it('when the weekday calendar is used, then no case week is without a school day: every deadline falls inside its week', () => {
    for (let offset = 0; offset < 7; offset += 1) {
      const openedOn = addDays('2026-11-16', offset);
      for (let week = 1; week <= 12; week += 1) {
        const due = endOfCaseWeek(openedOn, week);
        const day = daysBetween(openedOn, due);
        expect(isSchoolDay(due)).toBe(true);
        expect(day).toBeGreaterThanOrEqual(7 * (week - 1));
        expect(day).toBeLessThanOrEqual(7 * week - 1);
        expect(isSchoolDay(addDays(due, 1)) && day + 1 <= 7 * week - 1).toBe(false);
      }
    }
  });
});

describe('schoolDaysBetween', () => {
  it('when counting from Monday to Friday of one week, then it is 4 (the days after Monday up to Friday)', () => {
    expect(schoolDaysBetween('2026-11-16', '2026-11-20')).toBe(4);
  });

  it('when counting from Friday to the next Monday, then the weekend adds nothing: 1', () => {
    expect(schoolDaysBetween('2026-11-20', '2026-11-23')).toBe(1);
  });

  it('when counting backwards, then the count is negative', () => {
    expect(schoolDaysBetween('2026-11-20', '2026-11-16')).toBe(-4);
    expect(schoolDaysBetween('2026-11-23', '2026-11-20')).toBe(-1);
    expect(schoolDaysBetween('2026-12-01', '2026-11-18')).toBe(-9);
  });

  it('when counting from a day to itself, then it is 0', () => {
    expect(schoolDaysBetween('2026-11-18', '2026-11-18')).toBe(0);
  });

  it('when both dates fall in one weekend, then no school day lies between them, in either direction', () => {
    expect(schoolDaysBetween('2026-11-21', '2026-11-22')).toBe(0);
    // Backwards this is computed as -1 × 0, i.e. -0; it is still zero school days (and JSON writes 0).
    expect(schoolDaysBetween('2026-11-22', '2026-11-21') === 0).toBe(true);
  });

  it('when counting from a Saturday, then the Monday after is 1 school day away and the Friday before is -1', () => {
    expect(schoolDaysBetween('2026-11-21', '2026-11-23')).toBe(1);
    // backwards: the school days after Fri 11-20 up to Sat 11-21 → none; after Thu 11-19 up to Sat → Fri = 1
    expect(schoolDaysBetween('2026-11-21', '2026-11-19')).toBe(-1);
  });

  it('when counting over two full weeks, then it is 10 whichever weekday one starts on', () => {
    for (let offset = 0; offset < 7; offset += 1) {
      const from = addDays('2026-11-16', offset);
      expect(schoolDaysBetween(from, addDays(from, 14)), `${from} (weekday ${dayOfWeek(from)})`).toBe(10);
      expect(schoolDaysBetween(addDays(from, 14), from)).toBe(-10);
    }
  });
});

describe('schoolDaysBetween over long spans (issue 11)', () => {
  const calendar = defaultDanishCalendar(1999, 2101);
  /** The rule written the slow way: every day after `from` up to `to` that is a school day. */
  function countedDayByDay(from: string, to: string): number {
    let count = 0;
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isSchoolDay(day, calendar)) count += 1;
    return count;
  }

  it('when spans of every length are counted, then arithmetic and day-by-day agree', () => {
    for (const [from, to] of [
      ['2026-11-18', '2026-12-31'],
      ['2026-06-01', '2027-09-01'],
      ['2000-01-03', '2026-11-29'],
      ['2000-01-01', '2100-12-31'],
    ] as const) {
      expect(schoolDaysBetween(from, to, calendar)).toBe(countedDayByDay(from, to));
      expect(schoolDaysBetween(to, from, calendar)).toBe(-countedDayByDay(from, to));
      expect(schoolDaysBetween(from, to)).toBe(schoolDaysBetween(from, to, { daysOff: [] }));
    }
  });

  it('when a step is a century late, then its lateness is counted in milliseconds, not seconds', () => {
    schoolDaysBetween('2026-01-05', '2026-01-09', calendar); // builds the calendar's day set once
    const started = performance.now();
    for (let i = 0; i < 100; i += 1) schoolDaysBetween('2000-01-03', '2100-12-31', calendar);
    expect((performance.now() - started) / 100).toBeLessThan(5);
  });
});
