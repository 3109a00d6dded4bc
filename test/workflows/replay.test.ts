/**
 * Replay safety: every recorded history in test/fixtures/histories (cases in every phase, with
 * timers, continue-as-new, escalations, refused and retried actions) must replay against the
 * current workflow bundle without a determinism error. A change that fails here would break the
 * cases running in production: gate it with `patched()` (README, "Changing workflow code").
 *
 * And the check can fail: a deliberately non-deterministic variant of the workflow is refused,
 * while the same change gated with `patched()` passes.
 */
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../src/temporal/workflowBundle';
import { REPO_ROOT } from '../support/paths';
import { loadReplayFixtures, REPLAY_DATA_CONVERTER, type ReplayFixture } from '../support/replay';
import { loadWorkflowBundle } from '../support/temporal';

async function replayAll(workflowBundle: { code: string } | { codePath: string }, fixtures: ReplayFixture[]): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const histories = fixtures.map(({ name, history }) => ({ workflowId: name, history }));
  for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter: REPLAY_DATA_CONVERTER }, histories)) {
    results.push(result);
  }
  return results;
}

/** "name: error" for each history that did not replay. */
function failures(results: ReplayResult[]): string[] {
  return results.filter((r) => r.error !== undefined).map((r) => `${r.workflowId}: ${r.error?.name}: ${r.error?.message}`);
}

// The breaking variant makes the SDK's core log a warning per history; expected here, so quiet.
if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

const { EventType } = proto.temporal.api.enums.v1;
const fixtures = loadReplayFixtures();

describe('recorded case histories replay against the current workflow code', () => {
  it('has fixtures of cases that continued as new, completed, fired timers and took updates', () => {
    const eventTypes = new Set(fixtures.flatMap((f) => (f.history.events ?? []).map((e) => e.eventType)));
    for (const type of ['WORKFLOW_EXECUTION_CONTINUED_AS_NEW', 'WORKFLOW_EXECUTION_COMPLETED', 'TIMER_FIRED', 'WORKFLOW_EXECUTION_UPDATE_COMPLETED'] as const) {
      expect(eventTypes, type).toContain(EventType[`EVENT_TYPE_${type}`]);
    }
  });

  it('replays every fixture without a determinism error', async () => {
    const results = await replayAll(loadWorkflowBundle(), fixtures);
    expect(results.map((r) => r.workflowId).sort()).toEqual(fixtures.map((f) => f.name).sort());
    expect(failures(results)).toEqual([]);
  });
});

describe('the replay check catches a change that would break running cases', () => {
  const bundle = (dir: string) =>
    bundleWorkflowCode({
      workflowsPath: path.join(REPO_ROOT, 'test', 'fixtures', dir, 'workflows.ts'),
      ...WORKFLOW_BUNDLE_OPTIONS,
      logger: new DefaultLogger('WARN'),
    });

  it('refuses a non-deterministic change, and accepts the same change behind patched()', async () => {
    const [breaking, gated] = await Promise.all([bundle('replay-breaking'), bundle('replay-patched')]);
    const broken = failures(await replayAll(breaking, fixtures));
    // Every history breaks: each starts with commands the variant no longer makes first.
    expect(broken).toHaveLength(fixtures.length);
    expect(broken.join('\n')).toMatch(/DeterminismViolationError|[Nn]ondeterminism/);
    expect(failures(await replayAll(gated, fixtures))).toEqual([]);
  }, 120_000);
});
