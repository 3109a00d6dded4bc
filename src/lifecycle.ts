/** Process plumbing shared by the entry points (main, worker, api server). */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config';
import { errorFields, type Logger } from './logger';

function canonical(file: string): string {
  const absolute = path.resolve(file);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

/**
 * True when the module at `moduleUrl` is the script node (or tsx) was asked to run.
 * `import.meta.main` is not in Node 20; tsx leaves the script path in argv[1], possibly without
 * its extension or through a symlink, so both sides are normalised before comparing.
 */
export function isMainModule(moduleUrl: string, argv1: string | undefined = process.argv[1]): boolean {
  if (!argv1) return false;
  const self = canonical(fileURLToPath(moduleUrl));
  const invoked = canonical(argv1);
  if (self === invoked) return true;
  const stripExt = (p: string) => p.replace(/\.[cm]?[jt]sx?$/, '');
  return stripExt(self) === stripExt(invoked);
}

/**
 * Runs `shutdown` once on SIGINT or SIGTERM and exits with its result (0 when clean).
 * The same Ctrl-C often arrives several times within milliseconds (the terminal signals the whole
 * process group, and npm and tsx relay it too), so repeats within DUPLICATE_WINDOW_MS are
 * ignored; a later one means a user pressing Ctrl-C again, and exits at once with 130.
 */
const DUPLICATE_WINDOW_MS = 2_000;

export function onShutdownSignal(logger: Logger, shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let firstAt: number | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt !== undefined) {
      if (Date.now() - firstAt < DUPLICATE_WINDOW_MS) return;
      logger.warn('second signal: exiting without waiting', { signal });
      process.exit(130);
    }
    firstAt = Date.now();
    logger.info('shutting down', { signal });
    shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', errorFields(err));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Reports a start-up failure and exits 1; a configuration error is shown as its plain message. */
export function failStartup(logger: Logger, err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    logger.error('start-up failed', errorFields(err));
  }
  process.exit(1);
}
