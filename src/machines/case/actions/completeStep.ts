/** Marking a mapping track's step done (spor A, B or C). */
import { z } from 'zod';
import { DomainFailure } from '../../../domain/errors';
import { completeStepInput } from '../../../domain/schemas';
import { completeMappingStep, DIRECTLY_COMPLETED_STEPS } from '../context';
import { completionProblems } from '../rules';
import { defineCaseAction } from './define';

const stepIdParam = z.string().min(1).max(64).regex(/^[a-z0-9_]+$/);
export const completeStepUpdateInput = completeStepInput.extend({ stepId: z.string().min(1).max(64) });
export type CompleteStepUpdateInput = z.infer<typeof completeStepUpdateInput>;

const notAllowed = (detail: string) => ({ code: 'not_allowed_now' as const, detail });

export const completeStep = defineCaseAction({
  name: 'step.complete',
  update: 'completeStep',
  capability: 'act_on_case',
  http: {
    path: 'steps/:stepId/complete',
    summary: 'Mark a mapping step done',
    body: completeStepInput,
    toInput: (body, params) => {
      const stepId = stepIdParam.safeParse(params.stepId);
      // A malformed stepId is simply a step the case does not have.
      if (!stepId.success) throw new DomainFailure({ code: 'step_not_found', detail: 'the case has no step with this stepId' });
      return { ...body, stepId: stepId.data };
    },
    idempotencyScope: (input) => `step:${input.stepId}`,
  },
  input: completeStepUpdateInput,
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
