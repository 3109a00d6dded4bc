/**
 * Asks the machine whether it can take a command now, and if not, why: 404 for a step the case
 * does not have, 409 for an action the case cannot take in its current phase, 422 for a domain
 * rule broken. The API and the workflow's update validators both ask here.
 */
import { getNextTransitions, type SnapshotFrom } from 'xstate';
import type { DomainError } from '../../domain/errors';
import type { CaseMachine } from './caseMachine';
import { actionNamed } from './actions';
import type { CaseCommand, CaseContext } from './types';

export type CaseSnapshot = SnapshotFrom<CaseMachine>;
export type CommandCheck = { ok: true } | { ok: false; error: DomainError };

const PHASE_NAMES: Record<CaseContext['phase'], string> = {
  mapping: 'mapping (kortlægning)',
  action_plan: 'action plan (handleplan)',
  follow_up: 'follow-up (opfølgning)',
  closed: 'closed (afsluttet)',
};

function describe(command: CaseCommand): string {
  return actionNamed(command.type)?.describedAs ?? command.type;
}

function notAllowed(detail: string): CommandCheck {
  return { ok: false, error: { code: 'not_allowed_now', detail } };
}

function whyNotNow(snapshot: CaseSnapshot, command: CaseCommand): string {
  const context = snapshot.context;
  const phase = PHASE_NAMES[context.phase];
  if (snapshot.status === 'done') return context.withdrawal !== undefined ? 'the case was withdrawn' : 'the case is closed';
  if (command.type === 'assessment.decide' && snapshot.matches({ mapping: 'tracks' })) {
    const open = context.steps
      .filter((step) => step.track !== undefined && step.status !== 'done')
      .map((step) => `${step.stepId} (track ${step.track ?? ''})`);
    return `the assessment follows the mapping; these tracks are not done yet: ${open.join(', ')}`;
  }
  if (command.type === 'close' && context.phase === 'mapping') {
    return 'a case in mapping closes only after an assessment that decides to close it';
  }
  return `${describe(command)} is not possible while the case is in ${phase}`;
}

export function checkCommand(snapshot: CaseSnapshot, command: CaseCommand): CommandCheck {
  if (snapshot.status !== 'done' && snapshot.can(command)) return { ok: true };
  const context = snapshot.context;

  const action = actionNamed(command.type);
  const refusal = action?.refusalOf(context, command, snapshot.status === 'done');
  if (refusal !== undefined) return { ok: false, error: refusal };

  const handlesCommand =
    snapshot.status !== 'done' && getNextTransitions(snapshot).some((transition) => transition.eventType === command.type);
  if (handlesCommand) {
    const problems = action?.problemsOf(context, command) ?? [];
    if (problems.length > 0) {
      return {
        ok: false,
        error: { code: 'rule_violated', detail: problems.map((problem) => problem.message).join('; '), errors: problems },
      };
    }
  }
  return notAllowed(whyNotNow(snapshot, command));
}
