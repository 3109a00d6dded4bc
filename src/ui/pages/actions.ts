/**
 * One page per case action: a form, sent to the API as the tovholder typed it, and on a refusal
 * the same form again with the API's reasons next to the fields. Each action is declared once in
 * ACTION_PAGES (its URL, API path, labels and how the form becomes the body); the routes are
 * derived from that list.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { addDays, danishDateOf } from '../../domain/dates';
import {
  MEASURE_TRACKS,
  bridgingDecision,
  caseView,
  externalResource,
  followUpOutcome,
  type CaseAction,
  type CaseView,
  type MeasureTrack,
} from '../../domain/schemas';
import { FOLLOW_UP_MAX_DAYS, FOLLOW_UP_MIN_DAYS, MAX_ESCALATION_LEVEL, STEP_TITLES, closureWarnings, regularFollowUpFrom } from '../../machines';
import type { SchoolCalendar } from '../../domain/calendar';
import { ApiRefusal } from '../apiClient';
import { errorPage, page, signedIn, type UiContext } from '../context';
import * as da from '../danish';
import { asFormBody, formErrors, list, NO_ERRORS, optional, text, type FormBody, type FormErrors } from '../forms';
import { caseIdOf, schoolCalendar } from './casePage';

interface Built {
  body: unknown;
  /** The API numbers what was sent; the form may have left empty slots out. */
  renamePath?: (path: string) => string;
}

interface ActionPage {
  readonly action: CaseAction;
  /** The page's URL under /forloeb/{caseId}/. */
  readonly slug: string;
  /** The API route under /api/cases/{caseId}/. */
  readonly apiPath: (stepId: string | undefined) => string;
  readonly template: string;
  readonly title: (view: CaseView, stepId: string | undefined) => string;
  /** The Danish name of each field the form has, by its API path. */
  readonly labelOf: (path: string, view: CaseView) => string | undefined;
  readonly build: (form: FormBody, view: CaseView) => Built;
  /** What the form shows the first time. */
  readonly initial: (view: CaseView, today: string) => FormBody;
  /** Extra things the template needs (option lists, the follow-up window). */
  readonly extra?: (view: CaseView, today: string, form: FormBody) => Record<string, unknown>;
  /**
   * A warning the person must see and confirm before the action is sent (in Danish), or none.
   * The form then comes back with the warning and a box to tick; ticked, the action goes ahead.
   */
  readonly warning?: (form: FormBody, calendar: SchoolCalendar, today: string) => string | undefined;
}

/** The machine's closure warning (closing just before a long holiday risks relapse), in Danish. */
function closureWarningText(form: FormBody, calendar: SchoolCalendar, today: string): string | undefined {
  const closedOn = optional(form, 'closedOn') ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(closedOn)) return undefined;
  const [warning] = closureWarnings(closedOn, calendar);
  if (warning === undefined) return undefined;
  const name = warning.holiday.name !== undefined ? ` (${warning.holiday.name})` : '';
  return `Forløbet afsluttes lige før en ferie${name}, der begynder ${da.danishDate(warning.holiday.from)}. Fravær vender ofte tilbage efter ferier: aftal, hvordan de første skoledage efter ferien følges.`;
}

const options = <K extends string>(labels: Record<K, string>) =>
  (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, text: label }));

const EXTERNAL_OPTIONS = options(da.EXTERNAL_RESOURCE_LABELS).filter((option) => externalResource.options.includes(option.value));

/** Measure slots per track: the current plan's measures (carried by id) and one or two empty ones. */
export interface MeasureSlot {
  index: number;
  track: MeasureTrack;
  trackLabel: string;
  number: number;
  measureId: string;
  first: boolean;
}

function measureSlots(view: CaseView): MeasureSlot[] {
  const slots: MeasureSlot[] = [];
  for (const track of MEASURE_TRACKS) {
    const existing = view.plan?.measures.filter((measure) => measure.track === track) ?? [];
    const count = Math.max(2, existing.length + 1);
    for (let n = 0; n < count; n += 1) {
      slots.push({
        index: slots.length,
        track,
        trackLabel: da.MEASURE_TRACK_LABELS[track],
        number: n + 1,
        measureId: existing[n]?.measureId ?? '',
        first: n === 0,
      });
    }
  }
  return slots;
}

const MEASURE_FIELDS: Readonly<Record<string, string>> = { description: 'Beskrivelse', responsible: 'Ansvarlig', startsOn: 'Startdato', reviewOn: 'Evalueres' };

function measureLabel(path: string, view: CaseView): string | undefined {
  const match = /^measures\[(\d+)\]\.(\w+)$/.exec(path);
  if (!match) return path === 'measures' ? 'Indsatser' : path === 'adoptedOn' ? 'Dato for vedtagelse' : undefined;
  const slot = measureSlots(view)[Number(match[1])];
  if (slot === undefined) return undefined;
  return `${slot.trackLabel}, indsats ${slot.number}: ${MEASURE_FIELDS[match[2] ?? ''] ?? 'Indsatsen'}`;
}

function reviewLabel(path: string, view: CaseView): string | undefined {
  const match = /^reviews\[(\d+)\]\.(\w+)$/.exec(path);
  const names: Record<string, string> = { done: 'Gennemført', effect: 'Effekt', action: 'Videre', measureId: 'Indsats' };
  if (match) {
    const measure = view.plan?.measures[Number(match[1])];
    return `${measure ? measure.description.slice(0, 60) : 'Indsats'}: ${names[match[2] ?? ''] ?? 'Evaluering'}`;
  }
  const top: Record<string, string> = {
    heldOn: 'Dato for mødet',
    reviews: 'Evaluering af indsatserne',
    outcome: 'Udfald',
    nextFollowUpOn: 'Næste opfølgning',
    externalResources: 'Eksterne ressourcer',
    earlyReason: 'Hvorfor holdes opfølgningen før tid?',
  };
  return top[path];
}

const ACTION_PAGES: readonly ActionPage[] = [
  {
    action: 'step.complete',
    slug: 'trin/:stepId',
    apiPath: (stepId) => `steps/${stepId ?? ''}/complete`,
    template: 'action-step.njk',
    title: (_view, stepId) => Object.entries(STEP_TITLES).find(([id]) => id === stepId)?.[1] ?? 'Trin',
    labelOf: (path) => ({ completedOn: 'Dato for udført', note: 'Note' })[path],
    build: (form) => {
      const completedOn = optional(form, 'completedOn');
      const note = optional(form, 'note');
      return { body: { ...(completedOn !== undefined ? { completedOn } : {}), ...(note !== undefined ? { note } : {}) } };
    },
    initial: () => ({}),
  },
  {
    action: 'assessment.decide',
    slug: 'vurdering',
    apiPath: () => 'assessment',
    template: 'action-assessment.njk',
    title: () => 'Vurdering efter kortlægningen',
    labelOf: (path) => ({ decision: 'Vurdering', rationale: 'Begrundelse', decidedOn: 'Dato for vurderingen' })[path],
    build: (form) => {
      const decidedOn = optional(form, 'decidedOn');
      return { body: { decision: optional(form, 'decision'), rationale: text(form, 'rationale'), ...(decidedOn !== undefined ? { decidedOn } : {}) } };
    },
    initial: () => ({}),
    extra: () => ({ decisions: options(da.ASSESSMENT_LABELS) }),
  },
  {
    action: 'plan.submit',
    slug: 'handleplan',
    apiPath: () => 'plan',
    template: 'action-plan.njk',
    title: (view) => (view.plan === null ? 'Handleplan' : 'Revidér handleplanen'),
    labelOf: measureLabel,
    build: (form, view) => {
      const slotOf: number[] = [];
      const measures: Record<string, string>[] = [];
      for (const slot of measureSlots(view)) {
        const at = (field: string) => text(form, `measures[${slot.index}].${field}`).trim();
        const typed = ['description', 'responsible', 'startsOn', 'reviewOn'].some((field) => at(field) !== '');
        if (!typed) continue;
        slotOf.push(slot.index);
        const measureId = at('measureId');
        measures.push({
          ...(measureId !== '' ? { measureId } : {}),
          track: slot.track,
          description: at('description'),
          responsible: at('responsible'),
          startsOn: at('startsOn'),
          reviewOn: at('reviewOn'),
        });
      }
      const adoptedOn = optional(form, 'adoptedOn');
      return {
        body: { measures, ...(adoptedOn !== undefined ? { adoptedOn } : {}) },
        renamePath: (path) => path.replace(/^measures\[(\d+)\]/, (whole, index: string) => {
          const slot = slotOf[Number(index)];
          return slot === undefined ? whole : `measures[${slot}]`;
        }),
      };
    },
    initial: (view) => {
      const form: FormBody = {};
      for (const slot of measureSlots(view)) {
        const measure = view.plan?.measures.find((candidate) => candidate.measureId === slot.measureId && slot.measureId !== '');
        if (measure === undefined) continue;
        form[`measures[${slot.index}].measureId`] = measure.measureId;
        form[`measures[${slot.index}].description`] = measure.description;
        form[`measures[${slot.index}].responsible`] = measure.responsible;
        form[`measures[${slot.index}].startsOn`] = measure.startsOn;
        form[`measures[${slot.index}].reviewOn`] = measure.reviewOn;
      }
      return form;
    },
    extra: (view) => {
      const slots = measureSlots(view);
      return { tracks: MEASURE_TRACKS.map((track) => ({ track, label: da.MEASURE_TRACK_LABELS[track], slots: slots.filter((slot) => slot.track === track) })) };
    },
  },
  {
    action: 'followUp.record',
    slug: 'opfoelgning',
    apiPath: () => 'follow-ups',
    template: 'action-follow-up.njk',
    title: () => 'Opfølgning',
    labelOf: reviewLabel,
    build: (form, view) => {
      const reviews = (view.plan?.measures ?? []).map((measure, index) => {
        const done = text(form, `reviews[${index}].done`);
        return {
          measureId: measure.measureId,
          done: done === 'ja' ? true : done === 'nej' ? false : undefined,
          effect: optional(form, `reviews[${index}].effect`),
          action: optional(form, `reviews[${index}].action`),
        };
      });
      const next = optional(form, 'nextFollowUpOn');
      const resources = list(form, 'externalResources');
      const earlyReason = optional(form, 'earlyReason');
      return {
        body: {
          ...(earlyReason !== undefined ? { earlyReason } : {}),
          heldOn: text(form, 'heldOn'),
          reviews,
          outcome: optional(form, 'outcome'),
          ...(next !== undefined ? { nextFollowUpOn: next } : {}),
          ...(resources.length > 0 ? { externalResources: resources } : {}),
        },
      };
    },
    initial: () => ({}),
    extra: (view, today, form) => {
      const held = optional(form, 'heldOn') ?? today;
      return {
        measures: view.plan?.measures ?? [],
        outcomes: options(da.FOLLOW_UP_OUTCOME_LABELS).filter((option) => followUpOutcome.options.includes(option.value)),
        effects: options(da.REVIEW_EFFECT_LABELS),
        reviewActions: options(da.REVIEW_ACTION_LABELS),
        externalOptions: EXTERNAL_OPTIONS,
        window: { from: addDays(held, FOLLOW_UP_MIN_DAYS), to: addDays(held, FOLLOW_UP_MAX_DAYS), heldOn: held },
        // The machine's own rule for when this follow-up is on time; before it, a reason is asked for.
        regularFrom: regularFollowUpFrom({ plans: view.planRevisions, followUps: view.followUps }),
        regularBasis: view.followUps.length === 0 ? 'handleplanens første evalueringsdato' : '8 uger efter den forrige opfølgning',
      };
    },
  },
  {
    action: 'escalate',
    slug: 'eskalering',
    apiPath: () => 'escalations',
    template: 'action-escalation.njk',
    title: (view) => `Eskalér til trin ${view.escalationLevel + 1}`,
    labelOf: (path) =>
      ({
        reason: 'Begrundelse',
        externalResources: 'Eksterne ressourcer',
        escalatedOn: 'Dato for eskaleringen',
        request: 'Det beder vi modtageren om',
        withoutConsentReason: 'Begrundelse for at eskalere uden samtykke',
      })[path],
    build: (form) => {
      const resources = list(form, 'externalResources');
      const escalatedOn = optional(form, 'escalatedOn');
      const request = optional(form, 'request');
      const withoutConsentReason = optional(form, 'withoutConsentReason');
      return {
        body: {
          reason: text(form, 'reason'),
          ...(resources.length > 0 ? { externalResources: resources } : {}),
          ...(escalatedOn !== undefined ? { escalatedOn } : {}),
          ...(request !== undefined ? { request } : {}),
          ...(withoutConsentReason !== undefined ? { withoutConsentReason } : {}),
        },
      };
    },
    initial: () => ({}),
    extra: (view) => ({
      nextLevel: view.escalationLevel + 1,
      // The top of the ladder brings in help from outside the school: ask which, and show the consent on file for each.
      asksForResources: view.escalationLevel + 1 === MAX_ESCALATION_LEVEL,
      externalOptions: EXTERNAL_OPTIONS,
      consentOnFile: externalResource.options.map((party) => ({
        party,
        label: da.EXTERNAL_RESOURCE_LABELS[party],
        consents: (view.consents ?? []).filter((consent) => consent.party === party),
        section49a: view.section49a?.parties.includes(party) === true,
      })),
    }),
  },
  {
    action: 'consent.record',
    slug: 'samtykke',
    apiPath: () => 'consents',
    template: 'action-consent.njk',
    title: () => 'Registrér forældrenes samtykke',
    labelOf: (path) => ({ party: 'Samtykket gælder', partyName: 'Navnet på den anden part', givenOn: 'Dato for samtykket', scope: 'Samtykket dækker' })[path],
    build: (form) => {
      const partyName = optional(form, 'partyName');
      return {
        body: {
          party: optional(form, 'party'),
          ...(partyName !== undefined ? { partyName } : {}),
          givenOn: text(form, 'givenOn'),
          scope: list(form, 'scope'),
        },
      };
    },
    initial: (_view, today) => ({ givenOn: today }),
    extra: () => ({ partyOptions: options(da.CONSENT_PARTY_LABELS), scopeOptions: options(da.CONSENT_SCOPE_LABELS) }),
  },
  {
    action: 'consent.withdraw',
    slug: 'samtykke/:consentId/tilbagetraek',
    apiPath: (consentId) => `consents/${consentId ?? ''}/withdrawal`,
    template: 'action-consent-withdraw.njk',
    title: () => 'Samtykket trækkes tilbage',
    labelOf: (path) => ({ withdrawnOn: 'Dato for tilbagetrækningen' })[path],
    build: (form) => {
      const withdrawnOn = optional(form, 'withdrawnOn');
      return { body: withdrawnOn !== undefined ? { withdrawnOn } : {} };
    },
    initial: () => ({}),
    extra: (view) => ({ consents: view.consents ?? [] }),
  },
  {
    action: 'section49a.record',
    slug: 'paragraf-49a',
    apiPath: () => 'section-49a',
    template: 'action-section49a.njk',
    title: () => 'Undtagelsen efter § 49 a',
    labelOf: (path) =>
      // A second §49a has no field of its own: its reason is shown above the form.
      ({ parties: 'Oplysningerne videregives til', scope: 'Det videregives', justification: 'Begrundelse', decidedOn: 'Dato for beslutningen' })[path],
    build: (form) => {
      const decidedOn = optional(form, 'decidedOn');
      return {
        body: {
          parties: list(form, 'parties'),
          scope: list(form, 'scope'),
          justification: text(form, 'justification'),
          ...(decidedOn !== undefined ? { decidedOn } : {}),
        },
      };
    },
    initial: () => ({}),
    extra: () => ({
      partyOptions: options(da.CONSENT_PARTY_LABELS).filter((option) => option.value !== 'other'),
      scopeOptions: options(da.CONSENT_SCOPE_LABELS),
    }),
  },
  {
    action: 'close',
    slug: 'afslutning',
    apiPath: () => 'closure',
    template: 'action-closure.njk',
    title: () => 'Afslut forløbet',
    labelOf: (path) =>
      ({
        criteria: 'Kriterier for afslutning',
        'criteria.regularAttendance': da.CRITERIA_LABELS.regularAttendance,
        'criteria.partiesAgree': da.CRITERIA_LABELS.partiesAgree,
        'criteria.measuresToKeep': 'Indsatser der fortsætter',
        relapsePreventionPlan: 'Plan for at forebygge tilbagefald',
        'bridging.decision': 'Brobygning',
        'bridging.note': 'Hvilken indsats eleven brobygges til',
        closedOn: 'Dato for afslutning',
      })[path],
    build: (form) => {
      const checked = new Set(list(form, 'criteria'));
      const note = optional(form, 'bridging.note');
      const closedOn = optional(form, 'closedOn');
      return {
        body: {
          criteria: {
            regularAttendance: checked.has('regularAttendance'),
            wellbeingImproving: checked.has('wellbeingImproving'),
            communityChallengesReduced: checked.has('communityChallengesReduced'),
            pupilMotivated: checked.has('pupilMotivated'),
            partiesAgree: checked.has('partiesAgree'),
            measuresToKeep: text(form, 'criteria.measuresToKeep')
              .split(/\r?\n/)
              .map((line) => line.trim())
              .filter((line) => line !== ''),
          },
          relapsePreventionPlan: text(form, 'relapsePreventionPlan'),
          bridging: { decision: optional(form, 'bridging.decision'), ...(note !== undefined ? { note } : {}) },
          ...(closedOn !== undefined ? { closedOn } : {}),
        },
      };
    },
    initial: () => ({}),
    warning: closureWarningText,
    extra: () => ({
      criteriaOptions: options(da.CRITERIA_LABELS),
      bridgingOptions: options(da.BRIDGING_LABELS).filter((option) => bridgingDecision.options.includes(option.value)),
    }),
  },
  {
    action: 'case.correct',
    slug: 'rettelse',
    apiPath: () => 'corrections',
    template: 'action-correction.njk',
    title: () => 'Ret oplysninger',
    labelOf: (path) => ({ openedOn: 'Rigtig dato for oprettelse', grade: 'Rigtigt klassetrin', pupilRef: 'Rigtig elevreference', reason: 'Begrundelse for rettelsen' })[path],
    build: (form) => {
      const openedOn = optional(form, 'openedOn');
      const grade = optional(form, 'grade');
      const pupilRef = optional(form, 'pupilRef');
      return {
        body: {
          ...(openedOn !== undefined ? { openedOn } : {}),
          // A grade that is not a whole number is sent as typed, so the API names the field.
          ...(grade !== undefined ? { grade: /^\d+$/.test(grade) ? Number(grade) : grade } : {}),
          ...(pupilRef !== undefined ? { pupilRef } : {}),
          reason: text(form, 'reason'),
        },
      };
    },
    initial: () => ({}),
  },
  {
    action: 'tovholder.reassign',
    slug: 'tovholder',
    apiPath: () => 'tovholder',
    template: 'action-reassign.njk',
    title: () => 'Ny tovholder',
    labelOf: (path) => ({ tovholder: 'Ny tovholder', reason: 'Begrundelse' })[path],
    build: (form) => ({ body: { tovholder: text(form, 'tovholder').trim(), reason: text(form, 'reason') } }),
    initial: () => ({}),
  },
  {
    action: 'case.withdraw',
    slug: 'tilbagetraekning',
    apiPath: () => 'withdrawal',
    template: 'action-withdrawal.njk',
    title: () => 'Træk forløbet tilbage',
    labelOf: (path) => ({ reason: 'Hvorfor blev forløbet oprettet ved en fejl?' })[path],
    build: (form) => ({ body: { reason: text(form, 'reason') } }),
    initial: () => ({}),
  },
];

/** Where the page is sent after each action, with the confirmation's code. */
const DONE_CODE: Record<CaseAction, string> = {
  'step.complete': 'trin',
  'assessment.decide': 'vurdering',
  'plan.submit': 'handleplan',
  'followUp.record': 'opfoelgning',
  escalate: 'eskalering',
  close: 'afslutning',
  'consent.record': 'samtykke',
  'consent.withdraw': 'samtykke-tilbagetrukket',
  'section49a.record': 'paragraf-49a',
  'case.correct': 'rettelse',
  'tovholder.reassign': 'tovholder',
  'case.withdraw': 'tilbagetrukket',
};

export function actionPagesRouter(ui: UiContext): Router {
  const router = Router();

  for (const action of ACTION_PAGES) {
    const path = `/forloeb/:caseId/${action.slug}`;
    // The page's own path parameter: a step (trin/:stepId) or a consent (samtykke/:consentId/…).
    const stepOf = (req: Request) => {
      const param = req.params.stepId ?? req.params.consentId;
      return typeof param === 'string' ? param : undefined;
    };

    const show = (req: Request, res: Response, view: CaseView, form: FormBody, errors: FormErrors, status = 200, warning?: string) => {
      const today = danishDateOf(ui.now());
      const stepId = stepOf(req);
      page(
        ui,
        req,
        res,
        action.template,
        {
          title: action.title(view, stepId),
          heading: action.title(view, stepId),
          view,
          stepId,
          values: form,
          errors,
          hasErrors: errors.list.length > 0 || errors.general !== undefined,
          key: randomUUID(),
          today,
          caseHref: `/forloeb/${view.caseId}`,
          warning,
          ...(action.extra?.(view, today, form) ?? {}),
        },
        status,
      );
    };

    /** The case, and whether the machine offers this action on it now. */
    const load = async (req: Request, res: Response) => {
      const caseId = caseIdOf(req);
      if (caseId === undefined) return undefined;
      const view = await signedIn(res).api.get(`/api/cases/${caseId}`, caseView);
      return view;
    };

    const offered = (view: CaseView, stepId: string | undefined) =>
      (view.available?.actions ?? []).includes(action.action) &&
      (action.action !== 'step.complete' || (stepId !== undefined && (view.available?.steps ?? []).includes(stepId))) &&
      (action.action !== 'consent.withdraw' || (view.consents ?? []).some((consent) => consent.consentId === stepId && consent.withdrawnOn === undefined));

    router.get(path, async (req, res) => {
      const view = await load(req, res);
      if (view === undefined) return errorPage(ui, req, res, 404);
      if (!offered(view, stepOf(req))) {
        // Not possible now (already done, another phase): back to the case, which shows why.
        res.redirect(303, `/forloeb/${view.caseId}`);
        return;
      }
      const today = danishDateOf(ui.now());
      const initial = action.initial(view, today);
      // Shown before anything is sent, for the action taken today.
      const warning = action.warning?.(initial, await schoolCalendar(signedIn(res).api, view.schoolId, today), today);
      show(req, res, view, initial, NO_ERRORS, 200, warning);
    });

    router.post(path, async (req, res) => {
      const view = await load(req, res);
      if (view === undefined) return errorPage(ui, req, res, 404);
      const form = asFormBody(req.body);
      const { body, renamePath } = action.build(form, view);
      if (action.warning !== undefined && optional(form, 'confirmWarning') !== 'ja') {
        const today = danishDateOf(ui.now());
        const warning = action.warning(form, await schoolCalendar(signedIn(res).api, view.schoolId, today), today);
        // Not sent yet: the person sees the warning and confirms it first.
        if (warning !== undefined) return show(req, res, view, form, NO_ERRORS, 200, warning);
      }
      try {
        await signedIn(res).api.post(`/api/cases/${view.caseId}/${action.apiPath(stepOf(req))}`, body, caseView, optional(form, '_key'));
      } catch (error) {
        if (!(error instanceof ApiRefusal) || ![400, 409, 422].includes(error.problem.status)) throw error;
        const errors = formErrors(error.problem, (p) => action.labelOf(p, view), renamePath);
        show(req, res, view, form, errors, error.problem.status);
        return;
      }
      res.redirect(303, `/forloeb/${view.caseId}?udfoert=${DONE_CODE[action.action]}`);
    });
  }
  return router;
}
