/**
 * `npm run keys:rotate`: puts a fresh payload key in front of the ones in
 * DATA_DIR/keys/payload-keys.json (made when missing). The new key encrypts from the next start of
 * the service on; the old ones stay and keep decrypting what was written with them. Prints key
 * ids only, never key material.
 *
 * With PAYLOAD_KEYS set the service does not read that file: rotate there instead, by putting a
 * new `keyId:base64` entry first and keeping the old ones after it.
 */
import { ConfigError, loadConfig } from '../src/config';
import { rotateKeyFile } from '../src/temporal/keyFile';

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.payloadKeys) {
    throw new ConfigError(
      'PAYLOAD_KEYS is set, so the key file in DATA_DIR is not used: rotate by putting a new keyId:base64 entry first in ' +
        `PAYLOAD_KEYS and keeping the old ones after it (current: ${config.payloadKeys.currentKeyId})`,
    );
  }
  const { keyring, file, previousKeyIds } = await rotateKeyFile(config.dataDir);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`payload keys in ${file}`);
  print(`current (encrypts from the next start): ${keyring.currentKeyId}`);
  print(`kept (decrypt only): ${previousKeyIds.length > 0 ? previousKeyIds.join(', ') : '(none: this is the first key)'}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // ConfigError and KeyringError messages name variables, files and key ids, never key material.
    process.stderr.write(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
