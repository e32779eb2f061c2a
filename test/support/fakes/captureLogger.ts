import { createLogger, type LogLevel, type Logger } from '../../../electron/core/ports/Logger';

export type CapturedRecord = { level: LogLevel; message: string; fields: Record<string, unknown> };

/** A real Logger that keeps its records, so tests can assert on what was (and was not) logged. */
export function createCapturingLogger(): { logger: Logger; records: CapturedRecord[] } {
  const records: CapturedRecord[] = [];
  const logger = createLogger(({ level, message, fields }) => records.push({ level, message, fields }), 'debug');
  return { logger, records };
}
