/**
 * The self-assessment routes (mounted at /api): the framework, rounds, each participant's
 * ratings, the group's discussion and priorities, and the result (JSON or CSV). Thin: parse with
 * the schemas (a 400 names the field and nothing is written), ask the store, answer.
 */
import { Router, type Request } from 'express';
import { principalOf } from '../access/guard';
import { danishDateOf } from '../domain/dates';
import type { Database } from '../db/types';
import { DomainFailure } from '../domain/errors';
import { parseOrThrow } from '../domain/validation';
import { resultCsv } from './csv';
import { FRAMEWORK_ID, FRAMEWORK_SOURCE, FRAMEWORK_TITLE, NEEDS, RATING_SCALE, STEPS, THEMES } from './principles';
import { roundResult } from './result';
import { createRoundInput, discussionInput, participantInput, prioritiesInput, ratingsInput, roundList, type Round, type RoundResult } from './schemas';
import { figuresPeriodFor, serviceFigures } from './serviceFigures';
import { createSelfAssessmentStore } from './store';

const noRound = () => new DomainFailure({ code: 'round_not_found', detail: 'there is no self-assessment round with this roundId' });

export interface SelfAssessmentRoutesDeps {
  db: Database;
  now: () => Date;
}

/** The framework as the API shows it: the principles in Danish, the scale and the steps. */
export function frameworkView() {
  return {
    id: FRAMEWORK_ID,
    title: FRAMEWORK_TITLE,
    source: FRAMEWORK_SOURCE,
    scale: { min: RATING_SCALE.min, max: RATING_SCALE.max, question: RATING_SCALE.question, labels: { ...RATING_SCALE.labels } },
    steps: STEPS.map((step) => ({ ...step })),
    themes: THEMES.map((theme) => ({ id: theme.id, title: theme.title, principles: theme.principles.map((p) => ({ ...p })) })),
    needs: { ...NEEDS },
  };
}

export function selfAssessmentRouter({ db, now }: SelfAssessmentRoutesDeps): Router {
  const router = Router();
  const store = createSelfAssessmentStore(db);
  const found = (round: Round | null): Round => {
    if (round === null) throw noRound();
    return round;
  };
  const roundIdOf = (req: Request) => String(req.params.roundId);

  router.get('/self-assessments/framework', (_req, res) => {
    res.json(frameworkView());
  });

  router.get('/self-assessments', async (_req, res) => {
    res.json(roundList.parse({ items: await store.list() }));
  });

  router.post('/self-assessments', async (req, res) => {
    const input = parseOrThrow(createRoundInput, req.body ?? {});
    const round = await store.create(input, principalOf(res).sub);
    res.status(201).location(`/api/self-assessments/${round.roundId}`).json(round);
  });

  router.get('/self-assessments/:roundId', async (req, res) => {
    res.json(found(await store.get(roundIdOf(req))));
  });

  router.post('/self-assessments/:roundId/participants', async (req, res) => {
    const input = parseOrThrow(participantInput, req.body ?? {});
    res.status(201).json(found(await store.addParticipant(roundIdOf(req), input)));
  });

  router.put('/self-assessments/:roundId/participants/:participantId/ratings', async (req, res) => {
    const input = parseOrThrow(ratingsInput, req.body ?? {});
    const saved = await store.saveRatings(roundIdOf(req), String(req.params.participantId), input);
    if (saved === 'no_round') throw noRound();
    if (saved === 'no_participant') throw new DomainFailure({ code: 'round_not_found', detail: 'the round has no participant with this participantId' });
    res.json(saved);
  });

  router.put('/self-assessments/:roundId/discussion', async (req, res) => {
    const input = parseOrThrow(discussionInput, req.body ?? {});
    res.json(found(await store.saveDiscussion(roundIdOf(req), input)));
  });

  router.put('/self-assessments/:roundId/priorities', async (req, res) => {
    const input = parseOrThrow(prioritiesInput, req.body ?? {});
    const round = found(await store.get(roundIdOf(req)));
    // Next steps are agreed for what comes after the meeting, not before it.
    const early = input.priorities.flatMap((p, index) => (p.dueOn < round.heldOn ? [{ path: `priorities[${index}].dueOn`, message: 'cannot be before the round was held' }] : []));
    if (early.length > 0) {
      throw new DomainFailure({ code: 'rule_violated', detail: early.map((e) => `${e.path}: ${e.message}`).join('; '), errors: early });
    }
    res.json(found(await store.savePriorities(round.roundId, input)));
  });

  router.get('/self-assessments/:roundId/result', async (req, res) => {
    const result = await resultOf(roundIdOf(req));
    res.vary('Accept');
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res
        .status(200)
        .type('text/csv; charset=utf-8; header=present')
        .set('Content-Disposition', `attachment; filename="selvevaluering-${result.heldOn}.csv"`)
        .send(resultCsv(result));
      return;
    }
    res.json(result);
  });

  async function resultOf(roundId: string): Promise<RoundResult> {
    const round = found(await store.get(roundId));
    const period = figuresPeriodFor(round.heldOn);
    const [earlier, figures] = await Promise.all([store.earlierThan(round), serviceFigures(db, period, danishDateOf(now()))]);
    return roundResult({ round, earlier, figures, figuresPeriod: period });
  }

  return router;
}
