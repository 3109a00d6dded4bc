/**
 * `npm run seed -- --cases 10000 [--schools 8] [--seed 42] [--concurrency 24] [--dry-run]`
 *
 * Fills the service's stores with realistic cases by running each one through its real workflow:
 * the same configuration as `npm start` (TEMPORAL_ADDRESS, DATABASE_URL, DATA_DIR), the dev server
 * and PGlite started when those are unset, the service's worker with the real activities, and the
 * case service for every opening and action, so every rule is enforced.
 *
 * With the embedded stores (no TEMPORAL_ADDRESS / no DATABASE_URL) this must not run beside
 * `npm start` on the same DATA_DIR: stop the service first, seed, then start it again. To seed a
 * running service, point TEMPORAL_ADDRESS and DATABASE_URL at its Temporal and PostgreSQL.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { danishDateOf } from '../src/domain/dates';
import { createLogger } from '../src/logger';
import { runScripts } from '../src/seed/driver';
import { assertDataDirFree } from '../src/seed/guard';
import { generateScenario, summarizeScenario } from '../src/seed/plan';
import { costLines, historyLines, machineTicks, memoryNote, progressLine, readModelPhases, resultLines, scenarioLines } from '../src/seed/report';
import { startSeedStack } from '../src/seed/stack';
import { caseDataConverter } from '../src/temporal/dataConverter';
import { loadKeyring } from '../src/temporal/keyFile';

const USAGE = 'usage: npm run seed -- --cases N [--schools 8] [--seed 42] [--concurrency 24] [--dry-run]';

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number >= ${min}\n${USAGE}`);
  return n;
}

const print = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      schools: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    print(USAGE);
    return;
  }
  const cases = positiveInt('cases', values.cases, 200, 0);
  const schools = positiveInt('schools', values.schools, 8);
  const seed = positiveInt('seed', values.seed, 42, 0);
  const concurrency = positiveInt('concurrency', values.concurrency, 24);

  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, format: config.logFormat ?? 'text' });
  const today = danishDateOf(new Date());
  const generatedAt = process.hrtime.bigint();
  const scripts = generateScenario({ cases, schools, seed, today });
  print(`generated ${cases} case scripts for ${schools} schools, seed ${seed}, today ${today} in ${(Number(process.hrtime.bigint() - generatedAt) / 1e6).toFixed(0)} ms`);
  for (const line of scenarioLines(summarizeScenario(scripts))) print(line);
  if (values['dry-run']) return;

  const embeddedTemporal = !config.temporalAddress;
  if (embeddedTemporal || !config.databaseUrl) {
    print(
      `using ${embeddedTemporal ? 'the embedded Temporal dev server' : `Temporal at ${config.temporalAddress}`} and ` +
        `${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite'} in ${config.dataDir}; ` +
        'do not run `npm start` on this DATA_DIR while seeding',
    );
    assertDataDirFree(config.dataDir, { temporal: embeddedTemporal, pglite: !config.databaseUrl });
  }

  // The keys `npm start` on this DATA_DIR (or PAYLOAD_KEYS) uses, so the service reads these cases.
  const { keyring } = await loadKeyring(config);
  const stack = await startSeedStack({
    logger,
    dataConverter: caseDataConverter(keyring),
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    dataDir: config.dataDir,
    temporalPort: config.temporalPort,
    temporalCliPath: config.temporalCliPath,
    databaseUrl: config.databaseUrl,
  });
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    print('interrupted: stopping the worker and the stores (Ctrl-C again to exit at once)');
    void stack.stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    print(`seeding through the workflows: task queue ${stack.taskQueue}, Temporal ${stack.temporalAddress}, database ${stack.db.kind}, concurrency ${concurrency}`);
    const machineBefore = machineTicks();
    const cpuBefore = process.cpuUsage();
    const devServerBefore = stack.devServerCpuSeconds();
    const result = await runScripts(stack.service, scripts, {
      concurrency,
      onProgress: (progress) => print(`${progressLine(progress)}${memoryNote(stack.devServerRssBytes())}`),
      progressEveryMs: 5_000,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const devServerAfter = stack.devServerCpuSeconds();
    for (const line of resultLines(result)) print(line);
    const costs = costLines({
      result,
      activityMs: stack.activityMs,
      ownCpuSeconds: (cpu.user + cpu.system) / 1e6,
      devServerCpuSeconds: devServerBefore !== undefined && devServerAfter !== undefined ? devServerAfter - devServerBefore : undefined,
      machineBefore,
      machineAfter: machineTicks(),
    });
    for (const line of costs) print(line);
    // Each case: the start and read-back of its opening, then one update per action.
    const perCase = (index: number) => 2 + (scripts[index]?.actions.length ?? 0);
    for (const line of await historyLines(stack.client, result, perCase)) print(line);
    const phases = await readModelPhases(stack.db, result.caseIds);
    print(
      `read model: mapping ${phases.mapping}, action_plan ${phases.action_plan}, follow_up ${phases.follow_up}, closed ${phases.closed}` +
        (phases.missing > 0 ? `, missing ${phases.missing}` : ''),
    );
    process.exitCode = result.failed > 0 || result.mismatches.length > 0 ? 1 : 0;
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  // Messages name files, settings and rules; never a pupil's data.
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message.slice(0, 2000) : String(error)}\n`);
  process.exit(1);
});
