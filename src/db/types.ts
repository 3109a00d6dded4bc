import type { CaseSummary, CaseView, HistoryEntry, ListCasesQuery } from '../domain/schemas';

/** The one SQL dialect we speak (PostgreSQL), over PGlite or a server. */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /** Runs `work` in one transaction; its `query` belongs to that transaction. */
  transaction<T>(work: (tx: Pick<Database, 'query'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The read model and lasting record of cases. */
export interface CaseStore {
  /**
   * Records case events and the case's current view. Idempotent: an event already recorded
   * (same caseId and seq) is left alone, and an older view never replaces a newer one.
   */
  recordCaseEvents(caseId: string, events: readonly HistoryEntry[], view: CaseView): Promise<void>;
  /**
   * Rewrites everything derived from the case's stored view (summary columns, steps, the events'
   * school dates, events missing from case_events); null when there is no such case.
   */
  rederiveCase(caseId: string): Promise<RederivedCase | null>;
  getCase(caseId: string): Promise<CaseView | null>;
  listCases(query: ListCasesQuery): Promise<CaseSummary[]>;
  ping(): Promise<void>;
}

/** What rederiving one case changed. */
export interface RederivedCase {
  /** Steps the case has (all rewritten from its view). */
  steps: number;
  /** History entries of the view that were missing from case_events. */
  eventsRestored: number;
  /** Recorded events whose school date differed from the view's. */
  eventDatesFixed: number;
}
