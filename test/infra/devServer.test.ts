/**
 * The embedded Temporal (`npm start` without TEMPORAL_ADDRESS): cases must survive a restart of
 * the dev server, its process must be gone after stop(), and a busy port must not stop it.
 * Uses its own dev servers (not the run's shared one) because it restarts them.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPORAL_CLI, startDevServer, type DevServer } from '../../src/temporal/devServer';
import type { Logger } from '../../src/logger';
import { workflowIdForCase } from '../../src/temporal/names';
import { TEST_DATA_DIR } from '../support/paths';

const NAMESPACE = 'fravaer-test';
const dataDir = path.join(TEST_DATA_DIR, `devserver-${randomUUID()}`);
const running: DevServer[] = [];

async function start(extra: Partial<Parameters<typeof startDevServer>[0]> = {}): Promise<DevServer> {
  const server = await startDevServer({ dataDir, namespace: NAMESPACE, port: 0, uiPort: 0, ...extra });
  running.push(server);
  return server;
}

async function withClient<T>(server: DevServer, work: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: server.address });
  try {
    return await work(new Client({ connection, namespace: NAMESPACE }));
  } finally {
    await connection.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('Temporal dev server', () => {
  it('keeps a started case workflow across a stop and start on the same data dir', async () => {
    await mkdir(dataDir, { recursive: true });
    const first = await start();
    expect(first.dbFile).toBe(path.join(dataDir, 'temporal.sqlite'));
    expect(existsSync(first.dbFile!)).toBe(true);

    // Start only: nobody polls this queue, so the execution stays Running without workflow code.
    const workflowId = workflowIdForCase(`devserver-${randomUUID()}`);
    await withClient(first, (client) =>
      client.workflow.start('caseWorkflow', { taskQueue: `unpolled-${randomUUID()}`, workflowId, args: [] }),
    );

    await first.stop();
    expect(isAlive(first.pid)).toBe(false);
    expect(existsSync(first.dbFile!)).toBe(true);

    const second = await start();
    await withClient(second, async (client) => {
      const description = await client.workflow.getHandle(workflowId).describe();
      expect(description.status.name).toBe('RUNNING');
      expect(description.type).toBe('caseWorkflow');

      // Visibility (what the Temporal UI lists) survived too.
      const listed: string[] = [];
      for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
        listed.push(execution.workflowId);
      }
      expect(listed).toEqual([workflowId]);
    });
  });

  it('serves the Web UI at the URL it reports', async () => {
    const server = await start({ ephemeral: true });
    expect(server.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(server.uiUrl!);
    expect(response.status).toBe(200);
  });

  it('tells the Web UI the codec endpoint to decode payloads through', async () => {
    const server = await start({ ephemeral: true, uiCodecEndpoint: 'http://localhost:3000/codec' });
    const response = await fetch(`${server.uiUrl!}/api/v1/settings`);
    expect(response.status).toBe(200);
    const settings = (await response.json()) as { Codec?: { Endpoint?: string } };
    expect(settings.Codec?.Endpoint).toBe('http://localhost:3000/codec');
  });

  it('takes another port when the preferred one is busy', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const busyPort = (blocker.address() as net.AddressInfo).port;
    try {
      const server = await start({ ephemeral: true, headless: true, port: busyPort });
      expect(server.address).not.toBe(`127.0.0.1:${busyPort}`);
      expect(server.uiUrl).toBeUndefined();
      await withClient(server, async (client) => {
        const ns = await client.workflowService.describeNamespace({ namespace: NAMESPACE });
        expect(ns.namespaceInfo?.name).toBe(NAMESPACE);
      });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('when the server dies while starting (a port taken in between), then it is started again and answers', async () => {
    // A CLI that panics like the real one on its first start, then is the real one.
    const marker = path.join(dataDir, `died-once-${randomUUID()}`);
    const flaky = path.join(dataDir, `flaky-temporal-${randomUUID()}.sh`);
    await mkdir(dataDir, { recursive: true });
    await writeFile(
      flaky,
      `#!/bin/sh\nif [ ! -e '${marker}' ]; then : > '${marker}'; echo 'panic: listen tcp: address already in use' >&2; exit 2; fi\nexec '${DEFAULT_TEMPORAL_CLI}' "$@"\n`,
      { mode: 0o755 },
    );
    const warnings: string[] = [];
    const quiet = () => undefined;
    const logger: Logger = {
      debug: quiet,
      info: quiet,
      warn: (message) => {
        warnings.push(message);
      },
      error: quiet,
      child: () => logger,
      level: 'warn',
    };
    const server = await start({ ephemeral: true, headless: true, cliPath: flaky, logger });
    expect(existsSync(marker)).toBe(true);
    expect(warnings).toContain('Temporal dev server exited while starting; trying again on fresh ports');
    await withClient(server, async (client) => {
      const ns = await client.workflowService.describeNamespace({ namespace: NAMESPACE });
      expect(ns.namespaceInfo?.name).toBe(NAMESPACE);
    });
  });

  it('when the server dies on every start, then the error says so after the last attempt', async () => {
    const failing = path.join(dataDir, `failing-temporal-${randomUUID()}.sh`);
    await mkdir(dataDir, { recursive: true });
    await writeFile(failing, `#!/bin/sh\necho 'panic: cannot start' >&2\nexit 2\n`, { mode: 0o755 });
    await expect(start({ ephemeral: true, headless: true, cliPath: failing })).rejects.toThrow(/exited during start-up \(code 2[\s\S]*panic: cannot start/);
  });

  it('reports a missing CLI binary clearly', async () => {
    await expect(start({ cliPath: path.join(dataDir, 'no-such-temporal') })).rejects.toThrow(/Temporal CLI not found/);
  });
});
