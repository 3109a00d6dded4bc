/**
 * Files as the schools' own systems export them, in front of the canonical formats of ABSENCE.md.
 * A file is recognised by its shape, not its name or a choice on the page; each adapter turns its
 * vendor's lines into the canonical columns, and the one check of the canonical format does the
 * rest (directory.ts, absence.ts). A file of no shape we know is refused naming the canonical
 * columns and the vendor formats we read.
 *
 * Tabulex TEA, pupil export `Elev.txt` (as an integrator describes it publicly; there is no
 * vendor specification we could read):
 *
 *   line 1        only the school year the file was made for: `2021` is 1 Aug 2021 – 31 Jul 2022
 *   lines 2 …     one pupil a line, 14 fields separated by `¤` (U+00A4), often one more empty
 *                 field after a trailing `¤`; written in Windows-1252 or UTF-8 (encoding.ts)
 *
 *   field                     → canonical column   what we do with it
 *   ElevID                    → pupilRef           the school system's own id of the pupil
 *   Skolekode                 → (schoolId)         must be the same on every line; not stored
 *   Skolenavn                 –                    read past
 *   Fornavn                   → givenName
 *   Efternavn                 → familyName
 *   CPR                       –                    read past: never stored, logged or echoed
 *   Adresse, Område,
 *   Postnummer, By            –                    read past (letters go to guardians by e-mail)
 *   Klassetrin                → grade              0–10, checked per line
 *   Klassespor                → className          with Klassetrin (`9.Y`) when Stamklasse is empty
 *   Elevens første skoleår    –                    read past
 *   Stamklasse                → className
 *
 * Which of the first two fields is the pupil and which the school: the description's table puts
 * ElevID first, its own example line looks the other way round. We do not guess from the digits:
 * in a one-school export the school code is the field that is the same on every line, so that
 * decides. A file of one pupil cannot tell; then the table's order is taken and the answer says
 * so (`pupil_id_field_assumed`). A file in which neither field is the same throughout holds
 * several schools and is refused.
 *
 * The file has no guardians: the school's guardians already in the directory are kept.
 * The school code is TEA's institution number, which this service does not know; the file is
 * stored for the school it is sent for (the page's or the route's school).
 */
import { DomainFailure, type RowProblem } from '../domain/errors';
import { canonicalAbsenceTable, type AbsenceTable } from './absence';
import { canonicalRosterTable, rosterCells, type RosterColumn, type RosterTable } from './directory';
import type { RosterNote } from './schemas';

/** The absence file: only the canonical format; no folkeskole system's absence export is publicly documented. */
export function absenceTableOf(text: string): AbsenceTable {
  return canonicalAbsenceTable(text);
}

/** The roster file in whichever format we recognise, as the canonical columns. */
export function rosterTableOf(text: string, schoolId: string): RosterTable {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return TEA_YEAR_LINE.test(body.split(/\r?\n/, 1)[0] ?? '') ? tabulexTeaRoster(body, schoolId) : canonicalRosterTable(body);
}

// ---- Tabulex TEA, Elev.txt ----------------------------------------------------------------------

const TEA_SEPARATOR = '\u00A4';
/** A first line holding only a year: no canonical header looks like it. */
const TEA_YEAR_LINE = /^\s*(\d{4})\s*$/;
const TEA_FIELDS = 14;
/** Positions after the first two (whose order is decided per file, above). */
const TEA = { givenName: 3, familyName: 4, grade: 10, track: 11, homeClass: 13 } as const;

const TEA_SOURCE_COLUMNS: Partial<Record<RosterColumn, string>> = {
  pupilRef: 'ElevID',
  schoolId: 'Skolekode',
  grade: 'Klassetrin',
  className: 'Stamklasse',
  givenName: 'Fornavn',
  familyName: 'Efternavn',
};

function tabulexTeaRoster(body: string, schoolId: string): RosterTable {
  const lines = body.split(/\r?\n/);
  const year = Number(TEA_YEAR_LINE.exec(lines[0] ?? '')?.[1]);
  const problems: RowProblem[] = [];
  // Only the fields we map are kept from here on; CPR and address stay in `fields` of one line.
  const pupils: { line: number; first: string; second: string; givenName: string; familyName: string; grade: string; className: string }[] = [];
  lines.forEach((text, index) => {
    if (index === 0 || text.trim() === '') return;
    const line = index + 1;
    const fields = text.split(TEA_SEPARATOR);
    const trailingEmpty = fields.length === TEA_FIELDS + 1 && (fields[TEA_FIELDS] ?? '').trim() === '';
    if (fields.length !== TEA_FIELDS && !trailingEmpty) {
      problems.push({ row: line, path: 'Elev.txt', message: `has ${fields.length} fields separated by ¤; a line of Tabulex TEA’s Elev.txt has ${TEA_FIELDS}` });
      return;
    }
    const at = (position: number) => (fields[position] ?? '').trim();
    const grade = at(TEA.grade);
    const track = at(TEA.track);
    const homeClass = at(TEA.homeClass);
    pupils.push({
      line,
      first: at(0),
      second: at(1),
      givenName: at(TEA.givenName),
      familyName: at(TEA.familyName),
      grade,
      className: homeClass !== '' ? homeClass : track !== '' && grade !== '' ? `${grade}.${track}` : '',
    });
  });
  if (pupils.length === 0 && problems.length === 0) {
    problems.push({ row: 1, path: 'Elev.txt', message: 'has no pupil lines after the school year' });
  }
  const notes: RosterNote[] = ['cpr_and_address_dropped', 'guardians_kept'];
  const sameThroughout = (pick: (pupil: (typeof pupils)[number]) => string) => pupils.every((pupil) => pick(pupil) === pick(pupils[0] ?? pupil));
  let schoolCodeFirst = false;
  if (pupils.length === 1) notes.push('pupil_id_field_assumed');
  else if (pupils.length > 1) {
    const firstSame = sameThroughout((pupil) => pupil.first);
    const secondSame = sameThroughout((pupil) => pupil.second);
    if (!firstSame && !secondSame) {
      problems.push({ row: pupils[1]?.line ?? 2, path: 'Skolekode', message: 'differs between lines; send one school’s export at a time' });
    }
    schoolCodeFirst = firstSame && !secondSame;
  }
  if (problems.length > 0) {
    const badLines = new Set(problems.map((problem) => problem.row)).size;
    throw new DomainFailure({ code: 'file_refused', detail: `${badLines} line(s) of the Tabulex TEA file are bad; nothing was stored`, errors: problems });
  }
  const empty = rosterCells(() => '');
  return {
    format: 'tabulex_tea_elev',
    rows: pupils.map((pupil) => ({
      line: pupil.line,
      cells: {
        ...empty,
        pupilRef: schoolCodeFirst ? pupil.second : pupil.first,
        schoolId,
        grade: pupil.grade,
        className: pupil.className,
        givenName: pupil.givenName,
        familyName: pupil.familyName,
      },
    })),
    sourceColumns: TEA_SOURCE_COLUMNS,
    guardiansInFile: false,
    schoolYear: `${year}/${String((year + 1) % 100).padStart(2, '0')}`,
    notes,
  };
}
