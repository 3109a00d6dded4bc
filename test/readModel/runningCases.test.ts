/**
 * The read side over cases run by their real workflows, over HTTP: a step leaves the overdue board
 * the moment it is done, and a rebuild with a Temporal client brings a lost read model back from
 * the running workflow. Real clock (the workflows run on it). On PGlite and on the PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverdueItem } from '../../src/domain/readModelSchemas';
import { rebuildReadModel } from '../../src/readModel';
import { addDays, casesApi, expectCase, openCase, todayInDenmark, uniqueSchool } from '../api/support/cases';
import { DATABASE_KINDS } from '../support/databases';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { startReadApi, type ReadApi } from './support/readApi';

let temporal: TestTemporal;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(async () => {
  await temporal?.close();
});

describe.each(DATABASE_KINDS)('the read side over running cases on %s', (kind) => {
  let api: ReadApi;
  beforeAll(async () => {
    api = await startReadApi({ kind, temporal, worker: true });
  });
  afterAll(async () => {
    await api?.close();
  });

  const board = async (schoolId: string): Promise<OverdueItem[]> => {
    const answer = await api.http.get<{ items: OverdueItem[] }>(`/api/overdue?schoolId=${schoolId}`);
    expect(answer.status, answer.text).toBe(200);
    return answer.body.items;
  };

  it('when an overdue step is marked done, then it is off the board at once and the others stay', async () => {
    const schoolId = uniqueSchool();
    const cases = casesApi(api.http);
    // Opened fourteen weeks ago: the week-2 conversations are overdue whatever holidays fell between.
    const opened = await openCase(cases, { schoolId, openedOn: addDays(todayInDenmark(), -98) });
    const before = await board(schoolId);
    expect(before.map((item) => item.stepId)).toEqual(expect.arrayContaining(['parent_conversation', 'pupil_conversation']));
    expect(before.find((item) => item.stepId === 'pupil_conversation')).toMatchObject({ caseId: opened.caseId, status: 'overdue' });

    expectCase(await cases.complete(opened.caseId, 'pupil_conversation'));

    const after = await board(schoolId);
    expect(after).toEqual(before.filter((item) => item.stepId !== 'pupil_conversation'));
  });

  it('when a running case’s read model is lost, then a rebuild with the Temporal client restores it from its workflow', async () => {
    const schoolId = uniqueSchool();
    const cases = casesApi(api.http);
    const opened = await openCase(cases, { schoolId, openedOn: addDays(todayInDenmark(), -98) });
    expectCase(await cases.complete(opened.caseId, 'pupil_conversation'));
    const reads = [`/api/overdue?schoolId=${schoolId}`, `/api/cases/${opened.caseId}`, `/api/cases/${opened.caseId}/timeline`, `/api/reviews/monthly?schoolId=${schoolId}`];
    const answers = async () => Promise.all(reads.map(async (path) => (await api.http.get(path)).body));
    const before = await answers();

    // As if the last write had never reached the database: the row holds the opening view again,
    // the later events are gone, and so are the steps.
    await api.db.query(`UPDATE cases SET view = $2::jsonb, version = $3 WHERE case_id = $1`, [opened.caseId, JSON.stringify(opened), opened.version]);
    await api.db.query('DELETE FROM case_events WHERE case_id = $1 AND seq > $2', [opened.caseId, opened.version]);
    await api.db.query('DELETE FROM case_steps WHERE case_id = $1', [opened.caseId]);

    // From the stored views alone the step comes back, but as the stale view has it: not done.
    await rebuildReadModel({ db: api.db, store: api.store });
    expect((await board(schoolId)).map((item) => item.stepId)).toContain('pupil_conversation');

    const report = await rebuildReadModel({ db: api.db, store: api.store, client: temporal.client });
    expect(report.resyncFailed).toBe(0);
    expect(report.resynced).toBe(report.openCases);
    expect(await answers()).toEqual(before);
  });
});
