/**
 * What the entry points (main, worker) need for notices, from the configuration: the mailer (or
 * none: mail off) and the options of the notice activities. Says in the log which it is, without
 * the SMTP URL's credentials.
 */
import type { NoticeOptions } from '../activities/noticeActivities';
import type { NoticeConfig } from '../config';
import type { Logger } from '../logger';
import { createSmtpMailer, type Mailer } from './mailer';

export interface NoticeSetup {
  options: NoticeOptions;
  /** Undefined when mail is off. */
  mailer: Mailer | undefined;
}

/** host:port of an SMTP URL, for the log (never the user or password). */
export function smtpServerOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`;
  } catch {
    return '(unreadable URL)';
  }
}

export interface NoticeSetupOptions {
  logger: Logger;
  wakeDispatcher: () => Promise<void>;
  /** The case links' base when PUBLIC_BASE_URL is unset (npm start: the API's own URL). */
  fallbackBaseUrl?: string;
}

export function noticeSetup(config: NoticeConfig, { logger, wakeDispatcher, fallbackBaseUrl }: NoticeSetupOptions): NoticeSetup {
  const log = logger.child({ component: 'notices' });
  const mailer = config.smtpUrl === undefined ? undefined : createSmtpMailer({ url: config.smtpUrl, from: config.mailFrom });
  if (mailer === undefined) {
    log.warn('mail is off (SMTP_URL is unset): notices are queued and wait in the outbox until it is set');
  } else {
    log.info('notices go out by mail', { smtp: smtpServerOf(config.smtpUrl!), pollSeconds: config.pollSeconds, digestHour: config.digestHour });
  }
  return {
    mailer,
    options: {
      // Without mail there is no dispatcher to wake.
      ...(mailer ? { mailer, onQueued: wakeDispatcher } : {}),
      compose: { publicBaseUrl: config.publicBaseUrl ?? fallbackBaseUrl ?? 'http://localhost:3000' },
      retry: { maxAttempts: config.maxAttempts },
      digestHour: config.digestHour,
      pollSeconds: config.pollSeconds,
      warn: (message, fields) => log.warn(message, fields),
    },
  };
}
