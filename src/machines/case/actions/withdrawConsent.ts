/** The parents withdraw a consent: it stays on the record, marked withdrawn, and no longer counts. */
import { z } from 'zod';
import { DomainFailure } from '../../../domain/errors';
import { consentWithdrawalInput } from '../../../domain/schemas';
import { withdrawConsent as withdraw } from '../context';
import { withdrawalProblems } from '../rules';
import { defineCaseAction } from './define';
import { recordedBy } from './recorder';

const consentIdParam = z.string().regex(/^C\d{1,4}$/);
export const withdrawConsentUpdateInput = consentWithdrawalInput.extend({ consentId: consentIdParam, recordedBy }).meta({
  id: 'ConsentWithdrawalUpdate',
});

const notFound = { code: 'consent_not_found' as const, detail: 'the case has no consent with this consentId' };

export const withdrawConsent = defineCaseAction({
  name: 'consent.withdraw',
  update: 'withdrawConsent',
  capability: 'act_on_case',
  http: {
    path: 'consents/:consentId/withdrawal',
    summary: 'Record that the parents withdrew a consent',
    body: consentWithdrawalInput,
    toInput: (body, params, caller) => {
      const consentId = consentIdParam.safeParse(params.consentId);
      if (!consentId.success) throw new DomainFailure(notFound);
      return { ...body, consentId: consentId.data, recordedBy: caller.sub };
    },
    idempotencyScope: (input) => `consent-withdrawal:${input.consentId}`,
  },
  input: withdrawConsentUpdateInput,
  effectiveDate: 'withdrawnOn',
  describedAs: 'withdrawing a consent',
  records: ['consent_withdrawn'],
  problems: withdrawalProblems,
  apply: withdraw,
  refusal: (context, command, done) => {
    if (!(context.consents ?? []).some((consent) => consent.consentId === command.consentId)) return notFound;
    return done ? { code: 'not_allowed_now', detail: 'the case is closed' } : undefined;
  },
});
