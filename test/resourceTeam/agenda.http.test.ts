/**
 * Escalations land on the resource team's next meeting: the school sets when the team meets,
 * and the agenda lists the cases escalated since the meeting before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { casesApi, expectCase, expectProblem, openCase, todayInDenmark, uniqueSchool, type CasesApi } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';

interface AgendaAnswer {
  schoolId: string;
  meetingOn: string;
  previousMeetingOn: string | null;
  nextMeetingOn: string;
  items: { caseId: string; level: number; reason: string; escalatedOn: string; externalResources?: string[] }[];
}

let temporal: TestTemporal;
let running: RunningApi;
let api: CasesApi;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  running = await startApi({ temporal, kind: 'postgres' });
  api = casesApi(running.http);
});

afterAll(async () => {
  await running?.close();
  await temporal?.close();
});

const agendaOf = (schoolId: string, on: string) => running.http.get<AgendaAnswer>(`/api/resource-team/agenda?schoolId=${schoolId}&on=${on}`);

describe('the resource team agenda', () => {
  it('when cases are escalated, then they are on the agenda of the next meeting — level, reason and, at level 3, the external help — and not on the one after', async () => {
    const schoolId = uniqueSchool();
    const today = todayInDenmark();
    const firstMeetingOn = addDays(today, 3);
    expect((await running.http.put(`/api/resource-team/rhythm?schoolId=${schoolId}`, { firstMeetingOn })).status).toBe(200);

    const first = await openCase(api, { schoolId });
    expectCase(await api.escalate(first.caseId, { reason: 'Ingen effekt af trivselssamtalerne' }));
    const second = await openCase(api, { schoolId });
    for (let level = 1; level <= 3; level += 1) {
      const resources = level === 3 ? { externalResources: ['ppr', 'sundhedsplejerske'], withoutConsentReason: 'Forældrene giver samtykke på mødet' } : {};
      expectCase(await api.escalate(second.caseId, { reason: `Niveau ${level}`, ...resources }));
    }
    const elsewhere = await openCase(api, { schoolId: uniqueSchool() });
    expectCase(await api.escalate(elsewhere.caseId, { reason: 'Anden skole' }));

    const next = await agendaOf(schoolId, today);
    expect(next.status).toBe(200);
    expect(next.body.meetingOn).toBe(firstMeetingOn);
    expect(next.body.items.map((item) => [item.caseId, item.level, item.reason, item.escalatedOn])).toEqual([
      [first.caseId, 1, 'Ingen effekt af trivselssamtalerne', today],
      [second.caseId, 1, 'Niveau 1', today],
      [second.caseId, 2, 'Niveau 2', today],
      [second.caseId, 3, 'Niveau 3', today],
    ]);
    expect(next.body.items.at(-1)?.externalResources).toEqual(['ppr', 'sundhedsplejerske']);

    expect(next.body.previousMeetingOn).toBeNull();
    expect(next.body.nextMeetingOn).toBe(addDays(firstMeetingOn, 14));

    const after = await agendaOf(schoolId, addDays(firstMeetingOn, 1));
    expect(after.body.meetingOn).toBe(addDays(firstMeetingOn, 14));
    expect(after.body.previousMeetingOn).toBe(firstMeetingOn);
    expect(after.body.items).toEqual([]);
  });

  it('when a school has set no meeting rhythm, then the agenda answers 409 saying so', async () => {
    const answer = await agendaOf(uniqueSchool(), todayInDenmark());
    expectProblem(answer, 409, { type: 'https://fravaersforloeb.dk/problems/not-configured' });
    expect(answer.text).toContain('resource team meets');
  });

  it('when a meeting rhythm has no start date, then 400 names firstMeetingOn and the old rhythm stays', async () => {
    const schoolId = uniqueSchool();
    const firstMeetingOn = addDays(todayInDenmark(), 2);
    await running.http.put(`/api/resource-team/rhythm?schoolId=${schoolId}`, { firstMeetingOn });
    expectProblem(await running.http.put(`/api/resource-team/rhythm?schoolId=${schoolId}`, { intervalDays: 14 }), 400, {
      path: 'firstMeetingOn',
    });
    expect((await agendaOf(schoolId, todayInDenmark())).body.meetingOn).toBe(firstMeetingOn);
    const rhythm = await running.http.get<{ firstMeetingOn: string; intervalDays: number }>(`/api/resource-team/rhythm?schoolId=${schoolId}`);
    expect(rhythm.status).toBe(200);
    expect(rhythm.body).toEqual({ schoolId, firstMeetingOn, intervalDays: 14 });
  });
});
