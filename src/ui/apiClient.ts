/**
 * The pages act through the service's own HTTP API, with the signed-in person's bearer token: the
 * same validation, access table, audit log and refusals as any other client, by construction.
 * The call stays on this machine (the address the request came in on).
 */
import type { Request } from 'express';
import { z } from 'zod';

export const problemBody = z.object({
  status: z.number().int(),
  title: z.string(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string(), row: z.number().int().optional() })).optional(),
});
export type ProblemBody = z.infer<typeof problemBody>;

/** The API said no; the page decides how to show it. */
export class ApiRefusal extends Error {
  constructor(readonly problem: ProblemBody) {
    super(`API refused: ${problem.status} ${problem.title}`);
    this.name = 'ApiRefusal';
  }
}

export interface ApiClient {
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
  post<S extends z.ZodType>(path: string, body: unknown, schema: S, idempotencyKey?: string): Promise<z.output<S>>;
  /** Settings are replaced whole (PUT) or reset (DELETE); neither needs an idempotency key. */
  put<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>>;
  delete<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
  /** A file sent as it is, as text/csv (the school's roster and absence imports). */
  /** A school's file as text, or as the bytes uploaded (the API reads their encoding). */
  sendCsv<S extends z.ZodType>(method: 'POST' | 'PUT', path: string, csv: string | Uint8Array, schema: S): Promise<z.output<S>>;
}

/** Where this process answers, as seen from the request that came in. */
export function loopbackBaseUrl(req: Request): string {
  const socket = req.socket;
  let host = socket.localAddress ?? '127.0.0.1';
  if (host.startsWith('::ffff:')) host = host.slice('::ffff:'.length);
  if (host === '::' || host === '0.0.0.0') host = '127.0.0.1';
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${socket.localPort ?? 80}`;
}

export function createApiClient(baseUrl: string, token: string, timeoutMs = 30_000): ApiClient {
  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    schema: S,
    body?: unknown,
    key?: string,
    csv?: string | Uint8Array,
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csv !== undefined) headers['content-type'] = typeof csv === 'string' ? 'text/csv; charset=utf-8' : 'text/csv';
    if (key !== undefined) headers['idempotency-key'] = key;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : csv !== undefined ? { body: csv } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let data: unknown = undefined;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!response.ok) {
      const problem = problemBody.safeParse(data);
      throw new ApiRefusal(
        problem.success ? problem.data : { status: response.status, title: 'Error', detail: 'the service answered without a problem body' },
      );
    }
    return schema.parse(data);
  }
  return {
    get: (path, schema) => call('GET', path, schema),
    post: (path, body, schema, key) => call('POST', path, schema, body, key),
    put: (path, body, schema) => call('PUT', path, schema, body),
    delete: (path, schema) => call('DELETE', path, schema),
    sendCsv: (method, path, csv, schema) => call(method, path, schema, undefined, undefined, csv),
  };
}
