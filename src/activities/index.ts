import type { Database } from '../db/types';
import { loadLetterTemplates, type LetterTemplates } from '../letters/loadTemplates';
import { createRedrafting } from '../letters/redraft';
import { createCaseActivities, type CaseActivityDeps } from './caseActivities';
import { createEffectActivities, type EffectActivityDeps } from './effectActivities';
import { createLetterActivities, createLetterDrafting } from './letterActivities';
import { createNoticeActivities, createNoticeQueueing, type NoticeOptions } from './noticeActivities';
import { createOpsporingActivities } from './opsporingActivities';

export interface ActivityDeps extends CaseActivityDeps {
  /** Where letter drafts and the notice outbox are kept (the read model's database). */
  db: Database;
  /** Default: the shipped templates (templates/letters), read and checked now. */
  letterTemplates?: LetterTemplates;
  /** Delivery of notices (mailer, clock, retry policy); notices are queued whenever `db` is given. */
  notices?: NoticeOptions;
  /** The administrator told when a case's effects keep failing (EFFECTS_ALERT_TO), and the error log. */
  effects?: Pick<EffectActivityDeps, 'alertTo' | 'logError'>;
}

/** Every activity the worker registers, built from the dependencies it is given. */
export function createActivities(deps: ActivityDeps) {
  const templates = deps.letterTemplates ?? loadLetterTemplates();
  const letters = createLetterActivities({ db: deps.db, templates });
  const notices = createNoticeActivities({ ...deps.notices, db: deps.db });
  const publicBaseUrl = deps.notices?.compose?.publicBaseUrl;
  const effects = createEffectActivities({
    db: deps.db,
    drafting: createLetterDrafting({ templates }),
    redrafting: createRedrafting(templates),
    queueing: createNoticeQueueing(deps.notices ?? {}),
    ...deps.effects,
    ...(deps.notices?.mailer !== undefined ? { mailer: deps.notices.mailer } : {}),
    ...(publicBaseUrl !== undefined ? { publicBaseUrl } : {}),
  });
  return { ...createCaseActivities(deps), ...letters, ...notices, ...effects, ...createOpsporingActivities({ db: deps.db }) };
}

export type Activities = ReturnType<typeof createActivities>;
