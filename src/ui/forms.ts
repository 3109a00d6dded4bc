/**
 * From a posted form to the API's JSON body, and from the API's refusal back to messages next to
 * the fields. Field names are the API's own paths (`measures[0].reviewOn`), so a refusal finds its
 * field without a second map. No rule is decided here: empty optional fields are left out and
 * everything else goes to the API as typed.
 */
import type { ProblemBody } from './apiClient';
import { danishMessage, danishNotNow, danishProblemTitle } from './danish';

/** What express's urlencoded parser (extended: false) makes of a form: strings, or arrays of them. */
export type FormBody = Record<string, string | string[] | undefined>;

export function asFormBody(body: unknown): FormBody {
  const out: FormBody = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((item): item is string => typeof item === 'string');
  }
  return out;
}

/** One text value (the first, should a field be sent twice). */
export function text(form: FormBody, name: string): string {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a field sent several times (checkboxes). */
export function list(form: FormBody, name: string): string[] {
  const value = form[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Left out when empty, so the API's default applies (e.g. "today" for an effective date). */
export function optional(form: FormBody, name: string): string | undefined {
  const value = text(form, name).trim();
  return value === '' ? undefined : value;
}

export function fieldId(path: string): string {
  return path.replace(/[^A-Za-z0-9_]+/g, '-').replace(/-+$/, '');
}

export interface ShownError {
  fieldId: string;
  label: string;
  message: string;
}

export interface FormErrors {
  /** By field name (the API path): the Danish message shown next to it. */
  byField: Record<string, string>;
  /** The summary at the top, each linking to its field. */
  list: ShownError[];
  /** A refusal that concerns no single field. */
  general?: string;
}

export const NO_ERRORS: FormErrors = { byField: {}, list: [] };

/**
 * The API's refusal as the form shows it. `labelOf` names the fields this form has; a path it
 * does not know (or a refusal without fields) becomes the general message. `renamePath` lets a
 * form whose fields were renumbered (empty measure slots left out) point back at its own fields.
 */
export function formErrors(
  problem: ProblemBody,
  labelOf: (path: string) => string | undefined,
  renamePath: (path: string) => string = (path) => path,
): FormErrors {
  const byField: Record<string, string> = {};
  const shown: ShownError[] = [];
  const unplaced: string[] = [];
  for (const error of problem.errors ?? []) {
    const path = renamePath(error.path);
    const message = danishMessage(error.message);
    const label = labelOf(path);
    if (label === undefined) {
      unplaced.push(message);
      continue;
    }
    if (byField[path] !== undefined) continue;
    byField[path] = message;
    shown.push({ fieldId: fieldId(path), label, message });
  }
  let general: string | undefined;
  if (problem.status === 409) general = danishNotNow(problem.detail);
  else if (unplaced.length > 0 || shown.length === 0) general = [danishProblemTitle(problem.status), ...unplaced].join('. ');
  return { byField, list: shown, ...(general !== undefined ? { general } : {}) };
}
