/**
 * For the schemathesis run (scripts/schemathesis/run.sh): signs a local token for every role with
 * the key the running service keeps in DATA_DIR/keys (as `npm run token` does), and says which
 * roles each operation admits (the access table), so the hooks send each request as a role that
 * gets past the gate most of the time and as the other roles some of the time. Prints JSON.
 */
import { ACCESS_TABLE, LOCAL_ISSUER, PROTECTED_ROUTES, ROLES, localSigningKey, signToken, type Role } from '../../src/access';
import { loadConfig } from '../../src/config';

/** The role tried first where several are admitted: the one whose reach goes furthest into cases. */
const PREFERENCE: readonly Role[] = ['leader', 'admin', 'municipality', 'resource_team', 'tovholder'];

const config = loadConfig();
const key = await localSigningKey(config.dataDir);
const tokens: Partial<Record<Role, string>> = {};
for (const role of ROLES) {
  tokens[role] = await signToken(key, {
    sub: `${role}-schemathesis`,
    role,
    // Every school: fuzzed school ids are random, and the cases it opens must stay in reach.
    schools: ['*'],
    issuer: config.auth.issuer ?? LOCAL_ISSUER,
    audience: config.auth.audience,
    expiresInSeconds: 3600,
  });
}

const operations: Record<string, Role[]> = {};
for (const route of PROTECTED_ROUTES) {
  const capabilities = [route.capability, ...(route.withoutSchool ? [route.withoutSchool] : [])];
  const admitted = PREFERENCE.filter((role) => capabilities.some((capability) => ACCESS_TABLE[capability][role] !== undefined));
  // OpenAPI's path template for the express path.
  operations[`${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`] = admitted;
}

process.stdout.write(`${JSON.stringify({ tokens, operations })}\n`);
