/**
 * The drafts routes: list a case's letter drafts, approve or discard one. Thin: parse, call the
 * store, answer; errors go out as problem+json through the app's one error handler.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { DomainFailure } from '../domain/errors';
import { parseOrThrow as parse } from '../domain/validation';
import { draftDecisionBody, letterDraft, letterDraftList } from './schemas';
import type { Decision, LetterDraftStore } from './store';

const uuid = z.uuid();
const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' });

function draftNotFound(): never {
  throw new DomainFailure({ code: 'draft_not_found', detail: 'there is no letter draft with this draftId' });
}

const PAST_TENSE: Record<Decision, string> = { approved: 'approved', discarded: 'discarded' };

export function draftsRouter(store: LetterDraftStore): Router {
  const router = Router();

  router.get('/cases/:caseId/drafts', async (req, res) => {
    const caseId = uuid.safeParse(req.params.caseId);
    const items = caseId.success ? await store.listForCase(caseId.data) : null;
    if (items === null) throw new DomainFailure({ code: 'case_not_found', detail: 'there is no case with this caseId' });
    res.json(letterDraftList.parse({ items }));
  });

  const decide = (decision: Decision) => async (req: Request, res: Response) => {
    const draftId = uuid.safeParse(req.params.draftId);
    if (!draftId.success) return draftNotFound();
    parse(draftDecisionBody, req.body ?? {});
    const rawKey = req.get('Idempotency-Key');
    const key = rawKey === undefined ? undefined : parse(idempotencyKeyHeader, rawKey, ['Idempotency-Key']);
    const result = await store.decide(draftId.data, decision, key);
    switch (result.outcome) {
      case 'not_found':
        return draftNotFound();
      case 'decided':
      case 'repeated':
        res.json(letterDraft.parse(result.draft));
        return;
      case 'already_decided':
        throw new DomainFailure({
          code: 'not_allowed_now',
          detail: `the draft has already been ${PAST_TENSE[result.draft.status as Decision]}; only a draft can be ${PAST_TENSE[decision]}`,
        });
    }
  };
  router.post('/drafts/:draftId/approve', decide('approved'));
  router.post('/drafts/:draftId/discard', decide('discarded'));

  return router;
}
