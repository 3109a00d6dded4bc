/**
 * The history: numbered, one `phase_entered` per phase, every new entry announced exactly once,
 * and a persisted snapshot that survives JSON and continues exactly as the original would
 * (the workflow's continue-as-new depends on this).
 */
import { describe, expect, it } from 'vitest';
import { createActor, type SnapshotFrom } from 'xstate';
import { caseView, historyEntry, type HistoryEntry } from '../../src/domain/schemas';
import { caseMachine, toCaseView, type CaseEvent, type CaseInput, type CaseSnapshot } from '../../src/machines/case';
import { WED_OPENED, at, closureCommand, complete, measure, open, openInput, send } from './support';

const reviews = (action: 'keep' | 'adjust') =>
  ['M1', 'M2', 'M3'].map((measureId) => ({ measureId, done: true, effect: 'some', action }) as const);

/** A whole case, opened Wed 2026-11-18, through every phase and most kinds of event. */
const WALK: CaseEvent[] = [
  complete('class_community', '2026-11-19'),
  { type: 'clock.tick', at: at('2026-11-26') }, // B and C due soon (due Tue 12-01)
  complete('pupil_conversation', '2026-11-26'),
  complete('parent_conversation', '2026-11-27'),
  { type: 'escalate', reason: 'Ressourceteamet inddrages', at: at('2026-11-30') },
  { type: 'assessment.decide', decision: 'action_plan', rationale: 'Bekymrende fravær', at: at('2026-12-03') },
  {
    type: 'plan.submit',
    measures: [
      measure('pupil_parents', '2026-12-14', '2027-01-04'),
      measure('community', '2026-12-14', '2027-01-04'),
      measure('teaching', '2026-12-14', '2027-01-04'),
    ],
    at: at('2026-12-10'),
  },
  { type: 'clock.tick', at: at('2026-12-31') }, // follow_up_1 due soon (due Tue 2027-01-05)
  {
    type: 'plan.submit',
    measures: [
      measure('pupil_parents', '2026-12-14', '2027-01-11', { measureId: 'M1' }),
      measure('community', '2026-12-14', '2027-01-11', { measureId: 'M2' }),
      measure('teaching', '2026-12-14', '2027-01-11', { measureId: 'M3' }),
    ],
    at: at('2027-01-04'),
  },
  { type: 'followUp.record', heldOn: '2027-01-05', reviews: reviews('keep'), outcome: 'continue', at: at('2027-01-05') },
  {
    type: 'followUp.record',
    heldOn: '2027-03-02',
    reviews: reviews('adjust'),
    outcome: 'escalate',
    nextFollowUpOn: '2027-05-25',
    at: at('2027-03-02'),
  },
  { type: 'clock.tick', at: at('2027-05-20') }, // follow_up_3 due soon (due Tue 05-25)
  closureCommand('2027-05-21'),
];

interface Walked {
  snapshots: CaseSnapshot[];
  emittedPerStep: HistoryEntry[][];
}

function walkPurely(input: CaseInput = openInput(WED_OPENED), events: CaseEvent[] = WALK): Walked {
  const first = open(input.openedOn, input);
  const snapshots = [first.snapshot];
  const emittedPerStep = [first.emitted];
  for (const event of events) {
    const stepped = send(snapshots.at(-1)!, event);
    expect(stepped.snapshot, `${event.type} was refused`).not.toBe(snapshots.at(-1));
    snapshots.push(stepped.snapshot);
    emittedPerStep.push(stepped.emitted);
  }
  return { snapshots, emittedPerStep };
}

describe('the history of a case', () => {
  it('when a case runs from opening to closure, then its seq numbers are 1, 2, 3 … without gaps and `version` is the last one', () => {
    const { snapshots } = walkPurely();
    const final = snapshots.at(-1)!;
    const seqs = final.context.history.map((entry) => entry.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(toCaseView(final.context).version).toBe(seqs.length);
    // and at every step in between, seq only grows
    for (let i = 1; i < snapshots.length; i += 1) {
      expect(snapshots[i]!.context.seq).toBeGreaterThan(snapshots[i - 1]!.context.seq);
    }
  });

  it('when a case runs through every phase, then each phase is entered exactly once and in order', () => {
    const final = walkPurely().snapshots.at(-1)!;
    const entered = final.context.history.filter((entry) => entry.event === 'phase_entered');
    expect(entered.map((entry) => [entry.phase, entry.at])).toEqual([
      ['mapping', at(WED_OPENED)],
      ['action_plan', at('2026-12-03')],
      ['follow_up', at('2026-12-10')],
      ['closed', at('2027-05-21')],
    ]);
  });

  it('when a case closes after an assessment deciding so, then it enters mapping and closed only', () => {
    const { snapshots } = walkPurely(openInput(WED_OPENED), [
      ...WALK.slice(0, 4),
      { type: 'assessment.decide', decision: 'close', rationale: 'Fraværet er faldet', at: at('2026-12-03') },
      closureCommand('2026-12-04'),
    ]);
    const history = snapshots.at(-1)!.context.history;
    expect(history.filter((entry) => entry.event === 'phase_entered').map((entry) => entry.phase)).toEqual(['mapping', 'closed']);
    expect(history.map((entry) => entry.event).slice(-5)).toEqual(['assessment', 'step_done', 'step_done', 'closed', 'phase_entered']);
  });

  it('when a case runs, then the entries emitted at each step are exactly the history entries that step added', () => {
    const { snapshots, emittedPerStep } = walkPurely();
    expect(emittedPerStep[0]).toEqual(snapshots[0]!.context.history);
    for (let i = 1; i < snapshots.length; i += 1) {
      const added = snapshots[i]!.context.history.slice(snapshots[i - 1]!.context.history.length);
      expect(emittedPerStep[i], `step ${i} (${WALK[i - 1]?.type})`).toEqual(added);
      expect(snapshots[i]!.context.history.slice(0, snapshots[i - 1]!.context.history.length)).toEqual(
        snapshots[i - 1]!.context.history,
      );
    }
    expect(emittedPerStep.flat()).toEqual(snapshots.at(-1)!.context.history);
  });

  it('when a case runs, then the recorded events tell its story in order', () => {
    const history = walkPurely().snapshots.at(-1)!.context.history;
    expect(history.map((entry) => [entry.event, entry.stepId ?? entry.phase])).toEqual([
      ['opened', 'mapping'],
      ['phase_entered', 'mapping'],
      ['step_done', 'class_community'],
      ['step_due_soon', 'pupil_conversation'],
      ['step_due_soon', 'parent_conversation'],
      ['step_done', 'pupil_conversation'],
      ['step_done', 'parent_conversation'],
      ['escalation', 'mapping'],
      ['assessment', 'mapping'],
      ['step_done', 'assessment'],
      ['phase_entered', 'action_plan'],
      ['plan_revision', 'action_plan'],
      ['step_done', 'action_plan'],
      ['phase_entered', 'follow_up'],
      ['step_due_soon', 'follow_up_1'],
      ['plan_revision', 'follow_up'],
      ['follow_up', 'follow_up_1'],
      ['step_done', 'follow_up_1'],
      ['follow_up', 'follow_up_2'],
      ['step_done', 'follow_up_2'],
      ['escalation', 'follow_up'],
      ['step_due_soon', 'follow_up_3'],
      ['closed', 'follow_up'],
      ['phase_entered', 'closed'],
    ]);
  });

  it('when a case has run, then every entry and the whole view satisfy the published schemas', () => {
    const { snapshots } = walkPurely();
    for (const snapshot of snapshots) {
      const view = toCaseView(snapshot.context);
      expect(caseView.safeParse(view).success, view.phase).toBe(true);
      for (const entry of view.history) expect(historyEntry.safeParse(entry).success).toBe(true);
      // the view is plain JSON: nothing is lost on the wire
      expect(JSON.parse(JSON.stringify(view))).toEqual(view);
    }
  });
});

describe('persisting and restoring (continue-as-new)', () => {
  const cuts = [1, 3, 5, 6, 7, 8, 10, 11, 12];

  it.each(cuts)(
    'when the snapshot after %i events goes through getPersistedSnapshot and JSON, then a restored actor continues identically',
    (cut) => {
      const input = openInput(WED_OPENED);
      const live = createActor(caseMachine, { input });
      const liveHeard: HistoryEntry[] = [];
      live.on('case.recorded', (event) => liveHeard.push(event.entry));
      live.start();
      for (const event of WALK.slice(0, cut)) live.send(event);

      const persisted = JSON.parse(JSON.stringify(live.getPersistedSnapshot())) as SnapshotFrom<typeof caseMachine>;
      const restored = createActor(caseMachine, { snapshot: persisted, input });
      const restoredHeard: HistoryEntry[] = [];
      restored.on('case.recorded', (event) => restoredHeard.push(event.entry));
      restored.start();
      expect(restoredHeard).toEqual([]); // restoring announces nothing again
      expect(restored.getSnapshot().value).toEqual(live.getSnapshot().value);
      expect(restored.getSnapshot().context).toEqual(live.getSnapshot().context);

      const heardBefore = liveHeard.length;
      for (const event of WALK.slice(cut)) {
        live.send(event);
        restored.send(event);
        expect(restored.getSnapshot().value, event.type).toEqual(live.getSnapshot().value);
        expect(restored.getSnapshot().context, event.type).toEqual(live.getSnapshot().context);
      }
      expect(restored.getSnapshot().status).toBe('done');
      expect(restoredHeard).toEqual(liveHeard.slice(heardBefore));
      // the live actor announced every entry exactly once, in order
      expect(liveHeard).toEqual(live.getSnapshot().context.history);
      // and the pure walk agrees with both
      expect(restored.getSnapshot().context).toEqual(walkPurely().snapshots.at(-1)!.context);
      live.stop();
      restored.stop();
    },
  );

  it('when a snapshot is restored without its input (as the workflow does), then the case carries on from the snapshot alone', () => {
    const pure = walkPurely();
    const cut = 6; // in action_plan
    const persisted = JSON.parse(JSON.stringify(caseMachine.getPersistedSnapshot(pure.snapshots[cut]!))) as SnapshotFrom<
      typeof caseMachine
    >;
    const restored = createActor(caseMachine, { snapshot: persisted, input: undefined });
    const heard: HistoryEntry[] = [];
    restored.on('case.recorded', (event) => heard.push(event.entry));
    restored.start();
    for (const event of WALK.slice(cut)) restored.send(event);
    expect(restored.getSnapshot().context).toEqual(pure.snapshots.at(-1)!.context);
    expect(heard).toEqual(pure.emittedPerStep.slice(cut + 1).flat());
    restored.stop();
  });

  it('when a persisted snapshot is restored, then a command it must refuse is still refused', () => {
    const pure = walkPurely();
    const persisted = JSON.parse(JSON.stringify(caseMachine.getPersistedSnapshot(pure.snapshots[2]!))) as SnapshotFrom<
      typeof caseMachine
    >;
    const restored = createActor(caseMachine, { snapshot: persisted, input: openInput(WED_OPENED) });
    restored.start();
    const before = restored.getSnapshot();
    restored.send({ type: 'assessment.decide', decision: 'action_plan', rationale: 'x', at: at('2026-11-27') });
    expect(restored.getSnapshot()).toBe(before);
    expect(restored.getSnapshot().context.phase).toBe('mapping');
    restored.send(complete('class_community', '2026-11-27'));
    expect(restored.getSnapshot().context.history).toEqual(before.context.history);
    restored.stop();
  });
});
