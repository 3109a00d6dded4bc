/**
 * "Mine forløb": a tovholder's open cases (a leader's: every case at the school), soonest
 * deadline first, with the state of that deadline; filters by phase, by overdue or due soon,
 * and for a leader by tovholder. Also the leader's page for opening a case.
 */
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { overdueBoard } from '../../domain/readModelSchemas';
import { caseSummary, caseView, concernSource, phase as phaseSchema, type CaseSummary } from '../../domain/schemas';
import { danishDateOf } from '../../domain/dates';
import { ApiRefusal } from '../apiClient';
import { pupilList } from '../../school/schemas';
import { page, signedIn, type UiContext } from '../context';
import { CONCERN_LABELS, PHASE_LABELS } from '../danish';
import { asFormBody, formErrors, NO_ERRORS, optional, text, type FormBody, type FormErrors } from '../forms';

const caseList = z.object({ items: z.array(caseSummary) });

const listFilters = z.object({
  fase: phaseSchema.optional().catch(undefined),
  status: z.enum(['overdue', 'due_soon']).optional().catch(undefined),
  tovholder: z.string().trim().min(1).max(120).optional().catch(undefined),
  skole: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional().catch(undefined),
});

type DeadlineState = 'overdue' | 'due_soon' | 'open';

const STATE_LABELS: Record<DeadlineState, string> = { overdue: 'Frist overskredet', due_soon: 'Frist snart', open: 'Inden for fristen' };

export function myCasesRouter(ui: UiContext): Router {
  const router = Router();

  router.get('/forloeb', async (req, res) => {
    const { session, api } = signedIn(res);
    const principal = session.principal;
    const filters = listFilters.parse(req.query);
    const schools = principal.schools === 'all' ? [] : principal.schools;
    const school = filters.skole ?? (schools.length === 1 ? schools[0] : undefined);
    // A tovholder's start page is their own cases; a leader sees the school's, optionally one tovholder's.
    const tovholder = principal.role === 'tovholder' ? principal.sub : filters.tovholder;
    if (school === undefined) {
      page(ui, req, res, 'my-cases.njk', { title: 'Mine forløb', needSchool: true, schools, filters });
      return;
    }
    const query = new URLSearchParams({ schoolId: school });
    if (filters.fase !== undefined) query.set('phase', filters.fase);
    if (tovholder !== undefined) query.set('tovholder', tovholder);
    const boardQuery = new URLSearchParams({ schoolId: school, ...(tovholder !== undefined ? { tovholder } : {}) });
    const [{ items }, board, everyone, directory] = await Promise.all([
      api.get(`/api/cases?${query.toString()}`, caseList),
      api.get(`/api/overdue?${boardQuery.toString()}`, overdueBoard),
      principal.role === 'leader' ? api.get(`/api/cases?schoolId=${encodeURIComponent(school)}`, caseList) : Promise.resolve({ items: [] }),
      // Names from the school's directory, filled in on the page only.
      api.get(`/api/schools/${encodeURIComponent(school)}/pupils`, pupilList),
    ]);
    const names = new Map(directory.items.map((p) => [p.pupilRef, `${p.givenName} ${p.familyName}`]));
    const worst = new Map<string, DeadlineState>();
    for (const item of board.items) {
      if (item.status === 'overdue' || worst.get(item.caseId) === undefined) worst.set(item.caseId, item.status);
    }
    const open = (summary: CaseSummary) => (filters.fase === 'closed' ? summary.phase === 'closed' : summary.phase !== 'closed');
    const rows = items
      .filter(open)
      .map((summary) => ({ ...summary, state: worst.get(summary.caseId) ?? ('open' as const) }))
      .filter((row) => filters.status === undefined || row.state === filters.status)
      .sort((a, b) => (a.nextDueOn ?? '9999') .localeCompare(b.nextDueOn ?? '9999') || a.openedOn.localeCompare(b.openedOn))
      .map((row) => ({ ...row, pupilName: names.get(row.pupilRef), stateLabel: STATE_LABELS[row.state], phaseLabel: PHASE_LABELS[row.phase] }));
    const tovholders = [...new Set(everyone.items.map((summary) => summary.tovholder))].sort((a, b) => a.localeCompare(b, 'da'));
    page(ui, req, res, 'my-cases.njk', {
      title: principal.role === 'leader' ? 'Skolens forløb' : 'Mine forløb',
      heading: principal.role === 'leader' ? 'Skolens forløb' : 'Mine forløb',
      isLeader: principal.role === 'leader',
      school,
      schools,
      rows,
      filters,
      tovholders,
      phases: Object.entries(PHASE_LABELS).map(([value, label]) => ({ value, text: label })),
      notice: req.query.udfoert === 'oprettet' ? 'Forløbet er oprettet.' : undefined,
    });
  });

  const OPEN_LABELS: Record<string, string> = {
    pupilRef: 'Elevreference',
    schoolId: 'Skole',
    grade: 'Klassetrin',
    tovholder: 'Tovholder',
    openedOn: 'Dato for beslutningen',
    'concern.source': 'Hvor bekymringen kom fra',
    concern: 'Hvor bekymringen kom fra',
    'concern.note': 'Note om bekymringen',
  };

  const showOpenForm = (req: Parameters<typeof page>[1], res: Parameters<typeof page>[2], values: FormBody, errors: FormErrors, status = 200) => {
    const { session } = signedIn(res);
    const schools = session.principal.schools === 'all' ? [] : session.principal.schools;
    page(
      ui,
      req,
      res,
      'open-case.njk',
      {
        title: 'Opret forløb',
        values,
        errors,
        hasErrors: errors.list.length > 0 || errors.general !== undefined,
        schools,
        key: randomUUID(),
        today: danishDateOf(ui.now()),
        grades: Array.from({ length: 11 }, (_, grade) => ({ value: String(grade), text: grade === 0 ? '0. klasse (børnehaveklasse)' : `${grade}. klasse` })),
        sources: concernSource.options.map((value) => ({ value, text: CONCERN_LABELS[value] })),
      },
      status,
    );
  };

  router.get('/forloeb/nyt', (req, res) => {
    const { session } = signedIn(res);
    const schools = session.principal.schools === 'all' ? [] : session.principal.schools;
    showOpenForm(req, res, { schoolId: schools.length === 1 ? schools[0] : '' }, NO_ERRORS);
  });

  router.post('/forloeb/nyt', async (req, res) => {
    const { api } = signedIn(res);
    const form = asFormBody(req.body);
    const note = optional(form, 'concern.note');
    const gradeText = text(form, 'grade');
    const body = {
      pupilRef: text(form, 'pupilRef').trim(),
      schoolId: text(form, 'schoolId').trim(),
      grade: gradeText === '' ? undefined : Number(gradeText),
      tovholder: text(form, 'tovholder'),
      openedOn: text(form, 'openedOn'),
      concern: { source: optional(form, 'concern.source'), ...(note !== undefined ? { note } : {}) },
    };
    try {
      const view = await api.post('/api/cases', body, caseView, optional(form, '_key'));
      res.redirect(303, `/forloeb/${view.caseId}?udfoert=oprettet`);
    } catch (error) {
      if (!(error instanceof ApiRefusal) || ![400, 403, 409, 422].includes(error.problem.status)) throw error;
      showOpenForm(req, res, form, formErrors(error.problem, (path) => OPEN_LABELS[path]), error.problem.status);
    }
  });

  return router;
}
