/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with, so
 * the document and the behaviour cannot drift apart.
 */
import { z } from 'zod';
import * as readModelSchemas from '../domain/readModelSchemas';
import * as schemaKit from '../domain/schemaKit';
import * as schemas from '../domain/schemas';
import { letterDraftPaths, letterTemplatePaths } from '../letters/openapi';
import { noticePaths } from '../notices/openapi';
import { selfAssessmentPaths } from '../selfAssessment/openapi';
import { schoolDataPaths } from '../school/openapi';
import { calendarQuery, deadlineQuery, holidaysQuery } from './calendarRoutes';
import { agendaQuery, rhythmQuery } from './resourceTeamRoutes';
import { auditQuery } from '../access/auditLog';
import { idempotencyKeyParameter, queryParameters } from '../domain/openapiParameters';
import { CASE_ACTIONS } from '../machines';
import { handoverQuery } from '../handover/package';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function componentSchemas(): Record<string, unknown> {
  // Touch the schemas so their ids are registered before the registry is read; an action's own
  // schemas are built (and registered) when first asked for.
  void schemas;
  void readModelSchemas;
  for (const declared of CASE_ACTIONS) declared.schemasOf(schemaKit);
  const { schemas: all } = z.toJSONSchema(z.globalRegistry, {
    uri: (id) => `#/components/schemas/${id}`,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as { schemas: Record<string, Record<string, unknown>> };
  const cleaned: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(all)) {
    const { $schema: _schema, $id: _id, ...rest } = schema;
    cleaned[id] = rest;
  }
  cleaned.Problem = {
    type: 'object',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: {
            path: { type: 'string' },
            message: { type: 'string' },
            row: { type: 'integer', description: 'For a refused file: the bad row’s line in the file (the header is line 1)' },
          },
        },
      },
    },
  };
  return cleaned;
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

/** An operation of this document by path and method (a JSON pointer: `/` in the path is `~1`). */
const operationRef = (path: string, method: 'get' | 'post') => `#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}`;

/**
 * OpenAPI links from every answer that is a Case to what can be done with that case next, so a
 * client (and a stateful fuzzer such as schemathesis) goes from opening a case to its operations
 * with a real caseId, and to completing its first open step with a real stepId.
 */
function caseLinks(): Record<string, unknown> {
  const caseId = { caseId: '$response.body#/caseId' };
  const byId = (path: string, method: 'get' | 'post', description: string, extra: Record<string, string> = {}) => ({
    operationRef: operationRef(path, method),
    parameters: { ...caseId, ...extra },
    description,
  });
  // Every declared action is reachable from a case; a step takes the case's first step.
  const actions = Object.fromEntries(
    CASE_ACTIONS.map((declared) => {
      const path = `/api/cases/{caseId}/${declared.http.path.replace(/:(\w+)/g, '{$1}')}`;
      const extra: Record<string, string> = declared.http.path.includes(':stepId')
        ? { stepId: '$response.body#/steps/0/stepId' }
        : declared.http.path.includes(':consentId')
          ? { consentId: '$response.body#/consents/0/consentId' }
          : {};
      return [`Action_${declared.name}`, byId(path, 'post', declared.http.summary, extra)];
    }),
  );
  return {
    GetCase: byId('/api/cases/{caseId}', 'get', 'The case in full'),
    GetTimeline: byId('/api/cases/{caseId}/timeline', 'get', 'Its phases and events'),
    GetDrafts: byId('/api/cases/{caseId}/drafts', 'get', 'Its letter drafts'),
    GetHandover: byId('/api/cases/{caseId}/handover', 'get', 'Its handover package (once escalated)'),
    GetHandoverPdf: byId('/api/cases/{caseId}/handover/pdf', 'get', 'Its handover package as PDF'),
    GetAbsenceAtOpening: byId('/api/cases/{caseId}/absence-at-opening', 'get', 'The opsporing figures it was opened on, if any'),
    ...actions,
  };
}

const caseContent = { 'application/json': { schema: ref('Case') } };
const caseAnswer = { description: 'The case after the action', content: caseContent, links: caseLinks() };
const idempotencyKey = idempotencyKeyParameter;
const caseIdParam = { name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/** One operation per declared case action (src/machines/case/actions): path, body and summary from the declaration. */
function caseActionPaths() {
  return Object.fromEntries(
    CASE_ACTIONS.map((declared) => {
      const pathParams = [...declared.http.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
      const body = z.globalRegistry.get(declared.schemasOf(schemaKit).body)?.id;
      if (body === undefined) throw new Error(`${declared.name}: its body schema has no component id`);
      const path = `/api/cases/{caseId}/${declared.http.path.replace(/:(\w+)/g, '{$1}')}`;
      return [path, action(declared.http.summary, body, pathParams)];
    }),
  );
}

function action(summary: string, body: string, extraParams: unknown[] = []) {
  return {
    post: {
      summary,
      parameters: [caseIdParam, ...extraParams, idempotencyKey],
      requestBody: { required: true, content: { 'application/json': { schema: ref(body) } } },
      responses: {
        200: caseAnswer,
        400: problem('The body is malformed or fails its schema; `errors` names each field'),
        404: problem('No such case (or step)'),
        409: problem('The case cannot take this action in its current phase'),
        422: problem('A domain rule is broken; `errors` names the fields'),
      },
    },
  };
}

const jsonAnswer = (description: string, id: string) => ({ description, content: { 'application/json': { schema: ref(id) } } });
const badFilter = problem('A bad or unknown query parameter; `errors` names it');

/** The read side: boards, reviews, timelines and the municipality's figures. */
function readModelPaths() {
  return {
    '/api/overdue': {
      get: {
        summary: 'The overdue board: steps overdue or due soon today in open cases, the most late first',
        parameters: queryParameters(readModelSchemas.overdueQuery),
        responses: { 200: jsonAnswer('Overdue and due-soon steps', 'OverdueBoard'), 400: badFilter },
      },
    },
    '/api/reviews/monthly': {
      get: {
        summary: 'The leader’s monthly review of every case active in the month, as of its last day (or today)',
        parameters: queryParameters(readModelSchemas.monthlyReviewQuery),
        responses: { 200: jsonAnswer('The review', 'MonthlyReview'), 400: badFilter },
      },
    },
    '/api/cases/{caseId}/handover': {
      get: {
        summary: 'The handover package for the resource team or, at level 3, an external partner: only what the parents’ consent (or §49a) for that partner covers',
        parameters: [caseIdParam, ...queryParameters(handoverQuery)],
        responses: {
          200: { description: 'The package: concern, mapping findings, the pupil’s own words, plan revisions with reviews, follow-ups, consents and the request, each part present only when covered' },
          404: problem('No such case'),
          409: problem('The case was not escalated (to this receiver)'),
        },
      },
    },
    '/api/cases/{caseId}/handover/pdf': {
      get: {
        summary: 'The same package as a PDF printed by Chromium',
        parameters: [caseIdParam, ...queryParameters(handoverQuery)],
        responses: {
          200: { description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } },
          404: problem('No such case'),
          409: problem('The case was not escalated (to this receiver)'),
          503: problem('No PDF engine on this server'),
        },
      },
    },
    '/api/cases/{caseId}/timeline': {
      get: {
        summary: 'A case’s phases with the time spent in each, and every recorded event',
        parameters: [caseIdParam],
        responses: { 200: jsonAnswer('The timeline', 'CaseTimeline'), 404: problem('No such case') },
      },
    },
    '/api/analytics/phase-durations': {
      get: {
        summary: 'Time spent per phase (median, 90th percentile), steps on time, escalations, closures and reopenings',
        description:
          'Send `Accept: text/csv` for the same figures as CSV (UTF-8 with BOM): rows `scope,schoolId,phase,cases,open,medianDays,p90Days,q1Days,q3Days`, a blank line, then `metric,value` rows.',
        parameters: queryParameters(readModelSchemas.phaseDurationsQuery),
        responses: {
          200: {
            description: 'The figures',
            content: {
              'application/json': { schema: ref('PhaseDurations') },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          400: badFilter,
        },
      },
    },
  };
}

/** The school calendar and the recomputation of a case's deadlines on it. */
function calendarPaths() {
  return {
    '/api/calendar': {
      get: {
        summary: 'A school’s days off in a year: public holidays and its school holidays (its own, the municipality’s, or the defaults)',
        parameters: queryParameters(calendarQuery),
        responses: { 200: { description: 'The calendar: { schoolId, year, source, holidays: [{ from, to, name, kind }] }' }, 400: badFilter },
      },
    },
    '/api/calendar/deadline': {
      get: {
        summary: 'When a legal time limit ends: `schoolDays` on the school’s calendar (e.g. 15 for sick-teaching) or `workingDays`, which skip weekends and public holidays only (e.g. 10 for an action plan on the learning environment)',
        parameters: queryParameters(deadlineQuery),
        responses: { 200: { description: '{ schoolId, from, schoolDays | workingDays, dueOn }' }, 400: badFilter },
      },
    },
    '/api/calendar/school-holidays': {
      put: {
        summary: 'Set the school holidays of a year for a school, or for the whole municipality when schoolId is left out',
        parameters: queryParameters(holidaysQuery),
        requestBody: { required: true, content: { 'application/json': { schema: ref('SchoolHolidaysInput') } } },
        responses: {
          200: { description: 'The holidays now in force' },
          400: problem('A holiday that ends before it starts, or lies outside the year; the old holidays stay in force'),
        },
      },
    },
    '/api/calendar/school-holiday': {
      put: {
        summary: 'Set one school holiday of a year (by its name: replaced, or added), keeping every other holiday in force, the defaults too',
        parameters: queryParameters(holidaysQuery),
        requestBody: { required: true, content: { 'application/json': { schema: ref('Holiday') } } },
        responses: {
          200: { description: 'The holidays now in force: { scope, year, holidays }' },
          400: problem('A holiday that ends before it starts, or lies outside the year; the holidays in force stay'),
        },
      },
    },
    '/api/resource-team/agenda': {
      get: {
        summary: 'The agenda of the resource team’s first meeting on or after `on` (default today): the cases escalated since the meeting before',
        parameters: queryParameters(agendaQuery),
        responses: {
          200: {
            description:
              '{ schoolId, meetingOn, previousMeetingOn (null before the first meeting), nextMeetingOn, items: [{ caseId, level, reason, addedAt, escalatedOn, externalResources? }] }',
          },
          400: badFilter,
        },
      },
    },
    '/api/resource-team/rhythm': {
      get: {
        summary: 'When a school’s resource team meets: every intervalDays from firstMeetingOn (a meeting on a day off is held the next school day); the default every other Tuesday until the school sets its own',
        parameters: queryParameters(rhythmQuery),
        responses: { 200: { description: '{ schoolId, firstMeetingOn, intervalDays, source: school | default }' }, 400: badFilter },
      },
      put: {
        summary: 'Set when a school’s resource team meets: every intervalDays (default 14) from firstMeetingOn',
        parameters: queryParameters(rhythmQuery),
        requestBody: { required: true, content: { 'application/json': { schema: ref('ResourceTeamRhythm') } } },
        responses: { 200: { description: 'The rhythm now in force' }, 400: problem('No start date, or an interval outside 7–28 days') },
      },
    },
  };
}

/** The audit log and the codec endpoint, both behind the gate. */
function accessPaths() {
  const codecBody = {
    required: true,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['payloads'],
          properties: { payloads: { type: 'array', items: { type: 'object', properties: { metadata: { type: 'object' }, data: { type: 'string' } } } } },
        },
      },
    },
  };
  const codecOperation = (summary: string) => ({
    post: { summary, requestBody: codecBody, responses: { 200: { description: 'The payloads, converted' }, 400: problem('Not a list of payloads'), 422: problem('A payload’s key is not in the keyring') } },
  });
  return {
    '/api/audit': {
      get: {
        summary: 'The audit log: who read or changed which case, newest first (admins)',
        parameters: queryParameters(auditQuery),
        responses: { 200: { description: 'Audit entries', content: { 'application/json': { schema: ref('AuditList') } } }, 400: problem('A bad filter') },
      },
    },
    '/codec/decode': codecOperation('Temporal’s remote codec protocol: decrypt payloads (admins of every school; the Temporal UI)'),
    '/codec/encode': codecOperation('Temporal’s remote codec protocol: encrypt payloads'),
  };
}

/**
 * Everything under /api and /codec needs a bearer token: each operation says so, with the
 * answers the gate gives before a route runs.
 */
function withBearerAuth<T extends Record<string, Record<string, { responses?: Record<string, unknown> }>>>(paths: T): T {
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith('/api') && !path.startsWith('/codec')) continue;
    for (const operation of Object.values(operations) as {
      security?: unknown;
      parameters?: unknown[];
      requestBody?: unknown;
      responses?: Record<string, unknown>;
    }[]) {
      operation.security = [{ bearer: [] }];
      const takesInput = operation.requestBody !== undefined || (operation.parameters ?? []).some((p) => (p as { in?: string }).in !== 'path');
      operation.responses = {
        ...operation.responses,
        // Every header, query parameter and body is checked: a bad one is 400 wherever it is.
        ...(takesInput && operation.responses?.[400] === undefined ? { 400: problem('A bad header, query parameter or body; `errors` names it') } : {}),
        401: problem('No valid bearer token (missing, expired, wrongly signed, wrong issuer or audience)'),
        ...(operation.responses?.[403] === undefined ? { 403: problem('The caller’s role or schools do not reach this; cases answer 404 instead') } : {}),
        ...(operation.requestBody !== undefined && operation.responses?.[415] === undefined
          ? { 413: problem('The body is larger than 256 kB'), 415: problem('The body is not application/json') }
          : {}),
        429: problem('Too many requests from this caller; see Retry-After'),
        503: problem('Temporal, the database or the identity provider is not answering now; see Retry-After'),
      };
    }
  }
  return paths;
}

export function buildOpenApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fraværsforløb API',
      version: '1.0.0',
      description:
        'Case packages (forløbspakker) for pupils whose school absence is concerning: mapping, action plan, follow-up and closure.\n\n' +
        'The case package as a diagram, drawn from the state machine that runs every case: [forløbspakken (SVG)](/docs/forloebspakke.svg). ' +
        'People use the service in the browser at [/](/).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: withBearerAuth({
      '/health': {
        get: {
          summary: 'Readiness of the service, Temporal and the database',
          responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready yet' } },
        },
      },
      '/api/cases': {
        post: {
          summary: 'Open a case (the school leader’s decision) and start its mapping',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: { 'application/json': { schema: ref('OpenCase') } } },
          responses: {
            201: { description: 'The opened case', content: caseContent, links: caseLinks() },
            400: problem('The body is malformed or fails its schema (a CPR-shaped pupilRef included)'),
            422: problem('A domain rule is broken (an opening date in the future)'),
          },
        },
        get: {
          summary: 'List cases',
          parameters: queryParameters(schemas.listCasesQuery),
          responses: {
            200: {
              description: 'Case summaries',
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('CaseSummary') } } },
                },
              },
            },
            400: problem('A bad filter'),
          },
        },
      },
      '/api/cases/{caseId}': {
        get: {
          summary: 'One case, in full',
          parameters: [caseIdParam],
          responses: { 200: { description: 'The case', content: caseContent, links: caseLinks() }, 404: problem('No such case') },
        },
      },
      ...caseActionPaths(),
      ...letterDraftPaths(),
      ...letterTemplatePaths(),
      ...noticePaths(),
      ...readModelPaths(),
      ...calendarPaths(),
      ...accessPaths(),
      ...selfAssessmentPaths(),
      ...schoolDataPaths(),
    }),
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT with `role` and `schools` claims (README: Access and privacy)' },
      },
    },
  };
}
