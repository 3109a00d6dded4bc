/** GET /api/audit: the audit log, newest first, for admins (scoped to their schools by the gate). */
import { Router } from 'express';
import { parseOrThrow as parse } from '../domain/validation';
import { auditList, auditQuery, type AuditLog } from './auditLog';

/** Mounted at /api. Read-only: nothing in the API can add to, change or remove an entry itself. */
export function auditRouter(audit: AuditLog): Router {
  const router = Router();
  router.get('/audit', async (req, res) => {
    const query = parse(auditQuery, req.query);
    res.json(auditList.parse({ items: await audit.list(query) }));
  });
  return router;
}
