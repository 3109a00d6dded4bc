/**
 * The HTTP application: JSON in and out, problem+json errors, the OpenAPI document and its
 * browsable rendering. Routes are thin; the use cases live in caseService.
 */
import type { Client } from '@temporalio/client';
import express, { type ErrorRequestHandler, type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { CaseStore } from '../db/types';
import type { CaseWorkflowOptions } from '../workflows';
import { createCaseService } from './caseService';
import { casesRouter } from './casesRoutes';
import { buildOpenApiDocument } from './openapi';
import { DomainFailure, problemFromDomainError, sendProblem } from './problem';

export interface AppDeps {
  client: Client;
  store: CaseStore;
  health: () => Promise<{ temporal: boolean; database: boolean }>;
  taskQueue?: string;
  workflowOptions?: CaseWorkflowOptions;
  now?: () => Date;
  /** Where errors the user cannot act on are reported (never with request bodies). */
  logError?: (message: string, error: unknown) => void;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '256kb' }));

  const service = createCaseService({
    client: deps.client,
    store: deps.store,
    ...(deps.taskQueue !== undefined ? { taskQueue: deps.taskQueue } : {}),
    ...(deps.workflowOptions !== undefined ? { workflowOptions: deps.workflowOptions } : {}),
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });

  app.get('/health', async (_req, res) => {
    const status = await deps.health().catch(() => ({ temporal: false, database: false }));
    const ready = status.temporal && status.database;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ok' : 'starting',
      temporal: status.temporal ? 'ok' : 'unavailable',
      database: status.database ? 'ok' : 'unavailable',
    });
  });

  const openApiDocument = buildOpenApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApiDocument, { customSiteTitle: 'Fraværsforløb API' }));

  app.use('/api/cases', casesRouter(service));

  app.use((_req, res) => {
    sendProblem(res, { type: 'about:blank', title: 'Not found', status: 404, detail: 'no route matches this path' });
  });

  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (error instanceof DomainFailure) return sendProblem(res, problemFromDomainError(error.error));
    const bodyParserType = (error as { type?: unknown }).type;
    if (bodyParserType === 'entity.parse.failed') {
      return sendProblem(res, {
        type: 'https://fravaersforloeb.dk/problems/invalid-input',
        title: 'Invalid request',
        status: 400,
        detail: 'the body is not valid JSON',
        errors: [{ path: '(body)', message: 'is not valid JSON' }],
      });
    }
    if (bodyParserType === 'entity.too.large') {
      return sendProblem(res, { type: 'about:blank', title: 'Payload too large', status: 413, detail: 'the body is larger than 256 kB' });
    }
    deps.logError?.('request failed', error);
    return sendProblem(res, { type: 'about:blank', title: 'Internal error', status: 500, detail: 'the request could not be completed' });
  };
  app.use(onError);
  return app;
}
