/**
 * The municipality's self-assessment over the API, on both databases: a small round whose
 * averages and spreads are worked out by hand, refusals that write nothing, a second round
 * compared with the first, priorities and their date rule, the CSV, and who may use it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInDenmark } from '../api/support/cases';
import { startApi, type RunningApi } from '../api/support/harness';
import type { HttpClient } from '../api/support/http';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { tokenFor } from '../support/tokens';
import { PRINCIPLE_IDS } from '../../src/selfAssessment/principles';
import type { Round, RoundResult } from '../../src/selfAssessment/schemas';

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(async () => {
  await temporal?.close();
});

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
}

describe.each(DATABASE_KINDS)('self-assessment on %s', (kind) => {
  let api: RunningApi;
  let municipality: HttpClient;
  const today = todayInDenmark();

  beforeAll(async () => {
    api = await startApi({ temporal, kind, worker: false });
    municipality = api.http.withToken(await tokenFor({ role: 'municipality' }));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  async function startRound(heldOn: string, names: string[] = ['Anne', 'Bo', 'Cem']): Promise<Round> {
    const answer = await municipality.post<Round>('/api/self-assessments', {
      title: `Selvevaluering ${heldOn}`,
      heldOn,
      participants: names.map((name, i) => ({ name, function: ['Skoleleder', 'PPR', 'Familieafdelingen'][i % 3] })),
    });
    expect(answer.status, answer.text).toBe(201);
    return answer.body;
  }

  const rate = (round: Round, index: number, body: unknown) =>
    municipality.put<Round & Problem>(`/api/self-assessments/${round.roundId}/participants/${round.participants[index]!.participantId}/ratings`, body);

  it('when three participants rate a theme, then each principle and the theme have the exact average, spread and standard deviation', async () => {
    const round = await startRound('2025-03-01');
    // forstaaelse.1: 1, 2, 4 → 2.33, spread 3, sd 1.25; forstaaelse.2: 3, 3, 3 → 3, spread 0, sd 0;
    // forstaaelse.3: 5 and 3 (Cem leaves it out) → 4, spread 2, sd 1.
    const given = [
      [1, 3, 5],
      [2, 3, 3],
      [4, 3, undefined],
    ];
    for (const [index, ratings] of given.entries()) {
      const body = {
        ratings: ratings.flatMap((rating, p) => (rating === undefined ? [] : [{ principleId: `forstaaelse.${p + 1}`, rating, ...(p === 0 ? { comment: 'Begrundelse' } : {}) }])),
        themes: [{ themeId: 'forstaaelse', overall: index + 2, note: 'Godt på vej' }],
      };
      expect((await rate(round, index, body)).status).toBe(200);
    }
    const result = (await municipality.get<RoundResult>(`/api/self-assessments/${round.roundId}/result`)).body;
    const theme = result.themes.find((t) => t.themeId === 'forstaaelse')!;
    const byId = Object.fromEntries(theme.principles.map((p) => [p.principleId, p]));
    expect(byId['forstaaelse.1']).toMatchObject({ count: 3, average: 2.33, spread: 3, standardDeviation: 1.25, discuss: true });
    expect(byId['forstaaelse.1']!.ratings.map((r) => r.rating)).toEqual([1, 2, 4]);
    expect(byId['forstaaelse.1']!.ratings[0]!.comment).toBe('Begrundelse');
    expect(byId['forstaaelse.2']).toMatchObject({ count: 3, average: 3, spread: 0, standardDeviation: 0, discuss: false });
    expect(byId['forstaaelse.3']).toMatchObject({ count: 2, average: 4, spread: 2, standardDeviation: 1, discuss: true });
    expect(byId['forstaaelse.3']!.ratings.map((r) => r.rating)).toEqual([5, 3, null]);
    expect(byId['forstaaelse.4']).toMatchObject({ count: 0, average: null, spread: null });
    // The theme: 1,2,4,3,3,3,5,3 → 24/8 = 3, spread 4, sd sqrt((4+1+1+0+0+0+4+0)/8) = 1.12.
    expect(theme).toMatchObject({ count: 8, average: 3, spread: 4, standardDeviation: 1.12 });
    expect(theme.overall).toMatchObject({ average: 3, spread: 2 });
    expect(theme.notes).toHaveLength(3);
    expect(result.mostDivergent).toEqual(['forstaaelse.1', 'forstaaelse.3']);
    expect(result.participants.map((p) => p.rated)).toEqual([3, 3, 2]);
    expect(result.earlier).toBeNull();
  });

  it('when a rating is 6, 0 or 2.5, or names an unknown principle, then 400 names the field and none of the body is saved', async () => {
    const round = await startRound('2025-03-02', ['Dorte']);
    const refused: [unknown, string][] = [
      [{ ratings: [{ principleId: 'forstaaelse.1', rating: 4 }, { principleId: 'forstaaelse.2', rating: 6 }] }, 'ratings[1].rating'],
      [{ ratings: [{ principleId: 'forstaaelse.1', rating: 0 }] }, 'ratings[0].rating'],
      [{ ratings: [{ principleId: 'forstaaelse.1', rating: 2.5 }] }, 'ratings[0].rating'],
      [{ ratings: [{ principleId: 'forstaaelse.1', rating: 3 }, { principleId: 'forstaaelse.9', rating: 3 }] }, 'ratings[1].principleId'],
      [{ ratings: [{ principleId: 'forstaaelse.1', rating: 3 }], themes: [{ themeId: 'forstaaelse', overall: 7 }] }, 'themes[0].overall'],
      [{ ratings: [{ principleId: 'forstaaelse.1', rating: 3 }, { principleId: 'forstaaelse.1', rating: 4 }] }, 'ratings[1]'],
    ];
    for (const [body, path] of refused) {
      const answer = await rate(round, 0, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.errors?.map((e) => e.path)).toEqual([path]);
    }
    const after = (await municipality.get<Round>(`/api/self-assessments/${round.roundId}`)).body;
    expect(after.ratings).toEqual([]);
    expect(after.themeNotes).toEqual([]);
    const rows = await api.database.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM self_assessment_ratings');
    expect(rows[0]!.n).toBe(3 + 3 + 2);
  });

  it('when a name or a comment holds a character PostgreSQL cannot store (NUL, a lone surrogate), then 400 names the field, not 500 (found by schemathesis)', async () => {
    const nul = await municipality.post<Problem>('/api/self-assessments', {
      title: 'Selvevaluering',
      heldOn: '2025-04-07',
      participants: [{ name: 'A\u0000B', function: 'PPR' }],
    });
    expect(nul.status, nul.text).toBe(400);
    expect(nul.body.errors?.map((e) => e.path)).toEqual(['participants[0].name']);
    const round = await startRound('2019-04-08', ['Eva']);
    const surrogate = await rate(round, 0, { ratings: [{ principleId: 'forstaaelse.1', rating: 3, comment: 'x\ud800y' }] });
    expect(surrogate.status, surrogate.text).toBe(400);
    expect(surrogate.body.errors?.map((e) => e.path)).toEqual(['ratings[0].comment']);
  });

  it('when a round, a participant or a principle does not exist, then 404 for the path and 400 for the body', async () => {
    const round = await startRound('2025-03-03', ['Eva']);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await municipality.get(`/api/self-assessments/${unknown}`)).status).toBe(404);
    expect((await municipality.get('/api/self-assessments/not-a-uuid/result')).status).toBe(404);
    const noOne = await municipality.put<Problem>(`/api/self-assessments/${round.roundId}/participants/${unknown}/ratings`, { ratings: [] });
    expect(noOne.status).toBe(404);
    expect(noOne.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const bad = await municipality.post<Problem>('/api/self-assessments', { title: '', heldOn: '2025-02-30', participants: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path).sort()).toEqual(['heldOn', 'participants', 'title']);
  });

  it('when the group sets priorities, then at most three are kept, a date before the round is refused with 422, and the CSV holds ratings and priorities', async () => {
    const round = await startRound('2025-03-04', ['Finn', 'Gitte']);
    await rate(round, 0, { ratings: [{ principleId: 'tovholder.1', rating: 2 }] });
    await rate(round, 1, { ratings: [{ principleId: 'tovholder.1', rating: 5 }] });
    const priority = (n: number, dueOn = '2025-06-01') => ({ title: `Fokus ${n}`, themeId: 'tovholder', need: 'procedures', nextSteps: 'Beskriv tovholderens mandat', owner: 'Hanne', dueOn });
    const four = await municipality.put<Problem>(`/api/self-assessments/${round.roundId}/priorities`, { priorities: [1, 2, 3, 4].map((n) => priority(n)) });
    expect(four.status).toBe(400);
    const early = await municipality.put<Problem>(`/api/self-assessments/${round.roundId}/priorities`, { priorities: [priority(1), priority(2, '2025-03-01')] });
    expect(early.status).toBe(422);
    expect(early.body.errors?.map((e) => e.path)).toEqual(['priorities[1].dueOn']);
    expect((await municipality.get<Round>(`/api/self-assessments/${round.roundId}`)).body.priorities).toEqual([]);
    const saved = await municipality.put<Round>(`/api/self-assessments/${round.roundId}/priorities`, { priorities: [priority(1), priority(2), priority(3)] });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.priorities.map((p) => p.position)).toEqual([1, 2, 3]);

    const csv = await municipality.get(`/api/self-assessments/${round.roundId}/result`, { accept: 'text/csv' });
    expect(csv.status).toBe(200);
    expect(csv.contentType).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('tema,princip,tekst,Finn (Skoleleder),Gitte (PPR),antal,gennemsnit,spredning,standardafvigelse,til drøftelse,gennemsnit 2025-03-03');
    expect(lines.find((l) => l.startsWith('Tovholder,tovholder.1,'))).toMatch(/,2,5,2,3\.5,3,1\.5,ja,$/);
    expect(lines.filter((l) => l.startsWith('1,Fokus 1,Tovholder,Fælles procedurer og aftaler,'))).toHaveLength(1);
  });

  it('when a second round follows the first, then its result shows the earlier round theme by theme with the change and the earlier priorities', async () => {
    const first = await startRound('2026-01-10', ['Ida', 'Jens']);
    await rate(first, 0, { ratings: [{ principleId: 'systematik.1', rating: 2 }, { principleId: 'systematik.2', rating: 2 }] });
    await rate(first, 1, { ratings: [{ principleId: 'systematik.1', rating: 3 }] });
    await municipality.put(`/api/self-assessments/${first.roundId}/priorities`, {
      priorities: [{ title: 'En fælles proces', nextSteps: 'Skriv processen ned', owner: 'Ida', dueOn: '2026-06-01' }],
    });
    const second = await startRound('2027-01-10', ['Ida', 'Jens']);
    await rate(second, 0, { ratings: [{ principleId: 'systematik.1', rating: 4 }, { principleId: 'systematik.2', rating: 4 }] });
    await rate(second, 1, { ratings: [{ principleId: 'systematik.1', rating: 5 }] });

    const result = (await municipality.get<RoundResult>(`/api/self-assessments/${second.roundId}/result`)).body;
    expect(result.earlier).toMatchObject({ roundId: first.roundId, heldOn: '2026-01-10' });
    expect(result.earlier?.priorities.map((p) => p.title)).toEqual(['En fælles proces']);
    const theme = result.themes.find((t) => t.themeId === 'systematik')!;
    // First: 2, 2, 3 → 2.33; second: 4, 4, 5 → 4.33; change 2.
    expect(theme.average).toBe(4.33);
    expect(theme.earlier).toEqual({ average: 2.33, overallAverage: null, change: 2 });
    expect(result.earlier?.principles.find((p) => p.principleId === 'systematik.1')?.average).toBe(2.5);
    expect(result.themes.find((t) => t.themeId === 'tovholder')!.earlier).toEqual({ average: null, overallAverage: null, change: null });
    // The first round is compared with what came before it, not with the later one.
    const firstResult = (await municipality.get<RoundResult>(`/api/self-assessments/${first.roundId}/result`)).body;
    expect(firstResult.earlier?.heldOn).toBe('2025-03-04');
    expect(result.figuresPeriod).toEqual({ from: '2026-01-11', to: '2027-01-10' });
    expect(theme.serviceFigures.map((f) => f.key)).toEqual(['followUpsOnTime', 'stepsOnTime']);
    expect(result.themes.find((t) => t.themeId === 'forstaaelse')!.serviceFigures).toEqual([]);

    const list = (await municipality.get<{ items: { roundId: string; ratedShare: number }[] }>('/api/self-assessments')).body.items;
    expect(list[0]!.roundId).toBe(second.roundId);
    expect(list[0]!.ratedShare).toBe(Math.round((3 / (2 * PRINCIPLE_IDS.length)) * 1000) / 1000);
  });

  it('when an admin of every school uses it, then it works; a municipality bound to one school, and every other role, get 403', async () => {
    const admin = api.http.withToken(await tokenFor({ role: 'admin' }));
    const created = await admin.post<Round>('/api/self-assessments', { title: 'Admin', heldOn: today, participants: [{ name: 'K', function: 'Konsulent' }] });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('admin-test');
    expect((await admin.get('/api/self-assessments/framework')).status).toBe(200);
    const refusedTokens = [
      await tokenFor({ role: 'municipality', schools: ['S1'] }),
      await tokenFor({ role: 'leader' }),
      await tokenFor({ role: 'tovholder' }),
      await tokenFor({ role: 'resource_team' }),
      await tokenFor({ role: 'admin', schools: ['S1'] }),
    ];
    for (const token of refusedTokens) {
      const client = api.http.withToken(token);
      expect((await client.get('/api/self-assessments')).status).toBe(403);
      expect((await client.get(`/api/self-assessments/${created.body.roundId}/result`)).status).toBe(403);
      expect((await client.put(`/api/self-assessments/${created.body.roundId}/priorities`, { priorities: [] })).status).toBe(403);
    }
    expect((await api.http.withToken(undefined).get('/api/self-assessments')).status).toBe(401);
    expect(addDays(today, 0)).toBe(today);
  });
});
