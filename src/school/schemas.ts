/**
 * The pupil directory and the absence figures as the HTTP API shows them; the routes answer with
 * these and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { isoDate } from '../domain/schemas';

export const ABSENCE_MARKS = ['day', 'start', 'end'] as const;
export type AbsenceMark = (typeof ABSENCE_MARKS)[number];
export const ABSENCE_CATEGORIES = ['illness', 'leave', 'unlawful'] as const;
export type AbsenceCategory = (typeof ABSENCE_CATEGORIES)[number];

export const guardian = z.object({ name: z.string(), email: z.string().nullable() }).meta({ id: 'Guardian' });

export const pupil = z
  .object({
    pupilRef: z.string(),
    schoolId: z.string(),
    grade: z.number().int().min(0).max(10),
    className: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    guardians: z.array(guardian).max(2),
    onRoster: z.boolean().meta({ description: 'false once the pupil has left the roster (kept so their cases stay readable)' }),
  })
  .meta({ id: 'Pupil' });
export type Pupil = z.infer<typeof pupil>;

export const pupilList = z.object({ items: z.array(pupil) }).meta({ id: 'PupilList' });

/** The roster files we read: the canonical CSV of ABSENCE.md, and Tabulex TEA's pupil export (Elev.txt). */
export const ROSTER_FORMATS = ['canonical', 'tabulex_tea_elev'] as const;
/** What the import left out or assumed, for the page to say in Danish. */
export const ROSTER_NOTES = [
  /** The file's CPR numbers and addresses were read past and stored nowhere. */
  'cpr_and_address_dropped',
  /** The file has no guardians; those already in the directory were kept. */
  'guardians_kept',
  /** One pupil only: which of the first two fields is the pupil id cannot be told from the data. */
  'pupil_id_field_assumed',
] as const;
export type RosterNote = (typeof ROSTER_NOTES)[number];

export const rosterResult = z
  .object({
    rows: z.number().int(),
    added: z.number().int(),
    changed: z.number().int(),
    removed: z.number().int().meta({ description: 'Pupils no longer on the roster (kept, marked as left)' }),
    format: z.enum(ROSTER_FORMATS).meta({ description: 'The format the file was recognised as (by its shape)' }),
    encoding: z.enum(['utf-8', 'windows-1252']).meta({ description: 'How the file’s bytes were read: UTF-8 when they are valid UTF-8, else Windows-1252 (Latin-1)' }),
    schoolYear: z.string().nullable().meta({ description: 'The school year a vendor’s file says it was made for, e.g. 2021/22', example: '2021/22' }),
    notes: z.array(z.enum(ROSTER_NOTES)).meta({ description: 'What the import read past or assumed' }),
  })
  .meta({ id: 'RosterImportResult' });
export type RosterResult = z.infer<typeof rosterResult>;

export const absenceImportResult = z
  .object({
    rows: z.number().int(),
    added: z.number().int(),
    replaced: z.number().int().meta({ description: 'Registrations whose category a row of this file changed' }),
    unchanged: z.number().int(),
  })
  .meta({ id: 'AbsenceImportResult' });
export type AbsenceImportResult = z.infer<typeof absenceImportResult>;

const share = z.number().min(0).meta({ description: 'A fraction: 0.1 is 10 %' });

export const quarterFigures = z
  .object({
    quarter: z.string().regex(/^\d{4}-Q[1-4]$/).meta({ example: '2026-Q3' }),
    schoolDays: z.number().int().meta({ description: 'School days in the whole quarter, on the school’s calendar' }),
    unlawfulDays: z.number(),
    unlawfulShare: share,
  })
  .meta({ id: 'QuarterAbsence' });
export type QuarterFigures = z.infer<typeof quarterFigures>;

export const schoolYearFigures = z
  .object({
    from: isoDate,
    schoolDaysSoFar: z.number().int(),
    illnessDays: z.number(),
    leaveDays: z.number(),
    unlawfulDays: z.number(),
    totalShare: share,
  })
  .meta({ id: 'SchoolYearAbsence' });
export type SchoolYearFigures = z.infer<typeof schoolYearFigures>;

export const weekFigures = z
  .object({
    weekStart: isoDate.meta({ description: 'The Monday of the week' }),
    schoolDays: z.number().int(),
    illnessDays: z.number(),
    leaveDays: z.number(),
    unlawfulDays: z.number(),
    attendanceShare: share.nullable().meta({ description: 'Days present ÷ school days; null in a week without school days' }),
  })
  .meta({ id: 'WeekAbsence' });
export type WeekFigures = z.infer<typeof weekFigures>;

export const pupilAbsence = z
  .object({
    pupilRef: z.string(),
    on: isoDate,
    quarters: z.array(quarterFigures),
    schoolYear: schoolYearFigures,
    weeks: z.array(weekFigures).optional().meta({ description: 'Week by week from `from` (when asked for) to `on`' }),
  })
  .meta({ id: 'PupilAbsence' });
export type PupilAbsence = z.infer<typeof pupilAbsence>;

export const schoolAbsenceList = z
  .object({
    on: isoDate,
    quarter: z.string(),
    items: z.array(
      z.object({
        pupilRef: z.string(),
        grade: z.number().int(),
        className: z.string(),
        quarter: quarterFigures,
        schoolYear: schoolYearFigures,
      }),
    ),
  })
  .meta({ id: 'SchoolAbsenceList' });
export type SchoolAbsenceList = z.infer<typeof schoolAbsenceList>;

export const figuresQuery = z
  .object({
    on: isoDate.optional().meta({ description: 'The figures as of this day; default today' }),
    from: isoDate.optional().meta({ description: 'Also week by week from this day (the Monday of its week) to `on`' }),
  })
  .strict();
export const schoolFiguresQuery = z
  .object({ on: isoDate.optional().meta({ description: 'The figures as of this day; default today' }) })
  .strict();
export const noQuery = z.object({}).strict();
