/**
 * The seed generator's pure half: the same seed writes the same cases, every case keeps the
 * rules' dates (nothing after today, actions in order, follow-ups 8–12 weeks apart, closures 3–12
 * months after opening), every plan has all three tracks, and the whole scenario looks like a
 * municipality (about a third open, ~15 % closed at the assessment, a few relapses, few at
 * escalation level 3). Finally every script is played through the case machine itself, with the
 * workflow's own validation, by the real driver: no rule refuses a generated action.
 */
import { createActor, type Actor } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import { DomainFailure } from '../../src/domain/errors';
import { danishDateOf } from '../../src/domain/dates';
import {
  assessmentInput,
  closureInput,
  escalationInput,
  followUpInput,
  openCaseInput,
  planInput,
  type CaseView,
  type OpenCaseInput,
} from '../../src/domain/schemas';
import { parseWith } from '../../src/domain/validation';
import { caseMachine, checkCommand, toCaseView, type CaseCommand } from '../../src/machines';
import { runScripts, type SeedService } from '../../src/seed/driver';
import { dayOfWeek, daysBetween } from '../../src/seed/calendar';
import {
  CLOSE_MAX_DAYS,
  CLOSE_MIN_DAYS,
  HISTORY_DAYS,
  RELAPSE_WITHIN_DAYS,
  generateScenario,
  summarizeScenario,
  type CaseScript,
  type SeedMeasure,
} from '../../src/seed/plan';
import { Random } from '../../src/seed/random';
import { completeStepUpdateInput } from '../../src/domain/schemas';
import type { CaseAck } from '../../src/workflows/definitions';

const TODAY = '2026-11-20';

describe('the seedable random generator', () => {
  it('when seeded alike, then it gives the same stream; a derived stream depends only on seed and key', () => {
    const draw = (r: Random) => Array.from({ length: 20 }, () => r.nextUint32());
    expect(draw(new Random(42))).toEqual(draw(new Random(42)));
    expect(draw(new Random(42))).not.toEqual(draw(new Random(43)));
    expect(draw(Random.derive(42, 'case:7'))).toEqual(draw(Random.derive(42, 'case:7')));
    expect(draw(Random.derive(42, 'case:7'))).not.toEqual(draw(Random.derive(42, 'case:8')));
  });

  it('when drawing integers, then they stay in range and cover it', () => {
    const r = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i += 1) {
      const n = r.int(3, 9);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(9);
      seen.add(n);
    }
    expect(seen.size).toBe(7);
  });
});

describe('a generated scenario', () => {
  it('when generated twice with the same seed and today, then it is the same; another seed gives other cases', () => {
    const a = generateScenario({ cases: 300, seed: 42, today: TODAY });
    expect(generateScenario({ cases: 300, seed: 42, today: TODAY })).toEqual(a);
    expect(generateScenario({ cases: 300, seed: 43, today: TODAY })).not.toEqual(a);
    // A longer run begins with the same cases.
    expect(generateScenario({ cases: 1000, seed: 42, today: TODAY }).slice(0, 300)).toEqual(a);
  });

  // Several seeds and "todays" (a Sunday, a day in the summer holiday, a Monday) for coverage.
  const scenarios: [number, string][] = [
    [42, TODAY],
    [7, '2026-11-22'],
    [2024, '2027-07-15'],
    [99, '2026-01-05'],
  ];

  describe.each(scenarios)('with seed %i and today %s', (seed, today) => {
    const scripts = generateScenario({ cases: 1500, seed, today });

    it('then every case opens on a school day within the last ~18 months, with opaque references', () => {
      for (const script of scripts) {
        const { open } = script;
        expect(openCaseInput.safeParse(open).success, `case #${script.index} opening`).toBe(true);
        expect(open.openedOn <= today).toBe(true);
        expect(daysBetween(open.openedOn, today)).toBeLessThanOrEqual(HISTORY_DAYS);
        expect([0, 6]).not.toContain(dayOfWeek(open.openedOn));
        expect(open.pupilRef).toMatch(/^P-S\d{2}-\d{5}$/);
        expect(open.pupilRef).not.toMatch(/\d{6}-?\d{4}/);
        expect(open.tovholder).toMatch(new RegExp(`^tov-${open.schoolId}-\\d$`));
        expect(open.grade).toBeGreaterThanOrEqual(0);
        expect(open.grade).toBeLessThanOrEqual(10);
      }
    });

    it('then every action is dated no later than today, after the opening, and in order', () => {
      for (const script of scripts) {
        let previous = script.open.openedOn;
        for (const action of script.actions) {
          expect(action.on >= previous, `case #${script.index}: ${action.type} on ${action.on} after ${previous}`).toBe(true);
          expect(action.on <= today).toBe(true);
          previous = action.on;
        }
        const closeAt = script.actions.findIndex((action) => action.type === 'close');
        if (closeAt >= 0) expect(closeAt).toBe(script.actions.length - 1);
      }
    });

    it('then the assessment follows all three mapping tracks, and plans and follow-ups follow the assessment', () => {
      for (const script of scripts) {
        const types = script.actions.map((action) => action.type);
        const assessAt = types.indexOf('assess');
        if (assessAt < 0) {
          expect(types.every((type) => type === 'completeStep' || type === 'escalate')).toBe(true);
          continue;
        }
        const mapped = script.actions.slice(0, assessAt).filter((action) => action.type === 'completeStep');
        expect(new Set(mapped.map((action) => action.type === 'completeStep' && action.stepId)).size).toBe(3);
        expect(types.slice(assessAt + 1)).not.toContain('completeStep');
      }
    });

    it('then every plan has measures in all three tracks, carries only measures it had, and dates them sensibly', () => {
      for (const script of scripts) {
        let current: SeedMeasure[] = [];
        for (const action of script.actions) {
          if (action.type !== 'plan') continue;
          expect(new Set(action.measures.map((m) => m.track))).toEqual(new Set(['pupil_parents', 'community', 'teaching']));
          const refs = action.measures.map((m) => m.ref);
          expect(new Set(refs).size).toBe(refs.length);
          for (const measure of action.measures) {
            if (measure.carried) expect(current.map((m) => m.ref)).toContain(measure.ref);
            expect(measure.startsOn >= script.open.openedOn).toBe(true);
            expect(measure.reviewOn >= measure.startsOn).toBe(true);
            expect(measure.description.trim()).not.toBe('');
            expect(measure.responsible.trim()).not.toBe('');
          }
          expect(planInput.safeParse({ measures: action.measures.map(({ ref: _r, carried: _c, ...m }) => m), adoptedOn: action.on }).success).toBe(true);
          current = action.measures;
        }
      }
    });

    it('then each follow-up reviews every measure of the current plan and sets the next one 8 to 12 weeks ahead', () => {
      for (const script of scripts) {
        let current: SeedMeasure[] = [];
        let level = 0;
        for (const action of script.actions) {
          if (action.type === 'plan') current = action.measures;
          if (action.type === 'escalate') {
            level += 1;
            expect(action.externalResources !== undefined).toBe(level === 3);
          }
          if (action.type !== 'followUp') continue;
          expect(action.reviews.map((r) => r.ref).sort()).toEqual(current.map((m) => m.ref).sort());
          const gap = daysBetween(action.on, action.nextFollowUpOn);
          expect(gap).toBeGreaterThanOrEqual(56);
          expect(gap).toBeLessThanOrEqual(84);
          if (action.outcome === 'escalate') {
            level += 1;
            expect(action.externalResources !== undefined, `case #${script.index} level ${level}`).toBe(level === 3);
          } else {
            expect(action.externalResources).toBeUndefined();
          }
        }
        expect(level).toBeLessThanOrEqual(3);
        expect(script.expected.escalationLevel).toBe(level);
      }
    });

    it('then closures meet the criteria, and cases with a plan close 3 to 12 months after opening', () => {
      for (const script of scripts) {
        const close = script.actions.find((action) => action.type === 'close');
        if (close === undefined || close.type !== 'close') {
          expect(script.expected.phase).not.toBe('closed');
          continue;
        }
        expect(script.expected.phase).toBe('closed');
        expect(close.criteria.regularAttendance && close.criteria.partiesAgree).toBe(true);
        expect(close.relapsePreventionPlan.trim()).not.toBe('');
        if (close.bridging.decision === 'other') expect(close.bridging.note?.trim()).toBeTruthy();
        expect(closureInput.safeParse({ criteria: close.criteria, relapsePreventionPlan: close.relapsePreventionPlan, bridging: close.bridging, closedOn: close.on }).success).toBe(true);
        if (script.actions.some((action) => action.type === 'plan')) {
          const days = daysBetween(script.open.openedOn, close.on);
          expect(days, `case #${script.index}`).toBeGreaterThanOrEqual(CLOSE_MIN_DAYS);
          expect(days, `case #${script.index}`).toBeLessThanOrEqual(CLOSE_MAX_DAYS + 1);
          const proposal = script.actions.filter((action) => action.type === 'followUp').at(-1);
          expect(proposal?.type === 'followUp' && proposal.outcome).toBe('propose_closure');
        }
      }
    });

    it('then a relapse is the same pupil at the same school, opened within six months of the earlier closure', () => {
      for (const script of scripts.filter((s) => s.relapseOf !== undefined)) {
        const earlier = scripts[script.relapseOf ?? -1] as CaseScript;
        expect(script.open.pupilRef).toBe(earlier.open.pupilRef);
        expect(script.open.schoolId).toBe(earlier.open.schoolId);
        const closedOn = earlier.expected.closedOn ?? '';
        expect(script.open.openedOn > closedOn).toBe(true);
        expect(daysBetween(closedOn, script.open.openedOn)).toBeLessThanOrEqual(RELAPSE_WITHIN_DAYS);
      }
    });

    it('then the whole looks like a municipality: about a third open, ~15 % closed at the assessment, few at level 3', () => {
      const summary = summarizeScenario(scripts);
      const open = summary.cases - summary.byPhase.closed;
      expect(open / summary.cases).toBeGreaterThan(0.25);
      expect(open / summary.cases).toBeLessThan(0.45);
      const assessed = scripts.filter((s) => s.actions.some((a) => a.type === 'assess')).length;
      expect(summary.closedAtAssessment / assessed).toBeGreaterThan(0.1);
      expect(summary.closedAtAssessment / assessed).toBeLessThan(0.2);
      expect(summary.relapses).toBeGreaterThan(0);
      expect(summary.relapses / summary.cases).toBeLessThan(0.08);
      expect(summary.byEscalationLevel[1]).toBeGreaterThan(summary.byEscalationLevel[3] ?? 0);
      expect((summary.byEscalationLevel[3] ?? 0) / summary.cases).toBeLessThan(0.03);
      expect(new Set(scripts.map((s) => s.open.schoolId)).size).toBe(8);
      expect(summary.byPhase.follow_up).toBeGreaterThan(0);
      expect(summary.byPhase.mapping).toBeGreaterThan(0);
    });
  });
});

/**
 * The case service as the workflow would answer it, without Temporal: the same zod schemas for the
 * update inputs, the machine's checkCommand for permission and rules, then the machine itself.
 */
function machineBackedService(today: string): SeedService & { cases: Map<string, Actor<typeof caseMachine>> } {
  const at = `${today}T10:00:00+01:00`;
  const cases = new Map<string, Actor<typeof caseMachine>>();
  const commands: Record<string, { schema: z.ZodType; type: CaseCommand['type'] }> = {
    completeStep: { schema: completeStepUpdateInput, type: 'step.complete' },
    decideAssessment: { schema: assessmentInput, type: 'assessment.decide' },
    submitPlan: { schema: planInput, type: 'plan.submit' },
    recordFollowUp: { schema: followUpInput, type: 'followUp.record' },
    escalate: { schema: escalationInput, type: 'escalate' },
    closeCase: { schema: closureInput, type: 'close' },
  };
  let next = 0;
  return {
    cases,
    openCase(input: OpenCaseInput): Promise<CaseView> {
      next += 1;
      const caseId = `case-${next}`;
      const actor = createActor(caseMachine, { input: { ...input, caseId, at } });
      actor.start();
      cases.set(caseId, actor);
      return Promise.resolve(toCaseView(actor.getSnapshot().context));
    },
    act<I>(caseId: string, update: UpdateDefinition<CaseAck, [I], string>, input: I): Promise<CaseView> {
      const actor = cases.get(caseId);
      const known = commands[update.name];
      if (actor === undefined || known === undefined) throw new Error(`unknown case or update ${update.name}`);
      const parsed = parseWith(known.schema, input);
      if (!parsed.ok) return Promise.reject(new DomainFailure(parsed.error));
      const command = { ...(parsed.value as object), type: known.type, at } as CaseCommand;
      const check = checkCommand(actor.getSnapshot(), command);
      if (!check.ok) return Promise.reject(new DomainFailure(check.error));
      actor.send(command);
      return Promise.resolve(toCaseView(actor.getSnapshot().context));
    },
  };
}

describe('the scripts played through the case machine by the driver', () => {
  it.each([
    [42, 400],
    [7, 400],
  ])('when seed %i with %i cases is played, then no rule refuses an action and every case ends as scripted', async (seed, cases) => {
    const today = danishDateOf(new Date());
    const scripts = generateScenario({ cases, seed, today });
    const service = machineBackedService(today);
    const result = await runScripts(service, scripts, { concurrency: 4 });
    expect(result.failures).toEqual([]);
    expect(result.mismatches).toEqual([]);
    expect(result.done).toBe(cases);
    // The machine keeps every plan revision and follow-up the script wrote.
    for (const script of scripts) {
      const view = toCaseView(service.cases.get(result.caseIds[script.index] ?? '')!.getSnapshot().context);
      expect(view.planRevision).toBe(script.expected.planRevisions);
      expect(view.followUps).toHaveLength(script.expected.followUps);
      expect(view.pupilRef).toBe(script.open.pupilRef);
    }
  });
});
