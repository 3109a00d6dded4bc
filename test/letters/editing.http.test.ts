/**
 * Editing, approving and redrafting letters over HTTP, with the real Temporal dev server and a
 * real worker (issue 16 item 5): the letter names the pupil from the school's directory; each
 * edit is kept with who and when; approval records who; an edit after approval is refused and
 * changes nothing; a corrected opening date redrafts an unedited draft, and marks an edited one
 * for a redraft on request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../src/domain/schemas';
import { letterDraftList, letterDraftWithRevisions, type LetterDraft, type LetterDraftWithRevisions } from '../../src/letters/schemas';
import { createPupilDirectory } from '../../src/school/directory';
import { addDays, casesApi, expectProblem, mondayOnOrBefore, openCase, todayInDenmark, uniqueSchool } from '../api/support/cases';
import type { Answer, HttpClient } from '../api/support/http';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';
import { startLettersApi, type LettersApi } from './harness';

/** The test's own reading of a date in Danish, e.g. 2026-11-18 → "18. november 2026". */
const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
function inDanish(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day}. ${MONTHS[month! - 1]} ${year}`;
}

let temporal: TestTemporal;

beforeAll(async () => {
  temporal = await connectTestTemporal();
});

afterAll(async () => {
  await temporal?.close();
});

describe.each(DATABASE_KINDS)('editing and redrafting letters, on %s', (kind) => {
  let running: LettersApi;
  let tovholder: HttpClient;
  let leader: HttpClient;
  const schoolId = uniqueSchool('edit');
  const openedOn = addDays(mondayOnOrBefore(todayInDenmark()), -14);

  beforeAll(async () => {
    running = await startLettersApi(temporal, kind);
    tovholder = running.http.withToken(await tokenFor({ role: 'tovholder', schools: [schoolId], sub: 'tovholder-sara' }));
    leader = running.http.withToken(await tokenFor({ role: 'leader', schools: [schoolId], sub: 'leder-lis' }));
    await createPupilDirectory(running.database.db).replaceRoster(
      schoolId,
      `pupilRef,schoolId,grade,className,givenName,familyName,guardian1Name,guardian1Email,guardian2Name,guardian2Email\nP-3001,${schoolId},5,5.B,Vera,Lund,Ole Lund,,,\n`,
    );
  });

  afterAll(async () => {
    await running?.close();
  });

  const open = (pupilRef: string): Promise<CaseView> =>
    openCase(casesApi(leader), { schoolId, pupilRef, openedOn, grade: 5, tovholder: 'tovholder-sara' });
  const draftsOf = async (caseId: string): Promise<LetterDraft[]> => {
    const answer = await leader.get(`/api/cases/${caseId}/drafts`);
    expect(answer.status, answer.text).toBe(200);
    return letterDraftList.strict().parse(answer.body).items;
  };
  const withRevisions = (answer: Answer, status: number): LetterDraftWithRevisions => {
    expect(answer.status, answer.text).toBe(status);
    return letterDraftWithRevisions.strict().parse(answer.body);
  };
  const edit = (as: HttpClient, draftId: string, body: string) =>
    as.post(`/api/drafts/${draftId}/revisions`, { subject: 'Invitation til en samtale om Veras skolegang', body });

  it('when a case is opened for a pupil in the directory, then the drafted letter names the pupil and the guardian from it and holds no placeholder', async () => {
    const opened = await open('P-3001');
    const [invitation] = await draftsOf(opened.caseId);
    expect(invitation!.body).toMatch(/^Kære Ole Lund$/m);
    expect(invitation!.body).toContain('forældre til Vera Lund i 5. klasse (elevreference P-3001)');
    expect(invitation!.body).toContain('tovholderen, tovholder-sara,');
    expect(`${invitation!.subject}\n${invitation!.body}`).not.toMatch(/\{\{|\[[^\]]*navn[^\]]*\]/i);
  });

  it('when the tovholder and then the leader edit a draft, then both edits are kept in order with who and when, and approval records the leader; an edit afterwards answers 409 and changes nothing', async () => {
    const opened = await open('P-3001');
    const [invitation] = await draftsOf(opened.caseId);
    const first = withRevisions(await edit(tovholder, invitation!.draftId, 'Kære Ole Lund\n\nVi mødes tirsdag kl. 8.15 i mødelokale 2.'), 201);
    expect(first.revisions.map((revision) => revision.editedBy)).toEqual(['tovholder-sara']);
    const second = withRevisions(await edit(leader, invitation!.draftId, 'Kære Ole Lund\n\nVi mødes onsdag kl. 9.00 i mødelokale 2.'), 201);
    expect(second.revisions.map((revision) => [revision.revision, revision.editedBy])).toEqual([
      [1, 'tovholder-sara'],
      [2, 'leder-lis'],
    ]);
    expect(second.body).toBe('Kære Ole Lund\n\nVi mødes onsdag kl. 9.00 i mødelokale 2.\n');
    expect(second.revisionCount).toBe(2);

    // A bad edit is refused naming the field, and the draft is as it was.
    expectProblem(await tovholder.post(`/api/drafts/${invitation!.draftId}/revisions`, { subject: 'Emne', body: '   ' }), 400, { path: 'body' });
    expect(withRevisions(await leader.get(`/api/drafts/${invitation!.draftId}`), 200)).toEqual(second);

    const approved = await leader.post(`/api/drafts/${invitation!.draftId}/approve`, {});
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: 'leder-lis', body: second.body });

    const late = await edit(tovholder, invitation!.draftId, 'For sent');
    expectProblem(late, 409);
    expect((late.body as { detail: string }).detail).toMatch(/already been approved; only a draft can be edited/);
    const after = withRevisions(await leader.get(`/api/drafts/${invitation!.draftId}`), 200);
    expect(after.revisions).toHaveLength(2);
    expect(after.body).toBe(second.body);
  });

  it('when the opening date is corrected, then an unedited draft is superseded (still readable) by one with the new dates', async () => {
    const opened = await open('P-3002');
    const [before] = await draftsOf(opened.caseId);
    const earlier = addDays(openedOn, -7);
    const corrected = await tovholder.post<CaseView>(`/api/cases/${opened.caseId}/corrections`, { openedOn: earlier, reason: 'Forkert uge tastet' });
    expect(corrected.status, corrected.text).toBe(200);
    const newDue = corrected.body.steps.find((step) => step.stepId === 'parent_conversation')!.dueOn;

    const [old, renewed] = await draftsOf(opened.caseId);
    expect(old).toMatchObject({ draftId: before!.draftId, status: 'superseded', body: before!.body, supersededBy: renewed!.draftId });
    expect(renewed).toMatchObject({ status: 'draft', replaces: before!.draftId, factsChanged: false });
    expect(renewed!.body).toContain(`senest den ${inDanish(newDue)}`);
    expect(renewed!.body).toContain(`Skolen har den ${inDanish(earlier)} sat et forløb i gang`);
    expect(old!.body).toContain(`Skolen har den ${inDanish(openedOn)} sat et forløb i gang`);
  });

  it('when the grade is corrected after an edit, then the edit is kept and the draft says its facts changed; a redraft on request makes a new draft with the new grade', async () => {
    const opened = await open('P-3001');
    const [invitation] = await draftsOf(opened.caseId);
    withRevisions(await edit(tovholder, invitation!.draftId, 'Kære Ole Lund\n\nVi mødes fredag.'), 201);
    const corrected = await tovholder.post(`/api/cases/${opened.caseId}/corrections`, { grade: 6, reason: 'Eleven går i 6. klasse' });
    expect(corrected.status, corrected.text).toBe(200);

    const marked = withRevisions(await leader.get(`/api/drafts/${invitation!.draftId}`), 200);
    expect(marked).toMatchObject({ status: 'draft', factsChanged: true, body: 'Kære Ole Lund\n\nVi mødes fredag.\n' });

    const redrafted = withRevisions(await tovholder.post(`/api/drafts/${invitation!.draftId}/redraft`, {}), 201);
    expect(redrafted).toMatchObject({ status: 'draft', replaces: invitation!.draftId, revisionCount: 0, factsChanged: false });
    expect(redrafted.body).toContain('forældre til Vera Lund i 6. klasse');
    const old = withRevisions(await leader.get(`/api/drafts/${invitation!.draftId}`), 200);
    expect(old).toMatchObject({ status: 'superseded', decidedBy: 'tovholder-sara', supersededBy: redrafted.draftId });
    expect(old.revisions).toHaveLength(1);
    expectProblem(await tovholder.post(`/api/drafts/${invitation!.draftId}/redraft`, {}), 409);
  });
});
