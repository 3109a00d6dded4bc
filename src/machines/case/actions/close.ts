/** Closing the case: the criteria, a relapse-prevention plan and a bridging decision. */
import { close as closeCase } from '../context';
import { closureProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

export const close = defineCaseAction({
  name: 'close',
  update: 'closeCase',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.closureInput, input: kit.closureInput }),
  http: {
    path: 'closure',
    summary: 'Close the case',
    toInput: (body) => body,
    idempotencyScope: () => 'closure',
  },
  effectiveDate: 'closedOn',
  describedAs: 'closing the case',
  records: ['step_done', 'closed'],
  problems: closureProblems,
  apply: closeCase,
});
