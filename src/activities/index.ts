import type { Database } from '../db/types';
import { loadLetterTemplates, type LetterTemplates } from '../letters/loadTemplates';
import { createCaseActivities, type CaseActivityDeps } from './caseActivities';
import { createDisabledLetterActivities, createLetterActivities } from './letterActivities';
import { createDisabledNoticeActivities, createNoticeActivities, type NoticeOptions } from './noticeActivities';

export interface ActivityDeps extends CaseActivityDeps {
  /** The database letter drafts are stored in; without it no letters are drafted. */
  db?: Database;
  /** Default: the shipped templates (templates/letters), read and checked now. */
  letterTemplates?: LetterTemplates;
  /** Delivery of notices (mailer, clock, retry policy); notices are queued whenever `db` is given. */
  notices?: NoticeOptions;
}

/** Every activity the worker registers, built from the dependencies it is given. */
export function createActivities(deps: ActivityDeps) {
  const letters =
    deps.db === undefined
      ? createDisabledLetterActivities()
      : createLetterActivities({ db: deps.db, templates: deps.letterTemplates ?? loadLetterTemplates() });
  const notices =
    deps.db === undefined
      ? createDisabledNoticeActivities(deps.notices?.pollSeconds)
      : createNoticeActivities({ ...deps.notices, db: deps.db });
  return { ...createCaseActivities(deps), ...letters, ...notices };
}

export type Activities = ReturnType<typeof createActivities>;
