/**
 * The letter drafts as the HTTP API shows them (API.md, "Routes that later issues add"); the
 * OpenAPI document is generated from these.
 */
import { z } from 'zod';
import { freeText, instant } from '../domain/schemas';
import { LETTER_KINDS } from './kinds';

export const letterKind = z.enum(LETTER_KINDS).meta({ id: 'LetterKind' });
export const letterDraftStatus = z.enum(['draft', 'approved', 'discarded']).meta({ id: 'LetterDraftStatus' });
export type LetterDraftStatus = z.infer<typeof letterDraftStatus>;

export const letterDraft = z
  .object({
    draftId: z.string(),
    caseId: z.string(),
    kind: letterKind,
    language: z.literal('da'),
    subject: z.string(),
    body: z.string().meta({ description: 'The letter in Danish; the school fills in what stands in [square brackets] before sending' }),
    status: letterDraftStatus,
    createdAt: instant,
    decidedAt: instant.nullable().meta({ description: 'When the draft was approved or discarded; null while it is a draft' }),
  })
  .meta({ id: 'LetterDraft' });
export type LetterDraft = z.infer<typeof letterDraft>;

export const letterDraftList = z.object({ items: z.array(letterDraft) }).meta({ id: 'LetterDraftList' });

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
