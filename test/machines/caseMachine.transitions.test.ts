/**
 * Every transition and guard of the case machine, driven as pure functions
 * (`initialTransition` / `transition`): nothing executes, the emitted entries come back as data.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, transition } from 'xstate';
import { caseMachine, checkCommand, openingProblems, toCaseView, type CaseCommand } from '../../src/machines/case';
import {
  WED_OPENED,
  accept,
  at,
  awaitingClosure,
  closureCommand,
  complete,
  inActionPlan,
  inFollowUp,
  mappingDone,
  measure,
  open,
  openInput,
  paths,
  refuse,
  reviewsOf,
  send,
  stepOf,
  threeTrackPlan,
} from './support';

afterEach(() => {
  vi.useRealTimers();
});

describe('opening a case', () => {
  it('when a case is opened, then it is in mapping with the three tracks and the assessment open', () => {
    const { snapshot } = open(WED_OPENED);
    const view = toCaseView(snapshot.context);
    expect(view.phase).toBe('mapping');
    expect(view.steps.map((step) => [step.stepId, step.track, step.status])).toEqual([
      ['class_community', 'A', 'open'],
      ['pupil_conversation', 'B', 'open'],
      ['parent_conversation', 'C', 'open'],
      ['assessment', undefined, 'open'],
    ]);
    expect(view.plan).toBeNull();
    expect(view.planRevision).toBe(0);
    expect(view.escalationLevel).toBe(0);
    expect(snapshot.value).toEqual({
      mapping: { tracks: { classCommunity: 'open', pupilConversation: 'open', parentConversation: 'open' } },
    });
  });

  it('when a case is opened, then the only actions handed back are emits of "opened" and "phase_entered", as data', () => {
    const { actions, emitted } = open(WED_OPENED);
    expect(actions.map((action) => action.type)).toEqual(['xstate.emit', 'xstate.emit']);
    expect(emitted.map((entry) => [entry.seq, entry.event, entry.phase])).toEqual([
      [1, 'opened', 'mapping'],
      [2, 'phase_entered', 'mapping'],
    ]);
    expect(emitted[0]?.detail).toEqual({ openedOn: WED_OPENED, source: 'parents' });
  });
});

describe('the opening date', () => {
  it('when openedOn is today or earlier, then opening is allowed; a later date is refused on openedOn', () => {
    expect(openingProblems({ openedOn: '2026-11-18' }, '2026-11-18')).toEqual([]);
    expect(openingProblems({ openedOn: '2026-10-01' }, '2026-11-18')).toEqual([]);
    expect(openingProblems({ openedOn: '2026-11-19' }, '2026-11-18').map((problem) => problem.path)).toEqual(['openedOn']);
  });
});

describe('purity: the machine as a function', () => {
  it('when a transition is computed, then no listener hears the emitted entries and the input snapshot is unchanged', () => {
    const heard = vi.fn();
    const actor = createActor(caseMachine, { input: openInput(WED_OPENED) });
    actor.on('case.recorded', heard);
    actor.start();
    expect(heard).toHaveBeenCalledTimes(2); // a running actor does execute the emits …
    heard.mockClear();

    const before = actor.getSnapshot();
    const frozen = JSON.stringify(before);
    const [next, actions] = transition(caseMachine, before, complete('class_community', '2026-11-19'));

    expect(heard).not.toHaveBeenCalled(); // … the pure transition only describes them
    expect(actions).toHaveLength(1);
    expect(stepOf(next, 'class_community').status).toBe('done');
    expect(JSON.stringify(before)).toBe(frozen);
    expect(actor.getSnapshot()).toBe(before);
    actor.stop();
  });

  it('when the same event is applied twice to the same snapshot, then both results are identical', () => {
    const snapshot = mappingDone();
    const event: CaseCommand = { type: 'assessment.decide', decision: 'action_plan', rationale: 'x', at: at('2026-12-03') };
    const first = send(snapshot, event);
    const second = send(snapshot, event);
    expect(first.snapshot.context).toEqual(second.snapshot.context);
    expect(first.snapshot.value).toEqual(second.snapshot.value);
    expect(first.emitted).toEqual(second.emitted);
  });

  it('when the computer clock says another year, then the case is the same: time only arrives as the event\'s `at`', () => {
    const event = complete('pupil_conversation', '2026-11-20');
    const base = open(WED_OPENED).snapshot;
    const expected = send(base, event).snapshot.context;

    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-06-15T08:00:00Z'));
    const reopened = open(WED_OPENED).snapshot;
    const actual = send(reopened, event).snapshot.context;
    expect(actual).toEqual(expected);
    expect(actual.today).toBe('2026-11-20');
  });
});

describe('mapping: three tracks in parallel', () => {
  const orders = [
    ['class_community', 'pupil_conversation', 'parent_conversation'],
    ['class_community', 'parent_conversation', 'pupil_conversation'],
    ['pupil_conversation', 'class_community', 'parent_conversation'],
    ['pupil_conversation', 'parent_conversation', 'class_community'],
    ['parent_conversation', 'class_community', 'pupil_conversation'],
    ['parent_conversation', 'pupil_conversation', 'class_community'],
  ] as const;

  it.each(orders)('when the tracks are done in the order %s, %s, %s, then the assessment opens only after the third', (a, b, c) => {
    let { snapshot } = open(WED_OPENED);
    snapshot = accept(snapshot, complete(a, '2026-11-19')).snapshot;
    expect(snapshot.matches({ mapping: 'tracks' })).toBe(true);
    snapshot = accept(snapshot, complete(b, '2026-11-20')).snapshot;
    expect(snapshot.matches({ mapping: 'tracks' })).toBe(true);
    expect(checkCommand(snapshot, { type: 'assessment.decide', decision: 'close', rationale: 'x', at: at('2026-11-20') }).ok).toBe(false);
    snapshot = accept(snapshot, complete(c, '2026-11-23')).snapshot;
    expect(snapshot.matches({ mapping: 'assessing' })).toBe(true);
    expect(stepOf(snapshot, a).completedOn).toBe('2026-11-19');
    expect(stepOf(snapshot, b).completedOn).toBe('2026-11-20');
    expect(stepOf(snapshot, c).completedOn).toBe('2026-11-23');
    expect(snapshot.context.phase).toBe('mapping');
  });

  it('when a track is completed with an earlier completedOn, then that date is kept and the note stays out of the view', () => {
    const { snapshot } = accept(
      open(WED_OPENED).snapshot,
      complete('parent_conversation', '2026-11-24', { completedOn: '2026-11-19', note: 'Mor og far mødte op' }),
    );
    const step = toCaseView(snapshot.context).steps.find((s) => s.stepId === 'parent_conversation');
    expect(step).toEqual(expect.objectContaining({ status: 'done', completedOn: '2026-11-19' }));
    expect(step).not.toHaveProperty('note');
    expect(stepOf(snapshot, 'parent_conversation').note).toBe('Mor og far mødte op');
  });

  it('when the assessment is asked for before any track is done, then 409 names all three open tracks', () => {
    const error = refuse(open(WED_OPENED).snapshot, {
      type: 'assessment.decide',
      decision: 'action_plan',
      rationale: 'x',
      at: at('2026-11-19'),
    });
    expect(error.code).toBe('not_allowed_now');
    expect(error.detail).toContain('class_community (track A)');
    expect(error.detail).toContain('pupil_conversation (track B)');
    expect(error.detail).toContain('parent_conversation (track C)');
  });

  it('when the assessment is asked for with only track A done, then 409 names tracks B and C but not A', () => {
    const { snapshot } = accept(open(WED_OPENED).snapshot, complete('class_community', '2026-11-19'));
    const error = refuse(snapshot, { type: 'assessment.decide', decision: 'close', rationale: 'x', at: at('2026-11-19') });
    expect(error.code).toBe('not_allowed_now');
    expect(error.detail).toContain('pupil_conversation (track B)');
    expect(error.detail).toContain('parent_conversation (track C)');
    expect(error.detail).not.toContain('class_community');
  });
});

describe('completing steps', () => {
  it('when an unknown step is completed, then step_not_found (404) and nothing changes', () => {
    const error = refuse(open(WED_OPENED).snapshot, complete('no_such_step', '2026-11-19'));
    expect(error.code).toBe('step_not_found');
  });

  it('when a done step is completed again, then 409 "already done"', () => {
    const { snapshot } = accept(open(WED_OPENED).snapshot, complete('class_community', '2026-11-19'));
    const error = refuse(snapshot, complete('class_community', '2026-11-20'));
    expect(error.code).toBe('not_allowed_now');
    expect(error.detail).toContain('already done');
  });

  it('when the assessment step is marked done directly, then 409: it is done by the assessment itself', () => {
    const error = refuse(mappingDone(), complete('assessment', '2026-12-03'));
    expect(error.code).toBe('not_allowed_now');
    expect(error.detail).toContain('own action');
  });

  it('when the action_plan step is marked done directly, then 409: it is done by submitting a plan', () => {
    const error = refuse(inActionPlan(), complete('action_plan', '2026-12-04'));
    expect(error.code).toBe('not_allowed_now');
    expect(stepOf(inActionPlan(), 'action_plan').status).not.toBe('done');
  });

  it('when follow_up_1 or closure is marked done directly, then 409', () => {
    expect(refuse(inFollowUp(), complete('follow_up_1', '2026-12-11')).code).toBe('not_allowed_now');
    expect(refuse(awaitingClosure(), complete('closure', '2026-12-04')).code).toBe('not_allowed_now');
  });

  it('when completedOn lies after the day of the request, then 422 on completedOn', () => {
    const error = refuse(
      open(WED_OPENED).snapshot,
      complete('pupil_conversation', '2026-11-19', { completedOn: '2026-11-20' }),
    );
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['completedOn']);
  });

  it('when completedOn lies before the opening, then 422 on completedOn', () => {
    const error = refuse(
      open(WED_OPENED).snapshot,
      complete('pupil_conversation', '2026-11-19', { completedOn: '2026-11-17' }),
    );
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['completedOn']);
  });

  it('when completedOn is the opening day itself, then it is accepted', () => {
    const { snapshot } = accept(
      open(WED_OPENED).snapshot,
      complete('pupil_conversation', '2026-11-19', { completedOn: WED_OPENED }),
    );
    expect(stepOf(snapshot, 'pupil_conversation').completedOn).toBe(WED_OPENED);
  });

  it('when a request at 23:30 UTC says completedOn is the next Danish day, then it is not "in the future"', () => {
    // 2026-11-19T23:30Z is 00:30 on 2026-11-20 in Copenhagen (CET, +01:00).
    const command: CaseCommand = { type: 'step.complete', stepId: 'class_community', completedOn: '2026-11-20', at: '2026-11-19T23:30:00Z' };
    const { snapshot } = accept(open(WED_OPENED).snapshot, command);
    expect(stepOf(snapshot, 'class_community').completedOn).toBe('2026-11-20');
    expect(snapshot.context.today).toBe('2026-11-20');
  });
});

describe('assessment', () => {
  it('when the assessment decides an action plan, then the case enters action_plan with an action_plan step due end of week 4', () => {
    const { snapshot, emitted } = accept(mappingDone(), {
      type: 'assessment.decide',
      decision: 'action_plan',
      rationale: 'Fraværet er bekymrende',
      at: at('2026-12-03'),
    });
    const view = toCaseView(snapshot.context);
    expect(view.phase).toBe('action_plan');
    expect(snapshot.value).toBe('actionPlan');
    expect(view.assessment).toEqual({ decision: 'action_plan', rationale: 'Fraværet er bekymrende', decidedOn: '2026-12-03' });
    expect(stepOf(snapshot, 'assessment')).toEqual(expect.objectContaining({ status: 'done', completedOn: '2026-12-03' }));
    // Opened Wed 2026-11-18; week 4 = days 21…27 = Wed 12-09 … Tue 12-15 → Tue 2026-12-15.
    expect(stepOf(snapshot, 'action_plan')).toEqual(
      expect.objectContaining({ phase: 'action_plan', dueOn: '2026-12-15', status: 'open' }),
    );
    expect(emitted.map((entry) => [entry.event, entry.phase, entry.stepId])).toEqual([
      ['assessment', 'mapping', undefined],
      ['step_done', 'mapping', 'assessment'],
      ['phase_entered', 'action_plan', undefined],
    ]);
  });

  it('when the assessment decides to close, then a closure step appears and the case stays in mapping until closed', () => {
    const snapshot = awaitingClosure();
    expect(snapshot.context.phase).toBe('mapping');
    expect(snapshot.matches({ mapping: 'awaitingClosure' })).toBe(true);
    // Week 4 of a case opened Wed 2026-11-18 ends Tue 2026-12-15.
    expect(stepOf(snapshot, 'closure')).toEqual(expect.objectContaining({ dueOn: '2026-12-15', status: 'open' }));
    expect(checkCommand(snapshot, closureCommand('2026-12-04'))).toEqual({ ok: true });
    expect(refuse(snapshot, { type: 'plan.submit', measures: threeTrackPlan('2026-12-04', '2026-12-20'), at: at('2026-12-04') }).code).toBe(
      'not_allowed_now',
    );
  });

  it('when the assessment is given a second time, then 409', () => {
    const error = refuse(inActionPlan(), { type: 'assessment.decide', decision: 'close', rationale: 'x', at: at('2026-12-04') });
    expect(error.code).toBe('not_allowed_now');
    expect(refuse(awaitingClosure(), { type: 'assessment.decide', decision: 'action_plan', rationale: 'x', at: at('2026-12-04') }).code).toBe(
      'not_allowed_now',
    );
  });
});

describe('action plan', () => {
  it('when a plan has measures in all three tracks, then the case enters follow-up with follow_up_1 due end of week 7', () => {
    const { snapshot } = accept(inActionPlan(), {
      type: 'plan.submit',
      measures: threeTrackPlan('2026-12-14', '2027-01-04'),
      at: at('2026-12-10'),
    });
    const view = toCaseView(snapshot.context);
    expect(view.phase).toBe('follow_up');
    expect(view.planRevision).toBe(1);
    expect(view.plan?.adoptedOn).toBe('2026-12-10');
    expect(view.plan?.measures.map((m) => [m.measureId, m.track])).toEqual([
      ['M1', 'pupil_parents'],
      ['M2', 'community'],
      ['M3', 'teaching'],
    ]);
    expect(stepOf(snapshot, 'action_plan')).toEqual(expect.objectContaining({ status: 'done', completedOn: '2026-12-10' }));
    // Week 7 = days 42…48 = Wed 2026-12-30 … Tue 2027-01-05 → Tue 2027-01-05.
    expect(stepOf(snapshot, 'follow_up_1')).toEqual(expect.objectContaining({ phase: 'follow_up', dueOn: '2027-01-05', status: 'open' }));
    expect(view.nextFollowUpDue).toBe('2027-01-05');
  });

  it.each([
    [['community', 'teaching'], 'pupil_parents'],
    [['pupil_parents', 'teaching'], 'community'],
    [['pupil_parents', 'community'], 'teaching'],
  ] as const)('when a plan has measures only in %j, then 422 on `measures` naming %s', (tracks, missing) => {
    const error = refuse(inActionPlan(), {
      type: 'plan.submit',
      measures: tracks.map((track) => measure(track, '2026-12-14', '2027-01-04')),
      at: at('2026-12-10'),
    });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['measures']);
    expect(error.detail).toContain(`missing: ${missing}`);
  });

  it('when a plan has three measures in one track only, then 422 names the two missing tracks', () => {
    const error = refuse(inActionPlan(), {
      type: 'plan.submit',
      measures: [1, 2, 3].map(() => measure('teaching', '2026-12-14', '2027-01-04')),
      at: at('2026-12-10'),
    });
    expect(paths(error)).toEqual(['measures']);
    expect(error.detail).toContain('pupil_parents');
    expect(error.detail).toContain('community');
  });

  it('when a measure is reviewed before it starts, then 422 on measures[i].reviewOn', () => {
    const measures = threeTrackPlan('2026-12-14', '2027-01-04');
    measures[2] = measure('teaching', '2026-12-14', '2026-12-13');
    const error = refuse(inActionPlan(), { type: 'plan.submit', measures, at: at('2026-12-10') });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['measures[2].reviewOn']);
  });

  it('when a measure is reviewed on the day it starts, then the plan is accepted', () => {
    const { snapshot } = accept(inActionPlan(), {
      type: 'plan.submit',
      measures: threeTrackPlan('2026-12-14', '2026-12-14'),
      at: at('2026-12-10'),
    });
    expect(snapshot.context.phase).toBe('follow_up');
  });

  it('when a measure starts before the case was opened, then 422 on measures[i].startsOn', () => {
    const measures = threeTrackPlan('2026-12-14', '2027-01-04');
    measures[0] = measure('pupil_parents', '2026-11-17', '2027-01-04');
    const error = refuse(inActionPlan(), { type: 'plan.submit', measures, at: at('2026-12-10') });
    expect(paths(error)).toEqual(['measures[0].startsOn']);
  });

  it('when the first plan names a measureId, then 422: there is no measure to carry', () => {
    const measures = threeTrackPlan('2026-12-14', '2027-01-04');
    measures[1] = measure('community', '2026-12-14', '2027-01-04', { measureId: 'M1' });
    const error = refuse(inActionPlan(), { type: 'plan.submit', measures, at: at('2026-12-10') });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['measures[1].measureId']);
  });

  it('when a plan is submitted during mapping, then 409', () => {
    const command: CaseCommand = { type: 'plan.submit', measures: threeTrackPlan('2026-11-23', '2026-12-20'), at: at('2026-11-20') };
    expect(refuse(open(WED_OPENED).snapshot, command).code).toBe('not_allowed_now');
    expect(refuse(mappingDone(), command).code).toBe('not_allowed_now');
  });
});

describe('plan revisions in follow-up', () => {
  it('when a plan is posted in follow-up, then it is a new revision, the old one is kept, carried measures keep their IDs', () => {
    const before = inFollowUp();
    const original = before.context.plans[0];
    const { snapshot } = accept(before, {
      type: 'plan.submit',
      measures: [
        measure('pupil_parents', '2026-12-14', '2027-01-11', { measureId: 'M1', description: 'Justeret morgenmodtagelse' }),
        measure('community', '2026-12-14', '2027-01-04', { measureId: 'M2' }),
        measure('teaching', '2026-12-21', '2027-01-18'),
      ],
      at: at('2026-12-17'),
    });
    const view = toCaseView(snapshot.context);
    expect(view.phase).toBe('follow_up');
    expect(view.planRevision).toBe(2);
    expect(view.planRevisions.map((plan) => plan.revision)).toEqual([1, 2]);
    expect(view.planRevisions[0]).toEqual(original);
    expect(view.plan?.adoptedOn).toBe('2026-12-17');
    expect(view.plan?.measures.map((m) => m.measureId)).toEqual(['M1', 'M2', 'M4']);
    expect(view.plan?.measures[0]?.description).toBe('Justeret morgenmodtagelse');
    // a revision is not a follow-up: the follow-up steps are as they were
    expect(view.steps.filter((step) => step.phase === 'follow_up').map((step) => step.stepId)).toEqual(['follow_up_1']);
  });

  it('when three plans are posted, then all three revisions are kept in order', () => {
    let snapshot = inFollowUp();
    snapshot = accept(snapshot, { type: 'plan.submit', measures: threeTrackPlan('2026-12-14', '2027-01-04'), at: at('2026-12-14') }).snapshot;
    snapshot = accept(snapshot, { type: 'plan.submit', measures: threeTrackPlan('2026-12-15', '2027-01-04'), at: at('2026-12-15') }).snapshot;
    const view = toCaseView(snapshot.context);
    expect(view.planRevisions.map((plan) => [plan.revision, plan.adoptedOn])).toEqual([
      [1, '2026-12-10'],
      [2, '2026-12-14'],
      [3, '2026-12-15'],
    ]);
    expect(view.planRevisions.flatMap((plan) => plan.measures.map((m) => m.measureId))).toEqual([
      'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'M9',
    ]);
  });

  it('when a revision names a measureId not in the current plan, then 422 on measures[i].measureId', () => {
    const measures = threeTrackPlan('2026-12-14', '2027-01-04');
    measures[0] = measure('pupil_parents', '2026-12-14', '2027-01-04', { measureId: 'M99' });
    const error = refuse(inFollowUp(), { type: 'plan.submit', measures, at: at('2026-12-17') });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['measures[0].measureId']);
  });

  it('when a revision carries the same measure twice, then 422', () => {
    const measures = [
      measure('pupil_parents', '2026-12-14', '2027-01-04', { measureId: 'M1' }),
      measure('community', '2026-12-14', '2027-01-04', { measureId: 'M1' }),
      measure('teaching', '2026-12-14', '2027-01-04'),
    ];
    const error = refuse(inFollowUp(), { type: 'plan.submit', measures, at: at('2026-12-17') });
    expect(paths(error)).toEqual(['measures[1].measureId']);
  });

  it('when a revision drops a measure, then a later revision cannot carry it back by ID', () => {
    const revised = accept(inFollowUp(), {
      type: 'plan.submit',
      measures: [
        measure('pupil_parents', '2026-12-14', '2027-01-04', { measureId: 'M1' }),
        measure('community', '2026-12-14', '2027-01-04'),
        measure('teaching', '2026-12-14', '2027-01-04', { measureId: 'M3' }),
      ],
      at: at('2026-12-17'),
    }).snapshot;
    expect(revised.context.plans.at(-1)?.measures.map((m) => m.measureId)).toEqual(['M1', 'M4', 'M3']);
    const error = refuse(revised, {
      type: 'plan.submit',
      measures: [
        measure('pupil_parents', '2026-12-14', '2027-01-04', { measureId: 'M2' }),
        measure('community', '2026-12-14', '2027-01-04'),
        measure('teaching', '2026-12-14', '2027-01-04'),
      ],
      at: at('2026-12-18'),
    });
    expect(paths(error)).toEqual(['measures[0].measureId']);
  });

  it('when a revision in follow-up lacks a track, then 422 and the current plan stays', () => {
    const before = inFollowUp();
    const error = refuse(before, {
      type: 'plan.submit',
      measures: [measure('pupil_parents', '2026-12-14', '2027-01-04', { measureId: 'M1' })],
      at: at('2026-12-17'),
    });
    expect(paths(error)).toEqual(['measures']);
    expect(toCaseView(before.context).planRevision).toBe(1);
  });
});

describe('follow-ups', () => {
  const HELD = '2027-01-05'; // a Tuesday, the day follow_up_1 is due

  it('when a follow-up reviews every measure, then follow_up_1 is done and follow_up_2 is due 8 weeks later', () => {
    const before = inFollowUp();
    const { snapshot } = accept(before, {
      type: 'followUp.record',
      heldOn: HELD,
      reviews: reviewsOf(before),
      outcome: 'continue',
      at: at(HELD),
    });
    const view = toCaseView(snapshot.context);
    expect(stepOf(snapshot, 'follow_up_1')).toEqual(expect.objectContaining({ status: 'done', completedOn: HELD }));
    // 2027-01-05 + 56 days = 2027-03-02, a Tuesday.
    expect(stepOf(snapshot, 'follow_up_2')).toEqual(expect.objectContaining({ dueOn: '2027-03-02', status: 'open', phase: 'follow_up' }));
    expect(view.nextFollowUpDue).toBe('2027-03-02');
    expect(view.followUps).toEqual([
      { number: 1, heldOn: HELD, reviews: reviewsOf(before), outcome: 'continue', nextFollowUpOn: '2027-03-02', planRevision: 1 },
    ]);
    expect(view.phase).toBe('follow_up');
  });

  it('when a follow-up leaves a measure unreviewed, then 422 on `reviews` naming it', () => {
    const before = inFollowUp();
    const error = refuse(before, {
      type: 'followUp.record',
      heldOn: HELD,
      reviews: reviewsOf(before).filter((review) => review.measureId !== 'M3'),
      outcome: 'continue',
      at: at(HELD),
    });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['reviews']);
    expect(error.detail).toContain('M3');
  });

  it('when a follow-up has no reviews at all, then 422 names every measure', () => {
    const error = refuse(inFollowUp(), { type: 'followUp.record', heldOn: HELD, reviews: [], outcome: 'continue', at: at(HELD) });
    expect(paths(error)).toEqual(['reviews']);
    expect(error.detail).toContain('M1, M2, M3');
  });

  it('when a follow-up reviews a measure that is not in the plan, then 422 on reviews[i].measureId', () => {
    const before = inFollowUp();
    const reviews = [...reviewsOf(before), { measureId: 'M42', done: false, effect: 'none', action: 'stop' } as const];
    const error = refuse(before, { type: 'followUp.record', heldOn: HELD, reviews, outcome: 'continue', at: at(HELD) });
    expect(paths(error)).toEqual(['reviews[3].measureId']);
  });

  it('when a follow-up is dated after the day of the request, then 422 on heldOn', () => {
    const before = inFollowUp();
    const error = refuse(before, {
      type: 'followUp.record',
      heldOn: '2027-01-06',
      reviews: reviewsOf(before),
      outcome: 'continue',
      at: at(HELD),
    });
    expect(paths(error)).toEqual(['heldOn']);
  });

  it('when a follow-up is dated before the plan was adopted, then 422 on heldOn', () => {
    const before = inFollowUp(); // plan adopted 2026-12-10
    const error = refuse(before, {
      type: 'followUp.record',
      heldOn: '2026-12-09',
      reviews: reviewsOf(before),
      outcome: 'continue',
      at: at(HELD),
    });
    expect(paths(error)).toEqual(['heldOn']);
  });

  it('when a follow-up is held on the day the plan was adopted, then it is accepted', () => {
    const before = inFollowUp();
    const { snapshot } = accept(before, {
      type: 'followUp.record',
      heldOn: '2026-12-10',
      reviews: reviewsOf(before),
      outcome: 'continue',
      at: at('2026-12-10'),
    });
    expect(stepOf(snapshot, 'follow_up_1').completedOn).toBe('2026-12-10');
  });

  it.each([
    ['56 days (8 weeks)', '2027-03-02'],
    ['84 days (12 weeks)', '2027-03-30'],
  ])('when nextFollowUpOn is %s after heldOn, then it is accepted and becomes the next due date', (_label, next) => {
    const before = inFollowUp();
    const { snapshot } = accept(before, {
      type: 'followUp.record',
      heldOn: HELD,
      reviews: reviewsOf(before),
      outcome: 'continue',
      nextFollowUpOn: next,
      at: at(HELD),
    });
    expect(stepOf(snapshot, 'follow_up_2').dueOn).toBe(next);
    expect(toCaseView(snapshot.context).nextFollowUpDue).toBe(next);
  });

  it.each([
    ['55 days', '2027-03-01'],
    ['85 days', '2027-03-31'],
  ])('when nextFollowUpOn is %s after heldOn, then 422 on nextFollowUpOn', (_label, next) => {
    const before = inFollowUp();
    const error = refuse(before, {
      type: 'followUp.record',
      heldOn: HELD,
      reviews: reviewsOf(before),
      outcome: 'continue',
      nextFollowUpOn: next,
      at: at(HELD),
    });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['nextFollowUpOn']);
    expect(error.detail).toContain('between 2027-03-02 and 2027-03-30');
  });

  it.each([
    ['Saturday', '2027-03-06'], // 60 days after heldOn
    ['Sunday', '2027-03-07'], // 61 days after heldOn
  ])('when the chosen next follow-up falls on a %s, then it is due the Monday after', (_day, chosen) => {
    const before = inFollowUp();
    const { snapshot } = accept(before, {
      type: 'followUp.record',
      heldOn: HELD,
      reviews: reviewsOf(before),
      outcome: 'continue',
      nextFollowUpOn: chosen,
      at: at(HELD),
    });
    expect(stepOf(snapshot, 'follow_up_2').dueOn).toBe('2027-03-08');
    expect(toCaseView(snapshot.context).nextFollowUpDue).toBe('2027-03-08');
    expect(snapshot.context.followUps[0]?.nextFollowUpOn).toBe(chosen);
  });

  it('when a follow-up is entered so late that the next one is already past, then that next step is overdue at once', () => {
    const before = inFollowUp();
    // held 2027-01-05, entered 2027-03-03: follow_up_2 (due 2027-03-02) is already a day late
    const { snapshot, emitted } = accept(before, {
      type: 'followUp.record',
      heldOn: HELD,
      reviews: reviewsOf(before),
      outcome: 'continue',
      at: at('2027-03-03'),
    });
    expect(stepOf(snapshot, 'follow_up_1')).toEqual(expect.objectContaining({ status: 'done', completedOn: HELD }));
    expect(stepOf(snapshot, 'follow_up_2')).toEqual(expect.objectContaining({ dueOn: '2027-03-02', status: 'overdue' }));
    expect(emitted.at(-1)).toEqual(expect.objectContaining({ event: 'step_overdue', stepId: 'follow_up_2' }));
  });

  it('when a follow-up is dated before the previous follow-up, then 422 on heldOn', () => {
    let snapshot = inFollowUp();
    snapshot = accept(snapshot, { type: 'followUp.record', heldOn: HELD, reviews: reviewsOf(snapshot), outcome: 'continue', at: at(HELD) }).snapshot;
    const error = refuse(snapshot, {
      type: 'followUp.record',
      heldOn: '2027-01-04',
      reviews: reviewsOf(snapshot),
      outcome: 'continue',
      at: at('2027-01-06'),
    });
    expect(paths(error)).toEqual(['heldOn']);
  });

  it.each(['continue', 'revise_plan', 'propose_closure'] as const)(
    'when a follow-up ends with "%s", then it is recorded, the case stays in follow-up and the escalation level is unchanged',
    (outcome) => {
      const before = inFollowUp();
      const { snapshot, emitted } = accept(before, {
        type: 'followUp.record',
        heldOn: HELD,
        reviews: reviewsOf(before),
        outcome,
        at: at(HELD),
      });
      const view = toCaseView(snapshot.context);
      expect(view.phase).toBe('follow_up');
      expect(view.followUps[0]?.outcome).toBe(outcome);
      expect(view.escalationLevel).toBe(0);
      expect(emitted.find((entry) => entry.event === 'follow_up')?.detail).toEqual({ number: 1, outcome, heldOn: HELD });
      expect(emitted.find((entry) => entry.event === 'follow_up')?.on).toBe(HELD);
    },
  );

  it('when a follow-up ends with "escalate", then the escalation level goes up by one, via the follow-up', () => {
    const before = inFollowUp();
    const { snapshot } = accept(before, {
      type: 'followUp.record',
      heldOn: HELD,
      reviews: reviewsOf(before),
      outcome: 'escalate',
      at: at(HELD),
    });
    const view = toCaseView(snapshot.context);
    expect(view.escalationLevel).toBe(1);
    expect(view.escalations).toEqual([{ level: 1, reason: 'Opfølgning 1', on: HELD, via: 'follow_up' }]);
  });

  it('when a second follow-up is held, then follow_up_2 is done and follow_up_3 is created', () => {
    let snapshot = inFollowUp();
    snapshot = accept(snapshot, { type: 'followUp.record', heldOn: HELD, reviews: reviewsOf(snapshot), outcome: 'continue', at: at(HELD) }).snapshot;
    snapshot = accept(snapshot, {
      type: 'followUp.record',
      heldOn: '2027-03-02',
      reviews: reviewsOf(snapshot),
      outcome: 'continue',
      nextFollowUpOn: '2027-05-25', // 84 days later, a Tuesday
      at: at('2027-03-02'),
    }).snapshot;
    expect(snapshot.context.steps.filter((s) => s.phase === 'follow_up').map((s) => [s.stepId, s.status, s.dueOn])).toEqual([
      ['follow_up_1', 'done', '2027-01-05'],
      ['follow_up_2', 'done', '2027-03-02'],
      ['follow_up_3', 'open', '2027-05-25'],
    ]);
    expect(snapshot.context.followUps.map((f) => f.number)).toEqual([1, 2]);
  });

  it('when a follow-up follows a plan revision, then it must review the revised plan\'s measures and records that revision', () => {
    let snapshot = inFollowUp();
    snapshot = accept(snapshot, {
      type: 'plan.submit',
      measures: [
        measure('pupil_parents', '2026-12-14', '2027-01-04', { measureId: 'M1' }),
        measure('community', '2026-12-21', '2027-01-04'),
        measure('teaching', '2026-12-14', '2027-01-04', { measureId: 'M3' }),
      ],
      at: at('2026-12-17'),
    }).snapshot;
    const oldReviews = ['M1', 'M2', 'M3'].map((measureId) => ({ measureId, done: true, effect: 'some', action: 'keep' }) as const);
    const error = refuse(snapshot, { type: 'followUp.record', heldOn: HELD, reviews: oldReviews, outcome: 'continue', at: at(HELD) });
    expect(paths(error)).toEqual(expect.arrayContaining(['reviews[1].measureId', 'reviews']));
    expect(error.detail).toContain('M4');
    snapshot = accept(snapshot, { type: 'followUp.record', heldOn: HELD, reviews: reviewsOf(snapshot), outcome: 'continue', at: at(HELD) }).snapshot;
    expect(snapshot.context.followUps[0]?.planRevision).toBe(2);
  });

  it('when a follow-up is dated before the revision it follows up on, then 422 on heldOn', () => {
    let snapshot = inFollowUp();
    snapshot = accept(snapshot, { type: 'plan.submit', measures: threeTrackPlan('2026-12-21', '2027-01-04'), at: at('2026-12-17') }).snapshot;
    const error = refuse(snapshot, {
      type: 'followUp.record',
      heldOn: '2026-12-16',
      reviews: reviewsOf(snapshot),
      outcome: 'continue',
      at: at(HELD),
    });
    expect(paths(error)).toEqual(['heldOn']);
  });

  it('when a follow-up is recorded before the plan exists, then 409', () => {
    const command: CaseCommand = { type: 'followUp.record', heldOn: '2026-12-04', reviews: [], outcome: 'continue', at: at('2026-12-04') };
    expect(refuse(inActionPlan(), command).code).toBe('not_allowed_now');
    expect(refuse(mappingDone(), command).code).toBe('not_allowed_now');
  });
});

describe('escalation', () => {
  it('when a case is escalated three times, then it climbs 0→1→2→3 and a fourth escalation is 422', () => {
    let snapshot = open(WED_OPENED).snapshot;
    const levels: number[] = [snapshot.context.escalationLevel];
    for (const day of ['2026-11-19', '2026-11-20', '2026-11-23']) {
      const toTop = snapshot.context.escalationLevel === 2;
      const resources = toTop ? { externalResources: ['ppr' as const, 'sundhedsplejerske' as const] } : {};
      const stepped = accept(snapshot, { type: 'escalate', reason: 'Ingen effekt', ...resources, at: at(day) });
      snapshot = stepped.snapshot;
      levels.push(snapshot.context.escalationLevel);
      expect(stepped.emitted.map((entry) => [entry.event, entry.detail])).toEqual([
        ['escalation', { level: snapshot.context.escalationLevel, via: 'escalation', reason: 'Ingen effekt', ...resources }],
      ]);
    }
    expect(levels).toEqual([0, 1, 2, 3]);
    expect(toCaseView(snapshot.context).escalations.map((e) => [e.level, e.on, e.via])).toEqual([
      [1, '2026-11-19', 'escalation'],
      [2, '2026-11-20', 'escalation'],
      [3, '2026-11-23', 'escalation'],
    ]);
    const error = refuse(snapshot, { type: 'escalate', reason: 'Stadig ingen effekt', at: at('2026-11-24') });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['reason']);
    expect(error.detail).toContain('highest escalation level (3)');
  });

  it('when a case is escalated in action_plan and in follow-up, then it stays in its phase', () => {
    const inPlan = accept(inActionPlan(), { type: 'escalate', reason: 'x', at: at('2026-12-04') }).snapshot;
    expect(inPlan.context.phase).toBe('action_plan');
    expect(inPlan.context.escalationLevel).toBe(1);
    const inFollow = accept(inFollowUp(), { type: 'escalate', reason: 'x', at: at('2026-12-11') }).snapshot;
    expect(inFollow.context.phase).toBe('follow_up');
    expect(inFollow.context.escalationLevel).toBe(1);
  });

  it('when a case at level 3 holds a follow-up with outcome "escalate", then 422 on `outcome`', () => {
    let snapshot = inFollowUp();
    for (const day of ['2026-12-11', '2026-12-14', '2026-12-15']) {
      const resources = snapshot.context.escalationLevel === 2 ? { externalResources: ['ppr' as const] } : {};
      snapshot = accept(snapshot, { type: 'escalate', reason: 'x', ...resources, at: at(day) }).snapshot;
    }
    expect(snapshot.context.escalationLevel).toBe(3);
    const error = refuse(snapshot, {
      type: 'followUp.record',
      heldOn: '2027-01-05',
      reviews: reviewsOf(snapshot),
      outcome: 'escalate',
      at: at('2027-01-05'),
    });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['outcome']);
    // the same follow-up with another outcome is fine
    expect(
      accept(snapshot, { type: 'followUp.record', heldOn: '2027-01-05', reviews: reviewsOf(snapshot), outcome: 'continue', at: at('2027-01-05') })
        .snapshot.context.escalationLevel,
    ).toBe(3);
  });

  it('when escalations come via follow-up and directly, then both count toward the same ladder', () => {
    let snapshot = inFollowUp();
    snapshot = accept(snapshot, { type: 'escalate', reason: 'x', at: at('2026-12-11') }).snapshot;
    snapshot = accept(snapshot, {
      type: 'followUp.record',
      heldOn: '2027-01-05',
      reviews: reviewsOf(snapshot),
      outcome: 'escalate',
      at: at('2027-01-05'),
    }).snapshot;
    expect(snapshot.context.escalations.map((e) => [e.level, e.via])).toEqual([
      [1, 'escalation'],
      [2, 'follow_up'],
    ]);
  });
});

describe('level 3 of the ladder', () => {
  function atLevel2() {
    let snapshot = open(WED_OPENED).snapshot;
    for (const day of ['2026-11-19', '2026-11-20']) snapshot = accept(snapshot, { type: 'escalate', reason: 'x', at: at(day) }).snapshot;
    return snapshot;
  }

  it('when a case is escalated to level 3 without naming external resources, then 422 names externalResources', () => {
    const error = refuse(atLevel2(), { type: 'escalate', reason: 'Ingen effekt', at: at('2026-11-23') });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['externalResources']);
  });

  it('when external resources are named below level 3, then 422 names externalResources', () => {
    const error = refuse(open(WED_OPENED).snapshot, {
      type: 'escalate',
      reason: 'Ingen effekt',
      externalResources: ['ppr'],
      at: at('2026-11-19'),
    });
    expect(paths(error)).toEqual(['externalResources']);
  });

  it('when a follow-up escalates to level 3 with PPR and the health nurse, then the escalation records them', () => {
    let snapshot = inFollowUp();
    for (const day of ['2026-12-11', '2026-12-14']) snapshot = accept(snapshot, { type: 'escalate', reason: 'x', at: at(day) }).snapshot;
    snapshot = accept(snapshot, {
      type: 'followUp.record',
      heldOn: '2027-01-05',
      reviews: reviewsOf(snapshot),
      outcome: 'escalate',
      externalResources: ['ppr', 'sundhedsplejerske'],
      at: at('2027-01-05'),
    }).snapshot;
    expect(snapshot.context.escalations.at(-1)).toEqual({
      level: 3,
      reason: 'Opfølgning 1',
      on: '2027-01-05',
      via: 'follow_up',
      externalResources: ['ppr', 'sundhedsplejerske'],
    });
  });
});

describe('closure', () => {
  it('when a case in follow-up is closed, then it is closed, the closure is recorded and the pending follow-up is cancelled', () => {
    const { snapshot, emitted } = accept(inFollowUp(), closureCommand('2026-12-17'));
    const view = toCaseView(snapshot.context);
    expect(snapshot.status).toBe('done');
    expect(view.phase).toBe('closed');
    expect(view.closure).toEqual(expect.objectContaining({ closedOn: '2026-12-17', bridging: { decision: 'civil_society' } }));
    expect(view.nextFollowUpDue).toBeUndefined();
    expect(stepOf(snapshot, 'follow_up_1').status).toBe('cancelled');
    expect(view.steps.filter((s) => s.status !== 'done' && s.status !== 'cancelled')).toEqual([]);
    expect(emitted.map((entry) => [entry.event, entry.phase])).toEqual([
      ['closed', 'follow_up'],
      ['phase_entered', 'closed'],
    ]);
  });

  it('when a case the assessment decided to close is closed, then the closure step is done that day', () => {
    const { snapshot } = accept(awaitingClosure(), closureCommand('2026-12-04'));
    expect(snapshot.context.phase).toBe('closed');
    expect(stepOf(snapshot, 'closure')).toEqual(expect.objectContaining({ status: 'done', completedOn: '2026-12-04' }));
  });

  it.each([
    ['criteria.regularAttendance', { regularAttendance: false }],
    ['criteria.partiesAgree', { partiesAgree: false }],
  ] as const)('when closing without %s, then 422 naming it', (path, change) => {
    const base = closureCommand('2026-12-17');
    if (base.type !== 'close') throw new Error('unreachable');
    const error = refuse(inFollowUp(), { ...base, criteria: { ...base.criteria, ...change } });
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual([path]);
  });

  it.each(['', '   \n'])('when the relapse-prevention plan is %j, then 422 on relapsePreventionPlan', (plan) => {
    const error = refuse(inFollowUp(), closureCommand('2026-12-17', { relapsePreventionPlan: plan }));
    expect(paths(error)).toEqual(['relapsePreventionPlan']);
  });

  it('when every closure requirement is missing, then 422 names each field', () => {
    const error = refuse(
      awaitingClosure(),
      closureCommand('2026-12-04', {
        criteria: {
          regularAttendance: false,
          wellbeingImproving: true,
          communityChallengesReduced: true,
          pupilMotivated: true,
          partiesAgree: false,
          measuresToKeep: [],
        },
        relapsePreventionPlan: '',
        bridging: { decision: 'other' },
      }),
    );
    expect(paths(error)).toEqual(['criteria.regularAttendance', 'criteria.partiesAgree', 'relapsePreventionPlan', 'bridging.note']);
  });

  it('when bridging is "other" without a note, then 422 on bridging.note; with a note it closes', () => {
    expect(paths(refuse(inFollowUp(), closureCommand('2026-12-17', { bridging: { decision: 'other', note: ' ' } })))).toEqual([
      'bridging.note',
    ]);
    const { snapshot } = accept(inFollowUp(), closureCommand('2026-12-17', { bridging: { decision: 'other', note: 'Spejderne' } }));
    expect(snapshot.context.closure?.bridging).toEqual({ decision: 'other', note: 'Spejderne' });
  });

  it('when the optional criteria are false but attendance and agreement hold, then the case closes', () => {
    const { snapshot } = accept(
      inFollowUp(),
      closureCommand('2026-12-17', {
        criteria: {
          regularAttendance: true,
          wellbeingImproving: false,
          communityChallengesReduced: false,
          pupilMotivated: false,
          partiesAgree: true,
          measuresToKeep: [],
        },
        bridging: { decision: 'none' },
      }),
    );
    expect(snapshot.context.phase).toBe('closed');
  });

  it('when closing during mapping before the assessment, then 409 saying it closes only after an assessment', () => {
    for (const snapshot of [open(WED_OPENED).snapshot, mappingDone()]) {
      const error = refuse(snapshot, closureCommand('2026-11-24'));
      expect(error.code).toBe('not_allowed_now');
      expect(error.detail).toContain('only after an assessment');
    }
  });

  it('when closing during action_plan, then 409', () => {
    const error = refuse(inActionPlan(), closureCommand('2026-12-04'));
    expect(error.code).toBe('not_allowed_now');
    expect(error.detail).toContain('action plan');
  });

  describe('after closure', () => {
    const closedFromFollowUp = () => accept(inFollowUp(), closureCommand('2026-12-17')).snapshot;
    const commands: [string, CaseCommand][] = [
      ['step.complete of a cancelled step', complete('follow_up_1', '2026-12-18')],
      ['step.complete of a done step', complete('class_community', '2026-12-18')],
      ['assessment.decide', { type: 'assessment.decide', decision: 'action_plan', rationale: 'x', at: at('2026-12-18') }],
      ['plan.submit', { type: 'plan.submit', measures: threeTrackPlan('2026-12-18', '2027-01-18'), at: at('2026-12-18') }],
      [
        'followUp.record',
        {
          type: 'followUp.record',
          heldOn: '2026-12-18',
          reviews: ['M1', 'M2', 'M3'].map((measureId) => ({ measureId, done: true, effect: 'clear', action: 'stop' }) as const),
          outcome: 'continue',
          at: at('2026-12-18'),
        },
      ],
      ['escalate', { type: 'escalate', reason: 'x', at: at('2026-12-18') }],
      ['close', closureCommand('2026-12-18')],
    ];

    it.each(commands)('when %s is sent to a closed case, then 409 and nothing changes', (_label, command) => {
      const error = refuse(closedFromFollowUp(), command);
      expect(error.code).toBe('not_allowed_now');
    });

    it('when time passes for a closed case, then the cancelled steps stay cancelled and nothing is announced', () => {
      const closed = closedFromFollowUp();
      const { snapshot, emitted } = send(closed, { type: 'clock.tick', at: at('2027-02-01') });
      expect(stepOf(snapshot, 'follow_up_1').status).toBe('cancelled');
      expect(snapshot.context.history).toEqual(closed.context.history);
      expect(emitted).toEqual([]);
    });
  });
});
