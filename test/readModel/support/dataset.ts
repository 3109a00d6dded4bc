/**
 * A fixed set of cases with known dates, produced by the real case machine and recorded through
 * the store. "Today" is Wednesday 18 November 2026. School days are Monday to Friday.
 *
 * id  school tovholder pupil  what happened (dates written DD-MM, all in 2026)
 * A   S1     anna      P-A    opened Mon 05-10; pupil conv. 12-10, parent conv. and class community 14-10
 *                             (all on time); assessment → action plan 19-10; plan adopted 26-10 but
 *                             entered 28-10; follow_up_1 due Fri 20-11 (due soon today).
 * B   S1     anna      P-B    opened Mon 07-09; pupil 15-09, parent 16-09; clock 22-09; class community
 *                             28-09 (late, due 25-09); assessment → action plan 28-09 (late); plan
 *                             09-10 (late, due 02-10); follow-up 21-10 (due 23-10) outcome escalate
 *                             (level 1), next due Wed 16-12; escalation 02-11 (level 2).
 * C   S1     bo        P-C    opened Mon 19-10; nothing done; clock 03-11 (stored: pupil and parent
 *                             overdue, class community and assessment due soon: stale by today).
 * D   S2     carl      P-D    opened Mon 02-11; pupil conv. 10-11 (on time); parent conv. due 13-11.
 * E1  S2     carl      P-E    opened Mon 01-06; mapping 05-06; assessment → close 08-06; closed 12-06.
 * E2  S2     carl      P-E    opened Mon 05-10 (reopened: E1 closed 12-06, within 6 months); mapping
 *                             09-10; action plan 12-10; plan 16-10; closed 13-11 (follow_up_1 cancelled).
 * F1  S1     bo        P-F    opened Mon 02-02; mapping 13-02; assessment → close 16-02; closed 02-03
 *                             (closure step late, due 27-02).
 * F2  S1     bo        P-F    opened Mon 14-09 (NOT reopened within 6 months: F1 closed 02-03, more
 *                             than 6 months before); mapping 25-09; assessment → close 30-09; closed 07-10.
 * G1  S2     carl      P-G    opened Mon 13-04; mapping 24-04; assessment → close 27-04; closed 11-05
 *                             (closure step late, due 08-05).
 * G2  S2     carl      P-G    opened Wed 11-11: exactly 6 months after G1 closed (counts as reopened).
 * H   S2     carl      P-F    opened Mon 19-10; the pupil of F1/F2 but at another school (not reopened);
 *                             mapping 23-10; assessment → close 26-10; closed 28-10.
 */
import type { CaseStore } from '../../../src/db/types';
import { MachineCase } from './machineCases';

export const TODAY = '2026-11-18';
/** The app's clock: 11:00 in Denmark on TODAY. */
export const NOW = new Date('2026-11-18T10:00:00Z');

export const CASE = {
  A: '00000000-0000-4000-a000-0000000000a1',
  B: '00000000-0000-4000-a000-0000000000b1',
  C: '00000000-0000-4000-a000-0000000000c1',
  D: '00000000-0000-4000-a000-0000000000d1',
  E1: '00000000-0000-4000-a000-0000000000e1',
  E2: '00000000-0000-4000-a000-0000000000e2',
  F1: '00000000-0000-4000-a000-0000000000f1',
  F2: '00000000-0000-4000-a000-0000000000f2',
  G1: '00000000-0000-4000-a000-0000000000f7',
  G2: '00000000-0000-4000-a000-0000000000f8',
  H: '00000000-0000-4000-a000-0000000000f9',
} as const;

const ANNA = 'tovholder-anna';
const BO = 'tovholder-bo';
const CARL = 'tovholder-carl';

const TRACKS = ['pupil_conversation', 'parent_conversation', 'class_community'] as const;

async function mappingDone(c: MachineCase, on: string): Promise<MachineCase> {
  for (const stepId of TRACKS) await c.complete(stepId, on);
  return c;
}

/** Records every case of the table above; answers their final views by key. */
export async function recordDataset(store: CaseStore) {
  const open = (caseId: string, schoolId: string, tovholder: string, pupilRef: string, openedOn: string) =>
    MachineCase.open(store, { caseId, schoolId, tovholder, pupilRef, openedOn });

  const a = await open(CASE.A, 'S1', ANNA, 'P-A', '2026-10-05');
  await a.complete('pupil_conversation', '2026-10-12');
  await a.complete('parent_conversation', '2026-10-14');
  await a.complete('class_community', '2026-10-14');
  await a.assess('action_plan', '2026-10-19');
  await a.plan('2026-10-26', '2026-10-28');

  const b = await open(CASE.B, 'S1', ANNA, 'P-B', '2026-09-07');
  await b.complete('pupil_conversation', '2026-09-15');
  await b.complete('parent_conversation', '2026-09-16');
  await b.tick('2026-09-22');
  await b.complete('class_community', '2026-09-28');
  await b.assess('action_plan', '2026-09-28');
  await b.plan('2026-10-09');
  await b.followUp('2026-10-21', 'escalate');
  await b.escalate('2026-11-02');

  const c = await open(CASE.C, 'S1', BO, 'P-C', '2026-10-19');
  await c.tick('2026-11-03');

  const d = await open(CASE.D, 'S2', CARL, 'P-D', '2026-11-02');
  await d.complete('pupil_conversation', '2026-11-10');

  const e1 = await mappingDone(await open(CASE.E1, 'S2', CARL, 'P-E', '2026-06-01'), '2026-06-05');
  await e1.assess('close', '2026-06-08');
  await e1.close('2026-06-12');

  const e2 = await mappingDone(await open(CASE.E2, 'S2', CARL, 'P-E', '2026-10-05'), '2026-10-09');
  await e2.assess('action_plan', '2026-10-12');
  await e2.plan('2026-10-16');
  await e2.close('2026-11-13');

  const f1 = await mappingDone(await open(CASE.F1, 'S1', BO, 'P-F', '2026-02-02'), '2026-02-13');
  await f1.assess('close', '2026-02-16');
  await f1.close('2026-03-02');

  const f2 = await mappingDone(await open(CASE.F2, 'S1', BO, 'P-F', '2026-09-14'), '2026-09-25');
  await f2.assess('close', '2026-09-30');
  await f2.close('2026-10-07');

  const g1 = await mappingDone(await open(CASE.G1, 'S2', CARL, 'P-G', '2026-04-13'), '2026-04-24');
  await g1.assess('close', '2026-04-27');
  await g1.close('2026-05-11');

  const g2 = await open(CASE.G2, 'S2', CARL, 'P-G', '2026-11-11');

  const h = await mappingDone(await open(CASE.H, 'S2', CARL, 'P-F', '2026-10-19'), '2026-10-23');
  await h.assess('close', '2026-10-26');
  await h.close('2026-10-28');

  return { A: a.view, B: b.view, C: c.view, D: d.view, E1: e1.view, E2: e2.view, F1: f1.view, F2: f2.view, G1: g1.view, G2: g2.view, H: h.view };
}
