/**
 * Domain errors as a discriminated union. One exhaustive switch maps them to problem+json
 * (src/domain/problems.ts); the workflow turns them into Temporal failures. Messages name fields
 * and rules, never the values a user typed: they can end up in Temporal's plain-text failures.
 */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A bad row of an imported file: its line in the file (the header is line 1), the column and why. */
export interface RowProblem extends FieldProblem {
  row: number;
}

/**
 * Every refusal the service answers, one member per `code`. `problemOf` (src/domain/problems.ts)
 * maps each to its status, title and type in one exhaustive switch, so a new code does not
 * compile until it has its answer.
 */
export type DomainError =
  | { code: 'invalid_input'; detail: string; errors: FieldProblem[] }
  | { code: 'case_not_found'; detail: string }
  | { code: 'step_not_found'; detail: string }
  /** A consent the case does not have (withdrawing one). */
  | { code: 'consent_not_found'; detail: string }
  /** A self-assessment round (or a participant of it) that does not exist. */
  | { code: 'round_not_found'; detail: string }
  | { code: 'draft_not_found'; detail: string }
  | { code: 'letter_kind_not_found'; detail: string }
  | { code: 'contacts_not_found'; detail: string }
  /** No route matches the path (or no row in the access table: deny by default). */
  | { code: 'route_not_found'; detail: string }
  | { code: 'not_allowed_now'; detail: string }
  | { code: 'rule_violated'; detail: string; errors: FieldProblem[] }
  /** An imported file with bad rows: refused whole, every bad row named; nothing of it written. */
  | { code: 'file_refused'; detail: string; errors: RowProblem[] }
  /** A pupil not in the school's directory (or one the caller may not see). */
  | { code: 'pupil_not_found'; detail: string }
  | { code: 'not_configured'; detail: string }
  | { code: 'unauthenticated'; detail: string }
  | { code: 'forbidden'; detail: string; errors: FieldProblem[] }
  | { code: 'unsupported_media_type'; detail: string }
  | { code: 'method_not_allowed'; detail: string; allow: readonly string[] }
  | { code: 'payload_too_large'; detail: string }
  /** The body parser refused the body (charset, encoding): its own 4xx status. */
  | { code: 'body_unreadable'; detail: string; status: number }
  /** A payload the codec endpoint cannot decrypt: the message names the key id only. */
  | { code: 'payload_not_decryptable'; detail: string }
  | { code: 'too_many_requests'; detail: string }
  /** A service this one depends on (Temporal, the database, the identity provider) does not answer now. */
  | { code: 'unavailable'; detail: string; retryAfterSeconds: number }
  /** Something failed that the caller cannot fix; the detail never says what. */
  | { code: 'internal'; detail: string };

export type DomainErrorCode = DomainError['code'];

const CODES: Record<DomainErrorCode, true> = {
  invalid_input: true,
  case_not_found: true,
  step_not_found: true,
  consent_not_found: true,
  round_not_found: true,
  draft_not_found: true,
  letter_kind_not_found: true,
  contacts_not_found: true,
  route_not_found: true,
  not_allowed_now: true,
  rule_violated: true,
  file_refused: true,
  pupil_not_found: true,
  not_configured: true,
  unauthenticated: true,
  forbidden: true,
  unsupported_media_type: true,
  method_not_allowed: true,
  payload_too_large: true,
  body_unreadable: true,
  payload_not_decryptable: true,
  too_many_requests: true,
  unavailable: true,
  internal: true,
};

export function isDomainError(value: unknown): value is DomainError {
  if (typeof value !== 'object' || value === null) return false;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(CODES, code) && typeof (value as { detail?: unknown }).detail === 'string';
}

/** A domain error thrown by a use case or a route, carried up to the one error handler. */
export class DomainFailure extends Error {
  constructor(readonly error: DomainError) {
    super(error.detail);
    this.name = 'DomainFailure';
  }
}

/** `['measures', 2, 'reviewOn']` → `measures[2].reviewOn`; the one way paths are written. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
