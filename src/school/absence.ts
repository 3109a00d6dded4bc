/**
 * The absence import of ABSENCE.md: rows checked whole against the directory and the school's
 * calendar, then written in batches (one statement per batch of rows, in one transaction). A
 * file with any bad row is refused whole, naming every bad row; nothing of it is written.
 */
import { isSchoolDay, type SchoolCalendar } from '../domain/calendar';
import { isIsoDate } from '../domain/dates';
import type { Database } from '../db/types';
import { DomainFailure, type RowProblem } from '../domain/errors';
import { columnIndex, parseCsv } from './csv';
import { ABSENCE_CATEGORIES, ABSENCE_MARKS, type AbsenceCategory, type AbsenceImportResult, type AbsenceMark } from './schemas';
import type { SchoolDays } from './schoolDays';

export const ABSENCE_COLUMNS = ['pupilRef', 'schoolId', 'date', 'mark', 'category'] as const;

/** Rows per INSERT: large enough to keep round trips few, small enough for PGlite's memory. */
const BATCH_ROWS = 10_000;
/** At most this many bad rows are listed; a file that bad is wrong throughout. */
const MAX_LISTED_PROBLEMS = 1_000;

export interface AbsenceRow {
  pupilRef: string;
  date: string;
  mark: AbsenceMark;
  category: AbsenceCategory;
}

/** The canonical columns, as read from a file in the canonical format or from a vendor adapter. */
export interface AbsenceTable {
  readonly rows: readonly { readonly line: number; readonly cells: Readonly<Record<(typeof ABSENCE_COLUMNS)[number], string>> }[];
}

const isMark = (value: string): value is AbsenceMark => (ABSENCE_MARKS as readonly string[]).includes(value);
const isCategory = (value: string): value is AbsenceCategory => (ABSENCE_CATEGORIES as readonly string[]).includes(value);

/** The canonical CSV as a table of named cells, or a refusal naming the columns expected. */
export function canonicalAbsenceTable(text: string): AbsenceTable {
  const table = parseCsv(text);
  const columns = columnIndex(table.header, ABSENCE_COLUMNS);
  if (!(columns instanceof Map)) {
    throw new DomainFailure({
      code: 'file_refused',
      detail: `the file is not in an absence format we know (the header lacks ${columns.missing.join(', ')}); an absence file in the canonical format has the columns ${ABSENCE_COLUMNS.join(', ')}; no school system's own absence export is read (none is publicly documented)`,
      errors: columns.missing.map((column) => ({ row: 1, path: column, message: 'is a missing column' })),
    });
  }
  return {
    rows: table.rows.map(({ line, cells }) => ({
      line,
      cells: Object.fromEntries(ABSENCE_COLUMNS.map((column) => [column, (cells[columns.get(column) ?? -1] ?? '').trim()])) as Record<
        (typeof ABSENCE_COLUMNS)[number],
        string
      >,
    })),
  };
}

export interface AbsenceCheckContext {
  schoolId: string;
  /** The grade of each pupil in the school's directory. */
  grades: ReadonlyMap<string, number>;
  calendar: SchoolCalendar;
}

/** Every row checked; the good ones returned, or a refusal listing every bad row and why. */
export function checkAbsenceRows(table: AbsenceTable, context: AbsenceCheckContext): AbsenceRow[] {
  const problems: RowProblem[] = [];
  const rows: AbsenceRow[] = [];
  for (const { line, cells } of table.rows) {
    const before = problems.length;
    const bad = (path: string, message: string) => problems.push({ row: line, path, message });
    const grade = context.grades.get(cells.pupilRef);
    if (grade === undefined) bad('pupilRef', 'is not a pupil in the school’s directory');
    if (cells.schoolId !== context.schoolId) bad('schoolId', 'is not the school the file is sent for');
    if (!isIsoDate(cells.date)) bad('date', 'is not a date written YYYY-MM-DD');
    else if (!isSchoolDay(cells.date, context.calendar)) bad('date', 'is not a school day on the school’s calendar');
    if (!isMark(cells.mark)) bad('mark', 'must be day, start or end');
    else if (grade !== undefined && grade <= 6 && cells.mark !== 'day') bad('mark', `must be day for grade ${grade} (registered once a day)`);
    else if (grade !== undefined && grade >= 7 && cells.mark === 'day') bad('mark', `must be start or end for grade ${grade} (registered at the start and the end of the day)`);
    if (!isCategory(cells.category)) bad('category', 'must be illness, leave or unlawful');
    if (problems.length === before && isMark(cells.mark) && isCategory(cells.category)) {
      rows.push({ pupilRef: cells.pupilRef, date: cells.date, mark: cells.mark, category: cells.category });
    }
  }
  if (problems.length > 0) {
    const badRows = new Set(problems.map((problem) => problem.row)).size;
    throw new DomainFailure({
      code: 'file_refused',
      detail: `${badRows} row(s) of the file are bad; nothing was written`,
      errors: problems.slice(0, MAX_LISTED_PROBLEMS),
    });
  }
  return rows;
}

export function createAbsenceImport(db: Database, schoolDays: SchoolDays) {
  return {
    /** Checks every row, then adds and corrects registrations in one transaction. */
    async importTable(schoolId: string, table: AbsenceTable): Promise<AbsenceImportResult> {
      const pupils = await db.query<{ pupil_ref: string; grade: number }>(`SELECT pupil_ref, grade FROM pupils WHERE school_id = $1`, [schoolId]);
      const years = table.rows.map((row) => Number(row.cells.date.slice(0, 4))).filter((year) => Number.isInteger(year) && year >= 2000 && year <= 2100);
      const first = years.length > 0 ? Math.min(...years) : 2000;
      const last = years.length > 0 ? Math.max(...years) : 2000;
      const calendar = await schoolDays.calendar(schoolId, first, last);
      const rows = checkAbsenceRows(table, { schoolId, grades: new Map(pupils.map((row) => [row.pupil_ref, row.grade])), calendar });
      // A later row for the same pupil, day and mark replaces an earlier one, in the file as across files.
      const latest = new Map<string, AbsenceRow>();
      for (const row of rows) latest.set(`${row.pupilRef}\u0000${row.date}\u0000${row.mark}`, row);
      const distinct = [...latest.values()];
      const { added, replaced } = await db.transaction(async (tx) => {
        let added = 0;
        let replaced = 0;
        for (let start = 0; start < distinct.length; start += BATCH_ROWS) {
          const batch = distinct.slice(start, start + BATCH_ROWS);
          const [counts] = await tx.query<{ added: number; replaced: number }>(
            `WITH upserted AS (
               INSERT INTO absence_registrations AS a (school_id, pupil_ref, day, mark, category)
               SELECT $1, * FROM unnest($2::text[], $3::date[], $4::text[], $5::text[])
               ON CONFLICT (school_id, pupil_ref, day, mark) DO UPDATE SET category = EXCLUDED.category, updated_at = now()
               WHERE a.category <> EXCLUDED.category
               RETURNING (xmax = 0) AS inserted
             )
             SELECT count(*) FILTER (WHERE inserted)::int AS added, count(*) FILTER (WHERE NOT inserted)::int AS replaced FROM upserted`,
            [schoolId, batch.map((row) => row.pupilRef), batch.map((row) => row.date), batch.map((row) => row.mark), batch.map((row) => row.category)],
          );
          added += counts?.added ?? 0;
          replaced += counts?.replaced ?? 0;
        }
        return { added, replaced };
      });
      return { rows: rows.length, added, replaced, unchanged: rows.length - added - replaced };
    },
  };
}

export type AbsenceImport = ReturnType<typeof createAbsenceImport>;
