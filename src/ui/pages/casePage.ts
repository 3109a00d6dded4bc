/**
 * The case page (`/forloeb/{caseId}`): where the case is, its open steps with school days left or
 * late, exactly the actions the machine allows now, the plan and its revisions, follow-ups,
 * escalations, letter drafts and the timeline. Also a letter draft's own printable page and the
 * approve/discard forms.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { schoolDaysBetween, type SchoolCalendar } from '../../domain/calendar';
import { danishDateOf } from '../../domain/dates';
import { caseTimeline } from '../../domain/readModelSchemas';
import { caseView, isoDate, type CaseAction, type CaseView } from '../../domain/schemas';
import { ACCESS_TABLE } from '../../access/policy';
import type { Role } from '../../access/principal';
import { actionNamed } from '../../machines';
import { letterDraft, letterDraftList, letterDraftWithRevisions, type LetterDraftStatus, type LetterDraftWithRevisions } from '../../letters/schemas';
import { asFormBody, formErrors, NO_ERRORS, optional, text, type FormErrors } from '../forms';
import { ApiRefusal, type ApiClient } from '../apiClient';
import { errorPage, page, signedIn, type UiContext } from '../context';
import * as da from '../danish';
import { processDiagramFor } from '../processPicture';
import { attendanceChart, isoWeek } from '../attendanceChart';
import { pupil, pupilAbsence, type PupilAbsence } from '../../school/schemas';
import { absenceAtOpening, type AbsenceAtOpening } from '../../school/signalSchemas';

export const caseIdParam = z.uuid();

/** A pupil not in the directory (or no figures yet): the page shows the reference alone. */
async function orNotFound<T>(answer: Promise<T>): Promise<T | undefined> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof ApiRefusal && (error.problem.status === 404 || error.problem.status === 403)) return undefined;
    throw error;
  }
}

/** The opsporing figures a case was opened on, as the page shows them (the reasons are Danish already). */
function figuresAtOpening(kept: AbsenceAtOpening['atOpening']) {
  if (kept === null) return undefined;
  const { figures } = kept;
  return {
    on: danishDateOf(new Date(kept.decidedAt)),
    totalShareText: da.danishPercent(figures.totalShare),
    absentDays: figures.illnessDays + figures.leaveDays + figures.unlawfulDays,
    figures,
    reasons: kept.reasons.map((reason) => reason.text),
  };
}

/** The case page's attendance section: the current quarter's shares and the weeks since opening. */
function attendanceOf(absence: PupilAbsence, today: string) {
  const quarter = absence.quarters.at(-1);
  const weeks = (absence.weeks ?? []).map((week) => ({
    ...week,
    weekNumber: isoWeek(week.weekStart),
    absentDays: week.illnessDays + week.leaveDays + week.unlawfulDays,
    percentText: week.attendanceShare === null ? 'Ingen skoledage' : da.danishPercent(week.attendanceShare),
  }));
  return {
    quarter: quarter === undefined ? undefined : { ...quarter, shareText: da.danishPercent(quarter.unlawfulShare) },
    schoolYear: { ...absence.schoolYear, shareText: da.danishPercent(absence.schoolYear.totalShare) },
    weeks,
    chart: attendanceChart(weeks),
    today,
  };
}

/** A letter's status as its page says it. */
const LETTER_STATUS: Record<LetterDraftStatus, string> = {
  draft: 'Udkast',
  approved: 'Godkendt',
  discarded: 'Kasseret',
  superseded: 'Erstattet af et nyt udkast',
};

/** The confirmations on a letter's page, by the code the redirect carries. */
const LETTER_DONE: Record<string, string> = {
  rettet: 'Rettelsen er gemt.',
  'nyt-udkast': 'Et nyt udkast er skrevet ud fra forløbets oplysninger, som de er nu. Det gamle udkast er gemt som erstattet.',
  'ikke-udkast': 'Brevet er ikke længere et udkast, så der blev ikke skrevet et nyt.',
};

const LETTER_FIELD_LABELS: Record<string, string> = { subject: 'Emne', body: 'Brevets tekst' };

const DANISH_TIME = new Intl.DateTimeFormat('da-DK', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit' });

/** An instant as a Danish date and time of day, e.g. "30. november 2026 kl. 14.05". */
function danishDateTime(instant: string): string {
  const at = new Date(instant);
  return `${da.danishDate(danishDateOf(at))} kl. ${DANISH_TIME.format(at).replace(':', '.')}`;
}

const calendarAnswer = z.object({ holidays: z.array(z.object({ from: isoDate, to: isoDate, name: z.string().optional() })) });

/** The confirmations after an action, by the code the redirect carries (never case data). */
const DONE: Record<string, string> = {
  oprettet: 'Forløbet er oprettet. Kortlægningen er gået i gang.',
  trin: 'Trinnet er markeret som udført.',
  vurdering: 'Vurderingen er gemt.',
  handleplan: 'Handleplanen er gemt.',
  opfoelgning: 'Opfølgningen er gemt.',
  eskalering: 'Forløbet er eskaleret.',
  afslutning: 'Forløbet er afsluttet.',
  samtykke: 'Samtykket er registreret.',
  'samtykke-tilbagetrukket': 'Samtykket er registreret som trukket tilbage.',
  'paragraf-49a': 'Undtagelsen efter § 49 a er registreret.',
  rettelse: 'Rettelsen er gemt og står på tidslinjen.',
  tovholder: 'Forløbet har fået en ny tovholder. Begge tovholdere får besked.',
  tilbagetrukket: 'Forløbet er trukket tilbage. Det indgår ikke længere i oversigter og analyser.',
  'brev-godkendt': 'Brevet er godkendt og kan udskrives.',
  'brev-kasseret': 'Brevet er kasseret.',
  'brev-allerede': 'Brevet var allerede godkendt eller kasseret.',
};

export async function schoolCalendar(api: ApiClient, schoolId: string, today: string): Promise<SchoolCalendar> {
  const year = Number(today.slice(0, 4));
  const years = await Promise.all(
    [year, year + 1].map((y) => api.get(`/api/calendar?schoolId=${encodeURIComponent(schoolId)}&year=${y}`, calendarAnswer)),
  );
  return { daysOff: years.flatMap((answer) => answer.holidays) };
}

export function caseIdOf(req: Request): string | undefined {
  const parsed = caseIdParam.safeParse(req.params.caseId);
  return parsed.success ? parsed.data : undefined;
}

export function actionHref(caseId: string, action: string, stepId?: string): string {
  switch (action) {
    case 'step.complete':
      return `/forloeb/${caseId}/trin/${stepId ?? ''}`;
    case 'assessment.decide':
      return `/forloeb/${caseId}/vurdering`;
    case 'plan.submit':
      return `/forloeb/${caseId}/handleplan`;
    case 'followUp.record':
      return `/forloeb/${caseId}/opfoelgning`;
    case 'escalate':
      return `/forloeb/${caseId}/eskalering`;
    case 'close':
      return `/forloeb/${caseId}/afslutning`;
    case 'consent.record':
      return `/forloeb/${caseId}/samtykke`;
    case 'section49a.record':
      return `/forloeb/${caseId}/paragraf-49a`;
    case 'case.correct':
      return `/forloeb/${caseId}/rettelse`;
    case 'tovholder.reassign':
      return `/forloeb/${caseId}/tovholder`;
    case 'case.withdraw':
      return `/forloeb/${caseId}/tilbagetraekning`;
    default:
      return `/forloeb/${caseId}`;
  }
}

/** Whether the signed-in role may send the action at all (the access table; the API still decides). */
export function roleMaySend(role: Role, action: CaseAction): boolean {
  const declared = actionNamed(action);
  return declared !== undefined && ACCESS_TABLE[declared.capability][role] !== undefined;
}

/** What the page offers: the machine's own list (available) that this role may send, else nothing. */
function offeredActions(view: CaseView, role: Role) {
  const available = view.available ?? { actions: [], steps: [] };
  return available.actions
    // Steps are completed from their row, consents withdrawn from theirs (the consent section).
    .filter((action) => action !== 'step.complete' && action !== 'consent.withdraw' && roleMaySend(role, action))
    .map((action) => ({
      action,
      href: actionHref(view.caseId, action),
      text: action === 'plan.submit' && view.plan !== null ? 'Revidér handleplanen' : da.ACTION_LABELS[action],
    }));
}

export function casePageRouter(ui: UiContext): Router {
  const router = Router();

  router.get('/forloeb/:caseId', async (req: Request, res: Response) => {
    const caseId = caseIdOf(req);
    if (caseId === undefined) return errorPage(ui, req, res, 404);
    const { api } = signedIn(res);
    // The case first: a case out of reach stops here with the same 404 as one that does not exist.
    const view = await api.get(`/api/cases/${caseId}`, caseView);
    const today = danishDateOf(ui.now());
    const pupilPath = `/api/schools/${encodeURIComponent(view.schoolId)}/pupils/${encodeURIComponent(view.pupilRef)}`;
    const [timeline, drafts, calendar, picture, pupilFound, absence, opening] = await Promise.all([
      api.get(`/api/cases/${caseId}/timeline`, caseTimeline),
      api.get(`/api/cases/${caseId}/drafts`, letterDraftList),
      schoolCalendar(api, view.schoolId, today),
      processDiagramFor(view),
      // The name from the school's directory, filled in here and nowhere earlier.
      orNotFound(api.get(pupilPath, pupil)),
      orNotFound(api.get(`${pupilPath}/absence?on=${today}&from=${view.openedOn <= today ? view.openedOn : today}`, pupilAbsence)),
      // Only a case opened from a concern candidate has them; a role without the school's data sees none.
      orNotFound(api.get(`/api/cases/${caseId}/absence-at-opening`, absenceAtOpening)),
    ]);
    const completable = new Set(view.available?.steps ?? []);
    const steps = view.steps.map((step) => ({
      ...step,
      statusLabel: da.STEP_STATUS_LABELS[step.status],
      trackLabel: step.track !== undefined ? da.TRACK_LABELS[step.track] : undefined,
      daysText: step.status === 'done' || step.status === 'cancelled' ? '' : da.schoolDaysText(schoolDaysBetween(today, step.dueOn, calendar)),
      completeHref: completable.has(step.stepId) ? actionHref(caseId, 'step.complete', step.stepId) : undefined,
    }));
    const doneCode = typeof req.query.udfoert === 'string' ? req.query.udfoert : undefined;
    page(ui, req, res, 'case.njk', {
      title: 'Forløb',
      view,
      phaseLabel: da.PHASE_LABELS[view.phase],
      concernLabel: da.CONCERN_LABELS[view.concern.source],
      openSteps: steps.filter((step) => step.status !== 'done' && step.status !== 'cancelled'),
      doneSteps: steps.filter((step) => step.status === 'done'),
      actions: offeredActions(view, signedIn(res).session.principal.role),
      revisions: [...view.planRevisions].reverse(),
      measureTitles: Object.fromEntries(view.planRevisions.flatMap((plan) => plan.measures.map((m) => [m.measureId, m.description]))),
      timeline: {
        phases: timeline.phases.map((phase) => ({ ...phase, label: da.PHASE_LABELS[phase.phase] })),
        events: [...timeline.events].reverse().map((event) => ({
          ...event,
          label: da.EVENT_LABELS[event.type],
          stepTitle: view.steps.find((step) => step.stepId === event.stepId)?.title,
          phaseLabel: da.PHASE_LABELS[event.phase],
        })),
      },
      // A superseded draft is read from the draft that replaced it.
      drafts: drafts.items.filter((draft) => draft.status === 'draft' || draft.status === 'approved'),
      consents: (view.consents ?? []).map((consent) => ({
        ...consent,
        withdrawHref: consent.withdrawnOn === undefined && (view.available?.actions ?? []).includes('consent.withdraw') ? `/forloeb/${caseId}/samtykke/${consent.consentId}/tilbagetraek` : undefined,
      })),
      handoverHref: view.escalationLevel > 0 ? `/forloeb/${caseId}/overdragelse` : undefined,
      picture,
      notice: doneCode !== undefined ? DONE[doneCode] : undefined,
      today,
      pupil: pupilFound,
      attendance: absence === undefined ? undefined : attendanceOf(absence, today),
      atOpening: opening === undefined ? undefined : figuresAtOpening(opening.atOpening),
    });
  });

  /** The letter's own page: the text as it reads now, its edits, and (while a draft) the edit form. */
  const showLetter = (req: Request, res: Response, draft: LetterDraftWithRevisions, form: { subject: string; body: string }, errors: FormErrors, status = 200) => {
    const done = typeof req.query.udfoert === 'string' ? LETTER_DONE[req.query.udfoert] : undefined;
    page(
      ui,
      req,
      res,
      'letter.njk',
      {
        title: 'Brev',
        draft,
        caseId: draft.caseId,
        statusText: LETTER_STATUS[draft.status],
        decidedAtText: draft.decidedAt === null ? undefined : danishDateTime(draft.decidedAt),
        revisions: [...draft.revisions].reverse().map((revision) => ({ ...revision, editedAtText: danishDateTime(revision.editedAt) })),
        values: form,
        errors,
        key: randomUUID(),
        notice: done,
        blanks: draft.status === 'draft' && /\[[^\]\n]+\]/.test(`${draft.subject}\n${draft.body}`),
      },
      status,
    );
  };

  const loadDraft = async (req: Request, res: Response): Promise<LetterDraftWithRevisions | undefined> => {
    const caseId = caseIdOf(req);
    const draftId = caseIdParam.safeParse(req.params.draftId);
    if (caseId === undefined || !draftId.success) return undefined;
    const draft = await orNotFound(signedIn(res).api.get(`/api/drafts/${draftId.data}`, letterDraftWithRevisions));
    // A draft of another case is not found here, whatever the caller may see elsewhere.
    return draft?.caseId === caseId ? draft : undefined;
  };

  router.get('/forloeb/:caseId/breve/:draftId', async (req, res) => {
    const draft = await loadDraft(req, res);
    if (draft === undefined) return errorPage(ui, req, res, 404);
    showLetter(req, res, draft, { subject: draft.subject, body: draft.body }, NO_ERRORS);
  });

  router.post('/forloeb/:caseId/breve/:draftId/ret', async (req, res) => {
    const draft = await loadDraft(req, res);
    if (draft === undefined) return errorPage(ui, req, res, 404);
    const form = asFormBody(req.body);
    const edit = { subject: text(form, 'subject'), body: text(form, 'body') };
    try {
      await signedIn(res).api.post(`/api/drafts/${draft.draftId}/revisions`, edit, letterDraftWithRevisions, optional(form, '_key'));
    } catch (error) {
      if (!(error instanceof ApiRefusal) || ![400, 409].includes(error.problem.status)) throw error;
      const errors = formErrors(error.problem, (path) => LETTER_FIELD_LABELS[path]);
      // Decided meanwhile: the page shows it as it now is.
      const now = error.problem.status === 409 ? ((await loadDraft(req, res)) ?? draft) : draft;
      return showLetter(req, res, now, edit, errors, error.problem.status);
    }
    res.redirect(303, `/forloeb/${draft.caseId}/breve/${draft.draftId}?udfoert=rettet`);
  });

  router.post('/forloeb/:caseId/breve/:draftId/nyt-udkast', async (req, res) => {
    const draft = await loadDraft(req, res);
    if (draft === undefined) return errorPage(ui, req, res, 404);
    let made: LetterDraftWithRevisions;
    try {
      made = await signedIn(res).api.post(`/api/drafts/${draft.draftId}/redraft`, {}, letterDraftWithRevisions);
    } catch (error) {
      if (!(error instanceof ApiRefusal) || error.problem.status !== 409) throw error;
      return res.redirect(303, `/forloeb/${draft.caseId}/breve/${draft.draftId}?udfoert=ikke-udkast`);
    }
    res.redirect(303, `/forloeb/${draft.caseId}/breve/${made.draftId}?udfoert=nyt-udkast`);
  });

  for (const [slug, apiVerb, done] of [
    ['godkend', 'approve', 'brev-godkendt'],
    ['kasser', 'discard', 'brev-kasseret'],
  ] as const) {
    router.post(`/forloeb/:caseId/breve/:draftId/${slug}`, async (req, res) => {
      const caseId = caseIdOf(req);
      const draftId = caseIdParam.safeParse(req.params.draftId);
      if (caseId === undefined || !draftId.success) return errorPage(ui, req, res, 404);
      const { api } = signedIn(res);
      try {
        await api.post(`/api/drafts/${draftId.data}/${apiVerb}`, {}, letterDraft);
      } catch (error) {
        // Decided already (a second click, or a colleague): say so rather than fail.
        if (error instanceof ApiRefusal && error.problem.status === 409) return res.redirect(303, `/forloeb/${caseId}?udfoert=brev-allerede#breve`);
        throw error;
      }
      res.redirect(303, `/forloeb/${caseId}?udfoert=${done}#breve`);
    });
  }

  return router;
}
