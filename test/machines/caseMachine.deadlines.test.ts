/**
 * Every deadline of the case package, for cases opened on different weekdays. The expected dates
 * are worked out by hand from API.md "Week arithmetic": week n is days 7(n−1)…7n−1 counted from
 * openedOn (day 0); "due end of week n" is the last school day (Mon–Fri) of week n.
 */
import { describe, expect, it } from 'vitest';
import { dayOfWeek, daysBetween } from '../../src/domain/dates';
import type { CaseSnapshot } from '../../src/machines/case';
import { accept, at, complete, open, stepOf, threeTrackPlan } from './support';

interface Walk {
  opened: CaseSnapshot;
  actionPlan: CaseSnapshot;
  followUp: CaseSnapshot;
  closing: CaseSnapshot;
}

/** Opens a case on `openedOn` and walks it (on the opening day) to action plan and follow-up. */
function walk(openedOn: string): Walk {
  let opened = open(openedOn).snapshot;
  let mapped = opened;
  for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
    mapped = accept(mapped, complete(stepId, openedOn)).snapshot;
  }
  const decide = (decision: 'action_plan' | 'close') =>
    accept(mapped, { type: 'assessment.decide', decision, rationale: 'x', at: at(openedOn) }).snapshot;
  const actionPlan = decide('action_plan');
  const followUp = accept(actionPlan, {
    type: 'plan.submit',
    measures: threeTrackPlan(openedOn, openedOn),
    at: at(openedOn),
  }).snapshot;
  opened = open(openedOn).snapshot;
  return { opened, actionPlan, followUp, closing: decide('close') };
}

function dueDates(w: Walk) {
  return {
    class_community: stepOf(w.opened, 'class_community').dueOn,
    pupil_conversation: stepOf(w.opened, 'pupil_conversation').dueOn,
    parent_conversation: stepOf(w.opened, 'parent_conversation').dueOn,
    assessment: stepOf(w.opened, 'assessment').dueOn,
    action_plan: stepOf(w.actionPlan, 'action_plan').dueOn,
    closure: stepOf(w.closing, 'closure').dueOn,
    follow_up_1: stepOf(w.followUp, 'follow_up_1').dueOn,
  };
}

describe('deadlines of a case opened on a Wednesday (2026-11-18)', () => {
  it('when a case is opened on Wednesday 2026-11-18, then every step is due on the Tuesday ending its week', () => {
    // day 0 = Wed 11-18, so every case week runs Wednesday … Tuesday.
    expect(dueDates(walk('2026-11-18'))).toEqual({
      class_community: '2026-12-08', //     week 3: days 14…20 = Wed 12-02 … Tue 12-08
      pupil_conversation: '2026-12-01', //  week 2: days 7…13  = Wed 11-25 … Tue 12-01
      parent_conversation: '2026-12-01', // week 2: as above
      assessment: '2026-12-08', //          week 3: Tue 12-08
      action_plan: '2026-12-15', //         week 4: days 21…27 = Wed 12-09 … Tue 12-15
      closure: '2026-12-15', //             (closure after a "close" decision) week 4
      follow_up_1: '2027-01-05', //         week 7: days 42…48 = Wed 12-30 … Tue 2027-01-05
    });
  });
});

describe('deadlines of a case opened on a Friday (2026-11-20)', () => {
  it('when a case is opened on Friday 2026-11-20, then every step is due on the Thursday ending its week', () => {
    // day 0 = Fri 11-20, so every case week runs Friday … Thursday.
    expect(dueDates(walk('2026-11-20'))).toEqual({
      class_community: '2026-12-10', //     week 3: days 14…20 = Fri 12-04 … Thu 12-10
      pupil_conversation: '2026-12-03', //  week 2: days 7…13  = Fri 11-27 … Thu 12-03
      parent_conversation: '2026-12-03', // week 2: as above
      assessment: '2026-12-10', //          week 3: Thu 12-10
      action_plan: '2026-12-17', //         week 4: days 21…27 = Fri 12-11 … Thu 12-17
      closure: '2026-12-17', //             week 4
      follow_up_1: '2027-01-07', //         week 7: days 42…48 = Fri 2027-01-01 … Thu 2027-01-07
    });
  });
});

describe('deadlines of a case opened on a weekend', () => {
  it('when a case is opened on Saturday 2026-11-21, then every step is due on the Friday ending its week', () => {
    // day 0 = Sat 11-21, so every case week runs Saturday … Friday.
    expect(dueDates(walk('2026-11-21'))).toEqual({
      class_community: '2026-12-11', //     week 3: days 14…20 = Sat 12-05 … Fri 12-11
      pupil_conversation: '2026-12-04', //  week 2: days 7…13  = Sat 11-28 … Fri 12-04
      parent_conversation: '2026-12-04', // week 2
      assessment: '2026-12-11', //          week 3
      action_plan: '2026-12-18', //         week 4: days 21…27 = Sat 12-12 … Fri 12-18
      closure: '2026-12-18', //             week 4
      follow_up_1: '2027-01-08', //         week 7: days 42…48 = Sat 2027-01-02 … Fri 2027-01-08
    });
  });

  it('when a case is opened on Sunday 2026-11-22, then the last school day of each week is its Friday', () => {
    // day 0 = Sun 11-22, so every case week runs Sunday … Saturday; its last school day is the Friday.
    expect(dueDates(walk('2026-11-22'))).toEqual({
      class_community: '2026-12-11', //     week 3: days 14…20 = Sun 12-06 … Sat 12-12 → Fri 12-11
      pupil_conversation: '2026-12-04', //  week 2: days 7…13  = Sun 11-29 … Sat 12-05 → Fri 12-04
      parent_conversation: '2026-12-04', // week 2
      assessment: '2026-12-11', //          week 3
      action_plan: '2026-12-18', //         week 4: days 21…27 = Sun 12-13 … Sat 12-19 → Fri 12-18
      closure: '2026-12-18', //             week 4
      follow_up_1: '2027-01-08', //         week 7: days 42…48 = Sun 2027-01-03 … Sat 2027-01-09 → Fri 01-08
    });
  });

  it('when a case is opened on a Saturday, then nothing is due soon yet: the first deadline is two weeks out', () => {
    const { snapshot } = open('2026-11-21');
    expect(snapshot.context.steps.map((step) => step.status)).toEqual(['open', 'open', 'open', 'open']);
    expect(snapshot.context.today).toBe('2026-11-21');
  });
});

describe('the week rule for every opening weekday', () => {
  // Independent of the hand-worked tables above: for 14 consecutive opening days, each deadline
  // is a weekday, lies inside its case week, and no later weekday of that week exists.
  const openings = Array.from({ length: 14 }, (_, i) => `2026-11-${String(16 + i).padStart(2, '0')}`);
  const weeks = { class_community: 3, pupil_conversation: 2, parent_conversation: 2, assessment: 3, action_plan: 4, follow_up_1: 7 };

  it.each(openings)('when a case is opened on %s, then each deadline is the last Monday–Friday of its case week', (openedOn) => {
    const due = dueDates(walk(openedOn));
    for (const [stepId, week] of Object.entries(weeks)) {
      const dueOn = due[stepId as keyof typeof due];
      const day = daysBetween(openedOn, dueOn);
      expect(day, stepId).toBeGreaterThanOrEqual(7 * (week - 1));
      expect(day, stepId).toBeLessThanOrEqual(7 * week - 1);
      expect([1, 2, 3, 4, 5], stepId).toContain(dayOfWeek(dueOn));
      // the days after the deadline up to the end of the week are all weekend days
      for (let later = day + 1; later <= 7 * week - 1; later += 1) {
        expect([0, 6], stepId).toContain((dayOfWeek(openedOn) + later) % 7);
      }
    }
  });
});
