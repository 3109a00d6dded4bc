/**
 * Escalations land on the resource team's next meeting: every school starts meeting every other
 * Tuesday, a leader or admin sets another rhythm, a meeting on a day off is held the next school
 * day, and the agenda lists the cases escalated since the meeting before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/dates';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { casesApi, expectCase, expectProblem, onOrNextSchoolDay, openCase, todayInDenmark, uniqueSchool, type CasesApi } from '../api/support/cases';
import { tokenFor } from '../support/tokens';
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
    // A school day, so the meeting is held on its own date.
    const firstMeetingOn = onOrNextSchoolDay(addDays(today, 3));
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
    // The next meeting moves to the next school day when its date is a day off.
    expect(next.body.nextMeetingOn).toBe(onOrNextSchoolDay(addDays(firstMeetingOn, 14)));

    const after = await agendaOf(schoolId, addDays(firstMeetingOn, 1));
    expect(after.body.meetingOn).toBe(onOrNextSchoolDay(addDays(firstMeetingOn, 14)));
    expect(after.body.previousMeetingOn).toBe(firstMeetingOn);
    expect(after.body.items).toEqual([]);
  });

  it('when a school has set no meeting rhythm, then it has the default one (every other Tuesday), and its agenda is of the next such meeting held on a school day', async () => {
    const schoolId = uniqueSchool();
    const rhythm = await running.http.get<{ firstMeetingOn: string; intervalDays: number; source: string }>(`/api/resource-team/rhythm?schoolId=${schoolId}`);
    expect(rhythm.status, rhythm.text).toBe(200);
    expect(rhythm.body).toEqual({ schoolId, firstMeetingOn: '2025-01-07', intervalDays: 14, source: 'default' });
    const answer = await agendaOf(schoolId, todayInDenmark());
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.meetingOn >= todayInDenmark()).toBe(true);
    expect(answer.body.meetingOn).toBe(onOrNextSchoolDay(answer.body.meetingOn));
    // The leader changes it.
    const leader = running.http.withToken(await tokenFor({ role: 'leader', schools: [schoolId], sub: 'leader-x' }));
    const firstMeetingOn = onOrNextSchoolDay(addDays(todayInDenmark(), 1));
    const changed = await leader.put(`/api/resource-team/rhythm?schoolId=${schoolId}`, { firstMeetingOn, intervalDays: 21 });
    expect(changed.status, changed.text).toBe(200);
    expect((await agendaOf(schoolId, todayInDenmark())).body.meetingOn).toBe(firstMeetingOn);
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
    expect(rhythm.body).toEqual({ schoolId, firstMeetingOn, intervalDays: 14, source: 'school' });
  });
});
