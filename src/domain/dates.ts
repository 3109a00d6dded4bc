/**
 * Calendar dates as ISO strings (YYYY-MM-DD). Pure functions: no clock is read here.
 * Strings, not Date objects, because they survive Temporal's JSON payloads unchanged.
 */
export type IsoDate = string;

/*
 * Day arithmetic on plain integers (days since 1970-01-01 in the proleptic Gregorian calendar),
 * not through Date: the case machine walks school days one by one for every deadline it checks,
 * and parsing and formatting a Date per step was the largest cost of an action in the workflow
 * (issue 12). The conversions are the standard era-based civil-calendar formulas.
 */

/*
 * The same few dates (today, each step's due date) are converted again and again: a small memo
 * per direction saves most of it. In the workflow sandbox this module is shared by every case
 * (src/temporal/workflowBundle.ts), and so are its memos, which hold nothing but the conversions.
 */
const MEMO_LIMIT = 4096;

/** `convert`, remembering up to MEMO_LIMIT answers (all forgotten at once past that: a pure function loses nothing). */
function memoized<K, V>(convert: (key: K) => V): (key: K) => V {
  const answers = new Map<K, V>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = convert(key);
      if (answers.size >= MEMO_LIMIT) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
}

/** Days since 1970-01-01 of a date written YYYY-MM-DD; throws for anything else. */
export const epochDayOf: (date: IsoDate) => number = memoized((date: IsoDate) => toEpochDay(date));

/** The date (YYYY-MM-DD) of a count of days since 1970-01-01. */
export const dateOfEpochDay: (epochDay: number) => IsoDate = memoized((epochDay: number) => fromEpochDay(epochDay));

/** 0 = Sunday … 6 = Saturday of a count of days since 1970-01-01 (a Thursday). */
export function weekdayOfEpochDay(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

function toEpochDay(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (date.length !== 10 || date[4] !== '-' || date[7] !== '-' || !Number.isInteger(year) || !(month >= 1 && month <= 12) || !(day >= 1 && day <= 31)) {
    throw new RangeError(`not a date: ${date}`);
  }
  // Counted from March, so the leap day is the last day of the counted year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const twoDigits = (value: number): string => (value < 10 ? `0${value}` : String(value));

function fromEpochDay(epochDay: number): IsoDate {
  const shifted = epochDay + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(day)}`;
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    return fromEpochDay(toEpochDay(value)) === value;
  } catch {
    return false;
  }
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return dateOfEpochDay(epochDayOf(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return epochDayOf(to) - epochDayOf(from);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(date: IsoDate): number {
  return weekdayOfEpochDay(epochDayOf(date));
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b;
}

const copenhagenDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date on the wall in Denmark at an instant: schools live by local dates, not UTC ones. */
export function danishDateOf(instant: Date | string | number): IsoDate {
  return copenhagenDay.format(new Date(instant));
}
