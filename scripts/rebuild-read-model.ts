/**
 * `npm run read-model:rebuild`: rebuilds the read model (case steps, the summary columns of cases,
 * missing events and the events' school dates) from each case's stored view, after asking every
 * open case's workflow for its current view when TEMPORAL_ADDRESS is set. Prints the counts;
 * exits 1 when anything failed. Uses DATABASE_URL, or the embedded PGlite in DATA_DIR (which no
 * running service may have open at the same time).
 */
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../src/config';
import { createCaseStore, openDatabase, type Database } from '../src/db/index';
import { createLogger, errorFields } from '../src/logger';
import { rebuildReadModel } from '../src/readModel/rebuild';
import { caseDataConverter } from '../src/temporal/dataConverter';
import { loadKeyring } from '../src/temporal/keyFile';

async function main(): Promise<number> {
  let logger = createLogger({}, { component: 'read-model-rebuild' });
  let db: Database | undefined;
  let connection: Connection | undefined;
  try {
    const config = loadConfig();
    logger = createLogger({ level: config.logLevel, format: config.logFormat }, { component: 'read-model-rebuild' });
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const store = createCaseStore(db);
    let client: Client | undefined;
    if (config.temporalAddress) {
      const { keyring } = await loadKeyring(config);
      connection = await Connection.connect({ address: config.temporalAddress });
      client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: caseDataConverter(keyring) });
    } else {
      logger.warn('TEMPORAL_ADDRESS is not set: open cases are not re-synced from their workflows; recomputing from stored views only');
    }

    const started = Date.now();
    const report = await rebuildReadModel({
      db,
      store,
      ...(client !== undefined ? { client } : {}),
      log: (message, fields) => logger.warn(message, fields),
    });
    logger.info('read model rebuilt', { ...report, resyncSkipped: client === undefined, ms: Date.now() - started });
    return report.resyncFailed > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    // The error's name, code and message only: never row values.
    else logger.error('read model rebuild failed', errorFields(error));
    return 1;
  } finally {
    await connection?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
  }
}

process.exitCode = await main();
