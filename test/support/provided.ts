/**
 * Values test/support/globalSetup.ts hands to every test file through vitest's provide/inject.
 * The augmentation makes `inject('temporalAddress')` typed.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the Temporal dev server started once for the whole test run. */
    temporalAddress: string;
    temporalNamespace: string;
    /** The workflow bundle built once for the run; null when bundling failed (see workflowBundleError). */
    workflowBundlePath: string | null;
    workflowBundleError: string | null;
  }
}

export {};
