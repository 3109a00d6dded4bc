/** A follow-up meeting on the plan; its outcome may escalate the case. */
import { followUpInput } from '../../../domain/schemas';
import { recordFollowUp as record } from '../context';
import { followUpProblems } from '../rules';
import { defineCaseAction } from './define';

export const recordFollowUp = defineCaseAction({
  name: 'followUp.record',
  update: 'recordFollowUp',
  capability: 'act_on_case',
  http: {
    path: 'follow-ups',
    summary: 'Record a follow-up on the plan',
    body: followUpInput,
    toInput: (body) => body,
    idempotencyScope: () => 'follow-ups',
  },
  input: followUpInput,
  effectiveDate: 'heldOn',
  describedAs: 'a follow-up',
  records: ['follow_up', 'step_done', 'escalation'],
  problems: followUpProblems,
  apply: record,
});
