/** Names shared by the client, the worker and the workflow. No Node imports: workflows read this. */
export const TASK_QUEUE = 'fravaersforloeb-cases';

/** Workflow IDs are stored in plain text by Temporal: built from the opaque case ID only. */
export function workflowIdForCase(caseId: string): string {
  return `case-${caseId}`;
}
