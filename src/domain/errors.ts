/**
 * Domain errors as a discriminated union. One exhaustive switch maps them to HTTP (src/api) and
 * one to Temporal failures (src/workflows). Messages name fields and rules, never the values a
 * user typed: they can end up in Temporal's plain-text failure messages.
 */
export interface FieldProblem {
  path: string;
  message: string;
}

export type DomainError =
  | { code: 'invalid_input'; detail: string; errors: FieldProblem[] }
  | { code: 'case_not_found'; detail: string }
  | { code: 'step_not_found'; detail: string }
  /** A self-assessment round (or a participant of it) that does not exist. */
  | { code: 'round_not_found'; detail: string }
  | { code: 'not_allowed_now'; detail: string }
  | { code: 'rule_violated'; detail: string; errors: FieldProblem[] }
  | { code: 'not_configured'; detail: string }
  | { code: 'unauthenticated'; detail: string }
  | { code: 'forbidden'; detail: string; errors: FieldProblem[] }
  | { code: 'unsupported_media_type'; detail: string }
  | { code: 'method_not_allowed'; detail: string; allow: readonly string[] }
  /** A service this one depends on (Temporal, the database, the identity provider) does not answer now. */
  | { code: 'unavailable'; detail: string; retryAfterSeconds: number };

export type DomainErrorCode = DomainError['code'];

export function isDomainError(value: unknown): value is DomainError {
  if (typeof value !== 'object' || value === null) return false;
  const code = (value as { code?: unknown }).code;
  return (
    code === 'invalid_input' ||
    code === 'case_not_found' ||
    code === 'step_not_found' ||
    code === 'round_not_found' ||
    code === 'not_allowed_now' ||
    code === 'rule_violated' ||
    code === 'not_configured' ||
    code === 'unauthenticated' ||
    code === 'forbidden' ||
    code === 'unsupported_media_type' ||
    code === 'method_not_allowed' ||
    code === 'unavailable'
  );
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
