/** A follow-up meeting on the plan; its outcome may escalate the case. */
import { recordFollowUp as record } from '../context';
import { followUpProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

export const recordFollowUp = defineCaseAction({
  name: 'followUp.record',
  update: 'recordFollowUp',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.followUpInput, input: kit.followUpInput }),
  http: {
    path: 'follow-ups',
    summary: 'Record a follow-up on the plan',
    toInput: (body) => body,
    idempotencyScope: () => 'follow-ups',
  },
  effectiveDate: 'heldOn',
  describedAs: 'a follow-up',
  records: ['follow_up', 'step_done', 'escalation'],
  problems: followUpProblems,
  apply: record,
});
