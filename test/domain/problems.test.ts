/**
 * One error path: every problem+json comes from the DomainError union through problemOf, and the
 * modules that answer HTTP outside src/api (access, letters, notices, the codec endpoint) reach
 * the error class and the answer through src/domain, not through the HTTP layer.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainFailure, isDomainError, type DomainError } from '../../src/domain/errors';
import { problemHeaders, problemOf } from '../../src/domain/problems';

const ONE_OF_EACH: DomainError[] = [
  { code: 'invalid_input', detail: 'd', errors: [{ path: 'a', message: 'm' }] },
  { code: 'case_not_found', detail: 'd' },
  { code: 'step_not_found', detail: 'd' },
  { code: 'draft_not_found', detail: 'd' },
  { code: 'letter_kind_not_found', detail: 'd' },
  { code: 'contacts_not_found', detail: 'd' },
  { code: 'route_not_found', detail: 'd' },
  { code: 'not_allowed_now', detail: 'd' },
  { code: 'rule_violated', detail: 'd', errors: [] },
  { code: 'not_configured', detail: 'd' },
  { code: 'unauthenticated', detail: 'd' },
  { code: 'forbidden', detail: 'd', errors: [] },
  { code: 'unsupported_media_type', detail: 'd' },
  { code: 'method_not_allowed', detail: 'd', allow: ['GET', 'POST'] },
  { code: 'payload_too_large', detail: 'd' },
  { code: 'body_unreadable', detail: 'd', status: 400 },
  { code: 'payload_not_decryptable', detail: 'd' },
  { code: 'too_many_requests', detail: 'd' },
  { code: 'unavailable', detail: 'd', retryAfterSeconds: 7 },
  { code: 'internal', detail: 'd' },
];

describe('the one error path', () => {
  it('when any code is answered, then it has a 4xx/5xx status, a title and a type, and is known as a domain error', () => {
    for (const error of ONE_OF_EACH) {
      const problem = problemOf(error);
      expect(problem.status, error.code).toBeGreaterThanOrEqual(400);
      expect(problem.title).not.toBe('');
      expect(problem.type).toMatch(/^(about:blank|https:\/\/fravaersforloeb\.dk\/problems\/[a-z-]+)$/);
      expect(problem.detail).toBe('d');
      expect(isDomainError(error)).toBe(true);
      expect(new DomainFailure(error).error).toBe(error);
    }
    expect(new Set(ONE_OF_EACH.map((error) => error.code)).size).toBe(ONE_OF_EACH.length);
  });

  it('when a code carries headers, then they go with its problem', () => {
    expect(problemHeaders({ code: 'unavailable', detail: 'd', retryAfterSeconds: 7 })).toEqual({ 'Retry-After': '7' });
    expect(problemHeaders({ code: 'method_not_allowed', detail: 'd', allow: ['GET', 'POST'] })).toEqual({ Allow: 'GET, POST' });
    expect(isDomainError({ code: 'no_such_code', detail: 'd' })).toBe(false);
  });

  it('when the source is read, then no module builds a problem body by hand or reaches into src/api for one', async () => {
    const root = path.resolve(__dirname, '../../src');
    const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.ts'));
    for (const file of files) {
      const text = await readFile(path.join(root, file), 'utf8');
      if (file !== path.join('domain', 'problems.ts')) {
        expect(text, file).not.toMatch(/type: 'about:blank'|fravaersforloeb\.dk\/problems\//);
      }
      if (/^(access|letters|notices|temporal|domain|machines|workflows)\//.test(file.split(path.sep).join('/'))) {
        expect(text, file).not.toMatch(/from '\.\.\/api\//);
      }
    }
  });
});
