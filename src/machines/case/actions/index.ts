/**
 * Every case action, declared once each (one file per action). A new action is a new file here
 * and one line in this list; the machine's config says which states accept it.
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
import { recordSection49a } from './recordSection49a';
import { submitPlan } from './submitPlan';
import { withdrawCase } from './withdrawCase';
import { withdrawConsent } from './withdrawConsent';

export const CASE_ACTIONS = [
  completeStep,
  decideAssessment,
  submitPlan,
  recordFollowUp,
  escalate,
  close,
  reassignTovholder,
  correctCase,
  withdrawCase,
  recordConsent,
  withdrawConsent,
  recordSection49a,
] as const;

export type DeclaredCaseAction = (typeof CASE_ACTIONS)[number];
export type CaseActionName = DeclaredCaseAction['name'];

const BY_NAME: ReadonlyMap<string, AnyCaseAction> = new Map(CASE_ACTIONS.map((action): [string, AnyCaseAction] => [action.name, action]));

/** The declaration of a machine event's action, if it is a declared action. */
export function actionNamed(type: string): AnyCaseAction | undefined {
  return BY_NAME.get(type);
}

export { close, completeStep, decideAssessment, escalate, recordConsent, recordFollowUp, recordSection49a, submitPlan, withdrawConsent };
export { completeStepUpdateInput, type CompleteStepUpdateInput } from './completeStep';
export { defineCaseAction, type ActionCommand, type AnyCaseAction, type CaseActionDeclaration, type Caller, type PathParams } from './define';
