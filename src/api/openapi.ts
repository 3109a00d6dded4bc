/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers validate with, so
 * the document and the behaviour cannot drift apart.
 */
import { z } from 'zod';
import * as schemas from '../domain/schemas';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function componentSchemas(): Record<string, unknown> {
  // Touch the schemas so their ids are registered before the registry is read.
  void schemas;
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
        items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  };
  return cleaned;
}

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const caseAnswer = { description: 'The case after the action', content: { 'application/json': { schema: ref('Case') } } };
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Repeating a request with the same key returns the first result and changes nothing more',
  schema: { type: 'string', maxLength: 200 },
};
const caseIdParam = { name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

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

export function buildOpenApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fraværsforløb API',
      version: '1.0.0',
      description:
        'Case packages (forløbspakker) for pupils whose school absence is concerning: mapping, action plan, follow-up and closure.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
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
            201: { description: 'The opened case', content: { 'application/json': { schema: ref('Case') } } },
            400: problem('The body is malformed or fails its schema (a CPR-shaped pupilRef included)'),
            422: problem('A domain rule is broken (an opening date in the future)'),
          },
        },
        get: {
          summary: 'List cases',
          parameters: ['schoolId', 'phase', 'tovholder'].map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: name === 'phase' ? { type: 'string', enum: schemas.phase.options } : { type: 'string' },
          })),
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
          responses: { 200: { description: 'The case', content: { 'application/json': { schema: ref('Case') } } }, 404: problem('No such case') },
        },
      },
      '/api/cases/{caseId}/steps/{stepId}/complete': action('Mark a mapping step done', 'CompleteStep', [
        { name: 'stepId', in: 'path', required: true, schema: { type: 'string' } },
      ]),
      '/api/cases/{caseId}/assessment': action('Record the assessment after the mapping', 'Assessment'),
      '/api/cases/{caseId}/plan': action('Adopt the action plan; each call is a new revision', 'PlanRevisionInput'),
      '/api/cases/{caseId}/follow-ups': action('Record a follow-up on the plan', 'FollowUpInput'),
      '/api/cases/{caseId}/escalations': action('Escalate the case one level on the ladder', 'EscalationInput'),
      '/api/cases/{caseId}/closure': action('Close the case', 'ClosureInput'),
    },
    components: { schemas: componentSchemas() },
  };
}
