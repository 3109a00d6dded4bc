/**
 * Realistic case views for letter tests, made by the case machine itself (pure: no Temporal,
 * no database). A case opened Monday 2 November 2026: its parents' conversation is due Friday
 * 13 November (end of week 2), its action plan Friday 27 November (end of week 4).
 */
import { initialTransition, transition } from 'xstate';
import type { CaseView, ClosureInput, HistoryEntry, MeasureInput } from '../../src/domain/schemas';
import { caseMachine, toCaseView, type CaseEvent, type CaseSnapshot } from '../../src/machines';

export const OPENED_ON = '2026-11-02';
export const PARENT_CONVERSATION_DUE = '13. november 2026';
export const ACTION_PLAN_DUE = '27. november 2026';

const at = (date: string) => `${date}T11:00:00Z`;

export interface Walked {
  view: CaseView;
  /** Entries announced by the last step, as the workflow hands them to its activities. */
  announced: HistoryEntry[];
}

function announcedBy(actions: readonly { type: string; params?: unknown }[]): HistoryEntry[] {
  return actions
    .filter((action) => action.type === 'xstate.emit')
    .map((action) => (action.params as { event: { entry: HistoryEntry } }).event.entry);
}

function step(snapshot: CaseSnapshot, event: CaseEvent): [CaseSnapshot, HistoryEntry[]] {
  const [next, actions] = transition(caseMachine, snapshot, event);
  if (next === snapshot) throw new Error(`the case machine refused ${event.type}`);
  return [next, announcedBy(actions)];
}

const walked = (snapshot: CaseSnapshot, announced: HistoryEntry[]): Walked => ({ view: toCaseView(snapshot.context), announced });

export const MEASURES: MeasureInput[] = [
  {
    track: 'pupil_parents',
    description: 'Fast morgenmøde med trivselskontakten',
    responsible: 'Trivselskontakten',
    startsOn: '2026-11-24',
    reviewOn: '2027-01-12',
  },
  {
    track: 'community',
    description: 'Makkerordning i klassen og hjælp til at starte i klubben',
    responsible: 'Klasseteamet',
    startsOn: '2026-11-24',
    reviewOn: '2027-01-12',
  },
  {
    track: 'teaching',
    description: 'Onlineundervisning de dage eleven er hjemme',
    responsible: 'Dansklæreren',
    startsOn: '2026-11-24',
    reviewOn: '2027-01-12',
  },
];

export const CLOSURE: ClosureInput = {
  criteria: {
    regularAttendance: true,
    wellbeingImproving: true,
    communityChallengesReduced: true,
    pupilMotivated: true,
    partiesAgree: true,
    measuresToKeep: ['Fast morgenmøde med trivselskontakten', 'Makkerordningen i klassen'],
  },
  relapsePreventionPlan: 'Ugentlig kontakt mellem hjem og skole frem til sommerferien.\nEkstra opmærksomhed de første dage efter vinterferien.',
  bridging: { decision: 'civil_society', note: 'Fodboldklubben i lokalområdet' },
};

export function openedCase(overrides: { pupilRef?: string; schoolId?: string; grade?: number } = {}): Walked {
  const [snapshot, actions] = initialTransition(caseMachine, {
    caseId: 'case-letters-1',
    pupilRef: overrides.pupilRef ?? 'P-4711',
    schoolId: overrides.schoolId ?? 'S1',
    grade: overrides.grade ?? 6,
    tovholder: 'tovholder-kim',
    openedOn: OPENED_ON,
    concern: { source: 'parents' },
    at: at(OPENED_ON),
  });
  return walked(snapshot, announcedBy(actions));
}

function mapped(): CaseSnapshot {
  let [snapshot] = initialTransition(caseMachine, {
    caseId: 'case-letters-1',
    pupilRef: 'P-4711',
    schoolId: 'S1',
    grade: 6,
    tovholder: 'tovholder-kim',
    openedOn: OPENED_ON,
    concern: { source: 'parents' },
    at: at(OPENED_ON),
  });
  for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
    [snapshot] = step(snapshot, { type: 'step.complete', stepId, at: at('2026-11-10') });
  }
  return snapshot;
}

export function caseInActionPlan(): Walked & { snapshot: CaseSnapshot } {
  const [snapshot, announced] = step(mapped(), {
    type: 'assessment.decide',
    decision: 'action_plan',
    rationale: 'Kortlægningen viser behov for en handleplan',
    at: at('2026-11-16'),
  });
  return { ...walked(snapshot, announced), snapshot };
}

export function closedCase(): Walked {
  const [planned] = step(caseInActionPlan().snapshot, { type: 'plan.submit', measures: MEASURES, at: at('2026-11-24') });
  const [snapshot, announced] = step(planned, { type: 'close', ...CLOSURE, at: at('2026-12-15') });
  return walked(snapshot, announced);
}

/** Closed straight after the mapping: the assessment found no need for a plan. */
export function closedAfterMapping(): Walked {
  const [assessed] = step(mapped(), {
    type: 'assessment.decide',
    decision: 'close',
    rationale: 'Fraværet er faldet, og alle er enige',
    at: at('2026-11-16'),
  });
  const [snapshot, announced] = step(assessed, {
    type: 'close',
    ...CLOSURE,
    criteria: { ...CLOSURE.criteria, measuresToKeep: [] },
    bridging: { decision: 'none' },
    at: at('2026-11-18'),
  });
  return walked(snapshot, announced);
}

export function entryOf(walk: Walked, event: HistoryEntry['event'], phase?: HistoryEntry['phase']): HistoryEntry {
  const entry = walk.announced.find((candidate) => candidate.event === event && (phase === undefined || candidate.phase === phase));
  if (entry === undefined) throw new Error(`no ${event} entry was announced`);
  return entry;
}
