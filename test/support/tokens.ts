/**
 * Bearer tokens for tests: one signing key per test process, a verifier that trusts it, and
 * tokens for any role. The verifier is the service's own (src/access/tokens.ts); only the key is
 * made here instead of being read from DATA_DIR.
 */
import {
  createTokenVerifier,
  DEFAULT_AUDIENCE,
  generateSigningKey,
  LOCAL_ISSUER,
  localKeys,
  signToken,
  type Role,
  type SigningKey,
  type TokenVerifier,
} from '../../src/access';
import type { LocalSignIn } from '../../src/ui';

let key: Promise<SigningKey> | undefined;
const signingKey = () => (key ??= generateSigningKey('test-key'));

export async function testTokenVerifier(): Promise<TokenVerifier> {
  const { publicJwk } = await signingKey();
  return createTokenVerifier({ keys: localKeys({ keys: [publicJwk] }), issuer: LOCAL_ISSUER, audience: DEFAULT_AUDIENCE });
}

export interface TestIdentity {
  role: Role;
  /** Default: every school. */
  schools?: readonly string[];
  /** Default: `<role>-test`. */
  sub?: string;
  expiresInSeconds?: number;
  /** Default: the service's own. */
  issuer?: string;
  audience?: string;
}

export async function tokenFor(identity: TestIdentity): Promise<string> {
  return signToken(await signingKey(), {
    sub: identity.sub ?? `${identity.role}-test`,
    role: identity.role,
    schools: identity.schools ?? ['*'],
    issuer: identity.issuer ?? LOCAL_ISSUER,
    audience: identity.audience ?? DEFAULT_AUDIENCE,
    ...(identity.expiresInSeconds !== undefined ? { expiresInSeconds: identity.expiresInSeconds } : {}),
  });
}

/**
 * Who the feature tests act as, by route: the municipality for analytics, an admin for settings,
 * notifications and the audit log, otherwise a leader of every school (who may read and act on
 * every case). The access rules themselves are tested role by role in test/access.
 */
export function roleForRoute(method: string, path: string): Role {
  const route = path.split('?')[0] ?? path;
  if (route.startsWith('/api/analytics')) return 'municipality';
  if (route.startsWith('/api/notifications') || route.startsWith('/api/audit') || route.startsWith('/codec')) return 'admin';
  if (route.startsWith('/api/resource-team/rhythm')) return 'admin';
  if (method !== 'GET' && /^\/api\/(calendar\/school-holidays?|letter-templates|schools\/[^/]+\/contacts)/.test(route)) return 'admin';
  return 'leader';
}

/** A bearer header per route for HttpClient (see roleForRoute). */
export function routeTokens(): (method: string, path: string) => Promise<string> {
  const byRole = new Map<Role, string>();
  return async (method, path) => {
    const role = roleForRoute(method, path);
    let token = byRole.get(role);
    if (token === undefined) {
      token = await tokenFor({ role });
      byRole.set(role, token);
    }
    return token;
  };
}

/**
 * The local sign-in page's mode, signing with this process's test key (what `npm start` does with
 * the key in DATA_DIR), so sessions made in tests carry tokens the test verifier accepts.
 */
export function testLocalSignIn(): LocalSignIn {
  return {
    kind: 'local',
    async issueToken(principal) {
      const schools = principal.schools === 'all' ? ['*'] : principal.schools;
      const token = await tokenFor({ role: principal.role, schools, sub: principal.sub, expiresInSeconds: 3600 });
      return { token, expiresAt: new Date(Date.now() + 3600_000) };
    },
  };
}
