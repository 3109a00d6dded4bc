/**
 * The case workflow's messages. The client imports these to send updates and queries; their
 * names are part of the workflow's contract with running cases, so do not rename them.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseView, MappingNotes } from '../domain/schemas';
import {
  close,
  completeStep,
  decideAssessment,
  escalate,
  recomputeDeadlines,
  recordFollowUp,
  submitPlan,
  type CaseActionDeclaration,
} from '../machines';

export type { CompleteStepUpdateInput } from '../machines';

/**
 * What an update answers: the case and the version (newest history entry) it has reached. The
 * read model holds that version before the update answers, so the API reads the view from there;
 * a history thus keeps a few bytes per action, not a copy of the whole view each time (issue 12).
 */
export interface CaseAck {
  caseId: string;
  version: number;
}

/** The update a declared action is sent as; its name comes from the declaration. */
export function updateOf<I>(action: Pick<CaseActionDeclaration<string, I, unknown>, 'update' | 'command'>): UpdateDefinition<CaseAck, [I], string> {
  return defineUpdate<CaseAck, [I]>(action.update);
}

export const caseViewQuery = defineQuery<CaseView>('caseView');
/** The mapping tracks' notes, for the handover package; like every payload, encrypted by the codec. */
export const mappingNotesQuery = defineQuery<MappingNotes>('mappingNotes');

/** Whether everything the case announced is recorded: `pending` 0 when it is. */
export interface EffectsStatus {
  /** Unrecorded steps (events, or a state change waiting on a retry). */
  pending: number;
  /** ISO instant of the first failure not recovered since. */
  failingSince?: string;
}
export const effectsQuery = defineQuery<EffectsStatus>('effects');

// The declared actions' updates by the names tests and callers have always used.
export const completeStepUpdate = updateOf(completeStep);
export const decideAssessmentUpdate = updateOf(decideAssessment);
export const submitPlanUpdate = updateOf(submitPlan);
export const recordFollowUpUpdate = updateOf(recordFollowUp);
export const escalateUpdate = updateOf(escalate);
export const closeCaseUpdate = updateOf(close);
/** Moves the open steps' deadlines onto the school's current calendar (the tovholder asks). */
export const recomputeDeadlinesUpdate = updateOf(recomputeDeadlines);

/** Answers once everything the case has announced is in the read model. */
export const recordedViewUpdate = defineUpdate<CaseAck, []>('recordedView');
