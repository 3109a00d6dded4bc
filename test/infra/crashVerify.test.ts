/** The crash test's verdict catches a doubled, a lost and an unexplained action (scripts/crash). */
import { describe, expect, it } from 'vitest';
import { exactlyOnceProblems, type AcceptedAction, type RecordedEvent } from '../../scripts/crash/verify';

const accepted: AcceptedAction[] = [
  { caseId: 'c1', label: 'open', event: 'opened' },
  { caseId: 'c1', label: 'step', event: 'step_done', stepId: 'pupil_conversation' },
  { caseId: 'c1', label: 'escalate 1', event: 'escalation' },
];
const recorded = (types: [string, string | null][]): RecordedEvent[] =>
  types.map(([type, stepId], index) => ({ caseId: 'c1', seq: index + 1, type, stepId }));

describe('exactlyOnceProblems', () => {
  it('passes when every accepted action is recorded once, beside events the case makes itself', () => {
    expect(exactlyOnceProblems(accepted, recorded([['opened', null], ['phase_entered', null], ['step_done', 'pupil_conversation'], ['escalation', null]]))).toEqual([]);
  });

  it('reports an action applied twice', () => {
    expect(exactlyOnceProblems(accepted, recorded([['opened', null], ['step_done', 'pupil_conversation'], ['escalation', null], ['escalation', null]]))).toEqual([
      'doubled: c1 escalation accepted 1×, recorded 2×',
    ]);
  });

  it('reports an accepted action that left no event', () => {
    expect(exactlyOnceProblems(accepted, recorded([['opened', null], ['escalation', null]]))).toEqual([
      'lost: c1 step_done pupil_conversation accepted 1×, recorded 0×',
    ]);
  });

  it('reports an event of an action nobody was told was accepted, and a gap in the numbering', () => {
    const events = [...recorded([['opened', null], ['step_done', 'pupil_conversation'], ['escalation', null]]), { caseId: 'c1', seq: 5, type: 'step_done', stepId: 'class_community' }];
    expect(exactlyOnceProblems(accepted, events)).toEqual([
      'unexpected: c1 step_done class_community recorded 1× but never accepted',
      'case c1: event numbers 1,2,3,5 are not 1..4',
    ]);
  });
});
