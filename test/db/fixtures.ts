/**
 * Hand-built case views, as the workflow would report them at a few points of a case's life.
 * Every fixture is checked against the zod `caseView` schema, so a fixture that drifts from the
 * contract fails loudly here rather than passing a store test by accident.
 */
import type { HistoryEntryPick } from '../../src/domain/caseEvents';
import { addDays } from '../../src/domain/dates';
import { caseView, type CaseView, type HistoryEntry, type Step } from '../../src/domain/schemas';

export type FixtureStage = 'mapping' | 'action_plan' | 'closed';

export interface CaseFixtureOptions {
  caseId: string;
  /** A Monday, so "end of week n" is simply its Friday. */
  openedOn?: string;
  schoolId?: string;
  tovholder?: string;
  pupilRef?: string;
  grade?: number;
  stage?: FixtureStage;
  asOf?: string;
}

const DEFAULT_OPENED_ON = '2026-09-07';

/** Friday of week n of a case opened on a Monday (no holidays). */
function endOfWeek(openedOn: string, week: number): string {
  return addDays(openedOn, 7 * (week - 1) + 4);
}

/** 08:15 Danish summer time on the given date, as the workflow would stamp an event. */
function morningOf(date: string, minute = 15): string {
  return `${date}T06:${String(minute).padStart(2, '0')}:00.000Z`;
}

function mappingSteps(openedOn: string): Step[] {
  return [
    {
      stepId: 'class_community',
      phase: 'mapping',
      track: 'A',
      title: 'Kortlæg klassefællesskabet og gennemgå fraværsdata',
      dueOn: endOfWeek(openedOn, 3),
      createdOn: openedOn,
      status: 'open',
    },
    {
      stepId: 'pupil_conversation',
      phase: 'mapping',
      track: 'B',
      title: 'Samtale med eleven',
      dueOn: endOfWeek(openedOn, 2),
      createdOn: openedOn,
      status: 'open',
    },
    {
      stepId: 'parent_conversation',
      phase: 'mapping',
      track: 'C',
      title: 'Samtale med forældrene',
      dueOn: endOfWeek(openedOn, 2),
      createdOn: openedOn,
      status: 'open',
    },
    {
      stepId: 'assessment',
      phase: 'mapping',
      title: 'Samlet vurdering',
      dueOn: endOfWeek(openedOn, 3),
      createdOn: openedOn,
      status: 'open',
    },
  ];
}

export function buildCaseView(options: CaseFixtureOptions): CaseView {
  const openedOn = options.openedOn ?? DEFAULT_OPENED_ON;
  const stage = options.stage ?? 'mapping';
  const history: HistoryEntry[] = [{ seq: 1, at: morningOf(openedOn), on: openedOn, event: 'opened', phase: 'mapping' }];
  // Each event kind has its own detail, so the entry is picked kind by kind.
  const push = (entry: HistoryEntryPick<'at' | 'on' | 'event' | 'phase' | 'stepId' | 'detail'>): void => {
    history.push({ ...entry, seq: history.length + 1 });
  };
  let steps = mappingSteps(openedOn);
  let phase: CaseView['phase'] = 'mapping';
  let assessment: CaseView['assessment'];
  let closure: CaseView['closure'];

  if (stage !== 'mapping') {
    const doneOn = endOfWeek(openedOn, 2);
    steps = steps.map((step) => ({ ...step, status: 'done', completedOn: doneOn }));
    for (const step of steps) {
      push({ at: morningOf(doneOn, 20), on: doneOn, event: 'step_done', phase: 'mapping', stepId: step.stepId, detail: { completedOn: doneOn } });
    }
    const decision = stage === 'closed' ? 'close' : 'action_plan';
    assessment = { decision, rationale: 'Fraværet skyldes primært uro i klassen.', decidedOn: doneOn };
    push({ at: morningOf(doneOn, 30), on: doneOn, event: 'assessment', phase: 'mapping', detail: { decision } });
    if (stage === 'action_plan') {
      phase = 'action_plan';
      steps.push({ stepId: 'action_plan', phase: 'action_plan', title: 'Handleplan', dueOn: endOfWeek(openedOn, 4), createdOn: doneOn, status: 'open' });
      push({ at: morningOf(doneOn, 31), on: doneOn, event: 'phase_entered', phase: 'action_plan' });
    } else {
      phase = 'closed';
      closure = {
        closedOn: doneOn,
        criteria: {
          regularAttendance: true,
          wellbeingImproving: true,
          communityChallengesReduced: true,
          pupilMotivated: true,
          partiesAgree: true,
          measuresToKeep: ['Fast morgenmøde med kontaktlæreren'],
        },
        relapsePreventionPlan: 'Kontaktlæreren følger fraværet ugentligt resten af skoleåret.',
        bridging: { decision: 'none' },
      };
      push({ at: morningOf(doneOn, 31), on: doneOn, event: 'closed', phase: 'closed' });
    }
  }

  return assertCaseView({
    caseId: options.caseId,
    pupilRef: options.pupilRef ?? `P-${options.caseId.slice(-4)}`,
    schoolId: options.schoolId ?? 'S1',
    grade: options.grade ?? 6,
    tovholder: options.tovholder ?? 'tovholder-kim',
    openedOn,
    concern: { source: 'absence_data' },
    phase,
    steps,
    ...(assessment ? { assessment } : {}),
    plan: null,
    planRevision: 0,
    planRevisions: [],
    followUps: [],
    escalationLevel: 0,
    escalations: [],
    ...(closure ? { closure } : {}),
    history,
    asOf: options.asOf ?? openedOn,
    version: history.length,
  });
}

/** The same view after the clock has moved: the given steps' statuses change, with their events. */
export function withStepStatuses(
  view: CaseView,
  asOf: string,
  changes: Readonly<Record<string, 'due_soon' | 'overdue'>>,
): CaseView {
  const history = [...view.history];
  const steps = view.steps.map((step) => {
    const status = changes[step.stepId];
    if (status === undefined) return step;
    history.push({
      seq: history.length + 1,
      at: `${asOf}T05:00:00.000Z`,
      on: asOf,
      event: status === 'overdue' ? 'step_overdue' : 'step_due_soon',
      phase: view.phase,
      stepId: step.stepId,
    });
    return { ...step, status };
  });
  return assertCaseView({ ...view, steps, history, asOf, version: history.length });
}

/** The history entries added since `previous` (what one recordCaseEvents call would carry). */
export function eventsSince(view: CaseView, previous?: CaseView): HistoryEntry[] {
  const after = previous?.version ?? 0;
  return view.history.filter((entry) => entry.seq > after);
}

function assertCaseView(candidate: CaseView): CaseView {
  const result = caseView.safeParse(candidate);
  if (!result.success) {
    throw new Error(`fixture is not a valid CaseView: ${result.error.message}`);
  }
  return candidate;
}
