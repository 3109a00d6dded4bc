/**
 * Multiplies seeded cases in SQL, for a read-side bench at a scale that seeding through the
 * workflows cannot reach in a session (about 3.5 cases/s on two idle cores): every row of every
 * table that belongs to a case is copied `copies - 1` times under a new case id (`<id>~<k>`) and
 * pupil reference, in the same school, with the same dates, events, steps, letters and notices.
 * So each school holds `copies` times the cases, each a real workflow's record; the audit log and
 * the sign-in tables are not case data and are left alone.
 */
import type { Database } from '../src/db/index';

const NOT_CASE_DATA = new Set(['audit_log', 'ui_sessions', 'ui_sign_ins']);
/** Shared by many cases, so kept as they are; every other text id gets the copy's suffix. */
const SHARED_IDS = new Set(['school_id']);

interface Column extends Record<string, unknown> {
  table_name: string;
  column_name: string;
  data_type: string;
}

// The case id, the pupil and every text id of a row (letter ids and the like, and the columns that
// refer to them) get the copy's suffix, the same suffix for the same copy, so references still meet.
function renamed(column: Column): boolean {
  if (column.data_type !== 'text' && column.data_type !== 'character varying') return false;
  return column.column_name === 'pupil_ref' || (column.column_name.endsWith('_id') && !SHARED_IDS.has(column.column_name));
}

export async function replicateCases(db: Database, schema: string, copies: number): Promise<void> {
  if (copies < 2) return;
  const owned = await db.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM information_schema.columns
      WHERE table_schema = $1 AND column_name = 'case_id'`,
    [schema],
  );
  // Columns the database fills itself (serial ids, identities, generated) are left to it.
  const columns = await db.query<Column>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = $1
        AND coalesce(column_default, '') NOT LIKE 'nextval(%'
        AND is_identity = 'NO' AND is_generated = 'NEVER'
      ORDER BY table_name, ordinal_position`,
    [schema],
  );
  // cases first: the other tables refer to it.
  const tables = owned
    .map((row) => row.table_name)
    .filter((name) => !NOT_CASE_DATA.has(name))
    .sort((a, b) => (a === 'cases' ? -1 : b === 'cases' ? 1 : a.localeCompare(b)));
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  for (const table of tables) {
    const own = columns.filter((column) => column.table_name === table);
    const list = own.map((column) => quote(column.column_name)).join(', ');
    const select = own.map((column) => (renamed(column) ? `${quote(column.column_name)} || '~' || k.k` : quote(column.column_name))).join(', ');
    await db.query(
      `INSERT INTO ${quote(table)} (${list})
       SELECT ${select} FROM ${quote(table)} CROSS JOIN generate_series(1, $1::int) AS k(k)
        WHERE position('~' in case_id) = 0`,
      [copies - 1],
    );
  }
}
