/**
 * The audit log: who read or changed which case, when, and through which route. Rows are only
 * ever added (the table refuses UPDATE, DELETE and TRUNCATE); admins read them over the API.
 */
import { z } from 'zod';
import type { Database } from '../db/types';
import { freeText, instant, schoolId } from '../domain/schemas';

export interface AccessRecord {
  readonly actor: string;
  readonly role: string;
  readonly caseId: string | null;
  readonly schoolId: string | null;
  readonly action: 'read' | 'write';
  readonly method: string;
  readonly route: string;
  readonly status: number;
}

export const auditQuery = z
  .object({
    caseId: z.uuid({ message: 'must be a case id (a UUID)' }).optional(),
    schoolId: schoolId.optional(),
    actor: freeText().min(1).max(120).optional(),
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be between 1 and 1000').max(1000, 'must be between 1 and 1000').default(200),
  })
  .strict()
  .meta({ id: 'AuditQuery' });
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEntry = z
  .object({
    at: instant,
    actor: z.string(),
    role: z.string(),
    caseId: z.string().nullable(),
    schoolId: z.string().nullable(),
    action: z.enum(['read', 'write']),
    method: z.string(),
    route: z.string(),
    status: z.number().int(),
  })
  .meta({ id: 'AuditEntry' });
export const auditList = z.object({ items: z.array(auditEntry) }).meta({ id: 'AuditList' });

interface AuditRow extends Record<string, unknown> {
  /** ISO 8601 (src/db/typeParsers.ts). */
  at: string;
  actor: string;
  role: string;
  case_id: string | null;
  school_id: string | null;
  action: 'read' | 'write';
  method: string;
  route: string;
  status: number;
}

export interface AuditLog {
  /** Writes all rows in one statement; resolves once they are stored. */
  record(rows: readonly AccessRecord[]): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<z.infer<typeof auditEntry>[]>;
}

export function createAuditLog(db: Database): AuditLog {
  return {
    async record(rows) {
      if (rows.length === 0) return;
      const column = <K extends keyof AccessRecord>(key: K) => rows.map((row) => row[key]);
      await db.query(
        `INSERT INTO audit_log (actor, role, case_id, school_id, action, method, route, status)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])`,
        [
          column('actor'),
          column('role'),
          column('caseId'),
          column('schoolId'),
          column('action'),
          column('method'),
          column('route'),
          column('status'),
        ],
      );
    },

    async list(query) {
      const rows = await db.query<AuditRow>(
        `SELECT at, actor, role, case_id, school_id, action, method, route, status
           FROM audit_log
          WHERE ($1::text IS NULL OR case_id = $1::text)
            AND ($2::text IS NULL OR school_id = $2::text)
            AND ($3::text IS NULL OR actor = $3::text)
          ORDER BY audit_id DESC
          LIMIT $4`,
        [query.caseId ?? null, query.schoolId ?? null, query.actor ?? null, query.limit],
      );
      return rows.map((row) => ({
        at: row.at,
        actor: row.actor,
        role: row.role,
        caseId: row.case_id,
        schoolId: row.school_id,
        action: row.action,
        method: row.method,
        route: row.route,
        status: row.status,
      }));
    },
  };
}
