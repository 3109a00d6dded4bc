/**
 * Which failures mean "a service this one needs is not answering now" rather than "this request
 * was wrong": those are answered 503 with Retry-After, and the caller may try again (with the same
 * Idempotency-Key an action is still applied once).
 */
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

export type Dependency = 'temporal' | 'database';

/** gRPC status codes: 14 UNAVAILABLE (no server), 4 DEADLINE_EXCEEDED (our bound on the wait). */
const GRPC_UNAVAILABLE = new Set([4, 14]);
/** Node's socket errors when a server is not there or went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** PostgreSQL: connection exceptions (class 08), shutting down or starting (57P01–57P03), too many connections. */
const SQLSTATE_UNAVAILABLE = /^(?:08...|57P0[123]|53300)$/;
/** What pg and PGlite say when the connection is gone; they carry no code. */
const DATABASE_GONE = /^(?:Connection terminated|timeout exceeded when trying to connect|PGlite is closed|Client has encountered a connection error)/i;

function links(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.length < 20) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.includes(current)) continue;
    seen.push(current);
    queue.push((current as { cause?: unknown }).cause);
    // Node reports a refused connection to every address of a host as one AggregateError.
    if (current instanceof AggregateError) queue.push(...(current.errors as unknown[]));
  }
  return seen;
}

/**
 * Temporal refuses an update while the workflow's task is failing and being retried, e.g. right
 * after a worker died mid-task (gRPC 9 FAILED_PRECONDITION with a WorkflowNotReadyFailure; the
 * client wraps it as "Workflow Update failed"). It passes once a worker runs the task again, so
 * it is "try again", not a broken request. Found by the crash test (scripts/crash).
 */
const GRPC_FAILED_PRECONDITION = 9;
const WORKFLOW_NOT_READY = 'WorkflowNotReadyFailure';

function isWorkflowNotReady(link: { code?: unknown; details?: unknown; metadata?: unknown }): boolean {
  if (link.code !== GRPC_FAILED_PRECONDITION) return false;
  if (typeof link.details === 'string' && /Workflow Task in failed state/i.test(link.details)) return true;
  // The failure's type travels in the status details (a protobuf Any naming it).
  const metadata = link.metadata as { get?: (key: string) => unknown[] } | undefined;
  const values = typeof metadata?.get === 'function' ? metadata.get('grpc-status-details-bin') : [];
  return values.some((value) => Buffer.isBuffer(value) && value.includes(WORKFLOW_NOT_READY));
}

export function unavailableDependency(error: unknown): Dependency | undefined {
  for (const link of links(error)) {
    if (link instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal';
    if (isWorkflowNotReady(link as { code?: unknown })) return 'temporal';
    const { code, details, message } = link as { code?: unknown; details?: unknown; message?: unknown };
    // grpc-js errors carry a numeric code and a details string.
    if (typeof code === 'number' && typeof details === 'string' && GRPC_UNAVAILABLE.has(code)) return 'temporal';
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE_UNAVAILABLE.test(code))) return 'database';
    if (typeof message === 'string' && DATABASE_GONE.test(message)) return 'database';
  }
  return undefined;
}
