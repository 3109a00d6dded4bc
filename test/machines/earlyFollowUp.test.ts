/**
 * The follow-up window (issue 16 item 6): a follow-up held before the plan's first review date, or
 * less than 8 weeks after the previous one, is early. It is not silently accepted: the reason is
 * asked for (422 naming earlyReason), and recorded with the follow-up when given.
 */
import { describe, expect, it } from 'vitest';
import { RULES_VERSION, type CaseCommand } from '../../src/machines/case';
import type { CaseSnapshot } from '../../src/machines/case';
import { WED_OPENED, accept, at, complete, open, paths, refuse, reviewsOf, threeTrackPlan } from './support';

/** The Wednesday case on the current rules: plan adopted 2026-12-10, first review 2027-01-04. */
function inFollowUpOnCurrentRules(): CaseSnapshot {
  let { snapshot } = open(WED_OPENED, { rulesVersion: RULES_VERSION });
  for (const [stepId, on] of [['class_community', '2026-11-19'], ['pupil_conversation', '2026-11-20'], ['parent_conversation', '2026-11-23']] as const) {
    snapshot = accept(snapshot, complete(stepId, on)).snapshot;
  }
  snapshot = accept(snapshot, { type: 'assessment.decide', decision: 'action_plan', rationale: 'Bekymrende', at: at('2026-12-03') }).snapshot;
  return accept(snapshot, { type: 'plan.submit', measures: threeTrackPlan('2026-12-14', '2027-01-04'), at: at('2026-12-10') }).snapshot;
}

const followUp = (snapshot: CaseSnapshot, heldOn: string, extra: { earlyReason?: string } = {}): CaseCommand => ({
  type: 'followUp.record',
  heldOn,
  reviews: reviewsOf(snapshot),
  outcome: 'continue',
  ...extra,
  at: at(heldOn),
});

describe('an early follow-up', () => {
  it('when a follow-up is held before the plan’s first review date without a reason, then 422 names earlyReason and says from when it would be regular', () => {
    const before = inFollowUpOnCurrentRules();
    const error = refuse(before, followUp(before, '2026-12-17'));
    expect(paths(error)).toEqual(['earlyReason']);
    expect(error.detail).toContain('2027-01-04');
  });

  it('when the reason is given, then the follow-up is recorded as early, with the reason and the date the window opened', () => {
    const before = inFollowUpOnCurrentRules();
    const { snapshot, emitted } = accept(before, followUp(before, '2026-12-17', { earlyReason: 'Forældrene bad om et møde før jul' }));
    const early = { regularFrom: '2027-01-04', reason: 'Forældrene bad om et møde før jul' };
    expect(snapshot.context.followUps[0]?.early).toEqual(early);
    expect(emitted.find((entry) => entry.event === 'follow_up')?.detail).toMatchObject({ early });
  });

  it('when the next follow-up comes less than 8 weeks after the previous, then it is early too; at 8 weeks it is regular and a reason is refused', () => {
    const first = inFollowUpOnCurrentRules();
    const { snapshot } = accept(first, followUp(first, '2027-01-05'));
    expect(snapshot.context.followUps[0]?.early).toBeUndefined();
    expect(paths(refuse(snapshot, followUp(snapshot, '2027-02-24')))).toEqual(['earlyReason']);
    expect(paths(refuse(snapshot, followUp(snapshot, '2027-03-02', { earlyReason: 'Ingen' })))).toEqual(['earlyReason']);
    accept(snapshot, followUp(snapshot, '2027-03-02'));
  });

  it('when a case opened before the rule existed holds an early follow-up, then it is taken as before (its recorded history replays the same)', () => {
    let { snapshot } = open(WED_OPENED);
    for (const [stepId, on] of [['class_community', '2026-11-19'], ['pupil_conversation', '2026-11-20'], ['parent_conversation', '2026-11-23']] as const) {
      snapshot = accept(snapshot, complete(stepId, on)).snapshot;
    }
    snapshot = accept(snapshot, { type: 'assessment.decide', decision: 'action_plan', rationale: 'Bekymrende', at: at('2026-12-03') }).snapshot;
    snapshot = accept(snapshot, { type: 'plan.submit', measures: threeTrackPlan('2026-12-14', '2027-01-04'), at: at('2026-12-10') }).snapshot;
    accept(snapshot, followUp(snapshot, '2026-12-17'));
  });
});
