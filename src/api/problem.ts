/**
 * problem+json (RFC 9457) answers, and the one place a domain error becomes an HTTP status.
 */
import type { Response } from 'express';
import type { z } from 'zod';
import type { DomainError, FieldProblem } from '../domain/errors';
import { parseWith } from '../domain/validation';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
}

const PROBLEM_BASE = 'https://fravaersforloeb.dk/problems/';

export function problemFromDomainError(error: DomainError): Problem {
  switch (error.code) {
    case 'invalid_input':
      return { type: `${PROBLEM_BASE}invalid-input`, title: 'Invalid request', status: 400, detail: error.detail, errors: error.errors };
    case 'case_not_found':
      return { type: `${PROBLEM_BASE}case-not-found`, title: 'Case not found', status: 404, detail: error.detail };
    case 'step_not_found':
      return { type: `${PROBLEM_BASE}step-not-found`, title: 'Step not found', status: 404, detail: error.detail };
    case 'round_not_found':
      return { type: `${PROBLEM_BASE}self-assessment-not-found`, title: 'Self-assessment not found', status: 404, detail: error.detail };
    case 'not_allowed_now':
      return { type: `${PROBLEM_BASE}not-allowed-now`, title: 'Not possible in the current phase', status: 409, detail: error.detail };
    case 'not_configured':
      return { type: `${PROBLEM_BASE}not-configured`, title: 'Not set up yet', status: 409, detail: error.detail };
    case 'unauthenticated':
      return { type: `${PROBLEM_BASE}unauthenticated`, title: 'Not signed in', status: 401, detail: error.detail };
    case 'forbidden':
      return {
        type: `${PROBLEM_BASE}forbidden`,
        title: 'Not allowed for your role',
        status: 403,
        detail: error.detail,
        ...(error.errors.length > 0 ? { errors: error.errors } : {}),
      };
    case 'rule_violated':
      return { type: `${PROBLEM_BASE}rule-violated`, title: 'A domain rule is broken', status: 422, detail: error.detail, errors: error.errors };
    case 'unsupported_media_type':
      return { type: `${PROBLEM_BASE}unsupported-media-type`, title: 'Unsupported media type', status: 415, detail: error.detail };
    case 'method_not_allowed':
      return { type: 'about:blank', title: 'Method not allowed', status: 405, detail: error.detail };
    case 'unavailable':
      return { type: `${PROBLEM_BASE}unavailable`, title: 'Service unavailable', status: 503, detail: error.detail };
  }
}

/** The one way a domain error is answered: its problem, and the headers that go with it. */
export function sendDomainError(res: Response, error: DomainError): void {
  if (error.code === 'unavailable') res.set('Retry-After', String(error.retryAfterSeconds));
  if (error.code === 'method_not_allowed') res.set('Allow', error.allow.join(', '));
  sendProblem(res, problemFromDomainError(error));
}

/** A domain error raised by a use case, carried up to the one error handler. */
export class DomainFailure extends Error {
  constructor(readonly error: DomainError) {
    super(error.detail);
    this.name = 'DomainFailure';
  }
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').json(problem);
}

/** Parses a request part with its zod schema, or throws the 400 that names each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, prefix: PropertyKey[] = []): z.output<S> {
  const parsed = parseWith(schema, data, prefix);
  if (!parsed.ok) throw new DomainFailure(parsed.error);
  return parsed.value;
}
