/**
 * The case routes: parse, call the use case, answer. Nothing here knows a domain rule.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  assessmentInput,
  closureInput,
  completeStepInput,
  escalationInput,
  followUpInput,
  listCasesQuery,
  openCaseInput,
  planInput,
} from '../domain/schemas';
import {
  closeCaseUpdate,
  completeStepUpdate,
  decideAssessmentUpdate,
  escalateUpdate,
  recordFollowUpUpdate,
  submitPlanUpdate,
} from '../workflows/definitions';
import type { CaseService } from './caseService';
import { DomainFailure } from '../domain/errors';
import { parseOrThrow as parse } from '../domain/validation';

const caseIdParam = z.uuid();
const stepIdParam = z.string().min(1).max(64).regex(/^[a-z0-9_]+$/);
const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, { message: 'must be printable ASCII without spaces' });


/** An unknown or malformed case ID is simply a case that does not exist. */
function caseIdOf(req: Request): string {
  const result = caseIdParam.safeParse(req.params.caseId);
  if (!result.success) throw new DomainFailure({ code: 'case_not_found', detail: 'there is no case with this caseId' });
  return result.data;
}

function idempotencyKeyOf(req: Request, scope: string): string | undefined {
  const raw = req.get('Idempotency-Key');
  if (raw === undefined) return undefined;
  const key = parse(idempotencyKeyHeader, raw, ['Idempotency-Key']);
  // Scoped per action, so one key reused on another route cannot return that route's answer.
  return `${scope}:${key}`;
}

export function casesRouter(service: CaseService): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const input = parse(openCaseInput, req.body);
    const view = await service.openCase(input, idempotencyKeyOf(req, 'open'));
    res.status(201).location(`/api/cases/${view.caseId}`).json(view);
  });

  router.get('/', async (req, res) => {
    const query = parse(listCasesQuery, req.query);
    res.json({ items: await service.listCases(query) });
  });

  router.get('/:caseId', async (req, res) => {
    res.json(await service.getCase(caseIdOf(req)));
  });

  router.post('/:caseId/steps/:stepId/complete', async (req, res) => {
    const caseId = caseIdOf(req);
    const stepResult = stepIdParam.safeParse(req.params.stepId);
    if (!stepResult.success) throw new DomainFailure({ code: 'step_not_found', detail: 'the case has no step with this stepId' });
    const input = parse(completeStepInput, req.body ?? {});
    const key = idempotencyKeyOf(req, `step:${stepResult.data}`);
    res.json(await service.act(caseId, completeStepUpdate, { ...input, stepId: stepResult.data }, key));
  });

  router.post('/:caseId/deadlines/recompute', async (req, res) => {
    const caseId = caseIdOf(req);
    res.json(await service.recomputeDeadlines(caseId, idempotencyKeyOf(req, 'recompute')));
  });

  const actions = [
    { path: 'assessment', schema: assessmentInput, update: decideAssessmentUpdate },
    { path: 'plan', schema: planInput, update: submitPlanUpdate },
    { path: 'follow-ups', schema: followUpInput, update: recordFollowUpUpdate },
    { path: 'escalations', schema: escalationInput, update: escalateUpdate },
    { path: 'closure', schema: closureInput, update: closeCaseUpdate },
  ] as const;
  for (const { path, schema, update } of actions) {
    router.post(`/:caseId/${path}`, async (req, res) => {
      const caseId = caseIdOf(req);
      const input: unknown = parse(schema, req.body);
      const key = idempotencyKeyOf(req, path);
      // The schema above checked the shape the update declares.
      res.json(await service.act(caseId, update as typeof escalateUpdate, input as z.infer<typeof escalationInput>, key));
    });
  }

  return router;
}
