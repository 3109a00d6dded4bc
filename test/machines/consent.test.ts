/**
 * Consent before the case goes outside the school (issue 16, item 1): the parents' consent per
 * party, its withdrawal, the §49a exception once per case, and level 3 of the ladder refused
 * without one of them or a stated reason. Also the escalation's own effective date (item 4).
 */
import { describe, expect, it } from 'vitest';
import { availableActions, type CaseCommand, type CaseSnapshot } from '../../src/machines/case';
import { accept, at, complete, open, paths, refuse, reviewsOf, threeTrackPlan, WED_OPENED } from './support';

const OPENED = '2026-09-07';

function atLevelTwo(consentBeforeExternal = true): CaseSnapshot {
  let { snapshot } = open(OPENED, { consentBeforeExternal });
  snapshot = accept(snapshot, { type: 'escalate', reason: 'Trin 1', at: at('2026-09-14') }).snapshot;
  return accept(snapshot, { type: 'escalate', reason: 'Trin 2', at: at('2026-09-21') }).snapshot;
}

const toPpr = (on: string, extra: Partial<Extract<CaseCommand, { type: 'escalate' }>> = {}): CaseCommand => ({
  type: 'escalate',
  reason: 'Indsatserne har ikke virket',
  externalResources: ['ppr'],
  at: at(on),
  ...extra,
});

const consentTo = (party: 'ppr' | 'bup' | 'other', on: string, extra: { partyName?: string; givenOn?: string } = {}): CaseCommand => ({
  type: 'consent.record',
  party,
  givenOn: on,
  scope: ['concern', 'mapping', 'plan'],
  recordedBy: 'tovholder-kim',
  at: at(on),
  ...extra,
});

const section49a = (on: string): CaseCommand => ({
  type: 'section49a.record',
  parties: ['ppr'],
  scope: ['concern', 'mapping'],
  justification: 'Tidlig forebyggende indsats; forældrene kan ikke kontaktes',
  recordedBy: 'tovholder-kim',
  at: at(on),
});

describe('consent before level 3 of the ladder', () => {
  it('when the case goes to PPR with no consent on file, then 422 names externalResources and says what is missing, and the case stays at level 2', () => {
    const before = atLevelTwo();
    const error = refuse(before, toPpr('2026-09-28'));
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['externalResources']);
    expect(error.detail).toMatch(/no consent from the parents on file for ppr/);
    expect(error.detail).toMatch(/§49a/);
    expect(before.context.escalationLevel).toBe(2);
  });

  it('when the parents consented to share with PPR, then the escalation to PPR is accepted', () => {
    let snapshot = atLevelTwo();
    snapshot = accept(snapshot, consentTo('ppr', '2026-09-24')).snapshot;
    snapshot = accept(snapshot, toPpr('2026-09-28')).snapshot;
    expect(snapshot.context.escalationLevel).toBe(3);
  });

  it('when the consent on file is for BUP only, then going to PPR is still refused', () => {
    let snapshot = atLevelTwo();
    snapshot = accept(snapshot, consentTo('bup', '2026-09-24')).snapshot;
    expect(paths(refuse(snapshot, toPpr('2026-09-28')))).toEqual(['externalResources']);
  });

  it('when the consent to PPR was withdrawn, then the escalation is refused and the 422 says it was withdrawn', () => {
    let snapshot = atLevelTwo();
    snapshot = accept(snapshot, consentTo('ppr', '2026-09-22')).snapshot;
    snapshot = accept(snapshot, { type: 'consent.withdraw', consentId: 'C1', recordedBy: 'tovholder-kim', at: at('2026-09-25') }).snapshot;
    expect(refuse(snapshot, toPpr('2026-09-28')).detail).toMatch(/withdrawn/);
  });

  it('when the §49a exception names PPR, then the escalation is accepted without consent', () => {
    let snapshot = atLevelTwo();
    snapshot = accept(snapshot, section49a('2026-09-24')).snapshot;
    snapshot = accept(snapshot, toPpr('2026-09-28')).snapshot;
    expect(snapshot.context.escalationLevel).toBe(3);
  });

  it('when a reason for going without consent is stated, then the escalation is accepted and keeps the reason', () => {
    const { snapshot } = accept(atLevelTwo(), toPpr('2026-09-28', { withoutConsentReason: 'Forældrene giver samtykke på mødet' }));
    expect(snapshot.context.escalations.at(-1)).toMatchObject({ level: 3, withoutConsentReason: 'Forældrene giver samtykke på mødet' });
  });

  it('when a follow-up escalates to PPR without consent, then the same rule refuses it, naming externalResources', () => {
    let { snapshot } = open(WED_OPENED, { consentBeforeExternal: true });
    for (const [stepId, on] of [['class_community', '2026-11-19'], ['pupil_conversation', '2026-11-20'], ['parent_conversation', '2026-11-23']] as const) {
      snapshot = accept(snapshot, complete(stepId, on)).snapshot;
    }
    snapshot = accept(snapshot, { type: 'escalate', reason: 'Trin 1', at: at('2026-11-24') }).snapshot;
    snapshot = accept(snapshot, { type: 'escalate', reason: 'Trin 2', at: at('2026-11-25') }).snapshot;
    snapshot = accept(snapshot, { type: 'assessment.decide', decision: 'action_plan', rationale: 'Handleplan', at: at('2026-12-03') }).snapshot;
    snapshot = accept(snapshot, { type: 'plan.submit', measures: threeTrackPlan('2026-12-14', '2027-01-04'), at: at('2026-12-10') }).snapshot;
    const followUp: CaseCommand = {
      type: 'followUp.record',
      heldOn: '2027-01-07',
      reviews: reviewsOf(snapshot),
      outcome: 'escalate',
      externalResources: ['ppr'],
      at: at('2027-01-07'),
    };
    expect(paths(refuse(snapshot, followUp))).toEqual(['externalResources']);
    expect(accept(snapshot, { ...followUp, withoutConsentReason: 'Akut behov' }).snapshot.context.escalationLevel).toBe(3);
  });

  it('when the case was opened before the rule (a replayed history), then level 3 is accepted as it was', () => {
    const { snapshot } = accept(atLevelTwo(false), toPpr('2026-09-28'));
    expect(snapshot.context.escalationLevel).toBe(3);
  });
});

describe('recording consents and the §49a exception', () => {
  it('when a consent is recorded, then it carries its party, date, scope and who recorded it, and the event names no free text', () => {
    const { snapshot: opened } = open(OPENED, { consentBeforeExternal: true });
    const { snapshot, emitted } = accept(opened, consentTo('other', '2026-09-10', { partyName: 'Familiehuset' }));
    expect(snapshot.context.consents).toEqual([
      expect.objectContaining({ consentId: 'C1', party: 'other', partyName: 'Familiehuset', givenOn: '2026-09-10', recordedBy: 'tovholder-kim' }),
    ]);
    expect(emitted.map((entry) => entry.event)).toEqual(['consent_recorded']);
    expect(JSON.stringify(emitted)).not.toContain('Familiehuset');
  });

  it('when a consent for "other" names no party, then 422 names partyName', () => {
    const { snapshot } = open(OPENED);
    expect(paths(refuse(snapshot, consentTo('other', '2026-09-10')))).toEqual(['partyName']);
  });

  it('when a consent is dated in the future, then 422 names givenOn', () => {
    const { snapshot } = open(OPENED);
    expect(paths(refuse(snapshot, consentTo('ppr', '2026-09-10', { givenOn: '2026-09-30' })))).toEqual(['givenOn']);
  });

  it('when a consent is withdrawn a second time, then 422 names consentId; an unknown one is 404', () => {
    let { snapshot } = open(OPENED);
    snapshot = accept(snapshot, consentTo('ppr', '2026-09-10')).snapshot;
    const withdraw = (consentId: string): CaseCommand => ({ type: 'consent.withdraw', consentId, recordedBy: 'leder-lis', at: at('2026-09-12') });
    snapshot = accept(snapshot, withdraw('C1')).snapshot;
    expect(snapshot.context.consents?.[0]).toMatchObject({ withdrawnOn: '2026-09-12', withdrawalRecordedBy: 'leder-lis' });
    expect(paths(refuse(snapshot, withdraw('C1')))).toEqual(['consentId']);
    expect(refuse(snapshot, withdraw('C9')).code).toBe('consent_not_found');
  });

  it('when §49a is recorded a second time, then 422 says it is used at most once per case', () => {
    let { snapshot } = open(OPENED);
    snapshot = accept(snapshot, section49a('2026-09-10')).snapshot;
    const error = refuse(snapshot, section49a('2026-09-15'));
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['section49a']);
    expect(error.detail).toMatch(/at most once per case/);
  });
});

describe('what the case page offers', () => {
  it('when a consent is in force, then withdrawing is offered; once §49a is recorded, it is no longer offered', () => {
    let { snapshot } = open(OPENED);
    expect(availableActions(snapshot).actions).not.toContain('consent.withdraw');
    expect(availableActions(snapshot).actions).toContain('section49a.record');
    snapshot = accept(snapshot, consentTo('ppr', '2026-09-10')).snapshot;
    snapshot = accept(snapshot, section49a('2026-09-11')).snapshot;
    expect(availableActions(snapshot).actions).toContain('consent.withdraw');
    expect(availableActions(snapshot).actions).not.toContain('section49a.record');
  });
});

describe('the escalation’s effective date', () => {
  it('when an escalation is entered with the date it was decided, then it is dated so on the case and its history', () => {
    const { snapshot: opened } = open(OPENED);
    const { snapshot, emitted } = accept(opened, { type: 'escalate', reason: 'Trin 1', escalatedOn: '2026-09-10', at: at('2026-09-20') });
    expect(snapshot.context.escalations[0]?.on).toBe('2026-09-10');
    expect(emitted.find((entry) => entry.event === 'escalation')?.on).toBe('2026-09-10');
  });

  it('when the escalation date is before the opening or in the future, then 422 names escalatedOn', () => {
    const { snapshot } = open(OPENED);
    expect(paths(refuse(snapshot, { type: 'escalate', reason: 'x', escalatedOn: '2026-09-01', at: at('2026-09-20') }))).toEqual(['escalatedOn']);
    expect(paths(refuse(snapshot, { type: 'escalate', reason: 'x', escalatedOn: '2026-09-21', at: at('2026-09-20') }))).toEqual(['escalatedOn']);
  });
});
