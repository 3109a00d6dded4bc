/**
 * The contacts directory (table school_contacts): per school, the leader's and the resource
 * team's address and each tovholder's, keyed by the tovholder id used on cases. A PUT replaces a
 * school's whole directory in one statement; addresses are looked up when a notice is delivered,
 * so a notice queued before its address was known goes out once it is set.
 */
import type { Database } from '../db/types';
import type { SchoolContacts, SchoolContactsInput } from './schemas';

export interface ContactsStore {
  /** Replaces the school's directory; answers it as stored. */
  put(schoolId: string, contacts: SchoolContactsInput, now: Date): Promise<SchoolContacts>;
  /** null when the school has set none. */
  get(schoolId: string): Promise<SchoolContacts | null>;
}

interface ContactsRow extends Record<string, unknown> {
  school_id: string;
  leader_email: string | null;
  resource_team_email: string | null;
  tovholdere: Record<string, string>;
  updated_at: string;
}

const COLUMNS = 'school_id, leader_email, resource_team_email, tovholdere, updated_at';

function toContacts(row: ContactsRow): SchoolContacts {
  return {
    schoolId: row.school_id,
    leaderEmail: row.leader_email,
    resourceTeamEmail: row.resource_team_email,
    tovholdere: row.tovholdere,
    updatedAt: row.updated_at,
  };
}

const PUT_SQL = `
  INSERT INTO school_contacts (school_id, leader_email, resource_team_email, tovholdere, updated_at)
  VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz)
  ON CONFLICT (school_id) DO UPDATE
     SET leader_email = EXCLUDED.leader_email,
         resource_team_email = EXCLUDED.resource_team_email,
         tovholdere = EXCLUDED.tovholdere,
         updated_at = EXCLUDED.updated_at
  RETURNING ${COLUMNS}
`;

export function createContactsStore(db: Database): ContactsStore {
  return {
    async put(schoolId, contacts, now) {
      const [row] = await db.query<ContactsRow>(PUT_SQL, [
        schoolId,
        contacts.leaderEmail ?? null,
        contacts.resourceTeamEmail ?? null,
        JSON.stringify(contacts.tovholdere),
        now.toISOString(),
      ]);
      if (row === undefined) throw new Error('contacts: the upsert returned no row');
      return toContacts(row);
    },

    async get(schoolId) {
      const [row] = await db.query<ContactsRow>(`SELECT ${COLUMNS} FROM school_contacts WHERE school_id = $1`, [schoolId]);
      return row ? toContacts(row) : null;
    },
  };
}
