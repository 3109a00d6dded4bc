/**
 * The parents' consent to share the case with one party (PPR, sundhedsplejen, Børn og Familie,
 * BUP or another named party): its date, what it covers, and who recorded it (the caller).
 */
import { recordConsent as record } from '../context';
import { consentProblems } from '../rules';
import { defineCaseAction, type SchemaKit } from './define';

export const recordConsent = defineCaseAction({
  name: 'consent.record',
  update: 'recordConsent',
  capability: 'act_on_case',
  schemas: (kit: SchemaKit) => ({ body: kit.consentInput, input: kit.consentUpdateInput }),
  http: {
    path: 'consents',
    summary: 'Record the parents’ consent to share the case with a named party',
    toInput: (body, _params, caller) => ({ ...body, recordedBy: caller.sub }),
    idempotencyScope: () => 'consents',
  },
  effectiveDate: 'givenOn',
  describedAs: 'recording a consent',
  records: ['consent_recorded'],
  problems: consentProblems,
  apply: record,
});
