/**
 * Starts the Temporal CLI dev server (`temporal server start-dev`) as a child process: the
 * embedded Temporal of `npm start` and of the test runs. With a data dir, state lives in
 * `<dataDir>/temporal.sqlite` (WAL), so running cases survive a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import type { Logger } from '../logger';

/** Repo root from this file's location, so the binary is found whatever the cwd. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_TEMPORAL_CLI = path.join(REPO_ROOT, '.tools', 'bin', 'temporal');

export type SearchAttributeKind = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface DevServerOptions {
  /** Directory for `temporal.sqlite`; created when missing. */
  dataDir: string;
  /** Created at launch; the "default" namespace always exists too. */
  namespace: string;
  /** Preferred gRPC port (default 7233); a free one is taken when busy. 0 = any free port. */
  port?: number;
  /** Preferred Web UI port (default 8233); a free one is taken when busy. 0 = any free port. */
  uiPort?: number;
  /** Keep state in memory only (tests): nothing is written to `dataDir`. */
  ephemeral?: boolean;
  /** No Web UI (saves a port and a little start time). */
  headless?: boolean;
  /**
   * The remote codec endpoint the Web UI decodes payloads through (`--ui-codec-endpoint`), e.g.
   * `http://localhost:3000/codec`: the browser POSTs to its /decode and /encode.
   */
  uiCodecEndpoint?: string;
  /** Custom search attributes to register, e.g. `{ SchoolId: 'Keyword' }`. */
  searchAttributes?: Readonly<Record<string, SearchAttributeKind>>;
  /** The Temporal CLI; default `.tools/bin/temporal` in the repo (see TEMPORAL_CLI_PATH). */
  cliPath?: string;
  /** How long to wait for the namespace to answer (default 30 s). */
  startTimeoutMs?: number;
  logger?: Logger;
}

export interface DevServer {
  /** host:port of the gRPC frontend, for Connection / NativeConnection. */
  readonly address: string;
  /** Undefined when headless. */
  readonly uiUrl: string | undefined;
  readonly namespace: string;
  /** Undefined when ephemeral. */
  readonly dbFile: string | undefined;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after `timeoutMs` (default 10 s). Idempotent; resolves once the process is gone. */
  stop(timeoutMs?: number): Promise<void>;
}

const HOST = '127.0.0.1';
const STDERR_TAIL_LINES = 40;

/** Resolves with `preferred` when it can be bound, else with a port the OS hands out. */
export async function pickPort(preferred: number, host = HOST): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen({ port, host, exclusive: true }, () => {
        const address = server.address();
        const bound = typeof address === 'object' && address ? address.port : undefined;
        server.close(() => resolve(bound));
      });
    });
  if (preferred > 0) {
    const got = await tryListen(preferred);
    if (got !== undefined) return got;
  }
  const free = await tryListen(0);
  if (free === undefined) throw new Error(`no free TCP port on ${host}`);
  return free;
}

/**
 * On Linux, util-linux `setpriv --pdeathsig` makes the kernel signal the dev server when this
 * process dies, even by SIGKILL, where no 'exit' handler runs. It execs, so the pid is the server's.
 */
function parentDeathWrapper(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Start-up attempts: a dev server that dies while starting is tried again on fresh ports. */
const START_ATTEMPTS = 3;

/**
 * Starts the dev server. Between picking its ports and binding them, or binding the internal
 * ports the CLI picks for itself, another process can take one: the server then panics while
 * starting (seen when many test processes start servers at once). Such a start is tried again
 * on fresh ports, up to START_ATTEMPTS times; any other failure is thrown at once.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startDevServerOnce(options);
    } catch (error) {
      if (!(error instanceof DevServerExitedError) || attempt >= START_ATTEMPTS) throw error;
      options.logger?.warn('Temporal dev server exited while starting; trying again on fresh ports', { attempt, code: error.code ?? 'none' });
    }
  }
}

/** The server process ended before it was ready. */
class DevServerExitedError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DevServerExitedError';
  }
}

async function startDevServerOnce(options: DevServerOptions): Promise<DevServer> {
  const log = options.logger;
  const cliPath = options.cliPath ?? DEFAULT_TEMPORAL_CLI;
  if (!existsSync(cliPath)) {
    throw new Error(`Temporal CLI not found at ${cliPath}: run \`bash scripts/install-temporal.sh\` or set TEMPORAL_CLI_PATH`);
  }

  const port = await pickPort(options.port ?? 7233);
  const uiPort = options.headless ? undefined : await pickPort(options.uiPort ?? 8233);
  if (options.port && port !== options.port) log?.warn('Temporal port busy, using another', { wanted: options.port, port });
  if (uiPort !== undefined && options.uiPort && uiPort !== options.uiPort) {
    log?.warn('Temporal UI port busy, using another', { wanted: options.uiPort, port: uiPort });
  }

  let dbFile: string | undefined;
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--namespace', options.namespace, '--log-level', 'warn'];
  if (!options.ephemeral) {
    mkdirSync(options.dataDir, { recursive: true });
    dbFile = path.join(path.resolve(options.dataDir), 'temporal.sqlite');
    args.push('--db-filename', dbFile, '--sqlite-pragma', 'journal_mode=WAL');
  }
  if (uiPort === undefined) args.push('--headless');
  else {
    args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
    if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  }
  for (const [name, kind] of Object.entries(options.searchAttributes ?? {})) {
    args.push('--search-attribute', `${name}=${kind}`);
  }

  const wrapper = parentDeathWrapper();
  const [command, commandArgs] = wrapper
    ? [wrapper, ['--pdeathsig', 'SIGTERM', '--', cliPath, ...args]]
    : [cliPath, args];

  const startedAt = Date.now();
  // Own process group (detached): a Ctrl-C in the terminal reaches only us, so we can stop the
  // API and worker first and the server last. pdeathsig and the 'exit' hook below still kill it.
  const child: ChildProcess = spawn(command, commandArgs, {
    cwd: options.ephemeral ? REPO_ROOT : path.resolve(options.dataDir),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // The server logs connection noise on shutdown; keep a tail for error reports, show it at debug.
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
      log?.debug('temporal dev server', { line: line.slice(0, 300) });
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve();
    });
    // Without a listener a failed spawn (ENOENT, EACCES) would crash the process.
    child.once('error', (err) => {
      spawnError = err;
      exitInfo ??= { code: null, signal: null };
      resolve();
    });
  });
  if (child.pid === undefined) {
    await exited;
    throw new Error(`could not start the Temporal CLI at ${cliPath}: ${spawnError?.message ?? 'unknown error'}`);
  }
  const pid = child.pid;

  // Last resort for normal exits and process.exit(): kill() is synchronous, fine in 'exit'.
  const killOnExit = () => {
    if (!exitInfo) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      if (!exitInfo) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const gone = await Promise.race([
          exited.then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]);
        // A pending timer would keep the process alive for the rest of the grace period.
        clearTimeout(timer);
        if (!gone) {
          log?.warn('Temporal dev server ignored SIGTERM, killing it', { pid });
          child.kill('SIGKILL');
          await exited;
        }
      }
      process.off('exit', killOnExit);
    })();
    return stopping;
  };

  const address = `${HOST}:${port}`;
  try {
    await waitUntilReady(address, options.namespace, options.startTimeoutMs ?? 30_000, () => exitInfo);
  } catch (err) {
    await stop(2_000);
    const detail = tail.length ? `\n--- temporal output (last lines) ---\n${tail.join('\n')}` : '';
    const message = `${err instanceof Error ? err.message : String(err)}${detail}`;
    if (err instanceof DevServerExitedError) throw new DevServerExitedError(message, err.code, { cause: err });
    throw new Error(message, { cause: err });
  }
  log?.debug('Temporal dev server ready', { address, ms: Date.now() - startedAt });

  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://${HOST}:${uiPort}`,
    namespace: options.namespace,
    dbFile,
    pid,
    stop,
  };
}

/** Polls until the namespace can be described: the server then accepts workflow starts. */
async function waitUntilReady(
  address: string,
  namespace: string,
  timeoutMs: number,
  hasExited: () => { code: number | null; signal: NodeJS.Signals | null } | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const exit = hasExited();
    if (exit) {
      throw new DevServerExitedError(`Temporal dev server exited during start-up (code ${exit.code ?? 'none'}, signal ${exit.signal ?? 'none'})`, exit.code);
    }
    // A plain TCP probe first: gRPC's connect waits out its whole timeout on a closed port.
    if (!(await portAcceptsConnections(address))) {
      await sleep(50);
      continue;
    }
    let connection: Connection | undefined;
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      connection = conn;
      await conn.withDeadline(Date.now() + 2_000, () => conn.workflowService.describeNamespace({ namespace }));
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await connection?.close().catch(() => undefined);
    }
    await sleep(100);
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`Temporal dev server at ${address} not ready after ${timeoutMs} ms${reason}`);
}

function portAcceptsConnections(address: string): Promise<boolean> {
  const separator = address.lastIndexOf(':');
  const host = address.slice(0, separator);
  const port = Number(address.slice(separator + 1));
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
