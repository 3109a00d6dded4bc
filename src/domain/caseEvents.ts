/**
 * The events a case records, each kind with its own `detail`. The machine writes them, the
 * activities store them (`case_events.detail`, jsonb), and notices, letters, the read model and
 * the OpenAPI document read them: all through these schemas, so a renamed key fails the type
 * check instead of reading `undefined` at run time.
 */
import { z } from 'zod';
import { instant, isoDate, phase } from './fields';

const level = z.number().int().min(1).max(3);

/** The external help the resource team brings in at level 3 of the ladder (seed 004). */
export const externalResource = z.enum(['ppr', 'sundhedsplejerske', 'boerne_og_familieafdelingen']);
export type ExternalResource = z.infer<typeof externalResource>;

/**
 * Who the parents may consent to share with (seed 001: sharing across sectors needs consent).
 * Wider than the ladder's external resources: BUP and another named party can be consented to.
 */
export const consentParty = z.enum(['ppr', 'sundhedsplejerske', 'boerne_og_familieafdelingen', 'bup', 'other']);
export type ConsentParty = z.infer<typeof consentParty>;

/** What a consent (or the §49a exception) lets the school share: the handover package's parts. */
export const consentScope = z.enum(['concern', 'mapping', 'pupil_voice', 'plan']);
export type ConsentScope = z.infer<typeof consentScope>;

export const assessmentDecision = z.enum(['action_plan', 'close']);
export const followUpOutcome = z.enum(['continue', 'revise_plan', 'escalate', 'propose_closure']);
export const concernSource = z.enum(['parents', 'staff', 'pupil', 'absence_data']);
export const bridgingDecision = z.enum(['none', 'civil_society', 'network', 'other']);

/** Each event kind's detail. Keys are the contract with stored rows: add keys, never rename. */
export const CASE_EVENT_DETAILS = {
  opened: z.object({ openedOn: isoDate, source: concernSource }),
  step_done: z.object({ completedOn: isoDate }),
  phase_entered: z.object({ on: isoDate }),
  step_due_soon: z.object({ dueOn: isoDate }),
  step_overdue: z.object({ dueOn: isoDate }),
  step_overdue_leader: z.object({ dueOn: isoDate, schoolDaysLate: z.number().int() }),
  assessment: z.object({ decision: assessmentDecision }),
  plan_revision: z.object({ revision: z.number().int().min(1), measures: z.number().int().min(0) }),
  follow_up: z.object({
    number: z.number().int().min(1),
    outcome: followUpOutcome,
    heldOn: isoDate,
    /** Held before the regular window opened; the reason is free text, never put in a notice. */
    early: z.object({ regularFrom: isoDate, reason: z.string() }).optional(),
  }),
  escalation: z.object({
    level,
    via: z.enum(['escalation', 'follow_up']),
    /** Free text a person typed: shown to the resource team, never put in a notice. */
    reason: z.string(),
    externalResources: z.array(externalResource).optional(),
  }),
  closed: z.object({ bridging: bridgingDecision }),
  deadlines_recomputed: z.object({
    changed: z.array(z.object({ stepId: z.string(), from: isoDate, to: isoDate })),
  }),
  /** The leader gave the case another tovholder; the reason is free text, never put in a notice. */
  tovholder_reassigned: z.object({ from: z.string(), to: z.string(), reason: z.string() }),
  /** The parents' consent to share with one party; its scope names the parts, no free text. */
  consent_recorded: z.object({
    consentId: z.string(),
    party: consentParty,
    scope: z.array(consentScope),
    givenOn: isoDate,
    recordedBy: z.string(),
  }),
  consent_withdrawn: z.object({ consentId: z.string(), party: consentParty, withdrawnOn: isoDate, recordedBy: z.string() }),
  /** The §49a exception (once per case); its justification is free text, kept out of the event. */
  section49a_recorded: z.object({ parties: z.array(consentParty), scope: z.array(consentScope), decidedOn: isoDate, recordedBy: z.string() }),
  /** A mistake put right: each field with its value before and after, and why (free text). */
  corrected: z.object({
    changes: z.array(
      z.discriminatedUnion('field', [
        z.object({ field: z.literal('openedOn'), from: isoDate, to: isoDate }),
        z.object({ field: z.literal('grade'), from: z.number().int(), to: z.number().int() }),
        z.object({ field: z.literal('pupilRef'), from: z.string(), to: z.string() }),
      ]),
    ),
    reason: z.string(),
  }),
  /** A case opened in error, withdrawn: it leaves lists and analytics, its record stays. */
  withdrawn: z.object({ reason: z.string() }),
} as const;

export type CaseEventType = keyof typeof CASE_EVENT_DETAILS;
export type CaseEventDetail<E extends CaseEventType> = z.infer<(typeof CASE_EVENT_DETAILS)[E]>;

/**
 * An event's kind with its detail, as the machine records it (context.ts `withEntry`): each kind
 * paired with its own detail, so the machine builds entries without parsing (no zod in the
 * workflow sandbox) and a wrong detail does not compile.
 */
export type CaseEventPayload = { [K in CaseEventType]: { event: K; detail: CaseEventDetail<K> } }[CaseEventType];

export const caseEventType = z.enum([
  'opened',
  'step_done',
  'phase_entered',
  'step_due_soon',
  'step_overdue',
  'step_overdue_leader',
  'assessment',
  'plan_revision',
  'follow_up',
  'escalation',
  'closed',
  'deadlines_recomputed',
  'tovholder_reassigned',
  'consent_recorded',
  'consent_withdrawn',
  'section49a_recorded',
  'corrected',
  'withdrawn',
] satisfies CaseEventType[]);

/** The fields every entry has besides its kind and detail. */
const entryBase = {
  seq: z.number().int().min(1),
  at: instant.meta({ description: 'When the event was recorded' }),
  on: isoDate.meta({ description: 'The school date the event took effect (an opening, a meeting, a deadline passing)' }),
};

/** `detail` is optional: a row recorded before its kind had a detail carries none. */
const detailOf = <E extends CaseEventType>(event: E) => z.optional(CASE_EVENT_DETAILS[event]);

const entry = <E extends CaseEventType>(event: E) =>
  z.object({
    ...entryBase,
    event: z.literal(event),
    phase,
    stepId: z.string().optional(),
    detail: detailOf(event),
  });

/** An entry of the case's history: one schema per kind, discriminated on `event`. */
export const historyEntry = z
  .discriminatedUnion('event', [
    entry('opened'),
    entry('step_done'),
    entry('phase_entered'),
    entry('step_due_soon'),
    entry('step_overdue'),
    entry('step_overdue_leader'),
    entry('assessment'),
    entry('plan_revision'),
    entry('follow_up'),
    entry('escalation'),
    entry('closed'),
    entry('deadlines_recomputed'),
    entry('tovholder_reassigned'),
    entry('consent_recorded'),
    entry('consent_withdrawn'),
    entry('section49a_recorded'),
    entry('corrected'),
    entry('withdrawn'),
  ])
  .meta({ id: 'HistoryEntry' });
export type HistoryEntry = z.infer<typeof historyEntry>;

const timelineEntry = <E extends CaseEventType>(type: E) =>
  z.object({
    seq: entryBase.seq,
    at: entryBase.at,
    on: isoDate.meta({ description: 'The school date it took effect' }),
    type: z.literal(type),
    phase,
    stepId: z.string().optional(),
    detail: detailOf(type),
  });

/** The same events as the read model's timeline shows them: discriminated on `type`. */
export const timelineEvent = z
  .discriminatedUnion('type', [
    timelineEntry('opened'),
    timelineEntry('step_done'),
    timelineEntry('phase_entered'),
    timelineEntry('step_due_soon'),
    timelineEntry('step_overdue'),
    timelineEntry('step_overdue_leader'),
    timelineEntry('assessment'),
    timelineEntry('plan_revision'),
    timelineEntry('follow_up'),
    timelineEntry('escalation'),
    timelineEntry('closed'),
    timelineEntry('deadlines_recomputed'),
    timelineEntry('tovholder_reassigned'),
    timelineEntry('consent_recorded'),
    timelineEntry('consent_withdrawn'),
    timelineEntry('section49a_recorded'),
    timelineEntry('corrected'),
    timelineEntry('withdrawn'),
  ])
  .meta({ id: 'TimelineEvent' });
export type TimelineEvent = z.infer<typeof timelineEvent>;

/** The entry of one kind. */
export type HistoryEntryOf<E extends CaseEventType> = Extract<HistoryEntry, { event: E }>;
/** `Pick` for each kind apart, so `event` still tells which `detail` goes with it. */
export type HistoryEntryPick<K extends keyof HistoryEntry> = HistoryEntry extends infer E
  ? E extends HistoryEntry
    ? Pick<E, K>
    : never
  : never;

/**
 * A key of one kind's detail, for SQL that reads it (`detail ->> 'level'`): the key is checked
 * against the schema when type-checked, and test/readModel checks the stored rows parse with it.
 */
export function detailKey<E extends CaseEventType>(_event: E, key: keyof CaseEventDetail<E> & string): string {
  return key;
}

/**
 * Event kinds as an SQL literal list (`e.type IN (${eventTypesSql('escalation', 'closed')})`), so
 * the names SQL filters on are checked against the declared kinds when type-checked; the kinds are
 * plain identifiers, so quoting them is safe. test/readModel/eventTypesInSql.test.ts makes sure no
 * SQL in src/ names a kind by hand.
 */
export function eventTypesSql(...types: [CaseEventType, ...CaseEventType[]]): string {
  return types.map((type) => `'${caseEventType.parse(type)}'`).join(', ');
}
