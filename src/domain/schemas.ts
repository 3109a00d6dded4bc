/**
 * The shapes of the HTTP contract (API.md), as zod schemas. The API validates with them, the
 * workflow's update validators validate with them, and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import {
  assessmentDecision,
  bridgingDecision,
  concernSource,
  consentParty,
  consentScope,
  externalResource,
  followUpOutcome,
  historyEntry,
} from './caseEvents';
import { daysBetween } from './dates';
import { MEASURE_TRACKS, type MeasureTrack } from './measureTracks';
import { OFFERED_ACTION_NAMES } from '../machines/case/actions';
import { instant, isAcceptedDate, isoDate, phase } from './fields';

const bothDates = (range: { from: string; to: string }) => isAcceptedDate(range.from) && isAcceptedDate(range.to);

export { MEASURE_TRACKS } from './measureTracks';
export { EARLIEST_DATE, LATEST_DATE, instant, isoDate, phase, type Phase } from './fields';
export {
  assessmentDecision,
  bridgingDecision,
  caseEventType,
  concernSource,
  consentParty,
  consentScope,
  externalResource,
  followUpOutcome,
  historyEntry,
  type CaseEventType,
  type ConsentParty,
  type ConsentScope,
  type ExternalResource,
  type HistoryEntry,
} from './caseEvents';

/**
 * NUL and unpaired UTF-16 surrogates: PostgreSQL stores neither (jsonb refuses `\u0000` and a
 * lone `\ud800`, text columns refuse NUL), and an event it cannot store would be retried forever.
 */
const UNSTORABLE = /[\0\p{Cs}]/u;

/** Every string a person types goes through this, so what cannot be stored is refused at the edge. */
export function freeText() {
  return z.string().refine((value) => !UNSTORABLE.test(value), {
    message: 'contains a character that cannot be stored (NUL or an unpaired surrogate)',
    abort: true,
  });
}

/**
 * Refuses the shape of a Danish CPR number anywhere: ten digits in a row, or a date-like DDMMYY and
 * four digits with the separators people type between the groups (`010203-1234`, `010203.1234`,
 * `010203_1234`, `01-02-03-1234`, `01.02.03-1234`, `0102-03-1234`, spaces). With separators, DD
 * must be 01–31 and MM 01–12, so references like `2024-0001-0002` stay allowed. A regex (not a
 * refinement) so the OpenAPI document carries the rule too.
 */
const notCprShaped = /^(?!.*(?:\d{10}|(?:0[1-9]|[12]\d|3[01])[-._ ]?(?:0[1-9]|1[0-2])[-._ ]?\d{2}[-._ ]?\d{4}))/;

export const pupilRef = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
  .regex(notCprShaped, { message: 'looks like a CPR number; use the school’s pseudonymous pupil reference' })
  .meta({ description: 'The school’s pseudonymous pupil reference; never a name or CPR number', example: 'P-4711' });

export const schoolId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'may contain only letters, digits, "_" and "-"' })
  .meta({ example: 'S1' });

export const tovholder = freeText().trim().min(1).max(120).meta({ example: 'tovholder-kim' });


export const track = z.enum(['A', 'B', 'C']);
export const stepStatus = z.enum(['open', 'due_soon', 'overdue', 'done', 'cancelled']);
export type StepStatus = z.infer<typeof stepStatus>;

const externalResources = z
  .array(externalResource)
  .min(1)
  .max(3)
  .refine((list) => new Set(list).size === list.length, { message: 'names the same resource twice' })
  .optional()
  .meta({ description: 'At level 3: PPR, the health nurse and/or the children and family department' });


export const openCaseInput = z
  .object({
    pupilRef,
    schoolId,
    grade: z.number().int().min(0).max(10),
    tovholder,
    openedOn: isoDate,
    concern: z.object({ source: concernSource, note: freeText().max(4000).optional() }).strict(),
  })
  .strict()
  .meta({ id: 'OpenCase' });
export type OpenCaseInput = z.infer<typeof openCaseInput>;

export const completeStepInput = z
  .object({ completedOn: isoDate.optional(), note: freeText().max(4000).optional() })
  .strict()
  .meta({ id: 'CompleteStep' });
export type CompleteStepInput = z.infer<typeof completeStepInput>;

/** When an action took effect, if not today: a case kept on paper is entered with its real dates. */
const effectiveOn = (what: string) =>
  isoDate.optional().meta({ description: `The date ${what}; today when left out. Not in the future.` });

/** Why the case goes to an external party without consent on file (level 3): free text, kept from notices. */
const withoutConsentReason = freeText()
  .trim()
  .min(1)
  .max(2000)
  .optional()
  .meta({ description: 'At level 3, for a resource with neither consent on file nor the §49a record: why the case goes there anyway' });

export const assessmentInput = z
  .object({
    decision: assessmentDecision,
    rationale: freeText().trim().min(1).max(4000),
    decidedOn: effectiveOn('the assessment was made'),
  })
  .strict()
  .meta({ id: 'Assessment' });
export type AssessmentInput = z.infer<typeof assessmentInput>;

export const measureTrack = z.enum(MEASURE_TRACKS);
export type { MeasureTrack };

export const measureInput = z
  .object({
    measureId: freeText()
      .max(32)
      .optional()
      .meta({ description: 'Give the id of a measure in the current plan to carry it into the revision' }),
    track: measureTrack,
    description: freeText().trim().min(1).max(2000),
    responsible: freeText().trim().min(1).max(120),
    startsOn: isoDate,
    reviewOn: isoDate,
  })
  .strict();
export type MeasureInput = z.infer<typeof measureInput>;

export const planInput = z
  .object({ measures: z.array(measureInput).min(1).max(50), adoptedOn: effectiveOn('the plan was adopted') })
  .strict()
  .meta({ id: 'PlanRevisionInput' });
export type PlanInput = z.infer<typeof planInput>;

export const reviewInput = z
  .object({
    measureId: freeText().min(1).max(32),
    done: z.boolean(),
    effect: z.enum(['none', 'some', 'clear']),
    action: z.enum(['keep', 'adjust', 'replace', 'stop']),
  })
  .strict();
export type ReviewInput = z.infer<typeof reviewInput>;

export const followUpInput = z
  .object({
    heldOn: isoDate,
    reviews: z.array(reviewInput).max(50),
    outcome: followUpOutcome,
    nextFollowUpOn: isoDate.optional().meta({ description: '8 to 12 weeks after heldOn; 8 weeks when left out' }),
    externalResources,
    withoutConsentReason,
    earlyReason: freeText()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: 'Why the follow-up is held early: before the plan’s first review date, or less than 8 weeks after the previous follow-up. Required then, refused otherwise' }),
  })
  .strict()
  .meta({ id: 'FollowUpInput' });
export type FollowUpInput = z.infer<typeof followUpInput>;

export const escalationInput = z
  .object({
    reason: freeText().trim().min(1).max(2000),
    externalResources,
    escalatedOn: effectiveOn('the escalation was decided'),
    withoutConsentReason,
    request: freeText()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: 'What the receiver (the resource team, at level 3 the external partner) is asked to do; shown in the handover package' }),
  })
  .strict()
  .meta({ id: 'EscalationInput' });
export type EscalationInput = z.infer<typeof escalationInput>;

const consentScopes = z
  .array(consentScope)
  .min(1)
  .max(consentScope.options.length)
  .refine((list) => new Set(list).size === list.length, { message: 'names the same part twice' })
  .meta({ description: 'What may be shared: concern, mapping, pupil_voice (the pupil’s own words), plan (plans and follow-ups)' });

export const consentInput = z
  .object({
    party: consentParty,
    partyName: freeText().trim().min(1).max(120).optional().meta({ description: 'The party’s name when party is "other"' }),
    givenOn: isoDate.meta({ description: 'The date the parents gave their consent; not in the future' }),
    scope: consentScopes,
  })
  .strict()
  .meta({ id: 'ConsentInput' });
export type ConsentInput = z.infer<typeof consentInput>;

export const consentWithdrawalInput = z
  .object({ withdrawnOn: effectiveOn('the parents withdrew the consent') })
  .strict()
  .meta({ id: 'ConsentWithdrawalInput' });
export type ConsentWithdrawalInput = z.infer<typeof consentWithdrawalInput>;

export const section49aInput = z
  .object({
    parties: z
      .array(consentParty.exclude(['other']))
      .min(1)
      .max(4)
      .refine((list) => new Set(list).size === list.length, { message: 'names the same party twice' }),
    scope: consentScopes,
    justification: freeText().trim().min(1).max(4000),
    decidedOn: effectiveOn('the exception was decided'),
  })
  .strict()
  .meta({ id: 'Section49aInput' });
export type Section49aInput = z.infer<typeof section49aInput>;

export const criteria = z
  .object({
    regularAttendance: z.boolean(),
    wellbeingImproving: z.boolean(),
    communityChallengesReduced: z.boolean(),
    pupilMotivated: z.boolean(),
    partiesAgree: z.boolean(),
    measuresToKeep: z.array(freeText().max(2000)).max(50),
  })
  .strict();
export type Criteria = z.infer<typeof criteria>;

export const closureInput = z
  .object({
    criteria,
    relapsePreventionPlan: freeText().max(8000),
    bridging: z.object({ decision: bridgingDecision, note: freeText().max(2000).optional() }).strict(),
    closedOn: effectiveOn('the case was closed'),
  })
  .strict()
  .meta({ id: 'ClosureInput' });
export type ClosureInput = z.infer<typeof closureInput>;

/** Longer than the summer holiday (about 7 weeks) with room to spare; a school is not closed for a quarter. */
export const MAX_HOLIDAY_DAYS = 92;

export const holiday = z
  .object({ from: isoDate, to: isoDate, name: freeText().trim().min(1).max(120) })
  .strict()
  // These run even when a date above failed (zod goes on): they judge only two good dates.
  .refine((value) => !bothDates(value) || value.to >= value.from, { message: 'a holiday cannot end before it starts', path: ['to'] })
  // Every day of a holiday is expanded when deadlines are counted; a school year has no longer break.
  .refine((value) => !bothDates(value) || daysBetween(value.from, value.to) < MAX_HOLIDAY_DAYS, {
    message: `a holiday lasts at most ${MAX_HOLIDAY_DAYS} days`,
    path: ['to'],
  })
  .meta({ id: 'Holiday' });
export type HolidayInput = z.infer<typeof holiday>;

/** The days a school is closed besides weekends: what a case's deadlines count on. */
export const schoolCalendar = z
  .object({ daysOff: z.array(holiday).max(400) })
  .strict()
  .meta({ id: 'SchoolCalendar' });

/** Recomputing takes no body: the calendar comes from the school's settings. */
export const recomputeDeadlinesRequest = z.object({}).strict().meta({ id: 'RecomputeDeadlinesRequest' });
export const recomputeDeadlinesInput = z.object({ calendar: schoolCalendar }).strict();

// ---- The views the API answers with -------------------------------------------------------

export const step = z
  .object({
    stepId: z.string(),
    phase,
    track: track.optional(),
    title: z.string(),
    dueOn: isoDate,
    status: stepStatus,
    completedOn: isoDate.optional(),
    createdOn: isoDate.meta({ description: 'The school date the step came into being' }),
  })
  .meta({ id: 'Step' });
export type Step = z.infer<typeof step>;

export const measure = measureInput.extend({ measureId: z.string() }).meta({ id: 'Measure' });
export type Measure = z.infer<typeof measure>;

export const plan = z
  .object({ revision: z.number().int().min(1), adoptedOn: isoDate, measures: z.array(measure) })
  .meta({ id: 'Plan' });
export type Plan = z.infer<typeof plan>;

export const followUp = z
  .object({
    number: z.number().int().min(1),
    heldOn: isoDate,
    reviews: z.array(reviewInput),
    outcome: followUpOutcome,
    nextFollowUpOn: isoDate.optional(),
    planRevision: z.number().int(),
    early: z
      .object({ regularFrom: isoDate, reason: z.string() })
      .optional()
      .meta({ description: 'Held before the regular window opened (regularFrom), with the reason given' }),
  })
  .meta({ id: 'FollowUp' });
export type FollowUp = z.infer<typeof followUp>;

export const escalation = z
  .object({
    level: z.number().int().min(1).max(3),
    reason: z.string(),
    on: isoDate,
    via: z.enum(['escalation', 'follow_up']),
    externalResources: z.array(externalResource).optional(),
    withoutConsentReason: z.string().optional(),
    request: z.string().optional(),
  })
  .meta({ id: 'Escalation' });
export type Escalation = z.infer<typeof escalation>;

export const closureWarning = z
  .object({
    code: z.literal('closing_before_holiday'),
    message: z.string(),
    holiday: z.object({ from: isoDate, to: isoDate, name: z.string().optional() }),
  })
  .meta({ id: 'ClosureWarning' });
export type ClosureWarning = z.infer<typeof closureWarning>;

export const closure = closureInput
  .extend({ closedOn: isoDate, warnings: z.array(closureWarning).optional() })
  .meta({ id: 'Closure' });
export type Closure = z.infer<typeof closure>;

export const consent = z
  .object({
    consentId: z.string(),
    party: consentParty,
    partyName: z.string().optional(),
    givenOn: isoDate,
    scope: z.array(consentScope),
    recordedBy: z.string(),
    recordedOn: isoDate,
    withdrawnOn: isoDate.optional(),
    withdrawalRecordedBy: z.string().optional(),
  })
  .meta({ id: 'Consent' });
export type Consent = z.infer<typeof consent>;

export const section49a = z
  .object({
    parties: z.array(consentParty),
    scope: z.array(consentScope),
    justification: z.string(),
    decidedOn: isoDate,
    recordedBy: z.string(),
  })
  .meta({ id: 'Section49a' });
export type Section49a = z.infer<typeof section49a>;


/** The actions a case offers, by the machine's own event names: the declared ones screens offer, in their order. */
export const caseAction = z.enum(OFFERED_ACTION_NAMES);
export type CaseAction = z.infer<typeof caseAction>;

export const availableActionsView = z
  .object({
    actions: z.array(caseAction),
    steps: z.array(z.string()).meta({ description: 'The steps that can be marked done now' }),
  })
  .meta({
    id: 'AvailableActions',
    description: 'What the case allows now, as the state machine says; rules that depend on the input are checked when the action is sent',
  });
export type AvailableActions = z.infer<typeof availableActionsView>;

export const caseView = z
  .object({
    caseId: z.string(),
    pupilRef: z.string(),
    schoolId: z.string(),
    grade: z.number().int(),
    tovholder: z.string(),
    openedOn: isoDate,
    enteredOn: isoDate
      .optional()
      .meta({ description: 'The school date the case was entered into the service (later than openedOn for a case begun on paper)' }),
    concern: openCaseInput.shape.concern,
    phase,
    steps: z.array(step),
    assessment: z
      .object({ decision: assessmentDecision, rationale: z.string(), decidedOn: isoDate })
      .optional(),
    plan: plan.nullable(),
    planRevision: z.number().int().min(0),
    planRevisions: z.array(plan),
    followUps: z.array(followUp),
    nextFollowUpDue: isoDate.optional(),
    escalationLevel: z.number().int().min(0).max(3),
    escalations: z.array(escalation),
    closure: closure.optional(),
    consents: z.array(consent).optional().meta({ description: 'The parents’ consents, withdrawn ones included; absent on cases recorded before consents existed' }),
    section49a: section49a.optional(),
    withdrawal: z
      .object({ on: isoDate, reason: z.string() })
      .optional()
      .meta({ description: 'Set when the case was withdrawn as opened in error; it is then left out of lists and analytics' }),
    history: z.array(historyEntry),
    asOf: isoDate.meta({ description: 'The school date the step statuses were last computed for' }),
    available: availableActionsView.optional(),
    version: z.number().int().meta({ description: 'The sequence number of the newest history entry' }),
  })
  .meta({ id: 'Case' });
export type CaseView = z.infer<typeof caseView>;

export const caseSummary = z
  .object({
    caseId: z.string(),
    pupilRef: z.string(),
    schoolId: z.string(),
    grade: z.number().int(),
    tovholder: z.string(),
    openedOn: isoDate,
    phase,
    escalationLevel: z.number().int(),
    nextDueOn: isoDate.nullable(),
    overdueSteps: z.number().int(),
    updatedAt: instant,
  })
  .meta({ id: 'CaseSummary' });
export type CaseSummary = z.infer<typeof caseSummary>;

export const listCasesQuery = z
  .object({ schoolId: schoolId.optional(), phase: phase.optional(), tovholder: tovholder.optional() })
  .strict();
export type ListCasesQuery = z.infer<typeof listCasesQuery>;

/** The notes written when the mapping's tracks were marked done: free text, read only for the handover package. */
export const mappingNotes = z
  .object({ class_community: z.string().optional(), pupil_conversation: z.string().optional(), parent_conversation: z.string().optional() })
  .meta({ id: 'MappingNotes' });
export type MappingNotes = z.infer<typeof mappingNotes>;

/*
 * The update inputs of the declared case actions whose input differs from their body, and the
 * bodies declared nowhere else. Declarations name them through the schema kit (schemaKit.ts).
 */

/** Who sent an action that records it: filled in from the caller's token, never from the body. */
export const recordedBy = z.string().min(1).max(120);

export const completeStepUpdateInput = completeStepInput.extend({ stepId: z.string().min(1).max(64) });
export type CompleteStepUpdateInput = z.infer<typeof completeStepUpdateInput>;

export const consentUpdateInput = consentInput.extend({ recordedBy }).meta({ id: 'ConsentUpdate' });
export const section49aUpdateInput = section49aInput.extend({ recordedBy }).meta({ id: 'Section49aUpdate' });
export const consentWithdrawalUpdateInput = consentWithdrawalInput
  .extend({ consentId: z.string().regex(/^C\d{1,4}$/), recordedBy })
  .meta({ id: 'ConsentWithdrawalUpdate' });

export const tovholderReassignment = z
  .object({ tovholder, reason: freeText().trim().min(1).max(2000) })
  .strict()
  .meta({ id: 'TovholderReassignment' });

export const caseWithdrawalInput = z
  .object({ reason: freeText().trim().min(1).max(2000) })
  .strict()
  .meta({ id: 'CaseWithdrawal' });

export const caseCorrectionInput = z
  .object({
    openedOn: isoDate.optional().meta({ description: 'The right opening date (not in the future, not after the first recorded action)' }),
    grade: z.number().int().min(0).max(10).optional(),
    pupilRef: pupilRef.optional(),
    reason: freeText().trim().min(1).max(2000),
  })
  .strict()
  .meta({ id: 'CaseCorrection' });
