import BetterSqlite3 from 'better-sqlite3';

import { AppError } from '../../../shared/errors/AppError';

/** SQLite's extended result code (e.g. SQLITE_CONSTRAINT_PRIMARYKEY) when the error came from SQLite. */
export function sqliteCode(error: unknown): string | undefined {
  return error instanceof BetterSqlite3.SqliteError ? error.code : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * AppErrors pass through; SQLite failures become a DB AppError naming the file and what was being done.
 * Anything else is a bug in this code and is rethrown as it is.
 */
export function toDbError(error: unknown, file: string, doing: string): unknown {
  if (error instanceof AppError || sqliteCode(error) === undefined) {
    return error;
  }
  return new AppError('DB', `${file}: ${doing} failed: ${errorMessage(error)}`, {
    cause: error,
    details: { file, sqlite: sqliteCode(error) ?? null },
  });
}
