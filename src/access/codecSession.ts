/**
 * A browser session for the Temporal UI's codec calls. The UI sends codec requests with cookies
 * (its "include cross-origin credentials" setting) but cannot add a bearer header of ours, so an
 * admin of every school pastes their token once at /codec/session; it is kept in an HttpOnly
 * cookie that only /codec requests carry, and checked on each of them like a bearer token.
 */
import express, { Router, type Request } from 'express';
import { reachOf } from './policy';
import type { Principal } from './principal';
import { IdentityProviderUnavailable, TokenRejected, type TokenVerifier } from './tokens';

export const CODEC_SESSION_COOKIE = 'fravaer_codec';
const EIGHT_HOURS_MS = 8 * 3600 * 1000;

/** The token in the codec session cookie, if the request carries one. */
export function codecSessionToken(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CODEC_SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

const page = (message: string) => `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Fraværsforløb: Temporal UI codec</title></head>
<body>
<h1>Temporal UI: læs krypterede data</h1>
<p>${message}</p>
<form method="post" action="session">
  <label>Bearer token (admin for alle skoler)<br><textarea name="token" rows="6" cols="80" required></textarea></label><br>
  <button type="submit">Gem i denne browser</button>
</form>
<p>Slå derefter «Include cross-origin credentials» til under Codec Server i Temporal UI.</p>
</body></html>`;

function mayDecode(principal: Principal): boolean {
  const reach = reachOf(principal.role, 'decode_payloads');
  return reach === 'any' || (reach === 'all_schools' && principal.schools === 'all');
}

/** Mounted at /codec, before the gate. */
export function codecSessionRouter(verifier: TokenVerifier): Router {
  const router = Router();
  router.get('/session', (_req, res) => {
    res.type('html').send(page('Indsæt dit token for at lade Temporal UI i denne browser vise sagernes data i klar tekst.'));
  });
  router.post('/session', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const token = typeof (req.body as { token?: unknown } | undefined)?.token === 'string' ? ((req.body as { token: string }).token).trim() : '';
    try {
      const principal = await verifier.verify(token);
      if (!mayDecode(principal)) {
        res.status(403).type('html').send(page('Kun en administrator for alle skoler kan læse Temporals data.'));
        return;
      }
    } catch (error) {
      if (error instanceof IdentityProviderUnavailable) {
        res.status(503).set('Retry-After', '5').type('html').send(page('Tokenet kan ikke kontrolleres lige nu. Prøv igen om lidt.'));
        return;
      }
      if (!(error instanceof TokenRejected)) throw error;
      res.status(401).type('html').send(page('Tokenet blev ikke godkendt.'));
      return;
    }
    // SameSite=None: the UI runs on another origin. Secure holds on http://localhost too.
    res.cookie(CODEC_SESSION_COOKIE, token, { httpOnly: true, secure: true, sameSite: 'none', path: '/codec', maxAge: EIGHT_HOURS_MS });
    res.type('html').send(page('Gemt. Temporal UI kan nu vise data i klar tekst i denne browser i op til 8 timer.'));
  });
  return router;
}
