/**
 * The HTTP application: JSON in and out, problem+json errors, the OpenAPI document and its
 * browsable rendering. Routes are thin; the use cases live in caseService.
 */
import type { Client } from '@temporalio/client';
import express, { type ErrorRequestHandler, type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { CaseStore, Database } from '../db/types';
import { loadLetterTemplates, type LetterTemplates } from '../letters/loadTemplates';
import { draftsRouter } from '../letters/routes';
import { createLetterDraftStore } from '../letters/store';
import { letterTemplatesRouter } from '../letters/templateRoutes';
import { createLetterTemplateStore } from '../letters/templateStore';
import { noticeDispatcherWaker } from '../notices/dispatcher';
import { noticesRouter } from '../notices/routes';
import type { DeadlineThresholds } from '../machines';
import type { CaseWorkflowOptions } from '../workflows';
import { createCalendarSettings } from '../calendar/calendarSettings';
import { danishDateOf } from '../domain/dates';
import { createResourceTeam } from '../resourceTeam/agenda';
import { calendarRouter } from './calendarRoutes';
import { resourceTeamRouter } from './resourceTeamRoutes';
import { createCaseService } from './caseService';
import { casesRouter } from './casesRoutes';
import { buildOpenApiDocument } from './openapi';
import { DomainFailure, problemFromDomainError, sendProblem } from './problem';
import { readModelRouter } from './readModelRoutes';

export interface AppDeps {
  client: Client;
  store: CaseStore;
  /**
   * The database the store writes to; the read-side routes (overdue board, monthly review,
   * timeline, phase durations) query it. Without it those routes answer 503.
   */
  db?: Database;
  health: () => Promise<{ temporal: boolean; database: boolean }>;
  taskQueue?: string;
  workflowOptions?: CaseWorkflowOptions;
  /** When "due soon" begins and when a late step goes to the leader (defaults: 3 and 10 school days). */
  thresholds?: DeadlineThresholds;
  now?: () => Date;
  /** The notice dispatcher's workflow id, woken when contacts change; default the service's one. */
  noticeDispatcherWorkflowId?: string;
  /** The shipped letter templates, shown while no template is set in the database; default: read and checked now. */
  letterTemplates?: LetterTemplates;
  /** Where errors the user cannot act on are reported (never with request bodies). */
  logError?: (message: string, error: unknown) => void;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '256kb' }));

  const calendarSettings = deps.db !== undefined ? createCalendarSettings(deps.db) : undefined;
  const service = createCaseService({
    client: deps.client,
    store: deps.store,
    ...(calendarSettings !== undefined
      ? { calendarFor: (schoolId: string, openedOn: string) => calendarSettings.calendarForCase(schoolId, openedOn) }
      : {}),
    ...(deps.taskQueue !== undefined ? { taskQueue: deps.taskQueue } : {}),
    ...(deps.workflowOptions !== undefined ? { workflowOptions: deps.workflowOptions } : {}),
    ...(deps.thresholds !== undefined ? { thresholds: deps.thresholds } : {}),
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

  if (deps.db !== undefined) {
    const now = deps.now ?? (() => new Date());
    const settings = createCalendarSettings(deps.db);
    app.use(
      '/api',
      readModelRouter({
        db: deps.db,
        now,
        calendarOf: (schoolId) => settings.calendarForCase(schoolId, danishDateOf(now())),
        ...(deps.thresholds !== undefined ? { thresholds: deps.thresholds } : {}),
      }),
    );
  } else {
    app.use(['/api/overdue', '/api/reviews', '/api/analytics', '/api/cases/:caseId/timeline'], (_req, res) => {
      sendProblem(res, { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the read model is not available in this process' });
    });
  }
  app.use('/api/cases', casesRouter(service));
  if (calendarSettings !== undefined) {
    app.use('/api/calendar', calendarRouter({ settings: calendarSettings, now: deps.now ?? (() => new Date()) }));
  }
  if (deps.db !== undefined) {
    app.use('/api/resource-team', resourceTeamRouter({ team: createResourceTeam(deps.db), now: deps.now ?? (() => new Date()) }));
  }
  // Letter drafts are kept in the same database; without it their routes are not there.
  if (deps.db !== undefined) app.use('/api', draftsRouter(createLetterDraftStore(deps.db)));
  // The municipality's own letter templates are kept there too, over the shipped files.
  if (deps.db !== undefined) {
    app.use('/api', letterTemplatesRouter(createLetterTemplateStore(deps.db, deps.letterTemplates ?? loadLetterTemplates())));
  }
  // The contacts directory and the notice outbox live there too.
  if (deps.db !== undefined) {
    app.use(
      '/api',
      noticesRouter({
        db: deps.db,
        now: deps.now ?? (() => new Date()),
        wakeDispatcher: noticeDispatcherWaker(deps.client, deps.noticeDispatcherWorkflowId),
      }),
    );
  }

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
