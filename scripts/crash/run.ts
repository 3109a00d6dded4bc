/**
 * `npm run crash-test`: a bounded kill -9 experiment on the split deployment. The API
 * (`npm run api`) and the worker (`npm run worker`) run as separate processes against a Temporal
 * dev server of this run and PostgreSQL (a schema of their own in the test database). A few
 * cases are driven through their actions over HTTP, each action retried with its Idempotency-Key
 * until answered, while the worker is killed with SIGKILL several times, mid-action. Afterwards
 * every accepted action must be in the read model exactly once (verify.ts), and the workflows'
 * views must agree. Exits 1 when not, or when the experiment overruns its bound.
 *
 *   npm run crash-test [-- --cases 3 --kills 5]
 *   npm run crash-test -- --sabotage   # sends one escalation again under a new key: must fail
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import pg from 'pg';
import { localSigningKey, LOCAL_ISSUER, signToken } from '../../src/access';
import { danishDateOf } from '../../src/domain/dates';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../src/temporal/workflowBundle';
import { startDevServer } from '../../src/temporal/devServer';
import { WORKFLOWS_PATH } from '../../src/worker';
import { createTestDatabaseLocation } from '../../test/support/databases';
import { REPO_ROOT, TEMPORAL_CLI } from '../../test/support/paths';
import { exactlyOnceProblems, type AcceptedAction, type RecordedEvent } from './verify';

const { values: flags } = parseArgs({
  options: {
    cases: { type: 'string', default: '3' },
    kills: { type: 'string', default: '5' },
    'bound-seconds': { type: 'string', default: '90' },
    sabotage: { type: 'boolean', default: false },
  },
});
const CASES = Number(flags.cases);
const KILLS = Number(flags.kills);
const BOUND_MS = Number(flags['bound-seconds']) * 1000;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (message: string) => process.stdout.write(`[crash-test ${elapsed()}] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (min: number, max: number) => min + Math.random() * (max - min);

/** The command behind an npm script (`exec node …`), run directly: SIGKILL must reach node itself, not npm. */
function npmScriptCommand(name: string): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[name];
  if (script === undefined) throw new Error(`package.json has no script "${name}"`);
  return script.replace(/^exec\s+/, '').split(/\s+/);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  /** Resolves when the process printed `line` (a log message), rejects if it exits first. */
  printed(line: string): Promise<void>;
  output(): string;
}

function start(script: string, env: NodeJS.ProcessEnv): Proc {
  const [command, ...args] = npmScriptCommand(script);
  const child = spawn(command!, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const waiters: { line: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters.splice(0)) {
      if (text.includes(waiter.line)) waiter.resolve();
      else waiters.push(waiter);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.once('exit', () => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`${script} exited before printing "${waiter.line}":\n${text.slice(-2000)}`));
  });
  return {
    child,
    printed: (line) =>
      text.includes(line) ? Promise.resolve() : new Promise<void>((resolve, reject) => waiters.push({ line, resolve, reject })),
    output: () => text,
  };
}

function killed(proc: Proc): Promise<void> {
  return proc.child.exitCode !== null || proc.child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => {
        proc.child.once('exit', () => resolve());
        proc.child.kill('SIGKILL');
      });
}

async function main(): Promise<number> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fravaer-crash-'));
  const database = await createTestDatabaseLocation('postgres');
  const processes: Proc[] = [];
  const [server, bundle] = await Promise.all([
    startDevServer({ dataDir, namespace: 'default', port: 0, ephemeral: true, headless: true, cliPath: TEMPORAL_CLI }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...WORKFLOW_BUNDLE_OPTIONS, logger: new DefaultLogger('WARN') }),
  ]);
  const bundlePath = path.join(dataDir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  log(`Temporal dev server at ${server.address}, workflows bundled, PostgreSQL schema ready`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: server.address,
    DATABASE_URL: database.databaseUrl,
    PAYLOAD_KEYS: `crash-k1:${randomBytes(32).toString('base64')}`,
    DATA_DIR: dataDir,
    PORT: String(port),
    WORKFLOW_BUNDLE_PATH: bundlePath,
    RATE_LIMIT_PER_MINUTE: '100000',
    // A request waits this long on Temporal before 503: short, so a request made while the worker
    // is down is answered soon and retried with its key.
    REQUEST_WAIT_SECONDS: '3',
    LOG_LEVEL: 'info',
    SMTP_URL: '',
  };
  const base = `http://127.0.0.1:${port}`;
  // Stopped from outside (CI's timeout, Ctrl-C): leave no API, worker or dev server behind.
  const abort = () => {
    for (const proc of processes) proc.child.kill('SIGKILL');
    void server.stop().finally(() => process.exit(1));
  };
  process.once('SIGTERM', abort);
  process.once('SIGINT', abort);
  let status = 1;
  let driving = true;
  try {
    const api = start('api', env);
    processes.push(api);
    await api.printed('API ready');
    let worker = start('worker', env);
    processes.push(worker);
    await worker.printed('worker running');
    log('API and worker running as separate processes');

    const token = await signToken(await localSigningKey(dataDir), {
      sub: 'leader-crash',
      role: 'leader',
      schools: ['*'],
      issuer: LOCAL_ISSUER,
      audience: 'fravaersforloeb',
      expiresInSeconds: 3600,
    });

    const accepted: AcceptedAction[] = [];
    let retries = 0;
    /** Sends until answered 2xx, with the same key each time; any other final answer is a failure. */
    async function send(method: 'POST' | 'GET', url: string, body: unknown, key: string): Promise<Record<string, unknown>> {
      for (;;) {
        if (Date.now() - started > BOUND_MS) throw new Error(`over the ${BOUND_MS / 1000} s bound while sending ${method} ${url}`);
        try {
          const response = await fetch(`${base}${url}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
            signal: AbortSignal.timeout(15_000),
          });
          const text = await response.text();
          if (response.ok) return JSON.parse(text) as Record<string, unknown>;
          if (response.status !== 503 && response.status !== 429) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
        } catch (error) {
          if (error instanceof Error && /answered \d+/.test(error.message)) throw error;
          // The connection dropped or timed out: the request may or may not have arrived; the key makes it safe to repeat.
        }
        retries += 1;
        await sleep(200);
      }
    }

    const today = danishDateOf(Date.now());
    const daysAgo = (n: number) => new Date(Date.parse(`${today}T12:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const measures = (['pupil_parents', 'community', 'teaching'] as const).map((track) => ({
      track,
      description: `Indsats ${track}`,
      responsible: 'Klasseteamet',
      startsOn: today,
      reviewOn: daysAgo(-28),
    }));

    let kills = 0;
    let killerFailure: Error | undefined;

    async function driveCase(index: number): Promise<void> {
      const opened = await send(
        'POST',
        '/api/cases',
        { pupilRef: `P-CRASH-${index}`, schoolId: 'S-CRASH', grade: 5, tovholder: 'tovholder-crash', openedOn: daysAgo(20), concern: { source: 'staff' } },
        `crash-open-${randomUUID()}`,
      );
      const caseId = String(opened.caseId);
      accepted.push({ caseId, label: 'open', event: 'opened' });
      // Each action and the events it leaves (the assessment and the plan also complete their step).
      const actions: { label: string; url: string; body?: unknown; event: string; stepId?: string; alsoStep?: string }[] = [
        { label: 'step A', url: 'steps/pupil_conversation/complete', body: {}, event: 'step_done', stepId: 'pupil_conversation' },
        { label: 'escalate 1', url: 'escalations', body: { reason: 'Fraværet stiger' }, event: 'escalation' },
        { label: 'step B', url: 'steps/parent_conversation/complete', body: {}, event: 'step_done', stepId: 'parent_conversation' },
        { label: 'step C', url: 'steps/class_community/complete', body: {}, event: 'step_done', stepId: 'class_community' },
        { label: 'escalate 2', url: 'escalations', body: { reason: 'Ingen bedring' }, event: 'escalation' },
        { label: 'assessment', url: 'assessment', body: { decision: 'action_plan', rationale: 'Handleplan' }, event: 'assessment', alsoStep: 'assessment' },
        { label: 'plan', url: 'plan', body: { measures }, event: 'plan_revision', alsoStep: 'action_plan' },
        { label: 'recompute', url: 'deadlines/recompute', event: 'deadlines_recomputed' },
      ];
      for (const [index_, action] of actions.entries()) {
        // Paced by the killer: the i-th action goes only once the worker has been killed
        // i·KILLS/n times, so the kills fall among the actions however fast the service answers.
        while (kills < Math.floor((index_ * KILLS) / actions.length) && killerFailure === undefined) await sleep(20);
        await send('POST', `/api/cases/${caseId}/${action.url}`, action.body, `crash-${action.label.replace(/\s/g, "-")}-${randomUUID()}`);
        accepted.push({ caseId, label: action.label, event: action.event, ...(action.stepId ? { stepId: action.stepId } : {}) });
        if (action.alsoStep) accepted.push({ caseId, label: action.label, event: 'step_done', stepId: action.alsoStep });
        if (flags.sabotage && index === 0 && action.label === 'escalate 2') {
          // The mistake the check is there to catch: the same action again under a new key (level 3 names its resources).
          await send('POST', `/api/cases/${caseId}/${action.url}`, { reason: 'Ingen bedring', externalResources: ['ppr'], withoutConsentReason: 'Forældrene giver samtykke på mødet' }, `crash-sabotage-${randomUUID()}`);
        }
      }
    }

    // Never an unhandled rejection: when the drivers fail, the workers are killed under it on the way out.
    const killer = (async () => {
      while (driving && kills < KILLS) {
        await sleep(random(300, 1200));
        if (!driving) break;
        await killed(worker);
        kills += 1;
        log(`worker killed with SIGKILL (${kills}/${KILLS})`);
        await sleep(random(100, 600));
        worker = start('worker', env);
        processes.push(worker);
        await worker.printed('worker running');
      }
    })().catch((error: unknown) => {
      killerFailure = error instanceof Error ? error : new Error(String(error));
    });
    await Promise.all(Array.from({ length: CASES }, (_, index) => driveCase(index)));
    driving = false;
    await killer;
    if (killerFailure !== undefined) throw killerFailure;
    log(`${accepted.length} actions accepted on ${CASES} cases (${retries} retries), worker killed ${kills} times`);
    if (kills < Math.min(KILLS, 2)) throw new Error(`the worker was killed only ${kills} times before the cases were done: the experiment proves little`);

    // Wait until each case has recorded everything it announced (the recordedView update does).
    const caseIds = [...new Set(accepted.map((a) => a.caseId))];
    const views = await Promise.all(caseIds.map((caseId) => send('GET', `/api/cases/${caseId}`, undefined, `crash-read-${randomUUID()}`)));
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    let recorded: RecordedEvent[];
    try {
      recorded = (
        await client.query<{ case_id: string; seq: number; type: string; step_id: string | null }>(
          'SELECT case_id, seq, type, step_id FROM case_events WHERE case_id = ANY($1) ORDER BY case_id, seq',
          [caseIds],
        )
      ).rows.map((row) => ({ caseId: row.case_id, seq: row.seq, type: row.type, stepId: row.step_id }));
    } finally {
      await client.end();
    }
    const problems = exactlyOnceProblems(accepted, recorded);
    // The workflow's own view agrees: two escalations and a plan on every case.
    for (const view of views) {
      const escalations = (view.escalations as unknown[] | undefined)?.length ?? 0;
      if (escalations !== 2) problems.push(`case ${String(view.caseId)}: the workflow shows ${escalations} escalations, 2 accepted`);
    }
    if (problems.length > 0) {
      log(`FAILED: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
      status = 1;
    } else {
      log(`passed: every accepted action recorded exactly once (${recorded.length} events)`);
      status = 0;
    }
  } catch (error) {
    log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    const [api, ...workers] = processes;
    const errors = (proc: Proc | undefined) => (proc?.output() ?? '').split('\n').filter((line) => /"level":"(error|warn)"/.test(line) && !line.includes('mail is off'));
    process.stdout.write(`--- API warnings and errors ---\n${errors(api).slice(-20).join('\n')}\n`);
    process.stdout.write(`--- last worker's output ---\n${workers.at(-1)?.output().slice(-2000) ?? ''}\n`);
    status = 1;
  } finally {
    driving = false;
    for (const proc of processes) await killed(proc);
    await server.stop();
    await database.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  }
  log(`done in ${elapsed()}`);
  return status;
}

process.exit(await main());
