/**
 * The access decision for one request, as a pure function of who calls, which route, and the
 * facts of the school or case it touches. No I/O: guard.ts gathers the facts and acts on the answer.
 */
import { reachOf, type Capability } from './policy';
import { reachesSchool, type Principal } from './principal';
import type { ProtectedRoute } from './routes';

/** What the access rules need to know about a case. */
export interface CaseFacts {
  readonly schoolId: string;
  readonly tovholder: string;
  readonly escalationLevel: number;
}

export interface RequestFacts {
  /** For `case` and `draft` routes: the case, or null when there is none. */
  readonly case?: CaseFacts | null;
  /** `?schoolId=` as it came (undefined when left out). */
  readonly querySchool?: unknown;
  /** `:schoolId` of the path. */
  readonly pathSchool?: string;
  /** The body of a case opening. */
  readonly opening?: { readonly schoolId?: unknown; readonly tovholder?: unknown };
}

export type AccessDecision =
  | { readonly allowed: true; readonly capability: Capability; readonly narrowToSchool?: string }
  /** Case and draft routes: indistinguishable from a case that does not exist. */
  | { readonly allowed: false; readonly answer: 'not_found' }
  | { readonly allowed: false; readonly answer: 'forbidden'; readonly field?: string; readonly rule: string }
  /** The request names its school in a way that cannot be checked: a 400 naming the field. */
  | { readonly allowed: false; readonly answer: 'invalid'; readonly field: string; readonly rule: string };

const notFound = { allowed: false, answer: 'not_found' } as const;
const forbidden = (rule: string, field?: string): AccessDecision => ({
  allowed: false,
  answer: 'forbidden',
  rule,
  ...(field !== undefined ? { field } : {}),
});

export function decideAccess(principal: Principal, route: ProtectedRoute, facts: RequestFacts): AccessDecision {
  const schoolLeftOut = route.scope === 'query' && facts.querySchool === undefined;
  const capability = schoolLeftOut && route.withoutSchool !== undefined ? route.withoutSchool : route.capability;
  const reach = reachOf(principal.role, capability);
  const touchesCase = route.scope === 'case' || route.scope === 'draft';

  if (reach === undefined) return touchesCase ? notFound : forbidden(`the role ${principal.role} does not have ${capability}`);
  const allowed = (narrowToSchool?: string): AccessDecision => ({
    allowed: true,
    capability,
    ...(narrowToSchool !== undefined ? { narrowToSchool } : {}),
  });

  if (reach === 'any') return allowed();
  if (reach === 'all_schools') {
    return principal.schools === 'all' ? allowed() : forbidden(`${capability} needs access to every school`, schoolLeftOut ? 'schoolId' : undefined);
  }

  switch (route.scope) {
    case 'case':
    case 'draft': {
      const theCase = facts.case;
      if (!theCase || !reachesSchool(principal, theCase.schoolId)) return notFound;
      if (reach === 'coordinated' && theCase.tovholder !== principal.sub) return notFound;
      if (reach === 'escalated' && theCase.escalationLevel < 1) return notFound;
      return allowed();
    }
    case 'opening': {
      const { schoolId, tovholder } = facts.opening ?? {};
      // A body without these is refused by the route's own validation, naming the field.
      if (typeof schoolId === 'string' && !reachesSchool(principal, schoolId)) return forbidden('is not one of your schools', 'schoolId');
      if (reach === 'coordinated' && typeof tovholder === 'string' && tovholder.trim() !== principal.sub) {
        return forbidden('a tovholder opens only cases they coordinate themselves', 'tovholder');
      }
      return allowed();
    }
    case 'path':
      return facts.pathSchool !== undefined && reachesSchool(principal, facts.pathSchool)
        ? allowed()
        : forbidden('is not one of your schools', 'schoolId');
    case 'query': {
      const school = facts.querySchool;
      if (school !== undefined) {
        if (typeof school !== 'string') return { allowed: false, answer: 'invalid', field: 'schoolId', rule: 'must be given once' };
        return reachesSchool(principal, school) ? allowed() : forbidden('is not one of your schools', 'schoolId');
      }
      if (principal.schools === 'all') return allowed();
      const [only, ...more] = principal.schools;
      if (only !== undefined && more.length === 0) return allowed(only);
      return { allowed: false, answer: 'invalid', field: 'schoolId', rule: 'is required, as your access covers several schools' };
    }
    case 'none':
      return allowed();
  }
}
