/**
 * The remote codec endpoint the Temporal UI decodes through, over HTTP in a bare express app:
 * the protocol's shape (proto3 JSON, base64 everywhere), both directions, refusals, and decoding
 * what Temporal really stored for a case.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createCaseService } from '../../src/api/caseService';
import { createCaseStore } from '../../src/db';
import { openCaseInput } from '../../src/domain/schemas';
import { workflowIdForCase } from '../../src/temporal/names';
import { codecRouter } from '../../src/temporal/codecServer';
import { Keyring } from '../../src/temporal/keyring';
import { EncryptionCodec } from '../../src/temporal/payloadCodec';
import { openCaseBody } from '../api/support/cases';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectTestTemporal, startTestWorker, TEST_KEYRING, type TestTemporal, type TestWorker } from '../support/temporal';
import { payloadsIn } from './history';

const SECRET = `SENTINEL-${randomBytes(6).toString('hex')}`;
const keyring = Keyring.generate('codec-k1');
const codec = new EncryptionCodec(keyring);

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');
const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(payload.data ?? new Uint8Array()),
});
const fromJson = (json: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(json.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(json.data, 'base64'),
});
const metadataText = (json: JsonPayload) => Object.fromEntries(Object.entries(json.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

async function serve(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

describe('codecRouter over HTTP', () => {
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    const app = express();
    app.use('/codec', codecRouter({ codec }));
    server = await serve(app);
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = async (path: string, body: unknown, contentType = 'application/json') => {
    const response = await fetch(`${server.url}/codec${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-namespace': 'default' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
  };

  it('POST /decode answers the payloads decrypted, in the same JSON shape', async () => {
    const values = [{ note: SECRET, n: 1 }, 'two', undefined];
    const encrypted = await codec.encode(values.map((v) => defaultPayloadConverter.toPayload(v)));
    const answer = await post('/decode', { payloads: encrypted.map(toJson) });
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    const payloads = answer.body.payloads as JsonPayload[];
    expect(payloads).toHaveLength(3);
    expect(metadataText(payloads[0]!)).toEqual({ encoding: 'json/plain' });
    expect(payloads.map((p) => defaultPayloadConverter.fromPayload(fromJson(p)))).toEqual(values);
  });

  it('POST /encode answers the payloads encrypted under the current key, and /decode reverses it', async () => {
    const plain = toJson(defaultPayloadConverter.toPayload({ reason: SECRET }));
    const encoded = await post('/encode', { payloads: [plain] });
    expect(encoded.status).toBe(200);
    const [payload] = encoded.body.payloads as JsonPayload[];
    expect(metadataText(payload!)).toEqual({ encoding: 'binary/encrypted', 'encryption-key-id': 'codec-k1' });
    expect(Buffer.from(payload!.data, 'base64').includes(SECRET)).toBe(false);

    const [local] = await codec.decode([fromJson(payload!)]);
    expect(defaultPayloadConverter.fromPayload(local!)).toEqual({ reason: SECRET });
    const decoded = await post('/decode', { payloads: [payload] });
    expect(decoded.body).toEqual({ payloads: [plain] });
  });

  it('passes unencrypted payloads through /decode unchanged, and answers an empty list with one', async () => {
    const plain = toJson(defaultPayloadConverter.toPayload({ from: 'before encryption' }));
    expect((await post('/decode', { payloads: [plain] })).body).toEqual({ payloads: [plain] });
    expect((await post('/decode', { payloads: [] })).body).toEqual({ payloads: [] });
  });

  it('accepts URL-safe base64 and unpadded values, as proto3 JSON allows', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ note: SECRET })]);
    const json = toJson(encrypted!);
    const urlSafe = (text: string) => text.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    const answer = await post('/decode', {
      payloads: [{ metadata: Object.fromEntries(Object.entries(json.metadata).map(([k, v]) => [k, urlSafe(v)])), data: urlSafe(json.data) }],
    });
    expect(answer.status).toBe(200);
    expect(defaultPayloadConverter.fromPayload(fromJson((answer.body.payloads as JsonPayload[])[0]!))).toEqual({ note: SECRET });
  });

  it('refuses a payload under a key it does not hold with 422 naming the key id only', async () => {
    const [foreign] = await new EncryptionCodec(Keyring.generate('other-key')).encode([defaultPayloadConverter.toPayload({ note: SECRET })]);
    const answer = await post('/decode', { payloads: [toJson(foreign!)] });
    expect(answer.status).toBe(422);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.body.detail).toContain('"other-key"');
    expect(JSON.stringify(answer.body)).not.toContain(SECRET);
  });

  it.each([
    ['a body that is not JSON', '{"payloads": [', 400],
    ['a body without payloads', { something: [] }, 400],
    ['data that is not base64', { payloads: [{ metadata: {}, data: 'not base64!' }] }, 400],
    ['a metadata value that is not a string', { payloads: [{ metadata: { encoding: 5 }, data: '' }] }, 400],
  ])('answers %s with a problem', async (_name, body, status) => {
    const answer = await post('/decode', body);
    expect(answer.status).toBe(status);
    expect(answer.type).toMatch(/^application\/problem\+json/);
  });

  it('answers other methods with 405 and Allow: POST', async () => {
    const response = await fetch(`${server.url}/codec/decode`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('accepts bodies larger than the API’s 256 kB (payloads may be up to 2 MB)', async () => {
    const big = await codec.encode([defaultPayloadConverter.toPayload({ note: 'x'.repeat(1_500_000) })]);
    const answer = await post('/decode', { payloads: big.map(toJson) });
    expect(answer.status).toBe(200);
  });
});

describe('codecRouter on what Temporal stored for a case', () => {
  let temporal: TestTemporal;
  let worker: TestWorker;
  let database: TestDatabase;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    database = await createTestDatabase('pglite');
    const store = createCaseStore(database.db);
    worker = await startTestWorker({ connection: temporal.connection, activities: createActivities({ store, db: database.db }) });
    const app = express();
    // The test run's keyring: the one its clients and workers encrypt with.
    app.use('/codec', codecRouter({ codec: new EncryptionCodec(TEST_KEYRING) }));
    server = await serve(app);
  });
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
    await temporal?.close();
    await database?.cleanup();
  });

  it('decodes the history’s payloads, which Temporal holds only encrypted, back to the case', async () => {
    const store = createCaseStore(database.db);
    const service = createCaseService({ client: temporal.client, store, taskQueue: worker.taskQueue });
    const opened = await service.openCase(openCaseInput.parse(openCaseBody({ concern: { source: 'parents', note: SECRET } })));

    const history = await temporal.client.workflow.getHandle(workflowIdForCase(opened.caseId)).fetchHistory();
    const stored = payloadsIn(history);
    expect(stored.length).toBeGreaterThan(0);
    const json = stored.map(({ payload }) => toJson(payload));
    // Plain are only what the SDK itself records about patches (patch ids, no case data) and
    // about local activities (the one effect step's marker: its id, type, attempt and times; its
    // result is encrypted like any payload), checked below.
    const plain = stored.filter((_found, i) => metadataText(json[i]!).encoding !== 'binary/encrypted');
    for (const { path } of plain) {
      expect(path).toMatch(/markerRecordedEventAttributes\.details\.patch-data|indexedFields\.TemporalChangeVersion$|markerRecordedEventAttributes\.details\.data\.payloads\[0\]$/);
    }
    for (const { path, payload } of plain.filter((found) => found.path.includes('details.data.'))) {
      const meta = JSON.parse(Buffer.from(payload.data ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
      expect(meta.activity_type, path).toBe('recordCaseEffects');
      expect(Object.keys(meta).filter((key) => !['seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time'].includes(key)), path).toEqual([]);
    }
    // At least the workflow's input, the opening's answer (an update result) and the effect step's result.
    expect(stored.length - plain.length).toBeGreaterThanOrEqual(3);

    const response = await fetch(`${server.url}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': temporal.namespace },
      body: JSON.stringify({ payloads: json }),
    });
    expect(response.status).toBe(200);
    const decoded = ((await response.json()) as { payloads: JsonPayload[] }).payloads.map((p) => defaultPayloadConverter.fromPayload(fromJson(p)));
    expect(JSON.stringify(decoded)).toContain(SECRET);
  });
});
