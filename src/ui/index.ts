/**
 * The web UI: Danish pages on the same express app, signed in with a session cookie, acting
 * through the app's own /api with the person's token. `uiRouter` is mounted at the root.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Database } from '../db/types';
import { errorPage, forgetSignIn, loadSession, page, requireSignIn, signedInOrUndefined, startPageFor, uiErrorHandler, verifyForm, type UiContext } from './context';
import { actionPagesRouter } from './pages/actions';
import { handoverPagesRouter } from './pages/handover';
import type { PdfRenderer } from '../handover/pdf';
import { casePageRouter } from './pages/casePage';
import { analyticsRouter } from './pages/analytics';
import { myCasesRouter } from './pages/myCases';
import { overviewRouter } from './pages/overview';
import { selfAssessmentPagesRouter } from './pages/selfAssessment';
import { settingsRouter } from './pages/settings';
import { schoolDataPagesRouter } from './pages/schoolData';
import { multipartForm } from './multipart';
import { createRenderer, DKFDS_DIR, UI_ASSETS_DIR } from './render';
import { createSessionStore } from './session/sessionStore';
import { localSignInRouter } from './signIn/localSignIn';
import { oidcSignInRouter } from './signIn/oidcSignIn';
import { endSession } from './signIn/session';
import type { SignInMode } from './signIn/signInMode';
import { processDiagramPage } from './processPicture';
import path from 'node:path';

export type { SignInMode, LocalSignIn, OidcSignIn } from './signIn/signInMode';

export interface UiOptions {
  readonly signIn: SignInMode;
  /** Where people open the service; https makes every cookie Secure. Default: the request's own origin. */
  readonly publicBaseUrl?: string;
}

export interface UiDeps extends UiOptions {
  readonly db: Database;
  /** Prints the handover package; without an engine its PDF link answers 503. */
  readonly pdf: PdfRenderer;
  readonly now: () => Date;
  readonly logError?: (message: string, error: unknown) => void;
}

/** DKFDS's built files and our own small stylesheet and script, cached by the browser for a day. */
export function uiAssets(): Router {
  const router = Router();
  const options = { maxAge: '1d', index: false as const };
  for (const part of ['css', 'js', 'fonts', 'img']) router.use(`/assets/dkfds/${part}`, express.static(path.join(DKFDS_DIR, 'dist', part), options));
  router.use('/assets/ui', express.static(UI_ASSETS_DIR, options));
  return router;
}

/** The paths the pages own; everything else (the API, the codec, the API docs) passes by untouched. */
const UI_PREFIXES = [
  '/log-ind',
  '/log-ud',
  '/forloeb',
  '/assets/',
  '/tilgaengelighed',
  '/docs/forloebspakke',
  '/oversigt',
  '/maanedsgennemgang',
  '/ressourceteam',
  '/analyse',
  '/indstillinger',
  '/selvevaluering',
  '/elever',
];

/** The pages behind sign-in besides the case pages: the overviews, analytics, settings and the self-assessment. */
const OVERVIEW_PREFIXES = ['/oversigt', '/maanedsgennemgang', '/ressourceteam', '/analyse', '/indstillinger', '/selvevaluering', '/elever'];

export function isUiPath(path: string): boolean {
  return path === '/' || UI_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || path.startsWith(`${prefix}.`));
}

export interface Ui {
  /** Mount at the root: serves the UI's paths and passes every other request on. */
  readonly handler: RequestHandler;
  /** The Danish "not found" page for a browser that asked for a page that is not there. */
  readonly notFound: (req: Request, res: Response) => void;
}

export function createUi(deps: UiDeps): Ui {
  const { router, context } = uiRouter(deps);
  return {
    handler: (req, res, next) => (isUiPath(req.path) ? router(req, res, next) : next()),
    notFound: (req, res) => {
      errorPage(context, req, res, 404);
    },
  };
}

function uiRouter(deps: UiDeps): { router: Router; context: UiContext } {
  const secure = deps.publicBaseUrl?.startsWith('https:') ?? false;
  const ui: UiContext = {
    render: createRenderer(),
    sessions: createSessionStore(deps.db, deps.now),
    cookies: { secure },
    now: deps.now,
    ...(deps.publicBaseUrl !== undefined ? { publicOrigin: new URL(deps.publicBaseUrl).origin } : {}),
    ...(deps.logError !== undefined ? { logError: deps.logError } : {}),
  };
  const baseUrl = (req: Request) => deps.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const router = Router();
  router.use(uiAssets());
  router.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 2000 }));
  // The school's roster and absence files, uploaded from a plain form.
  router.use('/elever', multipartForm(64 * 1024 * 1024));
  router.use(loadSession(ui));

  router.get('/', (req, res) => {
    const current = signedInOrUndefined(res);
    res.redirect(303, current ? startPageFor(current.session.principal.role) : '/log-ind');
  });
  router.get('/tilgaengelighed', (req, res) => {
    page(ui, req, res, 'accessibility.njk', { title: 'Tilgængelighedserklæring' });
  });
  router.get('/docs/forloebspakke', async (req, res) => {
    page(ui, req, res, 'process.njk', { title: 'Forløbspakken', picture: await processDiagramPage() });
  });
  router.get('/docs/forloebspakke.svg', async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('image/svg+xml').send(await processDiagramPage());
  });

  switch (deps.signIn.kind) {
    case 'local':
      router.use(localSignInRouter(ui, deps.signIn));
      break;
    case 'oidc':
      router.use(oidcSignInRouter(ui, deps.signIn, baseUrl));
      break;
    case 'none':
      router.get('/log-ind', (req, res) => {
        errorPage(ui, req, res, 503, 'Login i browseren er ikke sat op: kommunens it-afdeling skal angive AUTH_CLIENT_ID.');
      });
      break;
  }

  router.post('/log-ud', verifyForm(ui, (_req, res) => signedInOrUndefined(res)?.session.csrfToken), async (req, res) => {
    await endSession(ui, res, signedInOrUndefined(res)?.sessionId);
    forgetSignIn(res);
    page(ui, req, res, 'signed-out.njk', { title: 'Du er logget ud' });
  });

  // Case pages: signed in, and every form post from our own pages.
  router.use('/forloeb', requireSignIn(ui), verifyForm(ui, (_req, res) => signedInOrUndefined(res)?.session.csrfToken));
  // The same guard on every other area behind sign-in, before any of their routers.
  for (const prefix of OVERVIEW_PREFIXES) router.use(prefix, requireSignIn(ui), verifyForm(ui, (_req, res) => signedInOrUndefined(res)?.session.csrfToken));
  router.use(myCasesRouter(ui));
  router.use(selfAssessmentPagesRouter(ui));
  router.use(casePageRouter(ui));
  router.use(actionPagesRouter(ui));
  router.use(handoverPagesRouter(ui, deps.pdf));
  router.use(overviewRouter(ui));
  router.use(analyticsRouter(ui));
  router.use(settingsRouter(ui));
  router.use(schoolDataPagesRouter(ui));
  router.use(uiErrorHandler(ui));
  return { router, context: ui };
}
