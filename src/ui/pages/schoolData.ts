/**
 * "Elever og fravær": the leader (or an admin) uploads the school's roster and absence files
 * from the school's own system; a refused file is listed row by row, in Danish, and nothing of it
 * is stored. The leader also sees every pupil's figures by name (names filled in here only).
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { absenceImportResult, pupilList, rosterResult, schoolAbsenceList } from '../../school/schemas';
import { danishDateOf } from '../../domain/dates';
import { ApiRefusal, type ProblemBody } from '../apiClient';
import { errorPage, page, signedIn, type UiContext } from '../context';
import { danishNumber, danishPercent } from '../danish';
import { asFormBody, fieldId, optional, text, type FormErrors, NO_ERRORS } from '../forms';
import { candidateDecision, candidateRun, signalList, type Candidate } from '../../school/signalSchemas';
import { caseView } from '../../domain/schemas';
import { schoolFor } from './overview';
import { uploadedBytes } from '../multipart';
import type { RosterResult } from '../../school/schemas';

const COLUMN_LABELS: Record<string, string> = {
  pupilRef: 'elevreference',
  schoolId: 'skole',
  grade: 'klassetrin',
  className: 'klasse',
  givenName: 'fornavn',
  familyName: 'efternavn',
  guardian1Name: 'forælder 1',
  guardian1Email: 'forælder 1s e-mail',
  guardian2Name: 'forælder 2',
  guardian2Email: 'forælder 2s e-mail',
  date: 'dato',
  mark: 'registrering',
  category: 'fraværsårsag',
};

/** The import's reasons in Danish; the API's own words are English. */
const MESSAGES: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^is not a pupil in the school’s directory/, () => 'eleven står ikke i skolens elevliste'],
  [/^is not the school the (file|roster) is sent for/, () => 'er ikke den skole, filen er sendt for'],
  [/^is not a date written YYYY-MM-DD/, () => 'er ikke en dato skrevet ÅÅÅÅ-MM-DD'],
  [/^is not a school day/, () => 'er ikke en skoledag i skolens kalender'],
  [/^must be day, start or end/, () => 'skal være day, start eller end'],
  [/^must be day for grade (\d+)/, (m) => `skal være day for ${m[1]}. klasse (registreres én gang om dagen)`],
  [/^must be start or end for grade (\d+)/, (m) => `skal være start eller end for ${m[1]}. klasse (registreres ved dagens start og slutning)`],
  [/^must be illness, leave or unlawful/, () => 'skal være illness, leave eller unlawful'],
  [/^is a missing column/, () => 'kolonnen mangler i filens første linje'],
  [/^appears twice/, () => 'står to gange i elevlisten'],
  [/^must be a whole number from 0 to 10/, () => 'skal være et helt tal fra 0 til 10'],
  [/^is empty while the e-mail is given/, () => 'mangler, når e-mailadressen er udfyldt'],
  [/^is empty/, () => 'er tom'],
  [/^is not an e-mail address/, () => 'er ikke en e-mailadresse'],
  [/^looks like a CPR number/, () => 'ligner et CPR-nummer; brug skolens elevreference'],
  [/^may contain only/, () => 'må kun indeholde bogstaver, tal, punktum, bindestreg og understreg'],
  [/^has (\d+) fields separated by ¤; a line of Tabulex TEA’s Elev\.txt has (\d+)/, (m) => `har ${m[1]} felter adskilt af ¤; en linje i Tabulex TEA’s Elev.txt har ${m[2]}`],
  [/^has no pupil lines/, () => 'har ingen elever efter linjen med skoleåret'],
  [/^differs between lines/, () => 'er ikke den samme på alle linjer; send én skoles udtræk ad gangen'],
];

/** The formats a roster may come in, as the page names them. */
const ROSTER_FORMAT_NAMES: Record<RosterResult['format'], string> = {
  canonical: 'standardformatet (CSV)',
  tabulex_tea_elev: 'Tabulex TEA’s elevudtræk (Elev.txt)',
};

/** What the page says after a roster was read: the format, and what was left out or kept. */
function rosterNotice(result: RosterResult): string {
  const read = [
    `Elevlisten er indlæst fra ${ROSTER_FORMAT_NAMES[result.format]}`,
    result.schoolYear !== null ? ` for skoleåret ${result.schoolYear}` : '',
    result.encoding === 'windows-1252' ? ' (tegnsæt Windows-1252)' : '',
    `: ${result.rows} elever, ${result.added} nye, ${result.changed} ændrede, ${result.removed} har forladt listen.`,
  ].join('');
  const notes = result.notes.map((note) => {
    switch (note) {
      case 'cpr_and_address_dropped':
        return 'CPR-numre og adresser i filen er ikke gemt.';
      case 'guardians_kept':
        return 'Filen har ingen forældre: de forældre, der allerede stod i elevlisten, er beholdt.';
      case 'pupil_id_field_assumed':
        return 'Filen har kun én elev, så elev-id’et er læst fra første felt, som formatet beskrives; tjek at eleven har det rigtige elev-id.';
    }
  });
  return [read, ...notes].join(' ');
}

function danishReason(message: string): string {
  for (const [pattern, say] of MESSAGES) {
    const match = pattern.exec(message);
    if (match) return say(match);
  }
  return 'er ikke udfyldt korrekt';
}

/** A refused file as the page shows it: every bad row in the summary, each linking to the file field. */
function fileErrors(problem: ProblemBody, fieldId: string, expected: string, known: string): FormErrors {
  const list = (problem.errors ?? []).map((error) => ({
    fieldId,
    label: error.message.startsWith('is a missing column')
      ? `Kolonnen ${error.path}`
      : error.path === 'Elev.txt'
        ? `Linje ${error.row ?? 1}`
        : `Række ${error.row ?? 1}, ${COLUMN_LABELS[error.path] ?? error.path}`,
    message: danishReason(error.message),
  }));
  const missingColumns = (problem.errors ?? []).some((error) => error.message.startsWith('is a missing column'));
  const general = missingColumns
    ? `Filen er ikke i et format, vi kender. I standardformatet har filen kolonnerne ${expected}.${known} Intet er gemt.`
    : `Filen er afvist, fordi ${list.length === 1 ? 'en række er' : 'nogle rækker er'} forkerte. Intet i filen er gemt. Ret rækkerne og indlæs hele filen igen.`;
  return { byField: { [fieldId]: 'Filen er afvist' }, list, general };
}

const ROSTER_EXPECTED = 'pupilRef, schoolId, grade, className, givenName, familyName, guardian1Name, guardian1Email, guardian2Name, guardian2Email';
const ABSENCE_EXPECTED = 'pupilRef, schoolId, date, mark, category';
const ROSTER_KNOWN = ' Vi kan også læse elevudtrækket fra Tabulex TEA (Elev.txt: første linje er skoleåret, derefter én elev pr. linje med felterne adskilt af ¤).';
const ABSENCE_KNOWN = ' Andre formater kan vi ikke læse endnu: intet skolesystems fraværsudtræk er offentligt beskrevet.';

export function schoolDataPagesRouter(ui: UiContext): Router {
  const router = Router();

  router.use('/elever', (req, res, next) => {
    const role = signedIn(res).session.principal.role;
    if (role === 'leader' || role === 'admin') return next();
    errorPage(ui, req, res, 403);
  });

  function schoolOf(req: Request, res: Response): { school?: string; schools: string[] } {
    const asked = typeof req.query.skole === 'string' ? req.query.skole : text(asFormBody(req.body), 'skole') || undefined;
    return schoolFor(signedIn(res).session.principal, asked);
  }

  async function show(req: Request, res: Response, school: string, extra: { errors?: FormErrors; notice?: string; form?: string }, status = 200) {
    const { session, api } = signedIn(res);
    const isLeader = session.principal.role === 'leader';
    const today = danishDateOf(ui.now());
    let rows: Record<string, unknown>[] = [];
    let quarter: string | undefined;
    if (isLeader) {
      const path = `/api/schools/${encodeURIComponent(school)}`;
      const [pupils, figures] = await Promise.all([api.get(`${path}/pupils`, pupilList), api.get(`${path}/absence?on=${today}`, schoolAbsenceList)]);
      const byRef = new Map(figures.items.map((item) => [item.pupilRef, item]));
      quarter = figures.quarter;
      rows = pupils.items
        .filter((p) => p.onRoster)
        .map((p) => {
          const f = byRef.get(p.pupilRef);
          return {
            name: `${p.givenName} ${p.familyName}`,
            pupilRef: p.pupilRef,
            className: p.className,
            unlawfulShare: danishPercent(f?.quarter.unlawfulShare),
            unlawfulDays: danishNumber(f?.quarter.unlawfulDays),
            totalShare: danishPercent(f?.schoolYear.totalShare),
            totalShareValue: f?.schoolYear.totalShare ?? 0,
          };
        });
    }
    const errors = extra.errors ?? NO_ERRORS;
    page(
      ui,
      req,
      res,
      'school-data.njk',
      {
        title: 'Elever og fravær',
        school,
        isLeader,
        rows,
        quarter,
        today,
        errors,
        hasErrors: errors.list.length > 0 || errors.general !== undefined,
        form: extra.form,
        notice: extra.notice,
        rosterExpected: ROSTER_EXPECTED,
        absenceExpected: ABSENCE_EXPECTED,
      },
      status,
    );
  }

  router.get('/elever', async (req, res) => {
    const { school, schools } = schoolOf(req, res);
    if (school === undefined) {
      page(ui, req, res, 'school-data.njk', { title: 'Elever og fravær', needSchool: true, schools, action: '/elever' });
      return;
    }
    await show(req, res, school, {});
  });

  for (const [slug, fieldId, expected, known] of [
    ['elevliste', 'elevliste-fil', ROSTER_EXPECTED, ROSTER_KNOWN],
    ['fravaer', 'fravaer-fil', ABSENCE_EXPECTED, ABSENCE_KNOWN],
  ] as const) {
    router.post(`/elever/${slug}`, async (req, res) => {
      const { school } = schoolOf(req, res);
      if (school === undefined) return errorPage(ui, req, res, 403);
      const form = asFormBody(req.body);
      const file = text(form, 'fil');
      if (file.trim() === '') {
        const errors: FormErrors = { byField: { [fieldId]: 'Vælg en fil' }, list: [{ fieldId, label: 'Fil', message: 'Vælg en fil' }] };
        await show(req, res, school, { errors, form: slug }, 400);
        return;
      }
      const { api } = signedIn(res);
      const path = `/api/schools/${encodeURIComponent(school)}`;
      // The bytes as uploaded: the API tells UTF-8 from Windows-1252 and reports which it read.
      const sent = uploadedBytes(req, 'fil') ?? file;
      try {
        if (slug === 'elevliste') {
          const result = await api.sendCsv('PUT', `${path}/pupils`, sent, rosterResult);
          await show(req, res, school, { notice: rosterNotice(result) });
        } else {
          const result = await api.sendCsv('POST', `${path}/absence`, sent, absenceImportResult);
          const notice = `Fraværet er indlæst: ${result.rows} rækker, ${result.added} nye, ${result.replaced} rettede, ${result.unchanged} uændrede.`;
          await show(req, res, school, { notice });
        }
      } catch (error) {
        if (!(error instanceof ApiRefusal) || error.problem.status !== 400) throw error;
        await show(req, res, school, { errors: fileErrors(error.problem, fieldId, expected, known), form: slug }, 400);
      }
    });
  }

  // ---- Opsporing: the leader's list of concern candidates -------------------------------------

  router.use('/elever/opsporing', (req, res, next) => {
    if (signedIn(res).session.principal.role === 'leader') return next();
    errorPage(ui, req, res, 403);
  });

  async function showCandidates(req: Request, res: Response, school: string, extra: { errors?: FormErrors; notice?: string; values?: Record<string, string> }, status = 200) {
    const { api } = signedIn(res);
    const path = `/api/schools/${encodeURIComponent(school)}`;
    const [run, pupils] = await Promise.all([api.get(`${path}/absence/signals/last-run`, candidateRun), api.get(`${path}/pupils`, pupilList)]);
    const names = new Map(pupils.items.map((p) => [p.pupilRef, `${p.givenName} ${p.familyName}`]));
    const shown = (item: Candidate) => ({
      ...item,
      name: names.get(item.pupilRef) ?? item.pupilRef,
      totalShareText: danishPercent(item.figures.totalShare),
      absentText: danishNumber(item.figures.illnessDays + item.figures.leaveDays + item.figures.unlawfulDays),
      slug: fieldId(item.pupilRef),
    });
    const errors = extra.errors ?? NO_ERRORS;
    page(
      ui,
      req,
      res,
      'opsporing.njk',
      {
        title: 'Opsporing',
        school,
        ranAt: run.ranAt,
        ranOn: run.result?.on,
        items: (run.result?.items ?? []).map(shown),
        marked: (run.result?.marked ?? []).map(shown),
        errors,
        values: extra.values ?? {},
        notice: extra.notice,
        today: danishDateOf(ui.now()),
        formKey: randomUUID(),
      },
      status,
    );
  }

  router.get('/elever/opsporing', async (req, res) => {
    const { school, schools } = schoolOf(req, res);
    if (school === undefined) {
      page(ui, req, res, 'school-data.njk', { title: 'Elever og fravær', needSchool: true, schools, action: '/elever/opsporing' });
      return;
    }
    await showCandidates(req, res, school, { notice: req.query.udfoert === 'afvist' ? 'Kandidaten er afvist. Eleven kommer kun igen, hvis fraværet stiger.' : undefined });
  });

  router.post('/elever/opsporing/koer', async (req, res) => {
    const { school } = schoolOf(req, res);
    if (school === undefined) return errorPage(ui, req, res, 403);
    await signedIn(res).api.post(`/api/schools/${encodeURIComponent(school)}/absence/signals/run`, {}, signalList);
    res.redirect(303, `/elever/opsporing?skole=${encodeURIComponent(school)}`);
  });

  router.post('/elever/opsporing/:pupilRef/:what', async (req, res) => {
    const { school } = schoolOf(req, res);
    const what = req.params.what;
    if (school === undefined || (what !== 'afvis' && what !== 'opret')) return errorPage(ui, req, res, 404);
    const ref = req.params.pupilRef ?? '';
    const form = asFormBody(req.body);
    const { api } = signedIn(res);
    const path = `/api/schools/${encodeURIComponent(school)}/absence/candidates/${encodeURIComponent(ref)}`;
    const field = `${fieldId(ref)}-${what === 'afvis' ? 'reason' : 'tovholder'}`;
    try {
      if (what === 'afvis') {
        await api.post(`${path}/dismiss`, { reason: text(form, 'reason') }, candidateDecision);
        res.redirect(303, `/elever/opsporing?skole=${encodeURIComponent(school)}&udfoert=afvist`);
      } else {
        const view = await api.post(`${path}/case`, { tovholder: text(form, 'tovholder') }, caseView, optional(form, '_key'));
        res.redirect(303, `/forloeb/${view.caseId}?udfoert=oprettet`);
      }
    } catch (error) {
      if (!(error instanceof ApiRefusal) || ![400, 422].includes(error.problem.status)) throw error;
      const message = error.problem.status === 422 ? 'Eleven er ikke længere kandidat (der er et forløb, eller eleven er afvist). Kør opsporingen igen.' : what === 'afvis' ? 'Skriv hvorfor eleven afvises' : 'Skriv tovholderens navn';
      const errors: FormErrors = { byField: { [field]: message }, list: [{ fieldId: field, label: what === 'afvis' ? 'Begrundelse' : 'Tovholder', message }] };
      await showCandidates(req, res, school, { errors, values: { [field]: text(form, what === 'afvis' ? 'reason' : 'tovholder') } }, 400);
    }
  });

  return router;
}
