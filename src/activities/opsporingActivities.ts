/**
 * Opsporing's activities: which schools have pupils, and one school's candidates computed and
 * kept (absence_candidate_runs) for the leader's list. Idempotent: a retried run writes the same
 * school's row again. Answers counts only, so nothing about a pupil enters Temporal.
 */
import { createCalendarSettings } from '../calendar/calendarSettings';
import type { Database } from '../db/types';
import { danishDateOf } from '../domain/dates';
import { createOpsporing } from '../school/opsporing';
import { createSchoolDays } from '../school/schoolDays';
import { splitCandidates } from '../school/signalSchemas';

export function createOpsporingActivities({ db, now = () => new Date() }: { db: Database; now?: () => Date }) {
  const opsporing = createOpsporing(db, createSchoolDays(createCalendarSettings(db)));
  return {
    listSchoolsWithPupils: async (): Promise<string[]> =>
      (await db.query<{ school_id: string }>(`SELECT DISTINCT school_id FROM pupils WHERE on_roster ORDER BY school_id`)).map((row) => row.school_id),

    runOpsporing: async ({ schoolId, on }: { schoolId: string; on?: string }): Promise<{ candidates: number }> => {
      const day = on ?? danishDateOf(now());
      const result = splitCandidates(day, await opsporing.candidates(schoolId, day));
      await db.query(
        `INSERT INTO absence_candidate_runs (school_id, on_day, result, ran_at) VALUES ($1, $2, $3::jsonb, now())
         ON CONFLICT (school_id) DO UPDATE SET on_day = EXCLUDED.on_day, result = EXCLUDED.result, ran_at = now()`,
        [schoolId, day, JSON.stringify(result)],
      );
      return { candidates: result.items.length };
    },
  };
}
