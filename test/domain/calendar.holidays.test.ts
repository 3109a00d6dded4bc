/**
 * Weeks with no school day. With the Mon–Fri calendar every 7-day case week has one, so the rule's
 * fallback ("the first school day after week n") can only be reached once holidays exist. Here a
 * Christmas holiday, 2026-12-21 … 2027-01-03, is the school calendar's one day-off range.
 * (Until the calendar counted days as integers this test simulated the holiday by mocking the
 * weekday function; the calendar it passes now is the real input.)
 */
import { describe, expect, it } from 'vitest';
import { endOfCaseWeek, isSchoolDay, onOrNextSchoolDay, schoolDaysBetween, type SchoolCalendar } from '../../src/domain/calendar';

const CHRISTMAS: SchoolCalendar = { daysOff: [{ from: '2026-12-21', to: '2027-01-03', name: 'Juleferie' }] };

describe('a case week that falls wholly in a holiday', () => {
  it('when the holiday is in force, then its weekdays are not school days', () => {
    expect(isSchoolDay('2026-12-18', CHRISTMAS)).toBe(true); // Friday before
    expect(isSchoolDay('2026-12-21', CHRISTMAS)).toBe(false); // Monday in the holiday
    expect(isSchoolDay('2027-01-04', CHRISTMAS)).toBe(true); // Monday after
  });

  it('when week n has no school day, then its deadline is the first school day after it', () => {
    // Opened Wed 2026-11-18. Week 6 = days 35…41 = Wed 12-23 … Tue 12-29: all holiday.
    // The first school day after the week (from Wed 12-30 on) is Mon 2027-01-04.
    expect(endOfCaseWeek('2026-11-18', 6, CHRISTMAS)).toBe('2027-01-04');
  });

  it('when week n ends in the holiday but began before it, then the deadline is its last school day before the holiday', () => {
    // Week 5 = days 28…34 = Wed 12-16 … Tue 12-22; 12-21 and 12-22 are off → Fri 12-18.
    expect(endOfCaseWeek('2026-11-18', 5, CHRISTMAS)).toBe('2026-12-18');
  });

  it('when week n begins in the holiday and ends after it, then the deadline is its last school day after the holiday', () => {
    // Week 7 = days 42…48 = Wed 12-30 … Tue 2027-01-05 → Tue 2027-01-05.
    expect(endOfCaseWeek('2026-11-18', 7, CHRISTMAS)).toBe('2027-01-05');
  });

  it('when a chosen date lies in the holiday, then it moves to the first school day after it', () => {
    expect(onOrNextSchoolDay('2026-12-24', CHRISTMAS)).toBe('2027-01-04');
  });

  it('when counting school days across the holiday, then the holiday adds none', () => {
    expect(schoolDaysBetween('2026-12-18', '2027-01-04', CHRISTMAS)).toBe(1);
    expect(schoolDaysBetween('2027-01-04', '2026-12-18', CHRISTMAS)).toBe(-1);
  });
});
