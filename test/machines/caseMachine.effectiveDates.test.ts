/**
 * A case kept on paper is entered with its real dates: the assessment, the plan and the closure
 * may be dated in the past, but never in the future and never before what they follow. Every
 * history entry carries `on`, the school date it took effect, which analytics count with.
 */
import { describe, expect, it } from 'vitest';
import {
  accept,
  at,
  closureCommand,
  complete,
  inActionPlan,
  inFollowUp,
  mappingDone,
  open,
  paths,
  refuse,
  reviewsOf,
  stepOf,
  threeTrackPlan,
  WED_OPENED,
} from './support';

describe('the assessment date', () => {
  it('when the assessment is dated in the past, then the case records that date and enters the action plan on it', () => {
    const { snapshot, emitted } = accept(mappingDone(), {
      type: 'assessment.decide',
      decision: 'action_plan',
      rationale: 'Besluttet på mødet',
      decidedOn: '2026-11-30',
      at: at('2026-12-07'),
    });
    expect(snapshot.context.assessment?.decidedOn).toBe('2026-11-30');
    expect(stepOf(snapshot, 'assessment').completedOn).toBe('2026-11-30');
    expect(stepOf(snapshot, 'action_plan').createdOn).toBe('2026-11-30');
    const entered = emitted.find((entry) => entry.event === 'phase_entered');
    expect(entered?.phase).toBe('action_plan');
    expect(entered?.on).toBe('2026-11-30');
    expect(entered?.at).toBe(at('2026-12-07'));
  });

  it('when the assessment is dated before the last mapping track was done, then it is refused naming decidedOn', () => {
    // mappingDone() completes the last track (parent_conversation) on 2026-11-23.
    const error = refuse(mappingDone(), {
      type: 'assessment.decide',
      decision: 'close',
      rationale: 'For tidligt',
      decidedOn: '2026-11-22',
      at: at('2026-12-03'),
    });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['decidedOn']);
  });

  it('when the assessment is dated after today, then it is refused naming decidedOn', () => {
    const error = refuse(mappingDone(), {
      type: 'assessment.decide',
      decision: 'action_plan',
      rationale: 'Fremtid',
      decidedOn: '2026-12-04',
      at: at('2026-12-03'),
    });
    expect(paths(error)).toEqual(['decidedOn']);
  });
});

describe('the plan date', () => {
  it('when a plan is dated in the past, then that is its adoption date, the action_plan step was done then and follow-up began then', () => {
    const { snapshot, emitted } = accept(inActionPlan(), {
      type: 'plan.submit',
      measures: threeTrackPlan('2026-12-07', '2027-01-04'),
      adoptedOn: '2026-12-07',
      at: at('2026-12-10'),
    });
    expect(snapshot.context.plans.at(-1)?.adoptedOn).toBe('2026-12-07');
    expect(stepOf(snapshot, 'action_plan').completedOn).toBe('2026-12-07');
    expect(stepOf(snapshot, 'follow_up_1').createdOn).toBe('2026-12-07');
    expect(emitted.find((entry) => entry.event === 'phase_entered')?.on).toBe('2026-12-07');
    expect(emitted.find((entry) => entry.event === 'plan_revision')?.on).toBe('2026-12-07');
  });

  it('when a plan is dated before the assessment that called for it, then it is refused naming adoptedOn', () => {
    // inActionPlan() assessed on 2026-12-03.
    const error = refuse(inActionPlan(), {
      type: 'plan.submit',
      measures: threeTrackPlan('2026-12-07', '2027-01-04'),
      adoptedOn: '2026-12-02',
      at: at('2026-12-10'),
    });
    expect(paths(error)).toEqual(['adoptedOn']);
  });

  it('when a revision is dated before the plan it revises, then it is refused naming adoptedOn', () => {
    // inFollowUp() adopted its plan on 2026-12-10.
    const error = refuse(inFollowUp(), {
      type: 'plan.submit',
      measures: threeTrackPlan('2026-12-14', '2027-01-04'),
      adoptedOn: '2026-12-09',
      at: at('2026-12-20'),
    });
    expect(paths(error)).toEqual(['adoptedOn']);
  });
});

describe('the closing date', () => {
  it('when a case is closed with a past date after its last follow-up, then it closed on that date', () => {
    let snapshot = inFollowUp();
    snapshot = accept(snapshot, {
      type: 'followUp.record',
      heldOn: '2027-01-05',
      reviews: reviewsOf(snapshot),
      outcome: 'propose_closure',
      at: at('2027-01-05'),
    }).snapshot;
    const { snapshot: closed, emitted } = accept(snapshot, closureCommand('2027-01-20', { closedOn: '2027-01-12' }));
    expect(closed.context.closure?.closedOn).toBe('2027-01-12');
    expect(emitted.map((entry) => [entry.event, entry.on])).toEqual([
      ['closed', '2027-01-12'],
      ['phase_entered', '2027-01-12'],
    ]);
  });

  it('when a case is closed with a date before its last follow-up, then it is refused naming closedOn', () => {
    let snapshot = inFollowUp();
    snapshot = accept(snapshot, {
      type: 'followUp.record',
      heldOn: '2027-01-05',
      reviews: reviewsOf(snapshot),
      outcome: 'continue',
      at: at('2027-01-05'),
    }).snapshot;
    const error = refuse(snapshot, closureCommand('2027-01-20', { closedOn: '2027-01-04' }));
    expect(paths(error)).toEqual(['closedOn']);
  });

  it('when a case is closed with a date in the future, then it is refused naming closedOn', () => {
    const error = refuse(inFollowUp(), closureCommand('2026-12-20', { closedOn: '2026-12-21' }));
    expect(paths(error)).toContain('closedOn');
  });
});

describe('the date each event took effect', () => {
  it('when a case opened on paper weeks ago is entered today, then its opening counts from the paper date while its recording time is today', () => {
    const { emitted } = open('2026-10-05', { at: at('2026-11-18') });
    const opened = emitted.find((entry) => entry.event === 'opened');
    expect(opened?.on).toBe('2026-10-05');
    expect(opened?.at).toBe(at('2026-11-18'));
    expect(emitted.find((entry) => entry.event === 'phase_entered')?.on).toBe('2026-10-05');
    // Steps overdue on entry are overdue as of the day they were entered.
    expect(emitted.filter((entry) => entry.event === 'step_overdue').every((entry) => entry.on === '2026-11-18')).toBe(true);
  });

  it('when a mapping step is marked done with an earlier completion date, then its entry takes effect on that date', () => {
    const { snapshot } = open(WED_OPENED);
    const { emitted } = accept(snapshot, complete('pupil_conversation', '2026-11-26', { completedOn: '2026-11-24' }));
    expect(emitted.filter((entry) => entry.event === 'step_done').map((entry) => [entry.stepId, entry.on])).toEqual([
      ['pupil_conversation', '2026-11-24'],
    ]);
    expect(stepOf(snapshot, 'pupil_conversation').createdOn).toBe(WED_OPENED);
  });
});
