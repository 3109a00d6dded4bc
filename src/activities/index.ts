import type { Database } from '../db/types';
import { loadLetterTemplates, type LetterTemplates } from '../letters/loadTemplates';
import { createCaseActivities, type CaseActivityDeps } from './caseActivities';
import { createLetterActivities } from './letterActivities';
import { createNoticeActivities, type NoticeOptions } from './noticeActivities';
import { createOpsporingActivities } from './opsporingActivities';

export interface ActivityDeps extends CaseActivityDeps {
  /** Where letter drafts and the notice outbox are kept (the read model's database). */
  db: Database;
  /** Default: the shipped templates (templates/letters), read and checked now. */
  letterTemplates?: LetterTemplates;
  /** Delivery of notices (mailer, clock, retry policy); notices are queued whenever `db` is given. */
  notices?: NoticeOptions;
}

/** Every activity the worker registers, built from the dependencies it is given. */
export function createActivities(deps: ActivityDeps) {
  const letters = createLetterActivities({ db: deps.db, templates: deps.letterTemplates ?? loadLetterTemplates() });
  const notices = createNoticeActivities({ ...deps.notices, db: deps.db });
  return { ...createCaseActivities(deps), ...letters, ...notices, ...createOpsporingActivities({ db: deps.db }) };
}

export type Activities = ReturnType<typeof createActivities>;
