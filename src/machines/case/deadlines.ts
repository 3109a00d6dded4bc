/**
 * Deadlines and step statuses: the week arithmetic of API.md on the school calendar.
 * Pure: "today" is always passed in.
 */
import { addDays, type IsoDate } from '../../domain/dates';
import {
  addSchoolDays,
  endOfCaseWeek,
  isSchoolDay,
  onOrNextSchoolDay,
  schoolDaysBetween,
  WEEKDAYS_ONLY,
  type SchoolCalendar,
} from '../../domain/calendar';
import type { StepStatus } from '../../domain/schemas';
import type { StepState } from './types';

/** A step is "due soon" from this many school days before its deadline (by default). */
export const DUE_SOON_SCHOOL_DAYS = 3;

export const MAPPING_DEADLINE_WEEKS = {
  class_community: 3,
  pupil_conversation: 2,
  parent_conversation: 2,
  assessment: 3,
} as const;
export const ACTION_PLAN_WEEK = 4;
export const CLOSURE_AFTER_ASSESSMENT_WEEK = 4;
export const FIRST_FOLLOW_UP_WEEK = 7;

/** A step overdue by more than this many school days is brought to the school leader (by default). */
export const LEADER_ALERT_SCHOOL_DAYS = 10;

/** How early "due soon" begins and how late a step must be before the leader hears of it. */
export interface DeadlineThresholds {
  dueSoonSchoolDays: number;
  leaderAlertSchoolDays: number;
}

export const DEFAULT_THRESHOLDS: DeadlineThresholds = {
  dueSoonSchoolDays: DUE_SOON_SCHOOL_DAYS,
  leaderAlertSchoolDays: LEADER_ALERT_SCHOOL_DAYS,
};

/** The first date on which a step due `dueOn` is overdue by more than the leader threshold. */
export function leaderAlertFrom(
  dueOn: IsoDate,
  calendar: SchoolCalendar = WEEKDAYS_ONLY,
  thresholds: DeadlineThresholds = DEFAULT_THRESHOLDS,
): IsoDate {
  return addSchoolDays(dueOn, thresholds.leaderAlertSchoolDays + 1, calendar);
}

/** Whether an open step is so late that the school leader must hear of it. */
export function needsLeader(
  step: Pick<StepState, 'status' | 'dueOn'>,
  today: IsoDate,
  calendar: SchoolCalendar = WEEKDAYS_ONLY,
  thresholds: DeadlineThresholds = DEFAULT_THRESHOLDS,
): boolean {
  return !isSettled(step.status) && today >= leaderAlertFrom(step.dueOn, calendar, thresholds);
}

/** The follow-up rhythm: the next follow-up 8 to 12 weeks after the last, both ends included. */
export const FOLLOW_UP_MIN_DAYS = 8 * 7;
export const FOLLOW_UP_MAX_DAYS = 12 * 7;

export function dueInWeek(openedOn: IsoDate, week: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  return endOfCaseWeek(openedOn, week, calendar);
}

/** A chosen date that falls on a day off moves to the next school day. */
export function dueOnChosenDate(date: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  return onOrNextSchoolDay(date, calendar);
}

/**
 * A case already under way on paper is entered with its real dates: a deadline that had passed
 * before the case was entered calls for no notice (the work may well have been done on time; the
 * tovholder enters it with its real date). The step still shows as open or late until then.
 */
export function passedBeforeEntry(dueOn: IsoDate, enteredOn: IsoDate): boolean {
  return dueOn < enteredOn;
}

/** A step done on or before its deadline was on time, whatever was recorded while it waited. */
export function doneOnTime(step: { completedOn?: IsoDate | undefined; dueOn: IsoDate }): boolean {
  return step.completedOn !== undefined && step.completedOn <= step.dueOn;
}

export function isSettled(status: StepStatus): boolean {
  return status === 'done' || status === 'cancelled';
}

export function statusOn(
  step: Pick<StepState, 'status' | 'dueOn'>,
  today: IsoDate,
  calendar: SchoolCalendar = WEEKDAYS_ONLY,
  thresholds: DeadlineThresholds = DEFAULT_THRESHOLDS,
): StepStatus {
  if (isSettled(step.status)) return step.status;
  if (today > step.dueOn) return 'overdue';
  return schoolDaysBetween(today, step.dueOn, calendar) <= thresholds.dueSoonSchoolDays ? 'due_soon' : 'open';
}

/** The first date on which a step due `dueOn` counts as due soon. */
export function dueSoonFrom(
  dueOn: IsoDate,
  calendar: SchoolCalendar = WEEKDAYS_ONLY,
  thresholds: DeadlineThresholds = DEFAULT_THRESHOLDS,
): IsoDate {
  // Walks back while the school days in (day − 1, dueOn] stay within the threshold, counting as it
  // goes: one pass, however long the days off before the deadline (a recount per step was quadratic).
  let day = dueOn;
  let schoolDays = isSchoolDay(dueOn, calendar) ? 1 : 0;
  while (schoolDays <= thresholds.dueSoonSchoolDays) {
    day = addDays(day, -1);
    if (isSchoolDay(day, calendar)) schoolDays += 1;
  }
  return day;
}

/**
 * The next date after `today` on which some step's status changes by the passing of time,
 * or undefined when no open step is waiting on a date. The workflow sets its timer by this.
 */
export function nextStatusChangeOn(
  steps: readonly StepState[],
  today: IsoDate,
  calendar: SchoolCalendar = WEEKDAYS_ONLY,
  thresholds: DeadlineThresholds = DEFAULT_THRESHOLDS,
): IsoDate | undefined {
  let next: IsoDate | undefined;
  for (const step of steps) {
    if (isSettled(step.status)) continue;
    const candidates = [dueSoonFrom(step.dueOn, calendar, thresholds), addDays(step.dueOn, 1)];
    if (!step.leaderAlerted) candidates.push(leaderAlertFrom(step.dueOn, calendar, thresholds));
    for (const candidate of candidates) {
      if (candidate > today && (next === undefined || candidate < next)) next = candidate;
    }
  }
  return next;
}
