/** The assessment after the mapping: an action plan, or closing the case. */
import { assessmentInput } from '../../../domain/schemas';
import { recordAssessment } from '../context';
import { assessmentProblems } from '../rules';
import { defineCaseAction } from './define';

export const decideAssessment = defineCaseAction({
  name: 'assessment.decide',
  update: 'decideAssessment',
  capability: 'act_on_case',
  http: {
    path: 'assessment',
    summary: 'Record the assessment after the mapping',
    body: assessmentInput,
    toInput: (body) => body,
    idempotencyScope: () => 'assessment',
  },
  input: assessmentInput,
  effectiveDate: 'decidedOn',
  describedAs: 'the assessment',
  records: ['assessment', 'step_done'],
  problems: assessmentProblems,
  apply: recordAssessment,
});
