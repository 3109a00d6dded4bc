/**
 * The SQL that reads `case_events.detail` (escalation levels, reasons, external resources) reads
 * keys the detail schemas declare (`detailKey`, checked by the type checker). Here the other half:
 * what the machine records and the store writes parses with the same schemas, and PostgreSQL's
 * `detail -> key` gives back, for every declared key of every kind, the value the schema reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_EVENT_DETAILS, caseEventType, historyEntry } from '../../src/domain/caseEvents';
import { createCaseStore } from '../../src/db';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases';
import { recordDataset } from './support/dataset';

interface Row extends Record<string, unknown> {
  case_id: string;
  seq: number;
  type: string;
  detail: unknown;
}

describe.each(DATABASE_KINDS)('case event details as stored on %s', (kind) => {
  let t: TestDatabase;
  let rows: Row[];
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    await recordDataset(createCaseStore(t.db));
    rows = await t.db.query<Row>(`SELECT case_id, seq, type, detail FROM case_events ORDER BY case_id, seq`);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('every stored event parses with the schema of its kind, escalations included', () => {
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.some((row) => row.type === 'escalation')).toBe(true);
    for (const row of rows) {
      const type = caseEventType.parse(row.type);
      expect(CASE_EVENT_DETAILS[type].strict().safeParse(row.detail).success, `${row.case_id}#${row.seq} ${type}`).toBe(true);
    }
  });

  it('when SQL reads a declared key of a detail, it gets what the schema reads', async () => {
    for (const row of rows) {
      const type = caseEventType.parse(row.type);
      const detail: Record<string, unknown> = CASE_EVENT_DETAILS[type].parse(row.detail);
      for (const key of Object.keys(CASE_EVENT_DETAILS[type].shape)) {
        const [read] = await t.db.query<{ value: unknown }>(
          `SELECT detail -> $3::text AS value FROM case_events WHERE case_id = $1 AND seq = $2`,
          [row.case_id, row.seq, key],
        );
        expect(read?.value ?? undefined, `${type}.${key}`).toEqual(detail[key]);
      }
    }
  });

  it('the machine writes history entries the HistoryEntry schema accepts as they are', () => {
    for (const row of rows) {
      const type = caseEventType.parse(row.type);
      const entry = { seq: row.seq, at: '2026-11-18T10:00:00Z', on: '2026-11-18', event: type, phase: 'mapping', detail: row.detail };
      expect(historyEntry.parse(entry)).toEqual(entry);
    }
  });
});
