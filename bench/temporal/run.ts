/**
 * `npm run bench -- temporal [--quick] [--rounds 200] [--throughput-seconds 15] [--users 8,32]
 *                            [--cached 500,1000,2000] [--heap-cases 300] [--out FILE]`
 *
 * What a case action costs next to bare Temporal, on one Temporal dev server of the bench's own
 * (SQLite in a temporary directory), with the service's real worker, activities and HTTP API:
 * 1. latency, interleaved round by round: opening a case and completing a step over HTTP, a bare
 *    start plus one update and a bare update on a no-op workflow, and the same with an update that
 *    runs one local activity writing one row to the same database (the floor for a durable action);
 *    median, p99 and the ratios to the floor;
 * 2. throughput at 8 and 32 concurrent users (an opening plus an action each), for all three;
 * 3. worker RSS per cached case at 0/500/1,000/2,000 cached cases, a worker in a child process
 *    (the same for the no-op workflow), and its heap per cached case with the workflows on the
 *    main thread (`debugMode`), where a heap snapshot can see them;
 * 4. a two-year case (a seeded case's script, dated back): its event count, history bytes and
 *    how long a cold replay of it takes, next to the floor workflow with as many workflow tasks.
 * Prints a table and writes everything to a JSON file (default data/bench/temporal-<time>.json).
 * PostgreSQL: schema `bench_temporal` of BENCH_TEMPORAL_DATABASE_URL's database (default the test
 * server), dropped and made again each run.
 */
import { fork } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import { createTokenVerifier, DEFAULT_AUDIENCE, generateSigningKey, LOCAL_ISSUER, localKeys, signToken } from '../../src/access';
import { createApp } from '../../src/api/app';
import { createCaseService } from '../../src/api/caseService';
import { danishDateOf } from '../../src/domain/dates';
import type { OpenCaseInput } from '../../src/domain/schemas';
import { createLogger } from '../../src/logger';
import { runScripts } from '../../src/seed/driver';
import { generateScenario, type CaseScript } from '../../src/seed/plan';
import { machineTicks } from '../../src/seed/report';
import { startSeedStack, type SeedStack } from '../../src/seed/stack';
import { formatMs, summarizeTimings, type TimingSummary } from '../../src/seed/stats';
import { caseDataConverter } from '../../src/temporal/dataConverter';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../src/temporal/workflowBundle';
import { Keyring } from '../../src/temporal/keyring';
import { workflowIdForCase } from '../../src/temporal/names';
import { WORKFLOWS_PATH } from '../../src/worker';
import { createFloorActivities, FLOOR_TABLE_SQL } from './floorActivities';
import type { MemoryWorkerAnswer, MemoryWorkerRequest, MemoryWorkerSpec } from './memoryWorker';
import { bareWorkflow, bumpUpdate, floorWorkflow, recordUpdate } from './workflows';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dbench_temporal';
const BARE_QUEUE = 'bench-bare';
/** The issue's targets (issue 12): ratios to the floor, memory, the long case. */
const TARGETS = {
  actionMedianRatio: 1.5,
  actionP99Ratio: 2,
  openMedianRatio: 1.5,
  throughputShare: 0.6,
  rssPerCachedCaseMb: 0.5,
  longCaseEvents: 600,
  longCaseHistoryBytes: 256 * 1024,
  longCaseReplayMs: 100,
};

const print = (line = '') => process.stdout.write(`${line}\n`);
export class TemporalBenchFailure extends Error {}

interface Options {
  rounds: number;
  throughputSeconds: number;
  users: number[];
  cached: number[];
  heapCases: number;
  out: string | undefined;
  /** The parts to run (default all): latency, throughput, memory, long. */
  only: Set<string>;
}

function numbers(name: string, text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  const list = text.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 0)) throw new TemporalBenchFailure(`--${name} must be whole numbers, comma-separated`);
  return list;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      'throughput-seconds': { type: 'string' },
      users: { type: 'string' },
      cached: { type: 'string' },
      'heap-cases': { type: 'string' },
      out: { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick || process.env.BENCH_QUICK === '1';
  const one = (name: string, text: string | undefined, fallback: number) => numbers(name, text, [fallback])[0] ?? fallback;
  return {
    rounds: one('rounds', values.rounds, quick ? 30 : 200),
    throughputSeconds: one('throughput-seconds', values['throughput-seconds'], quick ? 5 : 15),
    users: numbers('users', values.users, [8, 32]),
    cached: numbers('cached', values.cached, quick ? [100, 200] : [500, 1000, 2000]).filter((n) => n > 0).sort((a, b) => a - b),
    heapCases: one('heap-cases', values['heap-cases'], quick ? 50 : 300),
    out: values.out,
    only: new Set((values.only ?? 'latency,throughput,memory,long').split(',')),
  };
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function listen(app: http.RequestListener): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const startedAt = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - startedAt) / 1e6;
};

/** The three ways of doing "open, then act", each as two calls the bench can time apart. */
interface Path {
  name: string;
  open(key: string): Promise<string>;
  act(id: string, key: string): Promise<void>;
}

function httpPath(base: string, token: string, today: string): Path {
  const post = async (url: string, key: string, body: unknown): Promise<unknown> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new TemporalBenchFailure(`POST ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  return {
    name: 'case over HTTP',
    async open(key) {
      const input: OpenCaseInput = { pupilRef: `B-${key}`, schoolId: 'S01', grade: 5, tovholder: 'tovholder-bench', openedOn: today, concern: { source: 'parents' } };
      const view = (await post(`${base}/api/cases`, key, input)) as { caseId?: string };
      if (typeof view.caseId !== 'string') throw new TemporalBenchFailure('POST /api/cases answered no caseId');
      return view.caseId;
    },
    async act(caseId, key) {
      await post(`${base}/api/cases/${caseId}/steps/class_community/complete`, key, {});
    },
  };
}

function barePath(client: Client, kind: 'bare' | 'floor'): Path {
  return {
    name: kind === 'bare' ? 'bare no-op workflow' : 'floor: update + local activity row',
    async open(key) {
      const workflowId = `bench-${kind}-${key}`;
      if (kind === 'bare') {
        await client.workflow.start(bareWorkflow, { taskQueue: BARE_QUEUE, workflowId });
        await client.workflow.getHandle(workflowId).executeUpdate(bumpUpdate, { args: [{ note: 'open' }] });
      } else {
        await client.workflow.start(floorWorkflow, { taskQueue: BARE_QUEUE, workflowId, args: [workflowId] });
        await client.workflow.getHandle(workflowId).executeUpdate(recordUpdate, { args: [{ note: 'open' }] });
      }
      return workflowId;
    },
    async act(workflowId, key) {
      const handle = client.workflow.getHandle(workflowId);
      await handle.executeUpdate(kind === 'bare' ? bumpUpdate : recordUpdate, { args: [{ note: 'act' }], updateId: key });
    },
  };
}

interface LatencyResult {
  open: Record<string, TimingSummary>;
  act: Record<string, TimingSummary>;
  /** Calls that failed (left out of the timings), by path. */
  failed: Record<string, number>;
}

/** Failed calls are counted and shown, not timed; past 5 % of a part's calls the bench stops. */
function tolerate(failed: Record<string, number>, name: string, error: unknown, calls: number): void {
  failed[name] = (failed[name] ?? 0) + 1;
  const total = Object.values(failed).reduce((sum, n) => sum + n, 0);
  print(`  ${name}: a call failed (${error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error)})`);
  if (total > Math.max(3, calls * 0.05)) throw new TemporalBenchFailure(`${total} calls failed; stopping`);
}

/** One round: each path opens once and acts once on what it opened; the order rotates per round. */
async function latency(paths: Path[], rounds: number, runId: string): Promise<LatencyResult> {
  const open: Record<string, number[]> = {};
  const act: Record<string, number[]> = {};
  const failed: Record<string, number> = {};
  const calls = rounds * paths.length * 2;
  const warmup = Math.min(10, Math.max(2, Math.floor(rounds / 10)));
  for (let round = -warmup; round < rounds; round += 1) {
    const order = paths.map((_, i) => paths[(i + Math.abs(round)) % paths.length] as Path);
    const opened = new Map<Path, string>();
    for (const p of order) {
      let id = '';
      try {
        const ms = await timed(async () => {
          id = await p.open(`${runId}-l${round}-${paths.indexOf(p)}`);
        });
        opened.set(p, id);
        if (round >= 0) (open[p.name] ??= []).push(ms);
      } catch (error) {
        tolerate(failed, p.name, error, calls);
      }
    }
    for (const p of order) {
      const id = opened.get(p);
      if (id === undefined) continue;
      try {
        const ms = await timed(() => p.act(id, `${runId}-l${round}-${paths.indexOf(p)}-act`));
        if (round >= 0) (act[p.name] ??= []).push(ms);
      } catch (error) {
        tolerate(failed, p.name, error, calls);
      }
    }
  }
  const summarize = (samples: Record<string, number[]>) => Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarizeTimings(v)]));
  return { open: summarize(open), act: summarize(act), failed };
}

interface ThroughputResult {
  users: number;
  path: string;
  operations: number;
  failed: number;
  seconds: number;
  perSecond: number;
  /** CPU ms per operation: this process (API, client, worker) and the dev server. */
  benchCpuMsPerOp: number;
  devServerCpuMsPerOp: number | undefined;
}

async function throughput(p: Path, users: number, seconds: number, runId: string, stack: SeedStack): Promise<ThroughputResult> {
  const until = Date.now() + seconds * 1000;
  let operations = 0;
  const failed: Record<string, number> = {};
  const cpuBefore = process.cpuUsage();
  const devBefore = stack.devServerCpuSeconds();
  const startedAt = process.hrtime.bigint();
  await Promise.allSettled(
    Array.from({ length: users }, async (_, user) => {
      for (let i = 0; Date.now() < until; i += 1) {
        const key = `${runId}-t${users}-${user}-${i}`;
        try {
          const id = await p.open(key);
          await p.act(id, `${key}-act`);
          operations += 1;
        } catch (error) {
          // A saturated service answering 503 is a result here, not a reason to stop: counted.
          failed[p.name] = (failed[p.name] ?? 0) + 1;
          if ((failed[p.name] ?? 0) <= 3) print(`  ${p.name}: a call failed (${error instanceof Error ? error.message.slice(0, 200) : String(error)})`);
        }
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const devAfter = stack.devServerCpuSeconds();
  return {
    users,
    path: p.name,
    operations,
    failed: failed[p.name] ?? 0,
    seconds: elapsed,
    perSecond: operations / elapsed,
    benchCpuMsPerOp: (cpu.user + cpu.system) / 1000 / Math.max(operations, 1),
    devServerCpuMsPerOp: devBefore !== undefined && devAfter !== undefined ? ((devAfter - devBefore) * 1000) / Math.max(operations, 1) : undefined,
  };
}

/**
 * With BENCH_CPU_PROFILE=DIR, a CPU profile of this process's main thread (the API, the client and
 * the worker's activities) while `work` runs, written to DIR/<name>.cpuprofile.
 */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${name.replace(/[^\w-]+/g, '_')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

interface MemoryPoint {
  cached: number;
  rssMb: number;
  heapUsedMb: number;
}

interface MemoryResult {
  kind: 'case' | 'bare';
  debugMode: boolean;
  points: MemoryPoint[];
  rssMbPerCached: number | undefined;
  heapMbPerCached: number | undefined;
  snapshots: string[];
}

class ChildWorker {
  private waiting: ((answer: MemoryWorkerAnswer) => void) | undefined;
  private readonly ready: Promise<void>;
  private constructor(private readonly child: ReturnType<typeof fork>) {
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (answer: MemoryWorkerAnswer) => {
        if (answer.type === 'ready') resolve();
        else if (answer.type === 'failed') reject(new TemporalBenchFailure(`the measured worker failed: ${answer.message}`));
        else this.waiting?.(answer);
      });
      child.once('exit', (code) => reject(new TemporalBenchFailure(`the measured worker exited (${code})`)));
    });
  }
  static async start(spec: MemoryWorkerSpec): Promise<ChildWorker> {
    const child = fork(path.join(here, 'memoryWorker.ts'), [JSON.stringify(spec)], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker = new ChildWorker(child);
    await worker.ready;
    return worker;
  }
  ask(request: MemoryWorkerRequest): Promise<MemoryWorkerAnswer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.child.send(request);
    });
  }
  async measure(): Promise<{ rssBytes: number; heapUsedBytes: number; cached: number }> {
    const answer = await this.ask({ type: 'measure' });
    if (answer.type !== 'measured') throw new TemporalBenchFailure('the measured worker answered out of turn');
    return answer;
  }
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies MemoryWorkerRequest);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

async function inParallel(count: number, concurrency: number, run: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        await run(i);
      }
    }),
  );
}

/**
 * Workflows opened one milestone after another onto a worker in a child process with a cache
 * bigger than the last milestone; at each, the child's memory once its cache holds them all.
 */
async function memory(
  kind: 'case' | 'bare',
  milestones: number[],
  context: { stack: SeedStack; spec: Omit<MemoryWorkerSpec, 'kind' | 'taskQueue' | 'bundlePath' | 'maxCachedWorkflows' | 'debugMode'>; caseBundle: string; bareBundle: string; today: string; runId: string; snapshotDir?: string },
  debugMode: boolean,
): Promise<MemoryResult> {
  const taskQueue = `bench-memory-${kind}-${debugMode ? 'heap' : 'rss'}-${context.runId}`;
  const last = milestones.at(-1) ?? 0;
  const child = await ChildWorker.start({
    ...context.spec,
    kind,
    taskQueue,
    bundlePath: kind === 'case' ? context.caseBundle : context.bareBundle,
    maxCachedWorkflows: last + 100,
    debugMode,
  });
  const { client, store } = context.stack;
  const service = createCaseService({ client, store, taskQueue });
  const points: MemoryPoint[] = [];
  const snapshots: string[] = [];
  const record = async (cached: number) => {
    // Wait until the cache holds what was opened (the last tasks may still be finishing).
    let measured = await child.measure();
    for (let i = 0; i < 50 && measured.cached < cached; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      measured = await child.measure();
    }
    points.push({ cached: measured.cached, rssMb: measured.rssBytes / 2 ** 20, heapUsedMb: measured.heapUsedBytes / 2 ** 20 });
    print(`  ${kind}${debugMode ? ' (debugMode)' : ''}: ${measured.cached} cached, rss ${(measured.rssBytes / 2 ** 20).toFixed(0)} MB, main heap ${(measured.heapUsedBytes / 2 ** 20).toFixed(0)} MB`);
    if (context.snapshotDir !== undefined) {
      const answer = await child.ask({ type: 'snapshot', file: path.join(context.snapshotDir, `${kind}-${measured.cached}.heapsnapshot`) });
      if (answer.type === 'snapshot') snapshots.push(answer.file);
    }
  };
  try {
    // One workflow first, so the bundle's shared context and the first activation are in the base line.
    let opened = 0;
    // Retried (the same idempotency key opens the same case once): on a loaded machine an
    // opening can outlast the service's wait and answer 503 while the case still opens.
    const openOne = async (i: number) => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await openOnce(i);
        } catch (error) {
          if (attempt >= 4) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
        }
      }
    };
    const openOnce = async (i: number) => {
      const key = `${context.runId}-m${kind}${debugMode ? 'h' : 'r'}-${i}`;
      if (kind === 'case') {
        await service.openCase(
          { pupilRef: `M-${i}`, schoolId: 'S01', grade: 5, tovholder: 'tovholder-bench', openedOn: context.today, concern: { source: 'parents' } },
          key,
        );
      } else {
        const workflowId = `bench-mem-${key}`;
        await client.workflow.start(bareWorkflow, { taskQueue, workflowId });
        await client.workflow.getHandle(workflowId).executeUpdate(bumpUpdate, { args: [{ note: 'open' }] });
      }
    };
    await openOne(0);
    opened = 1;
    await record(1);
    for (const milestone of milestones) {
      const from = opened;
      await inParallel(milestone - from, 16, (i) => openOne(from + i));
      opened = milestone;
      await record(milestone);
    }
  } finally {
    await child.stop();
  }
  const first = points[0];
  const lastPoint = points.at(-1);
  const span = first && lastPoint ? lastPoint.cached - first.cached : 0;
  return {
    kind,
    debugMode,
    points,
    rssMbPerCached: first && lastPoint && span > 0 ? (lastPoint.rssMb - first.rssMb) / span : undefined,
    heapMbPerCached: first && lastPoint && span > 0 ? (lastPoint.heapUsedMb - first.heapUsedMb) / span : undefined,
    snapshots,
  };
}

const shiftDate = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The seeded scenario's oldest still-open case with the most actions, dated back by `days` (26 weeks keeps the weekdays). */
function longCaseScript(today: string, days: number, key: string): CaseScript {
  const scripts = generateScenario({ cases: 2000, seed: 7, today, keyPrefix: key });
  const open = scripts.filter((s) => s.expected.phase !== 'closed' && s.relapseOf === undefined);
  const oldest = [...open].sort((a, b) => a.open.openedOn.localeCompare(b.open.openedOn) || b.actions.length - a.actions.length)[0];
  if (oldest === undefined) throw new TemporalBenchFailure('the scenario has no open case');
  const text = JSON.stringify(oldest).replace(/"(\d{4}-\d{2}-\d{2})"/g, (_, date: string) => `"${shiftDate(date, -days)}"`);
  return { ...(JSON.parse(text) as CaseScript), key: `${key}-long`, index: 0 };
}

interface LongCaseResult {
  openedOn: string;
  ageDays: number;
  actions: number;
  runs: number;
  events: number;
  historyBytes: number;
  lastRunEvents: number;
  lastRunHistoryBytes: number;
  /** Workflow tasks in the last run. */
  workflowTasks: number;
  replayMs: TimingSummary;
  /** The floor workflow with as many workflow tasks (an update and its local activity each), replayed the same way. */
  floorEvents: number;
  floorReplayMs: TimingSummary;
}

async function longCase(stack: SeedStack, caseBundle: string, bareBundle: string, dataConverter: ReturnType<typeof caseDataConverter>, today: string, runId: string): Promise<LongCaseResult> {
  let script = longCaseScript(today, 182, runId);
  let result = await runScripts(stack.service, [script], { concurrency: 1 });
  if (result.failed > 0) {
    // Dated back, an action may land on a day the rules refuse: then the case as seeded (about 1.5 years).
    print(`  the case dated back two years was refused (${result.failures[0]?.code ?? '?'}); using it as seeded`);
    script = longCaseScript(today, 0, `${runId}-b`);
    result = await runScripts(stack.service, [script], { concurrency: 1 });
    if (result.failed > 0) throw new TemporalBenchFailure(`the long case failed: ${result.failures[0]?.code ?? '?'} ${result.failures[0]?.detail ?? ''}`);
  }
  const caseId = result.caseIds[0] ?? '';
  const workflowId = workflowIdForCase(caseId);
  // Every run of the case (continue-as-new starts a new one), oldest first.
  const histories: proto.temporal.api.history.v1.IHistory[] = [];
  let runId2: string | undefined = (await stack.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId2) {
    const history: proto.temporal.api.history.v1.IHistory = await stack.client.workflow.getHandle(workflowId, runId2).fetchHistory();
    histories.unshift(history);
    const previous: string | null | undefined = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    runId2 = previous ? previous : undefined;
  }
  const bytes = (h: proto.temporal.api.history.v1.IHistory) => proto.temporal.api.history.v1.History.encode(h).finish().length;
  const lastRun = histories.at(-1) ?? {};
  // Cold replays of the last run (each a new workflow on the replay worker: a cache miss).
  const replayMs = await profiled('long-case-replay', () => coldReplays(caseBundle, dataConverter, workflowId, lastRun));
  // The same number of workflow tasks, each an update with its local activity, on the floor
  // workflow: what replaying that many tasks costs the SDK with next to no workflow code.
  const tasks = (lastRun.events ?? []).filter((event) => event.eventType === proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length;
  const floorId = `bench-floor-replay-${runId}`;
  const floor = await stack.client.workflow.start(floorWorkflow, { taskQueue: BARE_QUEUE, workflowId: floorId, args: [floorId] });
  for (let i = 1; i < tasks; i += 1) await floor.executeUpdate(recordUpdate, { args: [{ note: 'replay' }] });
  const floorHistory = await floor.fetchHistory();
  const floorReplayMs = await coldReplays(bareBundle, dataConverter, floorId, floorHistory);
  return {
    openedOn: script.open.openedOn,
    ageDays: Math.round((Date.parse(today) - Date.parse(script.open.openedOn)) / 86_400_000),
    actions: script.actions.length,
    runs: histories.length,
    events: histories.reduce((n, h) => n + (h.events?.length ?? 0), 0),
    historyBytes: histories.reduce((n, h) => n + bytes(h), 0),
    lastRunEvents: lastRun.events?.length ?? 0,
    lastRunHistoryBytes: bytes(lastRun),
    workflowTasks: tasks,
    replayMs,
    floorEvents: floorHistory.events?.length ?? 0,
    floorReplayMs,
  };
}

/** Eleven cold replays of one history (each a new workflow on the replay worker: a cache miss); the first, which includes the replay worker's start, is left out. */
async function coldReplays(bundle: string, dataConverter: ReturnType<typeof caseDataConverter>, workflowId: string, history: proto.temporal.api.history.v1.IHistory): Promise<TimingSummary> {
  const samples: number[] = [];
  const inputs = Array.from({ length: 11 }, () => ({ workflowId, history }));
  let mark = process.hrtime.bigint();
  for await (const outcome of Worker.runReplayHistories({ workflowBundle: { codePath: bundle }, dataConverter, replayName: `bench-replay-${workflowId}` }, inputs)) {
    const now = process.hrtime.bigint();
    if (outcome.error) throw new TemporalBenchFailure(`${workflowId} did not replay: ${outcome.error.name}`);
    samples.push(Number(now - mark) / 1e6);
    mark = now;
  }
  return summarizeTimings(samples.slice(1));
}

function tableLines(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : Number.NaN);
const x = (r: number) => (Number.isNaN(r) ? '-' : `${r.toFixed(2)}×`);
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

export async function runTemporalBench(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const startedAt = new Date();
  const load = { before: os.loadavg(), machineBefore: machineTicks() };
  const rawUrl = process.env.BENCH_TEMPORAL_DATABASE_URL || DEFAULT_URL;
  const schema = /search_path(?:=|%3D)([a-z_][a-z0-9_]*)/i.exec(rawUrl)?.[1] ?? 'bench_temporal';
  await onServer(rawUrl, `DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"`);
  const today = danishDateOf(new Date());
  const runId = startedAt.getTime().toString(36);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'fravaer-bench-temporal-'));
  const keyring = Keyring.generate('bench');
  const key = keyring.current();
  const payloadKeys = `${key.id}:${Buffer.from(key.key).toString('base64')}`;
  const dataConverter = caseDataConverter(keyring);
  const logger = new DefaultLogger('WARN');

  print(`temporal bench: ${options.rounds} interleaved rounds, throughput ${options.throughputSeconds} s at ${options.users.join('/')} users, cached ${options.cached.join('/')}, heap ${options.heapCases}`);
  print(`machine: ${os.cpus().length} cores, load average ${load.before.map((n) => n.toFixed(2)).join(' ')}; database schema ${schema}`);
  print('bundling the case workflows and the bare workflows…');
  const caseBundle = path.join(scratch, 'case-bundle.js');
  const bareBundle = path.join(scratch, 'bare-bundle.js');
  await writeFile(caseBundle, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...WORKFLOW_BUNDLE_OPTIONS, logger })).code);
  await writeFile(bareBundle, (await bundleWorkflowCode({ workflowsPath: path.join(here, 'workflows.ts'), ...WORKFLOW_BUNDLE_OPTIONS, logger })).code);

  const stack = await startSeedStack({
    logger: createLogger({ level: 'warn', format: 'text' }),
    namespace: 'default',
    dataDir: scratch,
    ephemeralTemporal: false,
    temporalPort: 0,
    databaseUrl: rawUrl,
    dataConverter,
    workflowBundle: { codePath: caseBundle },
  });
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  let bareConnection: NativeConnection | undefined;
  let bareWorker: Worker | undefined;
  let bareRunning: Promise<void> | undefined;
  try {
    await stack.db.query(FLOOR_TABLE_SQL);
    bareConnection = await NativeConnection.connect({ address: stack.temporalAddress });
    bareWorker = await Worker.create({
      connection: bareConnection,
      namespace: 'default',
      taskQueue: BARE_QUEUE,
      workflowBundle: { codePath: bareBundle },
      activities: createFloorActivities(stack.db),
      dataConverter,
    });
    bareRunning = bareWorker.run();

    let apiErrors = 0;
    const signingKey = await generateSigningKey('bench');
    const tokens = createTokenVerifier({ keys: localKeys({ keys: [signingKey.publicJwk] }), issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE });
    const token = await signToken(signingKey, { sub: 'bench-leader', role: 'leader', schools: ['S01'], issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE });
    server = await listen(
      createApp({
        client: stack.client,
        store: stack.store,
        db: stack.db,
        tokens,
        taskQueue: stack.taskQueue,
        security: { requestsPerMinute: 100_000 },
        health: () => Promise.resolve({ temporal: true, database: true }),
        logError: (message, error) => {
          apiErrors += 1;
          if (apiErrors <= 5) print(`  API: ${message}: ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error)}`);
        },
      }),
    );
    const paths = { case: httpPath(server.base, token, today), bare: barePath(stack.client, 'bare'), floor: barePath(stack.client, 'floor') };

    print(`1. latency: ${options.rounds} rounds, each path opening once and acting once, interleaved`);
    const lat = options.only.has('latency') ? await latency([paths.case, paths.bare, paths.floor], options.rounds, runId) : { open: {}, act: {}, failed: {} };

    print(`2. throughput: ${options.throughputSeconds} s per path and user count`);
    const thr: ThroughputResult[] = [];
    for (const users of options.only.has('throughput') ? options.users : []) {
      for (const p of [paths.case, paths.bare, paths.floor]) {
        const result = await profiled(`throughput-${users}-${p.name}`, () => throughput(p, users, options.throughputSeconds, runId, stack));
        print(`  ${users} users, ${p.name}: ${result.perSecond.toFixed(1)} /s`);
        thr.push(result);
      }
    }

    print('3. worker memory per cached workflow, a worker in a child process');
    const snapshotDir = process.env.BENCH_HEAP_SNAPSHOTS ? path.resolve(process.env.BENCH_HEAP_SNAPSHOTS) : undefined;
    if (snapshotDir) await mkdir(snapshotDir, { recursive: true });
    const memContext = {
      stack,
      spec: { address: stack.temporalAddress, namespace: 'default', databaseUrl: rawUrl, payloadKeys },
      caseBundle,
      bareBundle,
      today,
      runId,
    };
    const mem: MemoryResult[] = [];
    const partFailures: string[] = [];
    // One part failing (a loaded machine timing out) leaves the others' figures standing.
    const part = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (error) {
        const message = `${name}: ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error)}`;
        print(`  part failed: ${message}`);
        partFailures.push(message);
        return undefined;
      }
    };
    const keep = (result: MemoryResult | undefined) => {
      if (result) mem.push(result);
    };
    if (options.only.has('memory')) {
      keep(await part('memory case', () => memory('case', options.cached, memContext, false)));
      keep(await part('memory bare', () => memory('bare', options.cached, memContext, false)));
    }
    if (options.only.has('memory') && options.heapCases > 0) {
      keep(await part('heap case', () => memory('case', [options.heapCases], { ...memContext, ...(snapshotDir ? { snapshotDir } : {}) }, true)));
      keep(await part('heap bare', () => memory('bare', [options.heapCases], memContext, true)));
    }

    print('4. a long case: history and replay');
    const long = options.only.has('long') ? await part('long case', () => longCase(stack, caseBundle, bareBundle, dataConverter, today, runId)) : undefined;

    // ---- the table ----
    const floorName = paths.floor.name;
    const rows: string[][] = [];
    for (const [what, group] of [
      ['open', lat.open],
      ['act', lat.act],
    ] as const) {
      const floor = group[floorName];
      for (const [name, t] of Object.entries(group)) {
        rows.push([`${what}: ${name}`, String(t.n), String(lat.failed[name] ?? 0), formatMs(t.medianMs), formatMs(t.p99Ms), x(ratio(t.medianMs, floor?.medianMs)), x(ratio(t.p99Ms, floor?.p99Ms))]);
      }
    }
    print();
    for (const line of tableLines(['latency (interleaved)', 'n', 'failed', 'median', 'p99', 'median/floor', 'p99/floor'], rows)) print(line);
    print();
    const thrRows = thr.map((t) => {
      const floor = thr.find((f) => f.users === t.users && f.path === floorName);
      return [
        `${t.users} users: ${t.path}`,
        String(t.operations),
        String(t.failed),
        `${t.perSecond.toFixed(1)}/s`,
        `${((t.perSecond / (floor?.perSecond ?? Number.NaN)) * 100).toFixed(0)} %`,
        `${t.benchCpuMsPerOp.toFixed(1)} ms`,
        t.devServerCpuMsPerOp === undefined ? '-' : `${t.devServerCpuMsPerOp.toFixed(1)} ms`,
      ];
    });
    for (const line of tableLines(['throughput (open + act)', 'ops', 'failed', 'rate', 'of floor', 'CPU/op bench', 'CPU/op server'], thrRows)) print(line);
    print();
    const memRows = mem.map((m) => [
      `${m.kind}${m.debugMode ? ' (workflows on main thread)' : ''}`,
      m.points.map((p) => `${p.cached}:${p.rssMb.toFixed(0)}`).join(' '),
      m.rssMbPerCached === undefined ? '-' : `${m.rssMbPerCached.toFixed(3)} MB`,
      m.debugMode ? (m.heapMbPerCached === undefined ? '-' : `${m.heapMbPerCached.toFixed(3)} MB`) : '-',
    ]);
    for (const line of tableLines(['worker memory', 'cached:RSS MB', 'RSS/cached', 'heap/cached'], memRows)) print(line);
    print();
    if (long) print(
      `long case: opened ${long.openedOn} (${long.ageDays} days ago), ${long.actions} actions, ${long.runs} run(s): ${long.events} events, ` +
        `${(long.historyBytes / 1024).toFixed(0)} KB of history (last run ${long.lastRunEvents} events, ${(long.lastRunHistoryBytes / 1024).toFixed(0)} KB); ` +
        `cold replay of the last run (${long.workflowTasks} workflow tasks) median ${formatMs(long.replayMs.medianMs)}, p99 ${formatMs(long.replayMs.p99Ms)}; ` +
        `the floor workflow with as many tasks (${long.floorEvents} events) median ${formatMs(long.floorReplayMs.medianMs)}, p99 ${formatMs(long.floorReplayMs.p99Ms)}`,
    );

    const caseMem = mem.find((m) => m.kind === 'case' && !m.debugMode);
    const targetRows: [string, string, string, boolean][] = [];
    const actR = ratio(lat.act[paths.case.name]?.medianMs, lat.act[floorName]?.medianMs);
    const actP = ratio(lat.act[paths.case.name]?.p99Ms, lat.act[floorName]?.p99Ms);
    const openR = ratio(lat.open[paths.case.name]?.medianMs, lat.open[floorName]?.medianMs);
    targetRows.push(['action median / floor', x(actR), `≤ ${TARGETS.actionMedianRatio}×`, actR <= TARGETS.actionMedianRatio]);
    targetRows.push(['action p99 / floor', x(actP), `≤ ${TARGETS.actionP99Ratio}×`, actP <= TARGETS.actionP99Ratio]);
    targetRows.push(['opening median / floor', x(openR), `≤ ${TARGETS.openMedianRatio}×`, openR <= TARGETS.openMedianRatio]);
    for (const users of options.users) {
      const share = ratio(thr.find((t) => t.users === users && t.path === paths.case.name)?.perSecond, thr.find((t) => t.users === users && t.path === floorName)?.perSecond);
      targetRows.push([`throughput at ${users} users / floor`, `${(share * 100).toFixed(0)} %`, `≥ ${TARGETS.throughputShare * 100} %`, share >= TARGETS.throughputShare]);
    }
    const rssPer = caseMem?.rssMbPerCached ?? Number.NaN;
    targetRows.push(['worker RSS per cached case', `${rssPer.toFixed(2)} MB`, `≤ ${TARGETS.rssPerCachedCaseMb} MB`, rssPer <= TARGETS.rssPerCachedCaseMb]);
    if (long) targetRows.push(['long case events', String(long.events), `< ${TARGETS.longCaseEvents}`, long.events < TARGETS.longCaseEvents]);
    if (long) targetRows.push(['long case history', `${(long.historyBytes / 1024).toFixed(0)} KB`, `< ${TARGETS.longCaseHistoryBytes / 1024} KB`, long.historyBytes < TARGETS.longCaseHistoryBytes]);
    if (long) targetRows.push(['long case replay (median)', formatMs(long.replayMs.medianMs), `< ${TARGETS.longCaseReplayMs} ms`, long.replayMs.medianMs < TARGETS.longCaseReplayMs]);
    // Parts not run this time leave no figure to judge.
    targetRows.splice(0, targetRows.length, ...targetRows.filter(([, measured]) => !/NaN|^-$/.test(measured)));
    print();
    for (const line of tableLines(['target (issue 12)', 'measured', 'target', 'verdict'], targetRows.map(([a, b, c, ok]) => [a, b, c, verdict(ok)]))) print(line);

    const machineAfter = machineTicks();
    const busy =
      load.machineBefore && machineAfter ? (machineAfter.busy - load.machineBefore.busy) / Math.max(machineAfter.total - load.machineBefore.total, 1) : undefined;
    print();
    print(`load average now ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}; the machine was ${busy === undefined ? '?' : `${(busy * 100).toFixed(0)} %`} busy over the run of ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);

    const out = options.out ?? path.resolve('data', 'bench', `temporal-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(
      out,
      `${JSON.stringify(
        {
          startedAt: startedAt.toISOString(),
          seconds: (Date.now() - startedAt.getTime()) / 1000,
          machine: { cores: os.cpus().length, loadAverageBefore: load.before, loadAverageAfter: os.loadavg(), busyShare: busy },
          options,
          latency: lat,
          throughput: thr,
          memory: mem,
          longCase: long,
          partFailures,
          targets: targetRows.map(([name, measured, target, ok]) => ({ name, measured, target, ok })),
        },
        null,
        2,
      )}\n`,
    );
    print(`written to ${out}`);
  } finally {
    await server?.close();
    if (bareWorker?.getState() === 'RUNNING') bareWorker.shutdown();
    await bareRunning?.catch(() => undefined);
    await bareConnection?.close().catch(() => undefined);
    await stack.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}
