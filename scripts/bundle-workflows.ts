/**
 * `npm run workflows:bundle -- FILE`: the workflow code bundled once, with the failure converter
 * the sandbox needs, for a worker started with WORKFLOW_BUNDLE_PATH=FILE.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../src/temporal/workflowBundle';
import { WORKFLOWS_PATH } from '../src/worker';

const target = process.argv[2];
if (target === undefined || target.startsWith('-')) {
  process.stderr.write('usage: npm run workflows:bundle -- FILE\n');
  process.exit(2);
}
const file = path.resolve(target);
const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...WORKFLOW_BUNDLE_OPTIONS, logger: new DefaultLogger('WARN') });
await mkdir(path.dirname(file), { recursive: true });
// Write then rename: a worker starting now never reads half a file.
await writeFile(`${file}.tmp`, code);
await rename(`${file}.tmp`, file);
process.stdout.write(`${file}\n`);
