/**
 * The domain rules a command must keep, as pure functions returning the problems found.
 * The machine's guards are "no problems"; the same functions explain a 422 to the caller.
 */
import { schoolDaysBetween, type SchoolCalendar } from '../../domain/calendar';
import { addDays, daysBetween, type IsoDate } from '../../domain/dates';
import type { FieldProblem } from '../../domain/errors';
import { MEASURE_TRACKS } from '../../domain/measureTracks';
import type {
  AssessmentInput,
  ClosureInput,
  ClosureWarning,
  CompleteStepInput,
  ConsentInput,
  ConsentParty,
  ConsentWithdrawalInput,
  EscalationInput,
  FollowUpInput,
  Section49aInput,
  MeasureTrack,
  OpenCaseInput,
  PlanInput,
} from '../../domain/schemas';
import { FOLLOW_UP_MAX_DAYS, FOLLOW_UP_MIN_DAYS } from './deadlines';
import type { CaseContext } from './types';

export const MAX_ESCALATION_LEVEL = 3;

// Typed by the inputs, not by CaseCommand: the command union is derived from the action
// declarations, which use these rules.
type WithAt<I> = I & { at: string };

export function currentPlan(context: Pick<CaseContext, 'plans'>) {
  return context.plans.at(-1);
}

function notInFuture(date: IsoDate, today: IsoDate, path: string, what: string): FieldProblem[] {
  return date > today ? [{ path, message: `${what} cannot be later than today` }] : [];
}

/**
 * The earliest opening date the service takes: case packages of this kind (seed 003) were not run
 * before then, so an earlier date is a typing mistake (1999 for 2025), not a paper case.
 */
export const EARLIEST_OPENING_DATE = '2020-01-01';

function notBeforeServiceRange(date: IsoDate, path: string): FieldProblem[] {
  return date < EARLIEST_OPENING_DATE ? [{ path, message: `the opening date cannot be before ${EARLIEST_OPENING_DATE}` }] : [];
}

/** Opening: a case already running on paper may be entered with its real, earlier date. */
export function openingProblems(input: Pick<OpenCaseInput, 'openedOn'>, today: IsoDate): FieldProblem[] {
  return [...notInFuture(input.openedOn, today, 'openedOn', 'the opening date'), ...notBeforeServiceRange(input.openedOn, 'openedOn')];
}

/** The earliest date anything after the opening was recorded as done on. */
function firstRecordedAction(context: CaseContext): IsoDate | undefined {
  const dates = [
    ...context.steps.map((step) => step.completedOn),
    context.assessment?.decidedOn,
    ...context.plans.map((plan) => plan.adoptedOn),
    ...context.followUps.map((followUp) => followUp.heldOn),
    ...context.escalations.map((escalation) => escalation.on),
  ];
  return dates.reduce<IsoDate | undefined>((min, date) => (date !== undefined && (min === undefined || date < min) ? date : min), undefined);
}

export interface CorrectionInput {
  openedOn?: IsoDate | undefined;
  grade?: number | undefined;
  pupilRef?: string | undefined;
}

/** A correction changes something, and a corrected opening date stays in range and before what followed it. */
export function correctionProblems(context: CaseContext, event: WithAt<CorrectionInput>, today: IsoDate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (event.openedOn === undefined && event.grade === undefined && event.pupilRef === undefined) {
    problems.push({ path: 'openedOn', message: 'name at least one of openedOn, grade and pupilRef to correct' });
  }
  if (event.openedOn !== undefined) {
    if (event.openedOn === context.openedOn) problems.push({ path: 'openedOn', message: 'is already the case’s opening date' });
    problems.push(...notInFuture(event.openedOn, today, 'openedOn', 'the opening date'), ...notBeforeServiceRange(event.openedOn, 'openedOn'));
    const first = firstRecordedAction(context);
    if (first !== undefined && event.openedOn > first) {
      problems.push({ path: 'openedOn', message: `the opening date cannot be after the first action recorded on the case (${first})` });
    }
  }
  if (event.grade !== undefined && event.grade === context.grade) problems.push({ path: 'grade', message: 'is already the case’s grade' });
  if (event.pupilRef !== undefined && event.pupilRef === context.pupilRef) {
    problems.push({ path: 'pupilRef', message: 'is already the case’s pupil reference' });
  }
  return problems;
}

export function completionProblems(
  context: CaseContext,
  event: WithAt<CompleteStepInput>,
  today: IsoDate,
): FieldProblem[] {
  const completedOn = event.completedOn ?? today;
  const problems = notInFuture(completedOn, today, 'completedOn', 'the completion date');
  if (completedOn < context.openedOn) {
    problems.push({ path: 'completedOn', message: 'the completion date cannot be before the case was opened' });
  }
  return problems;
}

/** An action dated in the past must still come after what it follows. */
function notBefore(date: IsoDate, earliest: IsoDate | undefined, path: string, message: string): FieldProblem[] {
  return earliest !== undefined && date < earliest ? [{ path, message }] : [];
}

function latest(...dates: (IsoDate | undefined)[]): IsoDate | undefined {
  return dates.reduce<IsoDate | undefined>((max, date) => (date !== undefined && (max === undefined || date > max) ? date : max), undefined);
}

export function assessmentProblems(context: CaseContext, event: WithAt<AssessmentInput>, today: IsoDate): FieldProblem[] {
  const decidedOn = event.decidedOn ?? today;
  const mappingDone = latest(...context.steps.filter((step) => step.track !== undefined).map((step) => step.completedOn));
  return [
    ...notInFuture(decidedOn, today, 'decidedOn', 'the assessment date'),
    ...notBefore(decidedOn, latest(context.openedOn, mappingDone), 'decidedOn', 'the assessment cannot be dated before the mapping was done'),
  ];
}

const TRACK_NAMES: Record<MeasureTrack, string> = {
  pupil_parents: 'pupil_parents (#1, to the pupil and parents)',
  community: 'community (#2, to the community)',
  teaching: 'teaching (#3, teaching while absent)',
};

export function planProblems(context: CaseContext, event: WithAt<PlanInput>, today: IsoDate): FieldProblem[] {
  const adoptedOn = event.adoptedOn ?? today;
  const problems: FieldProblem[] = [
    ...notInFuture(adoptedOn, today, 'adoptedOn', 'the adoption date'),
    ...notBefore(
      adoptedOn,
      latest(context.assessment?.decidedOn, currentPlan(context)?.adoptedOn),
      'adoptedOn',
      'a plan cannot be dated before the assessment or the plan it revises',
    ),
  ];
  const covered = new Set(event.measures.map((measure) => measure.track));
  const missing = MEASURE_TRACKS.filter((track) => !covered.has(track));
  if (missing.length > 0) {
    problems.push({
      path: 'measures',
      message: `a plan needs at least one measure in each of the three tracks; missing: ${missing
        .map((track) => TRACK_NAMES[track])
        .join(', ')}`,
    });
  }
  const known = new Set(currentPlan(context)?.measures.map((measure) => measure.measureId) ?? []);
  const seen = new Set<string>();
  event.measures.forEach((measure, index) => {
    if (measure.reviewOn < measure.startsOn) {
      problems.push({ path: `measures[${index}].reviewOn`, message: 'the review date cannot be before the start date' });
    }
    if (measure.startsOn < context.openedOn) {
      problems.push({ path: `measures[${index}].startsOn`, message: 'a measure cannot start before the case was opened' });
    }
    if (measure.measureId !== undefined) {
      if (!known.has(measure.measureId)) {
        problems.push({
          path: `measures[${index}].measureId`,
          message: 'names no measure of the current plan; leave it out for a new measure',
        });
      } else if (seen.has(measure.measureId)) {
        problems.push({ path: `measures[${index}].measureId`, message: 'the same measure appears twice' });
      }
      seen.add(measure.measureId);
    }
  });
  return problems;
}

/** The ladder: one level up at a time, to 3 at most; level 3 names the external help it brings in. */
export function escalationProblems(
  context: CaseContext,
  path: string,
  externalResources: readonly string[] | undefined,
): FieldProblem[] {
  if (context.escalationLevel >= MAX_ESCALATION_LEVEL) {
    return [{ path, message: `the case is already at the highest escalation level (${MAX_ESCALATION_LEVEL})` }];
  }
  const reachesTop = context.escalationLevel + 1 === MAX_ESCALATION_LEVEL;
  if (reachesTop && (externalResources ?? []).length === 0) {
    return [
      {
        path: 'externalResources',
        message: 'level 3 brings in external resources: name at least one of ppr, sundhedsplejerske, boerne_og_familieafdelingen',
      },
    ];
  }
  if (!reachesTop && externalResources !== undefined) {
    return [{ path: 'externalResources', message: 'external resources are brought in at level 3 of the ladder, not before' }];
  }
  return [];
}

/** When the next follow-up falls: the chosen date, or 8 weeks after the one held. */
export function chosenNextFollowUp(event: Pick<FollowUpInput, 'heldOn' | 'nextFollowUpOn'>): IsoDate {
  return event.nextFollowUpOn ?? addDays(event.heldOn, FOLLOW_UP_MIN_DAYS);
}

/**
 * The rules a newly opened case runs by. 2: a follow-up held early asks for its reason. Cases
 * opened before (no version in their context) keep version 1, so their histories replay the same.
 */
export const RULES_VERSION = 2;

/**
 * When the next follow-up's regular window opens: the first at the current plan's first review
 * date, each later one 8 weeks after the one before (seed 003: every 8–12 weeks).
 */
export function regularFollowUpFrom(context: Pick<CaseContext, 'plans' | 'followUps'>): IsoDate | undefined {
  const previous = context.followUps.at(-1);
  if (previous !== undefined) return addDays(previous.heldOn, FOLLOW_UP_MIN_DAYS);
  const reviews = currentPlan(context)?.measures.map((measure) => measure.reviewOn) ?? [];
  return reviews.reduce<IsoDate | undefined>((min, date) => (min === undefined || date < min ? date : min), undefined);
}

/** An early follow-up is not refused, but its reason is asked for; a reason for one on time is refused. */
function earlyFollowUpProblems(context: CaseContext, event: WithAt<FollowUpInput>): FieldProblem[] {
  if ((context.rulesVersion ?? 1) < 2) return [];
  const regularFrom = regularFollowUpFrom(context);
  const early = regularFrom !== undefined && event.heldOn < regularFrom;
  const basis = context.followUps.length === 0 ? 'the plan’s first review date' : '8 weeks after the previous follow-up';
  if (early && event.earlyReason === undefined) {
    return [{ path: 'earlyReason', message: `the follow-up is early: held before ${regularFrom} (${basis}); give the reason` }];
  }
  if (!early && event.earlyReason !== undefined) {
    return [{ path: 'earlyReason', message: 'the follow-up is not early; leave out earlyReason' }];
  }
  return [];
}

export function followUpProblems(
  context: CaseContext,
  event: WithAt<FollowUpInput>,
  today: IsoDate,
): FieldProblem[] {
  const problems = notInFuture(event.heldOn, today, 'heldOn', 'the follow-up date');
  const plan = currentPlan(context);
  if (plan === undefined) {
    problems.push({ path: 'heldOn', message: 'there is no action plan to follow up on' });
    return problems;
  }
  if (event.heldOn < plan.adoptedOn) {
    problems.push({ path: 'heldOn', message: 'a follow-up cannot be held before the current plan was adopted' });
  }
  const previous = context.followUps.at(-1);
  if (previous !== undefined && event.heldOn < previous.heldOn) {
    problems.push({ path: 'heldOn', message: 'a follow-up cannot be held before the previous follow-up' });
  }
  const measureIds = new Set(plan.measures.map((measure) => measure.measureId));
  const reviewed = new Set<string>();
  event.reviews.forEach((review, index) => {
    if (!measureIds.has(review.measureId)) {
      problems.push({ path: `reviews[${index}].measureId`, message: 'names no measure of the current plan' });
    } else if (reviewed.has(review.measureId)) {
      problems.push({ path: `reviews[${index}].measureId`, message: 'the same measure is reviewed twice' });
    }
    reviewed.add(review.measureId);
  });
  const unreviewed = plan.measures.filter((measure) => !reviewed.has(measure.measureId));
  if (unreviewed.length > 0) {
    problems.push({
      path: 'reviews',
      message: `every measure of the current plan needs a review; missing: ${unreviewed
        .map((measure) => measure.measureId)
        .join(', ')}`,
    });
  }
  if (event.nextFollowUpOn !== undefined) {
    const gap = daysBetween(event.heldOn, event.nextFollowUpOn);
    if (gap < FOLLOW_UP_MIN_DAYS || gap > FOLLOW_UP_MAX_DAYS) {
      problems.push({
        path: 'nextFollowUpOn',
        message: `the next follow-up must be 8 to 12 weeks after heldOn (between ${addDays(
          event.heldOn,
          FOLLOW_UP_MIN_DAYS,
        )} and ${addDays(event.heldOn, FOLLOW_UP_MAX_DAYS)})`,
      });
    }
  }
  problems.push(...earlyFollowUpProblems(context, event));
  if (event.outcome === 'escalate') {
    problems.push(...escalationProblems(context, 'outcome', event.externalResources));
    problems.push(...externalConsentProblems(context, event.externalResources, event.withoutConsentReason));
  }
  else if (event.externalResources !== undefined) {
    problems.push({ path: 'externalResources', message: 'external resources are named only when the outcome is to escalate' });
  }
  return problems;
}

export function closureProblems(context: CaseContext, event: WithAt<ClosureInput>, today: IsoDate): FieldProblem[] {
  const closedOn = event.closedOn ?? today;
  const problems: FieldProblem[] = [
    ...notInFuture(closedOn, today, 'closedOn', 'the closing date'),
    ...notBefore(
      closedOn,
      latest(context.assessment?.decidedOn, currentPlan(context)?.adoptedOn, context.followUps.at(-1)?.heldOn),
      'closedOn',
      'a case cannot be closed before its last assessment, plan or follow-up',
    ),
  ];
  if (!event.criteria.regularAttendance) {
    problems.push({ path: 'criteria.regularAttendance', message: 'a case closes only when the pupil attends regularly' });
  }
  if (!event.criteria.partiesAgree) {
    problems.push({
      path: 'criteria.partiesAgree',
      message: 'a case closes only when pupil, parents and school agree to close it',
    });
  }
  if (event.relapsePreventionPlan.trim() === '') {
    problems.push({ path: 'relapsePreventionPlan', message: 'closing needs a plan to keep the absence from returning' });
  }
  if (event.bridging.decision === 'other' && (event.bridging.note ?? '').trim() === '') {
    problems.push({ path: 'bridging.note', message: 'say which effort the pupil is bridged to when the decision is "other"' });
  }
  return problems;
}

/** Closing this close to a long holiday risks relapse (seed 001): the closure carries a warning. */
export const HOLIDAY_WARNING_SCHOOL_DAYS = 5;
export const LONG_HOLIDAY_DAYS = 7;

export function closureWarnings(closedOn: IsoDate, calendar: SchoolCalendar): ClosureWarning[] {
  const upcoming = calendar.daysOff
    .filter((range) => range.from > closedOn && daysBetween(range.from, range.to) + 1 >= LONG_HOLIDAY_DAYS)
    .sort((a, b) => (a.from < b.from ? -1 : 1))[0];
  if (upcoming === undefined) return [];
  const schoolDaysLeft = schoolDaysBetween(closedOn, addDays(upcoming.from, -1), calendar);
  if (schoolDaysLeft > HOLIDAY_WARNING_SCHOOL_DAYS) return [];
  return [
    {
      code: 'closing_before_holiday',
      message: `the case closes ${schoolDaysLeft} school days before a holiday of a week or more; absence often returns after holidays, so plan the first days back`,
      holiday: { from: upcoming.from, to: upcoming.to, ...(upcoming.name ? { name: upcoming.name } : {}) },
    },
  ];
}

// ---- Consent (seed 001: sharing across sectors needs the parents' consent; §49a once) ---------

/** The consents not withdrawn, for one party. */
export function activeConsents(context: Pick<CaseContext, 'consents'>, party: ConsentParty) {
  return (context.consents ?? []).filter((consent) => consent.party === party && consent.withdrawnOn === undefined);
}

/** Whether a party may receive the case: an active consent for it, or the §49a record naming it. */
export function sharingBasisFor(context: Pick<CaseContext, 'consents' | 'section49a'>, party: ConsentParty): 'consent' | 'section49a' | undefined {
  if (activeConsents(context, party).length > 0) return 'consent';
  if (context.section49a?.parties.includes(party) === true) return 'section49a';
  return undefined;
}

/**
 * Level 3 brings in help from outside the school: each resource named needs the parents' consent
 * on file (not withdrawn), or the §49a record, or a stated reason why it goes there without.
 */
export function externalConsentProblems(
  context: CaseContext,
  externalResources: readonly ConsentParty[] | undefined,
  withoutConsentReason: string | undefined,
): FieldProblem[] {
  if (externalResources === undefined || externalResources.length === 0) {
    return withoutConsentReason === undefined
      ? []
      : [{ path: 'withoutConsentReason', message: 'a reason for going without consent is given only when external resources are brought in' }];
  }
  // Cases opened before the rule replay as they ran (the workflow sets this with patched()).
  if (context.consentBeforeExternal !== true) return [];
  if (withoutConsentReason !== undefined) return [];
  const uncovered = externalResources.filter((party) => sharingBasisFor(context, party) === undefined);
  if (uncovered.length === 0) return [];
  const withdrawn = uncovered.filter((party) => (context.consents ?? []).some((consent) => consent.party === party));
  return [
    {
      path: 'externalResources',
      message: `no consent from the parents on file for ${uncovered.join(', ')}${
        withdrawn.length > 0 ? ` (the consent for ${withdrawn.join(', ')} was withdrawn)` : ''
      }: record the consent, record the §49a exception for it, or state in withoutConsentReason why the case goes there without`,
    },
  ];
}

export function escalationDateProblems(context: CaseContext, event: WithAt<Pick<EscalationInput, 'escalatedOn'>>, today: IsoDate): FieldProblem[] {
  const escalatedOn = event.escalatedOn ?? today;
  return [
    ...notInFuture(escalatedOn, today, 'escalatedOn', 'the escalation date'),
    ...notBefore(
      escalatedOn,
      latest(context.openedOn, context.escalations.at(-1)?.on),
      'escalatedOn',
      'an escalation cannot be dated before the case was opened or before the previous escalation',
    ),
  ];
}

export function consentProblems(context: CaseContext, event: WithAt<ConsentInput>, today: IsoDate): FieldProblem[] {
  const problems = notInFuture(event.givenOn, today, 'givenOn', 'the date of the consent');
  if (event.party === 'other' && event.partyName === undefined) {
    problems.push({ path: 'partyName', message: 'name the party when the consent is for "other"' });
  }
  if (event.party !== 'other' && event.partyName !== undefined) {
    problems.push({ path: 'partyName', message: 'a name is given only for a party of kind "other"' });
  }
  return problems;
}

export function withdrawalProblems(
  context: CaseContext,
  event: WithAt<ConsentWithdrawalInput & { consentId: string }>,
  today: IsoDate,
): FieldProblem[] {
  const consent = (context.consents ?? []).find((candidate) => candidate.consentId === event.consentId);
  if (consent === undefined) return [{ path: 'consentId', message: 'names no consent of this case' }];
  if (consent.withdrawnOn !== undefined) return [{ path: 'consentId', message: `the consent was already withdrawn on ${consent.withdrawnOn}` }];
  const withdrawnOn = event.withdrawnOn ?? today;
  return [
    ...notInFuture(withdrawnOn, today, 'withdrawnOn', 'the withdrawal date'),
    ...notBefore(withdrawnOn, consent.givenOn, 'withdrawnOn', 'a consent cannot be withdrawn before it was given'),
  ];
}

/** §49a allows sharing without consent once per case, in early preventive work (seed 001). */
export function section49aProblems(context: CaseContext, event: WithAt<Section49aInput>, today: IsoDate): FieldProblem[] {
  if (context.section49a !== undefined) {
    return [{ path: 'section49a', message: `the §49a exception is used at most once per case; it was recorded for this case on ${context.section49a.decidedOn}` }];
  }
  const decidedOn = event.decidedOn ?? today;
  return [
    ...notInFuture(decidedOn, today, 'decidedOn', 'the date of the §49a decision'),
    ...notBefore(decidedOn, context.openedOn, 'decidedOn', 'the §49a decision cannot be dated before the case was opened'),
  ];
}
