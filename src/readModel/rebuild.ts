/**
 * Rebuilds what the read model derives from case views: first brings each open case's stored view
 * up to date from its running workflow (when a Temporal client is given), then rewrites every
 * case's summary columns, steps, missing events and event school dates from its stored view.
 * Safe to run while the service runs: each case is rederived in its own transaction, under a lock
 * on its row, and recording a view is idempotent.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { CaseStore, Database } from '../db/types';
import { workflowIdForCase } from '../temporal/names';
import { caseViewQuery } from '../workflows/definitions';

export interface RebuildOptions {
  db: Pick<Database, 'query'>;
  store: CaseStore;
  /** Without it, open cases are not re-synced from their workflows. */
  client?: Client;
  /** How long one workflow may take to answer its query. */
  queryTimeoutMs?: number;
  /** Told about each open case that could not be re-synced (its ID and a reason, nothing else). */
  log?: (message: string, fields: { caseId: string; reason: string }) => void;
}

export interface RebuildReport {
  cases: number;
  openCases: number;
  /** Open cases whose workflow answered and whose view was recorded. */
  resynced: number;
  /** Open cases whose workflow could not be asked (not found, timed out, failed). */
  resyncFailed: number;
  steps: number;
  eventsRestored: number;
  eventDatesFixed: number;
}

const PAGE_SIZE = 500;

export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildReport> {
  const { db, store, client } = options;
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.queryTimeoutMs ?? 10_000;
  const report: RebuildReport = { cases: 0, openCases: 0, resynced: 0, resyncFailed: 0, steps: 0, eventsRestored: 0, eventDatesFixed: 0 };

  // Keyset pages: the table may be large and may grow while we walk it.
  let after = '';
  for (;;) {
    const page = await db.query<{ case_id: string; phase: string }>(
      // The phase as the stored view has it: the view is what everything else is derived from.
      `SELECT case_id, view ->> 'phase' AS phase FROM cases WHERE case_id > $1 ORDER BY case_id LIMIT ${PAGE_SIZE}`,
      [after],
    );
    if (page.length === 0) break;
    for (const { case_id: caseId, phase } of page) {
      if (phase !== 'closed') {
        report.openCases += 1;
        if (client !== undefined) {
          const ok = await resync(client, store, caseId, timeoutMs).catch((error: unknown) => {
            log('open case not re-synced from its workflow', { caseId, reason: reasonOf(error) });
            return false;
          });
          if (ok) report.resynced += 1;
          else report.resyncFailed += 1;
        }
      }
      const rederived = await store.rederiveCase(caseId);
      if (rederived === null) continue; // deleted meanwhile
      report.cases += 1;
      report.steps += rederived.steps;
      report.eventsRestored += rederived.eventsRestored;
      report.eventDatesFixed += rederived.eventDatesFixed;
    }
    after = page.at(-1)?.case_id ?? after;
  }
  return report;
}

/** Asks the case's workflow for its view and records it with its whole history. */
async function resync(client: Client, store: CaseStore, caseId: string, timeoutMs: number): Promise<boolean> {
  const handle = client.workflow.getHandle(workflowIdForCase(caseId));
  const view = await client.connection.withDeadline(Date.now() + timeoutMs, () => handle.query(caseViewQuery));
  await store.recordCaseEvents(caseId, view.history, view);
  return true;
}

/** A short reason, never a message that could quote case data. */
function reasonOf(error: unknown): string {
  if (error instanceof WorkflowNotFoundError) return 'workflow not found';
  if (error instanceof Error) return error.name;
  return 'unknown error';
}
