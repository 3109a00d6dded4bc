/**
 * A small fetch wrapper: every answer comes back with its status, headers and parsed body, so a
 * test can assert on what a caller of the API would see.
 */
export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  contentType: string;
  /** Parsed JSON when the answer is JSON (incl. problem+json), otherwise the text. */
  body: T;
  text: string;
}

export interface PostOptions {
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

/** The bearer token a request carries, by method and path; undefined: none. */
export type BearerFor = (method: string, path: string) => Promise<string | undefined> | string | undefined;

export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly bearerFor?: BearerFor,
  ) {}

  /** The same API, every request carrying this token (or none). */
  withToken(token: string | undefined): HttpClient {
    return new HttpClient(this.baseUrl, () => token);
  }

  async delete<T = unknown>(path: string): Promise<Answer<T>> {
    return this.send<T>(path, { method: 'DELETE' });
  }

  async get<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
    return this.send<T>(path, { method: 'GET', headers });
  }

  /** POSTs `body` as JSON. */
  async post<T = unknown>(path: string, body: unknown, options: PostOptions = {}): Promise<Answer<T>> {
    return this.postRaw<T>(path, JSON.stringify(body), options);
  }

  /** POSTs the text as it is, declared as JSON (for malformed bodies). */
  async postRaw<T = unknown>(path: string, text: string, options: PostOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    return this.send<T>(path, { method: 'POST', headers, body: text });
  }

  /** PUTs `body` as JSON. */
  async put<T = unknown>(path: string, body: unknown): Promise<Answer<T>> {
    return this.send<T>(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  /** Sends a CSV file as the body (`text/csv`). */
  async sendCsv<T = unknown>(method: 'POST' | 'PUT', path: string, csv: string): Promise<Answer<T>> {
    return this.send<T>(path, { method, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: csv });
  }

  /** A file as the exact bytes a school's system wrote. */
  async sendBytes<T = unknown>(method: 'POST' | 'PUT', path: string, bytes: Uint8Array, contentType: string): Promise<Answer<T>> {
    return this.send<T>(path, { method, headers: { 'content-type': contentType }, body: bytes });
  }

  private async send<T>(path: string, init: RequestInit): Promise<Answer<T>> {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) {
      const token = await this.bearerFor?.(init.method ?? 'GET', path);
      if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    }
    const res = await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    const isJson = /^application\/(?:[\w.+-]+\+)?json\b/.test(contentType);
    return { status: res.status, headers: res.headers, contentType, body: (isJson ? JSON.parse(text) : text) as T, text };
  }
}
