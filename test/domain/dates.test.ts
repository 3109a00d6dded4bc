import { describe, expect, it } from 'vitest';
import { addDays, danishDateOf, dayOfWeek, daysBetween, isIsoDate, maxDate } from '../../src/domain/dates';

describe('danishDateOf: the date on the wall in Denmark', () => {
  it('when it is 23:30 UTC in winter, then it is already the next day in Denmark (CET, +01:00)', () => {
    expect(danishDateOf('2026-11-18T23:30:00Z')).toBe('2026-11-19');
    expect(danishDateOf('2026-11-18T22:59:59Z')).toBe('2026-11-18');
    expect(danishDateOf('2026-11-18T23:00:00Z')).toBe('2026-11-19');
  });

  it('when it is 23:30 UTC in summer, then it is the next day in Denmark (CEST, +02:00), and so is 22:00 UTC', () => {
    expect(danishDateOf('2026-06-15T23:30:00Z')).toBe('2026-06-16');
    expect(danishDateOf('2026-06-15T22:00:00Z')).toBe('2026-06-16');
    expect(danishDateOf('2026-06-15T21:59:59Z')).toBe('2026-06-15');
  });

  it('when summer time ends (2026-10-25, 03:00 CEST → 02:00 CET), then midnight moves from 22:00 to 23:00 UTC', () => {
    expect(danishDateOf('2026-10-24T21:59:59Z')).toBe('2026-10-24'); // 23:59:59 CEST
    expect(danishDateOf('2026-10-24T22:30:00Z')).toBe('2026-10-25'); // 00:30 CEST
    expect(danishDateOf('2026-10-25T00:30:00Z')).toBe('2026-10-25'); // 02:30 CEST, just before the change
    expect(danishDateOf('2026-10-25T01:30:00Z')).toBe('2026-10-25'); // 02:30 CET, just after
    expect(danishDateOf('2026-10-25T22:30:00Z')).toBe('2026-10-25'); // 23:30 CET
    expect(danishDateOf('2026-10-25T23:00:00Z')).toBe('2026-10-26'); // 00:00 CET
  });

  it('when summer time begins (2026-03-29, 02:00 CET → 03:00 CEST), then midnight moves from 23:00 to 22:00 UTC', () => {
    expect(danishDateOf('2026-03-28T22:59:59Z')).toBe('2026-03-28'); // 23:59:59 CET
    expect(danishDateOf('2026-03-28T23:30:00Z')).toBe('2026-03-29'); // 00:30 CET
    expect(danishDateOf('2026-03-29T21:59:59Z')).toBe('2026-03-29'); // 23:59:59 CEST
    expect(danishDateOf('2026-03-29T22:00:00Z')).toBe('2026-03-30'); // 00:00 CEST
  });

  it('when the instant crosses New Year in UTC terms, then the Danish date is already the new year', () => {
    expect(danishDateOf('2026-12-31T23:30:00Z')).toBe('2027-01-01');
  });

  it('when the instant is given with an offset, as a Date or as milliseconds, then the result is the same', () => {
    const instant = '2026-11-19T00:30:00+01:00';
    expect(danishDateOf(instant)).toBe('2026-11-19');
    expect(danishDateOf(new Date(instant))).toBe('2026-11-19');
    expect(danishDateOf(Date.parse(instant))).toBe('2026-11-19');
    expect(danishDateOf('2026-11-18T18:30:00-05:00')).toBe('2026-11-19'); // 23:30Z
  });
});

describe('calendar dates as strings', () => {
  it.each([
    ['2026-11-18', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-11-31', false],
    ['2026-1-5', false],
    ['18-11-2026', false],
    ['2026-11-18T10:00:00Z', false],
  ])('when %s is checked, then it is a calendar date: %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('when days are added across a DST change or a month end, then whole calendar days are added', () => {
    expect(addDays('2026-10-24', 1)).toBe('2026-10-25');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2027-01-05', 56)).toBe('2027-03-02');
    expect(addDays('2026-12-01', -13)).toBe('2026-11-18');
  });

  it('when days between dates are counted, then later is positive and earlier negative, even across DST', () => {
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2026-03-30', '2026-03-28')).toBe(-2);
    expect(daysBetween('2027-01-05', '2027-03-30')).toBe(84);
  });

  it('when the weekday is asked for, then Sunday is 0 and Saturday 6', () => {
    expect(dayOfWeek('2026-11-22')).toBe(0);
    expect(dayOfWeek('2026-11-18')).toBe(3);
    expect(dayOfWeek('2026-11-21')).toBe(6);
  });

  it('when two dates are compared, then maxDate gives the later', () => {
    expect(maxDate('2026-11-18', '2026-12-01')).toBe('2026-12-01');
    expect(maxDate('2027-01-01', '2026-12-31')).toBe('2027-01-01');
  });

  it('when something that is not a date is used, then it is refused loudly rather than counted', () => {
    expect(() => addDays('not-a-date', 1)).toThrow(RangeError);
  });
});
