/**
 * The school's daily overviews: the overdue board (leader; a tovholder sees their own), the
 * leader's monthly review and the resource team's agenda. Each is the API's own answer, joined
 * with the case list for the pupil reference and phase; the order and filters are presentation,
 * carried in the URL (never pupil data) so a reload keeps them.
 */
import { ACCESS_TABLE } from '../../access/policy';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../../access/principal';
import { danishDateOf } from '../../domain/dates';
import { monthlyReview, overdueBoard } from '../../domain/readModelSchemas';
import { caseSummary, caseView, isoDate, phase as phaseSchema, type CaseSummary, type CaseView } from '../../domain/schemas';
import { ApiRefusal, type ApiClient } from '../apiClient';
import { errorPage, page, signedIn, type UiContext } from '../context';
import * as da from '../danish';

const caseList = z.object({ items: z.array(caseSummary) });

const schoolParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The school a page is about: the one asked for, or the person's only school. */
export function schoolFor(principal: Principal, asked: string | undefined): { school?: string; schools: string[] } {
  const schools = principal.schools === 'all' ? [] : [...principal.schools];
  const parsed = schoolParam.safeParse(asked);
  if (parsed.success && (principal.schools === 'all' || schools.includes(parsed.data))) return { school: parsed.data, schools };
  return schools.length === 1 ? { school: schools[0], schools } : { schools };
}

function onlyRoles(ui: UiContext, roles: readonly Principal['role'][]) {
  return (req: Request, res: Response, next: () => void) => {
    if (roles.includes(signedIn(res).session.principal.role)) return next();
    errorPage(ui, req, res, 403);
  };
}

async function casesById(api: ApiClient, school: string, tovholder?: string): Promise<Map<string, CaseSummary>> {
  const query = new URLSearchParams({ schoolId: school, ...(tovholder !== undefined ? { tovholder } : {}) });
  const { items } = await api.get(`/api/cases?${query.toString()}`, caseList);
  return new Map(items.map((item) => [item.caseId, item]));
}

// ---- The overdue board ----------------------------------------------------------------------

export const BOARD_SORTS = ['forsinkelse', 'frist', 'elev', 'fase', 'tovholder', 'trin'] as const;
type BoardSort = (typeof BOARD_SORTS)[number];

const boardFilters = z.object({
  skole: z.string().optional().catch(undefined),
  tovholder: z.string().trim().min(1).max(120).optional().catch(undefined),
  fase: phaseSchema.exclude(['closed']).optional().catch(undefined),
  status: z.enum(['overdue', 'due_soon']).optional().catch(undefined),
  sorter: z.enum(BOARD_SORTS).optional().catch(undefined),
  retning: z.enum(['op', 'ned']).optional().catch(undefined),
});
type BoardFilters = z.infer<typeof boardFilters>;

const SORT_LABELS: Record<BoardSort, string> = {
  forsinkelse: 'Skoledage for sent',
  frist: 'Frist',
  elev: 'Elev',
  fase: 'Fase',
  tovholder: 'Tovholder',
  trin: 'Trin',
};

/** Which way each column sorts first: lateness most late first, the rest ascending. */
const FIRST_DIRECTION: Record<BoardSort, 'op' | 'ned'> = { forsinkelse: 'ned', frist: 'op', elev: 'op', fase: 'op', tovholder: 'op', trin: 'op' };

const PHASE_ORDER = ['mapping', 'action_plan', 'follow_up', 'closed'];

interface BoardRow {
  caseId: string;
  pupilRef: string;
  grade: number | undefined;
  phase: string;
  phaseLabel: string;
  tovholder: string;
  title: string;
  dueOn: string;
  status: 'overdue' | 'due_soon';
  statusLabel: string;
  schoolDaysLate: number;
  lateText: string;
}

function compareRows(sort: BoardSort): (a: BoardRow, b: BoardRow) => number {
  const text = (a: string, b: string) => a.localeCompare(b, 'da');
  switch (sort) {
    case 'forsinkelse':
      return (a, b) => a.schoolDaysLate - b.schoolDaysLate;
    case 'frist':
      return (a, b) => a.dueOn.localeCompare(b.dueOn);
    case 'elev':
      return (a, b) => text(a.pupilRef, b.pupilRef);
    case 'fase':
      return (a, b) => PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase);
    case 'tovholder':
      return (a, b) => text(a.tovholder, b.tovholder);
    case 'trin':
      return (a, b) => text(a.title, b.title);
  }
}

function boardHref(filters: BoardFilters, change: Partial<BoardFilters>): string {
  const merged = { ...filters, ...change };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) if (typeof value === 'string' && value !== '') query.set(key, value);
  const text = query.toString();
  return text === '' ? '/oversigt' : `/oversigt?${text}`;
}

function boardRouter(ui: UiContext): Router {
  const router = Router();
  router.get('/oversigt', onlyRoles(ui, ['leader', 'tovholder']), async (req, res) => {
    const { session, api } = signedIn(res);
    const principal = session.principal;
    const filters = boardFilters.parse(req.query);
    const { school, schools } = schoolFor(principal, filters.skole);
    if (school === undefined) {
      page(ui, req, res, 'board.njk', { title: 'Frister', needSchool: true, schools, action: '/oversigt' });
      return;
    }
    // A tovholder's board is their own steps; a leader's the school's, optionally one tovholder's.
    const tovholder = principal.role === 'tovholder' ? principal.sub : filters.tovholder;
    const boardQuery = new URLSearchParams({ schoolId: school, ...(tovholder !== undefined ? { tovholder } : {}) });
    const [board, cases] = await Promise.all([
      api.get(`/api/overdue?${boardQuery.toString()}`, overdueBoard),
      casesById(api, school, principal.role === 'tovholder' ? principal.sub : undefined),
    ]);
    const sort = filters.sorter ?? 'forsinkelse';
    const direction = filters.retning ?? FIRST_DIRECTION[sort];
    const compare = compareRows(sort);
    const rows = board.items
      .map((item): BoardRow => {
        const summary = cases.get(item.caseId);
        const phase = summary?.phase ?? 'mapping';
        return {
          caseId: item.caseId,
          pupilRef: summary?.pupilRef ?? '–',
          grade: summary?.grade,
          phase,
          phaseLabel: da.PHASE_LABELS[phase],
          tovholder: item.tovholder,
          title: item.title,
          dueOn: item.dueOn,
          status: item.status,
          statusLabel: da.STEP_STATUS_LABELS[item.status],
          schoolDaysLate: item.schoolDaysLate,
          lateText: da.schoolDaysText(-item.schoolDaysLate),
        };
      })
      .filter((row) => filters.fase === undefined || row.phase === filters.fase)
      .filter((row) => filters.status === undefined || row.status === filters.status)
      // The API's order (most late first) breaks ties, so equal rows keep a stable place.
      .map((row, index) => ({ row, index }))
      .sort((a, b) => (direction === 'op' ? compare(a.row, b.row) : compare(b.row, a.row)) || a.index - b.index)
      .map(({ row }) => row);
    const kept = { ...filters, skole: schools.length > 1 || principal.schools === 'all' ? school : undefined };
    const columns = BOARD_SORTS.map((key) => {
      const active = key === sort;
      const next = active ? (direction === 'op' ? 'ned' : 'op') : FIRST_DIRECTION[key];
      return {
        key,
        label: SORT_LABELS[key],
        href: boardHref(kept, { sorter: key, retning: next }),
        ariaSort: active ? (direction === 'op' ? 'ascending' : 'descending') : undefined,
        hint: active ? (direction === 'op' ? 'stigende' : 'faldende') : undefined,
      };
    });
    const tovholders = [...new Set([...cases.values()].map((summary) => summary.tovholder))].sort((a, b) => a.localeCompare(b, 'da'));
    page(ui, req, res, 'board.njk', {
      title: 'Frister',
      heading: principal.role === 'leader' ? `Skolens frister (${school})` : 'Mine frister',
      isLeader: principal.role === 'leader',
      school,
      multiSchool: kept.skole !== undefined,
      filters,
      sort,
      direction,
      columns: Object.fromEntries(columns.map((column) => [column.key, column])),
      rows,
      counts: { overdue: rows.filter((row) => row.status === 'overdue').length, dueSoon: rows.filter((row) => row.status === 'due_soon').length },
      tovholders,
      phases: PHASE_ORDER.filter((p) => p !== 'closed').map((value) => ({ value, text: da.PHASE_LABELS[value as keyof typeof da.PHASE_LABELS] })),
    });
  });
  return router;
}

// ---- The monthly review -----------------------------------------------------------------------

const monthParam = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);

/** The current month and the 23 before it, newest first, for the month picker. */
function recentMonths(today: string): { value: string; text: string }[] {
  const months: { value: string; text: string }[] = [];
  let year = Number(today.slice(0, 4));
  let month = Number(today.slice(5, 7));
  for (let i = 0; i < 24; i += 1) {
    const value = `${String(year)}-${String(month).padStart(2, '0')}`;
    months.push({ value, text: da.danishMonth(value) });
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

function reviewRouter(ui: UiContext): Router {
  const router = Router();
  router.get('/maanedsgennemgang', onlyRoles(ui, ['leader']), async (req, res) => {
    const { session, api } = signedIn(res);
    const asked = typeof req.query.skole === 'string' ? req.query.skole : undefined;
    const { school, schools } = schoolFor(session.principal, asked);
    if (school === undefined) {
      page(ui, req, res, 'review.njk', { title: 'Månedsgennemgang', needSchool: true, schools });
      return;
    }
    const today = danishDateOf(ui.now());
    const parsedMonth = monthParam.safeParse(req.query.maaned);
    const month = parsedMonth.success ? parsedMonth.data : today.slice(0, 7);
    let review;
    try {
      review = await api.get(`/api/reviews/monthly?schoolId=${encodeURIComponent(school)}&month=${month}`, monthlyReview);
    } catch (error) {
      // A month after the current one: say so on the page rather than fail.
      if (!(error instanceof ApiRefusal) || error.problem.status !== 400) throw error;
      page(ui, req, res, 'review.njk', { title: 'Månedsgennemgang', school, month, months: recentMonths(today), futureMonth: true, multiSchool: schools.length !== 1 }, 400);
      return;
    }
    const cases = await casesById(api, school);
    const rows = review.items.map((item) => {
      const summary = cases.get(item.caseId);
      return {
        ...item,
        pupilRef: summary?.pupilRef ?? '–',
        grade: summary?.grade,
        phaseLabel: da.PHASE_LABELS[item.phase],
      };
    });
    page(ui, req, res, 'review.njk', {
      title: 'Månedsgennemgang',
      school,
      month: review.month,
      monthText: da.danishMonth(review.month),
      asOf: review.asOf,
      months: recentMonths(today),
      multiSchool: schools.length !== 1,
      rows,
      totals: {
        overdue: rows.filter((row) => row.overdueSteps > 0).length,
        escalated: rows.filter((row) => row.escalationLevel > 0).length,
      },
    });
  });
  return router;
}

// ---- The resource team's agenda ---------------------------------------------------------------

const agendaAnswer = z.object({
  schoolId: z.string(),
  meetingOn: isoDate,
  previousMeetingOn: isoDate.nullable(),
  nextMeetingOn: isoDate,
  items: z.array(
    z.object({
      caseId: z.string(),
      level: z.number().int(),
      reason: z.string(),
      escalatedOn: isoDate,
      externalResources: z.array(z.string()).optional(),
    }),
  ),
});

/** What has been tried so far: every measure of every plan revision, with its latest review. */
function triedSoFar(view: CaseView) {
  const measures = new Map<string, { description: string; trackLabel: string; responsible: string; startsOn: string; effect?: string; action?: string }>();
  for (const plan of view.planRevisions) {
    for (const measure of plan.measures) {
      measures.set(measure.measureId, {
        description: measure.description,
        trackLabel: da.MEASURE_TRACK_LABELS[measure.track],
        responsible: measure.responsible,
        startsOn: measure.startsOn,
      });
    }
  }
  for (const followUp of view.followUps) {
    for (const review of followUp.reviews) {
      const known = measures.get(review.measureId);
      if (!known) continue;
      known.effect = da.REVIEW_EFFECT_LABELS[review.effect];
      known.action = da.REVIEW_ACTION_LABELS[review.action];
    }
  }
  return [...measures.values()];
}

function agendaRouter(ui: UiContext): Router {
  const router = Router();
  router.get('/ressourceteam', onlyRoles(ui, ['leader', 'resource_team']), async (req, res) => {
    const { session, api } = signedIn(res);
    const asked = typeof req.query.skole === 'string' ? req.query.skole : undefined;
    const { school, schools } = schoolFor(session.principal, asked);
    if (school === undefined) {
      page(ui, req, res, 'agenda.njk', { title: 'Ressourceteamets dagsorden', needSchool: true, schools });
      return;
    }
    const parsedOn = isoDate.safeParse(req.query.dato);
    const today = danishDateOf(ui.now());
    const on = parsedOn.success ? parsedOn.data : today;
    let agenda;
    try {
      agenda = await api.get(`/api/resource-team/agenda?schoolId=${encodeURIComponent(school)}&on=${on}`, agendaAnswer);
    } catch (error) {
      if (!(error instanceof ApiRefusal) || error.problem.status !== 409) throw error;
      page(ui, req, res, 'agenda.njk', {
        title: 'Ressourceteamets dagsorden',
        school,
        notConfigured: true,
        rhythmHref: ACCESS_TABLE.manage_meeting_rhythm[session.principal.role] !== undefined ? `/indstillinger/ressourceteam?skole=${encodeURIComponent(school)}` : undefined,
      });
      return;
    }
    const caseIds = [...new Set(agenda.items.map((item) => item.caseId))];
    const views = await Promise.all(caseIds.map((caseId) => api.get(`/api/cases/${caseId}`, caseView)));
    const cases = views.map((view) => ({
      caseId: view.caseId,
      pupilRef: view.pupilRef,
      grade: view.grade,
      tovholder: view.tovholder,
      phaseLabel: da.PHASE_LABELS[view.phase],
      escalationLevel: view.escalationLevel,
      escalations: agenda.items
        .filter((item) => item.caseId === view.caseId)
        .map((item) => ({
          ...item,
          externalText: (item.externalResources ?? []).map((resource) => da.EXTERNAL_RESOURCE_LABELS[resource as keyof typeof da.EXTERNAL_RESOURCE_LABELS] ?? resource).join(', '),
        })),
      tried: triedSoFar(view),
      followUps: view.followUps.length,
      lastFollowUpOn: view.followUps.at(-1)?.heldOn,
    }));
    const skole = schools.length !== 1 ? `&skole=${encodeURIComponent(school)}` : '';
    page(ui, req, res, 'agenda.njk', {
      title: 'Ressourceteamets dagsorden',
      school,
      meetingOn: agenda.meetingOn,
      // The coming meeting: the first on or after today.
      isNext: agenda.meetingOn >= today && (agenda.previousMeetingOn === null || agenda.previousMeetingOn < today),
      isPast: agenda.meetingOn < today,
      previousHref: agenda.previousMeetingOn !== null ? `/ressourceteam?dato=${agenda.previousMeetingOn}${skole}` : undefined,
      previousMeetingOn: agenda.previousMeetingOn,
      nextHref: `/ressourceteam?dato=${agenda.nextMeetingOn}${skole}`,
      nextMeetingOn: agenda.nextMeetingOn,
      currentHref: `/ressourceteam${skole === '' ? '' : `?${skole.slice(1)}`}`,
      cases,
      count: agenda.items.length,
      rhythmHref: ACCESS_TABLE.manage_meeting_rhythm[session.principal.role] !== undefined ? `/indstillinger/ressourceteam?skole=${encodeURIComponent(school)}` : undefined,
    });
  });
  return router;
}

export function overviewRouter(ui: UiContext): Router {
  const router = Router();
  router.use(boardRouter(ui));
  router.use(reviewRouter(ui));
  router.use(agendaRouter(ui));
  return router;
}
