/** Adopting the action plan; each submission is a new revision. */
import { planInput } from '../../../domain/schemas';
import { adoptPlan } from '../context';
import { planProblems } from '../rules';
import { defineCaseAction } from './define';

export const submitPlan = defineCaseAction({
  name: 'plan.submit',
  update: 'submitPlan',
  capability: 'act_on_case',
  http: {
    path: 'plan',
    summary: 'Adopt the action plan; each call is a new revision',
    body: planInput,
    toInput: (body) => body,
    idempotencyScope: () => 'plan',
  },
  input: planInput,
  effectiveDate: 'adoptedOn',
  describedAs: 'an action plan',
  records: ['plan_revision', 'step_done'],
  problems: planProblems,
  apply: adoptPlan,
});
