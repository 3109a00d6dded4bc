/**
 * The letter templates routes: list the template in force for each kind of letter, set the
 * municipality's own one for a kind, or go back to the shipped file. A template is checked by the
 * same rule as the files; a refused one answers 400 naming the text (subject or body) and the
 * placeholder, and the template in force stays as it was.
 */
import { Router, type Response } from 'express';
import { DomainFailure } from '../domain/errors';
import { parseWith } from '../domain/validation';
import { LETTER_KINDS, isLetterKind, type LetterKind } from './kinds';
import { letterTemplate, letterTemplateInput, letterTemplateList } from './schemas';
import { templateView, type LetterTemplateStore, type TemplateInForce } from './templateStore';

/** The kind named in the path, or the 404 thrown to the error handler. */
function kindOf(raw: unknown): LetterKind {
  if (typeof raw === 'string' && isLetterKind(raw)) return raw;
  throw new DomainFailure({
    code: 'letter_kind_not_found',
    detail: `there is no kind of letter with this name; the kinds are: ${LETTER_KINDS.join(', ')}`,
  });
}

const answer = (res: Response, inForce: TemplateInForce) => res.json(letterTemplate.parse(templateView(inForce)));

export function letterTemplatesRouter(store: LetterTemplateStore): Router {
  const router = Router();

  router.get('/letter-templates', async (_req, res) => {
    const items = (await store.list()).map(templateView);
    res.json(letterTemplateList.parse({ items }));
  });

  router.get('/letter-templates/:kind', async (req, res) => {
    answer(res, await store.inForce(kindOf(req.params.kind)));
  });

  router.put('/letter-templates/:kind', async (req, res) => {
    const kind = kindOf(req.params.kind);
    const parsed = parseWith(letterTemplateInput, req.body ?? {});
    if (!parsed.ok) throw new DomainFailure(parsed.error);
    const result = await store.set(kind, parsed.value);
    if (!result.ok) {
      const errors = result.problems.map((problem) => ({ path: problem.part ?? '(body)', message: problem.reason }));
      throw new DomainFailure({
        code: 'invalid_input',
        detail: `the ${kind} template is refused and the one in force is unchanged: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
        errors,
      });
    }
    answer(res, result.inForce);
  });

  router.delete('/letter-templates/:kind', async (req, res) => {
    answer(res, await store.reset(kindOf(req.params.kind)));
  });

  return router;
}
