/**
 * The school leader gives the case another tovholder, with a reason. Both tovholders are told
 * (src/notices/kinds.ts reads the recorded event); the event is on the timeline and the request
 * in the audit log like every case action.
 */
import { z } from 'zod';
import { freeText, tovholder } from '../../../domain/schemas';
import { withEntry } from '../context';
import { defineCaseAction } from './define';

export const reassignTovholderInput = z
  .object({ tovholder, reason: freeText().trim().min(1).max(2000) })
  .strict()
  .meta({ id: 'TovholderReassignment' });

export const reassignTovholder = defineCaseAction({
  name: 'tovholder.reassign',
  update: 'reassignTovholder',
  capability: 'reassign_case',
  http: {
    path: 'tovholder',
    summary: 'Give the case another tovholder (the school leader), with a reason; both tovholders are told',
    body: reassignTovholderInput,
    toInput: (body) => body,
    idempotencyScope: () => 'tovholder',
  },
  input: reassignTovholderInput,
  describedAs: 'reassigning the tovholder',
  records: ['tovholder_reassigned'],
  problems: (context, command) =>
    command.tovholder === context.tovholder ? [{ path: 'tovholder', message: 'is already the case’s tovholder' }] : [],
  apply: (context, command) =>
    withEntry({ ...context, tovholder: command.tovholder }, command.at, context.today, 'tovholder_reassigned', {
      from: context.tovholder,
      to: command.tovholder,
      reason: command.reason,
    }),
});
