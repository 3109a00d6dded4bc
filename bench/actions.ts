/**
 * `npm run bench:actions [-- --actions 100 --database-url postgres://…]`
 *
 * How long one case action takes over HTTP, the way `npm start` runs the service: src/main.ts in
 * a child process (its own Temporal dev server, the worker and the API in one process), the
 * database PGlite in a temporary DATA_DIR unless --database-url is given. Opens cases, then
 * completes their three mapping steps one request at a time, and prints the median and p99 of
 * the completions and of the openings, and the history size of one case (events and bytes).
 * Every sample is the wall time of one HTTP request; nothing else runs meanwhile.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { LOCAL_ISSUER, localSigningKey, signToken } from '../src/access';
import { loadConfig } from '../src/config';
import { workflowIdForCase } from '../src/temporal/names';

const STEPS = ['pupil_conversation', 'parent_conversation', 'class_community'] as const;

function nearestRank(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function summary(samples: readonly number[]): { n: number; median: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, median: Number(nearestRank(sorted, 50).toFixed(1)), p99: Number(nearestRank(sorted, 99).toFixed(1)) };
}

function danishToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** A port free now, so the bench knows where the dev server listens. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { actions: { type: 'string', default: '100' }, 'database-url': { type: 'string' } } });
  const actions = Number(values.actions);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-actions-'));
  const temporalPort = await freePort();
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: '0', TEMPORAL_PORT: String(temporalPort), TEMPORAL_UI_PORT: '0', LOG_FORMAT: 'json'};
  if (values['database-url'] !== undefined) env.DATABASE_URL = values['database-url'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  try {
    const apiUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output.join('')}`)), 120_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        for (const line of chunk.toString().split('\n')) {
          if (!line.startsWith('{')) continue;
          const record = JSON.parse(line) as { msg?: string; api?: string };
          if (record.msg === 'Fraværsforløb is ready' && record.api !== undefined) {
            clearTimeout(timer);
            resolve(record.api);
          }
        }
      });
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      child.once('exit', (code) => reject(new Error(`exited with ${String(code)}:\n${output.join('')}`)));
    });
    const key = await localSigningKey(dataDir);
    const school = 'S1';
    const { audience } = loadConfig({ ...process.env, ...env }).auth;
    const leader = await signToken(key, { sub: 'leader-bench', role: 'leader', schools: [school], issuer: LOCAL_ISSUER, audience });
    const tovholder = await signToken(key, { sub: 'tovholder-bench', role: 'tovholder', schools: [school], issuer: LOCAL_ISSUER, audience });
    const post = async (token: string, path: string, body: unknown, idempotencyKey: string): Promise<{ ms: number; json: unknown }> => {
      const started = process.hrtime.bigint();
      const res = await fetch(`${apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      });
      const json: unknown = await res.json();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
      return { ms, json };
    };
    const today = danishToday();
    const openings: number[] = [];
    const completions: number[] = [];
    let caseNo = 0;
    let firstCaseId = '';
    while (completions.length < actions) {
      caseNo += 1;
      const opened = await post(
        leader,
        '/api/cases',
        { pupilRef: `P-${caseNo}`, schoolId: school, grade: 6, tovholder: 'tovholder-bench', openedOn: today, concern: { source: 'parents' } },
        `bench-open-${caseNo}`,
      );
      openings.push(opened.ms);
      const caseId = (opened.json as { caseId: string }).caseId;
      if (firstCaseId === '') firstCaseId = caseId;
      for (const step of STEPS) {
        if (completions.length >= actions) break;
        const done = await post(tovholder, `/api/cases/${caseId}/steps/${step}/complete`, { completedOn: today }, `bench-${caseNo}-${step}`);
        completions.push(done.ms);
      }
    }
    // The history of one case that was opened and had its three mapping steps completed.
    const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
    const history = await new Client({ connection }).workflow.getHandle(workflowIdForCase(firstCaseId)).fetchHistory();
    await connection.close();
    const historyOfOneCase = { actions: 1 + STEPS.length, events: history.events?.length ?? 0, bytes: proto.temporal.api.history.v1.History.encode(history).finish().length };
    const result = { at: new Date().toISOString(), load: (await import('node:os')).loadavg(), completions: summary(completions), openings: summary(openings), historyOfOneCase };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
