/**
 * Cases produced by the real case machine, with chosen instants, and recorded through the store
 * exactly as the workflow's activity would record them: after each step, the entries not yet
 * recorded and the view. Every view is checked against the zod `caseView` schema, and every
 * command must be one the case accepts, so a fixture cannot drift from what the service does.
 */
import { initialTransition, transition } from 'xstate';
import type { CaseStore } from '../../../src/db/types';
import { addDays } from '../../../src/domain/dates';
import { caseView, type AssessmentInput, type CaseView, type FollowUpInput } from '../../../src/domain/schemas';
import {
  caseMachine,
  checkCommand,
  toCaseView,
  type CaseCommand,
  type CaseEvent,
  type CaseSnapshot,
} from '../../../src/machines';

/** An instant on the given Danish date: 11:00 UTC is 12:00 or 13:00 in Denmark. */
export function at(date: string, utcTime = '11:00'): string {
  return `${date}T${utcTime}:00Z`;
}

export interface CaseOpening {
  caseId: string;
  schoolId: string;
  tovholder: string;
  pupilRef: string;
  openedOn: string;
}

export class MachineCase {
  private recordedVersion = 0;

  private constructor(
    private readonly store: CaseStore,
    private snapshot: CaseSnapshot,
  ) {}

  /** Opens the case on `openedOn`, recorded at noon that day. */
  static async open(store: CaseStore, opening: CaseOpening): Promise<MachineCase> {
    const [snapshot] = initialTransition(caseMachine, {
      ...opening,
      grade: 6,
      concern: { source: 'absence_data' },
      at: at(opening.openedOn),
    });
    const opened = new MachineCase(store, snapshot);
    await opened.record();
    return opened;
  }

  get view(): CaseView {
    return toCaseView(this.snapshot.context);
  }

  get caseId(): string {
    return this.snapshot.context.caseId;
  }

  /** Marks a mapping step done on `on` (entered that day). */
  complete(stepId: string, on: string): Promise<this> {
    return this.command({ type: 'step.complete', stepId, at: at(on) });
  }

  /** The assessment, decided on `on`, entered on `enteredOn` (default: that day). */
  assess(decision: AssessmentInput['decision'], on: string, enteredOn = on): Promise<this> {
    const decidedOn = enteredOn === on ? {} : { decidedOn: on };
    return this.command({ type: 'assessment.decide', decision, rationale: 'Kortlægningen er gennemført', ...decidedOn, at: at(enteredOn) });
  }

  /** A plan with one measure per track, adopted on `on`, entered on `enteredOn`. */
  plan(on: string, enteredOn = on): Promise<this> {
    const measure = (track: 'pupil_parents' | 'community' | 'teaching') => ({
      track,
      description: `Indsats i sporet ${track}`,
      responsible: 'tovholder',
      startsOn: on,
      reviewOn: addDays(on, 28),
    });
    const adoptedOn = enteredOn === on ? {} : { adoptedOn: on };
    return this.command({
      type: 'plan.submit',
      measures: [measure('pupil_parents'), measure('community'), measure('teaching')],
      ...adoptedOn,
      at: at(enteredOn),
    });
  }

  /** A follow-up held on `heldOn` reviewing every measure of the current plan. */
  followUp(heldOn: string, outcome: FollowUpInput['outcome']): Promise<this> {
    const measures = this.snapshot.context.plans.at(-1)?.measures ?? [];
    const reviews = measures.map((measure) => ({ measureId: measure.measureId, done: true, effect: 'some' as const, action: 'keep' as const }));
    return this.command({ type: 'followUp.record', heldOn, reviews, outcome, at: at(heldOn) });
  }

  escalate(on: string): Promise<this> {
    return this.command({ type: 'escalate', reason: 'Indsatserne har ikke tilstrækkelig effekt', at: at(on) });
  }

  close(on: string): Promise<this> {
    return this.command({
      type: 'close',
      criteria: {
        regularAttendance: true,
        wellbeingImproving: true,
        communityChallengesReduced: true,
        pupilMotivated: true,
        partiesAgree: true,
        measuresToKeep: [],
      },
      relapsePreventionPlan: 'Ugentlig kontakt med hjemmet resten af skoleåret',
      bridging: { decision: 'none' },
      at: at(on),
    });
  }

  /** The workflow's timer firing on `on`: statuses are refreshed for that date. */
  tick(on: string): Promise<this> {
    return this.send({ type: 'clock.tick', at: at(on, '05:00') });
  }

  private async command(command: CaseCommand): Promise<this> {
    const check = checkCommand(this.snapshot, command);
    if (!check.ok) throw new Error(`fixture ${this.caseId}: ${command.type} refused: ${check.error.detail}`);
    return this.send(command);
  }

  private async send(event: CaseEvent): Promise<this> {
    const [next] = transition(caseMachine, this.snapshot, event);
    this.snapshot = next;
    await this.record();
    return this;
  }

  /** What the workflow's recordCaseEvents activity would write now. */
  private async record(): Promise<void> {
    const view = this.view;
    const parsed = caseView.safeParse(view);
    if (!parsed.success) throw new Error(`fixture ${this.caseId}: not a valid CaseView: ${parsed.error.message}`);
    const events = view.history.filter((entry) => entry.seq > this.recordedVersion);
    await this.store.recordCaseEvents(view.caseId, events, view);
    this.recordedVersion = view.version;
  }
}
