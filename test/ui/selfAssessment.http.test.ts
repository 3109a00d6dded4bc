/**
 * The self-assessment pages over plain HTTP, as a browser without JavaScript meets them: the
 * municipality starts a round, enters a participant's ratings one theme at a time (stopping and
 * resuming), sees a refusal next to its field, records the discussion and three priorities, and
 * reads the result with a chart and table per theme, for print and as CSV. Other roles are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../api/support/harness';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { testLocalSignIn } from '../support/tokens';
import { THEMES } from '../../src/selfAssessment/principles';

let temporal: TestTemporal;
let app: RunningApi;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  app = await startApi({ temporal, kind: 'pglite', worker: false, ui: { signIn: testLocalSignIn() } });
});
afterAll(async () => {
  await app?.close();
  await temporal?.close();
});

interface Reply {
  status: number;
  location: string | undefined;
  contentType: string;
  text: string;
}

/** A browser without script: a cookie jar, redirects not followed. */
class Visitor {
  private readonly jar = new Map<string, string>();

  get(path: string): Promise<Reply> {
    return this.send(path, { method: 'GET', headers: {} });
  }

  post(path: string, form: Record<string, string> | [string, string][]): Promise<Reply> {
    return this.send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }

  private async send(path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    if (this.jar.size > 0) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${app.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.jar.delete(pair.slice(0, eq));
      else this.jar.set(pair.slice(0, eq), value);
    }
    return { status: res.status, location: res.headers.get('location') ?? undefined, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
  }
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const headingOf = (html: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1]?.trim();
const mainText = (html: string) =>
  (/<main\b[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

async function signedIn(role: string, school = '*', name = 'Maja Kommune'): Promise<Visitor> {
  const visitor = new Visitor();
  const form = await visitor.get('/log-ind');
  const answer = await visitor.post('/log-ind', { _csrf: csrfOf(form.text), role, school, name, til: '/' });
  expect(answer.status).toBe(303);
  return visitor;
}

/** Starts a round through the form; answers its page path. */
async function roundThroughPages(visitor: Visitor, title: string, heldOn: string): Promise<string> {
  const form = await visitor.get('/selvevaluering/ny');
  expect(form.status).toBe(200);
  const created = await visitor.post('/selvevaluering/ny', {
    _csrf: csrfOf(form.text),
    title,
    heldOn,
    'participants[0].name': 'Anne Holm',
    'participants[0].function': 'Skoleleder',
    'participants[2].name': 'Bo Berg',
    'participants[2].function': 'PPR',
  });
  expect(created.status, created.text.slice(0, 300)).toBe(303);
  return (created.location ?? '').replace(/\?.*$/, '');
}

describe('the self-assessment pages', () => {
  it('when the municipality signs in, then its menu has the self-assessment, beside its start page of analytics', async () => {
    const visitor = await signedIn('municipality');
    const home = await visitor.get('/');
    expect(home.location).toBe('/analyse');
    const list = await visitor.get('/selvevaluering');
    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/selvevaluering" class="nav-link" aria-current="page"');
    expect(mainText(list.text)).toContain('Vi ser og arbejder med fravær som symptom på mistrivsel');
  });

  it('when a round is rated theme by theme, left and resumed, then the progress shows it and a refused rating is explained next to its field', async () => {
    const visitor = await signedIn('municipality');
    const base = await roundThroughPages(visitor, 'Selvevaluering 2026', '2026-03-01');
    const overview = await visitor.get(base);
    expect(overview.status).toBe(200);
    expect(mainText(overview.text)).toContain('Anne Holm Skoleleder 0 af 25 principper');
    expect(mainText(overview.text)).toContain('Bo Berg PPR');
    const rateLink = /href="([^"]+\/tema\/forstaaelse)">Indtast vurderinger<span class="sr-only"> for Anne Holm/.exec(overview.text)?.[1];
    expect(rateLink).toBeDefined();

    const first = await visitor.get(rateLink!);
    expect(headingOf(first.text)).toBe('Tema 1 af 6: Forståelse af fravær');
    const save = await visitor.post(rateLink!, {
      _csrf: csrfOf(first.text),
      'r_forstaaelse.1': '2',
      'r_forstaaelse.2': '4',
      'c_forstaaelse.2': 'Vi spørger barnet',
      overall: '3',
      note: 'Godt på vej',
      action: 'next',
    });
    expect(save.status).toBe(303);
    expect(save.location).toMatch(/\/tema\/systematik$/);

    // A forged value outside the scale is refused by the API and shown next to its principle.
    const second = await visitor.get(save.location!);
    expect(headingOf(second.text)).toBe('Tema 2 af 6: Systematisk tilgang');
    expect(second.text).toMatch(/Forståelse af fravær<\/a>\s*<span class="sa-progress__state">2 af 4 vurderet/);
    const refused = await visitor.post(save.location!, { _csrf: csrfOf(second.text), 'r_systematik.1': '3', 'r_systematik.2': '9', action: 'stop' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('P2: Vælg en vurdering fra 1 til 5');
    expect(refused.text).toContain('id="r_systematik-2-error"');
    expect(/<title>([^<]*)<\/title>/.exec(refused.text)?.[1]).toMatch(/^Fejl: /);

    // Stop, and come back: the overview sends Anne to the first theme not done, with her answers kept.
    const stopped = await visitor.post(save.location!, { _csrf: csrfOf(second.text), 'r_systematik.1': '3', action: 'stop' });
    expect(stopped.location).toMatch(/\?udfoert=gemt#deltagere$/);
    const again = await visitor.get(base);
    expect(mainText(again.text)).toContain('Anne Holm Skoleleder 3 af 25 principper');
    const resume = /href="([^"]+\/tema\/(\w+))">Fortsæt vurderingerne<span class="sr-only"> for Anne Holm/.exec(again.text);
    expect(resume?.[2]).toBe('forstaaelse');
    const back = await visitor.get(resume![1]!);
    expect(back.text).toMatch(/name="r_forstaaelse\.2" value="4" class="form-radio" checked/);
    expect(back.text).toContain('Vi spørger barnet');
  });

  it('when the group records its discussion and three priorities, then the result shows charts, tables, the priorities, a printable page and a CSV', async () => {
    const visitor = await signedIn('municipality');
    const base = await roundThroughPages(visitor, 'Selvevaluering 2027', '2027-03-01');
    const overview = await visitor.get(base);
    const links = [...overview.text.matchAll(/href="([^"]+\/tema\/forstaaelse)">Indtast vurderinger/g)].map((m) => m[1]!);
    expect(links).toHaveLength(2);
    for (const [index, link] of links.entries()) {
      const form = await visitor.get(link);
      await visitor.post(link, { _csrf: csrfOf(form.text), 'r_forstaaelse.1': index === 0 ? '1' : '5', 'r_forstaaelse.3': '3', action: 'stop' });
    }

    const discussion = await visitor.get(`${base}/droeftelse`);
    expect(discussion.status).toBe(200);
    expect(discussion.text).toContain('Drøft: stor forskel');
    const fields: [string, string][] = [['_csrf', csrfOf(discussion.text)], ...THEMES.map((t): [string, string] => [`note_${t.id}`, t.id === 'forstaaelse' ? 'Vi ser fravær forskelligt' : ''])];
    const savedDiscussion = await visitor.post(`${base}/droeftelse`, fields);
    expect(savedDiscussion.location).toBe(`${base}/prioriteter`);

    const priorities = await visitor.get(`${base}/prioriteter`);
    const priority = (n: number, dueOn: string) => ({
      [`p${n}.title`]: `Fokus ${n}`,
      [`p${n}.themeId`]: 'forstaaelse',
      [`p${n}.need`]: 'knowledge',
      [`p${n}.nextSteps`]: 'Fælles oplæg om fravær som symptom',
      [`p${n}.owner`]: 'Anne Holm',
      [`p${n}.dueOn`]: dueOn,
    });
    const early = await visitor.post(`${base}/prioriteter`, { _csrf: csrfOf(priorities.text), ...priority(1, '2027-06-01'), ...priority(3, '2027-01-01') });
    expect(early.status).toBe(422);
    expect(early.text).toContain('Prioritet 3: dato: Datoen kan ikke ligge før mødet');
    const saved = await visitor.post(`${base}/prioriteter`, { _csrf: csrfOf(priorities.text), ...priority(1, '2027-06-01'), ...priority(2, '2027-08-01'), ...priority(3, '2027-10-01') });
    expect(saved.location).toBe(`${base}/resultat?udfoert=prioriteter`);

    const result = await visitor.get(`${base}/resultat`);
    expect(result.status).toBe(200);
    expect(result.text.match(/<svg[^>]*role="img"/g)).toHaveLength(6);
    expect(result.text.match(/<table class="table table--compact sa-table">/g)).toHaveLength(6);
    const text = mainText(result.text);
    expect(text).toContain('Forståelse af fravær, P1 (spredning 4)');
    expect(text).toContain('Vi ser fravær forskelligt');
    expect(text).toContain('Fokus 3');
    expect(text).toContain('Opfølgninger holdt inden for fristen');
    expect(text).toContain('Selvevaluering 2026');

    const print = await visitor.get(`${base}/udskrift`);
    expect(print.status).toBe(200);
    expect(print.text).toContain('js-print');
    expect(print.text).not.toContain(`href="${base}/prioriteter"`);
    const csv = await visitor.get(`${base}/resultat.csv`);
    expect(csv.contentType).toMatch(/^text\/csv/);
    expect(csv.text).toContain('Anne Holm (Skoleleder),Bo Berg (PPR)');
    expect(csv.text).toContain('1,Fokus 1,Forståelse af fravær,Viden og meningsskabelse');
    const sheet = await visitor.get(`${base}/vurderingsark`);
    expect(mainText(sheet.text)).toContain('Tovholderen/fraværsteamet har et klart mandat til at løse opgaven.');
  });

  it('when a leader or a tovholder opens the self-assessment, then the page refuses; without a session, sign in first', async () => {
    for (const role of ['leader', 'tovholder']) {
      const visitor = await signedIn(role, 'S1', `${role}-x`);
      expect((await visitor.get('/selvevaluering')).status).toBe(403);
      expect(await visitor.get('/')).toMatchObject({ location: '/forloeb' });
    }
    const anonymous = await new Visitor().get('/selvevaluering');
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe('/log-ind?til=%2Fselvevaluering');
    const municipality = await signedIn('municipality');
    expect((await municipality.get('/selvevaluering/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
