export type { CaseStore, Database, RederivedCase } from './types';
export { openDatabase, type OpenDatabaseOptions } from './database';
export { createCaseStore, summaryColumnsOf, type CaseSummaryColumns } from './caseStore';
export { migrations, type Migration } from './migrations';
