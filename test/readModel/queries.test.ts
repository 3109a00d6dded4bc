/**
 * The read side over a fixed set of cases with known dates (support/dataset.ts), through HTTP,
 * on PGlite and on the PostgreSQL server. Every expected figure is worked out by hand below.
 * Today is Wednesday 2026-11-18; school days are Monday to Friday.
 */
import { tokenFor } from '../support/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTimeline as caseTimelineSchema, monthlyReview as monthlyReviewSchema, overdueBoard as overdueBoardSchema, phaseDurations as phaseDurationsSchema } from '../../src/domain/readModelSchemas';
import type { CaseView } from '../../src/domain/schemas';
import { STEP_TITLES } from '../../src/machines';
import { expectProblem } from '../api/support/cases';
import { schemaViolations } from '../api/support/jsonSchema';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { parseCsv } from './support/csv';
import { CASE, NOW, recordDataset } from './support/dataset';
import { startReadApi, type ReadApi } from './support/readApi';

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(async () => {
  await temporal?.close();
});

const S1 = 'S1';
const S2 = 'S2';

/** One phase row as the report writes it. */
const row = (
  phase: string,
  cases: number,
  open: number,
  medianDays: number | null,
  p90Days: number | null,
  q1Days: number | null = medianDays,
  q3Days: number | null = medianDays,
) => ({
  phase,
  cases,
  open,
  q1Days,
  medianDays,
  q3Days,
  p90Days,
});

describe.each(DATABASE_KINDS)('the read side on %s', (kind) => {
  let api: ReadApi;
  let views: Awaited<ReturnType<typeof recordDataset>>;
  beforeAll(async () => {
    api = await startReadApi({ kind, temporal, now: () => NOW });
    views = await recordDataset(api.store);
  });
  afterAll(async () => {
    await api?.close();
  });

  const getJson = async (path: string) => {
    const answer = await api.http.get(path);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    return answer.body;
  };

  describe('GET /api/overdue', () => {
    // Lateness = school days from the due date to today (Wed 18-11):
    //  C pupil/parent due Fri 30-10: 2-6 Nov (5) + 9-13 Nov (5) + 16-18 Nov (3) = 13 late.
    //  C class community/assessment due Fri 06-11: 9-13 Nov (5) + 16-18 Nov (3) = 8 late.
    //  D parent conversation due Fri 13-11: 16, 17, 18 Nov = 3 late.
    //  A follow_up_1, D class community and assessment due Fri 20-11: Thu and Fri = 2 school days
    //  ahead (≤ 3: due soon), so -2.
    //  G2's first steps are due Tue 24-11, 4 school days ahead: not due soon. B's next is 16-12.
    // Order: most late first, then due date, case and step.
    const item = (caseId: string, schoolId: string, tovholder: string, stepId: keyof typeof STEP_TITLES | 'follow_up_1', dueOn: string, schoolDaysLate: number) => ({
      caseId,
      schoolId,
      tovholder,
      stepId,
      title: stepId === 'follow_up_1' ? 'Opfølgning 1' : STEP_TITLES[stepId],
      dueOn,
      status: schoolDaysLate > 0 ? 'overdue' : 'due_soon',
      schoolDaysLate,
    });
    const BOARD = [
      item(CASE.C, S1, 'tovholder-bo', 'parent_conversation', '2026-10-30', 13),
      item(CASE.C, S1, 'tovholder-bo', 'pupil_conversation', '2026-10-30', 13),
      item(CASE.C, S1, 'tovholder-bo', 'assessment', '2026-11-06', 8),
      item(CASE.C, S1, 'tovholder-bo', 'class_community', '2026-11-06', 8),
      item(CASE.D, S2, 'tovholder-carl', 'parent_conversation', '2026-11-13', 3),
      item(CASE.A, S1, 'tovholder-anna', 'follow_up_1', '2026-11-20', -2),
      item(CASE.D, S2, 'tovholder-carl', 'assessment', '2026-11-20', -2),
      item(CASE.D, S2, 'tovholder-carl', 'class_community', '2026-11-20', -2),
    ];

    it('when the board is asked for, then it lists every overdue and due-soon step of open cases, most late first', async () => {
      const body = overdueBoardSchema.strict().parse(await getJson('/api/overdue'));
      expect(body.items).toEqual(BOARD);
    });

    it('when stored statuses lag behind today, then the board judges each step for today', () => {
      // C was last refreshed on 03-11, when class community was only due soon; D on 10-11, when
      // its assessment was still open. The board says overdue and due soon.
      expect(views.C.steps.find((step) => step.stepId === 'class_community')?.status).toBe('due_soon');
      expect(views.D.steps.find((step) => step.stepId === 'assessment')?.status).toBe('open');
      expect(views.A.steps.find((step) => step.stepId === 'follow_up_1')?.status).toBe('open');
    });

    it('when the board is filtered by school or tovholder, then only their steps are listed, in the same order', async () => {
      const bySchool = (await getJson(`/api/overdue?schoolId=${S2}`)) as { items: unknown[] };
      expect(bySchool.items).toEqual(BOARD.filter((entry) => entry.schoolId === S2));
      const byTovholder = (await getJson('/api/overdue?tovholder=tovholder-anna')) as { items: unknown[] };
      expect(byTovholder.items).toEqual(BOARD.filter((entry) => entry.tovholder === 'tovholder-anna'));
      const both = (await getJson(`/api/overdue?schoolId=${S2}&tovholder=tovholder-anna`)) as { items: unknown[] };
      expect(both.items).toEqual([]);
    });
  });

  describe('GET /api/reviews/monthly', () => {
    it('when a past month is reviewed, then each case active in it is shown as it stood on the month’s last day', async () => {
      // S1, October (asOf 31-10). Active: A, B, C (open), F2 (closed 07-10, after 1 Oct). F1 closed in March.
      //  C: mapping since 19-10 = 12 days; pupil/parent due 30-10 < 31-10 → 2 overdue; next due 06-11.
      //  F2: closed since 07-10 = 24 days; nothing pending.
      //  B: follow-up since 09-10 = 22 days; follow-up held 21-10; level 1 (level 2 came 02-11);
      //     follow_up_2 due 16-12 pending.
      //  A: follow-up since 26-10 (the adoption date, though entered 28-10) = 5 days; follow_up_1 due 20-11.
      const body = monthlyReviewSchema.strict().parse(await getJson(`/api/reviews/monthly?schoolId=${S1}&month=2026-10`));
      expect(body).toEqual({
        month: '2026-10',
        asOf: '2026-10-31',
        items: [
          { caseId: CASE.C, tovholder: 'tovholder-bo', phase: 'mapping', daysInPhase: 12, lastFollowUpOn: null, nextDueOn: '2026-11-06', escalationLevel: 0, overdueSteps: 2 },
          { caseId: CASE.F2, tovholder: 'tovholder-bo', phase: 'closed', daysInPhase: 24, lastFollowUpOn: null, nextDueOn: null, escalationLevel: 0, overdueSteps: 0 },
          { caseId: CASE.B, tovholder: 'tovholder-anna', phase: 'follow_up', daysInPhase: 22, lastFollowUpOn: '2026-10-21', nextDueOn: '2026-12-16', escalationLevel: 1, overdueSteps: 0 },
          { caseId: CASE.A, tovholder: 'tovholder-anna', phase: 'follow_up', daysInPhase: 5, lastFollowUpOn: null, nextDueOn: '2026-11-20', escalationLevel: 0, overdueSteps: 0 },
        ],
      });
    });

    it('when no month is given, then the current month is reviewed as of today', async () => {
      // S1, November: asOf is today (18-11). F2 closed before November: not active.
      //  C: mapping since 19-10 = 30 days; all 4 steps overdue (due 30-10 and 06-11); nothing next.
      //  B: follow-up since 09-10 = 40 days; level 2 (02-11); next 16-12.
      //  A: follow-up since 26-10 = 23 days; next 20-11.
      const body = await getJson(`/api/reviews/monthly?schoolId=${S1}`);
      expect(body).toEqual({
        month: '2026-11',
        asOf: '2026-11-18',
        items: [
          { caseId: CASE.C, tovholder: 'tovholder-bo', phase: 'mapping', daysInPhase: 30, lastFollowUpOn: null, nextDueOn: null, escalationLevel: 0, overdueSteps: 4 },
          { caseId: CASE.B, tovholder: 'tovholder-anna', phase: 'follow_up', daysInPhase: 40, lastFollowUpOn: '2026-10-21', nextDueOn: '2026-12-16', escalationLevel: 2, overdueSteps: 0 },
          { caseId: CASE.A, tovholder: 'tovholder-anna', phase: 'follow_up', daysInPhase: 23, lastFollowUpOn: null, nextDueOn: '2026-11-20', escalationLevel: 0, overdueSteps: 0 },
        ],
      });
    });

    it('when a step was done after the month ended, then it is still pending in that month’s review', async () => {
      // S1, September (asOf 30-09). Active: B and F2.
      //  F2: mapping since 14-09 = 16 days. Its assessment was made 30-09 (done by asOf), which
      //      created the closure step (due 09-10, done 07-10: pending at 30-09).
      //  B: action plan since 28-09 = 2 days; the plan step (due 02-10) was done 09-10: pending.
      const body = await getJson(`/api/reviews/monthly?schoolId=${S1}&month=2026-09`);
      expect(body).toEqual({
        month: '2026-09',
        asOf: '2026-09-30',
        items: [
          { caseId: CASE.F2, tovholder: 'tovholder-bo', phase: 'mapping', daysInPhase: 16, lastFollowUpOn: null, nextDueOn: '2026-10-09', escalationLevel: 0, overdueSteps: 0 },
          { caseId: CASE.B, tovholder: 'tovholder-anna', phase: 'action_plan', daysInPhase: 2, lastFollowUpOn: null, nextDueOn: '2026-10-02', escalationLevel: 0, overdueSteps: 0 },
        ],
      });
    });

    it('when a step was cancelled by a closing after the month ended, then it is still pending in that month’s review', async () => {
      // S2, October (asOf 31-10). Active: E2 (closed 13-11) and H (closed 28-10). D opened in November.
      //  E2: follow-up since 16-10 = 15 days; follow_up_1 (due 20-11) was cancelled on 13-11: pending.
      //  H: closed since 28-10 = 3 days.
      const body = await getJson(`/api/reviews/monthly?schoolId=${S2}&month=2026-10`);
      expect(body).toEqual({
        month: '2026-10',
        asOf: '2026-10-31',
        items: [
          { caseId: CASE.E2, tovholder: 'tovholder-carl', phase: 'follow_up', daysInPhase: 15, lastFollowUpOn: null, nextDueOn: '2026-11-20', escalationLevel: 0, overdueSteps: 0 },
          { caseId: CASE.H, tovholder: 'tovholder-carl', phase: 'closed', daysInPhase: 3, lastFollowUpOn: null, nextDueOn: null, escalationLevel: 0, overdueSteps: 0 },
        ],
      });
    });
  });

  describe('GET /api/cases/{caseId}/timeline', () => {
    const eventsOf = (view: CaseView) =>
      view.history.map((entry) => ({
        seq: entry.seq,
        at: entry.at,
        on: entry.on,
        type: entry.event,
        phase: entry.phase,
        ...(entry.stepId !== undefined ? { stepId: entry.stepId } : {}),
        detail: entry.detail ?? {},
      }));

    it('when an open case’s timeline is asked for, then each phase runs from its school date to the next one’s, the last up to today', async () => {
      // School days count on the school's calendar: this school set none, so the Danish defaults
      // hold, with the autumn holiday 10–18 Oct (week 42).
      // A: mapping 05-10 → 19-10: 14 days, 5 school days (6-9 Oct, 19 Oct).
      //    action plan 19-10 → 26-10: 7 days, 5 school days (20-23 Oct, 26 Oct).
      //    follow-up from 26-10 (entered 28-10) to today 18-11: 23 days, 17 school days
      //    (27-30 Oct, 2-6, 9-13 and 16-18 Nov).
      const body = caseTimelineSchema.strict().parse(await getJson(`/api/cases/${CASE.A}/timeline`));
      expect(body.phases).toEqual([
        { phase: 'mapping', enteredAt: '2026-10-05T11:00:00Z', enteredOn: '2026-10-05', leftAt: '2026-10-19T11:00:00Z', leftOn: '2026-10-19', days: 14, schoolDays: 5 },
        { phase: 'action_plan', enteredAt: '2026-10-19T11:00:00Z', enteredOn: '2026-10-19', leftAt: '2026-10-28T11:00:00Z', leftOn: '2026-10-26', days: 7, schoolDays: 5 },
        { phase: 'follow_up', enteredAt: '2026-10-28T11:00:00Z', enteredOn: '2026-10-26', days: 23, schoolDays: 17 },
      ]);
      expect(body.events).toEqual(eventsOf(views.A));
    });

    it('when a closed case’s timeline is asked for, then its last phase ends on the closing date and closed counts no time', async () => {
      // E1: mapping 01-06 → 12-06: 11 days, 8 school days (2-4 and 8-12 June; 5 June, Grundlovsdag, is a default day off).
      const body = caseTimelineSchema.strict().parse(await getJson(`/api/cases/${CASE.E1}/timeline`));
      expect(body.phases).toEqual([
        { phase: 'mapping', enteredAt: '2026-06-01T11:00:00Z', enteredOn: '2026-06-01', leftAt: '2026-06-12T11:00:00Z', leftOn: '2026-06-12', days: 11, schoolDays: 8 },
        { phase: 'closed', enteredAt: '2026-06-12T11:00:00Z', enteredOn: '2026-06-12', days: 0, schoolDays: 0 },
      ]);
      expect(body.events).toEqual(eventsOf(views.E1));
    });

    it('when the case does not exist, then it answers 404 problem+json as GET /api/cases/{caseId} does', async () => {
      expectProblem(await api.http.get('/api/cases/00000000-0000-4000-a000-000000000999/timeline'), 404);
      expectProblem(await api.http.get('/api/cases/not-a-case-id/timeline'), 404);
    });
  });

  describe('GET /api/analytics/phase-durations', () => {
    // Phase spans (calendar days; "open" = still in the phase):
    //  mapping:     A 14, B 21, C open, D open, E1 11, E2 7, F1 28, F2 23, G1 28, G2 open, H 9
    //  action plan: A 7, B 11, E2 4
    //  follow-up:   A open, B open, E2 28
    // percentile_cont over n sorted values: position (n−1)·p, interpolated.
    const ALL_TIME = {
      from: null,
      to: null,
      phases: [
        // ended [7, 9, 11, 14, 21, 23, 28, 28]: median at 3.5 → (14+21)/2 = 17.5; p90 at 6.3 → 28;
        // q1 at 1.75 → 9 + 0.75·2 = 10.5; q3 at 5.25 → 23 + 0.25·5 = 24.25, rounded 24.3.
        row('mapping', 11, 3, 17.5, 28, 10.5, 24.3),
        // [4, 7, 11]: median 7; p90 at 1.8 → 7 + 0.8·4 = 10.2; q1 at 0.5 → 5.5; q3 at 1.5 → 9.
        row('action_plan', 3, 0, 7, 10.2, 5.5, 9),
        row('follow_up', 3, 2, 28, 28),
      ],
      bySchool: [
        {
          schoolId: S1,
          phases: [
            // [14, 21, 23, 28]: median (21+23)/2 = 22; p90 at 2.7 → 23 + 0.7·5 = 26.5;
            // q1 at 0.75 → 14 + 0.75·7 = 19.25 → 19.3; q3 at 2.25 → 23 + 0.25·5 = 24.25 → 24.3.
            row('mapping', 5, 1, 22, 26.5, 19.3, 24.3),
            // [7, 11]: median 9; p90 at 0.9 → 7 + 0.9·4 = 10.6; q1 at 0.25 → 8; q3 at 0.75 → 10.
            row('action_plan', 2, 0, 9, 10.6, 8, 10),
            row('follow_up', 2, 2, null, null),
          ],
          // A 5/5, B 6/3, C 4/0, F1 5/4, F2 5/5 → 17/25.
          stepsOnTimeRate: 0.68,
        },
        {
          schoolId: S2,
          phases: [
            // [7, 9, 11, 28]: median 10; p90 at 2.7 → 11 + 0.7·17 = 22.9;
            // q1 at 0.75 → 7 + 0.75·2 = 8.5; q3 at 2.25 → 11 + 0.25·17 = 15.25 → 15.3.
            row('mapping', 6, 2, 10, 22.9, 8.5, 15.3),
            row('action_plan', 1, 0, 4, 4),
            row('follow_up', 1, 0, 28, 28),
          ],
          // D 2/1, E1 5/5, E2 5/5, G1 5/4, H 5/5 → 20/22.
          stepsOnTimeRate: 0.909,
        },
      ],
      // Steps due before today, cancelled ones left out (counted / done by their due date):
      //  A 5/5, B 6/3 (class community, assessment and plan late), C 4/0, D 2/1, E1 5/5, E2 5/5,
      //  F1 5/4 (closure late), F2 5/5, G1 5/4 (closure late), H 5/5 → 37/47 = 0.787.
      stepsOnTimeRate: 0.787,
      escalationsByLevel: { 1: 1, 2: 1, 3: 0 },
      // E1, E2, F1, F2, G1, H.
      closed: 6,
      // E2 (E1 closed 12-06, ≤ 6 months before 05-10) and G2 (G1 closed 11-05, exactly 6 months
      // before 11-11). Not F2 (F1 closed 02-03, more than 6 months before 14-09), not H (P-F's
      // earlier cases are at S1).
      reopenedWithin6Months: 2,
    };

    it('when no period is given, then every recorded span, step and event counts', async () => {
      const body = phaseDurationsSchema.strict().parse(await getJson('/api/analytics/phase-durations'));
      expect(body).toEqual(ALL_TIME);
    });

    it('when a period is given, then spans overlapping it and steps and events dated in it count', async () => {
      // October: spans entered by 31-10 and not left before 01-10.
      //  mapping: A 14, C open, E2 7, F2 23 (left 07-10), H 9; B left 28-09, D and G2 entered in November.
      //  [7, 9, 14, 23]: median (9+14)/2 = 11.5; p90 at 2.7 → 14 + 0.7·9 = 20.3;
      //  q1 at 0.75 → 7 + 0.75·2 = 8.5; q3 at 2.25 → 14 + 0.25·9 = 16.25 → 16.3.
      //  action plan: A 7, B 11 (left 09-10), E2 4. Follow-up: A open, B open, E2 28.
      // Steps due 01-10…31-10: A 5/5, B 2/1 (plan late, follow_up_1 on time), C 2/0, E2 5/5,
      // F2 3/3, H 2/2 → 16/19 = 0.842. Escalations: B's level 1 on 21-10. Closed: F2, H.
      // Opened in October: A, C, E2, H; E2 is a reopening.
      const body = await getJson('/api/analytics/phase-durations?from=2026-10-01&to=2026-10-31');
      expect(body).toEqual({
        from: '2026-10-01',
        to: '2026-10-31',
        phases: [row('mapping', 5, 1, 11.5, 20.3, 8.5, 16.3), row('action_plan', 3, 0, 7, 10.2, 5.5, 9), row('follow_up', 3, 2, 28, 28)],
        bySchool: [
          {
            schoolId: S1,
            // mapping [14, 23] + C open: median 18.5; p90 14 + 0.9·9 = 22.1; q1 14 + 0.25·9 = 16.25 → 16.3;
            // q3 14 + 0.75·9 = 20.75 → 20.8.
            phases: [row('mapping', 3, 1, 18.5, 22.1, 16.3, 20.8), row('action_plan', 2, 0, 9, 10.6, 8, 10), row('follow_up', 2, 2, null, null)],
            // A 5/5, B 2/1, C 2/0, F2 3/3 → 9/12.
            stepsOnTimeRate: 0.75,
          },
          {
            schoolId: S2,
            // mapping [7, 9]: median 8; p90 7 + 0.9·2 = 8.8; q1 7.5; q3 8.5.
            phases: [row('mapping', 2, 0, 8, 8.8, 7.5, 8.5), row('action_plan', 1, 0, 4, 4), row('follow_up', 1, 0, 28, 28)],
            // E2 5/5, H 2/2.
            stepsOnTimeRate: 1,
          },
        ],
        stepsOnTimeRate: 0.842,
        escalationsByLevel: { 1: 1, 2: 0, 3: 0 },
        closed: 2,
        reopenedWithin6Months: 1,
      });
    });

    it('when a school is given, then every figure is that school’s alone', async () => {
      // S2: steps D 2/1, E1 5/5, E2 5/5, G1 5/4, H 5/5 → 20/22 = 0.909. Closed: E1, E2, G1, H.
      const body = await getJson(`/api/analytics/phase-durations?schoolId=${S2}`);
      const s2 = ALL_TIME.bySchool[1]!;
      expect(body).toEqual({
        from: null,
        to: null,
        phases: s2.phases,
        bySchool: [s2],
        stepsOnTimeRate: 0.909,
        escalationsByLevel: { 1: 0, 2: 0, 3: 0 },
        closed: 4,
        reopenedWithin6Months: 2,
      });
    });

    it('when nothing falls in the period, then counts are 0 and the medians and the on-time share are null', async () => {
      const body = await getJson('/api/analytics/phase-durations?from=2025-01-01&to=2025-12-31');
      expect(body).toEqual({
        from: '2025-01-01',
        to: '2025-12-31',
        phases: [row('mapping', 0, 0, null, null), row('action_plan', 0, 0, null, null), row('follow_up', 0, 0, null, null)],
        bySchool: [],
        stepsOnTimeRate: null,
        escalationsByLevel: { 1: 0, 2: 0, 3: 0 },
        closed: 0,
        reopenedWithin6Months: 0,
      });
    });

    it('when CSV is asked for, then a spreadsheet-ready attachment parses back to the same figures as the JSON', async () => {
      const path = '/api/analytics/phase-durations?from=2026-10-01&to=2026-10-31';
      const json = phaseDurationsSchema.parse(await getJson(path));
      const answer = await api.http.get(path, { accept: 'text/csv' });
      expect(answer.status).toBe(200);
      expect(answer.contentType).toMatch(/^text\/csv; charset=utf-8/);
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="phase-durations.csv"');
      expect(answer.headers.get('vary')).toMatch(/accept/i);
      const bytes = new Uint8Array(await (await fetch(`${api.http.baseUrl}${path}`, { headers: { accept: 'text/csv', authorization: `Bearer ${await tokenFor({ role: 'municipality' })}` } })).arrayBuffer());
      expect([...bytes.slice(0, 3)], 'UTF-8 byte order mark').toEqual([0xef, 0xbb, 0xbf]);
      // fetch's text() decodes UTF-8 and drops the byte order mark, as a spreadsheet does.
      expect(answer.text).toMatch(/\r\n$/);
      expect(answer.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);

      const records = parseCsv(answer.text.replace(/^\uFEFF/, ''));
      const blank = records.findIndex((record) => record.length === 1 && record[0] === '');
      const table = records.slice(0, blank);
      const metrics = records.slice(blank + 1);
      expect(table[0]).toEqual(['scope', 'schoolId', 'phase', 'cases', 'open', 'medianDays', 'p90Days', 'q1Days', 'q3Days']);
      const number = (cell: string | undefined) => (cell === '' || cell === undefined ? null : Number(cell));
      const phasesOf = (rows: string[][]) =>
        rows.map(([, , phase, cases, open, median, p90, q1, q3]) => ({
          phase,
          cases: number(cases),
          open: number(open),
          q1Days: number(q1),
          medianDays: number(median),
          q3Days: number(q3),
          p90Days: number(p90),
        }));
      expect(phasesOf(table.slice(1).filter((record) => record[0] === 'all'))).toEqual(json.phases);
      const schoolRows = table.slice(1).filter((record) => record[0] === 'school');
      const schools = [...new Set(schoolRows.map((record) => record[1]))];
      expect(schools.map((schoolId) => ({ schoolId, phases: phasesOf(schoolRows.filter((record) => record[1] === schoolId)) }))).toEqual(
        json.bySchool.map(({ schoolId, phases }) => ({ schoolId, phases })),
      );
      expect(table.slice(1).every((record) => record[0] === 'all' || record[0] === 'school')).toBe(true);

      expect(metrics[0]).toEqual(['metric', 'value']);
      expect(Object.fromEntries(metrics.slice(1).map(([metric, value]) => [metric, number(value)]))).toEqual({
        stepsOnTimeRate: json.stepsOnTimeRate,
        escalations_level_1: json.escalationsByLevel[1],
        escalations_level_2: json.escalationsByLevel[2],
        escalations_level_3: json.escalationsByLevel[3],
        closed: json.closed,
        reopenedWithin6Months: json.reopenedWithin6Months,
      });
    });
  });

  describe('GET /openapi.json', () => {
    it('when the document is read, then it describes the four read routes, their filters, and schemas their answers satisfy', async () => {
      const document = (await getJson('/openapi.json')) as {
        paths: Record<string, { get?: { parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> } }>;
      };
      const reads: [path: string, documented: string, query: string[]][] = [
        ['/api/overdue', '/api/overdue', ['schoolId', 'tovholder']],
        [`/api/reviews/monthly?schoolId=${S1}&month=2026-10`, '/api/reviews/monthly', ['schoolId', 'month']],
        [`/api/cases/${CASE.B}/timeline`, '/api/cases/{caseId}/timeline', []],
        ['/api/analytics/phase-durations?from=2026-10-01', '/api/analytics/phase-durations', ['schoolId', 'from', 'to']],
      ];
      for (const [path, documented, query] of reads) {
        const operation = document.paths[documented]?.get;
        expect(operation, documented).toBeDefined();
        expect(operation?.parameters?.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name)).toEqual(query);
        const schema = operation?.responses['200']?.content?.['application/json']?.schema;
        expect(schema, documented).toBeDefined();
        expect(schemaViolations(document, schema!, await getJson(path)), path).toEqual([]);
      }
    });
  });

  describe('bad filters', () => {
    const cases: [string, string][] = [
      ['/api/reviews/monthly?month=2026-13', 'month'],
      ['/api/reviews/monthly?month=2026-1', 'month'],
      ['/api/reviews/monthly?month=2026-00', 'month'],
      ['/api/reviews/monthly?month=november', 'month'],
      ['/api/reviews/monthly?month=2026-12', 'month'],
      ['/api/reviews/monthly?schoolId=S1&year=2026', 'year'],
      ['/api/analytics/phase-durations?from=2026-02-30', 'from'],
      ['/api/analytics/phase-durations?to=yesterday', 'to'],
      ['/api/analytics/phase-durations?from=2026-11-01&to=2026-10-01', 'from'],
      ['/api/analytics/phase-durations?schoolId=S1&format=csv', 'format'],
      ['/api/overdue?school=S1', 'school'],
      ['/api/overdue?schoolId=S1&schoolId=S2', 'schoolId'],
      ['/api/overdue?schoolId=', 'schoolId'],
    ];
    it.each(cases)('when %s is asked for, then it answers 400 problem+json naming %s', async (path, parameter) => {
      expectProblem(await api.http.get(path), 400, { path: parameter });
    });
  });
});
