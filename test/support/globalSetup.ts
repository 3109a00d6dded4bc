/**
 * vitest globalSetup: runs once per `vitest run`, in the main process, before any test file.
 *  - bundles src/workflows ONCE (webpack takes seconds; every test worker reuses the file);
 *  - starts ONE Temporal dev server (in memory, headless) that all test files share, each on
 *    its own task queue (see temporal.ts).
 * Both reach the tests through provide/inject (types in provided.ts).
 *
 * A bundling failure does not stop the run: tests that need no workflows (machines, db) still
 * run, and `loadWorkflowBundle()` fails in the tests that do, with the bundler's message.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../src/temporal/workflowBundle';
import { startDevServer } from '../../src/temporal/devServer';
import { TEMPORAL_CLI, TEST_DATA_DIR, WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH } from './paths';
import './provided';

const NAMESPACE = 'default';

async function bundleWorkflows(): Promise<{ path: string | null; error: string | null }> {
  try {
    // With the service's failure converter, so failures made in the sandbox are encoded as in production.
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...WORKFLOW_BUNDLE_OPTIONS, logger: new DefaultLogger('WARN') });
    // Write then rename: another test run in this checkout may be reading the file right now.
    const tmp = `${WORKFLOW_BUNDLE_PATH}.${process.pid}.tmp`;
    await writeFile(tmp, code);
    await rename(tmp, WORKFLOW_BUNDLE_PATH);
    return { path: WORKFLOW_BUNDLE_PATH, error: null };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`\n[globalSetup] bundling ${WORKFLOWS_PATH} failed; workflow tests will fail:\n${message}\n\n`);
    return { path: null, error: message };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await mkdir(TEST_DATA_DIR, { recursive: true });
  const started = Date.now();
  const [bundle, server] = await Promise.all([
    bundleWorkflows(),
    startDevServer({
      dataDir: TEST_DATA_DIR,
      namespace: NAMESPACE,
      port: 0,
      ephemeral: true,
      headless: true,
      cliPath: TEMPORAL_CLI,
    }),
  ]);
  if (process.env.TEST_HARNESS_TIMING) {
    process.stderr.write(`[globalSetup] bundle + dev server ready in ${Date.now() - started} ms\n`);
  }

  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', NAMESPACE);
  project.provide('workflowBundlePath', bundle.path);
  project.provide('workflowBundleError', bundle.error);

  return async () => {
    await server.stop();
  };
}
