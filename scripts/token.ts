/**
 * `npm run token -- --role leader --school S1 [--school S2 | --school '*'] [--sub leader-anna] [--hours 8]`
 *
 * Prints a bearer token for local use, signed by the key the embedded default keeps in
 * DATA_DIR/keys (made on first use). Only for the embedded default: with AUTH_JWKS_URL set,
 * tokens come from the municipality's OpenID Connect provider and this refuses.
 *
 *   TOKEN=$(npm run --silent token -- --role leader --school S1)
 *   curl -H "Authorization: Bearer $TOKEN" localhost:3000/api/overdue
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LOCAL_ISSUER, localSigningKey, ROLES, signToken } from '../src/access';
import { principalClaims } from '../src/access/principal';
import { loadConfig } from '../src/config';

const USAGE = `usage: npm run token -- --role ${ROLES.join('|')} --school S1 [--school S2 | --school '*'] [--sub NAME] [--hours 8]`;

const options = z.object({
  role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(', ')}` }),
  school: z.array(z.string()).min(1, '--school is required (repeat it for several; * for every school)'),
  sub: z.string().min(1).max(120).optional(),
  hours: z.coerce.number().positive('--hours must be more than 0').max(24 * 30, '--hours must be at most 720').default(8),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      school: { type: 'string', multiple: true },
      sub: { type: 'string' },
      hours: { type: 'string' },
    },
  });
  const parsed = options.safeParse({ ...values, school: values.school ?? [] });
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n${USAGE}`);
  const { role, school: schools, hours } = parsed.data;
  const sub = parsed.data.sub ?? `${role}-local`;
  const claims = principalClaims.safeParse({ sub, role, schools });
  if (!claims.success) throw new Error(`--school: each must be a school id (letters, digits, _ and -) or *\n${USAGE}`);

  const config = loadConfig();
  if (config.auth.jwksUrl !== undefined) {
    throw new Error('AUTH_JWKS_URL is set: tokens come from that OpenID Connect provider, not from this command');
  }
  const key = await localSigningKey(config.dataDir);
  const token = await signToken(key, {
    sub,
    role,
    schools,
    issuer: config.auth.issuer ?? LOCAL_ISSUER,
    audience: config.auth.audience,
    expiresInSeconds: Math.round(hours * 3600),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
