/**
 * Opsporing as a durable run: every school's concern candidates computed (one activity per
 * school, each retried on its own), started nightly by a Temporal Schedule or by a leader's
 * "run now". Its inputs and results are school ids, a date and counts: no pupil data. No Node
 * built-ins here: this runs in Temporal's sandbox.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export interface OpsporingArgs {
  /** One school (a leader's run-now); left out, every school with pupils. */
  schoolId?: string;
  /** The day the figures are as of; left out, today in Denmark when each school runs. */
  on?: string;
}

export interface OpsporingResult {
  schools: number;
  candidates: number;
}

const { listSchoolsWithPupils, runOpsporing } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

export async function opsporingWorkflow(args: OpsporingArgs = {}): Promise<OpsporingResult> {
  const schools = args.schoolId !== undefined ? [args.schoolId] : await listSchoolsWithPupils();
  let candidates = 0;
  for (const schoolId of schools) {
    const result = await runOpsporing({ schoolId, ...(args.on !== undefined ? { on: args.on } : {}) });
    candidates += result.candidates;
  }
  return { schools: schools.length, candidates };
}
