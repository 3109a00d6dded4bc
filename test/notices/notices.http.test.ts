/**
 * Notices end to end, with every part real: the HTTP API, the Temporal dev server, a worker, the
 * notice dispatcher workflow, PostgreSQL and an SMTP server. A case opened with a wide due-soon
 * window announces its steps due soon at once (a paper case entered late announces nothing for
 * deadlines that passed before it was entered); the right people get the right mails; an escalation goes out within
 * seconds; a mail server that is down holds up no tovholder and loses nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../src/domain/schemas';
import { startNoticeDispatcher } from '../../src/notices/dispatcher';
import { notificationList, type Notification } from '../../src/notices/schemas';
import {
  addDays,
  casesApi,
  expectCase,
  expectProblem,
  mondayOnOrBefore,
  openCaseBody,
  todayInDenmark,
  uniqueKey,
  type CasesApi,
} from '../api/support/cases';
import type { Answer } from '../api/support/http';
import { schemaViolations } from '../api/support/jsonSchema';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { PUBLIC_BASE_URL, startNoticesApi, type NoticesApi } from './harness';
import { startTestSmtpServer, type TestSmtpServer } from './smtp';

const DAY_MS = 86_400_000;

let temporal: TestTemporal;
let smtp: TestSmtpServer;
let running: NoticesApi;
let api: CasesApi;
let openApi: Record<string, unknown>;
/**
 * The dispatcher's clock: 10:00 UTC on today's Danish date, running on in real time, so a test
 * never straddles a Danish midnight by accident; a test moves it a day on by adding to `shift`.
 */
const clockStart = Date.parse(`${todayInDenmark()}T10:00:00Z`) - Date.now();
let shift = 0;
const clock = () => new Date(Date.now() + clockStart + shift);

beforeAll(async () => {
  temporal = await connectTestTemporal();
  smtp = await startTestSmtpServer();
  running = await startNoticesApi(temporal, 'postgres', {
    smtpUrl: smtp.url,
    now: clock,
    retry: { maxAttempts: 50, baseDelayMs: 200, maxDelayMs: 1_000 },
    pollSeconds: 1,
    digestHour: 7,
    roundsPerRun: 5,
    // Every mapping step (due within three weeks) is due soon the day a case opens.
    thresholds: { dueSoonSchoolDays: 20, leaderAlertSchoolDays: 10 },
  });
  api = casesApi(running.http);
  openApi = (await running.http.get<Record<string, unknown>>('/openapi.json')).body;
});

afterAll(async () => {
  await running?.close();
  await smtp?.close();
  await temporal?.close();
});

const label = () => randomBytes(4).toString('hex');
const uniqueSchool = () => `S-notices-${label()}`;
const address = (who: string) => `${who}-${label()}@skole.example.dk`;

interface School {
  schoolId: string;
  tovholder: string;
  leader: string;
  resourceTeam: string;
}

async function schoolWithContacts(): Promise<School> {
  const s = { schoolId: uniqueSchool(), tovholder: address('kim'), leader: address('leder'), resourceTeam: address('ressourceteam') };
  const answer = await running.put(`/api/schools/${s.schoolId}/contacts`, {
    leaderEmail: s.leader,
    resourceTeamEmail: s.resourceTeam,
    tovholdere: { 'tovholder-kim': s.tovholder },
  });
  expect(answer.status, answer.text).toBe(200);
  return s;
}

/** A notifications answer: 200, JSON, the documented shape. */
function expectNotifications(answer: Answer): Notification[] {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(schemaViolations(openApi, { $ref: '#/components/schemas/NotificationList' }, answer.body)).toEqual([]);
  return notificationList.parse(answer.body).items;
}

const notificationsOf = async (query: Record<string, string>) =>
  expectNotifications(await running.http.get(`/api/notifications?${new URLSearchParams(query).toString()}`));

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opened today: with the harness's wide due-soon window, its four mapping steps are due soon at once. */
async function openDueSoonCase(s: School): Promise<CaseView> {
  return expectCase(await api.open(openCaseBody({ schoolId: s.schoolId, openedOn: todayInDenmark() }), uniqueKey('notices')), 201);
}

/**
 * A paper case entered fourteen weeks after it was opened: every mapping deadline had passed, by
 * more than ten school days whatever holidays fall in between, before the service knew the case.
 */
async function openPaperCase(s: School): Promise<CaseView> {
  const openedOn = addDays(mondayOnOrBefore(todayInDenmark()), -98);
  return expectCase(await api.open(openCaseBody({ schoolId: s.schoolId, openedOn }), uniqueKey('paper')), 201);
}

describe('the contacts directory', () => {
  it('when a school sets its contacts, then GET answers them as set', async () => {
    const s = await schoolWithContacts();
    const answer = await running.http.get(`/api/schools/${s.schoolId}/contacts`);
    expect(answer.status).toBe(200);
    expect(schemaViolations(openApi, { $ref: '#/components/schemas/SchoolContacts' }, answer.body)).toEqual([]);
    expect(answer.body).toMatchObject({
      schoolId: s.schoolId,
      leaderEmail: s.leader,
      resourceTeamEmail: s.resourceTeam,
      tovholdere: { 'tovholder-kim': s.tovholder },
    });
  });

  it('when a body is bad, then 400 names the field, and the contacts already set stay in force', async () => {
    const s = await schoolWithContacts();
    const path = `/api/schools/${s.schoolId}/contacts`;
    expectProblem(await running.put(path, { leaderEmail: 'not-an-address', resourceTeamEmail: s.resourceTeam }), 400, { path: 'leaderEmail' });
    expectProblem(await running.put(path, { resourceTeamEmail: 'ressourceteam@' }), 400, { path: 'resourceTeamEmail' });
    expectProblem(await running.put(path, { tovholdere: { 'tovholder-kim': 'kim at skolen' } }), 400, { path: 'tovholdere.tovholder-kim' });
    expectProblem(await running.put(path, { leaderEmail: s.leader, ccEmail: s.leader }), 400, { path: 'ccEmail' });
    expectProblem(await running.put(path, undefined, '{"leaderEmail": '), 400, { path: '(body)' });
    expectProblem(await running.put('/api/schools/bad%20id!/contacts', { leaderEmail: s.leader }), 400, { path: 'schoolId' });

    const after = await running.http.get(`/api/schools/${s.schoolId}/contacts`);
    expect(after.body).toMatchObject({ leaderEmail: s.leader, resourceTeamEmail: s.resourceTeam, tovholdere: { 'tovholder-kim': s.tovholder } });
  });

  it('when a school has set none, then GET answers 404', async () => {
    const answer = await running.http.get(`/api/schools/${uniqueSchool()}/contacts`);
    expectProblem(answer, 404, { type: 'https://fravaersforloeb.dk/problems/contacts-not-found' });
  });
});

describe('GET /api/notifications', () => {
  it.each([
    ['recipient', 'not-an-address'],
    ['caseId', '42'],
    ['status', 'lost'],
    ['limit', '0'],
    ['schoolId', 'has space'],
    ['sender', 'x@y.dk'],
  ])('when %s=%s, then 400 names the parameter', async (name, value) => {
    expectProblem(await running.http.get(`/api/notifications?${name}=${encodeURIComponent(value)}`), 400, { path: name });
  });
});

describe('notices through a case, delivered over SMTP by the dispatcher workflow', () => {
  let s: School;
  let opened: CaseView;

  beforeAll(async () => {
    s = await schoolWithContacts();
    opened = await openDueSoonCase(s);
  });

  it('when a paper case is entered weeks after its deadlines passed, then no one is told of them', async () => {
    const paper = await openPaperCase(s);
    expect(paper.history.filter((entry) => entry.event === 'step_overdue')).toHaveLength(4);
    expect(paper.history.filter((entry) => entry.event === 'step_overdue_leader').length).toBeGreaterThan(0);
    // The case's effects (events, letters, notices) are done once its view is recorded.
    await eventually(
      () => running.database.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1`, [paper.caseId]),
      (rows) => (rows[0]?.n ?? 0) >= paper.history.length,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await notificationsOf({ caseId: paper.caseId })).toEqual([]);
  });

  it('when a case is opened with its steps due soon, then its tovholder gets one digest of them, and no one else is told', async () => {
    const late = opened.history.filter((entry) => entry.event === 'step_due_soon').map((entry) => entry.stepId);
    expect(late).toHaveLength(4);

    const [digest] = await smtp.waitFor((mail) => mail.to.includes(s.tovholder));
    expect(digest?.subject).toMatch(new RegExp(`^Fraværsforløb: 4 påmindelser \\d+\\. \\p{L}+ \\d{4}$`, 'u'));
    expect(digest?.text.match(/^\d+\. Frist nærmer sig: /gm)).toHaveLength(4);
    expect(digest?.text).toContain(`Sagen: ${PUBLIC_BASE_URL}/forloeb/${opened.caseId}`);
    expect(digest?.text).toContain('Elevreference: P-4711');
    expect(digest?.text).not.toContain('mandagsfravær'); // the concern's note

    const items = await eventually(
      () => notificationsOf({ caseId: opened.caseId }),
      (list) => list.every((item) => item.status === 'sent'),
    );
    expect(items).toHaveLength(late.length);
    expect(items.filter((item) => item.role === 'tovholder').map((item) => item.stepId).sort()).toEqual([...late].sort());
    expect(items.every((item) => item.attempts === 1 && item.sentAt !== undefined && !item.urgent)).toBe(true);
    // No one else got anything.
    expect(smtp.to(s.resourceTeam)).toEqual([]);
    expect(smtp.to(s.leader)).toEqual([]);
  });

  it('when the case is escalated, then the resource team gets an urgent mail on its own within seconds', async () => {
    const started = performance.now();
    expectCase(await api.escalate(opened.caseId, { reason: 'Emma Hansen kommer stadig ikke' }, uniqueKey('escalate')));
    const answeredAfter = performance.now() - started;
    const [urgent] = await smtp.waitFor((mail) => mail.to.includes(s.resourceTeam), { timeoutMs: 10_000 });
    const deliveredAfter = urgent!.receivedAt - started;
    process.stderr.write(`[notices] escalation: answered in ${answeredAfter.toFixed(0)} ms, mail received after ${deliveredAfter.toFixed(0)} ms\n`);
    // Woken by the queueing activity, the dispatcher sends at once, not at its next poll.
    expect(deliveredAfter).toBeLessThan(5_000);
    expect(urgent?.subject).toBe('Haster: sag eskaleret til niveau 1 (elevreference P-4711)');
    expect(urgent?.text).not.toContain('Emma');

    const [item] = await eventually(
      () => notificationsOf({ caseId: opened.caseId, limit: '1' }),
      (list) => list[0]?.status === 'sent',
    );
    expect(item).toMatchObject({ kind: 'escalation', role: 'resource_team', urgent: true, status: 'sent', recipient: s.resourceTeam });
  });

  it('when a later notice comes the same day, then it waits for the next day’s digest', async () => {
    const before = smtp.to(s.tovholder).length;
    const second = await openDueSoonCase(s);
    const waiting = await eventually(
      () => notificationsOf({ caseId: second.caseId, recipient: s.tovholder }),
      (list) => list.length === 4,
    );
    expect(waiting.every((item) => item.status === 'pending')).toBe(true);
    expect(waiting[0]?.statusDetail).toMatch(/next one \(tomorrow\)/);
    // Several dispatcher rounds (one a second) pass without a second digest today.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(smtp.to(s.tovholder)).toHaveLength(before);

    shift += DAY_MS;
    const mails = await smtp.waitFor((mail) => mail.to.includes(s.tovholder), { count: before + 1 });
    expect(mails.at(-1)?.text).toContain(`/forloeb/${second.caseId}`);
    expect(mails.at(-1)?.text).not.toContain(`/forloeb/${opened.caseId}`);
  });
});

describe('a mail server that is down', () => {
  it('when SMTP is down, then the tovholder’s action still answers quickly, notices stay pending with attempts counted, and go out once it is back', async () => {
    const s = await schoolWithContacts();
    const opened = expectCase(await api.open(openCaseBody({ schoolId: s.schoolId, openedOn: todayInDenmark() }), uniqueKey('down')), 201);
    await smtp.stop();
    let caseItems: Notification[];
    try {
      const started = performance.now();
      const answer = await api.escalate(opened.caseId, { reason: 'Fraværet stiger' }, uniqueKey('escalate'));
      const answeredAfter = performance.now() - started;
      expectCase(answer);
      process.stderr.write(`[notices] escalation with SMTP down: answered in ${answeredAfter.toFixed(0)} ms\n`);
      expect(answeredAfter).toBeLessThan(2_000);

      caseItems = await eventually(
        () => notificationsOf({ caseId: opened.caseId }),
        (list) => (list[0]?.attempts ?? 0) >= 2,
      );
      expect(caseItems[0]).toMatchObject({ kind: 'escalation', status: 'pending', recipient: s.resourceTeam });
      expect(caseItems[0]?.attempts).toBeGreaterThanOrEqual(2);
      expect(caseItems[0]?.statusDetail).toMatch(/^the last attempt failed/);
      expect(smtp.to(s.resourceTeam)).toEqual([]);
    } finally {
      await smtp.start();
    }
    await smtp.waitFor((mail) => mail.to.includes(s.resourceTeam));
    const [sent] = await eventually(
      () => notificationsOf({ caseId: opened.caseId }),
      (list) => list[0]?.status === 'sent',
    );
    expect(sent?.status).toBe('sent');
    expect(sent?.attempts).toBeGreaterThanOrEqual(3);
  });
});

describe('the dispatcher workflow', () => {
  it('when it has run its rounds, then it continues as new and keeps delivering; starting it again finds the one running', async () => {
    const first = await running.dispatcher.describe();
    expect(first.status.name).toBe('RUNNING');
    const later = await eventually(
      () => running.dispatcher.describe(),
      (description) => description.runId !== first.runId,
      15_000,
    );
    expect(later.runId).not.toBe(first.runId);
    expect(later.status.name).toBe('RUNNING');

    await startNoticeDispatcher(temporal.client, { taskQueue: running.taskQueue, workflowId: running.dispatcherId });
    const again = await running.dispatcher.describe();
    expect(again.status.name).toBe('RUNNING');
    const runningRuns = async () => {
      const runs: string[] = [];
      const query = `WorkflowId = '${running.dispatcherId}' AND ExecutionStatus = 'Running'`;
      for await (const execution of temporal.client.workflow.list({ query })) runs.push(execution.runId);
      return runs;
    };
    // Visibility lags a little behind continue-as-new; one run is what it settles on.
    expect(await eventually(runningRuns, (runs) => runs.length === 1)).toHaveLength(1);

    // Still delivering after continue-as-new.
    const s = await schoolWithContacts();
    const opened = expectCase(await api.open(openCaseBody({ schoolId: s.schoolId, openedOn: todayInDenmark() }), uniqueKey('after-can')), 201);
    expectCase(await api.escalate(opened.caseId, { reason: 'Fraværet stiger' }, uniqueKey('escalate')));
    await smtp.waitFor((mail) => mail.to.includes(s.resourceTeam));
  });
});
