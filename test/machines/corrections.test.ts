/** Corrections with a reason and withdrawing a case opened in error (issue 16 item 3): the actions' own tests. */
import { describe, expect, it } from 'vitest';
import { toCaseView, type CaseCommand } from '../../src/machines/case';
import { accept, at, complete, inFollowUp, open, paths, refuse, stepOf } from './support';

const correct = (on: string, fields: { openedOn?: string; grade?: number; pupilRef?: string }, reason = 'Tastefejl ved oprettelsen'): CaseCommand => ({
  type: 'case.correct',
  ...fields,
  reason,
  at: at(on),
});
const withdraw = (on: string, reason = 'Oprettet på den forkerte elev'): CaseCommand => ({ type: 'case.withdraw', reason, at: at(on) });

describe('correcting a case', () => {
  it('when the opening date was mistyped, then the corrected date stands, the open steps count their deadlines from it, and the correction is recorded with both dates and the reason', () => {
    const { snapshot: opened } = open('2026-09-14');
    expect(stepOf(opened, 'pupil_conversation').dueOn).toBe('2026-09-25');
    const { snapshot, emitted } = accept(opened, correct('2026-09-15', { openedOn: '2026-09-07' }));
    expect(snapshot.context.openedOn).toBe('2026-09-07');
    // Week 2 from Monday 7 September ends Friday 18 September.
    expect(stepOf(snapshot, 'pupil_conversation').dueOn).toBe('2026-09-18');
    expect(emitted.filter((entry) => entry.event === 'corrected')).toEqual([
      expect.objectContaining({
        event: 'corrected',
        on: '2026-09-15',
        detail: { changes: [{ field: 'openedOn', from: '2026-09-14', to: '2026-09-07' }], reason: 'Tastefejl ved oprettelsen' },
      }),
    ]);
  });

  it('when the grade and the pupil reference are corrected together, then both change and both are in the one recorded correction', () => {
    const { snapshot: opened } = open('2026-09-07');
    const { snapshot, emitted } = accept(opened, correct('2026-09-08', { grade: 7, pupilRef: 'P-4712' }));
    expect(toCaseView(snapshot.context)).toMatchObject({ grade: 7, pupilRef: 'P-4712' });
    expect(emitted[0]?.detail).toEqual({
      changes: [
        { field: 'grade', from: 5, to: 7 },
        { field: 'pupilRef', from: 'P-4711', to: 'P-4712' },
      ],
      reason: 'Tastefejl ved oprettelsen',
    });
  });

  it('when the corrected opening date is implausibly early, in the future or after a step already done, then 422 names openedOn and the case is unchanged', () => {
    const { snapshot: opened } = open('2026-09-07');
    expect(paths(refuse(opened, correct('2026-09-08', { openedOn: '1999-09-07' })))).toEqual(['openedOn']);
    expect(paths(refuse(opened, correct('2026-09-08', { openedOn: '2026-09-09' })))).toEqual(['openedOn']);
    const { snapshot: done } = accept(opened, complete('pupil_conversation', '2026-09-10'));
    const error = refuse(done, correct('2026-09-11', { openedOn: '2026-09-11' }));
    expect(error).toMatchObject({ code: 'rule_violated', detail: expect.stringContaining('2026-09-10') });
  });

  it('when nothing would change, then 422 says so', () => {
    const { snapshot: opened } = open('2026-09-07');
    expect(paths(refuse(opened, correct('2026-09-08', { grade: 5 })))).toEqual(['grade']);
    expect(paths(refuse(opened, correct('2026-09-08', {})))).toEqual(['openedOn']);
  });
});

describe('withdrawing a case opened in error', () => {
  it('when the leader withdraws a case in follow-up, then it ends, its open steps are cancelled, the reason is recorded, and it takes no further action', () => {
    const before = inFollowUp();
    const { snapshot, emitted } = accept(before, withdraw(before.context.today));
    expect(snapshot.status).toBe('done');
    expect(snapshot.context.withdrawal).toEqual({ on: before.context.today, reason: 'Oprettet på den forkerte elev' });
    expect(snapshot.context.steps.filter((step) => step.status !== 'done' && step.status !== 'cancelled')).toEqual([]);
    expect(emitted.map((entry) => entry.event)).toEqual(['withdrawn']);
    expect(toCaseView(snapshot.context).withdrawal?.reason).toBe('Oprettet på den forkerte elev');
    expect(refuse(snapshot, correct(before.context.today, { grade: 9 }))).toMatchObject({ code: 'not_allowed_now', detail: 'the case was withdrawn' });
  });
});
