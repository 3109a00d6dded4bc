/**
 * The template in force, against a real database of each kind: the draftLetters activity reads
 * it at drafting time, a refused template changes nothing, and a template stored in the database
 * that no longer passes the check (the code lost a field since) gives way to the file, with a
 * warning that names identifiers only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLetterActivities, type DraftLettersInput } from '../../src/activities/letterActivities';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import type { CaseView } from '../../src/domain/schemas';
import { loadLetterTemplates } from '../../src/letters/loadTemplates';
import { createLetterDraftStore } from '../../src/letters/store';
import { createLetterTemplateStore, type LetterTemplateStore } from '../../src/letters/templateStore';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/databases';
import { PARENT_CONVERSATION_DUE, openedCase } from './views';

const files = loadLetterTemplates();
const INVITATION = 'parent_conversation_invitation';

describe.each(DATABASE_KINDS)('the letter template in force, on %s', (kind) => {
  let t: TestDatabase;
  let store: CaseStore;
  let templates: LetterTemplateStore;
  let caseNumber = 0;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    store = createCaseStore(t.db);
    templates = createLetterTemplateStore(t.db, files);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  async function recordedOpenedCase(): Promise<DraftLettersInput> {
    caseNumber += 1;
    const caseId = `00000000-0000-4000-b000-${String(caseNumber).padStart(12, '0')}`;
    const walk = openedCase();
    const view: CaseView = { ...walk.view, caseId };
    await store.recordCaseEvents(caseId, view.history, view);
    return { caseId, events: walk.announced, view };
  }

  /** The draft as it is shown (names filled in). */
  const draftOf = async (caseId: string) => {
    const [draft] = (await createLetterDraftStore(t.db).listForCase(caseId)) ?? [];
    return draft === undefined ? undefined : { subject: draft.subject, body: draft.body };
  };

  it('when a template is set in the database, then the activity drafts with it from then on, and the draft made before keeps its text', async () => {
    const { draftLetters } = createLetterActivities({ db: t.db, templates: files });
    const before = await recordedOpenedCase();
    await draftLetters(before);
    const drafted = await draftOf(before.caseId);
    expect(drafted?.subject).toBe(files.byKind.get(INVITATION)!.subject);

    const set = await templates.set(INVITATION, { subject: '  Samtale i {{grade}}  ', body: 'Senest den {{dueOn}}.\r\nHilsen {{tovholder}}\r\n' });
    expect(set.ok).toBe(true);
    const after = await recordedOpenedCase();
    await expect(draftLetters(after)).resolves.toEqual({ drafted: 1 });
    expect(await draftOf(after.caseId)).toEqual({ subject: 'Samtale i 6. klasse', body: `Senest den ${PARENT_CONVERSATION_DUE}.\nHilsen tovholder-kim\n` });
    expect(await draftOf(before.caseId)).toEqual(drafted);
  });

  it('when a refused template is set, then it lists every problem with its text and nothing is stored', async () => {
    const inForce = await templates.inForce(INVITATION);
    const result = await templates.set(INVITATION, { subject: '{{measures}}', body: '{{cprNummer}} {{pupilRef}} {{elevensNavn}}' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => [problem.part, problem.field])).toEqual([
      ['subject', 'measures'],
      ['body', 'cprNummer'],
      ['body', 'elevensNavn'],
    ]);
    expect(await templates.inForce(INVITATION)).toEqual(inForce);
  });

  it('when a template in the database no longer passes the check, then the file is in force, and the activity drafts with it and warns with identifiers only', async () => {
    await t.db.query(
      `INSERT INTO letter_templates (kind, subject, body) VALUES ($1, 'Samtale', 'Kære {{elevensNavn}}')
       ON CONFLICT (kind) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body`,
      [INVITATION],
    );
    const inForce = await templates.inForce(INVITATION);
    expect(inForce).toMatchObject({ source: 'file', updatedAt: null, refusedOverride: { field: 'elevensNavn', part: 'body' } });

    const warnings: unknown[] = [];
    const { draftLetters } = createLetterActivities({ db: t.db, templates: files, warn: (message, fields) => warnings.push({ message, fields }) });
    const input = await recordedOpenedCase();
    await expect(draftLetters(input)).resolves.toEqual({ drafted: 1 });
    expect((await draftOf(input.caseId))?.subject).toBe(files.byKind.get(INVITATION)!.subject);
    expect(warnings).toEqual([
      { message: expect.stringMatching(/file is used/), fields: { caseId: input.caseId, kind: INVITATION, seq: 1, field: 'elevensNavn' } },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('Kære');

    const reset = await templates.reset(INVITATION);
    expect(reset).toEqual({ template: files.byKind.get(INVITATION), source: 'file', updatedAt: null });
    expect(await t.db.query('SELECT kind FROM letter_templates')).toEqual([]);
  });
});
