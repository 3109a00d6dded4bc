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

/** A signed-in session on the local sign-in page: the cookie header that carries it. */
export async function pageSession(base: string, role: string, school: string): Promise<string> {
  const form = await fetch(`${base}/log-ind`, { headers: { accept: 'text/html' } });
  const formCookies = form.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const answer = await fetch(`${base}/log-ind`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookies, origin: base },
    body: new URLSearchParams({ _csrf: csrf, role, school, name: `bench-${role}`, til: '/' }).toString(),
  });
  const session = answer.headers.getSetCookie().find((line) => line.includes('ff_session='));
  if (answer.status !== 303 || session === undefined) throw new RouteError(`${base}/log-ind`, answer.status, await answer.text());
  return session.split(';')[0] ?? '';
}

/** A page GET with the session cookie that must answer 200 with the whole page read. */
export async function getPage(url: string, cookie: string): Promise<string> {
  const response = await fetch(url, { headers: { accept: 'text/html', cookie } });
  const body = await response.text();
  if (response.status !== 200) throw new RouteError(url, response.status, body.slice(0, 500));
  return body;
}
