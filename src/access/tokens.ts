/**
 * Bearer tokens: JWTs verified against the issuer's public keys. A municipality's OpenID Connect
 * provider publishes them as a JWKS (AUTH_JWKS_URL); for the embedded default, one signing key is
 * made and kept in DATA_DIR, and `npm run token` signs tokens with it for local use.
 */
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { principalClaims, principalFrom, type Principal, type Role } from './principal';

/** Asymmetric algorithms only: a token signed with a shared secret is never accepted. */
const ACCEPTED_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'EdDSA'];
const LOCAL_ALGORITHM = 'ES256';
export const LOCAL_ISSUER = 'fravaersforloeb-local';
export const DEFAULT_AUDIENCE = 'fravaersforloeb';

export type TokenRejection = 'missing' | 'malformed' | 'expired' | 'bad_signature' | 'wrong_issuer' | 'wrong_audience' | 'bad_claims';

export class TokenRejected extends Error {
  constructor(readonly reason: TokenRejection) {
    super(`token rejected: ${reason}`);
    this.name = 'TokenRejected';
  }
}

/**
 * The identity provider's keys could not be fetched (down, timed out, answering junk): nothing
 * is known about the token, so the caller is not refused but asked to come back (503).
 */
export class IdentityProviderUnavailable extends Error {
  constructor(cause: unknown) {
    super('the identity provider’s keys could not be fetched', { cause });
    this.name = 'IdentityProviderUnavailable';
  }
}

export interface TokenVerifier {
  /** The caller the token names, or TokenRejected saying why not (IdentityProviderUnavailable: nobody can tell now). */
  verify(token: string): Promise<Principal>;
}

export interface VerifierOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** The current instant (tests move it); default the clock. */
  now?: () => number;
}

/** Seconds past `exp` a token is still accepted (clocks of the provider and this service differ). */
const CLOCK_TOLERANCE_SECONDS = 30;
/**
 * A verified token is remembered for at most this long (and never past its expiry), so each
 * request of a signed-in person does not check the signature again; a key the provider has
 * withdrawn stops being trusted within it.
 */
const VERIFIED_FOR_MS = 60_000;
const REMEMBERED_TOKENS = 1_000;

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  const verified = new Map<string, { principal: Principal; until: number }>();
  const remember = (token: string, principal: Principal, expSeconds: number) => {
    if (verified.size >= REMEMBERED_TOKENS) {
      // The oldest entry goes first (a Map keeps insertion order).
      const oldest = verified.keys().next();
      if (!oldest.done) verified.delete(oldest.value);
    }
    verified.set(token, { principal, until: Math.min(now() + VERIFIED_FOR_MS, (expSeconds + CLOCK_TOLERANCE_SECONDS) * 1000) });
  };
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known !== undefined) {
        if (now() < known.until) return known.principal;
        verified.delete(token);
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, options.keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ACCEPTED_ALGORITHMS,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
        }));
      } catch (error) {
        if (error instanceof IdentityProviderUnavailable) throw error;
        throw new TokenRejected(rejectionOf(error));
      }
      const claims = principalClaims.safeParse(payload);
      if (!claims.success) throw new TokenRejected('bad_claims');
      const principal = principalFrom(claims.data);
      // `exp` is required above, so jose has checked it is a number.
      if (payload.exp !== undefined) remember(token, principal, payload.exp);
      return principal;
    },
  };
}

function rejectionOf(error: unknown): TokenRejection {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'iss') return 'wrong_issuer';
    return 'bad_claims';
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) return 'bad_signature';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'bad_signature';
  return 'malformed';
}

/** How long one fetch of the provider's keys may take before the request is answered 503. */
const JWKS_FETCH_TIMEOUT_MS = 2_000;

/**
 * Errors of the key set that say something about the token (its `kid` or algorithm); any other
 * failure to get a key is the provider's (network, timeout, not 200, not a JWKS).
 */
function isAboutTheToken(error: unknown): boolean {
  return (
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JWKSMultipleMatchingKeys ||
    error instanceof joseErrors.JOSENotSupported ||
    error instanceof joseErrors.JOSEAlgNotAllowed
  );
}

/** Keys published by an OpenID Connect provider (its `jwks_uri`); fetched and cached by jose. */
export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  const keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: JWKS_FETCH_TIMEOUT_MS });
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      throw isAboutTheToken(error) ? error : new IdentityProviderUnavailable(error);
    }
  };
}

export function localKeys(publicKeys: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(publicKeys);
}

/** A signing key pair as JWKs; the private one never leaves DATA_DIR. */
export interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export async function generateSigningKey(kid = `local-${Date.now().toString(36)}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
  const meta = { kid, alg: LOCAL_ALGORITHM, use: 'sig' };
  return { kid, privateJwk: { ...(await exportJWK(privateKey)), ...meta }, publicJwk: { ...(await exportJWK(publicKey)), ...meta } };
}

export function signingKeyPath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'token-signing-key.json');
}

/** The embedded default's signing key: read from DATA_DIR, or made and kept there (owner-only) the first time. */
export async function localSigningKey(dataDir: string): Promise<SigningKey> {
  const file = signingKeyPath(dataDir);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SigningKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = await generateSigningKey();
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx': two processes starting at once must not both write; the loser reads the winner's key.
  try {
    await writeFile(file, JSON.stringify(key), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(await readFile(file, 'utf8')) as SigningKey;
    throw error;
  }
  await chmod(file, 0o600);
  return key;
}

export interface TokenRequest {
  sub: string;
  role: Role;
  schools: readonly string[];
  issuer: string;
  audience: string;
  /** Default 8 hours: a working day. */
  expiresInSeconds?: number;
}

export async function signToken(key: SigningKey, request: TokenRequest): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, LOCAL_ALGORITHM);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: request.role, schools: [...request.schools] })
    .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.expiresInSeconds ?? 8 * 3600))
    .sign(privateKey);
}
