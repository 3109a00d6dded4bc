/**
 * The §49a exception: sharing without the parents' consent in early preventive work, with its
 * justification, at most once per case (seed 001).
 */
import { recordSection49a as record } from '../context';
import { section49aProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

export const recordSection49a = defineCaseAction({
  name: 'section49a.record',
  update: 'recordSection49a',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.section49aInput, input: kit.section49aUpdateInput }),
  http: {
    path: 'section-49a',
    summary: 'Record the §49a exception (sharing without consent, once per case) with its justification',
    toInput: (body, _params, caller) => ({ ...body, recordedBy: caller.sub }),
    idempotencyScope: () => 'section-49a',
  },
  effectiveDate: 'decidedOn',
  describedAs: 'recording the §49a exception',
  records: ['section49a_recorded'],
  problems: section49aProblems,
  apply: record,
});
