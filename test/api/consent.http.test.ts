/**
 * Consent and the handover package over HTTP, on a real Temporal server and PostgreSQL: level 3
 * refused without consent (422 naming what is missing, the case unchanged) and accepted with it
 * or with §49a; §49a a second time refused; the package read back per receiver, the pupil's own
 * words coming from the case's workflow; the PDF printed by Chromium, and 503 without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainFailure } from '../../src/domain/errors';
import type { HandoverPackage } from '../../src/handover/package';
import { chromiumPdfRenderer } from '../../src/handover/pdf';
import { createPupilDirectory } from '../../src/school/directory';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { caseState, casesApi, expectCase, expectProblem, openCase, todayInDenmark, type CasesApi } from './support/cases';
import { startApi, type RunningApi } from './support/harness';

let temporal: TestTemporal;
let running: RunningApi;
let api: CasesApi;
const today = todayInDenmark();
const PUPIL_WORDS = 'Jeg vil gerne have en fast voksen om morgenen';

beforeAll(async () => {
  temporal = await connectTestTemporal();
  running = await startApi({ temporal, kind: 'postgres' });
  api = casesApi(running.http);
});

afterAll(async () => {
  await running?.close();
  await temporal?.close();
});

async function atLevelTwo(): Promise<string> {
  const opened = await openCase(api);
  expectCase(await api.complete(opened.caseId, 'pupil_conversation', { note: PUPIL_WORDS }));
  for (const level of [1, 2]) expectCase(await api.escalate(opened.caseId, { reason: `Trin ${level}` }));
  return opened.caseId;
}

const post = (caseId: string, path: string, body: unknown) => running.http.post(`/api/cases/${caseId}/${path}`, body);
const toPpr = { reason: 'Der er brug for PPR', externalResources: ['ppr'], request: 'Vurdér elevens behov for støtte' };

describe('consent before level 3, over HTTP', () => {
  it('when the case goes to PPR without consent, then 422 names externalResources and the case is unchanged; with the parents’ consent recorded it is accepted', async () => {
    const caseId = await atLevelTwo();
    const before = await caseState(running, caseId);
    const refused = expectProblem(await api.escalate(caseId, toPpr), 422, { path: 'externalResources' });
    expect(refused.detail).toMatch(/no consent from the parents on file for ppr/);
    expect(await caseState(running, caseId)).toEqual(before);

    const consented = expectCase(await post(caseId, 'consents', { party: 'ppr', givenOn: today, scope: ['concern', 'mapping', 'plan'] }));
    expect(consented.consents).toEqual([expect.objectContaining({ consentId: 'C1', party: 'ppr', recordedBy: expect.any(String) as unknown })]);
    const escalated = expectCase(await api.escalate(caseId, toPpr));
    expect(escalated.escalationLevel).toBe(3);
    expect(escalated.escalations.at(-1)).toMatchObject({ level: 3, request: 'Vurdér elevens behov for støtte' });
  });

  it('when §49a names PPR, then level 3 is accepted; a second §49a is refused with 422', async () => {
    const caseId = await atLevelTwo();
    const exception = { parties: ['ppr'], scope: ['concern'], justification: 'Tidlig forebyggende indsats' };
    expectCase(await post(caseId, 'section-49a', exception));
    expect(expectCase(await api.escalate(caseId, toPpr)).escalationLevel).toBe(3);
    const second = expectProblem(await post(caseId, 'section-49a', exception), 422, { path: 'section49a' });
    expect(second.detail).toMatch(/at most once per case/);
  });

  it('when a consent that does not exist is withdrawn, then 404 consent-not-found', async () => {
    const caseId = await atLevelTwo();
    expectProblem(await post(caseId, 'consents/C7/withdrawal', {}), 404, { type: 'https://fravaersforloeb.dk/problems/consent-not-found' });
  });
});

describe('the handover package over HTTP', () => {
  it('when the resource team’s package is read, then it holds the pupil’s own words from the workflow; PPR’s holds only what its consent covers; the PDF is a PDF', async () => {
    const caseId = await atLevelTwo();
    expectCase(await post(caseId, 'consents', { party: 'ppr', givenOn: today, scope: ['concern', 'plan'] }));
    expectCase(await api.escalate(caseId, toPpr));

    const team = await running.http.get<HandoverPackage>(`/api/cases/${caseId}/handover`);
    expect(team.status).toBe(200);
    expect(team.body.pupilVoice?.words).toBe(PUPIL_WORDS);

    const ppr = await running.http.get<HandoverPackage>(`/api/cases/${caseId}/handover?receiver=ppr`);
    expect(ppr.body.leftOut).toEqual(['mapping', 'pupil_voice']);
    expect(ppr.text).not.toContain(PUPIL_WORDS);
    expect(ppr.body.request).toBe('Vurdér elevens behov for støtte');

    expectProblem(await running.http.get(`/api/cases/${caseId}/handover?receiver=sundhedsplejerske`), 409);

    const pdf = await running.http.get(`/api/cases/${caseId}/handover/pdf?receiver=ppr`);
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.text.startsWith('%PDF-')).toBe(true);
  }, 60_000);

  it('when the pupil is in the school’s directory, then the package names the pupil by the directory’s name; without a row it names the pupil by the school’s reference', async () => {
    const caseId = await atLevelTwo();
    const { schoolId, pupilRef } = (await running.http.get<{ schoolId: string; pupilRef: string }>(`/api/cases/${caseId}`)).body;
    const unnamed = await running.http.get<HandoverPackage>(`/api/cases/${caseId}/handover`);
    expect(unnamed.body.pupilName).toBeUndefined();
    expect(unnamed.body.pupilRef).toBe(pupilRef);

    await createPupilDirectory(running.database.db).replaceRoster(
      schoolId,
      `pupilRef,schoolId,grade,className,givenName,familyName,guardian1Name,guardian1Email,guardian2Name,guardian2Email\n${pupilRef},${schoolId},6,6.A,Vera,Lund,Ole Lund,,,\n`,
    );
    const named = await running.http.get<HandoverPackage>(`/api/cases/${caseId}/handover`);
    expect(named.status, named.text).toBe(200);
    expect(named.body.pupilName).toBe('Vera Lund');
    expect(named.body.pupilRef).toBe(pupilRef);
  }, 60_000);

  it('when no PDF engine is installed, then the renderer refuses with "unavailable" (the one error path answers 503) instead of failing the service', async () => {
    const failure = await chromiumPdfRenderer('/nonexistent/chromium').render('<p>x</p>').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DomainFailure);
    expect((failure as DomainFailure).error).toMatchObject({ code: 'unavailable' });
  });
});
