/**
 * Identity: a request reaches nothing under /api without a bearer token this service trusts.
 * Each way a token can be wrong answers 401 problem+json with a WWW-Authenticate challenge.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, generateSigningKey, LOCAL_ISSUER, signToken } from '../../src/access';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';

let temporal: TestTemporal;
let api: RunningApi;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  api = await startApi({ temporal, kind: 'pglite', worker: false });
});

afterAll(async () => {
  await api?.close();
  await temporal?.close();
});

const BOARD = '/api/overdue?schoolId=S1';

async function expectRejected(headers: Record<string, string>, detail: RegExp): Promise<void> {
  const answer = await api.http.withToken(undefined).get<{ status: number; detail: string }>(BOARD, headers);
  expect(answer.status).toBe(401);
  expect(answer.contentType).toMatch(/^application\/problem\+json/);
  expect(answer.body.detail).toMatch(detail);
  expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="fravaersforloeb"/);
}

describe('bearer tokens', () => {
  it('when a valid token is sent, then the board answers 200', async () => {
    const answer = await api.http.withToken(await tokenFor({ role: 'leader', schools: ['S1'] })).get(BOARD);
    expect(answer.status).toBe(200);
  });

  it('when no Authorization header is sent, then 401 says how to send one', async () => {
    await expectRejected({}, /Authorization: Bearer/);
  });

  it('when the header is not a JWT, then 401', async () => {
    await expectRejected({ authorization: 'Bearer not-a-token' }, /not a valid JWT/);
    await expectRejected({ authorization: 'Basic dXNlcjpwYXNz' }, /Authorization: Bearer/);
  });

  it('when the token has expired, then 401 says so', async () => {
    const expired = await tokenFor({ role: 'leader', schools: ['S1'], expiresInSeconds: -120 });
    await expectRejected({ authorization: `Bearer ${expired}` }, /expired/);
  });

  it('when the token is signed by a key the service does not trust, then 401', async () => {
    const stranger = await generateSigningKey('test-key'); // same key id, other key
    const forged = await signToken(stranger, { sub: 'leader-x', role: 'leader', schools: ['*'], issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE });
    await expectRejected({ authorization: `Bearer ${forged}` }, /not signed by a key this service trusts/);
  });

  it('when the token is signed with a shared secret (HS256), then 401: only the issuer’s public keys count', async () => {
    const secret = new TextEncoder().encode('a-secret-anyone-could-guess-000000');
    const token = await new SignJWT({ role: 'admin', schools: ['*'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'test-key' })
      .setSubject('intruder')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(DEFAULT_AUDIENCE)
      .setExpirationTime('1h')
      .sign(secret);
    await expectRejected({ authorization: `Bearer ${token}` }, /not signed by a key this service trusts/);
  });

  it('when the token is meant for another service, then 401 names the audience', async () => {
    const token = await tokenFor({ role: 'leader', schools: ['S1'], audience: 'another-service' });
    await expectRejected({ authorization: `Bearer ${token}` }, /audience/);
  });

  it('when the token comes from another issuer, then 401 names the issuer', async () => {
    const token = await tokenFor({ role: 'leader', schools: ['S1'], issuer: 'https://idp.elsewhere.example' });
    await expectRejected({ authorization: `Bearer ${token}` }, /issuer/);
  });

  it('when the token names an unknown role, then 401', async () => {
    const token = await tokenFor({ role: 'superuser' as 'admin', schools: ['S1'] });
    await expectRejected({ authorization: `Bearer ${token}` }, /role, schools or subject/);
  });

  it('when no token is sent, then the documents and health are still open', async () => {
    expect((await api.http.withToken(undefined).get('/health')).status).toBe(200);
    expect((await api.http.withToken(undefined).get('/openapi.json')).status).toBe(200);
  });
});
