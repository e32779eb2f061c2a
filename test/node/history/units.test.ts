import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { DEFAULT_VEHICLE_PROFILE } from '../../../shared/domain/unit';
import {
  catchAppError,
  check,
  FINGERPRINT_A,
  FINGERPRINT_B,
  openRepo,
  sampleReport,
  sampleUnit,
  useTempDir,
} from './fixtures';

describe('units in the history', () => {
  const temp = useTempDir();

  it('adds, reads, lists by name, updates the profile of and removes units', () => {
    const { repo } = openRepo(temp);
    repo.addUnit(sampleUnit('OHT-07'));
    repo.addUnit(sampleUnit('OHT-02', { auth: { kind: 'password', passwordEnv: 'OHT02_PASSWORD' }, port: 2222 }));
    repo.addUnit(sampleUnit('OHT-10'));

    expect(repo.getUnit('OHT-02')).toEqual(
      sampleUnit('OHT-02', { auth: { kind: 'password', passwordEnv: 'OHT02_PASSWORD' }, port: 2222 }),
    );
    expect(repo.listUnits().map((u) => u.name)).toEqual(['OHT-02', 'OHT-07', 'OHT-10']);

    const newer = {
      ...DEFAULT_VEHICLE_PROFILE,
      backendService: 'oht50',
      firmwareService: 'oht50',
      variant: 'newer' as const,
      detected: true,
    };
    repo.updateProfile('OHT-07', newer);
    expect(repo.getUnit('OHT-07')?.profile).toEqual(newer);

    expect(repo.removeUnit('OHT-07')).toBe(true);
    expect(repo.removeUnit('OHT-07')).toBe(false);
    expect(repo.getUnit('OHT-07')).toBeUndefined();
    expect(repo.listUnits().map((u) => u.name)).toEqual(['OHT-02', 'OHT-10']);
  });

  it('refuses a second unit with the same name', () => {
    const { repo } = openRepo(temp);
    repo.addUnit(sampleUnit('OHT-07'));
    const error = catchAppError(() => repo.addUnit(sampleUnit('OHT-07', { host: '10.0.0.7' })), 'ALREADY_EXISTS');
    expect(error.message).toBe('unit OHT-07 already exists');
    expect(repo.getUnit('OHT-07')?.host).toBe('oht-07.fleet.local');
  });

  it('says NOT_FOUND when updating or pinning a unit that does not exist', () => {
    const { repo } = openRepo(temp);
    expect(catchAppError(() => repo.updateProfile('OHT-99', DEFAULT_VEHICLE_PROFILE), 'NOT_FOUND').message).toBe(
      'unit OHT-99 not found',
    );
    catchAppError(
      () => repo.pinHostKey('OHT-99', { algorithm: 'ssh-ed25519', fingerprint: FINGERPRINT_A }),
      'NOT_FOUND',
    );
  });

  it('pins a host key, and a new pin replaces the old one', () => {
    const { repo, db } = openRepo(temp);
    repo.addUnit(sampleUnit('OHT-07'));
    const first = repo.pinHostKey('OHT-07', { algorithm: 'ssh-rsa', fingerprint: FINGERPRINT_A });
    expect(repo.getUnit('OHT-07')?.hostKey).toEqual(first);

    const second = repo.pinHostKey('OHT-07', { algorithm: 'ssh-ed25519', fingerprint: FINGERPRINT_B });
    expect(second.pinnedAt > first.pinnedAt).toBe(true);
    expect(repo.getUnit('OHT-07')?.hostKey).toEqual({
      algorithm: 'ssh-ed25519',
      fingerprint: FINGERPRINT_B,
      pinnedAt: second.pinnedAt,
    });
    expect(db.prepare('SELECT count(*) FROM host_keys').pluck().get()).toBe(1);
  });

  it('stores the pin a new unit arrives with, and forgets it with the unit', () => {
    const { repo, db } = openRepo(temp);
    const hostKey = { algorithm: 'ssh-ed25519', fingerprint: FINGERPRINT_A, pinnedAt: '2026-11-01T10:00:00.000Z' };
    repo.addUnit(sampleUnit('OHT-07', { hostKey }));
    expect(repo.getUnit('OHT-07')?.hostKey).toEqual(hostKey);
    repo.removeUnit('OHT-07');
    expect(db.prepare('SELECT count(*) FROM host_keys').pluck().get()).toBe(0);
    repo.addUnit(sampleUnit('OHT-07'));
    expect(repo.getUnit('OHT-07')?.hostKey).toBeNull();
  });

  it('reports the level and time of the newest run, whatever order runs were saved in', () => {
    const { repo } = openRepo(temp);
    repo.addUnit(sampleUnit('OHT-07'));
    expect(repo.getUnit('OHT-07')).toMatchObject({ lastLevel: null, lastRunAt: null });
    repo.saveDiagnosis(sampleReport('OHT-07', '2026-11-28T09:00:00.000Z', [check('services', 'ERROR')]));
    repo.saveDiagnosis(sampleReport('OHT-07', '2026-11-28T07:00:00.000Z', [check('services', 'OK')]));
    repo.saveDiagnosis(sampleReport('OHT-08', '2026-11-28T10:00:00.000Z', [check('services', 'WARN')]));
    expect(repo.getUnit('OHT-07')).toMatchObject({ lastLevel: 'ERROR', lastRunAt: '2026-11-28T09:00:00.000Z' });
    expect(repo.listUnits()[0]).toMatchObject({ name: 'OHT-07', lastLevel: 'ERROR' });
  });

  it('turns a damaged unit row into a DB error naming the file and the unit', () => {
    const { repo, file } = openRepo(temp);
    repo.addUnit(sampleUnit('OHT-07'));
    const raw = new BetterSqlite3(file);
    raw.prepare(`UPDATE units SET profile_json = '{"variant":"hovercraft"}' WHERE name = 'OHT-07'`).run();
    raw.close();
    const error = catchAppError(() => repo.getUnit('OHT-07'), 'DB');
    expect(error.message).toMatch(new RegExp(`^${file}: the profile of unit OHT-07 is unreadable \\(.+\\)$`));
    catchAppError(() => repo.listUnits(), 'DB');
  });
});
