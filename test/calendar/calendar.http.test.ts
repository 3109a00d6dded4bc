/**
 * The school calendar over HTTP: the default Danish calendar, a school's own holidays, bad
 * settings refused with the old ones kept, and cases whose deadlines count on the calendar —
 * kept as computed until the tovholder asks to recompute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { addDays } from '../../src/domain/dates';
import { casesApi, expectCase, expectProblem, openCaseBody, todayInDenmark, uniqueSchool, type CasesApi } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';

interface CalendarAnswer {
  schoolId: string;
  year: number;
  source: string;
  holidays: { from: string; to: string; name: string; kind: string }[];
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

const calendarOf = async (schoolId: string, year = 2026) => {
  const answer = await running.http.get(`/api/calendar?schoolId=${schoolId}&year=${year}`);
  expect(answer.status).toBe(200);
  return answer.body as CalendarAnswer;
};
const setHolidays = (schoolId: string, year: number, holidays: unknown[]) =>
  running.http.put(`/api/calendar/school-holidays?schoolId=${schoolId}&year=${year}`, { holidays });

describe('the school calendar', () => {
  it('when a school has set nothing, then its calendar is the Danish default: public holidays and the usual school holidays', async () => {
    const calendar = await calendarOf(uniqueSchool());
    expect(calendar.source).toBe('default');
    expect(calendar.holidays).toEqual(
      expect.arrayContaining([
        { from: '2026-05-14', to: '2026-05-14', name: 'Kristi himmelfartsdag', kind: 'public' },
        { from: '2026-04-06', to: '2026-04-06', name: '2. påskedag', kind: 'public' },
        { from: '2026-10-10', to: '2026-10-18', name: 'Efterårsferie', kind: 'school' },
      ]),
    );
  });

  it('when a school sets one holiday (its autumn holiday a week later), then that one changes and every other holiday of the year stays in force', async () => {
    const schoolId = uniqueSchool();
    const before = (await calendarOf(schoolId)).holidays.filter((holiday) => holiday.kind === 'school');
    expect(before.length).toBeGreaterThan(2);
    const answer = await running.http.put(`/api/calendar/school-holiday?schoolId=${schoolId}&year=2026`, {
      from: '2026-10-17',
      to: '2026-10-25',
      name: 'Efterårsferie',
    });
    expect(answer.status, answer.text).toBe(200);
    const after = await calendarOf(schoolId);
    expect(after.source).toBe('school');
    const school = after.holidays.filter((holiday) => holiday.kind === 'school');
    expect(school).toContainEqual({ from: '2026-10-17', to: '2026-10-25', name: 'Efterårsferie', kind: 'school' });
    expect(school.filter((holiday) => holiday.name !== 'Efterårsferie')).toEqual(before.filter((holiday) => holiday.name !== 'Efterårsferie'));
    expect(school).toHaveLength(before.length);
    // A bad one is refused naming the field, and the holidays in force stay.
    expectProblem(await running.http.put(`/api/calendar/school-holiday?schoolId=${schoolId}&year=2026`, { from: '2026-10-25', to: '2026-10-17', name: 'Efterårsferie' }), 400, { path: 'to' });
    expect((await calendarOf(schoolId)).holidays).toEqual(after.holidays);
  });

  it('when a holiday that ends before it starts is set, then 400 names it and the old holidays stay in force', async () => {
    const schoolId = uniqueSchool();
    expect((await setHolidays(schoolId, 2026, [{ from: '2026-10-19', to: '2026-10-23', name: 'Efterårsferie' }])).status).toBe(200);
    const refused = await setHolidays(schoolId, 2026, [{ from: '2026-10-23', to: '2026-10-19', name: 'Efterårsferie' }]);
    expectProblem(refused, 400, { path: 'holidays[0].to' });
    const calendar = await calendarOf(schoolId);
    expect(calendar.source).toBe('school');
    expect(calendar.holidays.filter((holiday) => holiday.kind === 'school')).toEqual([
      { from: '2026-10-19', to: '2026-10-23', name: 'Efterårsferie', kind: 'school' },
    ]);
  });

  it('when a holiday lies outside the year it is set for, then 400 names it', async () => {
    expectProblem(await setHolidays(uniqueSchool(), 2026, [{ from: '2027-02-15', to: '2027-02-19', name: 'Vinterferie' }]), 400, {
      path: 'holidays[0]',
    });
  });
});

describe('deadlines on the school calendar', () => {
  it('when a case opens before the autumn holiday, then its week-2 deadline falls on the last school day before the holiday', async () => {
    // Opened Wed 30 Sep 2026: week 2 = 7–13 Oct, and 10–18 Oct is the default autumn holiday.
    const view = expectCase(await api.open(openCaseBody({ schoolId: uniqueSchool(), openedOn: '2026-09-30' })), 201);
    expect(view.steps.find((step) => step.stepId === 'pupil_conversation')?.dueOn).toBe('2026-10-09');
    expect(view.steps.find((step) => step.stepId === 'class_community')?.dueOn).toBe('2026-10-20');
  });

  it('when the school changes its holidays after a case opened, then the case keeps its deadlines until the tovholder asks to recompute', async () => {
    const schoolId = uniqueSchool();
    const opened = expectCase(await api.open(openCaseBody({ schoolId, openedOn: '2026-09-30' })), 201);
    // The school keeps its autumn holiday in week 43 instead of 42.
    expect((await setHolidays(schoolId, 2026, [{ from: '2026-10-17', to: '2026-10-25', name: 'Efterårsferie' }])).status).toBe(200);
    const unchanged = expectCase(await running.http.get(`/api/cases/${opened.caseId}`));
    expect(unchanged.steps.find((step) => step.stepId === 'pupil_conversation')?.dueOn).toBe('2026-10-09');

    const recomputed = expectCase(await running.http.post(`/api/cases/${opened.caseId}/deadlines/recompute`, {}));
    // Week 2 (7–13 Oct) is now all school days → Tue 13 Oct; week 3 (14–20 Oct) has Wed–Fri 14–16 Oct.
    expect(recomputed.steps.find((step) => step.stepId === 'pupil_conversation')?.dueOn).toBe('2026-10-13');
    expect(recomputed.steps.find((step) => step.stepId === 'class_community')?.dueOn).toBe('2026-10-16');
    expect(recomputed.history.at(-1)?.event).toBe('deadlines_recomputed');
  });
});

describe('the overdue board on the school calendar', () => {
  /** School days after `from` up to `to`, counted by hand: weekdays outside the given range. */
  function schoolDaysAfter(from: string, to: string, off: { from: string; to: string }): number {
    let count = 0;
    for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      if (weekday !== 0 && weekday !== 6 && !(day >= off.from && day <= off.to)) count += 1;
    }
    return count;
  }

  it('when a school had a week off, then the board counts lateness in the school days that were not off', async () => {
    const schoolId = uniqueSchool();
    const today = todayInDenmark();
    const off = { from: addDays(today, -9), to: addDays(today, -1) };
    const year = Number(off.from.slice(0, 4));
    expect((await setHolidays(schoolId, year, [{ ...off, name: 'Temauge' }])).status).toBe(200);
    const opened = expectCase(await api.open(openCaseBody({ schoolId, openedOn: addDays(today, -40) })), 201);

    const board = await running.http.get<{ items: { caseId: string; stepId: string; dueOn: string; schoolDaysLate: number }[] }>(
      `/api/overdue?schoolId=${schoolId}`,
    );
    expect(board.status).toBe(200);
    const items = board.body.items.filter((item) => item.caseId === opened.caseId);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.schoolDaysLate, item.stepId).toBe(schoolDaysAfter(item.dueOn, today, off));
    }
    // The week off made a difference: counted on weekdays alone, the steps would be later.
    const weekdaysOnly = schoolDaysAfter(items[0]!.dueOn, today, { from: '0000-01-01', to: '0000-01-01' });
    expect(weekdaysOnly).toBeGreaterThan(items[0]!.schoolDaysLate);
  });
});

describe('legal time limits on the calendar', () => {
  const deadline = (query: string) => running.http.get<{ dueOn: string }>(`/api/calendar/deadline?${query}`);

  it('when 15 school days run from a Wednesday before the autumn holiday, then the holiday week does not count', async () => {
    // From Wed 7 Oct 2026: 8–9 Oct (2), holiday 10–18 Oct, 19–23 Oct (7), 26–30 Oct (12), 2–4 Nov (15).
    const answer = await deadline(`schoolId=${uniqueSchool()}&from=2026-10-07&schoolDays=15`);
    expect(answer.status).toBe(200);
    expect(answer.body.dueOn).toBe('2026-11-04');
  });

  it('when 10 working days run, then school holidays count but public holidays do not', async () => {
    // From Wed 7 Oct 2026 the autumn holiday is working days: 8–9, 12–16, 19–21 Oct → Wed 21 Oct.
    expect((await deadline(`schoolId=${uniqueSchool()}&from=2026-10-07&workingDays=10`)).body.dueOn).toBe('2026-10-21');
    // From Fri 8 May 2026: 11–13 May (3), Kristi himmelfartsdag 14 May off, 15 May (4), 18–22 May (9),
    // 2. pinsedag 25 May off, Tue 26 May (10).
    expect((await deadline(`schoolId=${uniqueSchool()}&from=2026-05-08&workingDays=10`)).body.dueOn).toBe('2026-05-26');
  });

  it('when both or neither of schoolDays and workingDays are given, then 400 names schoolDays', async () => {
    expectProblem(await deadline(`schoolId=${uniqueSchool()}&from=2026-10-07&schoolDays=15&workingDays=10`), 400, { path: 'schoolDays' });
    expectProblem(await deadline(`schoolId=${uniqueSchool()}&from=2026-10-07`), 400, { path: 'schoolDays' });
  });
});
