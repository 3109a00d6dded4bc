/**
 * The case routes: parse, call the use case, answer. Nothing here knows a domain rule.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { DomainFailure } from '../domain/errors';
import * as schemaKit from '../domain/schemaKit';
import { listCasesQuery, openCaseInput } from '../domain/schemas';
import { parseOrThrow as parse } from '../domain/validation';
import { principalOf } from '../access';
import { CASE_ACTIONS, type CaseActionDeclaration } from '../machines';
import { updateOf } from '../workflows/definitions';
import type { CaseService } from './caseService';

const caseIdParam = z.uuid();
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

export function idempotencyKeyOf(req: Request, scope: string): string | undefined {
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

  // One route per declared action: its path, its body, its update.
  const route = <N extends string, I, B>(action: CaseActionDeclaration<N, I, B>) => {
    router.post(`/:caseId/${action.http.path}`, async (req, res) => {
      const caseId = caseIdOf(req);
      const body = parse(action.schemasOf(schemaKit).body, req.body ?? {});
      const input = await action.http.toInput(body, req.params, { sub: principalOf(res).sub }, { schoolCalendar: () => service.schoolCalendarOf(caseId) });
      const key = idempotencyKeyOf(req, action.http.idempotencyScope(input));
      res.json(await service.act(caseId, updateOf(action), input, key));
    });
  };
  for (const declared of CASE_ACTIONS) declared.use(route);

  return router;
}
