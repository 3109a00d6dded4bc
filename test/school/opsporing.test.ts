/**
 * Opsporing on known data (the hand-made school's calendar, school year 2026/27, as of Friday
 * 13 November: 65 school days so far; the last eight school weeks are those of 21 September to
 * 9 November, week 42 having none). Each pupil is made to meet one rule, or none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarSettings } from '../../src/calendar/calendarSettings';
import { createAbsenceImport, canonicalAbsenceTable } from '../../src/school/absence';
import { createPupilDirectory } from '../../src/school/directory';
import { createOpsporing } from '../../src/school/opsporing';
import { createSchoolDays } from '../../src/school/schoolDays';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases';

const SCHOOL = 'O1';
const ON = '2026-11-13';
const PUPILS = ['P-TOT', 'P-MON', 'P-HOL', 'P-SGL', 'P-CASE', 'P-OK'];
const ROSTER = [
  'pupilRef,schoolId,grade,className,givenName,familyName,guardian1Name,guardian1Email,guardian2Name,guardian2Email',
  ...PUPILS.map((ref) => `${ref},${SCHOOL},5,5.A,Navn,${ref.slice(2)},,,,`),
  `P-HALF,${SCHOOL},8,8.A,Navn,Halv,,,,`,
].join('\n');

const day = (ref: string, date: string, category = 'unlawful') => `${ref},${SCHOOL},${date},day,${category}`;
const ABSENCE = [
  'pupilRef,schoolId,date,mark,category',
  // 8 of 65 days (12.3 %) in two blocks of four, outside the weekday window.
  ...['2026-08-24', '2026-08-25', '2026-08-26', '2026-08-27', '2026-09-14', '2026-09-15', '2026-09-16', '2026-09-17'].flatMap((d) => [day('P-TOT', d, 'illness'), day('P-CASE', d)]),
  // Three Mondays of the last eight school weeks.
  ...['2026-10-05', '2026-10-19', '2026-10-26'].map((d) => day('P-MON', d)),
  // The first day after the summer holiday, the Friday before the autumn holiday and the Monday after it.
  ...['2026-08-10', '2026-10-09', '2026-10-19'].map((d) => day('P-HOL', d)),
  // Five single days on different weekdays.
  ...['2026-09-01', '2026-09-10', '2026-09-23', '2026-10-01', '2026-11-04'].map((d) => day('P-SGL', d, 'illness')),
  ...['2026-09-08', '2026-09-09'].map((d) => day('P-OK', d)),
  // Grade 8: sixteen start marks are eight days (12.3 %), and no single whole day.
  ...['2026-08-31', '2026-09-01', '2026-09-02', '2026-09-03', '2026-09-07', '2026-09-08', '2026-09-09', '2026-09-10', '2026-09-14', '2026-09-15', '2026-09-16', '2026-09-17', '2026-09-28', '2026-09-29', '2026-09-30', '2026-10-01'].map(
    (d) => `P-HALF,${SCHOOL},${d},start,unlawful`,
  ),
].join('\n');

describe.each(DATABASE_KINDS)('opsporing on %s', (kind) => {
  let t: TestDatabase;
  let opsporing: ReturnType<typeof createOpsporing>;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    const schoolDays = createSchoolDays(createCalendarSettings(t.db));
    await createPupilDirectory(t.db).replaceRoster(SCHOOL, ROSTER);
    await createAbsenceImport(t.db, schoolDays).importTable(SCHOOL, canonicalAbsenceTable(ABSENCE));
    opsporing = createOpsporing(t.db, schoolDays);
    // P-CASE already has an open case.
    await t.db.query(
      `INSERT INTO cases (case_id, pupil_ref, school_id, grade, tovholder, opened_on, phase, version, view)
       VALUES ('00000000-0000-4000-a000-000000000001', 'P-CASE', $1, 5, 'tovholder-kim', '2026-11-01', 'mapping', 1, '{}'::jsonb)`,
      [SCHOOL],
    );
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('when the candidates are computed, then each pupil is named for exactly the rule it meets, with the reason in Danish', async () => {
    const result = await opsporing.candidates(SCHOOL, ON);
    expect(result.schoolDaysSoFar).toBe(65);
    const byRef = Object.fromEntries(result.items.map((item) => [item.pupilRef, item]));
    expect(Object.keys(byRef).sort()).toEqual(['P-CASE', 'P-HALF', 'P-HOL', 'P-MON', 'P-SGL', 'P-TOT']);
    expect(byRef['P-TOT']?.reasons).toEqual([
      { rule: 'total_share', text: 'Fravær i alt 12,3 % af skoledagene i skoleåret (8 af 65 dage); over 10 %.' },
    ]);
    expect(byRef['P-TOT']?.figures).toMatchObject({ illnessDays: 8, unlawfulDays: 0, totalShare: 8 / 65 });
    expect(byRef['P-MON']?.reasons).toEqual([{ rule: 'same_weekday', text: 'Fravær om mandagen i 3 af de sidste 8 skoleuger.' }]);
    expect(byRef['P-HOL']?.reasons).toEqual([
      { rule: 'next_to_holidays', text: 'Fravær lige før eller efter ferie og helligdage 3 gange i skoleåret.' },
    ]);
    expect(byRef['P-SGL']?.reasons).toEqual([{ rule: 'single_days', text: '5 enkeltstående fraværsdage i skoleåret.' }]);
    expect(byRef['P-HALF']?.reasons.map((reason) => reason.rule)).toEqual(['total_share']);
    expect(byRef['P-HALF']?.figures.totalShare).toBe(8 / 65);
    // The open case marks the pupil; nobody else has one.
    expect(byRef['P-CASE']?.openCaseId).toBe('00000000-0000-4000-a000-000000000001');
    expect(result.items.filter((item) => item.openCaseId !== null).map((item) => item.pupilRef)).toEqual(['P-CASE']);
  });

  it('when a candidate is dismissed, then it stays away until the total share rises past what it was', async () => {
    await t.db.query(
      `INSERT INTO absence_candidate_decisions (school_id, pupil_ref, decision, total_share, reason, figures, decided_by)
       VALUES ($1, 'P-TOT', 'dismissed', $2, 'Kendt sygdom', '{}'::jsonb, 'leder-lis')`,
      [SCHOOL, 8 / 65],
    );
    const quiet = await opsporing.candidates(SCHOOL, ON);
    expect(quiet.items.find((item) => item.pupilRef === 'P-TOT')?.dismissed).toBe(true);

    const schoolDays = createSchoolDays(createCalendarSettings(t.db));
    await createAbsenceImport(t.db, schoolDays).importTable(SCHOOL, canonicalAbsenceTable(['pupilRef,schoolId,date,mark,category', day('P-TOT', '2026-11-11')].join('\n')));
    const risen = await opsporing.candidates(SCHOOL, ON);
    expect(risen.items.find((item) => item.pupilRef === 'P-TOT')).toMatchObject({ dismissed: false, figures: { totalShare: 9 / 65 } });
  });
});
