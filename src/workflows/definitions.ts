/**
 * The case workflow's messages. The client imports these to send updates and queries; their
 * names are part of the workflow's contract with running cases, so do not rename them.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import {
  completeStepInput,
  schoolCalendar,
  type AssessmentInput,
  type CaseView,
  type ClosureInput,
  type EscalationInput,
  type FollowUpInput,
  type PlanInput,
} from '../domain/schemas';

export const completeStepUpdateInput = completeStepInput.extend({ stepId: z.string().min(1).max(64) });
export type CompleteStepUpdateInput = z.infer<typeof completeStepUpdateInput>;

export const caseViewQuery = defineQuery<CaseView>('caseView');

export const completeStepUpdate = defineUpdate<CaseView, [CompleteStepUpdateInput]>('completeStep');
export const decideAssessmentUpdate = defineUpdate<CaseView, [AssessmentInput]>('decideAssessment');
export const submitPlanUpdate = defineUpdate<CaseView, [PlanInput]>('submitPlan');
export const recordFollowUpUpdate = defineUpdate<CaseView, [FollowUpInput]>('recordFollowUp');
export const escalateUpdate = defineUpdate<CaseView, [EscalationInput]>('escalate');
export const closeCaseUpdate = defineUpdate<CaseView, [ClosureInput]>('closeCase');
export const recomputeDeadlinesInput = z.object({ calendar: schoolCalendar }).strict();
export type RecomputeDeadlinesInput = z.infer<typeof recomputeDeadlinesInput>;
/** Moves the open steps' deadlines onto the school's current calendar (the tovholder asks). */
export const recomputeDeadlinesUpdate = defineUpdate<CaseView, [RecomputeDeadlinesInput]>('recomputeDeadlines');

/** Returns the view once everything the case has announced is in the read model. */
export const recordedViewUpdate = defineUpdate<CaseView, []>('recordedView');
