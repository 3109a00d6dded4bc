import { describe, expect, it } from 'vitest';
import { escalationWindowFor, meetingForEscalation, meetingOnOrAfter } from '../../src/resourceTeam/meetings';

// A school whose resource team meets every other Tuesday from Tuesday 6 January 2026.
const rhythm = { firstMeetingOn: '2026-01-06', intervalDays: 14 };

describe('the resource team meets every 14 days', () => {
  it('when asked for the first meeting on or after a date, then it is the next Tuesday in the two-week series', () => {
    expect(meetingOnOrAfter(rhythm, '2025-12-01')).toBe('2026-01-06');
    expect(meetingOnOrAfter(rhythm, '2026-01-06')).toBe('2026-01-06');
    expect(meetingOnOrAfter(rhythm, '2026-01-07')).toBe('2026-01-20');
    expect(meetingOnOrAfter(rhythm, '2026-01-20')).toBe('2026-01-20');
    expect(meetingOnOrAfter(rhythm, '2026-11-22')).toBe('2026-11-24'); // 6 Jan + 23 × 14 days
  });

  it('when a case is escalated, then it lands on the next meeting after that day, not one held the same day', () => {
    expect(meetingForEscalation(rhythm, '2026-01-05')).toBe('2026-01-06');
    expect(meetingForEscalation(rhythm, '2026-01-06')).toBe('2026-01-20');
    expect(meetingForEscalation(rhythm, '2026-01-19')).toBe('2026-01-20');
  });

  it('when the agenda of a meeting is read, then it covers the escalations since the day of the previous meeting', () => {
    expect(escalationWindowFor(rhythm, '2026-01-20')).toEqual({ from: '2026-01-06', to: '2026-01-19' });
    expect(escalationWindowFor(rhythm, '2026-01-06')).toEqual({ from: null, to: '2026-01-05' });
    // Every escalation date maps into exactly the window of its own meeting.
    for (const day of ['2026-01-06', '2026-01-12', '2026-01-19']) {
      const window = escalationWindowFor(rhythm, meetingForEscalation(rhythm, day));
      expect(day >= (window.from ?? '') && day <= window.to).toBe(true);
    }
  });
});

describe('a meeting that falls on a day off', () => {
  // The autumn holiday, week 42 of 2026: Monday 12 to Friday 16 October (Tuesday 13 October is a meeting day).
  const calendar = { daysOff: [{ from: '2026-10-12', to: '2026-10-16', name: 'Efterårsferie' }] };

  it('when a meeting date lies in a holiday, then the meeting is held on the next school day, and the rhythm goes on from its own dates', () => {
    expect(meetingOnOrAfter(rhythm, '2026-10-07')).toBe('2026-10-13');
    expect(meetingOnOrAfter(rhythm, '2026-10-07', calendar)).toBe('2026-10-19');
    expect(meetingOnOrAfter(rhythm, '2026-10-20', calendar)).toBe('2026-10-27');
  });

  it('when a case is escalated in the holiday, then it lands on the moved meeting, and that meeting’s agenda runs from the meeting before it', () => {
    expect(meetingForEscalation(rhythm, '2026-10-14', calendar)).toBe('2026-10-19');
    expect(escalationWindowFor(rhythm, '2026-10-19', calendar)).toEqual({ from: '2026-09-29', to: '2026-10-18' });
    expect(escalationWindowFor(rhythm, '2026-10-27', calendar)).toEqual({ from: '2026-10-19', to: '2026-10-26' });
  });
});
