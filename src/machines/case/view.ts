import type { AvailableActions, CaseView, MappingNotes } from '../../domain/schemas';
import { danishDateOf } from '../../domain/dates';
import type { CaseContext } from './types';

/** The case as plain JSON for queries, activities and HTTP: never the XState snapshot itself. */
/** @param available what the machine allows now (available.ts); left out where no machine runs. */
export function toCaseView(context: CaseContext, available?: AvailableActions): CaseView {
  const plan = context.plans.at(-1) ?? null;
  return {
    caseId: context.caseId,
    pupilRef: context.pupilRef,
    schoolId: context.schoolId,
    grade: context.grade,
    tovholder: context.tovholder,
    openedOn: context.openedOn,
    ...(context.history[0] ? { enteredOn: danishDateOf(context.history[0].at) } : {}),
    concern: context.concern,
    phase: context.phase,
    steps: context.steps.map(({ note: _note, leaderAlerted: _alerted, ...step }) => step),
    ...(context.assessment ? { assessment: context.assessment } : {}),
    plan,
    planRevision: plan?.revision ?? 0,
    planRevisions: context.plans,
    followUps: context.followUps,
    ...(context.nextFollowUpDue && context.phase === 'follow_up' ? { nextFollowUpDue: context.nextFollowUpDue } : {}),
    escalationLevel: context.escalationLevel,
    escalations: context.escalations,
    ...(context.closure ? { closure: context.closure } : {}),
    consents: context.consents ?? [],
    ...(context.section49a ? { section49a: context.section49a } : {}),
    ...(context.withdrawal ? { withdrawal: context.withdrawal } : {}),
    history: context.history,
    asOf: context.today,
    ...(available !== undefined ? { available } : {}),
    version: context.seq,
  };
}

/** The mapping tracks' notes (what each conversation found), kept out of the view and the read model. */
export function mappingNotesOf(context: CaseContext): MappingNotes {
  const notes: MappingNotes = {};
  for (const step of context.steps) {
    if (step.note === undefined) continue;
    if (step.stepId === 'class_community' || step.stepId === 'pupil_conversation' || step.stepId === 'parent_conversation') notes[step.stepId] = step.note;
  }
  return notes;
}
