/** Paths the test harness shares; computed from this file so the cwd does not matter. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Scratch space for test runs (gitignored). */
export const TEST_DATA_DIR = path.join(REPO_ROOT, '.test-data');
export const WORKFLOWS_PATH = path.join(REPO_ROOT, 'src', 'workflows', 'index.ts');
export const WORKFLOW_BUNDLE_PATH = path.join(TEST_DATA_DIR, 'workflow-bundle.js');
export const TEMPORAL_CLI = process.env.TEMPORAL_CLI_PATH || path.join(REPO_ROOT, '.tools', 'bin', 'temporal');
export const TEMPORAL_TEST_SERVER = path.join(REPO_ROOT, '.tools', 'bin', 'temporal-test-server');
