import { describe, expect, it } from 'vitest';
import { danishPublicHolidays, defaultSchoolHolidays, easterSunday, mondayOfIsoWeek } from '../../src/domain/danishHolidays';

const on = (year: number, name: string) => danishPublicHolidays(year).find((holiday) => holiday.name === name)?.from;

describe('Danish public holidays', () => {
  // Easter Sundays from the church calendar.
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2038, '2038-04-25'],
  ])('when the year is %i, then Easter Sunday is %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it('when the year is 2025, then Kristi himmelfartsdag is 29 May and Pinse is 8–9 June', () => {
    expect(on(2025, 'Kristi himmelfartsdag')).toBe('2025-05-29');
    expect(on(2025, 'Pinsedag')).toBe('2025-06-08');
    expect(on(2025, '2. pinsedag')).toBe('2025-06-09');
  });

  it('when the year is 2026, then Skærtorsdag, Langfredag and 2. påskedag fall around 5 April, and Kristi himmelfartsdag is 14 May', () => {
    expect(on(2026, 'Skærtorsdag')).toBe('2026-04-02');
    expect(on(2026, 'Langfredag')).toBe('2026-04-03');
    expect(on(2026, '2. påskedag')).toBe('2026-04-06');
    expect(on(2026, 'Kristi himmelfartsdag')).toBe('2026-05-14');
    expect(on(2026, '2. pinsedag')).toBe('2026-05-25');
  });

  it('when the year is 2027, then Kristi himmelfartsdag is 6 May and 2. pinsedag 17 May', () => {
    expect(on(2027, 'Kristi himmelfartsdag')).toBe('2027-05-06');
    expect(on(2027, '2. pinsedag')).toBe('2027-05-17');
  });

  it('when the year is 2023, then Store bededag is a holiday, and from 2024 it is not', () => {
    expect(on(2023, 'Store bededag')).toBe('2023-05-05');
    expect(on(2024, 'Store bededag')).toBeUndefined();
  });
});

describe('default school holidays', () => {
  it('when ISO weeks are counted, then week 1 holds the first Thursday of the year', () => {
    expect(mondayOfIsoWeek(2026, 1)).toBe('2025-12-29');
    expect(mondayOfIsoWeek(2027, 1)).toBe('2027-01-04');
    expect(mondayOfIsoWeek(2026, 42)).toBe('2026-10-12');
  });

  it('when the year is 2026, then the autumn holiday is week 42 with its weekends and the winter holiday week 7', () => {
    const holidays = defaultSchoolHolidays(2026);
    expect(holidays.find((h) => h.name === 'Efterårsferie')).toMatchObject({ from: '2026-10-10', to: '2026-10-18' });
    expect(holidays.find((h) => h.name === 'Vinterferie')).toMatchObject({ from: '2026-02-07', to: '2026-02-15' });
    expect(holidays.find((h) => h.name === 'Sommerferie')).toMatchObject({ from: '2026-06-27', to: '2026-08-09' });
    expect(holidays.find((h) => h.name === 'Påskeferie')).toMatchObject({ from: '2026-03-28', to: '2026-04-06' });
  });
});
