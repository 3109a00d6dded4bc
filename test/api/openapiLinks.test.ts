/**
 * The OpenAPI links that take a client (and schemathesis's stateful phase) from opening a case
 * to its operations: each points at an operation the document has, with the parameters it needs.
 */
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/api/openapi';

type Operation = { parameters?: { name: string; in: string }[]; responses?: Record<string, { links?: Record<string, Link> }> };
type Link = { operationRef: string; parameters: Record<string, string> };

const document = buildOpenApiDocument() as unknown as { paths: Record<string, Record<string, Operation>> };

/** The operation a local operationRef (`#/paths/<escaped path>/<method>`) names. */
function resolve(ref: string): { path: string; operation: Operation | undefined } {
  const [, , escaped, method] = ref.split('/');
  const path = (escaped ?? '').replaceAll('~1', '/').replaceAll('~0', '~');
  return { path, operation: document.paths[path]?.[method ?? ''] };
}

describe('OpenAPI links', () => {
  const opened = document.paths['/api/cases']?.post?.responses?.[201]?.links ?? {};

  it('lead from an opened case to every operation on a case', () => {
    const targets = Object.values(opened).map((link) => resolve(link.operationRef).path);
    const caseOperations = Object.keys(document.paths).filter((path) => path.startsWith('/api/cases/{caseId}'));
    expect(new Set(targets)).toEqual(new Set(caseOperations));
  });

  it.each(['/api/cases/{caseId}', '/api/cases/{caseId}/assessment', '/api/cases/{caseId}/drafts'])('from %s, each resolves and fills every path parameter', (from) => {
    const operations = Object.values(document.paths[from] ?? {});
    const links = operations.flatMap((operation) => Object.values(operation.responses ?? {}).flatMap((response) => Object.values(response.links ?? {})));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const { path, operation } = resolve(link.operationRef);
      expect(operation, link.operationRef).toBeDefined();
      const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(Object.keys(link.parameters).sort(), link.operationRef).toEqual(pathParameters.sort());
    }
  });
});
