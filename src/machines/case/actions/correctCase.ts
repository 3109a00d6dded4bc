/**
 * Putting a mistake right (issue 16): the opening date, the grade or the pupil reference, with a
 * reason. The correction is an event on the timeline, and the request is in the audit log like
 * every case action; a new opening date moves the deadlines of the steps still open.
 */
import { correctCase as correct } from '../context';
import { correctionProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

export const correctCase = defineCaseAction({
  name: 'case.correct',
  update: 'correctCase',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.caseCorrectionInput, input: kit.caseCorrectionInput }),
  http: {
    path: 'corrections',
    summary: 'Correct the opening date, grade or pupil reference, with a reason',
    toInput: (body) => body,
    idempotencyScope: () => 'corrections',
  },
  describedAs: 'a correction',
  records: ['corrected'],
  problems: correctionProblems,
  apply: correct,
});
