/**
 * Letter drafts in the database (table letter_drafts). Drafting is idempotent per case, kind and
 * the history entry that called for the letter; a decision (approve, discard) is taken once.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/types';
import type { LetterKind } from './kinds';
import type { LetterDraft, LetterDraftStatus } from './schemas';

export interface NewLetterDraft {
  caseId: string;
  schoolId: string;
  kind: LetterKind;
  /** The seq of the history entry that called for the letter. */
  sourceSeq: number;
  subject: string;
  body: string;
}

export type Decision = Exclude<LetterDraftStatus, 'draft'>;

export type DecisionResult =
  | { outcome: 'decided'; draft: LetterDraft }
  | { outcome: 'not_found' }
  /** Decided before: by this same request again (same decision and key) or by another one. */
  | { outcome: 'repeated'; draft: LetterDraft }
  | { outcome: 'already_decided'; draft: LetterDraft };

export interface LetterDraftStore {
  /** Stores each draft unless one exists for its case, kind and source entry; answers how many were new. */
  saveDrafts(drafts: readonly NewLetterDraft[]): Promise<number>;
  /** The case's drafts, oldest first; null when there is no such case. */
  listForCase(caseId: string): Promise<LetterDraft[] | null>;
  get(draftId: string): Promise<LetterDraft | null>;
  /** Approves or discards a draft that is still a draft. */
  decide(draftId: string, decision: Decision, requestKey?: string): Promise<DecisionResult>;
}

interface DraftRow extends Record<string, unknown> {
  draft_id: string;
  case_id: string;
  kind: LetterKind;
  language: 'da';
  subject: string;
  body: string;
  status: LetterDraftStatus;
  created_at: string;
  decided_at: string | null;
  decision_key: string | null;
}

const COLUMNS = `draft_id, case_id, kind, language, subject, body, status, created_at, decided_at, decision_key`;

function toDraft(row: DraftRow): LetterDraft {
  return {
    draftId: row.draft_id,
    caseId: row.case_id,
    kind: row.kind,
    language: row.language,
    subject: row.subject,
    body: row.body,
    status: row.status,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}

const INSERT_SQL = `
  INSERT INTO letter_drafts (draft_id, case_id, school_id, kind, language, subject, body, source_seq)
  VALUES ($1, $2, $3, $4, 'da', $5, $6, $7)
  ON CONFLICT (case_id, kind, source_seq) DO NOTHING
  RETURNING draft_id
`;

// One round trip: the case row tells "no such case" apart from "a case without drafts".
const LIST_SQL = `
  SELECT c.case_id AS known_case, ${COLUMNS.split(', ').map((column) => `d.${column}`).join(', ')}
    FROM cases c
    LEFT JOIN letter_drafts d ON d.case_id = c.case_id
   WHERE c.case_id = $1
   ORDER BY d.source_seq, d.kind
`;

const DECIDE_SQL = `
  UPDATE letter_drafts SET status = $2, decided_at = now(), decision_key = $3
   WHERE draft_id = $1 AND status = 'draft'
  RETURNING ${COLUMNS}
`;

export function createLetterDraftStore(db: Database): LetterDraftStore {
  const get = async (draftId: string): Promise<DraftRow | undefined> =>
    (await db.query<DraftRow>(`SELECT ${COLUMNS} FROM letter_drafts WHERE draft_id = $1`, [draftId]))[0];

  return {
    async saveDrafts(drafts) {
      if (drafts.length === 0) return 0;
      return db.transaction(async (tx) => {
        let saved = 0;
        for (const draft of drafts) {
          const rows = await tx.query(INSERT_SQL, [
            randomUUID(),
            draft.caseId,
            draft.schoolId,
            draft.kind,
            draft.subject,
            draft.body,
            draft.sourceSeq,
          ]);
          saved += rows.length;
        }
        return saved;
      });
    },

    async listForCase(caseId) {
      const rows = await db.query<DraftRow & { known_case: string }>(LIST_SQL, [caseId]);
      if (rows.length === 0) return null;
      return rows.filter((row) => row.draft_id !== null).map(toDraft);
    },

    async get(draftId) {
      const row = await get(draftId);
      return row ? toDraft(row) : null;
    },

    async decide(draftId, decision, requestKey) {
      const [decided] = await db.query<DraftRow>(DECIDE_SQL, [draftId, decision, requestKey ?? null]);
      if (decided) return { outcome: 'decided', draft: toDraft(decided) };
      const row = await get(draftId);
      if (row === undefined) return { outcome: 'not_found' };
      const sameRequest = requestKey !== undefined && row.status === decision && row.decision_key === requestKey;
      return { outcome: sameRequest ? 'repeated' : 'already_decided', draft: toDraft(row) };
    },
  };
}
