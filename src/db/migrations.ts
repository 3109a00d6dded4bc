/**
 * The schema, as numbered migrations applied in order, each once, each in its own transaction.
 * Never edit a migration that has shipped: add the next number instead.
 * The SQL must run on PostgreSQL 15 (the server) and on PGlite (PostgreSQL 17/18).
 */
import type { Database } from './types';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** One or more statements; run as a script (simple protocol), so no parameters. */
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'cases and case events',
    sql: `
      CREATE TABLE cases (
        -- Opaque IDs sort bytewise everywhere, whatever locale the server was set up with.
        case_id          text        COLLATE "C" PRIMARY KEY,
        pupil_ref        text        NOT NULL,
        school_id        text        NOT NULL,
        grade            integer     NOT NULL,
        tovholder        text        NOT NULL,
        opened_on        date        NOT NULL,
        phase            text        NOT NULL,
        escalation_level integer     NOT NULL DEFAULT 0,
        next_due_on      date,
        overdue_steps    integer     NOT NULL DEFAULT 0,
        version          integer     NOT NULL,
        view             jsonb       NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        closed_on        date
      );
      -- Lists filter on one of these and sort newest-opened first; the trailing columns let the
      -- index deliver rows already in that order.
      CREATE INDEX cases_school_listing_idx ON cases (school_id, opened_on DESC, case_id);
      CREATE INDEX cases_phase_listing_idx ON cases (phase, opened_on DESC, case_id);
      CREATE INDEX cases_tovholder_listing_idx ON cases (tovholder, opened_on DESC, case_id);

      CREATE TABLE case_events (
        case_id     text        COLLATE "C" NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        seq         integer     NOT NULL,
        at          timestamptz NOT NULL,
        type        text        NOT NULL,
        phase       text        NOT NULL,
        step_id     text,
        detail      jsonb,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, seq)
      );
    `,
  },
  {
    version: 2,
    name: 'event school dates, case steps and the indexes of boards and reports',
    sql: `
      -- The school date each event took effect. Rows recorded before this column existed take it
      -- from the view's own history when that entry carries 'on' (a back-dated action), otherwise
      -- from the date on the wall in Denmark when the event was recorded.
      ALTER TABLE case_events ADD COLUMN on_date date;
      UPDATE case_events e
         SET on_date = h."on"
        FROM cases c,
             jsonb_to_recordset(c.view -> 'history') AS h(seq integer, "on" date)
       WHERE c.case_id = e.case_id
         AND h.seq = e.seq
         AND h."on" IS NOT NULL;
      UPDATE case_events
         SET on_date = (at AT TIME ZONE 'Europe/Copenhagen')::date
       WHERE on_date IS NULL;
      ALTER TABLE case_events ALTER COLUMN on_date SET NOT NULL;
      -- Analytics pick events by type within a period of school dates.
      CREATE INDEX case_events_type_on_idx ON case_events (type, on_date);

      -- Every step of every case, as its newest view has it: boards and reports read steps
      -- across cases without unpacking views.
      CREATE TABLE case_steps (
        case_id      text COLLATE "C" NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        step_id      text COLLATE "C" NOT NULL,
        school_id    text NOT NULL,
        tovholder    text NOT NULL,
        phase        text NOT NULL,
        title        text NOT NULL,
        due_on       date NOT NULL,
        status       text NOT NULL,
        created_on   date NOT NULL,
        completed_on date,
        PRIMARY KEY (case_id, step_id)
      );
      -- The overdue board: steps still awaiting work, by due date, per school, per tovholder or
      -- across the municipality. Partial, so done and cancelled steps (most of them) cost nothing.
      CREATE INDEX case_steps_open_school_due_idx ON case_steps (school_id, due_on)
        WHERE status IN ('open', 'due_soon', 'overdue');
      CREATE INDEX case_steps_open_tovholder_due_idx ON case_steps (tovholder, due_on)
        WHERE status IN ('open', 'due_soon', 'overdue');
      CREATE INDEX case_steps_open_due_idx ON case_steps (due_on)
        WHERE status IN ('open', 'due_soon', 'overdue');
      -- The on-time share: steps by due date, per school.
      CREATE INDEX case_steps_school_due_idx ON case_steps (school_id, due_on);

      -- "Reopened within six months": earlier cases of the same pupil at the same school.
      CREATE INDEX cases_pupil_idx ON cases (school_id, pupil_ref, closed_on);
    `,
  },
  {
    version: 3,
    name: 'letter drafts',
    sql: `
      -- Letters the system drafts for a person to approve or discard; never sent by themselves.
      -- One draft per case, kind and the history entry that called for it, so an activity that
      -- runs twice drafts once.
      CREATE TABLE letter_drafts (
        draft_id     text        COLLATE "C" PRIMARY KEY,
        case_id      text        COLLATE "C" NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        school_id    text        NOT NULL,
        kind         text        NOT NULL,
        language     text        NOT NULL DEFAULT 'da' CHECK (language = 'da'),
        subject      text        NOT NULL,
        body         text        NOT NULL,
        status       text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'discarded')),
        created_at   timestamptz NOT NULL DEFAULT now(),
        decided_at   timestamptz,
        -- The Idempotency-Key of the request that decided, so repeating that request answers again.
        decision_key text,
        source_seq   integer     NOT NULL,
        UNIQUE (case_id, kind, source_seq),
        CHECK ((status = 'draft') = (decided_at IS NULL))
      );
    `,
  },
  {
    version: 4,
    name: 'contacts directory and notice outbox',
    sql: `
      -- Who gets a school's notices: set by the school (PUT /api/schools/{schoolId}/contacts).
      -- tovholdere maps the tovholder id used on cases to an address.
      CREATE TABLE school_contacts (
        school_id           text        COLLATE "C" PRIMARY KEY,
        leader_email        text,
        resource_team_email text,
        tovholdere          jsonb       NOT NULL DEFAULT '{}'::jsonb,
        updated_at          timestamptz NOT NULL DEFAULT now()
      );

      -- The outbox. One notice per case, history entry and recipient role, so an activity that
      -- runs twice queues once. The address is looked up at delivery (recipient records the one
      -- used); rows are never deleted, a notice that ran out of attempts stays as 'failed'.
      CREATE TABLE notices (
        notice_id       text        COLLATE "C" PRIMARY KEY,
        case_id         text        COLLATE "C" NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
        school_id       text        NOT NULL,
        source_seq      integer     NOT NULL,
        kind            text        NOT NULL CHECK (kind IN ('step_due_soon', 'step_overdue', 'step_overdue_leader', 'follow_up_window_open', 'escalation')),
        role            text        NOT NULL CHECK (role IN ('tovholder', 'leader', 'resource_team')),
        tovholder       text,
        step_id         text,
        urgent          boolean     NOT NULL,
        facts           jsonb       NOT NULL DEFAULT '{}'::jsonb,
        status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        recipient       text,
        attempts        integer     NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_error      text,
        digest_day      date,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        sent_at         timestamptz,
        UNIQUE (case_id, source_seq, role),
        CHECK ((role = 'tovholder') = (tovholder IS NOT NULL)),
        CHECK ((status = 'sent') = (sent_at IS NOT NULL))
      );
      -- The dispatcher's claims: pending notices by when they are due.
      CREATE INDEX notices_pending_due_idx ON notices (urgent, next_attempt_at) WHERE status = 'pending';
      -- The notifications list, newest first, across everything or by school.
      CREATE INDEX notices_created_idx ON notices (created_at DESC);
      CREATE INDEX notices_school_created_idx ON notices (school_id, created_at DESC);
      CREATE INDEX notices_recipient_idx ON notices (lower(recipient), created_at DESC);

      -- One digest per person (lower-cased address) per Danish day. A row with sent_at NULL is a
      -- claim on that digest, held until claimed_until.
      CREATE TABLE notice_digests (
        recipient     text        COLLATE "C" NOT NULL,
        digest_day    date        NOT NULL,
        claimed_until timestamptz NOT NULL,
        sent_at       timestamptz,
        notices       integer,
        PRIMARY KEY (recipient, digest_day)
      );
    `,
  },
  {
    version: 5,
    name: 'school holidays and resource team meetings',
    sql: `
      -- A school's (or, with scope '*', the municipality's) school holidays for one year; public
      -- holidays are computed, not stored. Without a row the Danish defaults hold.
      CREATE TABLE school_holidays (
        scope      text        COLLATE "C" NOT NULL,
        year       integer     NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        holidays   jsonb       NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, year)
      );

      -- When a school's resource team meets: every interval_days from first_meeting_on.
      CREATE TABLE resource_team_rhythms (
        school_id        text        COLLATE "C" PRIMARY KEY,
        first_meeting_on date        NOT NULL,
        interval_days    integer     NOT NULL CHECK (interval_days BETWEEN 7 AND 28),
        updated_at       timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 6,
    name: 'letter templates set by the municipality',
    sql: `
      -- The municipality's own template for a kind of letter, in force over the shipped file
      -- (templates/letters/<kind>.md) until it is deleted. Stored only after the same check.
      CREATE TABLE letter_templates (
        kind       text        COLLATE "C" PRIMARY KEY,
        subject    text        NOT NULL,
        body       text        NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 7,
    name: 'the audit log of every look at a case',
    sql: `
      -- Who read or changed which case, when, through which route. Append-only: the triggers
      -- below refuse any change, so not even a bug in this service can rewrite what happened.
      CREATE TABLE audit_log (
        audit_id  bigserial   PRIMARY KEY,
        at        timestamptz NOT NULL DEFAULT now(),
        actor     text        NOT NULL,
        role      text        NOT NULL,
        case_id   text        COLLATE "C",
        school_id text        COLLATE "C",
        action    text        NOT NULL CHECK (action IN ('read', 'write')),
        method    text        NOT NULL,
        route     text        NOT NULL,
        status    integer     NOT NULL
      );
      CREATE INDEX audit_log_case_idx ON audit_log (case_id, audit_id DESC) WHERE case_id IS NOT NULL;
      CREATE INDEX audit_log_actor_idx ON audit_log (actor, audit_id DESC);

      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only';
      END
      $$;
      CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    `,
  },
  {
    version: 8,
    name: 'browser sessions and sign-ins in progress',
    sql: `
      -- A signed-in person in the browser. The cookie holds a random id; only its SHA-256 is
      -- stored, so a copy of this table cannot be replayed as a cookie.
      CREATE TABLE ui_sessions (
        session_hash text        COLLATE "C" PRIMARY KEY,
        sub          text        NOT NULL,
        role         text        NOT NULL,
        schools      jsonb       NOT NULL,
        display_name text        NOT NULL,
        -- The bearer token the pages use towards /api on the person's behalf.
        access_token text        NOT NULL,
        csrf_token   text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL
      );
      CREATE INDEX ui_sessions_expiry_idx ON ui_sessions (expires_at);

      -- An OpenID Connect sign-in between the redirect to the provider and its answer.
      CREATE TABLE ui_sign_ins (
        state_hash    text        COLLATE "C" PRIMARY KEY,
        code_verifier text        NOT NULL,
        nonce         text        NOT NULL,
        return_to     text        NOT NULL,
        expires_at    timestamptz NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'one audit row per request, listing the cases it showed',
    sql: `
      -- A list or a board wrote one row per case shown (a 76-row board: 76 rows a request). From
      -- here on a request writes one row; case_ids and school_ids hold every case and school it
      -- showed, and case_id / school_id stay set when there is exactly one. Older rows keep only
      -- case_id (the log is append-only, so they are not rewritten); queries look at both.
      ALTER TABLE audit_log ADD COLUMN case_ids text[] COLLATE "C";
      ALTER TABLE audit_log ADD COLUMN school_ids text[] COLLATE "C";
      CREATE INDEX audit_log_case_ids_idx ON audit_log USING gin (case_ids);
      CREATE INDEX audit_log_school_ids_idx ON audit_log USING gin (school_ids);
    `,
  },
  {
    version: 10,
    name: 'self-assessment rounds',
    sql: `
      -- The municipality's self-assessment of its absence work (Børns Vilkår's tool): a round, the
      -- people taking part (staff: name and function, never pupils), each one's ratings of the
      -- principles and notes per theme, the group's discussion and its priorities. Principle and
      -- theme ids are the framework's (src/selfAssessment/principles.ts), checked by the API.
      CREATE TABLE self_assessment_rounds (
        round_id   text        COLLATE "C" PRIMARY KEY,
        title      text        NOT NULL,
        held_on    date        NOT NULL,
        framework  text        NOT NULL,
        created_by text        NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- "The round before this one": the latest held earlier.
      CREATE INDEX self_assessment_rounds_held_idx ON self_assessment_rounds (held_on, created_at);

      CREATE TABLE self_assessment_participants (
        participant_id text    COLLATE "C" PRIMARY KEY,
        round_id       text    COLLATE "C" NOT NULL REFERENCES self_assessment_rounds (round_id) ON DELETE CASCADE,
        position       integer NOT NULL,
        name           text    NOT NULL,
        job_function   text    NOT NULL,
        UNIQUE (round_id, position)
      );

      CREATE TABLE self_assessment_ratings (
        participant_id text        COLLATE "C" NOT NULL REFERENCES self_assessment_participants (participant_id) ON DELETE CASCADE,
        principle_id   text        COLLATE "C" NOT NULL,
        rating         smallint    NOT NULL CHECK (rating BETWEEN 1 AND 5),
        comment        text,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (participant_id, principle_id)
      );

      -- Step 1's overall number and note per theme, per participant.
      CREATE TABLE self_assessment_theme_notes (
        participant_id text        COLLATE "C" NOT NULL REFERENCES self_assessment_participants (participant_id) ON DELETE CASCADE,
        theme_id       text        COLLATE "C" NOT NULL,
        overall        smallint    CHECK (overall BETWEEN 1 AND 5),
        note           text,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (participant_id, theme_id)
      );

      -- Step 2: the group's notes per theme.
      CREATE TABLE self_assessment_discussion (
        round_id text COLLATE "C" NOT NULL REFERENCES self_assessment_rounds (round_id) ON DELETE CASCADE,
        theme_id text COLLATE "C" NOT NULL,
        note     text NOT NULL,
        PRIMARY KEY (round_id, theme_id)
      );

      -- Step 3: up to three priorities, each with next steps, an owner and a date.
      CREATE TABLE self_assessment_priorities (
        round_id   text     COLLATE "C" NOT NULL REFERENCES self_assessment_rounds (round_id) ON DELETE CASCADE,
        position   smallint NOT NULL CHECK (position BETWEEN 1 AND 3),
        title      text     NOT NULL,
        theme_id   text     COLLATE "C",
        need       text,
        next_steps text     NOT NULL,
        owner      text     NOT NULL,
        due_on     date     NOT NULL,
        PRIMARY KEY (round_id, position)
      );
    `,
  },
  {
    version: 11,
    name: 'notices of a new tovholder, one to each of the two',
    sql: `
      -- A reassignment tells the tovholder leaving and the one taking over: two tovholder notices
      -- from one history entry, told apart by who they are for.
      ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
      ALTER TABLE notices ADD CONSTRAINT notices_kind_check
        CHECK (kind IN ('step_due_soon', 'step_overdue', 'step_overdue_leader', 'follow_up_window_open', 'escalation', 'tovholder_reassigned'));
      ALTER TABLE notices DROP CONSTRAINT notices_case_id_source_seq_role_key;
      CREATE UNIQUE INDEX notices_source_recipient_key ON notices (case_id, source_seq, role, (coalesce(tovholder, '')));
    `,
  },
  {
    version: 12,
    name: 'narrow indexes for the phase-duration analytics',
    sql: `
      -- The analytics read every phase change, escalation and closing of the municipality. From
      -- the heap those rows lie on thousands of pages among wide events; these partial indexes hold
      -- just what the queries read, in case order, so they are answered from the index alone
      -- (about 6,900 pages read fell to about 450 on 10,000 cases).
      CREATE INDEX case_events_phase_entered_idx ON case_events (case_id, seq) INCLUDE (phase, on_date)
        WHERE type = 'phase_entered';
      CREATE INDEX case_events_outcome_idx ON case_events (case_id) INCLUDE (type, on_date, detail)
        WHERE type IN ('escalation', 'closed');
    `,
  },
  {
    version: 13,
    name: 'the pupil directory, absence registrations and concern candidates',
    sql: `
      -- The school's roster: names and guardians live here only (never in Temporal, logs, URLs
      -- or notices). A pupil who leaves the roster keeps the row, so their cases stay readable.
      CREATE TABLE pupils (
        school_id       text        COLLATE "C" NOT NULL,
        pupil_ref       text        COLLATE "C" NOT NULL,
        grade           integer     NOT NULL CHECK (grade BETWEEN 0 AND 10),
        class_name      text        NOT NULL,
        given_name      text        NOT NULL,
        family_name     text        NOT NULL,
        guardian1_name  text,
        guardian1_email text,
        guardian2_name  text,
        guardian2_email text,
        on_roster       boolean     NOT NULL DEFAULT true,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (school_id, pupil_ref)
      );

      -- One row per registered absence; a school day without a row is a day present. A later
      -- registration for the same pupil, day and mark replaces the earlier one.
      CREATE TABLE absence_registrations (
        school_id  text        COLLATE "C" NOT NULL,
        pupil_ref  text        COLLATE "C" NOT NULL,
        day        date        NOT NULL,
        mark       text        NOT NULL CHECK (mark IN ('day', 'start', 'end')),
        category   text        NOT NULL CHECK (category IN ('illness', 'leave', 'unlawful')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (school_id, pupil_ref, day, mark)
      );
      -- The school's figures read a date range of every pupil at once.
      CREATE INDEX absence_registrations_school_day_idx ON absence_registrations (school_id, day);

      -- What the leader decided about a concern candidate: dismissed with a reason (back only when
      -- the total share rises past total_share), or a case opened, with the figures kept.
      CREATE TABLE absence_candidate_decisions (
        decision_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        school_id   text        COLLATE "C" NOT NULL,
        pupil_ref   text        COLLATE "C" NOT NULL,
        decision    text        NOT NULL CHECK (decision IN ('dismissed', 'case_opened')),
        total_share double precision NOT NULL,
        reason      text,
        case_id     text        COLLATE "C",
        figures     jsonb       NOT NULL,
        decided_by  text        NOT NULL,
        decided_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX absence_candidate_decisions_pupil_idx ON absence_candidate_decisions (school_id, pupil_ref, decided_at DESC);
      CREATE INDEX absence_candidate_decisions_case_idx ON absence_candidate_decisions (case_id);

      -- The nightly run's result per school (and the leader's run-now): what the list shows.
      CREATE TABLE absence_candidate_runs (
        school_id text        COLLATE "C" PRIMARY KEY,
        on_day    date        NOT NULL,
        result    jsonb       NOT NULL,
        ran_at    timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 14,
    name: 'withdrawn cases, left out of lists and analytics',
    sql: `
      -- A case withdrawn as opened in error keeps its row and events for the audit; lists, boards,
      -- reviews and analytics leave it out. Derived from the stored view, so it can never disagree.
      ALTER TABLE cases ADD COLUMN withdrawn boolean GENERATED ALWAYS AS (view ? 'withdrawal') STORED;
    `,
  },
  {
    version: 15,
    name: 'pupils read, in the audit log',
    sql: `
      -- Reads of the pupil directory, the absence figures and opsporing's candidates are logged
      -- like reads of cases: which pupils (by their pseudonymous reference, never a name) a
      -- request showed. Rows before this have none.
      ALTER TABLE audit_log ADD COLUMN pupil_refs text[] COLLATE "C";
      CREATE INDEX audit_log_pupil_refs_idx ON audit_log USING gin (pupil_refs);
    `,
  },
  {
    version: 16,
    name: 'letter revisions, approvers and redrafts',
    sql: `
      -- The text of a draft keeps the people's fields as {{pupilName}}, {{guardianNames}},
      -- {{schoolName}} and {{tovholder}}: names are filled in from the directory when the letter
      -- is shown, and frozen into final_subject/final_body when it is approved (what was sent).
      ALTER TABLE letter_drafts ADD COLUMN final_subject text;
      ALTER TABLE letter_drafts ADD COLUMN final_body text;
      -- Who approved or discarded (the token's subject); null for a draft the system superseded.
      ALTER TABLE letter_drafts ADD COLUMN decided_by text;
      -- The case's facts the draft was written from (field name to text), to notice when they change.
      ALTER TABLE letter_drafts ADD COLUMN facts jsonb;
      -- Set when those facts changed while the draft had edits of a person's, which are not overwritten.
      ALTER TABLE letter_drafts ADD COLUMN facts_changed_at timestamptz;
      -- How many edits the draft has (letter_revisions); approval checks it did not change under it.
      ALTER TABLE letter_drafts ADD COLUMN revisions integer NOT NULL DEFAULT 0;
      -- A redraft is the same case, kind and source entry, one generation on.
      ALTER TABLE letter_drafts ADD COLUMN generation integer NOT NULL DEFAULT 0;
      ALTER TABLE letter_drafts ADD COLUMN replaces text COLLATE "C" REFERENCES letter_drafts (draft_id);
      ALTER TABLE letter_drafts DROP CONSTRAINT letter_drafts_case_id_kind_source_seq_key;
      ALTER TABLE letter_drafts ADD CONSTRAINT letter_drafts_generation_key UNIQUE (case_id, kind, source_seq, generation);
      ALTER TABLE letter_drafts DROP CONSTRAINT letter_drafts_status_check;
      ALTER TABLE letter_drafts ADD CONSTRAINT letter_drafts_status_check
        CHECK (status IN ('draft', 'approved', 'discarded', 'superseded'));
      -- Drafts written before names were filled in when shown: the placeholder becomes the field.
      UPDATE letter_drafts SET body = replace(body, '[elevens navn]', '{{pupilName}}') WHERE status = 'draft';

      -- Each edit of a draft before approval: who, when and the whole text.
      CREATE TABLE letter_revisions (
        draft_id  text        COLLATE "C" NOT NULL REFERENCES letter_drafts (draft_id) ON DELETE CASCADE,
        revision  integer     NOT NULL CHECK (revision >= 1),
        subject   text        NOT NULL,
        body      text        NOT NULL,
        edited_by text        NOT NULL,
        edited_at timestamptz NOT NULL DEFAULT now(),
        -- The Idempotency-Key of the request, so repeating it answers again instead of editing twice.
        edit_key  text,
        PRIMARY KEY (draft_id, revision),
        UNIQUE (draft_id, edit_key)
      );
    `,
  },
];

/** What running a migration needs: a transaction whose handle can also run a whole script. */
export interface MigrationTarget {
  transaction<T>(work: (tx: ScriptTransaction) => Promise<T>): Promise<T>;
}

export interface ScriptTransaction extends Pick<Database, 'query'> {
  /** Runs several statements at once (the extended protocol `query` uses allows only one). */
  exec(sql: string): Promise<void>;
}

// Keyed by schema, so test files migrating their own schemas in one database do not wait on
// each other, while two processes migrating the same schema take turns.
const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('fravaersforloeb.migrations:' || coalesce(current_schema(), '')))`;

export interface MigrationResult {
  /** Versions this call applied (empty when the schema was already current). */
  readonly applied: number[];
}

export async function runMigrations(
  target: MigrationTarget,
  list: readonly Migration[] = migrations,
): Promise<MigrationResult> {
  assertOrdered(list);
  const applied: number[] = [];
  for (const migration of list) {
    const didApply = await target.transaction(async (tx) => {
      // The lock comes first: it also guards creating the bookkeeping table, which two
      // processes starting together would otherwise race on.
      await tx.query(LOCK_SQL);
      const [table] = await tx.query<{ present: boolean }>(
        `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
      );
      if (!table?.present) {
        await tx.exec(`
          CREATE TABLE schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
          );
        `);
      }
      const done = await tx.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [migration.version]);
      if (done.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return { applied };
}

function assertOrdered(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration "${migration.name}" has version ${migration.version}; expected ${index + 1}`);
    }
  });
}
