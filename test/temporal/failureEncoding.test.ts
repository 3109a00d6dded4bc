/**
 * Failures made inside the workflow sandbox are encoded too: the test run's prebuilt bundle, like
 * production's, carries the failure converter (WORKFLOW_BUNDLE_OPTIONS). Read below the SDK,
 * as the raw answer Temporal relays: a validator's rejection arrives as "Encoded failure" with its
 * real message and details in a payload under the key, and the codec-aware client reads it whole.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createCaseService } from '../../src/api/caseService';
import { createCaseStore } from '../../src/db';
import { openCaseInput } from '../../src/domain/schemas';
import { failureConverter } from '../../src/temporal/failureConverter';
import { workflowIdForCase } from '../../src/temporal/names';
import { EncryptionCodec, payloadKeyId } from '../../src/temporal/payloadCodec';
import { completeStepUpdate } from '../../src/workflows/definitions';
import { openCaseBody } from '../api/support/cases';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectTestTemporal, startTestWorker, TEST_KEYRING, type TestTemporal, type TestWorker } from '../support/temporal';

describe('a failure made in the workflow sandbox', () => {
  let t: TestTemporal;
  let worker: TestWorker;
  let database: TestDatabase;
  let workflowId: string;

  beforeAll(async () => {
    t = await connectTestTemporal();
    database = await createTestDatabase('pglite');
    const store = createCaseStore(database.db);
    worker = await startTestWorker({ connection: t.connection, activities: createActivities({ store, db: database.db }) });
    const service = createCaseService({ client: t.client, store, taskQueue: worker.taskQueue });
    const opened = await service.openCase(openCaseInput.parse(openCaseBody()));
    workflowId = workflowIdForCase(opened.caseId);
  });

  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await database?.cleanup();
  });

  it('reaches Temporal encoded and encrypted: a rejected update’s message and details are a payload under the key', async () => {
    const codec = new EncryptionCodec(TEST_KEYRING);
    const [input] = await codec.encode([defaultPayloadConverter.toPayload({ stepId: 'no-such-step' })]);
    const response = await t.client.workflowService.updateWorkflowExecution({
      namespace: t.namespace,
      workflowExecution: { workflowId },
      waitPolicy: { lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED },
      request: { meta: { updateId: randomUUID(), identity: 'failure-encoding-test' }, input: { name: completeStepUpdate.name, args: { payloads: [input!] } } },
    });

    const failure = response.outcome?.failure;
    expect(failure, 'the update is rejected').toBeTruthy();
    // What Temporal relays (and would store, for a failure that is stored): no message, no stack.
    expect(failure!.message).toBe('Encoded failure');
    expect(failure!.stackTrace ?? '').toBe('');
    expect(payloadKeyId(failure!.encodedAttributes!)).toBe(TEST_KEYRING.currentKeyId);
    const details = failure!.applicationFailureInfo?.details?.payloads ?? [];
    expect(details.length).toBeGreaterThan(0);
    expect(details.every((payload) => payloadKeyId(payload) === TEST_KEYRING.currentKeyId)).toBe(true);

    // With the key, the rule's own message is back.
    const [attributes] = await codec.decode([failure!.encodedAttributes!]);
    const [detail] = await codec.decode([details[0]!]);
    const error = failureConverter.failureToError({ ...failure!, encodedAttributes: attributes, applicationFailureInfo: { ...failure!.applicationFailureInfo, details: { payloads: [detail!] } } }, defaultPayloadConverter);
    expect(error.message).toBe('the case has no step with this stepId');
  });

  it('and the service’s own client reads it whole, as before', async () => {
    const error = await t.client.workflow
      .getHandle(workflowId)
      .executeUpdate(completeStepUpdate, { args: [{ stepId: 'no-such-step' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).message).toBe('the case has no step with this stepId');
    expect((cause as ApplicationFailure).details?.[0]).toMatchObject({ code: 'step_not_found' });
  });
});
