/**
 * The school's data over HTTP (ABSENCE.md's routes): the roster and the absence registrations in
 * as CSV, the directory and the figures out as JSON. Thin: parse, call, answer; refusals go out
 * as problem+json through the app's one error handler.
 */
import { Router, type Request } from 'express';
import { danishDateOf } from '../domain/dates';
import { DomainFailure } from '../domain/errors';
import { pupilRef as pupilRefSchema, schoolId as schoolIdSchema } from '../domain/schemas';
import { parseOrThrow as parse } from '../domain/validation';
import type { AbsenceImport } from './absence';
import { absenceTableOf, rosterTableOf } from './vendors';
import { decodeSchoolFile, type DecodedFile } from './encoding';
import type { PupilDirectory } from './directory';
import type { AbsenceFigures } from './figures';
import { absenceImportResult, figuresQuery, noQuery, pupil, pupilAbsence, pupilList, rosterResult, schoolAbsenceList, schoolFiguresQuery } from './schemas';

export interface SchoolDataRoutesDeps {
  directory: PupilDirectory;
  imports: AbsenceImport;
  figures: AbsenceFigures;
  now: () => Date;
}

/** The CSV routes take `text/csv` (or `text/plain`, as some integrations send it); app.ts lets these through. */
export const CSV_ROUTE = /^\/schools\/[^/]+\/(pupils|absence)$/;
/** One school's year of registrations is a few MB; a municipality's is imported school by school. */
export const CSV_BODY_LIMIT = '64mb';

/** The file's bytes as text: UTF-8 when they are, else Windows-1252 (encoding.ts). */
function csvBody(req: Request): DecodedFile {
  if (!Buffer.isBuffer(req.body)) {
    throw new DomainFailure({ code: 'unsupported_media_type', detail: 'send the file as text/csv (UTF-8 or Windows-1252)' });
  }
  return decodeSchoolFile(req.body);
}

/** Mounted at /api. */
export function schoolDataRouter(deps: SchoolDataRoutesDeps): Router {
  const router = Router();
  const schoolOf = (req: Request) => parse(schoolIdSchema, req.params.schoolId, ['schoolId']);
  const pupilOf = (req: Request) => parse(pupilRefSchema, req.params.pupilRef, ['pupilRef']);
  const today = () => danishDateOf(deps.now());

  router.put('/schools/:schoolId/pupils', async (req, res) => {
    const schoolId = schoolOf(req);
    const file = csvBody(req);
    const result = await deps.directory.replaceRosterTable(schoolId, rosterTableOf(file.text, schoolId), file.encoding);
    res.json(rosterResult.parse(result));
  });

  router.get('/schools/:schoolId/pupils', async (req, res) => {
    const schoolId = schoolOf(req);
    parse(noQuery, req.query);
    res.json(pupilList.parse({ items: await deps.directory.list(schoolId) }));
  });

  router.get('/schools/:schoolId/pupils/:pupilRef', async (req, res) => {
    const schoolId = schoolOf(req);
    const ref = pupilOf(req);
    const found = await deps.directory.get(schoolId, ref);
    if (found === null) throw new DomainFailure({ code: 'pupil_not_found', detail: 'no such pupil in the school’s directory' });
    res.json(pupil.parse(found));
  });

  router.post('/schools/:schoolId/absence', async (req, res) => {
    const schoolId = schoolOf(req);
    const result = await deps.imports.importTable(schoolId, absenceTableOf(csvBody(req).text));
    res.json(absenceImportResult.parse(result));
  });

  router.get('/schools/:schoolId/pupils/:pupilRef/absence', async (req, res) => {
    const schoolId = schoolOf(req);
    const ref = pupilOf(req);
    const query = parse(figuresQuery, req.query);
    if ((await deps.directory.get(schoolId, ref)) === null) {
      throw new DomainFailure({ code: 'pupil_not_found', detail: 'no such pupil in the school’s directory' });
    }
    const on = query.on ?? today();
    if (query.from !== undefined && query.from > on) {
      throw new DomainFailure({ code: 'invalid_input', detail: 'from: is after on', errors: [{ path: 'from', message: 'must be on or before on' }] });
    }
    res.json(pupilAbsence.parse(await deps.figures.pupil(schoolId, ref, on, query.from)));
  });

  router.get('/schools/:schoolId/absence', async (req, res) => {
    const schoolId = schoolOf(req);
    const query = parse(schoolFiguresQuery, req.query);
    res.json(schoolAbsenceList.parse(await deps.figures.school(schoolId, query.on ?? today())));
  });

  return router;
}
