/** Opsporing's concern candidates as the API shows them. */
import { z } from 'zod';
import { isoDate, freeText } from '../domain/schemas';

export const CANDIDATE_RULES = ['total_share', 'same_weekday', 'next_to_holidays', 'single_days'] as const;
export type CandidateRule = (typeof CANDIDATE_RULES)[number];

export const candidateReason = z.object({ rule: z.enum(CANDIDATE_RULES), text: z.string().meta({ description: 'Why, in Danish' }) }).meta({ id: 'CandidateReason' });
export type CandidateReason = z.infer<typeof candidateReason>;

export const candidateFigures = z
  .object({
    schoolYearFrom: isoDate,
    schoolDaysSoFar: z.number().int(),
    illnessDays: z.number(),
    leaveDays: z.number(),
    unlawfulDays: z.number(),
    totalShare: z.number(),
    singleDays: z.number().int(),
    nextToHolidayDays: z.number().int(),
  })
  .meta({ id: 'CandidateFigures' });
export type CandidateFigures = z.infer<typeof candidateFigures>;

export const candidate = z
  .object({
    pupilRef: z.string(),
    kind: z.literal('concern_candidate'),
    grade: z.number().int(),
    className: z.string(),
    figures: candidateFigures,
    reasons: z.array(candidateReason).min(1),
    openCaseId: z.string().nullable().meta({ description: 'The pupil’s open case: marked, not a candidate to act on' }),
    dismissed: z.boolean().meta({ description: 'Dismissed, and the figures have not risen since' }),
  })
  .meta({ id: 'ConcernCandidate' });
export type Candidate = z.infer<typeof candidate>;

export const signalList = z
  .object({
    on: isoDate,
    schoolDaysSoFar: z.number().int(),
    items: z.array(candidate).meta({ description: 'Concern candidates to act on: neither with an open case nor dismissed' }),
    marked: z.array(candidate).meta({ description: 'Pupils the rules would name who have an open case or were dismissed' }),
  })
  .meta({ id: 'SignalList' });
export type SignalList = z.infer<typeof signalList>;

export const dismissInput = z
  .object({ reason: freeText().trim().min(1, { message: 'is required: say why the pupil is not a concern now' }).max(2000) })
  .strict()
  .meta({ id: 'DismissCandidateInput' });

export const candidateDecision = z
  .object({
    pupilRef: z.string(),
    decision: z.enum(['dismissed', 'case_opened']),
    totalShare: z.number(),
    caseId: z.string().nullable(),
    decidedAt: z.string(),
  })
  .meta({ id: 'CandidateDecision' });

/** Candidates to act on, and those marked (an open case, or dismissed with the figures not risen). */
export function splitCandidates(on: string, result: { schoolDaysSoFar: number; items: Candidate[] }): SignalList {
  return {
    on,
    schoolDaysSoFar: result.schoolDaysSoFar,
    items: result.items.filter((item) => item.openCaseId === null && !item.dismissed),
    marked: result.items.filter((item) => item.openCaseId !== null || item.dismissed),
  };
}

export const candidateRun = z
  .object({ ranAt: z.string().nullable(), result: signalList.nullable() })
  .meta({ id: 'CandidateRun', description: 'The last opsporing run for the school (nightly or run now); null before the first' });

/** What `absence_candidate_decisions.figures` holds: the candidate's figures and its reasons, as decided on. */
export const keptCandidate = candidateFigures.extend({ reasons: z.array(candidateReason) });

export const absenceAtOpening = z
  .object({
    caseId: z.string(),
    atOpening: z
      .object({ decidedAt: z.string(), figures: candidateFigures, reasons: z.array(candidateReason) })
      .nullable()
      .meta({ description: 'The concern candidate’s figures and reasons when the case was opened from it; null for a case opened otherwise' }),
  })
  .meta({ id: 'AbsenceAtOpening' });
export type AbsenceAtOpening = z.infer<typeof absenceAtOpening>;
