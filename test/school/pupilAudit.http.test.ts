/**
 * Reads of the school's data are in the audit log like reads of cases: a leader opening a pupil's
 * figures, the directory or opsporing's list leaves a row saying who, which pupils (references,
 * never names), which route and when; a refused look too. And the figures a case was opened on
 * are kept with it and read back for its page, on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import type { HttpClient } from '../api/support/http';
import { addDays, openCaseBody } from '../api/support/cases';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';
import type { CaseView } from '../../src/domain/schemas';
import type { AbsenceAtOpening, SignalList } from '../../src/school/signalSchemas';

interface AuditItem {
  at: string;
  actor: string;
  role: string;
  caseIds: string[];
  schoolIds: string[];
  pupilRefs: string[];
  action: 'read' | 'write';
  method: string;
  route: string;
  status: number;
}

const NOW = new Date('2026-11-25T10:00:00Z');
const today = '2026-11-25';

/** The last `count` weekdays before today. */
function recentWeekdays(count: number): string[] {
  const out: string[] = [];
  for (let day = addDays(today, -1); out.length < count; day = addDays(day, -1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) out.push(day);
  }
  return out;
}

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(async () => {
  await temporal?.close();
});

describe.each(DATABASE_KINDS)('pupils’ data read, in the audit log, on %s', (kind) => {
  // Unique per run: the test Temporal server is shared, and case ids come from idempotency keys.
  const SCHOOL = `AU${kind === 'postgres' ? 'P' : 'L'}${Date.now().toString(36)}`;
  let api: RunningApi;
  let leader: HttpClient;
  let admin: HttpClient;

  const auditFor = async (query: string) => {
    const answer = await admin.get<{ items: AuditItem[] }>(`/api/audit?${query}`);
    expect(answer.status, answer.text).toBe(200);
    return answer.body.items;
  };

  beforeAll(async () => {
    api = await startApi({ temporal, kind, now: () => NOW });
    leader = api.http.withToken(await tokenFor({ role: 'leader', schools: [SCHOOL], sub: 'leder-audit' }));
    admin = api.http.withToken(await tokenFor({ role: 'admin', schools: [SCHOOL], sub: 'admin-audit' }));
    const roster = [
      'pupilRef,schoolId,grade,className,givenName,familyName,guardian1Name,guardian1Email,guardian2Name,guardian2Email',
      `P-A,${SCHOOL},4,4.A,Anna,Aasen,Arne Aasen,arne@example.dk,,`,
      `P-B,${SCHOOL},4,4.A,Bo,Bech,,,,`,
    ].join('\n');
    expect((await leader.sendCsv('PUT', `/api/schools/${SCHOOL}/pupils`, roster)).status).toBe(200);
    const calendar = await leader.get<{ holidays: { from: string; to: string }[] }>(`/api/calendar?schoolId=${SCHOOL}&year=2026`);
    const days = recentWeekdays(15).filter((day) => !calendar.body.holidays.some((h) => h.from <= day && day <= h.to));
    const rows = days.map((day) => `P-A,${SCHOOL},${day},day,unlawful`);
    const imported = await leader.sendCsv('POST', `/api/schools/${SCHOOL}/absence`, ['pupilRef,schoolId,date,mark,category', ...rows].join('\n'));
    expect(imported.status, imported.text).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('when the leader opens a pupil’s figures, then one row says who read which pupil, through which route, and no name', async () => {
    const before = Date.now();
    const figures = await leader.get(`/api/schools/${SCHOOL}/pupils/P-A/absence?on=${today}`);
    expect(figures.status, figures.text).toBe(200);
    const rows = await auditFor(`pupilRef=P-A&actor=leder-audit`);
    const row = rows.find((item) => item.route === '/api/schools/:schoolId/pupils/:pupilRef/absence');
    expect(row).toMatchObject({ actor: 'leder-audit', role: 'leader', pupilRefs: ['P-A'], schoolIds: [SCHOOL], caseIds: [], action: 'read', method: 'GET', status: 200 });
    expect(Date.parse(row?.at ?? '')).toBeGreaterThanOrEqual(before - 5_000);
    expect(JSON.stringify(rows)).not.toMatch(/Anna|Aasen|Arne/);
  });

  it('when the leader reads the directory and the opsporing list, then each row names every pupil it showed', async () => {
    expect((await leader.get(`/api/schools/${SCHOOL}/pupils`)).status).toBe(200);
    const signals = await leader.get<SignalList>(`/api/schools/${SCHOOL}/absence/signals`);
    expect(signals.body.items.map((item) => item.pupilRef)).toEqual(['P-A']);
    const rows = await auditFor(`schoolId=${SCHOOL}&actor=leder-audit`);
    expect(rows.find((item) => item.route === '/api/schools/:schoolId/pupils')?.pupilRefs.sort()).toEqual(['P-A', 'P-B']);
    expect(rows.find((item) => item.route === '/api/schools/:schoolId/absence/signals')).toMatchObject({ pupilRefs: ['P-A'], action: 'read', status: 200 });
    // Only P-A was on the candidate list: asking for P-B's rows does not find that read.
    expect((await auditFor(`pupilRef=P-B`)).map((item) => item.route)).not.toContain('/api/schools/:schoolId/absence/signals');
  });

  it('when a leader of another school asks for a pupil’s figures, then the refusal is in the log too', async () => {
    const stranger = api.http.withToken(await tokenFor({ role: 'leader', schools: ['ANDEN'], sub: 'leder-anden' }));
    expect((await stranger.get(`/api/schools/${SCHOOL}/pupils/P-B/absence`)).status).toBe(403);
    const [row] = await auditFor(`actor=leder-anden`);
    expect(row).toMatchObject({ pupilRefs: ['P-B'], schoolIds: [SCHOOL], status: 403, route: '/api/schools/:schoolId/pupils/:pupilRef/absence' });
  });

  it('when a case is opened from the candidate, then its figures and Danish reasons are kept and read back; a case opened otherwise has none', async () => {
    const opened = await leader.post<CaseView>(`/api/schools/${SCHOOL}/absence/candidates/P-A/case`, { tovholder: 'tovholder-kim' }, { idempotencyKey: `audit-${SCHOOL}` });
    expect(opened.status, opened.text).toBe(201);
    const kept = await leader.get<AbsenceAtOpening>(`/api/cases/${opened.body.caseId}/absence-at-opening`);
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.caseId).toBe(opened.body.caseId);
    expect(kept.body.atOpening?.figures).toMatchObject({ schoolYearFrom: '2026-08-01', illnessDays: 0, leaveDays: 0 });
    expect(kept.body.atOpening?.figures.unlawfulDays).toBeGreaterThanOrEqual(10);
    expect(kept.body.atOpening?.reasons[0]?.text).toMatch(/^Fravær i alt .* af skoledagene i skoleåret/);
    // Reading them is a read of the case, in the log under the case.
    expect((await auditFor(`caseId=${opened.body.caseId}`)).map((item) => item.route)).toContain('/api/cases/:caseId/absence-at-opening');

    const plain = await leader.post<CaseView>('/api/cases', openCaseBody({ schoolId: SCHOOL, pupilRef: 'P-B' }), { idempotencyKey: `plain-${SCHOOL}` });
    expect(plain.status, plain.text).toBe(201);
    const none = await leader.get<AbsenceAtOpening>(`/api/cases/${plain.body.caseId}/absence-at-opening`);
    expect(none.body).toEqual({ caseId: plain.body.caseId, atOpening: null });
  });
});
