/** Starting and ending a browser session, shared by both ways of signing in. */
import type { Response } from 'express';
import { SESSION_COOKIE, type UiContext } from '../context';
import { clearCookie, setCookie } from '../session/cookies';
import type { NewSession } from '../session/sessionStore';

export async function startSession(ui: UiContext, res: Response, session: NewSession): Promise<void> {
  const id = await ui.sessions.create(session);
  const seconds = Math.max(60, Math.floor((session.expiresAt.getTime() - ui.now().getTime()) / 1000));
  setCookie(res, ui.cookies, SESSION_COOKIE, id, seconds);
}

export async function endSession(ui: UiContext, res: Response, sessionId: string | undefined): Promise<void> {
  if (sessionId !== undefined) await ui.sessions.end(sessionId);
  clearCookie(res, ui.cookies, SESSION_COOKIE);
}

/** Where to go after signing in: a path on this site only, never another host. */
export function returnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value.length > 500 ? '/' : value;
}
