/**
 * Which announced case event becomes a notice, of what kind, for whom. Pure: the activity that
 * queues notices and the tests share this one reading of the machine's history entries.
 *
 * - a step becomes due soon or overdue → the case's tovholder;
 * - a step is more than ten school days overdue (`step_overdue_leader`) → the school leader;
 * - the case enters follow-up (the follow-up window opens) → the tovholder;
 * - every escalation → the resource team, urgent (sent at once, not in the daily digest);
 * - a new tovholder → both the one leaving and the one taking over.
 */
import type { HistoryEntryPick } from '../domain/caseEvents';
import type { CaseView } from '../domain/schemas';
import { passedBeforeEntry } from '../machines/case/deadlines';

export const NOTICE_KINDS = ['step_due_soon', 'step_overdue', 'step_overdue_leader', 'follow_up_window_open', 'escalation', 'tovholder_reassigned'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_ROLES = ['tovholder', 'leader', 'resource_team'] as const;
export type NoticeRole = (typeof NOTICE_ROLES)[number];

export const NOTICE_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/**
 * What a notice says besides its kind. Identifiers, dates and numbers only: never the free text
 * a person typed (an escalation's reason, a note), which may name a child.
 */
export interface NoticeFacts {
  /** The step's title as the case names it (fixed Danish titles, not user text). */
  stepTitle?: string;
  dueOn?: string;
  schoolDaysLate?: number;
  /** Escalations: the level reached and whether it came from a follow-up. */
  level?: number;
  via?: 'escalation' | 'follow_up';
  /** follow_up_window_open: when the first follow-up is due. */
  firstFollowUpDue?: string;
  /** tovholder_reassigned: who carried the case and who carries it now (ids, not the reason). */
  fromTovholder?: string;
  toTovholder?: string;
  /** The school date the event took effect. */
  on: string;
}

/** A notice as the queueing activity writes it; the address is looked up only at delivery. */
export interface NoticeToQueue {
  caseId: string;
  schoolId: string;
  /** The seq of the history entry that called for it. */
  sourceSeq: number;
  kind: NoticeKind;
  role: NoticeRole;
  /** The tovholder's id as the case names it (role 'tovholder' only). */
  tovholder?: string;
  stepId?: string;
  urgent: boolean;
  facts: NoticeFacts;
}

type Entry = HistoryEntryPick<'seq' | 'event' | 'phase' | 'on' | 'stepId' | 'detail'>;
type Case = Pick<CaseView, 'caseId' | 'schoolId' | 'tovholder' | 'steps' | 'nextFollowUpDue'> & Partial<Pick<CaseView, 'enteredOn'>>;

type StepEntry = Extract<Entry, { event: 'step_due_soon' | 'step_overdue' | 'step_overdue_leader' }>;

function stepFacts(entry: StepEntry, view: Case): Pick<NoticeFacts, 'stepTitle' | 'dueOn'> {
  const step = view.steps.find((candidate) => candidate.stepId === entry.stepId);
  const dueOn = entry.detail?.dueOn ?? step?.dueOn;
  return { ...(step ? { stepTitle: step.title } : {}), ...(dueOn !== undefined ? { dueOn } : {}) };
}

/** A deadline that had passed before the case was entered (a paper case entered late) is not news. */
function passedBeforeCaseEntered(entry: StepEntry, view: Case): boolean {
  const dueOn = stepFacts(entry, view).dueOn;
  return view.enteredOn !== undefined && dueOn !== undefined && passedBeforeEntry(dueOn, view.enteredOn);
}

/** The notice an announced entry calls for, or undefined when it calls for none. */
export function noticeFor(entry: Entry, view: Case): NoticeToQueue | undefined {
  if ((entry.event === 'step_due_soon' || entry.event === 'step_overdue' || entry.event === 'step_overdue_leader') && passedBeforeCaseEntered(entry, view)) {
    return undefined;
  }
  const base = { caseId: view.caseId, schoolId: view.schoolId, sourceSeq: entry.seq };
  const forTovholder = { ...base, role: 'tovholder' as const, tovholder: view.tovholder, urgent: false };
  switch (entry.event) {
    case 'step_due_soon':
    case 'step_overdue':
      if (entry.stepId === undefined) return undefined;
      return { ...forTovholder, kind: entry.event, stepId: entry.stepId, facts: { on: entry.on, ...stepFacts(entry, view) } };
    case 'step_overdue_leader': {
      if (entry.stepId === undefined) return undefined;
      const late = entry.detail?.schoolDaysLate;
      return {
        ...base,
        kind: 'step_overdue_leader',
        role: 'leader',
        stepId: entry.stepId,
        urgent: false,
        facts: { on: entry.on, ...stepFacts(entry, view), ...(late !== undefined ? { schoolDaysLate: late } : {}) },
      };
    }
    case 'phase_entered': {
      if (entry.phase !== 'follow_up') return undefined;
      // The phase starts with its first follow-up step; the notice points at it.
      const first = view.steps.find((step) => step.stepId === 'follow_up_1');
      const due = first?.dueOn ?? view.nextFollowUpDue;
      // A paper case entered after its first follow-up was due: that window is history, not news.
      if (due !== undefined && view.enteredOn !== undefined && passedBeforeEntry(due, view.enteredOn)) return undefined;
      return {
        ...forTovholder,
        kind: 'follow_up_window_open',
        ...(first ? { stepId: first.stepId } : {}),
        facts: { on: entry.on, ...(due !== undefined ? { firstFollowUpDue: due } : {}) },
      };
    }
    case 'escalation': {
      const level = entry.detail?.level;
      const via = entry.detail?.via ?? 'escalation';
      return {
        ...base,
        kind: 'escalation',
        role: 'resource_team',
        urgent: true,
        facts: { on: entry.on, via, ...(level !== undefined ? { level } : {}) },
      };
    }
    default:
      return undefined;
  }
}

/** A new tovholder: one notice to each of the two, both from the same entry. */
function reassignmentNotices(entry: Extract<Entry, { event: 'tovholder_reassigned' }>, view: Case): NoticeToQueue[] {
  if (entry.detail === undefined) return [];
  const { from, to } = entry.detail;
  const facts = { on: entry.on, fromTovholder: from, toTovholder: to };
  const base = { caseId: view.caseId, schoolId: view.schoolId, sourceSeq: entry.seq, kind: 'tovholder_reassigned' as const, role: 'tovholder' as const, urgent: false };
  return [from, to].map((tovholder) => ({ ...base, tovholder, facts }));
}

/** Every notice the entries call for, in their order. */
export function noticesFor(entries: readonly Entry[], view: Case): NoticeToQueue[] {
  return entries.flatMap((entry) => {
    if (entry.event === 'tovholder_reassigned') return reassignmentNotices(entry, view);
    const notice = noticeFor(entry, view);
    return notice ? [notice] : [];
  });
}
