/**
 * The handover package's page (`/forloeb/{caseId}/overdragelse?modtager=`) and its PDF
 * (`…/overdragelse/pdf`): one receiver at a time, so what a partner's consent does not cover is
 * never on the screen or the paper meant for that partner.
 */
import { Router } from 'express';
import { z } from 'zod';
import { danishDateOf } from '../../domain/dates';
import { DomainFailure } from '../../domain/errors';
import { caseView, externalResource } from '../../domain/schemas';
import { handoverReceiver, type HandoverPackage, type HandoverReceiver } from '../../handover/package';
import type { PdfRenderer } from '../../handover/pdf';
import { handoverDocument } from '../../handover/routes';
import { errorPage, page, signedIn, type UiContext } from '../context';
import * as da from '../danish';
import { caseIdOf } from './casePage';

/** The receiver in the page's query string: Danish for the team, the API's codes for the partners. */
const RESOURCE_TEAM_SLUG = 'ressourceteam';

function receiverOf(value: unknown): HandoverReceiver | undefined {
  if (value === undefined || value === RESOURCE_TEAM_SLUG) return 'resource_team';
  const parsed = handoverReceiver.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

const slugOf = (receiver: HandoverReceiver) => (receiver === 'resource_team' ? RESOURCE_TEAM_SLUG : receiver);

// The package as the API answers it; the API built it, so the page trusts its shape.
const packageAnswer = z.custom<HandoverPackage>((value) => typeof value === 'object' && value !== null && 'receiver' in value);

export function handoverPagesRouter(ui: UiContext, pdf: PdfRenderer): Router {
  const router = Router();

  const load = async (caseId: string, receiver: HandoverReceiver, api: ReturnType<typeof signedIn>['api']) => {
    const view = await api.get(`/api/cases/${caseId}`, caseView);
    const pkg = await api.get(`/api/cases/${caseId}/handover?receiver=${receiver}`, packageAnswer);
    return { view, pkg };
  };

  router.get('/forloeb/:caseId/overdragelse', async (req, res) => {
    const caseId = caseIdOf(req);
    const receiver = receiverOf(req.query.modtager);
    if (caseId === undefined || receiver === undefined) return errorPage(ui, req, res, 404);
    const { view, pkg } = await load(caseId, receiver, signedIn(res).api);
    // The partners the case was escalated to, each a receiver of its own.
    const partners = externalResource.options.filter((party) => view.escalations.some((e) => (e.externalResources ?? []).includes(party)));
    const receivers = (['resource_team', ...partners] as const).map((candidate) => ({
      label: candidate === 'resource_team' ? 'Ressourceteamet' : da.CONSENT_PARTY_LABELS[candidate],
      href: `/forloeb/${caseId}/overdragelse?modtager=${slugOf(candidate)}`,
      current: candidate === receiver,
    }));
    page(ui, req, res, 'handover.njk', {
      title: 'Overdragelse af forløbet',
      pkg,
      receivers,
      caseHref: `/forloeb/${caseId}`,
      pdfHref: `/forloeb/${caseId}/overdragelse/pdf?modtager=${slugOf(receiver)}`,
    });
  });

  router.get('/forloeb/:caseId/overdragelse/pdf', async (req, res) => {
    const caseId = caseIdOf(req);
    const receiver = receiverOf(req.query.modtager);
    if (caseId === undefined || receiver === undefined) return errorPage(ui, req, res, 404);
    const { pkg } = await load(caseId, receiver, signedIn(res).api);
    try {
      const bytes = await pdf.render(handoverDocument(ui.render, pkg, danishDateOf(ui.now())));
      res.status(200).type('application/pdf').set('Cache-Control', 'no-store').set('Content-Disposition', 'attachment; filename="overdragelse.pdf"').send(Buffer.from(bytes));
    } catch (error) {
      // No engine on this server: say so in Danish; the page itself prints well.
      if (error instanceof DomainFailure && error.error.code === 'unavailable') {
        return errorPage(ui, req, res, 503, 'PDF kan ikke dannes på denne server lige nu. Brug sidens udskriftsfunktion i stedet.');
      }
      throw error;
    }
  });

  return router;
}
