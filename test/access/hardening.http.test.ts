/**
 * Hardening: security headers on every answer, CORS closed unless configured, a rate limit per
 * caller, and errors that say nothing about the inside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';

let temporal: TestTemporal;
let closed: RunningApi;
let open: RunningApi;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  closed = await startApi({ temporal, kind: 'pglite', worker: false, security: { requestsPerMinute: 20 } });
  open = await startApi({ temporal, kind: 'pglite', worker: false, security: { corsOrigins: ['https://skoleportal.example.dk'] } });
});

afterAll(async () => {
  await closed?.close();
  await open?.close();
  await temporal?.close();
});

describe('hardening', () => {
  it('when anything is answered, then the security headers are there and the framework is not named', async () => {
    const answer = await closed.http.get('/health');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(answer.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(answer.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });

  it('when no origins are configured, then a browser on another site gets no CORS permission', async () => {
    const preflight = await fetch(`${closed.baseUrl}/api/overdue`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when an origin is configured, then it (and only it) is allowed, with the Authorization header', async () => {
    const allowed = await fetch(`${open.baseUrl}/api/overdue`, {
      method: 'OPTIONS',
      headers: { origin: 'https://skoleportal.example.dk', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://skoleportal.example.dk');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const other = await fetch(`${open.baseUrl}/api/overdue`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('when one caller goes past the limit, then 429 problem+json; another caller is still served', async () => {
    const busy = closed.http.withToken(await tokenFor({ role: 'leader', schools: ['S1'], sub: 'leader-busy' }));
    const statuses: number[] = [];
    for (let i = 0; i < 22; i += 1) statuses.push((await busy.get('/api/overdue')).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    const refused = await busy.get<{ title: string }>('/api/overdue');
    expect(refused.status).toBe(429);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const calm = closed.http.withToken(await tokenFor({ role: 'leader', schools: ['S1'], sub: 'leader-calm' }));
    expect((await calm.get('/api/overdue')).status).toBe(200);
  });

  it('when a body is larger than 256 kB, then 413 and nothing more', async () => {
    const big = await open.http.post<{ detail: string }>('/api/cases', { pupilRef: 'P-1', filler: 'x'.repeat(300_000) });
    expect(big.status).toBe(413);
    expect(big.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('when a body comes in a charset the parser refuses, then a 4xx problem without internals', async () => {
    const answer = await open.http.postRaw('/api/cases', '{}', { headers: { 'content-type': 'application/json; charset=ebcdic' } });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.text).not.toMatch(/node_modules|\.ts:\d+|Error:/);
  });
});
