import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { MIGRATIONS } from '../../../electron/core/history/migrations';
import { migration0001 } from '../../../electron/core/history/migrations/0001_initial';
import { migrationChecksum } from '../../../electron/core/history/migrations/migration';
import { runMigrations } from '../../../electron/core/history/migrations/runMigrations';
import { openHistoryDatabase } from '../../../electron/core/history/openDatabase';
import { catchAppError, useTempDir } from './fixtures';

/** The newest schema version this build knows. */
const LATEST = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

type LedgerRow = { version: number; name: string; sha256: string; applied_at: string };

describe('openHistoryDatabase', () => {
  const temp = useTempDir();

  it('opens in WAL mode with the pragmas set, and the -wal file exists', () => {
    const file = temp.path('history.sqlite');
    const db = temp.track(openHistoryDatabase(file));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(existsSync(`${file}-wal`)).toBe(true);
  });

  it('creates the folder the file goes in', () => {
    const file = join(temp.path('deep'), 'er', 'history.sqlite');
    temp.track(openHistoryDatabase(file));
    expect(existsSync(file)).toBe(true);
  });

  it('applies each migration once, and reopening changes nothing', () => {
    const file = temp.path('history.sqlite');
    const first = openHistoryDatabase(file);
    const ledger = first.prepare<[], LedgerRow>('SELECT * FROM schema_migrations ORDER BY version').all();
    first.close();
    expect(ledger.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(ledger[0]).toMatchObject({ version: 1, name: 'initial', sha256: migrationChecksum(migration0001) });

    const again = temp.track(openHistoryDatabase(file));
    expect(again.prepare('SELECT * FROM schema_migrations ORDER BY version').all()).toEqual(ledger);
    expect(runMigrations(again, MIGRATIONS)).toEqual([]);
    const tables = again
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'units',
        'host_keys',
        'diagnostic_runs',
        'check_results',
        'audit_log',
        'schema_migrations',
      ]),
    );
  });

  it('refuses a file whose applied migration differs from this version (hash changed)', () => {
    const file = temp.path('history.sqlite');
    const db = openHistoryDatabase(file);
    db.prepare("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1").run();
    db.close();
    const error = catchAppError(() => openHistoryDatabase(file), 'DB_MIGRATION');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/migration 1 \(initial\) applied on .* differs/);
    expect(error.message).not.toContain('\n');
  });

  it('refuses to run an edited migration over a file that applied the original', () => {
    const db = temp.track(openHistoryDatabase(temp.path('history.sqlite')));
    const edited = { ...migration0001, sql: `${migration0001.sql}\nCREATE INDEX units_by_host ON units (host);` };
    catchAppError(() => runMigrations(db, [edited]), 'DB_MIGRATION');
  });

  it('treats a CRLF checkout of the same migration as unchanged', () => {
    const db = temp.track(openHistoryDatabase(temp.path('history.sqlite')));
    const crlf = MIGRATIONS.map((m) => ({ ...m, sql: m.sql.replace(/\n/g, '\r\n') }));
    expect(runMigrations(db, crlf)).toEqual([]);
  });

  it('refuses a file written by a newer version of the app', () => {
    const file = temp.path('history.sqlite');
    const db = openHistoryDatabase(file);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, 'future', 'x', '2027-01-01')",
    ).run(LATEST + 1);
    db.close();
    const error = catchAppError(() => openHistoryDatabase(file), 'DB_MIGRATION');
    expect(error.message).toBe(
      `${file} was written by a newer OHT-50 Workstation (schema version ${LATEST + 1}; this version knows up to ${LATEST}); update the workstation`,
    );
  });

  it('refuses a file that is not a database, with a clear error, and leaves it untouched', () => {
    const file = temp.path('notes.sqlite');
    const text = 'shift notes: OHT-07 firmware restarted twice\n'.repeat(100);
    writeFileSync(file, text);
    const error = catchAppError(() => openHistoryDatabase(file), 'DB');
    expect(error.message).toBe(`${file} is not an OHT-50 history database (file is not a database)`);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('refuses a SQLite database that belongs to another application', () => {
    const file = temp.path('other.sqlite');
    const other = new BetterSqlite3(file);
    other.exec('CREATE TABLE contacts (name TEXT)');
    other.close();
    const error = catchAppError(() => openHistoryDatabase(file), 'DB');
    expect(error.message).toBe(`${file} is a SQLite database but not an OHT-50 history database`);
  });

  it('applies each migration in its own transaction: a failing one leaves no trace', () => {
    const db = temp.track(openHistoryDatabase(temp.path('history.sqlite')));
    const broken = {
      version: LATEST + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (a TEXT); INSERT INTO nowhere VALUES (1);',
    };
    const error = catchAppError(() => runMigrations(db, [...MIGRATIONS, broken]), 'DB_MIGRATION');
    expect(error.message).toContain(`migration ${LATEST + 1} (broken) failed: no such table: nowhere`);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(LATEST);
  });

  it('opens an in-memory database for tests', () => {
    const db = temp.track(openHistoryDatabase(':memory:'));
    expect(db.memory).toBe(true);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
  });
});
