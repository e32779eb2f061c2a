import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';

import { AppError } from '../../../shared/errors/AppError';
import { errorMessage, sqliteCode } from './dbErrors';
import { MIGRATIONS } from './migrations';
import { requireCurrentSchema, runMigrations } from './migrations/runMigrations';

export type Database = BetterSqlite3.Database;

const IN_MEMORY = ':memory:';

/**
 * Opens (creating if needed) the fleet history at `file`, or an in-memory one for tests with ':memory:',
 * and migrates it to this build's schema. Anything wrong with the file is one AppError line that names it.
 */
export function openHistoryDatabase(file: string): Database {
  const isMemory = file === IN_MEMORY;
  if (!isMemory) {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (error) {
      throw new AppError('DB', `cannot create the folder for ${file}: ${errorMessage(error)}`, {
        cause: error,
        details: { file },
      });
    }
  }

  let db: Database;
  try {
    db = new BetterSqlite3(file);
  } catch (error) {
    throw new AppError('DB', `cannot open ${file}: ${errorMessage(error)}`, { cause: error, details: { file } });
  }

  try {
    configure(db, file, isMemory);
    runMigrations(db, MIGRATIONS);
    // The logbook's filters leave the choice of index to SQLite's planner: keep its statistics fresh, sampling a
    // bounded number of rows per index so that opening a history of years stays quick.
    db.pragma('analysis_limit = 400');
    db.pragma('optimize = 0x10002');
    return db;
  } catch (error) {
    db.close();
    if (error instanceof AppError) {
      throw error;
    }
    throw describeOpenFailure(error, file);
  }
}

function configure(db: Database, file: string, isMemory: boolean): void {
  // WAL lets the shell read history while the core writes, and survives a power cut better than a rollback journal.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (!isMemory && mode !== 'wal') {
    // Typically a network or read-only file system; running without WAL would change locking behaviour silently.
    throw new AppError('DB', `${file}: could not switch to WAL journal mode (got ${String(mode)})`, {
      details: { file },
    });
  }
  // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

function describeOpenFailure(error: unknown, file: string): AppError {
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new AppError('DB', `${file} is not an OHT-50 history database (${errorMessage(error)})`, {
      cause: error,
      details: { file },
    });
  }
  return new AppError('DB', `cannot open ${file}: ${errorMessage(error)}`, { cause: error, details: { file } });
}

/**
 * Opens the history of a read-only data folder for reading: a snapshot of the file in memory, since SQLite cannot open
 * a WAL-mode file read-only where it cannot create the -shm file beside it. Writing is refused (query_only). A
 * write-ahead log left beside the file (a workstation that did not close) cannot be read here, and the snapshot is
 * then the history as of its last checkpoint; `walBytes` says so.
 */
export function openHistoryDatabaseReadOnly(file: string): { db: Database; walBytes: number } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new AppError('DB', `cannot read ${file}: ${errorMessage(error)}`, { cause: error, details: { file } });
  }
  // Bytes 18 and 19 say WAL (2); the in-memory copy is read in rollback mode (1), the same pages.
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  let db: Database;
  try {
    db = new BetterSqlite3(bytes);
  } catch (error) {
    throw describeOpenFailure(error, file);
  }
  try {
    db.pragma('query_only = 1');
    db.pragma('foreign_keys = ON');
    requireCurrentSchema(db, MIGRATIONS, file);
  } catch (error) {
    db.close();
    throw error instanceof AppError ? error : describeOpenFailure(error, file);
  }
  const wal = `${file}-wal`;
  return { db, walBytes: existsSync(wal) ? statSync(wal).size : 0 };
}
