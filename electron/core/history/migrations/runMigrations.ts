import type BetterSqlite3 from 'better-sqlite3';

import { AppError, BugError } from '../../../../shared/errors/AppError';
import { errorMessage } from '../dbErrors';
import { migrationChecksum, type Migration } from './migration';

export type AppliedRow = { version: number; name: string; sha256: string; applied_at: string };

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
      `${file} was written by an earlier OHT-50 Workstation (schema version ${applied[applied.length - 1]?.version ?? 0}) and its folder is read-only: open it once where it can be written, to bring it up to version ${migrations[migrations.length - 1]?.version ?? 0}`,
      { details: { file, version: applied[applied.length - 1]?.version ?? 0 } },
    );
  }
}

/**
 * The applied migrations must be the first k of this build's list, in order, each unchanged since it was applied.
 * Versions only increase; a number may be left out of the list (reserved for a change made elsewhere), but the
 * list a file was migrated by must be a prefix of this build's.
 */
export function checkApplied(applied: readonly AppliedRow[], migrations: readonly Migration[], file: string): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  const newest = migrations[migrations.length - 1]?.version ?? 0;
  applied.forEach((row, index) => {
    const migration = known.get(row.version);
    if (!migration) {
      throw new AppError(
        'DB_MIGRATION',
        row.version > newest
          ? `${file} was written by a newer OHT-50 Workstation (schema version ${row.version}; this version knows up to ${newest}); update the workstation`
          : `${file}: schema version ${row.version} is not one this version knows; refusing to open`,
        { details: { file, version: row.version, known: newest } },
      );
    }
    const expected = migrations[index];
    if (expected && row.version !== expected.version) {
      throw new AppError(
        'DB_MIGRATION',
        `${file}: schema history is inconsistent (version ${expected.version} missing before ${row.version})`,
        { details: { file, version: expected.version } },
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
    const previous = index === 0 ? 0 : (migrations[index - 1]?.version ?? 0);
    if (!Number.isSafeInteger(migration.version) || migration.version <= previous) {
      throw new BugError(
        `migration ${migration.name} has version ${migration.version}, expected a number above ${previous}`,
      );
    }
  });
}
