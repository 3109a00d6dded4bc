/** The floor workflow's one local activity: one row per update, idempotent by workflow and sequence. */
import type { Database } from '../../src/db/index';

export const FLOOR_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_floor_rows (
  workflow_id text NOT NULL, sequence integer NOT NULL, note text NOT NULL, at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, sequence))`;

export function createFloorActivities(db: Database) {
  return {
    async writeRow(input: { workflowId: string; sequence: number; note: string }): Promise<void> {
      await db.query(`INSERT INTO bench_floor_rows (workflow_id, sequence, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        input.workflowId,
        input.sequence,
        input.note,
      ]);
    },
  };
}
