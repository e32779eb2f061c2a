import { createHash } from 'node:crypto';

/** One step of the history schema. Once released, a migration's sql is frozen: change the schema with a new one. */
export type Migration = {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
};

/**
 * The fingerprint recorded when a migration is applied and compared on every open.
 * Line endings are normalised first so that a Windows checkout (CRLF) of the same source agrees with a Linux one.
 */
export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}
