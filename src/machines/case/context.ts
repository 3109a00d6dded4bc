/**
 * How the case's context changes: pure functions from one context to the next, each recording its
 * history entries. The machine (caseMachine.ts) and the action declarations (actions/) build on
 * them; apart from the machine so a declaration can use them without an import cycle.
 */
import { schoolDaysBetween, WEEKDAYS_ONLY, type SchoolCalendar } from '../../domain/calendar';
import type { CaseEventDetail, CaseEventPayload } from '../../domain/caseEvents';
import { danishDateOf, maxDate, type IsoDate } from '../../domain/dates';
import type {
  HistoryEntry,
  AssessmentInput,
  ClosureInput,
  CompleteStepInput,
  Consent,
  ConsentInput,
  ConsentWithdrawalInput,
  Section49aInput,
  ExternalResource,
  FollowUpInput,
  Measure,
  Plan,
  PlanInput,
} from '../../domain/schemas';
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
import { chosenNextFollowUp, closureWarnings, currentPlan, regularFollowUpFrom } from './rules';
import type { CaseContext, CaseInput, StepState } from './types';

type At = { at: string };
type CompleteStepUpdateInput = CompleteStepInput & { stepId: string };

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

export function eventDate(at: string): IsoDate {
  return danishDateOf(at);
}

/** The instant of an event; XState's own init event has none, so the newest entry's is used. */
export function instantOf(context: CaseContext, event: { type: string; at?: unknown }): string {
  return typeof event.at === 'string' ? event.at : (context.history.at(-1)?.at ?? '1970-01-01T00:00:00Z');
}

/**
 * Appends a history entry: `at` is when it was recorded, `on` the school date it took effect,
 * and `payload` its kind with the detail that kind declares (src/domain/caseEvents.ts).
 */
export function withEntry(context: CaseContext, at: string, on: IsoDate, payload: CaseEventPayload, stepId?: string): CaseContext {
  const seq = context.seq + 1;
  const entry: HistoryEntry = { seq, at, on, phase: context.phase, ...(stepId !== undefined ? { stepId } : {}), ...payload };
  return { ...context, seq, history: [...context.history, entry] };
}

export function updateStep(context: CaseContext, stepId: string, change: Partial<StepState>): CaseContext {
  return { ...context, steps: context.steps.map((step) => (step.stepId === stepId ? { ...step, ...change } : step)) };
}

export function completeStepIn(context: CaseContext, stepId: string, completedOn: IsoDate, at: string, note?: string) {
  const changed = updateStep(context, stepId, { status: 'done', completedOn, ...(note ? { note } : {}) });
  return withEntry(changed, at, completedOn, { event: 'step_done', detail: { completedOn } }, stepId);
}

export function enterPhase(context: CaseContext, phase: CaseContext['phase'], at: string, on: IsoDate): CaseContext {
  return withEntry({ ...context, phase }, at, on, { event: 'phase_entered', detail: { on } });
}

export function advanceClock(context: CaseContext, at: string): CaseContext {
  return { ...context, today: maxDate(context.today, eventDate(at)) };
}

/** Recomputes every open step's status for today; each change is a recorded event. */
export function refreshStatuses(context: CaseContext, at: string): CaseContext {
  let next = context;
  for (const step of context.steps) {
    const status = statusOn(step, context.today, context.calendar, context.thresholds);
    if (status !== step.status) {
      next = updateStep(next, step.stepId, { status });
      if (status === 'due_soon' || status === 'overdue') {
        next = withEntry(next, at, context.today, { event: status === 'due_soon' ? 'step_due_soon' : 'step_overdue', detail: { dueOn: step.dueOn } },
          step.stepId,
        );
      }
    }
    if (!step.leaderAlerted && needsLeader(step, context.today, context.calendar, context.thresholds)) {
      next = updateStep(next, step.stepId, { leaderAlerted: true });
      next = withEntry(next, at, context.today, { event: 'step_overdue_leader', detail:
        { dueOn: step.dueOn, schoolDaysLate: schoolDaysBetween(step.dueOn, context.today, context.calendar) } },
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

export function newStep(
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
  const { caseId, pupilRef, schoolId, grade, tovholder, openedOn, concern, at, consentBeforeExternal } = input;
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
    ...(input.rulesVersion !== undefined ? { rulesVersion: input.rulesVersion } : {}),
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
    consents: [],
    ...(consentBeforeExternal === true ? { consentBeforeExternal } : {}),
    history: [],
    seq: 0,
    announcedSeq: 0,
    nextMeasureNumber: 1,
  };
  context = withEntry(context, at, openedOn, { event: 'opened', detail: { openedOn, source: concern.source } });
  return withEntry(context, at, openedOn, { event: 'phase_entered', detail: { on: openedOn } });
}

export function adoptPlan(context: CaseContext, event: PlanInput & At): CaseContext {
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
  next = withEntry(next, event.at, adoptedOn, { event: 'plan_revision', detail: { revision, measures: measures.length } });
  const actionPlanStep = next.steps.find((step) => step.stepId === 'action_plan');
  if (actionPlanStep && !isSettled(actionPlanStep.status)) {
    next = completeStepIn(next, 'action_plan', adoptedOn, event.at);
  }
  return next;
}

export function escalate(
  context: CaseContext,
  reason: string,
  at: string,
  on: IsoDate,
  via: 'escalation' | 'follow_up',
  externalResources: ExternalResource[] | undefined,
  handover: { withoutConsentReason?: string | undefined; request?: string | undefined } = {},
): CaseContext {
  const level = context.escalationLevel + 1;
  const resources = externalResources ? { externalResources } : {};
  const { withoutConsentReason, request } = handover;
  const next: CaseContext = {
    ...context,
    escalationLevel: level,
    escalations: [
      ...context.escalations,
      {
        level,
        reason,
        on,
        via,
        ...resources,
        ...(withoutConsentReason !== undefined ? { withoutConsentReason } : {}),
        ...(request !== undefined ? { request } : {}),
      },
    ],
  };
  return withEntry(next, at, on, { event: 'escalation', detail: { level, via, reason, ...resources } });
}

export function recordFollowUp(context: CaseContext, event: FollowUpInput & At): CaseContext {
  const number = context.followUps.length + 1;
  const chosen = chosenNextFollowUp(event);
  const plan = currentPlan(context);
  const regularFrom = regularFollowUpFrom(context);
  const early = event.earlyReason !== undefined && regularFrom !== undefined ? { early: { regularFrom, reason: event.earlyReason } } : {};
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
        ...early,
      },
    ],
  };
  next = withEntry(next, event.at, event.heldOn, { event: 'follow_up', detail:
    { number, outcome: event.outcome, heldOn: event.heldOn, ...early } },
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
    next = escalate(next, `Opfølgning ${number}`, event.at, event.heldOn, 'follow_up', event.externalResources, {
      withoutConsentReason: event.withoutConsentReason,
    });
  }
  return next;
}

/** Moves every open step to its deadline on a new calendar; done steps keep theirs. */
export function recomputeDeadlines(context: CaseContext, calendar: SchoolCalendar, at: string): CaseContext {
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
  return withEntry(next, at, context.today, { event: 'deadlines_recomputed', detail: { changed } });
}

export function close(context: CaseContext, event: ClosureInput & At): CaseContext {
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
  return withEntry(next, event.at, closedOn, { event: 'closed', detail: { bridging: bridging.decision } });
}

/** A mapping track's step marked done, on the date given or today. */
export function completeMappingStep(context: CaseContext, event: CompleteStepUpdateInput & At): CaseContext {
  return completeStepIn(context, event.stepId, event.completedOn ?? context.today, event.at, event.note);
}

/** The assessment after the mapping; deciding to close adds the closure step. */
export function recordAssessment(context: CaseContext, event: AssessmentInput & At): CaseContext {
  const decidedOn = event.decidedOn ?? context.today;
  let next: CaseContext = {
    ...context,
    assessment: { decision: event.decision, rationale: event.rationale, decidedOn },
  };
  next = withEntry(next, event.at, decidedOn, { event: 'assessment', detail: { decision: event.decision } });
  next = completeStepIn(next, 'assessment', decidedOn, event.at);
  if (event.decision === 'close') {
    const dueOn = dueDateFor('closure', context, context.calendar);
    next = { ...next, steps: [...next.steps, newStep('closure', 'mapping', STEP_TITLES.closure, dueOn, decidedOn)] };
  }
  return next;
}

/** The consents of a case (none on a snapshot saved before consents existed). */
export function consentsOf(context: Pick<CaseContext, 'consents'>): Consent[] {
  return context.consents ?? [];
}

export function recordConsent(context: CaseContext, event: ConsentInput & At & { recordedBy: string }): CaseContext {
  const consents = consentsOf(context);
  const consentId = `C${consents.length + 1}`;
  const consent: Consent = {
    consentId,
    party: event.party,
    ...(event.partyName !== undefined ? { partyName: event.partyName } : {}),
    givenOn: event.givenOn,
    scope: event.scope,
    recordedBy: event.recordedBy,
    recordedOn: context.today,
  };
  return withEntry({ ...context, consents: [...consents, consent] }, event.at, event.givenOn, { event: 'consent_recorded', detail: {
    consentId,
    party: event.party,
    scope: event.scope,
    givenOn: event.givenOn,
    recordedBy: event.recordedBy,
  } });
}

export function withdrawConsent(
  context: CaseContext,
  event: ConsentWithdrawalInput & At & { consentId: string; recordedBy: string },
): CaseContext {
  const withdrawnOn = event.withdrawnOn ?? context.today;
  const consents = consentsOf(context).map((consent) =>
    consent.consentId === event.consentId ? { ...consent, withdrawnOn, withdrawalRecordedBy: event.recordedBy } : consent,
  );
  const party = consents.find((consent) => consent.consentId === event.consentId)?.party ?? 'other';
  return withEntry({ ...context, consents }, event.at, withdrawnOn, { event: 'consent_withdrawn', detail: {
    consentId: event.consentId,
    party,
    withdrawnOn,
    recordedBy: event.recordedBy,
  } });
}

export function recordSection49a(context: CaseContext, event: Section49aInput & At & { recordedBy: string }): CaseContext {
  const decidedOn = event.decidedOn ?? context.today;
  const record = { parties: event.parties, scope: event.scope, justification: event.justification, decidedOn, recordedBy: event.recordedBy };
  return withEntry({ ...context, section49a: record }, event.at, decidedOn, { event: 'section49a_recorded', detail: {
    parties: event.parties,
    scope: event.scope,
    decidedOn,
    recordedBy: event.recordedBy,
  } });
}

/** A mistake put right: the fields change, and a new opening date moves the open steps' deadlines. */
export function correctCase(
  context: CaseContext,
  event: { openedOn?: IsoDate | undefined; grade?: number | undefined; pupilRef?: string | undefined; reason: string } & At,
): CaseContext {
  const changes: CaseEventDetail<'corrected'>['changes'] = [];
  let next: CaseContext = context;
  if (event.openedOn !== undefined && event.openedOn !== context.openedOn) {
    changes.push({ field: 'openedOn', from: context.openedOn, to: event.openedOn });
    next = { ...next, openedOn: event.openedOn };
    // Done steps keep the deadline they were done against; open ones count from the right date.
    next = {
      ...next,
      steps: next.steps.map((step) => (isSettled(step.status) ? step : { ...step, dueOn: dueDateFor(step.stepId, next, next.calendar) })),
    };
    const openFollowUp = next.steps.find((step) => step.stepId.startsWith('follow_up_') && !isSettled(step.status));
    if (openFollowUp !== undefined) next = { ...next, nextFollowUpDue: openFollowUp.dueOn };
  }
  if (event.grade !== undefined && event.grade !== context.grade) {
    changes.push({ field: 'grade', from: context.grade, to: event.grade });
    next = { ...next, grade: event.grade };
  }
  if (event.pupilRef !== undefined && event.pupilRef !== context.pupilRef) {
    changes.push({ field: 'pupilRef', from: context.pupilRef, to: event.pupilRef });
    next = { ...next, pupilRef: event.pupilRef };
  }
  return withEntry(next, event.at, context.today, { event: 'corrected', detail: { changes, reason: event.reason } });
}

/** Withdrawn as opened in error: every open step is cancelled; the record is kept. */
export function withdrawCase(context: CaseContext, event: { reason: string } & At): CaseContext {
  const next: CaseContext = {
    ...context,
    withdrawal: { on: context.today, reason: event.reason },
    steps: context.steps.map((step) => (isSettled(step.status) ? step : { ...step, status: 'cancelled' })),
  };
  return withEntry(next, event.at, context.today, { event: 'withdrawn', detail: { reason: event.reason } });
}
