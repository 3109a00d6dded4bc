/**
 * Opsporing over HTTP: the school's concern candidates with their reasons, dismissing one with a
 * reason, opening a case from one (concern source "absence data", the figures kept with the case
 * in PostgreSQL) and running the computation now.
 */
import { idempotencyKeyOf } from '../api/casesRoutes';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Database } from '../db/types';
import { danishDateOf } from '../domain/dates';
import { DomainFailure } from '../domain/errors';
import { pupilRef as pupilRefSchema, schoolId as schoolIdSchema, tovholder as tovholderSchema, isoDate, type CaseView, type OpenCaseInput } from '../domain/schemas';
import { parseOrThrow as parse } from '../domain/validation';
import { principalOf } from '../access';
import type { Opsporing } from './opsporing';
import { absenceAtOpening, candidateDecision, candidateRun, dismissInput, keptCandidate, signalList, splitCandidates, type Candidate } from './signalSchemas';
import { noQuery, schoolFiguresQuery } from './schemas';

export const openFromCandidateInput = z
  .object({
    tovholder: tovholderSchema,
    openedOn: isoDate.optional().meta({ description: 'The day the leader decided; default today' }),
  })
  .strict()
  .meta({ id: 'OpenCaseFromCandidateInput' });

export interface SignalRoutesDeps {
  db: Database;
  opsporing: Opsporing;
  openCase: (input: OpenCaseInput, idempotencyKey?: string) => Promise<CaseView>;
  /** Runs opsporing for one school now (the nightly workflow, for this school), then answers its result. */
  runNow: (schoolId: string, on: string) => Promise<void>;
  now: () => Date;
}

/** Mounted at /api. */
export function signalRouter(deps: SignalRoutesDeps): Router {
  const router = Router();
  const schoolOf = (req: Request) => parse(schoolIdSchema, req.params.schoolId, ['schoolId']);
  const pupilOf = (req: Request) => parse(pupilRefSchema, req.params.pupilRef, ['pupilRef']);
  const today = () => danishDateOf(deps.now());

  /** The pupil as a candidate to act on now, or the refusal that says why not. */
  async function actionable(schoolId: string, pupilRef: string): Promise<Candidate> {
    const on = today();
    const found = splitCandidates(on, await deps.opsporing.candidates(schoolId, on)).items.find((item) => item.pupilRef === pupilRef);
    if (found === undefined) {
      throw new DomainFailure({
        code: 'rule_violated',
        detail: 'the pupil is not a concern candidate now (no rule is met, a case is open, or it was dismissed and the figures have not risen)',
        errors: [{ path: 'pupilRef', message: 'is not a concern candidate now' }],
      });
    }
    return found;
  }

  router.get('/schools/:schoolId/absence/signals', async (req, res) => {
    const schoolId = schoolOf(req);
    const on = parse(schoolFiguresQuery, req.query).on ?? today();
    res.json(signalList.parse(splitCandidates(on, await deps.opsporing.candidates(schoolId, on))));
  });

  router.get('/schools/:schoolId/absence/signals/last-run', async (req, res) => {
    const schoolId = schoolOf(req);
    parse(noQuery, req.query);
    const [row] = await deps.db.query<{ ran_at: string; result: unknown }>(`SELECT ran_at, result FROM absence_candidate_runs WHERE school_id = $1`, [schoolId]);
    res.json(candidateRun.parse({ ranAt: row?.ran_at ?? null, result: row?.result ?? null }));
  });

  router.post('/schools/:schoolId/absence/signals/run', async (req, res) => {
    const schoolId = schoolOf(req);
    await deps.runNow(schoolId, today());
    const [row] = await deps.db.query<{ result: unknown }>(`SELECT result FROM absence_candidate_runs WHERE school_id = $1`, [schoolId]);
    res.json(signalList.parse(row?.result));
  });

  router.post('/schools/:schoolId/absence/candidates/:pupilRef/dismiss', async (req, res) => {
    const schoolId = schoolOf(req);
    const ref = pupilOf(req);
    const { reason } = parse(dismissInput, req.body);
    const candidate = await actionable(schoolId, ref);
    const [row] = await deps.db.query<{ decided_at: string }>(
      `INSERT INTO absence_candidate_decisions (school_id, pupil_ref, decision, total_share, reason, figures, decided_by)
       VALUES ($1, $2, 'dismissed', $3, $4, $5::jsonb, $6) RETURNING decided_at`,
      [schoolId, ref, candidate.figures.totalShare, reason, JSON.stringify({ ...candidate.figures, reasons: candidate.reasons }), principalOf(res).sub],
    );
    res.json(candidateDecision.parse({ pupilRef: ref, decision: 'dismissed', totalShare: candidate.figures.totalShare, caseId: null, decidedAt: row?.decided_at }));
  });

  router.post('/schools/:schoolId/absence/candidates/:pupilRef/case', async (req, res) => {
    const schoolId = schoolOf(req);
    const ref = pupilOf(req);
    const body = parse(openFromCandidateInput, req.body);
    const candidate = await actionable(schoolId, ref);
    // The figures stay with the case in PostgreSQL; the workflow gets the source, not the figures.
    const view = await deps.openCase(
      { pupilRef: ref, schoolId, grade: candidate.grade, tovholder: body.tovholder, openedOn: body.openedOn ?? today(), concern: { source: 'absence_data' } },
      // The caller's key (a page sends its form's) when given, so a form sent twice opens one case;
      // without one, the candidate and its figures key the case.
      idempotencyKeyOf(req, `candidate:${schoolId}:${ref}`) ?? `candidate:${schoolId}:${ref}:${candidate.figures.totalShare}`,
    );
    await deps.db.query(
      `INSERT INTO absence_candidate_decisions (school_id, pupil_ref, decision, total_share, case_id, figures, decided_by)
       VALUES ($1, $2, 'case_opened', $3, $4, $5::jsonb, $6)`,
      [schoolId, ref, candidate.figures.totalShare, view.caseId, JSON.stringify({ ...candidate.figures, reasons: candidate.reasons }), principalOf(res).sub],
    );
    res.status(201).json(view);
  });

  // The figures a case was opened on, for its page; the access table has already checked the case.
  router.get('/cases/:caseId/absence-at-opening', async (req, res) => {
    parse(noQuery, req.query);
    const caseId = parse(z.uuid({ message: 'must be a case id (a UUID)' }), req.params.caseId, ['caseId']);
    const [row] = await deps.db.query<{ figures: unknown; decided_at: string }>(
      `SELECT figures, decided_at FROM absence_candidate_decisions
       WHERE case_id = $1 AND decision = 'case_opened' ORDER BY decided_at LIMIT 1`,
      [caseId],
    );
    if (row === undefined) {
      res.json(absenceAtOpening.parse({ caseId, atOpening: null }));
      return;
    }
    const { reasons, ...figures } = keptCandidate.parse(row.figures);
    res.json(absenceAtOpening.parse({ caseId, atOpening: { decidedAt: row.decided_at, figures, reasons } }));
  });

  return router;
}
