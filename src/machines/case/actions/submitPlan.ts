/** Adopting the action plan; each submission is a new revision. */
import { adoptPlan } from '../context';
import { planProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

export const submitPlan = defineCaseAction({
  name: 'plan.submit',
  update: 'submitPlan',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.planInput, input: kit.planInput }),
  http: {
    path: 'plan',
    summary: 'Adopt the action plan; each call is a new revision',
    toInput: (body) => body,
    idempotencyScope: () => 'plan',
  },
  effectiveDate: 'adoptedOn',
  describedAs: 'an action plan',
  records: ['plan_revision', 'step_done'],
  problems: planProblems,
  apply: adoptPlan,
});
