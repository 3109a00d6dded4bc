/**
 * The tovholder asks for the open deadlines to follow the school's current calendar (a case keeps
 * the calendar it opened with until then). The calendar comes from the settings, never from the
 * caller: the route reads it through the service's facts.
 */
import { recomputeDeadlines as recompute } from '../context';
import { defineCaseAction, type SchemaKit } from './define';

export const recomputeDeadlines = defineCaseAction({
  name: 'deadlines.recompute',
  update: 'recomputeDeadlines',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.recomputeDeadlinesRequest, input: kit.recomputeDeadlinesInput }),
  http: {
    path: 'deadlines/recompute',
    summary: 'Move the case’s open deadlines onto the school’s current calendar (deadlines otherwise keep the calendar the case opened with)',
    toInput: async (_body, _params, _caller, facts) => ({ calendar: await facts.schoolCalendar() }),
    idempotencyScope: () => 'recompute',
  },
  describedAs: 'recomputing the deadlines',
  records: ['deadlines_recomputed'],
  problems: () => [],
  apply: (context, command) => recompute(context, command.calendar, command.at),
});
