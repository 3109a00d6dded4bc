export { caseWorkflow } from './caseWorkflow';
export type { CaseWorkflowArgs, CaseWorkflowOptions } from './caseWorkflow';
