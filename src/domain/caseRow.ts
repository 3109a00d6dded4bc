/**
 * What the read model's `cases` row and an effect step need of a case, derived from its view.
 * Pure and free of Node built-ins: the workflow derives these before it records an action, so
 * the effect step receives a few facts and the changed parts, never the whole view.
 */
import type { CaseView, StepStatus } from './schemas';

/** Step statuses that still await work, so their due dates count towards "next due". */
const PENDING_STATUSES: ReadonlySet<StepStatus> = new Set<StepStatus>(['open', 'due_soon', 'overdue']);

export interface CaseSummaryColumns {
  nextDueOn: string | null;
  overdueSteps: number;
  closedOn: string | null;
}

/** The summary columns a view implies. */
export function summaryColumnsOf(view: Pick<CaseView, 'steps' | 'closure'>): CaseSummaryColumns {
  let nextDueOn: string | null = null;
  let overdueSteps = 0;
  for (const step of view.steps) {
    if (step.status === 'overdue') overdueSteps += 1;
    // ISO dates order correctly as strings.
    if (PENDING_STATUSES.has(step.status) && (nextDueOn === null || step.dueOn < nextDueOn)) {
      nextDueOn = step.dueOn;
    }
  }
  return { nextDueOn, overdueSteps, closedOn: view.closure?.closedOn ?? null };
}

/** Every column of the `cases` row besides the stored view. */
export interface CaseRowFacts extends CaseSummaryColumns {
  caseId: string;
  pupilRef: string;
  schoolId: string;
  grade: number;
  tovholder: string;
  openedOn: string;
  phase: CaseView['phase'];
  escalationLevel: number;
  version: number;
  /** The school date the statuses were computed for: a newer row never yields to an older one. */
  asOf: string;
}

export function caseRowOf(view: CaseView): CaseRowFacts {
  return {
    caseId: view.caseId,
    pupilRef: view.pupilRef,
    schoolId: view.schoolId,
    grade: view.grade,
    tovholder: view.tovholder,
    openedOn: view.openedOn,
    phase: view.phase,
    escalationLevel: view.escalationLevel,
    version: view.version,
    asOf: view.asOf,
    ...summaryColumnsOf(view),
  };
}

/** A top-level part of the view other than its history (the history is the events themselves). */
export type CaseViewPart = Exclude<keyof CaseView, 'history'>;
export type CaseViewParts = Partial<Omit<CaseView, 'history'>>;

/** The parts of a view as JSON text, to tell which changed since the last recorded step. */
export type RecordedParts = ReadonlyMap<string, string>;

export interface ViewChanges {
  changed: CaseViewParts;
  /** Optional parts the view no longer has (e.g. nextFollowUpDue after follow-up). */
  removed: CaseViewPart[];
  /** What is recorded once this step commits. */
  parts: RecordedParts;
}

/** Every part of the view but its history; a Record so a new part does not compile until listed. */
const VIEW_PARTS: Record<CaseViewPart, true> = {
  caseId: true,
  pupilRef: true,
  schoolId: true,
  grade: true,
  tovholder: true,
  openedOn: true,
  concern: true,
  phase: true,
  steps: true,
  assessment: true,
  plan: true,
  planRevision: true,
  planRevisions: true,
  followUps: true,
  nextFollowUpDue: true,
  escalationLevel: true,
  escalations: true,
  closure: true,
  asOf: true,
  available: true,
  version: true,
  consents: true,
  section49a: true,
  withdrawal: true,
  enteredOn: true,
};

function isPart(key: string): key is CaseViewPart {
  return Object.hasOwn(VIEW_PARTS, key);
}

function copyPart<K extends CaseViewPart>(target: CaseViewParts, view: CaseView, key: K): void {
  target[key] = view[key];
}

/**
 * The view's parts that differ from those last recorded. Comparing JSON text is enough: the
 * view is plain JSON built the same way each time, so equal parts give equal text.
 */
export function viewChangesSince(recorded: RecordedParts, view: CaseView): ViewChanges {
  const changed: CaseViewParts = {};
  const parts = new Map<string, string>();
  for (const key of Object.keys(view)) {
    if (!isPart(key) || view[key] === undefined) continue;
    const text = JSON.stringify(view[key]);
    parts.set(key, text);
    if (recorded.get(key) !== text) copyPart(changed, view, key);
  }
  const removed = [...recorded.keys()].filter((key): key is CaseViewPart => isPart(key) && !parts.has(key));
  return { changed, removed, parts };
}
