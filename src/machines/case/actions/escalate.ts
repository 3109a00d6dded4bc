/** One level up the resource-team ladder; level 3 names the external help it brings in. */
import { escalationInput } from '../../../domain/schemas';
import { escalate as escalateCase } from '../context';
import { escalationProblems } from '../rules';
import { defineCaseAction } from './define';

export const escalate = defineCaseAction({
  name: 'escalate',
  update: 'escalate',
  capability: 'act_on_case',
  http: {
    path: 'escalations',
    summary: 'Escalate the case one level on the ladder',
    body: escalationInput,
    toInput: (body) => body,
    idempotencyScope: () => 'escalations',
  },
  input: escalationInput,
  describedAs: 'an escalation',
  records: ['escalation'],
  problems: (context, command) => escalationProblems(context, 'reason', command.externalResources),
  apply: (context, command) => escalateCase(context, command.reason, command.at, context.today, 'escalation', command.externalResources),
});
