/** The parents withdraw a consent: it stays on the record, marked withdrawn, and no longer counts. */
import { DomainFailure } from '../../../domain/errors';
import { withdrawConsent as withdraw } from '../context';
import { withdrawalProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

/** A consent's id as the case numbers them (C1, C2, …): anything else is a consent it does not have. */
const CONSENT_ID = /^C\d{1,4}$/;

const notFound = { code: 'consent_not_found' as const, detail: 'the case has no consent with this consentId' };

export const withdrawConsent = defineCaseAction({
  name: 'consent.withdraw',
  update: 'withdrawConsent',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.consentWithdrawalInput, input: kit.consentWithdrawalUpdateInput }),
  http: {
    path: 'consents/:consentId/withdrawal',
    summary: 'Record that the parents withdrew a consent',
    toInput: (body, params, caller) => {
      const consentId = params.consentId;
      if (consentId === undefined || !CONSENT_ID.test(consentId)) throw new DomainFailure(notFound);
      return { ...body, consentId, recordedBy: caller.sub };
    },
    idempotencyScope: (input) => `consent-withdrawal:${input.consentId}`,
  },
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
