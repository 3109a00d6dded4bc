/**
 * What every page handler shares: the signed-in person, the API client acting for them, the
 * renderer, and the answer helpers (page, redirect, error page). Pages never cache (they carry
 * case data) and never put pupil data in a URL or a title.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Principal } from '../access/principal';
import { asFormBody, text } from './forms';
import { ApiRefusal, createApiClient, loopbackBaseUrl, type ApiClient } from './apiClient';
import { cookieName, readCookie, type CookiePolicy } from './session/cookies';
import type { Session, SessionStore } from './session/sessionStore';
import { ROLE_LABELS } from './danish';
import type { Renderer } from './render';

export const SESSION_COOKIE = 'ff_session';

export interface UiContext {
  readonly render: Renderer;
  readonly sessions: SessionStore;
  readonly cookies: CookiePolicy;
  readonly now: () => Date;
  readonly logError?: (message: string, error: unknown) => void;
  /** The origin of publicBaseUrl, when set: what browsers name in Origin behind a proxy that ends TLS. */
  readonly publicOrigin?: string;
}

export interface SignedIn {
  readonly session: Session;
  readonly sessionId: string;
  readonly api: ApiClient;
}

interface Locals {
  signedIn?: SignedIn;
}

function locals(res: Response): Locals {
  return res.locals as Locals;
}

export function signedInOrUndefined(res: Response): SignedIn | undefined {
  return locals(res).signedIn;
}

/** After signing out, the rest of this answer is for nobody in particular. */
export function forgetSignIn(res: Response): void {
  delete locals(res).signedIn;
}

export function signedIn(res: Response): SignedIn {
  const found = locals(res).signedIn;
  if (!found) throw new Error('requireSignIn must run before this handler');
  return found;
}

/** Loads the session the cookie names, if any; no page is cached by the browser or a proxy. */
export function loadSession(ui: UiContext): RequestHandler {
  return async (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    const id = readCookie(req, cookieName(ui.cookies, SESSION_COOKIE));
    if (id !== undefined) {
      const session = await ui.sessions.find(id);
      if (session) locals(res).signedIn = { session, sessionId: id, api: createApiClient(loopbackBaseUrl(req), session.accessToken) };
    }
    next();
  };
}

/** Pages need a signed-in person: GETs are sent to sign in (and back), anything else is refused. */
export function requireSignIn(ui: UiContext): RequestHandler {
  return (req, res, next) => {
    if (locals(res).signedIn) return next();
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.redirect(303, `/log-ind?til=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    errorPage(ui, req, res, 403);
  };
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The request's own origin, as the browser names it in Origin. */
function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? ''}`;
}

/**
 * A form post's Origin (when the browser sends one) is this site: the request's own origin, or
 * the public one (behind a proxy that ends TLS the app itself sees plain http on another host).
 */
export function fromOwnSite(ui: UiContext, req: Request): boolean {
  const origin = req.get('origin');
  return origin === undefined || origin === ownOrigin(req) || (ui.publicOrigin !== undefined && origin === ui.publicOrigin);
}

/**
 * Every form post must come from our own pages: the Origin (when the browser sends one) is ours,
 * and the form carries the session's token. A post from another site fails both.
 */
export function verifyForm(ui: UiContext, expected: (req: Request, res: Response) => string | undefined): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const token = text(asFormBody(req.body), '_csrf');
    const want = expected(req, res);
    if (fromOwnSite(ui, req) && token !== '' && want !== undefined && sameToken(token, want)) return next();
    errorPage(ui, req, res, 403, 'Formularen kom ikke fra en af tjenestens egne sider, eller den er for gammel. Gå tilbage, genindlæs siden og prøv igen.');
  };
}

const bodyParserRefusal = z.object({ expose: z.literal(true), status: z.number().int().min(400).max(499) });

const ERROR_PAGES: Record<number, { title: string; text: string }> = {
  400: { title: 'Forespørgslen kunne ikke læses', text: 'Siden fik noget, den ikke kunne læse. Gå tilbage og prøv igen.' },
  403: { title: 'Du har ikke adgang', text: 'Din rolle giver ikke adgang til denne side eller handling.' },
  404: { title: 'Siden findes ikke', text: 'Vi kan ikke finde siden. Tjek adressen, eller gå til forsiden. Et forløb, du ikke har adgang til, vises heller ikke.' },
  413: { title: 'For meget indhold', text: 'Det, du sendte, fylder for meget. Forkort teksten og prøv igen.' },
  429: { title: 'For mange forespørgsler', text: 'Du har sendt mange forespørgsler på kort tid. Vent et minut, og prøv igen.' },
  500: { title: 'Der skete en fejl', text: 'Tjenesten kunne ikke gennemføre handlingen. Prøv igen om lidt. Sker det igen, så kontakt kommunens it-support.' },
  503: { title: 'Tjenesten er midlertidigt utilgængelig', text: 'Tjenesten kan ikke svare lige nu. Prøv igen om lidt.' },
};

export function userOf(principal: Principal, displayName: string) {
  const schools = principal.schools === 'all' ? 'alle skoler' : principal.schools.join(', ');
  return { name: displayName, roleLabel: ROLE_LABELS[principal.role], schoolsText: schools };
}

/** Where each role's daily answer is: the page "/" sends a signed-in person to. */
export function startPageFor(role: Principal['role']): string {
  switch (role) {
    case 'tovholder':
    case 'leader':
      return '/forloeb';
    case 'resource_team':
      return '/ressourceteam';
    case 'municipality':
      return '/analyse';
    case 'admin':
      return '/indstillinger';
  }
}

/** The main menu for a role. */
export function navFor(principal: Principal, currentPath: string) {
  const items: { href: string; text: string }[] = [];
  if (principal.role === 'tovholder' || principal.role === 'leader') items.push({ href: '/forloeb', text: 'Mine forløb' });
  if (principal.role === 'tovholder' || principal.role === 'leader') items.push({ href: '/oversigt', text: 'Frister' });
  if (principal.role === 'leader') items.push({ href: '/maanedsgennemgang', text: 'Månedsgennemgang' });
  if (principal.role === 'leader' || principal.role === 'resource_team') items.push({ href: '/ressourceteam', text: 'Ressourceteamet' });
  if (principal.role === 'municipality') items.push({ href: '/analyse', text: 'Analyse' });
  if (principal.role === 'admin') items.push({ href: '/indstillinger', text: 'Indstillinger' });
  if (principal.role === 'leader' || principal.role === 'admin') items.push({ href: '/elever', text: 'Elever og fravær' });
  if (principal.role === 'leader') items.push({ href: '/forloeb/nyt', text: 'Opret forløb' });
  if (principal.role === 'municipality' || principal.role === 'admin') items.push({ href: '/selvevaluering', text: 'Selvevaluering' });
  items.push({ href: '/docs/forloebspakke', text: 'Forløbspakken' });
  return items.map((item) => ({ ...item, current: currentPath === item.href }));
}

/** Renders a page with the layout's shared parts filled in. */
export function page(ui: UiContext, req: Request, res: Response, template: string, context: Record<string, unknown>, status = 200): void {
  const current = signedInOrUndefined(res);
  const shared = current
    ? {
        user: userOf(current.session.principal, current.session.displayName),
        csrfToken: current.session.csrfToken,
        nav: navFor(current.session.principal, req.path),
      }
    : {};
  res.status(status).type('html').send(ui.render(template, { ...shared, ...context }));
}

export function errorPage(ui: UiContext, req: Request, res: Response, status: number, text?: string): void {
  const known = ERROR_PAGES[status] ?? (status >= 500 ? ERROR_PAGES[500] : ERROR_PAGES[400]);
  if (status === 503) res.set('Retry-After', '5');
  page(ui, req, res, 'error.njk', { title: known?.title ?? 'Fejl', heading: known?.title, text: text ?? known?.text, status }, status);
}

/** The one place a page's failure becomes what the person sees. */
export function uiErrorHandler(ui: UiContext) {
  return async (error: unknown, req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (res.headersSent) return next(error);
    if (error instanceof ApiRefusal) {
      const status = error.problem.status;
      if (status === 401) {
        // The token behind the session is no longer valid: sign in again, then come back.
        const current = signedInOrUndefined(res);
        if (current) await ui.sessions.end(current.sessionId);
        res.redirect(303, `/log-ind?til=${encodeURIComponent(req.method === 'GET' ? req.originalUrl : '/')}`);
        return;
      }
      if (status === 404 || status === 403 || status === 429 || status === 503) return errorPage(ui, req, res, status);
    }
    // The body parser's own refusals (too large, unreadable) are the person's to fix: a 4xx page.
    const refusedBody = bodyParserRefusal.safeParse(error);
    if (refusedBody.success) return errorPage(ui, req, res, refusedBody.data.status);
    ui.logError?.('page failed', error);
    errorPage(ui, req, res, 500);
  };
}
