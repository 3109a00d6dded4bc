/**
 * A round's result as CSV for the municipality's own records, written like the phase durations'
 * CSV (RFC 4180, CRLF, UTF-8 with a byte order mark, decimal points, formula-like text defused)
 * but headed in Danish: the people who took part read it. One row per principle and one "in all"
 * row per theme, each participant in a column of their own; a blank line; then the priorities.
 */
import { NEEDS, THEMES } from './principles';
import type { RoundResult } from './schemas';

const BOM = '\uFEFF';
const CRLF = '\r\n';

type Cell = string | number | null | undefined;

function field(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  // OWASP: a cell a spreadsheet would run as a formula starts with an apostrophe instead.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const line = (cells: readonly Cell[]) => cells.map(field).join(',') + CRLF;

export function resultCsv(result: RoundResult): string {
  const people = result.participants;
  const earlier = new Map(result.earlier?.principles.map((p) => [p.principleId, p.average]));
  const header = [
    'tema',
    'princip',
    'tekst',
    ...people.map((p) => `${p.name} (${p.function})`),
    'antal',
    'gennemsnit',
    'spredning',
    'standardafvigelse',
    'til drøftelse',
    result.earlier ? `gennemsnit ${result.earlier.heldOn}` : 'gennemsnit tidligere runde',
  ];
  let out = BOM + line(header);
  for (const theme of result.themes) {
    for (const p of theme.principles) {
      out += line([
        theme.title,
        p.principleId,
        p.text,
        ...p.ratings.map((r) => r.rating),
        p.count,
        p.average,
        p.spread,
        p.standardDeviation,
        p.discuss ? 'ja' : 'nej',
        earlier.get(p.principleId) ?? null,
      ]);
    }
    out += line([
      theme.title,
      'i alt',
      'Samlet tal for temaet (deltagernes egne)',
      ...theme.overall.byParticipant.map((o) => o.overall),
      theme.count,
      theme.average,
      theme.spread,
      theme.standardDeviation,
      '',
      theme.earlier?.average ?? null,
    ]);
  }
  out += CRLF + line(['prioritet', 'overskrift', 'tema', 'hvad er der brug for', 'næste skridt', 'ansvarlig', 'dato']);
  for (const p of result.priorities) {
    out += line([
      p.position,
      p.title,
      THEMES.find((t) => t.id === p.themeId)?.title ?? '',
      p.need !== undefined ? NEEDS[p.need] : '',
      p.nextSteps,
      p.owner,
      p.dueOn,
    ]);
  }
  return out;
}
