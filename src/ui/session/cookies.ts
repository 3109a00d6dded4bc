/**
 * The few cookies the pages use. Always HttpOnly and SameSite=Lax (a link in a notice e-mail still
 * arrives signed in; a form posted from another site does not carry the cookie); Secure, with the
 * `__Host-` prefix, whenever the service is reached over https.
 */
import type { Request, Response } from 'express';

export interface CookiePolicy {
  /** https: Secure cookies with the __Host- prefix. */
  readonly secure: boolean;
}

export function cookieName(policy: CookiePolicy, base: string): string {
  return policy.secure ? `__Host-${base}` : base;
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function setCookie(res: Response, policy: CookiePolicy, base: string, value: string, maxAgeSeconds: number): void {
  res.cookie(cookieName(policy, base), value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: policy.secure,
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearCookie(res: Response, policy: CookiePolicy, base: string): void {
  res.clearCookie(cookieName(policy, base), { httpOnly: true, sameSite: 'lax', secure: policy.secure, path: '/' });
}
