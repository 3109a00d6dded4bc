/**
 * The closed list of fields a letter template may name, each taken from the case view (and the
 * school's name, when the municipality lists it). A template naming anything else is refused.
 * templates/letters/README.md documents the same list for the people who edit the templates; a
 * test keeps the two in step.
 */
import type { CaseView, HistoryEntry } from '../domain/schemas';
import { TRACK_LABELS, bridgingSentence, bulletList, danishDate, danishGrade } from './danish';
import { LETTER_KINDS, type LetterKind } from './kinds';

/** What a letter is drafted from. */
export interface LetterContext {
  view: CaseView;
  /** The announced history entry that called for the letter (absent when a draft is redrafted). */
  entry?: HistoryEntry;
  /** The school's name as the municipality lists it; the school's id is used when absent. */
  schoolName?: string;
  /**
   * The pupil as the school's directory has them, read when the letter is drafted (the names
   * live in PostgreSQL only); absent when the pupil is not in the directory.
   */
  pupil?: { name: string; guardians: readonly string[] };
}

/** The case lacks a fact the letter needs (a machine change, not a template error). */
export class LetterDataError extends Error {
  constructor(
    readonly kind: LetterKind,
    readonly field: string,
  ) {
    super(`a ${kind} letter needs "${field}", which the case does not have yet`);
    this.name = 'LetterDataError';
  }
}

export interface LetterField {
  readonly name: string;
  /** For the people who edit templates (Danish, like the letters). */
  readonly description: string;
  readonly kinds: readonly LetterKind[];
  /** Several lines (a list, a text the school wrote): allowed in the body, never in the subject. */
  readonly multiline: boolean;
  value(context: LetterContext, kind: LetterKind): string;
}

const ALL = LETTER_KINDS;

/** The neutral word for a pupil the directory has no name for: never a blank to fill in. */
export const PUPIL_WITHOUT_NAME = 'eleven';

/**
 * The fields about people: filled in from the directory, the school's name and the case's
 * current tovholder each time a letter is shown (and frozen when it is approved), never kept in
 * a draft's stored text. Every other field is a fact of the case, filled in when it is drafted.
 */
export const PEOPLE_FIELDS = ['pupilName', 'guardianNames', 'schoolName', 'tovholder'] as const;
export type PeopleField = (typeof PEOPLE_FIELDS)[number];

export function isPeopleField(name: string): name is PeopleField {
  return (PEOPLE_FIELDS as readonly string[]).includes(name);
}

/** What the people's fields are read from: the case's school and tovholder, the settings, the directory. */
export interface PeopleFacts {
  schoolId: string;
  tovholder: string;
  schoolName?: string | undefined;
  pupil?: LetterContext['pupil'];
}

/** The people's names a shown letter needs: pupil, guardians, school, tovholder. */
export type PeopleValues = Readonly<Record<PeopleField, string>>;

export function peopleValuesOf({ schoolId, tovholder, schoolName, pupil }: PeopleFacts): PeopleValues {
  const guardians = pupil?.guardians ?? [];
  return {
    pupilName: pupil?.name ?? PUPIL_WITHOUT_NAME,
    guardianNames: guardians.length === 0 ? 'forældre' : guardians.join(' og '),
    schoolName: schoolName ?? schoolId,
    tovholder,
  };
}

const peopleOf = ({ view, schoolName, pupil }: LetterContext): PeopleValues =>
  peopleValuesOf({ schoolId: view.schoolId, tovholder: view.tovholder, schoolName, pupil });
const INVITATIONS = ['parent_conversation_invitation', 'action_plan_meeting_invitation'] as const satisfies readonly LetterKind[];
const CLOSURE = ['closure_summary'] as const satisfies readonly LetterKind[];

/** The step whose deadline an invitation names. */
const STEP_OF_INVITATION: Readonly<Partial<Record<LetterKind, string>>> = {
  parent_conversation_invitation: 'parent_conversation',
  action_plan_meeting_invitation: 'action_plan',
};

function closureOf(context: LetterContext, kind: LetterKind, field: string) {
  const closure = context.view.closure;
  if (closure === undefined) throw new LetterDataError(kind, field);
  return closure;
}

export const LETTER_FIELDS: readonly LetterField[] = [
  {
    name: 'pupilRef',
    description: 'Skolens elevreference (aldrig et navn eller et CPR-nummer)',
    kinds: ALL,
    multiline: false,
    value: ({ view }) => view.pupilRef,
  },
  {
    name: 'pupilName',
    description: 'Elevens navn fra skolens elevliste; »eleven«, når eleven ikke står i elevlisten',
    kinds: ALL,
    multiline: false,
    value: (context) => peopleOf(context).pupilName,
  },
  {
    name: 'guardianNames',
    description: 'Forældrenes navne fra skolens elevliste, fx »Carl Prøvesen og Dorte Prøvesen«; »forældre« når elevlisten ikke har dem',
    kinds: ALL,
    multiline: false,
    value: (context) => peopleOf(context).guardianNames,
  },
  {
    name: 'schoolId',
    description: 'Skolens id i systemet, fx »S1«',
    kinds: ALL,
    multiline: false,
    value: ({ view }) => view.schoolId,
  },
  {
    name: 'schoolName',
    description: 'Skolens navn fra schools.json; skolens id, når skolen ikke står der',
    kinds: ALL,
    multiline: false,
    value: (context) => peopleOf(context).schoolName,
  },
  {
    name: 'grade',
    description: 'Elevens klassetrin, fx »6. klasse«',
    kinds: ALL,
    multiline: false,
    value: ({ view }) => danishGrade(view.grade),
  },
  {
    name: 'tovholder',
    description: 'Tovholderen på forløbet, som skolen har registreret vedkommende',
    kinds: ALL,
    multiline: false,
    value: (context) => peopleOf(context).tovholder,
  },
  {
    name: 'openedOn',
    description: 'Datoen forløbet blev sat i gang, fx »18. november 2026«',
    kinds: ALL,
    multiline: false,
    value: ({ view }) => danishDate(view.openedOn),
  },
  {
    name: 'dueOn',
    description:
      'Fristen for samtalen eller mødet, fx »20. november 2026«: forældresamtalens frist (spor C) i invitationen til samtalen, handleplanens frist i invitationen til handleplansmødet',
    kinds: INVITATIONS,
    multiline: false,
    value: ({ view }, kind) => {
      const stepId = STEP_OF_INVITATION[kind];
      const step = view.steps.find((candidate) => candidate.stepId === stepId);
      if (step === undefined) throw new LetterDataError(kind, 'dueOn');
      return danishDate(step.dueOn);
    },
  },
  {
    name: 'closedOn',
    description: 'Datoen forløbet blev afsluttet, fx »18. november 2026«',
    kinds: CLOSURE,
    multiline: false,
    value: (context, kind) => danishDate(closureOf(context, kind, 'closedOn').closedOn),
  },
  {
    name: 'relapsePreventionPlan',
    description: 'Planen for at forebygge, at fraværet kommer igen, som skolen skrev den ved afslutningen',
    kinds: CLOSURE,
    multiline: true,
    value: (context, kind) => closureOf(context, kind, 'relapsePreventionPlan').relapsePreventionPlan.trim(),
  },
  {
    name: 'bridging',
    description: 'Beslutningen om brobygning til andre tilbud, som én sætning med skolens bemærkning',
    kinds: CLOSURE,
    multiline: false,
    value: (context, kind) => bridgingSentence(closureOf(context, kind, 'bridging').bridging),
  },
  {
    name: 'measures',
    description: 'Handleplanens indsatser som en liste, hver med sit spor og den ansvarlige',
    kinds: CLOSURE,
    multiline: true,
    value: ({ view }) =>
      bulletList(
        (view.plan?.measures ?? []).map(
          (measure) => `${TRACK_LABELS[measure.track]}: ${measure.description} (ansvarlig: ${measure.responsible})`,
        ),
        'Forløbet blev afsluttet efter kortlægningen, uden en handleplan.',
      ),
  },
  {
    name: 'measuresToKeep',
    description: 'De tiltag, der skal fortsætte efter afslutningen, som en liste',
    kinds: CLOSURE,
    multiline: true,
    value: (context, kind) =>
      bulletList(closureOf(context, kind, 'measuresToKeep').criteria.measuresToKeep, 'Der er ikke aftalt tiltag, som skal fortsætte.'),
  },
];

const BY_NAME: ReadonlyMap<string, LetterField> = new Map(LETTER_FIELDS.map((field) => [field.name, field]));

export function letterField(name: string): LetterField | undefined {
  return BY_NAME.get(name);
}

/** The names a template of this kind may use. */
export function fieldNamesFor(kind: LetterKind): string[] {
  return LETTER_FIELDS.filter((field) => field.kinds.includes(kind)).map((field) => field.name);
}
