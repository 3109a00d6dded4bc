/**
 * Which failures answer 503 (try again) rather than 500. The update refused while the workflow's
 * task is failing (a worker died mid-task) was a 500 until the crash test found it (scripts/crash).
 */
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { unavailableDependency } from '../../src/unavailable';

/** A grpc-js error as the Temporal client receives it. */
function grpcError(code: number, details: string, statusDetails?: Buffer) {
  const metadata = { get: (key: string) => (key === 'grpc-status-details-bin' && statusDetails ? [statusDetails] : []) };
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

describe('unavailableDependency', () => {
  it('takes an update refused because the workflow task is in a failed state as Temporal not ready (503)', () => {
    const notReady = grpcError(9, 'Unable to perform workflow execution update due to Workflow Task in failed state.');
    expect(unavailableDependency(new ServiceError('Workflow Update failed', { cause: notReady }))).toBe('temporal');
  });

  it('recognises it by the failure type in the status details too, whatever the message says', () => {
    const details = Buffer.concat([Buffer.from([0x08, 0x09, 0x1a, 0x40]), Buffer.from('type.googleapis.com/temporal.api.errordetails.v1.WorkflowNotReadyFailure')]);
    expect(unavailableDependency(new ServiceError('Workflow Update failed', { cause: grpcError(9, 'reworded', details) }))).toBe('temporal');
  });

  it('leaves other failed preconditions and other errors alone (500)', () => {
    expect(unavailableDependency(new ServiceError('Workflow Update failed', { cause: grpcError(9, 'something else') }))).toBeUndefined();
    expect(unavailableDependency(new Error('boom'))).toBeUndefined();
  });

  it('still takes timeouts and an unreachable server as Temporal unavailable', () => {
    expect(unavailableDependency(new WorkflowUpdateRPCTimeoutOrCancelledError('Deadline exceeded'))).toBe('temporal');
    expect(unavailableDependency(grpcError(14, 'No connection established'))).toBe('temporal');
  });
});
