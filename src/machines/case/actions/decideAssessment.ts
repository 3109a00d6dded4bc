/** The assessment after the mapping: an action plan, or closing the case. */
import { recordAssessment } from '../context';
import { assessmentProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

export const decideAssessment = defineCaseAction({
  name: 'assessment.decide',
  update: 'decideAssessment',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.assessmentInput, input: kit.assessmentInput }),
  http: {
    path: 'assessment',
    summary: 'Record the assessment after the mapping',
    toInput: (body) => body,
    idempotencyScope: () => 'assessment',
  },
  effectiveDate: 'decidedOn',
  describedAs: 'the assessment',
  records: ['assessment', 'step_done'],
  problems: assessmentProblems,
  apply: recordAssessment,
});
