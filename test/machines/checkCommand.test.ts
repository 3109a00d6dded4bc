/**
 * The API and the workflow's update validators answer with `checkCommand`; the workflow then
 * sends the command to the machine. The two must agree: a command the check passes must move the
 * case, and one it refuses must leave the case exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand, type CaseCommand, type CaseSnapshot } from '../../src/machines/case';
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
  send,
  threeTrackPlan,
} from './support';

function atLevel3(snapshot: CaseSnapshot, day: string): CaseSnapshot {
  let next = snapshot;
  for (let i = 0; i < 3; i += 1) {
    // Level 3 brings in external help and must say which.
    const resources = i === 2 ? { externalResources: ['ppr' as const] } : {};
    next = accept(next, { type: 'escalate', reason: 'x', ...resources, at: at(day) }).snapshot;
  }
  return next;
}

const snapshots: [string, () => CaseSnapshot][] = [
  ['just opened', () => open(WED_OPENED).snapshot],
  ['track A done', () => accept(open(WED_OPENED).snapshot, complete('class_community', '2026-11-19')).snapshot],
  ['mapping done', mappingDone],
  ['awaiting closure', awaitingClosure],
  ['action plan', inActionPlan],
  ['follow-up', inFollowUp],
  ['follow-up at level 3', () => atLevel3(inFollowUp(), '2026-12-11')],
  ['closed', () => accept(inFollowUp(), closureCommand('2026-12-17')).snapshot],
];

const DAY = '2027-01-05';
const reviewsM123 = ['M1', 'M2', 'M3'].map((measureId) => ({ measureId, done: true, effect: 'some', action: 'keep' }) as const);

const commands: [string, CaseCommand][] = [
  ['complete track A', complete('class_community', DAY)],
  ['complete track B', complete('pupil_conversation', DAY)],
  ['complete track C in the future', complete('parent_conversation', DAY, { completedOn: '2027-01-06' })],
  ['complete assessment', complete('assessment', DAY)],
  ['complete unknown', complete('nope', DAY)],
  ['assess: action plan', { type: 'assessment.decide', decision: 'action_plan', rationale: 'x', at: at(DAY) }],
  ['assess: close', { type: 'assessment.decide', decision: 'close', rationale: 'x', at: at(DAY) }],
  ['full plan', { type: 'plan.submit', measures: threeTrackPlan('2026-12-14', '2027-01-04'), at: at(DAY) }],
  ['plan lacking teaching', { type: 'plan.submit', measures: [measure('pupil_parents', '2026-12-14', '2027-01-04'), measure('community', '2026-12-14', '2027-01-04')], at: at(DAY) }],
  ['follow-up', { type: 'followUp.record', heldOn: DAY, reviews: reviewsM123, outcome: 'continue', at: at(DAY) }],
  ['follow-up escalating', { type: 'followUp.record', heldOn: DAY, reviews: reviewsM123, outcome: 'escalate', at: at(DAY) }],
  ['follow-up too far out', { type: 'followUp.record', heldOn: DAY, reviews: reviewsM123, outcome: 'continue', nextFollowUpOn: '2027-04-30', at: at(DAY) }],
  ['escalate', { type: 'escalate', reason: 'x', at: at(DAY) }],
  ['close', closureCommand(DAY)],
  ['close without agreement', closureCommand(DAY, { criteria: { regularAttendance: true, wellbeingImproving: true, communityChallengesReduced: true, pupilMotivated: true, partiesAgree: false, measuresToKeep: [] } })],
];

describe('checkCommand agrees with the machine', () => {
  describe.each(snapshots)('in a case that is %s', (_state, make) => {
    it.each(commands)('when "%s" is checked and then sent, then the answer and the outcome agree', (_label, command) => {
      const snapshot = make();
      const check = checkCommand(snapshot, command);
      const { snapshot: next, emitted } = send(snapshot, command);
      if (check.ok) {
        expect(next).not.toBe(snapshot);
        expect(emitted.length).toBeGreaterThan(0);
      } else {
        expect(next).toBe(snapshot);
        expect(emitted).toEqual([]);
        expect(['step_not_found', 'not_allowed_now', 'rule_violated']).toContain(check.error.code);
        if (check.error.code === 'rule_violated') expect(check.error.errors.length).toBeGreaterThan(0);
      }
    });
  });

  it('when the same command is checked in every state, then each refusal has the status a user would expect', () => {
    const codeOf = (snapshot: CaseSnapshot, command: CaseCommand) => {
      const check = checkCommand(snapshot, command);
      return check.ok ? 'ok' : check.error.code;
    };
    const close = closureCommand(DAY);
    expect(snapshots.map(([name, make]) => [name, codeOf(make(), close)])).toEqual([
      ['just opened', 'not_allowed_now'],
      ['track A done', 'not_allowed_now'],
      ['mapping done', 'not_allowed_now'],
      ['awaiting closure', 'ok'],
      ['action plan', 'not_allowed_now'],
      ['follow-up', 'ok'],
      ['follow-up at level 3', 'ok'],
      ['closed', 'not_allowed_now'],
    ]);
    const escalate: CaseCommand = { type: 'escalate', reason: 'x', at: at(DAY) };
    expect(snapshots.map(([name, make]) => [name, codeOf(make(), escalate)])).toEqual([
      ['just opened', 'ok'],
      ['track A done', 'ok'],
      ['mapping done', 'ok'],
      ['awaiting closure', 'ok'],
      ['action plan', 'ok'],
      ['follow-up', 'ok'],
      ['follow-up at level 3', 'rule_violated'],
      ['closed', 'not_allowed_now'],
    ]);
  });
});
