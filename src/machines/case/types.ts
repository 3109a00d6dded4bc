import type {
  AssessmentInput,
  ClosureInput,
  ClosureWarning,
  Consent,
  Criteria,
  Escalation,
  FollowUp,
  HistoryEntry,
  OpenCaseInput,
  Phase,
  Plan,
  Section49a,
  Step,
} from '../../domain/schemas';
import type { IsoDate } from '../../domain/dates';
import type { SchoolCalendar } from '../../domain/calendar';
import type { ActionCommand, CaseActionDeclaration, DeclaredCaseAction } from './actions';
import type { DeadlineThresholds } from './deadlines';

/** What the machine starts from: the leader's decision to open, and the instant it was made. */
export interface CaseInput extends OpenCaseInput {
  caseId: string;
  /** ISO instant of the opening, in the workflow's time. */
  at: string;
  /** The school's calendar at opening; the case's deadlines count on it. Weekdays only if absent. */
  calendar?: SchoolCalendar;
  /** When "due soon" begins and when the leader hears of a late step; the defaults if absent. */
  thresholds?: DeadlineThresholds;
  /** Level 3 asks for consent on file (cases opened before the rule existed replay without it). */
  consentBeforeExternal?: boolean;
  /**
   * The rules a case runs by (RULES_VERSION); cases opened before a rule changed keep theirs, so
   * their recorded histories replay the same. Absent: version 1.
   */
  rulesVersion?: number;
}

export interface StepState extends Step {
  note?: string;
  /** Set once the school leader has been told the step is long overdue. */
  leaderAlerted?: boolean;
}

export interface CaseContext {
  caseId: string;
  pupilRef: string;
  schoolId: string;
  grade: number;
  tovholder: string;
  openedOn: IsoDate;
  concern: OpenCaseInput['concern'];
  /** The Danish date of the newest event: the machine's only notion of "now". */
  today: IsoDate;
  /** The calendar the deadlines were computed with; kept when the school's settings change later. */
  calendar: SchoolCalendar;
  thresholds: DeadlineThresholds;
  /** See CaseInput.rulesVersion; absent in cases opened before it existed (version 1). */
  rulesVersion?: number;
  phase: Phase;
  steps: StepState[];
  assessment?: { decision: AssessmentInput['decision']; rationale: string; decidedOn: IsoDate };
  plans: Plan[];
  followUps: FollowUp[];
  nextFollowUpDue?: IsoDate;
  escalationLevel: number;
  escalations: Escalation[];
  closure?: ClosureInput & { closedOn: IsoDate; warnings?: ClosureWarning[] };
  /** Set when the case was withdrawn as opened in error; its record stays. */
  withdrawal?: { on: IsoDate; reason: string };
  planRevisionRequested: boolean;
  closureProposed: boolean;
  /**
   * The parents' consents (withdrawn ones kept) and the §49a record. Optional: a snapshot saved
   * before consents existed restores without them.
   */
  consents?: Consent[];
  section49a?: Section49a;
  /** Whether level 3 requires consent, §49a or a stated reason; absent on cases opened before the rule. */
  consentBeforeExternal?: boolean;
  history: HistoryEntry[];
  /** Sequence number of the newest history entry. */
  seq: number;
  /** Sequence number of the newest entry already announced with `emit`. */
  announcedSeq: number;
  nextMeasureNumber: number;
}

type At = { at: string };

/** The command each declared action sends (actions/), derived from its input schema. */
type CommandOf<A> = A extends CaseActionDeclaration<infer N, infer I, infer _B> ? ActionCommand<N, I> : never;

export type CaseCommand = CommandOf<DeclaredCaseAction>;

export type CaseEvent = CaseCommand | ({ type: 'clock.tick' } & At);

/** What the machine announces; the workflow turns it into activity calls. */
export type CaseEmitted = { type: 'case.recorded'; entry: HistoryEntry };

export type { Criteria };
