import { createCaseActivities, type CaseActivityDeps } from './caseActivities';

export type ActivityDeps = CaseActivityDeps;

/** Every activity the worker registers, built from the dependencies it is given. */
export function createActivities(deps: ActivityDeps) {
  return { ...createCaseActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
