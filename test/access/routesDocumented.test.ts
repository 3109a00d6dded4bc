/** The access table and the OpenAPI document name the same routes: none unguarded, none undocumented. */
import { describe, expect, it } from 'vitest';
import { PROTECTED_ROUTES } from '../../src/access';
import { buildOpenApiDocument } from '../../src/api/openapi';

describe('protected routes and the API document', () => {
  const document = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>> };
  const documented = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api') || path.startsWith('/codec'))
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));

  it('when the document is read, then every /api and /codec operation in it has a row in the access table', () => {
    const guarded = new Set(PROTECTED_ROUTES.map((route) => `${route.method} ${route.path}`));
    expect(documented.filter((operation) => !guarded.has(operation))).toEqual([]);
  });

  it('when the access table is read, then every route in it is documented, with bearer security and a 401', () => {
    expect(PROTECTED_ROUTES.map((route) => `${route.method} ${route.path}`).filter((operation) => !documented.includes(operation))).toEqual([]);
    for (const operations of Object.values(document.paths)) {
      for (const [, operation] of Object.entries(operations)) {
        if (operation.security === undefined) continue;
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses)).toContain('401');
      }
    }
  });
});
