/** decideAccess as a pure function: who, which route, which facts → the answer. */
import { describe, expect, it } from 'vitest';
import { decideAccess, PROTECTED_ROUTES, type Principal, type ProtectedRoute } from '../../src/access';

const route = (method: string, path: string): ProtectedRoute => {
  const found = PROTECTED_ROUTES.find((candidate) => candidate.method === method && candidate.path === path);
  if (!found) throw new Error(`no such route ${method} ${path}`);
  return found;
};
const READ_CASE = route('GET', '/api/cases/:caseId');
const ACT = route('POST', '/api/cases/:caseId/escalations');
const BOARD = route('GET', '/api/overdue');
const HOLIDAYS = route('PUT', '/api/calendar/school-holidays');
const OPEN = route('POST', '/api/cases');

const who = (role: Principal['role'], schools: Principal['schools'] = ['S1'], sub = `${role}-1`): Principal => ({ role, schools, sub });
const aCase = (overrides: Partial<{ schoolId: string; tovholder: string; escalationLevel: number }> = {}) => ({
  schoolId: 'S1',
  tovholder: 'tovholder-1',
  escalationLevel: 0,
  ...overrides,
});

describe('decideAccess', () => {
  it('when a tovholder acts on a case at their school coordinated by someone else, then it is not found; their own is allowed', () => {
    expect(decideAccess(who('tovholder'), ACT, { case: aCase({ tovholder: 'tovholder-2' }) })).toEqual({ allowed: false, answer: 'not_found' });
    expect(decideAccess(who('tovholder'), ACT, { case: aCase() })).toMatchObject({ allowed: true });
    expect(decideAccess(who('tovholder'), READ_CASE, { case: aCase({ tovholder: 'tovholder-2' }) })).toMatchObject({ allowed: true });
  });

  it('when the resource team reads a case, then only an escalated one at their school is found', () => {
    expect(decideAccess(who('resource_team'), READ_CASE, { case: aCase() })).toEqual({ allowed: false, answer: 'not_found' });
    expect(decideAccess(who('resource_team'), READ_CASE, { case: aCase({ escalationLevel: 2 }) })).toMatchObject({ allowed: true });
    expect(decideAccess(who('resource_team'), READ_CASE, { case: aCase({ escalationLevel: 2, schoolId: 'S2' }) })).toEqual({ allowed: false, answer: 'not_found' });
  });

  it('when a case does not exist, then the answer is the same as for one out of reach', () => {
    expect(decideAccess(who('leader', 'all'), READ_CASE, { case: null })).toEqual({ allowed: false, answer: 'not_found' });
  });

  it('when a list leaves out the school, then it narrows to a caller’s only school, is open to every school for `*`, and asks with several', () => {
    expect(decideAccess(who('leader'), BOARD, {})).toEqual({ allowed: true, capability: 'read_overdue_board', narrowToSchool: 'S1' });
    expect(decideAccess(who('leader', 'all'), BOARD, {})).toEqual({ allowed: true, capability: 'read_overdue_board' });
    expect(decideAccess(who('leader', ['S1', 'S2']), BOARD, {})).toMatchObject({ allowed: false, answer: 'invalid', field: 'schoolId' });
    expect(decideAccess(who('leader'), BOARD, { querySchool: ['S1', 'S2'] })).toMatchObject({ allowed: false, answer: 'invalid', field: 'schoolId' });
  });

  it('when holidays are set without a school, then it takes an admin of every school', () => {
    expect(decideAccess(who('admin'), HOLIDAYS, {})).toMatchObject({ allowed: false, answer: 'forbidden' });
    expect(decideAccess(who('admin', 'all'), HOLIDAYS, {})).toEqual({ allowed: true, capability: 'manage_municipality_settings' });
    expect(decideAccess(who('admin'), HOLIDAYS, { querySchool: 'S1' })).toEqual({ allowed: true, capability: 'manage_settings' });
  });

  it('when a case is opened, then the school must be the caller’s, and a tovholder must name themselves', () => {
    expect(decideAccess(who('leader'), OPEN, { opening: { schoolId: 'S2', tovholder: 'x' } })).toMatchObject({ answer: 'forbidden', field: 'schoolId' });
    expect(decideAccess(who('tovholder'), OPEN, { opening: { schoolId: 'S1', tovholder: 'someone' } })).toMatchObject({ answer: 'forbidden', field: 'tovholder' });
    expect(decideAccess(who('tovholder'), OPEN, { opening: { schoolId: 'S1', tovholder: ' tovholder-1 ' } })).toMatchObject({ allowed: true });
  });

  it('when a role lacks the capability, then school routes answer forbidden and case routes not found', () => {
    expect(decideAccess(who('municipality', 'all'), BOARD, {})).toMatchObject({ allowed: false, answer: 'forbidden' });
    expect(decideAccess(who('municipality', 'all'), READ_CASE, { case: aCase() })).toEqual({ allowed: false, answer: 'not_found' });
  });
});
