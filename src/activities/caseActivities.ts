import type { CaseStore } from '../db/types';
import type { CaseView, HistoryEntry } from '../domain/schemas';

export interface CaseActivityDeps {
  store: CaseStore;
}

export interface RecordCaseEventsInput {
  caseId: string;
  events: HistoryEntry[];
  view: CaseView;
}

export function createCaseActivities({ store }: CaseActivityDeps) {
  return {
    /**
     * Writes a case's new events and its current view to the read model. Safe to run more than
     * once (Temporal runs activities at least once): events are keyed by case and sequence.
     */
    async recordCaseEvents({ caseId, events, view }: RecordCaseEventsInput): Promise<void> {
      await store.recordCaseEvents(caseId, events, view);
    },
  };
}
