/**
 * The HTTP server around the express app: `startApi` is used by `npm start` (src/main.ts); run
 * directly (`npm run api`) this file is an API-only process against an external Temporal cluster.
 */
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { apiConnectionOptions } from '../temporal/clientConnection';
import { ConfigError, loadConfig } from '../config';
import { createCaseStore, openDatabase } from '../db/index';
import type { CaseStore } from '../db/types';
import { problemHeaders, problemOf } from '../domain/problems';
import { failStartup, isMainModule, onShutdownSignal } from '../lifecycle';
import { tokenVerifierFor } from '../access';
import { signInModeFor } from '../ui/signIn/fromConfig';
import { createLogger, errorFields, type Logger } from '../logger';
import { caseDataConverter } from '../temporal/dataConverter';
import { loadKeyring } from '../temporal/keyFile';
import { createApp } from './app';

export interface HealthStatus {
  temporal: boolean;
  database: boolean;
}

export interface ApiServer {
  /** Base URL, e.g. http://localhost:3000 */
  readonly url: string;
  /** Browsable API documentation. */
  readonly docsUrl: string;
  readonly port: number;
  readonly server: http.Server;
  /** Serve `app` from now on. Until then every request gets 503, so /health says "not ready". */
  attach(app: RequestListener): void;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`, default 5 s), then closes. */
  close(graceMs?: number): Promise<void>;
}

export interface StartApiOptions {
  /** 0 = any free port (tests). */
  port: number;
  /** Default: all interfaces (containers need that). */
  host?: string;
  logger: Logger;
  /** Attach at once; otherwise call `attach` when the rest of the service is ready. */
  app?: RequestListener;
}

const notReady: RequestListener = (_req, res) => {
  const refusal = { code: 'unavailable', detail: 'The service is starting or stopping; try again shortly.', retryAfterSeconds: 1 } as const;
  // Plain node:http here (no express yet, or no longer): the same problem and headers, by hand.
  res.writeHead(503, { 'content-type': 'application/problem+json', ...problemHeaders(refusal) });
  res.end(JSON.stringify(problemOf(refusal)));
};

export async function startApi(options: StartApiOptions): Promise<ApiServer> {
  let current: RequestListener = options.app ?? notReady;
  let closing = false;
  const server = http.createServer((req, res) => (closing ? notReady : current)(req, res));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    docsUrl: `${url}/docs`,
    port,
    server,
    attach(app) {
      current = app;
    },
    close(graceMs = 5_000) {
      closed ??= new Promise<void>((resolve, reject) => {
        closing = true;
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets would hold close() open; idle ones go now, busy ones after the grace time.
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
      });
      return closed;
    },
  };
}

/**
 * Health probes for createApp: each answers false instead of throwing, within ~2 s.
 * Temporal is "ok" when the client's namespace can be described (server up, namespace there);
 * `isReady` lets the caller hold it "not ok" until its worker runs.
 */
export function createHealthCheck(deps: {
  client: Client;
  store: CaseStore;
  isReady?: () => boolean;
}): () => Promise<HealthStatus> {
  const within = <T>(ms: number, work: Promise<T>) =>
    Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

  const temporalOk = async (): Promise<boolean> => {
    if (deps.isReady && !deps.isReady()) return false;
    const { client } = deps;
    try {
      await client.connection.withDeadline(Date.now() + 2_000, () =>
        client.workflowService.describeNamespace({ namespace: client.options.namespace }),
      );
      return true;
    } catch {
      return false;
    }
  };
  const databaseOk = (): Promise<boolean> =>
    within(2_000, deps.store.ping()).then(
      () => true,
      () => false,
    );

  return async () => {
    const [temporal, database] = await Promise.all([temporalOk(), databaseOk()]);
    return { temporal, database };
  };
}

/** `npm run api`: an API-only process against an external Temporal cluster. */
async function runApiProcess(): Promise<void> {
  let logger = createLogger();
  try {
    const config = loadConfig();
    logger = createLogger({ level: config.logLevel, format: config.logFormat }, { component: 'api' });
    if (!config.temporalAddress) {
      throw new ConfigError('TEMPORAL_ADDRESS is required for `npm run api` (use `npm start` for the embedded server)');
    }
    const { keyring } = await loadKeyring(config, { requiredFor: '`npm run api`' });
    if (!config.databaseUrl) {
      logger.warn('DATABASE_URL unset: using embedded PGlite; no other process may use this DATA_DIR', { dataDir: config.dataDir });
    }

    // Listen first so probes get 503 (not "connection refused") while we connect.
    const api = await startApi({ port: config.port, logger });
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const connection = await Connection.connect(apiConnectionOptions(config.temporalAddress));
    const dataConverter = caseDataConverter(keyring);
    const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter });
    const store = createCaseStore(db);
    const tokens = await tokenVerifierFor(config.auth, config.dataDir);
    // Cookies are Secure when people reach the service over https.
    const publicBaseUrl = config.notices.publicBaseUrl;
    api.attach(
      createApp({
        client,
        store,
        db,
        tokens,
        security: config.security,
        payloadCodecs: dataConverter.payloadCodecs ?? [],
        thresholds: config.thresholds,
        workflowOptions: { effectsAlertAfterMs: config.effects.alertAfterMs },
        ui: {
          signIn: await signInModeFor(config.auth, config.dataDir, tokens),
          ...(publicBaseUrl !== undefined ? { publicBaseUrl } : {}),
        },
        health: createHealthCheck({ client, store }),
        logError: (message, error) => logger.error(message, errorFields(error)),
      }),
    );
    logger.info('API ready', { url: api.url, docs: api.docsUrl });

    onShutdownSignal(logger, async () => {
      await api.close();
      await connection.close();
      await db.close();
    });
  } catch (err) {
    failStartup(logger, err);
  }
}

if (isMainModule(import.meta.url)) {
  await runApiProcess();
}
