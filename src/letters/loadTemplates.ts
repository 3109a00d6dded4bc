/**
 * The municipality's letter templates, read from templates/letters/<kind>.md (and the schools'
 * names from templates/letters/schools.json, when present) and checked once, at start: a missing
 * or bad template stops the start with a message naming the file and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LETTER_KINDS, type LetterKind } from './kinds';
import { LetterTemplateError, type LetterTemplate } from './render';
import { parseLetterTemplate } from './template';

/** The templates shipped with the service: <repo>/templates/letters. */
export const DEFAULT_LETTER_TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'letters');

export interface LetterTemplates {
  /** One checked template per kind of letter. */
  readonly byKind: ReadonlyMap<LetterKind, LetterTemplate>;
  /** School names by schoolId, from schools.json; a school not listed is named by its id. */
  readonly schoolNames: ReadonlyMap<string, string>;
}

const schoolsFile = z.record(z.string().min(1), z.string().trim().min(1).max(200));

/** Reads and checks every template (synchronously: it runs once, while the service starts). */
export function loadLetterTemplates(directory: string = DEFAULT_LETTER_TEMPLATES_DIR): LetterTemplates {
  const byKind = new Map<LetterKind, LetterTemplate>();
  for (const kind of LETTER_KINDS) {
    const file = path.join(directory, `${kind}.md`);
    const source = `${kind}.md`;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new LetterTemplateError(source, `cannot be read from ${directory}; every kind of letter needs its template`);
    }
    byKind.set(kind, parseLetterTemplate(kind, text, source));
  }

  const schoolNames = new Map<string, string>();
  const schoolsPath = path.join(directory, 'schools.json');
  if (existsSync(schoolsPath)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(schoolsPath, 'utf8'));
    } catch {
      throw new LetterTemplateError('schools.json', 'is not valid JSON');
    }
    const result = schoolsFile.safeParse(parsed);
    if (!result.success) {
      throw new LetterTemplateError('schools.json', 'must be one object of "schoolId": "Skolens navn"');
    }
    for (const [schoolId, name] of Object.entries(result.data)) schoolNames.set(schoolId, name);
  }
  return { byKind, schoolNames };
}
