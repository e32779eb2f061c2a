import type BetterSqlite3 from 'better-sqlite3';

import { AppError, BugError } from '../../../../shared/errors/AppError';
import { errorMessage } from '../dbErrors';
import { migrationChecksum, type Migration } from './migration';

type AppliedRow = { version: number; name: string; sha256: string; applied_at: string };

const CREATE_LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

/**
 * Brings the file's schema up to this build's, one migration per transaction, after checking that what was
 * applied before is exactly what this build would have applied. Returns the versions it applied now.
 */
export function runMigrations(
  db: BetterSqlite3.Database,
  migrations: readonly Migration[],
  now: () => string = () => new Date().toISOString(),
): number[] {
  assertWellFormed(migrations);
  const file = db.name;
  refuseForeignDatabase(db, file);
  db.exec(CREATE_LEDGER);

  const readApplied = db.prepare<[], AppliedRow>(
    'SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version',
  );
  const isApplied = db.prepare<[number], { version: number }>(
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare<[number, string, string, string]>(
    'INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)',
  );

  checkApplied(readApplied.all(), migrations, file);

  const appliedNow: number[] = [];
  for (const migration of migrations) {
    // IMMEDIATE takes the write lock before looking, so two windows opening the same file cannot both apply it.
    const apply = db.transaction(() => {
      if (isApplied.get(migration.version)) {
        return false;
      }
      db.exec(migration.sql);
      record.run(migration.version, migration.name, migrationChecksum(migration), now());
      return true;
    });
    try {
      if (apply.immediate()) {
        appliedNow.push(migration.version);
      }
    } catch (error) {
      throw new AppError(
        'DB_MIGRATION',
        `${file}: migration ${migration.version} (${migration.name}) failed: ${errorMessage(error)}`,
        { cause: error, details: { file, version: migration.version } },
      );
    }
  }
  return appliedNow;
}

/**
 * For a history that cannot be written (a read-only folder): it must already be at this build's schema, since
 * nothing can be migrated. Throws DB_MIGRATION saying what to do otherwise.
 */
export function requireCurrentSchema(db: BetterSqlite3.Database, migrations: readonly Migration[], file: string): void {
  refuseForeignDatabase(db, file);
  const applied = db
    .prepare<[], AppliedRow>('SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version')
    .all();
  checkApplied(applied, migrations, file);
  if (applied.length < migrations.length) {
    throw new AppError(
      'DB_MIGRATION',
      `${file} was written by an earlier OHT-50 Workstation (schema version ${applied.length}) and its folder is read-only: open it once where it can be written, to bring it up to version ${migrations.length}`,
      { details: { file, version: applied.length } },
    );
  }
}

/** The applied migrations must be 1..k, each known to this build and unchanged since it was applied. */
function checkApplied(applied: readonly AppliedRow[], migrations: readonly Migration[], file: string): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  const newest = migrations.length;
  applied.forEach((row, index) => {
    const migration = known.get(row.version);
    if (!migration) {
      throw new AppError(
        'DB_MIGRATION',
        `${file} was written by a newer OHT-50 Workstation (schema version ${row.version}; this version knows up to ${newest}); update the workstation`,
        { details: { file, version: row.version, known: newest } },
      );
    }
    if (row.version !== index + 1) {
      throw new AppError(
        'DB_MIGRATION',
        `${file}: schema history is inconsistent (version ${index + 1} missing before ${row.version})`,
        { details: { file, version: index + 1 } },
      );
    }
    if (row.sha256 !== migrationChecksum(migration)) {
      throw new AppError(
        'DB_MIGRATION',
        `${file}: migration ${row.version} (${row.name}) applied on ${row.applied_at} differs from this version's; refusing to open`,
        { details: { file, version: row.version } },
      );
    }
  });
}

/** A SQLite file with tables but no ledger belongs to something else; migrating it would mix two schemas. */
function refuseForeignDatabase(db: BetterSqlite3.Database, file: string): void {
  const objects = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
    .all()
    .map((row) => row.name);
  if (objects.length > 0 && !objects.includes('schema_migrations')) {
    throw new AppError('DB', `${file} is a SQLite database but not an OHT-50 history database`, {
      details: { file },
    });
  }
}

function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new BugError(`migration ${migration.name} has version ${migration.version}, expected ${index + 1}`);
    }
  });
}
