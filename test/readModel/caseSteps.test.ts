/**
 * The case_steps table kept by recordCaseEvents: in the same transaction as the case row, and
 * only from a view that replaces the stored one. On PGlite and on the PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases';
import { MachineCase } from './support/machineCases';

describe.each(DATABASE_KINDS)('case steps on %s', (kind) => {
  let t: TestDatabase;
  let store: CaseStore;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    store = createCaseStore(t.db);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const stepsOf = (caseId: string) =>
    t.db.query(`SELECT step_id, school_id, tovholder, status, completed_on FROM case_steps WHERE case_id = $1 ORDER BY step_id`, [caseId]);
  const datesOf = (caseId: string) => t.db.query(`SELECT seq, type, on_date FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId]);

  it('when a case moves on, then its steps follow its newest view and each event keeps the school date it took effect', async () => {
    const machine = await MachineCase.open(store, { caseId: 'steps-1', schoolId: 'S9', tovholder: 'kim', pupilRef: 'P-9', openedOn: '2026-10-05' });
    for (const stepId of ['pupil_conversation', 'parent_conversation', 'class_community']) await machine.complete(stepId, '2026-10-14');
    // Decided on Friday 16-10, entered on Tuesday 20-10.
    await machine.assess('action_plan', '2026-10-16', '2026-10-20');

    const steps = await stepsOf('steps-1');
    expect(steps).toHaveLength(5);
    expect(steps).toContainEqual({ step_id: 'action_plan', school_id: 'S9', tovholder: 'kim', status: 'open', completed_on: null });
    expect(steps).toContainEqual({ step_id: 'assessment', school_id: 'S9', tovholder: 'kim', status: 'done', completed_on: '2026-10-16' });
    const events = await datesOf('steps-1');
    const milestones = events
      .filter((event) => event.type === 'assessment' || event.type === 'phase_entered')
      .map(({ type, on_date }) => ({ type, on_date }));
    expect(milestones).toEqual([
      { type: 'phase_entered', on_date: '2026-10-05' },
      { type: 'assessment', on_date: '2026-10-16' },
      { type: 'phase_entered', on_date: '2026-10-16' },
    ]);
  });

  it('when an older view arrives after a newer one, then the steps stay as the newer view has them', async () => {
    const machine = await MachineCase.open(store, { caseId: 'steps-2', schoolId: 'S9', tovholder: 'kim', pupilRef: 'P-8', openedOn: '2026-10-05' });
    const opened = machine.view;
    await machine.complete('pupil_conversation', '2026-10-12');
    const newer = await stepsOf('steps-2');
    expect(newer).toContainEqual({ step_id: 'pupil_conversation', school_id: 'S9', tovholder: 'kim', status: 'done', completed_on: '2026-10-12' });

    // A retried activity delivering the opening view late.
    await store.recordCaseEvents(opened.caseId, opened.history, opened);

    expect(await stepsOf('steps-2')).toEqual(newer);
    expect((await store.getCase('steps-2'))?.version).toBe(machine.view.version);
  });
});
