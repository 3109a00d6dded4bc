/**
 * The municipality's self-assessment in the browser (Børns Vilkår's tool): the rounds, starting
 * one with its participants, entering each participant's ratings one theme at a time (as the
 * facilitator does at the workshop; saved per theme, so it can stop and resume), the group's
 * discussion, the priorities, and the result with a chart and a table per theme, as CSV and for
 * print. Everything goes through /api/self-assessments with the person's token.
 */
import { Router, type Request, type Response } from 'express';
import { danishDateOf } from '../../domain/dates';
import { principleLabel, themeChartSvg } from '../../selfAssessment/chart';
import { resultCsv } from '../../selfAssessment/csv';
import { MAX_PRIORITIES, NEEDS, RATING_SCALE, STEPS, THEME_NOTE_PROMPT, THEME_OVERALL_PROMPT, THEMES, FRAMEWORK_SOURCE, FRAMEWORK_TITLE, type Theme } from '../../selfAssessment/principles';
import { round as roundSchema, roundList, roundResult, type Round, type RoundResult } from '../../selfAssessment/schemas';
import { ApiRefusal } from '../apiClient';
import { page, signedIn, type UiContext } from '../context';
import { asFormBody, formErrors, NO_ERRORS, optional, text, type FormBody, type FormErrors } from '../forms';

const BASE = '/selvevaluering';
const api = (roundId: string) => `/api/self-assessments/${encodeURIComponent(roundId)}`;
const FORM_STATUSES = [400, 409, 422];
const PARTICIPANT_ROWS = 8;

const refusal = (error: unknown): ApiRefusal => {
  if (error instanceof ApiRefusal && FORM_STATUSES.includes(error.problem.status)) return error;
  throw error;
};

const scaleOptions = Object.entries(RATING_SCALE.labels).map(([value, label]) => ({ value, text: `${value} – ${label}` }));
const needOptions = Object.entries(NEEDS).map(([value, label]) => ({ value, text: label }));
const themeOptions = THEMES.map((t) => ({ value: t.id, text: t.title }));
const shareText = (value: number | null) => (value === null ? '–' : `${Math.round(value * 100)} %`);
const numberText = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toLocaleString('da-DK', { maximumFractionDigits: 2 }));

/** Each theme's state for one participant: how many of its principles are rated. */
function progressOf(round: Round, participantId: string) {
  return THEMES.map((theme) => {
    const rated = theme.principles.filter((p) => round.ratings.some((r) => r.participantId === participantId && r.principleId === p.id)).length;
    return { id: theme.id, title: theme.title, rated, total: theme.principles.length, done: rated === theme.principles.length };
  });
}

function nextThemeFor(round: Round, participantId: string): Theme {
  const firstOpen = progressOf(round, participantId).find((t) => !t.done);
  return THEMES.find((t) => t.id === firstOpen?.id) ?? (THEMES[0] as Theme);
}

export function selfAssessmentPagesRouter(ui: UiContext): Router {
  const router = Router();
  const show = (req: Request, res: Response, template: string, context: Record<string, unknown>, status = 200) =>
    page(ui, req, res, template, { numberText, shareText, ...context, hasErrors: hasErrors(context.errors) }, status);
  const getRound = (res: Response, roundId: string) => signedIn(res).api.get(api(roundId), roundSchema);
  const getResult = (res: Response, roundId: string) => signedIn(res).api.get(`${api(roundId)}/result`, roundResult);

  router.get(BASE, async (req, res) => {
    const { items } = await signedIn(res).api.get('/api/self-assessments', roundList);
    show(req, res, 'self-assessment-list.njk', {
      title: 'Selvevaluering af kommunens arbejde med skolefravær',
      rounds: items.map((r) => ({ ...r, ratedText: shareText(r.ratedShare) })),
      steps: STEPS,
      frameworkTitle: FRAMEWORK_TITLE,
      frameworkSource: FRAMEWORK_SOURCE,
      themes: THEMES,
      notice: req.query.udfoert === 'oprettet' ? 'Runden er oprettet.' : undefined,
    });
  });

  // ---- A new round ---------------------------------------------------------------------------

  const ROUND_LABELS = (path: string): string | undefined => {
    if (path === 'title') return 'Titel';
    if (path === 'heldOn') return 'Dato for mødet';
    if (path === 'participants') return 'Deltagere';
    const m = /^participants\[(\d+)\]\.(name|function)$/.exec(path);
    return m ? `Deltager ${Number(m[1]) + 1}: ${m[2] === 'name' ? 'navn' : 'funktion'}` : undefined;
  };

  const showNewForm = (req: Request, res: Response, values: FormBody, errors: FormErrors, status = 200) =>
    show(req, res, 'self-assessment-new.njk', { title: 'Ny runde af selvevalueringen', values, errors, rows: Array.from({ length: PARTICIPANT_ROWS }, (_, i) => i), today: danishDateOf(ui.now()) }, status);

  router.get(`${BASE}/ny`, (req, res) => {
    showNewForm(req, res, { title: `Selvevaluering ${danishDateOf(ui.now()).slice(0, 4)}` }, NO_ERRORS);
  });

  router.post(`${BASE}/ny`, async (req, res) => {
    const form = asFormBody(req.body);
    // Empty rows are left out; the API's participants[i] is mapped back to the row it came from.
    const rows = Array.from({ length: PARTICIPANT_ROWS }, (_, i) => i).filter((i) => text(form, `participants[${i}].name`).trim() !== '' || text(form, `participants[${i}].function`).trim() !== '');
    const body = {
      title: text(form, 'title'),
      heldOn: text(form, 'heldOn'),
      participants: rows.map((i) => ({ name: text(form, `participants[${i}].name`), function: text(form, `participants[${i}].function`) })),
    };
    try {
      const created = await signedIn(res).api.post('/api/self-assessments', body, roundSchema);
      res.redirect(303, `${BASE}/${created.roundId}?udfoert=oprettet`);
    } catch (error) {
      const problem = refusal(error).problem;
      const rename = (path: string) => path.replace(/^participants\[(\d+)\]/, (_w, i: string) => `participants[${rows[Number(i)] ?? i}]`);
      showNewForm(req, res, form, formErrors(problem, ROUND_LABELS, rename), problem.status);
    }
  });

  // ---- A round's overview --------------------------------------------------------------------

  const showOverview = async (req: Request, res: Response, roundId: string, values: FormBody, errors: FormErrors, status = 200) => {
    const round = await getRound(res, roundId);
    show(
      req,
      res,
      'self-assessment-round.njk',
      {
        title: round.title,
        round,
        base: `${BASE}/${round.roundId}`,
        participants: round.participants.map((p) => ({ ...p, next: nextThemeFor(round, p.participantId).id, complete: p.rated === p.total })),
        steps: STEPS,
        values,
        errors,
        notice: { oprettet: 'Runden er oprettet. Tilføj flere deltagere, eller gå i gang med vurderingerne.', deltager: 'Deltageren er tilføjet.', gemt: 'Vurderingerne er gemt.' }[typeof req.query.udfoert === 'string' ? req.query.udfoert : ''],
      },
      status,
    );
  };

  router.get(`${BASE}/:roundId`, async (req, res) => {
    await showOverview(req, res, param(req, 'roundId'), {}, NO_ERRORS);
  });

  router.post(`${BASE}/:roundId/deltagere`, async (req, res) => {
    const roundId = param(req, 'roundId');
    const form = asFormBody(req.body);
    try {
      await signedIn(res).api.post(`${api(roundId)}/participants`, { name: text(form, 'name'), function: text(form, 'function') }, roundSchema);
      res.redirect(303, `${BASE}/${encodeURIComponent(roundId)}?udfoert=deltager#deltagere`);
    } catch (error) {
      const problem = refusal(error).problem;
      await showOverview(req, res, roundId, form, formErrors(problem, (path) => ({ name: 'Navn', function: 'Funktion' })[path]), problem.status);
    }
  });

  // ---- Rating, one theme at a time -----------------------------------------------------------

  const showRating = async (req: Request, res: Response, values: FormBody | undefined, errors: FormErrors, status = 200) => {
    const [roundId, participantId, themeId] = [param(req, 'roundId'), param(req, 'participantId'), param(req, 'themeId')];
    const round = await getRound(res, roundId);
    const person = round.participants.find((p) => p.participantId === participantId);
    const index = THEMES.findIndex((t) => t.id === themeId);
    const theme = THEMES[index];
    if (person === undefined || theme === undefined) throw new ApiRefusal({ status: 404, title: 'Not found', detail: 'no such participant or theme' });
    // What was saved before fills the form, so a person can stop and come back.
    const saved: FormBody = {};
    for (const p of theme.principles) {
      const given = round.ratings.find((r) => r.participantId === participantId && r.principleId === p.id);
      if (given) {
        saved[`r_${p.id}`] = String(given.rating);
        if (given.comment !== undefined) saved[`c_${p.id}`] = given.comment;
      }
    }
    const note = round.themeNotes.find((n) => n.participantId === participantId && n.themeId === theme.id);
    if (note?.overall !== undefined) saved.overall = String(note.overall);
    if (note?.note !== undefined) saved.note = note.note;
    show(
      req,
      res,
      'self-assessment-rate.njk',
      {
        title: `Vurdering: ${theme.title}`,
        round,
        person,
        theme,
        position: index + 1,
        themeCount: THEMES.length,
        previous: THEMES[index - 1],
        progress: progressOf(round, participantId).map((t) => ({ ...t, current: t.id === theme.id })),
        base: `${BASE}/${round.roundId}`,
        values: values ?? saved,
        errors,
        scale: scaleOptions,
        question: RATING_SCALE.question,
        notePrompt: THEME_NOTE_PROMPT,
        overallPrompt: THEME_OVERALL_PROMPT,
      },
      status,
    );
  };

  router.get(`${BASE}/:roundId/deltager/:participantId/tema/:themeId`, async (req, res) => {
    await showRating(req, res, undefined, NO_ERRORS);
  });

  router.post(`${BASE}/:roundId/deltager/:participantId/tema/:themeId`, async (req, res) => {
    const [roundId, participantId, themeId] = [param(req, 'roundId'), param(req, 'participantId'), param(req, 'themeId')];
    const theme = THEMES.find((t) => t.id === themeId);
    if (theme === undefined) throw new ApiRefusal({ status: 404, title: 'Not found', detail: 'no such theme' });
    const form = asFormBody(req.body);
    // Unrated principles are left out (they keep what they had); ratings[i] maps back to its principle.
    const rated = theme.principles.filter((p) => text(form, `r_${p.id}`) !== '');
    const overall = optional(form, 'overall');
    const note = optional(form, 'note');
    const body = {
      ratings: rated.map((p) => {
        const comment = optional(form, `c_${p.id}`);
        return { principleId: p.id, rating: Number(text(form, `r_${p.id}`)), ...(comment !== undefined ? { comment } : {}) };
      }),
      themes: [{ themeId: theme.id, ...(overall !== undefined ? { overall: Number(overall) } : {}), ...(note !== undefined ? { note } : {}) }],
    };
    try {
      await signedIn(res).api.put(`${api(roundId)}/participants/${encodeURIComponent(participantId)}/ratings`, body, roundSchema);
    } catch (error) {
      const problem = refusal(error).problem;
      const rename = (path: string) =>
        path
          .replace(/^ratings\[(\d+)\]\.rating$/, (_w, i: string) => `r_${rated[Number(i)]?.id ?? ''}`)
          .replace(/^ratings\[(\d+)\]\.comment$/, (_w, i: string) => `c_${rated[Number(i)]?.id ?? ''}`)
          .replace(/^themes\[0\]\.(overall|note)$/, '$1');
      const labelOf = (path: string) => {
        const principle = theme.principles.find((p) => path === `r_${p.id}` || path === `c_${p.id}`);
        if (principle) return `${principleLabel(principle.id)}${path.startsWith('c_') ? ', kommentar' : ''}`;
        return { overall: 'Samlet tal for temaet', note: 'Noter' }[path];
      };
      await showRating(req, res, form, formErrors(problem, labelOf, rename), problem.status);
      return;
    }
    const index = THEMES.findIndex((t) => t.id === theme.id);
    const next = THEMES[index + 1];
    const base = `${BASE}/${encodeURIComponent(roundId)}`;
    res.redirect(303, text(form, 'action') === 'next' && next ? `${base}/deltager/${encodeURIComponent(participantId)}/tema/${next.id}` : `${base}?udfoert=gemt#deltagere`);
  });

  // ---- Step 2: the discussion ----------------------------------------------------------------

  const showDiscussion = async (req: Request, res: Response, values: FormBody | undefined, errors: FormErrors, status = 200) => {
    const result = await getResult(res, param(req, 'roundId'));
    const saved = Object.fromEntries(result.themes.map((t) => [`note_${t.themeId}`, t.discussion ?? '']));
    show(req, res, 'self-assessment-discussion.njk', { title: `Fælles drøftelse: ${result.title}`, result, view: resultView(result), base: `${BASE}/${result.roundId}`, values: values ?? saved, errors, step: STEPS[1] }, status);
  };

  router.get(`${BASE}/:roundId/droeftelse`, async (req, res) => {
    await showDiscussion(req, res, undefined, NO_ERRORS);
  });

  router.post(`${BASE}/:roundId/droeftelse`, async (req, res) => {
    const roundId = param(req, 'roundId');
    const form = asFormBody(req.body);
    const body = { themes: THEMES.map((t) => ({ themeId: t.id, note: text(form, `note_${t.id}`) })) };
    try {
      await signedIn(res).api.put(`${api(roundId)}/discussion`, body, roundSchema);
      res.redirect(303, `${BASE}/${encodeURIComponent(roundId)}/prioriteter`);
    } catch (error) {
      const problem = refusal(error).problem;
      const rename = (path: string) => path.replace(/^themes\[(\d+)\]\.note$/, (_w, i: string) => `note_${THEMES[Number(i)]?.id ?? ''}`);
      await showDiscussion(req, res, form, formErrors(problem, (path) => THEMES.find((t) => path === `note_${t.id}`)?.title, rename), problem.status);
    }
  });

  // ---- Step 3: priorities and next steps -----------------------------------------------------

  const SLOTS = Array.from({ length: MAX_PRIORITIES }, (_, i) => i + 1);
  const PRIORITY_FIELDS = { title: 'overskrift', themeId: 'tema', need: 'hvad er der brug for', nextSteps: 'næste skridt', owner: 'ansvarlig', dueOn: 'dato' } as const;

  const showPriorities = async (req: Request, res: Response, values: FormBody | undefined, errors: FormErrors, status = 200) => {
    const result = await getResult(res, param(req, 'roundId'));
    const saved: FormBody = {};
    for (const p of result.priorities) {
      for (const key of Object.keys(PRIORITY_FIELDS) as (keyof typeof PRIORITY_FIELDS)[]) {
        const value = p[key];
        if (value !== undefined) saved[`p${p.position}.${key}`] = String(value);
      }
    }
    show(
      req,
      res,
      'self-assessment-priorities.njk',
      { title: `Prioriteter og næste skridt: ${result.title}`, result, view: resultView(result), base: `${BASE}/${result.roundId}`, values: values ?? saved, errors, slots: SLOTS, needs: needOptions, themes: themeOptions, step: STEPS[2] },
      status,
    );
  };

  router.get(`${BASE}/:roundId/prioriteter`, async (req, res) => {
    await showPriorities(req, res, undefined, NO_ERRORS);
  });

  router.post(`${BASE}/:roundId/prioriteter`, async (req, res) => {
    const roundId = param(req, 'roundId');
    const form = asFormBody(req.body);
    const filled = SLOTS.filter((slot) => (Object.keys(PRIORITY_FIELDS)).some((key) => text(form, `p${slot}.${key}`).trim() !== ''));
    const body = {
      priorities: filled.map((slot) => {
        const field = (key: string) => optional(form, `p${slot}.${key}`);
        return {
          title: text(form, `p${slot}.title`),
          ...(field('themeId') !== undefined ? { themeId: field('themeId') } : {}),
          ...(field('need') !== undefined ? { need: field('need') } : {}),
          nextSteps: text(form, `p${slot}.nextSteps`),
          owner: text(form, `p${slot}.owner`),
          dueOn: text(form, `p${slot}.dueOn`),
        };
      }),
    };
    try {
      await signedIn(res).api.put(`${api(roundId)}/priorities`, body, roundSchema);
      res.redirect(303, `${BASE}/${encodeURIComponent(roundId)}/resultat?udfoert=prioriteter`);
    } catch (error) {
      const problem = refusal(error).problem;
      const rename = (path: string) => path.replace(/^priorities\[(\d+)\]\./, (_w, i: string) => `p${filled[Number(i)] ?? 0}.`);
      const labelOf = (path: string) => {
        const m = /^p(\d)\.(\w+)$/.exec(path);
        const what = m ? PRIORITY_FIELDS[m[2] as keyof typeof PRIORITY_FIELDS] : undefined;
        return m && what ? `Prioritet ${m[1] ?? ''}: ${what}` : undefined;
      };
      await showPriorities(req, res, form, formErrors(problem, labelOf, rename), problem.status);
    }
  });

  // ---- The result: on screen, for print, as CSV ----------------------------------------------

  const showResult = async (req: Request, res: Response, printable: boolean) => {
    const result = await getResult(res, param(req, 'roundId'));
    show(req, res, 'self-assessment-result.njk', {
      title: `Resultat: ${result.title}`,
      result,
      view: resultView(result),
      base: `${BASE}/${result.roundId}`,
      printable,
      notice: req.query.udfoert === 'prioriteter' ? 'Prioriteterne er gemt.' : undefined,
    });
  };
  router.get(`${BASE}/:roundId/resultat`, (req, res) => showResult(req, res, false));
  router.get(`${BASE}/:roundId/udskrift`, (req, res) => showResult(req, res, true));

  router.get(`${BASE}/:roundId/resultat.csv`, async (req, res) => {
    const result = await getResult(res, param(req, 'roundId'));
    res
      .type('text/csv; charset=utf-8; header=present')
      .set('Content-Disposition', `attachment; filename="selvevaluering-${result.heldOn}.csv"`)
      .send(resultCsv(result));
  });

  // The sheet participants fill in by hand before or at the meeting, as the tool's own pages.
  router.get(`${BASE}/:roundId/vurderingsark`, async (req, res) => {
    const round = await getRound(res, param(req, 'roundId'));
    show(req, res, 'self-assessment-sheet.njk', { title: `Invitation og vurderingsark: ${round.title}`, round, base: `${BASE}/${round.roundId}`, steps: STEPS, themes: THEMES, scale: scaleOptions, question: RATING_SCALE.question, notePrompt: THEME_NOTE_PROMPT, overallPrompt: THEME_OVERALL_PROMPT, needs: needOptions });
  });

  return router;
}

const param = (req: Request, name: string): string => String((req.params as Record<string, string | undefined>)[name] ?? '');

function hasErrors(errors: unknown): boolean {
  const e = errors as FormErrors | undefined;
  return e !== undefined && (e.list.length > 0 || e.general !== undefined);
}

/** What the result pages show beyond the API's answer: the chart and the words for each figure. */
function resultView(result: RoundResult) {
  const earlier = new Map(result.earlier?.principles.map((p) => [p.principleId, p.average]));
  const nameOf = new Map(result.participants.map((p) => [p.participantId, `${p.name} (${p.function})`]));
  const titleOfTheme = new Map(THEMES.map((t) => [t.id, t.title]));
  const priorities = (list: RoundResult['priorities']) =>
    list.map((p) => ({ ...p, themeTitle: p.themeId !== undefined ? titleOfTheme.get(p.themeId) : undefined, needText: p.need !== undefined ? NEEDS[p.need] : undefined }));
  return {
    themes: result.themes.map((theme) => ({
      ...theme,
      chart: themeChartSvg(theme, earlier),
      principles: theme.principles.map((p) => ({ ...p, label: principleLabel(p.principleId), earlier: earlier.get(p.principleId) ?? null })),
      figures: theme.serviceFigures.map((f) => ({ ...f, text: f.unit === 'share' ? shareText(f.value) : numberText(f.value) })),
      notes: theme.notes.map((n) => ({ ...n, who: nameOf.get(n.participantId) })),
      change: theme.earlier?.change ?? null,
    })),
    divergent: result.mostDivergent.map((id) => {
      const theme = result.themes.find((t) => t.principles.some((p) => p.principleId === id));
      const principle = theme?.principles.find((p) => p.principleId === id);
      return { id, label: principleLabel(id), themeTitle: theme?.title, text: principle?.text, spread: principle?.spread };
    }),
    priorities: priorities(result.priorities),
    earlierPriorities: priorities(result.earlier?.priorities ?? []),
  };
}
