/**
 * What the workflow sandbox evaluates for every cached case. The worker evaluates the bundle's
 * modules again for each workflow (and each cache-miss replay), so a heavy module costs memory
 * and CPU per case: zod and the domain's schemas were about 1 MB and 8 ms of each (issue 12).
 * The API parses with zod; the workflow checks shapes lightly (src/domain/inputShape.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflowBundle } from '../support/temporal';

/** The module paths webpack names in the bundle (`/***\/ "path":`). */
function bundledModules(): string[] {
  const code = readFileSync(loadWorkflowBundle().codePath, 'utf8');
  return [...code.matchAll(/\/\*{3}\/ "([^"]+)"/g)].map(([, path]) => path ?? '');
}

describe('the workflow bundle', () => {
  it('when the workflows are bundled, then no zod module and no schema module is in it', () => {
    const modules = bundledModules();
    expect(modules.length).toBeGreaterThan(20);
    expect(modules.some((path) => path.includes('/src/machines/case/caseMachine.ts'))).toBe(true);
    expect(modules.filter((path) => /\/zod\//.test(path))).toEqual([]);
    const schemaModules = ['schemas.ts', 'caseEvents.ts', 'fields.ts', 'validation.ts', 'schemaKit.ts', 'readModelSchemas.ts'];
    expect(modules.filter((path) => schemaModules.some((name) => path.endsWith(`/src/domain/${name}`)))).toEqual([]);
  });
});
