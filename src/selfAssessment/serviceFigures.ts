/**
 * The service's own figures that bear on a theme of the self-assessment, counted over every
 * school for the year up to the round (the municipality's view: no pupil, no case, only counts).
 * A theme the service records nothing about gets no figures rather than a made-up proxy.
 */
import type { Database } from '../db/types';
import type { ServiceFigure } from './schemas';

export interface FiguresPeriod {
  from: string;
  to: string;
}

/** The year up to and including the round's day. */
export function figuresPeriodFor(heldOn: string): FiguresPeriod {
  const [year, month, day] = heldOn.split('-').map(Number) as [number, number, number];
  const from = new Date(Date.UTC(year - 1, month - 1, day + 1));
  return { from: from.toISOString().slice(0, 10), to: heldOn };
}

// $1 from, $2 to, $3 today. Steps count when due in the period and before today (a step due
// later cannot be late yet); cancelled steps do not count.
const FIGURES_SQL = `
  WITH due AS (
    SELECT step_id, (status = 'done' AND completed_on <= due_on) AS on_time
      FROM case_steps
     WHERE status <> 'cancelled' AND case_id NOT IN (SELECT case_id FROM cases WHERE withdrawn) AND due_on >= $1::date AND due_on <= $2::date AND due_on < $3::date
  ), open_cases AS (
    SELECT tovholder FROM cases
     WHERE NOT withdrawn AND opened_on <= $2::date AND (closed_on IS NULL OR closed_on > $2::date)
  )
  SELECT
    (SELECT count(*) FROM due)::integer AS steps,
    (SELECT count(*) FILTER (WHERE on_time) FROM due)::integer AS steps_on_time,
    (SELECT count(*) FROM due WHERE step_id LIKE 'follow\\_up\\_%')::integer AS follow_ups,
    (SELECT count(*) FROM due WHERE step_id LIKE 'follow\\_up\\_%' AND on_time)::integer AS follow_ups_on_time,
    (SELECT count(*) FROM due WHERE step_id = 'pupil_conversation')::integer AS pupil_talks,
    (SELECT count(*) FROM due WHERE step_id = 'pupil_conversation' AND on_time)::integer AS pupil_talks_on_time,
    (SELECT count(*) FROM due WHERE step_id = 'parent_conversation')::integer AS parent_talks,
    (SELECT count(*) FROM due WHERE step_id = 'parent_conversation' AND on_time)::integer AS parent_talks_on_time,
    (SELECT count(*) FROM open_cases)::integer AS open_cases,
    (SELECT count(*) FROM open_cases WHERE btrim(tovholder) <> '')::integer AS open_with_tovholder,
    (SELECT count(DISTINCT tovholder) FROM open_cases)::integer AS tovholders,
    (SELECT count(*) FROM cases WHERE NOT withdrawn AND closed_on >= $1::date AND closed_on <= $2::date)::integer AS closed,
    (SELECT count(*) FROM cases n
      WHERE NOT n.withdrawn AND n.opened_on >= $1::date AND n.opened_on <= $2::date
        AND EXISTS (SELECT 1 FROM cases p
                     WHERE NOT p.withdrawn AND p.school_id = n.school_id AND p.pupil_ref = n.pupil_ref AND p.case_id <> n.case_id
                       AND p.closed_on <= n.opened_on AND p.closed_on >= n.opened_on - interval '6 months'))::integer AS reopened
`;

interface FiguresRow extends Record<string, unknown> {
  steps: number;
  steps_on_time: number;
  follow_ups: number;
  follow_ups_on_time: number;
  pupil_talks: number;
  pupil_talks_on_time: number;
  parent_talks: number;
  parent_talks_on_time: number;
  open_cases: number;
  open_with_tovholder: number;
  tovholders: number;
  closed: number;
  reopened: number;
}

const share = (key: string, label: string, part: number, whole: number): ServiceFigure => ({
  key,
  label,
  value: whole === 0 ? null : Math.round((part / whole) * 1000) / 1000,
  unit: 'share',
  basis: whole,
});
const count = (key: string, label: string, value: number, basis = value): ServiceFigure => ({ key, label, value, unit: 'count', basis });

/** Figures by theme id. */
export async function serviceFigures(db: Database, period: FiguresPeriod, today: string): Promise<Record<string, ServiceFigure[]>> {
  const [row] = await db.query<FiguresRow>(FIGURES_SQL, [period.from, period.to, today]);
  if (row === undefined) throw new Error('serviceFigures: the query answered no row');
  return {
    systematik: [
      share('followUpsOnTime', 'Opfølgninger holdt inden for fristen', row.follow_ups_on_time, row.follow_ups),
      share('stepsOnTime', 'Alle trin i forløbene udført inden for fristen', row.steps_on_time, row.steps),
    ],
    tovholder: [
      share('openCasesWithTovholder', 'Åbne forløb med en navngiven tovholder', row.open_with_tovholder, row.open_cases),
      count('tovholders', 'Tovholdere på de åbne forløb', row.tovholders, row.open_cases),
    ],
    boerneinddragelse: [share('pupilConversationsOnTime', 'Samtaler med eleven (spor B) holdt inden for fristen', row.pupil_talks_on_time, row.pupil_talks)],
    foraeldresamarbejde: [share('parentConversationsOnTime', 'Samtaler med forældrene (spor C) holdt inden for fristen', row.parent_talks_on_time, row.parent_talks)],
    vedligehold: [
      share('followUpsOnTime', 'Opfølgninger holdt inden for fristen', row.follow_ups_on_time, row.follow_ups),
      count('closed', 'Afsluttede forløb', row.closed),
      count('reopened', 'Nye forløb for en elev, hvis forløb blev afsluttet højst 6 måneder før', row.reopened),
    ],
  };
}
