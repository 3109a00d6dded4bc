/**
 * The drafts' life in the database, on both databases: edits kept as revisions (who, when, in
 * order), approval recording who and freezing the text as shown, names filled in from the
 * directory when a letter is shown, and redrafting when the facts behind an open draft change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLetterActivities, type DraftLettersInput } from '../../src/activities/letterActivities';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import type { CaseView } from '../../src/domain/schemas';
import { loadLetterTemplates } from '../../src/letters/loadTemplates';
import { changedFacts, createRedrafting } from '../../src/letters/redraft';
import { createLetterDraftStore, type LetterDraftStore } from '../../src/letters/store';
import { createPupilDirectory } from '../../src/school/directory';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/databases';
import { openedCase, type Walked } from './views';

const templates = loadLetterTemplates();
const ROSTER_HEADER = 'pupilRef,schoolId,grade,className,givenName,familyName,guardian1Name,guardian1Email,guardian2Name,guardian2Email';

describe.each(DATABASE_KINDS)('letter drafts in the database, on %s', (kind) => {
  let t: TestDatabase;
  let cases: CaseStore;
  let drafts: LetterDraftStore;
  let caseNumber = 0;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cases = createCaseStore(t.db);
    drafts = createLetterDraftStore(t.db, { schoolNames: new Map([['S1', 'Søndermarksskolen']]) });
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  /** A case of its own with its opening letter drafted, as the effect step would. */
  async function draftedCase(walk: Walked = openedCase()): Promise<DraftLettersInput & { draftId: string }> {
    caseNumber += 1;
    const caseId = `00000000-0000-4000-b000-${String(caseNumber).padStart(12, '0')}`;
    const view: CaseView = { ...walk.view, caseId };
    await cases.recordCaseEvents(caseId, view.history, view);
    const input = { caseId, events: walk.announced, view };
    await createLetterActivities({ db: t.db, templates }).draftLetters(input);
    const [draft] = (await drafts.listForCase(caseId)) ?? [];
    return { ...input, draftId: draft!.draftId };
  }

  it('when a draft is edited twice, then both edits are kept in order with who and when, and the draft reads as the last edit', async () => {
    const { draftId } = await draftedCase();
    const first = await drafts.edit(draftId, { subject: 'Samtale om skolegang', body: 'Første udgave: vi mødes tirsdag kl. 8.15.' }, 'tovholder-kim');
    expect(first.outcome).toBe('edited');
    const second = await drafts.edit(draftId, { subject: 'Samtale om skolegang', body: 'Anden udgave: vi mødes onsdag kl. 9.00 i mødelokale 2.' }, 'leder-lis');
    expect(second.outcome).toBe('edited');

    const read = (await drafts.get(draftId))!;
    expect(read.revisionCount).toBe(2);
    expect(read.body).toBe('Anden udgave: vi mødes onsdag kl. 9.00 i mødelokale 2.\n');
    expect(read.revisions.map((revision) => [revision.revision, revision.editedBy, revision.body])).toEqual([
      [1, 'tovholder-kim', 'Første udgave: vi mødes tirsdag kl. 8.15.\n'],
      [2, 'leder-lis', 'Anden udgave: vi mødes onsdag kl. 9.00 i mødelokale 2.\n'],
    ]);
    expect(Date.parse(read.revisions[0]!.editedAt)).toBeLessThanOrEqual(Date.parse(read.revisions[1]!.editedAt));
  });

  it('when an edit is sent again with the same key, then it is kept once', async () => {
    const { draftId } = await draftedCase();
    const edit = { subject: 'Emne', body: 'Tekst med tid og sted.' };
    expect((await drafts.edit(draftId, edit, 'tovholder-kim', 'edit-once')).outcome).toBe('edited');
    expect((await drafts.edit(draftId, edit, 'tovholder-kim', 'edit-once')).outcome).toBe('repeated');
    expect((await drafts.get(draftId))!.revisions).toHaveLength(1);
  });

  it('when a draft is approved, then who approved is recorded, and an edit afterwards is refused and changes nothing', async () => {
    const { draftId } = await draftedCase();
    await drafts.edit(draftId, { subject: 'Emne', body: 'Vi mødes torsdag.' }, 'tovholder-kim');
    const decided = await drafts.decide(draftId, 'approved', 'leder-lis');
    expect(decided.outcome).toBe('decided');
    const approved = (await drafts.get(draftId))!;
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'leder-lis', body: 'Vi mødes torsdag.\n' });
    expect(Date.parse(approved.decidedAt!)).not.toBeNaN();

    const refused = await drafts.edit(draftId, { subject: 'Emne', body: 'For sent.' }, 'tovholder-kim');
    expect(refused.outcome).toBe('already_decided');
    expect((await drafts.get(draftId))!).toEqual(approved);
  });

  it('when the pupil is in the directory, then the letter as shown has the pupil’s, the guardians’, the school’s and the tovholder’s names and no placeholder; once approved, a later change in the directory does not change it', async () => {
    await createPupilDirectory(t.db).replaceRoster(
      'S1',
      `${ROSTER_HEADER}\nP-7001,S1,6,6.A,Alma,Bøgh,Carl Bøgh,,Dorte Bøgh,\n`,
    );
    const { draftId } = await draftedCase(openedCase({ pupilRef: 'P-7001' }));
    const shown = (await drafts.get(draftId))!;
    expect(shown.body).toMatch(/^Kære Carl Bøgh og Dorte Bøgh$/m);
    expect(shown.body).toContain('forældre til Alma Bøgh i 6. klasse');
    expect(shown.body).toContain('på Søndermarksskolen');
    expect(shown.body).toContain('tovholderen, tovholder-kim,');
    expect(`${shown.subject}\n${shown.body}`).not.toMatch(/\{\{|\[[^\]]*navn[^\]]*\]/i);

    await drafts.decide(draftId, 'approved', 'leder-lis');
    await createPupilDirectory(t.db).replaceRoster('S1', `${ROSTER_HEADER}\nP-7001,S1,6,6.A,Alma,Holm,Carl Holm,,,\n`);
    expect((await drafts.get(draftId))!.body).toBe(shown.body);
    await t.db.query(`DELETE FROM pupils WHERE school_id = 'S1'`);
  });

  it('when the pupil is not in the directory, then the letter speaks of "eleven" and "forældre", never of a blank to fill in', async () => {
    const { draftId } = await draftedCase(openedCase({ pupilRef: 'P-7002' }));
    const shown = (await drafts.get(draftId))!;
    expect(shown.body).toMatch(/^Kære forældre$/m);
    expect(shown.body).toContain('forældre til eleven i 6. klasse (elevreference P-7002)');
    expect(shown.body).not.toMatch(/\{\{|\[[^\]]*navn[^\]]*\]/i);
  });

  it('when the opening date of a case with an unedited draft is corrected, then the draft is superseded (kept, readable) by a new one with the new date', async () => {
    const { caseId, draftId, view } = await draftedCase();
    const corrected: CaseView = {
      ...view,
      openedOn: '2026-10-26',
      steps: view.steps.map((step) => (step.stepId === 'parent_conversation' ? { ...step, dueOn: '2026-11-06' } : step)),
    };
    await cases.recordCaseEvents(caseId, [], corrected);
    const [open] = await drafts.openDrafts(caseId);
    expect(changedFacts(open!, corrected).sort()).toEqual(['dueOn', 'openedOn']);

    await expect(createRedrafting(templates).checkCase(t.db, caseId, () => Promise.resolve(corrected))).resolves.toEqual({ redrafted: 1, marked: 0 });
    const [old, renewed] = (await drafts.listForCase(caseId))!;
    expect(old).toMatchObject({ draftId, status: 'superseded', decidedBy: null, supersededBy: renewed!.draftId });
    expect(old!.body).toContain('senest den 13. november 2026');
    expect(renewed).toMatchObject({ status: 'draft', replaces: draftId, factsChanged: false });
    expect(renewed!.body).toContain('senest den 6. november 2026');
    expect(renewed!.body).toContain('den 26. oktober 2026 sat et forløb i gang');

    // Checked again with the same facts, nothing more happens.
    await expect(createRedrafting(templates).checkCase(t.db, caseId, () => Promise.resolve(corrected))).resolves.toEqual({ redrafted: 0, marked: 0 });
  });

  it('when the facts behind an edited draft change, then the edits are kept and the draft is marked; a redraft on request supersedes it', async () => {
    const { caseId, draftId, view } = await draftedCase();
    await drafts.edit(draftId, { subject: 'Emne', body: 'Vi mødes mandag kl. 10 – skrevet af tovholderen.' }, 'tovholder-kim');
    const corrected: CaseView = { ...view, grade: 7 };
    await cases.recordCaseEvents(caseId, [], corrected);
    const redrafting = createRedrafting(templates);
    await expect(redrafting.checkCase(t.db, caseId, () => Promise.resolve(corrected))).resolves.toEqual({ redrafted: 0, marked: 1 });
    const marked = (await drafts.get(draftId))!;
    expect(marked).toMatchObject({ status: 'draft', factsChanged: true, body: 'Vi mødes mandag kl. 10 – skrevet af tovholderen.\n' });

    const [open] = await drafts.openDrafts(caseId);
    const newId = await redrafting.redraft(t.db, corrected, open!, 'tovholder-kim');
    expect(newId).not.toBeNull();
    expect((await drafts.get(draftId))!).toMatchObject({ status: 'superseded', decidedBy: 'tovholder-kim', supersededBy: newId, revisionCount: 1 });
    expect((await drafts.get(newId!))!.body).toContain('i 7. klasse');
  });
});
