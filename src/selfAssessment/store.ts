/**
 * Self-assessment rounds in PostgreSQL. Every write of a request runs in one transaction, so a
 * refused part (a participant of another round) leaves nothing behind; the shapes were checked
 * by the route's schema before anything is written.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/types';
import { FRAMEWORK_ID, PRINCIPLE_IDS } from './principles';
import type { CreateRoundInput, DiscussionInput, PrioritiesInput, RatingsInput, Round } from './schemas';

type Query = Pick<Database, 'query'>;

export interface RoundSummaryRow {
  roundId: string;
  title: string;
  heldOn: string;
  participants: number;
  ratedShare: number;
  priorities: number;
}

export interface SelfAssessmentStore {
  create(input: CreateRoundInput, createdBy: string): Promise<Round>;
  list(): Promise<RoundSummaryRow[]>;
  get(roundId: string): Promise<Round | null>;
  /** The latest round held before this one (same day: created earlier), or null. */
  earlierThan(round: Pick<Round, 'roundId'>): Promise<Round | null>;
  /** null: no such round. */
  addParticipant(roundId: string, participant: CreateRoundInput['participants'][number]): Promise<Round | null>;
  /** 'no_round' / 'no_participant' when the path names nothing; otherwise the round after the write. */
  saveRatings(roundId: string, participantId: string, input: RatingsInput): Promise<Round | 'no_round' | 'no_participant'>;
  saveDiscussion(roundId: string, input: DiscussionInput): Promise<Round | null>;
  savePriorities(roundId: string, input: PrioritiesInput): Promise<Round | null>;
}

interface RoundRow extends Record<string, unknown> {
  round_id: string;
  title: string;
  held_on: string;
  framework: string;
  created_by: string;
}

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

async function roundExists(q: Query, roundId: string): Promise<boolean> {
  if (!isUuid(roundId)) return false;
  return (await q.query('SELECT 1 FROM self_assessment_rounds WHERE round_id = $1', [roundId])).length > 0;
}

async function load(q: Query, roundId: string): Promise<Round | null> {
  if (!isUuid(roundId)) return null;
  const [row] = await q.query<RoundRow>('SELECT round_id, title, held_on, framework, created_by FROM self_assessment_rounds WHERE round_id = $1', [roundId]);
  if (row === undefined) return null;
  const participants = await q.query<{ participant_id: string; name: string; job_function: string; rated: number }>(
    `SELECT p.participant_id, p.name, p.job_function,
            (SELECT count(*) FROM self_assessment_ratings r WHERE r.participant_id = p.participant_id)::integer AS rated
       FROM self_assessment_participants p WHERE p.round_id = $1 ORDER BY p.position`,
    [roundId],
  );
  const ratings = await q.query<{ participant_id: string; principle_id: string; rating: number; comment: string | null }>(
    `SELECT r.participant_id, r.principle_id, r.rating, r.comment
       FROM self_assessment_ratings r JOIN self_assessment_participants p USING (participant_id)
      WHERE p.round_id = $1 ORDER BY p.position, r.principle_id`,
    [roundId],
  );
  const notes = await q.query<{ participant_id: string; theme_id: string; overall: number | null; note: string | null }>(
    `SELECT n.participant_id, n.theme_id, n.overall, n.note
       FROM self_assessment_theme_notes n JOIN self_assessment_participants p USING (participant_id)
      WHERE p.round_id = $1 ORDER BY p.position, n.theme_id`,
    [roundId],
  );
  const discussion = await q.query<{ theme_id: string; note: string }>('SELECT theme_id, note FROM self_assessment_discussion WHERE round_id = $1 ORDER BY theme_id', [roundId]);
  const priorities = await q.query<{ position: number; title: string; theme_id: string | null; need: string | null; next_steps: string; owner: string; due_on: string }>(
    'SELECT position, title, theme_id, need, next_steps, owner, due_on FROM self_assessment_priorities WHERE round_id = $1 ORDER BY position',
    [roundId],
  );
  // Rows were written through the schemas, so their ids are the framework's; the casts say so.
  return {
    roundId: row.round_id,
    title: row.title,
    heldOn: row.held_on,
    framework: row.framework,
    createdBy: row.created_by,
    participants: participants.map((p) => ({ participantId: p.participant_id, name: p.name, function: p.job_function, rated: p.rated, total: PRINCIPLE_IDS.length })),
    ratings: ratings.map((r) => ({ participantId: r.participant_id, principleId: r.principle_id, rating: r.rating, ...(r.comment !== null ? { comment: r.comment } : {}) })),
    themeNotes: notes.map((n) => ({
      participantId: n.participant_id,
      themeId: n.theme_id,
      ...(n.overall !== null ? { overall: n.overall } : {}),
      ...(n.note !== null ? { note: n.note } : {}),
    })),
    discussion: discussion.map((d) => ({ themeId: d.theme_id, note: d.note })),
    priorities: priorities.map((p) => ({
      position: p.position,
      title: p.title,
      ...(p.theme_id !== null ? { themeId: p.theme_id } : {}),
      ...(p.need !== null ? { need: p.need as NonNullable<Round['priorities'][number]['need']> } : {}),
      nextSteps: p.next_steps,
      owner: p.owner,
      dueOn: p.due_on,
    })),
  };
}

async function insertParticipant(q: Query, roundId: string, participant: CreateRoundInput['participants'][number]): Promise<void> {
  await q.query(
    `INSERT INTO self_assessment_participants (participant_id, round_id, position, name, job_function)
     SELECT $1, $2, coalesce(max(position), 0) + 1, $3, $4 FROM self_assessment_participants WHERE round_id = $2`,
    [randomUUID(), roundId, participant.name, participant.function],
  );
}

export function createSelfAssessmentStore(db: Database): SelfAssessmentStore {
  return {
    async create(input, createdBy) {
      const roundId = randomUUID();
      return db.transaction(async (tx) => {
        await tx.query('INSERT INTO self_assessment_rounds (round_id, title, held_on, framework, created_by) VALUES ($1, $2, $3, $4, $5)', [
          roundId,
          input.title,
          input.heldOn,
          FRAMEWORK_ID,
          createdBy,
        ]);
        for (const participant of input.participants) await insertParticipant(tx, roundId, participant);
        const created = await load(tx, roundId);
        if (created === null) throw new Error('self-assessment: the round just created is gone');
        return created;
      });
    },

    async list() {
      const rows = await db.query<{ round_id: string; title: string; held_on: string; participants: number; ratings: number; priorities: number }>(
        `SELECT r.round_id, r.title, r.held_on,
                (SELECT count(*) FROM self_assessment_participants p WHERE p.round_id = r.round_id)::integer AS participants,
                (SELECT count(*) FROM self_assessment_ratings x JOIN self_assessment_participants p USING (participant_id)
                  WHERE p.round_id = r.round_id)::integer AS ratings,
                (SELECT count(*) FROM self_assessment_priorities s WHERE s.round_id = r.round_id)::integer AS priorities
           FROM self_assessment_rounds r
          ORDER BY r.held_on DESC, r.created_at DESC`,
      );
      return rows.map((row) => ({
        roundId: row.round_id,
        title: row.title,
        heldOn: row.held_on,
        participants: row.participants,
        ratedShare: row.participants === 0 ? 0 : Math.round((row.ratings / (row.participants * PRINCIPLE_IDS.length)) * 1000) / 1000,
        priorities: row.priorities,
      }));
    },

    get: (roundId) => load(db, roundId),

    async earlierThan({ roundId }) {
      const [row] = await db.query<{ round_id: string }>(
        `SELECT e.round_id
           FROM self_assessment_rounds e, self_assessment_rounds r
          WHERE r.round_id = $1 AND e.round_id <> r.round_id
            AND (e.held_on < r.held_on OR (e.held_on = r.held_on AND e.created_at < r.created_at))
          ORDER BY e.held_on DESC, e.created_at DESC
          LIMIT 1`,
        [roundId],
      );
      return row === undefined ? null : load(db, row.round_id);
    },

    async addParticipant(roundId, participant) {
      return db.transaction(async (tx) => {
        if (!(await roundExists(tx, roundId))) return null;
        await insertParticipant(tx, roundId, participant);
        return load(tx, roundId);
      });
    },

    async saveRatings(roundId, participantId, input) {
      return db.transaction(async (tx) => {
        if (!(await roundExists(tx, roundId))) return 'no_round' as const;
        if (!isUuid(participantId)) return 'no_participant' as const;
        const [found] = await tx.query('SELECT 1 FROM self_assessment_participants WHERE participant_id = $1 AND round_id = $2', [participantId, roundId]);
        if (found === undefined) return 'no_participant' as const;
        for (const r of input.ratings) {
          await tx.query(
            `INSERT INTO self_assessment_ratings (participant_id, principle_id, rating, comment) VALUES ($1, $2, $3, $4)
             ON CONFLICT (participant_id, principle_id) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, updated_at = now()`,
            [participantId, r.principleId, r.rating, r.comment ?? null],
          );
        }
        for (const t of input.themes) {
          await tx.query(
            `INSERT INTO self_assessment_theme_notes (participant_id, theme_id, overall, note) VALUES ($1, $2, $3, $4)
             ON CONFLICT (participant_id, theme_id) DO UPDATE SET overall = EXCLUDED.overall, note = EXCLUDED.note, updated_at = now()`,
            [participantId, t.themeId, t.overall ?? null, t.note ?? null],
          );
        }
        const saved = await load(tx, roundId);
        if (saved === null) throw new Error('self-assessment: the round is gone mid-transaction');
        return saved;
      });
    },

    async saveDiscussion(roundId, input) {
      return db.transaction(async (tx) => {
        if (!(await roundExists(tx, roundId))) return null;
        for (const t of input.themes) {
          if (t.note === '') await tx.query('DELETE FROM self_assessment_discussion WHERE round_id = $1 AND theme_id = $2', [roundId, t.themeId]);
          else {
            await tx.query(
              `INSERT INTO self_assessment_discussion (round_id, theme_id, note) VALUES ($1, $2, $3)
               ON CONFLICT (round_id, theme_id) DO UPDATE SET note = EXCLUDED.note`,
              [roundId, t.themeId, t.note],
            );
          }
        }
        return load(tx, roundId);
      });
    },

    async savePriorities(roundId, input) {
      return db.transaction(async (tx) => {
        if (!(await roundExists(tx, roundId))) return null;
        await tx.query('DELETE FROM self_assessment_priorities WHERE round_id = $1', [roundId]);
        let position = 0;
        for (const p of input.priorities) {
          position += 1;
          await tx.query(
            `INSERT INTO self_assessment_priorities (round_id, position, title, theme_id, need, next_steps, owner, due_on)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [roundId, position, p.title, p.themeId ?? null, p.need ?? null, p.nextSteps, p.owner, p.dueOn],
          );
        }
        return load(tx, roundId);
      });
    },
  };
}
