/**
 * The Temporal UI's way in: an admin of every school stores their token in a codec session
 * cookie; the UI's credentialed calls from its own origin then decode payloads, and nothing else
 * accepts that cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, TEST_DATA_CONVERTER, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';

const UI_ORIGIN = 'http://127.0.0.1:8233';
let temporal: TestTemporal;
let api: RunningApi;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  api = await startApi({ temporal, kind: 'pglite', worker: false, security: { corsOrigins: [UI_ORIGIN], requestsPerMinute: 1000 } });
});

afterAll(async () => {
  await api?.close();
  await temporal?.close();
});

async function storeSession(token: string): Promise<Response> {
  return fetch(`${api.baseUrl}/codec/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
}

async function encryptedPayload(text: string) {
  const [payload] = await TEST_DATA_CONVERTER.payloadCodecs![0]!.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(text)) }]);
  return {
    metadata: Object.fromEntries(Object.entries(payload!.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')])),
    data: Buffer.from(payload!.data ?? new Uint8Array()).toString('base64'),
  };
}

describe('the codec session for the Temporal UI', () => {
  it('when the session page is opened, then it asks for a token in a form (never in the URL)', async () => {
    const page = await fetch(`${api.baseUrl}/codec/session`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<form method="post" action="session">/);
    expect(html).toMatch(/<textarea name="token"/);
  });

  it('when an admin of every school stores their token, then the UI’s credentialed decode from its origin reads the payload', async () => {
    const stored = await storeSession(await tokenFor({ role: 'admin' }));
    expect(stored.status).toBe(200);
    const cookie = stored.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^fravaer_codec=[^;]+;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=None/i);
    expect(cookie).toMatch(/Path=\/codec/i);

    const decoded = await fetch(`${api.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: UI_ORIGIN, cookie: cookie.split(';')[0]!, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [await encryptedPayload('Mor fortæller om søvnproblemer')] }),
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(decoded.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await decoded.json()) as { payloads: { data: string }[] };
    expect(JSON.parse(Buffer.from(body.payloads[0]!.data, 'base64').toString('utf8'))).toBe('Mor fortæller om søvnproblemer');
  });

  it('when the cookie is sent to an /api route, then it does not count as a token', async () => {
    const stored = await storeSession(await tokenFor({ role: 'admin' }));
    const cookie = (stored.headers.get('set-cookie') ?? '').split(';')[0]!;
    const answer = await fetch(`${api.baseUrl}/api/audit`, { headers: { cookie } });
    expect(answer.status).toBe(401);
  });

  it('when a leader or an admin of one school tries to store a session, then it is refused and no cookie is set', async () => {
    for (const token of [await tokenFor({ role: 'leader' }), await tokenFor({ role: 'admin', schools: ['S1'] })]) {
      const refused = await storeSession(token);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('set-cookie')).toBeNull();
    }
    const forged = await storeSession('not-a-token');
    expect(forged.status).toBe(401);
    expect(forged.headers.get('set-cookie')).toBeNull();
  });
});
