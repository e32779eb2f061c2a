import { describe, expect, it } from 'vitest';

import { databaseCommand, databaseModule } from '../../../electron/core/diagnostics/modules/databaseModule';
import { DEFAULT_VEHICLE_PROFILE } from '../../../shared/domain/unit';
import type { SimVehicle } from '../../../electron/sim/SimVehicle';
import { simRun as run, simVehicle, sweepOne } from '../../support/sim/simSweep';

const DB = '/opt/oht50/backend/oht50.db';
const vehicle = (): SimVehicle => simVehicle();
const database = (v: SimVehicle) => sweepOne(v, databaseModule);

describe('the simulated backend database', () => {
  it('is a file the shell can open and sqlite3 finds intact', async () => {
    const v = vehicle();
    expect(run(v, `sqlite3 -readonly ${DB} 'PRAGMA integrity_check'`)).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
    expect(run(v, 'sqlite3 -version').stdout).toMatch(/^3\.37\.2 /);
    expect(await database(v)).toMatchObject({
      id: 'data.database',
      level: 'OK',
      message: `${DB} is intact (PRAGMA quick_check: ok, read with sqlite3)`,
    });
  });

  it('corruptDatabase: quick_check lists the damage and the backend starts logging errors; ERROR', async () => {
    const v = vehicle();
    v.corruptDatabase();
    const rows = run(v, `sqlite3 -readonly ${DB} 'PRAGMA quick_check(2)'`).stdout.trim().split('\n');
    expect(rows).toEqual([
      '*** in database main ***',
      'On tree page 14 cell 7: Rowid 5567 out of order',
      'On tree page 14 cell 6: Offset 16961 out of range 176..4092',
    ]);
    expect(run(v, 'sudo journalctl -u oht50-backend -o cat -n 1').stdout).toBe(
      'sqlite3.DatabaseError: database disk image is malformed\n',
    );
    const check = await database(v);
    expect(check).toMatchObject({ level: 'ERROR', runbook: 'Troubleshooting › 3. Database Connection Issues' });
    expect(check.message).toBe(
      `the backend database ${DB} is damaged: On tree page 14 cell 7: Rowid 5567 out of order (+5 more); restore it from a backup`,
    );
    expect(check.evidence).toContain('Page 31: btreeInitPage() returns error code 11');
  });

  it('a missing file is ERROR; sqlite3 -readonly never creates it', async () => {
    const v = vehicle();
    delete v.state.files[DB];
    expect(run(v, `sqlite3 -readonly ${DB} 'PRAGMA quick_check'`)).toMatchObject({
      exitCode: 1,
      stderr: `Error: unable to open database "${DB}": unable to open database file\n`,
    });
    expect(v.state.files[DB]).toBeUndefined();
    const check = await database(v);
    expect(check).toMatchObject({ level: 'ERROR' });
    expect(check.message).toContain('is missing');
    expect(check.evidence).toContain(`sh: 1: cannot open ${DB}: No such file`);
  });

  it('a file that is not a database is ERROR, a locked one STALE', async () => {
    const v = vehicle();
    v.state.files[DB] = '<html>proxy error</html>';
    expect((await database(v)).message).toContain('is damaged: file is not a database (26)');
    v.state.files[DB] = vehicle().state.files[DB] ?? '';
    v.state.database.lockedByWriter = true;
    expect(await database(v)).toMatchObject({ level: 'STALE', message: expect.stringContaining('locked') });
  });

  it('without sqlite3 (and python3, which the simulator does not have) the check is STALE with the reason', async () => {
    const v = vehicle();
    v.removeProgram('sqlite3');
    const answer = run(v, databaseCommand(DEFAULT_VEHICLE_PROFILE));
    // The list ends with the readability test that decides against sudo: the file was readable.
    expect(answer.exitCode).toBe(0);
    expect(answer.stderr).toBe('sh: 1: sqlite3: not found\nsh: 1: python3: not found\n');
    expect(await database(v)).toMatchObject({
      level: 'STALE',
      message:
        'the backend database could not be checked: neither sqlite3 nor python3 is installed on the vehicle: nothing can read the database',
    });
  });
});
