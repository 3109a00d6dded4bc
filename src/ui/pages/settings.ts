/**
 * The admin's settings: a school's holidays per year (one at a time; the defaults shown and kept
 * unless changed), its contacts for notices, the resource team's meeting rhythm, and the
 * municipality's letter templates. Every save goes to the API as typed; a refusal comes back
 * next to its field and the setting in force stays as it was (the API replaces all or nothing).
 */
import { ACCESS_TABLE } from '../../access/policy';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { danishDateOf } from '../../domain/dates';
import { isoDate } from '../../domain/schemas';
import { letterTemplate, letterTemplateList } from '../../letters/schemas';
import { schoolContacts } from '../../notices/schemas';
import { ApiRefusal } from '../apiClient';
import { errorPage, page, signedIn, type UiContext } from '../context';
import { asFormBody, formErrors, NO_ERRORS, optional, text, type FormBody, type FormErrors } from '../forms';
import { previewLetter } from '../letterPreview';
import { schoolFor } from './overview';

const calendarAnswer = z.object({
  source: z.enum(['school', 'municipality', 'default']),
  holidays: z.array(z.object({ from: isoDate, to: isoDate, name: z.string().optional(), kind: z.enum(['public', 'school']) })),
});
const rhythmAnswer = z.object({ schoolId: z.string(), firstMeetingOn: isoDate, intervalDays: z.number().int() });
const anything = z.unknown();

const SOURCE_TEXT = {
  default: 'Standardferierne (vinterferie uge 7, påske, sommer, efterårsferie uge 42 og jul). De gælder, indtil skolen eller kommunen ændrer dem.',
  municipality: 'Kommunens ferier. Skolen har ikke sine egne for dette år.',
  school: 'Skolens egne ferier for dette år.',
} as const;

const KIND_LABELS: Record<string, string> = {
  parent_conversation_invitation: 'Invitation til samtale med forældrene',
  action_plan_meeting_invitation: 'Invitation til handleplansmødet',
  closure_summary: 'Opsummering ved afslutning',
};

const yearParam = z.coerce.number().int().min(2000).max(2100);

function isRefusal(error: unknown): error is ApiRefusal {
  return error instanceof ApiRefusal && [400, 403, 409, 422].includes(error.problem.status);
}

export function settingsRouter(ui: UiContext): Router {
  const router = Router();

  router.use('/indstillinger', (req, res, next) => {
    const { role } = signedIn(res).session.principal;
    if (role === 'admin') return next();
    // When the resource team meets is the school leadership's to decide: whoever the access
    // table lets manage the rhythm reaches that one page (the API decides the school).
    if (req.path === '/ressourceteam' && ACCESS_TABLE.manage_meeting_rhythm[role] !== undefined) return next();
    errorPage(ui, req, res, 403);
  });

  /** The school the page is about (from the query or the form), or a picker. */
  function schoolOf(req: Request, res: Response): string | undefined {
    const asked = typeof req.query.skole === 'string' ? req.query.skole : text(asFormBody(req.body), 'skole') || undefined;
    return schoolFor(signedIn(res).session.principal, asked).school;
  }

  function picker(req: Request, res: Response, action: string) {
    const { session } = signedIn(res);
    page(ui, req, res, 'settings.njk', { title: 'Indstillinger', needSchool: true, schools: schoolFor(session.principal, undefined).schools, action });
  }

  router.get('/indstillinger', (req, res) => {
    const school = schoolOf(req, res);
    if (school === undefined) return picker(req, res, '/indstillinger');
    page(ui, req, res, 'settings.njk', { title: 'Indstillinger', school, year: Number(danishDateOf(ui.now()).slice(0, 4)) });
  });

  // ---- Holidays, one at a time --------------------------------------------------------------

  async function holidaysOf(req: Request, res: Response, school: string, year: number) {
    const answer = await signedIn(res).api.get(`/api/calendar?schoolId=${encodeURIComponent(school)}&year=${year}`, calendarAnswer);
    const own = answer.holidays.filter((h) => h.kind === 'school').map((h) => ({ from: h.from, to: h.to, name: h.name ?? '' }));
    return { source: answer.source, own, publicHolidays: answer.holidays.filter((h) => h.kind === 'public') };
  }

  function yearOf(req: Request): number {
    const parsed = yearParam.safeParse(req.query.aar);
    return parsed.success ? parsed.data : Number(danishDateOf(ui.now()).slice(0, 4));
  }

  router.get('/indstillinger/ferier', async (req, res) => {
    const school = schoolOf(req, res);
    if (school === undefined) return picker(req, res, '/indstillinger/ferier');
    const year = yearOf(req);
    const { source, own, publicHolidays } = await holidaysOf(req, res, school, year);
    const done = req.query.udfoert === 'gemt' ? 'Ferien er gemt.' : req.query.udfoert === 'fjernet' ? 'Ferien er fjernet.' : undefined;
    page(ui, req, res, 'settings-holidays.njk', {
      title: 'Skoleferier',
      school,
      year,
      years: [year - 1, year, year + 1],
      sourceText: SOURCE_TEXT[source],
      own: own.map((holiday, index) => ({ ...holiday, index })),
      publicHolidays,
      notice: done,
    });
  });

  const HOLIDAY_LABELS: Record<string, string> = { from: 'Første feriedag', to: 'Sidste feriedag', name: 'Navn' };

  function showHolidayForm(req: Request, res: Response, school: string, year: number, index: string, values: FormBody, errors: FormErrors, status = 200) {
    page(
      ui,
      req,
      res,
      'settings-holiday.njk',
      { title: index === 'ny' ? 'Tilføj en ferie' : 'Ret en ferie', school, year, index, values, errors, hasErrors: errors.list.length > 0 || errors.general !== undefined },
      status,
    );
  }

  const indexParam = z.union([z.literal('ny'), z.coerce.number().int().min(0).max(59).transform(String)]);

  router.get('/indstillinger/ferier/ret', async (req, res) => {
    const school = schoolOf(req, res);
    const index = indexParam.safeParse(req.query.nr);
    if (school === undefined || !index.success) return errorPage(ui, req, res, 404);
    const year = yearOf(req);
    const { own } = await holidaysOf(req, res, school, year);
    const current = index.data === 'ny' ? { from: '', to: '', name: '' } : own[Number(index.data)];
    if (current === undefined) return errorPage(ui, req, res, 404);
    showHolidayForm(req, res, school, year, index.data, current, NO_ERRORS);
  });

  router.post('/indstillinger/ferier/ret', async (req, res) => {
    const school = schoolOf(req, res);
    const index = indexParam.safeParse(req.query.nr);
    if (school === undefined || !index.success) return errorPage(ui, req, res, 404);
    const year = yearOf(req);
    const form = asFormBody(req.body);
    const { own } = await holidaysOf(req, res, school, year);
    const position = index.data === 'ny' ? own.length : Number(index.data);
    if (position > own.length) return errorPage(ui, req, res, 404);
    // Only this one changes; every other holiday in force (the defaults too) is sent back as it is.
    const edited = { from: text(form, 'from'), to: text(form, 'to'), name: text(form, 'name') };
    const holidays = [...own.slice(0, position), edited, ...own.slice(position + 1)];
    try {
      await signedIn(res).api.put(`/api/calendar/school-holidays?schoolId=${encodeURIComponent(school)}&year=${year}`, { holidays }, anything);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const mine = `holidays[${position}]`;
      const errors = formErrors(
        error.problem,
        (path) => HOLIDAY_LABELS[path],
        (path) => (path.startsWith(`${mine}.`) ? path.slice(mine.length + 1) : path === mine ? 'from' : path),
      );
      return showHolidayForm(req, res, school, year, index.data, form, errors, error.problem.status);
    }
    res.redirect(303, `/indstillinger/ferier?skole=${encodeURIComponent(school)}&aar=${year}&udfoert=gemt`);
  });

  router.post('/indstillinger/ferier/fjern', async (req, res) => {
    const school = schoolOf(req, res);
    const index = z.coerce.number().int().min(0).safeParse(text(asFormBody(req.body), 'nr'));
    if (school === undefined || !index.success) return errorPage(ui, req, res, 404);
    const year = yearOf(req);
    const { own } = await holidaysOf(req, res, school, year);
    if (own[index.data] === undefined) return errorPage(ui, req, res, 404);
    const holidays = own.filter((_holiday, i) => i !== index.data);
    await signedIn(res).api.put(`/api/calendar/school-holidays?schoolId=${encodeURIComponent(school)}&year=${year}`, { holidays }, anything);
    res.redirect(303, `/indstillinger/ferier?skole=${encodeURIComponent(school)}&aar=${year}&udfoert=fjernet`);
  });

  // ---- Contacts for notices ---------------------------------------------------------------

  const CONTACT_LABELS: Record<string, string> = { leaderEmail: 'Skolelederens e-mail', resourceTeamEmail: 'Ressourceteamets e-mail', tovholdere: 'Tovholdere' };

  /** "navn = adresse" per line, as the form shows the tovholdere. */
  function tovholderLines(map: Record<string, string>): string {
    return Object.entries(map)
      .map(([name, email]) => `${name} = ${email}`)
      .join('\n');
  }

  function tovholderMap(lines: string): Record<string, string> {
    const map: Record<string, string> = {};
    for (const line of lines.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const at = line.indexOf('=');
      // A line without "=" goes as a name without an address, so the API names what is wrong.
      if (at < 0) map[line.trim()] = '';
      else map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    return map;
  }

  function showContacts(req: Request, res: Response, school: string, values: FormBody, errors: FormErrors, status = 200, notice?: string) {
    page(
      ui,
      req,
      res,
      'settings-contacts.njk',
      { title: 'Kontakter til besked', school, values, errors, hasErrors: errors.list.length > 0 || errors.general !== undefined, ...(notice ? { notice } : {}) },
      status,
    );
  }

  router.get('/indstillinger/kontakter', async (req, res) => {
    const school = schoolOf(req, res);
    if (school === undefined) return picker(req, res, '/indstillinger/kontakter');
    let values: FormBody = {};
    try {
      const stored = await signedIn(res).api.get(`/api/schools/${encodeURIComponent(school)}/contacts`, schoolContacts);
      values = { leaderEmail: stored.leaderEmail ?? '', resourceTeamEmail: stored.resourceTeamEmail ?? '', tovholdere: tovholderLines(stored.tovholdere) };
    } catch (error) {
      // None set yet: an empty form.
      if (!(error instanceof ApiRefusal) || error.problem.status !== 404) throw error;
    }
    showContacts(req, res, school, values, NO_ERRORS, 200, req.query.udfoert === 'gemt' ? 'Kontakterne er gemt.' : undefined);
  });

  router.post('/indstillinger/kontakter', async (req, res) => {
    const school = schoolOf(req, res);
    if (school === undefined) return errorPage(ui, req, res, 404);
    const form = asFormBody(req.body);
    const leaderEmail = optional(form, 'leaderEmail');
    const resourceTeamEmail = optional(form, 'resourceTeamEmail');
    const body = {
      ...(leaderEmail !== undefined ? { leaderEmail } : {}),
      ...(resourceTeamEmail !== undefined ? { resourceTeamEmail } : {}),
      tovholdere: tovholderMap(text(form, 'tovholdere')),
    };
    try {
      await signedIn(res).api.put(`/api/schools/${encodeURIComponent(school)}/contacts`, body, anything);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const errors = formErrors(error.problem, (path) => CONTACT_LABELS[path], (path) => (path.startsWith('tovholdere') ? 'tovholdere' : path));
      return showContacts(req, res, school, form, errors, error.problem.status);
    }
    res.redirect(303, `/indstillinger/kontakter?skole=${encodeURIComponent(school)}&udfoert=gemt`);
  });

  // ---- The resource team's meeting rhythm -------------------------------------------------

  const RHYTHM_LABELS: Record<string, string> = { firstMeetingOn: 'Dato for et møde', intervalDays: 'Dage mellem møderne' };

  function showRhythm(req: Request, res: Response, school: string, values: FormBody, errors: FormErrors, status = 200, notice?: string) {
    page(
      ui,
      req,
      res,
      'settings-rhythm.njk',
      {
        title: 'Ressourceteamets møder',
        school,
        values,
        errors,
        hasErrors: errors.list.length > 0 || errors.general !== undefined,
        ...(notice ? { notice } : {}),
        // An admin came from the settings; a leader from the resource team's agenda.
        back:
          signedIn(res).session.principal.role === 'admin'
            ? { href: `/indstillinger?skole=${encodeURIComponent(school)}`, text: 'Indstillinger' }
            : { href: `/ressourceteam?skole=${encodeURIComponent(school)}`, text: 'Ressourceteamets dagsorden' },
      },
      status,
    );
  }

  router.get('/indstillinger/ressourceteam', async (req, res) => {
    const school = schoolOf(req, res);
    if (school === undefined) return picker(req, res, '/indstillinger/ressourceteam');
    let values: FormBody = { intervalDays: '14' };
    try {
      const rhythm = await signedIn(res).api.get(`/api/resource-team/rhythm?schoolId=${encodeURIComponent(school)}`, rhythmAnswer);
      values = { firstMeetingOn: rhythm.firstMeetingOn, intervalDays: String(rhythm.intervalDays) };
    } catch (error) {
      if (!(error instanceof ApiRefusal) || error.problem.status !== 409) throw error;
    }
    showRhythm(req, res, school, values, NO_ERRORS, 200, req.query.udfoert === 'gemt' ? 'Mødeterminerne er gemt.' : undefined);
  });

  router.post('/indstillinger/ressourceteam', async (req, res) => {
    const school = schoolOf(req, res);
    if (school === undefined) return errorPage(ui, req, res, 404);
    const form = asFormBody(req.body);
    const interval = optional(form, 'intervalDays');
    const body = { firstMeetingOn: optional(form, 'firstMeetingOn'), ...(interval !== undefined ? { intervalDays: /^\d+$/.test(interval) ? Number(interval) : interval } : {}) };
    try {
      await signedIn(res).api.put(`/api/resource-team/rhythm?schoolId=${encodeURIComponent(school)}`, body, anything);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return showRhythm(req, res, school, form, formErrors(error.problem, (path) => RHYTHM_LABELS[path]), error.problem.status);
    }
    res.redirect(303, `/indstillinger/ressourceteam?skole=${encodeURIComponent(school)}&udfoert=gemt`);
  });

  // ---- Letter templates -------------------------------------------------------------------

  router.get('/indstillinger/breve', async (req, res) => {
    const { items } = await signedIn(res).api.get('/api/letter-templates', letterTemplateList);
    page(ui, req, res, 'settings-letters.njk', {
      title: 'Brevskabeloner',
      items: items.map((item) => ({ ...item, label: KIND_LABELS[item.kind] ?? item.kind })),
      canEdit: signedIn(res).session.principal.schools === 'all',
      notice: req.query.udfoert === 'gemt' ? 'Skabelonen er gemt.' : req.query.udfoert === 'nulstillet' ? 'Skabelonen er sat tilbage til standarden.' : undefined,
    });
  });

  const LETTER_LABELS: Record<string, string> = { subject: 'Emne', body: 'Brevtekst' };

  async function showLetter(req: Request, res: Response, kind: string, values: FormBody, errors: FormErrors, status = 200) {
    const template = await signedIn(res).api.get(`/api/letter-templates/${kind}`, letterTemplate);
    const preview = errors.list.length === 0 && errors.general === undefined ? previewLetter(template.kind, text(values, 'subject'), text(values, 'body')) : undefined;
    page(
      ui,
      req,
      res,
      'settings-letter.njk',
      {
        title: 'Brevskabelon',
        kind,
        label: KIND_LABELS[kind] ?? kind,
        template,
        values,
        preview,
        canEdit: signedIn(res).session.principal.schools === 'all',
        errors,
        hasErrors: errors.list.length > 0 || errors.general !== undefined,
      },
      status,
    );
  }

  router.get('/indstillinger/breve/:kind', async (req, res) => {
    if (KIND_LABELS[req.params.kind] === undefined) return errorPage(ui, req, res, 404);
    const template = await signedIn(res).api.get(`/api/letter-templates/${req.params.kind}`, letterTemplate);
    await showLetter(req, res, req.params.kind, { subject: template.subject, body: template.body }, NO_ERRORS);
  });

  router.post('/indstillinger/breve/:kind', async (req, res) => {
    const kind = req.params.kind;
    if (KIND_LABELS[kind] === undefined) return errorPage(ui, req, res, 404);
    const form = asFormBody(req.body);
    // "Vis eksempel" shows the preview of what was typed without saving it.
    if (text(form, 'handling') === 'eksempel') return showLetter(req, res, kind, form, NO_ERRORS);
    try {
      if (text(form, 'handling') === 'nulstil') {
        await signedIn(res).api.delete(`/api/letter-templates/${kind}`, anything);
        return res.redirect(303, '/indstillinger/breve?udfoert=nulstillet');
      }
      await signedIn(res).api.put(`/api/letter-templates/${kind}`, { subject: text(form, 'subject'), body: text(form, 'body') }, anything);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return showLetter(req, res, kind, form, formErrors(error.problem, (path) => LETTER_LABELS[path]), error.problem.status);
    }
    res.redirect(303, '/indstillinger/breve?udfoert=gemt');
  });

  return router;
}
