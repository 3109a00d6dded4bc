/** README.md's access table is the one in code, rendered: a change to either shows here. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessTableMarkdown } from '../../src/access';
import { REPO_ROOT } from '../support/paths';

describe('README access table', () => {
  it('when README.md is read, then it holds the access table exactly as the code decides', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(accessTableMarkdown());
  });
});
