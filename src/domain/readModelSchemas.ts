/**
 * The read side's filters and answers (API.md, "Routes that later issues add"): the overdue
 * board, the leader's monthly review, a case's timeline and the municipality's phase durations.
 * The routes validate their query strings with these; the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { timelineEvent, type TimelineEvent } from './caseEvents';
import { instant, isoDate, phase, schoolId, tovholder } from './schemas';

/** A calendar month, written YYYY-MM, within the years dates are taken in (isoDate). */
export const isoMonth = z
  .string()
  .regex(/^(?:20\d{2}|2100)-(0[1-9]|1[0-2])$/, { message: 'must be a calendar month written YYYY-MM, from 2000-01 to 2100-12' })
  .meta({ example: '2026-11' });

// ---- Filters (query strings; unknown parameters are refused) ---------------------------------

export const overdueQuery = z
  .object({ schoolId: schoolId.optional(), tovholder: tovholder.optional() })
  .strict()
  .meta({ id: 'OverdueQuery' });
export type OverdueQuery = z.infer<typeof overdueQuery>;

export const monthlyReviewQuery = z
  .object({
    schoolId: schoolId.optional(),
    month: isoMonth.optional().meta({ description: 'The month reviewed; the current month when left out. Not a later month.' }),
  })
  .strict()
  .meta({ id: 'MonthlyReviewQuery' });
export type MonthlyReviewQuery = z.infer<typeof monthlyReviewQuery>;

export const phaseDurationsQuery = z
  .object({
    schoolId: schoolId.optional(),
    from: isoDate.optional().meta({ description: 'First school date of the period (included); unbounded when left out' }),
    to: isoDate.optional().meta({ description: 'Last school date of the period (included); unbounded when left out' }),
  })
  .strict()
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, {
    path: ['from'],
    message: 'must not be after to',
  })
  .meta({ id: 'PhaseDurationsQuery' });
export type PhaseDurationsQuery = z.infer<typeof phaseDurationsQuery>;

// ---- Answers ---------------------------------------------------------------------------------

export const overdueItem = z
  .object({
    caseId: z.string(),
    schoolId: z.string(),
    tovholder: z.string(),
    stepId: z.string(),
    title: z.string(),
    dueOn: isoDate,
    status: z.enum(['overdue', 'due_soon']),
    schoolDaysLate: z
      .number()
      .int()
      .meta({ description: 'School days from dueOn to today: positive when late, 0 or negative while still due soon' }),
  })
  .meta({ id: 'OverdueItem' });
export type OverdueItem = z.infer<typeof overdueItem>;

export const overdueBoard = z.object({ items: z.array(overdueItem) }).meta({ id: 'OverdueBoard' });
export type OverdueBoard = z.infer<typeof overdueBoard>;

export const monthlyReviewItem = z
  .object({
    caseId: z.string(),
    tovholder: z.string(),
    phase,
    daysInPhase: z.number().int().meta({ description: 'Calendar days from entering the phase to asOf' }),
    lastFollowUpOn: isoDate.nullable(),
    nextDueOn: isoDate.nullable().meta({ description: 'The earliest due date on or after asOf of a step then pending' }),
    escalationLevel: z.number().int().min(0).max(3),
    overdueSteps: z.number().int().meta({ description: 'Steps pending at asOf whose due date had passed' }),
  })
  .meta({ id: 'MonthlyReviewItem' });
export type MonthlyReviewItem = z.infer<typeof monthlyReviewItem>;

export const monthlyReview = z
  .object({
    month: isoMonth,
    asOf: isoDate.meta({ description: 'The last day of the month, or today for the current month' }),
    items: z.array(monthlyReviewItem),
  })
  .meta({ id: 'MonthlyReview' });
export type MonthlyReview = z.infer<typeof monthlyReview>;

export const timelinePhase = z
  .object({
    phase,
    enteredAt: instant,
    enteredOn: isoDate,
    leftAt: instant.optional(),
    leftOn: isoDate.optional(),
    days: z.number().int().meta({ description: 'Calendar days from enteredOn to leftOn (or today); 0 for closed' }),
    schoolDays: z.number().int().meta({ description: 'School days from enteredOn to leftOn (or today); 0 for closed' }),
  })
  .meta({ id: 'TimelinePhase' });
export type TimelinePhase = z.infer<typeof timelinePhase>;

/** The timeline's events are the case's history events, each kind with its own detail. */
export { timelineEvent, type TimelineEvent };

export const caseTimeline = z
  .object({ phases: z.array(timelinePhase), events: z.array(timelineEvent) })
  .meta({ id: 'CaseTimeline' });
export type CaseTimeline = z.infer<typeof caseTimeline>;

/** The phases a case spends time in; `closed` is where it ends. */
export const DURATION_PHASES = ['mapping', 'action_plan', 'follow_up'] as const;

export const phaseDurationRow = z
  .object({
    phase: z.enum(DURATION_PHASES),
    cases: z.number().int().meta({ description: 'Time spent in the phase that overlaps the period' }),
    open: z.number().int().meta({ description: 'Of those, cases still in the phase' }),
    q1Days: z.number().nullable().meta({ description: 'First quartile (25th percentile) of the calendar days of the ended ones, 1 decimal; null when none' }),
    medianDays: z.number().nullable().meta({ description: 'Median calendar days of the ended ones, 1 decimal; null when none' }),
    q3Days: z.number().nullable().meta({ description: 'Third quartile (75th percentile) of the same, 1 decimal; null when none' }),
    p90Days: z.number().nullable().meta({ description: '90th percentile of the same, 1 decimal; null when none' }),
  })
  .meta({ id: 'PhaseDurationRow' });
export type PhaseDurationRow = z.infer<typeof phaseDurationRow>;

export const phaseDurations = z
  .object({
    from: isoDate.nullable(),
    to: isoDate.nullable(),
    phases: z.array(phaseDurationRow),
    bySchool: z.array(
      z.object({
        schoolId: z.string(),
        phases: z.array(phaseDurationRow),
        stepsOnTimeRate: z.number().nullable().meta({ description: 'The school’s own on-time share, by the same rule as stepsOnTimeRate' }),
      }),
    ),
    stepsOnTimeRate: z
      .number()
      .nullable()
      .meta({ description: 'Share of steps due in the period (before today) done by their due date, 3 decimals; null when none' }),
    escalationsByLevel: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int() }),
    closed: z.number().int(),
    reopenedWithin6Months: z
      .number()
      .int()
      .meta({ description: 'Cases opened in the period for a pupil whose case at the same school closed at most 6 months before' }),
  })
  .meta({ id: 'PhaseDurations' });
export type PhaseDurations = z.infer<typeof phaseDurations>;
