/**
 * A tiny logger for the process entry points (main, worker, api server).
 *
 * It never prints personal data: callers pass a short message plus flat fields, and fields whose
 * names suggest personal data are replaced by "[redacted]" as a second line of defence. Errors
 * are reduced to name, code and message: PostgreSQL puts row values in `detail`, so that is
 * dropped.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Readonly<Record<string, LogValue>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ component: 'worker' }`). */
  child(fields: LogFields): Logger;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** JSON lines (for log collectors) or plain text (for a person at a terminal). */
  format?: 'json' | 'text';
  /** Where lines go; tests pass a collector. */
  write?: (line: string) => void;
}

const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Field names that may carry personal data in this domain; their values are never printed. */
const PERSONAL_FIELD = /^(pupil.*|cpr.*|.*name|e?mail|phone.*|note|rationale|body|subject|recipient|tovholder)$/i;

function scrub(fields: LogFields): Record<string, LogValue> {
  const out: Record<string, LogValue> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = PERSONAL_FIELD.test(key) ? '[redacted]' : value;
  }
  return out;
}

export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const level = options.level ?? 'info';
  const format = options.format ?? (process.stdout.isTTY ? 'text' : 'json');
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));

  const emit = (lineLevel: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields) => {
    if (SEVERITY[lineLevel] < SEVERITY[level]) return;
    const all = scrub({ ...base, ...fields });
    if (format === 'json') {
      write(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg: message, ...all }));
      return;
    }
    const extra = Object.entries(all)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    write(`${lineLevel.toUpperCase().padEnd(5)} ${message}${extra ? `  ${extra}` : ''}`);
  };

  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level, format, write }, { ...base, ...fields }),
  };
}

/** Loggable fields of an unknown thrown value: no stack (noise) and no `detail` (row values). */
export function errorFields(err: unknown): LogFields {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      error: err.name,
      errorMessage: err.message.slice(0, 500),
      errorCode: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    };
  }
  return { error: typeof err };
}
