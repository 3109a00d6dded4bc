/**
 * The payload codec on its own: AES-256-GCM over whole payloads, the key id beside each one,
 * tampering and unknown keys refused with errors that name the key id and nothing else.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { describe, expect, it } from 'vitest';
import { failureConverter } from '../../src/temporal/failureConverter';
import { Keyring } from '../../src/temporal/keyring';
import { EncryptionCodec, ENCRYPTED_ENCODING, isEncryptedPayload, payloadKeyId, PayloadDecryptionError } from '../../src/temporal/payloadCodec';

const SECRET = `SENTINEL-${randomBytes(6).toString('hex')}`;
const k1 = Keyring.generate('k1');
const k2 = Keyring.generate('k2');
const k2ThenK1 = new Keyring([...k2.entries(), ...k1.entries()]);

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const contains = (haystack: Uint8Array | null | undefined, needle: string) => Buffer.from(haystack ?? []).includes(needle);
const metadataOf = (payload: Payload) => Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, text(v)]));

function toPayload(value: unknown): Payload {
  return defaultPayloadConverter.toPayload(value);
}

async function encodeOne(keyring: Keyring, payload: Payload): Promise<Payload> {
  const [encoded] = await new EncryptionCodec(keyring).encode([payload]);
  return encoded!;
}

/** The error `work` rejects with (fails the test when it resolves). */
async function rejection(work: Promise<unknown>): Promise<Error> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome, 'expected a rejection').toBeInstanceOf(Error);
  return outcome as Error;
}

describe('EncryptionCodec', () => {
  const samples: [string, unknown][] = [
    ['a case view with Danish text', { note: `${SECRET} — æøå`, measures: [{ description: SECRET }], n: 3 }],
    ['undefined (binary/null)', undefined],
    ['raw bytes (binary/plain)', new Uint8Array([0, 1, 2, 250])],
    ['an empty string', ''],
  ];

  it.each(samples)('round-trips %s: the decoded payload is the original, metadata included', async (_name, value) => {
    const original = toPayload(value);
    const codec = new EncryptionCodec(k1);
    const [encoded] = await codec.encode([original]);
    const [decoded] = await codec.decode([encoded!]);
    expect(metadataOf(decoded!)).toEqual(metadataOf(original));
    expect(text(decoded!.data)).toEqual(text(original.data));
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);
  });

  it('hides the content and the original metadata; the stored metadata is the encoding and the key id only', async () => {
    const original = toPayload({ note: SECRET });
    const encoded = await encodeOne(k1, original);
    expect(metadataOf(encoded)).toEqual({ encoding: ENCRYPTED_ENCODING, 'encryption-key-id': 'k1' });
    expect(contains(encoded.data, SECRET)).toBe(false);
    expect(contains(encoded.data, 'json/plain')).toBe(false);
    // The whole stored form, as Temporal would keep it.
    const stored = temporal.api.common.v1.Payload.encode(encoded).finish();
    expect(contains(stored, SECRET)).toBe(false);
    expect(isEncryptedPayload(encoded)).toBe(true);
    expect(payloadKeyId(encoded)).toBe('k1');
  });

  it('uses a fresh IV each time: the same payload encrypts differently', async () => {
    const original = toPayload({ note: SECRET });
    const [a, b] = await new EncryptionCodec(k1).encode([original, original]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
    expect(Buffer.from(a!.data!).subarray(0, 12).equals(Buffer.from(b!.data!).subarray(0, 12))).toBe(false);
  });

  it('encrypts with the first key of the keyring and decrypts with any of its keys', async () => {
    const old = await encodeOne(k1, toPayload('old'));
    const fresh = await encodeOne(k2ThenK1, toPayload('new'));
    expect(payloadKeyId(old)).toBe('k1');
    expect(payloadKeyId(fresh)).toBe('k2');
    const decoded = await new EncryptionCodec(k2ThenK1).decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['old', 'new']);
  });

  it('passes payloads without the encrypted encoding through unchanged (cases from before encryption)', async () => {
    const plain = toPayload({ note: 'from before encryption' });
    const [decoded] = await new EncryptionCodec(k1).decode([plain]);
    expect(decoded).toBe(plain);
  });

  describe('refuses, naming the key id and nothing else,', () => {
    const expectSafe = (error: Error, keyId: string | undefined) => {
      expect(error).toBeInstanceOf(PayloadDecryptionError);
      expect((error as PayloadDecryptionError).keyId).toBe(keyId);
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('json/plain');
      expect(error.cause).toBeUndefined();
      if (keyId !== undefined) expect(error.message).toContain(`"${keyId}"`);
      return error;
    };
    const encrypted = () => encodeOne(k1, toPayload({ note: SECRET }));
    const withData = (payload: Payload, change: (data: Buffer) => void): Payload => {
      const data = Buffer.from(payload.data!);
      change(data);
      return { ...payload, data };
    };

    it('a payload whose key is not in the keyring', async () => {
      const error = await rejection(new EncryptionCodec(k2).decode([await encrypted()]));
      expectSafe(error, 'k1');
      expect(error.message).toMatch(/not in the keyring/);
    });

    it.each([
      ['a changed ciphertext byte', (data: Buffer) => void (data[20] = data[20]! ^ 1)],
      ['a changed IV byte', (data: Buffer) => void (data[0] = data[0]! ^ 1)],
      ['a changed authentication tag', (data: Buffer) => void (data[data.length - 1] = data[data.length - 1]! ^ 1)],
    ])('%s', async (_name, change) => {
      const error = await rejection(new EncryptionCodec(k1).decode([withData(await encrypted(), change)]));
      expectSafe(error, 'k1');
      expect(error.message).toMatch(/failed authentication/);
    });

    it('a payload relabelled with another key id the keyring holds', async () => {
      const payload = await encrypted();
      const relabelled = { ...payload, metadata: { ...payload.metadata, 'encryption-key-id': Buffer.from('k2') } };
      const error = await rejection(new EncryptionCodec(k2ThenK1).decode([relabelled]));
      expectSafe(error, 'k2');
    });

    it('a payload encrypted under the same key id but another key', async () => {
      const impostor = Keyring.generate('k1');
      const error = await rejection(new EncryptionCodec(impostor).decode([await encrypted()]));
      expectSafe(error, 'k1');
    });

    it('a truncated payload', async () => {
      const payload = await encrypted();
      const error = await rejection(new EncryptionCodec(k1).decode([{ ...payload, data: payload.data!.subarray(0, 10) }]));
      expectSafe(error, 'k1');
    });

    it('a key id that is not one (stored data could hold anything)', async () => {
      const payload = await encrypted();
      const odd = { ...payload, metadata: { ...payload.metadata, 'encryption-key-id': Buffer.from(`${SECRET} x`) } };
      const error = await rejection(new EncryptionCodec(k1).decode([odd]));
      expectSafe(error, '(malformed key id)');
    });

    it('an encrypted payload without a key id', async () => {
      const payload = await encrypted();
      const error = await rejection(new EncryptionCodec(k1).decode([{ ...payload, metadata: { encoding: payload.metadata!.encoding! } }]));
      expectSafe(error, undefined);
    });
  });
});

describe('the failure converter', () => {
  it('moves message and stack trace into a payload, which the codec then encrypts', async () => {
    const failure = failureConverter.errorToFailure(new Error(`activity broke on ${SECRET}`), defaultPayloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    const [encrypted] = await new EncryptionCodec(k1).encode([failure.encodedAttributes!]);
    const stored = temporal.api.failure.v1.Failure.encode({ ...failure, encodedAttributes: encrypted }).finish();
    expect(contains(stored, SECRET)).toBe(false);

    const [decrypted] = await new EncryptionCodec(k1).decode([encrypted!]);
    const restored = failureConverter.failureToError({ ...failure, encodedAttributes: decrypted }, defaultPayloadConverter);
    expect(restored.message).toBe(`activity broke on ${SECRET}`);
  });
});

describe('Keyring', () => {
  it('prints and serialises as key ids only', () => {
    const keyring = k2ThenK1;
    const key = Buffer.from(keyring.key('k2')!);
    for (const shown of [inspect(keyring, { depth: 10, showHidden: true }), JSON.stringify(keyring)]) {
      expect(shown).not.toContain(key.toString('base64'));
      expect(shown).not.toContain(key.toString('hex'));
    }
    expect(JSON.parse(JSON.stringify(keyring))).toEqual({ currentKeyId: 'k2', keyIds: ['k2', 'k1'] });
  });

  it('refuses an empty list, a repeated id and a key of the wrong size', () => {
    expect(() => new Keyring([])).toThrow(/at least one key/);
    expect(() => new Keyring([...k1.entries(), ...k1.entries()])).toThrow(/"k1" is used twice/);
    expect(() => new Keyring([{ id: 'short', key: randomBytes(16) }])).toThrow(/must be 32 bytes/);
    expect(() => new Keyring([{ id: 'has space', key: randomBytes(32) }])).toThrow(/key id must be/);
  });
});
