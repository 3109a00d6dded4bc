export type { CaseStore, Database } from './types';
export { openDatabase, type OpenDatabaseOptions } from './database';
export { createCaseStore, summaryColumnsOf, type CaseSummaryColumns } from './caseStore';
export { migrations, type Migration } from './migrations';
