/**
 * The draftLetters activity against a real database of each kind: it drafts the letters the
 * announced entries call for, and a retried call (Temporal runs activities at least once) drafts
 * nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLetterActivities, type DraftLettersInput } from '../../src/activities/letterActivities';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import type { CaseView } from '../../src/domain/schemas';
import { loadLetterTemplates } from '../../src/letters/loadTemplates';
import { createLetterDraftStore } from '../../src/letters/store';
import { createPupilDirectory } from '../../src/school/directory';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/databases';
import { PARENT_CONVERSATION_DUE, caseInActionPlan, openedCase, type Walked } from './views';

const templates = loadLetterTemplates();

describe.each(DATABASE_KINDS)('the draftLetters activity, on %s', (kind) => {
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

  /** A case of its own, recorded in the read model as the workflow's first activity would. */
  async function recorded(walk: Walked): Promise<DraftLettersInput> {
    caseNumber += 1;
    const caseId = `00000000-0000-4000-a000-${String(caseNumber).padStart(12, '0')}`;
    const view: CaseView = { ...walk.view, caseId };
    await store.recordCaseEvents(caseId, view.history, view);
    return { caseId, events: walk.announced, view };
  }

  const draftsOf = (caseId: string) =>
    t.db.query<{ kind: string; source_seq: number; status: string; language: string; body: string; school_id: string }>(
      'SELECT kind, source_seq, status, language, body, school_id FROM letter_drafts WHERE case_id = $1 ORDER BY source_seq',
      [caseId],
    );

  it('when a case has opened, then one parent-conversation invitation is drafted in Danish, as a draft', async () => {
    const { draftLetters } = createLetterActivities({ db: t.db, templates });
    const input = await recorded(openedCase());
    await expect(draftLetters(input)).resolves.toEqual({ drafted: 1 });
    const drafts = await draftsOf(input.caseId);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ kind: 'parent_conversation_invitation', status: 'draft', language: 'da', school_id: 'S1', source_seq: 1 });
    expect(drafts[0]?.body).toContain(PARENT_CONVERSATION_DUE);
  });

  it('when the pupil is in the school’s directory, then the stored draft keeps the names as fields, and the draft as shown names the pupil and the guardian from the directory', async () => {
    await createPupilDirectory(t.db).replaceRoster(
      'S1',
      'pupilRef,schoolId,grade,className,givenName,familyName,guardian1Name,guardian1Email,guardian2Name,guardian2Email\nP-4711,S1,6,6.A,Ellen,Navnesen,Finn Navnesen,,,\n',
    );
    const { draftLetters } = createLetterActivities({ db: t.db, templates });
    const input = await recorded(openedCase());
    await draftLetters(input);
    const [stored] = await draftsOf(input.caseId);
    expect(stored?.body).not.toContain('Navnesen');
    expect(stored?.body).toContain('{{pupilName}}');
    const [shown] = (await createLetterDraftStore(t.db).listForCase(input.caseId)) ?? [];
    expect(shown?.body).toMatch(/^Kære Finn Navnesen$/m);
    expect(shown?.body).toMatch(/^Vi skriver til jer som forældre til Ellen Navnesen i 6\. klasse \(elevreference P-4711\)\./m);
    expect(shown?.body).not.toContain('{{');
    await t.db.query(`DELETE FROM pupils WHERE school_id = 'S1'`);
  });

  it('when the activity is retried with the same input, then the letter is drafted once', async () => {
    const { draftLetters } = createLetterActivities({ db: t.db, templates });
    const input = await recorded(openedCase());
    await expect(draftLetters(input)).resolves.toEqual({ drafted: 1 });
    await expect(draftLetters(input)).resolves.toEqual({ drafted: 0 });
    expect(await draftsOf(input.caseId)).toHaveLength(1);
  });

  it('when two attempts of the activity run at the same time, then the letter is still drafted once', async () => {
    const { draftLetters } = createLetterActivities({ db: t.db, templates });
    const input = await recorded(openedCase());
    const results = await Promise.all([draftLetters(input), draftLetters(input)]);
    expect(results.map((result) => result.drafted).sort()).toEqual([0, 1]);
    expect(await draftsOf(input.caseId)).toHaveLength(1);
  });

  it('when the entries call for no letter (steps done, a phase entered other than the action plan), then nothing is drafted', async () => {
    const { draftLetters } = createLetterActivities({ db: t.db, templates });
    const walk = caseInActionPlan();
    const input = await recorded(walk);
    const quiet = { ...input, events: input.events.filter((entry) => !(entry.event === 'phase_entered' && entry.phase === 'action_plan')) };
    expect(quiet.events.length).toBeGreaterThan(0);
    await expect(draftLetters(quiet)).resolves.toEqual({ drafted: 0 });
    await expect(draftLetters(input)).resolves.toEqual({ drafted: 1 });
    expect((await draftsOf(input.caseId)).map((draft) => draft.kind)).toEqual(['action_plan_meeting_invitation']);
  });

  it('when the case lacks a fact its letter needs, then that letter is skipped with identifiers only in the warning, and the call succeeds', async () => {
    const warnings: unknown[] = [];
    const { draftLetters } = createLetterActivities({ db: t.db, templates, warn: (message, fields) => warnings.push({ message, fields }) });
    const input = await recorded(openedCase());
    const withoutStep = { ...input, view: { ...input.view, steps: input.view.steps.filter((step) => step.stepId !== 'parent_conversation') } };
    await expect(draftLetters(withoutStep)).resolves.toEqual({ drafted: 0 });
    expect(warnings).toEqual([
      { message: expect.any(String), fields: { caseId: input.caseId, kind: 'parent_conversation_invitation', seq: 1, field: 'dueOn' } },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('P-4711');
  });
});
