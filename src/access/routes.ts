/**
 * Every route behind a bearer token, with the capability it needs and where the school (or case)
 * it touches is named. A request matching no row is refused: a new route is unreachable until it
 * is given a row here.
 */
import { CASE_ACTIONS } from '../machines';
import type { Capability } from './policy';

export type ScopeSource =
  /** `:caseId` in the path: the case's school, tovholder and escalation level decide. */
  | 'case'
  /** `:draftId` in the path: the draft's case decides. */
  | 'draft'
  /** The body of a case opening: its `schoolId` (and `tovholder`, for a tovholder). */
  | 'opening'
  /** `?schoolId=`: when left out, narrowed to the caller's only school (required with several). */
  | 'query'
  /** `:schoolId` in the path. */
  | 'path'
  /** No school: the capability's reach alone decides. */
  | 'none';

export interface ProtectedRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Express/path-to-regexp syntax. */
  readonly path: string;
  readonly capability: Capability;
  readonly scope: ScopeSource;
  /** With `scope: 'query'`: the capability needed when `schoolId` is left out (it then means every school). */
  readonly withoutSchool?: Capability;
  /** The answer shows cases: each caseId in it is written to the audit log as read. */
  readonly showsCases?: boolean;
  /** The answer shows pupils' data (names, figures, candidacy): one audit row, naming each pupilRef in it. */
  readonly showsPupils?: boolean;
}


export const PROTECTED_ROUTES: readonly ProtectedRoute[] = [
  { method: 'POST', path: '/api/cases', capability: 'open_case', scope: 'opening', showsCases: true },
  { method: 'GET', path: '/api/cases', capability: 'list_cases', scope: 'query', showsCases: true },
  { method: 'GET', path: '/api/cases/:caseId', capability: 'read_case', scope: 'case', showsCases: true },
  { method: 'GET', path: '/api/cases/:caseId/timeline', capability: 'read_case', scope: 'case', showsCases: true },
  { method: 'GET', path: '/api/cases/:caseId/drafts', capability: 'read_case', scope: 'case', showsCases: true },
  { method: 'GET', path: '/api/drafts/:draftId', capability: 'read_case', scope: 'draft', showsCases: true },
  { method: 'GET', path: '/api/cases/:caseId/handover', capability: 'read_case', scope: 'case', showsCases: true },
  { method: 'GET', path: '/api/cases/:caseId/handover/pdf', capability: 'read_case', scope: 'case', showsCases: true },
  { method: 'GET', path: '/api/cases/:caseId/absence-at-opening', capability: 'read_case', scope: 'case', showsCases: true },
  // Each declared case action with the capability it declares.
  ...CASE_ACTIONS.map((action): ProtectedRoute => ({
    method: 'POST',
    path: `/api/cases/:caseId/${action.http.path}`,
    capability: action.capability,
    scope: 'case',
    showsCases: true,
  })),
  { method: 'POST', path: '/api/drafts/:draftId/approve', capability: 'act_on_case', scope: 'draft', showsCases: true },
  { method: 'POST', path: '/api/drafts/:draftId/revisions', capability: 'act_on_case', scope: 'draft', showsCases: true },
  { method: 'POST', path: '/api/drafts/:draftId/redraft', capability: 'act_on_case', scope: 'draft', showsCases: true },
  { method: 'POST', path: '/api/drafts/:draftId/discard', capability: 'act_on_case', scope: 'draft', showsCases: true },
  { method: 'GET', path: '/api/overdue', capability: 'read_overdue_board', scope: 'query', showsCases: true },
  { method: 'GET', path: '/api/reviews/monthly', capability: 'read_monthly_review', scope: 'query', showsCases: true },
  { method: 'GET', path: '/api/resource-team/agenda', capability: 'read_resource_team_agenda', scope: 'query', showsCases: true },
  { method: 'GET', path: '/api/analytics/phase-durations', capability: 'read_analytics', scope: 'query' },
  { method: 'GET', path: '/api/calendar', capability: 'read_calendar', scope: 'none' },
  { method: 'GET', path: '/api/calendar/deadline', capability: 'read_calendar', scope: 'none' },
  {
    method: 'PUT',
    path: '/api/calendar/school-holidays',
    capability: 'manage_settings',
    scope: 'query',
    withoutSchool: 'manage_municipality_settings',
  },
  {
    method: 'PUT',
    path: '/api/calendar/school-holiday',
    capability: 'manage_settings',
    scope: 'query',
    withoutSchool: 'manage_municipality_settings',
  },
  { method: 'GET', path: '/api/resource-team/rhythm', capability: 'manage_meeting_rhythm', scope: 'query' },
  { method: 'PUT', path: '/api/resource-team/rhythm', capability: 'manage_meeting_rhythm', scope: 'query' },
  { method: 'GET', path: '/api/schools/:schoolId/contacts', capability: 'read_school_contacts', scope: 'path' },
  { method: 'PUT', path: '/api/schools/:schoolId/contacts', capability: 'manage_settings', scope: 'path' },
  { method: 'GET', path: '/api/letter-templates', capability: 'read_letter_templates', scope: 'none' },
  { method: 'GET', path: '/api/letter-templates/:kind', capability: 'read_letter_templates', scope: 'none' },
  { method: 'PUT', path: '/api/letter-templates/:kind', capability: 'manage_municipality_settings', scope: 'none' },
  { method: 'DELETE', path: '/api/letter-templates/:kind', capability: 'manage_municipality_settings', scope: 'none' },
  { method: 'GET', path: '/api/notifications', capability: 'read_notifications', scope: 'query', showsCases: true },
  { method: 'GET', path: '/api/audit', capability: 'read_audit_log', scope: 'query' },
  // framework before :roundId, so it is not taken for a round.
  { method: 'GET', path: '/api/self-assessments/framework', capability: 'run_self_assessment', scope: 'none' },
  { method: 'GET', path: '/api/self-assessments', capability: 'run_self_assessment', scope: 'none' },
  { method: 'POST', path: '/api/self-assessments', capability: 'run_self_assessment', scope: 'none' },
  { method: 'GET', path: '/api/self-assessments/:roundId', capability: 'run_self_assessment', scope: 'none' },
  { method: 'POST', path: '/api/self-assessments/:roundId/participants', capability: 'run_self_assessment', scope: 'none' },
  { method: 'PUT', path: '/api/self-assessments/:roundId/participants/:participantId/ratings', capability: 'run_self_assessment', scope: 'none' },
  { method: 'PUT', path: '/api/self-assessments/:roundId/discussion', capability: 'run_self_assessment', scope: 'none' },
  { method: 'PUT', path: '/api/self-assessments/:roundId/priorities', capability: 'run_self_assessment', scope: 'none' },
  { method: 'GET', path: '/api/self-assessments/:roundId/result', capability: 'run_self_assessment', scope: 'none' },
  { method: 'PUT', path: '/api/schools/:schoolId/pupils', capability: 'import_school_data', scope: 'path' },
  { method: 'GET', path: '/api/schools/:schoolId/pupils', capability: 'read_pupils', scope: 'path', showsPupils: true },
  { method: 'GET', path: '/api/schools/:schoolId/pupils/:pupilRef', capability: 'read_pupils', scope: 'path', showsPupils: true },
  { method: 'POST', path: '/api/schools/:schoolId/absence', capability: 'import_school_data', scope: 'path' },
  { method: 'GET', path: '/api/schools/:schoolId/absence', capability: 'read_pupils', scope: 'path', showsPupils: true },
  { method: 'GET', path: '/api/schools/:schoolId/pupils/:pupilRef/absence', capability: 'read_pupils', scope: 'path', showsPupils: true },
  { method: 'GET', path: '/api/schools/:schoolId/absence/signals', capability: 'run_opsporing', scope: 'path', showsPupils: true },
  { method: 'GET', path: '/api/schools/:schoolId/absence/signals/last-run', capability: 'run_opsporing', scope: 'path', showsPupils: true },
  { method: 'POST', path: '/api/schools/:schoolId/absence/signals/run', capability: 'run_opsporing', scope: 'path', showsPupils: true },
  { method: 'POST', path: '/api/schools/:schoolId/absence/candidates/:pupilRef/dismiss', capability: 'run_opsporing', scope: 'path', showsPupils: true },
  { method: 'POST', path: '/api/schools/:schoolId/absence/candidates/:pupilRef/case', capability: 'run_opsporing', scope: 'path', showsCases: true, showsPupils: true },
  { method: 'POST', path: '/codec/decode', capability: 'decode_payloads', scope: 'none' },
  { method: 'POST', path: '/codec/encode', capability: 'decode_payloads', scope: 'none' },
];
