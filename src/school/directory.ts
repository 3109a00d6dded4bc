/**
 * The pupil directory: the roster CSV of ABSENCE.md read, checked whole and stored in PostgreSQL.
 * Names and guardians are read from here when a page or a letter is rendered, and nowhere else.
 */
import { z } from 'zod';
import type { Database } from '../db/types';
import { DomainFailure, type RowProblem } from '../domain/errors';
import { pupilRef as pupilRefSchema, freeText } from '../domain/schemas';
import { columnIndex, parseCsv } from './csv';
import type { Pupil, RosterResult } from './schemas';

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

/** Reads and checks the whole roster; a file with any bad row is refused naming each. */
export function readRoster(text: string, schoolId: string): RosterRow[] {
  const table = parseCsv(text);
  const columns = columnIndex(table.header, ROSTER_COLUMNS);
  if (!(columns instanceof Map)) {
    throw new DomainFailure({
      code: 'file_refused',
      detail: `the header lacks ${columns.missing.join(', ')}; a roster has the columns ${ROSTER_COLUMNS.join(', ')}`,
      errors: columns.missing.map((column) => ({ row: 1, path: column, message: 'is a missing column' })),
    });
  }
  if (table.rows.length > MAX_ROSTER_ROWS) {
    throw new DomainFailure({ code: 'file_refused', detail: `a roster has at most ${MAX_ROSTER_ROWS} rows`, errors: [] });
  }
  const cell = (cells: readonly string[], column: (typeof ROSTER_COLUMNS)[number]) => (cells[columns.get(column) ?? -1] ?? '').trim();
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  const rows: RosterRow[] = [];
  for (const { line, cells } of table.rows) {
    const bad = (path: string, message: string | undefined) => {
      if (message !== undefined) problems.push({ row: line, path, message });
      return message !== undefined;
    };
    const ref = cell(cells, 'pupilRef');
    const wrongRef = bad('pupilRef', firstMessage(pupilRefSchema.safeParse(ref)));
    if (!wrongRef && seen.has(ref)) bad('pupilRef', 'appears twice in the roster');
    seen.add(ref);
    bad('schoolId', cell(cells, 'schoolId') === schoolId ? undefined : 'is not the school the roster is sent for');
    const gradeText = cell(cells, 'grade');
    const grade = /^\d{1,2}$/.test(gradeText) ? Number(gradeText) : NaN;
    bad('grade', Number.isInteger(grade) && grade >= 0 && grade <= 10 ? undefined : 'must be a whole number from 0 to 10');
    const className = cell(cells, 'className');
    bad('className', firstMessage(name.safeParse(className)));
    const givenName = cell(cells, 'givenName');
    bad('givenName', firstMessage(name.safeParse(givenName)));
    const familyName = cell(cells, 'familyName');
    bad('familyName', firstMessage(name.safeParse(familyName)));
    const guardians: RosterRow['guardians'] = [];
    for (const n of [1, 2] as const) {
      const guardianName = cell(cells, `guardian${n}Name`);
      const email = cell(cells, `guardian${n}Email`);
      bad(`guardian${n}Email`, firstMessage(optionalEmail.safeParse(email)));
      if (guardianName !== '') bad(`guardian${n}Name`, firstMessage(name.safeParse(guardianName)));
      else if (email !== '') bad(`guardian${n}Name`, 'is empty while the e-mail is given');
      if (guardianName !== '') guardians.push({ name: guardianName, email: email === '' ? null : email });
    }
    rows.push({ pupilRef: ref, grade, className, givenName, familyName, guardians });
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
      const rows = readRoster(text, schoolId);
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
               family_name = EXCLUDED.family_name, guardian1_name = EXCLUDED.guardian1_name,
               guardian1_email = EXCLUDED.guardian1_email, guardian2_name = EXCLUDED.guardian2_name,
               guardian2_email = EXCLUDED.guardian2_email, on_roster = true, updated_at = now()
             WHERE (p.grade, p.class_name, p.given_name, p.family_name, p.guardian1_name, p.guardian1_email,
                    p.guardian2_name, p.guardian2_email, p.on_roster)
               IS DISTINCT FROM (EXCLUDED.grade, EXCLUDED.class_name, EXCLUDED.given_name, EXCLUDED.family_name,
                    EXCLUDED.guardian1_name, EXCLUDED.guardian1_email, EXCLUDED.guardian2_name, EXCLUDED.guardian2_email, true)
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
          ],
        );
        const removed = await tx.query(
          `UPDATE pupils SET on_roster = false, updated_at = now()
           WHERE school_id = $1 AND on_roster AND NOT (pupil_ref = ANY($2::text[])) RETURNING 1`,
          [schoolId, column((row) => row.pupilRef)],
        );
        return { rows: rows.length, added: counts?.added ?? 0, changed: counts?.changed ?? 0, removed: removed.length };
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
