import type { z } from 'zod';
import { formatPath, type DomainError } from './errors';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: Extract<DomainError, { code: 'invalid_input' }> };

/** Parses with a zod schema; on failure names every bad field and the rule it broke. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, prefix: readonly PropertyKey[] = []): Parsed<z.output<S>> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const errors = result.error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
  return {
    ok: false,
    error: {
      code: 'invalid_input',
      detail: errors.map((problem) => `${problem.path || '(body)'}: ${problem.message}`).join('; '),
      errors,
    },
  };
}
