/**
 * Sending one plain-text mail over SMTP (nodemailer). One connection per mail: notices are few,
 * and a fresh connection recovers by itself from a server that restarted.
 */
import nodemailer from 'nodemailer';
import type { Mail } from './compose';

export interface Mailer {
  /** Resolves once the server accepted the mail; rejects with a MailError otherwise. */
  send(mail: Mail): Promise<void>;
  close(): void;
}

/** A failed send, described by a code only: server texts may quote addresses. */
export class MailError extends Error {
  override readonly name = 'MailError';
  constructor(readonly code: string) {
    super(`mail not sent (${code})`);
  }
}

export interface SmtpMailerOptions {
  /** smtp://host:port (or smtps://, with user:password@ when the server wants them). */
  url: string;
  /** The From header, e.g. `Fraværsforløb <fravaer@kommune.dk>`. */
  from: string;
  /** Per phase of the SMTP conversation; default 15 s (a hanging server must not hold the dispatcher). */
  timeoutMs?: number;
}

/** The part of a nodemailer error that is safe to keep: its code and the SMTP reply code. */
export function mailErrorCode(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  if (typeof responseCode === 'number') return `smtp ${responseCode}`;
  if (typeof code === 'string' && /^[A-Z_0-9]{2,40}$/.test(code)) return code;
  return 'error';
}

export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail) {
      try {
        await transport.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          textEncoding: 'quoted-printable',
        });
      } catch (error) {
        throw new MailError(mailErrorCode(error));
      }
    },
    close() {
      transport.close();
    },
  };
}
