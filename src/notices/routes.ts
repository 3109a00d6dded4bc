/**
 * The contacts directory and the notifications list over HTTP. Thin: parse, call the store,
 * answer; errors go out as problem+json through the app's one error handler.
 */
import { Router } from 'express';
import { parseOrThrow as parse } from '../domain/validation';
import { DomainFailure } from '../domain/errors';
import type { Database } from '../db/types';
import { danishDateOf } from '../domain/dates';
import { createContactsStore } from './contactsStore';
import { notificationList, notificationsQuery, schoolContacts, schoolContactsInput, schoolIdParam } from './schemas';
import { createNoticeStore } from './store';


export interface NoticeRoutesDeps {
  db: Database;
  now: () => Date;
  /** Wakes the dispatcher once contacts change, so notices waiting for an address go at once. */
  wakeDispatcher?: () => Promise<void>;
}


/** Mounted at /api. */
export function noticesRouter(deps: NoticeRoutesDeps): Router {
  const router = Router();
  const contacts = createContactsStore(deps.db);
  const notices = createNoticeStore(deps.db);

  router.put('/schools/:schoolId/contacts', async (req, res) => {
    const schoolId = parse(schoolIdParam, req.params.schoolId, ['schoolId']);
    // Validated whole before anything is written: a bad body leaves the old directory in force.
    const body = parse(schoolContactsInput, req.body);
    const stored = await contacts.put(schoolId, body, deps.now());
    deps.wakeDispatcher?.().catch(() => undefined);
    res.json(schoolContacts.parse(stored));
  });

  router.get('/schools/:schoolId/contacts', async (req, res) => {
    const schoolId = parse(schoolIdParam, req.params.schoolId, ['schoolId']);
    const stored = await contacts.get(schoolId);
    if (stored === null) {
      throw new DomainFailure({ code: 'contacts_not_found', detail: 'the school has set no contacts yet (PUT them first)' });
    }
    res.json(schoolContacts.parse(stored));
  });

  router.get('/notifications', async (req, res) => {
    const query = parse(notificationsQuery, req.query);
    const items = await notices.list(query, danishDateOf(deps.now()));
    res.json(notificationList.parse({ items }));
  });

  return router;
}
