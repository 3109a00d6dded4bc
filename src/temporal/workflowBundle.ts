/**
 * How every workflow bundle of this service is built (the worker's own, the tests', the bench's,
 * production's prebuilt one): the failure converter inside it, and the modules the sandbox loads
 * once and shares between workflows.
 *
 * The worker runs every workflow in one reused V8 context; a module it has loaded before any
 * workflow exists is shared (and frozen), any other is evaluated again for each workflow — each
 * case opened, and each cache miss that replays one. The machine, its rules and xstate are pure
 * (no per-workflow state at module level), so they are loaded once: less CPU per new or replayed
 * case and less memory per cached one. A module listed here must keep it that way: no
 * module-level state that depends on the workflow, and no workflow API called while loading.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAILURE_CONVERTER_PATH } from './dataConverter';

const here = fileURLToPath(import.meta.url);
const ext = path.extname(here);
const src = path.dirname(path.dirname(here));
const module = (...parts: string[]) => `${path.join(src, ...parts)}${ext}`;

export const SHARED_WORKFLOW_MODULES: readonly string[] = [
  'xstate',
  module('machines', 'index'),
  module('domain', 'caseRow'),
  module('domain', 'effectPolicy'),
  module('domain', 'inputShape'),
  module('workflows', 'definitions'),
];

/** For `bundleWorkflowCode({ workflowsPath, ...WORKFLOW_BUNDLE_OPTIONS })`. */
export const WORKFLOW_BUNDLE_OPTIONS = {
  failureConverterPath: FAILURE_CONVERTER_PATH,
  preloadModules: [...SHARED_WORKFLOW_MODULES],
};
