import { describe, expect, it } from 'vitest';

import { DEFAULT_VEHICLE_PROFILE, type Unit } from '../../../../shared/domain/unit';
import type { BusInfo, ScanResultView } from '../../../../shared/ipc/contracts/rs485';
import type { RestoreRecordView } from '../../../../electron/core/backup/restore/latestRestore';
import { restoreHandOverOperation } from '../../../../electron/core/procedures/operations/restoreOperation';
import { rs485ScanOperation } from '../../../../electron/core/procedures/operations/rs485ScanOperation';
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
/** Both steps hand over to another feature: neither may send a command to the unit itself. */
const noChannel: CommandChannel = { exec: () => Promise.reject(new Error('a hand-over sends nothing to the unit')) };
const context = (params: Record<string, number | string> = {}) => ({ unit, channel: noChannel, params, actor: 'an' });

function restore(overrides: Partial<RestoreRecordView>): RestoreRecordView {
  return {
    transactionId: 't-1',
    backupId: 'b-0',
    startedAt: '2026-12-07T10:05:00.000Z',
    startedBy: 'an',
    finishedAt: '2026-12-07T10:06:00.000Z',
    result: 'committed',
    reason: null,
    phases: [{ phase: 'commit', status: 'ok', detail: 'committed' }],
    ...overrides,
  };
}

describe('the restore step: a hand-over to the restore wizard', () => {
  const records = (latest: RestoreRecordView | null) =>
    restoreHandOverOperation({
      latestBackupAt: () => Promise.resolve('2026-12-07T10:00:00.000Z'),
      latestRestore: () => latest,
    });

  it('says it sends nothing and records the wizard restore', () => {
    const plan = records(null).plan(unit, { scope: 'data' });
    expect(plan).toMatchObject({ mutating: false, available: true, commands: [] });
    expect(plan.summary).toContain('restore wizard');
  });

  it('waits, saying what to do, while no restore followed the safety backup', async () => {
    for (const latest of [null, restore({ startedAt: '2026-12-06T09:00:00.000Z' })]) {
      const done = await records(latest).run(context({ scope: 'data' }));
      expect(done.ok).toBe(false);
      expect(done.message).toMatch(/^no restore of unit-07 since its latest backup .*restore wizard/);
    }
  });

  it('takes a committed restore as its evidence, and not a rolled-back one', async () => {
    const ok = await records(restore({})).run(context());
    expect(ok).toMatchObject({ ok: true, message: 'unit-07 was restored from backup b-0 (restore t-1, committed)' });
    expect(ok.output).toContain('commit: ok: committed');
    const back = await records(restore({ result: 'rolled-back', reason: 'health gate failed' })).run(context());
    expect(back.ok).toBe(false);
    expect(back.message).toMatch(/ended rolled-back: health gate failed/);
  });
});

describe('the bus scan step: the Bus page scan on the adapter open there', () => {
  const bus = (port: string): BusInfo =>
    ({ busId: `bus-${port}`, port, scanning: false, monitorId: null, simId: null }) as unknown as BusInfo;
  const scanned: ScanResultView = {
    busId: 'bus-/dev/ttyUSB0',
    port: '/dev/ttyUSB0',
    baud: 115200,
    from: 1,
    to: 16,
    durationMs: 640,
    probeTimeoutMs: 40,
    thorough: false,
    cancelled: false,
    modules: [],
    expectedMissing: [{ address: 3, moduleType: 'safety' }],
    suspects: [],
  };
  const scans: [string, number, number][] = [];
  const operation = (buses: BusInfo[]) =>
    rs485ScanOperation({
      buses: () => Promise.resolve(buses),
      scan: (busId, from, to) => {
        scans.push([busId, from, to]);
        return Promise.resolve(scanned);
      },
    });

  it('scans nothing with no bus open, or several, and says which to open or release', async () => {
    const none = await operation([]).run(context({ from: 1, to: 16 }));
    expect(none).toMatchObject({ ok: false });
    expect(none.message).toMatch(/^no RS485 bus is open on this laptop/);
    const two = await operation([bus('/dev/ttyUSB0'), bus('/dev/ttyUSB1')]).run(context());
    expect(two.message).toMatch(/several RS485 buses are open \(\/dev\/ttyUSB0, \/dev\/ttyUSB1\)/);
    expect(scans).toEqual([]);
  });

  it('scans the one open bus over the step range and says who stayed silent', async () => {
    const done = await operation([bus('/dev/ttyUSB0')]).run(context({ from: 1, to: 16 }));
    expect(scans).toEqual([['bus-/dev/ttyUSB0', 1, 16]]);
    expect(done).toMatchObject({
      ok: true,
      message: '0 module(s) answered on /dev/ttyUSB0; 1 expected module(s) silent',
    });
    expect(done.output).toContain('0x03 safety: expected, did not answer');
  });
});
