/**
 * The connection the API's Temporal client uses. The SDK's default retries an unreachable server
 * ten times with backoff (about 20 s) before failing, and a person waits for all of it; here a
 * request fails after three quick attempts (well under a second) and is answered 503 with
 * Retry-After, so the client, not the server, decides when to try again.
 */
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type ConnectionOptions } from '@temporalio/client';

export const API_GRPC_ATTEMPTS = 3;

export function apiConnectionOptions(address: string): ConnectionOptions {
  return {
    address,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: API_GRPC_ATTEMPTS }))],
  };
}
