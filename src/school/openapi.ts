/**
 * The school's data routes in the OpenAPI document. Importing this module also registers their
 * schemas (Pupil, PupilAbsence, …) for the document's components.
 */
import { idempotencyKeyParameter, queryParameters } from '../domain/openapiParameters';
import { ABSENCE_COLUMNS } from './absence';
import { ROSTER_COLUMNS } from './directory';
import { absenceAtOpening, candidateDecision, candidateRun, dismissInput, signalList } from './signalSchemas';
import { openFromCandidateInput } from './signalRoutes';
import { OPSPORING_RULES } from './opsporing';
import { absenceImportResult, figuresQuery, pupil, pupilAbsence, pupilList, rosterResult, schoolAbsenceList, schoolFiguresQuery } from './schemas';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const json = (description: string, id: string) => ({ description, content: { 'application/json': { schema: ref(id) } } });
const schoolIdParam = { name: 'schoolId', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: 64 } };
const pupilRefParam = { name: 'pupilRef', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]+$', minLength: 1, maxLength: 64 } };
const csvBody = (description: string) => ({ required: true, description, content: { 'text/csv': { schema: { type: 'string' } } } });
const csvRefusals = {
  413: problem('The file is larger than 64 MB'),
  415: problem('The body is not text/csv'),
};

const id = (schema: { meta(): { id?: string } | undefined }, fallback: string) => schema.meta()?.id ?? fallback;

export function schoolDataPaths() {
  return {
    '/api/schools/{schoolId}/pupils': {
      put: {
        summary: 'Replace the school’s pupil directory with a roster (CSV)',
        description:
          `The canonical roster: a header row, \`;\` or \`,\` as separator: ${ROSTER_COLUMNS.join(', ')} (guardian columns may be empty). ` +
          'Or Tabulex TEA’s pupil export as it is (Elev.txt: a first line with only the school year, then one pupil a line, fields separated by ¤); ' +
          'its CPR numbers and addresses are read past and stored nowhere, and, as it has no guardians, those in the directory are kept. ' +
          'The format is recognised by the file’s shape (`format` in the answer). UTF-8 or Windows-1252, told apart by the bytes. ' +
          'Pupils missing from the file are marked as left, not deleted, so their cases stay readable. A file with a bad row is refused whole, ' +
          'every bad row named (`errors[].row` is its line, the header being line 1); nothing is changed.',
        parameters: [schoolIdParam],
        requestBody: csvBody('The roster'),
        responses: {
          200: json('What changed', id(rosterResult, 'RosterImportResult')),
          400: problem('A bad schoolId, or a file with bad rows or missing columns; `errors` names each'),
          ...csvRefusals,
        },
      },
      get: {
        summary: 'The school’s pupil directory (names and guardians: the school’s own staff only)',
        parameters: [schoolIdParam],
        responses: { 200: json('The pupils', id(pupilList, 'PupilList')), 400: problem('A bad schoolId or query parameter') },
      },
    },
    '/api/schools/{schoolId}/pupils/{pupilRef}': {
      get: {
        summary: 'One pupil of the directory',
        parameters: [schoolIdParam, pupilRefParam],
        responses: { 200: json('The pupil', id(pupil, 'Pupil')), 400: problem('A bad schoolId or pupilRef'), 404: problem('No such pupil at the school') },
      },
    },
    '/api/schools/{schoolId}/absence': {
      post: {
        summary: 'Add and correct absence registrations (CSV)',
        description:
          `UTF-8 or Windows-1252, a header row, \`;\` or \`,\` as separator: ${ABSENCE_COLUMNS.join(', ')}. \`mark\` is \`day\` for grades 0–6, \`start\` or \`end\` for grades 7–10; ` +
          '`category` is `illness`, `leave` or `unlawful`. The same row again changes nothing; a later row for the same pupil, date and mark replaces the earlier one. ' +
          'A file with any bad row (unknown pupil, not a school day on the school’s calendar, a mark that does not fit the grade, an unknown category, a malformed date) ' +
          'is refused whole with every bad row in `errors`; nothing of it is written.',
        parameters: [schoolIdParam],
        requestBody: csvBody('The registrations'),
        responses: {
          200: json('What the file did', id(absenceImportResult, 'AbsenceImportResult')),
          400: problem('A bad schoolId, or a file with bad rows or unknown columns; `errors` names each row and why'),
          ...csvRefusals,
        },
      },
      get: {
        summary: 'Every pupil’s figures: the quarter of `on` and the school year so far',
        parameters: [schoolIdParam, ...queryParameters(schoolFiguresQuery)],
        responses: { 200: json('The figures', id(schoolAbsenceList, 'SchoolAbsenceList')), 400: problem('A bad schoolId or query parameter') },
      },
    },
    '/api/schools/{schoolId}/absence/signals': {
      get: {
        summary: 'The school’s concern candidates (opsporing) as of a day, each with why in Danish',
        description:
          `A pupil is a candidate when the school year’s total absence share is over ${OPSPORING_RULES.totalShareAbove * 100} %, or on a pattern: absence on the same weekday in ` +
          `${OPSPORING_RULES.sameWeekdayWeeks} or more of the last ${OPSPORING_RULES.weekdayWindowWeeks} school weeks, on ${OPSPORING_RULES.nextToHolidayDays} or more school days next to a holiday, ` +
          `or ${OPSPORING_RULES.singleDays} or more single whole days. Pupils with an open case, and pupils dismissed whose share has not risen since, are in \`marked\`, not \`items\`.`,
        parameters: [schoolIdParam, ...queryParameters(schoolFiguresQuery)],
        responses: { 200: json('The candidates', id(signalList, 'SignalList')), 400: problem('A bad schoolId or query parameter') },
      },
    },
    '/api/schools/{schoolId}/absence/signals/last-run': {
      get: {
        summary: 'The last opsporing run for the school (the nightly schedule, or run now)',
        parameters: [schoolIdParam],
        responses: { 200: json('The run', id(candidateRun, 'CandidateRun')), 400: problem('A bad schoolId or query parameter') },
      },
    },
    '/api/schools/{schoolId}/absence/signals/run': {
      post: {
        summary: 'Run opsporing for the school now (the nightly workflow, for this school) and answer its result',
        parameters: [schoolIdParam],
        responses: { 200: json('The candidates', id(signalList, 'SignalList')), 400: problem('A bad schoolId') },
      },
    },
    '/api/schools/{schoolId}/absence/candidates/{pupilRef}/dismiss': {
      post: {
        summary: 'Dismiss a concern candidate with a reason; the pupil returns only when the total share rises further',
        parameters: [schoolIdParam, pupilRefParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref(id(dismissInput, 'DismissCandidateInput')) } } },
        responses: {
          200: json('The decision', id(candidateDecision, 'CandidateDecision')),
          400: problem('A bad schoolId, pupilRef or body; `errors` names it'),
          422: problem('The pupil is not a concern candidate now'),
        },
      },
    },
    '/api/schools/{schoolId}/absence/candidates/{pupilRef}/case': {
      post: {
        summary: 'Open a case from a concern candidate (concern source “absence data”; the figures are kept with the case)',
        description:
          'Send an `Idempotency-Key` (a form sends its own) so that a request sent twice opens one case: the second answers the case the first opened. ' +
          'Without one, the candidate and its figures key the case. The figures and reasons kept are at `GET /api/cases/{caseId}/absence-at-opening`.',
        parameters: [schoolIdParam, pupilRefParam, idempotencyKeyParameter],
        requestBody: { required: true, content: { 'application/json': { schema: ref(id(openFromCandidateInput, 'OpenCaseFromCandidateInput')) } } },
        responses: {
          201: json('The case', 'Case'),
          400: problem('A bad schoolId, pupilRef or body; `errors` names it'),
          422: problem('The pupil is not a concern candidate now, or the opening breaks a rule'),
        },
      },
    },
    '/api/cases/{caseId}/absence-at-opening': {
      get: {
        summary: 'The concern candidate’s figures and reasons a case was opened on (null for a case opened otherwise)',
        parameters: [{ name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          200: json('The figures kept with the case', id(absenceAtOpening, 'AbsenceAtOpening')),
          400: problem('A bad caseId or query parameter'),
          404: problem('No such case (or one outside the caller’s reach)'),
        },
      },
    },
    '/api/schools/{schoolId}/pupils/{pupilRef}/absence': {
      get: {
        summary: 'A pupil’s absence figures as of a day',
        description:
          'Per calendar quarter of the school year the unlawful share (unlawful absence days ÷ school days in the whole quarter, on the school’s calendar); ' +
          'for the school year (from 1 August) each category’s days and the total share so far. A `day` mark is a day, `start` or `end` half a day. ' +
          'With `from`, also week by week (each week from its Monday).',
        parameters: [schoolIdParam, pupilRefParam, ...queryParameters(figuresQuery)],
        responses: {
          200: json('The figures', id(pupilAbsence, 'PupilAbsence')),
          400: problem('A bad schoolId, pupilRef or query parameter'),
          404: problem('No such pupil at the school'),
        },
      },
    },
  };
}
