/**
 * How people sign in to the pages. With an identity provider configured, only through it
 * (OpenID Connect, code flow with PKCE); on the embedded default, a local page where one picks a
 * role, a school and a name. The local page does not exist while a provider is configured.
 */
import type { Principal } from '../../access/principal';
import type { TokenVerifier } from '../../access/tokens';

export interface LocalSignIn {
  readonly kind: 'local';
  /** A bearer token for the API, signed with the embedded default's key. */
  issueToken(principal: Principal): Promise<{ token: string; expiresAt: Date }>;
}

export interface OidcSignIn {
  readonly kind: 'oidc';
  /** The provider's issuer URL (discovery at /.well-known/openid-configuration). */
  readonly issuer: string;
  readonly clientId: string;
  /** Unset: a public client (PKCE alone). */
  readonly clientSecret?: string;
  readonly scope: string;
  /** The same check the API makes: the access token must be one it accepts. */
  readonly verifier: TokenVerifier;
}

/** The API trusts a provider, but no browser client is configured for it. */
export interface NoSignIn {
  readonly kind: 'none';
}

export type SignInMode = LocalSignIn | OidcSignIn | NoSignIn;
