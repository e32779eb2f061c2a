import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  BackupLocations,
  laptopLocation,
  locationOfTarget,
} from '../../../../electron/core/backup/replica/backupLocations';
import { ReplicaService } from '../../../../electron/core/backup/replica/ReplicaService';
import type { BackupStore } from '../../../../electron/core/backup/store/BackupStore';
import type { AuditInput } from '../../../../electron/core/history/auditRecord';
import type { HistoryRepository } from '../../../../electron/core/history/HistoryRepository';
import { openHistoryDatabase, type Database } from '../../../../electron/core/history/openDatabase';
import { fixedClock } from '../../../../electron/core/ports/Clock';
import type { SettingsStore } from '../../../../electron/core/settings/SettingsStore';
import { createCapturingLogger } from '../../../support/fakes/captureLogger';
import {
  createHarness,
  dirEntry,
  fileEntry,
  PROFILE,
  seededBytes,
  streamOf,
  type Harness,
} from '../store/storeHarness';

async function backUp(store: BackupStore, unit: string): Promise<string> {
  const firmware = seededBytes(`fw-${unit}`, 40 * 1024);
  const writer = await store.beginBackup({ unit, profile: PROFILE, kind: 'backup' });
  await writer.addFile(dirEntry('/opt/oht50'));
  await writer.addFile(fileEntry('/opt/oht50/firmware/main', firmware.length), streamOf(firmware));
  return (await writer.commit()).id;
}

describe('where a backup lives, recorded by each push and pull', () => {
  let root: string;
  let db: Database;
  let harness: Harness;
  let store: BackupStore;
  let audit: AuditInput[];
  let locations: BackupLocations;
  let service: ReplicaService;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ohtw-locations-'));
    db = openHistoryDatabase(join(root, 'history.sqlite'));
    harness = await createHarness();
    store = await harness.open();
    audit = [];
    locations = new BackupLocations(db, fixedClock(Date.parse('2026-12-07T08:00:00Z'), 60_000));
    service = new ReplicaService({
      history: { appendAudit: (entry: AuditInput) => audit.push(entry) } as unknown as HistoryRepository,
      settings: {
        getReplica: () => ({ target: null, keyPath: null, hostKeys: {} }),
      } as unknown as SettingsStore,
      logger: createCapturingLogger().logger,
      store: async () => store,
      locations,
    });
  });
  afterEach(async () => {
    db.close();
    await harness.cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('records the pushed backups at the target once, queued for the team server until it has them', async () => {
    const target = join(root, 'usb');
    await mkdir(target);
    const first = await backUp(store, 'unit-07');
    await service.push({ target }, undefined, 'Nguyen Van A');

    expect(locations.where(first)).toEqual([
      { backupId: first, location: target, unit: 'unit-07', recordedAt: '2026-12-07T08:00:00.000Z', deviceId: null },
    ]);
    expect(locations.unpushed(10)).toHaveLength(1);
    locations.markPushed(locations.unpushed(10));
    expect(locations.unpushed(10)).toEqual([]);

    // A second push finds the backup already there: still there, nothing new to queue.
    expect(await service.push({ target }, undefined, 'Nguyen Van A')).toMatchObject({ alreadyThereIds: [first] });
    expect(locations.unpushed(10)).toEqual([]);
    expect(locations.where(first)).toHaveLength(1);

    const second = await backUp(store, 'unit-07');
    await service.push({ target }, 'unit-07', 'Nguyen Van A');
    expect(locations.where('unit-07').map((l) => l.backupId)).toEqual([second, first]);
    expect(locations.unpushed(10).map((l) => l.backupId)).toEqual([second]);
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([
      ['backup.push', 'ok'],
      ['backup.push', 'ok'],
      ['backup.push', 'ok'],
    ]);
  });

  it('records a pulled backup as held by this laptop', async () => {
    const target = join(root, 'nas');
    await mkdir(target);
    const id = await backUp(store, 'unit-12');
    await service.push({ target }, undefined, 'Nguyen Van A');

    // Another laptop's store pulls it: this laptop now holds it.
    const other = await createHarness();
    try {
      const otherStore = await other.open();
      store = otherStore;
      await service.pull({ target }, id, 'Tran Thi B');
    } finally {
      await other.cleanup();
    }
    const device = db.prepare<[], string>('SELECT device_id FROM device').pluck().get() ?? '';
    expect(locations.where(id).map((l) => l.location)).toEqual([laptopLocation(device), target]);
  });

  it('records nothing for a failed push', async () => {
    await backUp(store, 'unit-07');
    // No SSH key set: the push fails before it copies anything.
    await expect(service.push({ target: 'sftp://tech@127.0.0.1:1/x' }, undefined, 'A')).rejects.toThrow(/SSH key/);
    expect(locations.where('unit-07')).toEqual([]);
    expect(audit.at(-1)).toMatchObject({ action: 'backup.push', outcome: 'failed' });
  });

  it('stores a target without any password', () => {
    expect(locationOfTarget('sftp://tech:hunter2@nas.local:2222/backups')).toBe('sftp://tech@nas.local:2222/backups');
    expect(locationOfTarget('sftp://tech@nas.local/backups')).toBe('sftp://tech@nas.local/backups');
    expect(locationOfTarget('/media/usb/oht')).toBe('/media/usb/oht');
    expect(locationOfTarget('sftp://tech:p@ss@[bad')).not.toContain('p@ss');
  });

  it("keeps the newer of two pulled records of one place, and shows this laptop's own beside the team's", () => {
    locations.applyPulled([
      { backupId: 'b1', location: '/nas', unit: 'u1', recordedAt: '2026-12-07T09:00:00.000Z', deviceId: 'dev-b' },
    ]);
    locations.applyPulled([
      { backupId: 'b1', location: '/nas', unit: 'u1', recordedAt: '2026-12-07T08:00:00.000Z', deviceId: 'dev-c' },
      {
        backupId: 'b1',
        location: 'laptop:dev-c',
        unit: 'u1',
        recordedAt: '2026-12-07T08:00:00.000Z',
        deviceId: 'dev-c',
      },
    ]);
    expect(locations.where('u1').map((l) => [l.location, l.deviceId])).toEqual([
      ['/nas', 'dev-b'],
      ['laptop:dev-c', 'dev-c'],
    ]);
  });
});
