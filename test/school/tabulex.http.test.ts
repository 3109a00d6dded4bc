/**
 * A school's Tabulex TEA pupil export (Elev.txt) sent as it is, over the API and on the page, on
 * both databases: recognised by its shape, read from Windows-1252 bytes, its pupils in the
 * directory by name, the guardians already there kept, and the CPR numbers in it nowhere: not in
 * any table, not in the answer, not in a log line.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import type { HttpClient } from '../api/support/http';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { testLocalSignIn, tokenFor } from '../support/tokens';
import { csrfOf, mainOf, plain, signedIn, tableRows, type Visitor } from '../ui/support/visitor';
import type { Pupil, RosterResult } from '../../src/school/schemas';
import type { Database } from '../../src/db/types';

const SEP = '\u00A4';
/** CPR-shaped values that must never be stored, answered or logged. */
const CPRS = ['2406139917', '0311129922'];

function elevTxt(): string {
  return [
    '2026',
    // As the description's example: the school code first, then the pupil id; a trailing ¤.
    ['612345', 'T-9001', 'Lærkeskolen', 'Søren', 'Ærø', CPRS[0], 'Højvangen 12', 'Syd', '4600', 'Køge', '9', 'Y', '2017', 'Y9', ''].join(SEP),
    ['612345', 'T-9002', 'Lærkeskolen', 'Åsa', 'Bøgh', CPRS[1], 'Højvangen 14', 'Syd', '4600', 'Køge', '3', 'B', '2023', '', ''].join(SEP),
  ].join('\r\n');
}

/** Every row of every table of the database, as text. */
async function everyRow(db: Database): Promise<string> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const rows: string[] = [];
  for (const { table_name: table } of tables) {
    for (const row of await db.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`)) rows.push(row.row);
  }
  return rows.join('\n');
}

/** Whatever the process writes to stdout and stderr (the logger's lines) while a test runs; still written. */
function captureOutput(): { text: () => string; stop: () => void } {
  const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
  return {
    text: () => spies.flatMap((spy) => spy.mock.calls.map(([chunk]) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')))).join(''),
    stop: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(async () => {
  await temporal?.close();
});

describe.each(DATABASE_KINDS)('Tabulex TEA’s Elev.txt over the API on %s', (kind) => {
  const SCHOOL = `TEA-${kind}`;
  let api: RunningApi;
  let leader: HttpClient;
  const errorsLogged: string[] = [];
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    api = await startApi({ temporal, kind, worker: false, logError: (message, error) => errorsLogged.push(`${message} ${String(error)}`) });
    leader = api.http.withToken(await tokenFor({ role: 'leader', schools: [SCHOOL] }));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => {
    output.stop();
  });

  it('when the leader sends the export in Windows-1252, then the pupils are in the directory by name, the guardians already there kept, and the CPR numbers nowhere', async () => {
    // A guardian known from an earlier canonical roster: Elev.txt has none, so it must stay.
    const first = await leader.sendCsv('PUT', `/api/schools/${SCHOOL}/pupils`, [
      'pupilRef;schoolId;grade;className;givenName;familyName;guardian1Name;guardian1Email;guardian2Name;guardian2Email',
      `T-9001;${SCHOOL};8;8.Y;Søren;Ærø;Inge Ærø;inge@example.dk;;`,
    ].join('\n'));
    expect(first.status, first.text).toBe(200);

    const bytes = Buffer.from(elevTxt(), 'latin1');
    const sent = await leader.sendBytes<RosterResult>('PUT', `/api/schools/${SCHOOL}/pupils`, bytes, 'text/plain');
    expect(sent.status, sent.text).toBe(200);
    expect(sent.body).toEqual({
      rows: 2,
      added: 1,
      changed: 1,
      removed: 0,
      format: 'tabulex_tea_elev',
      encoding: 'windows-1252',
      schoolYear: '2026/27',
      notes: ['cpr_and_address_dropped', 'guardians_kept'],
    });

    const pupils = await leader.get<{ items: Pupil[] }>(`/api/schools/${SCHOOL}/pupils`);
    expect(pupils.body.items.map((p) => [p.pupilRef, p.givenName, p.familyName, p.grade, p.className, p.guardians.map((g) => g.name)])).toEqual([
      ['T-9002', 'Åsa', 'Bøgh', 3, '3.B', []],
      ['T-9001', 'Søren', 'Ærø', 9, 'Y9', ['Inge Ærø']],
    ]);

    const stored = await everyRow(api.database.db);
    expect(stored).toContain('Åsa');
    for (const cpr of CPRS) {
      expect(stored).not.toContain(cpr);
      expect(sent.text).not.toContain(cpr);
      expect(output.text()).not.toContain(cpr);
      expect(errorsLogged.join('\n')).not.toContain(cpr);
    }
    expect(stored).not.toContain('Højvangen');
  });

  it('when a line has a bad Klassetrin, then 400 names the line and the column, the directory is as before, and the CPR numbers are not in the answer', async () => {
    const text = elevTxt().replace(`${SEP}9${SEP}Y${SEP}`, `${SEP}12${SEP}Y${SEP}`);
    const refused = await leader.sendBytes<{ errors: { row: number; path: string; message: string }[] }>('PUT', `/api/schools/${SCHOOL}/pupils`, Buffer.from(text, 'utf8'), 'text/csv');
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.errors).toEqual([{ row: 2, path: 'Klassetrin', message: 'must be a whole number from 0 to 10' }]);
    for (const cpr of CPRS) {
      expect(refused.text).not.toContain(cpr);
      expect(output.text()).not.toContain(cpr);
    }
    const one = await leader.get<Pupil>(`/api/schools/${SCHOOL}/pupils/T-9001`);
    expect(one.body.grade).toBe(9);
  });

  it('when a file is in no format we know, then 400 names the canonical columns and the formats we read', async () => {
    const refused = await leader.sendCsv<{ detail: string }>('PUT', `/api/schools/${SCHOOL}/pupils`, 'Elevnummer,Navn\n1,Asta');
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('pupilRef, schoolId, grade, className, givenName, familyName');
    expect(refused.body.detail).toContain('Tabulex TEA');
  });
});

describe('Tabulex TEA’s Elev.txt on the page', () => {
  const SCHOOL = 'TEA-side';
  let app: RunningApi;
  let leader: Visitor;

  beforeAll(async () => {
    app = await startApi({ temporal, kind: 'pglite', worker: false, ui: { signIn: testLocalSignIn() }, now: () => new Date('2026-11-27T12:00:00Z') });
    leader = await signedIn(app.baseUrl, { role: 'leader', school: SCHOOL, name: 'leder-tea' });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  async function upload(slug: 'elevliste' | 'fravaer', bytes: Uint8Array, name: string) {
    const form = await leader.get(`/elever?skole=${SCHOOL}`);
    return leader.upload(`/elever/${slug}?skole=${SCHOOL}`, { _csrf: csrfOf(form.text) }, { field: 'fil', name, text: bytes });
  }

  it('when the leader uploads Elev.txt as the school’s system wrote it, then the page says which format it read, that CPR numbers are not kept and that the file has no guardians, and lists the pupils by name', async () => {
    const done = await upload('elevliste', Buffer.from(elevTxt(), 'latin1'), 'Elev.txt');
    expect(done.status).toBe(200);
    const text = plain(mainOf(done.text));
    expect(text).toContain('Elevlisten er indlæst fra Tabulex TEA’s elevudtræk (Elev.txt) for skoleåret 2026/27 (tegnsæt Windows-1252): 2 elever, 2 nye');
    expect(text).toContain('CPR-numre og adresser i filen er ikke gemt.');
    expect(text).toContain('Filen har ingen forældre');
    for (const cpr of CPRS) expect(done.text).not.toContain(cpr);
    expect(tableRows(done.text).map((row) => row[0])).toEqual(['Åsa Bøgh (T-9002)', 'Søren Ærø (T-9001)']);
  });

  it('when the leader uploads a file in no format we know, then the page names the expected columns and Tabulex TEA, and links the summary to the file field', async () => {
    const refused = await upload('elevliste', Buffer.from('Elevnummer,Navn\n1,Asta', 'utf8'), 'elever.csv');
    expect(refused.status).toBe(400);
    const text = plain(mainOf(refused.text));
    expect(text).toContain('Filen er ikke i et format, vi kender. I standardformatet har filen kolonnerne pupilRef, schoolId, grade');
    expect(text).toContain('Tabulex TEA (Elev.txt');
    expect(refused.text).toContain('href="#elevliste-fil"');

    const absence = await upload('fravaer', Buffer.from('elev;dato\nT-9001;2026-11-02', 'utf8'), 'fravaer.csv');
    expect(absence.status).toBe(400);
    expect(plain(mainOf(absence.text))).toContain('I standardformatet har filen kolonnerne pupilRef, schoolId, date, mark, category');
  });

  it('when a line has a bad Klassetrin, then the page names the line and the column in Danish', async () => {
    const refused = await upload('elevliste', Buffer.from(elevTxt().replace(`${SEP}3${SEP}B${SEP}`, `${SEP}X${SEP}B${SEP}`), 'latin1'), 'Elev.txt');
    expect(refused.status).toBe(400);
    expect(plain(mainOf(refused.text))).toContain('Række 3, Klassetrin: skal være et helt tal fra 0 til 10');
  });
});
