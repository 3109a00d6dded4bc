/**
 * The read-side routes: the overdue board, the monthly review, a case's timeline and the phase
 * durations. Parse the query, ask src/readModel, answer. "Today" is the Danish date of the app's
 * clock.
 */
import { Router } from 'express';
import type { Database } from '../db/types';
import type { SchoolCalendar } from '../domain/calendar';
import type { DeadlineThresholds } from '../machines';
import { danishDateOf } from '../domain/dates';
import { monthlyReviewQuery, overdueQuery, phaseDurationsQuery } from '../domain/readModelSchemas';
import { caseTimeline, monthlyReview, overdueBoard, phaseDurations, reviewPeriod } from '../readModel';
import { phaseDurationsCsv } from './phaseDurationsCsv';
import { DomainFailure } from '../domain/errors';
import { parseOrThrow as parseQuery } from '../domain/validation';

export interface ReadModelRoutesDeps {
  db: Database;
  now: () => Date;
  /** The school calendar lateness is counted on; weekdays only when absent. */
  calendarOf?: (schoolId: string) => Promise<SchoolCalendar>;
  /** When "due soon" begins; the machine's default when absent. */
  thresholds?: DeadlineThresholds;
}


/** Mounted at /api. */
export function readModelRouter({ db, now, calendarOf, thresholds }: ReadModelRoutesDeps): Router {
  const router = Router();
  const today = () => danishDateOf(now());

  router.get('/overdue', async (req, res) => {
    const query = parseQuery(overdueQuery, req.query);
    res.json({ items: await overdueBoard(db, query, today(), calendarOf, thresholds) });
  });

  router.get('/reviews/monthly', async (req, res) => {
    const query = parseQuery(monthlyReviewQuery, req.query);
    const period = reviewPeriod(query.month, today());
    if (!period.ok) throw new DomainFailure(period.error);
    res.json(await monthlyReview(db, query, period.period));
  });

  router.get('/cases/:caseId/timeline', async (req, res) => {
    // Any caseId the cases table does not hold is simply a case that does not exist.
    const timeline = await caseTimeline(db, req.params.caseId, today(), calendarOf);
    if (timeline === null) throw new DomainFailure({ code: 'case_not_found', detail: 'there is no case with this caseId' });
    res.json(timeline);
  });

  router.get('/analytics/phase-durations', async (req, res) => {
    const query = parseQuery(phaseDurationsQuery, req.query);
    const report = await phaseDurations(db, query, today());
    res.vary('Accept');
    if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
      res
        .status(200)
        .type('text/csv; charset=utf-8; header=present')
        .set('Content-Disposition', 'attachment; filename="phase-durations.csv"')
        .send(phaseDurationsCsv(report));
      return;
    }
    res.json(report);
  });

  return router;
}
