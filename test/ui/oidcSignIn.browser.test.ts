/**
 * Signing in to the pages through a real OpenID Connect provider (test/support/oidcProvider.ts),
 * in headless chromium: the front page sends a stranger to /log-ind, the button goes to the
 * provider, the person signs in there and lands on their cases, named as the ID token names them;
 * the API behind the pages trusts the provider's keys and nothing else. A provider that hands out
 * tokens for another service gets the Danish refusal and no session; the local sign-in form does
 * not exist while a provider is configured.
 *
 * The provider must know the app's callback address before the app listens, so a free port is
 * found first and the app is started on it.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, DEFAULT_AUDIENCE, remoteKeys } from '../../src/access/tokens';
import { startApi, type RunningApi } from '../api/support/harness';
import { expectNoSeriousAxeViolations, launchBrowser, saveScreenshots } from '../support/browser';
import { fillLogin, startOidcProvider, type OidcTestProvider } from '../support/oidcProvider';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

/** A port nobody listens on right now (taken and given back). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

let temporal: TestTemporal;
let provider: OidcTestProvider;
let app: RunningApi;
let browser: Browser;
let baseUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  temporal = await connectTestTemporal();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({
    redirectUris: [`${baseUrl}/log-ind/callback`],
    accounts: { 'leader-anna': { role: 'leader', schools: ['S1'], name: 'Anna Skoleleder' } },
  });
  // The API trusts the provider's keys (and only them): the pages' calls carry its access tokens.
  const verifier = createTokenVerifier({ keys: remoteKeys(provider.jwksUri), issuer: provider.issuer, audience: DEFAULT_AUDIENCE });
  app = await startApi({
    temporal,
    kind: 'pglite',
    worker: false,
    port,
    tokens: verifier,
    ui: {
      signIn: { kind: 'oidc', issuer: provider.issuer, clientId: provider.clientId, scope: 'openid profile', verifier },
      publicBaseUrl: baseUrl,
    },
  });
  expect(app.baseUrl).toBe(baseUrl);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await app?.close();
  await provider?.close();
  await temporal?.close();
});

/** A fresh browser profile (no cookies) and a page in it. */
async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  contexts.push(context);
  return { context, page: await context.newPage() };
}

/** From the sign-in page through the provider's login, until the browser is back at the app. */
async function signInThroughProvider(page: Page, accountId: string): Promise<number | undefined> {
  await page.getByRole('link', { name: 'Log ind med kommunens login' }).click();
  await page.waitForURL((url) => url.href.startsWith(provider.issuer));
  const callback = page.waitForResponse((response) => response.url().startsWith(`${baseUrl}/log-ind/callback`));
  await fillLogin(page, accountId);
  const answer = await callback;
  await page.waitForLoadState('load');
  return answer.status();
}

describe('signing in with the municipality’s login (OpenID Connect)', () => {
  it('when a person opens the front page and signs in at the provider, then they land on the school’s cases under their own name', async () => {
    const { context, page } = await freshPage();
    await page.goto(`${baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/log-ind');
    await expect(page.locator('h1').textContent()).resolves.toBe('Log ind');
    await expectNoSeriousAxeViolations(page, '/log-ind (OIDC)');

    const callbackStatus = await signInThroughProvider(page, 'leader-anna');
    expect(callbackStatus).toBe(303);
    await page.waitForURL(`${baseUrl}/forloeb`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Skolens forløb');
    await expect(page.locator('header').textContent()).resolves.toContain('Anna Skoleleder');

    const session = (await context.cookies(baseUrl)).find((cookie) => cookie.name === 'ff_session');
    expect(session).toBeDefined();
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    // The sign-in's own cookie is gone once it is used.
    expect((await context.cookies(baseUrl)).some((cookie) => cookie.name === 'ff_oidc')).toBe(false);

    await expectNoSeriousAxeViolations(page, '/forloeb (signed in through OIDC)');
    await saveScreenshots(page, 'ui-oidc-forloeb');
  });

  it('when the provider issues access tokens for another service, then the Danish refusal and no session', async () => {
    provider.setAudience('another-service');
    try {
      const { context, page } = await freshPage();
      await page.goto(`${baseUrl}/log-ind`);
      const callbackStatus = await signInThroughProvider(page, 'leader-anna');
      expect(callbackStatus).toBe(403);
      expect(new URL(page.url()).pathname).toBe('/log-ind/callback');
      await expect(page.locator('main').textContent()).resolves.toContain('Login blev afvist');
      expect((await context.cookies(baseUrl)).some((cookie) => cookie.name === 'ff_session')).toBe(false);
      // And the pages still send this browser to sign in.
      await page.goto(`${baseUrl}/forloeb`);
      expect(new URL(page.url()).pathname).toBe('/log-ind');
    } finally {
      provider.setAudience(DEFAULT_AUDIENCE);
    }
  });

  it('when the callback is reached without a sign-in started in this browser, then 400 and no session', async () => {
    const answer = await fetch(`${baseUrl}/log-ind/callback?code=made-up&state=made-up`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(answer.status).toBe(400);
    expect(answer.headers.getSetCookie().some((line) => line.startsWith('ff_session='))).toBe(false);
    expect(await answer.text()).toContain('Login kunne ikke afsluttes');
  });

  it('when a provider is configured, then the local sign-in form does not exist and its POST makes no session', async () => {
    const signInPage = await fetch(`${baseUrl}/log-ind`, { headers: { accept: 'text/html' } });
    expect(signInPage.status).toBe(200);
    const html = await signInPage.text();
    expect(html).toContain('Log ind med kommunens login');
    expect(html).not.toContain('name="role"');
    expect(html).not.toContain('(lokal udgave)');

    const post = await fetch(`${baseUrl}/log-ind`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: 'ff_signin_form=abc' },
      body: new URLSearchParams({ _csrf: 'abc', role: 'admin', school: '*', name: 'Mallory', til: '/forloeb' }).toString(),
    });
    expect(post.status).toBe(404);
    expect(post.headers.getSetCookie().some((line) => line.startsWith('ff_session='))).toBe(false);
  });
});
