/**
 * The handover package's content (issue 16, item 2) for a case with two plan revisions, a
 * consent to PPR and a withdrawn consent to the health nurse: each receiver gets what its
 * consent covers and nothing more.
 */
import { describe, expect, it } from 'vitest';
import { buildHandoverPackage, withPupilName, type HandoverPackage, type HandoverReceiver } from '../../src/handover/package';
import { mappingNotesOf, toCaseView, type CaseCommand, type CaseSnapshot } from '../../src/machines/case';
import { accept, at, complete, open, reviewsOf, threeTrackPlan, WED_OPENED } from '../machines/support';

const PUPIL_WORDS = 'Jeg har ondt i maven om morgenen, når vi har idræt';
const CLASS_FINDING = 'Eleven sidder alene i frikvartererne';
const PARENT_FINDING = 'Forældrene oplever at morgenerne er svære';

function escalatedCase(): CaseSnapshot {
  let { snapshot } = open(WED_OPENED, { consentBeforeExternal: true });
  const go = (command: CaseCommand) => {
    snapshot = accept(snapshot, command).snapshot;
  };
  go(complete('class_community', '2026-11-19', { note: CLASS_FINDING }));
  go(complete('pupil_conversation', '2026-11-20', { note: PUPIL_WORDS }));
  go(complete('parent_conversation', '2026-11-23', { note: PARENT_FINDING }));
  go({ type: 'consent.record', party: 'ppr', givenOn: '2026-11-23', scope: ['concern', 'mapping', 'plan'], recordedBy: 'tovholder-kim', at: at('2026-11-23') });
  go({ type: 'consent.record', party: 'sundhedsplejerske', givenOn: '2026-11-23', scope: ['concern', 'mapping', 'pupil_voice', 'plan'], recordedBy: 'tovholder-kim', at: at('2026-11-23') });
  go({ type: 'assessment.decide', decision: 'action_plan', rationale: 'Fraværet kræver en handleplan', at: at('2026-12-03') });
  go({ type: 'plan.submit', measures: threeTrackPlan('2026-12-14', '2027-01-04'), at: at('2026-12-10') });
  go({ type: 'followUp.record', heldOn: '2027-01-07', reviews: reviewsOf(snapshot, { effect: 'none', action: 'replace' }), outcome: 'revise_plan', at: at('2027-01-07') });
  go({ type: 'plan.submit', measures: threeTrackPlan('2027-01-11', '2027-02-01').map((m) => ({ ...m, description: `Ny ${m.description}` })), at: at('2027-01-08') });
  go({ type: 'followUp.record', heldOn: '2027-03-05', reviews: reviewsOf(snapshot, { effect: 'some', action: 'keep' }), outcome: 'escalate', at: at('2027-03-05') });
  go({ type: 'escalate', reason: 'Ressourceteamets plan har ikke virket', at: at('2027-03-08') });
  go({ type: 'consent.withdraw', consentId: 'C2', recordedBy: 'tovholder-kim', at: at('2027-03-09') });
  go({
    type: 'escalate',
    reason: 'Der er brug for en psykologfaglig vurdering',
    externalResources: ['ppr', 'sundhedsplejerske'],
    withoutConsentReason: 'Forældrene deltager i mødet med sundhedsplejen',
    request: 'Vurdér elevens skoleparathed og deltag i næste netværksmøde',
    at: at('2027-03-10'),
  });
  return snapshot;
}

function packageFor(snapshot: CaseSnapshot, receiver: HandoverReceiver): HandoverPackage {
  const built = buildHandoverPackage(toCaseView(snapshot.context), mappingNotesOf(snapshot.context), receiver);
  if ('code' in built) throw new Error(built.detail);
  return built;
}

describe('the handover package', () => {
  const snapshot = escalatedCase();

  it('when the resource team receives it, then it holds the concern, every track’s finding, the pupil’s own words, both plan revisions with their reviews, the follow-ups and every consent with the withdrawal', () => {
    const pkg = packageFor(snapshot, 'resource_team');
    expect(pkg.basis).toBe('internal');
    expect(pkg.leftOut).toEqual([]);
    expect(pkg.concern?.assessment?.rationale).toBe('Fraværet kræver en handleplan');
    expect(pkg.mapping?.map((track) => [track.track, track.finding])).toEqual([
      ['A', CLASS_FINDING],
      ['B', undefined],
      ['C', PARENT_FINDING],
    ]);
    expect(pkg.pupilVoice).toEqual({ heldOn: '2026-11-20', words: PUPIL_WORDS });
    expect(pkg.plans?.map((plan) => [plan.revision, plan.measures.length])).toEqual([
      [1, 3],
      [2, 3],
    ]);
    // Each revision shows the follow-up that reviewed it, and only that one.
    expect(pkg.plans?.[0]?.measures[0]?.reviews).toEqual([{ followUp: 1, heldOn: '2027-01-07', done: true, effect: 'none', action: 'replace' }]);
    expect(pkg.plans?.[1]?.measures[0]?.reviews).toEqual([{ followUp: 2, heldOn: '2027-03-05', done: true, effect: 'some', action: 'keep' }]);
    expect(pkg.followUps?.map((followUp) => followUp.outcome)).toEqual(['revise_plan', 'escalate']);
    expect(pkg.consents.map((consent) => [consent.party, consent.withdrawnOn])).toEqual([
      ['ppr', undefined],
      ['sundhedsplejerske', '2027-03-09'],
    ]);
    expect(pkg.request).toBe('Vurdér elevens skoleparathed og deltag i næste netværksmøde');
    expect(pkg.level).toBe(3);
  });

  it('when PPR receives it, then it holds what the parents consented to share with PPR, without the pupil’s own words or the other consent', () => {
    const pkg = packageFor(snapshot, 'ppr');
    expect(pkg.basis).toBe('consent');
    expect(pkg.covered).toEqual(['concern', 'mapping', 'plan']);
    expect(pkg.leftOut).toEqual(['pupil_voice']);
    expect(pkg.pupilVoice).toBeUndefined();
    expect(pkg.plans).toHaveLength(2);
    expect(pkg.consents.map((consent) => consent.party)).toEqual(['ppr']);
    expect(JSON.stringify(pkg)).not.toContain('ondt i maven');
    expect(JSON.stringify(pkg)).not.toContain('sundhedsplejen');
  });

  it('when the health nurse receives it after the parents withdrew that consent, then it holds the request and the withdrawn consent, and no case content', () => {
    const pkg = packageFor(snapshot, 'sundhedsplejerske');
    expect(pkg.basis).toBe('without_consent');
    expect(pkg.covered).toEqual([]);
    expect(pkg.concern).toBeUndefined();
    expect(pkg.mapping).toBeUndefined();
    expect(pkg.pupilVoice).toBeUndefined();
    expect(pkg.plans).toBeUndefined();
    expect(pkg.followUps).toBeUndefined();
    expect(pkg.consents.map((consent) => [consent.party, consent.withdrawnOn])).toEqual([['sundhedsplejerske', '2027-03-09']]);
    for (const text of [PUPIL_WORDS, CLASS_FINDING, PARENT_FINDING, 'psykologfaglig', 'Forældrene deltager']) expect(JSON.stringify(pkg)).not.toContain(text);
  });

  it('when the package is asked for a partner the case was never escalated to, then it is refused', () => {
    const built = buildHandoverPackage(toCaseView(snapshot.context), mappingNotesOf(snapshot.context), 'boerne_og_familieafdelingen');
    expect(built).toMatchObject({ code: 'not_allowed_now' });
  });

  it('when the directory has the pupil’s name, then the resource team’s and PPR’s packages name the pupil; the partner without consent gets the reference only; without a directory row the reference stands alone', () => {
    expect(withPupilName(packageFor(snapshot, 'resource_team'), 'Vera Lund').pupilName).toBe('Vera Lund');
    expect(withPupilName(packageFor(snapshot, 'ppr'), 'Vera Lund').pupilName).toBe('Vera Lund');
    const nurse = withPupilName(packageFor(snapshot, 'sundhedsplejerske'), 'Vera Lund');
    expect(nurse.pupilName).toBeUndefined();
    expect(JSON.stringify(nurse)).not.toContain('Vera');
    const unnamed = withPupilName(packageFor(snapshot, 'resource_team'), null);
    expect(unnamed.pupilName).toBeUndefined();
    expect(unnamed.pupilRef).toBe(packageFor(snapshot, 'resource_team').pupilRef);
  });
});
