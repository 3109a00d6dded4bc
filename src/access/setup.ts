/** The token verifier the configuration asks for: the OIDC provider's keys, or the local key in DATA_DIR. */
import type { AuthConfig } from '../config';
import { createTokenVerifier, LOCAL_ISSUER, localKeys, localSigningKey, remoteKeys, type TokenVerifier } from './tokens';

export async function tokenVerifierFor(auth: AuthConfig, dataDir: string): Promise<TokenVerifier> {
  if (auth.jwksUrl !== undefined) {
    return createTokenVerifier({ keys: remoteKeys(auth.jwksUrl), issuer: auth.issuer ?? '', audience: auth.audience });
  }
  const key = await localSigningKey(dataDir);
  return createTokenVerifier({ keys: localKeys({ keys: [key.publicJwk] }), issuer: auth.issuer ?? LOCAL_ISSUER, audience: auth.audience });
}
