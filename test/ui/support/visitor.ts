/**
 * A browser without JavaScript, for the HTTP-level page tests: a cookie jar, redirects kept,
 * and the local sign-in form filled in. Also what a person reads of a page.
 */
export interface Reply {
  status: number;
  headers: Headers;
  location: string | undefined;
  text: string;
}

export class Visitor {
  readonly jar = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send(path, { method: 'GET', headers });
  }

  post(path: string, form: Record<string, string>): Promise<Reply> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** A form with a file field, as multipart/form-data (what a browser sends for `<input type="file">`). */
  /** A file as text (sent as UTF-8) or as the exact bytes a school's system wrote. */
  upload(path: string, fields: Record<string, string>, file: { field: string; name: string; text: string | Uint8Array }): Promise<Reply> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append(file.field, new Blob([file.text], { type: 'text/csv' }), file.name);
    return this.send(path, { method: 'POST', headers: {}, body: form });
  }

  private async send(path: string, init: { method: string; headers: Record<string, string>; body?: string | FormData }): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    if (this.jar.size > 0) headers.cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(`${this.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.jar.delete(pair.slice(0, eq).trim());
      else this.jar.set(pair.slice(0, eq).trim(), value);
    }
    return { status: res.status, headers: res.headers, location: res.headers.get('location') ?? undefined, text: await res.text() };
  }
}

/** The hidden form token of the first form on the page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no _csrf field on the page');
  return match[1];
}

/** Signs in on the local sign-in page; `school` may be `*` for every school. */
export async function signedIn(baseUrl: string, who: { role: string; school: string; name: string }): Promise<Visitor> {
  const visitor = new Visitor(baseUrl);
  const form = await visitor.get('/log-ind');
  const answer = await visitor.post('/log-ind', { _csrf: csrfOf(form.text), role: who.role, school: who.school, name: who.name, til: '/' });
  if (answer.status !== 303) throw new Error(`sign-in answered ${answer.status}: ${answer.text.slice(0, 400)}`);
  return visitor;
}

/** Text without markup, whitespace collapsed. */
export function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function mainOf(html: string): string {
  return /<main\b[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '';
}

/** The cells of each body row of the table with this attribute or id (first table when none). */
export function tableRows(html: string, marker?: string): string[][] {
  const start = marker === undefined ? html.indexOf('<table') : html.indexOf(marker);
  if (start < 0) return [];
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => plain(cell[1] ?? '')));
}
