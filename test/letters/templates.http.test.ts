/**
 * The municipality's own letter templates over HTTP, with the real Temporal dev server and a real
 * worker: a template set through the API is checked by the same rule as the files, is used for
 * every draft from then on, and a refused one leaves the template in force as it was. DELETE goes
 * back to the shipped file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../src/domain/schemas';
import { loadLetterTemplates } from '../../src/letters/loadTemplates';
import { letterDraftList, letterTemplate, letterTemplateList, type LetterDraft, type LetterTemplateView } from '../../src/letters/schemas';
import { addDays, casesApi, expectProblem, mondayOnOrBefore, openCase, todayInDenmark, uniqueSchool, type CasesApi } from '../api/support/cases';
import type { Answer } from '../api/support/http';
import { schemaViolations } from '../api/support/jsonSchema';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { startLettersApi, type LettersApi } from './harness';

const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
function inDanish(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day}. ${MONTHS[month! - 1]} ${year}`;
}

const KIND_NOT_FOUND = 'https://fravaersforloeb.dk/problems/letter-kind-not-found';
const INVITATION = 'parent_conversation_invitation';
const files = loadLetterTemplates();
const fileOf = (kind: LetterDraft['kind']) => files.byKind.get(kind)!;

/** The municipality's own wording for the invitation to the parents' conversation. */
const OWN_TEMPLATE = {
  subject: 'Lad os tale sammen om skolegangen ({{grade}})',
  body: [
    'Kære forældre (elevreference {{pupilRef}})',
    '',
    '{{schoolName}} vil gerne tale med jer om jeres barns skolegang i {{grade}}.',
    'Forløbet begyndte den {{openedOn}}, og samtalen skal være holdt senest den {{dueOn}}.',
    '',
    'Venlig hilsen',
    '{{tovholder}}',
  ].join('\n'),
};

let temporal: TestTemporal;

beforeAll(async () => {
  temporal = await connectTestTemporal();
});

afterAll(async () => {
  await temporal?.close();
});

describe.each(DATABASE_KINDS)('letter templates set through the API, on %s', (kind) => {
  let running: LettersApi;
  let api: CasesApi;
  let openApi: Record<string, unknown>;
  const schoolId = uniqueSchool('templates');
  const openedOn = addDays(mondayOnOrBefore(todayInDenmark()), -21);
  let pupilNumber = 0;
  /** The invitation drafted before any template was set, and the template set by the first PUT. */
  let firstInvitation: LetterDraft;
  let firstCaseId: string;
  let own: LetterTemplateView;

  beforeAll(async () => {
    running = await startLettersApi(temporal, kind);
    api = casesApi(running.http);
    openApi = (await running.http.get<Record<string, unknown>>('/openapi.json')).body;
  });

  afterAll(async () => {
    await running?.close();
  });

  const path = (letterKind: string) => `/api/letter-templates/${letterKind}`;
  const remove = async (target: string): Promise<Answer> => {
    return running.http.delete(target);
  };

  function expectTemplate(answer: Answer): LetterTemplateView {
    expect(answer.status, answer.text).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(schemaViolations(openApi, { $ref: '#/components/schemas/LetterTemplate' }, answer.body)).toEqual([]);
    return letterTemplate.strict().parse(answer.body);
  }

  async function listed(): Promise<LetterTemplateView[]> {
    const answer = await running.http.get(`/api/letter-templates`);
    expect(answer.status, answer.text).toBe(200);
    expect(schemaViolations(openApi, { $ref: '#/components/schemas/LetterTemplateList' }, answer.body)).toEqual([]);
    return letterTemplateList.strict().parse(answer.body).items;
  }
  const listedInvitation = async () => (await listed()).find((item) => item.kind === INVITATION)!;

  /** Opens a case of its own and answers it with the invitation drafted when it opened. */
  async function openWithInvitation(): Promise<{ view: CaseView; invitation: LetterDraft }> {
    pupilNumber += 1;
    const view = await openCase(api, { schoolId, pupilRef: `P-${3000 + pupilNumber}`, openedOn, grade: 5, tovholder: 'tovholder-maja' });
    const answer = await running.http.get(`/api/cases/${view.caseId}/drafts`);
    expect(answer.status, answer.text).toBe(200);
    const items = letterDraftList.parse(answer.body).items;
    expect(items.map((draft) => draft.kind)).toEqual([INVITATION]);
    return { view, invitation: items[0]! };
  }

  /** The invitation OWN_TEMPLATE gives for a case, written out by the test. */
  function ownInvitationFor(view: CaseView) {
    const dueOn = view.steps.find((step) => step.stepId === 'parent_conversation')!.dueOn;
    return {
      subject: 'Lad os tale sammen om skolegangen (5. klasse)',
      body: [
        `Kære forældre (elevreference ${view.pupilRef})`,
        '',
        `${schoolId} vil gerne tale med jer om jeres barns skolegang i 5. klasse.`,
        `Forløbet begyndte den ${inDanish(openedOn)}, og samtalen skal være holdt senest den ${inDanish(dueOn)}.`,
        '',
        'Venlig hilsen',
        'tovholder-maja',
        '',
      ].join('\n'),
    };
  }

  it('when the templates are listed before any is set, then each kind of letter shows its shipped file, with the fields it may use', async () => {
    const items = await listed();
    expect(items.map((item) => item.kind)).toEqual(['parent_conversation_invitation', 'action_plan_meeting_invitation', 'closure_summary']);
    for (const item of items) {
      expect(item).toMatchObject({ source: 'file', updatedAt: null, subject: fileOf(item.kind).subject, body: fileOf(item.kind).body });
      expect(item.fields).toContain('pupilRef');
    }
    expect(items[0]!.fields).toContain('dueOn');
    expect(items[0]!.fields).not.toContain('closedOn');
    expect(expectTemplate(await running.http.get(path(INVITATION)))).toEqual(items[0]);
  });

  it('when a valid template is set for the parents’ invitation, then the next case’s invitation uses its wording with the case’s facts filled in, and a draft made before keeps its text', async () => {
    const before = await openWithInvitation();
    firstCaseId = before.view.caseId;
    firstInvitation = before.invitation;
    expect(firstInvitation.subject).toBe(fileOf(INVITATION).subject);

    own = expectTemplate(await running.http.put(path(INVITATION), OWN_TEMPLATE));
    expect(own).toMatchObject({ kind: INVITATION, source: 'database', subject: OWN_TEMPLATE.subject, body: OWN_TEMPLATE.body });
    expect(Date.parse(own.updatedAt!)).not.toBeNaN();
    expect(await listedInvitation()).toEqual(own);
    // The other kinds are untouched.
    expect((await listed()).filter((item) => item.kind !== INVITATION).map((item) => item.source)).toEqual(['file', 'file']);

    const after = await openWithInvitation();
    expect({ subject: after.invitation.subject, body: after.invitation.body }).toEqual(ownInvitationFor(after.view));

    const earlier = letterDraftList.parse((await running.http.get(`/api/cases/${firstCaseId}/drafts`)).body).items;
    expect(earlier).toEqual([firstInvitation]);
  });

  it.each([
    ['{{cprNummer}} in the body', { body: `${OWN_TEMPLATE.body}\nCPR: {{cprNummer}}` }, 'body', /"cprNummer"/],
    ['{{elevensNavn}} in the subject', { subject: 'Samtale om {{elevensNavn}}' }, 'subject', /"elevensNavn"/],
    ['{{closedOn}}, a field only the closure summary has', { body: 'Afsluttet den {{closedOn}}' }, 'body', /"closedOn".*does not have it/],
    ['a malformed placeholder', { body: 'Kære forældre til {{ elevens navn }}' }, 'body', /\{\{ elevens navn \}\}/],
    ['a placeholder left open', { subject: 'Samtale med {{grade' }, 'subject', /"\{\{"/],
    ['an empty subject', { subject: '   ' }, 'subject', /empty subject/],
    ['an empty body', { body: '' }, 'body', /empty body/],
  ])(
    'when a template with %s is sent, then it is refused with 400 naming the text and the placeholder, and the template in force is unchanged',
    async (_label, change, where, message) => {
      const answer = await running.http.put(path(INVITATION), { ...OWN_TEMPLATE, ...change });
      const problem = expectProblem(answer, 400, { path: where });
      expect(schemaViolations(openApi, { $ref: '#/components/schemas/Problem' }, problem)).toEqual([]);
      expect(problem.errors?.find((error) => error.path === where)?.message).toMatch(message);
      expect(problem.detail).toMatch(/unchanged/);
      expect(await listedInvitation()).toEqual(own);
    },
  );

  it('when both texts name unknown fields, then each is named in errors', async () => {
    const problem = expectProblem(await running.http.put(path(INVITATION), { subject: '{{elevensNavn}}', body: 'CPR {{cprNummer}}' }), 400);
    expect(problem.errors).toEqual([
      { path: 'subject', message: expect.stringContaining('"elevensNavn"') },
      { path: 'body', message: expect.stringContaining('"cprNummer"') },
    ]);
  });

  it('when a body is not a template (a field missing, an unknown property, not a string), then it answers 400 naming it', async () => {
    expectProblem(await running.http.put(path(INVITATION), { subject: 'Samtale' }), 400, { path: 'body' });
    expectProblem(await running.http.put(path(INVITATION), { ...OWN_TEMPLATE, language: 'en' }), 400, { path: 'language' });
    expectProblem(await running.http.put(path(INVITATION), { ...OWN_TEMPLATE, subject: 42 }), 400, { path: 'subject' });
    expect(await listedInvitation()).toEqual(own);
  });

  it('when a case opens after the refused templates, then its invitation still uses the template set before', async () => {
    const next = await openWithInvitation();
    expect({ subject: next.invitation.subject, body: next.invitation.body }).toEqual(ownInvitationFor(next.view));
  });

  it('when the template is deleted, then the shipped file is in force again and the next case’s invitation uses it; deleting again changes nothing', async () => {
    const reset = expectTemplate(await remove(path(INVITATION)));
    expect(reset).toMatchObject({ kind: INVITATION, source: 'file', updatedAt: null, subject: fileOf(INVITATION).subject, body: fileOf(INVITATION).body });
    expect(await listedInvitation()).toEqual(reset);

    const next = await openWithInvitation();
    expect(next.invitation.subject).toBe(fileOf(INVITATION).subject);
    expect(next.invitation.body).toContain(`Vi skriver til jer som forældre til eleven i 5. klasse (elevreference ${next.view.pupilRef})`);
    expect(next.invitation.body).toContain('Vi vil gerne invitere jer til en samtale');
    expect(next.invitation.body).not.toMatch(/\{\{/);

    expect(expectTemplate(await remove(path(INVITATION)))).toEqual(reset);
  });

  it('when the kind of letter does not exist, then GET, PUT and DELETE answer 404 problem+json', async () => {
    expectProblem(await running.http.get(path('reminder')), 404, { type: KIND_NOT_FOUND });
    expectProblem(await running.http.put(path('reminder'), OWN_TEMPLATE), 404, { type: KIND_NOT_FOUND });
    expectProblem(await running.http.put(path('reminder'), { subject: '{{cprNummer}}' }), 404, { type: KIND_NOT_FOUND });
    expectProblem(await remove(path('reminder')), 404, { type: KIND_NOT_FOUND });
    expect((await listed()).map((item) => item.source)).toEqual(['file', 'file', 'file']);
  });

  it('when the OpenAPI document is read, then it describes the letter templates routes with their answers', () => {
    const paths = openApi.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/api/letter-templates']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401']));
    const one = paths['/api/letter-templates/{kind}'];
    expect(Object.keys(one?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '404']));
    expect(Object.keys(one?.put?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(Object.keys(one?.delete?.responses ?? {})).toEqual(expect.arrayContaining(['200', '404']));
  });
});
