/**
 * The pure half of the seed generator: from a seed, a number of cases and "today" it writes one
 * script per case — the opening and every dated action a tovholder would take — without touching
 * Temporal or a database. The driver (driver.ts) plays the scripts through the real case service.
 *
 * Each case lives on a timeline from its opening day (spread over the last ~18 months): the three
 * mapping tracks, the assessment, the action plan, follow-ups every 8–12 weeks, plan revisions,
 * escalations and closure. Whatever would fall after today has not happened yet, so recent cases
 * are still open, some with steps past their deadline. Dates are school days, mostly outside the
 * holidays; most steps are done on time, some late.
 */
import { endOfCaseWeek } from '../domain/calendar';
import type { IsoDate } from '../domain/dates';
import {
  MEASURE_TRACKS,
  type Criteria,
  type ExternalResource,
  type MeasureTrack,
  type OpenCaseInput,
  type Phase,
} from '../domain/schemas';
import { FOLLOW_UP_MAX_DAYS, FOLLOW_UP_MIN_DAYS, MAX_ESCALATION_LEVEL } from '../machines';
import {
  addDays,
  afterWorkingDays,
  daysBetween,
  earliest,
  isWorkingDay,
  latest,
  nextSchoolDay,
  previousSchoolDay,
  randomDayBetween,
} from './calendar';
import { Random } from './random';
import * as words from './vocabulary';

/** How far back openings reach: about 18 months. */
export const HISTORY_DAYS = 548;
/** Closures of cases with an action plan fall 3 to 12 months after opening. */
export const CLOSE_MIN_DAYS = 90;
export const CLOSE_MAX_DAYS = 365;
/** A relapse: the same pupil at the same school gets a new case within this many days of closing. */
export const RELAPSE_WITHIN_DAYS = 182;

export type MappingStepId = 'class_community' | 'pupil_conversation' | 'parent_conversation';

export interface SeedMeasure {
  /** The script's own name for the measure; the driver maps it to the measureId the case assigns. */
  ref: string;
  /** True when the measure is carried over from the current plan (sent with its measureId). */
  carried: boolean;
  track: MeasureTrack;
  description: string;
  responsible: string;
  startsOn: IsoDate;
  reviewOn: IsoDate;
}

export interface SeedReview {
  ref: string;
  done: boolean;
  effect: 'none' | 'some' | 'clear';
  action: 'keep' | 'adjust' | 'replace' | 'stop';
}

export type FollowUpOutcome = 'continue' | 'revise_plan' | 'escalate' | 'propose_closure';

/** One tovholder action; `on` is the date it took effect (an escalation takes effect today). */
export type SeedAction =
  | { type: 'completeStep'; on: IsoDate; stepId: MappingStepId; note: string }
  | { type: 'assess'; on: IsoDate; decision: 'action_plan' | 'close'; rationale: string }
  | { type: 'plan'; on: IsoDate; revision: number; measures: SeedMeasure[] }
  | {
      type: 'followUp';
      on: IsoDate;
      reviews: SeedReview[];
      outcome: FollowUpOutcome;
      nextFollowUpOn: IsoDate;
      /** Only on the escalation that reaches level 3: the external help brought in. */
      externalResources?: ExternalResource[];
      /** Held before the regular window opened (the plan's first review, or 8 weeks after the last). */
      earlyReason?: string;
    }
  | { type: 'escalate'; on: IsoDate; reason: string; externalResources?: ExternalResource[] }
  | {
      type: 'close';
      on: IsoDate;
      criteria: Criteria;
      relapsePreventionPlan: string;
      bridging: { decision: 'none' | 'civil_society' | 'network' | 'other'; note?: string };
    };

export interface ExpectedOutcome {
  phase: Phase;
  escalationLevel: number;
  planRevisions: number;
  followUps: number;
  closedOn?: IsoDate;
}

export interface CaseScript {
  /** 0-based number of the case in the scenario. */
  index: number;
  /** Base of every Idempotency-Key the driver sends for this case. */
  key: string;
  open: OpenCaseInput;
  actions: SeedAction[];
  expected: ExpectedOutcome;
  /** The index of the earlier case of the same pupil, when this case is a relapse. */
  relapseOf?: number;
}

export interface ScenarioOptions {
  cases: number;
  /** Number of schools, S01…; default 8. */
  schools?: number;
  seed: number;
  /** The Danish date of today: nothing is dated later. */
  today: IsoDate;
  /** Prefix of the idempotency keys; default `seed<seed>-<today>`. */
  keyPrefix?: string;
}

export function schoolIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);
}

/** Tovholdere of a school: 3 to 6, opaque ids like `tov-S01-3`. */
export function tovholdereOf(schoolId: string, schoolIndex: number): string[] {
  const count = 3 + ((schoolIndex * 7 + 1) % 4);
  return Array.from({ length: count }, (_, i) => `tov-${schoolId}-${i + 1}`);
}

/** Schools differ in size; the pattern repeats past eight schools. */
const SCHOOL_SIZES = [1.3, 0.9, 1.2, 0.7, 1.1, 0.8, 1.4, 1.0];

/** Concerning absence rises through the grades (0 = børnehaveklasse, 10 = 10. klasse). */
const GRADE_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7], [6, 9], [7, 11], [8, 12], [9, 11], [10, 3],
];

const SOURCES: readonly (readonly [OpenCaseInput['concern']['source'], number])[] = [
  ['absence_data', 40], ['staff', 25], ['parents', 25], ['pupil', 10],
];

interface Identity {
  pupilRef: string;
  schoolId: string;
  grade: number;
  tovholder: string;
}

interface PendingRelapse {
  of: number;
  identity: Identity;
  openedOn: IsoDate;
  closedOn: IsoDate;
}

/** Writes the whole scenario: `cases` scripts, deterministic for the seed and today. */
export function generateScenario(options: ScenarioOptions): CaseScript[] {
  const schoolCount = options.schools ?? 8;
  if (!Number.isInteger(options.cases) || options.cases < 0) throw new RangeError('cases must be a whole number >= 0');
  if (!Number.isInteger(schoolCount) || schoolCount < 1 || schoolCount > 99) throw new RangeError('schools must be 1 to 99');
  const schools = schoolIds(schoolCount);
  const schoolWeights = schools.map((id, i) => [i, SCHOOL_SIZES[i % SCHOOL_SIZES.length] ?? 1] as const);
  const pupilCounters = new Array<number>(schoolCount).fill(0);
  const keyPrefix = options.keyPrefix ?? `seed${options.seed}-${options.today}`;
  const pending: PendingRelapse[] = [];
  const scripts: CaseScript[] = [];

  for (let index = 0; index < options.cases; index += 1) {
    const rng = Random.derive(options.seed, `case:${index}`);
    let identity: Identity;
    let openedOn: IsoDate;
    let relapseOf: number | undefined;
    let relapse: PendingRelapse | undefined;
    if (pending.length > 0 && rng.chance(0.5)) relapse = pending.shift();
    if (relapse !== undefined) {
      relapseOf = relapse.of;
      openedOn = relapse.openedOn;
      // A summer holiday in between moves the pupil up a grade.
      const crossedSummer = openedOn.slice(0, 4) > relapse.closedOn.slice(0, 4) || (openedOn.slice(5) >= '08-01' && relapse.closedOn.slice(5) < '08-01');
      identity = {
        ...relapse.identity,
        grade: Math.min(10, relapse.identity.grade + (crossedSummer ? 1 : 0)),
        tovholder: rng.chance(0.7) ? relapse.identity.tovholder : rng.pick(tovholdereOf(relapse.identity.schoolId, schools.indexOf(relapse.identity.schoolId))),
      };
    } else {
      const schoolIndex = rng.weighted(schoolWeights);
      const schoolId = schools[schoolIndex] ?? 'S01';
      pupilCounters[schoolIndex] = (pupilCounters[schoolIndex] ?? 0) + 1;
      const tovholdere = tovholdereOf(schoolId, schoolIndex);
      identity = {
        pupilRef: `P-${schoolId}-${String(pupilCounters[schoolIndex]).padStart(5, '0')}`,
        schoolId,
        grade: rng.weighted(GRADE_WEIGHTS),
        // Some tovholdere carry more cases than others.
        tovholder: rng.weighted(tovholdere.map((id, i) => [id, 1 / Math.sqrt(i + 1)] as const)),
      };
      openedOn = pickOpeningDay(rng, options.today);
    }

    const source = relapse ? rng.pick(['absence_data', 'staff'] as const) : rng.weighted(SOURCES);
    const note = relapse ? words.RELAPSE_CONCERN_NOTE : rng.chance(0.7) ? rng.pick(words.CONCERN_NOTES) : undefined;
    const open: OpenCaseInput = {
      ...identity,
      openedOn,
      concern: { source, ...(note !== undefined ? { note } : {}) },
    };
    const actions = caseTimeline(rng, openedOn, options.today);
    const expected = expectedOutcome(actions);
    scripts.push({
      index,
      key: `${keyPrefix}-${String(index).padStart(6, '0')}`,
      open,
      actions,
      expected,
      ...(relapseOf !== undefined ? { relapseOf } : {}),
    });

    // A few pupils come back: a new case within six months of closing.
    if (expected.closedOn !== undefined && relapse === undefined && rng.chance(0.07)) {
      const reopenOn = nextSchoolDay(afterWorkingDays(addDays(expected.closedOn, rng.int(14, 170)), 0));
      if (reopenOn <= options.today && daysBetween(expected.closedOn, reopenOn) <= RELAPSE_WITHIN_DAYS) {
        pending.push({ of: index, identity, openedOn: reopenOn, closedOn: expected.closedOn });
      }
    }
  }
  return scripts;
}

function pickOpeningDay(rng: Random, today: IsoDate): IsoDate {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const day = addDays(today, -rng.int(0, HISTORY_DAYS));
    if (isWorkingDay(day)) return day;
  }
  return previousSchoolDay(today);
}

/** Collects actions in date order; the first one dated after today ends the case's timeline. */
class Timeline {
  readonly actions: SeedAction[] = [];
  private stopped = false;
  constructor(readonly today: IsoDate) {}

  add(action: SeedAction): boolean {
    if (this.stopped || action.on > this.today) {
      this.stopped = true;
      return false;
    }
    this.actions.push(action);
    return true;
  }

  get open(): boolean {
    return !this.stopped;
  }
}

interface CaseTraits {
  /** 0…1: how often this case's steps slip past their deadline. */
  sloppiness: number;
  /** 0…1: how hard the case is (escalations, revisions). */
  difficulty: number;
  /** Undefined: the case runs on past 12 months (it is still open today). */
  targetCloseDays: number | undefined;
}

function traitsOf(rng: Random): CaseTraits {
  const longRunning = rng.chance(0.1);
  return {
    sloppiness: rng.next() ** 2,
    difficulty: longRunning ? 0.45 + 0.55 * rng.next() : rng.next() ** 3,
    // Skewed towards 4–7 months.
    targetCloseDays: longRunning ? undefined : CLOSE_MIN_DAYS + Math.floor((CLOSE_MAX_DAYS - 25 - CLOSE_MIN_DAYS) * rng.next() ** 1.4),
  };
}

/** Every action of one case, from its opening until it closes or today stops it. */
function caseTimeline(rng: Random, openedOn: IsoDate, today: IsoDate): SeedAction[] {
  const traits = traitsOf(rng);
  const lateShare = 0.06 + 0.3 * traits.sloppiness;
  const timeline = new Timeline(today);

  // ---- Mapping: three tracks in parallel, each with its own deadline.
  const trackDay = (week: number, earliestDay: number): IsoDate => {
    const due = endOfCaseWeek(openedOn, week);
    if (rng.chance(lateShare)) return afterWorkingDays(addDays(due, 1), rng.int(0, 11));
    return randomDayBetween(rng, latest(addDays(openedOn, earliestDay), addDays(openedOn, 1)), due);
  };
  const tracks: { stepId: MappingStepId; on: IsoDate }[] = [
    { stepId: 'pupil_conversation', on: trackDay(2, 2) },
    { stepId: 'parent_conversation', on: trackDay(2, 2) },
    { stepId: 'class_community', on: trackDay(3, 6) },
  ];
  tracks.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  for (const track of tracks) {
    timeline.add({ type: 'completeStep', on: track.on, stepId: track.stepId, note: rng.pick(words.STEP_NOTES[track.stepId]) });
  }
  const mappingDone = tracks.reduce((max, track) => latest(max, track.on), openedOn);

  // ---- Assessment, by the end of week 3 when the mapping allows it.
  const decidedOn = afterWorkingDays(mappingDone, rng.weighted([[0, 3], [1, 3], [2, 2], [3, 1], [5, 1]] as const));
  const decision = rng.chance(0.15) ? 'close' : 'action_plan';
  const rationale = rng.pick(decision === 'close' ? words.CLOSE_RATIONALES : words.ACTION_PLAN_RATIONALES);
  timeline.add({ type: 'assess', on: decidedOn, decision, rationale });

  if (decision === 'close') {
    const closedOn = afterWorkingDays(decidedOn, rng.int(0, 6));
    timeline.add(closureAction(rng, closedOn, []));
    return timeline.actions;
  }

  // ---- The action plan, due the end of week 4.
  const planDue = endOfCaseWeek(openedOn, 4);
  const adoptedOn = rng.chance(lateShare)
    ? afterWorkingDays(addDays(latest(planDue, decidedOn), 1), rng.int(0, 9))
    : afterWorkingDays(decidedOn, rng.int(1, 5));
  const plans = new PlanWriter(rng, openedOn);
  let current = plans.first(adoptedOn);
  timeline.add({ type: 'plan', on: adoptedOn, revision: 1, measures: current });
  let lastOn = adoptedOn;

  // ---- Follow-ups: the first by the end of week 7, then on the date chosen 8–12 weeks ahead.
  let dueOn = endOfCaseWeek(openedOn, 7);
  let level = 0;
  let revision = 1;
  let previousHeldOn: IsoDate | undefined;
  const closeBy = traits.targetCloseDays === undefined ? undefined : addDays(openedOn, traits.targetCloseDays);
  while (timeline.open) {
    const late = rng.chance(lateShare * 0.8);
    let heldOn = late
      ? afterWorkingDays(addDays(dueOn, 1), rng.int(0, 14))
      : randomDayBetween(rng, latest(addDays(dueOn, -8), addDays(lastOn, 1)), dueOn);
    if (heldOn <= lastOn) heldOn = afterWorkingDays(addDays(lastOn, 1), 0);
    const nextFollowUpOn = randomDayBetween(rng, addDays(heldOn, FOLLOW_UP_MIN_DAYS), addDays(heldOn, FOLLOW_UP_MAX_DAYS));

    const proposesClosure = closeBy !== undefined && nextFollowUpOn > closeBy;
    let outcome: FollowUpOutcome;
    if (proposesClosure) outcome = 'propose_closure';
    else if (level < MAX_ESCALATION_LEVEL && rng.chance(0.02 + 0.3 * traits.difficulty)) outcome = 'escalate';
    else if (rng.chance(0.18 + 0.12 * traits.difficulty)) outcome = 'revise_plan';
    else outcome = 'continue';

    const reviews = current.map((measure) => reviewOf(rng, measure.ref, outcome));
    const resources = outcome === 'escalate' && level + 1 === MAX_ESCALATION_LEVEL ? { externalResources: externalHelp(rng) } : {};
    // The same window the case's rules judge by: early follow-ups say why (a meeting moved forward).
    const regularFrom =
      previousHeldOn !== undefined
        ? addDays(previousHeldOn, FOLLOW_UP_MIN_DAYS)
        : current.map((measure) => measure.reviewOn).reduce((min, date) => (date < min ? date : min));
    const early = heldOn < regularFrom ? { earlyReason: 'Mødet blev rykket frem efter aftale med forældrene' } : {};
    if (!timeline.add({ type: 'followUp', on: heldOn, reviews, outcome, nextFollowUpOn, ...resources, ...early })) break;
    previousHeldOn = heldOn;
    lastOn = heldOn;
    if (outcome === 'escalate') level += 1;

    if (outcome === 'propose_closure' && closeBy !== undefined) {
      const lower = latest(heldOn, addDays(openedOn, CLOSE_MIN_DAYS));
      const upper = latest(heldOn, earliest(closeBy, addDays(nextFollowUpOn, -1)));
      const closedOn = lower <= upper ? randomDayBetween(rng, lower, upper) : nextSchoolDay(lower);
      const keep = reviews.filter((review) => review.action === 'keep').map((review) => current.find((m) => m.ref === review.ref)?.description ?? '');
      timeline.add(closureAction(rng, closedOn, keep.filter((text) => text !== '')));
      break;
    }
    // A revision follows a request for one, and often an escalation (the resource team's plan).
    if (outcome === 'revise_plan' || (outcome === 'escalate' && rng.chance(0.6))) {
      const revisedOn = afterWorkingDays(addDays(heldOn, 1), rng.int(0, 9));
      current = plans.revise(current, reviews, revisedOn);
      revision += 1;
      if (!timeline.add({ type: 'plan', on: revisedOn, revision, measures: current })) break;
      lastOn = revisedOn;
    }
    dueOn = nextFollowUpOn;
  }

  // A few cases still open today were escalated today (an escalation takes effect when sent).
  const outcome = expectedOutcome(timeline.actions);
  if (outcome.phase !== 'closed' && outcome.phase !== 'mapping' && outcome.escalationLevel < MAX_ESCALATION_LEVEL && rng.chance(0.03)) {
    const resources = outcome.escalationLevel + 1 === MAX_ESCALATION_LEVEL ? { externalResources: externalHelp(rng) } : {};
    timeline.actions.push({ type: 'escalate', on: today, reason: rng.pick(words.ESCALATION_REASONS), ...resources });
  }
  return timeline.actions;
}

/** Level 3 of the ladder: the resource team brings in PPR, the health nurse and/or social services. */
function externalHelp(rng: Random): ExternalResource[] {
  const all: ExternalResource[] = ['ppr', 'sundhedsplejerske', 'boerne_og_familieafdelingen'];
  return rng.sample(all, rng.weighted([[1, 60], [2, 30], [3, 10]] as const));
}

function closureAction(rng: Random, closedOn: IsoDate, measuresToKeep: string[]): Extract<SeedAction, { type: 'close' }> {
  const decision = rng.weighted([['none', 35], ['civil_society', 30], ['network', 25], ['other', 10]] as const);
  const note = decision === 'none' ? undefined : rng.pick(words.BRIDGING_NOTES[decision]);
  return {
    type: 'close',
    on: closedOn,
    criteria: {
      // Closing needs regular attendance and agreement; the softer criteria vary.
      regularAttendance: true,
      wellbeingImproving: rng.chance(0.9),
      communityChallengesReduced: rng.chance(0.8),
      pupilMotivated: rng.chance(0.85),
      partiesAgree: true,
      measuresToKeep: measuresToKeep.slice(0, 3),
    },
    relapsePreventionPlan: rng.pick(words.RELAPSE_PREVENTION_PLANS),
    bridging: { decision, ...(note !== undefined ? { note } : {}) },
  };
}

function reviewOf(rng: Random, ref: string, outcome: FollowUpOutcome): SeedReview {
  const effect = rng.weighted(
    {
      continue: [['none', 15], ['some', 55], ['clear', 30]] as const,
      revise_plan: [['none', 40], ['some', 45], ['clear', 15]] as const,
      escalate: [['none', 60], ['some', 35], ['clear', 5]] as const,
      propose_closure: [['none', 5], ['some', 35], ['clear', 60]] as const,
    }[outcome],
  );
  const action = rng.weighted(
    {
      continue: [['keep', 80], ['adjust', 20], ['replace', 0], ['stop', 0]] as const,
      revise_plan: [['keep', 35], ['adjust', 30], ['replace', 20], ['stop', 15]] as const,
      escalate: [['keep', 30], ['adjust', 30], ['replace', 25], ['stop', 15]] as const,
      propose_closure: [['keep', 50], ['adjust', 0], ['replace', 0], ['stop', 50]] as const,
    }[outcome],
  );
  return { ref, done: rng.chance(0.88), effect, action };
}

/** Writes plans and their revisions for one case: measures in all three tracks, every time. */
class PlanWriter {
  private nextRef = 1;
  constructor(
    private readonly rng: Random,
    private readonly openedOn: IsoDate,
  ) {}

  first(adoptedOn: IsoDate): SeedMeasure[] {
    const measures: SeedMeasure[] = [];
    for (const track of MEASURE_TRACKS) {
      const count = this.rng.weighted([[1, 60], [2, 35], [3, 5]] as const);
      for (const idea of this.rng.sample(words.MEASURE_IDEAS[track], count)) measures.push(this.fresh(track, idea, adoptedOn));
    }
    return measures;
  }

  /** The next revision: kept measures carried, adjusted ones changed, replaced and stopped ones gone. */
  revise(current: readonly SeedMeasure[], reviews: readonly SeedReview[], adoptedOn: IsoDate): SeedMeasure[] {
    const actionOf = new Map(reviews.map((review) => [review.ref, review.action]));
    const next: SeedMeasure[] = [];
    for (const measure of current) {
      const action = actionOf.get(measure.ref) ?? 'keep';
      if (action === 'keep') {
        next.push({ ...measure, carried: true });
      } else if (action === 'adjust') {
        const adjusted = measure.description.includes('(justeret') ? measure.description : `${measure.description}${this.rng.pick(words.ADJUSTMENTS)}`;
        next.push({ ...measure, carried: true, description: adjusted, reviewOn: this.reviewDate(adoptedOn) });
      } else if (action === 'replace') {
        const used = new Set(current.map((m) => m.description.replace(/ \(justeret.*$/, '')));
        const options = words.MEASURE_IDEAS[measure.track].filter((idea) => !used.has(idea.description));
        next.push(this.fresh(measure.track, this.rng.pick(options.length > 0 ? options : words.MEASURE_IDEAS[measure.track]), adoptedOn));
      }
    }
    // Stopping the last measure of a track means a new one there: every plan covers all three.
    for (const track of MEASURE_TRACKS) {
      if (!next.some((measure) => measure.track === track)) next.push(this.fresh(track, this.rng.pick(words.MEASURE_IDEAS[track]), adoptedOn));
    }
    return next;
  }

  private fresh(track: MeasureTrack, idea: words.MeasureIdea, adoptedOn: IsoDate): SeedMeasure {
    const startsOn = latest(afterWorkingDays(adoptedOn, this.rng.int(0, 5)), this.openedOn);
    const ref = `m${this.nextRef}`;
    this.nextRef += 1;
    return {
      ref,
      carried: false,
      track,
      description: idea.description,
      responsible: this.rng.pick(idea.responsible),
      startsOn,
      reviewOn: latest(this.reviewDate(adoptedOn), startsOn),
    };
  }

  private reviewDate(from: IsoDate): IsoDate {
    return nextSchoolDay(addDays(from, 7 * this.rng.int(4, 8)));
  }
}

/** Where a case ends up after its actions, as the service should report it. */
export function expectedOutcome(actions: readonly SeedAction[]): ExpectedOutcome {
  const outcome: ExpectedOutcome = { phase: 'mapping', escalationLevel: 0, planRevisions: 0, followUps: 0 };
  for (const action of actions) {
    switch (action.type) {
      case 'assess':
        if (action.decision === 'action_plan') outcome.phase = 'action_plan';
        break;
      case 'plan':
        outcome.phase = 'follow_up';
        outcome.planRevisions += 1;
        break;
      case 'followUp':
        outcome.followUps += 1;
        if (action.outcome === 'escalate') outcome.escalationLevel += 1;
        break;
      case 'escalate':
        outcome.escalationLevel += 1;
        break;
      case 'close':
        outcome.phase = 'closed';
        outcome.closedOn = action.on;
        break;
      case 'completeStep':
        break;
    }
  }
  return outcome;
}

export interface ScenarioSummary {
  cases: number;
  actions: number;
  byPhase: Record<Phase, number>;
  closedAtAssessment: number;
  relapses: number;
  byEscalationLevel: number[];
  planRevisions: number;
  followUps: number;
}

export function summarizeScenario(scripts: readonly CaseScript[]): ScenarioSummary {
  const summary: ScenarioSummary = {
    cases: scripts.length,
    actions: 0,
    byPhase: { mapping: 0, action_plan: 0, follow_up: 0, closed: 0 },
    closedAtAssessment: 0,
    relapses: 0,
    byEscalationLevel: [0, 0, 0, 0],
    planRevisions: 0,
    followUps: 0,
  };
  for (const script of scripts) {
    summary.actions += script.actions.length;
    summary.byPhase[script.expected.phase] += 1;
    if (script.actions.some((action) => action.type === 'assess' && action.decision === 'close')) summary.closedAtAssessment += 1;
    if (script.relapseOf !== undefined) summary.relapses += 1;
    summary.byEscalationLevel[script.expected.escalationLevel] = (summary.byEscalationLevel[script.expected.escalationLevel] ?? 0) + 1;
    summary.planRevisions += script.expected.planRevisions;
    summary.followUps += script.expected.followUps;
  }
  return summary;
}
