/**
 * The request schemas, as the API and the workflow's validators use them (through parseWith).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { formatPath } from '../../src/domain/errors';
import {
  assessmentInput,
  closureInput,
  completeStepInput,
  escalationInput,
  followUpInput,
  holiday,
  isoDate,
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

describe('pupilRef: CPR numbers written with other separators (issue 11)', () => {
  it.each(['010203.1234', '010203_1234', '01-02-03-1234', '01.02.03-1234', '0102-03-1234', '010203 1234', '01 02 03 1234', 'P-01.02.03_1234'])(
    'when the pupilRef is %s, then it is refused on `pupilRef` as CPR-shaped',
    (ref) => {
      const parsed = parseWith(pupilRef, ref);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.errors.some((problem) => problem.message.includes('CPR'))).toBe(true);
    },
  );

  it.each(['P-4711', '2024-0001-0002', 'S1.elev_17', 'P-2026-17', 'AB-01-02-03', '010203-123'])(
    'when the pupilRef is %s (no CPR shape), then it is accepted',
    (ref) => {
      expect(pupilRef.safeParse(ref).success).toBe(true);
    },
  );
});

/** A valid body for each request schema and the paths of its dates and free-text fields. */
const validMeasure = { track: 'teaching', description: 'Online', responsible: 'Lærer', startsOn: '2026-12-14', reviewOn: '2027-01-04' };
const validClosure = {
  criteria: {
    regularAttendance: true,
    wellbeingImproving: true,
    communityChallengesReduced: true,
    pupilMotivated: true,
    partiesAgree: true,
    measuresToKeep: ['Makker'],
  },
  relapsePreventionPlan: 'Plan',
  bridging: { decision: 'other', note: 'Klub' },
  closedOn: '2026-11-20',
};
const bodies: [string, z.ZodType, Record<string, unknown>, string[], string[]][] = [
  ['openCaseInput', openCaseInput, { ...openCase('P-4711'), concern: { source: 'staff', note: 'n' } }, ['openedOn'], ['tovholder', 'concern.note']],
  ['completeStepInput', completeStepInput, { completedOn: '2026-11-20', note: 'n' }, ['completedOn'], ['note']],
  ['assessmentInput', assessmentInput, { decision: 'close', rationale: 'r', decidedOn: '2026-11-20' }, ['decidedOn'], ['rationale']],
  [
    'planInput',
    planInput,
    { measures: [{ ...validMeasure, measureId: 'M1' }], adoptedOn: '2026-11-20' },
    ['adoptedOn', 'measures[0].startsOn', 'measures[0].reviewOn'],
    ['measures[0].description', 'measures[0].responsible', 'measures[0].measureId'],
  ],
  [
    'followUpInput',
    followUpInput,
    { heldOn: '2026-11-20', reviews: [{ measureId: 'M1', done: true, effect: 'some', action: 'keep' }], outcome: 'continue', nextFollowUpOn: '2027-01-20' },
    ['heldOn', 'nextFollowUpOn'],
    ['reviews[0].measureId'],
  ],
  ['escalationInput', escalationInput, { reason: 'r' }, [], ['reason']],
  ['closureInput', closureInput, validClosure, ['closedOn'], ['relapsePreventionPlan', 'bridging.note', 'criteria.measuresToKeep[0]']],
  ['holiday', holiday, { from: '2026-10-12', to: '2026-10-16', name: 'Efterår' }, ['from', 'to'], ['name']],
];

function withValueAt(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split(/[.[\]]+/).filter((key) => key !== '');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys.at(-1)!] = value;
  return copy;
}

describe('dates bounded to 2000-01-01 … 2100-12-31 (issue 11)', () => {
  it.each(bodies)('when %s is valid, then it parses', (_name, schema, body) => {
    expect(parseWith(schema, body)).toMatchObject({ ok: true });
  });

  const cases = bodies.flatMap(([name, schema, body, dates]) =>
    dates.flatMap((path) => ['0200-10-12', '0000-01-01', '1999-12-31', '2101-01-01', '9999-12-31'].map((date) => [name, path, date, schema, body] as const)),
  );
  it.each(cases)('when %s.%s is %s, then it is refused naming that field, in milliseconds', (_name, path, date, schema, body) => {
    const started = performance.now();
    const parsed = parseWith(schema, withValueAt(body, path, date));
    expect(performance.now() - started).toBeLessThan(50);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.errors).toEqual([{ path, message: expect.stringContaining('2000-01-01') }]);
  });

  it('when a date is on either bound, then it is accepted', () => {
    expect(isoDate.safeParse('2000-01-01').success).toBe(true);
    expect(isoDate.safeParse('2100-12-31').success).toBe(true);
  });

  it('when a holiday lasts more than 92 days, then `to` is named', () => {
    const parsed = parseWith(holiday, { from: '2026-01-01', to: '2026-04-03', name: 'Lukket' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.errors).toEqual([{ path: 'to', message: 'a holiday lasts at most 92 days' }]);
    expect(parseWith(holiday, { from: '2026-01-01', to: '2026-04-02', name: 'Lukket' }).ok).toBe(true);
  });
});

describe('free text PostgreSQL cannot store (issue 11)', () => {
  const cases = bodies.flatMap(([name, schema, body, , texts]) =>
    texts.flatMap((path) =>
      [
        ['NUL', 'a\u0000b'],
        ['a lone high surrogate', 'a\ud800b'],
        ['a lone low surrogate', 'a\udc00'],
      ].map(([label, text]) => [name, path, label, text, schema, body] as const),
    ),
  );
  it.each(cases)('when %s.%s contains %s, then it is refused naming that field', (_name, path, _label, text, schema, body) => {
    const parsed = parseWith(schema, withValueAt(body, path, text));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.errors).toEqual([{ path, message: expect.stringContaining('cannot be stored') }]);
  });

  it('when free text holds emoji (paired surrogates) and Danish letters, then it is accepted', () => {
    expect(parseWith(escalationInput, { reason: 'Æbler og 😀 på én gang' }).ok).toBe(true);
  });
});
