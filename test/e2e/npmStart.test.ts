/**
 * The service as a newcomer runs it: `npm start`'s entry point on embedded defaults (Temporal dev
 * server and PGlite in DATA_DIR). A case opened before a restart is still there, and still moving,
 * after it; Ctrl-C leaves no process behind.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths';
import { startService, type RunningService as Running } from '../support/service';

/** `npm run token` as a newcomer runs it, against the same DATA_DIR as the service. */
async function localToken(dataDir: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
  });
  return stdout.trim();
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const openBody = {
  pupilRef: 'P-E2E-1',
  schoolId: 'S-E2E',
  grade: 3,
  tovholder: 'tovholder-e2e',
  openedOn: '2026-01-05',
  concern: { source: 'parents' },
};

describe('npm start on embedded defaults', () => {
  let dataDir: string;
  let running: Running | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fravaer-e2e-'));
  });

  afterAll(async () => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when the service is stopped with Ctrl-C and started again, then the case is still there and still takes actions, and nothing is left running', async () => {
    running = await startService(dataDir);
    const health = await fetch(`${running.apiUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', temporal: 'ok', database: 'ok' });
    expect((await fetch(`${running.apiUrl}/api/cases?schoolId=S-E2E`)).status, 'no token, no cases').toBe(401);

    // Signed by the key the service keeps in DATA_DIR: still valid after the restart below.
    const token = await localToken(dataDir, ['--role', 'tovholder', '--school', 'S-E2E', '--sub', 'tovholder-e2e']);
    const auth = { authorization: `Bearer ${token}` };
    const opened = await fetch(`${running.apiUrl}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(openBody),
    });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    const done = await fetch(`${running.apiUrl}/api/cases/${caseId}/steps/pupil_conversation/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: '{}',
    });
    expect(done.status).toBe(200);

    const devServerPid = running.output
      .join('')
      .split('\n')
      .map((line) => /"devServerPid":(\d+)/.exec(line)?.[1])
      .find((pid) => pid !== undefined);
    expect(devServerPid).toBeDefined();
    expect(processAlive(Number(devServerPid))).toBe(true);

    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
    expect(processAlive(Number(devServerPid))).toBe(false);

    running = await startService(dataDir);
    const after = await fetch(`${running.apiUrl}/api/cases/${caseId}`, { headers: auth });
    expect(after.status).toBe(200);
    const view = (await after.json()) as { steps: { stepId: string; status: string }[] };
    expect(view.steps.find((step) => step.stepId === 'pupil_conversation')?.status).toBe('done');

    // The workflow survived too: it still takes the tovholder's next action.
    const next = await fetch(`${running.apiUrl}/api/cases/${caseId}/steps/parent_conversation/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: '{}',
    });
    expect(next.status).toBe(200);
    const listed = (await (await fetch(`${running.apiUrl}/api/cases?schoolId=S-E2E`, { headers: auth })).json()) as { items: unknown[] };
    expect(listed.items).toHaveLength(1);

    running.child.kill('SIGINT');
    expect(await running.exited).toBe(0);
  }, 240_000);
});
