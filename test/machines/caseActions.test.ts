/**
 * The list of declared case actions is the one place an action is wired: each has its HTTP route,
 * its Temporal update, its row in the access table and its OpenAPI operation, all derived from
 * the declaration, and its declaration is consistent (effective date, recorded events, names).
 */
import { describe, expect, it } from 'vitest';
import { PROTECTED_ROUTES } from '../../src/access/routes';
import type { CaseService } from '../../src/api/caseService';
import { casesRouter } from '../../src/api/casesRoutes';
import { buildOpenApiDocument } from '../../src/api/openapi';
import * as schemaKit from '../../src/domain/schemaKit';
import { caseEventType, caseAction } from '../../src/domain/schemas';
import { CASE_ACTIONS } from '../../src/machines';
import { updateOf } from '../../src/workflows/definitions';

const openApiPath = (path: string) => `/api/cases/{caseId}/${path.replace(/:(\w+)/g, '{$1}')}`;

describe('the declared case actions', () => {
  const document = buildOpenApiDocument();
  // The router's own table of POST routes; the service is never called here.
  const service: Partial<CaseService> = {};
  const routes = (casesRouter(service as CaseService).stack as { route?: { path: string } }[]).flatMap((layer) =>
    layer.route ? [layer.route.path] : [],
  );

  it('when the list is walked, then every action has its route, update, access row and OpenAPI operation', () => {
    for (const action of CASE_ACTIONS) {
      expect(routes, action.name).toContain(`/:caseId/${action.http.path}`);
      expect(action.use((declared) => updateOf(declared).name), action.name).toBe(action.update);
      const row = PROTECTED_ROUTES.find((candidate) => candidate.method === 'POST' && candidate.path === `/api/cases/:caseId/${action.http.path}`);
      expect(row?.capability, action.name).toBe(action.capability);
      expect(row?.scope).toBe('case');
      const operation = (document.paths as Record<string, { post?: { summary?: string } }>)[openApiPath(action.http.path)]?.post;
      expect(operation?.summary, action.name).toBe(action.http.summary);
    }
  });

  it('when the declarations are compared, then names, updates and paths are unique and every action the API offers is declared', () => {
    const names = CASE_ACTIONS.map((action) => action.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(CASE_ACTIONS.map((action) => action.update)).size).toBe(names.length);
    expect(new Set(CASE_ACTIONS.map((action) => action.http.path)).size).toBe(names.length);
    for (const offered of caseAction.options) expect(names).toContain(offered);
  });

  it('when an action names its effective date and its events, then they are fields of its input and kinds of case event', () => {
    for (const action of CASE_ACTIONS) {
      if (action.effectiveDate !== undefined) {
        // Every input is a zod object; its shape names its fields.
        const shape: unknown = Reflect.get(action.schemasOf(schemaKit).input, 'shape');
        expect(Object.keys(shape ?? {}), action.name).toContain(action.effectiveDate);
      }
      expect(action.records.length, action.name).toBeGreaterThan(0);
      for (const kind of action.records) expect(caseEventType.options).toContain(kind);
    }
  });
});
