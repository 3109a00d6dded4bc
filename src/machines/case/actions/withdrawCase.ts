/**
 * Withdrawing a case opened in error (the school leader, with a reason): it leaves the lists,
 * boards and analytics, and its record stays for the audit.
 */
import { z } from 'zod';
import { freeText } from '../../../domain/schemas';
import { withdrawCase as withdraw } from '../context';
import { defineCaseAction } from './define';

export const withdrawCaseInput = z
  .object({ reason: freeText().trim().min(1).max(2000) })
  .strict()
  .meta({ id: 'CaseWithdrawal' });

export const withdrawCase = defineCaseAction({
  name: 'case.withdraw',
  update: 'withdrawCase',
  capability: 'withdraw_case',
  http: {
    path: 'withdrawal',
    summary: 'Withdraw a case opened in error (the school leader), with a reason; its record is kept',
    body: withdrawCaseInput,
    toInput: (body) => body,
    idempotencyScope: () => 'withdrawal',
  },
  input: withdrawCaseInput,
  describedAs: 'withdrawing the case',
  records: ['withdrawn'],
  problems: () => [],
  apply: withdraw,
});
