/**
 * What the API tests say again and again: dates, request bodies, driving a case to a phase,
 * and the assertions on a Case answer and on a problem+json answer.
 */
import { endOfCaseWeek, onOrNextSchoolDay as onOrNextSchoolDayOn } from '../../../src/domain/calendar';
import { defaultDanishCalendar } from '../../../src/domain/danishHolidays';
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { caseView, type CaseView } from '../../../src/domain/schemas';
import type { Answer, HttpClient } from './http';
import type { RunningApi } from './harness';

// ---- Dates (the test's own arithmetic, not the service's) -------------------------------------

const copenhagen = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today on the wall in Denmark: the date the service judges "in the future" against. */
export function todayInDenmark(): string {
  return copenhagen.format(new Date());
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

export function mondayOnOrBefore(date: string): string {
  return addDays(date, -((weekday(date) + 6) % 7));
}

/**
 * A school that has set no holidays counts on the Danish default calendar (public holidays and
 * the usual school holidays), so expected deadlines are computed on it; the calendar functions
 * themselves are tested in test/domain.
 */
const thisYear = Number(todayInDenmark().slice(0, 4));
export const DEFAULT_SCHOOL_CALENDAR = defaultDanishCalendar(thisYear - 2, thisYear + 2);

/** The date itself when it is a school day on the default calendar, else the next school day. */
export function onOrNextSchoolDay(date: string): string {
  return onOrNextSchoolDayOn(date, DEFAULT_SCHOOL_CALENDAR);
}

/** "Due end of week n" of a case opened on `openedOn`, on the default calendar. */
export function dueEndOfWeek(openedOn: string, week: number): string {
  return endOfCaseWeek(openedOn, week, DEFAULT_SCHOOL_CALENDAR);
}

// ---- Names ------------------------------------------------------------------------------------

export function uniqueSchool(label = 'S'): string {
  return `${label}-${randomBytes(5).toString('hex')}`;
}

/** Idempotency keys name cases across the whole Temporal server, so every test makes its own. */
export function uniqueKey(label = 'key'): string {
  return `${label}-${randomUUID()}`;
}

// ---- Bodies -----------------------------------------------------------------------------------

export interface OpenCaseBody {
  pupilRef: string;
  schoolId: string;
  grade: number;
  tovholder: string;
  openedOn: string;
  concern: { source: string; note?: string };
}

export function openCaseBody(overrides: Partial<OpenCaseBody> = {}): OpenCaseBody {
  return {
    pupilRef: 'P-4711',
    schoolId: uniqueSchool(),
    grade: 6,
    tovholder: 'tovholder-kim',
    openedOn: addDays(todayInDenmark(), -14),
    concern: { source: 'parents', note: 'Forældrene er bekymrede for mandagsfravær' },
    ...overrides,
  };
}

export interface MeasureBody {
  measureId?: string;
  track: string;
  description: string;
  responsible: string;
  startsOn: string;
  reviewOn: string;
}

/** One measure in each of the three tracks, starting today. */
export function threeTrackMeasures(): MeasureBody[] {
  const today = todayInDenmark();
  const review = addDays(today, 28);
  return [
    { track: 'pupil_parents', description: 'Fast morgenmøde med trivselskontakten', responsible: 'Trivselskontakten', startsOn: today, reviewOn: review },
    { track: 'community', description: 'Makkerordning i klassen og støtte til at starte i klubben', responsible: 'Klasseteamet', startsOn: today, reviewOn: review },
    { track: 'teaching', description: 'Online undervisning de dage eleven er hjemme', responsible: 'Dansklæreren', startsOn: today, reviewOn: review },
  ];
}

/** A review of every measure of the case's current plan. */
export function reviewsOfPlan(view: CaseView, action: 'keep' | 'adjust' = 'keep') {
  return (view.plan?.measures ?? []).map((measure) => ({ measureId: measure.measureId, done: true, effect: 'some', action }));
}

/**
 * A follow-up held today. Tests drive a case through its phases in one day, so the follow-up is
 * usually early (before the plan's first review, or within 8 weeks of the last): then it says why.
 */
export function followUpBody(view: CaseView, overrides: Record<string, unknown> = {}) {
  const heldOn = typeof overrides.heldOn === 'string' ? overrides.heldOn : todayInDenmark();
  const previous = view.followUps.at(-1);
  const regularFrom =
    previous !== undefined ? addDays(previous.heldOn, 56) : (view.plan?.measures.map((measure) => measure.reviewOn).sort()[0] ?? heldOn);
  const early = heldOn < regularFrom ? { earlyReason: 'Aftalt med forældrene' } : {};
  return { heldOn, reviews: reviewsOfPlan(view), outcome: 'continue', ...early, ...overrides };
}

export function closureBody(overrides: { criteria?: Record<string, unknown>; relapsePreventionPlan?: string; bridging?: unknown } = {}) {
  return {
    criteria: {
      regularAttendance: true,
      wellbeingImproving: true,
      communityChallengesReduced: true,
      pupilMotivated: true,
      partiesAgree: true,
      measuresToKeep: ['Fast morgenmøde med trivselskontakten'],
      ...overrides.criteria,
    },
    relapsePreventionPlan: overrides.relapsePreventionPlan ?? 'Ugentlig kontakt med forældrene frem til sommerferien',
    bridging: overrides.bridging ?? { decision: 'civil_society', note: 'Fodboldklubben i lokalområdet' },
  };
}

// ---- Assertions -------------------------------------------------------------------------------

/** A Case answer: the status, JSON, and the Case shape of API.md (no unknown top-level fields). */
export function expectCase(answer: Answer, status = 200): CaseView {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.contentType).toMatch(/^application\/json/);
  return caseView.strict().parse(answer.body);
}

const PROBLEM_TYPE_BASE = 'https://fravaersforloeb.dk/problems/';
export const PROBLEM_TYPES = {
  invalidInput: `${PROBLEM_TYPE_BASE}invalid-input`,
  caseNotFound: `${PROBLEM_TYPE_BASE}case-not-found`,
  stepNotFound: `${PROBLEM_TYPE_BASE}step-not-found`,
  notAllowedNow: `${PROBLEM_TYPE_BASE}not-allowed-now`,
  ruleViolated: `${PROBLEM_TYPE_BASE}rule-violated`,
} as const;

const DEFAULT_TYPE: Record<number, string> = {
  400: PROBLEM_TYPES.invalidInput,
  404: PROBLEM_TYPES.caseNotFound,
  409: PROBLEM_TYPES.notAllowedNow,
  422: PROBLEM_TYPES.ruleViolated,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

/**
 * A problem+json answer with the given status; for 400 and 422 its `errors` must name `path`
 * (and every entry must have a path and a message).
 */
export function expectProblem(answer: Answer, status: number, expected: { path?: string; type?: string } = {}): Problem {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
  const problem = answer.body as Problem;
  expect(problem).toMatchObject({
    status,
    type: expected.type ?? DEFAULT_TYPE[status],
    title: expect.stringMatching(/\S/),
    detail: expect.stringMatching(/\S/),
  });
  if (status === 400 || status === 422) {
    expect(problem.errors, 'errors names each bad field').toEqual(
      expect.arrayContaining([{ path: expect.any(String), message: expect.stringMatching(/\S/) }]),
    );
    if (expected.path !== undefined) {
      expect(problem.errors?.map((error) => error.path)).toContain(expected.path);
    }
  }
  return problem;
}

// ---- Driving a case ---------------------------------------------------------------------------

/** The routes of one API, by what the tovholder does. */
export function casesApi(http: HttpClient) {
  const post = (path: string, body: unknown, idempotencyKey?: string) =>
    http.post<unknown>(path, body, idempotencyKey === undefined ? {} : { idempotencyKey });
  return {
    open: (body: unknown, idempotencyKey?: string) => post('/api/cases', body, idempotencyKey),
    get: (caseId: string) => http.get(`/api/cases/${caseId}`),
    list: (query: Record<string, string>) => http.get<{ items: unknown[] }>(`/api/cases?${new URLSearchParams(query).toString()}`),
    complete: (caseId: string, stepId: string, body: unknown = {}, key?: string) =>
      post(`/api/cases/${caseId}/steps/${stepId}/complete`, body, key),
    assess: (caseId: string, body: unknown, key?: string) => post(`/api/cases/${caseId}/assessment`, body, key),
    plan: (caseId: string, body: unknown, key?: string) => post(`/api/cases/${caseId}/plan`, body, key),
    followUp: (caseId: string, body: unknown, key?: string) => post(`/api/cases/${caseId}/follow-ups`, body, key),
    escalate: (caseId: string, body: unknown, key?: string) => post(`/api/cases/${caseId}/escalations`, body, key),
    close: (caseId: string, body: unknown, key?: string) => post(`/api/cases/${caseId}/closure`, body, key),
  };
}

export type CasesApi = ReturnType<typeof casesApi>;

export const MAPPING_TRACK_STEPS = ['class_community', 'pupil_conversation', 'parent_conversation'] as const;

/** Opens a case and answers its view (asserting the 201). */
export async function openCase(api: CasesApi, overrides: Partial<OpenCaseBody> = {}): Promise<CaseView> {
  return expectCase(await api.open(openCaseBody(overrides)), 201);
}

export async function completeMapping(api: CasesApi, caseId: string): Promise<CaseView> {
  let view: CaseView | undefined;
  for (const stepId of MAPPING_TRACK_STEPS) view = expectCase(await api.complete(caseId, stepId));
  return view!;
}

export async function openInActionPlan(api: CasesApi, overrides: Partial<OpenCaseBody> = {}): Promise<CaseView> {
  const opened = await openCase(api, overrides);
  await completeMapping(api, opened.caseId);
  const view = expectCase(await api.assess(opened.caseId, { decision: 'action_plan', rationale: 'Kortlægningen viser behov for en handleplan' }));
  expect(view.phase).toBe('action_plan');
  return view;
}

export async function openInFollowUp(api: CasesApi, overrides: Partial<OpenCaseBody> = {}): Promise<CaseView> {
  const inPlan = await openInActionPlan(api, overrides);
  const view = expectCase(await api.plan(inPlan.caseId, { measures: threeTrackMeasures() }));
  expect(view.phase).toBe('follow_up');
  return view;
}

/** The case as the API and as its workflow hold it: a rejected request must change neither. */
export async function caseState(running: RunningApi, caseId: string) {
  const answer = await running.http.get(`/api/cases/${caseId}`);
  expect(answer.status).toBe(200);
  return { http: answer.body, workflow: await running.workflowView(caseId) };
}
