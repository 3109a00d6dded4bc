/**
 * docker-compose.yml cannot be run here (no Docker engine), so this checks what would otherwise
 * only fail at deploy time: the services are there, the app containers set only variables the
 * service reads, and their commands name npm scripts that exist.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARS } from '../../src/config';
import { REPO_ROOT } from '../support/paths';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: Record<string, unknown> | string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

// Merge keys (`<<: *app-env`) are YAML 1.1; compose supports them, so the parser must too.
const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const packageJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const APP_SERVICES = ['worker', 'api'] as const;

function envNames(service: ComposeService): string[] {
  const env = service.environment ?? {};
  return Array.isArray(env) ? env.map((entry) => entry.split('=')[0]!) : Object.keys(env);
}

function commandWords(service: ComposeService): string[] {
  const { command } = service;
  if (command === undefined) return [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Temporal, its UI and the worker and api built from this repo', () => {
    const services = compose.services;
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'worker', 'api']));
    expect(services.postgres?.image).toMatch(/^postgres:/);
    expect(services.temporal?.image).toMatch(/^temporalio\/(server|auto-setup):/);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    for (const name of APP_SERVICES) expect(services[name]?.build, name).toBeDefined();
  });

  it('configures Temporal for PostgreSQL and points the UI at it', () => {
    const temporalEnv = compose.services.temporal?.environment as Record<string, unknown>;
    expect(temporalEnv).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(compose.services['temporal-ui']?.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
  });

  it.each(APP_SERVICES)('%s sets only variables src/config.ts reads, and the ones it needs', (name) => {
    const service = compose.services[name]!;
    const names = envNames(service);
    expect(names.filter((v) => !CONFIG_ENV_VARS.includes(v))).toEqual([]);
    // Without these the container would fall back to PGlite / fail to find Temporal.
    expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']));
    const env = service.environment as Record<string, string>;
    expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\/[^@]+@postgres:5432\//);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it.each(APP_SERVICES)('%s runs an npm script that exists in package.json', (name) => {
    const words = commandWords(compose.services[name]!);
    expect(words.slice(0, 2)).toEqual(['npm', 'run']);
    const script = words.find((w, i) => i >= 2 && !w.startsWith('-'));
    expect(script).toBe(name);
    expect(packageJson.scripts[script!]).toBeDefined();
  });

  it('publishes the API on the port the api container listens on', () => {
    const api = compose.services.api as ComposeService & { ports?: string[] };
    const port = (api.environment as Record<string, string>).PORT;
    expect(api.ports).toContain(`${port}:${port}`);
  });
});
