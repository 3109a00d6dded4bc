/**
 * The workflow's own check of an update's input, without zod. The API has parsed the input with
 * the action's schema already (its declaration's `schemas`); a client talking to Temporal directly
 * skips that, so the workflow still refuses what would corrupt the case — an input that is not an
 * object, a date that does not exist — and leaves the rest to the machine's rules. Kept light on
 * purpose: the sandbox evaluates every module again for each cached case (issue 12).
 */
import { isIsoDate } from './dates';
import type { FieldProblem } from './errors';

const DATE_SHAPED = /^\d{4}-\d{2}-\d{2}$/;
/** Deeper than any action's input nests; a deeper one is not an action's input. */
const MAX_DEPTH = 6;

export function inputShapeProblems(input: unknown): FieldProblem[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return [{ path: '', message: 'must be an object' }];
  const problems: FieldProblem[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      if (DATE_SHAPED.test(value) && !isIsoDate(value)) problems.push({ path, message: 'is not a date that exists' });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (depth > MAX_DEPTH) {
      problems.push({ path, message: 'is nested deeper than any action takes' });
      return;
    }
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
    for (const [key, item] of entries) walk(item, path === '' ? key : `${path}.${key}`, depth + 1);
  };
  walk(input, '', 0);
  return problems;
}
