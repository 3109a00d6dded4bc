/** The workflow's light check of an update's input (no zod in the sandbox): pure function tests. */
import { describe, expect, it } from 'vitest';
import { inputShapeProblems } from '../../src/domain/inputShape';

describe('inputShapeProblems', () => {
  it('when the input is a well-formed action input, then there is no problem', () => {
    expect(inputShapeProblems({ reason: 'Fravær stiger', escalatedOn: '2026-03-02', externalResources: ['ppr'] })).toEqual([]);
  });

  it('when the input is not an object, then that is the problem', () => {
    for (const input of [null, 'text', 42, ['a']]) expect(inputShapeProblems(input)).toEqual([{ path: '', message: 'must be an object' }]);
  });

  it('when a date does not exist, then its field is named, nested ones by their path', () => {
    expect(inputShapeProblems({ completedOn: '2026-02-30' })).toEqual([{ path: 'completedOn', message: 'is not a date that exists' }]);
    expect(inputShapeProblems({ measures: [{ startsOn: '2026-03-01' }, { startsOn: '2026-13-01' }] })).toEqual([
      { path: 'measures.1.startsOn', message: 'is not a date that exists' },
    ]);
  });

  it('when an input nests deeper than any action takes, then it is refused', () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 10; level += 1) deep = { inner: deep };
    expect(inputShapeProblems(deep)).toHaveLength(1);
  });
});
