/**
 * The CSV the school's files come in (ABSENCE.md): UTF-8, a header row, `;` or `,` as the
 * separator (whichever the header uses), fields optionally in double quotes ("" for a quote).
 * Spreadsheets add a byte-order mark and CRLF line ends; both are taken.
 */

export interface CsvTable {
  /** The header's column names, trimmed, in file order. */
  readonly header: readonly string[];
  /** Each data row with its line number in the file (the header is line 1). */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

/** The separator is the one the header row uses more of (a header has no quoted separators). */
export function detectSeparator(headerLine: string): ';' | ',' {
  const semicolons = headerLine.split(';').length;
  const commas = headerLine.split(',').length;
  return semicolons >= commas ? ';' : ',';
}

export function parseCsv(text: string): CsvTable {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstBreak = body.search(/\r?\n/);
  const separator = detectSeparator(firstBreak === -1 ? body : body.slice(0, firstBreak));
  const records = splitRecords(body, separator);
  const [headerRecord, ...rest] = records;
  const header = (headerRecord?.cells ?? []).map((name) => name.trim());
  // Lines with nothing on them (a trailing newline, a blank line) are not rows.
  const rows = rest.filter((record) => record.cells.some((cell) => cell.trim() !== ''));
  return { header, rows };
}

/** One pass over the text; a quoted field may hold separators and line breaks. */
function splitRecords(text: string, separator: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (char === '\n') line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === separator) {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      cells.push(cell);
      records.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      line += 1;
      recordLine = line;
    } else cell += char;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ line: recordLine, cells });
  }
  return records;
}

/** Column positions by name (case and surrounding space ignored); undefined for a missing one. */
export function columnIndex(header: readonly string[], names: readonly string[]): Map<string, number> | { missing: string[] } {
  const lower = header.map((name) => name.toLowerCase());
  const found = new Map<string, number>();
  const missing: string[] = [];
  for (const name of names) {
    const at = lower.indexOf(name.toLowerCase());
    if (at === -1) missing.push(name);
    else found.set(name, at);
  }
  return missing.length > 0 ? { missing } : found;
}
