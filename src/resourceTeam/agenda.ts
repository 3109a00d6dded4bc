/**
 * The resource team's rhythm as a school sets it, and the agenda of a meeting: the cases
 * escalated since the previous meeting, from the recorded escalation events.
 */
import type { IsoDate } from '../domain/dates';
import type { Database } from '../db/types';
import type { SchoolCalendar } from '../domain/calendar';
import { DEFAULT_RHYTHM, escalationWindowFor, meetingHeldOn, meetingNumberOnOrAfter, type MeetingRhythm } from './meetings';
import { detailKey, eventTypesSql } from '../domain/caseEvents';

// The detail keys this SQL reads, checked against the escalation's detail schema.
const ESCALATION_LEVEL = detailKey('escalation', 'level');
const ESCALATION_REASON = detailKey('escalation', 'reason');
const EXTERNAL_RESOURCES = detailKey('escalation', 'externalResources');

export interface AgendaItem {
  caseId: string;
  level: number;
  reason: string;
  addedAt: string;
  escalatedOn: IsoDate;
  externalResources?: string[];
}

export interface Agenda {
  schoolId: string;
  meetingOn: IsoDate;
  /** The meeting before, so a reader can step back through earlier agendas; null before the first. */
  previousMeetingOn: IsoDate | null;
  nextMeetingOn: IsoDate;
  items: AgendaItem[];
}

interface EscalationRow extends Record<string, unknown> {
  case_id: string;
  level: number;
  reason: string | null;
  at: string;
  on_date: string;
  external_resources: string[] | null;
}

/**
 * @param calendarOf the school's days off around a date: a meeting that falls on one is held on
 *   the next school day (weekdays only when not given).
 */
export function createResourceTeam(db: Pick<Database, 'query'>, calendarOf?: (schoolId: string, on: IsoDate) => Promise<SchoolCalendar>) {
  /** The school's own rhythm, or the default every school starts with. */
  async function rhythmOf(schoolId: string): Promise<MeetingRhythm & { source: 'school' | 'default' }> {
    const [row] = await db.query<{ first_meeting_on: string; interval_days: number }>(
      `SELECT first_meeting_on, interval_days FROM resource_team_rhythms WHERE school_id = $1`,
      [schoolId],
    );
    return row ? { firstMeetingOn: row.first_meeting_on, intervalDays: row.interval_days, source: 'school' } : { ...DEFAULT_RHYTHM, source: 'default' };
  }

  return {
    rhythmOf,

    async setRhythm(schoolId: string, rhythm: MeetingRhythm): Promise<void> {
      await db.query(
        `INSERT INTO resource_team_rhythms (school_id, first_meeting_on, interval_days, updated_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (school_id) DO UPDATE
           SET first_meeting_on = EXCLUDED.first_meeting_on, interval_days = EXCLUDED.interval_days, updated_at = now()`,
        [schoolId, rhythm.firstMeetingOn, rhythm.intervalDays],
      );
    },

    /** The agenda of the first meeting held on or after `on`. */
    async agenda(schoolId: string, on: IsoDate): Promise<Agenda> {
      const rhythm = await rhythmOf(schoolId);
      const calendar = calendarOf !== undefined ? await calendarOf(schoolId, on) : undefined;
      const k = meetingNumberOnOrAfter(rhythm, on, calendar);
      const meetingOn = meetingHeldOn(rhythm, k, calendar);
      const window = escalationWindowFor(rhythm, meetingOn, calendar);
      const rows = await db.query<EscalationRow>(
        `SELECT e.case_id, (e.detail ->> '${ESCALATION_LEVEL}')::integer AS level, e.detail ->> '${ESCALATION_REASON}' AS reason,
                e.at, e.on_date,
                CASE WHEN e.detail ? '${EXTERNAL_RESOURCES}'
                     THEN ARRAY(SELECT jsonb_array_elements_text(e.detail -> '${EXTERNAL_RESOURCES}')) END AS external_resources
           FROM case_events e
           JOIN cases c ON c.case_id = e.case_id
          WHERE c.school_id = $1
            AND NOT c.withdrawn
            AND e.type = ${eventTypesSql('escalation')}
            AND e.on_date <= $2::date
            AND ($3::date IS NULL OR e.on_date >= $3::date)
          ORDER BY e.on_date, e.at, e.case_id`,
        [schoolId, window.to, window.from],
      );
      return {
        schoolId,
        meetingOn,
        previousMeetingOn: k <= 0 ? null : meetingHeldOn(rhythm, k - 1, calendar),
        nextMeetingOn: meetingHeldOn(rhythm, k + 1, calendar),
        items: rows.map((row) => ({
          caseId: row.case_id,
          level: row.level,
          reason: row.reason ?? '',
          addedAt: row.at,
          escalatedOn: row.on_date,
          ...(row.external_resources ? { externalResources: row.external_resources } : {}),
        })),
      };
    },
  };
}

export type ResourceTeam = ReturnType<typeof createResourceTeam>;
