/**
 * Encrypts every payload Temporal stores about a case (workflow arguments and results, update
 * arguments and results, activity inputs, query results, and failure messages once the failure
 * converter encodes them): AES-256-GCM with a random 12-byte IV per payload, over the whole
 * original Payload in its protobuf encoding, so metadata such as `encoding: json/plain` is hidden
 * and restored exactly.
 *
 * An encrypted payload is `{ metadata: { encoding: binary/encrypted, encryption-key-id: <id> },
 * data: iv ‖ ciphertext ‖ tag }`; the key id is authenticated too (GCM additional data), and
 * picks the key on decode, so keys can rotate (keyring.ts). Payloads without that encoding pass
 * through unchanged: cases started before encryption existed stay readable.
 *
 * Errors name the key id only, never payload content: they end up in logs and in Temporal.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
// A CommonJS package whose named exports Node's ESM loader cannot see: use its default export.
import proto from '@temporalio/proto';
import { KEY_ID_PATTERN, type Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const ENCODING_METADATA_KEY = 'encoding';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const ProtoPayload = proto.temporal.api.common.v1.Payload;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Something about an encrypted payload is wrong; `keyId` says under which key (if it said one). */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
  constructor(
    message: string,
    readonly keyId: string | undefined,
  ) {
    super(message);
  }
}

/** A key id as read from a stored payload, safe to print (stored data could hold anything). */
function printable(keyId: string): string {
  return KEY_ID_PATTERN.test(keyId) ? keyId : '(malformed key id)';
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value == null ? undefined : fromUtf8.decode(value);
}

export function isEncryptedPayload(payload: Payload): boolean {
  return metadataText(payload, ENCODING_METADATA_KEY) === ENCRYPTED_ENCODING;
}

/** The id of the key an encrypted payload was made with; undefined for anything else. */
export function payloadKeyId(payload: Payload): string | undefined {
  return isEncryptedPayload(payload) ? metadataText(payload, KEY_ID_METADATA_KEY) : undefined;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve(payloads.map((payload) => this.encrypt(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    // A rejected promise rather than a synchronous throw, whatever goes wrong.
    try {
      return Promise.resolve(payloads.map((payload) => (isEncryptedPayload(payload) ? this.decrypt(payload) : payload)));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.keyring.current();
    const plaintext = ProtoPayload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(utf8.encode(id));
    const data = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: {
        [ENCODING_METADATA_KEY]: utf8.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA_KEY]: utf8.encode(id),
      },
      data,
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = metadataText(payload, KEY_ID_METADATA_KEY);
    if (keyId === undefined) throw new PayloadDecryptionError('an encrypted payload names no encryption key id', undefined);
    const shown = printable(keyId);
    const key = this.keyring.key(keyId);
    if (key === undefined) {
      throw new PayloadDecryptionError(
        `payload encrypted with key "${shown}", which is not in the keyring (PAYLOAD_KEYS or DATA_DIR/keys/payload-keys.json); add it as a decrypt-only key`,
        shown,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.byteLength < IV_BYTES + TAG_BYTES) {
      throw new PayloadDecryptionError(`payload encrypted with key "${shown}" is truncated`, shown);
    }
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv(CIPHER, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(utf8.encode(keyId));
      decipher.setAuthTag(data.subarray(data.byteLength - TAG_BYTES));
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.byteLength - TAG_BYTES)), decipher.final()]);
    } catch {
      // No cause attached: nothing from the failed attempt is worth carrying into a log.
      throw new PayloadDecryptionError(
        `payload encrypted with key "${shown}" failed authentication: it was altered, or the key with that id is not the one it was made with`,
        shown,
      );
    }
    try {
      return ProtoPayload.decode(plaintext);
    } catch {
      throw new PayloadDecryptionError(`payload encrypted with key "${shown}" does not hold a Payload`, shown);
    }
  }
}
