/**
 * problem+json (RFC 9457): the one place a domain error becomes an answer. Every module that
 * answers HTTP (api, access, letters, notices, the codec endpoint) sends through `sendDomainError`
 * or throws a DomainFailure to the app's error handler; none builds a problem body by hand.
 */
import type { DomainError, FieldProblem } from './errors';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

const PROBLEM_BASE = 'https://fravaersforloeb.dk/problems/';

/** Status, title and type of each code; `never` at the end keeps the switch exhaustive. */
export function problemOf(error: DomainError): Problem {
  const { detail } = error;
  switch (error.code) {
    case 'invalid_input':
      return { type: `${PROBLEM_BASE}invalid-input`, title: 'Invalid request', status: 400, detail, errors: error.errors };
    case 'case_not_found':
      return { type: `${PROBLEM_BASE}case-not-found`, title: 'Case not found', status: 404, detail };
    case 'step_not_found':
      return { type: `${PROBLEM_BASE}step-not-found`, title: 'Step not found', status: 404, detail };
    case 'consent_not_found':
      return { type: `${PROBLEM_BASE}consent-not-found`, title: 'Consent not found', status: 404, detail };
    case 'round_not_found':
      return { type: `${PROBLEM_BASE}self-assessment-not-found`, title: 'Self-assessment not found', status: 404, detail };
    case 'draft_not_found':
      return { type: `${PROBLEM_BASE}draft-not-found`, title: 'Draft not found', status: 404, detail };
    case 'letter_kind_not_found':
      return { type: `${PROBLEM_BASE}letter-kind-not-found`, title: 'Letter kind not found', status: 404, detail };
    case 'contacts_not_found':
      return { type: `${PROBLEM_BASE}contacts-not-found`, title: 'Contacts not found', status: 404, detail };
    case 'route_not_found':
      return { type: 'about:blank', title: 'Not found', status: 404, detail };
    case 'not_allowed_now':
      return { type: `${PROBLEM_BASE}not-allowed-now`, title: 'Not possible in the current phase', status: 409, detail };
    case 'not_configured':
      return { type: `${PROBLEM_BASE}not-configured`, title: 'Not set up yet', status: 409, detail };
    case 'unauthenticated':
      return { type: `${PROBLEM_BASE}unauthenticated`, title: 'Not signed in', status: 401, detail };
    case 'forbidden':
      return {
        type: `${PROBLEM_BASE}forbidden`,
        title: 'Not allowed for your role',
        status: 403,
        detail,
        ...(error.errors.length > 0 ? { errors: error.errors } : {}),
      };
    case 'rule_violated':
      return { type: `${PROBLEM_BASE}rule-violated`, title: 'A domain rule is broken', status: 422, detail, errors: error.errors };
    case 'file_refused':
      return { type: `${PROBLEM_BASE}file-refused`, title: 'The file was refused', status: 400, detail, errors: error.errors };
    case 'pupil_not_found':
      return { type: `${PROBLEM_BASE}pupil-not-found`, title: 'Pupil not found', status: 404, detail };
    case 'unsupported_media_type':
      return { type: `${PROBLEM_BASE}unsupported-media-type`, title: 'Unsupported media type', status: 415, detail };
    case 'method_not_allowed':
      return { type: 'about:blank', title: 'Method not allowed', status: 405, detail };
    case 'payload_too_large':
      return { type: 'about:blank', title: 'Payload too large', status: 413, detail };
    case 'body_unreadable':
      return { type: 'about:blank', title: 'Bad request', status: error.status, detail };
    case 'payload_not_decryptable':
      return { type: 'about:blank', title: 'Payload cannot be decrypted', status: 422, detail };
    case 'too_many_requests':
      return { type: 'about:blank', title: 'Too many requests', status: 429, detail };
    case 'unavailable':
      return { type: `${PROBLEM_BASE}unavailable`, title: 'Service unavailable', status: 503, detail };
    case 'internal':
      return { type: 'about:blank', title: 'Internal error', status: 500, detail };
    default:
      return unreachable(error);
  }
}

function unreachable(error: never): never {
  throw new TypeError(`no problem for ${JSON.stringify(error)}`);
}

/** Headers that belong to a code's answer. */
export function problemHeaders(error: DomainError): Record<string, string> {
  if (error.code === 'unavailable') return { 'Retry-After': String(error.retryAfterSeconds) };
  if (error.code === 'method_not_allowed') return { Allow: error.allow.join(', ') };
  return {};
}

/** The part of an HTTP response this needs; express's Response has it (no express import here). */
export interface ProblemResponse {
  status(code: number): this;
  set(headers: Record<string, string>): this;
  type(contentType: string): this;
  json(body: unknown): unknown;
}

/** The one way a domain error is answered: its problem, and the headers that go with it. */
export function sendDomainError(res: ProblemResponse, error: DomainError): void {
  const problem = problemOf(error);
  res.status(problem.status).set(problemHeaders(error)).type('application/problem+json').json(problem);
}
