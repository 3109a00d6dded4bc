/**
 * The actions a screen offers come from the machine's current state: each phase offers exactly
 * what its transitions take (corrections, a new tovholder and withdrawal in every open phase),
 * and nothing is offered once the case is closed.
 */
import { describe, expect, it } from 'vitest';
import { availableActions } from '../../src/machines/case';
import { WED_OPENED, accept, at, awaitingClosure, closureCommand, complete, inActionPlan, inFollowUp, mappingDone, open } from './support';

describe('available actions', () => {
  it('when a case is just opened, then only its three mapping tracks can be marked done, and it can be escalated', () => {
    const { snapshot } = open(WED_OPENED);
    expect(availableActions(snapshot)).toEqual({
      actions: ['step.complete', 'escalate', 'consent.record', 'section49a.record', 'case.correct', 'tovholder.reassign', 'case.withdraw'],
      steps: ['class_community', 'pupil_conversation', 'parent_conversation'],
    });
  });

  it('when one track is done, then it is no longer offered', () => {
    const { snapshot } = accept(open(WED_OPENED).snapshot, complete('class_community', '2026-11-20'));
    expect(availableActions(snapshot).steps).toEqual(['pupil_conversation', 'parent_conversation']);
  });

  it('when the mapping is done, then the assessment is offered and no step is', () => {
    expect(availableActions(mappingDone())).toEqual({ actions: ['assessment.decide', 'escalate', 'consent.record', 'section49a.record', 'case.correct', 'tovholder.reassign', 'case.withdraw'], steps: [] });
  });

  it('when the case waits for its plan, then the plan and escalation are offered', () => {
    expect(availableActions(inActionPlan()).actions).toEqual(['plan.submit', 'escalate', 'consent.record', 'section49a.record', 'case.correct', 'tovholder.reassign', 'case.withdraw']);
  });

  it('when the case is in follow-up, then a plan revision, a follow-up, escalation and closure are offered', () => {
    expect(availableActions(inFollowUp()).actions).toEqual(['plan.submit', 'followUp.record', 'escalate', 'close', 'consent.record', 'section49a.record', 'case.correct', 'tovholder.reassign', 'case.withdraw']);
  });

  it('when the assessment decided to close, then closing is offered (and escalation, as anywhere in mapping)', () => {
    expect(availableActions(awaitingClosure()).actions).toEqual(['escalate', 'close', 'consent.record', 'section49a.record', 'case.correct', 'tovholder.reassign', 'case.withdraw']);
  });

  it('when the case is at the top of the escalation ladder, then escalation is no longer offered', () => {
    let snapshot = inFollowUp();
    for (const level of [1, 2, 3]) {
      const resources = level === 3 ? { externalResources: ['ppr' as const] } : {};
      snapshot = accept(snapshot, { type: 'escalate', reason: `trin ${level}`, ...resources, at: at('2027-01-12') }).snapshot;
    }
    expect(snapshot.context.escalationLevel).toBe(3);
    expect(availableActions(snapshot).actions).not.toContain('escalate');
  });

  it('when the case is closed, then nothing is offered', () => {
    const { snapshot } = accept(awaitingClosure(), closureCommand('2026-12-10'));
    expect(availableActions(snapshot)).toEqual({ actions: [], steps: [] });
  });
});
