/**
 * Browser sessions in PostgreSQL. The cookie carries a random id; the table keeps only its hash,
 * with who signed in, the bearer token the pages use towards /api, and the form token (CSRF).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { principalClaims, principalFrom, type Principal } from '../../access/principal';
import type { Database } from '../../db/types';

export interface Session {
  readonly principal: Principal;
  readonly displayName: string;
  readonly accessToken: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export interface NewSession {
  principal: Principal;
  displayName: string;
  accessToken: string;
  expiresAt: Date;
}

export interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

const sessionRow = z.object({
  sub: z.string(),
  role: principalClaims.shape.role,
  schools: principalClaims.shape.schools,
  display_name: z.string(),
  access_token: z.string(),
  csrf_token: z.string(),
  expires_at: z.string(),
});

const signInRow = z.object({ code_verifier: z.string(), nonce: z.string(), return_to: z.string() });

export function createSessionStore(db: Pick<Database, 'query'>, now: () => Date = () => new Date()) {
  return {
    /** Stores a new session and answers the id for the cookie. */
    async create(session: NewSession): Promise<string> {
      const id = randomToken();
      const schools = session.principal.schools === 'all' ? ['*'] : [...session.principal.schools];
      await db.query(
        `INSERT INTO ui_sessions (session_hash, sub, role, schools, display_name, access_token, csrf_token, expires_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)`,
        [
          hashOf(id),
          session.principal.sub,
          session.principal.role,
          JSON.stringify(schools),
          session.displayName,
          session.accessToken,
          randomToken(),
          session.expiresAt.toISOString(),
        ],
      );
      // Expired sessions are swept as new ones arrive: no timer to keep.
      await db.query(`DELETE FROM ui_sessions WHERE expires_at < $1`, [now().toISOString()]);
      return id;
    },

    /** The session behind a cookie, or null when there is none or it has expired. */
    async find(id: string): Promise<Session | null> {
      const [row] = await db.query(`SELECT sub, role, schools, display_name, access_token, csrf_token, expires_at FROM ui_sessions WHERE session_hash = $1`, [
        hashOf(id),
      ]);
      if (row === undefined) return null;
      const parsed = sessionRow.safeParse(row);
      if (!parsed.success) return null;
      const expiresAt = new Date(parsed.data.expires_at);
      if (expiresAt.getTime() <= now().getTime()) {
        await this.end(id);
        return null;
      }
      const { sub, role, schools } = parsed.data;
      return {
        principal: principalFrom({ sub, role, schools }),
        displayName: parsed.data.display_name,
        accessToken: parsed.data.access_token,
        csrfToken: parsed.data.csrf_token,
        expiresAt,
      };
    },

    async end(id: string): Promise<void> {
      await db.query(`DELETE FROM ui_sessions WHERE session_hash = $1`, [hashOf(id)]);
    },

    /** Remembers a sign-in sent to the identity provider, under the browser's own nonce cookie. */
    async beginSignIn(browserKey: string, pending: PendingSignIn, ttlSeconds = 600): Promise<void> {
      await db.query(`DELETE FROM ui_sign_ins WHERE expires_at < $1`, [now().toISOString()]);
      await db.query(
        `INSERT INTO ui_sign_ins (state_hash, code_verifier, nonce, return_to, expires_at) VALUES ($1, $2, $3, $4, $5)`,
        [hashOf(browserKey), pending.codeVerifier, pending.nonce, pending.returnTo, new Date(now().getTime() + ttlSeconds * 1000).toISOString()],
      );
    },

    /** The sign-in begun in this browser, taken once. */
    async takeSignIn(browserKey: string): Promise<PendingSignIn | null> {
      const rows = await db.query(
        `DELETE FROM ui_sign_ins WHERE state_hash = $1 AND expires_at >= $2 RETURNING code_verifier, nonce, return_to`,
        [hashOf(browserKey), now().toISOString()],
      );
      const parsed = signInRow.safeParse(rows[0]);
      if (!parsed.success) return null;
      return { codeVerifier: parsed.data.code_verifier, nonce: parsed.data.nonce, returnTo: parsed.data.return_to };
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
