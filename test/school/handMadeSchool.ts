/**
 * A small hand-made school (ABSENCE.md's counting rules as exact figures): school H1 on the
 * default Danish calendar, a grade 3 pupil registered once a day and a grade 8 pupil registered
 * at the start and the end of the day, in the school year 2026/27.
 *
 * The calendar, counted by hand: the summer holiday ends Sunday 9 August 2026, so the school
 * year's first school day is Monday 10 August. Q3 2026 has 38 school days (16 in August, 22 in
 * September); Q4 2026 has 52 (October 22 weekdays less the autumn holiday of week 42, 12–16
 * October: 17; November 21; December 23 weekdays less the Christmas holiday from 21 December: 14).
 * From 1 August to Friday 13 November: 16 + 22 + 17 + 10 = 65 school days.
 */
export const SCHOOL = 'H1';
export const ON = '2026-11-13';
export const Q3_SCHOOL_DAYS = 38;
export const Q4_SCHOOL_DAYS = 52;
export const SCHOOL_DAYS_SO_FAR = 65;

export const ROSTER = [
  'pupilRef;schoolId;grade;className;givenName;familyName;guardian1Name;guardian1Email;guardian2Name;guardian2Email',
  'P-3A-1;H1;3;3.A;Asta;Testesen;Bodil Testesen;bodil@example.dk;;',
  'P-8B-1;H1;8;8.B;Bertram;Prøvesen;Carl Prøvesen;carl@example.dk;Dorte Prøvesen;dorte@example.dk',
].join('\n');

/** The first term's file: A's 6 October is first registered as unlawful. */
export const ABSENCE_FIRST = [
  'pupilRef,schoolId,date,mark,category',
  'P-3A-1,H1,2026-09-15,day,leave',
  'P-3A-1,H1,2026-10-05,day,unlawful',
  'P-3A-1,H1,2026-10-06,day,unlawful',
  'P-3A-1,H1,2026-11-10,day,unlawful',
  // After the day asked about: not counted on 13 November.
  'P-3A-1,H1,2026-11-20,day,unlawful',
  'P-8B-1,H1,2026-09-01,start,illness',
  'P-8B-1,H1,2026-09-01,end,illness',
  'P-8B-1,H1,2026-10-05,start,unlawful',
  'P-8B-1,H1,2026-10-05,end,unlawful',
  'P-8B-1,H1,2026-10-07,start,unlawful',
  'P-8B-1,H1,2026-11-02,end,illness',
].join('\n');

/** The parents called: A's 6 October was illness. */
export const ABSENCE_CORRECTION = ['pupilRef,schoolId,date,mark,category', 'P-3A-1,H1,2026-10-06,day,illness'].join('\n');

/** Three bad rows among good ones: an unknown pupil, a day of the autumn holiday, a `start` mark for grade 3. */
export const ABSENCE_THREE_BAD = [
  'pupilRef,schoolId,date,mark,category',
  'P-3A-1,H1,2026-10-20,day,unlawful',
  'P-NOBODY,H1,2026-10-21,day,unlawful',
  'P-8B-1,H1,2026-10-14,start,unlawful',
  'P-3A-1,H1,2026-10-22,start,illness',
  'P-8B-1,H1,2026-10-22,end,leave',
].join('\n');
