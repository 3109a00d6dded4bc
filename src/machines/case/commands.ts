/**
 * Asks the machine whether it can take a command now, and if not, why: 404 for a step the case
 * does not have, 409 for an action the case cannot take in its current phase, 422 for a domain
 * rule broken. The API and the workflow's update validators both ask here.
 */
import { getNextTransitions, type SnapshotFrom } from 'xstate';
import { danishDateOf } from '../../domain/dates';
import type { DomainError, FieldProblem } from '../../domain/errors';
import type { CaseMachine } from './caseMachine';
import { DIRECTLY_COMPLETED_STEPS } from './caseMachine';
import {
  assessmentProblems,
  closureProblems,
  completionProblems,
  escalationProblems,
  followUpProblems,
  planProblems,
} from './rules';
import type { CaseCommand, CaseContext } from './types';

export type CaseSnapshot = SnapshotFrom<CaseMachine>;
export type CommandCheck = { ok: true } | { ok: false; error: DomainError };

const PHASE_NAMES: Record<CaseContext['phase'], string> = {
  mapping: 'mapping (kortlægning)',
  action_plan: 'action plan (handleplan)',
  follow_up: 'follow-up (opfølgning)',
  closed: 'closed (afsluttet)',
};

const COMMAND_NAMES: Record<CaseCommand['type'], string> = {
  'step.complete': 'completing this step',
  'assessment.decide': 'the assessment',
  'plan.submit': 'an action plan',
  'followUp.record': 'a follow-up',
  escalate: 'an escalation',
  close: 'closing the case',
  'deadlines.recompute': 'recomputing the deadlines',
};

function problemsOf(context: CaseContext, command: CaseCommand): FieldProblem[] {
  const today = danishDateOf(command.at);
  switch (command.type) {
    case 'step.complete':
      return completionProblems(context, command, today);
    case 'assessment.decide':
      return assessmentProblems(context, command, today);
    case 'plan.submit':
      return planProblems(context, command, today);
    case 'followUp.record':
      return followUpProblems(context, command, today);
    case 'escalate':
      return escalationProblems(context, 'reason', command.externalResources);
    case 'close':
      return closureProblems(context, command, today);
    case 'deadlines.recompute':
      return [];
  }
}

function notAllowed(detail: string): CommandCheck {
  return { ok: false, error: { code: 'not_allowed_now', detail } };
}

function whyNotNow(snapshot: CaseSnapshot, command: CaseCommand): string {
  const context = snapshot.context;
  const phase = PHASE_NAMES[context.phase];
  if (snapshot.status === 'done') return 'the case is closed';
  if (command.type === 'assessment.decide' && snapshot.matches({ mapping: 'tracks' })) {
    const open = context.steps
      .filter((step) => step.track !== undefined && step.status !== 'done')
      .map((step) => `${step.stepId} (track ${step.track ?? ''})`);
    return `the assessment follows the mapping; these tracks are not done yet: ${open.join(', ')}`;
  }
  if (command.type === 'close' && context.phase === 'mapping') {
    return 'a case in mapping closes only after an assessment that decides to close it';
  }
  return `${COMMAND_NAMES[command.type]} is not possible while the case is in ${phase}`;
}

export function checkCommand(snapshot: CaseSnapshot, command: CaseCommand): CommandCheck {
  if (snapshot.status !== 'done' && snapshot.can(command)) return { ok: true };
  const context = snapshot.context;

  if (command.type === 'step.complete') {
    const step = context.steps.find((candidate) => candidate.stepId === command.stepId);
    if (step === undefined) {
      return { ok: false, error: { code: 'step_not_found', detail: 'the case has no step with this stepId' } };
    }
    if (snapshot.status === 'done') return notAllowed('the case is closed');
    if (step.status === 'done') return notAllowed('this step is already done');
    if (step.status === 'cancelled') return notAllowed('this step was cancelled when the case closed');
    if (!(DIRECTLY_COMPLETED_STEPS as readonly string[]).includes(step.stepId)) {
      return notAllowed('this step is done by its own action (assessment, plan, follow-up or closure), not marked done');
    }
  }

  const handlesCommand =
    snapshot.status !== 'done' && getNextTransitions(snapshot).some((transition) => transition.eventType === command.type);
  if (handlesCommand) {
    const problems = problemsOf(context, command);
    if (problems.length > 0) {
      return {
        ok: false,
        error: { code: 'rule_violated', detail: problems.map((problem) => problem.message).join('; '), errors: problems },
      };
    }
  }
  return notAllowed(whyNotNow(snapshot, command));
}
