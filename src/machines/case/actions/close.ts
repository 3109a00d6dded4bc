/** Closing the case: the criteria, a relapse-prevention plan and a bridging decision. */
import { closureInput } from '../../../domain/schemas';
import { close as closeCase } from '../context';
import { closureProblems } from '../rules';
import { defineCaseAction } from './define';

export const close = defineCaseAction({
  name: 'close',
  update: 'closeCase',
  capability: 'act_on_case',
  http: {
    path: 'closure',
    summary: 'Close the case',
    body: closureInput,
    toInput: (body) => body,
    idempotencyScope: () => 'closure',
  },
  input: closureInput,
  effectiveDate: 'closedOn',
  describedAs: 'closing the case',
  records: ['step_done', 'closed'],
  problems: closureProblems,
  apply: closeCase,
});
