import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { exitCodeForLevel, type CheckResult, type DiagnosisReport } from '../../../shared/domain/health';
import { runCli } from '../../../electron/cli/main';
import { parseSimFaults } from '../../../electron/cli/commands/rs485Doctor';
import { createCore } from '../../../electron/core/createCore';
import { silentLogger } from '../../../electron/core/ports/Logger';
import { startSimFleet, type SimFleet, type SimUnitInfo } from '../../../electron/sim/SimServer';
import { captureIo, type CapturedIo } from '../../support/cli/captureIo';
import { assertSocat } from '../../support/rs485/requirements';

const FAST = ['--timeout', '300', '--retries', '1', '--gap', '2'];

function find(checks: readonly CheckResult[], id: string): CheckResult | undefined {
  for (const check of checks) {
    if (check.id === id) {
      return check;
    }
    const inner = find(check.children ?? [], id);
    if (inner) {
      return inner;
    }
  }
  return undefined;
}

/** The checks below OK that have no children (the leaves that set the level). */
function notOk(checks: readonly CheckResult[]): CheckResult[] {
  return checks.flatMap((c) => (c.children?.length ? notOk(c.children) : c.level === 'OK' ? [] : [c]));
}

/** `ohtw rs485 sim` in the background: its port, and how to end it. */
async function startSimCli(...faults: string[]): Promise<{ port: string; io: CapturedIo; done: Promise<number> }> {
  const io = captureIo();
  const done = runCli(['rs485', 'sim', '--json', ...faults.flatMap((f) => ['--fault', f])], io);
  const deadline = Date.now() + 10_000;
  while (!io.stdout().includes('\n')) {
    if (Date.now() > deadline) {
      io.stop();
      throw new Error(`ohtw rs485 sim printed nothing: ${io.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const printed = JSON.parse(io.stdout()) as { port: string };
  return { port: printed.port, io, done };
}

describe('ohtw rs485 diagnose, stop-firmware and sim', () => {
  let dir: string;
  let dataDir: string;
  let io: CapturedIo;
  const run = async (...argv: string[]): Promise<number> => {
    io = captureIo();
    return runCli([...argv, '--data-dir', dataDir], io);
  };

  beforeAll(async () => {
    assertSocat();
    dir = await mkdtemp(join(tmpdir(), 'ohtw-rs485-doctor-'));
    dataDir = join(dir, 'data');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the trainer’s faults, and refuses what it does not know', async () => {
    expect(parseSimFaults(['estop', 'low-battery', 'missing:dock', 'noise:4:travel', 'slow:power:80'])).toEqual({
      estopPressed: true,
      lowBattery: true,
      missing: ['dock'],
      noise: { everyNth: 4, modules: ['travel'] },
      slowMs: { power: 80 },
    });
    expect(await run('rs485', 'sim', '--fault', 'flood')).toBe(64);
    expect(io.stderr()).toMatch(/unknown --fault "flood"/);
    expect(await run('rs485', 'sim', '--fault', 'slow:lifter:5')).toBe(64);
    expect(await run('rs485', 'diagnose')).toBe(64);
    expect(io.stderr()).toMatch(/--port PATH is required/);
    expect(await run('rs485', 'stop-firmware')).toBe(64);
    expect(io.stderr()).toMatch(/--unit NAME is required/);
  });

  it('exits 0 on a healthy bus, 2 on a flat battery, 2 with a pressed E-Stop beside a missing module; the JSON is the report', async () => {
    const healthy = await startSimCli();
    try {
      const code = await run('rs485', 'diagnose', '--port', healthy.port, '--json', ...FAST);
      const report = JSON.parse(io.stdout()) as DiagnosisReport;
      expect(report.unit).toBe(`rs485 ${healthy.port}`);
      expect(code).toBe(exitCodeForLevel(report.level));
      // A busy test machine may make a reply late; anything else must be OK on a bus without faults.
      expect(notOk(report.checks).filter((c) => !/\.line$/.test(c.id))).toEqual([]);
      expect(code === 0 || notOk(report.checks).every((c) => c.message.includes('slow:'))).toBe(true);
      // The same bus again, as text: OK, or WARN where a busy machine made a reply late this time.
      expect([0, 1]).toContain(await run('rs485', 'diagnose', '--port', healthy.port, ...FAST));
      expect(io.stdout()).toMatch(new RegExp(`^rs485 ${healthy.port} {2}(OK|WARN)`));
    } finally {
      healthy.io.stop();
      expect(await healthy.done).toBe(0);
    }

    const flat = await startSimCli('low-battery');
    try {
      expect(await run('rs485', 'diagnose', '--port', flat.port, '--json', ...FAST)).toBe(2);
      const report = JSON.parse(io.stdout()) as DiagnosisReport;
      expect(report.level).toBe('ERROR');
      expect(find(report.checks, 'rs485.offline.power')?.level).toBe('ERROR');
    } finally {
      flat.io.stop();
      await flat.done;
    }

    const missing = await startSimCli('estop', 'missing:dock');
    try {
      // The missing module could not be judged; the pressed E-Stop could, and it is not hidden behind it.
      expect(await run('rs485', 'diagnose', '--port', missing.port, '--json', ...FAST)).toBe(2);
      const report = JSON.parse(io.stdout()) as DiagnosisReport;
      expect(find(report.checks, 'rs485.offline.dock.presence')?.level).toBe('STALE');
      expect(find(report.checks, 'rs485.offline.safety.estop')?.level).toBe('ERROR');
    } finally {
      missing.io.stop();
      await missing.done;
    }
  });

  it('fails with one clear line for a port that is not there', async () => {
    expect(await run('rs485', 'diagnose', '--port', join(dir, 'no-such-tty'))).toBe(1);
    expect(io.stderr()).toMatch(/^ohtw: .*no-such-tty/);
    expect(io.stdout()).toBe('');
  });

  describe('with a unit whose firmware runs', () => {
    let fleet: SimFleet;
    let unit: SimUnitInfo;

    beforeAll(async () => {
      fleet = await startSimFleet({ count: 1, stateDir: join(dir, 'fleet') });
      unit = fleet.units[0]!;
      expect(
        await run(
          'units',
          'add',
          unit.name,
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
      expect(await run('units', 'trust', unit.name, '--fingerprint', unit.hostKeyFingerprint)).toBe(0);
    });

    afterAll(async () => {
      await fleet?.close();
    });

    it('warns of the second master, keeps the report in the unit history, and gates the firmware stop', async () => {
      const sim = await startSimCli();
      try {
        expect(await run('rs485', 'diagnose', '--port', sim.port, '--unit', unit.name, '--json', ...FAST)).toBe(1);
        const report = JSON.parse(io.stdout()) as DiagnosisReport;
        expect(report.unit).toBe(unit.name);
        expect(report.checks[0]).toMatchObject({ id: 'rs485.offline.master', level: 'WARN' });
        expect(io.stderr()).toContain(`ohtw rs485 stop-firmware --unit ${unit.name} --yes`);
        const core = await createCore({ dataDir, face: 'cli', logger: silentLogger });
        try {
          expect(core.history.getDiagnosis(report.runId)?.unit).toBe(unit.name);
        } finally {
          await core.close();
        }

        expect(await run('rs485', 'stop-firmware', '--unit', unit.name)).toBe(64);
        expect(io.stdout()).toMatch(/^Stop oht50-firmware on sim-01: sudo systemctl stop oht50-firmware/);
        expect(io.stdout()).toMatch(/cannot move or dock/);
        expect(io.stderr()).toMatch(/refusing to stop oht50-firmware on sim-01 without --yes; nothing stopped/);
        expect(unit.vehicle.service('firmware').activeState).toBe('active');

        expect(await run('rs485', 'stop-firmware', '--unit', unit.name, '--yes')).toBe(0);
        expect(io.stdout()).toMatch(/^Done: oht50-firmware stopped on sim-01/);
        expect(io.stdout()).toContain('When the work on the bus is done: sudo systemctl start oht50-firmware');
        expect(unit.vehicle.service('firmware').activeState).not.toBe('active');

        expect(await run('rs485', 'diagnose', '--port', sim.port, '--unit', unit.name, ...FAST)).toBeLessThanOrEqual(1);
        expect(io.stdout()).toMatch(/ OK +rs485\.offline\.master +oht50-firmware is stopped on sim-01/);
        expect(io.stderr()).toBe('');
        expect(io.stdout()).toContain(`(stored in the history of ${unit.name}: ohtw history ${unit.name})`);
      } finally {
        sim.io.stop();
        await sim.done;
      }
      const audit = await createCore({ dataDir, face: 'cli', logger: silentLogger });
      try {
        expect(audit.history.listAudit({ unit: unit.name, limit: 2 }).map((a) => [a.action, a.outcome])).toEqual([
          ['services.stop', 'ok'],
          ['services.stop', 'refused'],
        ]);
      } finally {
        await audit.close();
      }
    });
  });
});
