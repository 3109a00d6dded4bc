/**
 * The municipality's analytics: days per phase as box plots per school and for the whole
 * municipality, the on-time share per school, escalations per level, closures and reopenings, for
 * a chosen period. Each chart has its table beside it and a CSV of exactly that table, all built
 * from one answer of /api/analytics/phase-durations. No pupil and no case appears here: the API's
 * answer has none.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { csvTable, type Cell } from '../../api/phaseDurationsCsv';
import { DURATION_PHASES, phaseDurations, type PhaseDurationRow, type PhaseDurations } from '../../domain/readModelSchemas';
import { isoDate } from '../../domain/schemas';
import { ApiRefusal } from '../apiClient';
import { barSvg, boxPlotSvg } from '../charts';
import { errorPage, page, signedIn, type UiContext } from '../context';
import * as da from '../danish';
import { formErrors, NO_ERRORS } from '../forms';
import { schoolFor } from './overview';

const WHOLE = 'Hele kommunen';

const PHASE_SLUGS: Record<(typeof DURATION_PHASES)[number], string> = {
  mapping: 'kortlaegning',
  action_plan: 'handleplan',
  follow_up: 'opfoelgning',
};

type Kind = 'days' | 'count' | 'share';

/** One chart's numbers: what the table shows and the CSV holds. */
interface FigureTable {
  slug: string;
  title: string;
  headers: { text: string; kind: Kind | 'name' }[];
  rows: Cell[][];
  svg: string;
}

function show(value: Cell, kind: Kind | 'name'): string {
  if (typeof value === 'string') return value;
  if (kind === 'share') return da.danishPercent(value);
  return da.danishNumber(value);
}

function phaseTable(report: PhaseDurations, phase: (typeof DURATION_PHASES)[number]): FigureTable {
  const pick = (rows: readonly PhaseDurationRow[]) => rows.find((row) => row.phase === phase);
  const named = [
    { name: WHOLE, row: pick(report.phases) },
    ...report.bySchool.map((school) => ({ name: school.schoolId, row: pick(school.phases) })),
  ];
  const label = da.PHASE_LABELS[phase];
  return {
    slug: `varighed-${PHASE_SLUGS[phase]}`,
    title: `${label}: dage i fasen`,
    headers: [
      { text: 'Skole', kind: 'name' },
      { text: 'Forløb', kind: 'count' },
      { text: 'Heraf stadig i fasen', kind: 'count' },
      { text: '1. kvartil', kind: 'days' },
      { text: 'Median', kind: 'days' },
      { text: '3. kvartil', kind: 'days' },
      { text: '90-percentil', kind: 'days' },
    ],
    rows: named.map(({ name, row }) => [name, row?.cases ?? 0, row?.open ?? 0, row?.q1Days ?? null, row?.medianDays ?? null, row?.q3Days ?? null, row?.p90Days ?? null]),
    svg: boxPlotSvg(
      named.map(({ name, row }) => ({ name, q1: row?.q1Days ?? null, median: row?.medianDays ?? null, q3: row?.q3Days ?? null, p90: row?.p90Days ?? null })),
      `${label}: kalenderdage i fasen for afsluttede perioder, som kassediagram pr. skole og for hele kommunen. Tallene står i tabellen ved siden af.`,
    ),
  };
}

function onTimeTable(report: PhaseDurations): FigureTable {
  const rows: [string, number | null][] = [[WHOLE, report.stepsOnTimeRate], ...report.bySchool.map((school): [string, number | null] => [school.schoolId, school.stepsOnTimeRate])];
  return {
    slug: 'til-tiden',
    title: 'Trin udført til tiden',
    headers: [
      { text: 'Skole', kind: 'name' },
      { text: 'Andel til tiden', kind: 'share' },
    ],
    rows,
    svg: barSvg(
      rows.filter((row): row is [string, number] => row[1] !== null).map(([name, value]) => ({ name, value })),
      'Andel af trinene med frist i perioden, der blev udført til tiden, pr. skole og for hele kommunen. Tallene står i tabellen ved siden af.',
      { percent: true, xLabel: 'Andel til tiden (%)' },
    ),
  };
}

function escalationTable(report: PhaseDurations): FigureTable {
  const rows: [string, number][] = ([1, 2, 3] as const).map((level) => [`Trin ${level}`, report.escalationsByLevel[level]]);
  return {
    slug: 'eskaleringer',
    title: 'Eskaleringer pr. trin',
    headers: [
      { text: 'Trin', kind: 'name' },
      { text: 'Eskaleringer', kind: 'count' },
    ],
    rows,
    svg: barSvg(
      rows.map(([name, value]) => ({ name, value })),
      'Eskaleringer i perioden pr. trin på eskaleringstrappen. Tallene står i tabellen ved siden af.',
      { xLabel: 'Eskaleringer' },
    ),
  };
}

function closureTable(report: PhaseDurations): FigureTable {
  const rows: [string, number][] = [
    ['Afsluttede forløb', report.closed],
    ['Genåbnet inden for 6 måneder', report.reopenedWithin6Months],
  ];
  return {
    slug: 'afslutninger',
    title: 'Afslutninger og genåbninger',
    headers: [
      { text: 'Hvad', kind: 'name' },
      { text: 'Forløb', kind: 'count' },
    ],
    rows,
    svg: barSvg(
      rows.map(([name, value]) => ({ name, value })),
      'Forløb afsluttet i perioden, og forløb åbnet i perioden for en elev, hvis forløb på samme skole var afsluttet højst 6 måneder før. Tallene står i tabellen ved siden af.',
      { xLabel: 'Forløb' },
    ),
  };
}

function figureTables(report: PhaseDurations): FigureTable[] {
  return [...DURATION_PHASES.map((phase) => phaseTable(report, phase)), onTimeTable(report), escalationTable(report), closureTable(report)];
}

const periodQuery = z.object({
  fra: isoDate.optional().catch(undefined),
  til: isoDate.optional().catch(undefined),
  skole: z.string().optional().catch(undefined),
});

const LABELS: Record<string, string> = { from: 'Fra og med', to: 'Til og med' };

export function analyticsRouter(ui: UiContext): Router {
  const router = Router();

  /** The period and school asked for, and the API's answer for them (or its refusal). */
  async function report(req: Request, res: Response) {
    const { session, api } = signedIn(res);
    const query = periodQuery.parse(req.query);
    // Several schools but not every one: the API needs one named.
    const bound = session.principal.schools;
    const { school, schools } = bound === 'all' ? { school: undefined, schools: [] } : schoolFor(session.principal, query.skole);
    const needSchool = bound !== 'all' && school === undefined;
    const params = new URLSearchParams();
    if (school !== undefined) params.set('schoolId', school);
    if (query.fra !== undefined) params.set('from', query.fra);
    if (query.til !== undefined) params.set('to', query.til);
    const kept = new URLSearchParams();
    if (query.fra !== undefined) kept.set('fra', query.fra);
    if (query.til !== undefined) kept.set('til', query.til);
    if (school !== undefined && schools.length > 1) kept.set('skole', school);
    if (needSchool) return { query, schools, needSchool, kept };
    try {
      return { query, schools, school, kept, answer: await api.get(`/api/analytics/phase-durations?${params.toString()}`, phaseDurations) };
    } catch (error) {
      if (!(error instanceof ApiRefusal) || error.problem.status !== 400) throw error;
      return { query, schools, school, kept, refused: error.problem };
    }
  }

  router.get('/analyse', async (req, res) => {
    if (signedIn(res).session.principal.role !== 'municipality') return errorPage(ui, req, res, 403);
    const found = await report(req, res);
    const errors = found.refused ? formErrors(found.refused, (path) => LABELS[path]) : NO_ERRORS;
    const tables = found.answer ? figureTables(found.answer) : [];
    const suffix = found.kept.toString() === '' ? '' : `?${found.kept.toString()}`;
    page(
      ui,
      req,
      res,
      'analytics.njk',
      {
        title: 'Analyse af forløbene',
        query: found.query,
        schools: found.schools,
        needSchool: found.needSchool,
        school: found.school,
        errors,
        hasErrors: errors.list.length > 0 || errors.general !== undefined,
        periodText: periodText(found.query.fra, found.query.til),
        figures: tables.map((table) => ({
          ...table,
          csvHref: `/analyse/${table.slug}.csv${suffix}`,
          shown: table.rows.map((row) => row.map((cell, index) => ({ text: show(cell, table.headers[index]?.kind ?? 'name'), numeric: index > 0 }))),
        })),
        csvAllHref: `/analyse/alle.csv${suffix}`,
      },
      found.refused ? 400 : 200,
    );
  });

  router.get('/analyse/:slug.csv', async (req, res) => {
    if (signedIn(res).session.principal.role !== 'municipality') return errorPage(ui, req, res, 403);
    const found = await report(req, res);
    if (!found.answer) return errorPage(ui, req, res, 400);
    const tables = figureTables(found.answer);
    const chosen = req.params.slug === 'alle' ? tables : tables.filter((table) => table.slug === req.params.slug);
    if (chosen.length === 0) return errorPage(ui, req, res, 404);
    // One table: its header and rows. All: each table after a line naming it, a blank line between.
    const rows: Cell[][] = chosen.length === 1
      ? [chosen[0]!.headers.map((header) => header.text), ...chosen[0]!.rows]
      : chosen.flatMap((table, index) => [...(index > 0 ? [['']] : []), [table.title], table.headers.map((header) => header.text), ...table.rows]);
    res
      .status(200)
      .type('text/csv; charset=utf-8; header=present')
      .set('Content-Disposition', `attachment; filename="${req.params.slug === 'alle' ? 'analyse' : req.params.slug}.csv"`)
      .send(csvTable(rows));
  });

  return router;
}

function periodText(from: string | undefined, to: string | undefined): string {
  if (from === undefined && to === undefined) return 'Hele perioden';
  if (from === undefined) return `Til og med ${da.danishDate(to)}`;
  if (to === undefined) return `Fra og med ${da.danishDate(from)}`;
  return `${da.danishDate(from)} til og med ${da.danishDate(to)}`;
}
