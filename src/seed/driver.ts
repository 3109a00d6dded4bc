/**
 * Plays case scripts (plan.ts) through the real case service: every opening and every action
 * goes to the case's Temporal workflow as the API would send it, so every rule of the machine is
 * enforced and every event reaches the read model through the real activities.
 *
 * Cases run in parallel up to a limit; within a case the actions go one after another. Each
 * request carries an Idempotency-Key derived from the script, so a retried request (or a rerun of
 * the same scenario against the same stores) changes nothing twice.
 */
import { DomainFailure } from '../domain/errors';
import type { CaseService } from '../api/caseService';
import { openCaseInput, type CaseView, type MeasureInput, type Phase } from '../domain/schemas';
import { close, completeStep, decideAssessment, escalate, recordFollowUp, submitPlan, type CaseActionDeclaration } from '../machines';
import { updateOf } from '../workflows/definitions';
import type { CaseScript, SeedAction } from './plan';

/** The part of the case service the driver uses (createCaseService's answer). */
export type SeedService = Pick<CaseService, 'openCase' | 'act'>;

export interface CaseFailure {
  index: number;
  /** What the script was doing: 'open' or the action's type. */
  step: string;
  /** The domain error code, or the error's name. Never a value from the request. */
  code: string;
  detail: string;
}

export interface SeedProgress {
  total: number;
  done: number;
  failed: number;
  /** Calls to the case service so far (openings and actions), retries included. */
  requests: number;
  elapsedMs: number;
}

export interface SeedRunOptions {
  concurrency: number;
  /** Called every `progressEveryMs` while running, and once at the end. */
  onProgress?: (progress: SeedProgress) => void;
  progressEveryMs?: number;
  /** Attempts per request when Temporal itself fails (not a domain rule); default 4. */
  attempts?: number;
}

export interface SeedRunResult extends SeedProgress {
  /** Round-trip time of each successful request in ms, by what it was ('open' or the action's type). */
  latencyMs: Record<string, number[]>;
  failures: CaseFailure[];
  /** Cases whose final view differs from the script's expected outcome. */
  mismatches: { index: number; expected: Phase; actual: Phase; expectedLevel: number; actualLevel: number }[];
  /** Cases found already closed from an earlier run of the same scenario, not replayed. */
  alreadyDone: number;
  /** The caseId of each script by its index ('' when its opening failed). */
  caseIds: string[];
}

class ScriptFailure extends Error {
  constructor(readonly failure: Omit<CaseFailure, 'index'>) {
    super(failure.detail);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runScripts(service: SeedService, scripts: readonly CaseScript[], options: SeedRunOptions): Promise<SeedRunResult> {
  const attempts = options.attempts ?? 4;
  const startedAt = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - startedAt) / 1e6;
  const result: SeedRunResult = {
    total: scripts.length,
    done: 0,
    failed: 0,
    requests: 0,
    elapsedMs: 0,
    failures: [],
    mismatches: [],
    alreadyDone: 0,
    latencyMs: {},
    caseIds: new Array<string>(scripts.length).fill(''),
  };
  const progress = (): SeedProgress => ({
    total: result.total,
    done: result.done,
    failed: result.failed,
    requests: result.requests,
    elapsedMs: elapsedMs(),
  });

  /** One request, retried when Temporal (not a rule) failed; idempotency keys make that safe. */
  async function send<T>(step: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      result.requests += 1;
      const sentAt = process.hrtime.bigint();
      try {
        const answer = await request();
        (result.latencyMs[step] ??= []).push(Number(process.hrtime.bigint() - sentAt) / 1e6);
        return answer;
      } catch (error) {
        if (error instanceof DomainFailure) {
          throw new ScriptFailure({ step, code: error.error.code, detail: error.error.detail });
        }
        if (attempt >= attempts) {
          const name = error instanceof Error ? error.name : typeof error;
          const message = error instanceof Error ? error.message.slice(0, 300) : '';
          throw new ScriptFailure({ step, code: name, detail: message });
        }
        await sleep(200 * 2 ** attempt);
      }
    }
  }

  async function playCase(script: CaseScript): Promise<void> {
    // The same schema the route parses the request body with.
    const openInput = openCaseInput.parse(script.open);
    let view = await send('open', () => service.openCase(openInput, `${script.key}:open`));
    result.caseIds[script.index] = view.caseId;
    if (view.phase === 'closed' && script.expected.phase === 'closed') {
      result.alreadyDone += 1;
      return;
    }
    const refs = new Map<string, string>();
    for (const [position, action] of script.actions.entries()) {
      const key = `${script.key}:${position + 1}`;
      const caseId = view.caseId;
      const request = toRequest(action, refs);
      view = await send(action.type, () => request.send(service, caseId, key));
      if (action.type === 'plan') rememberMeasureIds(view, action, refs);
    }
    if (view.phase !== script.expected.phase || view.escalationLevel !== script.expected.escalationLevel) {
      result.mismatches.push({
        index: script.index,
        expected: script.expected.phase,
        actual: view.phase,
        expectedLevel: script.expected.escalationLevel,
        actualLevel: view.escalationLevel,
      });
    }
  }

  let next = 0;
  const lane = async () => {
    for (;;) {
      const script = scripts[next];
      next += 1;
      if (script === undefined) return;
      try {
        await playCase(script);
      } catch (error) {
        result.failed += 1;
        const failure = error instanceof ScriptFailure ? error.failure : { step: 'unknown', code: 'Error', detail: String(error).slice(0, 300) };
        result.failures.push({ index: script.index, ...failure });
      }
      result.done += 1;
    }
  };

  const timer = options.onProgress ? setInterval(() => options.onProgress?.(progress()), options.progressEveryMs ?? 5_000) : undefined;
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, scripts.length)) }, lane));
  } finally {
    if (timer) clearInterval(timer);
  }
  result.elapsedMs = elapsedMs();
  options.onProgress?.(progress());
  return result;
}

/** Seeded cases record no consents; level 3 states why it goes without (the rule in rules.ts). */
const SEED_CONSENT_NOTE = 'Forældrene giver samtykke på mødet med de eksterne parter';

/** One action's request, ready to send: the declared action's update with its input. */
interface Request {
  send(service: SeedService, caseId: string, key: string): Promise<CaseView>;
}

function request<I>(action: CaseActionDeclaration<string, I, unknown>, input: I): Request {
  return { send: (service, caseId, key) => service.act(caseId, updateOf(action), input, key) };
}

/** The update and its input for one action: the body the API would pass on. */
export function toRequest(action: SeedAction, refs: ReadonlyMap<string, string>): Request {
  const idOf = (ref: string): string => {
    const id = refs.get(ref);
    if (id === undefined) throw new ScriptFailure({ step: action.type, code: 'script_error', detail: `no measureId known for ${ref}` });
    return id;
  };
  switch (action.type) {
    case 'completeStep':
      return request(completeStep, { stepId: action.stepId, completedOn: action.on, note: action.note });
    case 'assess':
      return request(decideAssessment, { decision: action.decision, rationale: action.rationale, decidedOn: action.on });
    case 'plan': {
      const measures: MeasureInput[] = action.measures.map((measure) => ({
        ...(measure.carried ? { measureId: idOf(measure.ref) } : {}),
        track: measure.track,
        description: measure.description,
        responsible: measure.responsible,
        startsOn: measure.startsOn,
        reviewOn: measure.reviewOn,
      }));
      return request(submitPlan, { measures, adoptedOn: action.on });
    }
    case 'followUp':
      return request(recordFollowUp, {
        heldOn: action.on,
        reviews: action.reviews.map((review) => ({ measureId: idOf(review.ref), done: review.done, effect: review.effect, action: review.action })),
        outcome: action.outcome,
        nextFollowUpOn: action.nextFollowUpOn,
        ...(action.externalResources ? { externalResources: action.externalResources, withoutConsentReason: SEED_CONSENT_NOTE } : {}),
        ...(action.earlyReason !== undefined ? { earlyReason: action.earlyReason } : {}),
      });
    case 'escalate':
      return request(escalate, {
        reason: action.reason,
        ...(action.externalResources ? { externalResources: action.externalResources, withoutConsentReason: SEED_CONSENT_NOTE } : {}),
      });
    case 'close':
      return request(close, {
        criteria: action.criteria,
        relapsePreventionPlan: action.relapsePreventionPlan,
        bridging: action.bridging,
        closedOn: action.on,
      });
  }
}

/**
 * The case numbers new measures itself; the revision's measures come back in the order sent, so
 * the script's refs map onto them by position. The revision is looked up by number, so a request
 * answered from an earlier run (idempotency) maps onto the right revision too.
 */
function rememberMeasureIds(view: CaseView, action: Extract<SeedAction, { type: 'plan' }>, refs: Map<string, string>): void {
  const plan = view.planRevisions.find((candidate) => candidate.revision === action.revision);
  if (plan === undefined || plan.measures.length !== action.measures.length) {
    throw new ScriptFailure({ step: 'plan', code: 'script_error', detail: `revision ${action.revision} is not in the case as sent` });
  }
  action.measures.forEach((measure, i) => {
    const id = plan.measures[i]?.measureId;
    if (id !== undefined) refs.set(measure.ref, id);
  });
}
