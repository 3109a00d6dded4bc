/**
 * The timing loop: warm up, then run one call after another (never overlapping), each timed with
 * the monotonic clock. The samples go to summarizeTimings (sorted, nearest-rank percentiles).
 */
import { summarizeTimings, type TimingSummary } from '../src/seed/stats';

export interface MeasureOptions {
  warmup: number;
  iterations: number;
}

export async function measure(run: () => Promise<unknown>, options: MeasureOptions): Promise<TimingSummary> {
  for (let i = 0; i < options.warmup; i += 1) await run();
  const samples: number[] = [];
  for (let i = 0; i < options.iterations; i += 1) {
    const startedAt = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - startedAt) / 1e6);
  }
  return summarizeTimings(samples);
}

/** A GET that must answer 200; the body is read in full (part of what a client waits for). */
export async function getOk(url: string, token: string, accept = 'application/json'): Promise<string> {
  const response = await fetch(url, { headers: { accept, authorization: `Bearer ${token}` } });
  const body = await response.text();
  if (response.status !== 200) throw new RouteError(url, response.status, body);
  return body;
}

export class RouteError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`GET ${new URL(url).pathname}${new URL(url).search} answered ${status}`);
    this.name = 'RouteError';
  }
}
