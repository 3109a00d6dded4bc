import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarSettings } from '../../src/calendar/calendarSettings';
import { DomainFailure } from '../../src/domain/errors';
import { createAbsenceImport, canonicalAbsenceTable } from '../../src/school/absence';
import { createPupilDirectory } from '../../src/school/directory';
import { createAbsenceFigures } from '../../src/school/figures';
import { createSchoolDays } from '../../src/school/schoolDays';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases';
import * as H from './handMadeSchool';

function refusalOf(error: unknown) {
  if (error instanceof DomainFailure && error.error.code === 'file_refused') return error.error;
  throw error;
}

describe.each(DATABASE_KINDS)('the hand-made school on %s', (kind) => {
  let t: TestDatabase;
  let imports: ReturnType<typeof createAbsenceImport>;
  let figures: ReturnType<typeof createAbsenceFigures>;
  let directory: ReturnType<typeof createPupilDirectory>;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    const schoolDays = createSchoolDays(createCalendarSettings(t.db));
    directory = createPupilDirectory(t.db);
    imports = createAbsenceImport(t.db, schoolDays);
    figures = createAbsenceFigures(t.db, schoolDays);
    await directory.replaceRoster(H.SCHOOL, H.ROSTER);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('when the first term is imported and then corrected, then the quarters and the school year match the hand count to the half day', async () => {
    const first = await imports.importTable(H.SCHOOL, canonicalAbsenceTable(H.ABSENCE_FIRST));
    expect(first).toEqual({ rows: 11, added: 11, replaced: 0, unchanged: 0 });
    const correction = await imports.importTable(H.SCHOOL, canonicalAbsenceTable(H.ABSENCE_CORRECTION));
    expect(correction).toEqual({ rows: 1, added: 0, replaced: 1, unchanged: 0 });

    const asta = await figures.pupil(H.SCHOOL, 'P-3A-1', H.ON);
    expect(asta.quarters).toEqual([
      { quarter: '2026-Q3', schoolDays: H.Q3_SCHOOL_DAYS, unlawfulDays: 0, unlawfulShare: 0 },
      { quarter: '2026-Q4', schoolDays: H.Q4_SCHOOL_DAYS, unlawfulDays: 2, unlawfulShare: 2 / 52 },
    ]);
    expect(asta.schoolYear).toEqual({
      from: '2026-08-01',
      schoolDaysSoFar: H.SCHOOL_DAYS_SO_FAR,
      illnessDays: 1,
      leaveDays: 1,
      unlawfulDays: 2,
      totalShare: 4 / 65,
    });

    // Grade 8: a start and an end mark make a whole day, one alone half a day.
    const bertram = await figures.pupil(H.SCHOOL, 'P-8B-1', H.ON);
    expect(bertram.quarters).toEqual([
      { quarter: '2026-Q3', schoolDays: 38, unlawfulDays: 0, unlawfulShare: 0 },
      { quarter: '2026-Q4', schoolDays: 52, unlawfulDays: 1.5, unlawfulShare: 1.5 / 52 },
    ]);
    expect(bertram.schoolYear).toMatchObject({ illnessDays: 1.5, leaveDays: 0, unlawfulDays: 1.5, totalShare: 3 / 65 });

    const list = await figures.school(H.SCHOOL, H.ON);
    expect(list.quarter).toBe('2026-Q4');
    expect(list.items.map((item) => [item.pupilRef, item.quarter.unlawfulDays, item.schoolYear.totalShare])).toEqual([
      ['P-3A-1', 2, 4 / 65],
      ['P-8B-1', 1.5, 3 / 65],
    ]);
  });

  it('when the same files are imported again, then nothing changes', async () => {
    const again = await imports.importTable(H.SCHOOL, canonicalAbsenceTable(H.ABSENCE_FIRST));
    // The correction is undone by the older file sent again: the later file always wins.
    expect(again).toEqual({ rows: 11, added: 0, replaced: 1, unchanged: 10 });
    const back = await imports.importTable(H.SCHOOL, canonicalAbsenceTable(H.ABSENCE_CORRECTION));
    expect(back).toEqual({ rows: 1, added: 0, replaced: 1, unchanged: 0 });
    const twice = await imports.importTable(H.SCHOOL, canonicalAbsenceTable(H.ABSENCE_CORRECTION));
    expect(twice).toEqual({ rows: 1, added: 0, replaced: 0, unchanged: 1 });
    const asta = await figures.pupil(H.SCHOOL, 'P-3A-1', H.ON);
    expect(asta.schoolYear).toMatchObject({ illnessDays: 1, unlawfulDays: 2 });
  });

  it('when a file has three bad rows, then it is refused whole naming all three and nothing is written', async () => {
    const [{ count: before }] = (await t.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM absence_registrations`)) as [{ count: number }];
    const refusal = refusalOf(await imports.importTable(H.SCHOOL, canonicalAbsenceTable(H.ABSENCE_THREE_BAD)).then(() => undefined, (error: unknown) => error));
    expect(refusal.errors).toEqual([
      { row: 3, path: 'pupilRef', message: 'is not a pupil in the school’s directory' },
      { row: 4, path: 'date', message: 'is not a school day on the school’s calendar' },
      { row: 5, path: 'mark', message: 'must be day for grade 3 (registered once a day)' },
    ]);
    const [{ count: after }] = (await t.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM absence_registrations`)) as [{ count: number }];
    expect(after).toBe(before);
  });

  it('when the week-by-week figures are asked from a case opening, then each whole week from the opening week’s Monday shows its school days and attendance', async () => {
    const weeks = await figures.weeks(H.SCHOOL, 'P-3A-1', '2026-10-01', '2026-10-23');
    expect(weeks.map((week) => [week.weekStart, week.schoolDays, week.unlawfulDays, week.illnessDays, week.attendanceShare])).toEqual([
      ['2026-09-28', 5, 0, 0, 1],
      ['2026-10-05', 5, 1, 1, 3 / 5],
      ['2026-10-12', 0, 0, 0, null],
      ['2026-10-19', 5, 0, 0, 1],
    ]);
  });

  it('when a pupil leaves the roster, then they are kept as left and counted as removed', async () => {
    const result = await directory.replaceRoster(H.SCHOOL, H.ROSTER.split('\n').slice(0, 2).join('\n'));
    expect(result).toMatchObject({ rows: 1, added: 0, changed: 0, removed: 1 });
    expect(await directory.get(H.SCHOOL, 'P-8B-1')).toMatchObject({ givenName: 'Bertram', onRoster: false });
    const back = await directory.replaceRoster(H.SCHOOL, H.ROSTER);
    expect(back).toMatchObject({ rows: 2, added: 0, changed: 1, removed: 0 });
  });
});
