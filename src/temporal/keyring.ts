/**
 * The keys Temporal payloads are encrypted with (see payloadCodec.ts). The first key is the
 * current one: everything new is encrypted with it. The others only decrypt, so payloads written
 * before a rotation stay readable. Key bytes never leave this object by accident: it prints and
 * serialises as its key ids only.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

/** AES-256: 32-byte keys. */
export const PAYLOAD_KEY_BYTES = 32;

/** Key ids are stored in plain text beside each payload: short, opaque, no secrets. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export interface PayloadKey {
  readonly id: string;
  /** PAYLOAD_KEY_BYTES bytes. */
  readonly key: Uint8Array;
}

/** A bad key or key list; the message names key ids and positions, never key material. */
export class KeyringError extends Error {
  override readonly name = 'KeyringError';
}

export class Keyring {
  readonly #keys: ReadonlyMap<string, Uint8Array>;
  readonly #currentId: string;

  /** `keys[0]` encrypts; every key decrypts. Throws KeyringError on an empty list, a bad id or size, or a repeated id. */
  constructor(keys: readonly PayloadKey[]) {
    const first = keys[0];
    if (first === undefined) throw new KeyringError('a keyring needs at least one key');
    const byId = new Map<string, Uint8Array>();
    keys.forEach(({ id, key }, index) => {
      if (!KEY_ID_PATTERN.test(id)) {
        throw new KeyringError(`key ${index + 1}: the key id must be 1–64 letters, digits, ".", "_" or "-"`);
      }
      if (key.byteLength !== PAYLOAD_KEY_BYTES) {
        throw new KeyringError(`key ${index + 1} ("${id}"): must be ${PAYLOAD_KEY_BYTES} bytes, got ${key.byteLength}`);
      }
      if (byId.has(id)) throw new KeyringError(`key ${index + 1}: the key id "${id}" is used twice`);
      // A copy: a caller zeroing or reusing its buffer must not change the keyring.
      byId.set(id, Uint8Array.from(key));
    });
    this.#keys = byId;
    this.#currentId = first.id;
  }

  /** A keyring of one fresh random key. */
  static generate(id?: string): Keyring {
    return new Keyring([generatePayloadKey(id)]);
  }

  /** The id new payloads are encrypted under. */
  get currentKeyId(): string {
    return this.#currentId;
  }

  /** Every key id, the current one first. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** The current key, for encrypting. */
  current(): PayloadKey {
    return { id: this.#currentId, key: this.#keys.get(this.#currentId)! };
  }

  /** The key with this id, or undefined when the keyring does not hold it. */
  key(id: string): Uint8Array | undefined {
    return this.#keys.get(id);
  }

  /** Every key, the current one first (for writing the key file). */
  entries(): PayloadKey[] {
    return [...this.#keys].map(([id, key]) => ({ id, key }));
  }

  /** The same keys behind a new current key (rotation). */
  withNewCurrent(key: PayloadKey): Keyring {
    return new Keyring([key, ...this.entries()]);
  }

  toJSON(): { currentKeyId: string; keyIds: string[] } {
    return { currentKeyId: this.#currentId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `Keyring { current: ${this.#currentId}, keys: [${this.keyIds.join(', ')}] }`;
  }
}

/** A fresh random key; its id says when it was made, e.g. `k20260512-3fa9c1d2`. */
export function generatePayloadKey(id?: string): PayloadKey {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return { id: id ?? `k${day}-${randomBytes(4).toString('hex')}`, key: randomBytes(PAYLOAD_KEY_BYTES) };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** One key from base64 text; the error names the key, never the text. */
export function keyFromBase64(id: string, text: string, where: string): PayloadKey {
  const trimmed = text.trim();
  const bytes = BASE64.test(trimmed) && trimmed.length % 4 === 0 ? Buffer.from(trimmed, 'base64') : undefined;
  if (bytes?.byteLength !== PAYLOAD_KEY_BYTES) {
    throw new KeyringError(`${where} ("${id}"): the key must be base64 of exactly ${PAYLOAD_KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`)`);
  }
  return { id, key: bytes };
}

/**
 * Parses `keyId:base64,keyId:base64,…` (the PAYLOAD_KEYS format), the current key first.
 * Error messages name entries by position and key id only: the value is a secret.
 */
export function parsePayloadKeys(text: string): Keyring {
  const entries = text.split(',').map((entry) => entry.trim());
  const keys = entries.map((entry, index) => {
    const where = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new KeyringError(`${where}: must be keyId:base64-key`);
    const id = entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id)) {
      throw new KeyringError(`${where}: the key id must be 1–64 letters, digits, ".", "_" or "-"`);
    }
    return keyFromBase64(id, entry.slice(colon + 1), where);
  });
  return new Keyring(keys);
}
