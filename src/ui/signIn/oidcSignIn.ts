/**
 * Signing in through the municipality's identity provider: OpenID Connect authorization code
 * flow with PKCE (openid-client). The access token it hands back is checked exactly as the API
 * checks bearer tokens (issuer, audience, role, schools) before a session starts; a token the API
 * would refuse never becomes a session.
 */
import { Router, type Request } from 'express';
import * as oidc from 'openid-client';
import { TokenRejected } from '../../access/tokens';
import { errorPage, page, type UiContext } from '../context';
import { cookieName, clearCookie, readCookie, setCookie } from '../session/cookies';
import { randomToken } from '../session/sessionStore';
import type { OidcSignIn } from './signInMode';
import { returnPath, startSession } from './session';

const BROWSER_COOKIE = 'ff_oidc';
const SESSION_HOURS = 8;

export function oidcSignInRouter(ui: UiContext, mode: OidcSignIn, publicBaseUrl: (req: Request) => string): Router {
  const router = Router();
  let discovered: Promise<oidc.Configuration> | undefined;

  // Discovered on first use and kept; a failed discovery is tried again on the next sign-in.
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= (async () => {
      const issuer = new URL(mode.issuer);
      const auth = mode.clientSecret !== undefined ? oidc.ClientSecretPost(mode.clientSecret) : oidc.None();
      const insecure = issuer.protocol === 'http:';
      return oidc.discovery(issuer, mode.clientId, undefined, auth, insecure ? { execute: [oidc.allowInsecureRequests] } : undefined);
    })().catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };

  const callbackUrl = (req: Request) => `${publicBaseUrl(req)}/log-ind/callback`;

  router.get('/log-ind', (req, res) => {
    page(ui, req, res, 'sign-in-oidc.njk', { title: 'Log ind', startHref: `/log-ind/start?til=${encodeURIComponent(returnPath(req.query.til))}` });
  });

  router.get('/log-ind/start', async (req, res) => {
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (error) {
      ui.logError?.('identity provider unreachable (discovery failed)', error);
      return errorPage(ui, req, res, 503, 'Kommunens login kan ikke nås lige nu. Prøv igen om lidt.');
    }
    const browserKey = randomToken();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    await ui.sessions.beginSignIn(browserKey, { codeVerifier, nonce, returnTo: returnPath(req.query.til) });
    setCookie(res, ui.cookies, BROWSER_COOKIE, browserKey, 600);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl(req),
      scope: mode.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: browserKey,
      nonce,
    });
    res.redirect(303, url.href);
  });

  router.get('/log-ind/callback', async (req, res) => {
    const browserKey = readCookie(req, cookieName(ui.cookies, BROWSER_COOKIE));
    clearCookie(res, ui.cookies, BROWSER_COOKIE);
    const pending = browserKey === undefined ? null : await ui.sessions.takeSignIn(browserKey);
    if (browserKey === undefined || pending === null) {
      return errorPage(ui, req, res, 400, 'Login kunne ikke afsluttes: det blev ikke startet i denne browser, eller det tog for lang tid. Prøv igen.');
    }
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      const current = new URL(req.originalUrl, publicBaseUrl(req));
      tokens = await oidc.authorizationCodeGrant(await configuration(), current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: browserKey,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      ui.logError?.('sign-in refused by the identity provider or its answer failed the checks', error);
      return errorPage(ui, req, res, 403, 'Login blev afvist. Prøv igen, eller kontakt kommunens it-support.');
    }
    let principal;
    try {
      principal = await mode.verifier.verify(tokens.access_token);
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      ui.logError?.(`sign-in refused: the access token is not one the API accepts (${error.reason})`, error);
      return errorPage(ui, req, res, 403, 'Login blev afvist: dit login giver ikke adgang til Fraværsforløb. Kontakt kommunens it-support.');
    }
    const claims = tokens.claims();
    const name = typeof claims?.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : principal.sub;
    const lifetime = Math.min(tokens.expiresIn() ?? SESSION_HOURS * 3600, SESSION_HOURS * 3600);
    await startSession(ui, res, {
      principal,
      displayName: name.slice(0, 120),
      accessToken: tokens.access_token,
      expiresAt: new Date(ui.now().getTime() + lifetime * 1000),
    });
    res.redirect(303, pending.returnTo);
  });

  return router;
}
