/**
 * Letter drafts in the database (tables letter_drafts and letter_revisions). Drafting is
 * idempotent per case, kind, the history entry that called for the letter and the generation (a
 * redraft is one on); a decision (approve, discard) is taken once; a draft can be edited until
 * then, each edit kept as a revision.
 *
 * The stored text keeps the people's fields as {{field}}: names are read from the directory when
 * a letter is shown and frozen into the row when it is approved, so a draft never needs a blank
 * for a name, and a name never travels anywhere but from PostgreSQL to the page.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/types';
import { createPupilDirectory } from '../school/directory';
import { isLetterKind, type LetterKind } from './kinds';
import { peopleValuesOf, type PeopleValues } from './fields';
import { fillPeople, type StoredLetter } from './render';
import type { DraftEdit, LetterDraft, LetterDraftStatus, LetterDraftWithRevisions, LetterRevision } from './schemas';

type Queryable = Pick<Database, 'query'>;

export interface NewLetterDraft extends StoredLetter {
  caseId: string;
  schoolId: string;
  kind: LetterKind;
  /** The seq of the history entry that called for the letter. */
  sourceSeq: number;
}

export type Decision = 'approved' | 'discarded';

export type DecisionResult =
  | { outcome: 'decided'; draft: LetterDraft }
  | { outcome: 'not_found' }
  /** Decided before: by this same request again (same decision and key) or by another one. */
  | { outcome: 'repeated'; draft: LetterDraft }
  | { outcome: 'already_decided'; draft: LetterDraft };

export type EditResult =
  | { outcome: 'edited'; draft: LetterDraftWithRevisions }
  | { outcome: 'not_found' }
  /** The same request (same Idempotency-Key) again: the edit it made, not a second one. */
  | { outcome: 'repeated'; draft: LetterDraftWithRevisions }
  | { outcome: 'already_decided'; draft: LetterDraft };

/** A draft that is open, as the redraft check needs it. */
export interface OpenDraft {
  draftId: string;
  kind: LetterKind;
  sourceSeq: number;
  generation: number;
  /** null for a draft written before facts were kept: nothing to compare with. */
  facts: Record<string, string> | null;
  revisions: number;
  factsChangedAt: string | null;
}

/**
 * The case's open drafts ($1 its id) as one JSON array, oldest first: read on its own, or in the
 * same statement as an effect step's write (src/db/caseStore.ts, ReadBack).
 */
export const OPEN_DRAFTS_JSON_SQL = `
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'draftId', draft_id, 'kind', kind, 'sourceSeq', source_seq, 'generation', generation,
           'facts', facts, 'revisions', revisions, 'factsChangedAt', facts_changed_at
         ) ORDER BY source_seq, kind), '[]'::jsonb)
    FROM letter_drafts WHERE case_id = $1 AND status = 'draft'`;

/** What OPEN_DRAFTS_JSON_SQL answers, as drafts; an element of any other shape is not one. */
export function openDraftsFromJson(json: unknown): OpenDraft[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((item: unknown): OpenDraft[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { draftId, kind, sourceSeq, generation, facts, revisions, factsChangedAt } = item as Record<string, unknown>;
    if (typeof draftId !== 'string' || typeof kind !== 'string' || !isLetterKind(kind)) return [];
    if (typeof sourceSeq !== 'number' || typeof generation !== 'number' || typeof revisions !== 'number') return [];
    return [{ draftId, kind, sourceSeq, generation, revisions, facts: factsOf(facts), factsChangedAt: typeof factsChangedAt === 'string' ? factsChangedAt : null }];
  });
}

/** A draft's facts: names to the text they were written with; null when it kept none. */
function factsOf(value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export type RedraftResult = { outcome: 'redrafted'; draft: LetterDraft } | { outcome: 'not_found' } | { outcome: 'already_decided'; draft: LetterDraft };

export interface LetterDraftStore {
  /** Stores each draft unless one exists for its case, kind, source entry and generation; answers how many were new. */
  saveDrafts(drafts: readonly NewLetterDraft[]): Promise<number>;
  /** The case's drafts, oldest first; null when there is no such case. */
  listForCase(caseId: string): Promise<LetterDraft[] | null>;
  get(draftId: string): Promise<LetterDraftWithRevisions | null>;
  /** Approves or discards a draft that is still a draft; `by` is who decided. */
  decide(draftId: string, decision: Decision, by: string, requestKey?: string): Promise<DecisionResult>;
  /** Keeps a new revision of a draft that is still a draft. */
  edit(draftId: string, edit: DraftEdit, by: string, requestKey?: string): Promise<EditResult>;
  /** The case's open drafts. */
  openDrafts(caseId: string): Promise<OpenDraft[]>;
  /** Marks an open draft superseded and stores its successor, in one transaction; null when it was no longer open. */
  supersede(old: OpenDraft, successor: NewLetterDraft, by: string | null): Promise<string | null>;
  /** Notes that an edited draft's facts have changed (once). */
  markFactsChanged(draftId: string): Promise<void>;
}

interface DraftRow extends Record<string, unknown> {
  draft_id: string;
  case_id: string;
  kind: LetterKind;
  language: 'da';
  subject: string;
  body: string;
  final_subject: string | null;
  final_body: string | null;
  status: LetterDraftStatus;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  decision_key: string | null;
  revisions: number;
  facts_changed_at: string | null;
  replaces: string | null;
  superseded_by: string | null;
  // The latest revision's text, when there is one.
  edited_subject: string | null;
  edited_body: string | null;
  // The case, for the names.
  school_id: string;
  pupil_ref: string;
  tovholder: string;
}

// One statement for everything a shown draft needs: its latest edit, its successor and its case.
const SELECT_DRAFTS = `
  SELECT d.draft_id, d.case_id, d.kind, d.language, d.subject, d.body, d.final_subject, d.final_body,
         d.status, d.created_at, d.decided_at, d.decided_by, d.decision_key, d.revisions,
         d.facts_changed_at, d.replaces,
         (SELECT s.draft_id FROM letter_drafts s WHERE s.replaces = d.draft_id LIMIT 1) AS superseded_by,
         r.subject AS edited_subject, r.body AS edited_body,
         c.school_id, c.pupil_ref, c.tovholder
    FROM letter_drafts d
    JOIN cases c ON c.case_id = d.case_id
    LEFT JOIN letter_revisions r ON r.draft_id = d.draft_id AND r.revision = d.revisions
`;

const INSERT_SQL = `
  INSERT INTO letter_drafts (draft_id, case_id, school_id, kind, language, subject, body, source_seq, facts, generation, replaces)
  VALUES ($1, $2, $3, $4, 'da', $5, $6, $7, $8, $9, $10)
  ON CONFLICT (case_id, kind, source_seq, generation) DO NOTHING
  RETURNING draft_id
`;

interface RevisionRow extends Record<string, unknown> {
  revision: number;
  subject: string;
  body: string;
  edited_by: string;
  edited_at: string;
}

/** Where the people's names come from when a letter is shown. */
export interface LetterPeopleSource {
  /** The schools' names from the settings (schools.json). */
  schoolNames?: ReadonlyMap<string, string>;
}

export function createLetterDraftStore(db: Database, source: LetterPeopleSource = {}): LetterDraftStore {
  const directory = createPupilDirectory(db);

  const peopleFor = async (row: Pick<DraftRow, 'school_id' | 'pupil_ref' | 'tovholder'>): Promise<PeopleValues> => {
    const pupil = await directory.get(row.school_id, row.pupil_ref);
    const schoolName = source.schoolNames?.get(row.school_id);
    return peopleValuesOf({
      schoolId: row.school_id,
      tovholder: row.tovholder,
      schoolName,
      ...(pupil !== null ? { pupil: { name: `${pupil.givenName} ${pupil.familyName}`, guardians: pupil.guardians.map((guardian) => guardian.name) } } : {}),
    });
  };

  /** The text as it reads now: as approved, else the latest edit, else the draft; names filled in. */
  const textOf = (row: DraftRow, people: PeopleValues) => {
    if (row.final_subject !== null && row.final_body !== null) return { subject: row.final_subject, body: row.final_body };
    return { subject: fillPeople(row.edited_subject ?? row.subject, people), body: fillPeople(row.edited_body ?? row.body, people) };
  };

  const toDraft = (row: DraftRow, people: PeopleValues): LetterDraft => ({
    draftId: row.draft_id,
    caseId: row.case_id,
    kind: row.kind,
    language: row.language,
    ...textOf(row, people),
    status: row.status,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    revisionCount: row.revisions,
    factsChanged: row.status === 'draft' && row.facts_changed_at !== null,
    replaces: row.replaces,
    supersededBy: row.superseded_by,
  });

  const rowOf = async (q: Queryable, draftId: string): Promise<DraftRow | undefined> =>
    (await q.query<DraftRow>(`${SELECT_DRAFTS} WHERE d.draft_id = $1`, [draftId]))[0];

  const revisionsOf = async (q: Queryable, draftId: string): Promise<LetterRevision[]> =>
    (
      await q.query<RevisionRow>(
        'SELECT revision, subject, body, edited_by, edited_at FROM letter_revisions WHERE draft_id = $1 ORDER BY revision',
        [draftId],
      )
    ).map((row) => ({ revision: row.revision, subject: row.subject, body: row.body, editedBy: row.edited_by, editedAt: row.edited_at }));

  const withRevisions = async (q: Queryable, row: DraftRow): Promise<LetterDraftWithRevisions> => {
    const people = await peopleFor(row);
    const revisions = (await revisionsOf(q, row.draft_id)).map((revision) => ({
      ...revision,
      subject: fillPeople(revision.subject, people),
      body: fillPeople(revision.body, people),
    }));
    return { ...toDraft(row, people), revisions };
  };

  const insert = async (q: Queryable, draft: NewLetterDraft, generation: number, replaces: string | null): Promise<string | null> => {
    const draftId = randomUUID();
    const rows = await q.query(INSERT_SQL, [
      draftId,
      draft.caseId,
      draft.schoolId,
      draft.kind,
      draft.subject,
      draft.body,
      draft.sourceSeq,
      JSON.stringify(draft.facts),
      generation,
      replaces,
    ]);
    return rows.length > 0 ? draftId : null;
  };

  return {
    async saveDrafts(drafts) {
      if (drafts.length === 0) return 0;
      return db.transaction(async (tx) => {
        let saved = 0;
        for (const draft of drafts) if ((await insert(tx, draft, 0, null)) !== null) saved += 1;
        return saved;
      });
    },

    async listForCase(caseId) {
      const [known] = await db.query<{ school_id: string; pupil_ref: string; tovholder: string }>(
        'SELECT school_id, pupil_ref, tovholder FROM cases WHERE case_id = $1',
        [caseId],
      );
      if (known === undefined) return null;
      const rows = await db.query<DraftRow>(`${SELECT_DRAFTS} WHERE d.case_id = $1 ORDER BY d.source_seq, d.kind, d.generation`, [caseId]);
      if (rows.length === 0) return [];
      const people = await peopleFor(known);
      return rows.map((row) => toDraft(row, people));
    },

    async get(draftId) {
      const row = await rowOf(db, draftId);
      return row ? withRevisions(db, row) : null;
    },

    async decide(draftId, decision, by, requestKey) {
      // The approved text is frozen as shown now; an edit landing in between is caught by the
      // revision count and the approval taken again on the newer text.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const row = await rowOf(db, draftId);
        if (row === undefined) return { outcome: 'not_found' };
        const people = await peopleFor(row);
        if (row.status !== 'draft') {
          const sameRequest = requestKey !== undefined && row.status === decision && row.decision_key === requestKey;
          return { outcome: sameRequest ? 'repeated' : 'already_decided', draft: toDraft(row, people) };
        }
        const text = decision === 'approved' ? textOf(row, people) : { subject: null, body: null };
        const [decided] = await db.query<{ draft_id: string }>(
          `UPDATE letter_drafts SET status = $2, decided_at = now(), decided_by = $3, decision_key = $4, final_subject = $5, final_body = $6
            WHERE draft_id = $1 AND status = 'draft' AND revisions = $7
           RETURNING draft_id`,
          [draftId, decision, by, requestKey ?? null, text.subject, text.body, row.revisions],
        );
        if (decided !== undefined) {
          const after = await rowOf(db, draftId);
          if (after !== undefined) return { outcome: 'decided', draft: toDraft(after, people) };
        }
      }
      throw new Error('the draft kept changing while it was decided');
    },

    async edit(draftId, edit, by, requestKey) {
      // Only the writing is in the transaction: the names are read afterwards, as PGlite's one
      // connection cannot answer the directory while the transaction holds it.
      const outcome = await db.transaction(async (tx): Promise<EditResult['outcome']> => {
        // The row lock orders edits and decisions of one draft.
        const [locked] = await tx.query<{ status: LetterDraftStatus; revisions: number }>(
          'SELECT status, revisions FROM letter_drafts WHERE draft_id = $1 FOR UPDATE',
          [draftId],
        );
        if (locked === undefined) return 'not_found';
        if (requestKey !== undefined) {
          const [done] = await tx.query('SELECT 1 FROM letter_revisions WHERE draft_id = $1 AND edit_key = $2', [draftId, requestKey]);
          if (done !== undefined) return 'repeated';
        }
        if (locked.status !== 'draft') return 'already_decided';
        const revision = locked.revisions + 1;
        await tx.query(
          'INSERT INTO letter_revisions (draft_id, revision, subject, body, edited_by, edit_key) VALUES ($1, $2, $3, $4, $5, $6)',
          [draftId, revision, edit.subject.replace(/\s+/g, ' ').trim(), `${edit.body.replace(/\r\n?/g, '\n').trim()}\n`, by, requestKey ?? null],
        );
        await tx.query('UPDATE letter_drafts SET revisions = $2 WHERE draft_id = $1', [draftId, revision]);
        return 'edited';
      });
      if (outcome === 'not_found') return { outcome };
      const row = await rowOf(db, draftId);
      if (row === undefined) return { outcome: 'not_found' };
      if (outcome === 'already_decided') return { outcome, draft: toDraft(row, await peopleFor(row)) };
      return { outcome, draft: await withRevisions(db, row) };
    },

    async openDrafts(caseId) {
      const [row] = await db.query<{ drafts: unknown }>(`SELECT (${OPEN_DRAFTS_JSON_SQL}) AS drafts`, [caseId]);
      return openDraftsFromJson(row?.drafts);
    },

    async supersede(old, successor, by) {
      return db.transaction(async (tx) => {
        const [superseded] = await tx.query(
          `UPDATE letter_drafts SET status = 'superseded', decided_at = now(), decided_by = $2
            WHERE draft_id = $1 AND status = 'draft' RETURNING draft_id`,
          [old.draftId, by],
        );
        if (superseded === undefined) return null;
        return insert(tx, successor, old.generation + 1, old.draftId);
      });
    },

    async markFactsChanged(draftId) {
      await db.query(`UPDATE letter_drafts SET facts_changed_at = now() WHERE draft_id = $1 AND status = 'draft' AND facts_changed_at IS NULL`, [
        draftId,
      ]);
    },
  };
}
