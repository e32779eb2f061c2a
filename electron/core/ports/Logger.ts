export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** Debug logging, not history: what technicians did is recorded in the fleet history instead. */
export type Logger = {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
};

const SECRET_KEYS = /pass(word|phrase)?|secret|token|private_?key|authorization/i;

/** Replaces the values of secret-looking fields so that no log line carries a credential. */
export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SECRET_KEYS.test(key) ? '[redacted]' : value;
  }
  return out;
}

export type LogSink = (record: { level: LogLevel; message: string; fields: LogFields; at: string }) => void;

export function createLogger(sink: LogSink, minLevel: LogLevel = 'info', bindings: LogFields = {}): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (order.indexOf(level) < order.indexOf(minLevel)) {
      return;
    }
    sink({ level, message, fields: redact({ ...bindings, ...fields }), at: new Date().toISOString() });
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (more) => createLogger(sink, minLevel, { ...bindings, ...more }),
  };
}

/** JSON lines on stderr, so stdout stays clean for --json output. */
export function createStderrLogger(minLevel: LogLevel = 'warn'): Logger {
  return createLogger((record) => process.stderr.write(`${JSON.stringify(record)}\n`), minLevel);
}

export const silentLogger: Logger = createLogger(() => undefined, 'error');
