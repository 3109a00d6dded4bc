/**
 * Every case action, declared once each (one file per action). A new action is a new file here
 * and one line in this list (its place is where screens list it); the machine's config says
 * which states accept it.
 */
import { close } from './close';
import { completeStep } from './completeStep';
import { correctCase } from './correctCase';
import { decideAssessment } from './decideAssessment';
import type { AnyCaseAction } from './define';
import { escalate } from './escalate';
import { reassignTovholder } from './reassignTovholder';
import { recordConsent } from './recordConsent';
import { recordFollowUp } from './recordFollowUp';
import { recomputeDeadlines } from './recomputeDeadlines';
import { recordSection49a } from './recordSection49a';
import { submitPlan } from './submitPlan';
import { withdrawCase } from './withdrawCase';
import { withdrawConsent } from './withdrawConsent';

/** The actions screens offer (`available.actions`), in the order they list them. */
const OFFERED_ACTIONS = [
  completeStep,
  decideAssessment,
  submitPlan,
  recordFollowUp,
  escalate,
  close,
  recordConsent,
  withdrawConsent,
  recordSection49a,
  correctCase,
  reassignTovholder,
  withdrawCase,
] as const;

/** Actions the service sends on the user's behalf, their input from its facts: not offered on screens. */
const SERVICE_ACTIONS = [recomputeDeadlines] as const;

export const CASE_ACTIONS = [...OFFERED_ACTIONS, ...SERVICE_ACTIONS] as const;

export type DeclaredCaseAction = (typeof CASE_ACTIONS)[number];
export type CaseActionName = DeclaredCaseAction['name'];

const BY_NAME: ReadonlyMap<string, AnyCaseAction> = new Map(CASE_ACTIONS.map((action): [string, AnyCaseAction] => [action.name, action]));

export type OfferedActionName = (typeof OFFERED_ACTIONS)[number]['name'];

/** The offered actions' names, in the order screens list them (domain/schemas.ts `caseAction`). */
export const OFFERED_ACTION_NAMES: readonly OfferedActionName[] = OFFERED_ACTIONS.map((action) => action.name);

/** The declaration of a machine event's action, if it is a declared action. */
export function actionNamed(type: string): AnyCaseAction | undefined {
  return BY_NAME.get(type);
}

export { close, completeStep, decideAssessment, escalate, recomputeDeadlines, recordConsent, recordFollowUp, recordSection49a, submitPlan, withdrawConsent };
export type { CompleteStepUpdateInput } from '../../../domain/schemas';
export { defineCaseAction, type ActionCommand, type AnyCaseAction, type ActionSchemas, type CaseActionDeclaration, type Caller, type PathParams, type SchemaKit, type ServiceFacts } from './define';
