/**
 * A case action, declared once: what it is called, what it takes, where it is reached, when it is
 * allowed (with the reasons why not), how it changes the case and which events it records. The
 * machine's guards and transition actions, the workflow's update handlers, the HTTP routes, the
 * access rows, the OpenAPI operations and the seed driver are all derived from these declarations
 * (actions/index.ts lists them); which states accept which action stays in the machine's config.
 *
 * Pure like the machine: no Temporal, no express, no Node built-ins.
 */
import type { z } from 'zod';
import type { Capability } from '../../../access/policy';
import type * as SchemaKitModule from '../../../domain/schemaKit';
import type { SchoolCalendar } from '../../../domain/calendar';
import type { CaseEventType } from '../../../domain/caseEvents';
import { danishDateOf, type IsoDate } from '../../../domain/dates';
import type { DomainError, FieldProblem } from '../../../domain/errors';
import type { CaseCommand, CaseContext } from '../types';

/**
 * zod and the domain's schemas, handed to `schemas` at the API edge. A declaration imports no
 * zod value: the workflow bundle imports declarations for their rules and must stay free of zod.
 */
export type SchemaKit = typeof SchemaKitModule;

/** An action's request body (what the route parses) and update input (what the update carries). */
export interface ActionSchemas<I, B> {
  readonly body: z.ZodType<B>;
  readonly input: z.ZodType<I>;
}

/** An action's machine event: its input, its name as `type`, and the instant it was sent. */
export type ActionCommand<N extends string, I> = { type: N } & I & { at: string };

/** The path parameters of an action's route besides `:caseId`, as express gives them. */
export type PathParams = Readonly<Partial<Record<string, string>>>;

/** Who sends the action (the verified token's subject): an action that records who did it reads it here. */
export interface Caller {
  readonly sub: string;
}

/** What the service knows that an action's input may need and the caller does not send. */
export interface ServiceFacts {
  /** The case's school calendar as the settings hold it now. */
  schoolCalendar(): Promise<SchoolCalendar>;
}

export interface CaseActionSpec<N extends string, I, B> {
  /** The machine's event type, and the action's name in `available.actions`. */
  readonly name: N;
  /** The Temporal update's name: part of the contract with running cases, never renamed. */
  readonly update: string;
  /** Who may send it (src/access/policy.ts); the access row is derived from this. */
  readonly capability: Capability;
  /**
   * Its body and input schemas, built from the kit when the API first asks (`schemasOf`); the
   * OpenAPI document names them. The workflow checks shapes lightly and never builds these.
   */
  readonly schemas: (kit: SchemaKit) => ActionSchemas<I, B>;
  readonly http: {
    /** Under `/api/cases/:caseId/`, in express syntax (e.g. `steps/:stepId/complete`). */
    readonly path: string;
    readonly summary: string;
    /**
     * The update's input from the parsed body, the path, the caller and, when the input needs
     * them, the service's facts; may throw a DomainFailure (a bad `:stepId` is a 404).
     */
    toInput(body: B, params: PathParams, caller: Caller, facts: ServiceFacts): I | Promise<I>;
    /** Scopes the Idempotency-Key, so a key reused on another route cannot return that route's answer. */
    idempotencyScope(input: I): string;
  };
  /** The field that dates the action when it took effect earlier than it is entered (today if absent). */
  readonly effectiveDate?: string;
  /** How the action is named in a 409 ("… is not possible while the case is in …"). */
  readonly describedAs: string;
  /** The events this action records, for the reader (and a test that checks them). */
  readonly records: readonly CaseEventType[];
  /** The rule: every problem with the command now; the guard is "none", the 422 lists them. */
  problems(context: CaseContext, command: ActionCommand<N, I>, today: IsoDate): FieldProblem[];
  /** How the action changes the case, recording its events with `withEntry`. */
  apply(context: CaseContext, command: ActionCommand<N, I>): CaseContext;
  /** A more precise 404/409 than "not possible in this phase", when the action has one. */
  refusal?(context: CaseContext, command: ActionCommand<N, I>, done: boolean): DomainError | undefined;
}

export interface CaseActionDeclaration<N extends string, I, B> extends CaseActionSpec<N, I, B> {
  /** The schemas, built once from the kit (the API's edge passes the module). */
  schemasOf(kit: SchemaKit): ActionSchemas<I, B>;
  /** The machine event for an input, as the workflow and the API send it. */
  command(input: I, at: string): CaseCommand;
  /** The guard: the command is this action's and breaks no rule. */
  accepts(context: CaseContext, event: { type: string; at?: unknown }): boolean;
  /** The transition action: applies the command when it is this action's. */
  applyTo(context: CaseContext, event: { type: string; at?: unknown }): CaseContext;
  /** The reasons for a 422 (none when the event is not this action's). */
  problemsOf(context: CaseContext, event: { type: string; at?: unknown }): FieldProblem[];
  refusalOf(context: CaseContext, event: { type: string; at?: unknown }, done: boolean): DomainError | undefined;
  /** Hands the declaration, with its types, to code that is generic over actions (routes, updates). */
  use<R>(f: <N2 extends string, I2, B2>(action: CaseActionDeclaration<N2, I2, B2>) => R): R;
}

/** Any declared action, its input types hidden; `use` gets them back. */
export type AnyCaseAction = CaseActionDeclaration<string, unknown, unknown>;

/**
 * Declares an action. The two narrowings below are the one place where a machine event is read
 * as this action's command: the machine's events of type `name` are built only by `command`, from
 * an input this declaration's schema accepted, so the type is checked where the event is made.
 */
export function defineCaseAction<const N extends string, I extends object, B>(spec: CaseActionSpec<N, I, B>): CaseActionDeclaration<N, I, B> {
  const owns = (event: { type: string; at?: unknown }): event is ActionCommand<N, I> & { type: string } => event.type === spec.name;
  const isCommand = (event: ActionCommand<N, I>): event is ActionCommand<N, I> & CaseCommand => event.type === spec.name;
  let built: ActionSchemas<I, B> | undefined;
  const declaration: CaseActionDeclaration<N, I, B> = {
    ...spec,
    schemasOf: (kit) => (built ??= spec.schemas(kit)),
    command(input, at) {
      const event: ActionCommand<N, I> = { ...input, type: spec.name, at };
      if (!isCommand(event)) throw new TypeError(`${spec.name}: not a case command`);
      return event;
    },
    accepts: (context, event) => owns(event) && spec.problems(context, event, danishDateOf(event.at)).length === 0,
    applyTo: (context, event) => (owns(event) ? spec.apply(context, event) : context),
    problemsOf: (context, event) => (owns(event) ? spec.problems(context, event, danishDateOf(event.at)) : []),
    refusalOf: (context, event, done) => (owns(event) ? spec.refusal?.(context, event, done) : undefined),
    use: (f) => f(declaration),
  };
  return declaration;
}

