/**
 * `npm start`: the whole service in one process. Without TEMPORAL_ADDRESS it starts the Temporal
 * dev server (SQLite in DATA_DIR, so cases survive a restart); without DATABASE_URL it uses PGlite
 * in DATA_DIR. Ctrl-C / SIGTERM stop the API, the worker, the database and then the dev server.
 */
import { Client, Connection } from '@temporalio/client';
import { apiConnectionOptions } from './temporal/clientConnection';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from './activities/index';
import { createApp } from './api/app';
import { createHealthCheck, startApi } from './api/server';
import { loadConfig } from './config';
import { createCaseStore, openDatabase } from './db/index';
import { noticeDispatcherWaker, startNoticeDispatcher } from './notices/dispatcher';
import { ensureOpsporingSchedule } from './school/schedule';
import { noticeSetup } from './notices/setup';
import { failStartup, onShutdownSignal } from './lifecycle';
import { tokenVerifierFor } from './access';
import { signInModeFor } from './ui/signIn/fromConfig';
import { createLogger, errorFields, type Logger } from './logger';
import { caseDataConverter } from './temporal/dataConverter';
import { startDevServer } from './temporal/devServer';
import { keyringLogFields, loadKeyring } from './temporal/keyFile';
import { TASK_QUEUE } from './temporal/names';
import { createCaseWorker, effectsAlerting, installTemporalRuntime } from './worker';

/**
 * What start-up has built so far, torn down in reverse order of creation (the same path for
 * Ctrl-C and for a failed start), except that the API goes first: it takes no new requests
 * while the worker, connections, database and dev server still serve the ones in flight.
 */
class Teardown {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  private first: { name: string; run: () => Promise<void> } | undefined;
  constructor(private readonly log: () => Logger) {}

  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  addFirst(name: string, run: () => Promise<void>): void {
    this.first = { name, run };
  }

  async runAll(): Promise<void> {
    const order = [...(this.first ? [this.first] : []), ...this.steps.splice(0).reverse()];
    this.first = undefined;
    let failed = false;
    for (const step of order) {
      try {
        await step.run();
        this.log().info('stopped', { part: step.name });
      } catch (err) {
        failed = true;
        this.log().error('could not stop cleanly', { part: step.name, ...errorFields(err) });
      }
    }
    if (failed) throw new Error('shutdown finished with errors');
  }
}

async function main(): Promise<void> {
  let logger = createLogger();
  const teardown = new Teardown(() => logger);
  try {
    const config = loadConfig();
    logger = createLogger({ level: config.logLevel, format: config.logFormat });
    const startedAt = Date.now();
    installTemporalRuntime(logger);
    onShutdownSignal(logger, () => teardown.runAll());

    // Everything Temporal stores about a case is encrypted with these keys (src/temporal).
    const keys = await loadKeyring(config);
    if (keys.tightened) logger.warn('payload key file was readable by others; narrowed it to owner-only', { file: keys.source });
    logger.info('payload encryption', keyringLogFields(keys));
    const dataConverter = caseDataConverter(keys.keyring);

    // Listen first: until everything below is ready, every request (and /health) gets 503.
    const api = await startApi({ port: config.port, logger });
    teardown.addFirst('api', () => api.close());

    let temporalAddress = config.temporalAddress;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const devServer = await startDevServer({
        dataDir: config.dataDir,
        namespace: config.temporalNamespace,
        port: config.temporalPort,
        uiPort: config.temporalUiPort,
        cliPath: config.temporalCliPath,
        // The UI shows encrypted payloads; it can decode them through the API's codec endpoint.
        // Same host as the UI (127.0.0.1): the codec session cookie is then same-site, which
        // browsers that block third-party cookies still send.
        uiCodecEndpoint: `http://127.0.0.1:${api.port}/codec`,
        logger,
      });
      teardown.add('temporal dev server', () => devServer.stop());
      temporalAddress = devServer.address;
      temporalUiUrl = devServer.uiUrl;
      logger.info('embedded Temporal started', { address: temporalAddress, devServerPid: devServer.pid, ms: Date.now() - startedAt });
    }

    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    teardown.add('database', () => db.close());
    const store = createCaseStore(db);

    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    teardown.add('worker connection', () => nativeConnection.close());
    const connection = await Connection.connect(apiConnectionOptions(temporalAddress));
    teardown.add('client connection', () => connection.close());
    const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter });

    const notices = noticeSetup(config.notices, { logger, wakeDispatcher: noticeDispatcherWaker(client), fallbackBaseUrl: api.url });
    if (notices.mailer) {
      const mailer = notices.mailer;
      teardown.add('mailer', () => Promise.resolve(mailer.close()));
    }

    const worker: Worker = await createCaseWorker({
      connection: nativeConnection,
      namespace: config.temporalNamespace,
      activities: createActivities({ store, db, notices: notices.options, effects: effectsAlerting(config.effects, logger) }),
      dataConverter,
      maxCachedWorkflows: config.maxCachedWorkflows,
    });
    const running = worker.run();
    teardown.add('worker', async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    // A worker failing on its own takes the service down rather than leaving a half-alive API.
    running.catch((err: unknown) => {
      logger.error('worker failed; stopping', errorFields(err));
      process.kill(process.pid, 'SIGTERM');
    });
    // The notice dispatcher (one per namespace; this finds it when it runs already). Without mail
    // there is nothing for it to do: notices wait in the outbox.
    if (notices.mailer) await startNoticeDispatcher(client);
    // The nightly opsporing (one schedule per namespace; this finds it when it exists already).
    await ensureOpsporingSchedule(client);

    const tokens = await tokenVerifierFor(config.auth, config.dataDir);
    // Cookies are Secure when people reach the service over https.
    const publicBaseUrl = config.notices.publicBaseUrl;
    api.attach(
      createApp({
        client,
        store,
        db,
        tokens,
        // The embedded Temporal UI calls the codec endpoint from its own origin.
        security: {
          ...config.security,
          corsOrigins: [...config.security.corsOrigins, ...(temporalUiUrl !== undefined ? [new URL(temporalUiUrl).origin] : [])],
        },
        payloadCodecs: dataConverter.payloadCodecs ?? [],
        logError: (message, error) => logger.error(message, errorFields(error)),
        thresholds: config.thresholds,
        workflowOptions: { effectsAlertAfterMs: config.effects.alertAfterMs },
        ui: {
          signIn: await signInModeFor(config.auth, config.dataDir, tokens),
          ...(publicBaseUrl !== undefined ? { publicBaseUrl } : {}),
        },
        health: createHealthCheck({ client, store, isReady: () => worker.getState() === 'RUNNING' }),
      }),
    );

    logger.info('Fraværsforløb is ready', {
      api: api.url,
      docs: api.docsUrl,
      temporalUi: temporalUiUrl ?? '(external Temporal: see its own UI)',
      taskQueue: TASK_QUEUE,
      namespace: config.temporalNamespace,
      database: db.kind,
      dataDir: config.dataDir,
      ms: Date.now() - startedAt,
    });
    if (config.auth.jwksUrl === undefined) {
      logger.info('every /api request needs a bearer token; for local use: npm run token -- --role leader --school S1', {
        signingKey: 'kept in DATA_DIR/keys',
      });
    }
  } catch (err) {
    // Stop what did start (dev server, DB) before reporting, so nothing is left running.
    await teardown.runAll().catch(() => undefined);
    failStartup(logger, err);
  }
}

await main();
