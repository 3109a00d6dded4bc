/**
 * The gate in front of /api and /codec: who is calling (bearer token, else 401), whether the route
 * lets them (the access table, else 403, or 404 where a case is concerned), and the audit log of
 * every case the answer shows or changes, written before the answer leaves.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { match } from 'path-to-regexp';
import { z } from 'zod';
import { DomainFailure } from '../domain/errors';
import type { DomainError } from '../domain/errors';
import { sendDomainError } from '../domain/problems';
import { unavailableDependency } from '../unavailable';
import type { Database } from '../db/types';
import type { AuditLog } from './auditLog';
import { decideAccess, type CaseFacts, type RequestFacts } from './decide';
import type { Principal } from './principal';
import { PROTECTED_ROUTES, type ProtectedRoute } from './routes';
import { codecSessionToken } from './codecSession';
import { IdentityProviderUnavailable, TokenRejected, type TokenRejection, type TokenVerifier } from './tokens';

const uuid = z.uuid();
/** jose refetches the keys on the next request; a provider restart takes a few seconds. */
const IDP_RETRY_AFTER_SECONDS = 5;

const REJECTION_DETAIL: Record<TokenRejection, string> = {
  missing: 'send a bearer token: Authorization: Bearer <token>',
  malformed: 'the bearer token is not a valid JWT',
  expired: 'the bearer token has expired',
  bad_signature: 'the bearer token is not signed by a key this service trusts',
  wrong_issuer: 'the bearer token comes from an issuer this service does not trust',
  wrong_audience: 'the bearer token is meant for another service (audience)',
  bad_claims: 'the bearer token lacks a valid role, schools or subject',
};

/** The caller, as `authenticate` found them. */
export function principalOf(res: Response): Principal {
  const principal = (res.locals as { principal?: Principal }).principal;
  if (!principal) throw new Error('no principal: authenticate must run before this handler');
  return principal;
}

/**
 * 401 for a request without a valid bearer token; otherwise the caller in res.locals. When the
 * identity provider cannot be asked, 503 (logged): the caller did nothing wrong, and a 401 would
 * count as a failed sign-in against everybody behind the same address.
 */
export function authenticate(verifier: TokenVerifier, logError?: (message: string, error: unknown) => void): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    // The Temporal UI's codec calls carry the codec session cookie instead (codecSession.ts).
    const fromCookie = header === undefined && req.baseUrl === '/codec' ? codecSessionToken(req) : undefined;
    const token = fromCookie ?? /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header ?? '')?.[1];
    try {
      if (token === undefined) throw new TokenRejected('missing');
      (res.locals as { principal?: Principal }).principal = await verifier.verify(token);
      next();
    } catch (error) {
      if (error instanceof IdentityProviderUnavailable) {
        logError?.('identity provider unavailable; answered 503', error);
        next(new DomainFailure({ code: 'unavailable', detail: 'sign-in cannot be checked now; try again shortly', retryAfterSeconds: IDP_RETRY_AFTER_SECONDS }));
        return;
      }
      if (!(error instanceof TokenRejected)) throw error;
      const problem = error.reason === 'missing' ? '' : `, error="invalid_token"`;
      res.set('WWW-Authenticate', `Bearer realm="fravaersforloeb"${problem}`);
      next(new DomainFailure({ code: 'unauthenticated', detail: REJECTION_DETAIL[error.reason] }));
    }
  };
}

export interface GuardDeps {
  db: Database;
  audit: AuditLog;
  /** Where failures to write the audit log are reported. */
  logError?: (message: string, error: unknown) => void;
}

interface CompiledRoute {
  route: ProtectedRoute;
  match: ReturnType<typeof match<Record<string, string>>>;
}

/** Routes are matched against the full path, so the gate can sit on several mount points. */
function compile(routes: readonly ProtectedRoute[]): CompiledRoute[] {
  return routes.map((route) => ({ route, match: match<Record<string, string>>(route.path, { decode: decodeURIComponent }) }));
}

async function caseFacts(db: Database, caseId: string | undefined): Promise<CaseFacts | null> {
  if (caseId === undefined || !uuid.safeParse(caseId).success) return null;
  const [row] = await db.query<{ school_id: string; tovholder: string; escalation_level: number }>(
    'SELECT school_id, tovholder, escalation_level FROM cases WHERE case_id = $1',
    [caseId],
  );
  return row ? { schoolId: row.school_id, tovholder: row.tovholder, escalationLevel: row.escalation_level } : null;
}

async function caseOfDraft(db: Database, draftId: string | undefined): Promise<string | undefined> {
  if (draftId === undefined || !uuid.safeParse(draftId).success) return undefined;
  const [row] = await db.query<{ case_id: string }>('SELECT case_id FROM letter_drafts WHERE draft_id = $1', [draftId]);
  return row?.case_id;
}

/** Express 5 computes req.query on each read; the narrowed copy shadows it for this request only. */
function narrowQueryToSchool(req: Request, schoolId: string): void {
  const query = { ...(req.query as Record<string, unknown>), schoolId };
  Object.defineProperty(req, 'query', { value: query, configurable: true, enumerable: true, writable: false });
}

/** Every caseId an answer shows: its own, or its items'. */
function casesShown(body: unknown, schoolOtherwise: string | null): { caseId: string; schoolId: string | null }[] {
  if (typeof body !== 'object' || body === null) return [];
  const one = (value: unknown) => {
    const record = value as { caseId?: unknown; schoolId?: unknown };
    return typeof record.caseId === 'string'
      ? [{ caseId: record.caseId, schoolId: typeof record.schoolId === 'string' ? record.schoolId : schoolOtherwise }]
      : [];
  };
  const items = (body as { items?: unknown }).items;
  return Array.isArray(items) ? items.flatMap(one) : one(body);
}

/**
 * Every pupil an answer shows: the one in the path, and each `pupilRef` in the answer's lists (the
 * directory, the school's figures, opsporing's candidates and those marked), a few levels down.
 */
export function pupilsShown(body: unknown, pathPupil: string | undefined): string[] {
  const found = new Set<string>(pathPupil !== undefined ? [pathPupil] : []);
  const walk = (value: unknown, depth: number) => {
    if (depth > 3 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'pupilRef' && typeof inner === 'string') found.add(inner);
      else walk(inner, depth + 1);
    }
  };
  walk(body, 0);
  return [...found];
}

export function accessGuard(deps: GuardDeps): RequestHandler {
  const routes = compile(PROTECTED_ROUTES);
  // What "not found" means depends on what the path names: a draft or a case.
  const notFound = (route: ProtectedRoute): DomainError =>
    route.scope === 'draft'
      ? { code: 'draft_not_found', detail: 'there is no letter draft with this draftId' }
      : { code: 'case_not_found', detail: 'there is no case with this caseId' };

  return async (req: Request, res: Response, next: NextFunction) => {
    const principal = principalOf(res);
    const fullPath = `${req.baseUrl}${req.path}`.replace(/\/+$/, '') || '/';
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    let found: { route: ProtectedRoute; params: Record<string, string> } | undefined;
    for (const candidate of routes) {
      if (candidate.route.method !== method) continue;
      const result = candidate.match(fullPath);
      if (result) {
        found = { route: candidate.route, params: result.params };
        break;
      }
    }
    // Deny by default: a route without a row in the access table is not there for anyone.
    if (!found) {
      sendDomainError(res, { code: 'route_not_found', detail: 'no route matches this path' });
      return;
    }
    const { route, params } = found;

    const caseId = route.scope === 'case' ? params.caseId : route.scope === 'draft' ? await caseOfDraft(deps.db, params.draftId) : undefined;
    const facts: RequestFacts = {
      ...(route.scope === 'case' || route.scope === 'draft' ? { case: await caseFacts(deps.db, caseId) } : {}),
      ...(route.scope === 'query' ? { querySchool: (req.query as Record<string, unknown>).schoolId } : {}),
      ...(route.scope === 'path' && params.schoolId !== undefined ? { pathSchool: params.schoolId } : {}),
      ...(route.scope === 'opening' ? { opening: (req.body ?? {}) as RequestFacts['opening'] } : {}),
    };
    const decision = decideAccess(principal, route, facts);
    const knownCase = facts.case ? { caseId: caseId ?? null, schoolId: facts.case.schoolId } : undefined;
    // Answers that list cases without their school (the monthly review) are of the school asked for.
    const askedSchool = typeof facts.querySchool === 'string' ? facts.querySchool : decision.allowed ? (decision.narrowToSchool ?? null) : null;

    // From here on, every answer (allowed or not) that concerns a case is written to the audit log first.
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const shown = res.statusCode < 400 && route.showsCases ? casesShown(body, facts.case?.schoolId ?? askedSchool) : [];
      const touched = shown.length > 0 ? shown : knownCase ? [knownCase] : [];
      // A read of pupils' data is logged whether allowed or refused; only an answer shows pupils.
      const pupils = route.showsPupils ? (res.statusCode < 400 ? pupilsShown(body, params.pupilRef) : params.pupilRef !== undefined ? [params.pupilRef] : []) : [];
      const pupilSchool = route.showsPupils && params.schoolId !== undefined ? [params.schoolId] : [];
      const written: Promise<void> =
        touched.length === 0 && !route.showsPupils
          ? Promise.resolve()
          : deps.audit.record({
              actor: principal.sub,
              role: principal.role,
              caseIds: [...new Set(touched.map((shownCase) => shownCase.caseId).filter((id): id is string => id !== null))],
              schoolIds: [...new Set([...touched.map((shownCase) => shownCase.schoolId).filter((id): id is string => id !== null), ...pupilSchool])],
              pupilRefs: pupils,
              action: method === 'GET' ? 'read' : 'write',
              method,
              route: route.path,
              status: res.statusCode,
            });
      written.then(
        () => send(body),
        (error: unknown) => {
          deps.logError?.('audit log write failed; answer withheld', error);
          const refusal: DomainError =
            unavailableDependency(error) !== undefined
              ? { code: 'unavailable', detail: 'the database is not answering now; try again shortly', retryAfterSeconds: 5 }
              : { code: 'internal', detail: 'the request could not be completed' };
          // res.json is this wrapper, so the problem goes out through the original json.
          sendDomainError({ status: (code) => res.status(code), set: (headers) => res.set(headers), type: (t) => res.type(t), json: send }, refusal);
        },
      );
      return res;
    };

    if (decision.allowed) {
      if (decision.narrowToSchool !== undefined) narrowQueryToSchool(req, decision.narrowToSchool);
      next();
      return;
    }
    switch (decision.answer) {
      case 'not_found':
        return next(new DomainFailure(notFound(route)));
      case 'forbidden':
        return next(
          new DomainFailure({
            code: 'forbidden',
            detail: decision.field !== undefined ? `${decision.field}: ${decision.rule}` : decision.rule,
            errors: decision.field !== undefined ? [{ path: decision.field, message: decision.rule }] : [],
          }),
        );
      case 'invalid':
        return next(
          new DomainFailure({
            code: 'invalid_input',
            detail: `${decision.field}: ${decision.rule}`,
            errors: [{ path: decision.field, message: decision.rule }],
          }),
        );
    }
  };
}
