/**
 * The audit log: who read or changed which case, when, and through which route. Rows are only
 * ever added (the table refuses UPDATE, DELETE and TRUNCATE); admins read them over the API.
 */
import { z } from 'zod';
import type { Database } from '../db/types';
import { freeText, instant, pupilRef, schoolId } from '../domain/schemas';

/** One request that showed, changed or was refused cases or pupils' data: one row, however many. */
export interface AccessRecord {
  readonly actor: string;
  readonly role: string;
  /** Every case the answer showed or changed (or the one refused); empty for a read of pupils' data alone. */
  readonly caseIds: readonly string[];
  /** Every pupil whose directory entry, figures or candidacy the answer showed (their references, never names). */
  readonly pupilRefs: readonly string[];
  /** The schools of those cases, each once; empty when unknown. */
  readonly schoolIds: readonly string[];
  readonly action: 'read' | 'write';
  readonly method: string;
  readonly route: string;
  readonly status: number;
}

export const auditQuery = z
  .object({
    caseId: z.uuid({ message: 'must be a case id (a UUID)' }).optional(),
    schoolId: schoolId.optional(),
    pupilRef: pupilRef.optional().meta({ description: 'Every request that showed this pupil’s data' }),
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
    caseId: z.string().nullable().meta({ description: 'The case, when the request concerned exactly one' }),
    schoolId: z.string().nullable().meta({ description: 'The school, when the cases were all of one' }),
    caseIds: z.array(z.string()).meta({ description: 'Every case the request showed, changed or was refused' }),
    schoolIds: z.array(z.string()),
    pupilRefs: z.array(z.string()).meta({ description: 'Every pupil whose directory entry, absence figures or candidacy the request showed (references, never names)' }),
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
  /** Null in rows written before migration 9, which hold their one case in case_id. */
  case_ids: string[] | null;
  school_ids: string[] | null;
  /** Null in rows written before migration 15. */
  pupil_refs: string[] | null;
  action: 'read' | 'write';
  method: string;
  route: string;
  status: number;
}

export interface AuditLog {
  /** Writes the request's one row; resolves once it is stored. */
  record(entry: AccessRecord): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<z.infer<typeof auditEntry>[]>;
}

export function createAuditLog(db: Database): AuditLog {
  return {
    async record(entry) {
      const only = <T>(list: readonly T[]) => (list.length === 1 ? list[0] : null);
      await db.query(
        `INSERT INTO audit_log (actor, role, case_id, school_id, case_ids, school_ids, pupil_refs, action, method, route, status)
         VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7::text[], $8, $9, $10, $11)`,
        [
          entry.actor,
          entry.role,
          only(entry.caseIds),
          only(entry.schoolIds),
          entry.caseIds,
          entry.schoolIds,
          entry.pupilRefs,
          entry.action,
          entry.method,
          entry.route,
          entry.status,
        ],
      );
    },

    async list(query) {
      // Rows from before migration 9 name their case in case_id only; newer ones list them all.
      const rows = await db.query<AuditRow>(
        `SELECT at, actor, role, case_id, school_id, case_ids, school_ids, pupil_refs, action, method, route, status
           FROM audit_log
          WHERE ($1::text IS NULL OR case_id = $1::text OR case_ids @> ARRAY[$1::text])
            AND ($2::text IS NULL OR school_id = $2::text OR school_ids @> ARRAY[$2::text])
            AND ($3::text IS NULL OR actor = $3::text)
            AND ($5::text IS NULL OR pupil_refs @> ARRAY[$5::text])
          ORDER BY audit_id DESC
          LIMIT $4`,
        [query.caseId ?? null, query.schoolId ?? null, query.actor ?? null, query.limit, query.pupilRef ?? null],
      );
      return rows.map((row) => ({
        at: row.at,
        actor: row.actor,
        role: row.role,
        caseId: row.case_id,
        schoolId: row.school_id,
        caseIds: row.case_ids ?? (row.case_id !== null ? [row.case_id] : []),
        schoolIds: row.school_ids ?? (row.school_id !== null ? [row.school_id] : []),
        pupilRefs: row.pupil_refs ?? [],
        action: row.action,
        method: row.method,
        route: row.route,
        status: row.status,
      }));
    },
  };
}
