/**
 * The letter renderer: fills a template's `{{field}}` placeholders with the case's facts. Pure.
 * A template that names a field its kind of letter does not have, or writes a placeholder
 * wrongly, is refused as a whole, so a municipality's bad template never yields a half-filled
 * letter.
 */
import { PEOPLE_FIELDS, fieldNamesFor, isPeopleField, letterField, type LetterContext, type PeopleField, type PeopleValues } from './fields';
import type { LetterKind } from './kinds';

/** A letter template: the subject line and the body, both with placeholders. */
export interface LetterTemplate {
  kind: LetterKind;
  /** Where it came from (a file name), for error messages. */
  source: string;
  subject: string;
  body: string;
}

export interface RenderedLetter {
  subject: string;
  body: string;
}

/** The two texts of a template. */
export type TemplatePart = 'subject' | 'body';

/**
 * A template that cannot be used; `field` names the offending field when there is one, `part`
 * the text (subject or body) the problem is in, and `reason` is the message without the source.
 */
export class LetterTemplateError extends Error {
  readonly reason: string;
  constructor(
    readonly source: string,
    message: string,
    readonly field?: string,
    readonly part?: TemplatePart,
  ) {
    super(`letter template ${source}: ${message}`);
    this.name = 'LetterTemplateError';
    this.reason = message;
  }
}

type Segment = { text: string } | { field: string };

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** Splits a text into literal text and placeholders; refuses braces that are not a placeholder. */
function segmentsOf(text: string, source: string, part?: TemplatePart): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  const literal = (piece: string) => {
    const stray = /\{\{|\}\}/.exec(piece);
    if (stray) {
      throw new LetterTemplateError(source, `has "${stray[0]}" that does not belong to a placeholder written {{field}}`, undefined, part);
    }
    if (piece !== '') segments.push({ text: piece });
  };
  for (const match of text.matchAll(PLACEHOLDER)) {
    literal(text.slice(last, match.index));
    const end = match.index + match[0].length;
    if (text[match.index - 1] === '{' || text[end] === '}') {
      throw new LetterTemplateError(source, `writes "${match[0]}" with extra braces (write it as {{field}})`, undefined, part);
    }
    const name = (match[1] ?? '').trim();
    if (!FIELD_NAME.test(name)) {
      throw new LetterTemplateError(source, `the placeholder "${match[0]}" does not name a field (write it as {{field}})`, undefined, part);
    }
    segments.push({ field: name });
    last = end;
  }
  literal(text.slice(last));
  return segments;
}

/** The field names a text uses, in order of first use. */
export function placeholdersOf(text: string, source = 'text', part?: TemplatePart): string[] {
  const names: string[] = [];
  for (const segment of segmentsOf(text, source, part)) {
    if ('field' in segment && !names.includes(segment.field)) names.push(segment.field);
  }
  return names;
}

/**
 * Everything wrong with a template, in the order subject, body: an empty text, a placeholder
 * written wrongly, a field its kind of letter does not have (the error names the field and lists
 * those it may use), a several-line field in the subject. Empty when the template can be used.
 * This is the one rule for templates, whether they come from a file or through the API.
 */
export function templateProblems(template: LetterTemplate): LetterTemplateError[] {
  const { kind, source } = template;
  const problems: LetterTemplateError[] = [];
  if (template.subject.trim() === '') problems.push(new LetterTemplateError(source, 'has an empty subject', undefined, 'subject'));
  if (template.body.trim() === '') problems.push(new LetterTemplateError(source, 'has an empty body', undefined, 'body'));
  const allowed = fieldNamesFor(kind);
  for (const part of ['subject', 'body'] as const) {
    let names: string[];
    try {
      names = placeholdersOf(template[part], source, part);
    } catch (error) {
      if (!(error instanceof LetterTemplateError)) throw error;
      problems.push(error);
      continue;
    }
    for (const name of names) {
      if (!allowed.includes(name)) {
        const known = letterField(name) ? `a ${kind} letter does not have it` : 'no letter has it';
        problems.push(
          new LetterTemplateError(
            source,
            `names the field "${name}" in its ${part}, but ${known}; a ${kind} letter may use: ${allowed.join(', ')}`,
            name,
            part,
          ),
        );
      } else if (part === 'subject' && letterField(name)?.multiline) {
        problems.push(new LetterTemplateError(source, `puts the field "${name}", which has several lines, in its subject`, name, part));
      }
    }
  }
  return problems;
}

/** Refuses a template with any of the problems templateProblems finds, naming the first. */
export function checkTemplate(template: LetterTemplate): void {
  const [first] = templateProblems(template);
  if (first !== undefined) throw first;
}

/** Fills a text's placeholders from `values`; refuses (naming it) a field it has no value for. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>, source = 'text'): string {
  return segmentsOf(text, source)
    .map((segment) => {
      if ('text' in segment) return segment.text;
      if (!Object.hasOwn(values, segment.field)) {
        throw new LetterTemplateError(source, `names the field "${segment.field}", which this case does not have`, segment.field);
      }
      return values[segment.field]!;
    })
    .join('');
}

/** The values of the fields the template uses, taken from the case. */
function valuesFor(template: LetterTemplate, context: LetterContext): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of [...placeholdersOf(template.subject, template.source), ...placeholdersOf(template.body, template.source)]) {
    const field = letterField(name);
    if (field && !Object.hasOwn(values, name)) values[name] = field.value(context, template.kind);
  }
  return values;
}

/** The letter a template gives for a case: checked first, then filled. */
export function renderLetter(template: LetterTemplate, context: LetterContext): RenderedLetter {
  checkTemplate(template);
  const values = valuesFor(template, context);
  // A subject is one line, whatever the school typed into a field.
  const subject = fillTemplate(template.subject, values, template.source).replace(/\s+/g, ' ').trim();
  const body = fillTemplate(template.body, values, template.source).trim();
  return { subject, body: `${body}\n` };
}

/** A draft as stored: the case's facts filled in, the people's fields kept as {{field}}. */
export interface StoredLetter extends RenderedLetter {
  /** The facts the draft was written from, by field name: compared later to notice a change. */
  facts: Record<string, string>;
}

/** The case's facts a template uses (the people's fields aside), as the letter writes them. */
export function factsOf(template: LetterTemplate, context: LetterContext): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const [name, value] of Object.entries(valuesFor(template, context))) {
    if (!isPeopleField(name)) facts[name] = value;
  }
  return facts;
}

/** The draft a template gives for a case, to be stored: names stay placeholders until shown. */
export function draftLetter(template: LetterTemplate, context: LetterContext): StoredLetter {
  checkTemplate(template);
  const facts = factsOf(template, context);
  const keep = Object.fromEntries(PEOPLE_FIELDS.map((name) => [name, `{{${name}}}`]));
  const values = { ...facts, ...keep };
  const subject = fillTemplate(template.subject, values, template.source).replace(/\s+/g, ' ').trim();
  const body = fillTemplate(template.body, values, template.source).trim();
  return { subject, body: `${body}\n`, facts };
}

const PEOPLE_PLACEHOLDER = new RegExp(`\\{\\{\\s*(${PEOPLE_FIELDS.join('|')})\\s*\\}\\}`, 'g');

/**
 * Fills the people's fields into a stored text. Tolerant on purpose: a text a person edited, or a
 * fact the school typed, may hold braces of its own, which stay as they are.
 */
export function fillPeople(text: string, people: PeopleValues): string {
  return text.replace(PEOPLE_PLACEHOLDER, (_whole, name: PeopleField) => people[name]);
}
