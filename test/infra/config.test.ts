/** loadConfig: defaults, and a clear message naming the variable for every bad value. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MAX_CACHED_WORKFLOWS, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: path.resolve('./data'),
      temporalAddress: undefined,
      temporalNamespace: 'default',
      databaseUrl: undefined,
      temporalPort: 7233,
      temporalUiPort: 8233,
      logLevel: 'info',
    });
    expect(path.isAbsolute(config.dataDir)).toBe(true);
  });

  it('reads every variable and treats empty ones as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/fravaer',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'skole',
      DATABASE_URL: 'postgres://app@db:5432/fravaer',
      TEMPORAL_UI_PORT: '',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/var/lib/fravaer',
      temporalAddress: 'temporal:7233',
      temporalNamespace: 'skole',
      databaseUrl: 'postgres://app@db:5432/fravaer',
      temporalUiPort: 8233,
      logLevel: 'warn',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['TEMPORAL_ADDRESS', 'no-port'],
    ['TEMPORAL_NAMESPACE', 'has space'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['LOG_LEVEL', 'loud'],
    ['REQUEST_WAIT_SECONDS', '0'],
    ['REQUEST_WAIT_SECONDS', 'soon'],
    ['WORKER_MAX_CACHED_WORKFLOWS', '-1'],
    ['WORKER_MAX_CACHED_WORKFLOWS', 'many'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}: `));
  });

  it('when WORKER_MAX_CACHED_WORKFLOWS is unset, then the worker keeps the default number of cases cached; when set, that number', () => {
    expect(loadConfig({}).maxCachedWorkflows).toBe(DEFAULT_MAX_CACHED_WORKFLOWS);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '250' }).maxCachedWorkflows).toBe(250);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' }).maxCachedWorkflows).toBe(0);
  });

  it('when nothing about access is set, then tokens are checked against the local key and CORS is closed', () => {
    const config = loadConfig({});
    expect(config.auth).toEqual({
      jwksUrl: undefined,
      issuer: undefined,
      audience: 'fravaersforloeb',
      clientId: undefined,
      clientSecret: undefined,
      scopes: 'openid profile',
    });
    expect(config.security).toEqual({ corsOrigins: [], requestsPerMinute: 600, requestWaitSeconds: 10 });
  });

  it('when an OpenID Connect provider is set, then its issuer is required, and origins are read as a list', () => {
    expect(() => loadConfig({ AUTH_JWKS_URL: 'https://idp.kommune.dk/jwks' })).toThrow(/AUTH_ISSUER: is required when AUTH_JWKS_URL is set/);
    const config = loadConfig({
      AUTH_JWKS_URL: 'https://idp.kommune.dk/jwks',
      AUTH_ISSUER: 'https://idp.kommune.dk',
      CORS_ORIGINS: 'https://portal.kommune.dk, https://skole.kommune.dk/',
      RATE_LIMIT_PER_MINUTE: '120',
      REQUEST_WAIT_SECONDS: '3',
    });
    expect(config.auth).toMatchObject({ jwksUrl: 'https://idp.kommune.dk/jwks', issuer: 'https://idp.kommune.dk', audience: 'fravaersforloeb' });
    expect(config.security).toEqual({ corsOrigins: ['https://portal.kommune.dk', 'https://skole.kommune.dk'], requestsPerMinute: 120, requestWaitSeconds: 3 });
    expect(() => loadConfig({ CORS_ORIGINS: 'portal.kommune.dk' })).toThrow(/CORS_ORIGINS: must be a comma-separated list of http\(s\) origins/);
  });

  it('when the web UI gets a client at the provider, then it needs the provider, an issuer URL and openid among its scopes, and the secret is never echoed', () => {
    const provider = { AUTH_JWKS_URL: 'https://idp.kommune.dk/jwks', AUTH_ISSUER: 'https://idp.kommune.dk' };
    expect(() => loadConfig({ AUTH_CLIENT_ID: 'fravaer-web' })).toThrow(/AUTH_CLIENT_ID: needs AUTH_JWKS_URL/);
    expect(() => loadConfig({ ...provider, AUTH_ISSUER: 'kommune-idp', AUTH_CLIENT_ID: 'fravaer-web' })).toThrow(/AUTH_ISSUER: must be the provider's URL/);
    expect(() => loadConfig({ ...provider, AUTH_CLIENT_ID: 'fravaer-web', AUTH_SCOPES: 'profile' })).toThrow(/AUTH_SCOPES: must include openid/);
    expect(() => loadConfig({ ...provider, AUTH_CLIENT_ID: 'fravaer-web', AUTH_CLIENT_SECRET: 'hemmelig\n', AUTH_SCOPES: 'x\ty' })).toThrow(
      /^(?![\s\S]*hemmelig)/,
    );
    const config = loadConfig({ ...provider, AUTH_CLIENT_ID: 'fravaer-web', AUTH_CLIENT_SECRET: 'hemmelig' });
    expect(config.auth).toMatchObject({ clientId: 'fravaer-web', clientSecret: 'hemmelig', scopes: 'openid profile' });
  });

  it('never echoes DATABASE_URL, which may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@db/x' })).toThrow(/^(?![\s\S]*secret)/);
  });
});
