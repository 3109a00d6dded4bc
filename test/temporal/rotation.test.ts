/**
 * Key rotation on real Temporal: a case begun under key k1 is still read and acted on by a client
 * and worker whose current key is k2 (k1 kept to decrypt); its history shows old payloads under
 * k1 and new ones under k2. Without k1, the case cannot be read.
 */
import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createCaseService } from '../../src/api/caseService';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import { caseDataConverter } from '../../src/temporal/dataConverter';
import { Keyring } from '../../src/temporal/keyring';
import { EncryptionCodec, payloadKeyId } from '../../src/temporal/payloadCodec';
import { workflowIdForCase } from '../../src/temporal/names';
import { caseViewQuery, completeStepUpdate } from '../../src/workflows/definitions';
import { openCaseInput } from '../../src/domain/schemas';
import { openCaseBody } from '../api/support/cases';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectTestTemporal, startTestWorker, uniqueTaskQueue, type TestTemporal } from '../support/temporal';
import { payloadsIn } from './history';

const k1 = Keyring.generate(`k1-${randomUUID().slice(0, 8)}`);
const k2 = Keyring.generate(`k2-${randomUUID().slice(0, 8)}`);
const k1Id = k1.currentKeyId;
const k2Id = k2.currentKeyId;
const rotated = new Keyring([...k2.entries(), ...k1.entries()]);
const NOTE = `Bekymring ${randomUUID()}`;

/** A client and a worker on `taskQueue` with one keyring, as one deployment of the service. */
async function deployment(keyring: Keyring, taskQueue: string, store: CaseStore, database: TestDatabase) {
  const dataConverter = caseDataConverter(keyring);
  const temporal = await connectTestTemporal({ dataConverter });
  const worker = await startTestWorker({ connection: temporal.connection, activities: createActivities({ store, db: database.db }), taskQueue, dataConverter });
  return {
    temporal,
    service: createCaseService({ client: temporal.client, store, taskQueue }),
    async stop() {
      await worker.stop();
      await temporal.close();
    },
  };
}

/** Key ids of the payloads of each event, in order, leaving out the SDK's plain patch markers. */
function keyIdsByEvent(history: Awaited<ReturnType<ReturnType<TestTemporal['client']['workflow']['getHandle']>['fetchHistory']>>) {
  return payloadsIn(history)
    .map(({ path, payload }) => ({ event: Number(/^events\[(\d+)\]/.exec(path)![1]), keyId: payloadKeyId(payload) ?? 'plain' }))
    .filter(({ keyId }) => keyId !== 'plain');
}

describe('rotating the payload key', () => {
  let database: TestDatabase;
  let store: CaseStore;
  const taskQueue = uniqueTaskQueue('rotation');
  let caseId: string;
  let eventsBeforeRotation: number;
  let afterRotation: TestTemporal | undefined;
  let stopAfterRotation: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    store = createCaseStore(database.db);

    const before = await deployment(k1, taskQueue, store, database);
    try {
      const opened = await before.service.openCase(openCaseInput.parse(openCaseBody({ concern: { source: 'parents', note: NOTE } })));
      caseId = opened.caseId;
      await before.service.act(caseId, completeStepUpdate, { stepId: 'class_community', note: NOTE });
      eventsBeforeRotation = (await before.temporal.client.workflow.getHandle(workflowIdForCase(caseId)).fetchHistory()).events!.length;
    } finally {
      await before.stop();
    }
  }, 120_000);

  afterAll(async () => {
    await stopAfterRotation?.();
    await database?.cleanup();
  });

  it('with [k2, k1] the case begun under k1 is read (query) and acted on (update)', async () => {
    const after = await deployment(rotated, taskQueue, store, database);
    afterRotation = after.temporal;
    stopAfterRotation = () => after.stop();
    const handle = after.temporal.client.workflow.getHandle(workflowIdForCase(caseId));

    const view = await handle.query(caseViewQuery);
    expect(view.caseId).toBe(caseId);
    expect(view.concern.note).toBe(NOTE);
    expect(view.steps.find((step) => step.stepId === 'class_community')?.status).toBe('done');

    const acted = await after.service.act(caseId, completeStepUpdate, { stepId: 'pupil_conversation', note: NOTE });
    expect(acted.steps.find((step) => step.stepId === 'pupil_conversation')?.status).toBe('done');
  }, 120_000);

  it('then the history holds the old payloads under k1 and the new ones under k2', async () => {
    const history = await afterRotation!.client.workflow.getHandle(workflowIdForCase(caseId)).fetchHistory();
    const keyed = keyIdsByEvent(history);
    const old = keyed.filter(({ event }) => event < eventsBeforeRotation);
    const fresh = keyed.filter(({ event }) => event >= eventsBeforeRotation);
    expect(old.length).toBeGreaterThan(3);
    expect(fresh.length).toBeGreaterThan(2);
    expect(new Set(old.map(({ keyId }) => keyId))).toEqual(new Set([k1Id]));
    expect(new Set(fresh.map(({ keyId }) => keyId))).toEqual(new Set([k2Id]));
  });

  it('with [k2] alone the case cannot be read: the old payloads need k1, and the error names k1 only', async () => {
    const history = await afterRotation!.client.workflow.getHandle(workflowIdForCase(caseId)).fetchHistory();
    const [started] = payloadsIn(history);
    expect(payloadKeyId(started!.payload)).toBe(k1Id);
    await expect(new EncryptionCodec(k2).decode([started!.payload])).rejects.toThrow(new RegExp(`^payload encrypted with key "${k1Id}", which is not in the keyring`));
    // With k1 kept, the same payload reads.
    const [decoded] = await new EncryptionCodec(rotated).decode([started!.payload]);
    expect(JSON.stringify(defaultPayloadConverter.fromPayload(decoded!))).toContain(NOTE);

    // A deployment holding k2 alone cannot answer for the case: its fresh worker must replay the
    // history from the start and fails at the first k1 payload. (The worker logs the key id; the
    // query's caller gets the failure as Temporal passes it on, its message encoded.)
    await stopAfterRotation?.();
    stopAfterRotation = undefined;
    const lacking = await deployment(k2, taskQueue, store, database);
    stopAfterRotation = () => lacking.stop();
    const handle = lacking.temporal.client.workflow.getHandle(workflowIdForCase(caseId));
    const outcome = await handle.query(caseViewQuery).then(
      () => 'answered',
      (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    );
    expect(outcome).not.toBe('answered');
    expect(outcome).not.toContain(NOTE);
  }, 120_000);
});
