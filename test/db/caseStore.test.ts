import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore, summaryColumnsOf, type CaseStore } from '../../src/db';
import { caseSummary } from '../../src/domain/schemas';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases';
import { buildCaseView, eventsSince, withStepStatuses } from './fixtures';

const ISO_INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('summaryColumnsOf', () => {
  it('when steps are open, due soon, overdue or done, then next due is the earliest pending one and overdue ones are counted', () => {
    const opened = buildCaseView({ caseId: 'c-summary' });
    const view = withStepStatuses(opened, '2026-09-21', { pupil_conversation: 'overdue', parent_conversation: 'overdue' });
    const steps = view.steps.map((step) =>
      step.stepId === 'pupil_conversation' ? { ...step, status: 'done' as const, completedOn: '2026-09-21' } : step,
    );
    expect(summaryColumnsOf({ ...view, steps })).toEqual({ nextDueOn: '2026-09-18', overdueSteps: 1, closedOn: null });
  });

  it('when every step is done, then nothing is next due', () => {
    const view = buildCaseView({ caseId: 'c-closed', stage: 'closed' });
    expect(summaryColumnsOf(view)).toEqual({ nextDueOn: null, overdueSteps: 0, closedOn: '2026-09-18' });
  });
});

describe.each(DATABASE_KINDS)('case store on %s', (kind) => {
  let t: TestDatabase;
  let store: CaseStore;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    store = createCaseStore(t.db);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  async function countEvents(caseId: string): Promise<number> {
    const [row] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM case_events WHERE case_id = $1', [caseId]);
    return row?.n ?? 0;
  }

  it('when the store is pinged, then it answers', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('when a case is recorded, then getCase returns its view and every event is stored', async () => {
    const view = buildCaseView({ caseId: 'case-record', stage: 'action_plan' });
    await store.recordCaseEvents(view.caseId, eventsSince(view), view);

    await expect(store.getCase(view.caseId)).resolves.toEqual(view);
    const events = await t.db.query(
      `SELECT seq, at, type, phase, step_id, detail FROM case_events WHERE case_id = $1 ORDER BY seq`,
      [view.caseId],
    );
    expect(events).toHaveLength(view.history.length);
    expect(events[0]).toEqual({ seq: 1, at: '2026-09-07T06:15:00Z', type: 'opened', phase: 'mapping', step_id: null, detail: null });
    expect(events[1]).toMatchObject({ type: 'step_done', step_id: 'class_community', detail: { completedOn: '2026-09-18' } });
  });

  it('when the same events and view are recorded twice, then each event is stored once and the case is unchanged', async () => {
    const view = buildCaseView({ caseId: 'case-retry', stage: 'action_plan' });
    await store.recordCaseEvents(view.caseId, eventsSince(view), view);
    const [before] = await t.db.query('SELECT updated_at, version FROM cases WHERE case_id = $1', [view.caseId]);

    await store.recordCaseEvents(view.caseId, eventsSince(view), view);

    expect(await countEvents(view.caseId)).toBe(view.history.length);
    await expect(t.db.query('SELECT updated_at, version FROM cases WHERE case_id = $1', [view.caseId])).resolves.toEqual([before]);
  });

  it('when an older view arrives after a newer one, then the newer view stays and the late events are still kept', async () => {
    const older = buildCaseView({ caseId: 'case-late' });
    const newer = withStepStatuses(older, '2026-09-21', { pupil_conversation: 'overdue' });
    // The newer activity ran first and carried only its own event; the older one was retried.
    await store.recordCaseEvents(newer.caseId, eventsSince(newer, older), newer);
    await store.recordCaseEvents(older.caseId, eventsSince(older), older);

    await expect(store.getCase(older.caseId)).resolves.toEqual(newer);
    expect(await countEvents(older.caseId)).toBe(newer.history.length);
    const [summary] = await store.listCases({ tovholder: 'tovholder-kim', schoolId: 'S1' }).then((items) =>
      items.filter((item) => item.caseId === older.caseId),
    );
    expect(summary).toMatchObject({ overdueSteps: 1, nextDueOn: '2026-09-18' });
  });

  it('when a view of the same version was computed for an earlier date, then it does not replace the later one', async () => {
    const early = buildCaseView({ caseId: 'case-asof', asOf: '2026-09-08' });
    const later = { ...early, asOf: '2026-09-09' };
    await store.recordCaseEvents(later.caseId, eventsSince(later), later);
    await store.recordCaseEvents(early.caseId, eventsSince(early), early);

    await expect(store.getCase(early.caseId)).resolves.toMatchObject({ asOf: '2026-09-09' });
  });

  it('when a newer view arrives, then it replaces the stored one', async () => {
    const opened = buildCaseView({ caseId: 'case-advance' });
    const due = withStepStatuses(opened, '2026-09-16', { pupil_conversation: 'due_soon' });
    await store.recordCaseEvents(opened.caseId, eventsSince(opened), opened);
    await store.recordCaseEvents(due.caseId, eventsSince(due, opened), due);

    await expect(store.getCase(opened.caseId)).resolves.toEqual(due);
    expect(await countEvents(opened.caseId)).toBe(due.history.length);
  });

  it('when the view belongs to another case, then nothing is recorded', async () => {
    const view = buildCaseView({ caseId: 'case-other' });
    await expect(store.recordCaseEvents('case-mixup', eventsSince(view), view)).rejects.toThrow('different case');
    await expect(store.getCase('case-mixup')).resolves.toBeNull();
    await expect(store.getCase('case-other')).resolves.toBeNull();
  });

  it('when an unknown case is asked for, then getCase returns null', async () => {
    await expect(store.getCase('no-such-case')).resolves.toBeNull();
  });

  describe('listing', () => {
    // Its own school and tovholder names keep these rows apart from the other tests' cases.
    beforeAll(async () => {
      const views = [
        buildCaseView({ caseId: 'list-a', schoolId: 'L1', tovholder: 'tovholder-ane', openedOn: '2026-08-17' }),
        buildCaseView({ caseId: 'list-b', schoolId: 'L1', tovholder: 'tovholder-bo', openedOn: '2026-09-07', stage: 'action_plan' }),
        buildCaseView({ caseId: 'list-c', schoolId: 'L2', tovholder: 'tovholder-ane', openedOn: '2026-09-07', stage: 'closed' }),
        buildCaseView({ caseId: 'list-d', schoolId: 'L2', tovholder: 'tovholder-ane', openedOn: '2026-08-31' }),
      ];
      for (const view of views) await store.recordCaseEvents(view.caseId, eventsSince(view), view);
    });

    const ids = (items: { caseId: string }[]): string[] => items.map((item) => item.caseId);

    it('when filtered by school, then only that school’s cases come back, newest opened first and ties by case id', async () => {
      expect(ids(await store.listCases({ schoolId: 'L1' }))).toEqual(['list-b', 'list-a']);
      expect(ids(await store.listCases({ schoolId: 'L2' }))).toEqual(['list-c', 'list-d']);
    });

    it('when filtered by phase, then only cases in that phase come back', async () => {
      const inPlan = await store.listCases({ phase: 'action_plan' });
      expect(ids(inPlan).filter((id) => id.startsWith('list-'))).toEqual(['list-b']);
      expect(inPlan.every((item) => item.phase === 'action_plan')).toBe(true);
    });

    it('when filtered by tovholder and school together, then both must match', async () => {
      expect(ids(await store.listCases({ schoolId: 'L2', tovholder: 'tovholder-ane' }))).toEqual(['list-c', 'list-d']);
      expect(ids(await store.listCases({ schoolId: 'L1', tovholder: 'tovholder-ane' }))).toEqual(['list-a']);
      expect(ids(await store.listCases({ schoolId: 'L1', tovholder: 'tovholder-ane', phase: 'closed' }))).toEqual([]);
    });

    it('when a filter value looks like SQL, then it is matched literally', async () => {
      await expect(store.listCases({ schoolId: "L1' OR '1'='1" })).resolves.toEqual([]);
    });

    it('when unfiltered, then every case comes back in the same order', async () => {
      const all = ids(await store.listCases({}));
      expect(all.filter((id) => id.startsWith('list-'))).toEqual(['list-b', 'list-c', 'list-d', 'list-a']);
    });

    it('when summaries are listed, then dates are YYYY-MM-DD strings and updatedAt is an ISO instant with offset', async () => {
      const [summary] = await store.listCases({ schoolId: 'L1', tovholder: 'tovholder-bo' });
      expect(summary).toEqual({
        caseId: 'list-b',
        pupilRef: 'P-st-b',
        schoolId: 'L1',
        grade: 6,
        tovholder: 'tovholder-bo',
        openedOn: '2026-09-07',
        phase: 'action_plan',
        escalationLevel: 0,
        nextDueOn: '2026-10-02',
        overdueSteps: 0,
        updatedAt: expect.stringMatching(ISO_INSTANT_WITH_OFFSET),
      });
      expect(caseSummary.safeParse(summary).success).toBe(true);
      expect(Number.isNaN(Date.parse(summary?.updatedAt ?? ''))).toBe(false);
    });

    it('when a case is closed, then its row carries the closing date', async () => {
      await expect(t.db.query('SELECT closed_on, next_due_on FROM cases WHERE case_id = $1', ['list-c'])).resolves.toEqual([
        { closed_on: '2026-09-18', next_due_on: null },
      ]);
    });
  });
});
