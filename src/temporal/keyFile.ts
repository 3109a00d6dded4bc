/**
 * Where the payload keys come from: PAYLOAD_KEYS when set, else a key file in DATA_DIR
 * (`keys/payload-keys.json`, mode 0600 in a 0700 directory), made with one fresh key on the first
 * start and reused on every later one. `npm run keys:rotate` puts a new current key in front of
 * the old ones (rotateKeyFile), which keep decrypting what was written with them.
 */
import { chmod, link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type AppConfig } from '../config';
import { generatePayloadKey, Keyring, KeyringError, keyFromBase64 } from './keyring';

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const FORMAT_VERSION = 1;

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'payload-keys.json');
}

interface KeyFileContent {
  version: number;
  /** The current key first. */
  keys: { id: string; key: string; createdAt?: string }[];
}

export interface LoadedKeyring {
  keyring: Keyring;
  /** Where it came from: 'PAYLOAD_KEYS' or the key file's path (no secret). */
  source: string;
  /** True when this call made the key file. */
  created: boolean;
  /** True when the key file's (or its directory's) permissions were wider than owner-only and were narrowed. */
  tightened: boolean;
}

function serialise(keyring: Keyring, createdAt: ReadonlyMap<string, string>): string {
  const content: KeyFileContent = {
    version: FORMAT_VERSION,
    keys: keyring.entries().map(({ id, key }) => ({ id, key: Buffer.from(key).toString('base64'), createdAt: createdAt.get(id) ?? new Date().toISOString() })),
  };
  return `${JSON.stringify(content, null, 2)}\n`;
}

/** Reads and checks the key file; messages name the file and key ids, never key material. */
async function readKeyFile(file: string): Promise<{ keyring: Keyring; createdAt: Map<string, string> }> {
  let content: unknown;
  try {
    content = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    throw new KeyringError(`${file}: not a payload key file (unreadable or not JSON)`);
  }
  const parsed = content as Partial<KeyFileContent> | null;
  if (parsed?.version !== FORMAT_VERSION || !Array.isArray(parsed.keys)) {
    throw new KeyringError(`${file}: not a payload key file of version ${FORMAT_VERSION}`);
  }
  const createdAt = new Map<string, string>();
  const keys = parsed.keys.map((entry: unknown, index) => {
    const { id, key, createdAt: made } = (entry ?? {}) as Partial<KeyFileContent['keys'][number]>;
    if (typeof id !== 'string' || typeof key !== 'string') throw new KeyringError(`${file}: key ${index + 1} needs an id and a key`);
    if (typeof made === 'string') createdAt.set(id, made);
    return keyFromBase64(id, key, `${file}: key ${index + 1}`);
  });
  try {
    return { keyring: new Keyring(keys), createdAt };
  } catch (error) {
    throw new KeyringError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Narrows a path's mode to `mode` when group or others may use it; true when it did. */
async function ownerOnly(target: string, mode: number): Promise<boolean> {
  const current = (await stat(target)).mode & 0o777;
  if ((current & 0o077) === 0) return false;
  await chmod(target, mode);
  return true;
}

async function ensureKeyDir(file: string): Promise<boolean> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  return ownerOnly(dir, DIR_MODE);
}

/** Writes `text` to a new file next to `file`, owner-only from the first byte, and returns its path. */
async function writeTemp(file: string, text: string): Promise<string> {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text, { mode: FILE_MODE, flag: 'wx' });
  await chmod(temp, FILE_MODE); // the umask could only have narrowed it; be explicit anyway
  return temp;
}

/** The key file's keyring; makes the file with one fresh key when there is none. */
export async function loadOrCreateKeyFile(dataDir: string): Promise<LoadedKeyring> {
  const file = keyFilePath(dataDir);
  let tightened = await ensureKeyDir(file);
  try {
    const { keyring } = await readKeyFile(file);
    tightened = (await ownerOnly(file, FILE_MODE)) || tightened;
    return { keyring, source: file, created: false, tightened };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keyring = new Keyring([generatePayloadKey()]);
  const temp = await writeTemp(file, serialise(keyring, new Map()));
  try {
    // link() fails when the file appeared meanwhile (another process starting on this DATA_DIR):
    // then that process's key is the one, and this one is dropped.
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { keyring: (await readKeyFile(file)).keyring, source: file, created: false, tightened };
  } finally {
    await rm(temp, { force: true });
  }
  return { keyring, source: file, created: true, tightened };
}

/**
 * Adds a fresh key in front of the key file's keys (created when missing): it encrypts from the
 * next start on; the old ones keep decrypting. Returns the new keyring.
 */
export async function rotateKeyFile(dataDir: string): Promise<{ keyring: Keyring; file: string; previousKeyIds: string[] }> {
  const file = keyFilePath(dataDir);
  await ensureKeyDir(file);
  let previous: { keyring: Keyring; createdAt: Map<string, string> } | undefined;
  try {
    previous = await readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let fresh = generatePayloadKey();
  while (previous?.keyring.key(fresh.id) !== undefined) fresh = generatePayloadKey();
  const keyring = previous ? previous.keyring.withNewCurrent(fresh) : new Keyring([fresh]);
  const temp = await writeTemp(file, serialise(keyring, previous?.createdAt ?? new Map()));
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { keyring, file, previousKeyIds: previous?.keyring.keyIds ?? [] };
}

/** What a start-up log line may say about the keyring: where it came from and key ids. */
export function keyringLogFields(loaded: LoadedKeyring): { payloadKeys: string; currentKeyId: string; decryptOnlyKeyIds: string } {
  return {
    payloadKeys: loaded.created ? `${loaded.source} (new)` : loaded.source,
    currentKeyId: loaded.keyring.currentKeyId,
    decryptOnlyKeyIds: loaded.keyring.keyIds.slice(1).join(',') || '(none)',
  };
}

/**
 * The keyring of a process: PAYLOAD_KEYS when set, else the key file in DATA_DIR.
 * `requiredFor` names a process that must not make keys of its own (a worker or API that runs
 * beside others: each would encrypt under a key the others lack), so PAYLOAD_KEYS is required.
 */
export async function loadKeyring(
  config: Pick<AppConfig, 'payloadKeys' | 'dataDir'>,
  options: { requiredFor?: string } = {},
): Promise<LoadedKeyring> {
  if (config.payloadKeys) return { keyring: config.payloadKeys, source: 'PAYLOAD_KEYS', created: false, tightened: false };
  if (options.requiredFor) {
    throw new ConfigError(
      `PAYLOAD_KEYS is required for ${options.requiredFor}: every worker and API process must share the same payload keys ` +
        '(keyId:base64-of-32-bytes, e.g. `k1:$(openssl rand -base64 32)`)',
    );
  }
  return loadOrCreateKeyFile(config.dataDir);
}
