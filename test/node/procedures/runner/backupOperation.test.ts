import { describe, expect, it } from 'vitest';

import type { BackupUnitResult } from '../../../../shared/domain/backup';
import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../../shared/domain/unit';
import { backupUnitOperation } from '../../../../electron/core/procedures/operations/backupOperation';
import type { CommandChannel } from '../../../../electron/core/transport/transport';

const unit: Unit = {
  name: 'unit-07',
  host: '192.168.1.100',
  port: 22,
  user: 'orangepi',
  auth: { kind: 'key', keyPath: '/keys/id' },
  profile: DEFAULT_VEHICLE_PROFILE,
  hostKey: null,
  createdAt: '2026-11-28T00:00:00.000Z',
  lastLevel: null,
  lastRunAt: null,
};
const unusedChannel: CommandChannel = { exec: () => Promise.reject(new Error('the backup goes through its feature')) };

function result(overrides: Partial<BackupUnitResult>): BackupUnitResult {
  return {
    unit: 'unit-07',
    status: 'ok',
    backupId: 'b-1',
    files: 120,
    bytes: 5_000_000,
    newBytes: 12_000,
    storedBytes: 4_000,
    skipped: [],
    durationMs: 900,
    warnings: [],
    attachments: [],
    error: null,
    ...overrides,
  };
}

describe('the procedures’ backup.unit step', () => {
  it('plans a read-only backup and says what it reads', () => {
    const plan = backupUnitOperation(() => Promise.resolve(result({}))).plan(unit, { scope: 'config' });
    expect(plan).toMatchObject({ mutating: false, available: true });
    expect(plan.summary).toContain('unit-07');
    expect(plan.summary).toContain('config');
  });

  it('runs the backup as the run’s technician and reports the backup it made', async () => {
    const calls: [string, string][] = [];
    const operation = backupUnitOperation((name, actor) => {
      calls.push([name, actor]);
      return Promise.resolve(result({}));
    });
    const outcome = await operation.run({ unit, channel: unusedChannel, params: {}, actor: 'tech-an' });
    expect(calls).toEqual([['unit-07', 'tech-an']]);
    expect(outcome.ok).toBe(true);
    expect(outcome.message).toContain('b-1');
  });

  it('fails the step with the backup’s own reason when no backup was committed', async () => {
    const operation = backupUnitOperation(() =>
      Promise.resolve(
        result({ status: 'failed', backupId: null, error: { code: 'DISK_FULL', message: 'the disk is full' } }),
      ),
    );
    const outcome = await operation.run({ unit, channel: unusedChannel, params: {}, actor: 'tech-an' });
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain('the disk is full');
  });
});
