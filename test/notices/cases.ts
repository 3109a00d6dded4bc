/**
 * Case views and the entries their workflow would hand to queueNotices, made by the case machine
 * itself (pure: no Temporal, no database), and the test's own date arithmetic.
 */
import { initialTransition, transition } from 'xstate';
import type { CaseView, HistoryEntry } from '../../src/domain/schemas';
import { caseMachine, toCaseView, type CaseEvent, type CaseSnapshot } from '../../src/machines';

export interface Walked {
  view: CaseView;
  /** The entries the last step announced, as the workflow hands them to its activities. */
  announced: HistoryEntry[];
  snapshot: CaseSnapshot;
}

function announcedBy(actions: readonly { type: string; params?: unknown }[]): HistoryEntry[] {
  return actions
    .filter((action) => action.type === 'xstate.emit')
    .map((action) => (action.params as { event: { entry: HistoryEntry } }).event.entry);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export interface CaseOptions {
  caseId: string;
  schoolId: string;
  tovholder?: string;
  pupilRef?: string;
  openedOn: string;
  /** The instant the case's deadlines are judged at. */
  at: string;
  /**
   * Entered into the service only at `at` (a paper case entered late). Otherwise it is entered on
   * its opening day and time passes to `at`, so deadlines pass while the service knows the case.
   */
  enteredLate?: boolean;
}

/** A case opened on `openedOn`; at `at` the machine announces its steps' states. */
export function openCase(options: CaseOptions): Walked {
  const enteredAt = options.enteredLate === true ? options.at : `${options.openedOn}T07:00:00Z`;
  const [opened, openingActions] = initialTransition(caseMachine, {
    caseId: options.caseId,
    pupilRef: options.pupilRef ?? 'P-4711',
    schoolId: options.schoolId,
    grade: 6,
    tovholder: options.tovholder ?? 'tovholder-kim',
    openedOn: options.openedOn,
    concern: { source: 'parents', note: 'Eleven Emma Hansen siger, hun har ondt i maven om mandagen' },
    at: enteredAt,
  });
  if (enteredAt >= options.at) return { snapshot: opened, view: toCaseView(opened.context), announced: announcedBy(openingActions) };
  const [snapshot, actions] = transition(caseMachine, opened, { type: 'clock.tick', at: options.at });
  return { snapshot, view: toCaseView(snapshot.context), announced: [...announcedBy(openingActions), ...announcedBy(actions)] };
}

export function step(walked: Walked, event: CaseEvent): Walked {
  const [snapshot, actions] = transition(caseMachine, walked.snapshot, event);
  if (snapshot === walked.snapshot) throw new Error(`the case machine refused ${event.type}`);
  return { snapshot, view: toCaseView(snapshot.context), announced: announcedBy(actions) };
}

/** A (fixed) case id per number, shaped like the service's UUIDs. */
export function caseIdOf(label: number): string {
  return `00000000-0000-4000-a000-${String(label).padStart(12, '0')}`;
}

export const MEASURES = [
  { track: 'pupil_parents', description: 'Fast morgenmøde', responsible: 'Trivselskontakten', startsOn: '2026-11-24', reviewOn: '2027-01-12' },
  { track: 'community', description: 'Makkerordning', responsible: 'Klasseteamet', startsOn: '2026-11-24', reviewOn: '2027-01-12' },
  { track: 'teaching', description: 'Onlineundervisning', responsible: 'Dansklæreren', startsOn: '2026-11-24', reviewOn: '2027-01-12' },
] as const;
