/**
 * The crash test's verdict (scripts/crash/run.ts): given the actions the API accepted and the
 * events the read model holds, is every accepted action there exactly once? Pure, so a test can
 * show it catching a doubled and a lost action (test/infra/crashVerify.test.ts).
 */

/** One accepted action and the event it must leave: `type` (and `stepId` for a step). */
export interface AcceptedAction {
  caseId: string;
  label: string;
  event: string;
  stepId?: string;
}

export interface RecordedEvent {
  caseId: string;
  seq: number;
  type: string;
  stepId: string | null;
}

const keyOf = (caseId: string, event: string, stepId?: string | null) => `${caseId} ${event}${stepId ? ` ${stepId}` : ''}`;

/** Every problem found, in words; empty when each accepted action is recorded exactly once. */
export function exactlyOnceProblems(accepted: readonly AcceptedAction[], recorded: readonly RecordedEvent[]): string[] {
  const problems: string[] = [];
  const expected = new Map<string, number>();
  for (const action of accepted) expected.set(keyOf(action.caseId, action.event, action.stepId), (expected.get(keyOf(action.caseId, action.event, action.stepId)) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const event of recorded) seen.set(keyOf(event.caseId, event.type, event.stepId), (seen.get(keyOf(event.caseId, event.type, event.stepId)) ?? 0) + 1);

  for (const [key, want] of expected) {
    const got = seen.get(key) ?? 0;
    if (got < want) problems.push(`lost: ${key} accepted ${want}×, recorded ${got}×`);
    if (got > want) problems.push(`doubled: ${key} accepted ${want}×, recorded ${got}×`);
  }
  // Events of the kinds the experiment sends that no accepted action explains (e.g. applied twice under another key).
  const kinds = new Set(accepted.map((a) => a.event));
  for (const [key, got] of seen) {
    const [, event] = key.split(' ');
    if (event !== undefined && kinds.has(event) && !expected.has(key)) problems.push(`unexpected: ${key} recorded ${got}× but never accepted`);
  }
  // Each case's events are numbered 1..n without a gap or a repeat.
  const byCase = new Map<string, number[]>();
  for (const event of recorded) byCase.set(event.caseId, [...(byCase.get(event.caseId) ?? []), event.seq]);
  for (const [caseId, seqs] of byCase) {
    const sorted = [...seqs].sort((a, b) => a - b);
    if (sorted.some((seq, index) => seq !== index + 1)) problems.push(`case ${caseId}: event numbers ${sorted.join(',')} are not 1..${sorted.length}`);
  }
  return problems;
}
