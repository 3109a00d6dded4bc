/**
 * The service as a newcomer runs it: `npm start`'s entry point (src/main.ts) on embedded defaults,
 * in a child process, on free ports, with its data in a directory of the test's choosing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './paths';

export interface RunningService {
  child: ChildProcess;
  apiUrl: string;
  output: string[];
  exited: Promise<number | null>;
}

/** Starts src/main.ts and resolves once it prints that it is ready (or rejects with its output). */
export async function startService(dataDir: string, env: Record<string, string> = {}): Promise<RunningService> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', TEMPORAL_PORT: '0', TEMPORAL_UI_PORT: '0', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const apiUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in time:\n${output.join('')}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      for (const line of chunk.toString().split('\n')) {
        if (!line.startsWith('{')) continue;
        const record = JSON.parse(line) as { msg?: string; api?: string };
        if (record.msg === 'Fraværsforløb is ready' && record.api) {
          clearTimeout(timer);
          resolve(record.api);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)} before ready:\n${output.join('')}`));
    });
  });
  return { child, apiUrl, output, exited };
}
