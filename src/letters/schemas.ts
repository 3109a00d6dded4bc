/**
 * The letter drafts as the HTTP API shows them (API.md, "Routes that later issues add"); the
 * OpenAPI document is generated from these.
 */
import { z } from 'zod';
import { freeText, instant } from '../domain/schemas';
import { LETTER_KINDS } from './kinds';

export const letterKind = z.enum(LETTER_KINDS).meta({ id: 'LetterKind' });
export const letterDraftStatus = z.enum(['draft', 'approved', 'discarded', 'superseded']).meta({ id: 'LetterDraftStatus' });
export type LetterDraftStatus = z.infer<typeof letterDraftStatus>;

export const letterDraft = z
  .object({
    draftId: z.string(),
    caseId: z.string(),
    kind: letterKind,
    language: z.literal('da'),
    subject: z.string(),
    body: z.string().meta({
      description:
        'The letter in Danish as it reads now: the latest edit, or the draft; names filled in from the school\'s pupil directory and settings (as approved, once approved). Time and place stand in [square brackets] until the school writes them',
    }),
    status: letterDraftStatus,
    createdAt: instant,
    decidedAt: instant.nullable().meta({ description: 'When the draft was approved, discarded or superseded; null while it is a draft' }),
    decidedBy: z.string().nullable().meta({ description: 'Who approved or discarded it (the token\'s subject); null while a draft, or when superseded by the system' }),
    revisionCount: z.int().min(0).meta({ description: 'How many times a person has edited the draft' }),
    factsChanged: z.boolean().meta({
      description: 'The case\'s facts behind this edited draft have changed since it was written; POST …/redraft makes a new draft from them',
    }),
    replaces: z.string().nullable().meta({ description: 'The draft this one was redrafted from' }),
    supersededBy: z.string().nullable().meta({ description: 'The draft made from newer facts in place of this one' }),
  })
  .meta({ id: 'LetterDraft' });
export type LetterDraft = z.infer<typeof letterDraft>;

export const letterRevision = z
  .object({
    revision: z.int().min(1),
    subject: z.string(),
    body: z.string(),
    editedBy: z.string().meta({ description: 'Who edited (the token\'s subject)' }),
    editedAt: instant,
  })
  .meta({ id: 'LetterRevision' });
export type LetterRevision = z.infer<typeof letterRevision>;

export const letterDraftWithRevisions = letterDraft
  .extend({ revisions: z.array(letterRevision).meta({ description: 'Every edit, oldest first' }) })
  .meta({ id: 'LetterDraftWithRevisions' });
export type LetterDraftWithRevisions = z.infer<typeof letterDraftWithRevisions>;

export const letterDraftList = z.object({ items: z.array(letterDraft) }).meta({ id: 'LetterDraftList' });

/** An edit of a draft: the whole subject and text as they should read. */
export const draftEditBody = z
  .object({
    subject: freeText().trim().min(1).max(500),
    body: freeText().trim().min(1).max(50_000),
  })
  .strict()
  .meta({ id: 'LetterDraftEdit' });
export type DraftEdit = z.infer<typeof draftEditBody>;

/** Approving or discarding takes no body; an empty object is accepted too. */
export const draftDecisionBody = z.object({}).strict();

/** Where the template in force for a kind of letter comes from. */
export const letterTemplateSource = z.enum(['file', 'database']).meta({ id: 'LetterTemplateSource' });
export type LetterTemplateSource = z.infer<typeof letterTemplateSource>;

export const letterTemplate = z
  .object({
    kind: letterKind,
    subject: z.string().meta({ description: 'The subject line, with {{field}} placeholders' }),
    body: z.string().meta({ description: 'The letter in Danish, with {{field}} placeholders' }),
    source: letterTemplateSource.meta({
      description: 'file: the template shipped in templates/letters/<kind>.md; database: one set through PUT, in force until DELETE',
    }),
    updatedAt: instant.nullable().meta({ description: 'When the template in the database was set; null for the file' }),
    fields: z.array(z.string()).meta({ description: 'The placeholders a template of this kind may use' }),
  })
  .meta({ id: 'LetterTemplate' });
export type LetterTemplateView = z.infer<typeof letterTemplate>;

export const letterTemplateList = z.object({ items: z.array(letterTemplate) }).meta({ id: 'LetterTemplateList' });

/** A municipality's own template for one kind of letter; checked by the same rule as the files. */
export const letterTemplateInput = z
  .object({
    subject: freeText().max(500),
    body: freeText().max(50_000),
  })
  .strict()
  .meta({ id: 'LetterTemplateInput' });
export type LetterTemplateInput = z.infer<typeof letterTemplateInput>;
