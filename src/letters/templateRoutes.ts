/**
 * The letter templates routes: list the template in force for each kind of letter, set the
 * municipality's own one for a kind, or go back to the shipped file. A template is checked by the
 * same rule as the files; a refused one answers 400 naming the text (subject or body) and the
 * placeholder, and the template in force stays as it was.
 */
import { Router, type Response } from 'express';
import { DomainFailure, sendProblem } from '../api/problem';
import { parseWith } from '../domain/validation';
import { LETTER_KINDS, isLetterKind, type LetterKind } from './kinds';
import { letterTemplate, letterTemplateInput, letterTemplateList } from './schemas';
import { templateView, type LetterTemplateStore, type TemplateInForce } from './templateStore';

export const LETTER_KIND_NOT_FOUND_TYPE = 'https://fravaersforloeb.dk/problems/letter-kind-not-found';

/** The kind named in the path, or a 404 answered. */
function kindOf(raw: unknown, res: Response): LetterKind | undefined {
  if (typeof raw === 'string' && isLetterKind(raw)) return raw;
  sendProblem(res, {
    type: LETTER_KIND_NOT_FOUND_TYPE,
    title: 'Letter kind not found',
    status: 404,
    detail: `there is no kind of letter with this name; the kinds are: ${LETTER_KINDS.join(', ')}`,
  });
  return undefined;
}

const answer = (res: Response, inForce: TemplateInForce) => res.json(letterTemplate.parse(templateView(inForce)));

export function letterTemplatesRouter(store: LetterTemplateStore): Router {
  const router = Router();

  router.get('/letter-templates', async (_req, res) => {
    const items = (await store.list()).map(templateView);
    res.json(letterTemplateList.parse({ items }));
  });

  router.get('/letter-templates/:kind', async (req, res) => {
    const kind = kindOf(req.params.kind, res);
    if (kind !== undefined) answer(res, await store.inForce(kind));
  });

  router.put('/letter-templates/:kind', async (req, res) => {
    const kind = kindOf(req.params.kind, res);
    if (kind === undefined) return;
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
    const kind = kindOf(req.params.kind, res);
    if (kind !== undefined) answer(res, await store.reset(kind));
  });

  return router;
}
