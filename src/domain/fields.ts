/**
 * The smallest shapes: dates, instants and phases. Apart from schemas.ts so the case events
 * (caseEvents.ts), which schemas.ts builds on, can use them too.
 */
import { z } from 'zod';
import { isIsoDate } from './dates';

/**
 * The dates this service takes in: 2000-01-01 to 2100-12-31. Fixed bounds rather than a window
 * around today, so the same input is valid on every day it is replayed (the workflow's update
 * validators use this schema too) and the bounds can be written into the OpenAPI pattern. Cases
 * kept on paper reach back years, never decades; a year outside them is a typo, and date
 * arithmetic over centuries (a year 0200 case) kept a CPU busy for seconds.
 */
export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2100-12-31';
const DATE_MESSAGE = `must be a calendar date written YYYY-MM-DD, from ${EARLIEST_DATE} to ${LATEST_DATE}`;

const DATE_PATTERN = /^(?:20\d{2}|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

export const isAcceptedDate = (value: string) => DATE_PATTERN.test(value) && isIsoDate(value);

export const isoDate = z
  .string()
  .regex(DATE_PATTERN, { message: DATE_MESSAGE })
  // The pattern lets 2026-02-30 through; the refinement speaks only then, so one message per field.
  .refine((value) => !DATE_PATTERN.test(value) || isIsoDate(value), { message: DATE_MESSAGE })
  .meta({ format: 'date', example: '2026-11-23' });

export const instant = z.string().meta({ format: 'date-time' });

export const phase = z.enum(['mapping', 'action_plan', 'follow_up', 'closed']);
export type Phase = z.infer<typeof phase>;
