/**
 * The parents' consent to share the case with one party (PPR, sundhedsplejen, Børn og Familie,
 * BUP or another named party): its date, what it covers, and who recorded it (the caller).
 */
import { consentInput } from '../../../domain/schemas';
import { recordConsent as record } from '../context';
import { consentProblems } from '../rules';
import { defineCaseAction } from './define';
import { recordedBy } from './recorder';

export const recordConsentUpdateInput = consentInput.extend({ recordedBy }).meta({ id: 'ConsentUpdate' });

export const recordConsent = defineCaseAction({
  name: 'consent.record',
  update: 'recordConsent',
  capability: 'act_on_case',
  http: {
    path: 'consents',
    summary: 'Record the parents’ consent to share the case with a named party',
    body: consentInput,
    toInput: (body, _params, caller) => ({ ...body, recordedBy: caller.sub }),
    idempotencyScope: () => 'consents',
  },
  input: recordConsentUpdateInput,
  effectiveDate: 'givenOn',
  describedAs: 'recording a consent',
  records: ['consent_recorded'],
  problems: consentProblems,
  apply: record,
});
