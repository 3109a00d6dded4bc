/**
 * Letter drafts over HTTP, with the real Temporal dev server and a real worker: a case that
 * opens, enters its action plan and closes gets the three letters drafted at those moments, in
 * Danish and with its own facts; a person approves or discards each, once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../src/domain/schemas';
import { letterDraft, letterDraftList, type LetterDraft } from '../../src/letters/schemas';
import {
  addDays,
  casesApi,
  closureBody,
  completeMapping,
  expectCase,
  expectProblem,
  mondayOnOrBefore,
  openCase,
  threeTrackMeasures,
  todayInDenmark,
  uniqueKey,
  uniqueSchool,
  type CasesApi,
} from '../api/support/cases';
import type { Answer } from '../api/support/http';
import { schemaViolations } from '../api/support/jsonSchema';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { startLettersApi, type LettersApi } from './harness';

/** The test's own reading of a date in Danish, e.g. 2026-11-18 → "18. november 2026". */
const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
function inDanish(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day}. ${MONTHS[month! - 1]} ${year}`;
}

const DRAFT_NOT_FOUND = 'https://fravaersforloeb.dk/problems/draft-not-found';

let temporal: TestTemporal;

beforeAll(async () => {
  temporal = await connectTestTemporal();
});

afterAll(async () => {
  await temporal?.close();
});

describe.each(DATABASE_KINDS)('letter drafts through a case’s life, on %s', (kind) => {
  let running: LettersApi;
  let api: CasesApi;
  let openApi: Record<string, unknown>;

  const schoolId = uniqueSchool('letters');
  const pupilRef = 'P-2042';
  // Opened on a Monday three weeks back, so the steps have real deadlines behind and ahead.
  const openedOn = addDays(mondayOnOrBefore(todayInDenmark()), -21);
  let caseId: string;
  let opened: CaseView;
  let inActionPlan: CaseView;

  beforeAll(async () => {
    running = await startLettersApi(temporal, kind);
    api = casesApi(running.http);
    openApi = (await running.http.get<Record<string, unknown>>('/openapi.json')).body;
  });

  afterAll(async () => {
    await running?.close();
  });

  const dueOn = (view: CaseView, stepId: string) => view.steps.find((step) => step.stepId === stepId)!.dueOn;

  /** A drafts list answer: 200, JSON, the documented shape. */
  function expectDrafts(answer: Answer): LetterDraft[] {
    expect(answer.status, answer.text).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    const schema = { $ref: '#/components/schemas/LetterDraftList' };
    expect(schemaViolations(openApi, schema, answer.body)).toEqual([]);
    return letterDraftList.strict().parse(answer.body).items;
  }

  function expectDraft(answer: Answer): LetterDraft {
    expect(answer.status, answer.text).toBe(200);
    expect(schemaViolations(openApi, { $ref: '#/components/schemas/LetterDraft' }, answer.body)).toEqual([]);
    return letterDraft.strict().parse(answer.body);
  }

  const drafts = async () => expectDrafts(await running.http.get(`/api/cases/${caseId}/drafts`));
  const draftOf = async (kindOfLetter: LetterDraft['kind']) => {
    const found = (await drafts()).find((draft) => draft.kind === kindOfLetter);
    expect(found, kindOfLetter).toBeDefined();
    return found!;
  };
  const approve = (draftId: string, idempotencyKey?: string) =>
    running.http.post(`/api/drafts/${draftId}/approve`, {}, idempotencyKey === undefined ? {} : { idempotencyKey });
  const discard = (draftId: string, idempotencyKey?: string) =>
    running.http.post(`/api/drafts/${draftId}/discard`, {}, idempotencyKey === undefined ? {} : { idempotencyKey });

  it('when a case is opened, then an invitation to the parents’ conversation is drafted with the pupil reference, the school and the due date in Danish', async () => {
    opened = await openCase(api, { schoolId, pupilRef, openedOn, grade: 4, tovholder: 'tovholder-sara' });
    caseId = opened.caseId;

    const items = await drafts();
    expect(items).toHaveLength(1);
    const [invitation] = items;
    expect(invitation).toMatchObject({
      caseId,
      kind: 'parent_conversation_invitation',
      language: 'da',
      status: 'draft',
      decidedAt: null,
      subject: expect.stringContaining('samtale'),
    });
    expect(Date.parse(invitation!.createdAt)).not.toBeNaN();
    // No directory row for this pupil: neutral words, never a blank to fill in.
    expect(invitation!.body).toContain(`Kære forældre\n\nVi skriver til jer som forældre til eleven i 4. klasse (elevreference ${pupilRef})`);
    expect(invitation!.body).toContain(schoolId);
    expect(invitation!.body).toContain(`senest den ${inDanish(dueOn(opened, 'parent_conversation'))}`);
    expect(invitation!.body).toContain(inDanish(openedOn));
    expect(invitation!.body).toContain('tovholder-sara');
    expect(invitation!.body).not.toMatch(/\{\{|\d{4}-\d{2}-\d{2}/);
  });

  it('when the mapping is done, then no further letter is drafted; when the case enters the action plan, then the meeting invitation is drafted with the action plan’s due date', async () => {
    await completeMapping(api, caseId);
    expect((await drafts()).map((draft) => draft.kind)).toEqual(['parent_conversation_invitation']);

    inActionPlan = expectCase(await api.assess(caseId, { decision: 'action_plan', rationale: 'Kortlægningen viser behov for en handleplan' }));
    expect(inActionPlan.phase).toBe('action_plan');
    const items = await drafts();
    expect(items.map((draft) => draft.kind)).toEqual(['parent_conversation_invitation', 'action_plan_meeting_invitation']);
    const meeting = items[1]!;
    expect(meeting.status).toBe('draft');
    expect(meeting.body).toContain(`senest den ${inDanish(dueOn(inActionPlan, 'action_plan'))}`);
    expect(meeting.body).toContain(pupilRef);
  });

  it('when the case closes, then the closure summary is drafted with the relapse-prevention plan, the measures to keep and the bridging', async () => {
    const planned = expectCase(await api.plan(caseId, { measures: threeTrackMeasures() }));
    expect(planned.phase).toBe('follow_up');
    expect(await drafts()).toHaveLength(2);

    const relapsePreventionPlan = 'Tovholderen ringer hjem hver fredag frem til sommerferien, og eleven møder ind sammen med en makker efter ferierne.';
    const closed = expectCase(
      await api.close(
        caseId,
        closureBody({
          relapsePreventionPlan,
          bridging: { decision: 'civil_society', note: 'Spejderne i Vestbyen' },
          criteria: { measuresToKeep: ['Fast morgenmøde med trivselskontakten'] },
        }),
      ),
    );
    expect(closed.phase).toBe('closed');

    const summary = await draftOf('closure_summary');
    expect(summary.status).toBe('draft');
    expect(summary.body).toContain(relapsePreventionPlan);
    expect(summary.body).toContain('Spejderne i Vestbyen.');
    expect(summary.body).toMatch(/Det fortsætter vi med:\n- Fast morgenmøde med trivselskontakten\n/);
    expect(summary.body).toContain('Online undervisning de dage eleven er hjemme (ansvarlig: Dansklæreren)');
    expect(summary.body).toContain(inDanish(closed.closure!.closedOn));
    expect((await drafts()).map((draft) => draft.kind)).toEqual([
      'parent_conversation_invitation',
      'action_plan_meeting_invitation',
      'closure_summary',
    ]);
  });

  it('when a draft is approved, then it answers 200 with the approved draft; approving or discarding it again answers 409 and changes nothing', async () => {
    const invitation = await draftOf('parent_conversation_invitation');
    const approved = expectDraft(await approve(invitation.draftId));
    expect(approved).toMatchObject({ draftId: invitation.draftId, status: 'approved', body: invitation.body, createdAt: invitation.createdAt });
    expect(Date.parse(approved.decidedAt!)).not.toBeNaN();

    const again = await approve(invitation.draftId);
    expectProblem(again, 409);
    expect((again.body as { detail: string }).detail).toMatch(/already been approved/);
    expectProblem(await discard(invitation.draftId), 409);
    expect(await draftOf('parent_conversation_invitation')).toEqual(approved);
  });

  it('when another draft is discarded, then it answers 200 with the discarded draft, and approving it afterwards answers 409', async () => {
    const meeting = await draftOf('action_plan_meeting_invitation');
    const discarded = expectDraft(await discard(meeting.draftId));
    expect(discarded).toMatchObject({ draftId: meeting.draftId, status: 'discarded' });
    expectProblem(await approve(meeting.draftId), 409);
    expect((await draftOf('action_plan_meeting_invitation')).status).toBe('discarded');
  });

  it('when an approval is repeated with the same Idempotency-Key, then the first answer comes back; another key, or a discard, answers 409', async () => {
    const summary = await draftOf('closure_summary');
    const key = uniqueKey('approve');
    const first = expectDraft(await approve(summary.draftId, key));
    expect(first.status).toBe('approved');
    expect(expectDraft(await approve(summary.draftId, key))).toEqual(first);
    expectProblem(await approve(summary.draftId, uniqueKey('other')), 409);
    expectProblem(await discard(summary.draftId, key), 409);
  });

  it('when a draft or a case does not exist, or the body has fields, then the answer is problem+json 404 or 400', async () => {
    expectProblem(await approve(randomUUID()), 404, { type: DRAFT_NOT_FOUND });
    expectProblem(await discard('not-a-draft-id'), 404, { type: DRAFT_NOT_FOUND });
    expectProblem(await running.http.get(`/api/cases/${randomUUID()}/drafts`), 404);
    expectProblem(await running.http.get('/api/cases/not-a-case/drafts'), 404);
    // On a draft the caller may see: any other is answered 404 before its body is read.
    const [someDraft] = await drafts();
    const withBody = await running.http.post(`/api/drafts/${someDraft!.draftId}/approve`, { sendNow: true });
    expectProblem(withBody, 400, { path: 'sendNow' });
  });

  it('when the OpenAPI document is read, then it describes the drafts routes with their answers', () => {
    const paths = openApi.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/api/cases/{caseId}/drafts']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '404']));
    for (const action of ['approve', 'discard']) {
      expect(Object.keys(paths[`/api/drafts/{draftId}/${action}`]?.post?.responses ?? {})).toEqual(
        expect.arrayContaining(['200', '404', '409']),
      );
    }
  });
});
