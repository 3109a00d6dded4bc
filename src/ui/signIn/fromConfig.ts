/** The way people sign in to the pages, from the same settings that decide which tokens the API trusts. */
import { LOCAL_ISSUER, localSigningKey, signToken, type TokenVerifier } from '../../access/tokens';
import type { AuthConfig } from '../../config';
import type { SignInMode } from './signInMode';

const LOCAL_SESSION_SECONDS = 8 * 3600;

export async function signInModeFor(auth: AuthConfig, dataDir: string, verifier: TokenVerifier): Promise<SignInMode> {
  if (auth.jwksUrl === undefined) {
    const key = await localSigningKey(dataDir);
    return {
      kind: 'local',
      async issueToken(principal) {
        const schools = principal.schools === 'all' ? ['*'] : principal.schools;
        const token = await signToken(key, {
          sub: principal.sub,
          role: principal.role,
          schools,
          issuer: auth.issuer ?? LOCAL_ISSUER,
          audience: auth.audience,
          expiresInSeconds: LOCAL_SESSION_SECONDS,
        });
        return { token, expiresAt: new Date(Date.now() + LOCAL_SESSION_SECONDS * 1000) };
      },
    };
  }
  if (auth.clientId === undefined || auth.issuer === undefined) return { kind: 'none' };
  return {
    kind: 'oidc',
    issuer: auth.issuer,
    clientId: auth.clientId,
    ...(auth.clientSecret !== undefined ? { clientSecret: auth.clientSecret } : {}),
    scope: auth.scopes ?? 'openid profile',
    verifier,
  };
}
