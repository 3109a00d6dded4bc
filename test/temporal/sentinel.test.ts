/**
 * The proof: nothing a person writes into a case can be read from Temporal's storage.
 *
 * A dev server of its own with a real SQLite file, the service's worker (prebuilt bundle, real
 * activities, a test database) and a client, driven through the case service as the API drives
 * it. A unique sentinel goes into every free-text field, into an activity failure's message and
 * into a rejected update; then the server stops cleanly and every byte it left in its data
 * directory is searched, in plain text, UTF-16 and base64.
 *
 * The control runs the same case without the codec and must find the sentinels (else the search
 * could never fail). The sentinels differ per route, so each route is shown to be stored at all.
 * A pupil's name from the school's directory is the exception: it must be absent even from the
 * control, as it never enters Temporal (the letter that names the pupil shows it was used).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter, type DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities';
import { createCaseService } from '../../src/api/caseService';
import { DomainFailure } from '../../src/domain/errors';
import { createCaseStore } from '../../src/db';
import { createLetterDraftStore } from '../../src/letters/store';
import { createPupilDirectory } from '../../src/school/directory';
import type { CaseView } from '../../src/domain/schemas';
import { caseDataConverter } from '../../src/temporal/dataConverter';
import { startDevServer } from '../../src/temporal/devServer';
import { failureConverter } from '../../src/temporal/failureConverter';
import { Keyring } from '../../src/temporal/keyring';
import { EncryptionCodec, payloadKeyId } from '../../src/temporal/payloadCodec';
import { workflowIdForCase } from '../../src/temporal/names';
import { createCaseWorker, type ActivityImplementations } from '../../src/worker';
import { closeCaseUpdate, completeStepUpdate, decideAssessmentUpdate, escalateUpdate, recordFollowUpUpdate, submitPlanUpdate } from '../../src/workflows/definitions';
import { addDays, todayInDenmark, uniqueSchool } from '../api/support/cases';
import { createTestDatabase } from '../support/databases';
import { TEMPORAL_CLI, TEST_DATA_DIR } from '../support/paths';
import { loadWorkflowBundle, quietRuntime, uniqueTaskQueue } from '../support/temporal';
import { payloadsIn } from './history';

/** One per route into Temporal, so the control shows each route is stored. */
function sentinels() {
  const tag = () => randomBytes(8).toString('hex');
  return {
    /** Every free-text field of the case: notes, rationale, measures, reasons, closure. */
    text: `SENTINEL-${tag()}`,
    /** The message of an activity's failed first attempt. */
    failure: `SENTINEL-FAIL-${tag()}`,
    /** The input of an update its validator rejects. */
    rejected: `SENTINEL-REJECT-${tag()}`,
    /** The pupil's name in the school's directory (PostgreSQL only; filled into the letter there). */
    pupilName: `SENTINELNAME${tag()}`,
  };
}
type Sentinels = ReturnType<typeof sentinels>;

/** The byte strings a sentinel could be stored as: UTF-8, UTF-16LE, and base64 at each of the three alignments. */
function storedForms(sentinel: string): Buffer[] {
  const bytes = Buffer.from(sentinel, 'utf8');
  const forms = [bytes, Buffer.from(sentinel, 'utf16le')];
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Only the characters made entirely of the sentinel's own bits.
    forms.push(Buffer.from(encoded.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6))));
  }
  return forms;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** For each sentinel, the files (relative to `dir`) holding it in any stored form. */
async function whereFound(dir: string, marks: Sentinels): Promise<Record<keyof Sentinels, string[]>> {
  const found: Record<keyof Sentinels, string[]> = { text: [], failure: [], rejected: [], pupilName: [] };
  for (const file of await filesUnder(dir)) {
    const content = await readFile(file);
    for (const kind of Object.keys(found) as (keyof Sentinels)[]) {
      if (storedForms(marks[kind]).some((form) => content.includes(form))) found[kind].push(path.relative(dir, file));
    }
  }
  return found;
}

interface Run {
  /** Every file the dev server left in its data directory. */
  files: string[];
  found: Record<keyof Sentinels, string[]>;
  final: CaseView;
  /** What the case recorded in its history about the refused effect step (its local activity's marker). */
  lastFailure: { message: string; keyId: string | undefined; decodedMessage: string | undefined } | undefined;
  /** Key ids (or 'plain') of every payload in the case's history. */
  historyKeyIds: string[];
  /** The letter drafted at opening, as shown from PostgreSQL. */
  invitation: string | undefined;
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * One case from opening to closure on a dev server of its own with a SQLite file; stops it
 * cleanly and searches what it left behind.
 */
async function runCase(keyring: Keyring | undefined, marks: Sentinels): Promise<Run> {
  quietRuntime();
  // Without a keyring: the SDK's defaults, as before this service encrypted anything.
  const dataConverter: DataConverter = keyring ? caseDataConverter(keyring) : {};
  const dataDir = await mkdtemp(path.join(TEST_DATA_DIR, 'sentinel-'));
  dirs.push(dataDir);
  const server = await startDevServer({ dataDir, namespace: 'default', port: 0, headless: true, cliPath: TEMPORAL_CLI });
  const database = await createTestDatabase('pglite');
  const cleanups: (() => Promise<void>)[] = [() => server.stop(), () => database.cleanup()];
  const cleanUp = async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const store = createCaseStore(database.db);
    const real = createActivities({ store, db: database.db });
    let failedOnce = false;
    const activities: ActivityImplementations = {
      ...real,
      // The read model refuses the escalation's step once, for good: the case records the
      // failure (a local activity's marker), sets the step aside and goes on.
      recordCaseEffects: async (...args: Parameters<typeof real.recordCaseEffects>) => {
        if (!failedOnce && args[0].events.some((entry) => entry.event === 'escalation')) {
          failedOnce = true;
          throw ApplicationFailure.create({ type: 'effects_refused', nonRetryable: true, message: `the read model refused the events: ${marks.failure}` });
        }
        return real.recordCaseEffects(...args);
      },
    };

    const nativeConnection = await NativeConnection.connect({ address: server.address });
    cleanups.push(() => nativeConnection.close());
    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default', dataConverter });
    const taskQueue = uniqueTaskQueue('sentinel');
    const worker = await createCaseWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      activities,
      workflowBundle: loadWorkflowBundle(),
      dataConverter,
    });
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });

    const service = createCaseService({ client, store, taskQueue });
    const today = todayInDenmark();
    const schoolId = uniqueSchool();
    await createPupilDirectory(database.db).replaceRoster(
      schoolId,
      `pupilRef;schoolId;grade;className;givenName;familyName;guardian1Name;guardian1Email;guardian2Name;guardian2Email\nP-4711;${schoolId};6;6.A;${marks.pupilName};Elevsen;Forælder ${marks.pupilName};;;\n`,
    );
    const opened = await service.openCase({
      pupilRef: 'P-4711',
      schoolId,
      grade: 6,
      tovholder: 'tovholder-kim',
      openedOn: addDays(today, -14),
      concern: { source: 'parents', note: `Forældrene fortæller: ${marks.text}` },
    });
    const { caseId } = opened;
    for (const stepId of ['class_community', 'pupil_conversation', 'parent_conversation']) {
      await service.act(caseId, completeStepUpdate, { stepId, note: `Samtale: ${marks.text}` });
    }
    // A rejected action: the validator refuses an unknown step.
    await expect(service.act(caseId, completeStepUpdate, { stepId: marks.rejected, note: marks.text })).rejects.toBeInstanceOf(DomainFailure);
    await service.act(caseId, decideAssessmentUpdate, { decision: 'action_plan', rationale: `Vurdering: ${marks.text}` });
    const review = addDays(today, 28);
    const inPlan = await service.act(caseId, submitPlanUpdate, {
      measures: (['pupil_parents', 'community', 'teaching'] as const).map((track) => ({
        track,
        description: `Indsats (${track}): ${marks.text}`,
        responsible: `Ansvarlig ${marks.text}`,
        startsOn: today,
        reviewOn: review,
      })),
    });
    // Kept in the case; its effects were refused, so the request answers 503 (unavailable).
    await expect(service.act(caseId, escalateUpdate, { reason: `Ingen effekt: ${marks.text}` })).rejects.toMatchObject({ error: { code: 'unavailable' } });
    await service.act(caseId, recordFollowUpUpdate, {
      heldOn: today,
      reviews: (inPlan.plan?.measures ?? []).map((measure) => ({ measureId: measure.measureId, done: true, effect: 'some' as const, action: 'keep' as const })),
      outcome: 'continue',
      // Held the day the plan was adopted, before its first review: early, with a reason (free text too).
      earlyReason: `Før tid: ${marks.text}`,
    });
    const final = await service.act(caseId, closeCaseUpdate, {
      criteria: {
        regularAttendance: true,
        wellbeingImproving: true,
        communityChallengesReduced: true,
        pupilMotivated: true,
        partiesAgree: true,
        measuresToKeep: [`Beholdes: ${marks.text}`],
      },
      relapsePreventionPlan: `Forebyggelse: ${marks.text}`,
      bridging: { decision: 'civil_society', note: `Brobygning: ${marks.text}` },
    });
    const handle = client.workflow.getHandle(workflowIdForCase(caseId));
    await handle.result();

    const history = await handle.fetchHistory();
    // The refused step's failure, as its local activity marker recorded it.
    const started = history.events?.find((event) => event.markerRecordedEventAttributes?.failure)?.markerRecordedEventAttributes?.failure;
    let lastFailure: Run['lastFailure'];
    if (started) {
      const encoded = started.encodedAttributes ?? undefined;
      const decoded = encoded && keyring ? (await new EncryptionCodec(keyring).decode([encoded]))[0] : undefined;
      lastFailure = {
        message: started.message ?? '',
        keyId: encoded ? payloadKeyId(encoded) : undefined,
        decodedMessage: decoded ? failureConverter.failureToError({ ...started, encodedAttributes: decoded }, defaultPayloadConverter).message : undefined,
      };
    }
    const historyKeyIds = payloadsIn(history).map(({ payload }) => payloadKeyId(payload) ?? 'plain');
    // The letter as the page shows it: the names are filled in from the directory at that moment.
    const invitation = ((await createLetterDraftStore(database.db).listForCase(caseId)) ?? []).find((draft) => draft.kind === 'parent_conversation_invitation');

    // Stop everything, the server last and cleanly (SIGTERM): SQLite checkpoints its WAL on close.
    await cleanUp();
    return { files: (await filesUnder(dataDir)).map((file) => path.relative(dataDir, file)), found: await whereFound(dataDir, marks), final, lastFailure, historyKeyIds, invitation: invitation?.body };
  } finally {
    await cleanUp();
  }
}

describe('what Temporal keeps on disk about a case', () => {
  it('with the codec: no sentinel, in any form, in any file the server left; the case ran to closure and the failure was recorded', async () => {
    const marks = sentinels();
    const run = await runCase(Keyring.generate('sentinel-k1'), marks);

    expect(run.files).toContain('temporal.sqlite');
    expect(run.final.phase).toBe('closed');
    // The failed first attempt is in the history, encoded and encrypted, readable with the key.
    expect(run.lastFailure).toEqual({ message: 'Encoded failure', keyId: 'sentinel-k1', decodedMessage: `the read model refused the events: ${marks.failure}` });

    expect(run.found).toEqual({ text: [], failure: [], rejected: [], pupilName: [] });
    // The name was there to be found: the letter drafted at opening, as shown from PostgreSQL, names the pupil.
    expect(run.invitation).toContain(`${marks.pupilName} Elevsen`);
    // Only the SDK's patch markers are plain; everything else in the history is under the key.
    expect(run.historyKeyIds.filter((id) => id !== 'plain').length).toBeGreaterThan(10);
    expect(new Set(run.historyKeyIds.filter((id) => id !== 'plain'))).toEqual(new Set(['sentinel-k1']));
  }, 240_000);

  it('control, without the codec: the same run leaves the text and the failure message readable in the SQLite file', async () => {
    const marks = sentinels();
    const run = await runCase(undefined, marks);

    expect(run.final.phase).toBe('closed');
    expect(run.lastFailure?.message).toBe(`the read model refused the events: ${marks.failure}`);
    expect(run.found.text).toContain('temporal.sqlite');
    // Late in the run, so it may still be in the WAL file rather than checkpointed into the database file.
    expect(run.found.failure.filter((file) => file.startsWith('temporal.sqlite'))).not.toEqual([]);
    // Temporal does not store a rejected update at all (it leaves no trace in the history).
    expect(run.found.rejected).toEqual([]);
    // The pupil's name never reaches Temporal at all, encrypted or not: the stored draft keeps
    // the field, and the name is read from the directory only when the letter is shown.
    expect(run.invitation).toContain(`${marks.pupilName} Elevsen`);
    expect(run.found.pupilName).toEqual([]);
  }, 240_000);
});
