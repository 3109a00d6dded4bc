/**
 * The case package (forløbspakke) as one statechart: mapping (three parallel tracks, then the
 * assessment), the action plan, follow-up and closure. It is pure: time arrives as the `at` of
 * every event, effects are announced with `emit`, and nothing here reads a clock or does I/O.
 *
 * The states say which action each accepts; what an action requires and does is declared once in
 * actions/ and reached here through two generic entries: the guard `acceptable` (the action's rule
 * finds no problem) and the transition action `apply` (the action's change to the case).
 */
import { and, assign, enqueueActions, setup } from 'xstate';
import { actionNamed } from './actions';
import {
  advanceClock,
  enterPhase,
  followUpStepId,
  initialCaseContext,
  instantOf,
  newStep,
  dueDateFor,
  refreshStatuses,
  STEP_TITLES,
  DIRECTLY_COMPLETED_STEPS,
} from './context';
import { currentPlan } from './rules';
import type { CaseContext, CaseEmitted, CaseEvent, CaseInput } from './types';

export { STEP_TITLES, followUpStepId, DIRECTLY_COMPLETED_STEPS, dueDateFor, initialCaseContext } from './context';

// ---- The machine ----------------------------------------------------------------------------

const REFRESH_AND_ANNOUNCE = ['refreshStatuses', 'announce'] as const;

/** A running case can change hands in any phase (closed takes nothing): in each open phase's `on`. */
const REASSIGN = { guard: 'acceptable', actions: ['tick', 'apply', ...REFRESH_AND_ANNOUNCE] } as const;
/** Corrections likewise; a correction of the opening date moves open deadlines, so statuses are refreshed. */
const CORRECT = REASSIGN;
/** A case opened in error can be withdrawn in any open phase: it ends there. */
const WITHDRAW = { guard: 'acceptable', target: '#case.withdrawn', actions: ['tick', 'apply'] } as const;

/** Consents and the §49a record are kept in every open phase: the same entry as reassigning. */
const RECORD_ANY_TIME = {
  'tovholder.reassign': REASSIGN,
  'consent.record': REASSIGN,
  'consent.withdraw': REASSIGN,
  'section49a.record': REASSIGN,
} as const;

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
    input: {} as CaseInput,
    emitted: {} as CaseEmitted,
  },
  guards: {
    isStep: ({ event }, params: { stepId: string }) => event.type === 'step.complete' && event.stepId === params.stepId,
    /** The declared action's rule finds no problem with the command (actions/<name>.ts). */
    acceptable: ({ context, event }) => actionNamed(event.type)?.accepts(context, event) ?? false,
    decidesActionPlan: ({ event }) => event.type === 'assessment.decide' && event.decision === 'action_plan',
  },
  actions: {
    tick: assign(({ context, event }) => advanceClock(context, event.at)),
    refreshStatuses: assign(({ context, event }) => refreshStatuses(context, instantOf(context, event))),
    /** Announces every history entry not yet announced: the workflow records them. */
    announce: enqueueActions(({ context, enqueue }) => {
      const fresh = context.history.filter((entry) => entry.seq > context.announcedSeq);
      if (fresh.length === 0) return;
      for (const entry of fresh) enqueue.emit({ type: 'case.recorded', entry });
      enqueue.assign({ announcedSeq: context.seq });
    }),
    /** The declared action's change to the case. */
    apply: assign(({ context, event }) => actionNamed(event.type)?.applyTo(context, event) ?? context),
    enterActionPlan: assign(({ context, event }) => {
      const decidedOn = context.assessment?.decidedOn ?? context.today;
      const next = enterPhase(context, 'action_plan', instantOf(context, event), decidedOn);
      const dueOn = dueDateFor('action_plan', context, context.calendar);
      return { ...next, steps: [...next.steps, newStep('action_plan', 'action_plan', STEP_TITLES.action_plan, dueOn, decidedOn)] };
    }),
    enterFollowUp: assign(({ context, event }) => {
      const adoptedOn = currentPlan(context)?.adoptedOn ?? context.today;
      const next = enterPhase(context, 'follow_up', instantOf(context, event), adoptedOn);
      const dueOn = dueDateFor(followUpStepId(1), context, context.calendar);
      return {
        ...next,
        nextFollowUpDue: dueOn,
        steps: [...next.steps, newStep(followUpStepId(1), 'follow_up', 'Opfølgning 1', dueOn, adoptedOn)],
      };
    }),
    enterClosed: assign(({ context, event }) =>
      enterPhase(context, 'closed', instantOf(context, event), context.closure?.closedOn ?? context.today),
    ),
  },
}).createMachine({
  id: 'case',
  context: ({ input }) => initialCaseContext(input),
  initial: 'mapping',
  on: {
    'clock.tick': { actions: ['tick', ...REFRESH_AND_ANNOUNCE] },
    'deadlines.recompute': { guard: 'acceptable', actions: ['tick', 'apply', ...REFRESH_AND_ANNOUNCE] },
  },
  states: {
    mapping: {
      initial: 'tracks',
      entry: [...REFRESH_AND_ANNOUNCE],
      on: {
        escalate: { guard: 'acceptable', actions: ['tick', 'apply', ...REFRESH_AND_ANNOUNCE] },
        ...RECORD_ANY_TIME,
        'case.correct': CORRECT,
        'case.withdraw': WITHDRAW,
      },
      states: {
        tracks: {
          type: 'parallel',
          states: {
            classCommunity: trackRegion('class_community'),
            pupilConversation: trackRegion('pupil_conversation'),
            parentConversation: trackRegion('parent_conversation'),
          },
          onDone: { target: 'assessing' },
        },
        assessing: {
          on: {
            'assessment.decide': [
              {
                guard: and(['acceptable', 'decidesActionPlan']),
                target: '#case.actionPlan',
                actions: ['tick', 'apply'],
              },
              {
                guard: 'acceptable',
                target: 'awaitingClosure',
                actions: ['tick', 'apply', ...REFRESH_AND_ANNOUNCE],
              },
            ],
          },
        },
        awaitingClosure: {
          on: {
            close: { guard: 'acceptable', target: '#case.closed', actions: ['tick', 'apply'] },
          },
        },
      },
    },
    actionPlan: {
      entry: ['enterActionPlan', ...REFRESH_AND_ANNOUNCE],
      on: {
        'plan.submit': { guard: 'acceptable', target: 'followUp', actions: ['tick', 'apply'] },
        escalate: { guard: 'acceptable', actions: ['tick', 'apply', ...REFRESH_AND_ANNOUNCE] },
        ...RECORD_ANY_TIME,
        'case.correct': CORRECT,
        'case.withdraw': WITHDRAW,
      },
    },
    followUp: {
      entry: ['enterFollowUp', ...REFRESH_AND_ANNOUNCE],
      on: {
        'plan.submit': { guard: 'acceptable', actions: ['tick', 'apply', ...REFRESH_AND_ANNOUNCE] },
        'followUp.record': {
          guard: 'acceptable',
          actions: ['tick', 'apply', ...REFRESH_AND_ANNOUNCE],
        },
        escalate: { guard: 'acceptable', actions: ['tick', 'apply', ...REFRESH_AND_ANNOUNCE] },
        close: { guard: 'acceptable', target: 'closed', actions: ['tick', 'apply'] },
        ...RECORD_ANY_TIME,
        'case.correct': CORRECT,
        'case.withdraw': WITHDRAW,
      },
    },
    closed: {
      type: 'final',
      entry: ['enterClosed', 'announce'],
    },
    withdrawn: {
      type: 'final',
      entry: ['announce'],
    },
  },
});

/** One mapping track: open until its step is marked done. */
function trackRegion(stepId: (typeof DIRECTLY_COMPLETED_STEPS)[number]) {
  return {
    initial: 'open' as const,
    states: {
      open: {
        on: {
          'step.complete': {
            guard: and([{ type: 'isStep' as const, params: { stepId } }, 'acceptable' as const]),
            target: 'done' as const,
            actions: ['tick' as const, 'apply' as const, ...REFRESH_AND_ANNOUNCE],
          },
        },
      },
      done: { type: 'final' as const },
    },
  };
}

export type CaseMachine = typeof caseMachine;
