/**
 * A real SMTP server for the notice tests (npm `smtp-server`), on a free loopback port. It keeps
 * every message it receives, decoded enough to assert on: the envelope's recipients, the From,
 * the Subject (RFC 2047 words decoded) and the plain-text body (quoted-printable or base64).
 *
 * It can be stopped and started again on the same port (a mail server that is down, then back),
 * or told to refuse every message with a temporary error.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's RCPT TO addresses. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
  /** performance.now() when the message was complete. */
  receivedAt: number;
}

export interface TestSmtpServer {
  readonly port: number;
  /** smtp://127.0.0.1:port */
  readonly url: string;
  readonly messages: ReceivedMail[];
  /** The messages to one address. */
  to(address: string): ReceivedMail[];
  /** Waits until `count` messages satisfy `match`; answers them. */
  waitFor(match: (mail: ReceivedMail) => boolean, options?: { count?: number; timeoutMs?: number }): Promise<ReceivedMail[]>;
  /** While true, every message is refused with 451 (a temporary failure). */
  refuseAll: boolean;
  /** Closes the port: connections are refused until start(). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

function decodeWords(value: string): string {
  // RFC 2047 encoded words; whitespace between two adjacent words is not part of the text.
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_match, _charset: string, encoding: string, data: string) => {
      if (encoding.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
      const bytes = data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => `%${hex}`);
      return decodeURIComponent(bytes);
    });
}

function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const char = joined[i]!;
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Headers and plain-text body of a single-part message. */
export function parseMessage(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let port = 0;
  let server: SMTPServer | undefined;

  const state = {
    refuseAll: false,
  };

  const create = () =>
    new SMTPServer({
      authOptional: true,
      // A plain internal relay: no STARTTLS offered (its self-signed certificate would only be refused).
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (state.refuseAll) {
            const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
            callback(error);
            return;
          }
          const { headers, text } = parseMessage(Buffer.concat(chunks).toString('utf8'));
          messages.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: decodeWords(headers.subject ?? ''),
            text,
            headers,
            receivedAt: performance.now(),
          });
          for (const wake of waiters) wake();
          callback();
        });
      },
    });

  const listen = async () => {
    const next = create();
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        next.off('error', reject);
        resolve();
      });
    });
    next.on('error', () => undefined);
    port = (next.server.address() as AddressInfo).port;
    server = next;
  };

  const stop = async () => {
    const running = server;
    server = undefined;
    if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
  };

  await listen();

  return {
    get port() {
      return port;
    },
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    messages,
    get refuseAll() {
      return state.refuseAll;
    },
    set refuseAll(value: boolean) {
      state.refuseAll = value;
    },
    to: (address) => messages.filter((mail) => mail.to.includes(address)),
    async waitFor(match, options = {}) {
      const count = options.count ?? 1;
      const timeoutMs = options.timeoutMs ?? 20_000;
      const found = () => messages.filter(match);
      if (found().length >= count) return found();
      return new Promise<ReceivedMail[]>((resolve, reject) => {
        const check = () => {
          if (found().length >= count) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(found());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SMTP test server: ${found().length} of ${count} expected messages within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    stop,
    start: listen,
    close: stop,
  };
}
