/**
 * What the tovholder can do with a case now, asked of the machine itself, so a screen shows
 * exactly the actions the rules allow in the current state and never keeps its own copy of them.
 * Guards that depend on what is typed (dates, measures) are not asked here: those are answered
 * with their reasons when the action is sent.
 */
import { getNextTransitions } from 'xstate';
import type { AvailableActions } from '../../domain/schemas';
import { OFFERED_ACTION_NAMES } from './actions';
import { DIRECTLY_COMPLETED_STEPS } from './caseMachine';
import type { CaseSnapshot } from './commands';
import { MAX_ESCALATION_LEVEL } from './rules';


export function availableActions(snapshot: CaseSnapshot): AvailableActions {
  if (snapshot.status === 'done') return { actions: [], steps: [] };
  const context = snapshot.context;
  const handled = new Set(getNextTransitions(snapshot).map((transition) => String(transition.eventType)));
  // A track's region handles step.complete only while it is open.
  const steps = DIRECTLY_COMPLETED_STEPS.filter((stepId) => {
    const step = context.steps.find((candidate) => candidate.stepId === stepId);
    return handled.has('step.complete') && step !== undefined && step.status !== 'done' && step.status !== 'cancelled';
  });
  const actions = OFFERED_ACTION_NAMES.filter((action) => {
    if (!handled.has(action)) return false;
    if (action === 'step.complete') return steps.length > 0;
    // The ladder has a top: the machine refuses a fourth level whatever is typed.
    if (action === 'escalate') return context.escalationLevel < MAX_ESCALATION_LEVEL;
    // Only a consent still in force can be withdrawn; §49a is used once per case.
    if (action === 'consent.withdraw') return (context.consents ?? []).some((consent) => consent.withdrawnOn === undefined);
    if (action === 'section49a.record') return context.section49a === undefined;
    return true;
  });
  return { actions, steps };
}
