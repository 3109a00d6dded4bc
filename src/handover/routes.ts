/**
 * The handover package over HTTP: `GET /api/cases/{caseId}/handover?receiver=` as JSON and
 * `GET /api/cases/{caseId}/handover/pdf?receiver=` as a PDF (503 problem+json without an engine).
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { CaseService } from '../api/caseService';
import { DomainFailure } from '../domain/errors';
import { parseOrThrow as parse } from '../domain/validation';
import type { Renderer } from '../ui/render';
import { handoverQuery, withPupilName, type HandoverPackage, type HandoverReceiver } from './package';
import type { PdfRenderer } from './pdf';

const caseIdParam = z.uuid();

function caseIdOf(req: Request): string {
  const result = caseIdParam.safeParse(req.params.caseId);
  if (!result.success) throw new DomainFailure({ code: 'case_not_found', detail: 'there is no case with this caseId' });
  return result.data;
}

/** The package as one self-contained HTML document (inline styles, no scripts), for printing. */
export function handoverDocument(render: Renderer, pkg: HandoverPackage, preparedOn: string): string {
  return render('handover-document.njk', { pkg, preparedOn });
}

export interface HandoverRouterDeps {
  service: CaseService;
  pdf: PdfRenderer;
  render: Renderer;
  today: () => string;
  /** The pupil's name from the school's directory; null when it has no row for the pupil. */
  pupilNameOf: (schoolId: string, pupilRef: string) => Promise<string | null>;
}

export function handoverRouter(deps: HandoverRouterDeps): Router {
  const router = Router();
  const packageFor = async (caseId: string, receiver: HandoverReceiver): Promise<HandoverPackage> => {
    const pkg = await deps.service.handoverPackage(caseId, receiver);
    return withPupilName(pkg, await deps.pupilNameOf(pkg.schoolId, pkg.pupilRef));
  };
  router.get('/:caseId/handover', async (req, res) => {
    const caseId = caseIdOf(req);
    const { receiver } = parse(handoverQuery, req.query);
    res.json(await packageFor(caseId, receiver));
  });
  router.get('/:caseId/handover/pdf', async (req, res) => {
    const caseId = caseIdOf(req);
    const { receiver } = parse(handoverQuery, req.query);
    const pkg = await packageFor(caseId, receiver);
    const pdf = await deps.pdf.render(handoverDocument(deps.render, pkg, deps.today()));
    res
      .status(200)
      .type('application/pdf')
      // A generic name: no pupil reference in a file name that lands in a downloads folder.
      .set('Content-Disposition', 'attachment; filename="overdragelse.pdf"')
      .send(Buffer.from(pdf));
  });
  return router;
}
