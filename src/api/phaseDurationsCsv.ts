/**
 * The phase durations as CSV for a municipal analyst's spreadsheet: RFC 4180 (comma-separated,
 * CRLF line ends, fields quoted when they need it), UTF-8 with a byte order mark so spreadsheet
 * programs read it as UTF-8. One row per phase for all schools, then per school; a blank line;
 * then the single figures as metric,value. Empty cells stand for "none" (null). The quartiles
 * came later than the median and p90, so they are the last columns: old readers keep theirs.
 */
import type { PhaseDurationRow, PhaseDurations } from '../domain/readModelSchemas';

const BOM = '\uFEFF';
const CRLF = '\r\n';

export const PHASE_DURATIONS_CSV_HEADER = ['scope', 'schoolId', 'phase', 'cases', 'open', 'medianDays', 'p90Days', 'q1Days', 'q3Days'] as const;

export type Cell = string | number | null;

/**
 * One field. Text that a spreadsheet would run as a formula (starting with = + - @ or a control
 * character) is prefixed with an apostrophe (OWASP's advice on CSV injection); numbers are not.
 */
function field(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(cells: readonly Cell[]): string {
  return cells.map(field).join(',') + CRLF;
}

/** Any table as CSV in the same dialect (BOM, CRLF, safe fields): the web UI's chart downloads. */
export function csvTable(rows: readonly (readonly Cell[])[]): string {
  return BOM + rows.map((cells) => line(cells)).join('');
}

function phaseLines(scope: 'all' | 'school', schoolId: string | null, rows: readonly PhaseDurationRow[]): string {
  return rows.map((row) => line([scope, schoolId, row.phase, row.cases, row.open, row.medianDays, row.p90Days, row.q1Days, row.q3Days])).join('');
}

export function phaseDurationsCsv(report: PhaseDurations): string {
  const metrics: [string, Cell][] = [
    ['stepsOnTimeRate', report.stepsOnTimeRate],
    ['escalations_level_1', report.escalationsByLevel[1]],
    ['escalations_level_2', report.escalationsByLevel[2]],
    ['escalations_level_3', report.escalationsByLevel[3]],
    ['closed', report.closed],
    ['reopenedWithin6Months', report.reopenedWithin6Months],
  ];
  return (
    BOM +
    line(PHASE_DURATIONS_CSV_HEADER) +
    phaseLines('all', null, report.phases) +
    report.bySchool.map((school) => phaseLines('school', school.schoolId, school.phases)).join('') +
    CRLF +
    line(['metric', 'value']) +
    metrics.map((metric) => line(metric)).join('')
  );
}
