/**
 * One level up the resource-team ladder; level 3 names the external help it brings in, which
 * needs the parents' consent on file, the §49a record or a stated reason (rules.ts). Dated like
 * the other actions when it was decided earlier than it is entered.
 */
import { escalate as escalateCase } from '../context';
import { escalationDateProblems, escalationProblems, externalConsentProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

export const escalate = defineCaseAction({
  name: 'escalate',
  update: 'escalate',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.escalationInput, input: kit.escalationInput }),
  http: {
    path: 'escalations',
    summary: 'Escalate the case one level on the ladder',
    toInput: (body) => body,
    idempotencyScope: () => 'escalations',
  },
  effectiveDate: 'escalatedOn',
  describedAs: 'an escalation',
  records: ['escalation'],
  problems: (context, command, today) => {
    const ladder = escalationProblems(context, 'reason', command.externalResources);
    if (ladder.length > 0) return ladder;
    return [
      ...escalationDateProblems(context, command, today),
      ...externalConsentProblems(context, command.externalResources, command.withoutConsentReason),
    ];
  },
  apply: (context, command) =>
    escalateCase(context, command.reason, command.at, command.escalatedOn ?? context.today, 'escalation', command.externalResources, {
      withoutConsentReason: command.withoutConsentReason,
      request: command.request,
    }),
});
