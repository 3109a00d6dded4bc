/**
 * The pupil directory: the roster CSV of ABSENCE.md read, checked whole and stored in PostgreSQL.
 * Names and guardians are read from here when a page or a letter is rendered, and nowhere else.
 */
import { z } from 'zod';
import type { Database } from '../db/types';
import { DomainFailure, type RowProblem } from '../domain/errors';
import { pupilRef as pupilRefSchema, freeText } from '../domain/schemas';
import { columnIndex, parseCsv } from './csv';
import type { Pupil, RosterNote, RosterResult } from './schemas';
import type { FileEncoding } from './encoding';

export const ROSTER_COLUMNS = [
  'pupilRef',
  'schoolId',
  'grade',
  'className',
  'givenName',
  'familyName',
  'guardian1Name',
  'guardian1Email',
  'guardian2Name',
  'guardian2Email',
] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

/**
 * A roster as the canonical columns, read from a file in the canonical format or from a vendor
 * adapter (vendors.ts). Refusals name the column by the file's own name, so the school can find it.
 */
export interface RosterTable {
  readonly format: RosterResult['format'];
  readonly rows: readonly { readonly line: number; readonly cells: Readonly<Record<RosterColumn, string>> }[];
  /** The file's own name of a column, where it is not the canonical one. */
  readonly sourceColumns: Readonly<Partial<Record<RosterColumn, string>>>;
  /** False when the file has no guardians at all: those already in the directory are kept. */
  readonly guardiansInFile: boolean;
  /** The school year a vendor's file says it was made for, e.g. "2021/22". */
  readonly schoolYear: string | null;
  readonly notes: readonly RosterNote[];
}

/** Far above any Danish school (the largest have about 1,500 pupils). */
export const MAX_ROSTER_ROWS = 10_000;

const name = freeText().trim().min(1, { message: 'is empty' }).max(120, { message: 'is longer than 120 characters' });
const optionalEmail = z.union([z.literal(''), z.email({ message: 'is not an e-mail address' }).max(254)]);

interface RosterRow {
  pupilRef: string;
  grade: number;
  className: string;
  givenName: string;
  familyName: string;
  guardians: { name: string; email: string | null }[];
}

function firstMessage(result: z.ZodSafeParseResult<unknown>): string | undefined {
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'is not valid');
}

/** A row's cells, one per canonical column, each as `pick` gives it. */
export function rosterCells(pick: (column: RosterColumn) => string): Record<RosterColumn, string> {
  return {
    pupilRef: pick('pupilRef'),
    schoolId: pick('schoolId'),
    grade: pick('grade'),
    className: pick('className'),
    givenName: pick('givenName'),
    familyName: pick('familyName'),
    guardian1Name: pick('guardian1Name'),
    guardian1Email: pick('guardian1Email'),
    guardian2Name: pick('guardian2Name'),
    guardian2Email: pick('guardian2Email'),
  };
}

/** The canonical roster CSV as a table, or a refusal naming the columns and the formats we read. */
export function canonicalRosterTable(text: string): RosterTable {
  const table = parseCsv(text);
  const columns = columnIndex(table.header, ROSTER_COLUMNS);
  if (!(columns instanceof Map)) {
    throw new DomainFailure({
      code: 'file_refused',
      detail: `the file is not in a roster format we know (the header lacks ${columns.missing.join(', ')}); a roster in the canonical format has the columns ${ROSTER_COLUMNS.join(', ')}; we also read ${KNOWN_VENDOR_ROSTERS}`,
      errors: columns.missing.map((column) => ({ row: 1, path: column, message: 'is a missing column' })),
    });
  }
  return {
    format: 'canonical',
    rows: table.rows.map(({ line, cells }) => ({
      line,
      cells: rosterCells((column) => (cells[columns.get(column) ?? -1] ?? '').trim()),
    })),
    sourceColumns: {},
    guardiansInFile: true,
    schoolYear: null,
    notes: [],
  };
}

/** The vendor exports we read besides the canonical format, as the refusal of an unknown file names them. */
export const KNOWN_VENDOR_ROSTERS = 'Tabulex TEA’s pupil export (Elev.txt: a first line with only the school year, then one pupil a line, fields separated by ¤)';

/** Checks the whole roster; a file with any bad row is refused naming each (by the file's own column names). */
export function readRoster(table: RosterTable, schoolId: string): RosterRow[] {
  if (table.rows.length > MAX_ROSTER_ROWS) {
    throw new DomainFailure({ code: 'file_refused', detail: `a roster has at most ${MAX_ROSTER_ROWS} rows`, errors: [] });
  }
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  const rows: RosterRow[] = [];
  for (const { line, cells } of table.rows) {
    const bad = (column: RosterColumn, message: string | undefined) => {
      if (message !== undefined) problems.push({ row: line, path: table.sourceColumns[column] ?? column, message });
      return message !== undefined;
    };
    const ref = cells.pupilRef;
    const wrongRef = bad('pupilRef', firstMessage(pupilRefSchema.safeParse(ref)));
    if (!wrongRef && seen.has(ref)) bad('pupilRef', 'appears twice in the roster');
    seen.add(ref);
    bad('schoolId', cells.schoolId === schoolId ? undefined : 'is not the school the roster is sent for');
    const grade = /^\d{1,2}$/.test(cells.grade) ? Number(cells.grade) : NaN;
    bad('grade', Number.isInteger(grade) && grade >= 0 && grade <= 10 ? undefined : 'must be a whole number from 0 to 10');
    bad('className', firstMessage(name.safeParse(cells.className)));
    bad('givenName', firstMessage(name.safeParse(cells.givenName)));
    bad('familyName', firstMessage(name.safeParse(cells.familyName)));
    const guardians: RosterRow['guardians'] = [];
    for (const n of [1, 2] as const) {
      const guardianName = cells[`guardian${n}Name`];
      const email = cells[`guardian${n}Email`];
      bad(`guardian${n}Email`, firstMessage(optionalEmail.safeParse(email)));
      if (guardianName !== '') bad(`guardian${n}Name`, firstMessage(name.safeParse(guardianName)));
      else if (email !== '') bad(`guardian${n}Name`, 'is empty while the e-mail is given');
      if (guardianName !== '') guardians.push({ name: guardianName, email: email === '' ? null : email });
    }
    rows.push({ pupilRef: ref, grade, className: cells.className, givenName: cells.givenName, familyName: cells.familyName, guardians });
  }
  if (problems.length > 0) {
    const lines = new Set(problems.map((problem) => problem.row)).size;
    throw new DomainFailure({ code: 'file_refused', detail: `${lines} row(s) of the roster are bad; nothing was stored`, errors: problems });
  }
  return rows;
}

interface PupilRow extends Record<string, unknown> {
  school_id: string;
  pupil_ref: string;
  grade: number;
  class_name: string;
  given_name: string;
  family_name: string;
  guardian1_name: string | null;
  guardian1_email: string | null;
  guardian2_name: string | null;
  guardian2_email: string | null;
  on_roster: boolean;
}

function pupilOf(row: PupilRow): Pupil {
  const guardians: Pupil['guardians'] = [];
  if (row.guardian1_name !== null) guardians.push({ name: row.guardian1_name, email: row.guardian1_email });
  if (row.guardian2_name !== null) guardians.push({ name: row.guardian2_name, email: row.guardian2_email });
  return {
    pupilRef: row.pupil_ref,
    schoolId: row.school_id,
    grade: row.grade,
    className: row.class_name,
    givenName: row.given_name,
    familyName: row.family_name,
    guardians,
    onRoster: row.on_roster,
  };
}

export function createPupilDirectory(db: Database) {
  return {
    /**
     * Replaces the school's roster in one transaction: new pupils added, known ones updated,
     * those missing from the file marked as left (kept, so their cases stay readable).
     */
    async replaceRoster(schoolId: string, text: string): Promise<RosterResult> {
      return this.replaceRosterTable(schoolId, canonicalRosterTable(text), 'utf-8');
    },

    /**
     * The same for a roster already read into the canonical columns (a vendor's file). When the
     * file has no guardians, the guardians already in the directory are kept, not cleared.
     */
    async replaceRosterTable(schoolId: string, table: RosterTable, encoding: FileEncoding): Promise<RosterResult> {
      const rows = readRoster(table, schoolId);
      const column = <T>(pick: (row: RosterRow) => T) => rows.map(pick);
      return db.transaction(async (tx) => {
        const [counts] = await tx.query<{ added: number; changed: number }>(
          `WITH incoming AS (
             SELECT * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
               AS t(pupil_ref, grade, class_name, given_name, family_name, guardian1_name, guardian1_email, guardian2_name, guardian2_email)
           ), upserted AS (
             INSERT INTO pupils AS p (school_id, pupil_ref, grade, class_name, given_name, family_name,
                                      guardian1_name, guardian1_email, guardian2_name, guardian2_email, on_roster)
             SELECT $1, pupil_ref, grade, class_name, given_name, family_name, guardian1_name, guardian1_email, guardian2_name, guardian2_email, true
             FROM incoming
             ON CONFLICT (school_id, pupil_ref) DO UPDATE SET
               grade = EXCLUDED.grade, class_name = EXCLUDED.class_name, given_name = EXCLUDED.given_name,
               family_name = EXCLUDED.family_name,
               guardian1_name = CASE WHEN $11 THEN EXCLUDED.guardian1_name ELSE p.guardian1_name END,
               guardian1_email = CASE WHEN $11 THEN EXCLUDED.guardian1_email ELSE p.guardian1_email END,
               guardian2_name = CASE WHEN $11 THEN EXCLUDED.guardian2_name ELSE p.guardian2_name END,
               guardian2_email = CASE WHEN $11 THEN EXCLUDED.guardian2_email ELSE p.guardian2_email END,
               on_roster = true, updated_at = now()
             WHERE (p.grade, p.class_name, p.given_name, p.family_name, p.on_roster)
                   IS DISTINCT FROM (EXCLUDED.grade, EXCLUDED.class_name, EXCLUDED.given_name, EXCLUDED.family_name, true)
                OR ($11 AND (p.guardian1_name, p.guardian1_email, p.guardian2_name, p.guardian2_email)
                   IS DISTINCT FROM (EXCLUDED.guardian1_name, EXCLUDED.guardian1_email, EXCLUDED.guardian2_name, EXCLUDED.guardian2_email))
             RETURNING (xmax = 0) AS inserted
           )
           SELECT count(*) FILTER (WHERE inserted)::int AS added, count(*) FILTER (WHERE NOT inserted)::int AS changed FROM upserted`,
          [
            schoolId,
            column((row) => row.pupilRef),
            column((row) => row.grade),
            column((row) => row.className),
            column((row) => row.givenName),
            column((row) => row.familyName),
            column((row) => row.guardians[0]?.name ?? null),
            column((row) => row.guardians[0]?.email ?? null),
            column((row) => row.guardians[1]?.name ?? null),
            column((row) => row.guardians[1]?.email ?? null),
            table.guardiansInFile,
          ],
        );
        const removed = await tx.query(
          `UPDATE pupils SET on_roster = false, updated_at = now()
           WHERE school_id = $1 AND on_roster AND NOT (pupil_ref = ANY($2::text[])) RETURNING 1`,
          [schoolId, column((row) => row.pupilRef)],
        );
        return {
          rows: rows.length,
          added: counts?.added ?? 0,
          changed: counts?.changed ?? 0,
          removed: removed.length,
          format: table.format,
          encoding,
          schoolYear: table.schoolYear,
          notes: [...table.notes],
        };
      });
    },

    /** The school's pupils, those on the roster first, by class and name. */
    async list(schoolId: string, options: { includeLeft?: boolean } = {}): Promise<Pupil[]> {
      const rows = await db.query<PupilRow>(
        `SELECT * FROM pupils WHERE school_id = $1 AND (on_roster OR $2)
         ORDER BY on_roster DESC, class_name, family_name, given_name, pupil_ref`,
        [schoolId, options.includeLeft ?? true],
      );
      return rows.map(pupilOf);
    },

    async get(schoolId: string, pupilRef: string): Promise<Pupil | null> {
      const [row] = await db.query<PupilRow>(`SELECT * FROM pupils WHERE school_id = $1 AND pupil_ref = $2`, [schoolId, pupilRef]);
      return row ? pupilOf(row) : null;
    },
  };
}

export type PupilDirectory = ReturnType<typeof createPupilDirectory>;
