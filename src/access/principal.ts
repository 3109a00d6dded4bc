/**
 * Who is calling: the identity a verified bearer token carries. One role per token, bound to the
 * schools it may reach; `*` in `schools` reaches every school of the municipality.
 */
import { z } from 'zod';
import { freeText, schoolId } from '../domain/schemas';

export const ROLES = ['tovholder', 'leader', 'resource_team', 'municipality', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ALL_SCHOOLS = '*';

/** The claims a token must carry beyond the standard ones (iss, aud, exp, sub). */
export const principalClaims = z.object({
  sub: freeText().min(1).max(120),
  role: z.enum(ROLES),
  schools: z.array(z.union([z.literal(ALL_SCHOOLS), schoolId])).min(1).max(200),
});

export interface Principal {
  /** The caller's own identifier; for a tovholder, the `tovholder` value on the cases they coordinate. */
  readonly sub: string;
  readonly role: Role;
  /** Every school, or these. */
  readonly schools: 'all' | readonly string[];
}

export function principalFrom(claims: z.infer<typeof principalClaims>): Principal {
  const schools = claims.schools.includes(ALL_SCHOOLS) ? 'all' : [...new Set(claims.schools)];
  return { sub: claims.sub, role: claims.role, schools };
}

export function reachesSchool(principal: Principal, school: string): boolean {
  return principal.schools === 'all' || principal.schools.includes(school);
}
