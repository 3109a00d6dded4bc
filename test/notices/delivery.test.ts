/**
 * Delivery rounds (deliverDueNotices) against a real database of each kind and a real SMTP
 * server, with the dispatcher's clock in the test's hand: urgent notices go at once and alone,
 * the rest as one Danish digest per person per day, failed sends back off and are never lost,
 * and a notice without an address waits for one.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNoticeActivities, type NoticeActivityDeps } from '../../src/activities/noticeActivities';
import { createCaseStore } from '../../src/db';
import type { CaseStore } from '../../src/db/types';
import { createContactsStore, type ContactsStore } from '../../src/notices/contactsStore';
import { createSmtpMailer, type Mailer } from '../../src/notices/mailer';
import type { SchoolContactsInput } from '../../src/notices/schemas';
import { createNoticeStore, type NoticeStore } from '../../src/notices/store';
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from '../support/databases';
import { caseIdOf, openCase, step, type Walked } from './cases';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from './smtp';

const OPENED_ON = '2026-11-02';
/** 10:00 in Denmark on Tuesday 1 December 2026: after the digest hour (7). */
const TUESDAY_10 = '2026-12-01T09:00:00Z';
const BASE_URL = 'https://fravaer.example.dk';
const CPR_SHAPED = /\d{6}-?\d{4}/;

let smtp: TestSmtpServer;
let mailer: Mailer;
let caseNumber = 0;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  mailer = createSmtpMailer({ url: smtp.url, from: 'Fraværsforløb <fravaer@kommune.example.dk>', timeoutMs: 5_000 });
});

afterAll(async () => {
  mailer?.close();
  await smtp?.close();
});

const uniqueLabel = () => randomBytes(4).toString('hex');
const address = (who: string) => `${who}-${uniqueLabel()}@skole.example.dk`;

describe.each(DATABASE_KINDS)('delivering notices, on %s', (kind) => {
  let t: TestDatabase;
  let store: CaseStore;
  let contacts: ContactsStore;
  let notices: NoticeStore;
  let clock: Date;

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    store = createCaseStore(t.db);
    contacts = createContactsStore(t.db);
    notices = createNoticeStore(t.db);
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  beforeEach(async () => {
    clock = new Date(TUESDAY_10);
    smtp.refuseAll = false;
    // Earlier tests' leftovers (waiting for tomorrow's digest) must not stand in this test's way.
    await t.db.query(`UPDATE notices SET status = 'failed' WHERE status = 'pending'`);
  });

  const setClock = (iso: string) => {
    clock = new Date(iso);
  };

  function activities(overrides: Partial<NoticeActivityDeps> = {}) {
    return createNoticeActivities({
      db: t.db,
      mailer,
      now: () => clock,
      compose: { publicBaseUrl: BASE_URL },
      digestHour: 7,
      pollSeconds: 30,
      retry: { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 3_600_000 },
      warn: () => undefined,
      ...overrides,
    });
  }

  interface School {
    schoolId: string;
    tovholder: string;
    leader: string;
    resourceTeam: string;
  }

  async function school(directory: (addresses: Omit<School, 'schoolId'>) => SchoolContactsInput | null = (a) => ({
    leaderEmail: a.leader,
    resourceTeamEmail: a.resourceTeam,
    tovholdere: { 'tovholder-kim': a.tovholder },
  })): Promise<School> {
    const schoolId = `S-${uniqueLabel()}`;
    const addresses = { tovholder: address('kim'), leader: address('leder'), resourceTeam: address('ressourceteam') };
    const set = directory(addresses);
    if (set !== null) await contacts.put(schoolId, set, clock);
    return { schoolId, ...addresses };
  }

  /** Records the case and queues what it announced, as the case's effect chain would. */
  async function queued(make: (caseId: string) => Walked, deps: Partial<NoticeActivityDeps> = {}): Promise<string> {
    caseNumber += 1;
    const caseId = caseIdOf(5000 + caseNumber + (kind === 'postgres' ? 10_000 : 0));
    const walk = make(caseId);
    await store.recordCaseEvents(caseId, walk.view.history, walk.view);
    await activities(deps).queueNotices({ caseId, events: walk.announced, view: walk.view });
    return caseId;
  }

  const longOverdue = (s: School) => (caseId: string) => openCase({ caseId, schoolId: s.schoolId, openedOn: OPENED_ON, at: TUESDAY_10 });
  const escalated = (s: School, reason = 'Emma Hansen kommer stadig ikke i skole') => (caseId: string) =>
    step(openCase({ caseId, schoolId: s.schoolId, openedOn: '2026-11-30', at: '2026-11-30T09:00:00Z' }), {
      type: 'escalate',
      reason,
      at: TUESDAY_10,
    });

  const listed = (query: Parameters<NoticeStore['list']>[0]) => notices.list(query, '2026-12-01');

  function expectDecentMail(mail: ReceivedMail): void {
    expect(mail.from).toBe('fravaer@kommune.example.dk');
    expect(mail.headers['content-type']).toMatch(/^text\/plain; charset=utf-8/i);
    expect(mail.text).not.toMatch(/Emma|Hansen|ondt i maven/);
    // Case ids in links are UUIDs (digits and all); everything else must hold nothing CPR-shaped.
    expect(mail.text.replace(/https?:\/\/\S+/g, '')).not.toMatch(CPR_SHAPED);
    expect(mail.subject).not.toMatch(CPR_SHAPED);
    expect(mail.text).toContain('Elevreference: P-4711');
    expect(mail.text).toContain('kan ikke besvares');
  }

  it('when a person has several non-urgent notices, then one Danish digest carries them all, and the leader gets their own', async () => {
    const s = await school();
    const caseId = await queued(longOverdue(s));
    const result = await activities().deliverDueNotices({});
    expect(result).toMatchObject({ mailOff: false, failures: 0 });

    const [digest, ...more] = smtp.to(s.tovholder);
    expect(more).toEqual([]);
    expect(digest?.to).toEqual([s.tovholder]);
    expect(digest?.subject).toBe('Fraværsforløb: 4 påmindelser 1. december 2026');
    expectDecentMail(digest!);
    for (const title of ['Samtale med eleven (spor B)', 'Samtale med forældrene (spor C)', 'spor A', 'Vurdering efter kortlægningen']) {
      expect(digest?.text).toContain(title);
    }
    expect(digest?.text).toContain('Frist overskredet: Samtale med forældrene (spor C)\n   Frist: 13. november 2026');
    expect(digest?.text).toContain(`Sagen: ${BASE_URL}/forloeb/${caseId}`);

    const [leaderMail, ...moreForLeader] = smtp.to(s.leader);
    expect(moreForLeader).toEqual([]);
    expect(leaderMail?.subject).toBe('Fraværsforløb: 2 påmindelser 1. december 2026');
    expect(leaderMail?.text).toContain('Til skolelederen – fristen er overskredet med 12 skoledage: Samtale med eleven (spor B)');
    expectDecentMail(leaderMail!);

    const items = await listed({ caseId });
    expect(items).toHaveLength(6);
    expect(items.every((item) => item.status === 'sent' && item.attempts === 1 && item.sentAt === '2026-12-01T09:00:00Z')).toBe(true);
    expect(new Set(items.map((item) => item.recipient))).toEqual(new Set([s.tovholder, s.leader]));
  });

  it('when a notice is queued after that person’s digest went out, then it waits for the next day’s digest, which goes out from the digest hour', async () => {
    const s = await school();
    await queued(longOverdue(s));
    await activities().deliverDueNotices({});
    expect(smtp.to(s.tovholder)).toHaveLength(1);

    // Later the same day a second case of the same tovholder falls overdue.
    setClock('2026-12-01T13:00:00Z');
    const later = await queued(longOverdue(s));
    await activities().deliverDueNotices({});
    expect(smtp.to(s.tovholder)).toHaveLength(1);
    const waiting = (await listed({ caseId: later })).filter((item) => item.role === 'tovholder');
    expect(waiting).toHaveLength(4);
    expect(waiting.every((item) => item.status === 'pending' && item.attempts === 0)).toBe(true);
    expect(waiting[0]?.statusDetail).toMatch(/next one \(tomorrow\)/);

    // The next Danish day, before the digest hour: still nothing (06:00 in Denmark).
    setClock('2026-12-02T05:00:00Z');
    await activities().deliverDueNotices({});
    expect(smtp.to(s.tovholder)).toHaveLength(1);

    // 07:00 in Denmark: the day's digest, with only what has not been sent.
    setClock('2026-12-02T06:00:00Z');
    await activities().deliverDueNotices({});
    const mails = smtp.to(s.tovholder);
    expect(mails).toHaveLength(2);
    expect(mails[1]?.subject).toBe('Fraværsforløb: 4 påmindelser 2. december 2026');
    expect(mails[1]?.text).toContain(`/forloeb/${later}`);

    // And no second digest that day.
    setClock('2026-12-02T15:00:00Z');
    await activities().deliverDueNotices({});
    expect(smtp.to(s.tovholder)).toHaveLength(2);
  });

  it('when the case is escalated, then the resource team gets an urgent mail at once and on its own, even after its digest of the day', async () => {
    const s = await school((a) => ({ resourceTeamEmail: a.resourceTeam, leaderEmail: a.resourceTeam, tovholdere: {} }));
    await queued(longOverdue(s)); // gives the leader (here the same address) a digest first
    await activities().deliverDueNotices({});
    expect(smtp.to(s.resourceTeam).map((mail) => mail.subject)).toEqual(['Fraværsforløb: 2 påmindelser 1. december 2026']);

    const caseId = await queued(escalated(s));
    const result = await activities().deliverDueNotices({});
    expect(result.urgentSent).toBe(1);
    const urgent = smtp.to(s.resourceTeam)[1];
    expect(urgent?.subject).toBe('Haster: sag eskaleret til niveau 1 (elevreference P-4711)');
    expect(urgent?.text).toContain('eskaleret til niveau 1 på eskaleringstrappen den 1. december 2026');
    expect(urgent?.text).toContain('ressourceteamets næste møde');
    expect(urgent?.text).toContain(`Sagen: ${BASE_URL}/forloeb/${caseId}`);
    expectDecentMail(urgent!);
    const [item] = await listed({ caseId });
    expect(item).toMatchObject({ kind: 'escalation', role: 'resource_team', urgent: true, status: 'sent', attempts: 1, recipient: s.resourceTeam });
  });

  it('when the recipient has no address yet, then the notice stays pending saying so, and goes out once the school sets one', async () => {
    const s = await school((a) => ({ leaderEmail: a.leader, tovholdere: {} }));
    const caseId = await queued(escalated(s));
    await activities().deliverDueNotices({});
    expect(smtp.to(s.resourceTeam)).toEqual([]);
    const [waiting] = await listed({ caseId });
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, recipient: null });
    expect(waiting?.statusDetail).toMatch(/^waiting for an address: .*resource team.*sent once one is set/);

    await contacts.put(s.schoolId, { leaderEmail: s.leader, resourceTeamEmail: s.resourceTeam, tovholdere: {} }, clock);
    expect((await listed({ caseId }))[0]?.recipient).toBe(s.resourceTeam);
    await activities().deliverDueNotices({});
    expect(smtp.to(s.resourceTeam)).toHaveLength(1);
    expect((await listed({ caseId }))[0]).toMatchObject({ status: 'sent', recipient: s.resourceTeam });
  });

  it('when the mail server is down, then attempts are counted with exponential backoff and the notices stay pending; once it is back they are delivered', async () => {
    const s = await school();
    await smtp.stop();
    let caseId: string;
    try {
      caseId = await queued(escalated(s));
      await queued(longOverdue(s));
      const first = await activities({ pollSeconds: 120 }).deliverDueNotices({});
      expect(first.failures).toBeGreaterThanOrEqual(3); // the escalation, the tovholder's digest, the leader's

      const [urgent] = await listed({ caseId });
      expect(urgent).toMatchObject({ status: 'pending', attempts: 1, recipient: s.resourceTeam });
      expect(urgent?.nextAttemptAt).toBe('2026-12-01T09:01:00Z');
      // A refused connection, described by its code only.
      expect(urgent?.statusDetail).toMatch(/^the last attempt failed \((ESOCKET|ECONNECTION)\); tried again from 2026-12-01T09:01:00Z$/);
      // The dispatcher is told to come back when the retry falls due, not at the next poll.
      expect(first.nextRoundInMs).toBe(60_000);

      // Within the backoff nothing is tried.
      setClock('2026-12-01T09:00:30Z');
      await activities().deliverDueNotices({});
      expect((await listed({ caseId }))[0]?.attempts).toBe(1);

      // After it: the second attempt, and the wait doubles.
      setClock('2026-12-01T09:01:00Z');
      await activities().deliverDueNotices({});
      const second = (await listed({ caseId }))[0];
      expect(second).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: '2026-12-01T09:03:00Z' });
    } finally {
      await smtp.start();
    }
    setClock('2026-12-01T09:03:00Z');
    const back = await activities().deliverDueNotices({});
    expect(back).toMatchObject({ failures: 0, urgentSent: 1 });
    expect(smtp.to(s.resourceTeam)).toHaveLength(1);
    expect(smtp.to(s.tovholder)).toHaveLength(1);
    expect(smtp.to(s.leader)).toHaveLength(1);
    expect((await listed({ caseId: caseId! }))[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('when every attempt is refused, then the notice ends as failed after the last one and is still listed; it is not tried again', async () => {
    const s = await school();
    const caseId = await queued(escalated(s));
    smtp.refuseAll = true;
    try {
      for (const at of ['2026-12-01T09:00:00Z', '2026-12-01T09:01:00Z', '2026-12-01T09:03:00Z', '2026-12-01T09:07:00Z', '2026-12-01T12:00:00Z']) {
        setClock(at);
        await activities().deliverDueNotices({});
      }
    } finally {
      smtp.refuseAll = false;
    }
    setClock('2026-12-02T12:00:00Z');
    await activities().deliverDueNotices({});
    expect(smtp.to(s.resourceTeam)).toEqual([]);
    const [item] = await listed({ caseId });
    expect(item).toMatchObject({ status: 'failed', attempts: 4, recipient: s.resourceTeam });
    expect(item?.statusDetail).toBe('gave up after 4 failed attempts (last: smtp 451); kept for the record, not sent');
    expect(item).not.toHaveProperty('nextAttemptAt');
    expect(await listed({ status: 'failed', caseId })).toHaveLength(1);
  });

  it('when mail is off, then nothing is sent and the notices wait in the outbox', async () => {
    const s = await school();
    const caseId = await queued(escalated(s));
    const result = await activities({ mailer: undefined }).deliverDueNotices({});
    expect(result).toMatchObject({ mailOff: true, urgentSent: 0, digestsSent: 0 });
    expect(smtp.to(s.resourceTeam)).toEqual([]);
    expect((await listed({ caseId }))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('when the leader is also a tovholder at the school, then that one person gets one digest with both', async () => {
    const s = await school((a) => ({ leaderEmail: a.tovholder, resourceTeamEmail: a.resourceTeam, tovholdere: { 'tovholder-kim': a.tovholder.toUpperCase() } }));
    await queued(longOverdue(s));
    await activities().deliverDueNotices({});
    const mails = smtp.messages.filter((mail) => mail.to.some((to) => to.toLowerCase() === s.tovholder));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('Fraværsforløb: 6 påmindelser 1. december 2026');
  });

  it('when the list is filtered, then it answers newest first, by recipient (any case), case and status', async () => {
    const s = await school();
    const first = await queued(longOverdue(s));
    setClock('2026-12-01T09:05:00Z');
    const second = await queued(escalated(s));
    const all = await listed({ recipient: s.tovholder.toUpperCase() });
    expect(all.map((item) => item.caseId)).toEqual([first, first, first, first]);
    const newest = await listed({ schoolId: s.schoolId, limit: 2 });
    expect(newest[0]?.caseId).toBe(second);
    expect(newest).toHaveLength(2);
    expect((await listed({ caseId: first, status: 'pending' })).map((item) => item.kind).sort()).toEqual([
      'step_overdue',
      'step_overdue',
      'step_overdue',
      'step_overdue',
      'step_overdue_leader',
      'step_overdue_leader',
    ]);
    expect(await listed({ caseId: first, status: 'sent' })).toEqual([]);
  });
});
