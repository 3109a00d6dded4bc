/**
 * Deadlines on the Danish school calendar: a case's weeks skip the holidays its school keeps,
 * and the calendar a case was opened with stays with it.
 */
import { describe, expect, it } from 'vitest';
import type { SchoolCalendar } from '../../src/domain/calendar';
import { danishPublicHolidays, defaultSchoolHolidays } from '../../src/domain/danishHolidays';
import { nextStatusChangeOn } from '../../src/machines/case';
import { accept, at, open, send, stepOf } from './support';

const danish: SchoolCalendar = {
  daysOff: [2026, 2027].flatMap((year) => [...danishPublicHolidays(year), ...defaultSchoolHolidays(year)]),
};

function dueDates(openedOn: string, calendar?: SchoolCalendar) {
  const { snapshot } = open(openedOn, calendar ? { calendar } : {});
  return Object.fromEntries(snapshot.context.steps.map((step) => [step.stepId, step.dueOn]));
}

describe('deadlines around the autumn holiday', () => {
  it('when a case opens on Wednesday 30 September 2026, then week 2 ends before the autumn holiday and week 3 after it', () => {
    // Week 2 = 7–13 Oct; 10–18 Oct is the autumn holiday (week 42 with its weekends):
    //   last school day of week 2 is Fri 9 Oct.
    // Week 3 = 14–20 Oct; its school days are Mon 19 and Tue 20 Oct → Tue 20 Oct.
    expect(dueDates('2026-09-30', danish)).toEqual({
      pupil_conversation: '2026-10-09',
      parent_conversation: '2026-10-09',
      class_community: '2026-10-20',
      assessment: '2026-10-20',
    });
    // The same case on weekdays alone would be due Tue 13 Oct (week 2) and Tue 20 Oct (week 3).
    expect(dueDates('2026-09-30').pupil_conversation).toBe('2026-10-13');
  });
});

describe('deadlines around Christmas', () => {
  it('when a case opens on Monday 14 December 2026, then the weeks that fall in the Christmas holiday are due on the first school day after it', () => {
    // Week 2 = 21–27 Dec and week 3 = 28 Dec–3 Jan lie wholly in the holiday (21 Dec–1 Jan)
    // and its weekend; the first school day after is Mon 4 Jan 2027.
    expect(dueDates('2026-12-14', danish)).toEqual({
      pupil_conversation: '2027-01-04',
      parent_conversation: '2027-01-04',
      class_community: '2027-01-04',
      assessment: '2027-01-04',
    });
  });

  it('when that case reaches its action plan, then the plan is due at the end of week 4 on the same calendar', () => {
    let { snapshot } = open('2026-12-14', { calendar: danish });
    for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
      snapshot = send(snapshot, { type: 'step.complete', stepId, at: at('2026-12-17') }).snapshot;
    }
    snapshot = accept(snapshot, { type: 'assessment.decide', decision: 'action_plan', rationale: 'Plan', at: at('2026-12-18') }).snapshot;
    // Week 4 = 4–10 Jan 2027 → Fri 8 Jan.
    expect(stepOf(snapshot, 'action_plan').dueOn).toBe('2027-01-08');
  });
});

describe('due soon on the school calendar', () => {
  it('when a deadline follows a holiday, then "three school days before" counts school days only', () => {
    const { snapshot } = open('2026-12-14', { calendar: danish });
    // Due Mon 4 Jan 2027. On Wed 16 Dec three school days remain (Thu 17, Fri 18 Dec, Mon 4 Jan),
    // so the step is due soon from 16 Dec, more than two weeks ahead of its deadline.
    expect(nextStatusChangeOn(snapshot.context.steps, snapshot.context.today, snapshot.context.calendar)).toBe('2026-12-16');
  });
});

describe('recomputing deadlines on a new calendar', () => {
  it('when the school sets its holidays after a case opened, then the case keeps its deadlines until the tovholder asks to recompute them', () => {
    const { snapshot: opened } = open('2026-09-30');
    expect(stepOf(opened, 'pupil_conversation').dueOn).toBe('2026-10-13');

    let snapshot = send(opened, { type: 'step.complete', stepId: 'class_community', at: at('2026-10-01') }).snapshot;
    const { snapshot: recomputed, emitted } = accept(snapshot, { type: 'deadlines.recompute', calendar: danish, at: at('2026-10-02') });
    // The autumn holiday (10–18 Oct) moves week 2's deadline back to Fri 9 Oct; the done step keeps its date.
    expect(stepOf(recomputed, 'pupil_conversation').dueOn).toBe('2026-10-09');
    expect(stepOf(recomputed, 'class_community').status).toBe('done');
    expect(stepOf(recomputed, 'class_community').dueOn).toBe(stepOf(snapshot, 'class_community').dueOn);
    const entry = emitted.find((candidate) => candidate.event === 'deadlines_recomputed');
    expect(entry?.detail).toEqual({
      changed: [
        { stepId: 'pupil_conversation', from: '2026-10-13', to: '2026-10-09' },
        { stepId: 'parent_conversation', from: '2026-10-13', to: '2026-10-09' },
      ],
    });
    // New steps are dated on the new calendar too.
    snapshot = recomputed;
    for (const stepId of ['pupil_conversation', 'parent_conversation']) {
      snapshot = accept(snapshot, { type: 'step.complete', stepId, at: at('2026-10-05') }).snapshot;
    }
    snapshot = accept(snapshot, { type: 'assessment.decide', decision: 'action_plan', rationale: 'Plan', at: at('2026-10-06') }).snapshot;
    // Week 4 = 21–27 Oct → Tue 27 Oct either way; week 3 would have moved had it been open.
    expect(stepOf(snapshot, 'action_plan').dueOn).toBe('2026-10-27');
  });
});

describe('closing just before a long holiday', () => {
  /** A case on the Danish calendar, walked to follow-up by 2026-09-01. */
  function inFollowUpOnDanishCalendar() {
    let { snapshot } = open('2026-08-10', { calendar: danish });
    for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
      snapshot = send(snapshot, { type: 'step.complete', stepId, at: at('2026-08-20') }).snapshot;
    }
    snapshot = accept(snapshot, { type: 'assessment.decide', decision: 'action_plan', rationale: 'Plan', at: at('2026-08-25') }).snapshot;
    const measures = (['pupil_parents', 'community', 'teaching'] as const).map((track) => ({
      track,
      description: `Indsats (${track})`,
      responsible: 'klasseteamet',
      startsOn: '2026-09-01',
      reviewOn: '2026-09-28',
    }));
    return accept(snapshot, { type: 'plan.submit', measures, at: at('2026-09-01') }).snapshot;
  }
  const closing = (closedOn: string) => ({
    type: 'close' as const,
    at: at(closedOn),
    criteria: {
      regularAttendance: true,
      wellbeingImproving: true,
      communityChallengesReduced: true,
      pupilMotivated: true,
      partiesAgree: true,
      measuresToKeep: [],
    },
    relapsePreventionPlan: 'Klasselæreren ringer hjem efter efterårsferien.',
    bridging: { decision: 'none' as const },
  });

  it('when a case closes five school days before the autumn holiday, then the closure carries a warning naming the holiday', () => {
    // Fri 2 Oct → the holiday starts Sat 10 Oct; school days in between: 5–9 Oct = 5.
    const { snapshot } = accept(inFollowUpOnDanishCalendar(), closing('2026-10-02'));
    expect(snapshot.context.closure?.warnings).toEqual([
      expect.objectContaining({ code: 'closing_before_holiday', holiday: { from: '2026-10-10', to: '2026-10-18', name: 'Efterårsferie' } }),
    ]);
  });

  it('when a case closes six school days before the autumn holiday, then there is no warning', () => {
    // Thu 1 Oct → 2 Oct and 5–9 Oct = 6 school days.
    const { snapshot } = accept(inFollowUpOnDanishCalendar(), closing('2026-10-01'));
    expect(snapshot.context.phase).toBe('closed');
    expect(snapshot.context.closure?.warnings).toBeUndefined();
  });
});

describe('thresholds a municipality sets', () => {
  it('when due soon is set to five school days and the leader alert to two, then the case announces both that much earlier', () => {
    // Opened Wed 18 Nov 2026: the week-2 conversations are due Tue 1 Dec.
    const thresholds = { dueSoonSchoolDays: 5, leaderAlertSchoolDays: 2 };
    const { snapshot } = open('2026-11-18', { thresholds });
    // Five school days before Tue 1 Dec: from Tue 24 Nov (25, 26, 27, 30 Nov and 1 Dec remain).
    expect(nextStatusChangeOn(snapshot.context.steps, snapshot.context.today, snapshot.context.calendar, snapshot.context.thresholds)).toBe(
      '2026-11-24',
    );
    const dueSoon = send(snapshot, { type: 'clock.tick', at: at('2026-11-24') });
    expect(dueSoon.emitted.filter((entry) => entry.event === 'step_due_soon').map((entry) => entry.stepId)).toEqual([
      'pupil_conversation',
      'parent_conversation',
    ]);
    // More than two school days late: from Fri 4 Dec (2 and 3 Dec are days 1 and 2).
    const notYet = send(dueSoon.snapshot, { type: 'clock.tick', at: at('2026-12-03') });
    expect(notYet.emitted.some((entry) => entry.event === 'step_overdue_leader')).toBe(false);
    const leader = send(notYet.snapshot, { type: 'clock.tick', at: at('2026-12-04') });
    expect(leader.emitted.filter((entry) => entry.event === 'step_overdue_leader').map((entry) => entry.stepId)).toEqual([
      'pupil_conversation',
      'parent_conversation',
    ]);
  });
});
