/**
 * The letter drafts as the HTTP API shows them (API.md, "Routes that later issues add"); the
 * OpenAPI document is generated from these.
 */
import { z } from 'zod';
import { instant } from '../domain/schemas';
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
