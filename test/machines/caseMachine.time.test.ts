/**
 * Time as an event: the machine never reads a clock; a `clock.tick` carrying an instant moves its
 * "today", and step statuses follow (due soon = within 3 school days of the deadline).
 */
import { describe, expect, it } from 'vitest';
import { schoolDaysBetween, type SchoolCalendar } from '../../src/domain/calendar';
import { addDays } from '../../src/domain/dates';
import { defaultDanishCalendar } from '../../src/domain/danishHolidays';
import {
  DEFAULT_THRESHOLDS,
  dueSoonFrom,
  nextStatusChangeOn,
  statusOn,
  type CaseSnapshot,
} from '../../src/machines/case';
import {
  WED_OPENED,
  accept,
  at,
  closureCommand,
  complete,
  inFollowUp,
  mappingDone,
  open,
  send,
  stepOf,
} from './support';

// Case opened Wed 2026-11-18:
//   pupil_conversation, parent_conversation due Tue 2026-12-01 (end of week 2)
//   class_community, assessment            due Tue 2026-12-08 (end of week 3)
// Due soon when at most 3 school days remain: for Tue 12-01 that is from Thu 11-26
// (Thu → Fri, Mon, Tue = 3), not Wed 11-25 (Wed → Thu, Fri, Mon, Tue = 4).

function tick(snapshot: CaseSnapshot, date: string, utcTime?: string) {
  return send(snapshot, { type: 'clock.tick', at: at(date, utcTime) });
}

function statuses(snapshot: CaseSnapshot): Record<string, string> {
  return Object.fromEntries(snapshot.context.steps.map((step) => [step.stepId, step.status]));
}

describe('clock.tick and step statuses', () => {
  it('when the clock reaches 4 school days before a deadline, then the step is still open and nothing is recorded', () => {
    const opened = open(WED_OPENED).snapshot;
    const { snapshot, emitted } = tick(opened, '2026-11-25');
    expect(stepOf(snapshot, 'pupil_conversation').status).toBe('open');
    expect(stepOf(snapshot, 'parent_conversation').status).toBe('open');
    expect(emitted).toEqual([]);
    expect(snapshot.context.history).toEqual(opened.context.history);
    expect(snapshot.context.today).toBe('2026-11-25');
  });

  it('when the clock reaches exactly 3 school days before a deadline, then the step is due_soon and that is recorded once', () => {
    const { snapshot, emitted } = tick(open(WED_OPENED).snapshot, '2026-11-26');
    expect(statuses(snapshot)).toEqual({
      class_community: 'open',
      pupil_conversation: 'due_soon',
      parent_conversation: 'due_soon',
      assessment: 'open',
    });
    expect(emitted.map((entry) => [entry.event, entry.stepId, entry.detail])).toEqual([
      ['step_due_soon', 'pupil_conversation', { dueOn: '2026-12-01' }],
      ['step_due_soon', 'parent_conversation', { dueOn: '2026-12-01' }],
    ]);
    expect(emitted.every((entry) => entry.at === at('2026-11-26'))).toBe(true);
  });

  it('when the clock ticks again while a step is due soon, then no second step_due_soon is recorded', () => {
    let snapshot = tick(open(WED_OPENED).snapshot, '2026-11-26').snapshot;
    const recorded = snapshot.context.history.length;
    for (const day of ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-30', '2026-12-01']) {
      const stepped = tick(snapshot, day);
      expect(stepped.emitted, day).toEqual([]);
      snapshot = stepped.snapshot;
    }
    expect(snapshot.context.history).toHaveLength(recorded);
    expect(stepOf(snapshot, 'pupil_conversation').status).toBe('due_soon'); // on the deadline day itself
  });

  it('when the day after the deadline comes, then the step is overdue, recorded once, and the later steps are untouched', () => {
    let snapshot = tick(open(WED_OPENED).snapshot, '2026-11-26').snapshot;
    const stepped = tick(snapshot, '2026-12-02');
    snapshot = stepped.snapshot;
    expect(statuses(snapshot)).toEqual({
      class_community: 'open', // 12-02 → Thu, Fri, Mon, Tue = 4 school days to 12-08
      pupil_conversation: 'overdue',
      parent_conversation: 'overdue',
      assessment: 'open',
    });
    expect(stepped.emitted.map((entry) => [entry.event, entry.stepId])).toEqual([
      ['step_overdue', 'pupil_conversation'],
      ['step_overdue', 'parent_conversation'],
    ]);
    expect(tick(snapshot, '2026-12-02').emitted).toEqual([]);
    expect(tick(snapshot, '2026-12-03').emitted.map((entry) => [entry.event, entry.stepId])).toEqual([
      ['step_due_soon', 'class_community'],
      ['step_due_soon', 'assessment'],
    ]);
  });

  it('when a step is done before its deadline, then the clock leaves it done', () => {
    let snapshot = accept(open(WED_OPENED).snapshot, complete('pupil_conversation', '2026-11-20')).snapshot;
    const stepped = tick(snapshot, '2026-12-02');
    snapshot = stepped.snapshot;
    expect(stepOf(snapshot, 'pupil_conversation').status).toBe('done');
    expect(stepOf(snapshot, 'parent_conversation').status).toBe('overdue');
    expect(stepped.emitted.map((entry) => entry.stepId)).toEqual(['parent_conversation']);
  });

  it('when the clock jumps straight past every deadline, then each step is recorded overdue once, with no due_soon in between', () => {
    const { snapshot, emitted } = tick(open(WED_OPENED).snapshot, '2026-12-09');
    expect(Object.values(statuses(snapshot))).toEqual(['overdue', 'overdue', 'overdue', 'overdue']);
    expect(emitted.map((entry) => entry.event)).toEqual(['step_overdue', 'step_overdue', 'step_overdue', 'step_overdue']);
    expect(emitted.map((entry) => entry.stepId)).toEqual(['class_community', 'pupil_conversation', 'parent_conversation', 'assessment']);
  });

  it('when a tick arrives at 23:30 UTC, then it counts on the Danish date, which is already the next day', () => {
    // 2026-11-25T23:30Z = 00:30 on Thu 2026-11-26 in Copenhagen (CET, +01:00).
    const { snapshot, emitted } = tick(open(WED_OPENED).snapshot, '2026-11-25', '23:30');
    expect(snapshot.context.today).toBe('2026-11-26');
    expect(stepOf(snapshot, 'pupil_conversation').status).toBe('due_soon');
    expect(emitted).toHaveLength(2);
  });

  it('when a tick arrives with an earlier instant than one already seen, then the clock does not go back', () => {
    const late = tick(open(WED_OPENED).snapshot, '2026-12-02').snapshot;
    const { snapshot, emitted } = tick(late, '2026-11-20');
    expect(snapshot.context.today).toBe('2026-12-02');
    expect(stepOf(snapshot, 'pupil_conversation').status).toBe('overdue');
    expect(emitted).toEqual([]);
  });

  it('when the assessment comes late, then the action_plan step enters already due soon and that is recorded', () => {
    // action_plan due Tue 12-15; from Thu 12-10 that is Fri, Mon, Tue = 3 school days.
    const { snapshot, emitted } = accept(mappingDone(), {
      type: 'assessment.decide',
      decision: 'action_plan',
      rationale: 'x',
      at: at('2026-12-10'),
    });
    expect(stepOf(snapshot, 'action_plan').status).toBe('due_soon');
    expect(emitted.at(-1)).toEqual(expect.objectContaining({ event: 'step_due_soon', stepId: 'action_plan', phase: 'action_plan' }));
  });

  it('when a follow-up step becomes due soon and then overdue, then each is recorded once', () => {
    // follow_up_1 due Tue 2027-01-05; due soon from Thu 2026-12-31 (Thu → Fri, Mon, Tue = 3).
    let snapshot = inFollowUp();
    expect(tick(snapshot, '2026-12-30').emitted).toEqual([]);
    const soon = tick(snapshot, '2026-12-31');
    expect(soon.emitted.map((entry) => [entry.event, entry.stepId])).toEqual([['step_due_soon', 'follow_up_1']]);
    snapshot = soon.snapshot;
    const late = tick(snapshot, '2027-01-06');
    expect(late.emitted.map((entry) => [entry.event, entry.stepId])).toEqual([['step_overdue', 'follow_up_1']]);
    expect(tick(late.snapshot, '2027-01-07').emitted).toEqual([]);
  });
});

describe('a case entered with an opening date in the past', () => {
  it('when a case opened weeks ago on paper is entered, then its steps are overdue at once and announced with the opening', () => {
    // Opened Thu 2026-10-01: weeks run Thu … Wed; week 2 ends Wed 10-14, week 3 ends Wed 10-21.
    const { snapshot, emitted } = open('2026-10-01', { at: at('2026-11-18') });
    expect(snapshot.context.steps.map((step) => [step.stepId, step.dueOn, step.status])).toEqual([
      ['class_community', '2026-10-21', 'overdue'],
      ['pupil_conversation', '2026-10-14', 'overdue'],
      ['parent_conversation', '2026-10-14', 'overdue'],
      ['assessment', '2026-10-21', 'overdue'],
    ]);
    expect(snapshot.context.today).toBe('2026-11-18');
    expect(emitted.map((entry) => [entry.seq, entry.event, entry.stepId])).toEqual([
      [1, 'opened', undefined],
      [2, 'phase_entered', undefined],
      // Every step is also more than 10 school days late by 11-18 (week-2 steps from Thu 10-29,
      // week-3 steps from Thu 11-05), so the school leader is told of each, once.
      [3, 'step_overdue', 'class_community'],
      [4, 'step_overdue_leader', 'class_community'],
      [5, 'step_overdue', 'pupil_conversation'],
      [6, 'step_overdue_leader', 'pupil_conversation'],
      [7, 'step_overdue', 'parent_conversation'],
      [8, 'step_overdue_leader', 'parent_conversation'],
      [9, 'step_overdue', 'assessment'],
      [10, 'step_overdue_leader', 'assessment'],
    ]);
    expect(snapshot.context.history).toEqual(emitted);
  });

  it('when a case opened two weeks ago is entered, then only the week-2 steps are overdue', () => {
    // Opened Wed 2026-11-04: week 2 = 11-11 … Tue 11-17 (overdue on 11-18);
    // week 3 = 11-18 … Tue 11-24, and from Wed 11-18 that is Thu, Fri, Mon, Tue = 4 school days: open.
    const { snapshot } = open('2026-11-04', { at: at('2026-11-18') });
    expect(statuses(snapshot)).toEqual({
      class_community: 'open',
      pupil_conversation: 'overdue',
      parent_conversation: 'overdue',
      assessment: 'open',
    });
  });
});

describe('when the workflow should wake: nextStatusChangeOn', () => {
  it('when a Wednesday case is opened, then the wake dates are the exact days a status changes', () => {
    let snapshot = open(WED_OPENED).snapshot;
    const wakes: string[] = [];
    for (let next = nextStatusChangeOn(snapshot.context.steps, snapshot.context.today); next !== undefined; ) {
      wakes.push(next);
      // the day before the wake date changes nothing …
      const dayBefore = new Date(Date.parse(`${next}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      if (dayBefore > snapshot.context.today) expect(tick(snapshot, dayBefore).emitted, dayBefore).toEqual([]);
      // … and the wake date itself does.
      const stepped = tick(snapshot, next);
      expect(stepped.emitted.length, next).toBeGreaterThan(0);
      snapshot = stepped.snapshot;
      next = nextStatusChangeOn(snapshot.context.steps, snapshot.context.today);
    }
    expect(wakes).toEqual([
      '2026-11-26', // B and C due soon (3 school days before Tue 12-01)
      '2026-12-02', // B and C overdue
      '2026-12-03', // A and assessment due soon (3 school days before Tue 12-08)
      '2026-12-09', // A and assessment overdue
      '2026-12-16', // B and C more than 10 school days late (12-02 … 12-15 are days 1–10): the leader is told
      '2026-12-23', // A and assessment likewise (12-09 … 12-22)
    ]);
  });

  it('when every remaining step is done or cancelled, then there is nothing to wake for', () => {
    const closed = accept(inFollowUp(), closureCommand('2026-12-17')).snapshot;
    expect(nextStatusChangeOn(closed.context.steps, closed.context.today)).toBeUndefined();
  });

  it('when only a done step has a near deadline, then the wake date is the open step\'s', () => {
    const snapshot = accept(open(WED_OPENED).snapshot, complete('pupil_conversation', '2026-11-19')).snapshot;
    const parentDone = accept(snapshot, complete('parent_conversation', '2026-11-19')).snapshot;
    // only class_community and assessment (due Tue 12-08) remain: due soon from Thu 12-03
    expect(nextStatusChangeOn(parentDone.context.steps, parentDone.context.today)).toBe('2026-12-03');
  });
});

describe('dueSoonFrom and statusOn', () => {
  it.each([
    ['2026-12-01', '2026-11-26'], // Tue: Thu → Fri, Mon, Tue
    ['2026-12-02', '2026-11-27'], // Wed: Fri → Mon, Tue, Wed (the weekend before counts as due soon too)
    ['2026-12-07', '2026-12-02'], // Mon: Wed → Thu, Fri, Mon
    ['2026-12-04', '2026-12-01'], // Fri: Tue → Wed, Thu, Fri
  ])('when a step is due %s, then it is due soon from %s', (dueOn, from) => {
    expect(dueSoonFrom(dueOn)).toBe(from);
    const dayBefore = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(statusOn({ status: 'open', dueOn }, from)).toBe('due_soon');
    expect(statusOn({ status: 'open', dueOn }, dayBefore)).toBe('open');
  });

  it('when a step is done or cancelled, then its status does not change with time', () => {
    expect(statusOn({ status: 'done', dueOn: '2026-12-01' }, '2027-01-01')).toBe('done');
    expect(statusOn({ status: 'cancelled', dueOn: '2026-12-01' }, '2027-01-01')).toBe('cancelled');
    expect(statusOn({ status: 'open', dueOn: '2026-12-01' }, '2026-12-02')).toBe('overdue');
    expect(statusOn({ status: 'due_soon', dueOn: '2026-12-01' }, '2026-12-01')).toBe('due_soon');
  });
});

describe('dueSoonFrom over long days off (issue 11)', () => {
  /** The rule as first written: step back while the school days from the day before stay within 3. */
  function byDefinition(dueOn: string, calendar: SchoolCalendar): string {
    let day = dueOn;
    while (schoolDaysBetween(addDays(day, -1), dueOn, calendar) <= DEFAULT_THRESHOLDS.dueSoonSchoolDays) day = addDays(day, -1);
    return day;
  }

  it('when deadlines fall anywhere in a year of Danish holidays, then the one-pass walk gives what the rule says', () => {
    const calendar = defaultDanishCalendar(2025, 2027);
    for (let dueOn = '2026-01-01'; dueOn <= '2026-12-31'; dueOn = addDays(dueOn, 1)) {
      expect(dueSoonFrom(dueOn, calendar), dueOn).toBe(byDefinition(dueOn, calendar));
    }
  });

  it('when a school was closed for four years before the deadline (chained 92-day holidays), then due soon is found in milliseconds', () => {
    const closed: SchoolCalendar = {
      daysOff: Array.from({ length: 16 }, (_, quarter) => ({ from: addDays('2026-01-01', quarter * 92), to: addDays('2026-01-01', quarter * 92 + 91) })),
    };
    const dueOn = addDays('2026-01-01', 16 * 92 + 1);
    const started = performance.now();
    const found = dueSoonFrom(dueOn, closed);
    expect(performance.now() - started).toBeLessThan(50);
    expect(found).toBe(byDefinition(dueOn, closed));
  });
});
