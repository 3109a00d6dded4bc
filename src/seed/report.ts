/** Plain-text lines for the seed run: progress, the scenario and the result. No personal data. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/index';
import { workflowIdForCase } from '../temporal/names';
import type { Phase } from '../domain/schemas';
import type { SeedProgress, SeedRunResult } from './driver';
import type { ScenarioSummary } from './plan';
import { formatMs, summarizeTimings } from './stats';

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function progressLine(p: SeedProgress): string {
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? p.done / seconds : 0;
  const eta = rate > 0 ? duration(((p.total - p.done) / rate) * 1000) : '?';
  const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
  return (
    `seeded ${p.done}/${p.total} cases (${pct}%)  ${rate.toFixed(1)} cases/s  ` +
    `${(p.requests / Math.max(seconds, 1e-9)).toFixed(0)} calls/s  failed ${p.failed}  elapsed ${duration(p.elapsedMs)}  eta ${eta}`
  );
}

/** Memory in use: this process and, when this run started it, the dev server (it grows with every workflow). */
export function memoryNote(devServerRssBytes: number | undefined): string {
  const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GB`;
  const own = `  rss ${gb(process.memoryUsage().rss)}`;
  return devServerRssBytes === undefined ? own : `${own}, dev server ${gb(devServerRssBytes)}`;
}

export function scenarioLines(s: ScenarioSummary): string[] {
  const pct = (n: number) => `${((n / Math.max(s.cases, 1)) * 100).toFixed(1)}%`;
  const open = s.cases - s.byPhase.closed;
  return [
    `scenario: ${s.cases} cases, ${s.actions} actions (+ ${s.cases} openings), ${s.followUps} follow-ups, ${s.planRevisions} plan revisions`,
    `  expected phases: mapping ${s.byPhase.mapping}, action_plan ${s.byPhase.action_plan}, follow_up ${s.byPhase.follow_up}, closed ${s.byPhase.closed}` +
      `  (open today ${open} = ${pct(open)})`,
    `  closed at assessment ${s.closedAtAssessment} (${pct(s.closedAtAssessment)}), relapses ${s.relapses} (${pct(s.relapses)}),` +
      ` escalation level 0/1/2/3: ${s.byEscalationLevel.join('/')}`,
  ];
}

export function resultLines(r: SeedRunResult): string[] {
  const seconds = r.elapsedMs / 1000;
  const lines = [
    `done: ${r.done - r.failed}/${r.total} cases in ${seconds.toFixed(1)} s = ${((r.done - r.failed) / Math.max(seconds, 1e-9)).toFixed(2)} cases/s` +
      ` (${r.requests} service calls — openings and actions, each a workflow update — ${(r.requests / Math.max(seconds, 1e-9)).toFixed(1)} calls/s)` +
      `; failed ${r.failed}; differing from the script ${r.mismatches.length}` +
      (r.alreadyDone > 0 ? `; already seeded earlier ${r.alreadyDone}` : ''),
  ];
  for (const failure of r.failures.slice(0, 10)) {
    lines.push(`  case #${failure.index} failed at ${failure.step}: ${failure.code}: ${failure.detail}`);
  }
  if (r.failures.length > 10) lines.push(`  … and ${r.failures.length - 10} more failures`);
  for (const m of r.mismatches.slice(0, 10)) {
    lines.push(`  case #${m.index}: expected ${m.expected} (level ${m.expectedLevel}), the case is ${m.actual} (level ${m.actualLevel})`);
  }
  return lines;
}

/** The seeded cases as the read model holds them, by phase. */
export async function readModelPhases(db: Database, caseIds: readonly string[]): Promise<Record<Phase | 'missing', number>> {
  const ids = caseIds.filter((id) => id !== '');
  const rows = await db.query<{ phase: Phase; n: number }>(
    `SELECT phase, count(*)::int AS n FROM cases WHERE case_id IN (SELECT jsonb_array_elements_text($1::jsonb)) GROUP BY phase`,
    [JSON.stringify(ids)],
  );
  const out: Record<Phase | 'missing', number> = { mapping: 0, action_plan: 0, follow_up: 0, closed: 0, missing: 0 };
  let found = 0;
  for (const row of rows) {
    out[row.phase] = row.n;
    found += row.n;
  }
  out.missing = caseIds.length - found;
  return out;
}

/** Busy and total CPU ticks of the whole machine since boot (Linux /proc/stat), for a busy share. */
export function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((sum, x) => sum + x, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

export interface CostInput {
  result: SeedRunResult;
  activityMs: Readonly<Record<string, number[]>>;
  /** CPU seconds of this process during the run. */
  ownCpuSeconds: number;
  /** CPU seconds of the dev server during the run, when this run started it. */
  devServerCpuSeconds?: number | undefined;
  machineBefore?: { busy: number; total: number } | undefined;
  machineAfter?: { busy: number; total: number } | undefined;
}

/** Where the time went: request round trips, time inside activities, CPU by process. */
export function costLines(input: CostInput): string[] {
  const wall = input.result.elapsedMs / 1000;
  const lines: string[] = [];
  const requests = Object.entries(input.result.latencyMs).map(([step, samples]) => {
    const t = summarizeTimings(samples);
    return `${step} ${formatMs(t.medianMs)} / ${formatMs(t.p99Ms)} (n=${t.n})`;
  });
  lines.push(`service call round trips, median / p99 (open = start + read-back): ${requests.join(', ')}`);
  const activities = Object.entries(input.activityMs).map(([name, samples]) => {
    const t = summarizeTimings(samples);
    const total = samples.reduce((sum, x) => sum + x, 0) / 1000;
    return `${name} ${formatMs(t.medianMs)} / ${formatMs(t.p99Ms)} (n=${t.n}, ${total.toFixed(1)} s in all)`;
  });
  lines.push(`time inside activities, median / p99: ${activities.join(', ')}`);
  const cores = (seconds: number) => `${seconds.toFixed(1)} s = ${(seconds / Math.max(wall, 1e-9)).toFixed(2)} cores`;
  let cpu = `CPU over ${wall.toFixed(1)} s: this process (client, worker, activities) ${cores(input.ownCpuSeconds)}`;
  if (input.devServerCpuSeconds !== undefined) cpu += `, Temporal dev server ${cores(input.devServerCpuSeconds)}`;
  if (input.machineBefore && input.machineAfter) {
    const busy = input.machineAfter.busy - input.machineBefore.busy;
    const total = input.machineAfter.total - input.machineBefore.total;
    cpu += `; whole machine ${((busy / Math.max(total, 1)) * 100).toFixed(0)} % busy of ${os.cpus().length} cores`;
  }
  lines.push(cpu);
  return lines;
}

/**
 * Temporal's own record of what the requests cost: the history length of a sample of the seeded
 * cases' workflows, per request sent to them (each request is an update, or the start plus the
 * read-back of the opening).
 */
export async function historyLines(
  client: Client,
  result: SeedRunResult,
  requestsPerCase: (index: number) => number,
  sample = 20,
): Promise<string[]> {
  const picked = result.caseIds
    .map((caseId, index) => ({ caseId, index }))
    .filter((entry) => entry.caseId !== '')
    .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / sample)) === 0)
    .slice(0, sample);
  let events = 0;
  let requests = 0;
  const types = new Map<string, number>();
  for (const { caseId, index } of picked) {
    const handle = client.workflow.getHandle(workflowIdForCase(caseId));
    const history = await handle.fetchHistory();
    for (const event of history.events ?? []) {
      events += 1;
      types.set(eventName(event), (types.get(eventName(event)) ?? 0) + 1);
    }
    requests += requestsPerCase(index);
  }
  if (picked.length === 0 || requests === 0) return [];
  const byType = [...types.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([type, n]) => `${type} ${(n / requests).toFixed(2)}`)
    .join(', ');
  return [
    `workflow histories (${picked.length} cases sampled): ${(events / picked.length).toFixed(0)} events per case, ${(events / requests).toFixed(1)} per Temporal request (start or update); per request: ${byType}`,
  ];
}

/** An event's kind, from the one `…EventAttributes` field it carries (e.g. "activityTaskScheduled"). */
function eventName(event: object): string {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventAttributes') && value !== null && value !== undefined) return key.slice(0, -'EventAttributes'.length);
  }
  return 'unknown';
}
