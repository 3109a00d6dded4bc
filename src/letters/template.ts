/**
 * Reads a letter template file: a small front matter (the subject) and the body.
 *
 *   ---
 *   subject: Invitation til en samtale
 *   ---
 *   Kære forældre til …
 *
 * Pure: the caller reads the file.
 */
import type { LetterKind } from './kinds';
import { checkTemplate, LetterTemplateError, type LetterTemplate } from './render';

const FRONT_MATTER_KEYS = ['subject'] as const;

/** Parses and checks one template; any problem is a LetterTemplateError naming the file. */
export function parseLetterTemplate(kind: LetterKind, text: string, source: string): LetterTemplate {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') {
    throw new LetterTemplateError(source, 'must begin with a front matter: a line "---", "subject: …", and a line "---"');
  }
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end < 0) throw new LetterTemplateError(source, 'has no line "---" closing its front matter');

  const front: Partial<Record<(typeof FRONT_MATTER_KEYS)[number], string>> = {};
  for (const [offset, line] of lines.slice(1, end).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = /^\s*([A-Za-z]+)\s*:\s*(.*)$/.exec(line);
    const key = match?.[1];
    if (match === null || key === undefined) {
      throw new LetterTemplateError(source, `front matter line ${offset + 2} is not "key: value"`);
    }
    if (!(FRONT_MATTER_KEYS as readonly string[]).includes(key)) {
      throw new LetterTemplateError(source, `front matter has "${key}"; it may have only: ${FRONT_MATTER_KEYS.join(', ')}`);
    }
    front[key as (typeof FRONT_MATTER_KEYS)[number]] = unquote((match[2] ?? '').trim());
  }
  if (front.subject === undefined) throw new LetterTemplateError(source, 'front matter has no subject');

  const template: LetterTemplate = { kind, source, subject: front.subject, body: lines.slice(end + 1).join('\n').trim() };
  checkTemplate(template);
  return template;
}

function unquote(value: string): string {
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(value);
  return quoted ? (quoted[1] ?? quoted[2] ?? '') : value;
}
