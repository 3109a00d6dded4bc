/**
 * The failure converter of the client, the worker and the workflow sandbox (the worker loads it
 * by path: `dataConverter.failureConverterPath`, and `bundleWorkflowCode` bundles it into the
 * workflow code). Temporal stores a failure's message and stack trace in plain text unless they
 * are encoded; encoded, they travel as a payload, and the payload codec encrypts it.
 *
 * Runs inside the workflow sandbox: @temporalio/common only, no Node built-ins.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
