/**
 * Withdrawing a case opened in error (the school leader, with a reason): it leaves the lists,
 * boards and analytics, and its record stays for the audit.
 */
import { withdrawCase as withdraw } from '../context';
import { defineCaseAction, type SchemaKit } from './define';

export const withdrawCase = defineCaseAction({
  name: 'case.withdraw',
  update: 'withdrawCase',
  capability: 'withdraw_case',
  schemas: (kit: SchemaKit) => ({ body: kit.caseWithdrawalInput, input: kit.caseWithdrawalInput }),
  http: {
    path: 'withdrawal',
    summary: 'Withdraw a case opened in error (the school leader), with a reason; its record is kept',
    toInput: (body) => body,
    idempotencyScope: () => 'withdrawal',
  },
  describedAs: 'withdrawing the case',
  records: ['withdrawn'],
  problems: () => [],
  apply: withdraw,
});
