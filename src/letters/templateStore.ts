/**
 * The template in force for each kind of letter: the municipality's own one in the database
 * (table letter_templates) when it has set one through the API, else the file shipped in
 * templates/letters and loaded at start. A template is stored only when it passes the same check
 * the files go through (templateProblems); a refused one leaves the template in force as it was.
 */
import type { Database } from '../db/types';
import { fieldNamesFor } from './fields';
import { LETTER_KINDS, type LetterKind } from './kinds';
import type { LetterTemplates } from './loadTemplates';
import { templateProblems, type LetterTemplate, type LetterTemplateError } from './render';
import type { LetterTemplateInput, LetterTemplateSource, LetterTemplateView } from './schemas';

export interface TemplateInForce {
  readonly template: LetterTemplate;
  readonly source: LetterTemplateSource;
  /** When the database's template was set; null for the file. */
  readonly updatedAt: string | null;
  /**
   * A template in the database that no longer passes the check (a field was removed from the
   * code since it was set): the file is in force instead, and this says why.
   */
  readonly refusedOverride?: LetterTemplateError;
}

export type SetTemplateResult = { ok: true; inForce: TemplateInForce } | { ok: false; problems: LetterTemplateError[] };

export interface LetterTemplateStore {
  inForce(kind: LetterKind): Promise<TemplateInForce>;
  /** Every kind of letter, in LETTER_KINDS order. */
  list(): Promise<TemplateInForce[]>;
  /** Checks the template and, when it passes, puts it in force; when not, nothing changes. */
  set(kind: LetterKind, input: LetterTemplateInput): Promise<SetTemplateResult>;
  /** Puts the shipped file back in force. */
  reset(kind: LetterKind): Promise<TemplateInForce>;
}

interface TemplateRow extends Record<string, unknown> {
  kind: string;
  subject: string;
  body: string;
  updated_at: string;
}

/** The source named in a stored template's errors. */
const databaseSource = (kind: LetterKind) => `${kind} (database)`;

/** The template as given through the API, written the way a file's is read (line ends, edges). */
function templateOf(kind: LetterKind, input: LetterTemplateInput, source: string): LetterTemplate {
  return {
    kind,
    source,
    subject: input.subject.trim(),
    body: input.body.replace(/\r\n?/g, '\n').trim(),
  };
}

const UPSERT_SQL = `
  INSERT INTO letter_templates (kind, subject, body) VALUES ($1, $2, $3)
  ON CONFLICT (kind) DO UPDATE SET subject = EXCLUDED.subject, body = EXCLUDED.body, updated_at = now()
  RETURNING kind, subject, body, updated_at
`;

export function createLetterTemplateStore(db: Database, files: LetterTemplates): LetterTemplateStore {
  const fileTemplate = (kind: LetterKind): TemplateInForce => {
    const template = files.byKind.get(kind);
    // loadLetterTemplates refuses to start without one per kind; this is a programming error.
    if (template === undefined) throw new Error(`no letter template file was loaded for ${kind}`);
    return { template, source: 'file', updatedAt: null };
  };

  const fromRow = (kind: LetterKind, row: TemplateRow | undefined): TemplateInForce => {
    if (row === undefined) return fileTemplate(kind);
    const template = templateOf(kind, row, databaseSource(kind));
    const [problem] = templateProblems(template);
    if (problem !== undefined) return { ...fileTemplate(kind), refusedOverride: problem };
    return { template, source: 'database', updatedAt: row.updated_at };
  };

  return {
    async inForce(kind) {
      const rows = await db.query<TemplateRow>('SELECT kind, subject, body, updated_at FROM letter_templates WHERE kind = $1', [kind]);
      return fromRow(kind, rows[0]);
    },

    async list() {
      const rows = await db.query<TemplateRow>('SELECT kind, subject, body, updated_at FROM letter_templates');
      const byKind = new Map(rows.map((row) => [row.kind, row]));
      return LETTER_KINDS.map((kind) => fromRow(kind, byKind.get(kind)));
    },

    async set(kind, input) {
      const template = templateOf(kind, input, databaseSource(kind));
      const problems = templateProblems(template);
      if (problems.length > 0) return { ok: false, problems };
      const [row] = await db.query<TemplateRow>(UPSERT_SQL, [kind, template.subject, template.body]);
      return { ok: true, inForce: fromRow(kind, row) };
    },

    async reset(kind) {
      await db.query('DELETE FROM letter_templates WHERE kind = $1', [kind]);
      return fileTemplate(kind);
    },
  };
}

/** The template in force as the API shows it. */
export function templateView({ template, source, updatedAt }: TemplateInForce): LetterTemplateView {
  return { kind: template.kind, subject: template.subject, body: template.body, source, updatedAt, fields: fieldNamesFor(template.kind) };
}
