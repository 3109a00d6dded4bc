/**
 * Putting a mistake right (issue 16): the opening date, the grade or the pupil reference, with a
 * reason. The correction is an event on the timeline, and the request is in the audit log like
 * every case action; a new opening date moves the deadlines of the steps still open.
 */
import { z } from 'zod';
import { freeText, isoDate, pupilRef } from '../../../domain/schemas';
import { correctCase as correct } from '../context';
import { correctionProblems } from '../rules';
import { defineCaseAction } from './define';

export const correctCaseInput = z
  .object({
    openedOn: isoDate.optional().meta({ description: 'The right opening date (not in the future, not after the first recorded action)' }),
    grade: z.number().int().min(0).max(10).optional(),
    pupilRef: pupilRef.optional(),
    reason: freeText().trim().min(1).max(2000),
  })
  .strict()
  .meta({ id: 'CaseCorrection' });

export const correctCase = defineCaseAction({
  name: 'case.correct',
  update: 'correctCase',
  capability: 'act_on_case',
  http: {
    path: 'corrections',
    summary: 'Correct the opening date, grade or pupil reference, with a reason',
    body: correctCaseInput,
    toInput: (body) => body,
    idempotencyScope: () => 'corrections',
  },
  input: correctCaseInput,
  describedAs: 'a correction',
  records: ['corrected'],
  problems: correctionProblems,
  apply: correct,
});
