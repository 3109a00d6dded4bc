/**
 * Who may do what: the one access table. Each capability lists the roles that have it and how
 * far each reaches. A role missing from a row has no such capability at all.
 *
 *  - `any`: whatever school (nothing personal is involved).
 *  - `school`: the caller's own schools.
 *  - `all_schools`: only a caller bound to every school (`*`), for municipality-wide settings.
 *  - `coordinated`: cases at the caller's schools whose tovholder is the caller.
 *  - `escalated`: cases at the caller's schools that have been escalated (level 1 or more).
 */
import type { Role } from './principal';

export type Reach = 'any' | 'school' | 'all_schools' | 'coordinated' | 'escalated';

export const CAPABILITIES = [
  'open_case',
  'list_cases',
  'read_case',
  'act_on_case',
  'reassign_case',
  'withdraw_case',
  'read_overdue_board',
  'read_monthly_review',
  'read_resource_team_agenda',
  'read_analytics',
  'read_calendar',
  'read_letter_templates',
  'read_school_contacts',
  'manage_settings',
  'manage_meeting_rhythm',
  'manage_municipality_settings',
  'read_notifications',
  'read_audit_log',
  'decode_payloads',
  'run_self_assessment',
  'read_pupils',
  'import_school_data',
  'run_opsporing',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ACCESS_TABLE: Readonly<Record<Capability, Readonly<Partial<Record<Role, Reach>>>>> = {
  open_case: { tovholder: 'coordinated', leader: 'school' },
  list_cases: { tovholder: 'school', leader: 'school' },
  read_case: { tovholder: 'school', leader: 'school', resource_team: 'escalated' },
  act_on_case: { tovholder: 'coordinated', leader: 'school' },
  /** Who carries a case is the leader's decision, not the tovholder's. */
  reassign_case: { leader: 'school' },
  /** Opening a case is the leader's decision; so is declaring it opened in error. */
  withdraw_case: { leader: 'school' },
  read_overdue_board: { tovholder: 'school', leader: 'school' },
  read_monthly_review: { leader: 'school' },
  read_resource_team_agenda: { leader: 'school', resource_team: 'school' },
  read_analytics: { municipality: 'school' },
  read_calendar: { tovholder: 'any', leader: 'any', resource_team: 'any', municipality: 'any', admin: 'any' },
  read_letter_templates: { tovholder: 'any', leader: 'any', admin: 'any' },
  read_school_contacts: { leader: 'school', admin: 'school' },
  manage_settings: { admin: 'school' },
  /** When the resource team meets is the school leadership's to decide (seed 004); admins set it too. */
  manage_meeting_rhythm: { leader: 'school', admin: 'school' },
  manage_municipality_settings: { admin: 'all_schools' },
  read_notifications: { admin: 'school' },
  read_audit_log: { admin: 'school' },
  decode_payloads: { admin: 'all_schools' },
  // The self-assessment is of the whole municipality's work, and its result shows figures from
  // every school's cases: only for those bound to every school.
  run_self_assessment: { municipality: 'all_schools', admin: 'all_schools' },
  // Pupils' names and absence as cases: the school's own staff, never the municipality.
  read_pupils: { tovholder: 'school', leader: 'school' },
  // The roster and the absence files come from the school's own systems: its leader or an admin.
  import_school_data: { leader: 'school', admin: 'school' },
  // Opsporing is the leader's: who is a concern, why, and opening a case or dismissing.
  run_opsporing: { leader: 'school' },
};

export function reachOf(role: Role, capability: Capability): Reach | undefined {
  return ACCESS_TABLE[capability][role];
}
