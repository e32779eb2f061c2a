import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../../electron/cli/main';
import { startSimFleet, type SimFleet, type SimUnitInfo } from '../../../electron/sim/SimServer';
import { captureIo } from '../../support/cli/captureIo';

/** `ohtw diagnose` and `ohtw history` tell what changed between sweeps of a simulated unit. */
describe('ohtw tells what changed', () => {
  const io = captureIo();
  let dir: string;
  let sim: SimFleet;
  let unit: SimUnitInfo;
  const run = async (...argv: string[]): Promise<number> => {
    io.reset();
    return runCli([...argv, '--data-dir', join(dir, 'data')], io);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ohtw-changes-cli-'));
    sim = await startSimFleet({ count: 1, stateDir: join(dir, 'sim') });
    unit = sim.units[0]!;
  });

  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the changes under the second report, keeps --json as it was, and lists them per run', async () => {
    const name = unit.name;
    expect(
      await run(
        'units',
        'add',
        name,
        '--host',
        unit.host,
        '--port',
        String(unit.port),
        '--user',
        unit.user,
        '--key',
        unit.clientKeyPath,
      ),
    ).toBe(0);
    expect(await run('units', 'trust', name, '--fingerprint', unit.hostKeyFingerprint)).toBe(0);

    expect(await run('diagnose', name)).toBe(0);
    expect(io.stdout()).not.toContain('Since the previous sweep');

    unit.vehicle.crashService('firmware');
    expect(await run('diagnose', name)).toBe(2);
    const text = io.stdout();
    expect(text).toMatch(/\nSince the previous sweep \(\d{4}-\d\d-\d\d \d\d:\d\d\):\n/);
    expect(text).toContain('  - services.firmware OK → ERROR: oht50-firmware has failed');
    expect(text).toMatch(/ {2}- oht50-firmware restarted 1 time since the previous sweep \(\d+ s earlier\)/);
    expect(io.stderr()).toBe('');

    // Restarted by hand: systemd's counter starts again at 0, and the day still counts the crash.
    unit.vehicle.restartService('firmware');
    expect(await run('diagnose', name, '--json')).toBe(0);
    expect(Object.keys(JSON.parse(io.stdout()) as object).sort()).toEqual([
      'checks',
      'durationMs',
      'findings',
      'level',
      'runId',
      'startedAt',
      'unit',
    ]);

    expect(await run('history', name)).toBe(0);
    const lines = io.stdout().trimEnd().split('\n');
    // Newest first: the restart, the crash, the first run; each run's changes beneath it, at most three lines.
    const diagnoses = lines.flatMap((line, i) => (/ diagnosis /.test(line) ? [i] : []));
    expect(diagnoses).toHaveLength(3);
    const [third, second, first] = diagnoses as [number, number, number];
    expect(lines.slice(third + 1, third + 4)).toEqual([
      expect.stringMatching(/^ {4}↳ services\.firmware ERROR → OK: oht50-firmware is running/),
      expect.stringMatching(/^ {4}↳ oht50-firmware was started again by hand, or the vehicle rebooted, since the/),
      expect.stringMatching(/^ {4}↳ oht50-firmware restarted 1 time in the last 24 h \(3 sweeps\)$/),
    ]);
    expect(lines.slice(second + 1, second + 3)).toEqual([
      expect.stringMatching(/^ {4}↳ services\.firmware OK → ERROR: oht50-firmware has failed/),
      expect.stringMatching(/^ {4}↳ oht50-firmware restarted 1 time since the previous sweep/),
    ]);
    // Between the crash and the first run: its changes (three and "… more" at most) and the findings it made.
    const between = lines.slice(second + 1, first);
    expect(between.filter((line) => line.includes('↳')).length).toBeLessThanOrEqual(4);
    const notChanges = between.filter(
      (line) => !line.includes('↳') && !/ finding +(ERROR|WARN) +.* New finding /.test(line),
    );
    expect(notChanges).toEqual([]);
    expect(lines.slice(first + 1).every((line) => !line.includes('↳'))).toBe(true);

    expect(await run('history', name, '--json')).toBe(0);
    expect(JSON.stringify(JSON.parse(io.stdout()))).not.toContain('restarted 1 time since');
  });
});
