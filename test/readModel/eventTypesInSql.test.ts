/**
 * SQL filters case events by kind only through `eventTypesSql`, which the type checker holds to the
 * declared kinds: a renamed kind then fails to compile instead of silently matching no rows.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseEventType, eventTypesSql } from '../../src/domain/caseEvents';
import { REPO_ROOT } from '../support/paths';

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return Promise.resolve(entry.name.endsWith('.ts') ? [full] : []);
    }),
  );
  return nested.flat();
}

// `e.type = 'escalation'`, `type IN ('a', 'b')`, `type <> 'x'` inside SQL text.
const HAND_WRITTEN_KIND = /\btype\s*(?:=|<>|!=|IN\s*\()\s*'[a-z_]+'/gi;

describe('event kinds in SQL', () => {
  it('when src/ filters case events by kind, then it names the kind through eventTypesSql, never by hand', async () => {
    const found: string[] = [];
    // Migrations are history, applied once and never edited: a renamed kind gets a new migration.
    const files = (await sourceFiles(path.join(REPO_ROOT, 'src'))).filter((file) => !file.endsWith(path.join('db', 'migrations.ts')));
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const match of text.matchAll(HAND_WRITTEN_KIND)) found.push(`${path.relative(REPO_ROOT, file)}: ${match[0]}`);
    }
    expect(found).toEqual([]);
  });

  it('when eventTypesSql names kinds, then it gives a quoted list of exactly those kinds', () => {
    expect(eventTypesSql('escalation', 'closed')).toBe(`'escalation', 'closed'`);
    for (const kind of caseEventType.options) expect(eventTypesSql(kind)).toBe(`'${kind}'`);
  });

  it('when the pattern meets SQL written by hand, then it finds it (the check bites)', () => {
    expect("WHERE e.type = 'escalation' AND x".match(HAND_WRITTEN_KIND)).toHaveLength(1);
    expect("WHERE type IN ('escalation', 'closed')".match(HAND_WRITTEN_KIND)).toHaveLength(1);
  });
});
