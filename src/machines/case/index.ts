export { caseMachine, initialCaseContext, followUpStepId, STEP_TITLES, DIRECTLY_COMPLETED_STEPS } from './caseMachine';
export type { CaseMachine } from './caseMachine';
export { checkCommand } from './commands';
export type { CaseSnapshot, CommandCheck } from './commands';
export { mappingNotesOf, toCaseView } from './view';
export { availableActions } from './available';
export {
  DEFAULT_THRESHOLDS,
  DUE_SOON_SCHOOL_DAYS,
  FOLLOW_UP_MAX_DAYS,
  FOLLOW_UP_MIN_DAYS,
  doneOnTime,
  dueSoonFrom,
  LEADER_ALERT_SCHOOL_DAYS,
  leaderAlertFrom,
  nextStatusChangeOn,
  passedBeforeEntry,
  statusOn,
} from './deadlines';
export type { DeadlineThresholds } from './deadlines';
export { activeConsents, closureWarnings, openingProblems, MAX_ESCALATION_LEVEL, RULES_VERSION, regularFollowUpFrom, sharingBasisFor } from './rules';
export type { CaseCommand, CaseContext, CaseEmitted, CaseEvent, CaseInput } from './types';
export {
  CASE_ACTIONS,
  actionNamed,
  close,
  completeStep,
  decideAssessment,
  escalate,
  recomputeDeadlines,
  recordConsent,
  recordFollowUp,
  recordSection49a,
  submitPlan,
  withdrawConsent,
} from './actions';
export type { ActionSchemas, AnyCaseAction, Caller, CaseActionDeclaration, CaseActionName, CompleteStepUpdateInput, PathParams, SchemaKit } from './actions';
