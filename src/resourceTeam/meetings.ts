/**
 * The resource team's meeting rhythm (seed 004): it meets every 14 days from a date each school
 * sets, and an escalation lands on the agenda of its next meeting. Pure date arithmetic.
 */
import { addDays, daysBetween, type IsoDate } from '../domain/dates';

export const DEFAULT_MEETING_INTERVAL_DAYS = 14;

export interface MeetingRhythm {
  firstMeetingOn: IsoDate;
  intervalDays: number;
}

/** The first meeting on or after `date`. */
export function meetingOnOrAfter(rhythm: MeetingRhythm, date: IsoDate): IsoDate {
  const elapsed = daysBetween(rhythm.firstMeetingOn, date);
  if (elapsed <= 0) return rhythm.firstMeetingOn;
  const meetingsPassed = Math.ceil(elapsed / rhythm.intervalDays);
  return addDays(rhythm.firstMeetingOn, meetingsPassed * rhythm.intervalDays);
}

/**
 * The meeting an escalation made on `escalatedOn` is discussed at: the next one after that day
 * (a meeting held the same day already has its agenda).
 */
export function meetingForEscalation(rhythm: MeetingRhythm, escalatedOn: IsoDate): IsoDate {
  return meetingOnOrAfter(rhythm, addDays(escalatedOn, 1));
}

/** The escalation dates whose cases are on the agenda of the meeting held on `meetingOn`. */
export function escalationWindowFor(rhythm: MeetingRhythm, meetingOn: IsoDate): { from: IsoDate | null; to: IsoDate } {
  const to = addDays(meetingOn, -1);
  return meetingOn <= rhythm.firstMeetingOn ? { from: null, to } : { from: addDays(meetingOn, -rhythm.intervalDays), to };
}
