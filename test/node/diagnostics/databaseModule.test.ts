import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../shared/domain/unit';
import type { SweepContext } from '../../../electron/core/diagnostics/checkModule';
import {
  databaseCommand,
  databaseModule,
  PYTHON_MARKER,
} from '../../../electron/core/diagnostics/modules/databaseModule';
import type { ProbeOutput } from '../../../electron/core/transport/batch';

const unit: Unit = {
  name: 'oht-7',
  host: '10.0.0.7',
  port: 22,
  user: 'tech',
  auth: { kind: 'key', keyPath: '/keys/id' },
  profile: DEFAULT_VEHICLE_PROFILE,
  hostKey: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLevel: null,
  lastRunAt: null,
};
const context: SweepContext = {
  unit,
  profile: unit.profile,
  thresholds: DEFAULT_THRESHOLDS,
  sentAtMs: 0,
  receivedAtMs: 0,
};
const DB = '/opt/oht50/backend/oht50.db';

function judge(stdout: string, exitCode: number | null = 0, truncated = false) {
  const [check] = databaseModule.judge(
    context,
    new Map([['database.check', { key: 'database.check', stdout, exitCode, truncated } satisfies ProbeOutput]]),
  );
  if (!check) {
    throw new Error('no check');
  }
  return check;
}

describe('data.database probe', () => {
  it('checks the file read-only with sqlite3, falling back to python3, through sudo -n only when it cannot read', () => {
    const [probe] = databaseModule.probes({ unit, profile: unit.profile, thresholds: DEFAULT_THRESHOLDS });
    expect(probe?.key).toBe('database.check');
    expect(probe?.timeoutS).toBe(5);
    const command = databaseCommand(DEFAULT_VEHICLE_PROFILE);
    const check =
      "true </opt/oht50/backend/oht50.db && sqlite3 -readonly -cmd '.timeout 1000' /opt/oht50/backend/oht50.db 'PRAGMA quick_check(20)' || python3 -c '";
    // As the login user when the file is readable, else the same check through sudo -n, marked as such.
    expect(command).toMatch(/^true 2>\/dev\/null <\/opt\/oht50\/backend\/oht50\.db && sh -c '/);
    expect(command).toMatch(/; true 2>\/dev\/null <\/opt\/oht50\/backend\/oht50\.db \|\| sudo -n sh -c '/);
    expect(command).toContain(`'\\''@@ohtw-db read through sudo -n'\\''`);
    expect(command).toContain(check.replaceAll("'", `'\\''`));
    expect(command).toContain('?mode=ro');
    // Only simple command lists: no pipes, substitutions or compound commands.
    expect(command.replaceAll('||', '')).not.toMatch(/\$\(|`|\|/);
    expect(command).not.toMatch(/\b(if|then|fi)\b/);
  });

  it('follows the install folder of the profile', () => {
    expect(databaseCommand({ ...DEFAULT_VEHICLE_PROFILE, installDir: '/srv/oht 50/' })).toContain(
      "'/srv/oht 50/backend/oht50.db'",
    );
  });
});

describe('judging the database', () => {
  it('is OK when quick_check says ok', () => {
    const check = judge('ok');
    expect(check).toMatchObject({ id: 'data.database', level: 'OK' });
    expect(check.message).toBe(`${DB} is intact (PRAGMA quick_check: ok, read with sqlite3)`);
    expect(check.evidence).toMatch(/^\$ true 2>\/dev\/null <\/opt\/oht50.*\nok\n\(exit 0\)$/s);
  });

  it('is OK through python3 when the sqlite3 tool is missing', () => {
    const check = judge(`sh: 1: sqlite3: not found\n${PYTHON_MARKER} 127\nok`);
    expect(check).toMatchObject({ level: 'OK', message: expect.stringContaining('read with python3') });
  });

  it('is ERROR when the file is missing', () => {
    const answer = [
      `sh: 1: cannot open ${DB}: No such file`,
      `${PYTHON_MARKER} 2`,
      'Traceback (most recent call last):',
      '  File "<string>", line 3, in <module>',
      'sqlite3.OperationalError: unable to open database file',
    ].join('\n');
    const check = judge(answer, 1);
    expect(check).toMatchObject({ level: 'ERROR', runbook: 'Troubleshooting › 3. Database Connection Issues' });
    expect(check.message).toBe(`the backend database ${DB} is missing: the backend has no users, settings or history`);
  });

  it('is ERROR when quick_check lists damage (sqlite3 exits 0)', () => {
    const rows = [
      '*** in database main ***',
      'On tree page 6 cell 79: Offset 16961 out of range 176..4092',
      'On tree page 6 cell 44: Rowid 71 out of order',
      'database disk image is malformed',
    ].join('\n');
    const check = judge(rows);
    expect(check.level).toBe('ERROR');
    expect(check.message).toBe(
      `the backend database ${DB} is damaged: On tree page 6 cell 79: Offset 16961 out of range 176..4092 (+2 more); restore it from a backup`,
    );
  });

  it('is ERROR when sqlite3 stops on a malformed image, whatever python3 says after it', () => {
    const answer = [
      '*** in database main ***',
      'Page 3: btreeInitPage() returns error code 11',
      'Error: stepping, database disk image is malformed (11)',
      `${PYTHON_MARKER} 11`,
      'Traceback (most recent call last):',
      'sqlite3.DatabaseError: database disk image is malformed',
    ].join('\n');
    const check = judge(answer, 1);
    expect(check.level).toBe('ERROR');
    expect(check.message).toContain('is damaged: database disk image is malformed (11) (+1 more)');
  });

  it('is ERROR for a file that is not a database, by either tool', () => {
    expect(judge('Error: in prepare, file is not a database (26)', 1).level).toBe('ERROR');
    const python = [
      'sh: 1: sqlite3: not found',
      `${PYTHON_MARKER} 127`,
      'Traceback (most recent call last):',
      '  File "<string>", line 4, in <module>',
      'sqlite3.DatabaseError: file is not a database',
    ].join('\n');
    expect(judge(python, 1).message).toContain('is damaged: file is not a database');
  });

  it('is STALE with the reason when no tool can read it', () => {
    const check = judge('sh: 1: sqlite3: not found\nsh: 1: python3: not found', 127);
    expect(check).toMatchObject({
      level: 'STALE',
      message:
        'the backend database could not be checked: neither sqlite3 nor python3 is installed on the vehicle: nothing can read the database',
    });
  });

  it('is STALE when the file cannot be read, the database is locked, or the check hangs', () => {
    expect(judge(`sh: 1: cannot open ${DB}: Permission denied`, 1).message).toBe(
      `the backend database could not be checked: the login user cannot read ${DB} (Permission denied)`,
    );
    expect(judge('Error: in prepare, database is locked (5)', 1).message).toContain('stayed locked');
    expect(judge('', 124).message).toContain('timed out');
    expect(judge('o', null, true).message).toContain('cut off');
  });

  it('is STALE on garbage', () => {
    const check = judge('Segmentation fault', 139);
    expect(check.level).toBe('STALE');
    expect(check.message).toContain('did not parse');
  });
});
