import { rm } from 'node:fs/promises';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { diagnosedUnit, type DiagnosedUnit } from '../../support/sshd/diagnoseUnit';
import { startSshd, type SshdFixture } from '../../support/sshd/startSshd';

const RUNNING = { LoadState: 'loaded', ActiveState: 'active', SubState: 'running', UnitFileState: 'enabled' };

/**
 * data.database through a real sshd on a real SQLite file: the real sqlite3 CLI when the machine has it, else (or
 * when it is hidden) the real python3 and its sqlite3 module.
 */
describe('the database check against a real sshd', () => {
  let sshd: SshdFixture;
  let unit: DiagnosedUnit;
  let path: string;

  const database = async () => {
    const { checks } = await unit.diagnose();
    const check = checks.get('data.database');
    if (!check) {
      throw new Error('no data.database check');
    }
    return check;
  };

  beforeAll(async () => {
    sshd = await startSshd();
    unit = await diagnosedUnit(sshd, 'bench-db', { installDir: sshd.installDir, estopGpioPath: sshd.estopGpioPath });
  });
  afterAll(async () => {
    await unit?.close();
    await sshd?.stop();
  });
  beforeEach(async () => {
    await sshd.setService('oht50-backend', RUNNING);
    await sshd.setService('oht50-firmware', RUNNING);
    await sshd.restoreTool('sqlite3');
    await sshd.restoreTool('python3');
    path = await sshd.createDatabase();
  });

  it('is OK for an intact database, and through python3 when sqlite3 is missing', async () => {
    const check = await database();
    expect(check.level).toBe('OK');
    expect(check.message).toMatch(
      new RegExp(`^${path} is intact \\(PRAGMA quick_check: ok, read with (sqlite3|python3)\\)$`),
    );
    await sshd.hideTool('sqlite3');
    const fallback = await database();
    expect(fallback).toMatchObject({
      level: 'OK',
      message: `${path} is intact (PRAGMA quick_check: ok, read with python3)`,
    });
    expect(fallback.evidence).toContain('sh: 1: sqlite3: not found');
  });

  it('is ERROR with the database section when a page is damaged', async () => {
    await sshd.corruptDatabase();
    const check = await database();
    expect(check).toMatchObject({ level: 'ERROR', runbook: 'Troubleshooting › 3. Database Connection Issues' });
    expect(check.message).toMatch(
      new RegExp(`^the backend database ${path} is damaged: .+; restore it from a backup$`),
    );
  });

  it('is ERROR when the file is missing', async () => {
    await rm(path);
    const check = await database();
    expect(check.level).toBe('ERROR');
    expect(check.message).toBe(
      `the backend database ${path} is missing: the backend has no users, settings or history`,
    );
  });

  it('is STALE with the reason when neither sqlite3 nor python3 is there', async () => {
    await sshd.hideTool('sqlite3');
    await sshd.hideTool('python3');
    const check = await database();
    expect(check).toMatchObject({
      level: 'STALE',
      message:
        'the backend database could not be checked: neither sqlite3 nor python3 is installed on the vehicle: nothing can read the database',
    });
  });
});
