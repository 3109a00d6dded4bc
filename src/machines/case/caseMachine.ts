/**
 * The case package (forløbspakke) as one statechart: mapping (three parallel tracks, then the
 * assessment), the action plan, follow-up and closure. It is pure: time arrives as the `at` of
 * every event, effects are announced with `emit`, and nothing here reads a clock or does I/O.
 */
import { and, assign, enqueueActions, setup } from 'xstate';
import { schoolDaysBetween, WEEKDAYS_ONLY, type SchoolCalendar } from '../../domain/calendar';
import { danishDateOf, maxDate, type IsoDate } from '../../domain/dates';
import { historyEntry, type CaseEventDetail, type CaseEventType } from '../../domain/caseEvents';
import type { ExternalResource, Measure, Plan } from '../../domain/schemas';
import {
  ACTION_PLAN_WEEK,
  CLOSURE_AFTER_ASSESSMENT_WEEK,
  FIRST_FOLLOW_UP_WEEK,
  MAPPING_DEADLINE_WEEKS,
  dueInWeek,
  dueOnChosenDate,
  DEFAULT_THRESHOLDS,
  isSettled,
  needsLeader,
  statusOn,
} from './deadlines';
import {
  assessmentProblems,
  chosenNextFollowUp,
  closureWarnings,
  closureProblems,
  completionProblems,
  currentPlan,
  escalationProblems,
  followUpProblems,
  planProblems,
} from './rules';
import type { CaseCommand, CaseContext, CaseEmitted, CaseEvent, CaseInput, StepState } from './types';

type Command<T extends CaseCommand['type']> = Extract<CaseCommand, { type: T }>;

export const STEP_TITLES = {
  class_community: 'Kortlægning af klassefællesskabet og fraværsdata (spor A)',
  pupil_conversation: 'Samtale med eleven (spor B)',
  parent_conversation: 'Samtale med forældrene (spor C)',
  assessment: 'Vurdering efter kortlægningen',
  action_plan: 'Handleplan med indsatser i alle tre spor',
  closure: 'Afslutning af forløbet',
} as const;

export function followUpStepId(number: number): string {
  return `follow_up_${number}`;
}

/** Steps the tovholder marks done directly; the others are done by their own action. */
export const DIRECTLY_COMPLETED_STEPS = ['class_community', 'pupil_conversation', 'parent_conversation'] as const;

// ---- Pure helpers that build the next context ------------------------------------------------

function eventDate(at: string): IsoDate {
  return danishDateOf(at);
}

/** The instant of an event; XState's own init event has none, so the newest entry's is used. */
function instantOf(context: CaseContext, event: { type: string; at?: unknown }): string {
  return typeof event.at === 'string' ? event.at : (context.history.at(-1)?.at ?? '1970-01-01T00:00:00Z');
}

/**
 * Appends a history entry: `at` is when it was recorded, `on` the school date it took effect,
 * and `detail` the shape its kind declares (src/domain/caseEvents.ts).
 */
function withEntry<E extends CaseEventType>(
  context: CaseContext,
  at: string,
  on: IsoDate,
  event: E,
  detail: CaseEventDetail<E>,
  stepId?: string,
): CaseContext {
  const seq = context.seq + 1;
  const entry = historyEntry.parse({ seq, at, on, event, phase: context.phase, ...(stepId !== undefined ? { stepId } : {}), detail });
  return { ...context, seq, history: [...context.history, entry] };
}

function updateStep(context: CaseContext, stepId: string, change: Partial<StepState>): CaseContext {
  return { ...context, steps: context.steps.map((step) => (step.stepId === stepId ? { ...step, ...change } : step)) };
}

function completeStepIn(context: CaseContext, stepId: string, completedOn: IsoDate, at: string, note?: string) {
  const changed = updateStep(context, stepId, { status: 'done', completedOn, ...(note ? { note } : {}) });
  return withEntry(changed, at, completedOn, 'step_done', { completedOn }, stepId);
}

function enterPhase(context: CaseContext, phase: CaseContext['phase'], at: string, on: IsoDate): CaseContext {
  return withEntry({ ...context, phase }, at, on, 'phase_entered', { on });
}

function advanceClock(context: CaseContext, at: string): CaseContext {
  return { ...context, today: maxDate(context.today, eventDate(at)) };
}

/** Recomputes every open step's status for today; each change is a recorded event. */
function refreshStatuses(context: CaseContext, at: string): CaseContext {
  let next = context;
  for (const step of context.steps) {
    const status = statusOn(step, context.today, context.calendar, context.thresholds);
    if (status !== step.status) {
      next = updateStep(next, step.stepId, { status });
      if (status === 'due_soon' || status === 'overdue') {
        next = withEntry(next, at, context.today, status === 'due_soon' ? 'step_due_soon' : 'step_overdue',
          { dueOn: step.dueOn },
          step.stepId,
        );
      }
    }
    if (!step.leaderAlerted && needsLeader(step, context.today, context.calendar, context.thresholds)) {
      next = updateStep(next, step.stepId, { leaderAlerted: true });
      next = withEntry(next, at, context.today, 'step_overdue_leader',
        { dueOn: step.dueOn, schoolDaysLate: schoolDaysBetween(step.dueOn, context.today, context.calendar) },
        step.stepId,
      );
    }
  }
  return next;
}

/**
 * When a step is due: the one rule for every step, used when it is created and when its
 * deadlines are recomputed on a new calendar.
 */
export function dueDateFor(
  stepId: string,
  context: Pick<CaseContext, 'openedOn' | 'followUps'>,
  calendar: SchoolCalendar,
): IsoDate {
  const inWeek = (week: number) => dueInWeek(context.openedOn, week, calendar);
  switch (stepId) {
    case 'class_community':
    case 'pupil_conversation':
    case 'parent_conversation':
    case 'assessment':
      return inWeek(MAPPING_DEADLINE_WEEKS[stepId]);
    case 'action_plan':
      return inWeek(ACTION_PLAN_WEEK);
    case 'closure':
      return inWeek(CLOSURE_AFTER_ASSESSMENT_WEEK);
    case followUpStepId(1):
      return inWeek(FIRST_FOLLOW_UP_WEEK);
  }
  const number = Number(/^follow_up_(\d+)$/.exec(stepId)?.[1]);
  const chosen = context.followUps[number - 2]?.nextFollowUpOn;
  if (chosen === undefined) throw new RangeError(`no deadline rule for step ${stepId}`);
  return dueOnChosenDate(chosen, calendar);
}

function newStep(
  stepId: string,
  phase: StepState['phase'],
  title: string,
  dueOn: IsoDate,
  createdOn: IsoDate,
  track?: StepState['track'],
): StepState {
  return { stepId, phase, title, dueOn, createdOn, status: 'open', ...(track ? { track } : {}) };
}

export function initialCaseContext(input: CaseInput): CaseContext {
  const { caseId, pupilRef, schoolId, grade, tovholder, openedOn, concern, at } = input;
  const calendar = input.calendar ?? WEEKDAYS_ONLY;
  const due = (stepId: string) => dueDateFor(stepId, { openedOn, followUps: [] }, calendar);
  let context: CaseContext = {
    caseId,
    pupilRef,
    schoolId,
    grade,
    tovholder,
    openedOn,
    concern,
    today: maxDate(eventDate(at), openedOn),
    calendar,
    thresholds: input.thresholds ?? DEFAULT_THRESHOLDS,
    phase: 'mapping',
    steps: [
      newStep('class_community', 'mapping', STEP_TITLES.class_community, due('class_community'), openedOn, 'A'),
      newStep('pupil_conversation', 'mapping', STEP_TITLES.pupil_conversation, due('pupil_conversation'), openedOn, 'B'),
      newStep('parent_conversation', 'mapping', STEP_TITLES.parent_conversation, due('parent_conversation'), openedOn, 'C'),
      newStep('assessment', 'mapping', STEP_TITLES.assessment, due('assessment'), openedOn),
    ],
    plans: [],
    followUps: [],
    escalationLevel: 0,
    escalations: [],
    planRevisionRequested: false,
    closureProposed: false,
    history: [],
    seq: 0,
    announcedSeq: 0,
    nextMeasureNumber: 1,
  };
  context = withEntry(context, at, openedOn, 'opened', { openedOn, source: concern.source });
  return withEntry(context, at, openedOn, 'phase_entered', { on: openedOn });
}

function adoptPlan(context: CaseContext, event: Command<'plan.submit'>): CaseContext {
  let nextMeasureNumber = context.nextMeasureNumber;
  const measures: Measure[] = event.measures.map((measure) => {
    if (measure.measureId !== undefined) return { ...measure, measureId: measure.measureId };
    const measureId = `M${nextMeasureNumber}`;
    nextMeasureNumber += 1;
    return { ...measure, measureId };
  });
  const revision = context.plans.length + 1;
  const adoptedOn = event.adoptedOn ?? context.today;
  const plan: Plan = { revision, adoptedOn, measures };
  let next: CaseContext = { ...context, plans: [...context.plans, plan], nextMeasureNumber, planRevisionRequested: false };
  next = withEntry(next, event.at, adoptedOn, 'plan_revision', { revision, measures: measures.length });
  const actionPlanStep = next.steps.find((step) => step.stepId === 'action_plan');
  if (actionPlanStep && !isSettled(actionPlanStep.status)) {
    next = completeStepIn(next, 'action_plan', adoptedOn, event.at);
  }
  return next;
}

function escalate(
  context: CaseContext,
  reason: string,
  at: string,
  on: IsoDate,
  via: 'escalation' | 'follow_up',
  externalResources: ExternalResource[] | undefined,
): CaseContext {
  const level = context.escalationLevel + 1;
  const resources = externalResources ? { externalResources } : {};
  const next: CaseContext = {
    ...context,
    escalationLevel: level,
    escalations: [...context.escalations, { level, reason, on, via, ...resources }],
  };
  return withEntry(next, at, on, 'escalation', { level, via, reason, ...resources });
}

function recordFollowUp(context: CaseContext, event: Command<'followUp.record'>): CaseContext {
  const number = context.followUps.length + 1;
  const chosen = chosenNextFollowUp(event);
  const plan = currentPlan(context);
  let next: CaseContext = {
    ...context,
    followUps: [
      ...context.followUps,
      {
        number,
        heldOn: event.heldOn,
        reviews: event.reviews,
        outcome: event.outcome,
        nextFollowUpOn: chosen,
        planRevision: plan?.revision ?? 0,
      },
    ],
  };
  next = withEntry(next, event.at, event.heldOn, 'follow_up',
    { number, outcome: event.outcome, heldOn: event.heldOn },
    followUpStepId(number),
  );
  next = completeStepIn(next, followUpStepId(number), event.heldOn, event.at);
  const dueOn = dueDateFor(followUpStepId(number + 1), next, context.calendar);
  next = {
    ...next,
    nextFollowUpDue: dueOn,
    steps: [...next.steps, newStep(followUpStepId(number + 1), 'follow_up', `Opfølgning ${number + 1}`, dueOn, event.heldOn)],
  };
  if (event.outcome === 'revise_plan') next = { ...next, planRevisionRequested: true };
  if (event.outcome === 'propose_closure') next = { ...next, closureProposed: true };
  if (event.outcome === 'escalate') {
    next = escalate(next, `Opfølgning ${number}`, event.at, event.heldOn, 'follow_up', event.externalResources);
  }
  return next;
}

/** Moves every open step to its deadline on a new calendar; done steps keep theirs. */
function recomputeDeadlines(context: CaseContext, calendar: SchoolCalendar, at: string): CaseContext {
  const changed: { stepId: string; from: IsoDate; to: IsoDate }[] = [];
  const steps = context.steps.map((step) => {
    if (isSettled(step.status)) return step;
    const dueOn = dueDateFor(step.stepId, context, calendar);
    if (dueOn !== step.dueOn) changed.push({ stepId: step.stepId, from: step.dueOn, to: dueOn });
    return { ...step, dueOn };
  });
  const openFollowUp = steps.find((step) => step.stepId.startsWith('follow_up_') && !isSettled(step.status));
  const next: CaseContext = {
    ...context,
    calendar,
    steps,
    ...(openFollowUp ? { nextFollowUpDue: openFollowUp.dueOn } : {}),
  };
  return withEntry(next, at, context.today, 'deadlines_recomputed', { changed });
}

function close(context: CaseContext, event: Command<'close'>): CaseContext {
  const { criteria, relapsePreventionPlan, bridging } = event;
  const closedOn = event.closedOn ?? context.today;
  const warnings = closureWarnings(closedOn, context.calendar);
  let next: CaseContext = {
    ...context,
    closure: { criteria, relapsePreventionPlan, bridging, closedOn, ...(warnings.length > 0 ? { warnings } : {}) },
  };
  const closureStep = next.steps.find((step) => step.stepId === 'closure');
  if (closureStep && !isSettled(closureStep.status)) next = completeStepIn(next, 'closure', closedOn, event.at);
  next = { ...next, steps: next.steps.map((step) => (isSettled(step.status) ? step : { ...step, status: 'cancelled' })) };
  return withEntry(next, event.at, closedOn, 'closed', { bridging: bridging.decision });
}

// ---- The machine ----------------------------------------------------------------------------

const REFRESH_AND_ANNOUNCE = ['refreshStatuses', 'announce'] as const;

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
    input: {} as CaseInput,
    emitted: {} as CaseEmitted,
  },
  guards: {
    isStep: ({ event }, params: { stepId: string }) => event.type === 'step.complete' && event.stepId === params.stepId,
    completionAcceptable: ({ context, event }) =>
      event.type === 'step.complete' && completionProblems(context, event, eventDate(event.at)).length === 0,
    assessmentAcceptable: ({ context, event }) =>
      event.type === 'assessment.decide' && assessmentProblems(context, event, eventDate(event.at)).length === 0,
    decidesActionPlan: ({ event }) => event.type === 'assessment.decide' && event.decision === 'action_plan',
    planAcceptable: ({ context, event }) =>
      event.type === 'plan.submit' && planProblems(context, event, eventDate(event.at)).length === 0,
    followUpAcceptable: ({ context, event }) =>
      event.type === 'followUp.record' && followUpProblems(context, event, eventDate(event.at)).length === 0,
    escalationAcceptable: ({ context, event }) =>
      event.type === 'escalate' && escalationProblems(context, 'reason', event.externalResources).length === 0,
    closureAcceptable: ({ context, event }) =>
      event.type === 'close' && closureProblems(context, event, eventDate(event.at)).length === 0,
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
    completeMappingStep: assign(({ context, event }) => {
      if (event.type !== 'step.complete') return context;
      return completeStepIn(context, event.stepId, event.completedOn ?? context.today, event.at, event.note);
    }),
    recordAssessment: assign(({ context, event }) => {
      if (event.type !== 'assessment.decide') return context;
      const decidedOn = event.decidedOn ?? context.today;
      let next: CaseContext = {
        ...context,
        assessment: { decision: event.decision, rationale: event.rationale, decidedOn },
      };
      next = withEntry(next, event.at, decidedOn, 'assessment', { decision: event.decision });
      next = completeStepIn(next, 'assessment', decidedOn, event.at);
      if (event.decision === 'close') {
        const dueOn = dueDateFor('closure', context, context.calendar);
        next = { ...next, steps: [...next.steps, newStep('closure', 'mapping', STEP_TITLES.closure, dueOn, decidedOn)] };
      }
      return next;
    }),
    enterActionPlan: assign(({ context, event }) => {
      const decidedOn = context.assessment?.decidedOn ?? context.today;
      const next = enterPhase(context, 'action_plan', instantOf(context, event), decidedOn);
      const dueOn = dueDateFor('action_plan', context, context.calendar);
      return { ...next, steps: [...next.steps, newStep('action_plan', 'action_plan', STEP_TITLES.action_plan, dueOn, decidedOn)] };
    }),
    adoptPlan: assign(({ context, event }) => (event.type === 'plan.submit' ? adoptPlan(context, event) : context)),
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
    recordFollowUp: assign(({ context, event }) =>
      event.type === 'followUp.record' ? recordFollowUp(context, event) : context,
    ),
    escalate: assign(({ context, event }) =>
      event.type === 'escalate'
        ? escalate(context, event.reason, event.at, context.today, 'escalation', event.externalResources)
        : context,
    ),
    close: assign(({ context, event }) => (event.type === 'close' ? close(context, event) : context)),
    recomputeDeadlines: assign(({ context, event }) =>
      event.type === 'deadlines.recompute' ? recomputeDeadlines(context, event.calendar, event.at) : context,
    ),
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
    'deadlines.recompute': { actions: ['tick', 'recomputeDeadlines', ...REFRESH_AND_ANNOUNCE] },
  },
  states: {
    mapping: {
      initial: 'tracks',
      entry: [...REFRESH_AND_ANNOUNCE],
      on: {
        escalate: { guard: 'escalationAcceptable', actions: ['tick', 'escalate', ...REFRESH_AND_ANNOUNCE] },
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
                guard: and(['assessmentAcceptable', 'decidesActionPlan']),
                target: '#case.actionPlan',
                actions: ['tick', 'recordAssessment'],
              },
              {
                guard: 'assessmentAcceptable',
                target: 'awaitingClosure',
                actions: ['tick', 'recordAssessment', ...REFRESH_AND_ANNOUNCE],
              },
            ],
          },
        },
        awaitingClosure: {
          on: {
            close: { guard: 'closureAcceptable', target: '#case.closed', actions: ['tick', 'close'] },
          },
        },
      },
    },
    actionPlan: {
      entry: ['enterActionPlan', ...REFRESH_AND_ANNOUNCE],
      on: {
        'plan.submit': { guard: 'planAcceptable', target: 'followUp', actions: ['tick', 'adoptPlan'] },
        escalate: { guard: 'escalationAcceptable', actions: ['tick', 'escalate', ...REFRESH_AND_ANNOUNCE] },
      },
    },
    followUp: {
      entry: ['enterFollowUp', ...REFRESH_AND_ANNOUNCE],
      on: {
        'plan.submit': { guard: 'planAcceptable', actions: ['tick', 'adoptPlan', ...REFRESH_AND_ANNOUNCE] },
        'followUp.record': {
          guard: 'followUpAcceptable',
          actions: ['tick', 'recordFollowUp', ...REFRESH_AND_ANNOUNCE],
        },
        escalate: { guard: 'escalationAcceptable', actions: ['tick', 'escalate', ...REFRESH_AND_ANNOUNCE] },
        close: { guard: 'closureAcceptable', target: 'closed', actions: ['tick', 'close'] },
      },
    },
    closed: {
      type: 'final',
      entry: ['enterClosed', 'announce'],
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
            guard: and([{ type: 'isStep' as const, params: { stepId } }, 'completionAcceptable' as const]),
            target: 'done' as const,
            actions: ['tick' as const, 'completeMappingStep' as const, ...REFRESH_AND_ANNOUNCE],
          },
        },
      },
      done: { type: 'final' as const },
    },
  };
}

export type CaseMachine = typeof caseMachine;
