/**
 * The one effect step (recordCaseEffects) against a real database of each kind: an action's
 * events, its row, its letter drafts and its notices land together in one transaction, given only
 * the new events and the parts of the view that changed; a retried step adds nothing; a refusal
 * leaves nothing behind and is reported as permanent.
 */
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEffectActivities, type CaseEffectsInput } from '../../src/activities/effectActivities';
import { createLetterDrafting } from '../../src/activities/letterActivities';
import { createRedrafting } from '../../src/letters/redraft';
import { createNoticeQueueing } from '../../src/activities/noticeActivities';
import { createCaseStore } from '../../src/db';
import type { CaseStore, Database } from '../../src/db/types';
import { caseRowOf, viewChangesSince, type RecordedParts } from '../../src/domain/caseRow';
import type { CaseView } from '../../src/domain/schemas';
import { loadLetterTemplates } from '../../src/letters/loadTemplates';
import { caseInActionPlan, closedCase, openedCase } from '../letters/views';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/databases';

const templates = loadLetterTemplates();

describe.each(DATABASE_KINDS)('the one effect step, on %s', (kind) => {
  let t: TestDatabase;
  let store: CaseStore;
  let caseNumber = 0;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    store = createCaseStore(t.db);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const effectsOn = (db: Database) =>
    createEffectActivities({ db, drafting: createLetterDrafting({ templates, warn: () => undefined }), redrafting: createRedrafting(templates), queueing: createNoticeQueueing({ warn: () => undefined }) });

  const newCaseId = () => {
    caseNumber += 1;
    return `00000000-0000-4000-b000-${String(caseNumber).padStart(12, '0')}`;
  };

  /** The step the workflow would send after `recorded`: the events since, the row, the changed parts. */
  function stepAfter(recorded: RecordedParts, view: CaseView, sinceVersion: number): { input: CaseEffectsInput; parts: RecordedParts } {
    const { changed, removed, parts } = viewChangesSince(recorded, view);
    const events = view.history.filter((entry) => entry.seq > sinceVersion);
    return { input: { caseId: view.caseId, events, row: caseRowOf(view), changed, removed }, parts };
  }

  const countOf = async (table: string, caseId: string) =>
    Number((await t.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table} WHERE case_id = $1`, [caseId]))[0]?.n);

  it('when a case is opened and later moves on, then each step writes its events, row, drafts and notices, and the stored case equals the workflow’s view', async () => {
    const caseId = newCaseId();
    const opened: CaseView = { ...openedCase().view, caseId };
    const { recordCaseEffects } = effectsOn(t.db);

    const first = stepAfter(new Map(), opened, 0);
    await expect(recordCaseEffects(first.input)).resolves.toEqual({ drafted: 1, queued: 0 });
    expect(await store.getCase(caseId)).toEqual(opened);

    // Later: only what changed goes in; the history is extended by the new events alone.
    const planned: CaseView = { ...caseInActionPlan().view, caseId };
    const second = stepAfter(first.parts, planned, opened.version);
    expect(Object.keys(second.input.changed)).not.toContain('history');
    expect(Object.keys(second.input.changed)).not.toContain('pupilRef');
    await expect(recordCaseEffects(second.input)).resolves.toMatchObject({ drafted: 1 });
    expect(await store.getCase(caseId)).toEqual(planned);
    expect(await countOf('case_events', caseId)).toBe(planned.history.length);
    const [summary] = await store.listCases({ schoolId: planned.schoolId }).then((rows) => rows.filter((row) => row.caseId === caseId));
    expect(summary).toMatchObject({ phase: 'action_plan', nextDueOn: caseRowOf(planned).nextDueOn });

    // Closed: a part the view no longer has (the next follow-up) is removed; the closure letter is drafted.
    const closed: CaseView = { ...closedCase().view, caseId };
    const third = stepAfter(second.parts, closed, planned.version);
    await recordCaseEffects(third.input);
    expect(await store.getCase(caseId)).toEqual(closed);
    expect(await countOf('letter_drafts', caseId)).toBe(3);
  });

  it('when the same step is run again (Temporal runs it at least once), then nothing is written twice', async () => {
    const caseId = newCaseId();
    const opened: CaseView = { ...openedCase().view, caseId };
    const { recordCaseEffects } = effectsOn(t.db);
    const { input } = stepAfter(new Map(), opened, 0);
    await recordCaseEffects(input);
    await expect(recordCaseEffects(input)).resolves.toEqual({ drafted: 0, queued: 0 });
    expect(await countOf('case_events', caseId)).toBe(opened.history.length);
    expect(await countOf('letter_drafts', caseId)).toBe(1);
    expect(await store.getCase(caseId)).toEqual(opened);
  });

  /** The database, counting the statements sent and the transactions opened through it. */
  const counting = () => {
    const counts = { statements: 0, transactions: 0 };
    const db: Database = {
      kind: t.db.kind,
      query: (sql, params) => {
        counts.statements += 1;
        return t.db.query(sql, params);
      },
      transaction: (work) => {
        counts.transactions += 1;
        return t.db.transaction((tx) =>
          work({
            query: (sql, params) => {
              counts.statements += 1;
              return tx.query(sql, params);
            },
          }),
        );
      },
      close: () => Promise.resolve(),
    };
    return { db, counts };
  };

  it('when a step calls for no letter or notice, then it is one statement with no transaction, and an open draft it leaves true is left as it was', async () => {
    const caseId = newCaseId();
    const opened: CaseView = { ...openedCase().view, caseId };
    const first = stepAfter(new Map(), opened, 0);
    await effectsOn(t.db).recordCaseEffects(first.input);
    const draftsBefore = await t.db.query('SELECT draft_id, status FROM letter_drafts WHERE case_id = $1', [caseId]);
    expect(draftsBefore).toHaveLength(1);

    // A day later the statuses move (no new event); the invitation's facts (its deadline) stay.
    const nextDay: CaseView = { ...opened, asOf: '2026-11-03', steps: opened.steps.map((s) => (s.stepId === 'class_community' ? { ...s, status: 'due_soon' as const } : s)) };
    const second = stepAfter(first.parts, nextDay, opened.version);
    expect(Object.keys(second.input.changed)).toContain('steps');
    const { db, counts } = counting();
    await expect(effectsOn(db).recordCaseEffects(second.input)).resolves.toEqual({ drafted: 0, queued: 0 });
    expect(counts).toEqual({ statements: 1, transactions: 0 });
    expect(await store.getCase(caseId)).toEqual(nextDay);
    expect(await t.db.query('SELECT draft_id, status FROM letter_drafts WHERE case_id = $1', [caseId])).toEqual(draftsBefore);
  });

  it('when a step moves the deadline an open invitation names, then the invitation is redrafted from the new facts', async () => {
    const caseId = newCaseId();
    const opened: CaseView = { ...openedCase().view, caseId };
    const first = stepAfter(new Map(), opened, 0);
    await effectsOn(t.db).recordCaseEffects(first.input);

    const moved: CaseView = { ...opened, asOf: '2026-11-03', steps: opened.steps.map((s) => (s.stepId === 'parent_conversation' ? { ...s, dueOn: '2026-11-20' } : s)) };
    const second = stepAfter(first.parts, moved, opened.version);
    await expect(effectsOn(t.db).recordCaseEffects(second.input)).resolves.toEqual({ drafted: 1, queued: 0 });
    const drafts = await t.db.query<{ status: string; body: string }>('SELECT status, body FROM letter_drafts WHERE case_id = $1 ORDER BY generation', [caseId]);
    expect(drafts.map((draft) => draft.status)).toEqual(['superseded', 'draft']);
    expect(drafts[1]?.body).toContain('20. november 2026');
  });

  it('when the database refuses part of the step, then none of it is written and the failure is permanent, naming no data', async () => {
    const caseId = newCaseId();
    const opened: CaseView = { ...openedCase({ pupilRef: 'P-DO-NOT-LEAK' }).view, caseId };
    // The draft's insert is refused as a check violation would be; the events and row came first.
    const refusing: Database = {
      kind: t.db.kind,
      query: (sql, params) => t.db.query(sql, params),
      transaction: (work) =>
        t.db.transaction((tx) =>
          work({
            query: (sql, params) => {
              if (sql.includes('INSERT INTO letter_drafts')) throw Object.assign(new Error('new row violates check constraint: P-DO-NOT-LEAK'), { code: '23514' });
              return tx.query(sql, params);
            },
          }),
        ),
      close: () => Promise.resolve(),
    };
    const { input } = stepAfter(new Map(), opened, 0);
    const failure: unknown = await effectsOn(refusing).recordCaseEffects(input).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'effects_refused', nonRetryable: true });
    expect((failure as Error).message).not.toContain('P-DO-NOT-LEAK');
    expect(await store.getCase(caseId)).toBeNull();
    expect(await countOf('case_events', caseId)).toBe(0);
  });
});
