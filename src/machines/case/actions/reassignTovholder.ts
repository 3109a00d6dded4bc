/**
 * The school leader gives the case another tovholder, with a reason. Both tovholders are told
 * (src/notices/kinds.ts reads the recorded event); the event is on the timeline and the request
 * in the audit log like every case action.
 */
import { withEntry } from '../context';
import { defineCaseAction, type SchemaKit } from './define';

export const reassignTovholder = defineCaseAction({
  name: 'tovholder.reassign',
  update: 'reassignTovholder',
  capability: 'reassign_case',
  schemas: (kit: SchemaKit) => ({ body: kit.tovholderReassignment, input: kit.tovholderReassignment }),
  http: {
    path: 'tovholder',
    summary: 'Give the case another tovholder (the school leader), with a reason; both tovholders are told',
    toInput: (body) => body,
    idempotencyScope: () => 'tovholder',
  },
  describedAs: 'reassigning the tovholder',
  records: ['tovholder_reassigned'],
  problems: (context, command) =>
    command.tovholder === context.tovholder ? [{ path: 'tovholder', message: 'is already the case’s tovholder' }] : [],
  apply: (context, command) =>
    withEntry({ ...context, tovholder: command.tovholder }, command.at, context.today, { event: 'tovholder_reassigned', detail: {
      from: context.tovholder,
      to: command.tovholder,
      reason: command.reason,
    } }),
});
