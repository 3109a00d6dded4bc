/**
 * The handover package (issue 16, item 2): what the resource team, and at level 3 the external
 * partner, receives when a case is escalated. Pure: built from the case's view and its mapping
 * notes. For an external partner every part is left out that the parents' consent (or the §49a
 * record) for that partner does not cover; the resource team works inside the school and gets
 * the whole case.
 */
import { z } from 'zod';
import type { DomainError } from '../domain/errors';
import {
  consentScope,
  externalResource,
  type CaseView,
  type Consent,
  type ConsentScope,
  type ExternalResource,
  type MappingNotes,
  type Section49a,
} from '../domain/schemas';

export const handoverReceiver = z.union([z.literal('resource_team'), externalResource]).meta({
  description: 'resource_team, or at level 3 one of the external resources the case was escalated to',
});
export type HandoverReceiver = z.infer<typeof handoverReceiver>;

export const handoverQuery = z.object({ receiver: handoverReceiver.default('resource_team') }).strict();

/** How the partner may receive the case: consent, §49a, or neither (a reason was stated). */
export type SharingBasis = 'internal' | 'consent' | 'section49a' | 'without_consent';

export interface MeasureReview {
  followUp: number;
  heldOn: string;
  done: boolean;
  effect: 'none' | 'some' | 'clear';
  action: 'keep' | 'adjust' | 'replace' | 'stop';
}

export interface HandoverPackage {
  caseId: string;
  pupilRef: string;
  /** The pupil's name from the school's directory, filled in when the package is read (never in Temporal). */
  pupilName?: string;
  schoolId: string;
  grade: number;
  tovholder: string;
  receiver: HandoverReceiver;
  basis: SharingBasis;
  level: number;
  escalatedOn: string;
  /** The parts the package holds, and those left out because the consent does not cover them. */
  covered: ConsentScope[];
  leftOut: ConsentScope[];
  /** What the receiver is asked to do (the escalation's request; its reason when none was written). */
  request: string;
  withoutConsentReason?: string;
  concern?: {
    source: CaseView['concern']['source'];
    note?: string;
    openedOn: string;
    phase: CaseView['phase'];
    assessment?: { decision: 'action_plan' | 'close'; rationale: string; decidedOn: string };
    escalations: { level: number; on: string; reason: string }[];
  };
  mapping?: { stepId: 'class_community' | 'pupil_conversation' | 'parent_conversation'; track: 'A' | 'B' | 'C'; completedOn?: string; finding?: string }[];
  pupilVoice?: { heldOn?: string; words?: string };
  plans?: {
    revision: number;
    adoptedOn: string;
    measures: (CaseView['planRevisions'][number]['measures'][number] & { reviews: MeasureReview[] })[];
  }[];
  followUps?: CaseView['followUps'];
  consents: Consent[];
  section49a?: Omit<Section49a, 'justification'> & { justification?: string };
}

const MAPPING_TRACKS = [
  { stepId: 'class_community', track: 'A' },
  { stepId: 'pupil_conversation', track: 'B' },
  { stepId: 'parent_conversation', track: 'C' },
] as const;

const ALL_PARTS: readonly ConsentScope[] = consentScope.options;

/** The parts an external partner may receive, and on what basis. */
function sharingFor(view: CaseView, party: ExternalResource): { basis: SharingBasis; covered: Set<ConsentScope> } {
  const covered = new Set<ConsentScope>();
  const active = (view.consents ?? []).filter((consent) => consent.party === party && consent.withdrawnOn === undefined);
  for (const consent of active) for (const part of consent.scope) covered.add(part);
  const exception = view.section49a?.parties.includes(party) === true ? view.section49a : undefined;
  for (const part of exception?.scope ?? []) covered.add(part);
  if (active.length > 0) return { basis: 'consent', covered };
  if (exception !== undefined) return { basis: 'section49a', covered };
  // Escalated with a stated reason (or before the rule) and nothing on file: the request, no case content.
  return { basis: 'without_consent', covered };
}

export function buildHandoverPackage(view: CaseView, notes: MappingNotes, receiver: HandoverReceiver): HandoverPackage | DomainError {
  const latest = view.escalations.at(-1);
  if (latest === undefined) {
    return { code: 'not_allowed_now', detail: 'a handover package is made when the case has been escalated; this case has not' };
  }
  const toPartner = view.escalations.filter((escalation) => receiver !== 'resource_team' && (escalation.externalResources ?? []).includes(receiver)).at(-1);
  if (receiver !== 'resource_team' && toPartner === undefined) {
    return { code: 'not_allowed_now', detail: 'the case was not escalated to this external resource' };
  }
  const escalation = toPartner ?? latest;
  const sharing =
    receiver === 'resource_team'
      ? { basis: 'internal' as const, covered: new Set(ALL_PARTS) }
      : sharingFor(view, receiver);
  const has = (part: ConsentScope) => sharing.covered.has(part);

  const reviewsOf = (measureId: string): MeasureReview[] =>
    view.followUps.flatMap((followUp) =>
      followUp.reviews
        .filter((review) => review.measureId === measureId)
        .map((review) => ({ followUp: followUp.number, heldOn: followUp.heldOn, done: review.done, effect: review.effect, action: review.action })),
    );
  const stepOf = (stepId: string) => view.steps.find((step) => step.stepId === stepId);

  // An external partner sees only its own consents, and the §49a record only when it names it.
  const consents = receiver === 'resource_team' ? (view.consents ?? []) : (view.consents ?? []).filter((consent) => consent.party === receiver);
  const exception = view.section49a !== undefined && (receiver === 'resource_team' || view.section49a.parties.includes(receiver)) ? view.section49a : undefined;

  return {
    caseId: view.caseId,
    pupilRef: view.pupilRef,
    schoolId: view.schoolId,
    grade: view.grade,
    tovholder: view.tovholder,
    receiver,
    basis: sharing.basis,
    level: escalation.level,
    escalatedOn: escalation.on,
    covered: ALL_PARTS.filter(has),
    leftOut: ALL_PARTS.filter((part) => !has(part)),
    request: escalation.request ?? (has('concern') ? escalation.reason : 'Ressourceteamet beder om jeres bistand i forløbet.'),
    ...(escalation.withoutConsentReason !== undefined && receiver === 'resource_team' ? { withoutConsentReason: escalation.withoutConsentReason } : {}),
    ...(has('concern')
      ? {
          concern: {
            source: view.concern.source,
            ...(view.concern.note !== undefined ? { note: view.concern.note } : {}),
            openedOn: view.openedOn,
            phase: view.phase,
            ...(view.assessment !== undefined ? { assessment: view.assessment } : {}),
            escalations: view.escalations.map(({ level, on, reason }) => ({ level, on, reason })),
          },
        }
      : {}),
    ...(has('mapping')
      ? {
          mapping: MAPPING_TRACKS.map(({ stepId, track }) => {
            const completedOn = stepOf(stepId)?.completedOn;
            // The pupil conversation's words are the pupil's own voice: their own part of the consent.
            const finding = stepId === 'pupil_conversation' ? undefined : notes[stepId];
            return { stepId, track, ...(completedOn !== undefined ? { completedOn } : {}), ...(finding !== undefined ? { finding } : {}) };
          }),
        }
      : {}),
    ...(has('pupil_voice')
      ? (() => {
          const heldOn = stepOf('pupil_conversation')?.completedOn;
          const words = notes.pupil_conversation;
          return { pupilVoice: { ...(heldOn !== undefined ? { heldOn } : {}), ...(words !== undefined ? { words } : {}) } };
        })()
      : {}),
    ...(has('plan')
      ? {
          plans: view.planRevisions.map((plan) => ({
            revision: plan.revision,
            adoptedOn: plan.adoptedOn,
            measures: plan.measures.map((measure) => ({ ...measure, reviews: reviewsOf(measure.measureId).filter((review) => planOfFollowUp(view, review.followUp) === plan.revision) })),
          })),
          followUps: view.followUps,
        }
      : {}),
    consents,
    ...(exception !== undefined
      ? { section49a: receiver === 'resource_team' ? exception : { parties: exception.parties, scope: exception.scope, decidedOn: exception.decidedOn, recordedBy: exception.recordedBy } }
      : {}),
  };
}

/**
 * The package with the pupil's name from the directory (null: the directory has no row, and the
 * school's reference names the pupil). A partner that has neither consent nor the §49a record
 * gets the request only, so it does not get the name either.
 */
export function withPupilName(pkg: HandoverPackage, name: string | null): HandoverPackage {
  if (name === null || pkg.basis === 'without_consent') return pkg;
  return { ...pkg, pupilName: name };
}

/** The plan revision a follow-up reviewed. */
function planOfFollowUp(view: CaseView, number: number): number | undefined {
  return view.followUps.find((followUp) => followUp.number === number)?.planRevision;
}
