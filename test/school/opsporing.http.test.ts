/**
 * Opsporing over the API with the real worker: the leader sees the candidates and why, runs the
 * nightly workflow now, dismisses one with a reason and opens a case from another (concern source
 * "absence data", the figures kept in PostgreSQL); the pupil with a case is then marked, not listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import type { HttpClient } from '../api/support/http';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';
import type { CaseView } from '../../src/domain/schemas';
import type { SignalList } from '../../src/school/signalSchemas';
import { addDays } from '../api/support/cases';

let temporal: TestTemporal;
let api: RunningApi;
let leader: HttpClient;
const SCHOOL = 'OH1';
// A fixed school day in term: on the real date the test would find no school days to mark in the
// summer holiday, and too few of a new school year in August.
const NOW = new Date('2026-11-25T10:00:00Z');
const today = '2026-11-25';

/** The last `count` weekdays before today: school days on the default calendar, unless a holiday falls there. */
function recentWeekdays(count: number): string[] {
  const out: string[] = [];
  for (let day = addDays(today, -1); out.length < count; day = addDays(day, -1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(day);
  }
  return out;
}

beforeAll(async () => {
  temporal = await connectTestTemporal();
  api = await startApi({ temporal, kind: 'pglite', now: () => NOW });
  leader = api.http.withToken(await tokenFor({ role: 'leader', schools: [SCHOOL], sub: 'leder-lis' }));
}, 120_000);
afterAll(async () => {
  await api?.close();
  await temporal?.close();
});

describe('opsporing over HTTP', () => {
  it('when two pupils are absent a lot, then the leader can run it now, dismiss one and open a case from the other', async () => {
    const roster = [
      'pupilRef,schoolId,grade,className,givenName,familyName,guardian1Name,guardian1Email,guardian2Name,guardian2Email',
      `P-A,${SCHOOL},4,4.A,Anna,Aasen,,,,`,
      `P-B,${SCHOOL},4,4.A,Bo,Bech,,,,`,
      `P-C,${SCHOOL},4,4.A,Cia,Carl,,,,`,
    ].join('\n');
    expect((await leader.sendCsv('PUT', `/api/schools/${SCHOOL}/pupils`, roster)).status).toBe(200);
    // Every school day of the last three weeks that the school's calendar has: far over 10 % of the year so far.
    const calendar = await leader.get<{ holidays: { from: string; to: string }[] }>(`/api/calendar?schoolId=${SCHOOL}&year=${today.slice(0, 4)}`);
    const off = (day: string) => calendar.body.holidays.some((h) => h.from <= day && day <= h.to);
    const days = recentWeekdays(15).filter((day) => !off(day));
    const rows = days.flatMap((day) => [`P-A,${SCHOOL},${day},day,unlawful`, `P-B,${SCHOOL},${day},day,illness`]);
    const imported = await leader.sendCsv('POST', `/api/schools/${SCHOOL}/absence`, ['pupilRef,schoolId,date,mark,category', ...rows].join('\n'));
    expect(imported.status, imported.text).toBe(200);

    const signals = await leader.get<SignalList>(`/api/schools/${SCHOOL}/absence/signals`);
    expect(signals.status, signals.text).toBe(200);
    expect(signals.body.items.map((item) => item.pupilRef).sort()).toEqual(['P-A', 'P-B']);
    expect(signals.body.items[0]?.reasons[0]?.text).toMatch(/^Fravær i alt .* af skoledagene i skoleåret/);

    const ran = await leader.post<SignalList>(`/api/schools/${SCHOOL}/absence/signals/run`, {});
    expect(ran.status, ran.text).toBe(200);
    expect(ran.body.items.map((item) => item.pupilRef).sort()).toEqual(['P-A', 'P-B']);
    const last = await leader.get<{ ranAt: string | null }>(`/api/schools/${SCHOOL}/absence/signals/last-run`);
    expect(last.body.ranAt).not.toBeNull();

    const noReason = await leader.post(`/api/schools/${SCHOOL}/absence/candidates/P-B/dismiss`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    const dismissed = await leader.post(`/api/schools/${SCHOOL}/absence/candidates/P-B/dismiss`, { reason: 'Indlagt; kendt af skolen' });
    expect(dismissed.status, dismissed.text).toBe(200);

    const opened = await leader.post<CaseView>(`/api/schools/${SCHOOL}/absence/candidates/P-A/case`, { tovholder: 'tovholder-kim' });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body).toMatchObject({ pupilRef: 'P-A', grade: 4, concern: { source: 'absence_data' } });
    const [kept] = await api.database.db.query<{ figures: { totalShare: number; reasons: unknown[] } }>(
      `SELECT figures FROM absence_candidate_decisions WHERE case_id = $1`,
      [opened.body.caseId],
    );
    expect(kept?.figures.totalShare).toBeGreaterThan(0.1);

    const after = await leader.get<SignalList>(`/api/schools/${SCHOOL}/absence/signals`);
    expect(after.body.items).toEqual([]);
    expect(after.body.marked.map((item) => [item.pupilRef, item.openCaseId !== null, item.dismissed]).sort()).toEqual([
      ['P-A', true, false],
      ['P-B', false, true],
    ]);
    // A second attempt is refused: the pupil is no longer a candidate to act on.
    const again = await leader.post(`/api/schools/${SCHOOL}/absence/candidates/P-A/case`, { tovholder: 'tovholder-kim' });
    expect(again.status).toBe(422);
  }, 120_000);

  it('when a tovholder or the municipality asks for the candidates, then 403', async () => {
    const tovholder = api.http.withToken(await tokenFor({ role: 'tovholder', schools: [SCHOOL] }));
    expect((await tovholder.get(`/api/schools/${SCHOOL}/absence/signals`)).status).toBe(403);
    const municipality = api.http.withToken(await tokenFor({ role: 'municipality', schools: ['*'] }));
    expect((await municipality.get(`/api/schools/${SCHOOL}/absence/signals`)).status).toBe(403);
  });
});
