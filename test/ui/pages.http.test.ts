/**
 * The web UI over plain HTTP, as a browser without JavaScript meets it: the local sign-in page and
 * its session cookie, opening a case through the form, the case page (no caching, no pupil data
 * in the title, the same 404 for a case out of reach as for one that does not exist), the form's
 * refusals in Danish next to their fields, forged form posts, signing out, unknown pages, and a
 * tovholder's own list. Requests go through fetch with redirects kept and a small cookie jar.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInDenmark } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { testLocalSignIn, tokenFor } from '../support/tokens';

let temporal: TestTemporal;
let app: RunningApi;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  app = await startApi({ temporal, kind: 'pglite', ui: { signIn: testLocalSignIn() } });
});

afterAll(async () => {
  await app?.close();
  await temporal?.close();
});

interface Reply {
  status: number;
  headers: Headers;
  /** The Location header, as sent (a path on this site, or another address). */
  location: string | undefined;
  setCookies: string[];
  text: string;
}

/** One "browser": a cookie jar, requests without following redirects. */
class Visitor {
  readonly jar = new Map<string, string>();

  /** Default: the app of this file. */
  constructor(private readonly baseUrl?: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send(path, { method: 'GET', headers });
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  private async send(path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    if (this.jar.size > 0 && headers.cookie === undefined) {
      headers.cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    const res = await fetch(`${this.baseUrl ?? app.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((attribute) => {
        const [key = '', val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
        if (key.toLowerCase() === 'expires') return new Date(val).getTime() <= Date.now();
        return false;
      });
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return { status: res.status, headers: res.headers, location: res.headers.get('location') ?? undefined, setCookies, text: await res.text() };
  }
}

/** The hidden form token of the first form on the page. */
function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no _csrf field on the page');
  return match[1];
}

function hiddenValue(html: string, name: string): string | undefined {
  return new RegExp(`type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

/** What the person reads: the page's <main>, without the markup. */
function mainText(html: string): string {
  const main = /<main\b[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '';
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function headingOf(html: string): string | undefined {
  return /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1]?.trim();
}

function titleOf(html: string): string | undefined {
  return /<title>([\s\S]*?)<\/title>/.exec(html)?.[1]?.trim();
}

interface SignInAs {
  role: string;
  school: string;
  name: string;
  til?: string;
}

async function signIn(visitor: Visitor, who: SignInAs, headers: Record<string, string> = {}, formCookie = 'ff_signin_form'): Promise<Reply> {
  const form = await visitor.get('/log-ind');
  expect(form.status).toBe(200);
  expect(visitor.jar.has(formCookie)).toBe(true);
  return visitor.post('/log-ind', { _csrf: csrfOf(form.text), role: who.role, school: who.school, name: who.name, til: who.til ?? '/forloeb' }, headers);
}

async function signedInVisitor(who: SignInAs): Promise<Visitor> {
  const visitor = new Visitor();
  const answer = await signIn(visitor, who);
  expect(answer.status, answer.text).toBe(303);
  expect(visitor.jar.has('ff_session')).toBe(true);
  return visitor;
}

/** The session's form token, from the sign-out form every signed-in page carries. */
async function sessionToken(visitor: Visitor): Promise<string> {
  const page = await visitor.get('/forloeb/nyt');
  expect(page.status).toBe(200);
  return csrfOf(page.text);
}

interface CaseForm {
  pupilRef: string;
  schoolId: string;
  tovholder: string;
  openedOn?: string;
}

function openCaseForm(csrf: string | undefined, fields: CaseForm): Record<string, string> {
  return {
    ...(csrf !== undefined ? { _csrf: csrf } : {}),
    _key: randomUUID(),
    pupilRef: fields.pupilRef,
    schoolId: fields.schoolId,
    grade: '6',
    tovholder: fields.tovholder,
    openedOn: fields.openedOn ?? addDays(todayInDenmark(), -7),
    'concern.source': 'parents',
  };
}

/** The cases of a school as the API lists them to its leader. */
async function casesOfSchool(schoolId: string): Promise<{ caseId: string; pupilRef: string }[]> {
  const leader = await tokenFor({ role: 'leader', schools: [schoolId] });
  const answer = await app.http.withToken(leader).get<{ items: { caseId: string; pupilRef: string }[] }>(`/api/cases?schoolId=${schoolId}`);
  expect(answer.status).toBe(200);
  return answer.body.items;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('signing in', () => {
  it('when someone without a session opens the front page, then 303 to /log-ind', async () => {
    const answer = await new Visitor().get('/');
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/log-ind');
  });

  it('when someone without a session opens /forloeb, then 303 to /log-ind with the way back', async () => {
    const answer = await new Visitor().get('/forloeb');
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/log-ind?til=%2Fforloeb');
  });

  it('when the local sign-in form is posted with its token, then 303 and an HttpOnly, SameSite=Lax session cookie', async () => {
    const visitor = new Visitor();
    const answer = await signIn(visitor, { role: 'leader', school: 'S1', name: 'Lene Leder' });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/forloeb');
    const cookie = answer.setCookies.find((line) => line.startsWith('ff_session='));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\//i);
    // Plain http here: no Secure flag, which would keep the cookie from being sent at all.
    expect(cookie).not.toMatch(/;\s*Secure/i);
    const home = await visitor.get('/');
    expect(home.status).toBe(303);
    expect(home.location).toBe('/forloeb');
    const list = await visitor.get('/forloeb');
    expect(list.status).toBe(200);
    expect(headingOf(list.text)).toBe('Skolens forløb');
    expect(list.text).toContain('Lene Leder');
  });

  it('when the sign-in form is posted without the form cookie, then 403 and no session', async () => {
    const visitor = new Visitor();
    const form = await visitor.get('/log-ind');
    visitor.jar.delete('ff_signin_form');
    const answer = await visitor.post('/log-ind', { _csrf: csrfOf(form.text), role: 'leader', school: 'S1', name: 'Lene Leder', til: '/' });
    expect(answer.status).toBe(403);
    expect(visitor.jar.has('ff_session')).toBe(false);
  });

  it('when the sign-in form is posted from another site, then 403 and no session', async () => {
    const visitor = new Visitor();
    const answer = await signIn(visitor, { role: 'admin', school: '*', name: 'Mallory' }, { origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('Formularen var for gammel');
    expect(visitor.jar.has('ff_session')).toBe(false);
  });

  it('when the sign-in page is asked to return to //evil.example, then it returns to / and never off-site', async () => {
    const visitor = new Visitor();
    const form = await visitor.get('/log-ind?til=%2F%2Fevil.example');
    expect(form.status).toBe(200);
    expect(hiddenValue(form.text, 'til')).toBe('/');
    const answer = await visitor.post('/log-ind', { _csrf: csrfOf(form.text), role: 'leader', school: 'S1', name: 'Lene Leder', til: '//evil.example' });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/');
    for (const til of ['https://evil.example/', '/\\evil.example']) {
      const again = new Visitor();
      const page = await again.get('/log-ind');
      const moved = await again.post('/log-ind', { _csrf: csrfOf(page.text), role: 'leader', school: 'S1', name: 'Lene Leder', til });
      expect(moved.location, til).toBe('/');
    }
  });
});

describe('opening a case and its page', () => {
  const pupilRef = `P-${randomUUID().slice(0, 8)}`;
  const tovholder = 'tovholder-anna';
  let leader: Visitor;
  let caseId: string;

  beforeAll(async () => {
    leader = await signedInVisitor({ role: 'leader', school: 'S1', name: 'Lene Leder' });
  });

  it('when a leader of S1 posts the open-case form, then 303 to the new case page with the confirmation code', async () => {
    const answer = await leader.post('/forloeb/nyt', openCaseForm(await sessionToken(leader), { pupilRef, schoolId: 'S1', tovholder }));
    expect(answer.status, answer.text).toBe(303);
    const match = /^\/forloeb\/([^/?#]+)\?udfoert=oprettet$/.exec(answer.location ?? '');
    expect(match, answer.location).not.toBeNull();
    caseId = match?.[1] ?? '';
    expect(caseId).toMatch(UUID);
  });

  it('when the leader opens the case page, then 200, never cached, the pupil reference in the body and not in the title', async () => {
    const answer = await leader.get(`/forloeb/${caseId}?udfoert=oprettet`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    const title = titleOf(answer.text);
    expect(title).toBeDefined();
    expect(title).not.toContain(pupilRef);
    expect(headingOf(answer.text)).toContain(pupilRef);
    expect(answer.text).toContain('Forløbet er oprettet.');
    expect(answer.text).not.toContain('undefined');
  });

  it('when a leader of S2 asks for the case page, then 404 with exactly the page a case that does not exist gets', async () => {
    const other = await signedInVisitor({ role: 'leader', school: 'S2', name: 'Sune Skoleleder' });
    const outOfReach = await other.get(`/forloeb/${caseId}`);
    const missing = await other.get(`/forloeb/${randomUUID()}`);
    const malformed = await other.get('/forloeb/not-a-case-id');
    for (const answer of [outOfReach, missing, malformed]) {
      expect(answer.status).toBe(404);
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    expect(headingOf(outOfReach.text)).toBe('Siden findes ikke');
    expect(mainText(outOfReach.text)).toBe(mainText(missing.text));
    expect(mainText(malformed.text)).toBe(mainText(missing.text));
    expect(outOfReach.text).not.toContain(pupilRef);
  });

  it('when the case’s tovholder signs in, then their own list shows the case', async () => {
    const own = await signedInVisitor({ role: 'tovholder', school: 'S1', name: tovholder });
    const list = await own.get('/forloeb');
    expect(list.status).toBe(200);
    expect(headingOf(list.text)).toBe('Mine forløb');
    expect(list.text).toContain(`/forloeb/${caseId}`);
    expect(list.text).toContain(pupilRef);
    const page = await own.get(`/forloeb/${caseId}`);
    expect(page.status).toBe(200);
  });

  it('when another tovholder of the same school signs in, then their "Mine forløb" does not list the case', async () => {
    const colleague = await signedInVisitor({ role: 'tovholder', school: 'S1', name: 'tovholder-bo' });
    const list = await colleague.get('/forloeb');
    expect(list.status).toBe(200);
    expect(headingOf(list.text)).toBe('Mine forløb');
    expect(list.text).not.toContain(caseId);
    expect(list.text).not.toContain(pupilRef);
    // (Reading the case itself is the access table's business: tovholders read their school's cases.)
  });
});

describe('correcting, reassigning and withdrawing a case on its pages', () => {
  const pupilRef = `P-${randomUUID().slice(0, 8)}`;
  let leader: Visitor;
  let caseId: string;

  beforeAll(async () => {
    leader = await signedInVisitor({ role: 'leader', school: 'S1', name: 'Lene Leder' });
    const answer = await leader.post('/forloeb/nyt', openCaseForm(await sessionToken(leader), { pupilRef, schoolId: 'S1', tovholder: 'tovholder-ida' }));
    caseId = /^\/forloeb\/([^/?#]+)/.exec(answer.location ?? '')?.[1] ?? '';
  });

  it('when the leader opens the case, then corrections, a new tovholder and withdrawal are offered; the tovholder is offered corrections only', async () => {
    const page = await leader.get(`/forloeb/${caseId}`);
    for (const href of ['rettelse', 'tovholder', 'tilbagetraekning']) expect(page.text).toContain(`href="/forloeb/${caseId}/${href}"`);
    const tovholder = await signedInVisitor({ role: 'tovholder', school: 'S1', name: 'tovholder-ida' });
    const own = await tovholder.get(`/forloeb/${caseId}`);
    expect(own.text).toContain(`href="/forloeb/${caseId}/rettelse"`);
    expect(own.text).not.toContain(`href="/forloeb/${caseId}/tovholder"`);
    expect(own.text).not.toContain(`href="/forloeb/${caseId}/tilbagetraekning"`);
  });

  it('when a correction names an opening date before the service’s range, then the page says so in Danish next to the field; a right one is saved and on the timeline', async () => {
    const csrf = await sessionToken(leader);
    const refused = await leader.post(`/forloeb/${caseId}/rettelse`, { _csrf: csrf, _key: randomUUID(), openedOn: '2015-11-18', reason: 'Tastefejl' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('href="#openedOn"');
    expect(refused.text).toContain('Datoen kan ikke ligge før 1. januar 2020');
    const saved = await leader.post(`/forloeb/${caseId}/rettelse`, { _csrf: csrf, _key: randomUUID(), grade: '7', reason: 'Forkert klassetrin' });
    expect(saved.status, saved.text).toBe(303);
    expect(saved.location).toBe(`/forloeb/${caseId}?udfoert=rettelse`);
    const page = await leader.get(`/forloeb/${caseId}?udfoert=rettelse`);
    expect(page.text).toContain('7. klasse');
    expect(page.text).toContain('Oplysninger rettet');
  });

  it('when the leader gives the case a new tovholder and then withdraws it, then each page posts, and the case page says it was withdrawn with no actions left', async () => {
    const csrf = await sessionToken(leader);
    const reassigned = await leader.post(`/forloeb/${caseId}/tovholder`, { _csrf: csrf, _key: randomUUID(), tovholder: 'tovholder-ole', reason: 'Ida går på orlov' });
    expect(reassigned.status, reassigned.text).toBe(303);
    const withdrawn = await leader.post(`/forloeb/${caseId}/tilbagetraekning`, { _csrf: csrf, _key: randomUUID(), reason: 'Oprettet på den forkerte elev' });
    expect(withdrawn.status, withdrawn.text).toBe(303);
    const page = await leader.get(`/forloeb/${caseId}`);
    expect(page.text).toContain('Forløbet er trukket tilbage');
    expect(page.text).toContain('tovholder-ole');
    expect(page.text).not.toContain(`href="/forloeb/${caseId}/rettelse"`);
    expect((await leader.get('/forloeb')).text).not.toContain(caseId);
  });
});

describe('the open-case form’s refusals', () => {
  // A school of its own: every refusal must leave it without a case.
  const school = 'S9';
  let leader: Visitor;
  let csrf: string;

  beforeAll(async () => {
    leader = await signedInVisitor({ role: 'leader', school, name: 'Lis Leder' });
    csrf = await sessionToken(leader);
  });

  it('when the pupil reference is shaped like a CPR number, then 400 with the Danish summary linking to the field, and no case', async () => {
    const answer = await leader.post('/forloeb/nyt', openCaseForm(csrf, { pupilRef: '010203-1234', schoolId: school, tovholder: 'tovholder-anna' }));
    expect(answer.status).toBe(400);
    expect(titleOf(answer.text)).toMatch(/^Fejl: /);
    expect(answer.text).toContain('id="error-summary"');
    expect(answer.text).toContain('href="#pupilRef"');
    const fieldError = /<span class="form-error-message" id="pupilRef-error">([\s\S]*?)<\/span>\s*<input[^>]*id="pupilRef"/.exec(answer.text);
    expect(fieldError?.[1]).toContain('Ligner et CPR-nummer');
    expect(await casesOfSchool(school)).toEqual([]);
  });

  it('when the opening date lies in the future, then the form says so in Danish next to the date, and no case', async () => {
    const tomorrow = addDays(todayInDenmark(), 1);
    const answer = await leader.post('/forloeb/nyt', openCaseForm(csrf, { pupilRef: 'P-1', schoolId: school, tovholder: 'tovholder-anna', openedOn: tomorrow }));
    expect([400, 422]).toContain(answer.status);
    expect(answer.text).toContain('href="#openedOn"');
    expect(answer.text).toContain('Datoen kan ikke ligge efter i dag');
    expect(await casesOfSchool(school)).toEqual([]);
  });

  it('when the form comes without its token, with a wrong one, or from another site, then 403 in Danish and no case', async () => {
    const fields = { pupilRef: 'P-2', schoolId: school, tovholder: 'tovholder-anna' };
    const attempts = [
      await leader.post('/forloeb/nyt', openCaseForm(undefined, fields)),
      await leader.post('/forloeb/nyt', openCaseForm(`${csrf.slice(0, -2)}xx`, fields)),
      await leader.post('/forloeb/nyt', openCaseForm('short', fields)),
      await leader.post('/forloeb/nyt', openCaseForm(csrf, fields), { origin: 'http://evil.example' }),
    ];
    for (const answer of attempts) {
      expect(answer.status).toBe(403);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(headingOf(answer.text)).toBe('Du har ikke adgang');
      expect(answer.text).toContain('Formularen kom ikke fra en af tjenestens egne sider');
    }
    expect(await casesOfSchool(school)).toEqual([]);
    // The same form with the token and from this site goes through.
    const accepted = await leader.post('/forloeb/nyt', openCaseForm(csrf, fields), { origin: app.baseUrl });
    expect(accepted.status, accepted.text).toBe(303);
    expect((await casesOfSchool(school)).map((item) => item.pupilRef)).toEqual(['P-2']);
  });
});

describe('signing out', () => {
  it('when the person posts /log-ud with the form token, then the session ends and the old cookie is sent to sign in', async () => {
    const visitor = await signedInVisitor({ role: 'leader', school: 'S1', name: 'Lene Leder' });
    const oldCookie = visitor.jar.get('ff_session') ?? '';
    const refused = await visitor.post('/log-ud', { _csrf: 'not-the-token' });
    expect(refused.status).toBe(403);
    expect((await visitor.get('/forloeb')).status).toBe(200);

    const answer = await visitor.post('/log-ud', { _csrf: await sessionToken(visitor) });
    expect(answer.status).toBe(200);
    expect(headingOf(answer.text)).toBeDefined();
    expect(answer.setCookies.some((line) => line.startsWith('ff_session=;'))).toBe(true);
    expect(visitor.jar.has('ff_session')).toBe(false);
    // The signed-out page is for nobody: no name and no sign-out form.
    expect(answer.text).not.toContain('Lene Leder');

    const again = await visitor.get('/forloeb', { cookie: `ff_session=${oldCookie}` });
    expect(again.status).toBe(303);
    expect(again.location).toBe('/log-ind?til=%2Fforloeb');
  });
});

describe('unknown addresses', () => {
  it('when a browser asks for a page that does not exist, then a Danish 404 page', async () => {
    const visitor = await signedInVisitor({ role: 'leader', school: 'S1', name: 'Lene Leder' });
    for (const path of ['/forloeb/x/y/z', '/no-such-page']) {
      const answer = await visitor.get(path, { accept: 'text/html' });
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(headingOf(answer.text), path).toBe('Siden findes ikke');
      expect(answer.text, path).toContain('<html lang="da"');
    }
    const anonymous = await new Visitor().get('/no-such-page', { accept: 'text/html' });
    expect(anonymous.status).toBe(404);
    expect(headingOf(anonymous.text)).toBe('Siden findes ikke');
  });

  it('when a program asks for an unknown /api path, then problem+json 404 still', async () => {
    const leader = await tokenFor({ role: 'leader', schools: ['S1'] });
    for (const accept of ['application/json', 'text/html']) {
      const answer = await fetch(`${app.baseUrl}/api/nope`, { headers: { authorization: `Bearer ${leader}`, accept } });
      expect(answer.status, accept).toBe(404);
      expect(answer.headers.get('content-type'), accept).toMatch(/^application\/problem\+json/);
      expect(((await answer.json()) as { status: number }).status).toBe(404);
    }
  });
});

describe('the process picture and the accessibility statement', () => {
  it('when the API documentation is read, then it links the case package diagram, which is an SVG drawn from the machine with every phase', async () => {
    const document = (await (await fetch(`${app.baseUrl}/openapi.json`)).json()) as { info: { description: string } };
    expect(document.info.description).toContain('(/docs/forloebspakke.svg)');
    const answer = await fetch(`${app.baseUrl}/docs/forloebspakke.svg`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await answer.text();
    expect(svg).toMatch(/^<svg[^>]*role="img"/);
    for (const phase of ['Kortlægning', 'Handleplan', 'Opfølgning', 'Afsluttet']) expect(svg, phase).toContain(phase);
    expect(svg, 'no case is marked on the general picture').not.toContain('Her er forløbet nu');
  });

  it('when anyone opens /tilgaengelighed, then the accessibility statement answers in Danish without signing in', async () => {
    const answer = await new Visitor().get('/tilgaengelighed');
    expect(answer.status).toBe(200);
    expect(headingOf(answer.text)).toBe('Tilgængelighedserklæring');
    expect(answer.text).toContain('WCAG 2.1');
  });
});

describe('behind a TLS proxy (publicBaseUrl https)', () => {
  // The service is reached at https://fravaer.kommune.example; a proxy ends TLS and passes the
  // request on to the app over plain http. The browser names the public origin in Origin.
  const publicOrigin = 'https://fravaer.kommune.example';
  let proxied: RunningApi;

  beforeAll(async () => {
    proxied = await startApi({ temporal, kind: 'pglite', worker: false, ui: { signIn: testLocalSignIn(), publicBaseUrl: publicOrigin } });
  });

  afterAll(async () => {
    await proxied?.close();
  });

  it('when a browser posts the forms from the public origin, then they are accepted and the cookies are Secure with the __Host- prefix', async () => {
    const visitor = new Visitor(proxied.baseUrl);
    const answer = await signIn(visitor, { role: 'leader', school: 'S1', name: 'Lene Leder' }, { origin: publicOrigin }, '__Host-ff_signin_form');
    expect(answer.status, answer.text).toBe(303);
    const cookie = answer.setCookies.find((line) => line.startsWith('__Host-ff_session='));
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);

    const csrf = csrfOf((await visitor.get('/forloeb')).text);
    const forged = await visitor.post('/log-ud', { _csrf: csrf }, { origin: 'http://evil.example' });
    expect(forged.status).toBe(403);
    const out = await visitor.post('/log-ud', { _csrf: csrf }, { origin: publicOrigin });
    expect(out.status, out.text).toBe(200);
    expect(visitor.jar.has('__Host-ff_session')).toBe(false);
  });
});
