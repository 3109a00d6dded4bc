/**
 * The school calendar: what a school's days off are (GET), and setting a school's or the
 * municipality's school holidays for a year (PUT). Thin: validation here, rules in src/calendar.
 */
import { Router } from 'express';
import { z } from 'zod';
import { MUNICIPALITY_SCOPE, type CalendarSettings } from '../calendar/calendarSettings';
import { danishDateOf } from '../domain/dates';
import { holiday, isoDate, schoolId } from '../domain/schemas';
import { DomainFailure } from '../domain/errors';
import { parseOrThrow as parse } from '../domain/validation';

const year = z.coerce.number().int().min(2000).max(2100);

export const calendarQuery = z.object({ schoolId, year: year.optional() }).strict().meta({ id: 'CalendarQuery' });
export const holidaysQuery = z
  .object({ schoolId: schoolId.optional(), year })
  .strict()
  .meta({ id: 'SchoolHolidaysQuery' });
export const deadlineQuery = z
  .object({
    schoolId,
    from: isoDate,
    schoolDays: z.coerce.number().int().min(1).max(200).optional(),
    workingDays: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict()
  .refine((query) => (query.schoolDays === undefined) !== (query.workingDays === undefined), {
    message: 'give either schoolDays or workingDays',
    path: ['schoolDays'],
  })
  .meta({ id: 'DeadlineQuery' });

export const schoolHolidaysInput = z
  .object({ holidays: z.array(holiday).max(60) })
  .strict()
  .meta({ id: 'SchoolHolidaysInput' });


export function calendarRouter(deps: { settings: CalendarSettings; now: () => Date }): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parse(calendarQuery, req.query);
    const forYear = query.year ?? Number(danishDateOf(deps.now()).slice(0, 4));
    const { holidays, source } = await deps.settings.calendarYear(query.schoolId, forYear);
    res.json({ schoolId: query.schoolId, year: forYear, source, holidays });
  });

  router.get('/deadline', async (req, res) => {
    const query = parse(deadlineQuery, req.query);
    const count =
      query.schoolDays !== undefined ? { schoolDays: query.schoolDays } : { workingDays: query.workingDays ?? 0 };
    const dueOn = await deps.settings.deadlineAfter(query.schoolId, query.from, count);
    res.json({ schoolId: query.schoolId, from: query.from, ...count, dueOn });
  });

  router.put('/school-holidays', async (req, res) => {
    const query = parse(holidaysQuery, req.query);
    const { holidays } = parse(schoolHolidaysInput, req.body);
    const outside = holidays.findIndex((h) => h.to < `${query.year}-01-01` || h.from > `${query.year}-12-31`);
    if (outside >= 0) {
      throw new DomainFailure({
        code: 'invalid_input',
        detail: `holidays[${outside}]: lies outside the year ${query.year}`,
        errors: [{ path: `holidays[${outside}]`, message: `lies outside the year ${query.year}` }],
      });
    }
    await deps.settings.setSchoolHolidays(query.schoolId ?? MUNICIPALITY_SCOPE, query.year, holidays);
    const shownFor = query.schoolId ?? MUNICIPALITY_SCOPE;
    res.json({ scope: shownFor, year: query.year, holidays });
  });

  // One holiday at a time: the others in force (the defaults too) stay as they are.
  router.put('/school-holiday', async (req, res) => {
    const query = parse(holidaysQuery, req.query);
    const one = parse(holiday, req.body);
    if (one.to < `${query.year}-01-01` || one.from > `${query.year}-12-31`) {
      throw new DomainFailure({
        code: 'invalid_input',
        detail: `from: lies outside the year ${query.year}`,
        errors: [{ path: 'from', message: `lies outside the year ${query.year}` }],
      });
    }
    const scope = query.schoolId ?? MUNICIPALITY_SCOPE;
    const holidays = await deps.settings.setOneSchoolHoliday(scope, query.year, one);
    res.json({ scope, year: query.year, holidays });
  });

  return router;
}
