/**
 * Where the payload keys come from: PAYLOAD_KEYS (validated, never echoed) or the key file in
 * DATA_DIR (made once with mode 0600, reused, rotated by `npm run keys:rotate` keeping old keys).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, chmod, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { keyFilePath, loadKeyring, rotateKeyFile } from '../../src/temporal/keyFile';
import type { Keyring } from '../../src/temporal/keyring';
import { EncryptionCodec } from '../../src/temporal/payloadCodec';
import { REPO_ROOT } from '../support/paths';

const run = promisify(execFile);
const dirs: string[] = [];

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fravaer-keys-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const modeOf = async (target: string) => (await stat(target)).mode & 0o777;
const b64 = (bytes = 32) => randomBytes(bytes).toString('base64');

/** True when `reader` can decrypt what `writer` encrypts now. */
async function reads(reader: Keyring, writer: Keyring): Promise<boolean> {
  const [encrypted] = await new EncryptionCodec(writer).encode([defaultPayloadConverter.toPayload('probe')]);
  return new EncryptionCodec(reader).decode([encrypted!]).then(
    ([decoded]) => defaultPayloadConverter.fromPayload(decoded!) === 'probe',
    () => false,
  );
}

/** Runs `npm run keys:rotate`'s script as npm would, on `dataDir`. */
async function rotateScript(env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/rotate-payload-keys.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

describe('the key file in DATA_DIR (PAYLOAD_KEYS unset)', () => {
  it('is made once with one key, owner-only, and the same key is used on every later start', async () => {
    const dataDir = await freshDataDir();
    const first = await loadKeyring(loadConfig({ DATA_DIR: dataDir }));
    expect(first).toMatchObject({ created: true, source: keyFilePath(dataDir) });
    expect(first.keyring.keyIds).toHaveLength(1);
    expect(await modeOf(keyFilePath(dataDir))).toBe(0o600);
    expect(await modeOf(path.dirname(keyFilePath(dataDir)))).toBe(0o700);

    const again = await loadKeyring(loadConfig({ DATA_DIR: dataDir }));
    expect(again.created).toBe(false);
    expect(again.keyring.keyIds).toEqual(first.keyring.keyIds);
    expect(await reads(again.keyring, first.keyring)).toBe(true);
    expect(await reads(first.keyring, again.keyring)).toBe(true);
  });

  it('narrows a key file or directory others may read back to owner-only', async () => {
    const dataDir = await freshDataDir();
    await loadKeyring(loadConfig({ DATA_DIR: dataDir }));
    await chmod(keyFilePath(dataDir), 0o644);
    await chmod(path.dirname(keyFilePath(dataDir)), 0o755);
    const loaded = await loadKeyring(loadConfig({ DATA_DIR: dataDir }));
    expect(loaded.tightened).toBe(true);
    expect(await modeOf(keyFilePath(dataDir))).toBe(0o600);
    expect(await modeOf(path.dirname(keyFilePath(dataDir)))).toBe(0o700);
  });

  it('`npm run keys:rotate` puts a new current key first, keeps the old ones, and prints key ids only', async () => {
    const dataDir = await freshDataDir();
    const before = await loadKeyring(loadConfig({ DATA_DIR: dataDir }));
    const [oldId] = before.keyring.keyIds;

    const rotated = await rotateScript({ DATA_DIR: dataDir });
    expect(rotated.code, rotated.stderr).toBe(0);
    const after = await loadKeyring(loadConfig({ DATA_DIR: dataDir }));
    expect(after.created).toBe(false);
    expect(after.keyring.keyIds).toHaveLength(2);
    expect(after.keyring.keyIds[1]).toBe(oldId);
    const newId = after.keyring.currentKeyId;
    expect(newId).not.toBe(oldId);
    expect(await modeOf(keyFilePath(dataDir))).toBe(0o600);

    // The old key still reads what was written before; the old keyring cannot read the new key's payloads.
    expect(await reads(after.keyring, before.keyring)).toBe(true);
    expect(await reads(before.keyring, after.keyring)).toBe(false);

    // Output: the ids, and no key material in any encoding.
    expect(rotated.stdout).toContain(newId);
    expect(rotated.stdout).toContain(oldId);
    const file = JSON.parse(await readFile(keyFilePath(dataDir), 'utf8')) as { keys: { key: string }[] };
    for (const { key } of file.keys) {
      const bytes = Buffer.from(key, 'base64');
      for (const shown of [key, bytes.toString('hex'), bytes.toString('base64url')]) {
        expect(rotated.stdout + rotated.stderr).not.toContain(shown);
      }
    }

    // A second rotation keeps both old keys.
    const { keyring: third } = await rotateKeyFile(dataDir);
    expect(third.keyIds.slice(1)).toEqual([newId, oldId]);
  }, 60_000);

  it('`npm run keys:rotate` refuses when PAYLOAD_KEYS is set (the file is not used then), without echoing it', async () => {
    const dataDir = await freshDataDir();
    const key = b64();
    const rotated = await rotateScript({ DATA_DIR: dataDir, PAYLOAD_KEYS: `prod-1:${key}` });
    expect(rotated.code).toBe(1);
    expect(rotated.stderr).toMatch(/PAYLOAD_KEYS is set/);
    expect(rotated.stderr).toContain('prod-1');
    expect(rotated.stderr + rotated.stdout).not.toContain(key);
  }, 60_000);

  it('a damaged key file stops the start with a message naming the file, not its content', async () => {
    const dataDir = await freshDataDir();
    await loadKeyring(loadConfig({ DATA_DIR: dataDir }));
    const secret = b64(16);
    await writeFile(keyFilePath(dataDir), JSON.stringify({ version: 1, keys: [{ id: 'k1', key: secret }] }));
    const error = await loadKeyring(loadConfig({ DATA_DIR: dataDir })).then(
      () => new Error('expected the damaged key file to be refused'),
      (e: unknown) => e as Error,
    );
    expect(error.name).toBe('KeyringError');
    expect(error.message).toContain(keyFilePath(dataDir));
    expect(error.message).toContain('"k1"');
    expect(error.message).not.toContain(secret);
  });
});

describe('PAYLOAD_KEYS', () => {
  it('gives a keyring whose first key encrypts and whose others decrypt; no key file is made', async () => {
    const dataDir = await freshDataDir();
    const config = loadConfig({ DATA_DIR: dataDir, PAYLOAD_KEYS: ` k2:${b64()} , k1:${b64()} ` });
    expect(config.payloadKeys?.keyIds).toEqual(['k2', 'k1']);
    const loaded = await loadKeyring(config);
    expect(loaded).toMatchObject({ source: 'PAYLOAD_KEYS', created: false });
    expect(loaded.keyring.currentKeyId).toBe('k2');
    await expect(stat(keyFilePath(dataDir))).rejects.toThrow(/ENOENT/);
  });

  const key = b64();
  it.each([
    ['no key id', key, /entry 1: must be keyId:base64-key/],
    ['a key that is not base64', `k1:${key.slice(0, -4)}!!!!`, /entry 1 \("k1"\): the key must be base64 of exactly 32/],
    ['a 16-byte key', `k1:${b64(16)}`, /entry 1 \("k1"\): the key must be base64 of exactly 32/],
    ['a 48-byte key', `k1:${b64(48)}`, /entry 1 \("k1"\): the key must be base64 of exactly 32/],
    ['a repeated key id', `k1:${key},k1:${b64()}`, /"k1" is used twice/],
    ['a bad key id', `bad id:${key}`, /entry 1: the key id must be/],
    ['an empty second entry', `k1:${key},`, /entry 2: must be keyId:base64-key/],
  ])('refuses %s, naming the variable and never echoing the value', (_name, value, message) => {
    const attempt = () => loadConfig({ PAYLOAD_KEYS: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/^Invalid configuration:\n {2}PAYLOAD_KEYS: /);
    expect(attempt).toThrow(message);
    let shown = '';
    try {
      attempt();
    } catch (error) {
      shown = (error as Error).message;
    }
    expect(shown).not.toContain(key);
    expect(shown).not.toContain(value.split(':').at(-1));
    expect(shown).not.toContain('got "');
  });

  it('is required where a process must not make keys of its own (a worker or API beside others)', async () => {
    const dataDir = await freshDataDir();
    await expect(loadKeyring(loadConfig({ DATA_DIR: dataDir }), { requiredFor: '`npm run worker`' })).rejects.toThrow(
      /^PAYLOAD_KEYS is required for `npm run worker`/,
    );
    await expect(stat(keyFilePath(dataDir))).rejects.toThrow(/ENOENT/);
  });
});
