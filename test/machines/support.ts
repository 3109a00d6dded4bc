/**
 * Helpers for driving the case machine as pure functions: `initialTransition` and `transition`
 * return `[snapshot, actions]`, and nothing is executed. The only actions the case machine hands
 * back are `xstate.emit` objects carrying `{ type: 'case.recorded', entry }`.
 */
import { expect } from 'vitest';
import { initialTransition, transition } from 'xstate';
import type { DomainError } from '../../src/domain/errors';
import { historyEntry, type ClosureInput, type HistoryEntry, type MeasureInput, type ReviewInput } from '../../src/domain/schemas';
import {
  caseMachine,
  checkCommand,
  type CaseCommand,
  type CaseEmitted,
  type CaseEvent,
  type CaseInput,
  type CaseSnapshot,
} from '../../src/machines/case';

/** An instant on the given Danish date: 11:00 UTC is 12:00 or 13:00 in Denmark, never another day. */
export function at(date: string, utcTime = '11:00'): string {
  return `${date}T${utcTime}:00Z`;
}

export function openInput(openedOn: string, overrides: Partial<CaseInput> = {}): CaseInput {
  return {
    caseId: 'case-1',
    pupilRef: 'P-4711',
    schoolId: 'S1',
    grade: 5,
    tovholder: 'tovholder-kim',
    openedOn,
    concern: { source: 'parents' },
    at: at(openedOn),
    ...overrides,
  };
}

type Actions = ReturnType<typeof transition<typeof caseMachine>>[1];

export interface Stepped {
  snapshot: CaseSnapshot;
  actions: Actions;
  /** The `case.recorded` entries the step announced, in order. */
  emitted: HistoryEntry[];
}

/**
 * The announced entries; fails the test if any action is something other than an emit, or if an
 * entry is not exactly what the published schema describes (the machine records without parsing:
 * no zod in the workflow sandbox, so every machine test checks its entries here).
 */
export function emittedEntries(actions: Actions): HistoryEntry[] {
  return actions.map((action) => {
    expect(action.type).toBe('xstate.emit');
    const emittedEvent = (action.params as { event: CaseEmitted }).event;
    expect(emittedEvent.type).toBe('case.recorded');
    expect(historyEntry.parse(emittedEvent.entry)).toEqual(emittedEvent.entry);
    return emittedEvent.entry;
  });
}

export function open(openedOn: string, overrides: Partial<CaseInput> = {}): Stepped {
  const [snapshot, actions] = initialTransition(caseMachine, openInput(openedOn, overrides));
  return { snapshot, actions, emitted: emittedEntries(actions) };
}

export function send(snapshot: CaseSnapshot, event: CaseEvent): Stepped {
  const [next, actions] = transition(caseMachine, snapshot, event);
  return { snapshot: next, actions, emitted: emittedEntries(actions) };
}

/** A command the case must take: the check says ok and the machine moves. */
export function accept(snapshot: CaseSnapshot, command: CaseCommand): Stepped {
  expect(checkCommand(snapshot, command)).toEqual({ ok: true });
  const stepped = send(snapshot, command);
  expect(stepped.snapshot).not.toBe(snapshot);
  return stepped;
}

/**
 * A command the case must refuse: the machine hands back the very same snapshot and announces
 * nothing (a rejected request changes nothing), and the check explains why.
 */
export function refuse(snapshot: CaseSnapshot, command: CaseCommand): DomainError {
  const [next, actions] = transition(caseMachine, snapshot, command);
  expect(next).toBe(snapshot);
  expect(actions).toEqual([]);
  const check = checkCommand(snapshot, command);
  if (check.ok) throw new Error(`expected ${command.type} to be refused`);
  return check.error;
}

export function paths(error: DomainError): string[] {
  return 'errors' in error ? error.errors.map((problem) => problem.path) : [];
}

export function stepOf(snapshot: CaseSnapshot, stepId: string) {
  const step = snapshot.context.steps.find((candidate) => candidate.stepId === stepId);
  if (step === undefined) throw new Error(`no step ${stepId}`);
  return step;
}

export function complete(stepId: string, on: string, extra: { completedOn?: string; note?: string } = {}): CaseCommand {
  return { type: 'step.complete', stepId, at: at(on), ...extra };
}

export const MAPPING_TRACK_STEPS = ['class_community', 'pupil_conversation', 'parent_conversation'] as const;

export function measure(
  track: MeasureInput['track'],
  startsOn: string,
  reviewOn: string,
  extra: Partial<MeasureInput> = {},
): MeasureInput {
  return { track, description: `Indsats (${track})`, responsible: 'tovholder-kim', startsOn, reviewOn, ...extra };
}

export function threeTrackPlan(startsOn: string, reviewOn: string): MeasureInput[] {
  return [
    measure('pupil_parents', startsOn, reviewOn),
    measure('community', startsOn, reviewOn),
    measure('teaching', startsOn, reviewOn),
  ];
}

export function reviewsOf(snapshot: CaseSnapshot, review: Partial<ReviewInput> = {}): ReviewInput[] {
  const plan = snapshot.context.plans.at(-1);
  if (plan === undefined) throw new Error('no plan');
  return plan.measures.map((m) => ({ measureId: m.measureId, done: true, effect: 'some', action: 'keep', ...review }));
}

export function closureCommand(on: string, overrides: Partial<ClosureInput> = {}): CaseCommand {
  return {
    type: 'close',
    at: at(on),
    criteria: {
      regularAttendance: true,
      wellbeingImproving: true,
      communityChallengesReduced: true,
      pupilMotivated: true,
      partiesAgree: true,
      measuresToKeep: ['Morgenmodtagelse'],
    },
    relapsePreventionPlan: 'Ugentlig kontakt mellem hjem og skole resten af skoleåret.',
    bridging: { decision: 'civil_society' },
    ...overrides,
  };
}

// ---- A Wednesday case (opened 2026-11-18) walked through its phases --------------------------
// Week arithmetic for 2026-11-18 (day 0, a Wednesday): week n is days 7(n−1)…7n−1.
//   week 2 = 11-25 (Wed) … 12-01 (Tue) → due Tue 2026-12-01
//   week 3 = 12-02 (Wed) … 12-08 (Tue) → due Tue 2026-12-08
//   week 4 = 12-09 (Wed) … 12-15 (Tue) → due Tue 2026-12-15
//   week 7 = 12-30 (Wed) … 2027-01-05 (Tue) → due Tue 2027-01-05

export const WED_OPENED = '2026-11-18';

/** All three tracks done on 2026-11-19, 11-20 and 11-23. */
export function mappingDone(): CaseSnapshot {
  let { snapshot } = open(WED_OPENED);
  snapshot = accept(snapshot, complete('class_community', '2026-11-19')).snapshot;
  snapshot = accept(snapshot, complete('pupil_conversation', '2026-11-20')).snapshot;
  snapshot = accept(snapshot, complete('parent_conversation', '2026-11-23')).snapshot;
  return snapshot;
}

/** Assessment on 2026-12-03 decided an action plan. */
export function inActionPlan(): CaseSnapshot {
  return accept(mappingDone(), {
    type: 'assessment.decide',
    decision: 'action_plan',
    rationale: 'Fraværet er bekymrende',
    at: at('2026-12-03'),
  }).snapshot;
}

/** Plan adopted on 2026-12-10 with measures M1 (pupil_parents), M2 (community), M3 (teaching). */
export function inFollowUp(): CaseSnapshot {
  return accept(inActionPlan(), {
    type: 'plan.submit',
    measures: threeTrackPlan('2026-12-14', '2027-01-04'),
    at: at('2026-12-10'),
  }).snapshot;
}

/** Assessment on 2026-12-03 decided to close. */
export function awaitingClosure(): CaseSnapshot {
  return accept(mappingDone(), {
    type: 'assessment.decide',
    decision: 'close',
    rationale: 'Fraværet er ikke længere bekymrende',
    at: at('2026-12-03'),
  }).snapshot;
}
