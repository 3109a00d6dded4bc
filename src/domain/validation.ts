import type { z } from 'zod';
import { DomainFailure, formatPath, type DomainError } from './errors';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: Extract<DomainError, { code: 'invalid_input' }> };

/** Parses with a zod schema; on failure names every bad field and the rule it broke. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown, prefix: readonly PropertyKey[] = []): Parsed<z.output<S>> {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const errors = result.error.issues.flatMap((issue) =>
    // One entry per unknown field, named by its own path, rather than one for its parent object.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...prefix, ...issue.path, key]), message: 'is not a known field' }))
      : [{ path: formatPath([...prefix, ...issue.path]), message: issue.message }],
  );
  return {
    ok: false,
    error: {
      code: 'invalid_input',
      detail: errors.map((problem) => `${problem.path || '(body)'}: ${problem.message}`).join('; '),
      errors,
    },
  };
}

/** Parses a request part with its zod schema, or throws the 400 that names each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, prefix: PropertyKey[] = []): z.output<S> {
  const parsed = parseWith(schema, data, prefix);
  if (!parsed.ok) throw new DomainFailure(parsed.error);
  return parsed.value;
}
