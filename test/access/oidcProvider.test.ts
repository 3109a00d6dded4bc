/**
 * The test OpenID provider (test/support/oidcProvider.ts) against the API's own token verifier:
 * a real authorization code + PKCE sign-in, with a person (headless chromium) typing on the
 * provider's page, and openid-client doing what the web UI's backend will do.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  allowInsecureRequests,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  buildEndSessionUrl,
  calculatePKCECodeChallenge,
  discovery,
  None,
  randomPKCECodeVerifier,
  randomState,
  type Configuration,
} from 'openid-client';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, remoteKeys, TokenRejected } from '../../src/access/tokens';
import { launchBrowser } from '../support/browser';
import { fillLogin, LOGIN_SELECTORS, startOidcProvider, type OidcTestProvider } from '../support/oidcProvider';

/** The client's redirect_uri: records where the browser arrived and says so on a page. */
interface CallbackServer {
  url: string;
  /** Where sign-out ends (post_logout_redirect_uri). */
  signedOutUrl: string;
  /** The next request's full URL (code, state, iss). */
  next(): Promise<URL>;
  close(): Promise<void>;
}

async function startCallbackServer(): Promise<CallbackServer> {
  const waiting: ((url: URL) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    if (url.pathname === '/callback') waiting.shift()?.(url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="da"><title>Callback</title><main>Logget ind</main></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    signedOutUrl: `http://127.0.0.1:${port}/signed-out`,
    next: () => new Promise<URL>((resolve) => waiting.push(resolve)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let callback: CallbackServer;
let provider: OidcTestProvider;
let browser: Browser;
let client: Configuration;

beforeAll(async () => {
  callback = await startCallbackServer();
  provider = await startOidcProvider({
    redirectUris: [callback.url],
    postLogoutRedirectUris: [callback.signedOutUrl],
    accounts: {
      'tovholder-kim': { role: 'tovholder', schools: ['S1', 'S2'], name: 'Kim Tovholder' },
      'admin-ane': { role: 'admin', schools: ['*'], name: 'Ane Admin' },
    },
  });
  browser = await launchBrowser();
  // A public client (no secret): PKCE is its only proof. http is fine for a loopback test issuer.
  client = await discovery(new URL(provider.issuer), provider.clientId, undefined, None(), { execute: [allowInsecureRequests] });
});

afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await callback?.close();
});

/** A whole sign-in (in a fresh browser context unless given one); the tokens openid-client gets for the code. */
async function signIn(accountId: string, reuse?: BrowserContext) {
  const codeVerifier = randomPKCECodeVerifier();
  const state = randomState();
  const authorizationUrl = buildAuthorizationUrl(client, {
    redirect_uri: callback.url,
    scope: 'openid profile',
    code_challenge: await calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
  });
  const context = reuse ?? (await browser.newContext());
  try {
    const page = await context.newPage();
    const arrived = callback.next();
    await page.goto(authorizationUrl.href);
    await fillLogin(page, accountId);
    const callbackUrl = await arrived;
    await page.waitForURL((url) => url.pathname === '/callback');
    return await authorizationCodeGrant(client, callbackUrl, { pkceCodeVerifier: codeVerifier, expectedState: state });
  } finally {
    if (!reuse) await context.close();
  }
}

const apiVerifier = () => createTokenVerifier({ keys: remoteKeys(provider.jwksUri), issuer: provider.issuer, audience: 'fravaersforloeb' });

describe('test OpenID provider', () => {
  it('signs a person in with code + PKCE; the API accepts the access token as it is', async () => {
    const tokens = await signIn('tovholder-kim');

    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    await expect(apiVerifier().verify(tokens.access_token)).resolves.toEqual({ sub: 'tovholder-kim', role: 'tovholder', schools: ['S1', 'S2'] });
    // The ID token (for the UI's session) names the person and carries the same access claims.
    expect(tokens.claims()).toMatchObject({ iss: provider.issuer, sub: 'tovholder-kim', name: 'Kim Tovholder', role: 'tovholder', schools: ['S1', 'S2'] });

    const admin = await signIn('admin-ane');
    await expect(apiVerifier().verify(admin.access_token)).resolves.toEqual({ sub: 'admin-ane', role: 'admin', schools: 'all' });
  });

  it('issues tokens for another audience when told to, and the API refuses them (wrong_audience)', async () => {
    provider.setAudience('some-other-api');
    try {
      const tokens = await signIn('tovholder-kim');
      const rejection = await apiVerifier()
        .verify(tokens.access_token)
        .then(() => undefined, (error: unknown) => error);
      expect(rejection).toBeInstanceOf(TokenRejected);
      expect(rejection).toMatchObject({ reason: 'wrong_audience' });
    } finally {
      provider.setAudience('fravaersforloeb');
    }
  });

  it('keeps an unknown login on its page with an error', async () => {
    const codeVerifier = randomPKCECodeVerifier();
    const url = buildAuthorizationUrl(client, {
      redirect_uri: callback.url,
      scope: 'openid',
      code_challenge: await calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: randomState(),
    });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url.href);
      await fillLogin(page, 'nobody');
      await expect(page.locator(LOGIN_SELECTORS.error).textContent()).resolves.toContain('Ukendt bruger-id');
      expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
    } finally {
      await context.close();
    }
  });

  it('signs out at the end_session endpoint after one confirmation click', async () => {
    const context = await browser.newContext();
    try {
      const tokens = await signIn('tovholder-kim', context);
      const page = await context.newPage();
      const idToken = tokens.id_token ?? '';
      await page.goto(buildEndSessionUrl(client, { id_token_hint: idToken, post_logout_redirect_uri: callback.signedOutUrl }).href);
      await page.locator(LOGIN_SELECTORS.logout).click();
      await page.waitForURL(callback.signedOutUrl);
      // The provider's session is gone: a new authorization asks for the login again.
      const url = buildAuthorizationUrl(client, {
        redirect_uri: callback.url,
        scope: 'openid',
        code_challenge: await calculatePKCECodeChallenge(randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
        state: randomState(),
      });
      await page.goto(url.href);
      await expect(page.locator(LOGIN_SELECTORS.login).count()).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = buildAuthorizationUrl(client, { redirect_uri: callback.url, scope: 'openid', state: randomState() });
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', provider.issuer);
    expect(location.href.startsWith(callback.url)).toBe(true);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });
});
