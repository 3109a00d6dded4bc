export { caseWorkflow } from './caseWorkflow';
export type { CaseWorkflowArgs, CaseWorkflowOptions } from './caseWorkflow';
export { noticeDispatcherWorkflow, wakeNoticeDispatcherSignal } from './noticeDispatcherWorkflow';
export type { NoticeDispatcherArgs } from './noticeDispatcherWorkflow';
export { opsporingWorkflow } from './opsporingWorkflow';
export type { OpsporingArgs, OpsporingResult } from './opsporingWorkflow';
