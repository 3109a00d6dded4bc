/**
 * How column values come back from either driver. Both drivers hand us PostgreSQL's text output;
 * left alone, `pg` turns dates into JS Dates (at local midnight) and int8 into strings while PGlite
 * does something else again. We parse the same way on both so callers see one shape:
 * - `date` → 'YYYY-MM-DD' as PostgreSQL wrote it (a calendar date has no time zone to shift).
 * - `timestamptz` → ISO 8601 with offset, e.g. '2026-11-23T08:15:00.123456Z'; the text is
 *   reshaped, not round-tripped through Date, so microseconds are kept.
 * - `timestamp` (without time zone) → ISO 8601 without offset.
 * - `int8` → number when it is a safe integer, otherwise bigint (PGlite's own rule).
 * This relies on DateStyle ISO, which both drivers' sessions are put into (see database.ts).
 */

export const PG_TYPE = {
  INT8: 20,
  TEXT_ARRAY: 1009,
  DATE: 1082,
  DATE_ARRAY: 1182,
  TIMESTAMP: 1114,
  TIMESTAMP_ARRAY: 1115,
  TIMESTAMPTZ: 1184,
  TIMESTAMPTZ_ARRAY: 1185,
} as const;

export type TextParser = (value: string) => unknown;

export function parseDate(value: string): string {
  return value;
}

// 'YYYY-MM-DD HH:MM:SS[.ffffff]' then, for timestamptz, an offset '+HH', '+HH:MM' or '+HH:MM:SS'.
const timestampText = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

export function parseTimestamptz(value: string): string {
  const match = timestampText.exec(value);
  // 'infinity', BC dates and years past 9999 have no ISO 8601 form worth inventing: leave them.
  if (!match) return value;
  const [, date, time, sign, hours, minutes, seconds] = match;
  if (sign === undefined || hours === undefined) return `${date}T${time}`;
  if (seconds !== undefined && seconds !== '00') return value;
  if (hours === '00' && (minutes === undefined || minutes === '00')) return `${date}T${time}Z`;
  return `${date}T${time}${sign}${hours}:${minutes ?? '00'}`;
}

export function parseTimestamp(value: string): string {
  const match = timestampText.exec(value);
  if (!match) return value;
  return `${match[1]}T${match[2]}`;
}

export function parseInt8(value: string): number | bigint {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(value);
}

/** Scalar parsers by type OID; both drivers install these. */
export const scalarParsers: Readonly<Record<number, TextParser>> = {
  [PG_TYPE.INT8]: parseInt8,
  [PG_TYPE.DATE]: parseDate,
  [PG_TYPE.TIMESTAMP]: parseTimestamp,
  [PG_TYPE.TIMESTAMPTZ]: parseTimestamptz,
};

/** Array types whose elements use one of the scalar parsers above. */
export const arrayElementTypes: Readonly<Record<number, number>> = {
  [PG_TYPE.DATE_ARRAY]: PG_TYPE.DATE,
  [PG_TYPE.TIMESTAMP_ARRAY]: PG_TYPE.TIMESTAMP,
  [PG_TYPE.TIMESTAMPTZ_ARRAY]: PG_TYPE.TIMESTAMPTZ,
};
