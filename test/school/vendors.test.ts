/**
 * Tabulex TEA's pupil export (Elev.txt) read into the canonical roster, and the file's bytes read
 * as UTF-8 or Windows-1252: pure functions, on lines shaped like the integrator's description
 * (with made-up pupils).
 */
import { describe, expect, it } from 'vitest';
import { DomainFailure } from '../../src/domain/errors';
import { readRoster } from '../../src/school/directory';
import { decodeSchoolFile } from '../../src/school/encoding';
import { absenceTableOf, rosterTableOf } from '../../src/school/vendors';

const SEP = '\u00A4';
/** One pupil as TEA writes the line: school code first here, as in the description's example. */
function teaLine(fields: { first: string; second: string; given: string; family: string; cpr?: string; grade: string; track: string; home: string }): string {
  return [fields.first, fields.second, 'Skovbrynets Skole', fields.given, fields.family, fields.cpr ?? '0101129999', 'Bøgevej 3', 'Vest', '7100', 'Vejle', fields.grade, fields.track, '2016', fields.home, ''].join(SEP);
}

const THREE_PUPILS = [
  '2025',
  teaLine({ first: '501001', second: '280202', given: 'Ærle', family: 'Østergård', grade: '9', track: 'Y', home: 'Y10' }),
  teaLine({ first: '501001', second: '280203', given: 'Åse', family: 'Lind', grade: '3', track: 'A', home: '' }),
  teaLine({ first: '501001', second: '280204', given: 'Mikkel', family: 'Holm', grade: '0', track: 'B', home: '0.B' }),
].join('\r\n');

function refusal(run: () => unknown): DomainFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainFailure) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Tabulex TEA’s Elev.txt as the canonical roster', () => {
  it('reads each pupil line into the canonical columns, the school code being the field that repeats', () => {
    const table = rosterTableOf(THREE_PUPILS, 'S1');
    expect(table.format).toBe('tabulex_tea_elev');
    expect(table.schoolYear).toBe('2025/26');
    expect(table.guardiansInFile).toBe(false);
    expect(table.notes).toEqual(['cpr_and_address_dropped', 'guardians_kept']);
    expect(readRoster(table, 'S1')).toEqual([
      { pupilRef: '280202', grade: 9, className: 'Y10', givenName: 'Ærle', familyName: 'Østergård', guardians: [] },
      // No Stamklasse: the class is Klassetrin and Klassespor.
      { pupilRef: '280203', grade: 3, className: '3.A', givenName: 'Åse', familyName: 'Lind', guardians: [] },
      { pupilRef: '280204', grade: 0, className: '0.B', givenName: 'Mikkel', familyName: 'Holm', guardians: [] },
    ]);
  });

  it('takes the pupil id from the first field when that is the one that varies (the order of the description’s table)', () => {
    const text = ['2025', teaLine({ first: '77', second: '501001', given: 'A', family: 'B', grade: '1', track: 'A', home: '' }), teaLine({ first: '78', second: '501001', given: 'C', family: 'D', grade: '2', track: 'A', home: '' })].join('\n');
    expect(readRoster(rosterTableOf(text, 'S1'), 'S1').map((row) => row.pupilRef)).toEqual(['77', '78']);
  });

  it('with one pupil, takes the first field as the pupil id and says it assumed so', () => {
    const table = rosterTableOf(['2025', teaLine({ first: '501001', second: '280202', given: 'A', family: 'B', grade: '1', track: 'A', home: '' })].join('\n'), 'S1');
    expect(table.notes).toContain('pupil_id_field_assumed');
    expect(table.rows[0]?.cells.pupilRef).toBe('501001');
  });

  it('keeps no CPR number or address anywhere in what it returns', () => {
    const table = rosterTableOf(THREE_PUPILS, 'S1');
    const everything = JSON.stringify(table) + JSON.stringify(readRoster(table, 'S1'));
    expect(everything).not.toContain('0101129999');
    expect(everything).not.toContain('Bøgevej');
    expect(everything).not.toContain('Vejle');
  });

  it('names each line with a bad Klassetrin, by the file’s own column name, and keeps nothing', () => {
    const text = [
      '2025',
      teaLine({ first: '501001', second: '1', given: 'A', family: 'B', grade: '11', track: 'A', home: '' }),
      teaLine({ first: '501001', second: '2', given: 'C', family: 'D', grade: '4', track: 'A', home: '' }),
      teaLine({ first: '501001', second: '3', given: 'E', family: 'F', grade: 'BH', track: 'A', home: 'BH.A' }),
    ].join('\n');
    const refused = refusal(() => readRoster(rosterTableOf(text, 'S1'), 'S1'));
    expect(refused.error.code).toBe('file_refused');
    expect('errors' in refused.error ? refused.error.errors : []).toEqual([
      { row: 2, path: 'Klassetrin', message: 'must be a whole number from 0 to 10' },
      { row: 4, path: 'Klassetrin', message: 'must be a whole number from 0 to 10' },
    ]);
    // The refusal names lines and rules, never the CPR numbers of the lines it read.
    expect(JSON.stringify(refused.error)).not.toContain('0101129999');
  });

  it('refuses a line with the wrong number of fields, and a file of several schools', () => {
    const short = refusal(() => rosterTableOf(['2025', `1${SEP}2${SEP}3`].join('\n'), 'S1'));
    expect('errors' in short.error ? short.error.errors : []).toEqual([
      { row: 2, path: 'Elev.txt', message: 'has 3 fields separated by ¤; a line of Tabulex TEA’s Elev.txt has 14' },
    ]);
    const mixed = refusal(() =>
      rosterTableOf(['2025', teaLine({ first: '1', second: '10', given: 'A', family: 'B', grade: '1', track: 'A', home: '' }), teaLine({ first: '2', second: '20', given: 'C', family: 'D', grade: '1', track: 'A', home: '' })].join('\n'), 'S1'),
    );
    expect('errors' in mixed.error ? mixed.error.errors : []).toEqual([{ row: 3, path: 'Skolekode', message: 'differs between lines; send one school’s export at a time' }]);
  });
});

describe('files of unknown formats', () => {
  it('a roster of other columns is refused naming the canonical columns and the TEA export', () => {
    const refused = refusal(() => rosterTableOf('Navn;Klasse\nAsta;3.A', 'S1'));
    expect(refused.error.detail).toContain('pupilRef, schoolId, grade, className, givenName, familyName, guardian1Name, guardian1Email, guardian2Name, guardian2Email');
    expect(refused.error.detail).toContain('Tabulex TEA');
  });

  it('an absence file of other columns is refused naming the canonical columns', () => {
    const refused = refusal(() => absenceTableOf('elev;dato\nP-1;2026-10-01'));
    expect(refused.error.detail).toContain('pupilRef, schoolId, date, mark, category');
  });
});

describe('the file’s bytes', () => {
  it('reads Windows-1252 (Latin-1) bytes as such: æ, ø, å and the ¤ separator come through', () => {
    const decoded = decodeSchoolFile(Buffer.from(THREE_PUPILS, 'latin1'));
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toBe(THREE_PUPILS);
    expect(readRoster(rosterTableOf(decoded.text, 'S1'), 'S1')[0]).toMatchObject({ givenName: 'Ærle', familyName: 'Østergård' });
  });

  it('reads UTF-8 bytes as UTF-8, with or without a byte-order mark', () => {
    expect(decodeSchoolFile(Buffer.from(THREE_PUPILS, 'utf8'))).toEqual({ text: THREE_PUPILS, encoding: 'utf-8' });
    expect(decodeSchoolFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Æble', 'utf8')]))).toEqual({ text: 'Æble', encoding: 'utf-8' });
  });
});
