import type pg from 'pg';

import { AppError } from '../../../../shared/errors/AppError';
import { migrationChecksum, type Migration } from '../../history/migrations/migration';
import { checkApplied, type AppliedRow } from '../../history/migrations/runMigrations';

const LEDGER = `
CREATE TABLE IF NOT EXISTS ohtw_schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  sha256 text NOT NULL,
  applied_at text NOT NULL
)`;

/** Two laptops joining at once must not both migrate: one waits for the other behind this lock. */
const MIGRATION_LOCK = 0x6f6874_01;

/**
 * Brings the team server's schema up to this build's, under the same rules as the laptop's history: what was applied
 * must be this build's first migrations, each unchanged (by SHA-256), and a server migrated by a newer build is
 * refused. All in one transaction under an advisory lock. Returns the versions applied now.
 */
export async function migrateServer(
  client: pg.Client,
  migrations: readonly Migration[],
  where: string,
  now: () => string,
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(LEDGER);
    const applied = (
      await client.query<AppliedRow>(
        'SELECT version, name, sha256, applied_at FROM ohtw_schema_migrations ORDER BY version',
      )
    ).rows;
    checkApplied(applied, migrations, where);
    const done = new Set(applied.map((row) => row.version));
    const appliedNow: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) {
        continue;
      }
      await client.query(migration.sql);
      await client.query(
        'INSERT INTO ohtw_schema_migrations (version, name, sha256, applied_at) VALUES ($1, $2, $3, $4)',
        [migration.version, migration.name, migrationChecksum(migration), now()],
      );
      appliedNow.push(migration.version);
    }
    await client.query('COMMIT');
    return appliedNow;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof AppError) {
      throw error;
    }
    throw new AppError('DB_MIGRATION', `${where}: migrating the team server failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
