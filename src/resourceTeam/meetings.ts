/**
 * The resource team's meeting rhythm (seed 004): it meets every 14 days from a date each school
 * sets, and an escalation lands on the agenda of its next meeting. A meeting whose date falls on a
 * day off (a weekend, a public or school holiday) is held on the next school day. Pure date
 * arithmetic.
 */
import { onOrNextSchoolDay, WEEKDAYS_ONLY, type SchoolCalendar } from '../domain/calendar';
import { addDays, daysBetween, type IsoDate } from '../domain/dates';

export const DEFAULT_MEETING_INTERVAL_DAYS = 14;

export interface MeetingRhythm {
  firstMeetingOn: IsoDate;
  intervalDays: number;
}

/**
 * The rhythm every school starts with until it sets its own (a leader may change it): every other
 * Tuesday. Tuesday 7 January 2025 anchors it; the dates before it are never asked for.
 */
export const DEFAULT_RHYTHM: MeetingRhythm = { firstMeetingOn: '2025-01-07', intervalDays: DEFAULT_MEETING_INTERVAL_DAYS };

/** The day the k-th meeting (from 0) is held: its date, or the next school day when that is a day off. */
export function meetingHeldOn(rhythm: MeetingRhythm, k: number, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  return onOrNextSchoolDay(addDays(rhythm.firstMeetingOn, k * rhythm.intervalDays), calendar);
}

/** The number (from 0) of the first meeting held on or after `date`. */
export function meetingNumberOnOrAfter(rhythm: MeetingRhythm, date: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): number {
  const elapsed = daysBetween(rhythm.firstMeetingOn, date);
  if (elapsed <= 0) return 0;
  const k = Math.ceil(elapsed / rhythm.intervalDays);
  // The meeting before may have moved onto or past `date` by a day off.
  return k > 0 && meetingHeldOn(rhythm, k - 1, calendar) >= date ? k - 1 : k;
}

/** The first meeting held on or after `date`. */
export function meetingOnOrAfter(rhythm: MeetingRhythm, date: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  return meetingHeldOn(rhythm, meetingNumberOnOrAfter(rhythm, date, calendar), calendar);
}

/**
 * The meeting an escalation made on `escalatedOn` is discussed at: the next one after that day
 * (a meeting held the same day already has its agenda).
 */
export function meetingForEscalation(rhythm: MeetingRhythm, escalatedOn: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): IsoDate {
  return meetingOnOrAfter(rhythm, addDays(escalatedOn, 1), calendar);
}

/**
 * The escalation dates whose cases are on the agenda of the meeting held on `meetingOn`: since the
 * meeting before was held, to the day before this one.
 */
export function escalationWindowFor(rhythm: MeetingRhythm, meetingOn: IsoDate, calendar: SchoolCalendar = WEEKDAYS_ONLY): { from: IsoDate | null; to: IsoDate } {
  const k = meetingNumberOnOrAfter(rhythm, meetingOn, calendar);
  const to = addDays(meetingOn, -1);
  return k <= 0 ? { from: null, to } : { from: meetingHeldOn(rhythm, k - 1, calendar), to };
}
