/** The resource team's meeting rhythm (PUT) and the agenda of its next meeting (GET). Thin. */
import { Router } from 'express';
import { z } from 'zod';
import { danishDateOf } from '../domain/dates';
import { isoDate, schoolId } from '../domain/schemas';
import type { ResourceTeam } from '../resourceTeam/agenda';
import { DEFAULT_MEETING_INTERVAL_DAYS } from '../resourceTeam/meetings';
import { parseOrThrow as parse } from '../domain/validation';

export const agendaQuery = z.object({ schoolId, on: isoDate.optional() }).strict().meta({ id: 'AgendaQuery' });
export const rhythmQuery = z.object({ schoolId }).strict().meta({ id: 'RhythmQuery' });
export const rhythmInput = z
  .object({
    firstMeetingOn: isoDate.meta({ description: 'The date of a meeting; the team meets every intervalDays from it' }),
    intervalDays: z.number().int().min(7).max(28).default(DEFAULT_MEETING_INTERVAL_DAYS),
  })
  .strict()
  .meta({ id: 'ResourceTeamRhythm' });


export function resourceTeamRouter(deps: { team: ResourceTeam; now: () => Date }): Router {
  const router = Router();

  router.get('/agenda', async (req, res) => {
    const query = parse(agendaQuery, req.query);
    res.json(await deps.team.agenda(query.schoolId, query.on ?? danishDateOf(deps.now())));
  });

  router.get('/rhythm', async (req, res) => {
    const query = parse(rhythmQuery, req.query);
    // Every school has a rhythm: its own, or the default (every other Tuesday) until it sets one.
    res.json({ schoolId: query.schoolId, ...(await deps.team.rhythmOf(query.schoolId)) });
  });

  router.put('/rhythm', async (req, res) => {
    const query = parse(rhythmQuery, req.query);
    const rhythm = parse(rhythmInput, req.body);
    await deps.team.setRhythm(query.schoolId, rhythm);
    res.json({ schoolId: query.schoolId, ...rhythm, source: 'school' });
  });

  return router;
}
