/** Marking a mapping track's step done (spor A, B or C). */
import { DomainFailure } from '../../../domain/errors';
import { completeMappingStep, DIRECTLY_COMPLETED_STEPS } from '../context';
import { completionProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

/** A step id as the machine names steps; anything else is a step the case does not have. */
const STEP_ID = /^[a-z0-9_]{1,64}$/;

const notAllowed = (detail: string) => ({ code: 'not_allowed_now' as const, detail });

export const completeStep = defineCaseAction({
  name: 'step.complete',
  update: 'completeStep',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.completeStepInput, input: kit.completeStepUpdateInput }),
  http: {
    path: 'steps/:stepId/complete',
    summary: 'Mark a mapping step done',
    toInput: (body, params) => {
      const stepId = params.stepId;
      // A malformed stepId is simply a step the case does not have.
      if (stepId === undefined || !STEP_ID.test(stepId)) throw new DomainFailure({ code: 'step_not_found', detail: 'the case has no step with this stepId' });
      return { ...body, stepId };
    },
    idempotencyScope: (input) => `step:${input.stepId}`,
  },
  effectiveDate: 'completedOn',
  describedAs: 'completing this step',
  records: ['step_done'],
  problems: (context, command, today) => completionProblems(context, command, today),
  apply: completeMappingStep,
  refusal: (context, command, done) => {
    const step = context.steps.find((candidate) => candidate.stepId === command.stepId);
    if (step === undefined) return { code: 'step_not_found', detail: 'the case has no step with this stepId' };
    if (done) return notAllowed('the case is closed');
    if (step.status === 'done') return notAllowed('this step is already done');
    if (step.status === 'cancelled') return notAllowed('this step was cancelled when the case closed');
    if (!(DIRECTLY_COMPLETED_STEPS as readonly string[]).includes(step.stepId)) {
      return notAllowed('this step is done by its own action (assessment, plan, follow-up or closure), not marked done');
    }
    return undefined;
  },
});
