/**
 * The drafts routes: list a case's letter drafts, read one with its edits, edit, redraft, approve
 * or discard. Thin: parse, call the store, answer; errors go out as problem+json through the
 * app's one error handler.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { principalOf } from '../access/guard';
import { currentViewOf } from '../db/caseStore';
import type { Database } from '../db/types';
import { DomainFailure } from '../domain/errors';
import { parseOrThrow as parse } from '../domain/validation';
import { LetterDataError } from './fields';
import type { LetterTemplates } from './loadTemplates';
import { createRedrafting } from './redraft';
import { draftDecisionBody, draftEditBody, letterDraft, letterDraftList, letterDraftWithRevisions, type LetterDraftStatus } from './schemas';
import { createLetterDraftStore, type Decision } from './store';

const uuid = z.uuid();
const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' });

function draftNotFound(): never {
  throw new DomainFailure({ code: 'draft_not_found', detail: 'there is no letter draft with this draftId' });
}

const PAST_TENSE: Record<LetterDraftStatus, string> = {
  draft: 'drafted',
  approved: 'approved',
  discarded: 'discarded',
  superseded: 'superseded by a new draft',
};

/** Only a draft can be decided, edited or redrafted: the refusal says what became of it. */
function notADraftAnyMore(status: LetterDraftStatus, wanted: string): never {
  throw new DomainFailure({
    code: 'not_allowed_now',
    detail: `the draft has already been ${PAST_TENSE[status]}; only a draft can be ${wanted}`,
  });
}

export interface DraftsRouterDeps {
  db: Database;
  templates: LetterTemplates;
}

export function draftsRouter({ db, templates }: DraftsRouterDeps): Router {
  const store = createLetterDraftStore(db, { schoolNames: templates.schoolNames });
  const redrafting = createRedrafting(templates);
  const router = Router();

  const draftIdOf = (req: Request): string => {
    const draftId = uuid.safeParse(req.params.draftId);
    return draftId.success ? draftId.data : draftNotFound();
  };
  const requestKeyOf = (req: Request): string | undefined => {
    const rawKey = req.get('Idempotency-Key');
    return rawKey === undefined ? undefined : parse(idempotencyKeyHeader, rawKey, ['Idempotency-Key']);
  };

  router.get('/cases/:caseId/drafts', async (req, res) => {
    const caseId = uuid.safeParse(req.params.caseId);
    const items = caseId.success ? await store.listForCase(caseId.data) : null;
    if (items === null) throw new DomainFailure({ code: 'case_not_found', detail: 'there is no case with this caseId' });
    res.json(letterDraftList.parse({ items }));
  });

  router.get('/drafts/:draftId', async (req, res) => {
    const draft = await store.get(draftIdOf(req));
    if (draft === null) return draftNotFound();
    res.json(letterDraftWithRevisions.parse(draft));
  });

  router.post('/drafts/:draftId/revisions', async (req, res) => {
    const draftId = draftIdOf(req);
    const edit = parse(draftEditBody, req.body ?? {});
    const result = await store.edit(draftId, edit, principalOf(res).sub, requestKeyOf(req));
    switch (result.outcome) {
      case 'not_found':
        return draftNotFound();
      case 'edited':
      case 'repeated':
        res.status(result.outcome === 'edited' ? 201 : 200).json(letterDraftWithRevisions.parse(result.draft));
        return;
      case 'already_decided':
        return notADraftAnyMore(result.draft.status, 'edited');
    }
  });

  router.post('/drafts/:draftId/redraft', async (req, res) => {
    const draftId = draftIdOf(req);
    parse(draftDecisionBody, req.body ?? {});
    const draft = await store.get(draftId);
    if (draft === null) return draftNotFound();
    if (draft.status !== 'draft') return notADraftAnyMore(draft.status, 'redrafted');
    const open = (await store.openDrafts(draft.caseId)).find((candidate) => candidate.draftId === draftId);
    const view = await currentViewOf(db, draft.caseId);
    let newId: string | null = null;
    try {
      if (open !== undefined && view !== undefined) newId = await redrafting.redraft(db, view, open, principalOf(res).sub);
    } catch (error) {
      if (!(error instanceof LetterDataError)) throw error;
      throw new DomainFailure({ code: 'not_allowed_now', detail: `the letter cannot be written again: the case has no ${error.field} now` });
    }
    // Decided or redrafted by someone else in between.
    if (newId === null) return notADraftAnyMore((await store.get(draftId))?.status ?? 'superseded', 'redrafted');
    const made = await store.get(newId);
    if (made === null) return draftNotFound();
    res.status(201).json(letterDraftWithRevisions.parse(made));
  });

  const decide = (decision: Decision) => async (req: Request, res: Response) => {
    const draftId = draftIdOf(req);
    parse(draftDecisionBody, req.body ?? {});
    const result = await store.decide(draftId, decision, principalOf(res).sub, requestKeyOf(req));
    switch (result.outcome) {
      case 'not_found':
        return draftNotFound();
      case 'decided':
      case 'repeated':
        res.json(letterDraft.parse(result.draft));
        return;
      case 'already_decided':
        return notADraftAnyMore(result.draft.status, decision);
    }
  };
  router.post('/drafts/:draftId/approve', decide('approved'));
  router.post('/drafts/:draftId/discard', decide('discarded'));

  return router;
}
