/**
 * The process configuration, read from the environment once at start-up and validated with zod.
 * Everything else receives an `AppConfig` instead of reading `process.env`, so a bad value stops
 * the process before anything starts, with a message naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './logger';
import { KeyringError, parsePayloadKeys, type Keyring } from './temporal/keyring';

/** 0 means "any free port" (handy for tests and for running several copies side by side). */
const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 (any free port) and 65535')
  .max(65535, 'must be between 0 (any free port) and 65535');

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'must be host:port, e.g. temporal:7233');

/** Case workflows kept in a worker's cache unless WORKER_MAX_CACHED_WORKFLOWS says otherwise. */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

/** One entry per variable; the keys are the variable names (docker-compose.yml is checked against them). */
const envSchema = z.object({
  PORT: port.default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'must be a Temporal namespace name (letters, digits, . _ -)')
    .default('default'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** gRPC port of the embedded dev server; another free port is taken when this one is busy. */
  TEMPORAL_PORT: port.default(7233),
  /** Web UI port of the embedded dev server; another free port is taken when this one is busy. */
  TEMPORAL_UI_PORT: port.default(8233),
  /** The Temporal CLI used for the embedded dev server; defaults to .tools/bin/temporal in the repo. */
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** A workflow bundle made beforehand (`npm run workflows:bundle`); unset: the worker bundles at start. */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /**
   * Case workflows the worker keeps in memory between their tasks; one past it is evicted and
   * replays from its history when next touched. Sized for the worker's memory (bench: RSS per
   * cached case), not the SDK's default, which is sized for the host and passes a container's limit.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce
    .number({ error: 'must be a number of workflows' })
    .int('must be a whole number')
    .min(0, 'must be between 0 (no cache) and 100000')
    .max(100_000, 'must be between 0 (no cache) and 100000')
    .default(DEFAULT_MAX_CACHED_WORKFLOWS),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_FORMAT: z.enum(['json', 'text']).optional(),
  /** The mail server notices go out through; unset: mail is off and notices wait in the outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+\/?(\?\S*)?$/, 'must be an smtp:// or smtps:// URL, e.g. smtp://mail:25')
    .optional(),
  /** The From of every notice. */
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n]*[^\s@<>]+@[^\s@<>]+[^\r\n]*$/, 'must be an address, e.g. "Fraværsforløb <fravaer@kommune.dk>"')
    .default('Fraværsforløb <fravaer@localhost>'),
  /** A step is due soon from this many school days before its deadline (for cases opened from now on). */
  DUE_SOON_SCHOOL_DAYS: z.coerce
    .number({ error: 'must be a number of school days' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 15')
    .max(15, 'must be between 1 and 15')
    .default(3),
  /** A step overdue by more than this many school days is brought to the school leader. */
  LEADER_ALERT_SCHOOL_DAYS: z.coerce
    .number({ error: 'must be a number of school days' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 60')
    .max(60, 'must be between 1 and 60')
    .default(10),
  /** The longest the notice dispatcher waits between delivery rounds. */
  NOTICE_POLL_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 3600')
    .max(3600, 'must be between 1 and 3600')
    .default(60),
  /** The Danish hour from which the day's notice digests go out (0: as soon as there is something). */
  NOTICE_DIGEST_HOUR: z.coerce
    .number({ error: 'must be an hour, 0 to 23' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 23')
    .max(23, 'must be between 0 and 23')
    .default(7),
  /** Delivery attempts before a notice is marked failed (it stays listed). */
  NOTICE_MAX_ATTEMPTS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 100')
    .max(100, 'must be between 1 and 100')
    .default(10),
  /** Where people reach the service; case links in notices are built on it. */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** The OpenID Connect provider's public keys (its jwks_uri); unset: a signing key kept in DATA_DIR (local use). */
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** The `iss` every token must carry; required with AUTH_JWKS_URL. */
  AUTH_ISSUER: z.string().min(1).max(300).optional(),
  /** The `aud` every token must carry. */
  AUTH_AUDIENCE: z.string().min(1).max(300).default('fravaersforloeb'),
  /** The web UI's client at the OpenID Connect provider (code flow with PKCE); with AUTH_JWKS_URL. */
  AUTH_CLIENT_ID: z.string().min(1).max(300).optional(),
  /** Its secret, for a confidential client; unset: a public client (PKCE alone). */
  AUTH_CLIENT_SECRET: z.string().min(1).max(1000).optional(),
  /** The scopes the web UI asks the provider for. */
  AUTH_SCOPES: z
    .string()
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'must be space-separated scopes, e.g. "openid profile"')
    .refine((value) => value.split(' ').includes('openid'), 'must include openid')
    .default('openid profile'),
  /** Browser origins allowed to call the API (comma-separated); unset: none (CORS closed). */
  CORS_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of http(s) origins' })))
    .optional(),
  /** Requests one caller may make per minute before getting 429. */
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(10, 'must be between 10 and 100000')
    .max(100_000, 'must be between 10 and 100000')
    .default(600),
  /** The longest an API request waits on Temporal (opening a case, an action) before answering 503 with Retry-After. */
  REQUEST_WAIT_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 300')
    .max(300, 'must be between 1 and 300')
    .default(10),
  /** How long a case's effects (timeline, letters, notices) may keep failing before an administrator is told (cases opened from now on). */
  EFFECTS_ALERT_AFTER_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 1440')
    .max(1440, 'must be between 1 and 1440')
    .default(15),
  /** The administrator's address for that alert; unset: the error log only. */
  EFFECTS_ALERT_TO: z
    .string()
    .regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an e-mail address, e.g. drift@kommune.dk')
    .optional(),
  /**
   * The keys Temporal payloads are encrypted with: `keyId:base64-of-32-bytes`, comma-separated;
   * the first encrypts, the rest only decrypt (rotation). Unset: one key kept in DATA_DIR/keys.
   */
  PAYLOAD_KEYS: z
    .string()
    .transform((text, ctx) => {
      try {
        return parsePayloadKeys(text);
      } catch (error) {
        // KeyringError messages name entries and key ids, never key material.
        ctx.addIssue({ code: 'custom', message: error instanceof KeyringError ? error.message : 'must be keyId:base64-key,…' });
        return z.NEVER;
      }
    })
    .optional(),
})
  .refine((env) => env.AUTH_JWKS_URL === undefined || env.AUTH_ISSUER !== undefined, {
    path: ['AUTH_ISSUER'],
    message: 'is required when AUTH_JWKS_URL is set (the issuer tokens must come from)',
  })
  .refine((env) => env.AUTH_CLIENT_ID === undefined || env.AUTH_JWKS_URL !== undefined, {
    path: ['AUTH_CLIENT_ID'],
    message: 'needs AUTH_JWKS_URL and AUTH_ISSUER (the provider people sign in with)',
  })
  .refine((env) => env.AUTH_CLIENT_ID === undefined || /^https?:\/\//.test(env.AUTH_ISSUER ?? ''), {
    path: ['AUTH_ISSUER'],
    message: 'must be the provider\'s URL when AUTH_CLIENT_ID is set (its discovery document is read from there)',
  });

/** Names of every environment variable this service reads. */
export const CONFIG_ENV_VARS: readonly string[] = Object.keys(envSchema.shape);

export interface AppConfig {
  port: number;
  /** Absolute. */
  dataDir: string;
  /** Unset: start the embedded Temporal dev server. */
  temporalAddress: string | undefined;
  temporalNamespace: string;
  /** Unset: embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  temporalPort: number;
  temporalUiPort: number;
  temporalCliPath: string | undefined;
  /** Absolute; unset: the worker bundles src/workflows with webpack when it starts. */
  workflowBundlePath: string | undefined;
  /** Workflows the worker keeps cached (WORKER_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows: number;
  logLevel: LogLevel;
  logFormat: 'json' | 'text' | undefined;
  notices: NoticeConfig;
  /** When "due soon" begins and when a late step goes to the leader; new cases keep theirs. */
  thresholds: { dueSoonSchoolDays: number; leaderAlertSchoolDays: number };
  effects: EffectsConfig;
  auth: AuthConfig;
  security: SecurityConfig;
  /**
   * The payload encryption keys from PAYLOAD_KEYS, the current one first. Unset: the key file in
   * `dataDir` (src/temporal/keyFile.ts: loadKeyring). Holds key material; prints as key ids only.
   */
  payloadKeys: Keyring | undefined;
}

export interface AuthConfig {
  /** Unset: tokens are signed by the key kept in DATA_DIR (`npm run token`). */
  jwksUrl: string | undefined;
  /** Unset with jwksUrl unset: the local issuer's name. */
  issuer: string | undefined;
  audience: string;
  /** The web UI's OpenID Connect client; unset with jwksUrl set: no sign-in in the browser. */
  clientId?: string | undefined;
  /** Holds a secret: never log it. */
  clientSecret?: string | undefined;
  scopes?: string;
}

export interface SecurityConfig {
  /** Browser origins allowed to call; empty: none. */
  corsOrigins: string[];
  requestsPerMinute: number;
  /** The longest a request waits on Temporal before 503; retried with the same Idempotency-Key it is applied once. */
  requestWaitSeconds: number;
}

export interface EffectsConfig {
  /** Given to every new case (its workflow options). */
  alertAfterMs: number;
  /** Unset: the error log only. */
  alertTo: string | undefined;
}

export interface NoticeConfig {
  /** Unset: mail is off; notices are queued and wait. May hold a password: never log it. */
  smtpUrl: string | undefined;
  mailFrom: string;
  pollSeconds: number;
  digestHour: number;
  maxAttempts: number;
  /** Unset: the API's own URL (npm start) or http://localhost:3000 (a worker alone). */
  publicBaseUrl: string | undefined;
}

/** Variables whose values may hold a password or a key: never echoed. */
const SECRET_VARS: readonly string[] = ['DATABASE_URL', 'SMTP_URL', 'PAYLOAD_KEYS', 'AUTH_CLIENT_SECRET'];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // Compose files and shells often set `VAR=` to mean "unset"; treat it so instead of failing.
  const present: Record<string, string> = {};
  for (const key of CONFIG_ENV_VARS) {
    const value = env[key]?.trim();
    if (value) present[key] = value;
  }

  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      // The variable itself, not a position inside its value (CORS_ORIGINS is a list).
      const name = issue.path[0] !== undefined ? String(issue.path[0]) : '(environment)';
      // The value is echoed only for non-secret variables: the URLs may hold a password, PAYLOAD_KEYS keys.
      const shown = name in present && !SECRET_VARS.includes(name) ? ` (got "${present[name]}")` : '';
      return `  ${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }

  const e = parsed.data;
  return {
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    databaseUrl: e.DATABASE_URL,
    temporalPort: e.TEMPORAL_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    temporalCliPath: e.TEMPORAL_CLI_PATH ? path.resolve(e.TEMPORAL_CLI_PATH) : undefined,
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH ? path.resolve(e.WORKFLOW_BUNDLE_PATH) : undefined,
    maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    thresholds: { dueSoonSchoolDays: e.DUE_SOON_SCHOOL_DAYS, leaderAlertSchoolDays: e.LEADER_ALERT_SCHOOL_DAYS },
    effects: { alertAfterMs: e.EFFECTS_ALERT_AFTER_MINUTES * 60_000, alertTo: e.EFFECTS_ALERT_TO },
    auth: {
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
      clientId: e.AUTH_CLIENT_ID,
      clientSecret: e.AUTH_CLIENT_SECRET,
      scopes: e.AUTH_SCOPES,
    },
    security: {
      corsOrigins: (e.CORS_ORIGINS ?? []).map((origin) => new URL(origin).origin),
      requestsPerMinute: e.RATE_LIMIT_PER_MINUTE,
      requestWaitSeconds: e.REQUEST_WAIT_SECONDS,
    },
    payloadKeys: e.PAYLOAD_KEYS,
    notices: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      pollSeconds: e.NOTICE_POLL_SECONDS,
      digestHour: e.NOTICE_DIGEST_HOUR,
      maxAttempts: e.NOTICE_MAX_ATTEMPTS,
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    },
  };
}
