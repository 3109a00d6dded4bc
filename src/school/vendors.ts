/**
 * Absence files as the schools' own systems export them, in front of the canonical format. A file
 * is recognised by its header; one we do not know is refused naming the columns we expect.
 */
import { canonicalAbsenceTable, type AbsenceTable } from './absence';

/** The canonical file (ABSENCE.md), or a known vendor's export turned into it. */
export function absenceTableOf(text: string): AbsenceTable {
  return canonicalAbsenceTable(text);
}
