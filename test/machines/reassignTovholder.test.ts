/** Reassigning the tovholder, as the machine and the notices see it (the action's own tests). */
import { describe, expect, it } from 'vitest';
import { noticesFor } from '../../src/notices/kinds';
import { toCaseView, type CaseCommand } from '../../src/machines/case';
import { accept, at, closureCommand, inFollowUp, open, paths, refuse } from './support';

const reassign = (tovholder: string, on: string, reason = 'Kim går på barsel'): CaseCommand => ({
  type: 'tovholder.reassign',
  tovholder,
  reason,
  at: at(on),
});

describe('reassigning the tovholder', () => {
  it('when the leader gives a case in mapping another tovholder, then the case is theirs and the change is recorded with both names and the reason', () => {
    const { snapshot: opened } = open('2026-09-07');
    const { snapshot, emitted: entries } = accept(opened, reassign('tovholder-maja', '2026-09-10'));
    expect(snapshot.context.tovholder).toBe('tovholder-maja');
    expect(entries).toEqual([
      expect.objectContaining({
        event: 'tovholder_reassigned',
        on: '2026-09-10',
        phase: 'mapping',
        detail: { from: 'tovholder-kim', to: 'tovholder-maja', reason: 'Kim går på barsel' },
      }),
    ]);
    expect(snapshot.value).toEqual(opened.value);
  });

  it('when the case is in follow-up, then it can change hands too, and its steps and deadlines stay as they were', () => {
    const before = inFollowUp();
    const { snapshot } = accept(before, reassign('tovholder-maja', before.context.today));
    expect(snapshot.context.steps).toEqual(before.context.steps);
    expect(snapshot.context.phase).toBe('follow_up');
  });

  it('when the tovholder named is the one the case has, then 422 names the field', () => {
    const { snapshot: opened } = open('2026-09-07');
    const error = refuse(opened, reassign('tovholder-kim', '2026-09-10'));
    expect(error.code).toBe('rule_violated');
    expect(paths(error)).toEqual(['tovholder']);
  });

  it('when the case is closed, then it takes no new tovholder', () => {
    const before = inFollowUp();
    const { snapshot: closed } = accept(before, closureCommand(before.context.today));
    expect(refuse(closed, reassign('tovholder-maja', closed.context.today))).toMatchObject({ code: 'not_allowed_now', detail: 'the case is closed' });
  });

  it('when the reassignment is announced, then both tovholders get a notice that carries their names but not the reason', () => {
    const { snapshot: opened } = open('2026-09-07');
    const { snapshot, emitted: entries } = accept(opened, reassign('tovholder-maja', '2026-09-10'));
    const notices = noticesFor(entries, toCaseView(snapshot.context));
    expect(notices.map((notice) => [notice.kind, notice.role, notice.tovholder])).toEqual([
      ['tovholder_reassigned', 'tovholder', 'tovholder-kim'],
      ['tovholder_reassigned', 'tovholder', 'tovholder-maja'],
    ]);
    expect(JSON.stringify(notices)).not.toContain('barsel');
  });
});
