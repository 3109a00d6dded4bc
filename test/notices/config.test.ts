/** The notice variables of loadConfig: defaults, validation naming the variable, secrets never echoed. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { smtpServerOf } from '../../src/notices/setup';

describe('notice configuration', () => {
  it('when nothing is set, then mail is off and the documented defaults apply', () => {
    expect(loadConfig({}).notices).toEqual({
      smtpUrl: undefined,
      mailFrom: 'Fraværsforløb <fravaer@localhost>',
      pollSeconds: 60,
      digestHour: 7,
      maxAttempts: 10,
      publicBaseUrl: undefined,
    });
  });

  it('when every variable is set, then each is read (an empty one counts as unset)', () => {
    const config = loadConfig({
      SMTP_URL: 'smtp://relay.kommune.dk:2525',
      MAIL_FROM: 'Fraværsforløb <fravaer@kommune.dk>',
      NOTICE_POLL_SECONDS: '15',
      NOTICE_DIGEST_HOUR: '0',
      NOTICE_MAX_ATTEMPTS: '3',
      PUBLIC_BASE_URL: 'https://fravaer.kommune.dk/',
    });
    expect(config.notices).toEqual({
      smtpUrl: 'smtp://relay.kommune.dk:2525',
      mailFrom: 'Fraværsforløb <fravaer@kommune.dk>',
      pollSeconds: 15,
      digestHour: 0,
      maxAttempts: 3,
      publicBaseUrl: 'https://fravaer.kommune.dk',
    });
    expect(loadConfig({ SMTP_URL: '' }).notices.smtpUrl).toBeUndefined();
  });

  it.each([
    ['SMTP_URL', 'http://mail:25'],
    ['SMTP_URL', 'mail:25'],
    ['MAIL_FROM', 'no address here'],
    ['NOTICE_POLL_SECONDS', '0'],
    ['NOTICE_POLL_SECONDS', 'often'],
    ['NOTICE_DIGEST_HOUR', '24'],
    ['NOTICE_MAX_ATTEMPTS', '0'],
    ['PUBLIC_BASE_URL', 'ftp://fravaer'],
  ])('when %s=%s, then start-up stops naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}: `));
  });

  it('when SMTP_URL is bad, then its value (which may hold a password) is not echoed, nor logged when good', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtpx://user:hemmelig@mail:25' })).toThrow(/^(?![\s\S]*hemmelig)/);
    expect(smtpServerOf('smtp://user:hemmelig@mail.kommune.dk:587')).toBe('smtp://mail.kommune.dk:587');
  });
});
