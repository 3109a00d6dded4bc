/**
 * Danish public holidays and the school holidays most municipalities keep, for any year.
 * Pure: computed from the year alone (Easter by the Gregorian computus).
 */
import { addDays, dayOfWeek, type IsoDate } from './dates';

export interface Holiday {
  from: IsoDate;
  to: IsoDate;
  name: string;
}

function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** The Monday of ISO week `week` of `year` (week 1 holds the year's first Thursday). */
export function mondayOfIsoWeek(year: number, week: number): IsoDate {
  const jan4 = isoDate(year, 1, 4);
  const jan4Weekday = (dayOfWeek(jan4) + 6) % 7; // Monday = 0
  return addDays(jan4, -jan4Weekday + 7 * (week - 1));
}

/**
 * The public holidays (helligdage) a school is closed on. Store bededag is left out from 2024,
 * when it stopped being a public holiday.
 */
export function danishPublicHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const day = (date: IsoDate, name: string): Holiday => ({ from: date, to: date, name });
  const holidays = [
    day(isoDate(year, 1, 1), 'Nytårsdag'),
    day(addDays(easter, -3), 'Skærtorsdag'),
    day(addDays(easter, -2), 'Langfredag'),
    day(easter, 'Påskedag'),
    day(addDays(easter, 1), '2. påskedag'),
    ...(year < 2024 ? [day(addDays(easter, 26), 'Store bededag')] : []),
    day(addDays(easter, 39), 'Kristi himmelfartsdag'),
    day(addDays(easter, 49), 'Pinsedag'),
    day(addDays(easter, 50), '2. pinsedag'),
    day(isoDate(year, 12, 25), 'Juledag'),
    day(isoDate(year, 12, 26), '2. juledag'),
  ];
  return holidays.sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0));
}

/**
 * The school holidays most Danish municipalities set, as defaults a municipality or school can
 * replace: winter (week 7), Easter (the school days of Holy Week and Easter Monday), the Friday
 * after Ascension, Constitution Day, summer (Saturday of week 26 to Sunday of week 32),
 * autumn (week 42) and Christmas (21 December to 1 January).
 */
export function defaultSchoolHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const week = (n: number, name: string): Holiday => {
    const monday = mondayOfIsoWeek(year, n);
    return { from: addDays(monday, -2), to: addDays(monday, 6), name };
  };
  return [
    { from: isoDate(year - 1, 12, 21), to: isoDate(year, 1, 1), name: 'Juleferie' },
    week(7, 'Vinterferie'),
    { from: addDays(easter, -8), to: addDays(easter, 1), name: 'Påskeferie' },
    { from: addDays(easter, 39), to: addDays(easter, 40), name: 'Kristi himmelfart' },
    { from: isoDate(year, 6, 5), to: isoDate(year, 6, 5), name: 'Grundlovsdag' },
    { from: addDays(mondayOfIsoWeek(year, 26), 5), to: addDays(mondayOfIsoWeek(year, 32), 6), name: 'Sommerferie' },
    week(42, 'Efterårsferie'),
    { from: isoDate(year, 12, 21), to: isoDate(year + 1, 1, 1), name: 'Juleferie' },
  ];
}

/** The calendar of a school that has set nothing: public holidays and the default school holidays. */
export function defaultDanishCalendar(fromYear: number, toYear: number): { daysOff: Holiday[] } {
  const daysOff: Holiday[] = [];
  for (let year = fromYear; year <= toYear; year += 1) daysOff.push(...danishPublicHolidays(year), ...defaultSchoolHolidays(year));
  return { daysOff };
}
