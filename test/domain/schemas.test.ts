/**
 * The request schemas, as the API and the workflow's validators use them (through parseWith).
 */
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../src/domain/errors';
import {
  closureInput,
  completeStepInput,
  followUpInput,
  openCaseInput,
  planInput,
  pupilRef,
} from '../../src/domain/schemas';
import { parseWith } from '../../src/domain/validation';

const openCase = (ref: string) => ({
  pupilRef: ref,
  schoolId: 'S1',
  grade: 5,
  tovholder: 'tovholder-kim',
  openedOn: '2026-11-18',
  concern: { source: 'staff' },
});

describe('pupilRef: never a CPR number', () => {
  it.each([
    ['DDMMYY-XXXX', '010203-1234'],
    ['ten digits', '0102031234'],
    ['ten digits inside a longer reference', 'P-0102031234'],
    ['DDMMYY-XXXX inside a longer reference', 'elev.010203-1234.a'],
    ['eleven digits (contains ten in a row)', '01020312345'],
  ])('when a case is opened with a pupilRef shaped like a CPR number (%s), then it is refused on `pupilRef`', (_label, ref) => {
    const parsed = parseWith(openCaseInput, openCase(ref));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('invalid_input');
    expect(parsed.error.errors.map((problem) => problem.path)).toEqual(['pupilRef']);
    expect(parsed.error.errors[0]?.message).toContain('CPR');
    // the refusal never repeats the number that was typed
    expect(parsed.error.detail).not.toContain(ref);
    expect(JSON.stringify(parsed.error)).not.toContain('1234');
  });

  it.each(['P-4711', 'S1.elev_17', '123456789', '010203-123', 'AB-01-02-03'])(
    'when the pupilRef is %s (not CPR-shaped), then it is accepted',
    (ref) => {
      const parsed = parseWith(openCaseInput, openCase(ref));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.pupilRef).toBe(ref);
    },
  );

  it('when the pupilRef contains a space or is empty, then it is refused on `pupilRef`', () => {
    for (const ref of ['Jens Hansen', '']) {
      const parsed = parseWith(openCaseInput, openCase(ref));
      expect(parsed.ok).toBe(false);
      // an empty value breaks two rules (length and characters); both are on pupilRef
      if (!parsed.ok) expect([...new Set(parsed.error.errors.map((problem) => problem.path))]).toEqual(['pupilRef']);
    }
  });

  it('when the pupilRef schema is used on its own, then P-4711 passes and 0102031234 fails', () => {
    expect(pupilRef.safeParse('P-4711').success).toBe(true);
    expect(pupilRef.safeParse('0102031234').success).toBe(false);
  });
});

describe('opening a case', () => {
  it('when a field is unknown, the grade out of range or the date impossible, then each is named', () => {
    const parsed = parseWith(openCaseInput, {
      ...openCase('P-4711'),
      grade: 11,
      openedOn: '2026-02-30',
      name: 'Jens',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    // API.md: `errors` names each bad field, an unknown one included
    expect(parsed.error.errors.map((problem) => problem.path).sort()).toEqual(['grade', 'name', 'openedOn']);
    expect(parsed.error.errors.find((problem) => problem.path === 'openedOn')?.message).toContain('YYYY-MM-DD');
  });

  it('when the concern source is not one of the four, then concern.source is named', () => {
    const parsed = parseWith(openCaseInput, { ...openCase('P-4711'), concern: { source: 'neighbour' } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.errors.map((problem) => problem.path)).toEqual(['concern.source']);
  });
});

describe('command bodies', () => {
  it('when a measure in a plan has a bad date, then the path names the measure by index', () => {
    const parsed = parseWith(planInput, {
      measures: [
        { track: 'teaching', description: 'Online', responsible: 'Lærer', startsOn: '2026-12-14', reviewOn: '2027-01-04' },
        { track: 'community', description: 'Makker', responsible: 'Lærer', startsOn: '14-12-2026', reviewOn: '2027-01-04' },
      ],
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.errors.map((problem) => problem.path)).toEqual(['measures[1].startsOn']);
  });

  it('when a plan has no measures, then `measures` is named', () => {
    const parsed = parseWith(planInput, { measures: [] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.errors.map((problem) => problem.path)).toEqual(['measures']);
  });

  it('when a follow-up outcome or review effect is unknown, then each is named', () => {
    const parsed = parseWith(followUpInput, {
      heldOn: '2027-01-05',
      reviews: [{ measureId: 'M1', done: true, effect: 'great', action: 'keep' }],
      outcome: 'give_up',
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.errors.map((problem) => problem.path).sort()).toEqual(['outcome', 'reviews[0].effect']);
  });

  it('when a closure leaves out criteria or bridging, then each is named', () => {
    const parsed = parseWith(closureInput, { relapsePreventionPlan: 'Plan' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.errors.map((problem) => problem.path).sort()).toEqual(['bridging', 'criteria']);
  });

  it('when a body fails inside an update, then a prefix puts the path under it', () => {
    const parsed = parseWith(completeStepInput, { completedOn: 'yesterday' }, ['body']);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.errors.map((problem) => problem.path)).toEqual(['body.completedOn']);
      expect(parsed.error.detail).toContain('body.completedOn:');
    }
  });

  it('when paths are written, then indexes use brackets and names dots', () => {
    expect(formatPath(['measures', 2, 'reviewOn'])).toBe('measures[2].reviewOn');
    expect(formatPath(['criteria', 'partiesAgree'])).toBe('criteria.partiesAgree');
    expect(formatPath([])).toBe('');
  });
});
