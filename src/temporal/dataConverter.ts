/**
 * The one DataConverter of every Temporal Client, Worker and workflow bundle of this service:
 * payloads encrypted with the keyring (payloadCodec.ts), failure messages and stack traces
 * encoded so they are encrypted too (failureConverter.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { Keyring } from './keyring';
import { EncryptionCodec } from './payloadCodec';

const here = fileURLToPath(import.meta.url);

/**
 * The module exporting `failureConverter`, loaded by path by the worker and bundled into the
 * workflow code (same extension as this file: .ts under tsx, .js once compiled).
 */
export const FAILURE_CONVERTER_PATH = path.join(path.dirname(here), `failureConverter${path.extname(here)}`);

/** For `bundleWorkflowCode({ workflowsPath, ...WORKFLOW_BUNDLE_OPTIONS })`: a prebuilt bundle must carry the failure converter. */
export const WORKFLOW_BUNDLE_OPTIONS = { failureConverterPath: FAILURE_CONVERTER_PATH } as const;

export function caseDataConverter(keyring: Keyring): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keyring)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
