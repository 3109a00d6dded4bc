/**
 * The HTTP application: JSON in and out, problem+json errors, the OpenAPI document and its
 * browsable rendering. Routes are thin; the use cases live in caseService.
 */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { accessGuard, auditRouter, authenticate, codecSessionRouter, createAuditLog, principalOf, type TokenVerifier } from '../access';
import type { SecurityConfig } from '../config';
import type { CaseStore, Database } from '../db/types';
import { loadLetterTemplates, type LetterTemplates } from '../letters/loadTemplates';
import { draftsRouter } from '../letters/routes';
import { letterTemplatesRouter } from '../letters/templateRoutes';
import { createLetterTemplateStore } from '../letters/templateStore';
import { noticeDispatcherWaker } from '../notices/dispatcher';
import { noticesRouter } from '../notices/routes';
import type { DeadlineThresholds } from '../machines';
import type { CaseWorkflowOptions } from '../workflows';
import { createCalendarSettings } from '../calendar/calendarSettings';
import { danishDateOf } from '../domain/dates';
import { createResourceTeam } from '../resourceTeam/agenda';
import { codecRouter } from '../temporal/codecServer';
import { calendarRouter } from './calendarRoutes';
import { resourceTeamRouter } from './resourceTeamRoutes';
import { createCaseService } from './caseService';
import { casesRouter } from './casesRoutes';
import { buildOpenApiDocument } from './openapi';
import { DomainFailure } from '../domain/errors';
import { sendDomainError } from '../domain/problems';
import { unavailableDependency } from '../unavailable';
import { readModelRouter } from './readModelRoutes';
import { selfAssessmentRouter } from '../selfAssessment/routes';
import { createUi, type UiOptions } from '../ui';
import { createRenderer } from '../ui/render';
import { handoverRouter } from '../handover/routes';
import { chromiumPdfRenderer, type PdfRenderer } from '../handover/pdf';
import { createAbsenceImport } from '../school/absence';
import { createPupilDirectory } from '../school/directory';
import { createAbsenceFigures } from '../school/figures';
import { CSV_BODY_LIMIT, CSV_ROUTE, schoolDataRouter } from '../school/routes';
import { createSchoolDays } from '../school/schoolDays';
import { createOpsporing } from '../school/opsporing';
import { runOpsporingNow } from '../school/schedule';
import { signalRouter } from '../school/signalRoutes';

export interface AppDeps {
  client: Client;
  store: CaseStore;
  /** The database the store writes to; the read side, settings and the audit log live there too. */
  db: Database;
  /** Checks the bearer token every /api request must carry. */
  tokens: TokenVerifier;
  /** CORS origins and the per-caller rate limit; default: CORS closed, 600 requests a minute. */
  security?: Partial<SecurityConfig>;
  /** The codecs Temporal payloads go through; given, `/codec` decodes them for admins of every school (the Temporal UI). */
  payloadCodecs?: readonly PayloadCodec[];
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
  /** Prints the handover package as PDF; default Chromium at CHROMIUM_PATH (the route answers 503 without it). */
  pdf?: PdfRenderer;
  /** The web UI and how people sign in to it; left out, the app serves the API alone. */
  ui?: UiOptions;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS']);

/** What a 503 asks the caller to wait: long enough for a restart, short enough not to be noticed. */
const RETRY_AFTER_SECONDS = 5;

/** A request carries a body when it declares a length above 0 or is chunked (RFC 9112 §6.3). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // No upgrade-insecure-requests: a school's intranet may serve plain http, and forms must still post.
  // Referrer same-origin (not no-referrer): browsers then send our own Origin with form posts,
  // which the pages check; URLs carry no pupil data, and no referrer leaves the site.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  const corsOrigins = deps.security?.corsOrigins ?? [];
  // Closed unless origins are configured: a browser on any other site gets no CORS headers.
  app.use(
    cors({
      origin: corsOrigins.length > 0 ? corsOrigins : false,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Accept', 'X-Namespace'],
      exposedHeaders: ['Location', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
      maxAge: 600,
      // The Temporal UI sends its codec calls with the codec session cookie.
      credentials: true,
    }),
  );

  // No route takes TRACE or CONNECT (TRACE would echo the bearer token back): 405, not 404.
  app.use((req, _res, next) => {
    if (KNOWN_METHODS.has(req.method)) return next();
    next(new DomainFailure({ code: 'method_not_allowed', detail: `${req.method} is not served here`, allow: [...KNOWN_METHODS] }));
  });

  const now = deps.now ?? (() => new Date());
  const db = deps.db;
  const calendarSettings = createCalendarSettings(db);
  const service = createCaseService({
    client: deps.client,
    store: deps.store,
    calendarFor: (schoolId: string, openedOn: string) => calendarSettings.calendarForCase(schoolId, openedOn),
    ...(deps.taskQueue !== undefined ? { taskQueue: deps.taskQueue } : {}),
    ...(deps.workflowOptions !== undefined ? { workflowOptions: deps.workflowOptions } : {}),
    ...(deps.thresholds !== undefined ? { thresholds: deps.thresholds } : {}),
    ...(deps.now !== undefined ? { now: deps.now } : {}),
    ...(deps.security?.requestWaitSeconds !== undefined ? { waitMs: deps.security.requestWaitSeconds * 1000 } : {}),
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

  // The pages: their own paths only, before the API docs (whose /docs would take /docs/forloebspakke).
  const pdf = deps.pdf ?? chromiumPdfRenderer();
  const ui = deps.ui !== undefined ? createUi({ ...deps.ui, db, now, pdf, ...(deps.logError ? { logError: deps.logError } : {}) }) : undefined;
  if (ui !== undefined) app.use(ui.handler);

  const openApiDocument = buildOpenApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApiDocument, { customSiteTitle: 'Fraværsforløb API' }));

  // Everything under /api (and the codec endpoint) needs a valid bearer token and a row in the
  // access table; every case an answer shows or changes is written to the audit log first.
  const perMinute = deps.security?.requestsPerMinute ?? 600;
  const tooMany = (_req: Request, res: Response) =>
    sendDomainError(res, { code: 'too_many_requests', detail: `more than ${perMinute} requests a minute; wait and try again` });
  const audit = createAuditLog(db);
  app.use(
    ['/api', '/codec'],
    // Failed sign-ins per address, so tokens cannot be guessed at speed.
    rateLimit({
      windowMs: 60_000,
      limit: perMinute,
      skipSuccessfulRequests: true,
      // Only refused sign-ins count: behind a proxy every caller shares one address.
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      // The per-caller limit below is the one callers see in RateLimit headers (one policy, sent
      // once); this one only says when to come back once it refuses.
      standardHeaders: false,
      legacyHeaders: false,
      handler: (req, res) => {
        const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        res.set('Retry-After', String(Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000))));
        tooMany(req, res);
      },
    }),
  );
  // The Temporal UI's codec session: a page that takes a token, before the bearer check.
  if (deps.payloadCodecs !== undefined) app.use('/codec', codecSessionRouter(deps.tokens));
  app.use(
    ['/api', '/codec'],
    authenticate(deps.tokens, deps.logError),
    rateLimit({
      windowMs: 60_000,
      limit: perMinute,
      keyGenerator: (_req, res) => `${principalOf(res).role}:${principalOf(res).sub}`,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: tooMany,
    }),
  );
  // A body in another type would be skipped by the JSON parser and taken as empty (a step
  // completed today instead of on the date sent): refused instead. Bodiless requests pass.
  app.use('/api', (req, _res, next) => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
    if (!hasBody(req) || req.is(['application/json', 'application/*+json']) !== false) return next();
    // The school's roster and absence files come as CSV.
    if (CSV_ROUTE.test(req.path) && req.is(['text/csv', 'text/plain']) !== false) return next();
    next(
      new DomainFailure({
        code: 'unsupported_media_type',
        detail: CSV_ROUTE.test(req.path) ? 'send the file as text/csv (UTF-8 or Windows-1252)' : 'send the body as application/json',
      }),
    );
  });
  // The codec endpoint reads payload-sized bodies (up to 2 MB each) with its own parser.
  app.use('/api', express.json({ limit: '256kb' }));
  // The school's files as bytes: their encoding is read from the bytes (src/school/encoding.ts).
  app.use('/api/schools', express.raw({ type: ['text/csv', 'text/plain'], limit: CSV_BODY_LIMIT }));
  app.use(['/api', '/codec'], accessGuard({ db, audit, ...(deps.logError ? { logError: deps.logError } : {}) }));
  if (deps.payloadCodecs !== undefined) app.use('/codec', codecRouter({ codec: deps.payloadCodecs }));

  app.use(
    '/api',
    readModelRouter({
      db,
      now,
      calendarOf: (schoolId) => calendarSettings.calendarForCase(schoolId, danishDateOf(now())),
      ...(deps.thresholds !== undefined ? { thresholds: deps.thresholds } : {}),
    }),
  );
  const directory = createPupilDirectory(db);
  app.use(
    '/api/cases',
    handoverRouter({
      service,
      pdf,
      render: createRenderer(),
      today: () => danishDateOf(now()),
      pupilNameOf: async (schoolId, pupilRef) => {
        const pupil = await directory.get(schoolId, pupilRef);
        return pupil === null ? null : `${pupil.givenName} ${pupil.familyName}`;
      },
    }),
  );
  app.use('/api/cases', casesRouter(service));
  app.use('/api/calendar', calendarRouter({ settings: calendarSettings, now }));
  app.use('/api/resource-team', resourceTeamRouter({ team: createResourceTeam(db, (schoolId, on) => calendarSettings.calendarForCase(schoolId, on)), now }));
  const letterTemplates = deps.letterTemplates ?? loadLetterTemplates();
  app.use('/api', draftsRouter({ db, templates: letterTemplates }));
  // The municipality's own letter templates, over the shipped files.
  app.use('/api', letterTemplatesRouter(createLetterTemplateStore(db, letterTemplates)));
  // The contacts directory and the notice outbox.
  app.use(
    '/api',
    noticesRouter({
      db,
      now,
      wakeDispatcher: noticeDispatcherWaker(deps.client, deps.noticeDispatcherWorkflowId),
    }),
  );
  app.use('/api', auditRouter(audit));
  // The school's pupils and absence: the directory, the imports and the figures.
  const schoolDays = createSchoolDays(calendarSettings);
  app.use(
    '/api',
    schoolDataRouter({
      directory: createPupilDirectory(db),
      imports: createAbsenceImport(db, schoolDays),
      figures: createAbsenceFigures(db, schoolDays),
      now,
    }),
  );
  // Opsporing: the concern candidates, run nightly by a Temporal Schedule or now by the leader.
  app.use(
    '/api',
    signalRouter({
      db,
      opsporing: createOpsporing(db, schoolDays),
      openCase: (input, key) => service.openCase(input, key),
      runNow: (schoolId, on) => runOpsporingNow(deps.client, schoolId, on, deps.taskQueue),
      now,
    }),
  );
  // The municipality's self-assessment of its absence work (Børns Vilkår's tool).
  app.use('/api', selfAssessmentRouter({ db, now }));

  app.use((req, res) => {
    // A person in a browser gets a page in Danish; a program gets problem+json.
    const forProgram = /^\/(api|codec|openapi\.json)(\/|$)/.test(req.path) || req.accepts(['application/json', 'text/html']) !== 'text/html';
    if (ui !== undefined && !forProgram) return ui.notFound(req, res);
    sendDomainError(res, { code: 'route_not_found', detail: 'no route matches this path' });
  });

  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    if (error instanceof DomainFailure) return sendDomainError(res, error.error);
    const bodyParserType = (error as { type?: unknown }).type;
    if (bodyParserType === 'entity.parse.failed') {
      return sendDomainError(res, {
        code: 'invalid_input',
        detail: 'the body is not valid JSON',
        errors: [{ path: '(body)', message: 'is not valid JSON' }],
      });
    }
    if (bodyParserType === 'entity.too.large') {
      return sendDomainError(res, { code: 'payload_too_large', detail: 'the body is larger than the route takes (256 kB of JSON, 64 MB of CSV)' });
    }
    // Other refusals of the body parser (charset, encoding): a 4xx with no internal message.
    const status = (error as { status?: unknown; expose?: unknown }).status;
    if ((error as { expose?: unknown }).expose === true && typeof status === 'number' && status >= 400 && status < 500) {
      return sendDomainError(res, { code: 'body_unreadable', status, detail: 'the request body cannot be read' });
    }
    const unavailable = unavailableDependency(error);
    if (unavailable !== undefined) {
      deps.logError?.(`${unavailable} unavailable; answered 503`, error);
      return sendDomainError(res, {
        code: 'unavailable',
        detail: unavailable === 'temporal' ? 'the case engine is not answering now; try again shortly' : 'the database is not answering now; try again shortly',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      });
    }
    deps.logError?.('request failed', error);
    return sendDomainError(res, { code: 'internal', detail: 'the request could not be completed' });
  };
  app.use(onError);
  return app;
}
